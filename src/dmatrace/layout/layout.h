/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `dmatrace layout`: a host's IOMMU layout (groups, their reserved
 * regions, the IOMMUs' address widths) read from sysfs or from the JSON
 * that `dmatrace layout -j` writes, and what blocks a guest's IOVAs.
 */
#ifndef DMATRACE_LAYOUT_H
#define DMATRACE_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>

#define LAY_NAME_MAX	64
#define LAY_TYPE_MAX	24
#define LAY_ERR_MAX	256

/* An inclusive range; type: a reserved region's ("msi") or a reason */
struct lay_range {
	__u64 start, last;
	char type[LAY_TYPE_MAX];
};

struct lay_group {
	unsigned int id;
	char type[LAY_TYPE_MAX];	/* "DMA", "identity"...; "" unknown */
	char iommu[LAY_NAME_MAX];	/* the IOMMU of its devices; "" unknown */
	char (*devices)[LAY_NAME_MAX];
	size_t ndev;
	struct lay_range *resv;
	size_t nresv;
};

enum lay_driver { LAY_DRV_OTHER, LAY_DRV_INTEL, LAY_DRV_AMD };

struct lay_iommu {
	char name[LAY_NAME_MAX];
	enum lay_driver driver;
	bool has_cap, has_ecap;
	__u64 cap, ecap;		/* intel: cap, ecap; amd: cap */
	char features[64];		/* amd: the features file, as read */
	unsigned int mgaw;		/* intel: MGAW (bits 21:16 + 1) */
	unsigned int sagaw;		/* intel: SAGAW (bits 12:8) */
	unsigned int aw_bits;		/* the IOVA width; 0: not known */
	struct lay_range *win;		/* windows (JSON); none: [0, 2^aw - 1] */
	size_t nwin;
	char (*devices)[LAY_NAME_MAX];
	size_t ndev;
};

struct layout {
	struct lay_group *groups;
	size_t ngroups;
	struct lay_iommu *iommus;
	size_t niommus;
};

/* layout.c: memory */
void *lay_grow(void *arr, size_t *n, size_t size);
int lay_add_name(char (**names)[LAY_NAME_MAX], size_t *n, const char *name);
void layout_free(struct layout *l);
const struct lay_iommu *lay_iommu_of(const struct layout *l,
				     const struct lay_group *g);
/* The IOVA limit of an address width: 2^bits - 1 (bits 0 or >= 64: ~0) */
__u64 lay_aw_last(unsigned int bits);

/* cap.c: decode intel-iommu's cap register into mgaw, sagaw, aw_bits */
void lay_intel_decode(struct lay_iommu *u);
/* "39, 48": the widths that SAGAW's bits say */
const char *lay_sagaw_str(char *buf, size_t sz, unsigned int sagaw);

/* sysfs.c: read ROOT/kernel/iommu_groups and ROOT/class/iommu */
int layout_read_sysfs(const char *root, struct layout *l, char *err);

/* print.c, json_out.c */
void layout_print_text(FILE *out, const struct layout *l);
void layout_print_json(FILE *out, const struct layout *l);

/* json_in.c: read a `layout -j` record, or a guest's ranges */
int layout_read_json(const char *path, struct layout *l, char *err);
int layout_read_guest(const char *path, struct lay_range **r, size_t *n,
		      char *err);

/* compat.c: the ranges usable on A and blocked on B, one line each */
struct lay_diff_opts {
	const char *name[2];		/* A's and B's, for errors */
	const char *device;		/* --device BDF: its group only */
	bool has_guest;			/* --guest: only the ranges it uses */
	const struct lay_range *guest;
	size_t nguest;
};
/* 0 compatible, 1 not (lines printed), -EINVAL (err) */
int layout_diff(FILE *out, const struct layout *a, const struct layout *b,
		const struct lay_diff_opts *o, char *err);

/* cmd.c: `dmatrace layout ...`; returns the exit status */
int layout_main(int argc, char **argv);

#endif /* DMATRACE_LAYOUT_H */
