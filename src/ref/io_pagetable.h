/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ref's io_pagetable: areas, reserved and allowed ranges of one IOAS
 * (drivers/iommu/iommufd/io_pagetable.{c,h} semantics). Callers hold the
 * context lock (iommufd_ctx->lock).
 */
#ifndef DMATRACE_REF_IO_PAGETABLE_H
#define DMATRACE_REF_IO_PAGETABLE_H

#include <stdbool.h>
#include "ref/interval_tree.h"
#include "ref/iommufd.h"

#define REF_PAGE_SIZE	4096UL
#define REF_HPAGE_SIZE	(2UL << 20)	/* x86-64 with THP */

/* What the ref keeps of an iommu_domain */
struct ref_domain {
	unsigned long aperture_start;
	unsigned long aperture_end;
	unsigned long pgsize_bitmap;
};

struct iopt_area {
	struct itree_node node;
	unsigned long uva;		/* user VA of the first byte */
	int iommu_prot;
	bool writable;			/* the pinned pages' writability */
};

struct iopt_reserved {
	struct itree_node node;
	void *owner;
};

struct iopt_allowed {
	struct itree_node node;
};

struct ioas_window;

struct io_pagetable {
	__u32 ioas_id;			/* first: see include/ref/abi.h */
	unsigned long iova_alignment;
	bool disable_large_pages;
	struct itree area_itree;
	struct itree reserved_itree;
	struct itree allowed_itree;
	unsigned long mapped_bytes;	/* sum of the areas' lengths */
	struct ref_domain **domains;
	unsigned int next_domain_id;
	unsigned int domains_cap;
	/* seed multi-window extension (src/ref/window.c), NULL = mainline */
	struct ioas_window *windows;
	unsigned int nr_windows;
};

/* A slice of user memory to place at consecutive IOVAs */
struct iopt_pages_list {
	unsigned long uva;
	unsigned long length;
	bool writable;
};

void iopt_init_table(struct io_pagetable *iopt, __u32 ioas_id);
void iopt_destroy_table(struct io_pagetable *iopt);

int iopt_map_pages(struct io_pagetable *iopt, struct iopt_pages_list *list,
		   size_t nr, unsigned long length, unsigned long *dst_iova,
		   int iommu_prot, unsigned int flags);
int iopt_get_pages(struct io_pagetable *iopt, unsigned long iova,
		   unsigned long length, struct iopt_pages_list **list,
		   size_t *nr);
int iopt_set_allow_iova(struct io_pagetable *iopt, struct itree *allowed);
void iopt_free_allowed(struct itree *allowed);
int iopt_cut_iova(struct io_pagetable *iopt, unsigned long *iovas,
		  size_t num_iovas);
int iopt_table_add_domain(struct io_pagetable *iopt,
			  struct ref_domain *domain);
void iopt_table_remove_domain(struct io_pagetable *iopt,
			      struct ref_domain *domain);
int iopt_disable_large_pages(struct io_pagetable *iopt);
void iopt_enable_large_pages(struct io_pagetable *iopt);

/* Holes of the reserved ranges over [0, ULONG_MAX]: what IOVA_RANGES says */
typedef int (*iopt_hole_fn)(unsigned long start, unsigned long last,
			    void *arg);
int iopt_for_each_reserved_hole(struct io_pagetable *iopt, iopt_hole_fn fn,
				void *arg);

/* First-fit hole search of iopt_alloc_iova over [lo, hi] (window.c too) */
int iopt_find_hole(struct io_pagetable *iopt, unsigned long lo,
		   unsigned long hi, unsigned long length,
		   unsigned long iova_alignment, unsigned long page_offset,
		   unsigned long *iova);

/* Invariants (tests, fuzzer): 0 or -1 with a reason in *why */
int iopt_check_invariants(struct io_pagetable *iopt, const char **why);

#endif /* DMATRACE_REF_IO_PAGETABLE_H */
