/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmaload ground truth (docs/ground-truth.md): what the workload did, as the
 * tracer must see it. Every executed op is recorded once, with what was
 * sent and what came back; truth.c counts it, classifies violations, and
 * keeps a shadow of each IOAS (areas, allowed and reserved ranges) built
 * only from successful ops, checking the backend's answers against it.
 * Thread-safe: one mutex around each record.
 */
#ifndef DMALOAD_TRUTH_H
#define DMALOAD_TRUTH_H

#include <stdio.h>
#include <linux/types.h>
#include "dmatrace/ops.h"
#include "uapi/iommufd.h"

/* Setup ops: shape the shadow, are not counted (not in enum dt_op) */
enum truth_setup_op {
	TR_RESERVE = DT_OP_MAX,	/* IOMMU_TEST_OP_ADD_RESERVED */
	TR_MOCKDEV,		/* IOMMU_TEST_OP_MOCK_DOMAIN: obj_id = stdev id */
	TR_WINDOW,		/* seed extension: set a window (not counted) */
	/* native VFIO type1 setup (truth_type1.c) */
	TR_CONTAINER,		/* open /dev/vfio/vfio: container */
	TR_GROUP,		/* VFIO_GROUP_SET_CONTAINER: container, group */
	TR_UNGROUP,		/* VFIO_GROUP_UNSET_CONTAINER: group */
	TR_SETIOMMU,		/* VFIO_SET_IOMMU: container, flags = type */
	TR_LIMIT,		/* dma_entry_limit / RLIMIT_MEMLOCK: flags, length */
	TR_NONE,		/* nothing to record (type1 setup, t1info) */
};

struct truth_rec {
	unsigned int op;	/* enum dt_op or enum truth_setup_op */
	int ret;		/* 0 or -errno */
	__u32 ioas_id;		/* target IOAS (copy: dst; type1: compat IOAS) */
	__u32 src_ioas_id;	/* copy */
	__u32 obj_id;		/* destroy: the id; ioas_alloc/mockdev: new id */
	__u32 flags;		/* uAPI flags as sent */
	__u64 iova;		/* as sent; on success of an auto map: result */
	__u64 length;
	__u64 src_iova;		/* copy */
	__u64 unmapped;		/* unmap/type1_unmap success: bytes reported */
	const struct iommu_iova_range *ranges;	/* allow_iovas */
	__u32 nr_ranges;
	__u32 container;	/* native type1: the container (from 1) */
	__u32 group;		/* native type1: the group (from 1) */
	__u64 vaddr;		/* vfio_map_dma: the user address */
	__u64 pgsizes;		/* group: its page sizes (0: as before) */
};

struct truth;

struct truth *truth_new(void);
void truth_free(struct truth *t);
void truth_record(struct truth *t, const struct truth_rec *r);
/*
 * For ops that free IOVA space (unmaps, destroy) with threads sharing an
 * IOAS: hold the lock across the ioctl and its record, so that no map
 * reusing the space is recorded before the unmap that freed it.
 */
void truth_lock(struct truth *t);
void truth_unlock(struct truth *t);
void truth_record_locked(struct truth *t, const struct truth_rec *r);
/* Counted ops so far (sum of all "ops" counts) */
unsigned long long truth_counted(struct truth *t);
/* Backend answers that contradicted the shadow (each also told on stderr) */
unsigned long long truth_divergences(struct truth *t);
/* The summary object of docs/ground-truth.md, one line */
void truth_print_json(struct truth *t, FILE *out);
/* Short text summary */
void truth_print_text(struct truth *t, FILE *out);

#endif /* DMALOAD_TRUTH_H */
