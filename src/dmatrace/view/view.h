/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmatrace view: the pure (no BPF, no libbpf) aggregation and output
 * library of the loader. The loader reads the BPF maps and the ring
 * buffer and hands everything to a struct dt_view; the view renders
 * latency histograms, IOVA windows, violations and faults as text, JSON
 * (the record, with the ground-truth "summary" of docs/ground-truth.md)
 * and OpenMetrics.
 *
 * Feeding a view:
 *  - view_add_hist(): one latency key and its histogram. The view SUMS
 *    repeated keys, so the loader may pass each CPU's value of a per-CPU
 *    map one by one, or a value it already summed: both are right.
 *  - view_add_usage(): one IOAS's usage; summed the same way. The
 *    summary's "areas" is maps - unmaps, so unmaps must count areas
 *    removed (one unmap call may remove several). IOAS ids are per
 *    /dev/iommu file: the view knows an IOAS by (tgid, id), as struct
 *    dt_ioas_key and the events' tgid do.
 *  - view_reset_maps(): forget histograms and usage (interval mode: call
 *    it before re-reading the maps). Window state and violations, built
 *    from events, are kept.
 *  - view_add_event(): one ring-buffer record, in arrival order. It can
 *    be the ring_buffer__new() callback's body: pass data and size.
 *    Violations are classified when they arrive, against the window
 *    state of that moment (rules: docs/ground-truth.md).
 *  - view_set_counter(): loss counters (enum dt_counter).
 *
 * Nothing here prints to stderr; functions return 0 or -errno.
 */
#ifndef DMATRACE_VIEW_H
#define DMATRACE_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>

#include "dmatrace/events.h"
#include "dmatrace/hist.h"
#include "dmatrace/ops.h"

struct dt_view;
struct json_writer;

/* Histogram dimensions kept apart when rendering; op is always kept */
enum view_split {
	VIEW_SPLIT_RET	= 1u << 0,	/* return code (0 or errno) */
	VIEW_SPLIT_SIZE	= 1u << 1,	/* log2 size class of the length */
	VIEW_SPLIT_IOAS	= 1u << 2,
	VIEW_SPLIT_PID	= 1u << 3,	/* tgid */
};
#define VIEW_SPLIT_DEFAULT	(VIEW_SPLIT_RET | VIEW_SPLIT_SIZE)

/*
 * Display unit of the text histograms (-m / -u / -n). The BPF slots are
 * log2 of nanoseconds; usecs and msecs buckets are those slots shifted by
 * 10 and 20 (1 "usec" bucket step = 1024 ns), as the kernel cannot divide
 * cheaply. count/avg/min/max/percentiles are exact ns divided by 1e3/1e6.
 */
enum view_unit {
	VIEW_UNIT_USECS,	/* default */
	VIEW_UNIT_MSECS,
	VIEW_UNIT_NSECS,
};

struct view_opts {
	unsigned int split;	/* enum view_split bits; VIEW_SPLIT_DEFAULT */
	enum view_unit unit;
	unsigned int examples;	/* violations text of the all-views run and
				   the demo: lines per kind; 0: every one */
};

#define VIEW_EXAMPLES_DEFAULT	3
#define VIEW_OPTS_DEFAULT { .split = VIEW_SPLIT_DEFAULT, .unit = VIEW_UNIT_USECS, \
			    .examples = VIEW_EXAMPLES_DEFAULT }

/* One line diagnosing a violation or a fault fits in this */
#define VIEW_LINE_MAX	512

struct dt_view *view_new(void);
void view_free(struct dt_view *v);

int view_add_hist(struct dt_view *v, const struct dt_lat_key *key,
		  const struct dt_hist *h);
int view_add_usage(struct dt_view *v, __u32 tgid, __u32 ioas_id,
		   const struct dt_ioas_usage *u);
/* One pinning histogram (vfio_pin_pages_remote inside a type1 map), keyed
 * as the latency ones; summed the same way */
/* A traced process's name (the procs map): histograms name it */
int view_add_proc(struct dt_view *v, __u32 tgid, const char *comm);
int view_add_pin(struct dt_view *v, const struct dt_lat_key *key,
		 const struct dt_hist *h);
void view_reset_maps(struct dt_view *v);
/* One live area of an IOAS or container (the BPF areas map); 0 or -ENOMEM */
int view_add_area(struct dt_view *v, __u32 tgid, __u32 ioas_id, __u64 iova,
		  __u64 length);

/*
 * Apply one event. Returns 1 when the event is a violation or a fault:
 * its one-line diagnosis (no trailing newline) is then in line, if line is
 * not NULL, for live printing; 0 for other events; -EINVAL when size is
 * short or the type unknown; -ENOMEM.
 */
int view_add_event(struct dt_view *v, const void *data, size_t size,
		   char *line, size_t line_sz);

void view_set_counter(struct dt_view *v, enum dt_counter c, __u64 val);

/* Text renderers (biolatency style histograms, windows, violations) */
int view_print_hists(const struct dt_view *v, const struct view_opts *o,
		     FILE *out);
int view_print_windows(const struct dt_view *v, FILE *out);
int view_print_violations(const struct dt_view *v, FILE *out); /* + faults */
/*
 * Grouped by kind: "reserved: 31, <what the kind means>; for example:",
 * then at most max distinct lines of it; faults likewise; a line saying
 * how to see them all when some were left out; the tally. max 0: every
 * line, as view_print_violations().
 */
int view_print_violations_grouped(const struct dt_view *v, unsigned int max,
				  FILE *out);
/* Its last line alone: "N violations: kind n, ...; M faults" */
void view_print_violation_tally(const struct dt_view *v, FILE *out);
void view_print_counters(const struct dt_view *v, FILE *out);

/*
 * Losses (lost.c): the figures that a counted loss makes lower bounds
 * (VIEW_LB_*, or-ed; VIEW_LB_MINMAX: min and max only approximate)
 */
#define VIEW_LB_HISTS		(1u << 0)	/* latency histograms, op counts */
#define VIEW_LB_PINS		(1u << 1)	/* pinning histograms */
#define VIEW_LB_WINDOWS		(1u << 2)	/* usage, areas per IOAS */
#define VIEW_LB_VIOLATIONS	(1u << 3)
#define VIEW_LB_NAMES		(1u << 4)	/* process names */
#define VIEW_LB_MINMAX		(1u << 5)
#define VIEW_LB_FAULTS		(1u << 6)	/* faults' owners */
unsigned int view_lower_bounds(const struct dt_view *v);
/* Any loss at all (the run's exit status says so: DT_EXIT_LOST) */
bool view_lost_any(const struct dt_view *v);
/*
 * One line per loss that affects figures: "PREFIXlower bound: 1600 ops
 * lost (histogram map full, --max-keys)"
 */
void view_print_losses(const struct dt_view *v, unsigned int figures,
		       const char *prefix, FILE *out);
/* Every loss in one line (without newline) into buf; how many there are */
int view_loss_line(const struct dt_view *v, char *buf, size_t sz);

/*
 * The JSON record: one object on one line, ending with a newline:
 * {"dmatrace_record":1, "histograms":[...], "op_latency":[...],
 *  "windows":[...], "violations":[...], "faults":[...], "counters":{...},
 *  "summary":{...docs/ground-truth.md...}}
 * `dmatrace diff` reads "op_latency".
 */
int view_write_json(const struct dt_view *v, const struct view_opts *o,
		    FILE *out);
/* The "lost" object of the record: every loss counter, "lower_bound":[figures] */
void view_json_lost(const struct dt_view *v, struct json_writer *w);
/* Only the ground-truth summary object, as a value of the writer */
int view_write_summary(const struct dt_view *v, struct json_writer *w);

/* OpenMetrics text exposition, ending with "# EOF" */
int view_write_openmetrics(const struct dt_view *v, const struct view_opts *o,
			   FILE *out);
/* The same families in the Prometheus text format 0.0.4 (promtool's) */
int view_write_prometheus(const struct dt_view *v, const struct view_opts *o,
			  FILE *out);

/*
 * `dmatrace diff OLD.json NEW.json [--threshold PCT] [--percentile pNN]`
 * argv[0] is "diff". Prints a table to stdout, errors (one line) to stderr.
 * Returns the exit status: 0 no regression, 1 a regression beyond the
 * threshold, 2 usage error or unreadable/malformed record.
 */
int view_diff_main(int argc, char **argv);

#endif /* DMATRACE_VIEW_H */
