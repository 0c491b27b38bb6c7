// SPDX-License-Identifier: GPL-2.0
/* The tracer: see tracer.h */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "dmatrace/events.h"
#include "dmatrace/hist.h"
#include "tracer.h"	/* struct dt_config, before the skeletons */
#include "dmatrace_kernel.skel.h"
#include "dmatrace_user.skel.h"
#include "view/view.h"

#define MAX_LINKS	(ATTACH_MAX_POINTS * 2 + 2)

struct tracer {
	struct tracer_opts o;
	struct attach_plan plan;
	struct dmatrace_user_bpf *uskel;
	struct dmatrace_kernel_bpf *kskel;
	struct bpf_object *obj;
	struct bpf_link *links[MAX_LINKS];
	int nr_links;
	struct ring_buffer *rb;
	struct dt_view *view;
	int ncpus;
};

static int tracer_open_obj(struct tracer *t)
{
	if (t->o.target == TARGET_REF) {
		t->uskel = dmatrace_user_bpf__open();
		if (!t->uskel)
			return -errno;
		t->uskel->rodata->cfg = t->o.cfg;
		t->obj = t->uskel->obj;
	} else {
		t->kskel = dmatrace_kernel_bpf__open();
		if (!t->kskel)
			return -errno;
		t->kskel->rodata->cfg = t->o.cfg;
		t->obj = t->kskel->obj;
	}
	return 0;
}

static int tracer_load_obj(struct tracer *t)
{
	if (t->uskel)
		return dmatrace_user_bpf__load(t->uskel);
	return dmatrace_kernel_bpf__load(t->kskel);
}

/* Program name prefixes of the entry and exit wrappers of an attach kind */
static void prog_prefixes(enum attach_kind k, const char **in, const char **out)
{
	switch (k) {
	case ATTACH_UPROBE: *in = "u_"; *out = "ur_"; break;
	case ATTACH_FENTRY: *in = "f_"; *out = "fx_"; break;
	case ATTACH_KPROBE: *in = "k_"; *out = "kr_"; break;
	case ATTACH_TP_BTF: *in = "t_"; *out = NULL; break;
	default: *in = *out = NULL; break;
	}
}

static struct bpf_program *find_prog(struct tracer *t, const char *prefix,
				     const char *name)
{
	char pname[128];

	snprintf(pname, sizeof(pname), "%s%s", prefix, name);
	return bpf_object__find_program_by_name(t->obj, pname);
}

/* Load only the programs the plan chose (and the fork hook for -- CMD) */
static int tracer_select_progs(struct tracer *t, char *err, size_t err_sz)
{
	struct bpf_program *prog;
	int i;

	bpf_object__for_each_program(prog, t->obj)
		bpf_program__set_autoload(prog, false);
	for (i = 0; i < t->plan.nr; i++) {
		const struct attach_choice *c = &t->plan.c[i];
		const char *in, *out;

		prog_prefixes(c->kind, &in, &out);
		if (!in)
			continue;
		prog = find_prog(t, in, c->pt->name);
		if (!prog) {
			snprintf(err, err_sz, "no BPF program for %s %s",
				 attach_kind_name(c->kind), c->pt->name);
			return -ENOENT;
		}
		bpf_program__set_autoload(prog, true);
		if (!c->pt->has_exit)
			continue;
		prog = find_prog(t, out, c->pt->name);
		if (!prog) {
			snprintf(err, err_sz, "no BPF exit program for %s",
				 c->pt->name);
			return -ENOENT;
		}
		bpf_program__set_autoload(prog, true);
	}
	if (t->o.cfg.tgid_set) {
		prog = find_prog(t, t->uskel ? "u_" : "k_", "fork");
		if (prog)
			bpf_program__set_autoload(prog, true);
	}
	return 0;
}

static struct bpf_link *attach_one(struct tracer *t, struct bpf_program *prog,
				   const struct attach_choice *c, bool ret)
{
	LIBBPF_OPTS(bpf_uprobe_opts, uo, .func_name = c->pt->name,
		    .retprobe = ret);

	switch (c->kind) {
	case ATTACH_UPROBE:
		/* -p: only that process hits the probes; else all (-1) */
		return bpf_program__attach_uprobe_opts(prog,
				t->o.cfg.tgid ? (pid_t)t->o.cfg.tgid : -1,
				t->o.lib, 0, &uo);
	case ATTACH_KPROBE:
		return bpf_program__attach_kprobe(prog, ret, c->pt->name);
	default:
		return bpf_program__attach(prog);
	}
}

static int tracer_add_link(struct tracer *t, struct bpf_program *prog,
			   struct attach_choice *c, bool ret, char *err,
			   size_t err_sz)
{
	struct bpf_link *link = attach_one(t, prog, c, ret);
	int e;

	if (!link) {
		e = -errno;
		snprintf(err, err_sz, "cannot attach %s%s to %s: %s",
			 attach_kind_name(c->kind), ret ? " (return)" : "",
			 c->pt->name, strerror(-e));
		return e;
	}
	t->links[t->nr_links++] = link;
	return 0;
}

static int tracer_attach(struct tracer *t, char *err, size_t err_sz)
{
	struct bpf_program *prog;
	int i, e;

	for (i = 0; i < t->plan.nr; i++) {
		struct attach_choice *c = &t->plan.c[i];
		const char *in, *out;

		prog_prefixes(c->kind, &in, &out);
		if (!in)
			continue;
		/* Exit first: an entry without its exit would leak stashes */
		if (c->pt->has_exit) {
			prog = find_prog(t, out, c->pt->name);
			e = tracer_add_link(t, prog, c, true, err, err_sz);
			if (e)
				return e;
		}
		prog = find_prog(t, in, c->pt->name);
		e = tracer_add_link(t, prog, c, false, err, err_sz);
		if (e)
			return e;
	}
	if (t->o.cfg.tgid_set) {
		prog = find_prog(t, t->uskel ? "u_" : "k_", "fork");
		t->links[t->nr_links] = bpf_program__attach(prog);
		if (!t->links[t->nr_links]) {
			e = -errno;
			snprintf(err, err_sz,
				 "cannot attach tp_btf sched_process_fork: %s",
				 strerror(-e));
			return e;
		}
		t->nr_links++;
	}
	return 0;
}

static int on_event(void *ctx, void *data, size_t size)
{
	struct tracer *t = ctx;
	char line[VIEW_LINE_MAX];
	int r;

	r = view_add_event(t->view, data, size, line, sizeof(line));
	if (r == 1 && t->o.live) {
		fprintf(t->o.live, "%s\n", line);
		fflush(t->o.live);
	}
	return r < 0 && r != -EINVAL ? r : 0;
}

static int tracer_plan_target(struct tracer *t, char *err, size_t err_sz)
{
	int e, missing;

	if (t->o.target == TARGET_REF) {
		e = attach_plan_ref(&t->plan, t->o.lib);
		if (e) {
			snprintf(err, err_sz, "cannot read %s: %s", t->o.lib,
				 e == -ENOEXEC ? "not an ELF file" : strerror(-e));
			return e;
		}
	} else {
		attach_plan_kernel(&t->plan, t->o.force_kprobe);
	}
	missing = attach_plan_missing(&t->plan);
	if (missing) {
		int i;

		for (i = 0; i < t->plan.nr; i++)
			if (t->plan.c[i].kind == ATTACH_MISSING &&
			    !t->plan.c[i].pt->optional)
				break;
		snprintf(err, err_sz,
			 "%d attach point(s) missing, e.g. %s: %s (see dmatrace probe)",
			 missing, t->plan.c[i].pt->name, t->plan.c[i].reason);
		return -ENOENT;
	}
	return 0;
}

int tracer_start(struct tracer **out, const struct tracer_opts *o,
		 struct dt_view *view, char *err, size_t err_sz)
{
	struct tracer *t = calloc(1, sizeof(*t));
	int e;

	if (!t) {
		snprintf(err, err_sz, "out of memory");
		return -ENOMEM;
	}
	t->o = *o;
	t->view = view;
	t->ncpus = libbpf_num_possible_cpus();
	e = tracer_plan_target(t, err, err_sz);
	if (e)
		goto fail;
	e = tracer_open_obj(t);
	if (e) {
		snprintf(err, err_sz, "cannot open BPF object: %s", strerror(-e));
		goto fail;
	}
	e = tracer_select_progs(t, err, err_sz);
	if (e)
		goto fail;
	e = tracer_load_obj(t);
	if (e) {
		snprintf(err, err_sz,
			 "cannot load BPF programs: %s (run with -v for libbpf's log)",
			 strerror(-e));
		goto fail;
	}
	e = tracer_attach(t, err, err_sz);
	if (e)
		goto fail;
	t->rb = ring_buffer__new(bpf_object__find_map_fd_by_name(t->obj, "events"),
				 on_event, t, NULL);
	if (!t->rb) {
		e = -errno;
		snprintf(err, err_sz, "cannot open the ring buffer: %s",
			 strerror(-e));
		goto fail;
	}
	*out = t;
	return 0;
fail:
	tracer_stop(t);
	return e;
}

const struct attach_plan *tracer_plan(const struct tracer *t)
{
	return &t->plan;
}

int tracer_add_tgid(struct tracer *t, pid_t pid)
{
	int fd = bpf_object__find_map_fd_by_name(t->obj, "tgids");
	__u32 key = pid;
	__u8 one = 1;

	if (bpf_map_update_elem(fd, &key, &one, BPF_ANY))
		return -errno;
	return 0;
}

int tracer_poll(struct tracer *t, int timeout_ms)
{
	int n = ring_buffer__poll(t->rb, timeout_ms);

	return n == -EINTR ? 0 : n;
}

static int collect_hists(struct tracer *t)
{
	int fd = bpf_object__find_map_fd_by_name(t->obj, "hists");
	struct dt_lat_key key, next, *prev = NULL;
	struct dt_hist *vals;
	int cpu, e = 0;

	vals = calloc(t->ncpus, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	while (!bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, vals))
			continue;	/* deleted meanwhile */
		for (cpu = 0; cpu < t->ncpus && !e; cpu++)
			if (vals[cpu].count)
				e = view_add_hist(t->view, &key, &vals[cpu]);
		if (e)
			break;
	}
	free(vals);
	return e;
}

static int collect_usage(struct tracer *t)
{
	int fd = bpf_object__find_map_fd_by_name(t->obj, "usage");
	struct dt_ioas_key key, next, *prev = NULL;
	struct dt_ioas_usage u;
	int e;

	while (!bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &u))
			continue;
		e = view_add_usage(t->view, key.tgid, key.ioas_id, &u);
		if (e)
			return e;
	}
	return 0;
}

static void collect_counters(struct tracer *t)
{
	int fd = bpf_object__find_map_fd_by_name(t->obj, "counters");
	__u64 vals[t->ncpus], sum;
	__u32 key;
	int cpu;

	for (key = 0; key < DT_CNT_MAX; key++) {
		if (bpf_map_lookup_elem(fd, &key, vals))
			continue;
		for (sum = 0, cpu = 0; cpu < t->ncpus; cpu++)
			sum += vals[cpu];
		view_set_counter(t->view, key, sum);
	}
}

int tracer_collect(struct tracer *t)
{
	int e;

	/* Events first: window state before usage, as they happened */
	ring_buffer__consume(t->rb);
	view_reset_maps(t->view);
	e = collect_hists(t);
	if (!e)
		e = collect_usage(t);
	collect_counters(t);
	return e;
}

/* Delete every key of a hash map (keys of up to 64 bytes) */
static void map_clear(struct tracer *t, const char *name)
{
	int fd = bpf_object__find_map_fd_by_name(t->obj, name);
	char key[64];

	while (!bpf_map_get_next_key(fd, NULL, key))
		if (bpf_map_delete_elem(fd, key))
			break;
}

void tracer_clear_hists(struct tracer *t)
{
	map_clear(t, "hists");
}

void tracer_reset(struct tracer *t, struct dt_view *view)
{
	int fd = bpf_object__find_map_fd_by_name(t->obj, "counters");
	__u64 zeros[t->ncpus];
	__u32 key;

	ring_buffer__consume(t->rb);
	t->view = view;
	map_clear(t, "hists");
	map_clear(t, "usage");
	map_clear(t, "areas");
	map_clear(t, "allowed");
	memset(zeros, 0, sizeof(zeros));
	for (key = 0; key < DT_CNT_MAX; key++)
		bpf_map_update_elem(fd, &key, zeros, BPF_ANY);
}

void tracer_stop(struct tracer *t)
{
	int i;

	if (!t)
		return;
	ring_buffer__free(t->rb);
	for (i = t->nr_links - 1; i >= 0; i--)
		bpf_link__destroy(t->links[i]);
	dmatrace_user_bpf__destroy(t->uskel);
	dmatrace_kernel_bpf__destroy(t->kskel);
	free(t);
}
