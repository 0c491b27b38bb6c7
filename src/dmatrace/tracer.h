/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tracer: opens the BPF object for the target (uprobes on the reference
 * library, or fentry/kprobe on the kernel), sets its configuration, loads
 * and attaches what the planner chose, and reads the ring buffer and maps
 * into a struct dt_view.
 */
#ifndef DMATRACE_TRACER_H
#define DMATRACE_TRACER_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>
#include <linux/types.h>

#include "dmatrace/config.h"
#include "attach.h"
#include "snapshot.h"

struct dt_view;

enum target_kind {
	TARGET_KERNEL,
	TARGET_REF,
};

/*
 * Capacities of the BPF maps (--max-areas, --max-ioas, --max-keys,
 * --max-procs); 0: the default of include/dmatrace/hist.h
 */
struct tracer_limits {
	__u32 areas;		/* areas */
	__u32 ioas;		/* usage, allowed, containers */
	__u32 keys;		/* hists, pin_hists */
	__u32 procs;		/* procs, tgids */
};

struct tracer_opts {
	enum target_kind target;
	const char *lib;		/* TARGET_REF: path of libdmaref.so */
	bool force_kprobe;
	struct dt_config cfg;
	FILE *live;			/* one line per violation as it happens */
	bool snapshot;			/* read the state at start (kernel) */
	struct tracer_limits limits;
};

struct tracer;

/*
 * Plan, open, configure, load and attach. On error returns -errno and
 * leaves a one-line message in err.
 */
int tracer_start(struct tracer **out, const struct tracer_opts *o,
		 struct dt_view *view, char *err, size_t err_sz);
/* What was attached, point by point */
const struct attach_plan *tracer_plan(const struct tracer *t);
/* The state read at start (snapshot.h) */
const struct snapshot *tracer_snapshot(const struct tracer *t);
/* Trace this process (and, through the fork hook, its children) */
int tracer_add_tgid(struct tracer *t, pid_t pid);
/* Feed ring buffer events to the view; waits up to timeout_ms */
int tracer_poll(struct tracer *t, int timeout_ms);
/* Re-read histograms, usage and counters into the view */
int tracer_collect(struct tracer *t);
/*
 * Did any probe fire since the start (or tracer_reset), as far as the
 * collects and events so far saw it? Cleared histograms still count.
 */
bool tracer_hit(const struct tracer *t);
/* Clear the latency histograms (interval mode) */
void tracer_clear_hists(struct tracer *t);
/* Start afresh into another view: every map and counter cleared */
void tracer_reset(struct tracer *t, struct dt_view *view);
void tracer_stop(struct tracer *t);

#endif /* DMATRACE_TRACER_H */
