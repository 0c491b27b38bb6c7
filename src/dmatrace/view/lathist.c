// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <string.h>

#include "lathist.h"

#define LH_STARS	40

void lh_merge(struct dt_hist *dst, const struct dt_hist *src)
{
	int i;

	if (!src->count)
		return;
	for (i = 0; i < DT_HIST_SLOTS; i++)
		dst->slots[i] += src->slots[i];
	if (!dst->count || src->min_ns < dst->min_ns)
		dst->min_ns = src->min_ns;
	if (src->max_ns > dst->max_ns)
		dst->max_ns = src->max_ns;
	dst->count += src->count;
	dst->sum_ns += src->sum_ns;
	dst->bytes += src->bytes;
}

double lh_avg_ns(const struct dt_hist *h)
{
	return h->count ? (double)h->sum_ns / (double)h->count : 0.0;
}

double lh_percentile_ns(const struct dt_hist *h, double p)
{
	__u64 rank, before = 0;
	double est = (double)h->max_ns;
	int i;

	if (!h->count)
		return 0.0;
	rank = (__u64)ceil(p * (double)h->count / 100.0);
	if (rank < 1)
		rank = 1;
	if (rank > h->count)
		rank = h->count;
	for (i = 0; i < DT_HIST_SLOTS; i++) {
		__u64 c = h->slots[i];
		double lo, hi;

		if (before + c < rank) {
			before += c;
			continue;
		}
		lo = i ? ldexp(1.0, i) : 0.0;
		hi = ldexp(1.0, i + 1);
		est = lo + (hi - lo) * (double)(rank - before) / (double)c;
		break;
	}
	if (est < (double)h->min_ns)
		est = (double)h->min_ns;
	if (est > (double)h->max_ns)
		est = (double)h->max_ns;
	return est;
}

const char *lh_unit_name(enum view_unit unit)
{
	switch (unit) {
	case VIEW_UNIT_MSECS:
		return "msecs";
	case VIEW_UNIT_NSECS:
		return "nsecs";
	default:
		return "usecs";
	}
}

double lh_unit_div(enum view_unit unit)
{
	switch (unit) {
	case VIEW_UNIT_MSECS:
		return 1e6;
	case VIEW_UNIT_NSECS:
		return 1.0;
	default:
		return 1e3;
	}
}

static int lh_unit_shift(enum view_unit unit)
{
	switch (unit) {
	case VIEW_UNIT_MSECS:
		return 20;
	case VIEW_UNIT_NSECS:
		return 0;
	default:
		return 10;
	}
}

static void lh_print_stars(FILE *out, __u64 val, __u64 val_max)
{
	int stars = (int)(val * LH_STARS / val_max), i;

	for (i = 0; i < LH_STARS; i++)
		fputc(i < stars ? '*' : ' ', out);
}

void lh_print_legend(enum view_unit unit, FILE *out)
{
	fputs("(~: a percentile estimated inside its log2 bucket, at most 2x off; count, avg, min, max are exact", out);
	if (unit != VIEW_UNIT_NSECS)
		fprintf(out, "; here a %s is %s ns",
			unit == VIEW_UNIT_MSECS ? "msec" : "usec",
			unit == VIEW_UNIT_MSECS ? "1048576" : "1024");
	fputs(")\n", out);
}

void lh_print(const struct dt_hist *h, enum view_unit unit, FILE *out)
{
	__u64 vals[DT_HIST_SLOTS] = { 0 }, val_max = 0;
	int shift = lh_unit_shift(unit), idx_max = -1, i, width;
	double div = lh_unit_div(unit);

	for (i = 0; i < DT_HIST_SLOTS; i++)
		vals[i > shift ? i - shift : 0] += h->slots[i];
	for (i = 0; i < DT_HIST_SLOTS; i++) {
		if (vals[i])
			idx_max = i;
		if (vals[i] > val_max)
			val_max = vals[i];
	}
	if (idx_max < 0)
		return;
	width = idx_max <= 32 ? 10 : 20;
	fprintf(out, "%*s%-*s : count    distribution\n", idx_max <= 32 ? 5 : 15,
		"", idx_max <= 32 ? 19 : 29, lh_unit_name(unit));
	for (i = 0; i <= idx_max; i++) {
		unsigned long long lo = i ? 1ULL << i : 0;
		unsigned long long hi = (1ULL << (i + 1)) - 1;

		fprintf(out, "%*llu -> %-*llu : %-8llu |", width, lo, width, hi,
			(unsigned long long)vals[i]);
		lh_print_stars(out, vals[i], val_max);
		fputs("|\n", out);
	}
	fprintf(out, "count %llu avg %.3f min %.3f max %.3f p50 ~%.3f p90 ~%.3f p99 ~%.3f (%s)\n",
		(unsigned long long)h->count, lh_avg_ns(h) / div,
		(double)h->min_ns / div, (double)h->max_ns / div,
		lh_percentile_ns(h, 50) / div, lh_percentile_ns(h, 90) / div,
		lh_percentile_ns(h, 99) / div, lh_unit_name(unit));
}
