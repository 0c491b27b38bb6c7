// SPDX-License-Identifier: GPL-2.0
/* Latency histograms merged along the dimensions asked for; text output */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "lathist.h"
#include "view_priv.h"

static int lat_key_cmp(const void *a, const void *b)
{
	const struct dt_lat_key *x = &((const struct view_lat *)a)->key;
	const struct dt_lat_key *y = &((const struct view_lat *)b)->key;
	const __u32 kx[] = { x->op, x->err, x->size_log2, x->ioas_id, x->tgid };
	const __u32 ky[] = { y->op, y->err, y->size_log2, y->ioas_id, y->tgid };
	unsigned int i;

	for (i = 0; i < sizeof(kx) / sizeof(kx[0]); i++)
		if (kx[i] != ky[i])
			return kx[i] < ky[i] ? -1 : 1;
	return 0;
}

int view_merged_lats(const struct dt_view *v, unsigned int split,
		     struct view_lat **out, unsigned int *nr)
{
	struct view_lat *m;
	unsigned int i, n = 0;

	*out = NULL;
	*nr = 0;
	if (!v->nr_lats)
		return 0;
	m = calloc(v->nr_lats, sizeof(*m));
	if (!m)
		return -ENOMEM;
	for (i = 0; i < v->nr_lats; i++) {
		struct dt_lat_key *k = &m[i].key;

		m[i] = v->lats[i];
		if (!(split & VIEW_SPLIT_RET))
			k->err = 0;
		if (!(split & VIEW_SPLIT_SIZE))
			k->size_log2 = 0;
		if (!(split & VIEW_SPLIT_IOAS))
			k->ioas_id = 0;
		if (!(split & VIEW_SPLIT_PID))
			k->tgid = 0;
	}
	qsort(m, v->nr_lats, sizeof(*m), lat_key_cmp);
	for (i = 0; i < v->nr_lats; i++) {
		if (n && !lat_key_cmp(&m[n - 1], &m[i])) {
			lh_merge(&m[n - 1].h, &m[i].h);
			continue;
		}
		m[n++] = m[i];
	}
	*out = m;
	*nr = n;
	return 0;
}

/* "op = map  ret = -EINVAL  size = [4 KiB, 8 KiB)  ioas = 1  pid = 42" */
static void print_key(const struct dt_lat_key *k, unsigned int split,
		      FILE *out)
{
	char err[FMT_ERR_MAX], lo[FMT_SIZE_MAX], hi[FMT_SIZE_MAX];

	fprintf(out, "op = %s", dt_op_name(k->op));
	if (split & VIEW_SPLIT_RET)
		fprintf(out, "  ret = %s", fmt_errno(err, sizeof(err),
						     (int)k->err));
	if ((split & VIEW_SPLIT_SIZE) && k->size_log2 && k->size_log2 < 64)
		fprintf(out, "  size = [%s, %s)",
			fmt_size(lo, sizeof(lo), 1ULL << k->size_log2, 0),
			fmt_size(hi, sizeof(hi), 2ULL << k->size_log2,
				 k->size_log2 == 63));
	if (split & VIEW_SPLIT_IOAS)
		fprintf(out, "  ioas = %u", k->ioas_id);
	if (split & VIEW_SPLIT_PID)
		fprintf(out, "  pid = %u", k->tgid);
	fputc('\n', out);
}

int view_print_hists(const struct dt_view *v, const struct view_opts *o,
		     FILE *out)
{
	struct view_lat *m;
	unsigned int i, n;
	int err;

	err = view_merged_lats(v, o->split, &m, &n);
	if (err)
		return err;
	for (i = 0; i < n; i++) {
		if (!m[i].h.count)
			continue;
		fputc('\n', out);
		print_key(&m[i].key, o->split, out);
		lh_print(&m[i].h, o->unit, out);
	}
	free(m);
	return 0;
}
