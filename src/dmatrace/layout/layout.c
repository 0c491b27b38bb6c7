// SPDX-License-Identifier: GPL-2.0
/* `dmatrace layout`: the layout's arrays, and lookups in it */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"

/* One more zeroed element of size at the end of arr (*n counts it); NULL */
void *lay_grow(void *arr, size_t *n, size_t size)
{
	char *p = realloc(arr, (*n + 1) * size);

	if (!p)
		return NULL;
	memset(p + *n * size, 0, size);
	(*n)++;
	return p;
}

int lay_add_name(char (**names)[LAY_NAME_MAX], size_t *n, const char *name)
{
	char (*p)[LAY_NAME_MAX] = lay_grow(*names, n, LAY_NAME_MAX);

	if (!p)
		return -ENOMEM;
	*names = p;
	snprintf(p[*n - 1], LAY_NAME_MAX, "%s", name);
	return 0;
}

void layout_free(struct layout *l)
{
	size_t i;

	for (i = 0; i < l->ngroups; i++) {
		free(l->groups[i].devices);
		free(l->groups[i].resv);
	}
	for (i = 0; i < l->niommus; i++) {
		free(l->iommus[i].win);
		free(l->iommus[i].devices);
	}
	free(l->groups);
	free(l->iommus);
	memset(l, 0, sizeof(*l));
}

/*
 * The IOMMU that serves group g: the one it names, else the one that lists
 * its first device, else the only one. NULL: not known.
 */
const struct lay_iommu *lay_iommu_of(const struct layout *l,
				     const struct lay_group *g)
{
	size_t i, j;

	for (i = 0; i < l->niommus; i++)
		if (g->iommu[0] && !strcmp(g->iommu, l->iommus[i].name))
			return &l->iommus[i];
	for (i = 0; i < l->niommus && g->ndev; i++)
		for (j = 0; j < l->iommus[i].ndev; j++)
			if (!strcmp(l->iommus[i].devices[j], g->devices[0]))
				return &l->iommus[i];
	return l->niommus == 1 ? &l->iommus[0] : NULL;
}

__u64 lay_aw_last(unsigned int bits)
{
	return bits && bits < 64 ? (1ULL << bits) - 1 : ~0ULL;
}
