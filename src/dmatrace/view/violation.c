// SPDX-License-Identifier: GPL-2.0
/*
 * Violations and faults: classify a failed or out-of-window operation
 * (the rules of docs/ground-truth.md) and say in one line what was asked,
 * which window or hole it hit and by how much it missed.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <linux/vfio.h>

#include "uapi/iommufd.h"
#include "fmt.h"
#include "view_priv.h"

#define MSI_START	0xfee00000ULL
#define MSI_LAST	0xfeefffffULL

#define IOAS_MAP_PROT	(IOMMU_IOAS_MAP_WRITEABLE | IOMMU_IOAS_MAP_READABLE)
/* what the iommufd VFIO compat accepts (and dmaload's ground truth) */
#define T1_MAP_FLAGS	(VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE)

/* What is wrong with the flags of a bad_flags op, for its line */
static const char *flags_problem(const struct dt_event *e, char *buf, size_t sz)
{
	__u32 unknown = 0;

	switch (e->op) {
	case DT_OP_MAP:
	case DT_OP_COPY:
		if (e->reserved_nz)
			return "__reserved field is not zero";
		unknown = e->flags & ~(IOMMU_IOAS_MAP_FIXED_IOVA | IOAS_MAP_PROT);
		if (!unknown && !(e->flags & IOAS_MAP_PROT))
			return "neither READABLE nor WRITEABLE";
		break;
	case DT_OP_TYPE1_MAP:
		unknown = e->flags & ~T1_MAP_FLAGS;
		break;
	case DT_OP_TYPE1_UNMAP:
		unknown = e->flags & ~VFIO_DMA_UNMAP_FLAG_ALL;
		if (!unknown && (e->flags & VFIO_DMA_UNMAP_FLAG_ALL) &&
		    (e->iova || e->length))
			return "UNMAP_FLAG_ALL with iova or size set";
		break;
	default:
		break;
	}
	if (!unknown)
		return NULL;
	snprintf(buf, sz, "unknown flags 0x%x", unknown);
	return buf;
}

/* An iommufd map or copy: IOMMU_IOAS_MAP_* flags */
static bool op_is_iommufd_map(__u32 op)
{
	return dt_op_kind(op) == DT_KIND_MAP &&
	       dt_op(op)->backend == DT_BACKEND_IOMMUFD;
}

static bool op_is_compat(__u32 op)
{
	return op < DT_OP_MAX && dt_op(op)->backend == DT_BACKEND_COMPAT;
}

/* [iova, last] of the request; false when empty or wrapping */
static bool ev_range(const struct dt_event *e, __u64 *last)
{
	if (!e->length || e->iova + (e->length - 1) < e->iova)
		return false;
	*last = e->iova + (e->length - 1);
	return true;
}

static bool ev_hits_reserved(const struct view_ioas *io,
			     const struct dt_event *e)
{
	unsigned int i;
	__u64 last;

	if (!io || !ev_range(e, &last))
		return false;
	for (i = 0; i < io->nr_resv; i++)
		if (iv_overlap(e->iova, last, io->resv[i].r.start,
			       io->resv[i].r.last))
			return true;
	return false;
}

/* Seed extension: with windows set, a range must lie inside one of them */
static bool ev_outside_seed_windows(const struct view_ioas *io,
				    const struct dt_event *e)
{
	unsigned int i;
	__u64 last;

	if (!io || !io->nr_windows)
		return false;
	if (!ev_range(e, &last))
		return true;
	for (i = 0; i < io->nr_windows; i++)
		if (io->windows[i].r.start <= e->iova &&
		    last <= io->windows[i].r.last)
			return false;
	return true;
}

/*
 * The flags rules of docs/ground-truth.md for an op that returned -EINVAL
 * (a -EOPNOTSUPP map or copy is bad_flags whatever its flags)
 */
static bool einval_bad_flags(const struct dt_event *e)
{
	switch (e->op) {
	case DT_OP_MAP:
	case DT_OP_COPY:
		return !(e->flags & IOAS_MAP_PROT);
	case DT_OP_TYPE1_MAP:
		return e->flags & ~T1_MAP_FLAGS;
	case DT_OP_TYPE1_UNMAP:
		return (e->flags & ~VFIO_DMA_UNMAP_FLAG_ALL) ||
		       ((e->flags & VFIO_DMA_UNMAP_FLAG_ALL) &&
			(e->iova || e->length));
	default:
		return false;
	}
}

/* map / copy / type1_map returned -EINVAL */
static int classify_map_einval(const struct view_ioas *io,
			       const struct dt_event *e)
{
	bool outside = ev_hits_reserved(io, e) || ev_outside_seed_windows(io, e);

	if (einval_bad_flags(e))
		return DT_VIOL_BAD_FLAGS;
	if (op_is_compat(e->op))
		return outside ? DT_VIOL_TYPE1_OUTSIDE : DT_VIOL_MISALIGNED;
	if (dt_op_iova_fixed(e->op, e->flags) && outside)
		return DT_VIOL_RESERVED;
	return DT_VIOL_MISALIGNED;
}

static int classify_map(const struct view_ioas *io, const struct dt_event *e)
{
	switch (e->ret) {
	case -EOPNOTSUPP:
		return op_is_compat(e->op) ? -1 : DT_VIOL_BAD_FLAGS;
	case -EINVAL:
		return classify_map_einval(io, e);
	case -EEXIST:
		return DT_VIOL_OVERLAP;
	case -ENOSPC:
		return DT_VIOL_EXHAUSTED;
	case -EOVERFLOW:
		return DT_VIOL_WRAP;
	default:
		return -1;
	}
}

static int classify_unmap(const struct view_ioas *io, const struct dt_event *e)
{
	switch (e->ret) {
	case -ENOENT:	/* on an IOAS that exists: nothing mapped there */
		return io && io->alive ? DT_VIOL_UNMAP_MISS : -1;
	case -EOVERFLOW:
		return DT_VIOL_WRAP;
	case -EINVAL:
		if (einval_bad_flags(e))
			return DT_VIOL_BAD_FLAGS;
		return DT_VIOL_MISALIGNED;
	default:
		return -1;
	}
}

/* The rules of docs/ground-truth.md, as tools/dmaload/truth.c applies them */
int view_classify(const struct dt_view *v, const struct dt_event *e)
{
	const struct view_ioas *io = view_ioas_find(v, e->tgid, e->ioas_id);

	if (e->type == DT_EV_OUTSIDE_ALLOWED)
		return DT_VIOL_OUTSIDE_ALLOWED;
	if (e->op < DT_OP_MAX && dt_op(e->op)->backend == DT_BACKEND_TYPE1)
		return view_classify_type1(e);
	if (e->type != DT_EV_OP_FAILED || e->ret >= 0)
		return -1;
	if (dt_op_kind(e->op) == DT_KIND_MAP)
		return classify_map(io, e);
	if (dt_op_kind(e->op) == DT_KIND_UNMAP)
		return classify_unmap(io, e);
	switch (e->op) {
	case DT_OP_ALLOW_IOVAS:
		return e->ret == -EADDRINUSE ? DT_VIOL_RESERVED : -1;
	case DT_OP_WINDOW_REQUEST:
		return e->ret == -ENOSPC ? DT_VIOL_EXHAUSTED : -1;
	default:
		return -1;
	}
}

/* Appends to a line buffer without ever overflowing it */
struct line {
	char *buf;
	size_t sz, off;
};

static void line_add(struct line *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void line_add(struct line *l, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (l->off >= l->sz)
		return;
	va_start(ap, fmt);
	n = vsnprintf(l->buf + l->off, l->sz - l->off, fmt, ap);
	va_end(ap);
	if (n > 0)
		l->off += (size_t)n;
}

static const char *hole_name(const struct dt_range *r)
{
	return r->start == MSI_START && r->last == MSI_LAST ? "MSI hole" :
							      "reserved hole";
}

static void fmt_duration(char *buf, size_t sz, __u64 ns)
{
	if (ns < 1000)
		snprintf(buf, sz, "%llu ns", (unsigned long long)ns);
	else if (ns < 1000000)
		snprintf(buf, sz, "%.1f us", ns / 1e3);
	else if (ns < 1000000000)
		snprintf(buf, sz, "%.1f ms", ns / 1e6);
	else
		snprintf(buf, sz, "%.1f s", ns / 1e9);
}

/* "ends 0x3000 past window [0x1000, 0x1fff]" and the like */
static void line_miss(struct line *l, const struct iv_set *win,
		      __u64 start, __u64 last, const char *what)
{
	struct iv_miss m;
	const struct dt_range *w;

	iv_miss(win, start, last, &m);
	if (m.rel == IV_NO_WINDOW) {
		line_add(l, "no %s known", what);
		return;
	}
	w = &win->r[m.idx];
	switch (m.rel) {
	case IV_INSIDE:
		line_add(l, "inside");
		break;
	case IV_STARTS_BEFORE:
		line_add(l, "starts 0x%llx before", (unsigned long long)m.before);
		break;
	case IV_ENDS_PAST:
		line_add(l, "ends 0x%llx past", (unsigned long long)m.past);
		break;
	case IV_SPANS:
		line_add(l, "starts 0x%llx before and ends 0x%llx past",
			 (unsigned long long)m.before,
			 (unsigned long long)m.past);
		break;
	case IV_BELOW:
		if (start == last)
			line_add(l, "lies 0x%llx below", (unsigned long long)m.gap);
		else
			line_add(l, "lies entirely below");
		break;
	default:	/* IV_ABOVE */
		if (start == last)
			line_add(l, "lies 0x%llx above", (unsigned long long)m.gap);
		else
			line_add(l, "lies entirely above");
		break;
	}
	line_add(l, " %s [0x%llx, 0x%llx]", what, (unsigned long long)w->start,
		 (unsigned long long)w->last);
	if (start != last && m.rel == IV_BELOW)
		line_add(l, ", starting 0x%llx before it", (unsigned long long)m.gap);
	if (start != last && m.rel == IV_ABOVE)
		line_add(l, ", ending 0x%llx past it", (unsigned long long)m.gap);
}

/* The reserved range [start, last] overlaps most, or NULL; *by = overlap */
static const struct dt_range *reserved_hit(const struct view_ioas *io,
					   __u64 start, __u64 last, __u64 *by)
{
	const struct dt_range *hit = NULL;
	unsigned int i;

	*by = 0;
	for (i = 0; io && i < io->nr_resv; i++) {
		__u64 ov = iv_overlap(start, last, io->resv[i].r.start,
				      io->resv[i].r.last);

		if (ov > *by) {
			*by = ov;
			hit = &io->resv[i].r;
		}
	}
	return hit;
}

static void line_reserved(struct line *l, const struct view_ioas *io,
			  const struct dt_event *e)
{
	const struct dt_range *hit = NULL, *req = NULL;
	unsigned int i, n = e->nr_ranges;
	__u64 last, by = 0;

	if (e->op == DT_OP_ALLOW_IOVAS) {
		for (i = 0; i < n && i < DT_EVENT_RANGES && !hit; i++) {
			req = &e->ranges[i];
			if (req->start <= req->last)
				hit = reserved_hit(io, req->start, req->last, &by);
		}
		if (hit)
			line_add(l, "allowed range [0x%llx, 0x%llx] ",
				 (unsigned long long)req->start,
				 (unsigned long long)req->last);
	} else if (ev_range(e, &last)) {
		hit = reserved_hit(io, e->iova, last, &by);
	}
	if (!hit) {
		line_add(l, "no reserved range overlaps");
		return;
	}
	line_add(l, "overlaps %s [0x%llx, 0x%llx] by 0x%llx", hole_name(hit),
		 (unsigned long long)hit->start, (unsigned long long)hit->last,
		 (unsigned long long)by);
}

/* Measure the request against the allowed ranges or the windows of io */
static void line_windows(struct line *l, const struct view_ioas *io,
			 const struct dt_event *e, bool allowed)
{
	struct iv_set win;
	__u64 last;

	iv_init(&win);
	if (!io)
		line_add(l, "IOAS %u not seen", e->ioas_id);
	else if (!ev_range(e, &last))
		line_add(l, "empty or wrapping range");
	else if (allowed)
		line_miss(l, &io->allowed, e->iova, last, "allowed range");
	else if (!view_ioas_windows(io, &win))
		line_miss(l, &win, e->iova, last, "window");
	iv_free(&win);
}

void view_window_miss(const struct view_ioas *io, const struct dt_event *e,
		      char *buf, size_t sz)
{
	struct line l = { buf, sz, 0 };

	buf[0] = '\0';
	line_windows(&l, io, e, false);
}

static void line_exhausted(struct line *l, const struct view_ioas *io,
			   const struct dt_event *e)
{
	char want[FMT_SIZE_MAX], have[FMT_SIZE_MAX];
	struct iv_set win;
	__u64 total = 0;
	unsigned int i;

	fmt_size(want, sizeof(want), e->length, 0);
	iv_init(&win);
	if (!io || view_ioas_windows(io, &win)) {
		line_add(l, "no room for %s", want);
	} else if (win.nr == 1) {
		line_add(l, "no room for %s in window [0x%llx, 0x%llx] (%s)",
			 want, (unsigned long long)win.r[0].start,
			 (unsigned long long)win.r[0].last,
			 fmt_range_size(have, sizeof(have), win.r[0].start,
					win.r[0].last));
	} else {
		for (i = 0; i < win.nr; i++)
			total += iv_size(win.r[i].start, win.r[i].last);
		line_add(l, "no room for %s in %u windows (%s in all)", want,
			 win.nr, fmt_size(have, sizeof(have), total, 0));
	}
	if (io && io->has_usage && !view_usage_wrapped(io))
		line_add(l, ", %s mapped", fmt_size(have, sizeof(have),
						    io->usage.mapped_bytes, 0));
	iv_free(&win);
}

/* The most recent unmap in the history of io covering [iova, last] */
static const struct view_unmap *unmap_find(const struct view_ioas *io,
					   __u64 iova, __u64 last)
{
	unsigned int i;

	if (!io)
		return NULL;
	for (i = 1; i <= io->nr_unmaps; i++) {
		const struct view_unmap *u = &io->unmaps[(io->unmap_next +
			VIEW_UNMAP_HISTORY - i) % VIEW_UNMAP_HISTORY];
		__u64 u_last = u->iova + (u->length - 1);

		if (u_last < u->iova)	/* clamp a wrapping report */
			u_last = IV_ULONG_MAX;
		if (u->length && iv_overlap(iova, last, u->iova, u_last))
			return u;
	}
	return NULL;
}

static void line_unmapped(struct line *l, const struct view_unmap *u,
			  __u64 now)
{
	char ago[32];

	if (!u) {
		line_add(l, "; not unmapped recently");
		return;
	}
	fmt_duration(ago, sizeof(ago), now >= u->ts_ns ? now - u->ts_ns : 0);
	line_add(l, "; unmapped %s ago by pid %u (%s) [0x%llx +0x%llx]", ago,
		 u->tgid, u->comm, (unsigned long long)u->iova,
		 (unsigned long long)u->length);
}

static void line_misaligned(struct line *l, const struct view_ioas *io,
			    const struct dt_event *e)
{
	__u64 both = e->iova | e->length;
	char size[FMT_SIZE_MAX];
	unsigned int i;

	if (!e->length) {
		line_add(l, "zero length");
		return;
	}
	line_add(l, "iova|length aligned only to 0x%llx",
		 (unsigned long long)(both & -both));
	for (i = 0; io && i < io->nr_windows; i++)
		if (io->windows[i].r.start <= e->iova &&
		    e->iova <= io->windows[i].r.last) {
			line_add(l, " (window pages %s)",
				 fmt_size(size, sizeof(size),
					  io->windows[i].page_size, 0));
			break;
		}
}

static void line_wrap(struct line *l, const struct dt_event *e)
{
	if (e->length && e->iova + e->length < e->iova)
		line_add(l, "iova + length wraps past 2^64 by 0x%llx",
			 (unsigned long long)(e->iova + e->length));
	else
		line_add(l, "iova or length >= ULONG_MAX");
}

/* " iova 0x.. len 0x.. (4 KiB) flags ..": what a range op asked for */
static void line_range_args(struct line *l, const struct dt_event *e)
{
	char flags[64], size[FMT_SIZE_MAX];

	if (dt_op_has_range(e->op) && !dt_op_iova_fixed(e->op, e->flags))
		line_add(l, " iova auto");
	else if (dt_op_has_range(e->op) || e->length)
		line_add(l, " iova 0x%llx", (unsigned long long)e->iova);
	if (dt_op_has_range(e->op) || e->length)
		line_add(l, " len 0x%llx (%s)", (unsigned long long)e->length,
			 fmt_size(size, sizeof(size), e->length, 0));
	if (op_is_iommufd_map(e->op))
		line_add(l, " flags %s", fmt_map_flags(flags, sizeof(flags),
						       e->flags));
	else if (e->flags)
		line_add(l, " flags 0x%x", e->flags);
}

static void line_request(struct line *l, const struct dt_event *e)
{
	char size[FMT_SIZE_MAX];
	unsigned int i;

	line_add(l, "%s ioas %u", dt_op_name(e->op), e->ioas_id);
	if (e->op == DT_OP_WINDOW_REQUEST) {
		line_add(l, " need 0x%llx (%s)", (unsigned long long)e->length,
			 fmt_size(size, sizeof(size), e->length, 0));
	} else if (e->op == DT_OP_ALLOW_IOVAS) {
		for (i = 0; i < e->nr_ranges && i < 3; i++)
			line_add(l, " [0x%llx, 0x%llx]",
				 (unsigned long long)e->ranges[i].start,
				 (unsigned long long)e->ranges[i].last);
		if (e->total_ranges > i)
			line_add(l, " +%u more", e->total_ranges - i);
	} else {
		line_range_args(l, e);
	}
	line_add(l, " pid %u (%.*s)", e->tgid, DT_COMM_LEN, e->comm);
}

void view_violation_line(const struct dt_view *v, const struct dt_event *e,
			 enum dt_violation kind, char *buf, size_t sz)
{
	const struct view_ioas *io = view_ioas_find(v, e->tgid, e->ioas_id);
	struct line l = { buf, sz, 0 };
	char err[FMT_ERR_MAX], fb[32];
	__u64 last;

	buf[0] = '\0';
	if (e->type == DT_EV_IOVA_LIST ||
	    (e->op < DT_OP_MAX && dt_op(e->op)->backend == DT_BACKEND_TYPE1)) {
		view_type1_line(v, io, e, kind, buf, sz);
		return;
	}
	line_add(&l, "VIOLATION %s: ", dt_violation_name(kind));
	line_request(&l, e);
	line_add(&l, " -> %s: ", e->ret ? fmt_errno(err, sizeof(err), e->ret) :
					  "accepted");
	switch (kind) {
	case DT_VIOL_OUTSIDE_ALLOWED:
		line_windows(&l, io, e, true);
		break;
	case DT_VIOL_TYPE1_OUTSIDE:
		if (ev_hits_reserved(io, e)) {
			line_reserved(&l, io, e);
			line_add(&l, "; ");
		}
		line_windows(&l, io, e, false);
		break;
	case DT_VIOL_RESERVED:
		if (ev_outside_seed_windows(io, e) && !ev_hits_reserved(io, e))
			line_windows(&l, io, e, false);
		else
			line_reserved(&l, io, e);
		break;
	case DT_VIOL_MISALIGNED:
		line_misaligned(&l, io, e);
		break;
	case DT_VIOL_WRAP:
		line_wrap(&l, e);
		break;
	case DT_VIOL_BAD_FLAGS:
		line_add(&l, "%s", flags_problem(e, fb, sizeof(fb)) ?:
			 "flags not supported");
		break;
	case DT_VIOL_OVERLAP:
		line_add(&l, "overlaps an existing mapping; ");
		line_windows(&l, io, e, false);
		break;
	case DT_VIOL_EXHAUSTED:
		line_exhausted(&l, io, e);
		break;
	case DT_VIOL_UNMAP_MISS:
		line_add(&l, "no mapped area covers the range exactly");
		if (ev_range(e, &last))
			line_unmapped(&l, unmap_find(io, e->iova, last),
				      e->ts_ns);
		break;
	default:
		break;
	}
}

/*
 * The mapped areas around the fault (kernel target, DT_EV_FAULT ranges):
 * "; inside area [a, b]" (a permission fault) or "; no area mapped: 0x1
 * past area [a, b], 0x.. before area [c, d]"
 */
static void line_fault_areas(struct line *l, const struct dt_event *e)
{
	const struct dt_range *below = &e->ranges[0], *above = &e->ranges[1];
	bool has_below = below->start <= below->last;
	bool has_above = above->start <= above->last;

	if (e->nr_ranges != 2)
		return;
	if (has_below && e->iova <= below->last) {
		line_add(l, "; inside area [0x%llx, 0x%llx]",
			 (unsigned long long)below->start,
			 (unsigned long long)below->last);
		return;
	}
	line_add(l, "; no area mapped");
	if (has_below)
		line_add(l, ": 0x%llx past area [0x%llx, 0x%llx]",
			 (unsigned long long)(e->iova - below->last),
			 (unsigned long long)below->start,
			 (unsigned long long)below->last);
	if (has_above)
		line_add(l, "%s0x%llx before area [0x%llx, 0x%llx]",
			 has_below ? ", " : ": ",
			 (unsigned long long)(above->start - e->iova),
			 (unsigned long long)above->start,
			 (unsigned long long)above->last);
	if (!has_below && !has_above)
		line_add(l, " in the IOAS");
}

/*
 * The IOAS a fault is in: its device's owner's, or, owner unknown (tgid 0),
 * the one IOAS of that id; NULL when no process or several have that id.
 */
static const struct view_ioas *fault_ioas(const struct dt_view *v,
					  const struct dt_event *e)
{
	const struct view_ioas *io = NULL;
	unsigned int i;

	if (e->tgid)
		return view_ioas_find(v, e->tgid, e->ioas_id);
	for (i = 0; i < v->nr_ioas; i++) {
		if (v->ioas[i]->id != e->ioas_id)
			continue;
		if (io)
			return NULL;
		io = v->ioas[i];
	}
	return io;
}

/* No IOAS known for the fault: say why; search every unmap history */
static const struct view_unmap *line_fault_no_ioas(struct line *l,
						   const struct dt_view *v,
						   const struct dt_event *e)
{
	const struct view_unmap *u = NULL;
	unsigned int i;

	if (!e->ioas_id)
		line_add(l, " ioas unknown: no window known");
	else if (!e->tgid && view_multi_process(v))
		line_add(l, " %s %u of an unknown process: no window known",
			 view_is_container(e->ioas_id) ? "container" : "ioas",
			 view_user_id(e->ioas_id));
	else
		line_add(l, " %s not seen: no window known",
			 view_is_container(e->ioas_id) ? "container" : "ioas");
	for (i = 0; i < v->nr_ioas && !u; i++)
		u = unmap_find(v->ioas[i], e->iova, e->iova);
	return u;
}

void view_fault_line(const struct dt_view *v, const struct dt_event *e,
		     char *buf, size_t sz)
{
	const struct view_ioas *io = fault_ioas(v, e);
	const struct view_unmap *u;
	struct line l = { buf, sz, 0 };
	char name[VIEW_IOAS_NAME_MAX];
	struct iv_set win;

	buf[0] = '\0';
	line_add(&l, "FAULT iova 0x%llx", (unsigned long long)e->iova);
	iv_init(&win);
	if (!io) {
		u = line_fault_no_ioas(&l, v, e);
	} else {
		line_add(&l, " %s %s: ", view_is_container(io->id) ?
			 "container" : "ioas",
			 view_ioas_name(v, io, name, sizeof(name)));
		if (!view_ioas_windows(io, &win))
			line_miss(&l, &win, e->iova, e->iova, "window");
		u = unmap_find(io, e->iova, e->iova);
	}
	iv_free(&win);
	line_fault_areas(&l, e);
	line_unmapped(&l, u, e->ts_ns);
}
