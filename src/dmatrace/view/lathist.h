/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One latency histogram (struct dt_hist, log2(ns) slots): merge, percentile
 * estimate, biolatency-style text.
 *
 * Percentile estimate: slot i holds latencies in [2^i, 2^(i+1)) ns (slot 0:
 * [0, 2) ns). For percentile p of n samples, the rank is r = ceil(p * n /
 * 100) (at least 1). The slot whose cumulative count first reaches r holds
 * it; assuming the c samples of that slot are spread evenly over it, the
 * estimate is lo + (hi - lo) * (r - before) / c, where before is the count
 * of the slots below. The result is clamped to [min_ns, max_ns], which are
 * exact, so one-sample and one-slot histograms give exact answers at the
 * ends. The error is otherwise at most one slot width (a factor of 2).
 */
#ifndef DMATRACE_VIEW_LATHIST_H
#define DMATRACE_VIEW_LATHIST_H

#include <stdio.h>
#include <linux/types.h>

#include "dmatrace/hist.h"
#include "view.h"

/* dst += src (slots, count, sum, bytes; min/max of non-empty ones) */
void lh_merge(struct dt_hist *dst, const struct dt_hist *src);
/* Estimated p-th percentile (0 < p <= 100) in ns; 0 when empty */
double lh_percentile_ns(const struct dt_hist *h, double p);
double lh_avg_ns(const struct dt_hist *h);

const char *lh_unit_name(enum view_unit unit);	/* "usecs" ... */
double lh_unit_div(enum view_unit unit);	/* ns per unit: 1e3 ... */

/*
 * The log2 histogram in the unit (usecs/msecs shift the ns slots by 10/20
 * and fold the lower ones into slot 0), then one line of statistics:
 * "count N avg A min B max C p50 ~D p90 ~E p99 ~F (usecs)": ~ marks the
 * estimates. Nothing for an empty histogram.
 */
void lh_print(const struct dt_hist *h, enum view_unit unit, FILE *out);
/* One line saying once what ~ and the unit's buckets mean */
void lh_print_legend(enum view_unit unit, FILE *out);

#endif /* DMATRACE_VIEW_LATHIST_H */
