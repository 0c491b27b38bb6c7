// SPDX-License-Identifier: GPL-2.0
/*
 * Violations of native VFIO type1 (drivers/vfio/vfio_iommu_type1.c): the
 * rules of docs/ground-truth.md, from the uAPI fields and the driver's own
 * state that the BPF programs read at the op's return (page sizes, v2),
 * and one line saying what was asked and why it failed.
 *
 * A v1 container's unmap that succeeds cutting a mapping (unmap_split with
 * ret 0) comes as DT_EV_UNMAP_CUT: the BPF side looked the range's ends up
 * in the driver's dma_list before the unmap. The mapping an op overlapped
 * or cut (hit) is named when the driver's tree was read.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/vfio.h>

#include "fmt.h"
#include "view_priv.h"

#define T1_MAP_FLAGS	(VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE)

/* The smallest page size of the container: maps align to it */
static __u64 t1_min_page(const struct dt_event *e)
{
	__u64 mask = e->pgsize_bitmap;

	return mask ? mask & -mask : 4096;
}

static bool t1_map_bad_flags(__u32 flags)
{
	bool prot = flags & T1_MAP_FLAGS;

	return (flags & ~(T1_MAP_FLAGS | VFIO_DMA_MAP_FLAG_VADDR)) ||
	       prot == !!(flags & VFIO_DMA_MAP_FLAG_VADDR);
}

static bool t1_unmap_bad_flags(const struct dt_event *e)
{
	__u32 known = VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP |
		      VFIO_DMA_UNMAP_FLAG_ALL | VFIO_DMA_UNMAP_FLAG_VADDR;

	return (e->flags & ~known) ||
	       (e->flags & VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP) ||
	       ((e->flags & VFIO_DMA_UNMAP_FLAG_ALL) && (e->iova || e->length));
}

static bool wraps(__u64 start, __u64 length)
{
	return length && start + (length - 1) < start;
}

static int t1_classify_map(const struct dt_event *e)
{
	__u64 pg = t1_min_page(e);

	switch (e->ret) {
	case -EEXIST:
		return DT_VIOL_OVERLAP;
	case -ENOSPC:
		return DT_VIOL_ENTRY_LIMIT;
	case -ENOMEM:
		return DT_VIOL_MEMLOCK;
	case -EINVAL:
		break;
	default:
		return -1;
	}
	if (t1_map_bad_flags(e->flags))
		return DT_VIOL_BAD_FLAGS;
	if (!e->length || (e->iova | e->length | e->vaddr) & (pg - 1))
		return DT_VIOL_MISALIGNED;
	if (wraps(e->iova, e->length) || wraps(e->vaddr, e->length))
		return DT_VIOL_WRAP;
	return e->flags & VFIO_DMA_MAP_FLAG_VADDR ? -1 : DT_VIOL_TYPE1_OUTSIDE;
}

static int t1_classify_unmap(const struct dt_event *e)
{
	__u64 pg = t1_min_page(e);

	if (e->ret != -EINVAL)
		return -1;
	if (t1_unmap_bad_flags(e))
		return DT_VIOL_BAD_FLAGS;
	if (e->flags & VFIO_DMA_UNMAP_FLAG_ALL)
		return -1;
	if (e->iova & (pg - 1) || !e->length || e->length & (pg - 1))
		return DT_VIOL_MISALIGNED;
	if (wraps(e->iova, e->length))
		return DT_VIOL_WRAP;
	/* v2 refuses to cut a mapping; a VADDR unmap of an invalid one: none */
	return e->flags & VFIO_DMA_UNMAP_FLAG_VADDR ? -1 : DT_VIOL_UNMAP_SPLIT;
}

int view_classify_type1(const struct dt_event *e)
{
	if (e->type == DT_EV_IOVA_LIST) {	/* a group attach refused */
		if (e->ret == -ENOMEM)
			return DT_VIOL_MEMLOCK;
		return e->ret == -EINVAL ? DT_VIOL_ATTACH_REFUSED : -1;
	}
	if (e->type == DT_EV_UNMAP_CUT)
		return DT_VIOL_UNMAP_SPLIT;
	if (e->type != DT_EV_OP_FAILED || e->ret >= 0)
		return -1;
	if (dt_op_kind(e->op) == DT_KIND_MAP)
		return t1_classify_map(e);
	if (dt_op_kind(e->op) == DT_KIND_UNMAP)
		return t1_classify_unmap(e);
	return -1;
}

const char *view_violation_op(const struct dt_event *e)
{
	return e->type == DT_EV_IOVA_LIST ? "attach_group" : dt_op_name(e->op);
}

/* The mappings of the container, and how many more the driver takes */
static void line_entries(char *buf, size_t sz, const struct view_ioas *io)
{
	if (!io || !(io->usage.t1flags & DT_T1_KNOWN)) {
		snprintf(buf, sz, "the container's dma_avail is not known");
		return;
	}
	if (view_usage_wrapped(io)) {
		snprintf(buf, sz, "dma_avail %u (dma_entry_limit reached; more unmapped than mapped since tracing started)",
			 io->usage.dma_avail);
		return;
	}
	snprintf(buf, sz, "%llu mappings traced, dma_avail %u (dma_entry_limit reached)",
		 (unsigned long long)view_ioas_areas(io), io->usage.dma_avail);
}

static void line_memlock(char *buf, size_t sz, const struct view_ioas *io)
{
	if (!io || !(io->usage.t1flags & DT_T1_MEMLOCK)) {
		snprintf(buf, sz, "locked_vm of the process over RLIMIT_MEMLOCK (not read on this target)");
		return;
	}
	if (io->usage.memlock_pages == ~0ULL)
		snprintf(buf, sz, "locked_vm %llu pages, RLIMIT_MEMLOCK unlimited",
			 (unsigned long long)io->usage.locked_pages);
	else
		snprintf(buf, sz, "locked_vm %llu pages of RLIMIT_MEMLOCK %llu pages",
			 (unsigned long long)io->usage.locked_pages,
			 (unsigned long long)io->usage.memlock_pages);
}

/* The mapping the op ran into: "mapping [start, last] (size)" */
static const char *line_hit(char *buf, size_t sz, const struct dt_event *e)
{
	char size[FMT_SIZE_MAX];

	if (!e->hit_set)
		return "(not read)";
	snprintf(buf, sz, "mapping [0x%llx, 0x%llx] (%s)",
		 (unsigned long long)e->hit.start, (unsigned long long)e->hit.last,
		 fmt_size(size, sizeof(size), e->hit.last - e->hit.start + 1, 0));
	return buf;
}

/* What is wrong, for the kinds the iommufd lines do not explain */
static void line_why(char *buf, size_t sz, const struct view_ioas *io,
		     const struct dt_event *e, enum dt_violation kind)
{
	char page[FMT_SIZE_MAX], hit[96];
	int n;

	switch (kind) {
	case DT_VIOL_ENTRY_LIMIT:
		line_entries(buf, sz, io);
		break;
	case DT_VIOL_MEMLOCK:
		line_memlock(buf, sz, io);
		break;
	case DT_VIOL_MISALIGNED:
		snprintf(buf, sz, "iova, size and vaddr must be multiples of %s (smallest page size of pgsizes 0x%llx)",
			 fmt_size(page, sizeof(page), t1_min_page(e), 0),
			 (unsigned long long)e->pgsize_bitmap);
		break;
	case DT_VIOL_UNMAP_SPLIT:
		if (e->type == DT_EV_UNMAP_CUT)
			snprintf(buf, sz, "the range cuts %s: a v1 container takes or leaves a mapping whole, and says so with success",
				 line_hit(hit, sizeof(hit), e));
		else
			snprintf(buf, sz, "the range cuts %s: a %s container unmaps whole mappings only",
				 e->hit_set ? line_hit(hit, sizeof(hit), e) : "a mapping",
				 e->t1flags & DT_T1_V2 ? "v2" : "v1");
		break;
	case DT_VIOL_ATTACH_REFUSED:
		snprintf(buf, sz, "the group's reserved regions or aperture collide with the container's mappings (hot-plug refused)");
		break;
	case DT_VIOL_OVERLAP:
		snprintf(buf, sz, "overlaps %s of the container",
			 e->hit_set ? line_hit(hit, sizeof(hit), e) : "a mapping");
		break;
	case DT_VIOL_WRAP:
		snprintf(buf, sz, "iova or vaddr + size wraps");
		break;
	case DT_VIOL_BAD_FLAGS:
		if (dt_op_kind(e->op) == DT_KIND_UNMAP)
			snprintf(buf, sz, "flags 0x%x: only ALL (with iova and size 0) or VADDR, no dirty bitmap with them", e->flags);
		else
			snprintf(buf, sz, "flags 0x%x: READ/WRITE needed (not with VADDR), no others", e->flags);
		break;
	default:	/* type1_outside: the iova_list's windows */
		if (io && io->has_report) {
			n = snprintf(buf, sz, "outside the iova_list: ");
			if (n > 0 && (size_t)n < sz)
				view_window_miss(io, e, buf + n, sz - n);
		} else {
			snprintf(buf, sz, "outside the container's iova_list (not seen)");
		}
		break;
	}
}

void view_type1_line(const struct dt_view *v, const struct view_ioas *io,
		     const struct dt_event *e, enum dt_violation kind,
		     char *buf, size_t sz)
{
	char name[VIEW_IOAS_NAME_MAX], err[FMT_ERR_MAX], size[FMT_SIZE_MAX];
	char why[256];
	int n;

	if (io)
		view_ioas_name(v, io, name, sizeof(name));
	else
		snprintf(name, sizeof(name), "%u", view_user_id(e->ioas_id));
	line_why(why, sizeof(why), io, e, kind);
	n = snprintf(buf, sz, "VIOLATION %s: %s container %s", dt_violation_name(kind),
		     view_violation_op(e), name);
	if (n < 0 || (size_t)n >= sz)
		return;
	if (e->type == DT_EV_OP_FAILED || e->type == DT_EV_UNMAP_CUT)
		n += snprintf(buf + n, sz - n, " iova 0x%llx size 0x%llx (%s) flags 0x%x",
			      (unsigned long long)e->iova,
			      (unsigned long long)e->length,
			      fmt_size(size, sizeof(size), e->length, 0), e->flags);
	if (n < 0 || (size_t)n >= sz)
		return;
	snprintf(buf + n, sz - n, " pid %u (%.*s) -> %s: %s", e->tgid, DT_COMM_LEN,
		 e->comm, fmt_errno(err, sizeof(err), e->ret), why);
}
