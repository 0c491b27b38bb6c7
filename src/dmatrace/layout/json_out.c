// SPDX-License-Identifier: GPL-2.0
/*
 * `dmatrace layout -j`: {"dmatrace_layout":1,"iommus":[...],"groups":[...]},
 * addresses as "0x..." strings (README, dmatrace layout; json_in.c reads it)
 */
#include <stdio.h>

#include "common/json.h"
#include "layout.h"

static const char *const drv_names[] = {
	[LAY_DRV_OTHER] = "other", [LAY_DRV_INTEL] = "intel-iommu",
	[LAY_DRV_AMD] = "amd-iommu",
};

static void json_ranges(struct json_writer *w, const char *key,
			const struct lay_range *r, size_t n)
{
	size_t i;

	json_key(w, key);
	json_array_begin(w);
	for (i = 0; i < n; i++) {
		json_object_begin(w);
		json_key(w, "start");
		json_hex(w, r[i].start);
		json_key(w, "last");
		json_hex(w, r[i].last);
		if (r[i].type[0]) {
			json_key(w, "type");
			json_string(w, r[i].type);
		}
		json_object_end(w);
	}
	json_array_end(w);
}

static void json_names(struct json_writer *w, char (*names)[LAY_NAME_MAX],
		       size_t n)
{
	size_t i;

	json_key(w, "devices");
	json_array_begin(w);
	for (i = 0; i < n; i++)
		json_string(w, names[i]);
	json_array_end(w);
}

static void json_intel(struct json_writer *w, const struct lay_iommu *u)
{
	unsigned int bit;

	json_key(w, "mgaw");
	json_u64(w, u->mgaw);
	json_key(w, "sagaw_bits");
	json_array_begin(w);
	for (bit = 0; bit < 5; bit++)
		if (u->sagaw & (1u << bit))
			json_u64(w, 30 + 9 * bit);
	json_array_end(w);
}

static void json_iommu(struct json_writer *w, const struct lay_iommu *u)
{
	json_object_begin(w);
	json_key(w, "name");
	json_string(w, u->name);
	json_key(w, "driver");
	json_string(w, drv_names[u->driver]);
	if (u->has_cap) {
		json_key(w, "cap");
		json_hex(w, u->cap);
	}
	if (u->has_ecap) {
		json_key(w, "ecap");
		json_hex(w, u->ecap);
	}
	if (u->features[0]) {
		json_key(w, "features");
		json_string(w, u->features);
	}
	if (u->driver == LAY_DRV_INTEL && u->has_cap)
		json_intel(w, u);
	json_key(w, "aw_bits");
	if (u->aw_bits)
		json_u64(w, u->aw_bits);
	else
		json_null(w);
	json_key(w, "iova_last");
	json_hex(w, lay_aw_last(u->aw_bits));
	if (u->nwin)
		json_ranges(w, "windows", u->win, u->nwin);
	json_names(w, u->devices, u->ndev);
	json_object_end(w);
}

static void json_group(struct json_writer *w, const struct lay_group *g)
{
	json_object_begin(w);
	json_key(w, "id");
	json_u64(w, g->id);
	json_key(w, "type");
	json_string(w, g->type);
	json_key(w, "iommu");
	if (g->iommu[0])
		json_string(w, g->iommu);
	else
		json_null(w);
	json_names(w, g->devices, g->ndev);
	json_ranges(w, "reserved", g->resv, g->nresv);
	json_object_end(w);
}

void layout_print_json(FILE *out, const struct layout *l)
{
	struct json_writer w;
	size_t i;

	json_init(&w, out);
	json_object_begin(&w);
	json_key(&w, "dmatrace_layout");
	json_u64(&w, 1);
	json_key(&w, "iommus");
	json_array_begin(&w);
	for (i = 0; i < l->niommus; i++)
		json_iommu(&w, &l->iommus[i]);
	json_array_end(&w);
	json_key(&w, "groups");
	json_array_begin(&w);
	for (i = 0; i < l->ngroups; i++)
		json_group(&w, &l->groups[i]);
	json_array_end(&w);
	json_object_end(&w);
	json_newline(&w);
}
