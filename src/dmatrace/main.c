// SPDX-License-Identifier: GPL-2.0
/*
 * dmatrace: trace and profile DMA mapping (iommufd IOAS, VFIO type1, IOMMU
 * faults) on the kernel or on the reference implementation.
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "attach.h"
#include "cli.h"

static const char usage[] =
"Usage: dmatrace [COMMAND] [OPTIONS] [interval [count]] [-- CMD [ARGS]]\n"
"Trace and profile DMA mapping (iommufd IOAS, VFIO type1, IOMMU faults).\n"
"\n"
"Commands (none: all three views, e.g. dmatrace -j -- CMD):\n"
"  probe        what can be attached here, and why not\n"
"  latency      latency histograms per op (and errno, size class)\n"
"  windows      IOVA windows per IOAS: allowed, reserved, usage\n"
"  violations   rejected and out-of-window operations, faults\n"
"  demo         run dmaload scenarios on the reference implementation\n"
"               under the tracer and print the three views\n"
"  diff OLD NEW compare two JSON records (dmatrace diff -h)\n"
"\n"
"Options:\n"
"  -p, --pid PID          trace only this process\n"
"      --ioas ID          only this IOAS (latency, violations)\n"
"      --op OP            only this op (ioas_alloc, destroy, map, unmap, copy,\n"
"                         iova_ranges, allow_iovas, type1_map, type1_unmap)\n"
"  -T, --timestamp        print a timestamp with each interval\n"
"  -m, --milliseconds     histograms in msecs\n"
"  -u, --microseconds     histograms in usecs (default)\n"
"  -j, --json             one JSON record (with the ground-truth summary)\n"
"      --openmetrics      latency histograms as OpenMetrics text (Prometheus)\n"
"      --by LIST          keep histograms apart also by pid and/or ioas\n"
"                         (LIST: pid, ioas, pid,ioas)\n"
"      --target T         kernel | ref[:PATH] (default: kernel when it has\n"
"                         iommufd or VFIO, else ref with libdmaref.so next to\n"
"                         this binary)\n"
"      --force-kprobe     kernel: kprobes even where fentry works\n"
"  -v, --verbose          libbpf's own messages\n"
"  -h, --help             this help\n"
"  -- CMD [ARGS]          run CMD with the probes live, trace it and its\n"
"                         children, print the views when it exits and exit\n"
"                         with its exit code\n";

static bool verbose;

static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	(void)level;
	if (!verbose)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

enum { OPT_IOAS = 256, OPT_OP, OPT_TARGET, OPT_FORCE_KPROBE, OPT_OPENMETRICS,
       OPT_BY };

static const struct option long_opts[] = {
	{ "pid", required_argument, NULL, 'p' },
	{ "ioas", required_argument, NULL, OPT_IOAS },
	{ "op", required_argument, NULL, OPT_OP },
	{ "timestamp", no_argument, NULL, 'T' },
	{ "milliseconds", no_argument, NULL, 'm' },
	{ "microseconds", no_argument, NULL, 'u' },
	{ "json", no_argument, NULL, 'j' },
	{ "openmetrics", no_argument, NULL, OPT_OPENMETRICS },
	{ "by", required_argument, NULL, OPT_BY },
	{ "target", required_argument, NULL, OPT_TARGET },
	{ "force-kprobe", no_argument, NULL, OPT_FORCE_KPROBE },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{}
};

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

static int parse_op(const char *s)
{
	int op;

	for (op = 0; op < DT_OP_MAX; op++)
		if (!strcmp(s, dt_op_name(op)))
			return op;
	return -1;
}

static int parse_target(struct cli *c, const char *arg)
{
	char dir[sizeof(c->lib) - 32];

	if (arg && !strcmp(arg, "kernel")) {
		c->target = TARGET_KERNEL;
		if (c->cmd != CMD_PROBE && !kernel_has_iommufd_or_vfio())
			return fail("target kernel: this kernel has neither iommufd nor VFIO (no /dev/iommu, /sys/module/iommufd, /dev/vfio/vfio or iommufd BTF); try --target ref");
		return 0;
	}
	if (!arg && kernel_has_iommufd_or_vfio()) {
		c->target = TARGET_KERNEL;
		return 0;
	}
	if (arg && strcmp(arg, "ref") && strncmp(arg, "ref:", 4))
		return fail("bad --target '%s' (kernel, ref or ref:PATH)", arg);
	c->target = TARGET_REF;
	if (arg && arg[3] == ':') {
		snprintf(c->lib, sizeof(c->lib), "%s", arg + 4);
	} else {
		if (self_dir(dir, sizeof(dir)))
			return fail("cannot find my own binary: %s", strerror(errno));
		snprintf(c->lib, sizeof(c->lib), "%s/libdmaref.so", dir);
	}
	if (access(c->lib, R_OK))
		return fail("reference library not found: %s", c->lib);
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

static int parse_cmd(struct cli *c, const char *name)
{
	static const char *const names[] = {
		[CMD_PROBE] = "probe", [CMD_LATENCY] = "latency",
		[CMD_WINDOWS] = "windows", [CMD_VIOLATIONS] = "violations",
		[CMD_DEMO] = "demo",
	};
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i])) {
			c->cmd = i;
			return 0;
		}
	return fail("unknown command '%s' (try dmatrace -h)", name);
}

static int parse_format(struct cli *c, enum cli_format f)
{
	if (c->format != FORMAT_TEXT && c->format != f)
		return fail("-j and --openmetrics exclude each other");
	c->format = f;
	return 0;
}

static int parse_opt(struct cli *c, int opt, const char **target,
		     const char *argv_opt)
{
	unsigned long v;

	switch (opt) {
	case 'p':
		if (parse_num(optarg, INT32_MAX, &v) || !v)
			return fail("bad pid '%s'", optarg);
		c->pid = v;
		return 0;
	case OPT_IOAS:
		if (parse_num(optarg, UINT32_MAX, &v) || !v)
			return fail("bad IOAS id '%s'", optarg);
		c->ioas_id = v;
		return 0;
	case OPT_OP:
		c->op = parse_op(optarg);
		if (c->op < 0)
			return fail("unknown op '%s' (ioas_alloc, destroy, map, unmap, copy, iova_ranges, allow_iovas, type1_map, type1_unmap)",
				    optarg);
		return 0;
	case 'T': c->timestamp = true; return 0;
	case 'm': c->view.unit = VIEW_UNIT_MSECS; return 0;
	case 'u': c->view.unit = VIEW_UNIT_USECS; return 0;
	case 'j':
	case OPT_OPENMETRICS:
		return parse_format(c, opt == 'j' ? FORMAT_JSON : FORMAT_OPENMETRICS);
	case OPT_BY: return parse_by(c, optarg);
	case 'v': c->verbose = true; return 0;
	case OPT_TARGET: *target = optarg; return 0;
	case OPT_FORCE_KPROBE: c->force_kprobe = true; return 0;
	case 'h': fputs(usage, stdout); exit(0);
	default:
		return fail("bad option '%s' (try dmatrace -h)", argv_opt);
	}
}

static int parse_positional(struct cli *c, int argc, char **argv)
{
	unsigned long v;

	if (optind < argc) {
		if (c->cmd != CMD_LATENCY || parse_num(argv[optind], 86400, &v) || !v)
			return fail("unexpected argument '%s'", argv[optind]);
		c->interval = v;
		optind++;
	}
	if (optind < argc) {
		if (parse_num(argv[optind], INT32_MAX, &v) || !v)
			return fail("bad count '%s'", argv[optind]);
		c->count = v;
		optind++;
	}
	if (optind < argc)
		return fail("unexpected argument '%s'", argv[optind]);
	return 0;
}

static int parse_args(struct cli *c, int argc, char **argv)
{
	const char *target = NULL;
	int i, opt, e, nopts = argc;

	/* Split at "--": what follows is the command to run */
	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--")) {
			nopts = i;
			if (i + 1 >= argc)
				return fail("nothing to run after --");
			c->argv_cmd = &argv[i + 1];
			break;
		}
	optind = 1;
	if (argv[1][0] == '-') {
		c->cmd = CMD_ALL;
	} else {
		e = parse_cmd(c, argv[1]);
		if (e)
			return e;
		optind = 2;
	}
	opterr = 0;
	while ((opt = getopt_long(nopts, argv, "p:Tmujvh", long_opts, NULL)) != -1) {
		e = parse_opt(c, opt, &target, argv[optind - 1]);
		if (e)
			return e;
	}
	e = parse_positional(c, nopts, argv);
	if (e)
		return e;
	if (c->pid && kill(c->pid, 0) && errno == ESRCH)
		return fail("no such process: %d", c->pid);
	if (c->pid && c->argv_cmd)
		return fail("-p and -- CMD exclude each other");
	if (c->cmd == CMD_DEMO && !target)
		target = "ref";
	return parse_target(c, target);
}

int main(int argc, char **argv)
{
	struct cli c = { .op = -1, .view = VIEW_OPTS_DEFAULT };

	if (argc < 2) {
		fputs(usage, stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fputs(usage, stdout);
		return 0;
	}
	if (!strcmp(argv[1], "diff"))
		return view_diff_main(argc - 1, argv + 1);
	if (parse_args(&c, argc, argv))
		return 2;
	verbose = c.verbose;
	libbpf_set_print(libbpf_print);
	switch (c.cmd) {
	case CMD_PROBE:
		return run_probe(&c);
	case CMD_DEMO:
		return run_demo(&c);
	default:
		return run_trace(&c);
	}
}
