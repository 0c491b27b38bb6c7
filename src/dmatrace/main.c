// SPDX-License-Identifier: GPL-2.0
/*
 * dmatrace: trace and profile DMA mapping (iommufd IOAS, VFIO type1, IOMMU
 * faults) on the kernel or on the reference implementation.
 */
#include <argp.h>
#include <errno.h>
#include <libgen.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "dmatrace/hist.h"
#include "attach.h"
#include "cli.h"
#include "exporter.h"
#include "layout/layout.h"
#include "output.h"
#include "target.h"

static const char doc[] =
"Trace and profile DMA mapping (iommufd IOAS, VFIO type1, IOMMU faults).\n"
"\n"
"Commands (none: all three views, e.g. dmatrace -j -- CMD):\n"
"  probe        what can be attached here, and why not\n"
"  latency      latency histograms per op (and errno, size class)\n"
"  windows      IOVA windows per IOAS: allowed, reserved, usage\n"
"  violations   rejected and out-of-window operations, faults\n"
"  exporter     serve /metrics over HTTP (--listen, default\n"
"               " EXPORTER_LISTEN_DEFAULT ") and/or write a node_exporter\n"
"               textfile (--textfile): every process traced, cumulative\n"
"               since start, until SIGTERM\n"
"  demo         run dmaload scenarios on the reference implementation\n"
"               under the tracer and print the three views\n"
"  diff OLD NEW compare two JSON records (dmatrace diff -h)\n"
"  layout       this host's IOMMU groups, reserved regions, address widths;\n"
"               layout diff A B: can a guest move from host A to host B\n"
"               (dmatrace layout -h)\n"
"\n"
"Options may come before or after the command.\n"
"\v"
"-- CMD [ARGS]: run CMD with the probes live, trace it and its children,\n"
"print the views when it exits and exit with its exit code; 69 instead of\n"
"0 (and a warning) when it hit no probe; 127 when CMD cannot run.\n"
"\n"
"Capacity: the BPF maps hold --max-keys latency keys, --max-ioas IOAS and\n"
"containers, --max-areas live areas and --max-procs processes, allocated as\n"
"they fill. What does not fit is counted (hist_full, pin_full, ioas_full,\n"
"areas_full, procs_full, tgids_full, devs_full; also rb_drops, cas_lost,\n"
"snapshot_cut, faults_cut, stash_miss, read_fail), shown next to each\n"
"figure it makes a lower bound of, and\n"
"stated in one line on stderr; the exit status is then 70 instead of 0\n"
"(with -- CMD, its own non-zero status wins). 1: an error, 2: bad usage.\n"
"\n"
"latency interval [count]: print (and clear) the histograms every interval\n"
"seconds, until Ctrl-C or count intervals. With -- CMD: every interval\n"
"while CMD runs, and its last, partial interval when it exits (exit: its\n"
"exit code); after count intervals CMD is ended (SIGTERM) and the exit is 0\n"
"(69 when it hit no probe).\n"
"\n"
"exporter [interval]: --textfile is rewritten every interval seconds\n"
"(default 15). A scrape whose Accept asks for application/openmetrics-text\n"
"gets OpenMetrics 1.0.0, any other the Prometheus text 0.0.4. At most\n"
"--max-series series (label sets) per family are exported as they are\n"
"(default 200, 0: no bound); the rest are summed into one more series whose\n"
"labels are all \"other\", and counted in\n"
"dmatrace_exporter_folded_series{family}.\n";

static const char args_doc[] = "[COMMAND] [interval [count]] [-- CMD [ARGS]]";

enum { OPT_IOAS = 256, OPT_OP, OPT_TARGET, OPT_FORCE_KPROBE, OPT_OPENMETRICS,
       OPT_PROMETHEUS, OPT_BY, OPT_ALL, OPT_MAX_AREAS, OPT_MAX_IOAS,
       OPT_MAX_KEYS, OPT_MAX_PROCS, OPT_LISTEN, OPT_TEXTFILE,
       OPT_MAX_SERIES };

/* The largest capacity each --max-* option takes */
#define MAX_AREAS_CAP	(1U << 24)
#define MAX_IOAS_CAP	(1U << 20)
#define MAX_KEYS_CAP	(1U << 20)
#define MAX_PROCS_CAP	(1U << 22)	/* pid_max's limit */

#define STR_(x) #x
#define STR(x) STR_(x)

static const struct argp_option opts[] = {
	{ NULL, 0, NULL, 0, "What to trace:", 1 },
	{ "pid", 'p', "PID", 0, "trace only this process", 1 },
	{ "ioas", OPT_IOAS, "ID", 0, "only this IOAS (latency, violations)", 1 },
	/* help_filter() appends the op list */
	{ "op", OPT_OP, "OP", 0, "only this op:", 1 },
	{ NULL, 0, NULL, 0, "Output:", 2 },
	{ "timestamp", 'T', NULL, 0, "print a timestamp with each interval", 2 },
	{ "milliseconds", 'm', NULL, 0, "histograms in msecs", 2 },
	{ "microseconds", 'u', NULL, 0, "histograms in usecs (default)", 2 },
	{ "json", 'j', NULL, 0, "one JSON record (with the ground-truth summary)", 2 },
	{ "openmetrics", OPT_OPENMETRICS, NULL, 0,
	  "latency histograms, IOAS gauges, violation and loss counters as OpenMetrics text", 2 },
	{ "prometheus", OPT_PROMETHEUS, NULL, 0,
	  "the same in the Prometheus text format 0.0.4 (what promtool check metrics reads)", 2 },
	{ "by", OPT_BY, "LIST", 0,
	  "keep histograms apart also by pid and/or ioas (LIST: pid, ioas, pid,ioas)", 2 },
	{ "all", OPT_ALL, NULL, 0,
	  "every violation and fault line in the text of the demo and the all-views run (default: grouped by kind, 3 distinct lines each)", 2 },
	{ "output", 'o', "FILE", 0,
	  "write the views (text, -j record, --openmetrics, --prometheus) to FILE, not stdout", 2 },
	{ "verbose", 'v', NULL, 0, "libbpf's own messages", 2 },
	{ "listen", OPT_LISTEN, "ADDR", 0,
	  "exporter: serve /metrics on HOST:PORT, [V6]:PORT or :PORT (default " EXPORTER_LISTEN_DEFAULT " unless --textfile)", 2 },
	{ "textfile", OPT_TEXTFILE, "PATH", 0,
	  "exporter: write the Prometheus text to PATH every interval (PATH.tmp, fsync, rename)", 2 },
	{ "max-series", OPT_MAX_SERIES, "N", 0,
	  "exporter: at most N series per metric family, the rest summed into one labelled \"other\" (default 200; 0: no bound)", 2 },
	{ NULL, 0, NULL, 0, "Where to attach:", 3 },
	{ "target", OPT_TARGET, "T", 0,
	  "kernel | ref[:PATH] (default: kernel when it has iommufd or VFIO, else ref with libdmaref.so next to this binary; PATH is a file, a relative one from the current directory)", 3 },
	{ "force-kprobe", OPT_FORCE_KPROBE, NULL, 0,
	  "kernel: kprobes even where fentry works", 3 },
	{ NULL, 0, NULL, 0, "Capacity (what does not fit is counted, shown as a lower bound, exit 70):", 4 },
	{ "max-areas", OPT_MAX_AREAS, "N", 0,
	  "live mapped areas tracked (default " STR(DT_MAX_AREAS) ", at most 16777216)", 4 },
	{ "max-ioas", OPT_MAX_IOAS, "N", 0,
	  "IOAS and type1 containers tracked (default " STR(DT_MAX_IOAS) ", at most 1048576)", 4 },
	{ "max-keys", OPT_MAX_KEYS, "N", 0,
	  "latency histogram keys (op, errno, size class, IOAS, pid; default " STR(DT_MAX_KEYS) ", at most 1048576)", 4 },
	{ "max-procs", OPT_MAX_PROCS, "N", 0,
	  "processes named and followed under -- CMD (default " STR(DT_MAX_PROCS) ", at most 4194304)", 4 },
	{ "help", 'h', NULL, 0, "this help", 5 },
	{}
};

/* argp's state while parsing: what the options and arguments said */
struct parse {
	struct cli *c;
	const char *target;	/* --target, resolved once all is parsed */
	unsigned int formats;	/* 1 << FORMAT_* given */
	unsigned int units;	/* 1 << VIEW_UNIT_* given */
	int last_next;		/* argp's state->next after the last key */
	bool failed;		/* a key's error is already printed */
};

static bool verbose;

static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	(void)level;
	if (!verbose)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static int fail(const char *fmt, ...)
{
	va_list ap;

	fputs("dmatrace: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -EINVAL;
}

int self_dir(char *buf, size_t sz)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n < 0)
		return -errno;
	exe[n] = 0;
	snprintf(buf, sz, "%s", dirname(exe));
	return 0;
}

static int parse_num(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 0);
	if (errno || end == s || *end || *s == '-' || *out > max)
		return -EINVAL;
	return 0;
}

/* --max-*: a capacity from 1 to cap */
static int parse_limit(const char *opt, const char *arg, unsigned int cap,
		       __u32 *out)
{
	unsigned long v;

	if (parse_num(arg, cap, &v) || !v)
		return fail("bad --%s '%s' (a number from 1 to %u)", opt, arg,
			    cap);
	*out = v;
	return 0;
}

static int parse_target(struct cli *c, const char *arg)
{
	char err[512];

	if (target_resolve(arg, c->cmd != CMD_PROBE, &c->target, c->lib,
			   sizeof(c->lib), err, sizeof(err)))
		return fail("%s", err);
	return 0;
}

/* --by pid,ioas: extra histogram dimensions */
static int parse_by(struct cli *c, const char *list)
{
	char buf[64], *tok, *save;

	if (strlen(list) >= sizeof(buf))
		return fail("bad --by '%s' (pid, ioas)", list);
	strcpy(buf, list);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "pid"))
			c->view.split |= VIEW_SPLIT_PID;
		else if (!strcmp(tok, "ioas"))
			c->view.split |= VIEW_SPLIT_IOAS;
		else
			return fail("bad --by '%s' (pid, ioas)", list);
	}
	return 0;
}

/* "ioas_alloc, destroy, ...": every op dt_op_name() knows */
static void op_list(char *buf, size_t sz)
{
	size_t n = 0;
	int op;

	buf[0] = 0;
	for (op = 0; op < DT_OP_MAX && n < sz; op++)
		n += snprintf(buf + n, sz - n, "%s%s", op ? ", " : "",
			      dt_op_name(op));
}

static int parse_op(struct cli *c, const char *arg)
{
	char list[512];
	int op;

	for (op = 0; op < DT_OP_MAX; op++)
		if (!strcmp(arg, dt_op_name(op))) {
			c->op = op;
			return 0;
		}
	op_list(list, sizeof(list));
	return fail("unknown op '%s' (%s)", arg, list);
}

static char *help_filter(int key, const char *text, void *input)
{
	char list[512], *s;

	(void)input;
	if (key != OPT_OP)
		return (char *)text;
	op_list(list, sizeof(list));
	if (asprintf(&s, "%s %s", text, list) < 0)
		return (char *)text;
	return s;
}

static int parse_cmd(struct cli *c, const char *name)
{
	static const char *const names[] = {
		[CMD_PROBE] = "probe", [CMD_LATENCY] = "latency",
		[CMD_WINDOWS] = "windows", [CMD_VIOLATIONS] = "violations",
		[CMD_DEMO] = "demo", [CMD_EXPORTER] = "exporter",
	};
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i])) {
			c->cmd = i;
			return 0;
		}
	return fail("unknown command '%s' (try dmatrace -h)", name);
}

/* The first argument names the command; latency takes interval [count] */
static int parse_positional(struct cli *c, const char *arg)
{
	unsigned long v;

	if (c->cmd == CMD_ALL)
		return parse_cmd(c, arg);
	if ((c->cmd == CMD_LATENCY || c->cmd == CMD_EXPORTER) && !c->interval) {
		if (parse_num(arg, 86400, &v) || !v)
			return fail("unexpected argument '%s'", arg);
		c->interval = v;
		return 0;
	}
	if (c->cmd == CMD_LATENCY && !c->count) {
		if (parse_num(arg, INT32_MAX, &v) || !v)
			return fail("bad count '%s'", arg);
		c->count = v;
		return 0;
	}
	return fail("unexpected argument '%s'", arg);
}

/* -m/-u and -j/--openmetrics: a clash is refused once all is read */
static int parse_unit(struct parse *p, enum view_unit unit)
{
	p->c->view.unit = unit;
	p->units |= 1u << unit;
	return 0;
}

static int parse_format(struct parse *p, enum cli_format format)
{
	p->c->format = format;
	p->formats |= 1u << format;
	return 0;
}

static int parse_key(struct parse *p, int key, char *arg,
		     const struct argp_state *state)
{
	struct cli *c = p->c;
	unsigned long v;

	switch (key) {
	case 'p':
		if (parse_num(arg, INT32_MAX, &v) || !v)
			return fail("bad pid '%s'", arg);
		c->pid = v;
		return 0;
	case OPT_IOAS:
		if (parse_num(arg, UINT32_MAX, &v) || !v)
			return fail("bad IOAS id '%s'", arg);
		c->ioas_id = v;
		return 0;
	case OPT_OP: return parse_op(c, arg);
	case 'T': c->timestamp = true; return 0;
	case 'm': return parse_unit(p, VIEW_UNIT_MSECS);
	case 'u': return parse_unit(p, VIEW_UNIT_USECS);
	case 'j': return parse_format(p, FORMAT_JSON);
	case OPT_OPENMETRICS: return parse_format(p, FORMAT_OPENMETRICS);
	case OPT_PROMETHEUS: return parse_format(p, FORMAT_PROMETHEUS);
	case OPT_BY: return parse_by(c, arg);
	case OPT_ALL: c->view.examples = 0; return 0;
	case 'o': c->output = arg; return 0;
	case OPT_LISTEN: c->listen = arg; return 0;
	case OPT_TEXTFILE: c->textfile = arg; return 0;
	case OPT_MAX_SERIES:
		if (parse_num(arg, 1000000, &v))
			return fail("bad --max-series '%s' (0-1000000)", arg);
		c->max_series = v;
		return 0;
	case 'v': c->verbose = true; return 0;
	case OPT_TARGET: p->target = arg; return 0;
	case OPT_FORCE_KPROBE: c->force_kprobe = true; return 0;
	case OPT_MAX_AREAS:
		return parse_limit("max-areas", arg, MAX_AREAS_CAP, &c->limits.areas);
	case OPT_MAX_IOAS:
		return parse_limit("max-ioas", arg, MAX_IOAS_CAP, &c->limits.ioas);
	case OPT_MAX_KEYS:
		return parse_limit("max-keys", arg, MAX_KEYS_CAP, &c->limits.keys);
	case OPT_MAX_PROCS:
		return parse_limit("max-procs", arg, MAX_PROCS_CAP, &c->limits.procs);
	case 'h':
		argp_help(state->root_argp, stdout, ARGP_HELP_STD_HELP,
			  "dmatrace");
		exit(0);
	case ARGP_KEY_ARG: return parse_positional(c, arg);
	default: return -ENOENT;	/* not a key of ours */
	}
}

/* --NAME, or a prefix of only one NAME, as getopt_long takes it */
static const struct argp_option *long_opt(const char *name, size_t n)
{
	const struct argp_option *o, *found = NULL;
	int matches = 0;

	for (o = opts; o->name || o->key || o->doc; o++) {
		if (!o->name || strncmp(o->name, name, n))
			continue;
		if (!o->name[n])
			return o;
		found = o;
		matches++;
	}
	return matches == 1 ? found : NULL;
}

static const struct argp_option *short_opt(int key)
{
	const struct argp_option *o;

	for (o = opts; o->name || o->key || o->doc; o++)
		if (o->key == key)
			return o;
	return NULL;
}

/*
 * The option that the last argument ARG ends with, when it takes a value
 * (getopt found none after it): its name ("--pid", "-p") in NAME
 */
static bool needs_value(const char *arg, char *name, size_t sz)
{
	const struct argp_option *o;
	size_t n = strlen(arg);

	if (n < 2 || arg[0] != '-' || strchr(arg, '='))
		return false;
	o = arg[1] == '-' ? long_opt(arg + 2, n - 2) :
			    short_opt((unsigned char)arg[n - 1]);
	if (!o || !o->arg)
		return false;
	if (arg[1] == '-')
		snprintf(name, sz, "--%s", o->name);
	else
		snprintf(name, sz, "-%c", o->key);
	return true;
}

/*
 * getopt refused an option: unknown, or its value missing. It moved
 * state->next past that argument, unless it stopped inside a cluster of
 * short options ("-xj").
 */
static void bad_option(const struct parse *p, const struct argp_state *state)
{
	bool inside = state->next == p->last_next;
	int i = inside ? state->next : state->next - 1;
	const char *arg = i > 0 && i < state->argc ? state->argv[i] : "";
	char name[64];

	if (!inside && state->next == state->argc &&
	    needs_value(arg, name, sizeof(name)))
		fail("option '%s' needs a value", name);
	else
		fail("bad option '%s' (try dmatrace -h)", arg);
}

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	struct parse *p = state->input;
	int e;

	if (key == ARGP_KEY_ERROR) {
		if (!p->failed)
			bad_option(p, state);
		return 0;
	}
	e = parse_key(p, key, arg, state);
	if (e == -ENOENT)
		return ARGP_ERR_UNKNOWN;
	p->last_next = state->next;
	p->failed = e != 0;
	return -e;
}

static const struct argp argp = {
	.options = opts,
	.parser = parse_arg,
	.args_doc = args_doc,
	.doc = doc,
	.help_filter = help_filter,
};

/* exporter: an address that parses, a textfile, no CMD, no other format */
static int check_exporter(struct parse *p)
{
	struct cli *c = p->c;
	struct sockaddr_storage ss;
	char err[512];

	if (c->argv_cmd)
		return fail("exporter traces every process (or -p PID): no -- CMD");
	if (p->formats || c->output)
		return fail("exporter: -j, --openmetrics, --prometheus and -o do not apply (--listen, --textfile)");
	if (c->textfile && !*c->textfile)
		return fail("--textfile needs a file name");
	if (!c->listen && !c->textfile)
		c->listen = EXPORTER_LISTEN_DEFAULT;
	if (c->listen && exporter_parse_listen(c->listen, &ss, err, sizeof(err)))
		return fail("%s", err);
	if (!c->interval)
		c->interval = EXPORTER_INTERVAL_DEFAULT;
	return 0;
}

/* What no single option can check alone, then the target */
static int check_args(struct parse *p)
{
	struct cli *c = p->c;

	if (c->pid && kill(c->pid, 0) && errno == ESRCH)
		return fail("no such process: %d", c->pid);
	if (c->pid && c->argv_cmd)
		return fail("-p and -- CMD exclude each other");
	if (p->formats & (p->formats - 1))
		return fail("-j, --openmetrics and --prometheus exclude each other");
	if (p->units == (1u << VIEW_UNIT_MSECS | 1u << VIEW_UNIT_USECS))
		return fail("-m and -u exclude each other");
	if (c->output && (c->cmd == CMD_PROBE || c->cmd == CMD_DEMO))
		return fail("-o applies to latency, windows, violations and the all-views run");
	if (c->output && !*c->output)
		return fail("-o needs a file name");
	if (c->cmd != CMD_EXPORTER && (c->listen || c->textfile))
		return fail("--listen and --textfile apply to dmatrace exporter");
	if (c->cmd == CMD_EXPORTER && check_exporter(p))
		return -EINVAL;
	if (c->cmd == CMD_DEMO && !p->target)
		p->target = "ref";
	return parse_target(c, p->target);
}

static int parse_args(struct cli *c, int argc, char **argv)
{
	struct parse p = { .c = c, .last_next = 1 };
	int i, nopts = argc;

	/* Split at "--": what follows is the command to run */
	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--")) {
			nopts = i;
			if (i + 1 >= argc)
				return fail("nothing to run after --");
			c->argv_cmd = &argv[i + 1];
			break;
		}
	/*
	 * In order, so that options and arguments mix (the command first);
	 * our own messages and help, one line per error
	 */
	if (argp_parse(&argp, nopts, argv, ARGP_IN_ORDER | ARGP_NO_ERRS |
		       ARGP_NO_HELP, NULL, &p))
		return -EINVAL;
	return check_args(&p);
}

static int run_cmd(const struct cli *c)
{
	switch (c->cmd) {
	case CMD_PROBE:
		return run_probe(c);
	case CMD_DEMO:
		return run_demo(c);
	case CMD_EXPORTER:
		return run_exporter(c);
	default:
		return run_trace(c);
	}
}

int main(int argc, char **argv)
{
	struct cli c = { .cmd = CMD_ALL, .op = -1, .view = VIEW_OPTS_DEFAULT,
			 .max_series = EXPORTER_MAX_SERIES_DEFAULT };
	int code;

	if (argc < 2) {
		argp_help(&argp, stderr, ARGP_HELP_STD_HELP, "dmatrace");
		return 2;
	}
	if (!strcmp(argv[1], "diff")) {
		code = view_diff_main(argc - 1, argv + 1);
		return output_finish(stdout, "stdout") && code != 2 ? 2 : code;
	}
	if (!strcmp(argv[1], "layout")) {
		code = layout_main(argc - 1, argv + 1);
		return output_finish(stdout, "stdout") && !code ? 1 : code;
	}
	if (parse_args(&c, argc, argv))
		return 2;
	verbose = c.verbose;
	libbpf_set_print(libbpf_print);
	code = run_cmd(&c);
	/* stdout is checked last, whatever went there (> /dev/full) */
	if (output_finish(stdout, "stdout") && !code)
		code = 1;
	return code;
}
