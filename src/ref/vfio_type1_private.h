/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ref's native VFIO type1 driver state (Linux 6.12
 * drivers/vfio/vfio_iommu_type1.c): struct vfio_iommu with its dma_list
 * (an interval tree of struct vfio_dma), iova_list (sorted allowed ranges),
 * domains and their groups. Functions here expect iommu->lock held.
 */
#ifndef DMATRACE_REF_VFIO_TYPE1_PRIVATE_H
#define DMATRACE_REF_VFIO_TYPE1_PRIVATE_H

#include <pthread.h>
#include <stddef.h>
#include "ref/interval_tree.h"
#include "ref/vfio_type1.h"

#define VFIO_PAGE_SHIFT		12
#define VFIO_PAGE_SIZE		(1ULL << VFIO_PAGE_SHIFT)
#define VFIO_PAGE_MASK		(~(VFIO_PAGE_SIZE - 1))
#define DMA_ENTRY_LIMIT_DEFAULT	65535U	/* U16_MAX */

struct vfio_iova {
	__u64 start;
	__u64 end;
};

/* The kernel's list of struct vfio_iova, as a sorted array */
struct vfio_iova_list {
	struct vfio_iova *v;
	unsigned int nr;
	unsigned int cap;
};

struct vfio_iommu_group {
	struct iommu_group *iommu_group;
	struct vfio_iommu_group *next;
};

struct vfio_domain {
	unsigned int ops;
	__u64 aperture_start;
	__u64 aperture_end;
	__u64 pgsize_bitmap;
	bool enforce_cache_coherency;
	struct vfio_iommu_group *group_list;
	struct vfio_domain *next;
};

struct vfio_dma {
	struct itree_node node;		/* [iova, iova + size - 1] */
	__u64 iova;
	unsigned long vaddr;
	__u64 size;			/* grows as pages are pinned */
	int prot;			/* IOMMU_READ / IOMMU_WRITE */
	bool iommu_mapped;
	bool lock_cap;
	bool vaddr_invalid;
	__u64 locked_vm;		/* pages */
};

/* The mapping of a dma_list node (NULL for NULL) */
static inline struct vfio_dma *vfio_dma_of(struct itree_node *node)
{
	return node ? (struct vfio_dma *)((char *)node -
					  offsetof(struct vfio_dma, node)) : NULL;
}

struct vfio_iommu {
	pthread_mutex_t lock;
	struct vfio_domain *domain_list;
	struct vfio_iova_list iova_list;
	struct itree dma_list;
	unsigned int dma_avail;
	unsigned int vaddr_invalid_count;
	__u64 pgsize_bitmap;
	bool v2;
	bool nesting;
	struct vfio_iommu_group *emulated_iommu_groups;
};

/* The modelled process (vfio_iommu_type1.c) */
struct vfio_mm {
	pthread_mutex_t lock;
	__u64 locked_vm;	/* pages */
	__u64 rlimit_memlock;	/* bytes */
	bool cap_ipc_lock;
};
extern struct vfio_mm vfio_current_mm;
extern unsigned int dma_entry_limit;
extern bool allow_unsafe_interrupts;
/* The Linux version modelled, REF_LINUX(6, 12) or REF_LINUX(6, 1) */
extern unsigned int vfio_linux;

/* dma_list (vfio_iommu_type1.c) */
struct vfio_dma *vfio_find_dma(struct vfio_iommu *iommu, __u64 start,
			       __u64 size);
void vfio_iommu_unmap_unpin_all(struct vfio_iommu *iommu);
void vfio_update_pgsize_bitmap(struct vfio_iommu *iommu);
int vfio_lock_acct(struct vfio_dma *dma, long npage);
__u64 vfio_memlock_limit(void);

/* iova_list (vfio_iova.c) */
int vfio_iommu_iova_insert(struct vfio_iova_list *head, __u64 start,
			   __u64 end);
void vfio_iommu_iova_free(struct vfio_iova_list *iova);
int vfio_iommu_iova_get_copy(struct vfio_iommu *iommu,
			     struct vfio_iova_list *iova_copy);
void vfio_iommu_iova_insert_copy(struct vfio_iommu *iommu,
				 struct vfio_iova_list *iova_copy);
bool vfio_iommu_aper_conflict(struct vfio_iommu *iommu, __u64 start,
			      __u64 end);
int vfio_iommu_aper_resize(struct vfio_iova_list *iova, __u64 start,
			   __u64 end);
bool vfio_iommu_resv_conflict(struct vfio_iommu *iommu,
			      const struct iommu_group *group);
int vfio_iommu_resv_exclude(struct vfio_iova_list *iova,
			    const struct iommu_resv_region *resv,
			    unsigned int nr_resv);
void vfio_iommu_aper_expand(struct vfio_iommu *iommu,
			    struct vfio_iova_list *iova_copy);
int vfio_iommu_resv_refresh(struct vfio_iommu *iommu,
			    struct vfio_iova_list *iova_copy);
bool vfio_iommu_iova_dma_valid(struct vfio_iommu *iommu, __u64 start,
			       __u64 end);

/* VFIO_IOMMU_GET_INFO (vfio_type1_info.c) */
int vfio_iommu_type1_get_info(struct vfio_iommu *iommu, unsigned long arg);

/* replay on a new domain (vfio_type1_group.c uses it) */
int vfio_iommu_replay(struct vfio_iommu *iommu);

#endif /* DMATRACE_REF_VFIO_TYPE1_PRIVATE_H */
