// SPDX-License-Identifier: GPL-2.0
/*
 * `dmatrace layout`: read the host's IOMMU layout from sysfs under root
 * ("/sys", or a fixture tree): kernel/iommu_groups/N/{type,devices/,
 * reserved_regions} and class/iommu/NAME/{devices/,intel-iommu/cap,
 * intel-iommu/ecap,amd-iommu/cap,amd-iommu/features}.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "layout.h"

#define LAY_PATH_MAX	4096

/* dir/name into buf (LAY_PATH_MAX); "" when it does not fit */
static const char *join(char *buf, const char *dir, const char *name)
{
	int n = snprintf(buf, LAY_PATH_MAX, "%s/%s", dir, name);

	if (n < 0 || n >= LAY_PATH_MAX)
		buf[0] = 0;
	return buf;
}

/* The names in directory path, sorted; 0, or -errno */
static int list_dir(const char *path, char (**names)[LAY_NAME_MAX], size_t *n)
{
	struct dirent *de;
	DIR *d = opendir(path);
	int e = 0;

	if (!d)
		return -errno;
	while (!e && (de = readdir(d)))
		if (de->d_name[0] != '.')
			e = lay_add_name(names, n, de->d_name);
	closedir(d);
	if (!e && *n)
		qsort(*names, *n, LAY_NAME_MAX,
		      (int (*)(const void *, const void *))strcmp);
	return e;
}

/* The first line of a small file, without its newline; 0, or -errno */
static int read_line(const char *path, char *buf, size_t sz)
{
	FILE *f = fopen(path, "r");
	int e = 0;

	if (!f)
		return -errno;
	if (!fgets(buf, sz, f))
		buf[0] = 0;
	buf[strcspn(buf, "\n")] = 0;
	if (ferror(f))
		e = -EIO;
	fclose(f);
	return e;
}

static bool exists(const char *path)
{
	struct stat st;

	return !lstat(path, &st);
}

/* A hex register as sysfs prints it ("d2008c22260286", or "0x..."): 0/-EINVAL */
static int read_hex(const char *path, __u64 *v)
{
	char buf[64], *end;
	int e = read_line(path, buf, sizeof(buf));

	if (e)
		return e;
	errno = 0;
	*v = strtoull(buf, &end, 16);
	return errno || end == buf || *end ? -EINVAL : 0;
}

/* "0x00000000fee00000 0x00000000feefffff msi" */
static int parse_resv(const char *line, struct lay_range *r)
{
	char type[LAY_TYPE_MAX], extra;
	unsigned long long s, l;

	if (sscanf(line, "%llx %llx %23s %c", &s, &l, type, &extra) != 3 || s > l)
		return -EINVAL;
	r->start = s;
	r->last = l;
	snprintf(r->type, sizeof(r->type), "%s", type);
	return 0;
}

static int read_resv(const char *path, struct lay_group *g, char *err)
{
	char line[256];
	unsigned int lineno = 0;
	FILE *f = fopen(path, "r");
	struct lay_range *r;
	int e = 0;

	if (!f)
		return errno == ENOENT ? 0 : -errno;
	while (!e && fgets(line, sizeof(line), f)) {
		lineno++;
		r = lay_grow(g->resv, &g->nresv, sizeof(*r));
		if (!r) {
			e = -ENOMEM;
			break;
		}
		g->resv = r;
		if (parse_resv(line, &r[g->nresv - 1])) {
			line[strcspn(line, "\n")] = 0;
			snprintf(err, LAY_ERR_MAX, "%.120s:%u: bad reserved region '%.80s'",
				 path, lineno, line);
			e = -EINVAL;
		}
	}
	fclose(f);
	return e;
}

static int read_group(const char *dir, struct lay_group *g, char *err)
{
	char path[LAY_PATH_MAX];
	int e;

	join(path, dir, "type");
	if (read_line(path, g->type, sizeof(g->type)))
		g->type[0] = 0;
	join(path, dir, "devices");
	e = list_dir(path, &g->devices, &g->ndev);
	if (e && e != -ENOENT) {
		snprintf(err, LAY_ERR_MAX, "%.200s: %s", path, strerror(-e));
		return e;
	}
	join(path, dir, "reserved_regions");
	e = read_resv(path, g, err);
	if (e && e != -EINVAL)
		snprintf(err, LAY_ERR_MAX, "%.200s: %s", path, strerror(-e));
	return e;
}

static int cmp_group(const void *a, const void *b)
{
	const struct lay_group *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static int read_groups(const char *root, struct layout *l, char *err)
{
	char (*names)[LAY_NAME_MAX] = NULL, base[LAY_PATH_MAX], dir[LAY_PATH_MAX], *end;
	size_t n = 0, i;
	struct lay_group *g;
	int e;

	join(base, root, "kernel/iommu_groups");
	e = list_dir(base, &names, &n);
	if (e == -ENOENT)
		e = 0;	/* no IOMMU: no groups */
	else if (e)
		snprintf(err, LAY_ERR_MAX, "%.200s: %s", base, strerror(-e));
	for (i = 0; !e && i < n; i++) {
		unsigned long id = strtoul(names[i], &end, 10);

		if (*end)
			continue;
		g = lay_grow(l->groups, &l->ngroups, sizeof(*g));
		if (!g) {
			e = -ENOMEM;
			break;
		}
		l->groups = g;
		g += l->ngroups - 1;
		g->id = id;
		join(dir, base, names[i]);
		e = read_group(dir, g, err);
	}
	free(names);
	if (!e && l->ngroups)
		qsort(l->groups, l->ngroups, sizeof(*l->groups), cmp_group);
	return e;
}

static void read_intel(const char *dir, struct lay_iommu *u)
{
	char path[LAY_PATH_MAX];

	u->driver = LAY_DRV_INTEL;
	join(path, dir, "intel-iommu/cap");
	u->has_cap = !read_hex(path, &u->cap);
	join(path, dir, "intel-iommu/ecap");
	u->has_ecap = !read_hex(path, &u->ecap);
	if (u->has_cap)
		lay_intel_decode(u);
}

/*
 * amd-iommu/cap: the PCI capability header; amd-iommu/features: EFR, and
 * EFR2 on newer kernels in an order that changed ("EFR2:EFR" on 6.1,
 * "EFR:EFR2" on 6.12): kept as read. No address width is derived: Linux's
 * v1 page table (the default) spans the full 64-bit IOVA space.
 */
static void read_amd(const char *dir, struct lay_iommu *u)
{
	char path[LAY_PATH_MAX];

	u->driver = LAY_DRV_AMD;
	join(path, dir, "amd-iommu/cap");
	u->has_cap = !read_hex(path, &u->cap);
	join(path, dir, "amd-iommu/features");
	if (read_line(path, u->features, sizeof(u->features)))
		u->features[0] = 0;
}

static int read_iommu(const char *dir, struct lay_iommu *u)
{
	char path[LAY_PATH_MAX];
	int e;

	join(path, dir, "intel-iommu");
	if (exists(path))
		read_intel(dir, u);
	join(path, dir, "amd-iommu");
	if (exists(path))
		read_amd(dir, u);
	join(path, dir, "devices");
	e = list_dir(path, &u->devices, &u->ndev);
	return e == -ENOENT ? 0 : e;
}

static int read_iommus(const char *root, struct layout *l, char *err)
{
	char (*names)[LAY_NAME_MAX] = NULL, base[LAY_PATH_MAX], dir[LAY_PATH_MAX];
	struct lay_iommu *u;
	size_t n = 0, i;
	int e;

	join(base, root, "class/iommu");
	snprintf(dir, sizeof(dir), "%s", base);
	e = list_dir(base, &names, &n);
	if (e == -ENOENT)
		e = 0;
	for (i = 0; !e && i < n; i++) {
		u = lay_grow(l->iommus, &l->niommus, sizeof(*u));
		if (!u) {
			e = -ENOMEM;
			break;
		}
		l->iommus = u;
		u += l->niommus - 1;
		snprintf(u->name, sizeof(u->name), "%s", names[i]);
		join(dir, base, names[i]);
		e = read_iommu(dir, u);
	}
	if (e)
		snprintf(err, LAY_ERR_MAX, "%.200s: %s", dir, strerror(-e));
	free(names);
	return e;
}

/* Each group's IOMMU by name, once both are read */
static void link_groups(struct layout *l)
{
	const struct lay_iommu *u;
	size_t i;

	for (i = 0; i < l->ngroups; i++) {
		u = lay_iommu_of(l, &l->groups[i]);
		if (u && (u->ndev || l->niommus == 1))
			snprintf(l->groups[i].iommu, LAY_NAME_MAX, "%s", u->name);
	}
}

int layout_read_sysfs(const char *root, struct layout *l, char *err)
{
	struct stat st;
	int e;

	memset(l, 0, sizeof(*l));
	if (stat(root, &st)) {
		snprintf(err, LAY_ERR_MAX, "%.200s: %s", root, strerror(errno));
		return -EINVAL;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, LAY_ERR_MAX, "%.200s: not a directory", root);
		return -EINVAL;
	}
	e = read_groups(root, l, err);
	if (!e)
		e = read_iommus(root, l, err);
	if (e) {
		if (e == -ENOMEM)
			snprintf(err, LAY_ERR_MAX, "out of memory");
		layout_free(l);
		return e;
	}
	link_groups(l);
	return 0;
}
