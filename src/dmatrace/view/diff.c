// SPDX-License-Identifier: GPL-2.0
/*
 * `dmatrace diff OLD.json NEW.json [--threshold PCT] [--percentile pNN]`:
 * compare the per-op latency ("op_latency", successful calls) of two
 * records at one percentile, estimated from the log2 slots exactly as the
 * record's own p50/p90/p99 are (lathist.h). Exit 0: no op regressed by
 * more than PCT percent; 1: at least one did; 2: bad usage or record.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/json_read.h"
#include "lathist.h"
#include "view.h"

#define DIFF_MAX_BYTES	(64u << 20)
#define DIFF_ERR_MAX	256

struct diff_rec {
	struct dt_hist op[DT_OP_MAX];
	int seen[DT_OP_MAX];
};

static char *read_file(const char *path, size_t *len, char *err)
{
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap);
	FILE *f = fopen(path, "r");

	if (!f || !buf) {
		snprintf(err, DIFF_ERR_MAX, "%s", strerror(f ? ENOMEM : errno));
		goto fail;
	}
	for (;;) {
		size_t r;

		if (n == cap) {
			char *t = cap >= DIFF_MAX_BYTES ? NULL : realloc(buf, cap * 2);

			if (!t) {
				snprintf(err, DIFF_ERR_MAX, "larger than %u MiB",
					 DIFF_MAX_BYTES >> 20);
				goto fail;
			}
			buf = t;
			cap *= 2;
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
		if (r)
			continue;
		if (ferror(f)) {
			snprintf(err, DIFF_ERR_MAX, "%s", strerror(errno));
			goto fail;
		}
		break;
	}
	fclose(f);
	*len = n;
	return buf;
fail:
	if (f)
		fclose(f);
	free(buf);
	return NULL;
}

/* A non-negative integer count that a double holds exactly */
static int get_count(const struct jv *o, const char *key, __u64 *out)
{
	const struct jv *v = jv_get(o, key);

	if (!v || v->type != JV_NUM || v->num < 0 || v->num > 9007199254740992.0 ||
	    v->num != floor(v->num))
		return -1;
	*out = (__u64)v->num;
	return 0;
}

static int op_by_name(const char *name)
{
	unsigned int i;

	for (i = 0; i < DT_OP_MAX; i++)
		if (!strcmp(dt_op_name(i), name))
			return i;
	return -1;
}

static int parse_entry(const struct jv *e, size_t idx, struct diff_rec *r,
		       char *err)
{
	static const char *const keys[] = { "count", "sum_ns", "min_ns",
					    "max_ns" };
	const struct jv *name = jv_get(e, "op"), *slots = jv_get(e, "slots");
	struct dt_hist h;
	__u64 *fields[] = { &h.count, &h.sum_ns, &h.min_ns, &h.max_ns };
	size_t i;
	int op;

	memset(&h, 0, sizeof(h));
	if (!name || name->type != JV_STR || (op = op_by_name(name->str)) < 0) {
		snprintf(err, DIFF_ERR_MAX, "op_latency[%zu]: missing or unknown \"op\"", idx);
		return -1;
	}
	for (i = 0; i < 4; i++) {
		if (get_count(e, keys[i], fields[i])) {
			snprintf(err, DIFF_ERR_MAX,
				 "op_latency[%zu]: \"%s\" is not a count", idx, keys[i]);
			return -1;
		}
	}
	if (!slots || slots->type != JV_ARR || slots->n != DT_HIST_SLOTS) {
		snprintf(err, DIFF_ERR_MAX,
			 "op_latency[%zu]: \"slots\" is not an array of %d counts",
			 idx, DT_HIST_SLOTS);
		return -1;
	}
	for (i = 0; i < DT_HIST_SLOTS; i++) {
		const struct jv *s = &slots->items[i];

		if (s->type != JV_NUM || s->num < 0 || s->num != floor(s->num) ||
		    s->num > 9007199254740992.0) {
			snprintf(err, DIFF_ERR_MAX,
				 "op_latency[%zu]: slots[%zu] is not a count", idx, i);
			return -1;
		}
		h.slots[i] = (__u64)s->num;
	}
	if (r->seen[op]) {
		snprintf(err, DIFF_ERR_MAX, "op_latency[%zu]: op \"%s\" twice",
			 idx, name->str);
		return -1;
	}
	r->seen[op] = 1;
	r->op[op] = h;
	return 0;
}

/* Check and read one record's text; on error, a one-line message in err */
static int parse_record(const char *text, size_t len, struct diff_rec *r,
			char *err)
{
	char perr[JSON_READ_ERR_MAX];
	const struct jv *ver, *lat;
	struct jv root;
	size_t i;
	int rc = -1;

	memset(r, 0, sizeof(*r));
	if (jv_parse(text, len, &root, perr, sizeof(perr))) {
		snprintf(err, DIFF_ERR_MAX, "not valid JSON: %s", perr);
		return -1;
	}
	ver = jv_get(&root, "dmatrace_record");
	lat = jv_get(&root, "op_latency");
	if (!ver || ver->type != JV_NUM || ver->num != 1)
		snprintf(err, DIFF_ERR_MAX,
			 "not a dmatrace record (no \"dmatrace_record\": 1)");
	else if (!lat || lat->type != JV_ARR)
		snprintf(err, DIFF_ERR_MAX, "no \"op_latency\" array");
	else
		for (rc = 0, i = 0; i < lat->n && !rc; i++)
			rc = parse_entry(&lat->items[i], i, r, err);
	jv_free(&root);
	return rc;
}

int view_diff_check_record(const char *text, size_t len, char *err,
			   size_t err_sz)
{
	char msg[DIFF_ERR_MAX];
	struct diff_rec *r = malloc(sizeof(*r));
	int rc;

	if (!r)
		return -ENOMEM;
	rc = parse_record(text, len, r, msg) ? -EINVAL : 0;
	if (rc && err && err_sz)
		snprintf(err, err_sz, "%s", msg);
	free(r);
	return rc;
}

static int load_record(const char *path, struct diff_rec *r, char *err)
{
	size_t len;
	char *text = read_file(path, &len, err);
	int rc;

	if (!text)
		return -1;
	rc = parse_record(text, len, r, err);
	free(text);
	return rc;
}

static int parse_percentile(const char *s, double *p)
{
	char *end;

	if (s[0] != 'p' || !s[1])
		return -1;
	errno = 0;
	*p = strtod(s + 1, &end);
	if (errno || *end || !(*p > 0 && *p <= 100))
		return -1;
	return 0;
}

static void usage(FILE *out)
{
	fprintf(out, "usage: dmatrace diff OLD.json NEW.json [--threshold PCT] "
		"[--percentile pNN]\n");
}

/* Prints one row; returns 1 when it regressed beyond threshold */
static int diff_row(unsigned int op, const struct diff_rec *a,
		    const struct diff_rec *b, double pct, double threshold)
{
	const struct dt_hist *ho = &a->op[op], *hn = &b->op[op];
	double po, pn, change;
	int bad;

	if (!a->seen[op] || !ho->count) {
		printf("%-14s %10s %10llu %12s %12.3f %9s\n", dt_op_name(op), "-",
		       (unsigned long long)hn->count, "-",
		       lh_percentile_ns(hn, pct) / 1e3,
		       "new");
		return 0;
	}
	po = lh_percentile_ns(ho, pct);
	if (!b->seen[op] || !hn->count) {
		printf("%-14s %10llu %10s %12.3f %12s %9s\n", dt_op_name(op),
		       (unsigned long long)ho->count, "-", po / 1e3, "-", "gone");
		return 0;
	}
	pn = lh_percentile_ns(hn, pct);
	change = po > 0 ? (pn - po) * 100.0 / po : (pn > 0 ? INFINITY : 0.0);
	bad = change > threshold;
	printf("%-14s %10llu %10llu %12.3f %12.3f %+8.1f%%%s\n", dt_op_name(op),
	       (unsigned long long)ho->count, (unsigned long long)hn->count,
	       po / 1e3, pn / 1e3, change, bad ? "  REGRESSED" : "");
	return bad;
}

int view_diff_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "threshold", required_argument, NULL, 't' },
		{ "percentile", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	double threshold = 10.0, pct = 99.0;
	const char *pname = "p99";
	struct diff_rec *rec;
	char err[DIFF_ERR_MAX], *end;
	unsigned int op, regressed = 0, compared = 0;
	int c, i;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "t:p:h", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			errno = 0;
			threshold = strtod(optarg, &end);
			if (errno || *end || !*optarg || threshold < 0 ||
			    threshold != threshold) {
				fprintf(stderr, "dmatrace diff: bad --threshold '%s' (a percentage >= 0)\n",
					optarg);
				return 2;
			}
			break;
		case 'p':
			if (parse_percentile(optarg, &pct)) {
				fprintf(stderr, "dmatrace diff: bad --percentile '%s' (p50, p90, p99, p99.9 ...)\n",
					optarg);
				return 2;
			}
			pname = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			fprintf(stderr, "dmatrace diff: unknown or incomplete option '%s'\n",
				argv[optind - 1]);
			usage(stderr);
			return 2;
		}
	}
	if (argc - optind != 2) {
		usage(stderr);
		return 2;
	}
	rec = calloc(2, sizeof(*rec));
	if (!rec) {
		fprintf(stderr, "dmatrace diff: out of memory\n");
		return 2;
	}
	for (i = 0; i < 2; i++) {
		if (load_record(argv[optind + i], &rec[i], err)) {
			fprintf(stderr, "dmatrace diff: %s: %s\n",
				argv[optind + i], err);
			free(rec);
			return 2;
		}
	}
	printf("%-14s %10s %10s %9s us %9s us %9s\n", "op", "count old",
	       "count new", pname, pname, "change");
	for (op = 0; op < DT_OP_MAX; op++) {
		if (!rec[0].seen[op] && !rec[1].seen[op])
			continue;
		compared += rec[0].seen[op] && rec[1].seen[op];
		regressed += diff_row(op, &rec[0], &rec[1], pct, threshold);
	}
	if (regressed)
		printf("%u of %u ops regressed by more than %.1f%% at %s\n",
		       regressed, compared, threshold, pname);
	else
		printf("no op regressed by more than %.1f%% at %s (%u compared)\n",
		       threshold, pname, compared);
	free(rec);
	return regressed ? 1 : 0;
}
