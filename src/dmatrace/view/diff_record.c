// SPDX-License-Identifier: GPL-2.0
/*
 * `dmatrace diff`: read one record's "op_latency" and refuse what cannot
 * be compared (diff.h), with a one-line reason.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/json_read.h"
#include "diff.h"
#include "view_priv.h"

#define DIFF_MAX_BYTES	(64u << 20)

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

/* A non-negative integer that a double holds exactly */
static bool is_count(const struct jv *v)
{
	return v && v->type == JV_NUM && v->num >= 0 &&
	       v->num <= 9007199254740992.0 && v->num == floor(v->num);
}

/* Field key of entry idx as a count: 0, or -EINVAL with the reason in err */
static int get_count(const struct jv *o, const char *key, size_t idx,
		     __u64 *out, char *err)
{
	const struct jv *v = jv_get(o, key);

	if (!v) {
		snprintf(err, DIFF_ERR_MAX, "op_latency[%zu]: no \"%s\"", idx, key);
		return -EINVAL;
	}
	if (!is_count(v)) {
		snprintf(err, DIFF_ERR_MAX, "op_latency[%zu]: \"%s\" is not a count",
			 idx, key);
		return -EINVAL;
	}
	*out = (__u64)v->num;
	return 0;
}

static int op_by_name(const char *name)
{
	unsigned int i;

	for (i = 0; i < DT_OP_MAX; i++)
		if (!strcmp(dt_op_name(i), name))
			return i;
	return -ENOENT;
}

static int parse_slots(const struct jv *slots, size_t idx, struct dt_hist *h,
		       char *err)
{
	size_t i;

	if (!slots || slots->type != JV_ARR || slots->n != DT_HIST_SLOTS) {
		snprintf(err, DIFF_ERR_MAX,
			 "op_latency[%zu]: \"slots\" is not an array of %d counts",
			 idx, DT_HIST_SLOTS);
		return -EINVAL;
	}
	for (i = 0; i < DT_HIST_SLOTS; i++) {
		if (!is_count(&slots->items[i])) {
			snprintf(err, DIFF_ERR_MAX,
				 "op_latency[%zu]: slots[%zu] is not a count", idx, i);
			return -EINVAL;
		}
		h->slots[i] = (__u64)slots->items[i].num;
	}
	return 0;
}

/* What a histogram must hold to be compared: slots that sum to count */
static int check_hist(const struct dt_hist *h, size_t idx, const char *op,
		      char *err)
{
	__u64 sum = 0;
	size_t i;

	for (i = 0; i < DT_HIST_SLOTS; i++)
		sum += h->slots[i];
	if (sum != h->count) {
		snprintf(err, DIFF_ERR_MAX,
			 "op_latency[%zu] (%s): count %llu but the slots sum to %llu",
			 idx, op, (unsigned long long)h->count,
			 (unsigned long long)sum);
		return -EINVAL;
	}
	if (h->count && h->min_ns > h->max_ns) {
		snprintf(err, DIFF_ERR_MAX,
			 "op_latency[%zu] (%s): min_ns %llu above max_ns %llu",
			 idx, op, (unsigned long long)h->min_ns,
			 (unsigned long long)h->max_ns);
		return -EINVAL;
	}
	return 0;
}

static int parse_entry(const struct jv *e, size_t idx, struct diff_rec *r,
		       char *err)
{
	static const char *const keys[] = { "count", "sum_ns", "min_ns",
					    "max_ns" };
	const struct jv *name = jv_get(e, "op");
	struct dt_hist h;
	__u64 *fields[] = { &h.count, &h.sum_ns, &h.min_ns, &h.max_ns };
	size_t i;
	int op;

	memset(&h, 0, sizeof(h));
	if (!name || name->type != JV_STR || (op = op_by_name(name->str)) < 0) {
		snprintf(err, DIFF_ERR_MAX, "op_latency[%zu]: missing or unknown \"op\"", idx);
		return -EINVAL;
	}
	for (i = 0; i < 4; i++)
		if (get_count(e, keys[i], idx, fields[i], err))
			return -EINVAL;
	if (parse_slots(jv_get(e, "slots"), idx, &h, err) ||
	    check_hist(&h, idx, name->str, err))
		return -EINVAL;
	if (r->seen[op]) {
		snprintf(err, DIFF_ERR_MAX, "op_latency[%zu]: op \"%s\" twice",
			 idx, name->str);
		return -EINVAL;
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
	int rc = -EINVAL;

	memset(r, 0, sizeof(*r));
	if (jv_parse(text, len, &root, perr, sizeof(perr))) {
		snprintf(err, DIFF_ERR_MAX, "not valid JSON: %s", perr);
		return -EINVAL;
	}
	ver = jv_get(&root, "dmatrace_record");
	lat = jv_get(&root, "op_latency");
	if (!ver || ver->type != JV_NUM || ver->num != 1)
		snprintf(err, DIFF_ERR_MAX,
			 "not a dmatrace record (no \"dmatrace_record\": 1)");
	else if (!lat || lat->type != JV_ARR)
		snprintf(err, DIFF_ERR_MAX, "no \"op_latency\" array");
	else if (!lat->n)
		snprintf(err, DIFF_ERR_MAX,
			 "\"op_latency\" is empty: no successful op to compare");
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
	rc = parse_record(text, len, r, msg);
	if (rc && err && err_sz)
		snprintf(err, err_sz, "%s", msg);
	free(r);
	return rc;
}

int diff_load_record(const char *path, struct diff_rec *r, char *err)
{
	size_t len;
	char *text = read_file(path, &len, err);
	int rc;

	if (!text)
		return -EIO;
	rc = parse_record(text, len, r, err);
	free(text);
	return rc;
}

