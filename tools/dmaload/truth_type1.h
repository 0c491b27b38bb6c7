/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ground truth of native VFIO type1 (docs/ground-truth.md): a shadow of
 * each container (driver set or not, v1/v2, its groups, its mappings),
 * built from successful ops only, and the violation rules of vfio_map_dma,
 * vfio_unmap_dma and of refused group attaches. Called by truth.c under
 * its lock.
 */
#ifndef DMALOAD_TRUTH_TYPE1_H
#define DMALOAD_TRUTH_TYPE1_H

#include "common/json.h"
#include "truth.h"

struct truth_type1;

/* What a record did to the totals (truth.c adds it) */
struct truth_type1_effect {
	__u64 mapped;		/* bytes_mapped */
	__u64 unmapped;		/* bytes_unmapped */
	int divergence;		/* the answer contradicted the shadow */
};

struct truth_type1 *truth_type1_new(void);
void truth_type1_free(struct truth_type1 *t1);
/* Is op native type1's (a counted op or a setup record)? */
int truth_type1_op(unsigned int op);
/* The violation kind of r (or -1), then r applied to the shadow */
int truth_type1_record(struct truth_type1 *t1, const struct truth_rec *r,
		       struct truth_type1_effect *eff);
/*
 * Is r a call the type1 driver sees (a map or unmap on a container with
 * its driver set)? Calls before VFIO_SET_IOMMU fail in vfio's container
 * layer: no type1 op, not counted.
 */
int truth_type1_counted(struct truth_type1 *t1, const struct truth_rec *r);
/* The number of the container's driver (0: none set yet) */
unsigned int truth_type1_id(struct truth_type1 *t1, __u32 container_slot);
/* "containers": [...] with a driver at the end, by driver number */
void truth_type1_json(struct json_writer *w, struct truth_type1 *t1);
/* The name of a violation's op: the op table's, "attach_group" for setup */
const char *truth_type1_op_name(unsigned int op);

#endif /* DMALOAD_TRUTH_TYPE1_H */
