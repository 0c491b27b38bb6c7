// SPDX-License-Identifier: GPL-2.0
/*
 * `dmatrace demo`: dmaload scenarios on the reference implementation under
 * the tracer, each followed by its three views (latency, windows,
 * violations). Needs root and BPF only: no IOMMU, no iommufd, no VM.
 * One tracing session, reset between scenarios: IOAS ids are per process,
 * and each scenario's views stand alone.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "output.h"
#include "session.h"

static const struct demo_scenario {
	const char *name;
	const char *what;
	const char *ops;	/* --ops */
} scenarios[] = {
	{ "vm-boot", "a VMM maps guest RAM around the x86 MSI hole", "2000" },
	{ "dpdk", "a DPDK-style app maps hugepages, auto IOVA", "2000" },
	{ "violations", "every kind of rejected or out-of-window map", "1000" },
	{ "power", "seed extension: two POWER-like windows", "1000" },
	{ "churn", "map/unmap churn", "5000" },
};

/* Said once, before the scenarios: what each view and counter is */
static const char intro[] =
"dmatrace demo: dmaload scenarios on libdmaref (the reference implementation\n"
"of Linux 6.12's iommufd IOAS), traced through uprobes. For each scenario:\n"
"  Latency     a log2 histogram per op and return code (ret = 0 or -errno)\n"
"  Windows     per IOAS: the IOVA windows it may map (holes: reserved ranges),\n"
"              the bytes of its live areas inside each window, and the areas\n"
"              outside every window\n"
"  Violations  rejected or out-of-window ops, by kind, 3 distinct examples\n"
"              each (every line: dmatrace demo --all, or -j)\n"
"  rb_drops stash_miss read_fail areas_full: events lost with a full ring\n"
"  buffer, op exits without their entry, failed probe reads, areas the area\n"
"  map had no room for; all 0: nothing was lost. Other losses (hist_full,\n"
"  ioas_full...: a full map, see dmatrace -h) appear only when not 0.\n\n";

static int demo_one(struct session *s, const struct cli *c,
		    const struct demo_scenario *sc, char *dmaload)
{
	char *argv[] = { dmaload, "--scenario", (char *)sc->name,
			 "--seed", "1", "--ops", (char *)sc->ops, NULL };
	struct view_opts vo = c->view;
	int code, e;

	printf("######## dmaload --scenario %s --ops %s: %s\n\n", sc->name,
	       sc->ops, sc->what);
	output_flush(stdout);
	e = session_reset(s);
	if (e)
		return 1;
	code = session_run_child(s, argv, true);
	if (code) {
		fprintf(stderr, "dmatrace: dmaload --scenario %s exited with %d\n",
			sc->name, code);
		return 1;
	}
	e = tracer_collect(s->t);
	if (e) {
		fprintf(stderr, "dmatrace: reading the maps failed\n");
	} else if (c->format == FORMAT_JSON) {
		e = view_write_json(s->view, &c->view, stdout);
	} else {
		vo.split = VIEW_SPLIT_RET;	/* one histogram per op/errno */
		e = print_all_views(s->view, &vo, stdout);
		view_print_counters(s->view, stdout);
		printf("\n");
	}
	output_flush(stdout);
	return e ? 1 : 0;
}

int run_demo(const struct cli *c)
{
	char dir[4000], dmaload[4096];
	struct session s = {};
	unsigned int i;
	int e = 0;

	if (self_dir(dir, sizeof(dir))) {
		fprintf(stderr, "dmatrace: cannot find my own binary\n");
		return 1;
	}
	snprintf(dmaload, sizeof(dmaload), "%s/dmaload", dir);
	session_signals();
	if (session_start(&s, c, true))
		return 1;
	if (c->format != FORMAT_JSON)
		fputs(intro, stdout);
	for (i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]) && !e; i++) {
		if (session_interrupted())
			e = 130;
		else
			e = demo_one(&s, c, &scenarios[i], dmaload);
	}
	session_stop(&s);
	return e;
}
