// SPDX-License-Identifier: GPL-2.0
/*
 * `dmatrace diff OLD.json NEW.json [--threshold PCT] [--percentile pNN]
 * [--min-samples N]`: compare the per-op latency ("op_latency", successful
 * calls) of two records at one percentile, estimated from the log2 slots
 * exactly as the record's own p50/p90/p99 are (lathist.h). An op with
 * fewer than N samples (default 30) on either side is shown but not
 * judged. Exit 0: no op regressed by more than PCT percent; 1: at least
 * one did; 2: bad usage or a record that cannot be compared (diff.h).
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "lathist.h"
#include "view.h"

#define DIFF_MIN_SAMPLES	30	/* default --min-samples */

/* What the options asked for, and the tally of the rows */
struct diff_opts {
	double threshold;	/* percent */
	double pct;		/* the percentile */
	const char *pname;	/* as given: "p99" */
	unsigned long long min_samples;
	unsigned int compared, regressed, too_few;
};

static int parse_percentile(const char *s, double *p)
{
	char *end;

	if (s[0] != 'p' || !s[1])
		return -EINVAL;
	errno = 0;
	*p = strtod(s + 1, &end);
	if (errno || *end || !(*p > 0 && *p <= 100))
		return -EINVAL;
	return 0;
}

static void usage(FILE *out)
{
	fprintf(out, "usage: dmatrace diff OLD.json NEW.json [--threshold PCT] "
		"[--percentile pNN] [--min-samples N]\n");
}

static void help(void)
{
	usage(stdout);
	printf("Compare the per-op latency percentile of two dmatrace -j records.\n"
	       "  --threshold PCT    a rise above PCT percent is a regression (default 10)\n"
	       "  --percentile pNN   the percentile compared (default p99)\n"
	       "  --min-samples N    an op with fewer samples in either record is not\n"
	       "                     judged: \"too few samples\" (default %d)\n"
	       "Exit: 0 no regression, 1 a regression, 2 bad usage or a record that\n"
	       "cannot be compared.\n", DIFF_MIN_SAMPLES);
}

/* One row of an op in both records; counts it in the tally of d */
static void diff_both(unsigned int op, const struct dt_hist *ho,
		      const struct dt_hist *hn, struct diff_opts *d)
{
	double po = lh_percentile_ns(ho, d->pct), pn = lh_percentile_ns(hn, d->pct);
	double change = po > 0 ? (pn - po) * 100.0 / po : (pn > 0 ? INFINITY : 0.0);
	bool few = ho->count < d->min_samples || hn->count < d->min_samples;
	bool bad = !few && change > d->threshold;

	printf("%-14s %10llu %10llu %12.3f %12.3f %+8.1f%%", dt_op_name(op),
	       (unsigned long long)ho->count, (unsigned long long)hn->count,
	       po / 1e3, pn / 1e3, change);
	if (few)
		printf("  too few samples (< %llu): not judged\n", d->min_samples);
	else
		printf("%s\n", bad ? "  REGRESSED" : "");
	d->too_few += few;
	d->compared += !few;
	d->regressed += bad;
}

/* One row per op of either record */
static void diff_row(unsigned int op, const struct diff_rec *a,
		     const struct diff_rec *b, struct diff_opts *d)
{
	const struct dt_hist *ho = &a->op[op], *hn = &b->op[op];

	if (!a->seen[op] || !ho->count)
		printf("%-14s %10s %10llu %12s %12.3f %9s\n", dt_op_name(op), "-",
		       (unsigned long long)hn->count, "-",
		       lh_percentile_ns(hn, d->pct) / 1e3, "new");
	else if (!b->seen[op] || !hn->count)
		printf("%-14s %10llu %10s %12.3f %12s %9s\n", dt_op_name(op),
		       (unsigned long long)ho->count, "-",
		       lh_percentile_ns(ho, d->pct) / 1e3, "-", "gone");
	else
		diff_both(op, ho, hn, d);
}

static void diff_summary(const struct diff_opts *d)
{
	if (d->regressed)
		printf("%u of %u ops regressed by more than %.1f%% at %s",
		       d->regressed, d->compared, d->threshold, d->pname);
	else
		printf("no op regressed by more than %.1f%% at %s (%u compared)",
		       d->threshold, d->pname, d->compared);
	if (d->too_few)
		printf("; %u with too few samples (< %llu) not judged",
		       d->too_few, d->min_samples);
	putchar('\n');
}

static int parse_min_samples(const char *s, unsigned long long *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 10);
	if (errno || *end || !*s || *s == '-' || !*out) {
		fprintf(stderr, "dmatrace diff: bad --min-samples '%s' (a count >= 1)\n",
			s);
		return -EINVAL;
	}
	return 0;
}

static int parse_threshold(const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	if (errno || *end || !*s || *out < 0 || *out != *out) {
		fprintf(stderr, "dmatrace diff: bad --threshold '%s' (a percentage >= 0)\n",
			s);
		return -EINVAL;
	}
	return 0;
}

/* The options: 0, 1 for --help (done), -EINVAL on a bad one (said) */
static int parse_opts(int argc, char **argv, struct diff_opts *d)
{
	static const struct option opts[] = {
		{ "threshold", required_argument, NULL, 't' },
		{ "percentile", required_argument, NULL, 'p' },
		{ "min-samples", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "t:p:n:h", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (parse_threshold(optarg, &d->threshold))
				return -EINVAL;
			break;
		case 'p':
			if (parse_percentile(optarg, &d->pct)) {
				fprintf(stderr, "dmatrace diff: bad --percentile '%s' (p50, p90, p99, p99.9 ...)\n",
					optarg);
				return -EINVAL;
			}
			d->pname = optarg;
			break;
		case 'n':
			if (parse_min_samples(optarg, &d->min_samples))
				return -EINVAL;
			break;
		case 'h':
			help();
			return 1;
		default:
			fprintf(stderr, "dmatrace diff: unknown or incomplete option '%s'\n",
				argv[optind - 1]);
			usage(stderr);
			return -EINVAL;
		}
	}
	if (argc - optind != 2) {
		usage(stderr);
		return -EINVAL;
	}
	return 0;
}

int view_diff_main(int argc, char **argv)
{
	struct diff_opts d = { .threshold = 10.0, .pct = 99.0, .pname = "p99",
			       .min_samples = DIFF_MIN_SAMPLES };
	char err[DIFF_ERR_MAX];
	struct diff_rec *rec;
	unsigned int op;
	int i, rc;

	rc = parse_opts(argc, argv, &d);
	if (rc)
		return rc > 0 ? 0 : 2;
	rec = calloc(2, sizeof(*rec));
	if (!rec) {
		fprintf(stderr, "dmatrace diff: out of memory\n");
		return 2;
	}
	for (i = 0; i < 2; i++) {
		if (diff_load_record(argv[optind + i], &rec[i], err)) {
			fprintf(stderr, "dmatrace diff: %s: %s\n",
				argv[optind + i], err);
			rc = 2;
			goto out;
		}
	}
	printf("%-14s %10s %10s %9s us %9s us %9s\n", "op", "count old",
	       "count new", d.pname, d.pname, "change");
	for (op = 0; op < DT_OP_MAX; op++)
		if (rec[0].seen[op] || rec[1].seen[op])
			diff_row(op, &rec[0], &rec[1], &d);
	diff_summary(&d);
	rc = d.regressed ? 1 : 0;
out:
	free(rec);
	return rc;
}
