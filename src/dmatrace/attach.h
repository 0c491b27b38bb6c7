/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The attach planner: for each attach point, what this kernel (or the
 * reference library) lets us use, or why nothing: fentry when BTF (vmlinux
 * or /sys/kernel/btf/<module>) has the function, else a kprobe when
 * kallsyms has it and kprobes work, else missing with the reason.
 */
#ifndef DMATRACE_ATTACH_H
#define DMATRACE_ATTACH_H

#include <stdbool.h>
#include <stdio.h>

enum attach_kind {
	ATTACH_MISSING,
	ATTACH_FENTRY,		/* fentry/fexit */
	ATTACH_KPROBE,		/* kprobe/kretprobe */
	ATTACH_UPROBE,		/* uprobe/uretprobe on the reference library */
	ATTACH_TP_BTF,		/* BTF tracepoint */
};

struct attach_point {
	const char *name;	/* kernel/ref function or tracepoint */
	bool has_exit;		/* also needs the return (fexit/kretprobe) */
	bool tracepoint;	/* a tp_btf, not a function */
	bool kernel_only;	/* nothing to attach in the reference library */
	bool ref_only;		/* seed extension: no such kernel function */
	bool optional;		/* tracing works without it */
};

#define ATTACH_REASON_LEN	160

struct attach_choice {
	const struct attach_point *pt;
	enum attach_kind kind;
	char reason[ATTACH_REASON_LEN];	/* why MISSING, or where it was found */
};

#define ATTACH_MAX_POINTS	24

struct attach_plan {
	struct attach_choice c[ATTACH_MAX_POINTS];
	int nr;
};

const char *attach_kind_name(enum attach_kind k);

/* 0 or -errno (BTF or kallsyms unreadable) */
int attach_plan_kernel(struct attach_plan *plan, bool force_kprobe);
/* 0, or -ENOENT when lib is not a readable ELF file */
int attach_plan_ref(struct attach_plan *plan, const char *lib);

/* How many required (non-optional) points are missing */
int attach_plan_missing(const struct attach_plan *plan);

/* One line on stderr-like out: what is live, what fell back, what is missing */
void attach_plan_report(const struct attach_plan *plan, FILE *out);

/* Does the running kernel have iommufd or VFIO (the kernel target)? */
bool kernel_has_iommufd_or_vfio(void);

#endif /* DMATRACE_ATTACH_H */
