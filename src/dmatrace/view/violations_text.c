// SPDX-License-Identifier: GPL-2.0
/*
 * Violations, faults and loss counters as text: every line, or grouped by
 * kind with a count and a few distinct examples each (the demo and the
 * all-views run), then the tally.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "view_priv.h"

/* What each kind means, said once above its group */
static const char *const kind_text[DT_VIOL_MAX] = {
	[DT_VIOL_OUTSIDE_ALLOWED] = "accepted FIXED_IOVA maps outside the allowed ranges",
	[DT_VIOL_RESERVED] = "rejected: the range hits a reserved hole",
	[DT_VIOL_OVERLAP] = "rejected: overlaps a mapped area (-EEXIST)",
	[DT_VIOL_EXHAUSTED] = "rejected: no room left in the windows (-ENOSPC)",
	[DT_VIOL_MISALIGNED] = "rejected: iova or length misaligned, or zero length (-EINVAL)",
	[DT_VIOL_WRAP] = "rejected: iova + length wraps past 2^64 (-EOVERFLOW)",
	[DT_VIOL_UNMAP_MISS] = "unmaps that cover no mapped area exactly (-ENOENT)",
	[DT_VIOL_TYPE1_OUTSIDE] = "type1 maps outside the container's IOVA list (-EINVAL)",
	[DT_VIOL_BAD_FLAGS] = "rejected: unknown flags or reserved fields set",
	[DT_VIOL_ENTRY_LIMIT] = "rejected: the container's dma_entry_limit reached (-ENOSPC)",
	[DT_VIOL_MEMLOCK] = "rejected: pinning over RLIMIT_MEMLOCK (-ENOMEM)",
	[DT_VIOL_UNMAP_SPLIT] = "v1 unmaps that succeeded cutting a mapping",
	[DT_VIOL_ATTACH_REFUSED] = "group attaches refused: mappings collide with its layout",
};

/* Last line of the violations view: how many of each kind, and faults */
void view_print_violation_tally(const struct dt_view *v, FILE *out)
{
	const char *sep = ": ";
	unsigned int k;
	__u64 n;

	/* the tally misses these: said before it */
	view_print_losses(v, VIEW_LB_VIOLATIONS | VIEW_LB_FAULTS, "", out);
	fprintf(out, "%llu violation%s", (unsigned long long)v->viols_total,
		v->viols_total == 1 ? "" : "s");
	for (k = 0; k < DT_VIOL_MAX; k++) {
		n = view_violations_of(v, k);
		if (!n)
			continue;
		fprintf(out, "%s%s %llu", sep, dt_violation_name(k),
			(unsigned long long)n);
		sep = ", ";
	}
	fprintf(out, "; %llu fault%s\n", (unsigned long long)v->faults_total,
		v->faults_total == 1 ? "" : "s");
}

/* A storm: the lists above are of the first VIEW_EVENTS_KEPT, say so */
static void print_unlisted(const struct dt_view *v, FILE *out)
{
	if (view_violations_unlisted(v) || view_faults_unlisted(v))
		fprintf(out, "(%llu violation and %llu fault line(s) not listed: the first %u of each are kept; the counts are complete; `dmatrace violations` prints every line as it comes)\n",
			(unsigned long long)view_violations_unlisted(v),
			(unsigned long long)view_faults_unlisted(v),
			VIEW_EVENTS_KEPT);
}

/* Was this line already shown among the first `upto` of its kind? */
static bool shown_before(const struct dt_view *v, unsigned int upto,
			 unsigned int kind, const char *line)
{
	unsigned int i;

	for (i = 0; i < upto; i++)
		if (v->viols[i].kind == kind && !strcmp(v->viols[i].line, line))
			return true;
	return false;
}

/* One kind: its header, then up to max distinct lines; 1 when some left */
static int print_kind(const struct dt_view *v, unsigned int kind,
		      __u64 n, unsigned int max, FILE *out)
{
	unsigned int i, shown = 0;

	fprintf(out, "%s: %llu, %s%s\n", dt_violation_name(kind),
		(unsigned long long)n,
		kind_text[kind] ?: "", n > max ? "; for example:" : "");
	for (i = 0; i < v->nr_viols && shown < max; i++) {
		if (v->viols[i].kind != kind ||
		    shown_before(v, i, kind, v->viols[i].line))
			continue;
		fprintf(out, "%s\n", v->viols[i].line);
		shown++;
	}
	return n > shown;
}

int view_print_violations_grouped(const struct dt_view *v, unsigned int max,
				  FILE *out)
{
	unsigned int i, k;
	int more = 0;
	__u64 n;

	if (!max)
		return view_print_violations(v, out);
	for (k = 0; k < DT_VIOL_MAX; k++) {
		n = view_violations_of(v, k);
		if (n)
			more |= print_kind(v, k, n, max, out);
	}
	if (v->faults_total)
		fprintf(out, "faults: %llu, IOMMU faults at an IOVA%s\n",
			(unsigned long long)v->faults_total,
			v->faults_total > max ? "; the first:" : "");
	for (i = 0; i < v->nr_faults && i < max; i++)
		fprintf(out, "%s\n", v->faults[i].line);
	if (more || v->faults_total > max)
		fprintf(out, "(%u distinct lines at most per kind; every line: --all, `dmatrace violations` or -j)\n",
			max);
	print_unlisted(v, out);
	view_print_violation_tally(v, out);
	return 0;
}

int view_print_violations(const struct dt_view *v, FILE *out)
{
	unsigned int i;

	for (i = 0; i < v->nr_viols; i++)
		fprintf(out, "%s\n", v->viols[i].line);
	for (i = 0; i < v->nr_faults; i++)
		fprintf(out, "%s\n", v->faults[i].line);
	print_unlisted(v, out);
	view_print_violation_tally(v, out);
	return 0;
}

void view_print_counters(const struct dt_view *v, FILE *out)
{
	unsigned int i;

	/* the four it always printed; the other losses when they happened */
	for (i = 0; i < DT_CNT_MAX; i++)
		if (i <= DT_CNT_AREAS_FULL || v->counters[i])
			fprintf(out, "%s%s %llu", i ? "  " : "",
				view_counter_name(i),
				(unsigned long long)v->counters[i]);
	fputc('\n', out);
}
