// SPDX-License-Identifier: GPL-2.0
/* IOVA windows per IOAS: text (windows, holes, occupancy) and JSON */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "common/json.h"
#include "fmt.h"
#include "view_priv.h"

#define BAR_WIDTH	40

__u64 view_ioas_areas(const struct view_ioas *io)
{
	return io->usage.maps - io->usage.unmaps;
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

/* Its live areas in IOVA order (view_add_area keeps them sorted) */
static void json_mappings(struct json_writer *w, const struct view_ioas *io)
{
	unsigned int i;

	json_key(w, "mappings");
	json_array_begin(w);
	for (i = 0; i < io->nr_maps; i++) {
		json_object_begin(w);
		json_key(w, "iova");
		json_hex(w, io->maps[i].start);
		json_key(w, "length");
		json_hex(w, io->maps[i].last - io->maps[i].start + 1);
		json_object_end(w);
	}
	json_array_end(w);
	json_key(w, "mappings_unlisted");
	json_u64(w, io->maps_unlisted);
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
	fprintf(out, "  %s, %d groups, pgsizes 0x%llx; dma entries: %llu mapped, %u more before dma_entry_limit\n",
		u->t1flags & DT_T1_V2 ? "v2" : "v1", io->groups,
		(unsigned long long)u->pgsize_bitmap,
		(unsigned long long)view_ioas_areas(io), u->dma_avail);
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

static int print_ioas(const struct dt_view *v, const struct view_ioas *io,
		      FILE *out)
{
	char used[FMT_SIZE_MAX], total[FMT_SIZE_MAX];
	char name[VIEW_IOAS_NAME_MAX];
	struct view_reserved *resv;
	struct iv_set win;
	unsigned int i, j = 0;
	__u64 win_bytes = 0;
	int err, full = 0;

	iv_init(&win);
	err = view_ioas_windows(io, &win);
	resv = err ? NULL : resv_sorted(io);
	if (!resv) {
		iv_free(&win);
		return err ?: -ENOMEM;
	}
	fprintf(out, "%s %s%s: ", view_ioas_kind(io->id),
		view_ioas_name(v, io, name, sizeof(name)),
		io->alive ? "" : " (destroyed)");
	if (io->has_usage)
		fprintf(out, "mapped %s in %llu %s",
			fmt_size(used, sizeof(used), io->usage.mapped_bytes, 0),
			(unsigned long long)view_ioas_areas(io),
			view_is_container(io->id) ? "mappings" : "areas");
	else
		fprintf(out, "usage not traced");
	fprintf(out, "; windows from %s%s%s\n", view_windows_source(io),
		io->allowed_truncated ? " (allowed list truncated)" : "",
		io->report_fresh && io->report_truncated ?
		" (report truncated)" : "");
	/* windows and holes in address order */
	for (i = 0; i < win.nr || j < io->nr_resv;) {
		if (j < io->nr_resv &&
		    (i == win.nr || resv[j].r.start < win.r[i].start)) {
			print_range(out, "hole", &resv[j].r);
			fprintf(out, " %sowner 0x%llx\n",
				resv[j].r.start == 0xfee00000ULL &&
				resv[j].r.last == 0xfeefffffULL ? "MSI, " : "",
				(unsigned long long)resv[j].owner);
			j++;
			continue;
		}
		print_range(out, "window", &win.r[i]);
		print_page_size(out, io, &win.r[i]);
		if (win.nr == 1 && io->has_usage) {
			fprintf(out, "  used %s ", fmt_size(used, sizeof(used),
					io->usage.mapped_bytes, 0));
			print_bar(out, io->usage.mapped_bytes,
				  iv_size(win.r[i].start, win.r[i].last));
		}
		fputc('\n', out);
		if (!win.r[i].start && win.r[i].last == IV_ULONG_MAX)
			full = 1;
		win_bytes += iv_size(win.r[i].start, win.r[i].last);
		i++;
	}
	if (!win.nr)
		fprintf(out, "  no window: every IOVA is reserved\n");
	if (win.nr > 1 && io->has_usage) {
		fprintf(out, "  used %s of %s ",
			fmt_size(used, sizeof(used), io->usage.mapped_bytes, 0),
			fmt_size(total, sizeof(total), win_bytes, full));
		print_bar(out, io->usage.mapped_bytes, win_bytes);
		fputc('\n', out);
	}
	if (view_is_container(io->id))
		print_container(io, out);
	free(resv);
	iv_free(&win);
	return 0;
}

int view_print_windows(const struct dt_view *v, FILE *out)
{
	unsigned int i;
	int err;

	for (i = 0; i < v->nr_ioas; i++) {
		err = print_ioas(v, v->ioas[i], out);
		if (err)
			return err;
	}
	return 0;
}

static void json_range_pair(struct json_writer *w, const struct dt_range *r)
{
	json_array_begin(w);
	json_hex(w, r->start);
	json_hex(w, r->last);
	json_array_end(w);
}

/* "size" of [start, last] as a hex string; 2^64 does not fit a __u64 */
static void json_range_size(struct json_writer *w, const struct dt_range *r)
{
	if (!r->start && r->last == IV_ULONG_MAX)
		json_string(w, "0x10000000000000000");
	else
		json_hex(w, iv_size(r->start, r->last));
}

static int json_ioas(struct json_writer *w, const struct view_ioas *io)
{
	struct view_reserved *resv;
	struct iv_set win;
	unsigned int i;
	int err;

	iv_init(&win);
	err = view_ioas_windows(io, &win);
	resv = err ? NULL : resv_sorted(io);
	if (!resv) {
		iv_free(&win);
		return err ?: -ENOMEM;
	}
	json_object_begin(w);
	/* the client, by pid and comm, in every record */
	json_key(w, "pid");
	json_u64(w, io->tgid);
	json_key(w, "comm");
	json_string(w, io->comm);
	json_key(w, "id");
	json_u64(w, view_user_id(io->id));
	json_key(w, "snapshot");	/* held at start: read from the kernel */
	json_bool(w, io->snapshot);
	if (view_is_container(io->id)) {
		json_key(w, "container");
		json_bool(w, true);
		json_key(w, "groups");
		json_s64(w, io->groups);
		json_key(w, "seen_from_setup");
		json_bool(w, !io->seen_late && !io->snapshot);
		if (io->usage.t1flags & DT_T1_KNOWN) {
			json_key(w, "v2");
			json_bool(w, io->usage.t1flags & DT_T1_V2);
			json_key(w, "pgsize_bitmap");
			json_hex(w, io->usage.pgsize_bitmap);
			json_key(w, "dma_avail");
			json_u64(w, io->usage.dma_avail);
		}
		if (io->usage.t1flags & DT_T1_MEMLOCK) {
			json_key(w, "locked_pages");
			json_u64(w, io->usage.locked_pages);
			json_key(w, "memlock_pages");
			if (io->usage.memlock_pages == ~0ULL)
				json_string(w, "unlimited");
			else
				json_u64(w, io->usage.memlock_pages);
		}
	}
	json_key(w, "alive");
	json_bool(w, io->alive);
	if (io->has_usage) {
		json_key(w, "mapped_bytes");
		json_u64(w, io->usage.mapped_bytes);
		json_key(w, "areas");
		json_u64(w, view_ioas_areas(io));
	}
	json_mappings(w, io);
	json_key(w, "source");
	json_string(w, view_windows_source(io));
	json_key(w, "windows");
	json_array_begin(w);
	for (i = 0; i < win.nr; i++) {
		json_object_begin(w);
		json_key(w, "start");
		json_hex(w, win.r[i].start);
		json_key(w, "last");
		json_hex(w, win.r[i].last);
		json_key(w, "size");
		json_range_size(w, &win.r[i]);
		json_object_end(w);
	}
	json_array_end(w);
	json_key(w, "allowed");
	json_array_begin(w);
	for (i = 0; i < io->allowed.nr; i++)
		json_range_pair(w, &io->allowed.r[i]);
	json_array_end(w);
	json_key(w, "allowed_truncated");
	json_bool(w, io->allowed_truncated);
	json_key(w, "reserved");
	json_array_begin(w);
	for (i = 0; i < io->nr_resv; i++) {
		json_object_begin(w);
		json_key(w, "start");
		json_hex(w, resv[i].r.start);
		json_key(w, "last");
		json_hex(w, resv[i].r.last);
		json_key(w, "owner");
		json_hex(w, resv[i].owner);
		json_object_end(w);
	}
	json_array_end(w);
	json_object_end(w);
	free(resv);
	iv_free(&win);
	return 0;
}

int view_json_windows(const struct dt_view *v, struct json_writer *w)
{
	unsigned int i;
	int err = 0;

	json_array_begin(w);
	for (i = 0; i < v->nr_ioas && !err; i++)
		err = json_ioas(w, v->ioas[i]);
	json_array_end(w);
	return err;
}
