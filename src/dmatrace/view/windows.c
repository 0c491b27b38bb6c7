// SPDX-License-Identifier: GPL-2.0
/* IOVA windows per IOAS: text (windows, holes, occupancy); JSON: windows_json.c */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "view_priv.h"

#define BAR_WIDTH	40

__u64 view_ioas_areas(const struct view_ioas *io)
{
	return io->usage.maps - io->usage.unmaps;
}

bool view_usage_wrapped(const struct view_ioas *io)
{
	return io->usage.unmaps > io->usage.maps ||
	       (__s64)io->usage.mapped_bytes < 0;
}

const char *view_windows_source(const struct view_ioas *io)
{
	if (view_is_container(io->id))
		return io->has_report ? "iova_list" : "all (iova_list not seen)";
	if (io->nr_windows)
		return "seed-windows";
	if (io->has_report && io->report_fresh)
		return "iova_ranges";
	return io->allowed.nr ? "allowed-reserved" : "all-reserved";
}

/* What the windows shown are, in words (text; JSON keeps the token) */
static const char *source_text(const struct view_ioas *io)
{
	const char *src = view_windows_source(io);

	if (view_is_container(io->id))
		return io->has_report ?
		       "the container's iova_list (aperture minus the groups' reserved regions)" :
		       "all of the IOVA space (the container's iova_list not seen yet)";
	if (!strcmp(src, "seed-windows"))
		return "the seed extension's windows minus reserved holes";
	if (!strcmp(src, "iova_ranges"))
		return "as IOMMU_IOAS_IOVA_RANGES last reported them";
	if (!strcmp(src, "allowed-reserved"))
		return "the allowed ranges (IOMMU_IOAS_ALLOW_IOVAS) minus reserved holes";
	return "all of the IOVA space minus reserved holes (no allowed ranges set)";
}

/*
 * Who reserved a hole, as the kernel's iopt_reserve_iova() owners allow:
 * iopt_table_add_domain() reserves what lies outside a domain's aperture
 * with the domain as owner (so an owner with a range at either end of the
 * space is a domain), iopt_table_enforce_dev_resv_regions() a device's
 * regions (sw_msi too) with the device, the selftest's ADD_RESERVED with
 * no owner. Owners are numbered in the order the IOAS first saw them.
 */
const char *view_owner_kind(const struct view_ioas *io, __u64 owner)
{
	unsigned int i;

	if (!owner)
		return "none";
	for (i = 0; i < io->nr_resv; i++)
		if (io->resv[i].owner == owner &&
		    (!io->resv[i].r.start || io->resv[i].r.last == IV_ULONG_MAX))
			return "domain";
	return "device";
}

unsigned int view_owner_index(const struct view_ioas *io, __u64 owner)
{
	unsigned int i, j, n = 0;

	for (i = 0; i < io->nr_resv; i++) {
		if (!io->resv[i].owner)
			continue;
		for (j = 0; j < i && io->resv[j].owner != io->resv[i].owner; j++)
			;
		n += j == i;
		if (io->resv[i].owner == owner)
			return n;
	}
	return 0;
}

static void print_owner(FILE *out, const struct view_ioas *io,
			const struct view_reserved *r)
{
	const char *kind = view_owner_kind(io, r->owner);

	if (r->r.start == 0xfee00000ULL && r->r.last == 0xfeefffffULL)
		fputs(" MSI,", out);
	if (!r->owner)
		fputs(" reserved by the selftest ADD_RESERVED op (no owner)", out);
	else if (!strcmp(kind, "domain"))
		fprintf(out, " outside the aperture of domain #%u",
			view_owner_index(io, r->owner));
	else
		fprintf(out, " reserved by device #%u", view_owner_index(io, r->owner));
}

static int resv_cmp(const void *a, const void *b)
{
	const struct view_reserved *x = a, *y = b;

	if (x->r.start != y->r.start)
		return x->r.start < y->r.start ? -1 : 1;
	return x->r.last < y->r.last ? -1 : x->r.last > y->r.last;
}

/* Reserved entries of io sorted by start (caller frees) */
static struct view_reserved *resv_sorted(const struct view_ioas *io)
{
	struct view_reserved *r = malloc((io->nr_resv + 1) * sizeof(*r));

	if (!r)
		return NULL;
	if (io->nr_resv)
		memcpy(r, io->resv, io->nr_resv * sizeof(*r));
	qsort(r, io->nr_resv, sizeof(*r), resv_cmp);
	return r;
}

static void print_bar(FILE *out, __u64 used, __u64 total)
{
	double frac = total ? (double)used / (double)total : 0.0;
	int n = (int)(frac * BAR_WIDTH), i;

	if (frac > 1.0)
		n = BAR_WIDTH;
	if (used && !n)
		n = 1;
	fputc('|', out);
	for (i = 0; i < BAR_WIDTH; i++)
		fputc(i < n ? '#' : ' ', out);
	fprintf(out, "| %.2f%%", frac * 100.0);
}

static void print_range(FILE *out, const char *what, const struct dt_range *r)
{
	char size[FMT_SIZE_MAX];

	fprintf(out, "  %-6s [0x%llx, 0x%llx] size ", what,
		(unsigned long long)r->start, (unsigned long long)r->last);
	if (!r->start && r->last == IV_ULONG_MAX)
		fputs("0x10000000000000000", out);
	else
		fprintf(out, "0x%llx", (unsigned long long)iv_size(r->start,
								   r->last));
	fprintf(out, " (%s)", fmt_range_size(size, sizeof(size), r->start,
					     r->last));
}

/* Page size of the seed window a range starts in, when there is one */
static void print_page_size(FILE *out, const struct view_ioas *io,
			    const struct dt_range *r)
{
	char size[FMT_SIZE_MAX];
	unsigned int i;

	for (i = 0; i < io->nr_windows; i++) {
		if (io->windows[i].r.start <= r->start &&
		    r->start <= io->windows[i].r.last) {
			fprintf(out, " pages %s", fmt_size(size, sizeof(size),
						io->windows[i].page_size, 0));
			return;
		}
	}
}

/* A type1 container: what its driver says of entries, page sizes, memlock */
static void print_container(const struct view_ioas *io, FILE *out)
{
	const struct dt_ioas_usage *u = &io->usage;

	if (io->seen_late)
		fprintf(out, "  set up before tracing started: its earlier mappings and groups are not counted here (dma_avail is the driver's own)\n");
	if (io->snapshot)
		fprintf(out, "  held when tracing started: its mappings and groups then were read from the driver (snapshot), traced changes on top\n");
	if (!(u->t1flags & DT_T1_KNOWN)) {
		fprintf(out, "  driver state not read (no op traced)\n");
		return;
	}
	fprintf(out, "  %s, %d groups, pgsizes 0x%llx; dma entries: ",
		u->t1flags & DT_T1_V2 ? "v2" : "v1", io->groups,
		(unsigned long long)u->pgsize_bitmap);
	if (view_usage_wrapped(io))
		fputs("mapped not known", out);
	else
		fprintf(out, "%llu mapped", (unsigned long long)view_ioas_areas(io));
	fprintf(out, ", %u more before dma_entry_limit\n", u->dma_avail);
	if (!(u->t1flags & DT_T1_MEMLOCK))
		fprintf(out, "  pinned pages against RLIMIT_MEMLOCK: not read on this target\n");
	else if (u->memlock_pages == ~0ULL)
		fprintf(out, "  locked_vm %llu pages, RLIMIT_MEMLOCK unlimited\n",
			(unsigned long long)u->locked_pages);
	else
		fprintf(out, "  locked_vm %llu of RLIMIT_MEMLOCK %llu pages\n",
			(unsigned long long)u->locked_pages,
			(unsigned long long)u->memlock_pages);
}

/* "  used X |bar| p%" of one window, when the occupancy is known */
static void print_window(FILE *out, const struct view_ioas *io,
			 const struct dt_range *r,
			 const struct view_occupancy *oc, unsigned int i)
{
	char used[FMT_SIZE_MAX];

	print_range(out, "window", r);
	print_page_size(out, io, r);
	if (oc->known) {
		fprintf(out, "  used %s ", fmt_size(used, sizeof(used),
						     oc->win_bytes[i], 0));
		print_bar(out, oc->win_bytes[i], iv_size(r->start, r->last));
	}
	fputc('\n', out);
}

static void print_hole(FILE *out, const struct view_ioas *io,
		       const struct view_reserved *r)
{
	print_range(out, "hole", &r->r);
	print_owner(out, io, r);
	fputc('\n', out);
}

/* Windows and holes in address order */
static void print_layout(FILE *out, const struct view_ioas *io,
			 const struct iv_set *win,
			 const struct view_reserved *resv,
			 const struct view_occupancy *oc)
{
	unsigned int i = 0, j = 0;

	while (i < win->nr || j < io->nr_resv) {
		if (j < io->nr_resv &&
		    (i == win->nr || resv[j].r.start < win->r[i].start)) {
			print_hole(out, io, &resv[j++]);
		} else {
			print_window(out, io, &win->r[i], oc, i);
			i++;
		}
	}
	if (!win->nr)
		fprintf(out, "  no window: every IOVA is reserved\n");
}

/* Total use over several windows, what lies outside them, or why unknown */
static void print_occupancy(FILE *out, const struct view_ioas *io,
			    const struct iv_set *win,
			    const struct view_occupancy *oc)
{
	char a[FMT_SIZE_MAX], b[FMT_SIZE_MAX];
	__u64 total = 0;
	unsigned int i;
	int full = 0;

	if (!io->has_usage)
		return;
	if (!oc->known) {
		fprintf(out, "  used per window: not known (%s)\n", oc->why);
		return;
	}
	for (i = 0; i < win->nr; i++) {
		total += iv_size(win->r[i].start, win->r[i].last);
		full |= !win->r[i].start && win->r[i].last == IV_ULONG_MAX;
	}
	if (win->nr > 1) {
		fprintf(out, "  used %s of %s ",
			fmt_size(a, sizeof(a), oc->inside_bytes, 0),
			fmt_size(b, sizeof(b), total, full));
		print_bar(out, oc->inside_bytes, total);
		fputc('\n', out);
	}
	if (!oc->outside_areas)
		return;
	fprintf(out, "  outside windows: %llu %s, %s:",
		(unsigned long long)oc->outside_areas,
		oc->outside_areas == 1 ? "area" : "areas",
		fmt_size(a, sizeof(a), oc->outside_bytes, 0));
	for (i = 0; i < oc->nr_examples; i++)
		fprintf(out, "%s [0x%llx, 0x%llx]", i ? "," : "",
			(unsigned long long)oc->examples[i].start,
			(unsigned long long)oc->examples[i].last);
	if (oc->outside_areas > oc->nr_examples)
		fprintf(out, " and %llu more",
			(unsigned long long)(oc->outside_areas - oc->nr_examples));
	fputc('\n', out);
}

static void print_header(FILE *out, const struct dt_view *v,
			 const struct view_ioas *io)
{
	char used[FMT_SIZE_MAX], name[VIEW_IOAS_NAME_MAX];

	fprintf(out, "%s %s%s: ", view_ioas_kind(io->id),
		view_ioas_name(v, io, name, sizeof(name)),
		io->alive ? "" : " (destroyed)");
	if (io->has_usage && view_usage_wrapped(io))
		fprintf(out, "mapped: not known (more unmapped than mapped since tracing started: its maps predate the trace)");
	else if (io->has_usage)
		fprintf(out, "mapped %s in %llu %s%s",
			fmt_size(used, sizeof(used), io->usage.mapped_bytes, 0),
			(unsigned long long)view_ioas_areas(io),
			view_is_container(io->id) ? "mappings" : "areas",
			view_lower_bounds(v) & VIEW_LB_WINDOWS ?
			" (lower bound: see above)" : "");
	else
		fprintf(out, "usage not traced");
	fprintf(out, "; windows: %s%s%s\n", source_text(io),
		io->allowed_truncated ? " (allowed list truncated)" : "",
		io->report_fresh && io->report_truncated ?
		" (report truncated)" : "");
}

int view_layout_get(const struct view_ioas *io, struct view_layout *l)
{
	int err;

	memset(l, 0, sizeof(*l));
	iv_init(&l->win);
	err = view_ioas_windows(io, &l->win);
	if (err)
		goto fail;
	err = -ENOMEM;
	l->resv = resv_sorted(io);
	if (!l->resv)
		goto fail;
	err = view_occupancy(io, &l->win, &l->oc);
	if (err)
		goto fail;
	return 0;
fail:
	view_layout_put(l);
	return err;
}

void view_layout_put(struct view_layout *l)
{
	view_occupancy_free(&l->oc);
	free(l->resv);
	l->resv = NULL;
	iv_free(&l->win);
}

static int print_ioas(const struct dt_view *v, const struct view_ioas *io,
		      FILE *out)
{
	struct view_layout l;
	int err;

	err = view_layout_get(io, &l);
	if (err)
		return err;
	print_header(out, v, io);
	print_layout(out, io, &l.win, l.resv, &l.oc);
	print_occupancy(out, io, &l.win, &l.oc);
	if (view_is_container(io->id))
		print_container(io, out);
	view_layout_put(&l);
	return 0;
}

int view_print_windows(const struct dt_view *v, FILE *out)
{
	unsigned int i;
	int err;

	/* the usage and areas below miss these: said before them */
	view_print_losses(v, VIEW_LB_WINDOWS, "", out);
	for (i = 0; i < v->nr_ioas; i++) {
		err = print_ioas(v, v->ioas[i], out);
		if (err)
			return err;
	}
	return 0;
}

