// SPDX-License-Identifier: GPL-2.0
/*
 * view-sample: renders the fixed test scenario (view_scenario.c) so that
 * scripts can check the formats with outside tools (jq, an OpenMetrics
 * parser), and runs `diff` like `dmatrace diff`.
 *   view-sample text|windows|violations|json|openmetrics|prometheus [-m|-u|-n] [--pid]
 *   view-sample diff OLD.json NEW.json [...]
 */
#include <stdio.h>
#include <string.h>

#include "view_scenario.h"

int main(int argc, char **argv)
{
	struct view_opts o = VIEW_OPTS_DEFAULT;
	struct dt_view *v;
	int i, rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: view-sample text|windows|violations|json|openmetrics|prometheus [-m|-u|-n] [--pid] | diff ...\n");
		return 2;
	}
	if (!strcmp(argv[1], "diff"))
		return view_diff_main(argc - 1, argv + 1);
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "-m"))
			o.unit = VIEW_UNIT_MSECS;
		else if (!strcmp(argv[i], "-n"))
			o.unit = VIEW_UNIT_NSECS;
		else if (!strcmp(argv[i], "-u"))
			o.unit = VIEW_UNIT_USECS;
		else if (!strcmp(argv[i], "--pid"))
			o.split |= VIEW_SPLIT_PID | VIEW_SPLIT_IOAS;
		else {
			fprintf(stderr, "view-sample: unknown option '%s'\n", argv[i]);
			return 2;
		}
	}
	v = view_new();
	if (!v)
		return 1;
	scn_build(v);
	if (!strcmp(argv[1], "text"))
		rc = view_print_hists(v, &o, stdout);
	else if (!strcmp(argv[1], "windows"))
		rc = view_print_windows(v, stdout);
	else if (!strcmp(argv[1], "violations"))
		rc = view_print_violations(v, stdout);
	else if (!strcmp(argv[1], "json"))
		rc = view_write_json(v, &o, stdout);
	else if (!strcmp(argv[1], "openmetrics"))
		rc = view_write_openmetrics(v, &o, stdout);
	else if (!strcmp(argv[1], "prometheus"))
		rc = view_write_prometheus(v, &o, stdout);
	else {
		fprintf(stderr, "view-sample: unknown command '%s'\n", argv[1]);
		rc = -2;
	}
	view_free(v);
	return rc ? 1 : 0;
}
