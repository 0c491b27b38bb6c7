/* SPDX-License-Identifier: GPL-2.0 */
/* A fixed event/histogram sequence fed to a struct dt_view by the tests */
#ifndef TESTS_VIEW_SCENARIO_H
#define TESTS_VIEW_SCENARIO_H

#include "view/view.h"

#define SCN_P59		0x0800000000000000ULL	/* 2^59 */

struct dt_event scn_event(enum dt_event_type type, enum dt_op op, int ret,
			  __u32 ioas, __u64 iova, __u64 length, __u32 flags);
/* Feed e; returns view_add_event()'s result, line in line[] */
int scn_add(struct dt_view *v, const struct dt_event *e, char *line);
/*
 * IOAS 1: MSI hole reserved, allowed [0x1000000, 0x7fffffff], 2 MiB in 2
 * areas (one crossing the window's end by 12 KiB), violations of every
 * kind, two faults. IOAS 2: allocated then
 * destroyed. IOAS 3: POWER windows reported, a type1 map outside them.
 * Latency: map/0 (two CPUs), map/-EEXIST, unmap/0.
 */
void scn_build(struct dt_view *v);

#endif /* TESTS_VIEW_SCENARIO_H */
