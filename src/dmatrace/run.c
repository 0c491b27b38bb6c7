// SPDX-License-Identifier: GPL-2.0
/* `dmatrace latency|windows|violations`: one tracing session */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "child.h"
#include "cli.h"
#include "output.h"
#include "session.h"

static void print_timestamp(FILE *out)
{
	char buf[32];
	time_t now = time(NULL);

	strftime(buf, sizeof(buf), "%H:%M:%S", localtime(&now));
	fprintf(out, "%-8s\n", buf);
}

/* -j, --openmetrics, --prometheus */
static int print_format(struct session *s, const struct cli *c)
{
	switch (c->format) {
	case FORMAT_JSON:
		return view_write_json(s->view, &c->view, s->out);
	case FORMAT_OPENMETRICS:
		return view_write_openmetrics(s->view, &c->view, s->out);
	default:
		return view_write_prometheus(s->view, &c->view, s->out);
	}
}

static int print_views(struct session *s, const struct cli *c)
{
	FILE *out = s->out;
	int e = tracer_collect(s->t);

	if (e) {
		fprintf(stderr, "dmatrace: reading the maps: %s\n", strerror(-e));
		return e;
	}
	if (c->format != FORMAT_TEXT) {
		e = print_format(s, c);
		output_flush(out);
		return e;
	}
	switch (c->cmd) {
	case CMD_LATENCY:
		e = view_print_hists(s->view, &c->view, out);
		break;
	case CMD_WINDOWS:
		e = view_print_windows(s->view, out);
		break;
	case CMD_VIOLATIONS:
		/* each line was printed live (session_start): the tally is left */
		view_print_violation_tally(s->view, out);
		break;
	default:
		e = print_all_views(s->view, &c->view, out);
		break;
	}
	view_print_counters(s->view, out);
	output_flush(out);
	return e;
}

/*
 * Feed events until the time end, Ctrl-C or, with ch, the command's exit:
 * 1 (and *code) when it exited, 0 otherwise, -errno on error
 */
static int wait_until(struct session *s, struct child *ch,
		      const struct timespec *end, int *code)
{
	int r;

	while (!session_interrupted() && !session_deadline_passed(end)) {
		if (!ch) {
			tracer_poll(s->t, 100);
			continue;
		}
		r = session_poll_child(s, ch, 100, code);
		if (r)
			return r;
	}
	return 0;
}

/*
 * latency with an interval: print (and clear) the histograms every
 * interval, until Ctrl-C, count intervals or, with ch, the command's exit
 * (its last, partial interval printed too). *exited: the command ended.
 */
static int run_intervals(struct session *s, const struct cli *c,
			 struct child *ch, int *code, bool *exited)
{
	int left = c->count, e = 0, r;
	struct timespec next;

	fprintf(stderr, "Tracing DMA mapping... Hit Ctrl-C to end.\n");
	clock_gettime(CLOCK_MONOTONIC, &next);
	while (!e) {
		next.tv_sec += c->interval;
		r = wait_until(s, ch, &next, code);
		if (r < 0)
			return r;
		if (c->timestamp && c->format == FORMAT_TEXT)
			print_timestamp(s->out);
		e = print_views(s, c);
		tracer_clear_hists(s->t);
		*exited = r == 1;
		if (*exited || (!ch && session_interrupted()) ||
		    (c->count && --left == 0))
			break;
	}
	return e;
}

/* Why -- CMD may have hit no probe, for the warning */
static const char *no_hit_reason(const struct cli *c)
{
	if (c->op >= 0 || c->ioas_id)
		return "none of its ops matched --op/--ioas, or it made no DMA op";
	if (c->target == TARGET_REF)
		return "it made no call into that library: it may load another copy of libdmaref.so (--target ref:PATH names the one it loads) or make no DMA op";
	return "it made no iommufd or VFIO type1 call (an ioctl on /dev/iommu or /dev/vfio/vfio), neither did its children: it may make no DMA op, or hand them to a process started elsewhere (trace that one with -p PID)";
}

/*
 * The exit status of -- CMD that ended with code: when no probe was hit,
 * a warning, and DT_EXIT_NO_HIT instead of 0 (CMD's own failure wins)
 */
static int command_status(struct session *s, const struct cli *c, int code)
{
	if (tracer_hit(s->t))
		return code;
	fprintf(stderr, "dmatrace: no probe was hit: %s on %s: %s\n",
		c->argv_cmd[0], c->target == TARGET_REF ? c->lib : "the kernel",
		no_hit_reason(c));
	return code ? code : DT_EXIT_NO_HIT;
}

/*
 * -- CMD: trace it until it exits, then print the views; with an
 * interval, print them every interval, and after count intervals end the
 * command (SIGTERM) and exit 0. Returns the exit status.
 */
static int run_command(struct session *s, const struct cli *c)
{
	struct child ch;
	bool exited = false;
	int e, code = 0;

	e = session_spawn(s, &ch, c->argv_cmd, false);
	if (e)
		return 1;
	if (!c->interval) {
		code = session_wait_child(s, &ch);
		if (code < 0 || print_views(s, c))
			return 1;
		return command_status(s, c, code);
	}
	e = run_intervals(s, c, &ch, &code, &exited);
	if (!exited) {
		kill(ch.pid, SIGTERM);
		child_reap(&ch, true, &code);
		code = session_interrupted() ? code : 0;
	}
	return e ? 1 : command_status(s, c, code);
}

/*
 * A loss (a full map, a full ring buffer...): one line on stderr, and
 * DT_EXIT_LOST instead of 0 (a non-zero code, e.g. -- CMD's, wins)
 */
static int loss_status(const struct session *s, int code)
{
	char line[1024];

	if (!s->view || !view_loss_line(s->view, line, sizeof(line)))
		return code;
	fprintf(stderr, "dmatrace: lost: %s; the figures they affect are marked as lower bounds%s\n",
		line, code ? "" : " (exit 70)");
	return code ? code : DT_EXIT_LOST;
}

int run_trace(const struct cli *c)
{
	/* text latency shows histograms only; every other output carries the
	   IOAS, violation and fault families too, so trace those concerns */
	bool all = c->cmd != CMD_LATENCY || c->format != FORMAT_TEXT;
	struct session s = {};
	int e, code = 0;

	if (c->argv_cmd && (e = child_check(c->argv_cmd[0]))) {
		fprintf(stderr, "dmatrace: cannot run %s: %s\n", c->argv_cmd[0],
			strerror(-e));
		return 127;
	}
	s.out = c->output ? fopen(c->output, "w") : stdout;
	if (!s.out) {
		fprintf(stderr, "dmatrace: cannot open %s: %s\n", c->output,
			strerror(errno));
		return 1;
	}
	session_signals();
	if (session_start(&s, c, all)) {
		if (s.out != stdout)
			fclose(s.out);
		return 1;
	}
	if (c->argv_cmd) {
		code = run_command(&s, c);
	} else if (c->interval) {
		e = run_intervals(&s, c, NULL, &code, &(bool){ false });
	} else {
		/* stderr, also with -j: scripts wait for it to know probes are live */
		fprintf(stderr, "Tracing DMA mapping... Hit Ctrl-C to end.\n");
		while (!session_interrupted())
			tracer_poll(s.t, 100);
		e = print_views(&s, c);
	}
	if (!e)
		code = loss_status(&s, code);
	session_stop(&s);
	if (e && !code)
		code = 1;
	if (s.out != stdout && output_finish(s.out, c->output) && !code)
		code = 1;
	return code;
}
