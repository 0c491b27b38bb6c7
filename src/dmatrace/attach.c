// SPDX-License-Identifier: GPL-2.0
/* The attach planner: see attach.h */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>

#include "attach.h"
#include "elf_syms.h"
#include "ksyms.h"

const char *attach_kind_name(enum attach_kind k)
{
	switch (k) {
	case ATTACH_FENTRY: return "fentry";
	case ATTACH_KPROBE: return "kprobe";
	case ATTACH_UPROBE: return "uprobe";
	case ATTACH_TP_BTF: return "tp_btf";
	default: return "missing";
	}
}

const char *backend_state_name(enum backend_state s)
{
	switch (s) {
	case BACKEND_LIVE: return "live";
	case BACKEND_PARTIAL: return "partial";
	default: return "absent";
	}
}

/* What the kernel offers, read once per plan */
struct kernel_view {
	struct btf_set btf;
	struct ksyms *kallsyms;
	struct ksyms *filter;		/* available_filter_functions; NULL */
	bool kprobes, force_kprobe, unprivileged;
};

static bool kprobes_supported(void)
{
	return !access("/sys/bus/event_source/devices/kprobe/type", F_OK) ||
	       !access("/sys/kernel/tracing/kprobe_events", F_OK) ||
	       !access("/sys/kernel/debug/tracing/kprobe_events", F_OK);
}

static void plan_tracepoint(struct attach_choice *c, const struct kernel_view *k)
{
	char why[160];
	struct btf_func f;

	if (!btf_set_find(&k->btf, c->pt->name, true, &f)) {
		snprintf(c->reason, sizeof(c->reason),
			 k->btf.vmlinux ? "tracepoint not in this kernel's BTF" :
					  "no kernel BTF (/sys/kernel/btf/vmlinux)");
		return;
	}
	if (btf_proto_check(f.btf, f.id, &c->pt->proto, why, sizeof(why))) {
		snprintf(c->reason, sizeof(c->reason), "%s (%s): not attached",
			 why, btf_set_where(&k->btf, &f));
		return;
	}
	c->kind = ATTACH_TP_BTF;
	snprintf(c->reason, sizeof(c->reason), "tracepoint in BTF");
}

/* No fentry (why says so): a kprobe if ftrace can hook the function */
static void plan_kprobe(struct attach_choice *c, const struct kernel_view *k,
			const char *why)
{
	const char *mod = NULL, *where;

	if (!ksyms_find(k->kallsyms, c->pt->name, &mod)) {
		snprintf(c->reason, sizeof(c->reason),
			 "%s; symbol not in /proc/kallsyms", why);
		return;
	}
	where = mod ? mod : "vmlinux";
	if (!k->kprobes) {
		snprintf(c->reason, sizeof(c->reason),
			 "%s; in kallsyms (%s), but kprobes not supported (no kprobe_events, no CONFIG_KPROBES)",
			 why, where);
		return;
	}
	if (k->filter && !ksyms_find(k->filter, c->pt->name, NULL)) {
		snprintf(c->reason, sizeof(c->reason),
			 "%s; in kallsyms (%s), not in available_filter_functions (notrace or inlined)",
			 why, where);
		return;
	}
	c->kind = ATTACH_KPROBE;
	snprintf(c->reason, sizeof(c->reason), "%s; kallsyms (%s)%s", why, where,
		 k->filter ? "" : ", available_filter_functions unreadable");
}

/* fentry on f unless forced off or the trial load fails (why: the reason) */
static bool plan_fentry(struct attach_choice *c, struct kernel_view *k,
			const struct btf_func *f, char *why, size_t why_sz)
{
	bool fexit = !(c->pt->needs[ATTACH_FENTRY] & NEED_ENTRY);
	const char *where = btf_set_where(&k->btf, f);
	int e;

	if (k->force_kprobe) {
		snprintf(why, why_sz, "kprobe forced");
		return false;
	}
	e = k->unprivileged ? 0 : btf_set_trial_load(&k->btf, f, fexit);
	if (e) {
		snprintf(why, why_sz, "BTF: %s, but the %s trial load fails: %s",
			 where, fexit ? "fexit" : "fentry", strerror(-e));
		return false;
	}
	c->kind = ATTACH_FENTRY;
	snprintf(c->reason, sizeof(c->reason), "BTF: %s%s", where,
		 k->unprivileged ? " (not root: not trial-loaded)" : "");
	return true;
}

static void plan_function(struct attach_choice *c, struct kernel_view *k)
{
	char why[160];
	struct btf_func f;

	if (!btf_set_find(&k->btf, c->pt->name, false, &f)) {
		plan_kprobe(c, k, k->btf.vmlinux ?
			    "not in vmlinux BTF or any module's BTF (/sys/kernel/btf/*)" :
			    "no kernel BTF (/sys/kernel/btf/vmlinux)");
		return;
	}
	/* A kprobe would read the same arguments: no fallback either */
	if (btf_proto_check(f.btf, f.id, &c->pt->proto, why, sizeof(why))) {
		snprintf(c->reason, sizeof(c->reason), "%s (%s): not attached",
			 why, btf_set_where(&k->btf, &f));
		return;
	}
	if (!plan_fentry(c, k, &f, why, sizeof(why)))
		plan_kprobe(c, k, why);
}

static void kernel_view_free(struct kernel_view *k)
{
	btf_set_free(&k->btf);
	ksyms_free(k->kallsyms);
	ksyms_free(k->filter);
}

static int kernel_view_load(struct kernel_view *k, bool force_kprobe)
{
	int e;

	memset(k, 0, sizeof(*k));
	k->force_kprobe = force_kprobe;
	k->unprivileged = geteuid() != 0;
	k->kprobes = kprobes_supported();
	e = btf_set_load(&k->btf);
	if (e == -ENOMEM)
		return e;
	e = ksyms_load(&k->kallsyms, "/proc/kallsyms", KSYMS_KALLSYMS);
	if (e == -ENOMEM)
		return e;
	e = ksyms_load_filter_functions(&k->filter);
	return e == -ENOMEM ? e : 0;
}

int attach_plan_kernel(struct attach_plan *plan, bool force_kprobe)
{
	const struct attach_point *pts;
	struct kernel_view k;
	int i, nr, e;

	memset(plan, 0, sizeof(*plan));
	e = kernel_view_load(&k, force_kprobe);
	if (e)
		goto out;
	plan->unprivileged = k.unprivileged;
	pts = attach_points(&nr);
	for (i = 0; i < nr; i++) {
		struct attach_choice *c;

		if (pts[i].ref_only)
			continue;
		c = &plan->c[plan->nr++];
		c->pt = &pts[i];
		if (c->pt->tracepoint)
			plan_tracepoint(c, &k);
		else
			plan_function(c, &k);
	}
out:
	kernel_view_free(&k);
	return e;
}

/* The uAPI's BPF_TRACE_UPROBE_MULTI (Linux 6.6); Debian 12's headers are 6.1 */
#define DT_BPF_TRACE_UPROBE_MULTI	48

/*
 * Does this kernel make uprobe_multi links? A link on "/" (no regular
 * file) fails with EBADF where they exist, EINVAL where the attach type is
 * unknown. DMATRACE_UPROBE_MULTI=0 says no (to test the fallback).
 */
static bool uprobe_multi_probe(char *why, size_t why_sz)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, po,
		    .expected_attach_type = DT_BPF_TRACE_UPROBE_MULTI);
	LIBBPF_OPTS(bpf_link_create_opts, lo);
	const char *env = getenv("DMATRACE_UPROBE_MULTI");
	unsigned long offset = 0;
	int prog, link, e;

	if (env && !strcmp(env, "0")) {
		snprintf(why, why_sz, "DMATRACE_UPROBE_MULTI=0");
		return false;
	}
	prog = bpf_prog_load(BPF_PROG_TYPE_KPROBE, NULL, "GPL", insns, 2, &po);
	if (prog < 0) {
		snprintf(why, why_sz, "cannot load a uprobe program: %s",
			 strerror(errno));
		return false;
	}
	lo.uprobe_multi.path = "/";
	lo.uprobe_multi.offsets = &offset;
	lo.uprobe_multi.cnt = 1;
	link = bpf_link_create(prog, -1, DT_BPF_TRACE_UPROBE_MULTI, &lo);
	e = link < 0 ? errno : 0;
	if (link >= 0)
		close(link);
	close(prog);
	if (e == EBADF)
		return true;
	snprintf(why, why_sz, "no uprobe_multi links in this kernel (Linux 6.6): %s",
		 strerror(e));
	return false;
}

int attach_plan_ref(struct attach_plan *plan, const char *lib)
{
	const struct attach_point *pts;
	struct elf_syms *syms;
	int i, nr, err;

	err = elf_syms_open(&syms, lib);
	if (err)
		return err;
	memset(plan, 0, sizeof(*plan));
	plan->ref = true;
	plan->uprobe_multi = uprobe_multi_probe(plan->uprobe_multi_why,
						sizeof(plan->uprobe_multi_why));
	pts = attach_points(&nr);
	for (i = 0; i < nr; i++) {
		struct attach_choice *c;

		if (pts[i].kernel_only)
			continue;
		c = &plan->c[plan->nr++];
		c->pt = &pts[i];
		if (elf_syms_has_func(syms, c->pt->name)) {
			c->kind = ATTACH_UPROBE;
			snprintf(c->reason, sizeof(c->reason), "%s", lib);
		} else {
			snprintf(c->reason, sizeof(c->reason),
				 "symbol not found in %s", lib);
		}
	}
	elf_syms_close(syms);
	return 0;
}

static void eval_point(struct backend_eval *ev, const struct attach_choice *c,
		       int *any, int *any_live)
{
	bool live = c->kind != ATTACH_MISSING;

	ev->nr++;
	ev->live += live;
	ev->kind[c->kind] += live;
	*any += c->pt->role == ROLE_ANY;
	*any_live += c->pt->role == ROLE_ANY && live;
	if (live)
		return;
	if (c->pt->role == ROLE_REQUIRED && !ev->required_missing++)
		ev->first_missing = c;
	else if (!ev->first_missing)
		ev->first_missing = c;
}

void attach_backend_eval(const struct attach_plan *plan, enum dt_backend be,
			 struct backend_eval *ev)
{
	int i, any = 0, any_live = 0;

	memset(ev, 0, sizeof(*ev));
	for (i = 0; i < plan->nr; i++)
		if (plan->c[i].pt->backend == be)
			eval_point(ev, &plan->c[i], &any, &any_live);
	if (!ev->live)
		ev->state = BACKEND_ABSENT;
	else if (ev->required_missing || (any && !any_live))
		ev->state = BACKEND_PARTIAL;
	else
		ev->state = BACKEND_LIVE;
}

int attach_plan_missing(const struct attach_plan *plan)
{
	int i, n = 0;

	for (i = 0; i < plan->nr; i++)
		n += plan->c[i].kind == ATTACH_MISSING &&
		     plan->c[i].pt->role == ROLE_REQUIRED;
	return n;
}

bool attach_plan_any_live(const struct attach_plan *plan)
{
	int i;

	for (i = 0; i < plan->nr; i++)
		if (plan->c[i].kind != ATTACH_MISSING)
			return true;
	return false;
}

/*
 * A backend partially present is an error, not a degraded run: its ops
 * would be traced in part (maps without their unmaps, a window change
 * without the ops that fill it), and the views would show usage that
 * never existed, or miss violations, with nothing on screen to say so.
 * An absent backend is fine as long as one backend with ops is live.
 */
static int check_partial(const struct attach_plan *plan, char *err,
			 size_t err_sz)
{
	struct backend_eval ev;
	int be;

	for (be = 0; be < DT_BACKEND_MAX; be++) {
		attach_backend_eval(plan, be, &ev);
		if (ev.state != BACKEND_PARTIAL)
			continue;
		snprintf(err, err_sz,
			 "backend %s partially present: %d of %d points missing, e.g. %s: %s (see dmatrace probe)",
			 dt_backend_name(be), ev.nr - ev.live, ev.nr,
			 ev.first_missing->pt->name, ev.first_missing->reason);
		return -ENOENT;
	}
	return 0;
}

int attach_plan_check(const struct attach_plan *plan, char *err, size_t err_sz)
{
	const struct attach_choice *why = NULL;
	char absent[128] = "";
	struct backend_eval ev;
	int be, n = 0;

	if (check_partial(plan, err, err_sz))
		return -ENOENT;
	for (be = 0; be < DT_BACKEND_MAX; be++) {
		if (dt_backends[be].dispatch == DT_DISPATCH_NONE)
			continue;
		attach_backend_eval(plan, be, &ev);
		if (ev.state == BACKEND_LIVE)
			return 0;
		n += snprintf(absent + n, sizeof(absent) - n, "%s%s",
			      n ? ", " : "", dt_backend_name(be));
		if (!why)
			why = ev.first_missing;
	}
	snprintf(err, err_sz,
		 "nothing to trace: no backend with ops is live (absent: %s)%s%s%s%s (see dmatrace probe)",
		 absent, why ? "; " : "", why ? why->pt->name : "",
		 why ? ": " : "", why ? why->reason : "");
	return -ENOENT;
}

bool kernel_has_iommufd_or_vfio(void)
{
	struct btf *vmlinux;
	bool found;

	if (!access("/dev/iommu", F_OK) || !access("/sys/module/iommufd", F_OK) ||
	    !access("/dev/vfio/vfio", F_OK) || !access("/sys/module/vfio", F_OK))
		return true;
	vmlinux = btf__load_vmlinux_btf();
	if (!vmlinux)
		return false;
	found = btf__find_by_name_kind(vmlinux, "iommufd_ioas_map",
				       BTF_KIND_FUNC) >= 0;
	btf__free(vmlinux);
	return found;
}
