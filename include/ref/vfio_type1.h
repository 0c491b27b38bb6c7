/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libdmaref: native VFIO type1, a model of Linux 6.12
 * drivers/vfio/vfio_iommu_type1.c (the container's IOMMU driver) and of the
 * container around it (drivers/vfio/container.c: /dev/vfio/vfio and the
 * groups set into it). It is kept apart from iommufd's type1 compat front
 * (include/ref/iommufd.h, src/ref/vfio_compat.c): both answer the same
 * ioctls with different rules (docs/type1.md lists the differences).
 *
 * The driver's entry points carry the kernel functions' names and argument
 * order and are exported from bin/libdmaref.so, so that a tracer attaches
 * uprobes where it attaches fentry in the module. Return values are the
 * kernel's: 0 (or a positive answer) or -errno; vfio_iommu_type1_open()
 * returns an ERR_PTR as the kernel does (REF_IS_ERR / REF_PTR_ERR).
 *
 * The host's IOMMU layout is the caller's: each struct iommu_group says
 * what /sys/kernel/iommu_groups/N/reserved_regions and the IOMMU's domain
 * geometry say on a real machine (include helpers below for intel-iommu).
 * The process that maps is modelled by one RLIMIT_MEMLOCK, one
 * CAP_IPC_LOCK bit and one mm->locked_vm (in pages) for the whole library.
 */
#ifndef DMATRACE_REF_VFIO_TYPE1_H
#define DMATRACE_REF_VFIO_TYPE1_H

#include <stdbool.h>
#include <linux/types.h>
#include "iommufd.h"	/* REF_API */

#define REF_IS_ERR(p)	((unsigned long)(p) >= (unsigned long)-4095)
#define REF_PTR_ERR(p)	((long)(p))

/* include/linux/iommu.h */
enum iommu_resv_type {
	IOMMU_RESV_DIRECT,
	IOMMU_RESV_DIRECT_RELAXABLE,
	IOMMU_RESV_RESERVED,
	IOMMU_RESV_MSI,
	IOMMU_RESV_SW_MSI,
};

struct iommu_resv_region {
	__u64 start;
	__u64 length;
	enum iommu_resv_type type;
};

/* drivers/vfio/vfio.h; VFIO_NO_IOMMU is not modelled (config off) */
enum vfio_group_type {
	VFIO_IOMMU,
	VFIO_EMULATED_IOMMU,
};

#define REF_GROUP_MAX_RESV	16

/*
 * One IOMMU group as the host describes it, with the domain it gets when
 * attached: groups with the same domain_ops share one domain (the kernel
 * matches on the IOMMU driver's ops).
 */
struct iommu_group {
	int id;
	enum vfio_group_type type;
	unsigned int domain_ops;	/* which IOMMU driver */
	__u64 aperture_start;		/* domain geometry */
	__u64 aperture_end;
	__u64 pgsize_bitmap;		/* domain page sizes */
	bool isolated_msi;		/* interrupt remapping */
	bool enforce_cache_coherency;	/* the domain blocks no-snoop */
	bool can_nest;			/* the driver has enable_nesting */
	unsigned int nr_resv;
	struct iommu_resv_region resv[REF_GROUP_MAX_RESV];
	struct vfio_container *container;	/* set by the container */
};

/*
 * An intel-iommu group with a domain of aw_bits address width: aperture
 * [0, 2^aw_bits - 1], page sizes 4K|2M|1G, no reserved region yet,
 * interrupt remapping off (as with QEMU's intel-iommu,intremap=off).
 */
void ref_iommu_group_init_intel(struct iommu_group *group, int id,
				unsigned int aw_bits);
/* Add [start, last] of type; -ENOSPC when full, -EINVAL when last < start */
int ref_iommu_group_add_resv(struct iommu_group *group, __u64 start,
			     __u64 last, enum iommu_resv_type type);

struct vfio_iommu;
struct vfio_dma;
struct vfio_batch;
struct vfio_container;

/* The driver (vfio_iommu_type1.c). open: VFIO_TYPE1_IOMMU (v1),
 * VFIO_TYPE1v2_IOMMU, VFIO_TYPE1_NESTING_IOMMU; else ERR_PTR(-EINVAL) */
void *vfio_iommu_type1_open(unsigned long arg);
void vfio_iommu_type1_release(void *iommu_data);
long vfio_iommu_type1_ioctl(void *iommu_data, unsigned int cmd,
			    unsigned long arg);
int vfio_iommu_type1_attach_group(void *iommu_data,
				  struct iommu_group *iommu_group,
				  enum vfio_group_type type);
void vfio_iommu_type1_detach_group(void *iommu_data,
				   struct iommu_group *iommu_group);
/* Traced inside a map and an unmap; called by the driver only */
long vfio_pin_pages_remote(struct vfio_dma *dma, unsigned long vaddr,
			   long npage, unsigned long *pfn_base,
			   unsigned long limit, struct vfio_batch *batch);
long vfio_unmap_unpin(struct vfio_iommu *iommu, struct vfio_dma *dma,
		      bool do_accounting);
void vfio_remove_dma(struct vfio_iommu *iommu, struct vfio_dma *dma);

/*
 * The container (container.c, group.c): open = open("/dev/vfio/vfio");
 * attach_group = VFIO_GROUP_SET_CONTAINER of the group's fd (-EINVAL when
 * the group is in a container already); unset = VFIO_GROUP_UNSET_CONTAINER
 * (-EINVAL when it is in none; the last group out releases the driver);
 * close detaches every group, like closing all the fds.
 */
struct vfio_container *vfio_container_open(void);
void vfio_container_close(struct vfio_container *container);
int vfio_container_attach_group(struct vfio_container *container,
				struct iommu_group *group);
int vfio_group_unset_container(struct iommu_group *group);
long vfio_fops_unl_ioctl(struct vfio_container *container, unsigned int cmd,
			 unsigned long arg);

/* Module parameters: read when a container's driver is opened */
void ref_vfio_type1_set_dma_entry_limit(unsigned int limit);	/* 65535 */
void ref_vfio_type1_set_allow_unsafe_interrupts(bool allow);	/* false */
/*
 * The kernel modelled: Linux 6.12 (default) or 6.1, where native type1
 * differs in what docs/type1.md lists under "Where Linux 6.1 differs"
 * (the modelled part: GET_INFO's capability chain, its capabilities not
 * padded to 8 bytes, and the bytes written back). 0, or -EINVAL for
 * another version.
 */
#define REF_LINUX(major, minor)	((major) << 8 | (minor))
int ref_vfio_type1_set_linux(unsigned int major, unsigned int minor);
/* The process: RLIMIT_MEMLOCK in bytes and CAP_IPC_LOCK (default: none
 * and unlimited); locked_vm in pages */
void ref_vfio_type1_set_memlock(__u64 rlimit_bytes, bool cap_ipc_lock);
__u64 ref_vfio_type1_locked_vm(void);

/*
 * Ref-only: one container's state (taking its lock); -ENODEV when the
 * container has no driver set. dma_entry_limit per container: the model's
 * knob, dma_avail becomes limit minus the mappings there are (-ENOSPC when
 * they are more).
 */
struct ref_vfio_usage {
	__u64 nr_dma;
	__u64 mapped_bytes;
	__u32 dma_avail;
	__u32 nr_iova;		/* ranges in iova_list */
	__u64 pgsize_bitmap;
	__u64 locked_pages;	/* sum of the mappings' locked_vm */
};
int ref_vfio_container_usage(struct vfio_container *container,
			     struct ref_vfio_usage *usage);
int ref_vfio_container_set_dma_entry_limit(struct vfio_container *container,
					   unsigned int limit);

#endif /* DMATRACE_REF_VFIO_TYPE1_H */
