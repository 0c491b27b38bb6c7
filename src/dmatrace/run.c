// SPDX-License-Identifier: GPL-2.0
/* `dmatrace latency|windows|violations`: one tracing session */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "child.h"
#include "cli.h"
#include "session.h"

static volatile sig_atomic_t exiting;

static void on_signal(int sig)
{
	(void)sig;
	exiting = 1;
}

void session_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

bool session_interrupted(void)
{
	return exiting;
}

int session_start(struct session *s, const struct cli *c, bool all_concerns)
{
	struct tracer_opts o = {
		.target = c->target,
		.lib = c->lib,
		.force_kprobe = c->force_kprobe,
		.cfg = {
			.tgid = c->pid,
			.ioas_id = c->ioas_id,
			.op = c->op < 0 ? 0 : c->op,
			.filter_op = c->op >= 0,
			.tgid_set = c->argv_cmd || c->cmd == CMD_DEMO,
			.windows = all_concerns,
			.violations = all_concerns,
			/* faults only come from a real IOMMU */
			.unmap_events = all_concerns && c->target == TARGET_KERNEL,
		},
	};
	char err[512];
	int e;

	if (geteuid() != 0) {
		fprintf(stderr, "dmatrace: needs root to load BPF programs (CAP_BPF and CAP_PERFMON)\n");
		return -EPERM;
	}
	if (c->cmd == CMD_VIOLATIONS && !c->json)
		o.live = stdout;
	s->view = view_new();
	if (!s->view) {
		fprintf(stderr, "dmatrace: out of memory\n");
		return -ENOMEM;
	}
	e = tracer_start(&s->t, &o, s->view, err, sizeof(err));
	if (e) {
		fprintf(stderr, "dmatrace: %s\n", err);
		view_free(s->view);
		s->view = NULL;
		return e;
	}
	attach_plan_report(tracer_plan(s->t), stderr);
	return 0;
}

int session_reset(struct session *s)
{
	struct dt_view *v = view_new();

	if (!v) {
		fprintf(stderr, "dmatrace: out of memory\n");
		return -ENOMEM;
	}
	tracer_reset(s->t, v);
	view_free(s->view);
	s->view = v;
	return 0;
}

void session_stop(struct session *s)
{
	tracer_stop(s->t);
	view_free(s->view);
	s->t = NULL;
	s->view = NULL;
}

/*
 * Run argv held at the gate, add it to the traced set, let it go and poll
 * events until it exits. Returns its exit code, or -errno.
 */
int session_run_child(struct session *s, char *const argv[], bool quiet)
{
	struct child ch;
	int e, code;

	e = child_spawn(&ch, argv, quiet);
	if (e) {
		fprintf(stderr, "dmatrace: cannot fork: %s\n", strerror(-e));
		return e;
	}
	e = tracer_add_tgid(s->t, ch.pid);
	child_release(&ch, e == 0);
	if (e)
		fprintf(stderr, "dmatrace: cannot trace pid %d: %s\n", ch.pid,
			strerror(-e));
	while ((e = child_reap(&ch, false, &code)) == 0) {
		if (exiting)
			kill(ch.pid, SIGTERM);
		tracer_poll(s->t, 50);
	}
	if (e < 0) {
		fprintf(stderr, "dmatrace: waiting for %s: %s\n", argv[0],
			strerror(-e));
		return e;
	}
	tracer_poll(s->t, 0);
	return code;
}

static void print_timestamp(void)
{
	char buf[32];
	time_t now = time(NULL);

	strftime(buf, sizeof(buf), "%H:%M:%S", localtime(&now));
	printf("%-8s\n", buf);
}

int print_all_views(struct dt_view *v, const struct view_opts *o, FILE *out)
{
	int e;

	fprintf(out, "=== Latency ===\n");
	e = view_print_hists(v, o, out);
	fprintf(out, "\n=== Windows ===\n");
	e = e ?: view_print_windows(v, out);
	fprintf(out, "\n=== Violations ===\n");
	e = e ?: view_print_violations(v, out);
	fputc('\n', out);
	return e;
}

static int print_views(struct session *s, const struct cli *c)
{
	int e = tracer_collect(s->t);

	if (e) {
		fprintf(stderr, "dmatrace: reading the maps: %s\n", strerror(-e));
		return e;
	}
	if (c->json || c->openmetrics) {
		e = c->json ? view_write_json(s->view, &c->view, stdout) :
			      view_write_openmetrics(s->view, &c->view, stdout);
		fflush(stdout);
		return e;
	}
	switch (c->cmd) {
	case CMD_LATENCY:
		e = view_print_hists(s->view, &c->view, stdout);
		break;
	case CMD_WINDOWS:
		e = view_print_windows(s->view, stdout);
		break;
	case CMD_VIOLATIONS:
		/* each line was printed live (session_start): the tally is left */
		view_print_violation_tally(s->view, stdout);
		break;
	default:
		e = print_all_views(s->view, &c->view, stdout);
		break;
	}
	view_print_counters(s->view, stdout);
	fflush(stdout);
	return e;
}

/* latency with an interval: print (and clear) the histograms every interval */
static int run_intervals(struct session *s, const struct cli *c)
{
	int left = c->count, e = 0;
	struct timespec next, now;

	fprintf(stderr, "Tracing DMA mapping... Hit Ctrl-C to end.\n");
	clock_gettime(CLOCK_MONOTONIC, &next);
	while (!exiting && !e) {
		next.tv_sec += c->interval;
		do {
			tracer_poll(s->t, 100);
			clock_gettime(CLOCK_MONOTONIC, &now);
		} while (!exiting && (now.tv_sec < next.tv_sec ||
			 (now.tv_sec == next.tv_sec && now.tv_nsec < next.tv_nsec)));
		if (c->timestamp && !c->json && !c->openmetrics)
			print_timestamp();
		e = print_views(s, c);
		tracer_clear_hists(s->t);
		if (c->count && --left == 0)
			break;
	}
	return e;
}

int run_trace(const struct cli *c)
{
	bool all = c->cmd != CMD_LATENCY || c->json;
	struct session s = {};
	int e, code = 0;

	if (c->argv_cmd && (e = child_check(c->argv_cmd[0]))) {
		fprintf(stderr, "dmatrace: cannot run %s: %s\n", c->argv_cmd[0],
			strerror(-e));
		return 127;
	}
	session_signals();
	if (session_start(&s, c, all))
		return 1;
	if (c->argv_cmd) {
		code = session_run_child(&s, c->argv_cmd, false);
		if (code < 0)
			code = 1;
		e = print_views(&s, c);
	} else if (c->interval) {
		e = run_intervals(&s, c);
	} else {
		/* stderr, also with -j: scripts wait for it to know probes are live */
		fprintf(stderr, "Tracing DMA mapping... Hit Ctrl-C to end.\n");
		while (!exiting)
			tracer_poll(s.t, 100);
		e = print_views(&s, c);
	}
	session_stop(&s);
	if (e && !code)
		code = 1;
	return code;
}
