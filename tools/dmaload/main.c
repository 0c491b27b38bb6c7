// SPDX-License-Identifier: GPL-2.0
/*
 * dmaload: drive iommufd (ref implementation or /dev/iommu) with a script
 * or a named seeded scenario, and print the ground truth the tracer must
 * reproduce. See docs/dmaload.md.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "backend.h"
#include "exec.h"
#include "num.h"
#include "scenario.h"
#include "script.h"

#define EXIT_BAD_INPUT	1
#define EXIT_DIVERGED	3
#define EXIT_WRITE	4

struct args {
	const char *backend;
	const char *script;
	const char *scenario;
	const char *vfio_devices;
	const char *linux_version;
	struct dl_scn_opts scn;
	int json;
	int verbose;
	int hold;
};

static const char usage[] =
"usage: dmaload [--backend ref|kernel] [--vfio-device BDF[,BDF...]]\n"
"               --script FILE [--json]\n"
"       dmaload [--backend ref|kernel] --scenario NAME [--seed N] [--ops N]\n"
"               [--threads N] [--same-ioas] [--json] [--verbose]\n"
"  --script FILE    run FILE, one op per line (docs/dmaload.md); prints one\n"
"                   JSON object per op\n"
"  --scenario NAME  vm-boot, dpdk, churn, violations, power\n"
"  --seed N         PRNG seed (default 1): same seed, same run\n"
"  --ops N          counted ops to run (setup included)\n"
"  --threads N      churn: N threads mapping at once (default 1)\n"
"  --same-ioas      churn: all threads on one IOAS (default: one each)\n"
"  --json           print the ground truth (docs/ground-truth.md) last\n"
"  --verbose        scenarios: also print one JSON object per op\n"
"  --hold           once done, print the ground truth, then \"held pid PID\",\n"
"                   and keep every fd open until a line (or EOF) on stdin\n"
"  --vfio-device L  kernel backend: the PCI devices (bound to vfio-pci) whose\n"
"                   IOMMU groups are the script's groups, in order of first\n"
"                   use (default: $DMALOAD_VFIO_DEVICE)\n"
"  --linux V        ref backend: the kernel native type1 models, 6.12\n"
"                   (default) or 6.1 (docs/type1.md)\n";

static int die(const char *fmt, ...)
{
	va_list ap;

	fputs("dmaload: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_BAD_INPUT;
}

static int num_arg(const char *opt, const char *s, uint64_t *v)
{
	if (dl_parse_u64(s, v))
		return die("bad number for %s: '%s'", opt, s);
	return 0;
}

static int parse_args(int argc, char **argv, struct args *a)
{
	static const struct option opts[] = {
		{ "backend", required_argument, NULL, 'b' },
		{ "script", required_argument, NULL, 's' },
		{ "scenario", required_argument, NULL, 'S' },
		{ "seed", required_argument, NULL, 'r' },
		{ "ops", required_argument, NULL, 'n' },
		{ "threads", required_argument, NULL, 't' },
		{ "same-ioas", no_argument, NULL, 'i' },
		{ "json", no_argument, NULL, 'j' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "hold", no_argument, NULL, 'H' },
		{ "vfio-device", required_argument, NULL, 'd' },
		{ "linux", required_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	uint64_t v;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'b': a->backend = optarg; break;
		case 's': a->script = optarg; break;
		case 'S': a->scenario = optarg; break;
		case 'r':
			if (num_arg("--seed", optarg, &a->scn.seed))
				return -1;
			break;
		case 'n':
			if (num_arg("--ops", optarg, &a->scn.ops))
				return -1;
			if (!a->scn.ops)
				return die("--ops must be at least 1"), -1;
			break;
		case 't':
			if (num_arg("--threads", optarg, &v))
				return -1;
			if (v < 1 || v > 64)
				return die("--threads must be 1..64, not %s", optarg), -1;
			a->scn.threads = v;
			break;
		case 'i': a->scn.same_ioas = 1; break;
		case 'j': a->json = 1; break;
		case 'v': a->verbose = 1; break;
		case 'H': a->hold = 1; break;
		case 'd': a->vfio_devices = optarg; break;
		case 'L': a->linux_version = optarg; break;
		case 'h':
			fputs(usage, stdout);
			exit(0);
		default:
			if (optopt)
				return die("option --%s needs an argument (see --help)",
					   argv[optind - 1] + 2), -1;
			return die("unknown option '%s' (see --help)",
				   argv[optind - 1]), -1;
		}
	}
	if (optind < argc)
		return die("unexpected argument '%s' (see --help)", argv[optind]), -1;
	if (!a->script == !a->scenario)
		return die("give exactly one of --script FILE or --scenario NAME"), -1;
	return 0;
}

static struct dmaload_backend *pick_backend(const char *name)
{
	if (!name || !strcmp(name, "ref"))
		return dmaload_backend_ref();
	if (!strcmp(name, "kernel"))
		return dmaload_backend_kernel();
	return NULL;
}

/* Parse the whole script: nothing runs if any line is malformed */
static int load_script(const char *path, struct dl_script *s)
{
	char err[512];
	FILE *f;
	int rc;

	f = fopen(path, "r");
	if (!f)
		return die("%s: %s", path, strerror(errno));
	rc = dl_script_parse(f, path, s, err, sizeof(err));
	fclose(f);
	return rc ? die("%s", err) : 0;
}

/* The kernel's groups must have the layout the script's group lines give */
static int check_script_groups(const struct dl_script *s, const char *path,
			       const struct dmaload_backend *be)
{
	char err[4096];

	if (strcmp(be->name, "kernel") ||
	    !dmaload_kernel_vfio_check(s, err, sizeof(err)))
		return 0;
	return die("%s: %s", path, err);
}

/* A script the backend cannot run is refused before anything runs */
static int check_script_backend(const struct dl_script *s, const char *path,
				const struct dmaload_backend *be)
{
	size_t i;

	if (check_script_groups(s, path, be))
		return EXIT_BAD_INPUT;
	if (be->supports_windows)
		return 0;
	for (i = 0; i < s->nr_ops; i++)
		if (s->ops[i].kind == DL_WINDOW || s->ops[i].kind == DL_NEED)
			return die("%s:%u: '%s' needs the seed's multi-window extension, which the %s backend has not (use --backend ref)",
				   path, s->ops[i].line, s->ops[i].word, be->name);
	return 0;
}

/*
 * The first op of the script that needs iommufd (/dev/iommu): any but the
 * native type1 ops (container ... limit); NULL when there is none
 */
static const struct dl_op *first_iommufd_op(const struct dl_script *s)
{
	size_t i;

	for (i = 0; i < s->nr_ops; i++)
		if (s->ops[i].kind < DL_CONTAINER || s->ops[i].kind > DL_LIMIT)
			return &s->ops[i];
	return NULL;
}

static void run_script(struct dl_script *s, struct dl_exec *x)
{
	struct dl_result res;
	size_t i;

	x->objs = s->objs;
	x->out = stdout;
	for (i = 0; i < s->nr_ops; i++)
		dl_exec_op(x, &s->ops[i], &res);
}

static int check_scenario(struct args *a, const struct dl_scenario **out)
{
	const struct dl_scenario *scn = dl_scenario_find(a->scenario);

	if (!scn)
		return die("unknown scenario '%s' (%s)", a->scenario,
			   dl_scenario_names());
	if (!a->scn.ops)
		a->scn.ops = scn->default_ops;
	if (a->scn.ops < scn->min_ops)
		return die("--ops %llu too small for %s (at least %llu)",
			   (unsigned long long)a->scn.ops, scn->name,
			   (unsigned long long)scn->min_ops);
	if (a->scn.threads > 1 && strcmp(scn->name, "churn"))
		return die("--threads applies to churn only");
	*out = scn;
	return 0;
}

static int run_scenario(struct args *a, const struct dl_scenario *scn,
			struct dl_exec *x)
{
	char err[512];

	x->out = a->verbose ? stdout : NULL;
	if (scn->run(x, &a->scn, err, sizeof(err)))
		return die("%s: %s", scn->name, err);
	return 0;
}

static void print_truth(const struct args *a, const struct dl_scenario *scn,
			struct truth *t)
{
	if (a->json)
		truth_print_json(t, stdout);
	else if (scn)
		truth_print_text(t, stdout);
}

/*
 * --hold: the state stays as the run left it (every IOAS and container
 * open) until a line on stdin, so that a tracer started now finds it
 * there (dmatrace's snapshot)
 */
static void hold(const struct args *a, const struct dl_scenario *scn,
		 struct truth *t)
{
	char line[64];

	print_truth(a, scn, t);
	printf("held pid %d\n", (int)getpid());
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		clearerr(stdin);
}

static int run(struct args *a, struct dl_script *s,
	       const struct dl_scenario *scn)
{
	struct dl_exec x = { 0 };
	struct dl_ubuf ubuf = { 0 };
	const char *why = NULL;
	const struct dl_op *need = NULL;
	int rc;

	x.be = pick_backend(a->backend);
	if (!x.be)
		return die("unknown backend '%s' (ref, kernel)", a->backend);
	if (a->vfio_devices)
		dmaload_kernel_vfio_devices(a->vfio_devices);
	if (a->linux_version && strcmp(x.be->name, "ref"))
		return die("--linux chooses the kernel the ref backend models; the %s backend is the running kernel",
			   x.be->name);
	if (a->linux_version && dmaload_ref_linux(a->linux_version))
		return die("--linux: '%s' is not a kernel the model knows (6.1, 6.12)",
			   a->linux_version);
	if (s && check_script_backend(s, a->script, x.be))
		return EXIT_BAD_INPUT;
	rc = dl_ubuf_init(&ubuf);
	if (rc)
		return die("cannot reserve the user buffer: %s", strerror(-rc));
	x.ubuf = &ubuf;
	x.truth = truth_new();
	if (!x.truth) {
		rc = die("out of memory");
		goto out;
	}
	if (s)
		need = first_iommufd_op(s);
	x.be->need_iommufd = !s || need;
	rc = x.be->open(x.be, &why);
	if (rc) {
		if (need)
			rc = die("%s backend: %s; %s:%u: '%s' needs it", x.be->name,
				 why ? why : strerror(-rc), a->script,
				 need->line, need->word);
		else
			rc = die("%s backend: %s", x.be->name,
				 why ? why : strerror(-rc));
		goto out;
	}
	if (s)
		run_script(s, &x);
	else
		rc = run_scenario(a, scn, &x);
	if (!rc && a->hold)
		hold(a, scn, x.truth);
	x.be->close(x.be);
	if (rc)
		goto out;
	if (!a->hold)
		print_truth(a, scn, x.truth);
	if (truth_divergences(x.truth)) {
		die("%llu backend answers contradicted the shadow state (see above)",
		    truth_divergences(x.truth));
		rc = EXIT_DIVERGED;
	}
out:
	truth_free(x.truth);
	dl_ubuf_fini(&ubuf);
	return rc;
}

/* What went to stdout reached it (a full disk: one line, exit 4) */
static int finish_stdout(int rc)
{
	int e = fflush(stdout) ? errno : ferror(stdout) ? EIO : 0;

	if (!e)
		return rc;
	die("writing the output: %s", strerror(e));
	return rc ? rc : EXIT_WRITE;
}

int main(int argc, char **argv)
{
	struct args a = { .scn = { .seed = 1, .threads = 1 } };
	const struct dl_scenario *scn = NULL;
	struct dl_script *s = NULL;
	int rc;

	if (parse_args(argc, argv, &a))
		return EXIT_BAD_INPUT;
	if (a.backend && strcmp(a.backend, "ref") && strcmp(a.backend, "kernel"))
		return die("unknown backend '%s' (ref, kernel)", a.backend);
	if (a.script) {
		s = calloc(1, sizeof(*s));
		if (!s)
			return die("out of memory");
		rc = load_script(a.script, s);
	} else {
		rc = check_scenario(&a, &scn);
	}
	if (!rc)
		rc = run(&a, s, scn);
	if (s) {
		dl_script_free(s);
		free(s);
	}
	return finish_stdout(rc);
}
