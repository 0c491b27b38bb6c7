/* SPDX-License-Identifier: GPL-2.0 */
/* dmatrace command line: what the user asked for, once parsed */
#ifndef DMATRACE_CLI_H
#define DMATRACE_CLI_H

#include <stdbool.h>
#include <sys/types.h>

#include "tracer.h"
#include "view/view.h"

enum cli_cmd {
	CMD_PROBE,
	CMD_LATENCY,
	CMD_WINDOWS,
	CMD_VIOLATIONS,
	CMD_DEMO,
	CMD_EXPORTER,	/* /metrics over HTTP, --textfile */
	CMD_ALL,	/* no command: every concern, every view */
};

enum cli_format {
	FORMAT_TEXT,
	FORMAT_JSON,		/* -j */
	FORMAT_OPENMETRICS,	/* --openmetrics */
	FORMAT_PROMETHEUS,	/* --prometheus: text format 0.0.4 */
};

struct cli {
	enum cli_cmd cmd;
	pid_t pid;		/* -p; 0: all */
	__u32 ioas_id;		/* --ioas; 0: all */
	int op;			/* --op; -1: all */
	bool timestamp;		/* -T */
	enum cli_format format;	/* -j, --openmetrics */
	bool verbose;		/* -v */
	bool force_kprobe;	/* --force-kprobe */
	struct view_opts view;	/* -m / -u, --by */
	enum target_kind target;
	char lib[4096];		/* TARGET_REF */
	int interval;		/* seconds; 0: until Ctrl-C / command exit */
	int count;		/* intervals; 0: forever */
	char **argv_cmd;	/* -- COMMAND [ARGS] */
	const char *output;	/* -o FILE; NULL: stdout */
	struct tracer_limits limits;	/* --max-areas, --max-ioas, --max-keys, --max-procs */
	const char *listen;	/* exporter --listen ADDR; NULL: no HTTP */
	const char *textfile;	/* exporter --textfile PATH */
	unsigned int max_series; /* exporter --max-series; 0: no bound */
};

/*
 * -- CMD exited 0 (or was ended after count intervals) without hitting
 * any probe: README, Using dmatrace (sysexits.h's EX_UNAVAILABLE)
 */
#define DT_EXIT_NO_HIT	69

/*
 * The run would exit 0, but a BPF map was full or an event was lost (a
 * figure is a lower bound, the loss is shown next to it and on stderr):
 * sysexits.h's EX_SOFTWARE. -- CMD's own non-zero status wins.
 */
#define DT_EXIT_LOST	70

/* Trace (latency / windows / violations); returns the exit status */
int run_trace(const struct cli *c);
/* `dmatrace probe`; returns the exit status */
int run_probe(const struct cli *c);
/* `dmatrace exporter` (exporter.c); returns the exit status */
int run_exporter(const struct cli *c);
/* `dmatrace demo`; returns the exit status */
int run_demo(const struct cli *c);

/* Directory of the running dmatrace binary (for bin/libdmaref.so, bin/dmaload) */
int self_dir(char *buf, size_t sz);

#endif /* DMATRACE_CLI_H */
