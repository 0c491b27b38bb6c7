// SPDX-License-Identifier: GPL-2.0
/*
 * io_pagetable: IOVA bookkeeping of one IOAS, modelled on Linux 6.12
 * drivers/iommu/iommufd/io_pagetable.c (same checks, same order, same
 * errnos, same first-fit IOVA allocation). User memory is never touched:
 * a user VA is a number; pinning cannot fail.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include "ref/iommufd.h"
#include "io_pagetable.h"
#include "window_internal.h"

#define area_of(n) ((struct iopt_area *)(n))
#define reserved_of(n) ((struct iopt_reserved *)(n))

static unsigned long align_mask(unsigned long alignment)
{
	return alignment - 1;
}

void iopt_init_table(struct io_pagetable *iopt, __u32 ioas_id)
{
	*iopt = (struct io_pagetable){ .ioas_id = ioas_id };
	/* SW tables have no alignment restriction */
	iopt->iova_alignment = 1;
}

void iopt_free_allowed(struct itree *allowed)
{
	while (allowed->root) {
		struct itree_node *node = allowed->root;

		itree_remove(allowed, node);
		free(node);
	}
}

static void iopt_free_areas(struct io_pagetable *iopt)
{
	while (iopt->area_itree.root) {
		struct itree_node *node = iopt->area_itree.root;

		itree_remove(&iopt->area_itree, node);
		free(node);
	}
	iopt->mapped_bytes = 0;
}

void iopt_destroy_table(struct io_pagetable *iopt)
{
	/* CONFIG_IOMMUFD_TEST: selftest reservations have a NULL owner */
	iopt_remove_reserved_iova(iopt, NULL);
	iopt_free_allowed(&iopt->allowed_itree);
	iopt_free_areas(iopt);
	while (iopt->reserved_itree.root) {
		struct itree_node *node = iopt->reserved_itree.root;

		itree_remove(&iopt->reserved_itree, node);
		free(node);
	}
	free(iopt->domains);
	window_destroy_all(iopt);
}

static struct iopt_area *iopt_area_first(struct io_pagetable *iopt,
					 unsigned long start,
					 unsigned long last)
{
	return area_of(itree_iter_first(&iopt->area_itree, start, last));
}

/* __alloc_iova_check_range(): can [*start, last] hold an aligned length? */
static bool alloc_check_range(unsigned long *start, unsigned long last,
			      unsigned long length,
			      unsigned long iova_alignment,
			      unsigned long page_offset)
{
	unsigned long aligned_start;

	if (__builtin_add_overflow(*start, iova_alignment - 1, &aligned_start))
		return false;
	aligned_start &= ~align_mask(iova_alignment);
	aligned_start |= page_offset;
	if (aligned_start >= last || last - aligned_start < length - 1)
		return false;
	*start = aligned_start;
	return true;
}

/* One hole of the area tree: split it around reserved ranges, first fit */
static bool try_area_hole(struct io_pagetable *iopt, unsigned long start,
			  unsigned long last, unsigned long length,
			  unsigned long iova_alignment,
			  unsigned long page_offset, unsigned long *iova)
{
	struct itree_node *res;
	unsigned long cur = start;

	itree_for_each(res, &iopt->reserved_itree, start, last) {
		if (res->start > cur) {
			unsigned long hole = cur;

			if (alloc_check_range(&hole, res->start - 1, length,
					      iova_alignment, page_offset)) {
				*iova = hole;
				return true;
			}
		}
		if (res->last >= last)
			return false;
		if (res->last + 1 > cur)
			cur = res->last + 1;
	}
	if (alloc_check_range(&cur, last, length, iova_alignment, page_offset)) {
		*iova = cur;
		return true;
	}
	return false;
}

/*
 * The holes of (reserved U areas) inside [lo, hi] in address order, first
 * fit; holes shorter than @length are skipped in O(log n) through the area
 * tree's gap augmentation (they can never pass alloc_check_range()).
 */
int iopt_find_hole(struct io_pagetable *iopt, unsigned long lo,
		   unsigned long hi, unsigned long length,
		   unsigned long iova_alignment, unsigned long page_offset,
		   unsigned long *iova)
{
	struct itree *areas = &iopt->area_itree;
	struct iopt_area *area = iopt_area_first(iopt, lo, hi);
	unsigned long gs, gl, after = lo;

	if (!area)
		return try_area_hole(iopt, lo, hi, length, iova_alignment,
				     page_offset, iova) ? 0 : -ENOSPC;
	if (area->node.start > lo &&
	    try_area_hole(iopt, lo, area->node.start - 1, length,
			  iova_alignment, page_offset, iova))
		return 0;
	while (itree_find_gap(areas, after, length, &gs, &gl)) {
		if (gs > hi)
			return -ENOSPC;
		if (gl > hi)
			gl = hi;
		if (try_area_hole(iopt, gs, gl, length, iova_alignment,
				  page_offset, iova))
			return 0;
		if (gl == hi)
			return -ENOSPC;
		after = gl + 1;
	}
	gs = areas->root->subtree_last;
	if (gs < hi && try_area_hole(iopt, gs + 1, hi, length, iova_alignment,
				     page_offset, iova))
		return 0;
	return -ENOSPC;
}

static unsigned long roundup_pow_of_two(unsigned long n)
{
	if (n <= 1)
		return 1;
	return 1UL << (64 - __builtin_clzl(n - 1));
}

/* Allowed ranges merged into spans, clipped to [first, last] */
static bool allowed_next_span(struct io_pagetable *iopt,
			      struct itree_node **cur, unsigned long first,
			      unsigned long last, unsigned long *span_start,
			      unsigned long *span_last)
{
	struct itree *allowed = &iopt->allowed_itree;
	struct itree_node *n = *cur;
	unsigned long end;

	if (!n)
		return false;
	*span_start = n->start < first ? first : n->start;
	end = n->last;
	for (n = itree_iter_next(allowed, n, first, last); n;
	     n = itree_iter_next(allowed, n, first, last)) {
		if (end != ULONG_MAX && n->start > end + 1)
			break;
		if (n->last > end)
			end = n->last;
	}
	*cur = n;
	*span_last = end > last ? last : end;
	return true;
}

/*
 * iopt_alloc_iova(): alignment from length and the user address (capped at
 * HPAGE_SIZE), first fit in the allowed spans inside [PAGE_SIZE,
 * ULONG_MAX - PAGE_SIZE], never IOVA 0.
 */
static int iopt_alloc_iova(struct io_pagetable *iopt, unsigned long *iova,
			   unsigned long uptr, unsigned long length)
{
	const unsigned long first = REF_PAGE_SIZE, last = ULONG_MAX - REF_PAGE_SIZE;
	unsigned long page_offset = uptr % REF_PAGE_SIZE;
	unsigned long iova_alignment, start, end;
	struct itree_node *cur;

	if (length == 0 || length >= ULONG_MAX / 2)
		return -EOVERFLOW;
	iova_alignment = roundup_pow_of_two(length);
	if (uptr && iova_alignment > 1UL << __builtin_ctzl(uptr))
		iova_alignment = 1UL << __builtin_ctzl(uptr);
	if (iova_alignment >= REF_HPAGE_SIZE)
		iova_alignment = REF_HPAGE_SIZE;
	if (iova_alignment < iopt->iova_alignment)
		return -EINVAL;

	if (iopt->nr_windows)
		return window_alloc_iova(iopt, iova, length, iova_alignment,
					 page_offset);

	if (!iopt->allowed_itree.root) {
		start = first;
		if (alloc_check_range(&start, last, length, iova_alignment,
				      page_offset) &&
		    !iopt_find_hole(iopt, start, last, length, iova_alignment,
				    page_offset, iova))
			return 0;
		return -ENOSPC;
	}
	cur = itree_iter_first(&iopt->allowed_itree, first, last);
	while (allowed_next_span(iopt, &cur, first, last, &start, &end)) {
		if (!alloc_check_range(&start, end, length, iova_alignment,
				       page_offset))
			continue;
		if (!iopt_find_hole(iopt, start, end, length, iova_alignment,
				    page_offset, iova))
			return 0;
	}
	return -ENOSPC;
}

static int iopt_check_iova(struct io_pagetable *iopt, unsigned long iova,
			   unsigned long length)
{
	unsigned long last;

	if (iova & align_mask(iopt->iova_alignment))
		return -EINVAL;
	if (__builtin_add_overflow(iova, length - 1, &last))
		return -EOVERFLOW;
	if (itree_iter_first(&iopt->reserved_itree, iova, last))
		return -EINVAL;
	if (iopt_area_first(iopt, iova, last))
		return -EEXIST;
	return 0;
}

static int iopt_insert_area(struct io_pagetable *iopt, struct iopt_area *area,
			    const struct iopt_pages_list *elm,
			    unsigned long iova, int iommu_prot)
{
	if ((iommu_prot & IOMMU_WRITE) && !elm->writable)
		return -EPERM;
	area->iommu_prot = iommu_prot;
	area->writable = elm->writable;
	area->uva = elm->uva;
	if ((elm->uva % REF_PAGE_SIZE) & align_mask(iopt->iova_alignment))
		return -EINVAL;
	area->node.start = iova;
	if (__builtin_add_overflow(iova, elm->length - 1, &area->node.last))
		return -EOVERFLOW;
	itree_insert(&iopt->area_itree, &area->node);
	iopt->mapped_bytes += elm->length;
	return 0;
}

static void iopt_remove_area(struct io_pagetable *iopt, struct iopt_area *area)
{
	itree_remove(&iopt->area_itree, &area->node);
	iopt->mapped_bytes -= area->node.last - area->node.start + 1;
	free(area);
}

REF_API int iopt_map_pages(struct io_pagetable *iopt,
			   struct iopt_pages_list *list, size_t nr,
			   unsigned long length, unsigned long *dst_iova,
			   int iommu_prot, unsigned int flags)
{
	struct iopt_area **areas;
	unsigned long iova;
	size_t i, inserted = 0;
	int rc = 0;

	areas = calloc(nr, sizeof(*areas));
	if (!areas)
		return -ENOMEM;
	for (i = 0; i != nr; i++) {
		areas[i] = calloc(1, sizeof(**areas));
		if (!areas[i]) {
			rc = -ENOMEM;
			goto out_free;
		}
	}
	if ((length & align_mask(iopt->iova_alignment)) || !length) {
		rc = -EINVAL;
		goto out_free;
	}
	if (flags & IOPT_ALLOC_IOVA)
		rc = iopt_alloc_iova(iopt, dst_iova, list[0].uva, length);
	else
		rc = iopt_check_iova(iopt, *dst_iova, length);
	if (!rc && iopt->nr_windows)
		rc = window_check_map(iopt, *dst_iova, length);
	if (rc)
		goto out_free;

	iova = *dst_iova;
	for (i = 0; i != nr; i++) {
		rc = iopt_insert_area(iopt, areas[i], &list[i], iova,
				      iommu_prot);
		if (rc)
			break;
		inserted++;
		iova += list[i].length;
	}
	if (!rc) {
		free(areas);
		return 0;
	}
	for (i = 0; i != inserted; i++) {
		iopt_remove_area(iopt, areas[i]);
		areas[i] = NULL;
	}
out_free:
	for (i = 0; i != nr; i++)
		free(areas[i]);
	free(areas);
	return rc;
}

REF_API int iopt_map_user_pages(struct iommufd_ctx *ictx,
				struct io_pagetable *iopt, unsigned long *iova,
				void *uptr, unsigned long length,
				int iommu_prot, unsigned int flags)
{
	struct iopt_pages_list elm = {
		.uva = (unsigned long)uptr,
		.length = length,
		.writable = iommu_prot & IOMMU_WRITE,
	};
	unsigned long end;

	(void)ictx;
	/* iopt_alloc_pages() */
	if (length > SIZE_MAX - REF_PAGE_SIZE || length == 0)
		return -EINVAL;
	if (__builtin_add_overflow(elm.uva, length, &end))
		return -EOVERFLOW;
	return iopt_map_pages(iopt, &elm, 1, length, iova, iommu_prot, flags);
}

REF_API int iopt_get_pages(struct io_pagetable *iopt, unsigned long iova,
			   unsigned long length, struct iopt_pages_list **list,
			   size_t *nr)
{
	struct iopt_pages_list *elms = NULL, *grown;
	unsigned long last_iova, cur = iova;
	struct iopt_area *area;
	size_t n = 0;

	if (!length)
		return -EINVAL;
	if (__builtin_add_overflow(iova, length - 1, &last_iova))
		return -EOVERFLOW;
	for (area = iopt_area_first(iopt, cur, cur); area;
	     area = iopt_area_first(iopt, cur, cur)) {
		unsigned long last = area->node.last < last_iova ?
					     area->node.last : last_iova;

		grown = realloc(elms, (n + 1) * sizeof(*elms));
		if (!grown) {
			free(elms);
			return -ENOMEM;
		}
		elms = grown;
		elms[n].uva = area->uva + (cur - area->node.start);
		elms[n].length = last - cur + 1;
		elms[n].writable = area->writable;
		n++;
		if (last == last_iova) {
			*list = elms;
			*nr = n;
			return 0;
		}
		cur = last + 1;
	}
	free(elms);
	return -ENOENT;
}

static int iopt_unmap_iova_range(struct io_pagetable *iopt,
				 unsigned long start, unsigned long last,
				 unsigned long *unmapped)
{
	unsigned long unmapped_bytes = 0;
	struct iopt_area *area;
	int rc = 0;

	while ((area = iopt_area_first(iopt, start, last))) {
		unsigned long area_first = area->node.start;
		unsigned long area_last = area->node.last;

		if (area_first < start || area_last > last) {
			rc = -ENOENT;
			break;
		}
		iopt_remove_area(iopt, area);
		unmapped_bytes += area_last - area_first + 1;
		if (area_last >= last)
			break;
		start = area_last + 1;
	}
	if (unmapped)
		*unmapped = unmapped_bytes;
	return rc;
}

REF_API int iopt_unmap_iova(struct io_pagetable *iopt, unsigned long iova,
			    unsigned long length, unsigned long *unmapped)
{
	unsigned long iova_last;

	if (!length)
		return -EINVAL;
	if (__builtin_add_overflow(iova, length - 1, &iova_last))
		return -EOVERFLOW;
	return iopt_unmap_iova_range(iopt, iova, iova_last, unmapped);
}

REF_API int iopt_unmap_all(struct io_pagetable *iopt, unsigned long *unmapped)
{
	return iopt_unmap_iova_range(iopt, 0, ULONG_MAX, unmapped);
}

REF_API int iopt_set_allow_iova(struct io_pagetable *iopt,
				struct itree *allowed)
{
	struct itree old = iopt->allowed_itree;
	struct itree_node *node;

	iopt->allowed_itree = *allowed;
	*allowed = old;
	itree_for_each(node, &iopt->allowed_itree, 0, ULONG_MAX) {
		if (itree_iter_first(&iopt->reserved_itree, node->start,
				     node->last)) {
			*allowed = iopt->allowed_itree;
			iopt->allowed_itree = old;
			return -EADDRINUSE;
		}
	}
	return 0;
}

REF_API int iopt_reserve_iova(struct io_pagetable *iopt, unsigned long start,
			      unsigned long last, void *owner)
{
	struct iopt_reserved *reserved;

	if (iopt_area_first(iopt, start, last) ||
	    itree_iter_first(&iopt->allowed_itree, start, last))
		return -EADDRINUSE;
	reserved = calloc(1, sizeof(*reserved));
	if (!reserved)
		return -ENOMEM;
	reserved->node.start = start;
	reserved->node.last = last;
	reserved->owner = owner;
	itree_insert(&iopt->reserved_itree, &reserved->node);
	return 0;
}

REF_API void iopt_remove_reserved_iova(struct io_pagetable *iopt, void *owner)
{
	struct itree_node *node, *next;

	for (node = itree_iter_first(&iopt->reserved_itree, 0, ULONG_MAX);
	     node; node = next) {
		next = itree_iter_next(&iopt->reserved_itree, node, 0,
				       ULONG_MAX);
		if (reserved_of(node)->owner == owner) {
			itree_remove(&iopt->reserved_itree, node);
			free(node);
		}
	}
}

int iopt_for_each_reserved_hole(struct io_pagetable *iopt, iopt_hole_fn fn,
				void *arg)
{
	struct itree_node *res;
	unsigned long cur = 0;
	int rc;

	itree_for_each(res, &iopt->reserved_itree, 0, ULONG_MAX) {
		if (res->start > cur) {
			rc = fn(cur, res->start - 1, arg);
			if (rc)
				return rc;
		}
		if (res->last == ULONG_MAX)
			return 0;
		if (res->last + 1 > cur)
			cur = res->last + 1;
	}
	return fn(cur, ULONG_MAX, arg);
}

/* All existing areas conform to an increased page size */
static int iopt_check_iova_alignment(struct io_pagetable *iopt,
				     unsigned long new_iova_alignment)
{
	unsigned long mask = align_mask(new_iova_alignment);
	struct itree_node *node;

	itree_for_each(node, &iopt->area_itree, 0, ULONG_MAX) {
		if ((node->start & mask) ||
		    ((node->last - node->start + 1) & mask) ||
		    ((area_of(node)->uva % REF_PAGE_SIZE) & mask))
			return -EADDRINUSE;
	}
	return 0;
}

static unsigned long lowest_pgsize(const struct ref_domain *domain)
{
	return 1UL << __builtin_ctzl(domain->pgsize_bitmap);
}

REF_API int iopt_table_add_domain(struct io_pagetable *iopt,
				  struct ref_domain *domain)
{
	unsigned long new_iova_alignment = lowest_pgsize(domain);
	int rc;

	if (new_iova_alignment < iopt->iova_alignment)
		new_iova_alignment = iopt->iova_alignment;
	if (new_iova_alignment > REF_PAGE_SIZE)
		return -EINVAL;
	if (new_iova_alignment != iopt->iova_alignment) {
		rc = iopt_check_iova_alignment(iopt, new_iova_alignment);
		if (rc)
			return rc;
	}
	if (domain->aperture_start != 0) {
		rc = iopt_reserve_iova(iopt, 0, domain->aperture_start - 1,
				       domain);
		if (rc)
			goto out_reserved;
	}
	if (domain->aperture_end != ULONG_MAX) {
		rc = iopt_reserve_iova(iopt, domain->aperture_end + 1,
				       ULONG_MAX, domain);
		if (rc)
			goto out_reserved;
	}
	if (iopt->next_domain_id == iopt->domains_cap) {
		unsigned int cap = iopt->domains_cap ? 2 * iopt->domains_cap : 4;
		struct ref_domain **grown;

		grown = realloc(iopt->domains, cap * sizeof(*grown));
		if (!grown) {
			rc = -ENOMEM;
			goto out_reserved;
		}
		iopt->domains = grown;
		iopt->domains_cap = cap;
	}
	iopt->iova_alignment = new_iova_alignment;
	iopt->domains[iopt->next_domain_id++] = domain;
	return 0;

out_reserved:
	iopt_remove_reserved_iova(iopt, domain);
	return rc;
}

static int iopt_calculate_iova_alignment(struct io_pagetable *iopt)
{
	unsigned long new_iova_alignment;
	unsigned int i;
	int rc;

	new_iova_alignment = iopt->disable_large_pages ? REF_PAGE_SIZE : 1;
	for (i = 0; i != iopt->next_domain_id; i++)
		if (lowest_pgsize(iopt->domains[i]) > new_iova_alignment)
			new_iova_alignment = lowest_pgsize(iopt->domains[i]);
	if (new_iova_alignment > iopt->iova_alignment) {
		rc = iopt_check_iova_alignment(iopt, new_iova_alignment);
		if (rc)
			return rc;
	}
	iopt->iova_alignment = new_iova_alignment;
	return 0;
}

REF_API void iopt_table_remove_domain(struct io_pagetable *iopt,
				      struct ref_domain *domain)
{
	unsigned int i;

	for (i = 0; i != iopt->next_domain_id; i++)
		if (iopt->domains[i] == domain)
			break;
	if (i == iopt->next_domain_id)
		return;
	/* Keep the array linear: move the tail entry into the hole */
	iopt->domains[i] = iopt->domains[--iopt->next_domain_id];
	iopt_remove_reserved_iova(iopt, domain);
	iopt_calculate_iova_alignment(iopt);
}

/* iopt_area_split(): @iova becomes the last byte of the left part */
static int iopt_area_split(struct io_pagetable *iopt, struct iopt_area *area,
			   unsigned long iova)
{
	unsigned long mask = align_mask(iopt->iova_alignment);
	unsigned long start_iova = area->node.start;
	unsigned long last_iova = area->node.last;
	unsigned long new_start = iova + 1;
	struct iopt_area *rhs;

	if (iova == start_iova || iova == last_iova)
		return 0;
	if ((new_start & mask) ||
	    ((area->uva + (new_start - start_iova)) & mask))
		return -EINVAL;
	/* A domain could have been filled with huge pages */
	if (iopt->next_domain_id && !iopt->disable_large_pages)
		return -EINVAL;
	rhs = calloc(1, sizeof(*rhs));
	if (!rhs)
		return -ENOMEM;
	*rhs = *area;
	rhs->uva = area->uva + (new_start - start_iova);
	rhs->node.start = new_start;
	rhs->node.last = last_iova;
	itree_remove(&iopt->area_itree, &area->node);
	area->node.last = iova;
	itree_insert(&iopt->area_itree, &area->node);
	itree_insert(&iopt->area_itree, &rhs->node);
	return 0;
}

REF_API int iopt_cut_iova(struct io_pagetable *iopt, unsigned long *iovas,
			  size_t num_iovas)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < num_iovas; i++) {
		struct iopt_area *area = iopt_area_first(iopt, iovas[i],
							 iovas[i]);

		if (!area)
			continue;
		rc = iopt_area_split(iopt, area, iovas[i]);
		if (rc)
			break;
	}
	return rc;
}

REF_API void iopt_enable_large_pages(struct io_pagetable *iopt)
{
	iopt->disable_large_pages = false;
	iopt_calculate_iova_alignment(iopt);
}

REF_API int iopt_disable_large_pages(struct io_pagetable *iopt)
{
	int rc;

	if (iopt->disable_large_pages)
		return 0;
	/* Won't do it if domains already have pages mapped in them */
	if (iopt->next_domain_id && iopt->area_itree.root)
		return -EINVAL;
	iopt->disable_large_pages = true;
	rc = iopt_calculate_iova_alignment(iopt);
	if (rc)
		iopt->disable_large_pages = false;
	return rc;
}

int iopt_check_invariants(struct io_pagetable *iopt, const char **why)
{
	unsigned long sum = 0, prev_last = 0;
	struct itree_node *node;
	bool first = true;

	if (itree_check(&iopt->area_itree) ||
	    itree_check(&iopt->reserved_itree) ||
	    itree_check(&iopt->allowed_itree)) {
		*why = "interval tree structure";
		return -1;
	}
	itree_for_each(node, &iopt->area_itree, 0, ULONG_MAX) {
		if (!first && node->start <= prev_last) {
			*why = "two areas overlap";
			return -1;
		}
		if (itree_iter_first(&iopt->reserved_itree, node->start,
				     node->last)) {
			*why = "an area touches a reserved range";
			return -1;
		}
		if ((node->start | (node->last + 1)) &
		    align_mask(iopt->iova_alignment)) {
			*why = "an area is not aligned to iova_alignment";
			return -1;
		}
		sum += node->last - node->start + 1;
		prev_last = node->last;
		first = false;
	}
	if (sum != iopt->mapped_bytes) {
		*why = "mapped bytes differ from the sum of the areas";
		return -1;
	}
	itree_for_each(node, &iopt->allowed_itree, 0, ULONG_MAX) {
		if (itree_iter_first(&iopt->reserved_itree, node->start,
				     node->last)) {
			*why = "an allowed range touches a reserved range";
			return -1;
		}
	}
	return 0;
}
