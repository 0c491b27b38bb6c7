/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The two BPF skeletons (dmatrace_user: uprobes on the reference library;
 * dmatrace_kernel: fentry/kprobe/tp_btf) behind one typed view: the shared
 * maps and, per attach point and attach kind, its entry and exit programs,
 * all taken from the skeletons' fields (a renamed program or map fails to
 * compile, not at run time).
 */
#ifndef DMATRACE_SKEL_H
#define DMATRACE_SKEL_H

#include <stdbool.h>
#include <linux/types.h>

#include "dmatrace/config.h"
#include "attach.h"
#include "snapshot.h"

struct bpf_map;
struct bpf_object;
struct bpf_program;
struct dmatrace_user_bpf;
struct dmatrace_kernel_bpf;

/* The maps both skeletons define (bpf/dmatrace.bpf.h) */
struct dt_maps {
	struct bpf_map *hists, *usage, *areas, *allowed, *counters, *events,
		       *tgids, *pin_hists, *procs, *containers;
};

/*
 * A point's programs: prog[kind][0] its entry, prog[kind][1] its exit;
 * cookie: its BPF cookie (the reference's points, which share programs)
 */
struct dt_point_progs {
	const char *name;
	struct bpf_program *prog[ATTACH_KINDS][2];
	__u64 cookie;
};

#define DT_SKEL_MAX_PROGS	ATTACH_MAX_POINTS

struct dt_skel {
	struct dmatrace_user_bpf *user;
	struct dmatrace_kernel_bpf *kernel;
	struct bpf_object *obj;
	struct dt_maps maps;
	struct bpf_program *fork;	/* tp_btf sched_process_fork */
	/* the snapshot's iter/task_file programs by enum snapshot_kind (kernel), or NULL */
	struct bpf_program *snapshot[SNAP_KINDS];
	struct dt_point_progs pts[DT_SKEL_MAX_PROGS];
	int nr;
};

/* Open the skeleton of the target with its configuration; 0 or -errno */
int dt_skel_open(struct dt_skel *s, bool ref, const struct dt_config *cfg);
/* A point's entry (exit false) or exit program for kind, or NULL */
struct bpf_program *dt_skel_prog(const struct dt_skel *s, const char *point,
				 enum attach_kind kind, bool exit);
/* A point's BPF cookie (0 for the kernel's points) */
__u64 dt_skel_cookie(const struct dt_skel *s, const char *point);
/*
 * Before load: the reference's programs for one uprobe link per point
 * (a kernel without uprobe_multi links), not one uprobe_multi link
 */
void dt_skel_uprobe_single(struct dt_skel *s);
int dt_skel_load(struct dt_skel *s);
void dt_skel_destroy(struct dt_skel *s);

#endif /* DMATRACE_SKEL_H */
