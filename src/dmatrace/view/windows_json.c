// SPDX-License-Identifier: GPL-2.0
/* IOVA windows per IOAS as JSON: the record's "windows" array */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/json.h"
#include "view_priv.h"

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

/* A type1 container: its groups and what its driver says */
static void json_container(struct json_writer *w, const struct view_ioas *io)
{
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

/* The windows, each with the bytes of areas inside it when known */
static void json_window_list(struct json_writer *w, const struct iv_set *win,
			     const struct view_occupancy *oc)
{
	unsigned int i;

	json_key(w, "windows");
	json_array_begin(w);
	for (i = 0; i < win->nr; i++) {
		json_object_begin(w);
		json_key(w, "start");
		json_hex(w, win->r[i].start);
		json_key(w, "last");
		json_hex(w, win->r[i].last);
		json_key(w, "size");
		json_range_size(w, &win->r[i]);
		if (oc->known) {
			json_key(w, "used_bytes");
			json_u64(w, oc->win_bytes[i]);
		}
		json_object_end(w);
	}
	json_array_end(w);
}

/*
 * "outside_windows": the areas not wholly inside the windows, or, when
 * the area list is not complete, "occupancy_unknown": why
 */
static void json_outside(struct json_writer *w, const struct view_occupancy *oc)
{
	unsigned int i;

	if (!oc->known) {
		json_key(w, "occupancy_unknown");
		json_string(w, oc->why);
		return;
	}
	json_key(w, "outside_windows");
	json_object_begin(w);
	json_key(w, "areas");
	json_u64(w, oc->outside_areas);
	json_key(w, "bytes");
	json_u64(w, oc->outside_bytes);
	json_key(w, "examples");
	json_array_begin(w);
	for (i = 0; i < oc->nr_examples; i++) {
		json_object_begin(w);
		json_key(w, "iova");
		json_hex(w, oc->examples[i].start);
		json_key(w, "length");
		json_hex(w, iv_size(oc->examples[i].start, oc->examples[i].last));
		json_object_end(w);
	}
	json_array_end(w);
	json_object_end(w);
}

static void json_reserved_list(struct json_writer *w,
			       const struct view_ioas *io,
			       const struct view_reserved *resv)
{
	unsigned int i;

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
		json_key(w, "owner_kind");
		json_string(w, view_owner_kind(io, resv[i].owner));
		json_key(w, "owner_index");
		json_u64(w, view_owner_index(io, resv[i].owner));
		json_object_end(w);
	}
	json_array_end(w);
}

static void json_ioas_body(struct json_writer *w, const struct view_ioas *io,
			   const struct iv_set *win,
			   const struct view_reserved *resv,
			   const struct view_occupancy *oc)
{
	unsigned int i;

	/* the client, by pid and comm, in every record */
	json_key(w, "pid");
	json_u64(w, io->tgid);
	json_key(w, "comm");
	json_string(w, io->comm);
	json_key(w, "id");
	json_u64(w, view_user_id(io->id));
	json_key(w, "snapshot");	/* held at start: read from the kernel */
	json_bool(w, io->snapshot);
	if (view_is_container(io->id))
		json_container(w, io);
	json_key(w, "alive");
	json_bool(w, io->alive);
	if (io->has_usage && view_usage_wrapped(io)) {
		json_key(w, "usage_wrapped");
		json_bool(w, true);
	} else if (io->has_usage) {
		json_key(w, "mapped_bytes");
		json_u64(w, io->usage.mapped_bytes);
		json_key(w, "areas");
		json_u64(w, view_ioas_areas(io));
	}
	json_mappings(w, io);
	json_key(w, "source");
	json_string(w, view_windows_source(io));
	json_window_list(w, win, oc);
	json_outside(w, oc);
	json_key(w, "allowed");
	json_array_begin(w);
	for (i = 0; i < io->allowed.nr; i++)
		json_range_pair(w, &io->allowed.r[i]);
	json_array_end(w);
	json_key(w, "allowed_truncated");
	json_bool(w, io->allowed_truncated);
	json_reserved_list(w, io, resv);
}

static int json_ioas(struct json_writer *w, const struct dt_view *v,
		     const struct view_ioas *io)
{
	struct view_layout l;
	int err;

	err = view_layout_get(io, &l);
	if (err)
		return err;
	json_object_begin(w);
	json_ioas_body(w, io, &l.win, l.resv, &l.oc);
	if (view_lower_bounds(v) & VIEW_LB_WINDOWS) {
		json_key(w, "lower_bound");
		json_bool(w, true);
	}
	json_object_end(w);
	view_layout_put(&l);
	return 0;
}

int view_json_windows(const struct dt_view *v, struct json_writer *w)
{
	unsigned int i;
	int err = 0;

	json_array_begin(w);
	for (i = 0; i < v->nr_ioas && !err; i++)
		err = json_ioas(w, v, v->ioas[i]);
	json_array_end(w);
	return err;
}
