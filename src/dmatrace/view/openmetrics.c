// SPDX-License-Identifier: GPL-2.0
/*
 * OpenMetrics text exposition: latency histograms (le in seconds, exact
 * decimal), bytes, per-IOAS gauges, violations, faults, loss counters.
 * The same families in the Prometheus text format (0.0.4), which is what
 * promtool lints: there a counter's TYPE and HELP name its samples
 * (foo_total), there is no UNIT and no "# EOF".
 */
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "openmetrics.h"
#include "view_priv.h"

#define LAT	"dmatrace_op_latency_seconds"

void om_label_value(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", out);
		else if (*s == '"')
			fputs("\\\"", out);
		else if (*s == '\n')
			fputs("\\n", out);
		else
			fputc(*s, out);
	}
	fputc('"', out);
}

void om_seconds(FILE *out, __u64 ns)
{
	char frac[16];
	int n;

	n = snprintf(frac, sizeof(frac), "%09llu",
		     (unsigned long long)(ns % 1000000000ULL));
	while (n > 1 && frac[n - 1] == '0')
		frac[--n] = '\0';
	fprintf(out, "%llu.%s", (unsigned long long)(ns / 1000000000ULL), frac);
}

/* Where and in which flavour the exposition goes */
struct om_out {
	FILE *f;
	bool prom;	/* Prometheus text format 0.0.4, not OpenMetrics */
};

static void om_family(const struct om_out *o, const char *name,
		      const char *type, const char *unit, const char *help)
{
	const char *sfx = o->prom && !strcmp(type, "counter") ? "_total" : "";

	fprintf(o->f, "# TYPE %s%s %s\n", name, sfx, type);
	if (unit && !o->prom)
		fprintf(o->f, "# UNIT %s %s\n", name, unit);
	fprintf(o->f, "# HELP %s%s %s\n", name, sfx, help);
}

/*
 * op="map",backend="iommufd",ret="0",... without braces; le appended by
 * the caller. The backend is the op's (its row of the op table); comm
 * comes with pid (--by pid), the name of that process
 */
static void om_key_labels(FILE *out, const struct dt_view *v,
			  const struct dt_lat_key *k, unsigned int split)
{
	char buf[FMT_ERR_MAX];

	fputs("op=", out);
	om_label_value(out, dt_op_name(k->op));
	if (k->op < DT_OP_MAX) {
		fputs(",backend=", out);
		om_label_value(out, dt_backend_name(dt_op(k->op)->backend));
	}
	if (split & VIEW_SPLIT_RET) {
		fputs(",ret=", out);
		om_label_value(out, fmt_errno(buf, sizeof(buf), (int)k->err));
	}
	if (split & VIEW_SPLIT_SIZE)
		fprintf(out, ",size_log2=\"%u\"", k->size_log2);
	if (split & VIEW_SPLIT_IOAS)
		fprintf(out, ",ioas=\"%u\"", k->ioas_id);
	if (split & VIEW_SPLIT_PID) {
		fprintf(out, ",pid=\"%u\",comm=", k->tgid);
		om_label_value(out, view_proc_comm(v, k->tgid));
	}
}

static void om_histogram(FILE *out, const struct dt_view *v,
			 const struct view_lat *l, unsigned int split)
{
	__u64 cum = 0;
	int i;

	for (i = 0; i < DT_HIST_SLOTS; i++) {
		cum += l->h.slots[i];
		fputs(LAT "_bucket{", out);
		om_key_labels(out, v, &l->key, split);
		fputs(",le=\"", out);
		om_seconds(out, 2ULL << i);	/* slot i: < 2^(i+1) ns */
		fprintf(out, "\"} %llu\n", (unsigned long long)cum);
	}
	fputs(LAT "_bucket{", out);
	om_key_labels(out, v, &l->key, split);
	fprintf(out, ",le=\"+Inf\"} %llu\n", (unsigned long long)l->h.count);
	fputs(LAT "_sum{", out);
	om_key_labels(out, v, &l->key, split);
	fputs("} ", out);
	om_seconds(out, l->h.sum_ns);
	fputs("\n" LAT "_count{", out);
	om_key_labels(out, v, &l->key, split);
	fprintf(out, "} %llu\n", (unsigned long long)l->h.count);
}

/* Labels of an IOAS series: pid only when several processes have IOASes */
static const char *om_ioas_labels(const struct dt_view *v,
				  const struct view_ioas *io, char *buf,
				  size_t sz)
{
	const char *what = view_is_container(io->id) ? "container" : "ioas";
	__u32 id = view_user_id(io->id);

	if (view_multi_process(v))
		snprintf(buf, sz, "pid=\"%u\",%s=\"%u\"", io->tgid, what, id);
	else
		snprintf(buf, sz, "%s=\"%u\"", what, id);
	return buf;
}

/* A gauge that cannot be right (wrapped usage) is left out, not exported */
static bool om_ioas_shown(const struct view_ioas *io)
{
	return io->alive && io->has_usage && !view_usage_wrapped(io);
}

static void om_ioas(const struct dt_view *v, const struct om_out *o)
{
	FILE *out = o->f;
	char labels[64];
	unsigned int i;

	om_family(o, "dmatrace_ioas_mapped_bytes", "gauge", "bytes",
		  "Bytes currently mapped in the IOAS.");
	for (i = 0; i < v->nr_ioas; i++)
		if (om_ioas_shown(v->ioas[i]))
			fprintf(out, "dmatrace_ioas_mapped_bytes{%s} %llu\n",
				om_ioas_labels(v, v->ioas[i], labels,
					       sizeof(labels)),
				(unsigned long long)v->ioas[i]->usage.mapped_bytes);
	om_family(o, "dmatrace_ioas_areas", "gauge", NULL,
		  "Areas currently mapped in the IOAS.");
	for (i = 0; i < v->nr_ioas; i++)
		if (om_ioas_shown(v->ioas[i]))
			fprintf(out, "dmatrace_ioas_areas{%s} %llu\n",
				om_ioas_labels(v, v->ioas[i], labels,
					       sizeof(labels)),
				(unsigned long long)view_ioas_areas(v->ioas[i]));
}

/* One IOAS's figure from its layout: false when it cannot be right */
typedef bool (*om_layout_value)(const struct view_layout *l, __u64 *value);

/*
 * Bytes of the live areas outside every window of the IOAS, when its area
 * list is the whole usage (a figure that cannot be right is left out)
 */
static bool om_outside_bytes(const struct view_layout *l, __u64 *value)
{
	*value = l->oc.outside_bytes;
	return l->oc.known;
}

/*
 * The IOVA space the IOAS allows: its windows (allowed ranges minus
 * reserved holes), the whole 2^64 space counted as 2^64 - 1
 */
static bool om_window_bytes(const struct view_layout *l, __u64 *value)
{
	*value = iv_bytes(&l->win);
	return true;
}

/* A gauge family of one figure of each shown IOAS's layout */
static int om_layout_gauge(const struct dt_view *v, const struct om_out *o,
			   const char *name, const char *help,
			   om_layout_value value)
{
	struct view_layout l;
	char labels[64];
	unsigned int i;
	__u64 x;
	int err;

	om_family(o, name, "gauge", "bytes", help);
	for (i = 0; i < v->nr_ioas; i++) {
		if (!om_ioas_shown(v->ioas[i]))
			continue;
		err = view_layout_get(v->ioas[i], &l);
		if (err)
			return err;
		if (value(&l, &x))
			fprintf(o->f, "%s{%s} %llu\n", name,
				om_ioas_labels(v, v->ioas[i], labels,
					       sizeof(labels)),
				(unsigned long long)x);
		view_layout_put(&l);
	}
	return 0;
}

static int om_layouts(const struct dt_view *v, const struct om_out *o)
{
	int err;

	err = om_layout_gauge(v, o, "dmatrace_ioas_outside_windows_bytes",
			      "Bytes of the IOAS's live areas outside every IOVA window it allows.",
			      om_outside_bytes);
	if (err)
		return err;
	return om_layout_gauge(v, o, "dmatrace_ioas_window_bytes",
			       "Bytes of IOVA space the IOAS allows: its windows (allowed ranges minus reserved holes).",
			       om_window_bytes);
}

static void om_violations(const struct dt_view *v, const struct om_out *o)
{
	FILE *out = o->f;
	const __u64 (*n)[DT_VIOL_MAX] = v->viol_n;
	unsigned int i, j;

	om_family(o, "dmatrace_violations", "counter", NULL,
		  "Operations rejected or accepted outside the IOVA windows.");
	for (i = 0; i < DT_OP_MAX; i++)
		for (j = 0; j < DT_VIOL_MAX; j++)
			if (n[i][j])
				fprintf(out, "dmatrace_violations_total{op=\"%s\",kind=\"%s\"} %llu\n",
					dt_op_name(i), dt_violation_name(j),
					(unsigned long long)n[i][j]);
	om_family(o, "dmatrace_faults", "counter", NULL, "IOMMU faults seen.");
	fprintf(out, "dmatrace_faults_total %llu\n",
		(unsigned long long)v->faults_total);
	om_family(o, "dmatrace_lost", "counter", NULL,
		  "Events or samples the tracer could not record, by cause.");
	for (i = 0; i < DT_CNT_MAX; i++)
		fprintf(out, "dmatrace_lost_total{cause=\"%s\"} %llu\n",
			view_counter_name(i), (unsigned long long)v->counters[i]);
}

static int om_write(const struct dt_view *v, const struct view_opts *vo,
		    const struct om_out *o)
{
	struct view_lat *m;
	unsigned int i, n;
	int err;

	err = view_merged_lats(v, vo->split, &m, &n);
	if (err)
		return err;
	om_family(o, LAT, "histogram", "seconds",
		  "Latency of DMA mapping operations.");
	for (i = 0; i < n; i++)
		om_histogram(o->f, v, &m[i], vo->split);
	om_family(o, "dmatrace_op_bytes", "counter", "bytes",
		  "Bytes mapped or unmapped by successful operations.");
	for (i = 0; i < n; i++) {
		if (!m[i].h.bytes)
			continue;
		fputs("dmatrace_op_bytes_total{", o->f);
		om_key_labels(o->f, v, &m[i].key, vo->split);
		fprintf(o->f, "} %llu\n", (unsigned long long)m[i].h.bytes);
	}
	free(m);
	om_ioas(v, o);
	err = om_layouts(v, o);
	if (err)
		return err;
	om_violations(v, o);
	if (!o->prom)
		fputs("# EOF\n", o->f);
	return 0;
}

int view_write_openmetrics(const struct dt_view *v, const struct view_opts *o,
			   FILE *out)
{
	const struct om_out om = { .f = out, .prom = false };

	return om_write(v, o, &om);
}

int view_write_prometheus(const struct dt_view *v, const struct view_opts *o,
			  FILE *out)
{
	const struct om_out om = { .f = out, .prom = true };

	return om_write(v, o, &om);
}
