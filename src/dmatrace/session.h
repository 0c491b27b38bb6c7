/* SPDX-License-Identifier: GPL-2.0 */
/* A tracing session: a tracer feeding a view, and the commands it runs */
#ifndef DMATRACE_SESSION_H
#define DMATRACE_SESSION_H

#include <stdbool.h>
#include <stdio.h>

#include "cli.h"

struct session {
	struct tracer *t;
	struct dt_view *view;
	FILE *out;		/* where the views go: stdout or -o FILE */
};

/* SIGINT/SIGTERM end the session (session_interrupted()) */
void session_signals(void);
bool session_interrupted(void);
/* all_concerns: windows and violations too, not only latency. 0 or -errno,
 * with the reason printed */
int session_start(struct session *s, const struct cli *c, bool all_concerns);
struct child;
/* Fork argv held at the gate, trace it, let it go; 0 or -errno (said) */
int session_spawn(struct session *s, struct child *ch, char *const argv[],
		  bool quiet);
/*
 * Feed events for up to timeout_ms while ch runs (Ctrl-C: SIGTERM to it):
 * 1 and *code once it exited, 0 while it runs, -errno (said)
 */
int session_poll_child(struct session *s, struct child *ch, int timeout_ms,
		       int *code);
/* Poll until ch exits: its exit code, or -errno */
int session_wait_child(struct session *s, struct child *ch);
/* Run argv traced (stdout to /dev/null when quiet); its exit code or -errno */
int session_run_child(struct session *s, char *const argv[], bool quiet);
void session_stop(struct session *s);
struct timespec;
/* Has CLOCK_MONOTONIC reached t (an interval's end)? */
bool session_deadline_passed(const struct timespec *t);
/* A fresh view, BPF maps and counters cleared; 0 or -ENOMEM */
int session_reset(struct session *s);
/* Latency, windows and violations, one after the other */
int print_all_views(struct dt_view *v, const struct view_opts *o, FILE *out);

#endif /* DMATRACE_SESSION_H */
