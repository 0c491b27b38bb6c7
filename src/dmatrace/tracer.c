// SPDX-License-Identifier: GPL-2.0
/* The tracer: see tracer.h */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "dmatrace/events.h"
#include "dmatrace/hist.h"
#include "output.h"
#include "tracer.h"
#include "skel.h"
#include "target.h"
#include "elf_syms.h"
#include "view/view.h"

#define MAX_LINKS	(ATTACH_MAX_POINTS * 2 + 2)

struct tracer {
	struct tracer_opts o;
	struct attach_plan plan;
	struct dt_skel skel;
	struct bpf_link *links[MAX_LINKS];
	int nr_links;
	struct ring_buffer *rb;
	struct dt_view *view;
	struct snapshot snap;
	int ncpus;
	bool hit;	/* a probe fired: an event, a count or a counter seen */
};

/*
 * The program of c's entry (exit false) or exit: what the point needs of
 * its attach kind has a program, and a program is there only when needed
 * (no idle program loaded to pair another). 0, or -ENOENT with err set.
 */
static int choice_prog(struct tracer *t, const struct attach_choice *c,
		       bool exit, struct bpf_program **prog, char *err,
		       size_t err_sz)
{
	bool need = c->pt->needs[c->kind] & (exit ? NEED_EXIT : NEED_ENTRY);

	*prog = dt_skel_prog(&t->skel, c->pt->name, c->kind, exit);
	if (!*prog == !need)
		return 0;
	snprintf(err, err_sz, "%s BPF %s program for %s %s",
		 need ? "no" : "an unplanned", exit ? "exit" : "entry",
		 attach_kind_name(c->kind), c->pt->name);
	return -ENOENT;
}

/* Load only the programs the plan chose (and the fork hook for -- CMD) */
static int tracer_select_progs(struct tracer *t, char *err, size_t err_sz)
{
	struct bpf_program *prog;
	int i, x, e;

	bpf_object__for_each_program(prog, t->skel.obj)
		bpf_program__set_autoload(prog, false);
	for (i = 0; i < t->plan.nr; i++) {
		if (t->plan.c[i].kind == ATTACH_MISSING)
			continue;
		for (x = 0; x < 2; x++) {
			e = choice_prog(t, &t->plan.c[i], x, &prog, err, err_sz);
			if (e)
				return e;
			if (prog)
				bpf_program__set_autoload(prog, true);
		}
	}
	if (t->o.cfg.tgid_set)
		bpf_program__set_autoload(t->skel.fork, true);
	for (i = 0; i < SNAP_KINDS; i++)
		if (t->snap.src[i].planned && t->skel.snapshot[i])
			bpf_program__set_autoload(t->skel.snapshot[i], true);
	return 0;
}

/* -p: only that process hits the uprobes; else all (-1) */
static pid_t uprobe_pid(const struct tracer *t)
{
	return t->o.cfg.tgid ? (pid_t)t->o.cfg.tgid : -1;
}

/*
 * A reference point's uprobe at its file offset (syms: ours, as for the
 * uprobe_multi links: libbpf's lookup by name wants a .symtab)
 */
static struct bpf_link *attach_uprobe(struct tracer *t,
				      const struct elf_syms *syms,
				      struct bpf_program *prog,
				      const struct attach_choice *c, bool ret)
{
	LIBBPF_OPTS(bpf_uprobe_opts, uo, .retprobe = ret,
		    .bpf_cookie = dt_skel_cookie(&t->skel, c->pt->name));
	unsigned long off;

	if (elf_syms_func_offset(syms, c->pt->name, &off)) {
		errno = ENOENT;
		return NULL;
	}
	return bpf_program__attach_uprobe_opts(prog, uprobe_pid(t), t->o.lib,
					       off, &uo);
}

static struct bpf_link *attach_one(struct tracer *t, const struct elf_syms *syms,
				   struct bpf_program *prog,
				   const struct attach_choice *c, bool ret)
{
	switch (c->kind) {
	case ATTACH_UPROBE:
		return attach_uprobe(t, syms, prog, c, ret);
	case ATTACH_KPROBE:
		return bpf_program__attach_kprobe(prog, ret, c->pt->name);
	default:
		return bpf_program__attach(prog);
	}
}

static int tracer_add_link(struct tracer *t, const struct elf_syms *syms,
			   struct bpf_program *prog,
			   const struct attach_choice *c, bool ret, char *err,
			   size_t err_sz)
{
	struct bpf_link *link;
	int e;

	if (!prog)
		return 0;
	link = attach_one(t, syms, prog, c, ret);
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

/*
 * The reference's entries (ret false) or returns as one uprobe_multi link:
 * every point's function, at its file offset (ours: libbpf's lookup by
 * name wants a .symtab, which a stripped library has not), with its
 * cookie, on the one program they share
 */
static int tracer_add_multi(struct tracer *t, const struct elf_syms *syms,
			    bool ret, char *err, size_t err_sz)
{
	unsigned long offsets[ATTACH_MAX_POINTS];
	__u64 cookies[ATTACH_MAX_POINTS];
	struct bpf_program *prog = NULL, *p;
	struct bpf_link *link;
	int i, n = 0, e;

	for (i = 0; i < t->plan.nr; i++) {
		const struct attach_choice *c = &t->plan.c[i];

		if (c->kind != ATTACH_UPROBE)
			continue;
		p = dt_skel_prog(&t->skel, c->pt->name, c->kind, ret);
		if (!p)
			continue;
		if (elf_syms_func_offset(syms, c->pt->name, &offsets[n])) {
			snprintf(err, err_sz, "%s: no function %s", t->o.lib,
				 c->pt->name);
			return -ENOENT;
		}
		prog = p;	/* u_entry or u_return: one for all */
		cookies[n++] = dt_skel_cookie(&t->skel, c->pt->name);
	}
	if (!n)
		return 0;
	{
		LIBBPF_OPTS(bpf_uprobe_multi_opts, uo, .offsets = offsets,
			    .cookies = cookies, .cnt = n, .retprobe = ret);

		link = bpf_program__attach_uprobe_multi(prog, uprobe_pid(t),
							t->o.lib, NULL, &uo);
	}
	if (!link) {
		e = -errno;
		snprintf(err, err_sz, "cannot attach uprobe_multi%s to %d functions of %s: %s",
			 ret ? " (return)" : "", n, t->o.lib, strerror(-e));
		return e;
	}
	t->links[t->nr_links++] = link;
	return 0;
}

/*
 * Every planned point; the reference's uprobes as its two uprobe_multi
 * links when the kernel has them. Exits first: an entry without its exit
 * would leak stashes
 */
static int tracer_attach_points(struct tracer *t, const struct elf_syms *syms,
				char *err, size_t err_sz)
{
	bool multi = t->plan.ref && t->plan.uprobe_multi;
	int i, x, e;

	if (multi && ((e = tracer_add_multi(t, syms, true, err, err_sz)) ||
		      (e = tracer_add_multi(t, syms, false, err, err_sz))))
		return e;
	for (i = 0; i < t->plan.nr; i++) {
		const struct attach_choice *c = &t->plan.c[i];

		if (c->kind == ATTACH_MISSING ||
		    (multi && c->kind == ATTACH_UPROBE))
			continue;
		for (x = 1; x >= 0; x--) {
			e = tracer_add_link(t, syms,
					    dt_skel_prog(&t->skel, c->pt->name,
							 c->kind, x),
					    c, x, err, err_sz);
			if (e)
				return e;
		}
	}
	return 0;
}

static int tracer_attach(struct tracer *t, char *err, size_t err_sz)
{
	struct elf_syms *syms = NULL;
	int e;

	if (t->plan.ref) {
		e = elf_syms_open(&syms, t->o.lib);
		if (e) {
			snprintf(err, err_sz, "cannot read the symbols of %s: %s",
				 t->o.lib, strerror(-e));
			return e;
		}
	}
	e = tracer_attach_points(t, syms, err, err_sz);
	elf_syms_close(syms);
	if (e)
		return e;
	if (t->o.cfg.tgid_set) {
		t->links[t->nr_links] = bpf_program__attach(t->skel.fork);
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

	t->hit = true;
	r = view_add_event(t->view, data, size, line, sizeof(line));
	if (r == 1 && t->o.live) {
		fprintf(t->o.live, "%s\n", line);
		output_flush(t->o.live);
	}
	return r < 0 && r != -EINVAL ? r : 0;
}

static int tracer_plan_target(struct tracer *t, char *err, size_t err_sz)
{
	int e = target_plan(&t->plan, t->o.target, t->o.lib,
			    t->o.force_kprobe, err, err_sz);

	return e ? e : attach_plan_check(&t->plan, err, err_sz);
}

/* The maps' capacities from the options, between open and load */
static int tracer_size_maps(struct tracer *t, char *err, size_t err_sz)
{
	const struct tracer_limits *l = &t->o.limits;
	const struct dt_maps *m = &t->skel.maps;
	const struct {
		struct bpf_map *map;
		__u32 n;
	} sizes[] = {
		{ m->areas, l->areas ? l->areas : DT_MAX_AREAS },
		{ m->usage, l->ioas ? l->ioas : DT_MAX_IOAS },
		{ m->allowed, l->ioas ? l->ioas : DT_MAX_IOAS },
		{ m->containers, l->ioas ? l->ioas : DT_MAX_IOAS },
		{ m->hists, l->keys ? l->keys : DT_MAX_KEYS },
		{ m->pin_hists, l->keys ? l->keys : DT_MAX_KEYS },
		{ m->procs, l->procs ? l->procs : DT_MAX_PROCS },
		{ m->tgids, l->procs ? l->procs : DT_MAX_PROCS },
	};
	unsigned int i;
	int e;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		e = bpf_map__set_max_entries(sizes[i].map, sizes[i].n);
		if (e) {
			snprintf(err, err_sz, "cannot size BPF map %s to %u: %s",
				 bpf_map__name(sizes[i].map), sizes[i].n,
				 strerror(-e));
			return e;
		}
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
	snapshot_plan(&t->snap, &t->plan, o->snapshot, &t->o.cfg);
	e = dt_skel_open(&t->skel, t->o.target == TARGET_REF, &t->o.cfg);
	if (e) {
		snprintf(err, err_sz, "cannot open BPF object: %s", strerror(-e));
		goto fail;
	}
	if (t->plan.ref && !t->plan.uprobe_multi)
		dt_skel_uprobe_single(&t->skel);
	e = tracer_select_progs(t, err, err_sz);
	if (!e)
		e = tracer_size_maps(t, err, err_sz);
	if (e)
		goto fail;
	e = dt_skel_load(&t->skel);
	if (e) {
		snprintf(err, err_sz,
			 "cannot load BPF programs: %s (run with -v for libbpf's log)",
			 strerror(-e));
		goto fail;
	}
	e = tracer_attach(t, err, err_sz);
	if (e)
		goto fail;
	t->rb = ring_buffer__new(bpf_map__fd(t->skel.maps.events),
				 on_event, t, NULL);
	if (!t->rb) {
		e = -errno;
		snprintf(err, err_sz, "cannot open the ring buffer: %s",
			 strerror(-e));
		goto fail;
	}
	/* a failed snapshot is reported, not fatal: the trace goes on */
	snapshot_take(&t->snap, t->skel.snapshot, t->skel.maps.usage);
	*out = t;
	return 0;
fail:
	tracer_stop(t);
	return e;
}

bool tracer_hit(const struct tracer *t)
{
	return t->hit;
}

const struct attach_plan *tracer_plan(const struct tracer *t)
{
	return &t->plan;
}

const struct snapshot *tracer_snapshot(const struct tracer *t)
{
	return &t->snap;
}

int tracer_add_tgid(struct tracer *t, pid_t pid)
{
	int fd = bpf_map__fd(t->skel.maps.tgids);
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

/* Every histogram of map into the view through add */
static int collect_hist_map(struct tracer *t, struct bpf_map *map,
			    int (*add)(struct dt_view *, const struct dt_lat_key *,
				       const struct dt_hist *))
{
	int fd = bpf_map__fd(map);
	struct dt_lat_key key, next, *prev = NULL;
	struct dt_hist val;
	int e = 0;

	while (!e && !bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &val))
			continue;	/* deleted meanwhile */
		if (!val.count)
			continue;
		t->hit = true;
		e = add(t->view, &key, &val);
	}
	return e;
}

/* The processes the histograms name (tgid -> comm) */
static int collect_procs(struct tracer *t)
{
	int fd = bpf_map__fd(t->skel.maps.procs);
	__u32 key, next, *prev = NULL;
	struct dt_proc p;
	int e = 0;

	while (!e && !bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (!bpf_map_lookup_elem(fd, &key, &p))
			e = view_add_proc(t->view, key, p.comm);
	}
	return e;
}

static int collect_usage(struct tracer *t)
{
	int fd = bpf_map__fd(t->skel.maps.usage);
	struct dt_ioas_key key, next, *prev = NULL;
	struct dt_ioas_usage u;
	int e;

	while (!bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &u))
			continue;
		t->hit = true;
		e = view_add_usage(t->view, key.tgid, key.ioas_id, &u);
		if (e)
			return e;
	}
	return 0;
}

static int collect_areas(struct tracer *t)
{
	int fd = bpf_map__fd(t->skel.maps.areas);
	struct dt_area_key key, next, *prev = NULL;
	struct dt_area a;
	int e;

	while (!bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &a))
			continue;
		e = view_add_area(t->view, key.ioas.tgid, key.ioas.ioas_id,
				  key.iova, a.length);
		if (e)
			return e;
	}
	return 0;
}

static void collect_counters(struct tracer *t)
{
	int fd = bpf_map__fd(t->skel.maps.counters);
	__u64 vals[t->ncpus], sum;
	__u32 key;
	int cpu;

	for (key = 0; key < DT_CNT_MAX; key++) {
		if (bpf_map_lookup_elem(fd, &key, vals))
			continue;
		for (sum = 0, cpu = 0; cpu < t->ncpus; cpu++)
			sum += vals[cpu];
		t->hit |= sum != 0;
		view_set_counter(t->view, key, sum);
	}
}

int tracer_collect(struct tracer *t)
{
	int e;

	/* Events first: window state before usage, as they happened */
	ring_buffer__consume(t->rb);
	view_reset_maps(t->view);
	e = collect_procs(t);
	if (!e)
		e = collect_hist_map(t, t->skel.maps.hists, view_add_hist);
	if (!e)
		e = collect_hist_map(t, t->skel.maps.pin_hists, view_add_pin);
	if (!e)
		e = collect_usage(t);
	if (!e && t->o.cfg.windows)
		e = collect_areas(t);
	collect_counters(t);
	return e;
}

/*
 * Delete every key of a hash map (keys of up to 64 bytes): walking on from
 * each key before deleting it, not from the start each time (that scans
 * every bucket per key: a million of them for the areas map)
 */
static void map_clear(struct bpf_map *map)
{
	int fd = bpf_map__fd(map);
	char key[64], next[64];
	bool more = !bpf_map_get_next_key(fd, NULL, key);

	while (more) {
		more = !bpf_map_get_next_key(fd, key, next);
		bpf_map_delete_elem(fd, key);
		memcpy(key, next, sizeof(key));
	}
	/* what a concurrent insert left behind, from the start */
	while (!bpf_map_get_next_key(fd, NULL, key))
		if (bpf_map_delete_elem(fd, key))
			break;
}

void tracer_clear_hists(struct tracer *t)
{
	map_clear(t->skel.maps.hists);
	map_clear(t->skel.maps.pin_hists);
}

void tracer_reset(struct tracer *t, struct dt_view *view)
{
	int fd = bpf_map__fd(t->skel.maps.counters);
	__u64 zeros[t->ncpus];
	__u32 key;

	ring_buffer__consume(t->rb);
	t->view = view;
	t->hit = false;
	map_clear(t->skel.maps.hists);
	map_clear(t->skel.maps.pin_hists);
	map_clear(t->skel.maps.usage);
	map_clear(t->skel.maps.areas);
	map_clear(t->skel.maps.allowed);
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
	dt_skel_destroy(&t->skel);
	free(t);
}
