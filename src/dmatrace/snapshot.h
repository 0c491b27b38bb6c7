/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The state at start (kernel target): the native type1 containers and
 * mappings that processes hold when tracing starts, read once from the
 * driver by the task_file iterator of bpf/snapshot.bpf.h, after the probes
 * are live, so that the traced changes apply on top.
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

struct snapshot {
	bool planned;		/* the iterator is loaded and will run */
	bool taken;		/* it ran */
	char why[160];		/* not planned or not taken: why */
	__u64 containers;	/* read, with their mappings */
	__u64 mappings;
	__u64 bytes;
};

/*
 * Before the object is opened: is there anything to read, and can the
 * kernel's types be relocated (the type1 driver traced)? Sets
 * cfg->vfio_rdev when planned.
 */
void snapshot_plan(struct snapshot *s, const struct attach_plan *plan,
		   bool wanted, struct dt_config *cfg);
/* Run the iterator prog; the sums from the usage map. 0 or -errno */
int snapshot_take(struct snapshot *s, struct bpf_program *prog,
		  struct bpf_map *usage);
/* One line on out: "dmatrace: snapshot: ..." */
void snapshot_report(const struct snapshot *s, FILE *out);

#endif /* DMATRACE_SNAPSHOT_H */
