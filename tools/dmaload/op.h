/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmaload operations: one parsed script line, or one step a scenario
 * generates. Backend-independent: exec.c turns each into uAPI ioctls.
 * Objects (IOASes, mock devices) are referred to by slot in the object
 * table, resolved at parse time so that nothing runs on a bad script.
 */
#ifndef DMALOAD_OP_H
#define DMALOAD_OP_H

#include <linux/types.h>
#include "uapi/iommufd.h"

enum dl_kind {
	DL_IOAS,		/* ioas NAME */
	DL_RESERVE,		/* reserve NAME START LAST */
	DL_MOCKDEV,		/* mockdev IOAS [DEV] */
	DL_ALLOW,		/* allow NAME START-LAST... */
	DL_RANGES,		/* ranges NAME [N] */
	DL_MAP,			/* map / mapflags */
	DL_UNMAP,		/* unmap NAME IOVA LEN | all */
	DL_COPY,		/* copy SRC DST IOVA LEN [fixed DSTIOVA] */
	DL_DESTROY,		/* destroy NAME */
	DL_TYPE1,		/* type1 NAME */
	DL_T1MAP,		/* t1map / t1mapflags */
	DL_T1UNMAP,		/* t1unmap IOVA LEN | all, t1unmapflags */
	DL_T1INFO,		/* t1info */
	DL_WINDOW,		/* window NAME BASE SIZE PAGESIZE */
	DL_NEED,		/* need NAME BYTES */
	/* native VFIO type1 (op_type1.h, script_type1.c, exec_type1.c) */
	DL_CONTAINER,		/* container NAME */
	DL_GROUP,		/* group CONTAINER GROUP [LAYOUT...] */
	DL_UNGROUP,		/* ungroup GROUP */
	DL_SETIOMMU,		/* setiommu CONTAINER v1|v2|nesting */
	DL_VMAP,		/* vmap / vmapflags */
	DL_VUNMAP,		/* vunmap CONTAINER IOVA LEN | all, vunmapflags */
	DL_VINFO,		/* vinfo CONTAINER [ARGSZ] */
	DL_VCHECK,		/* vcheck CONTAINER EXT */
	DL_LIMIT,		/* limit entries N | limit memlock BYTES|unlimited */
	DL_KIND_MAX,
};

#define DL_MAX_RANGES	64	/* allow: ranges on one line */
#define DL_NAME_LEN	32

struct dl_op {
	enum dl_kind kind;
	const char *word;	/* the op as written: "map", "mapflags", ... */
	unsigned int line;	/* script line, or scenario step number */
	int obj;		/* object slot (NAME / SRC / IOAS) */
	int obj2;		/* copy: DST slot; mockdev: DEV slot or -1 */
	__u32 flags;		/* uAPI flags as sent */
	__u32 reserved;		/* mapflags: the __reserved field */
	__u64 iova;		/* map/unmap/t1: IOVA; copy: source IOVA */
	__u64 length;
	__u64 dst_iova;		/* copy */
	__u64 uaddr;		/* offset into the user buffer */
	__u64 size;		/* window: size; need: bytes */
	__u64 pgsize;		/* window: page size */
	__u32 nr_ranges;	/* allow: entries; ranges: user capacity */
	struct iommu_iova_range *ranges;	/* allow (owned) */
	struct dl_group_layout *layout;		/* group (owned) */
};

enum dl_obj_type { DL_OBJ_IOAS, DL_OBJ_MOCKDEV, DL_OBJ_CONTAINER, DL_OBJ_GROUP };

/* limit: what it sets */
enum dl_limit { DL_LIMIT_ENTRIES, DL_LIMIT_MEMLOCK };
#define DL_MEMLOCK_UNLIMITED	(~0ULL)

#define DL_GROUP_MAX_RESV	16

/* enum iommu_resv_type, as /sys/kernel/iommu_groups/N/reserved_regions names them */
enum dl_resv_type {
	DL_RESV_DIRECT,
	DL_RESV_DIRECT_RELAXABLE,
	DL_RESV_RESERVED,
	DL_RESV_MSI,
	DL_RESV_SW_MSI,
};

/*
 * An IOMMU group's layout as a group line gives it: the ref backend builds
 * the group from it, the kernel backend checks it against the machine
 * (reserved regions) and otherwise takes the machine's
 */
struct dl_group_layout {
	unsigned int aw_bits;		/* aperture [0, 2^aw_bits - 1] */
	__u64 pgsizes;
	unsigned int driver;		/* groups of one driver share a domain */
	unsigned int nr_resv;
	struct {
		__u64 start, last;
		enum dl_resv_type type;
	} resv[DL_GROUP_MAX_RESV];
};

/* One NAME of a script (or one object of a scenario) */
struct dl_obj {
	char name[DL_NAME_LEN];
	enum dl_obj_type type;
	__u32 id;		/* last id the backend gave it (0: none yet) */
};

#endif /* DMALOAD_OP_H */
