// SPDX-License-Identifier: GPL-2.0
/*
 * `dmatrace demo`: dmaload scenarios on the reference implementation under
 * the tracer, then the three views. Needs root and BPF only.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "session.h"

static const char *const scenarios[][2] = {
	{ "vm-boot", "1" },
	{ "dpdk", "2" },
	{ "violations", "3" },
	{ "power", "4" },
	{ "churn", "5" },
};

int run_demo(const struct cli *c)
{
	char dir[4000], dmaload[4096];
	struct session s = {};
	unsigned int i;
	int code, e = 0;

	if (self_dir(dir, sizeof(dir))) {
		fprintf(stderr, "dmatrace: cannot find my own binary\n");
		return 1;
	}
	snprintf(dmaload, sizeof(dmaload), "%s/dmaload", dir);
	session_signals();
	if (session_start(&s, c, true))
		return 1;
	for (i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]) &&
		    !session_interrupted(); i++) {
		char *argv[] = { dmaload, "--scenario", (char *)scenarios[i][0],
				 "--seed", (char *)scenarios[i][1], NULL };

		fprintf(stderr, "demo: dmaload --scenario %s --seed %s\n",
			scenarios[i][0], scenarios[i][1]);
		code = session_run_child(&s, argv);
		if (code) {
			fprintf(stderr, "dmatrace: dmaload --scenario %s exited with %d\n",
				scenarios[i][0], code);
			e = 1;
			break;
		}
	}
	if (tracer_collect(s.t)) {
		fprintf(stderr, "dmatrace: reading the maps failed\n");
		e = 1;
	} else if (c->json) {
		view_write_json(s.view, &c->view, stdout);
	} else {
		e = print_all_views(s.view, &c->view, stdout) ? 1 : e;
		view_print_counters(s.view, stdout);
	}
	session_stop(&s);
	return e;
}
