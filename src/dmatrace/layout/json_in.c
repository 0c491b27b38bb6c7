// SPDX-License-Identifier: GPL-2.0
/*
 * `dmatrace layout diff`: read a `dmatrace layout -j` record (json_out.c)
 * and a guest's ranges: {"ranges":[{"start":"0x0","last":"0x7fffffff"}]}.
 * Addresses are "0x..." (or decimal) strings, or integers up to 2^53.
 * Every refusal is one line in err naming the field.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/json_read.h"
#include "layout.h"

#define LAY_JSON_MAX	(16u << 20)

static char *slurp(const char *path, size_t *len, char *err)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t n;

	if (!f) {
		snprintf(err, LAY_ERR_MAX, "%s", strerror(errno));
		return NULL;
	}
	buf = malloc(LAY_JSON_MAX + 1);
	if (!buf) {
		snprintf(err, LAY_ERR_MAX, "out of memory");
		goto out;
	}
	n = fread(buf, 1, LAY_JSON_MAX + 1, f);
	if (ferror(f) || n > LAY_JSON_MAX) {
		snprintf(err, LAY_ERR_MAX, "%s", ferror(f) ? strerror(errno) :
			 "larger than 16 MiB");
		free(buf);
		buf = NULL;
		goto out;
	}
	*len = n;
out:
	fclose(f);
	return buf;
}

static int parse_file(const char *path, struct jv *root, char *err)
{
	char jerr[JSON_READ_ERR_MAX];
	size_t len = 0;
	char *text = slurp(path, &len, err);
	int e;

	if (!text)
		return -EINVAL;
	e = jv_parse(text, len, root, jerr, sizeof(jerr));
	free(text);
	if (e)
		snprintf(err, LAY_ERR_MAX, "%s", e == -ENOMEM ? "out of memory" : jerr);
	return e ? -EINVAL : 0;
}

static int get_addr(const struct jv *o, const char *key, __u64 *out)
{
	const struct jv *v = jv_get(o, key);
	char *end;

	if (v && v->type == JV_NUM) {
		if (v->num < 0 || v->num > 9007199254740992.0 || v->num != floor(v->num))
			return -EINVAL;
		*out = v->num;
		return 0;
	}
	if (!v || v->type != JV_STR || !v->str[0] || v->str[0] == '-')
		return -EINVAL;
	errno = 0;
	*out = strtoull(v->str, &end, 0);
	return errno || *end ? -EINVAL : 0;
}

static int get_uint(const struct jv *o, const char *key, unsigned int max,
		    unsigned int *out)
{
	const struct jv *v = jv_get(o, key);

	if (!v || v->type != JV_NUM || v->num < 0 || v->num > max ||
	    v->num != floor(v->num))
		return -EINVAL;
	*out = v->num;
	return 0;
}

/* A string field into buf: 0, -ENOENT absent (or null), -EINVAL not a string */
static int get_str(const struct jv *o, const char *key, char *buf, size_t sz)
{
	const struct jv *v = jv_get(o, key);

	if (!v || v->type == JV_NULL)
		return -ENOENT;
	if (v->type != JV_STR || strlen(v->str) >= sz)
		return -EINVAL;
	snprintf(buf, sz, "%s", v->str);
	return 0;
}

/* where[i]: {"start","last"[,"type"]}; typed: "type" required */
static int read_range(const struct jv *o, const char *where, size_t i,
		      bool typed, struct lay_range *r, char *err)
{
	const char *bad = NULL;

	if (o->type != JV_OBJ)
		bad = "not an object";
	else if (get_addr(o, "start", &r->start))
		bad = "\"start\" missing or not an address";
	else if (get_addr(o, "last", &r->last))
		bad = "\"last\" missing or not an address";
	else if (r->start > r->last)
		bad = "\"start\" above \"last\"";
	else if (typed && get_str(o, "type", r->type, sizeof(r->type)))
		bad = "\"type\" missing or not a short string";
	if (!bad)
		return 0;
	snprintf(err, LAY_ERR_MAX, "%s[%zu]: %s", where, i, bad);
	return -EINVAL;
}

static int read_ranges(const struct jv *arr, const char *where, bool typed,
		       struct lay_range **out, size_t *n, char *err)
{
	struct lay_range *r;
	size_t i;

	if (!arr || arr->type != JV_ARR) {
		snprintf(err, LAY_ERR_MAX, "%s: missing or not an array", where);
		return -EINVAL;
	}
	for (i = 0; i < arr->n; i++) {
		r = lay_grow(*out, n, sizeof(*r));
		if (!r) {
			snprintf(err, LAY_ERR_MAX, "out of memory");
			return -ENOMEM;
		}
		*out = r;
		if (read_range(&arr->items[i], where, i, typed, &r[*n - 1], err))
			return -EINVAL;
	}
	return 0;
}

static int read_names(const struct jv *arr, const char *where,
		      char (**names)[LAY_NAME_MAX], size_t *n, char *err)
{
	size_t i;

	if (!arr)
		return 0;
	if (arr->type != JV_ARR)
		goto bad;
	for (i = 0; i < arr->n; i++) {
		if (arr->items[i].type != JV_STR ||
		    strlen(arr->items[i].str) >= LAY_NAME_MAX)
			goto bad;
		if (lay_add_name(names, n, arr->items[i].str))
			return -ENOMEM;
	}
	return 0;
bad:
	snprintf(err, LAY_ERR_MAX, "%s: not an array of device names", where);
	return -EINVAL;
}

static int read_iommu(const struct jv *o, size_t i, struct lay_iommu *u,
		      char *err)
{
	char where[64], drv[LAY_NAME_MAX] = "";
	const struct jv *aw = jv_get(o, "aw_bits");

	snprintf(where, sizeof(where), "iommus[%zu]", i);
	if (o->type != JV_OBJ || get_str(o, "name", u->name, sizeof(u->name))) {
		snprintf(err, LAY_ERR_MAX, "%s: no \"name\"", where);
		return -EINVAL;
	}
	get_str(o, "driver", drv, sizeof(drv));
	u->driver = !strcmp(drv, "intel-iommu") ? LAY_DRV_INTEL :
		    !strcmp(drv, "amd-iommu") ? LAY_DRV_AMD : LAY_DRV_OTHER;
	if (aw && aw->type != JV_NULL && (get_uint(o, "aw_bits", 64, &u->aw_bits) ||
					  !u->aw_bits)) {
		snprintf(err, LAY_ERR_MAX, "%s: \"aw_bits\" is not 1..64 or null", where);
		return -EINVAL;
	}
	if (jv_get(o, "windows")) {
		snprintf(where, sizeof(where), "iommus[%zu].windows", i);
		if (read_ranges(jv_get(o, "windows"), where, false, &u->win,
				&u->nwin, err))
			return -EINVAL;
	}
	snprintf(where, sizeof(where), "iommus[%zu].devices", i);
	return read_names(jv_get(o, "devices"), where, &u->devices, &u->ndev, err);
}

static int read_group(const struct jv *o, size_t i, struct lay_group *g,
		      char *err)
{
	char where[64];

	snprintf(where, sizeof(where), "groups[%zu]", i);
	if (o->type != JV_OBJ || get_uint(o, "id", 0xffffffffu, &g->id)) {
		snprintf(err, LAY_ERR_MAX, "%s: \"id\" missing or not a group number",
			 where);
		return -EINVAL;
	}
	if (get_str(o, "type", g->type, sizeof(g->type)) == -EINVAL ||
	    get_str(o, "iommu", g->iommu, sizeof(g->iommu)) == -EINVAL) {
		snprintf(err, LAY_ERR_MAX, "%s: \"type\" or \"iommu\" is not a short string",
			 where);
		return -EINVAL;
	}
	snprintf(where, sizeof(where), "groups[%zu].devices", i);
	if (read_names(jv_get(o, "devices"), where, &g->devices, &g->ndev, err))
		return -EINVAL;
	snprintf(where, sizeof(where), "groups[%zu].reserved", i);
	return read_ranges(jv_get(o, "reserved"), where, true, &g->resv,
			   &g->nresv, err);
}

static int read_layout(const struct jv *root, struct layout *l, char *err)
{
	const struct jv *ver = jv_get(root, "dmatrace_layout");
	const struct jv *iommus = jv_get(root, "iommus");
	const struct jv *groups = jv_get(root, "groups");
	size_t i;

	if (!ver || ver->type != JV_NUM || ver->num != 1) {
		snprintf(err, LAY_ERR_MAX, "not a dmatrace layout -j record (no \"dmatrace_layout\":1)");
		return -EINVAL;
	}
	if (!iommus || iommus->type != JV_ARR || !groups || groups->type != JV_ARR) {
		snprintf(err, LAY_ERR_MAX, "\"iommus\" or \"groups\" missing or not an array");
		return -EINVAL;
	}
	l->iommus = calloc(iommus->n + 1, sizeof(*l->iommus));
	l->groups = calloc(groups->n + 1, sizeof(*l->groups));
	if (!l->iommus || !l->groups) {
		snprintf(err, LAY_ERR_MAX, "out of memory");
		return -ENOMEM;
	}
	/* counted first: what a failed element holds is freed with the rest */
	for (i = 0; i < iommus->n; i++)
		if (l->niommus++, read_iommu(&iommus->items[i], i, &l->iommus[i], err))
			return -EINVAL;
	for (i = 0; i < groups->n; i++)
		if (l->ngroups++, read_group(&groups->items[i], i, &l->groups[i], err))
			return -EINVAL;
	return 0;
}

int layout_read_json(const char *path, struct layout *l, char *err)
{
	struct jv root;
	int e;

	memset(l, 0, sizeof(*l));
	if (parse_file(path, &root, err))
		return -EINVAL;
	e = read_layout(&root, l, err);
	jv_free(&root);
	if (e)
		layout_free(l);
	return e ? -EINVAL : 0;
}

int layout_read_guest(const char *path, struct lay_range **r, size_t *n,
		      char *err)
{
	struct jv root;
	int e;

	*r = NULL;
	*n = 0;
	if (parse_file(path, &root, err))
		return -EINVAL;
	e = read_ranges(jv_get(&root, "ranges"), "ranges", false, r, n, err);
	jv_free(&root);
	if (e) {
		free(*r);
		*r = NULL;
	}
	return e ? -EINVAL : 0;
}
