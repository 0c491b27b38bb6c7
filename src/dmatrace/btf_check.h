/* SPDX-License-Identifier: GPL-2.0 */
/*
 * BTF for the planner: vmlinux and every module's BTF searched by name,
 * the prototype of a hook checked against what the BPF programs read (as
 * retsnoop does), and a trial load of an empty fentry/fexit program against
 * the function's BTF id (as libbpf-tools' fentry_can_attach() does).
 */
#ifndef DMATRACE_BTF_CHECK_H
#define DMATRACE_BTF_CHECK_H

#include <stdbool.h>
#include <stddef.h>

struct btf;

#define PROTO_MAX_ARGS	6

/*
 * What the BPF programs of a hook read: its return type and the types of
 * the arguments they read, spelt as C ("struct iommufd_ucmd *",
 * "unsigned int", "void *"; a typedef matches its own name or what it
 * stands for). NULL: not read. nr_args 0: nothing checked.
 */
struct attach_proto {
	const char *ret;
	int nr_args;
	const char *args[PROTO_MAX_ARGS];
};

struct btf_mod {
	char *name;
	struct btf *btf;
	int obj_fd;		/* the kernel's BTF object (trial loads); -1 */
};

struct btf_set {
	struct btf *vmlinux;
	struct btf_mod *mods;
	int nr_mods;
};

/* Where BTF has a function or a tracepoint's btf_trace_ typedef */
struct btf_func {
	const struct btf *btf;
	int id;
	int mod;		/* index in mods, -1: vmlinux */
};

/* vmlinux and /sys/kernel/btf/<module>: 0, or -errno without vmlinux BTF */
int btf_set_load(struct btf_set *s);
void btf_set_free(struct btf_set *s);
bool btf_set_find(const struct btf_set *s, const char *name, bool tracepoint,
		  struct btf_func *f);
/* "vmlinux" or the module's name */
const char *btf_set_where(const struct btf_set *s, const struct btf_func *f);

/*
 * Does function id of btf (a FUNC, or a tracepoint's btf_trace_ typedef)
 * take what p says? 0, or -EINVAL with the first difference in why.
 */
int btf_proto_check(const struct btf *btf, int id, const struct attach_proto *p,
		    char *why, size_t why_sz);

/* Load an empty fentry (or fexit) program on f: 0 or -errno */
int btf_set_trial_load(struct btf_set *s, const struct btf_func *f, bool fexit);

#endif /* DMATRACE_BTF_CHECK_H */
