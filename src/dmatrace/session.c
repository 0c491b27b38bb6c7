// SPDX-License-Identifier: GPL-2.0
/* A tracing session: signals, a tracer feeding a view, traced commands */
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
		/* what processes held before: not for a command started here */
		.snapshot = all_concerns && !c->argv_cmd && c->cmd != CMD_DEMO,
		.limits = c->limits,
	};
	char err[512];
	int e;

	if (geteuid() != 0) {
		fprintf(stderr, "dmatrace: needs root to load BPF programs (CAP_BPF and CAP_PERFMON)\n");
		return -EPERM;
	}
	if (c->cmd == CMD_VIOLATIONS && c->format != FORMAT_JSON)
		o.live = s->out ?: stdout;
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
	snapshot_report(tracer_snapshot(s->t), stderr);
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

int session_spawn(struct session *s, struct child *ch, char *const argv[],
		  bool quiet)
{
	int e = child_spawn(ch, argv, quiet);

	if (e) {
		fprintf(stderr, "dmatrace: cannot fork: %s\n", strerror(-e));
		return e;
	}
	e = tracer_add_tgid(s->t, ch->pid);
	child_release(ch, e == 0);
	if (e)
		fprintf(stderr, "dmatrace: cannot trace pid %d: %s\n", ch->pid,
			strerror(-e));
	return 0;
}

int session_poll_child(struct session *s, struct child *ch, int timeout_ms,
		       int *code)
{
	int e = child_reap(ch, false, code);

	if (e < 0) {
		fprintf(stderr, "dmatrace: waiting for pid %d: %s\n", ch->pid,
			strerror(-e));
		return e;
	}
	if (e) {
		tracer_poll(s->t, 0);	/* what it did last */
		return 1;
	}
	if (exiting)
		kill(ch->pid, SIGTERM);
	tracer_poll(s->t, timeout_ms);
	return 0;
}

/*
 * Run argv held at the gate, add it to the traced set, let it go and poll
 * events until it exits. Returns its exit code, or -errno.
 */
int session_run_child(struct session *s, char *const argv[], bool quiet)
{
	struct child ch;
	int e;

	e = session_spawn(s, &ch, argv, quiet);
	return e ? e : session_wait_child(s, &ch);
}

int session_wait_child(struct session *s, struct child *ch)
{
	int e, code;

	while ((e = session_poll_child(s, ch, 50, &code)) == 0)
		;
	return e < 0 ? e : code;
}

int print_all_views(struct dt_view *v, const struct view_opts *o, FILE *out)
{
	int e;

	fprintf(out, "=== Latency ===\n");
	e = view_print_hists(v, o, out);
	fprintf(out, "\n=== Windows ===\n");
	e = e ?: view_print_windows(v, out);
	fprintf(out, "\n=== Violations ===\n");
	e = e ?: view_print_violations_grouped(v, o->examples, out);
	fputc('\n', out);
	return e;
}

bool session_deadline_passed(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > t->tv_sec ||
	       (now.tv_sec == t->tv_sec && now.tv_nsec >= t->tv_nsec);
}
