/* SPDX-License-Identifier: GPL-2.0 */
/* OpenMetrics text helpers (exposed for the unit tests) */
#ifndef DMATRACE_VIEW_OPENMETRICS_H
#define DMATRACE_VIEW_OPENMETRICS_H

#include <stdio.h>
#include <linux/types.h>

/* A label value, quoted and escaped: backslash, double quote, newline */
void om_label_value(FILE *out, const char *s);
/* ns as exact decimal seconds: 2 -> "0.000000002", 1500000000 -> "1.5" */
void om_seconds(FILE *out, __u64 ns);

#endif /* DMATRACE_VIEW_OPENMETRICS_H */
