// SPDX-License-Identifier: GPL-2.0
/* `dmatrace layout`: the layout as text, IOMMUs first, then the groups */
#include <inttypes.h>
#include <stdio.h>

#include "layout.h"
#include "view/fmt.h"

static const char *const drv_names[] = {
	[LAY_DRV_OTHER] = "iommu", [LAY_DRV_INTEL] = "intel-iommu",
	[LAY_DRV_AMD] = "amd-iommu",
};

static void print_range(FILE *out, const char *what, const struct lay_range *r)
{
	char size[FMT_SIZE_MAX];

	fprintf(out, "  %s [0x%" PRIx64 ", 0x%" PRIx64 "] (%s)%s%s\n", what,
		(uint64_t)r->start, (uint64_t)r->last,
		fmt_range_size(size, sizeof(size), r->start, r->last),
		r->type[0] ? " " : "", r->type);
}

static void print_width(FILE *out, const struct lay_iommu *u)
{
	char sagaw[64];

	if (u->driver == LAY_DRV_INTEL && u->has_cap)
		fprintf(out, ": MGAW %u bits, SAGAW %s bits", u->mgaw,
			lay_sagaw_str(sagaw, sizeof(sagaw), u->sagaw));
	if (u->nwin)
		fprintf(out, ": %zu window(s)\n", u->nwin);
	else if (u->aw_bits)
		fprintf(out, ": address width %u bits, IOVA [0x0, 0x%" PRIx64 "]\n",
			u->aw_bits, (uint64_t)lay_aw_last(u->aw_bits));
	else
		fprintf(out, ": no address width known (IOVA up to 2^64 - 1)\n");
}

static void print_iommu(FILE *out, const struct lay_iommu *u)
{
	size_t i;

	fprintf(out, "IOMMU %s: %s", u->name, drv_names[u->driver]);
	if (u->has_cap)
		fprintf(out, ", cap 0x%" PRIx64, (uint64_t)u->cap);
	if (u->has_ecap)
		fprintf(out, ", ecap 0x%" PRIx64, (uint64_t)u->ecap);
	if (u->features[0])
		fprintf(out, ", features %s", u->features);
	fprintf(out, ", %zu device(s)", u->ndev);
	print_width(out, u);
	for (i = 0; i < u->nwin; i++)
		print_range(out, "window", &u->win[i]);
}

static void print_group(FILE *out, const struct lay_group *g)
{
	size_t i;

	fprintf(out, "group %u: type %s, iommu %s, devices", g->id,
		g->type[0] ? g->type : "?", g->iommu[0] ? g->iommu : "?");
	for (i = 0; i < g->ndev; i++)
		fprintf(out, " %s", g->devices[i]);
	fprintf(out, "%s\n", g->ndev ? "" : " none");
	for (i = 0; i < g->nresv; i++)
		print_range(out, "reserved", &g->resv[i]);
}

void layout_print_text(FILE *out, const struct layout *l)
{
	size_t i;

	if (!l->niommus && !l->ngroups) {
		fprintf(out, "no IOMMU: no /sys/class/iommu entry, no IOMMU group\n");
		return;
	}
	for (i = 0; i < l->niommus; i++)
		print_iommu(out, &l->iommus[i]);
	for (i = 0; i < l->ngroups; i++)
		print_group(out, &l->groups[i]);
	fprintf(out, "%zu IOMMU(s), %zu group(s)\n", l->niommus, l->ngroups);
}
