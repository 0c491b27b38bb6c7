/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The attach planner. A backend (include/dmatrace/ops.h) is a set of
 * attach points: the hooks of its ops in the op table (one for all ops of a
 * DT_DISPATCH_IOCTL backend) and its extra points. For each point: what
 * this kernel (or the reference library) lets us use, or why nothing:
 * fentry when BTF (vmlinux or /sys/kernel/btf/<module>) has the function,
 * its prototype is what the programs read and a trial load passes; else a
 * kprobe when available_filter_functions has it and kprobes work; else
 * missing with the reason. Then each backend is live, partial or absent
 * as a whole (attach_plan_check says whether tracing may start).
 */
#ifndef DMATRACE_ATTACH_H
#define DMATRACE_ATTACH_H

#include <stdbool.h>
#include <stdio.h>

#include "dmatrace/ops.h"
#include "btf_check.h"

enum attach_kind {
	ATTACH_MISSING,
	ATTACH_FENTRY,		/* fentry/fexit */
	ATTACH_KPROBE,		/* kprobe/kretprobe */
	ATTACH_UPROBE,		/* uprobe/uretprobe on the reference library */
	ATTACH_TP_BTF,		/* BTF tracepoint */
	ATTACH_KINDS,
};

/* What a point's programs need of an attach kind */
#define NEED_ENTRY	(1U << 0)
#define NEED_EXIT	(1U << 1)
#define NEED_BOTH	(NEED_ENTRY | NEED_EXIT)

/* What a point is to its backend */
enum attach_role {
	ROLE_REQUIRED,		/* the backend is partial without it */
	ROLE_OPTIONAL,		/* the backend is live without it */
	ROLE_ANY,		/* one of the backend's ROLE_ANY points suffices */
};

struct attach_point {
	const char *name;	/* kernel/ref function or tracepoint */
	enum dt_backend backend;
	enum attach_role role;
	unsigned char needs[ATTACH_KINDS];	/* NEED_* per attach kind */
	bool tracepoint;	/* a tp_btf, not a function */
	bool kernel_only;	/* nothing to attach in the reference library */
	bool ref_only;		/* no such kernel function */
	struct attach_proto proto;	/* what the programs read (kernel) */
};

#define ATTACH_REASON_LEN	256

struct attach_choice {
	const struct attach_point *pt;
	enum attach_kind kind;
	char reason[ATTACH_REASON_LEN];	/* why MISSING, or where it was found */
};

#define ATTACH_MAX_POINTS	32

struct attach_plan {
	struct attach_choice c[ATTACH_MAX_POINTS];
	int nr;
	bool ref;		/* planned on the reference library */
	bool unprivileged;	/* not root: no trial load, no filter list */
	/* ref: one uprobe_multi link for the entries, one for the returns;
	   else (why says why) one uprobe link per point and direction */
	bool uprobe_multi;
	char uprobe_multi_why[96];
};

enum backend_state {
	BACKEND_LIVE,		/* every required point live */
	BACKEND_PARTIAL,	/* some live, some required missing */
	BACKEND_ABSENT,		/* nothing of it live */
};

/* A backend as planned */
struct backend_eval {
	enum backend_state state;
	int nr;				/* its points on this target */
	int live;
	int kind[ATTACH_KINDS];		/* live points per attach kind */
	int required_missing;
	const struct attach_choice *first_missing;	/* required first */
};

const char *attach_kind_name(enum attach_kind k);
const char *backend_state_name(enum backend_state s);

/* Every attach point, backend by backend; *nr gets how many */
const struct attach_point *attach_points(int *nr);

/* 0 or -errno (no memory) */
int attach_plan_kernel(struct attach_plan *plan, bool force_kprobe);
/* 0, or -ENOENT / -ENOEXEC when lib is not a readable ELF file */
int attach_plan_ref(struct attach_plan *plan, const char *lib);

void attach_backend_eval(const struct attach_plan *plan, enum dt_backend be,
			 struct backend_eval *ev);

/* How many required points are missing, over every backend */
int attach_plan_missing(const struct attach_plan *plan);
/* Is some backend live (something DMA-related can be traced)? */
bool attach_plan_any_live(const struct attach_plan *plan);
/*
 * May tracing start? 0, or -ENOENT with one line in err: a partially
 * present backend, or no backend with ops live
 */
int attach_plan_check(const struct attach_plan *plan, char *err, size_t err_sz);

/*
 * On stderr-like out: one line on what is live, what fell back, what is
 * missing; one line per backend; one line counting the links
 */
void attach_plan_report(const struct attach_plan *plan, FILE *out);

/* Does the running kernel have iommufd or VFIO (the kernel target)? */
bool kernel_has_iommufd_or_vfio(void);

#endif /* DMATRACE_ATTACH_H */
