/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The state at start (kernel target): the native type1 containers and the
 * iommufd IOASes (with their mappings, windows and devices) that processes
 * hold when tracing starts, read once from the kernel by the task_file
 * iterators of bpf/snapshot.bpf.h, after the probes are live, so that the
 * traced changes apply on top. One row of snapshot.c's table per kind.
 */
#ifndef DMATRACE_SNAPSHOT_H
#define DMATRACE_SNAPSHOT_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>

#include "dmatrace/config.h"
#include "attach.h"

struct bpf_program;
struct bpf_map;

enum snapshot_kind {
	SNAP_TYPE1,		/* /dev/vfio/vfio: vfio_iommu_type1 containers */
	SNAP_IOMMUFD,		/* /dev/iommu: iommufd IOASes */
	SNAP_KINDS,
};

struct snapshot_src {
	bool planned;		/* its iterator is loaded and will run */
	bool taken;		/* it ran */
	char why[160];		/* not planned or not taken: why */
	__u64 held;		/* containers or IOASes read, with their mappings */
	__u64 mappings;
	__u64 bytes;
};

struct snapshot {
	bool wanted;
	struct snapshot_src src[SNAP_KINDS];
};

/*
 * Before the object is opened: for each kind, is there anything to read,
 * and can the kernel's types be relocated (its backend traced)? Sets
 * cfg->vfio_rdev / cfg->iommu_rdev for the kinds planned.
 */
void snapshot_plan(struct snapshot *s, const struct attach_plan *plan,
		   bool wanted, struct dt_config *cfg);
/* Run the iterators planned (progs by kind); the sums from the usage map */
int snapshot_take(struct snapshot *s, struct bpf_program *const progs[SNAP_KINDS],
		  struct bpf_map *usage);
/* One line per kind on out: "dmatrace: snapshot: ..." */
void snapshot_report(const struct snapshot *s, FILE *out);

#endif /* DMATRACE_SNAPSHOT_H */
