// SPDX-License-Identifier: GPL-2.0
/*
 * Occupancy of an IOAS's windows: each window is credited with the bytes
 * of the live areas that lie inside it, and the areas (or parts) outside
 * every window are counted apart, with a few examples. The figures hold
 * only when the area list is complete; else the reason is kept instead.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "view_priv.h"

/* Sum of the listed areas' lengths */
static __u64 listed_bytes(const struct view_ioas *io)
{
	__u64 sum = 0;
	unsigned int i;

	for (i = 0; i < io->nr_maps; i++)
		sum += iv_size(io->maps[i].start, io->maps[i].last);
	return sum;
}

/* Is the area list the whole of the usage? If not, why not, in oc->why */
static bool list_complete(const struct view_ioas *io,
			  struct view_occupancy *oc)
{
	char a[FMT_SIZE_MAX], b[FMT_SIZE_MAX];
	__u64 areas = view_ioas_areas(io), bytes;

	if (!io->has_usage) {
		snprintf(oc->why, sizeof(oc->why), "usage not traced");
		return false;
	}
	if (view_usage_wrapped(io)) {
		snprintf(oc->why, sizeof(oc->why),
			 "the usage wrapped: maps made before tracing were unmapped");
		return false;
	}
	if (io->maps_unlisted || io->nr_maps != areas) {
		snprintf(oc->why, sizeof(oc->why),
			 "%u of %llu areas listed", io->nr_maps,
			 (unsigned long long)areas);
		return false;
	}
	bytes = listed_bytes(io);
	if (bytes != io->usage.mapped_bytes) {
		snprintf(oc->why, sizeof(oc->why),
			 "the areas listed hold %s, the usage counts %s",
			 fmt_size(a, sizeof(a), bytes, 0),
			 fmt_size(b, sizeof(b), io->usage.mapped_bytes, 0));
		return false;
	}
	return true;
}

/* Credit one area to the windows it meets; the rest of it is outside */
static void credit_area(const struct dt_range *r, const struct iv_set *win,
			struct view_occupancy *oc)
{
	__u64 size = iv_size(r->start, r->last), inside = 0, n;
	unsigned int i;

	for (i = 0; i < win->nr; i++) {
		n = iv_overlap(r->start, r->last, win->r[i].start,
			       win->r[i].last);
		oc->win_bytes[i] += n;
		oc->inside_bytes += n;
		inside += n;
	}
	if (inside == size)
		return;
	oc->outside_areas++;
	oc->outside_bytes += size - inside;
	if (oc->nr_examples < VIEW_OUTSIDE_EXAMPLES)
		oc->examples[oc->nr_examples++] = *r;
}

int view_occupancy(const struct view_ioas *io, const struct iv_set *win,
		   struct view_occupancy *oc)
{
	unsigned int i;

	memset(oc, 0, sizeof(*oc));
	oc->win_bytes = calloc(win->nr + 1, sizeof(*oc->win_bytes));
	if (!oc->win_bytes)
		return -ENOMEM;
	oc->known = list_complete(io, oc);
	if (!oc->known)
		return 0;
	for (i = 0; i < io->nr_maps; i++)
		credit_area(&io->maps[i], win, oc);
	return 0;
}

void view_occupancy_free(struct view_occupancy *oc)
{
	free(oc->win_bytes);
	oc->win_bytes = NULL;
}
