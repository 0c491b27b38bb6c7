// SPDX-License-Identifier: GPL-2.0
/*
 * `dmatrace layout [-j]`: this host's IOMMU layout from sysfs;
 * `dmatrace layout diff A.json B.json [--guest G.json] [--device BDF]`:
 * can a guest that suits host A run on host B. Exit: layout 0, 1 (sysfs
 * unreadable), 2 (bad usage); diff 0 compatible, 1 not, 2 bad input.
 */
#include <argp.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"

static const char doc[] =
"Print this host's IOMMU layout from sysfs: per IOMMU its driver, registers\n"
"and address width (intel-iommu: MGAW and SAGAW of the cap register);\n"
"per IOMMU group its type, devices and reserved regions.\n"
"\n"
"layout diff A.json B.json: can a guest whose IOVA layout suits host A run\n"
"on host B? A and B are `dmatrace layout -j` records. Lists every range\n"
"usable on A (not reserved, within A's address width) that B reserves or\n"
"cannot reach, one line each. The groups that count are every group with\n"
"devices (their union), or with --device the group holding that device on\n"
"each host. direct-relaxable regions block nothing (VFIO and iommufd do not\n"
"reserve them).\n"
"\v"
"--guest G.json: {\"ranges\":[{\"start\":\"0x0\",\"last\":\"0x7fffffff\"},...]}, the\n"
"IOVA/GPA ranges the guest uses (inclusive); only those count.\n"
"Exit (layout): 0 done, 1 sysfs unreadable, 2 bad usage.\n"
"Exit (layout diff): 0 compatible, 1 incompatible (the ranges listed),\n"
"2 bad input (one line on stderr).\n";

static const char args_doc[] = "\n diff A.json B.json";

enum { OPT_GUEST = 256, OPT_DEVICE, OPT_SYSFS };

static const struct argp_option opts[] = {
	{ "json", 'j', NULL, 0, "layout: one JSON record", 0 },
	{ "guest", OPT_GUEST, "G.json", 0, "diff: only the ranges the guest uses", 0 },
	{ "device", OPT_DEVICE, "BDF", 0, "diff: only the group of this device (e.g. 0000:00:03.0)", 0 },
	{ "sysfs", OPT_SYSFS, "ROOT", OPTION_HIDDEN, "read ROOT instead of /sys", 0 },
	{ "help", 'h', NULL, 0, "this help", 0 },
	{}
};

struct layout_args {
	bool json, diff, failed;
	const char *file[2];
	int nfiles;
	const char *guest, *device, *sysfs;
};

static int fail(const char *fmt, ...)
{
	va_list ap;

	fputs("dmatrace layout: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EINVAL;
}

static int positional(struct layout_args *a, const char *arg)
{
	if (!a->diff && !a->nfiles && !strcmp(arg, "diff")) {
		a->diff = true;
		return 0;
	}
	if (!a->diff || a->nfiles == 2)
		return fail("unexpected argument '%s' (try dmatrace layout -h)", arg);
	a->file[a->nfiles++] = arg;
	return 0;
}

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	struct layout_args *a = state->input;
	int e = 0;

	switch (key) {
	case 'j': a->json = true; break;
	case OPT_GUEST: a->guest = arg; break;
	case OPT_DEVICE: a->device = arg; break;
	case OPT_SYSFS: a->sysfs = arg; break;
	case 'h':
		argp_help(state->root_argp, stdout, ARGP_HELP_STD_HELP,
			  "dmatrace layout");
		exit(0);
	case ARGP_KEY_ARG: e = positional(a, arg); break;
	case ARGP_KEY_ERROR:
		if (!a->failed)
			fail("bad option '%s' (try dmatrace layout -h)",
			     state->next > 0 && state->next <= state->argc ?
			     state->argv[state->next - 1] : "");
		return 0;
	default: return ARGP_ERR_UNKNOWN;
	}
	a->failed |= e != 0;
	return e;
}

static const struct argp argp = {
	.options = opts, .parser = parse_arg, .args_doc = args_doc, .doc = doc,
};

static int check_args(const struct layout_args *a)
{
	if (a->diff && a->nfiles != 2)
		return fail("diff needs two layouts: dmatrace layout diff A.json B.json");
	if (a->diff && (a->json || a->sysfs))
		return fail("-j and --sysfs apply to dmatrace layout, not to diff");
	if (!a->diff && (a->guest || a->device))
		return fail("--guest and --device apply to dmatrace layout diff");
	if (a->device && !*a->device)
		return fail("--device needs a device name");
	return 0;
}

static int run_show(const struct layout_args *a)
{
	const char *root = a->sysfs ? a->sysfs : getenv("DMATRACE_SYSFS");
	char err[LAY_ERR_MAX];
	struct layout l;

	if (!root || !*root)
		root = "/sys";
	if (layout_read_sysfs(root, &l, err)) {
		fail("%s", err);
		return 1;
	}
	if (a->json)
		layout_print_json(stdout, &l);
	else
		layout_print_text(stdout, &l);
	layout_free(&l);
	return 0;
}

static int run_diff(const struct layout_args *a)
{
	struct lay_diff_opts o = { .device = a->device,
				   .name = { a->file[0], a->file[1] } };
	struct layout l[2] = { 0 };
	struct lay_range *guest = NULL;
	char err[LAY_ERR_MAX];
	int i, rc = 2;

	for (i = 0; i < 2; i++)
		if (layout_read_json(a->file[i], &l[i], err)) {
			fail("%s: %s", a->file[i], err);
			goto out;
		}
	if (a->guest && layout_read_guest(a->guest, &guest, &o.nguest, err)) {
		fail("%s: %s", a->guest, err);
		goto out;
	}
	o.has_guest = a->guest;
	o.guest = guest;
	rc = layout_diff(stdout, &l[0], &l[1], &o, err);
	if (rc < 0) {
		fail("%s", err);
		rc = 2;
	}
out:
	free(guest);
	layout_free(&l[0]);
	layout_free(&l[1]);
	return rc;
}

int layout_main(int argc, char **argv)
{
	struct layout_args a = { 0 };

	if (argp_parse(&argp, argc, argv, ARGP_IN_ORDER | ARGP_NO_ERRS |
		       ARGP_NO_HELP | ARGP_NO_EXIT, NULL, &a))
		return 2;
	if (check_args(&a))
		return 2;
	return a.diff ? run_diff(&a) : run_show(&a);
}
