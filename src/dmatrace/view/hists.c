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

/* "op = map  ret = -EINVAL  size = [4 KiB, 8 KiB)  ioas = 1  pid = 42 (qemu)" */
static void print_key(const struct dt_view *v, const struct dt_lat_key *k,
		      unsigned int split, FILE *out)
{
	const char *comm = view_proc_comm(v, k->tgid);

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
		fprintf(out, comm[0] ? "  pid = %u (%s)" : "  pid = %u%s",
			k->tgid, comm);
	fputc('\n', out);
}

/* The time of the traced ops that a pinning entry belongs to */
static __u64 pin_call_ns(const struct dt_view *v, const struct view_pin *p)
{
	__u64 ns = 0;
	unsigned int i;

	for (i = 0; i < v->nr_lats; i++)
		if (v->lats[i].key.op == p->op && v->lats[i].key.tgid == p->tgid &&
		    v->lats[i].key.ioas_id == p->ioas_id)
			ns += v->lats[i].h.sum_ns;
	return ns;
}

double view_pin_share(const struct dt_view *v, const struct view_pin *p)
{
	__u64 total = pin_call_ns(v, p);

	return total ? (double)p->pin.sum_ns / (double)total : 0.0;
}

/* Where the maps of each container spent their time: pinning, the rest */
static void print_pins(const struct dt_view *v, const struct view_opts *o,
		       FILE *out)
{
	char name[VIEW_IOAS_NAME_MAX], size[FMT_SIZE_MAX];
	const struct view_ioas *io;
	unsigned int i;

	if (v->nr_pins || v->counters[DT_CNT_PIN_FULL])
		view_print_losses(v, VIEW_LB_PINS, "\npinning: ", out);
	for (i = 0; i < v->nr_pins; i++) {
		const struct view_pin *p = &v->pins[i];
		__u64 total = pin_call_ns(v, p);

		io = view_ioas_find(v, p->tgid, p->ioas_id);
		if (io)
			view_ioas_name(v, io, name, sizeof(name));
		else
			snprintf(name, sizeof(name), "%u", view_user_id(p->ioas_id));
		fprintf(out, "\npinning (vfio_pin_pages_remote) in %s, container %s: %llu maps pinned %s in %.3f of %.3f ms of those maps (%.1f%%; the rest is page tables and bookkeeping)\n",
			dt_op_name(p->op), name,
			(unsigned long long)p->pin.count,
			fmt_size(size, sizeof(size), p->pin.bytes, 0),
			p->pin.sum_ns / 1e6, total / 1e6,
			total ? 100.0 * p->pin.sum_ns / total : 0.0);
		lh_print(&p->pin, o->unit, out);
	}
}

int view_print_hists(const struct dt_view *v, const struct view_opts *o,
		     FILE *out)
{
	struct view_lat *m;
	unsigned int i, n, shown;
	int err;

	err = view_merged_lats(v, o->split, &m, &n);
	if (err)
		return err;
	/* the counts below miss these: said before them */
	view_print_losses(v, VIEW_LB_HISTS | VIEW_LB_MINMAX, "", out);
	for (i = 0, shown = 0; i < n; i++) {
		if (!m[i].h.count)
			continue;
		fputc('\n', out);
		print_key(v, &m[i].key, o->split, out);
		lh_print(&m[i].h, o->unit, out);
		shown++;
	}
	free(m);
	if (shown)
		lh_print_legend(o->unit, out);
	print_pins(v, o, out);
	return 0;
}
