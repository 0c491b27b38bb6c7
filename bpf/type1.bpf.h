/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Native VFIO type1 (drivers/vfio/vfio_iommu_type1.c): a container is its
 * driver's struct vfio_iommu, named by an id (DT_ID_CONTAINER | n, n in
 * the order the tracer first saw it: the driver's open, or its first op
 * when it was open before tracing started). Per container, kept in the
 * usage map next to the IOASes: the driver's own state after each op
 * (page sizes, dma_avail, v2, the mapper's locked_vm against its
 * RLIMIT_MEMLOCK). Window changes (its iova_list) go through the ring
 * buffer. Pinning (vfio_pin_pages_remote) inside a map is timed apart.
 *
 * Each wrapper file defines, before including this header:
 *   static __always_inline void t1_read_state(__u64 iommu, struct t1_state *st);
 *   static __always_inline void t1_read_iova_list(__u64 iommu, struct dt_event *e);
 *   static __always_inline bool t1_read_v2(__u64 iommu);
 *   static __always_inline __u64 t1_dma_root(__u64 iommu);
 *   static __always_inline bool t1_dma_node(__u64 node, struct t1_node *n);
 * (the root of the container's dma_list, and one node of it: its mapping
 * and children; false on a read fault, counted).
 */
#ifndef DMATRACE_TYPE1_BPF_H
#define DMATRACE_TYPE1_BPF_H

#include <asm-generic/errno-base.h>
#include "dmatrace.bpf.h"

__u32 container_seq;	/* ids handed out so far */

/* A descent of the dma_list towards [start, last] */
struct t1_find {
	__u64 node;		/* the next node to read, 0: done */
	__u64 start, last;
	struct dt_range hit;
	bool found;
};

/* One node a step: a bpf_loop, so the verifier checks one level, not 64 */
static long t1_find_step(__u32 i, struct t1_find *f)
{
	struct t1_node n;

	if (!f->node || !t1_dma_node(f->node, &n)) {
		f->node = 0;
		return 1;
	}
	if (f->last < n.start) {
		f->node = n.left;
	} else if (f->start > n.last) {
		f->node = n.right;
	} else {
		f->hit.start = n.start;
		f->hit.last = n.last;
		f->found = true;
		f->node = 0;
	}
	return f->node ? 0 : 1;
}

/*
 * vfio_find_dma(): the mapping of the container's dma_list meeting
 * [start, last], found by descending the tree (at most T1_TREE_DEPTH
 * nodes; a deeper tree counts a read failure)
 */
static __always_inline bool t1_find_dma(__u64 iommu, __u64 start, __u64 last,
					struct dt_range *hit)
{
	struct t1_find f = { .start = start, .last = last };

	if (!iommu)
		return false;
	f.node = t1_dma_root(iommu);
	bpf_loop(T1_TREE_DEPTH, t1_find_step, &f, 0);
	if (f.node)
		count(DT_CNT_READ_FAIL);
	if (f.found)
		*hit = f.hit;
	return f.found;
}

static __always_inline void t1_iova_list_event(__u64 iommu, __u32 id,
					       __u32 why, int ret)
{
	struct dt_event *e;

	if (!cfg.windows)
		return;
	e = event_new(DT_EV_IOVA_LIST);
	if (!e)
		return;
	e->op = DT_OP_MAX;	/* no op of the table: a group attach/detach */
	e->ioas_id = id;
	e->flags = why;
	e->ret = ret;
	t1_read_iova_list(iommu, e);
	bpf_ringbuf_submit(e, 0);
}

/*
 * A container seen for the first time: the view learns of it and its
 * window. First seen at an op, not at a group attach, it was set up before
 * tracing started: its earlier mappings and groups are not known
 * (DT_T1_SEEN_LATE, which the views say).
 */
static __always_inline void t1_container_new(__u64 iommu, __u32 id, __u32 why)
{
	struct dt_event *e;

	if (!cfg.windows)
		return;
	e = event_new(DT_EV_IOAS_ALLOC);
	if (e) {
		e->ioas_id = id;
		bpf_ringbuf_submit(e, 0);
	}
	t1_iova_list_event(iommu, id, why, 0);
}

/* The container's id, or 0 when it was never seen */
static __always_inline __u32 container_known(__u64 iommu)
{
	__u32 *id = bpf_map_lookup_elem(&containers, &iommu);

	return id ? *id : 0;
}

/* The container's id, handed out at first sight (why: DT_T1_SEEN*) */
static __always_inline __u32 container_id(__u64 iommu, __u32 why)
{
	__u32 *id, nid;

	if (!iommu)
		return 0;
	id = bpf_map_lookup_elem(&containers, &iommu);
	if (id)
		return *id;
	nid = DT_ID_CONTAINER | (__sync_fetch_and_add(&container_seq, 1) + 1);
	if (bpf_map_update_elem(&containers, &iommu, &nid, BPF_NOEXIST)) {
		id = bpf_map_lookup_elem(&containers, &iommu);
		if (!id)
			count(DT_CNT_IOAS_FULL);
		return id ? *id : 0;
	}
	t1_container_new(iommu, nid, why);
	return nid;
}

/*
 * Does [start, last] cut a mapping at either end (the ref's and the
 * kernel's unmap_splits())? hit: the mapping it cuts.
 */
static __always_inline bool t1_find_cut(__u64 iommu, __u64 start, __u64 last,
					struct dt_range *hit)
{
	if (t1_find_dma(iommu, start, start, hit) && hit->start < start)
		return true;
	return t1_find_dma(iommu, last, last, hit) && hit->last > last;
}

/*
 * At an UNMAP_DMA's entry on a v1 container: does it cut a mapping? v1
 * succeeds anyway (taking or leaving the mapping whole), so only the
 * state before the unmap can tell. A v2 container refuses the cut: its
 * exit looks then (t1_name_hit), as the state did not change.
 */
static __always_inline void t1_call_enter(struct dt_call *c)
{
	if (!cfg.violations || c->op != DT_OP_VFIO_UNMAP_DMA || !c->length ||
	    dt_op_unmap_all(c->op, c->flags, c->iova, c->length) ||
	    c->iova + (c->length - 1) < c->iova || t1_read_v2(c->ictx))
		return;
	c->hit_set = t1_find_cut(c->ictx, c->iova, c->iova + c->length - 1,
				 &c->hit);
}

/*
 * At a failed op's exit: the mapping it ran into, for the violation line
 * (a map's -EEXIST: the mapping it overlaps; a v2 unmap's -EINVAL: the one
 * it would cut). A failed op changed nothing: the tree is as it met it.
 */
static __always_inline void t1_name_hit(struct dt_call *c, __u32 op, int ret)
{
	__u64 last = c->iova + (c->length - 1);

	if (c->hit_set || !c->length || last < c->iova)
		return;
	if (dt_op_kind(op) == DT_KIND_MAP && ret == -EEXIST)
		c->hit_set = t1_find_dma(c->ictx, c->iova, last, &c->hit);
	else if (dt_op_kind(op) == DT_KIND_UNMAP && ret == -EINVAL)
		c->hit_set = t1_find_cut(c->ictx, c->iova, last, &c->hit);
}

/* A v1 unmap that succeeded cutting a mapping (t1_call_enter saw it) */
static __always_inline void t1_unmap_cut(const struct dt_call *c)
{
	struct dt_event *e;

	if (!c->hit_set)
		return;
	e = event_new(DT_EV_UNMAP_CUT);
	if (!e)
		return;
	event_from_call(e, c, 0);
	bpf_ringbuf_submit(e, 0);
}

/* At a type1 op's exit: name the container, read its state into c */
static __always_inline void t1_call_exit(struct dt_call *c)
{
	struct t1_state st = {};

	c->ioas_id = container_id(c->ictx, DT_T1_SEEN_LATE);
	/* the driver's state feeds the windows and the violation lines only */
	if (!cfg.windows && !cfg.violations)
		return;
	t1_read_state(c->ictx, &st);
	c->pgsize_bitmap = st.pgsize_bitmap;
	c->t1flags = st.t1flags;
	if (!cfg.windows || !c->ioas_id)
		return;
	{
		struct dt_ioas_key k = { .tgid = c->tgid, .ioas_id = c->ioas_id };
		struct dt_ioas_usage *u = usage_get(&k);

		if (!u)
			return;
		u->pgsize_bitmap = st.pgsize_bitmap;
		u->locked_pages = st.locked_pages;
		u->memlock_pages = st.memlock_pages;
		u->dma_avail = st.dma_avail;
		u->t1flags = st.t1flags | (u->t1flags & DT_T1_SNAP);
	}
}

/* The pinning a map did, as a histogram of its own (and its share) */
static __always_inline void t1_pin_record(const struct dt_call *c, int ret)
{
	struct dt_lat_key key = lat_key(c, ret);

	if (c->pin_ts || c->pin_ns)
		hist_add(&pin_hists, &key, c->pin_ns, c->pin_pages << 12,
			 DT_CNT_PIN_FULL);
}

/* vfio_pin_pages_remote entry/exit inside a traced op of this thread */
static __always_inline void t1_pin_enter(void)
{
	struct dt_task *t;

	t = bpf_task_storage_get(&calls, bpf_get_current_task_btf(), 0, 0);
	if (t && t->call.ts)
		t->call.pin_ts = bpf_ktime_get_ns();
}

static __always_inline void t1_pin_exit(long ret)
{
	struct dt_task *t;
	struct dt_call *c;

	t = bpf_task_storage_get(&calls, bpf_get_current_task_btf(), 0, 0);
	if (!t || !t->call.ts || !t->call.pin_ts)
		return;
	c = &t->call;
	c->pin_ns += bpf_ktime_get_ns() - c->pin_ts;
	c->pin_ts = 0;
	if (ret > 0)
		c->pin_pages += ret;
}

/*
 * A group attached to (or refused by) the container, or detached. A
 * refused attach names no container it would be the first sight of (a
 * VFIO_SET_IOMMU that fails releases the driver at once): id 0.
 */
static __always_inline void t1_group_changed(__u64 iommu, __u32 why, int ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u32 id;

	if (!tgid_traced(bpf_get_current_pid_tgid() >> 32))
		return;
	/* a detach while the file is torn down: the trace keeps the state */
	if (why == DT_T1_DETACH && bpf_map_lookup_elem(&closing, &tid))
		return;
	id = ret ? container_known(iommu) : container_id(iommu, DT_T1_SEEN);
	t1_iova_list_event(iommu, id, why, ret);
}

/* Where a kprobe/uprobe keeps the container of a group call for its return */
static __always_inline void t1_group_enter(__u64 iommu, __u64 group)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct t1_group_call g = { .iommu = iommu, .group = group };

	if (tgid_traced(bpf_get_current_pid_tgid() >> 32))
		bpf_map_update_elem(&t1_group_calls, &tid, &g, BPF_ANY);
}

/* At the return: the call t1_group_enter kept (g), false when none */
static __always_inline bool t1_group_exit(__u32 why, int ret,
					  struct t1_group_call *g)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct t1_group_call *in = bpf_map_lookup_elem(&t1_group_calls, &tid);

	if (!in)
		return false;
	*g = *in;
	bpf_map_delete_elem(&t1_group_calls, &tid);
	t1_group_changed(g->iommu, why, ret);
	return true;
}

/* The driver lets go of the container (its last group left, or closed) */
static __always_inline void t1_release(__u64 iommu)
{
	__u32 *id = bpf_map_lookup_elem(&containers, &iommu);
	struct dt_ioas_key k = { .tgid = bpf_get_current_pid_tgid() >> 32 };
	struct dt_event *e;

	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	if (!id)
		return;
	k.ioas_id = *id;
	bpf_map_delete_elem(&containers, &iommu);
	/* torn down with its file: its last state stays, as an IOAS's does */
	if (!cfg.windows || !tgid_traced(k.tgid) ||
	    bpf_map_lookup_elem(&closing, &tid))
		return;
	areas_remove(&k, true, 0, ~0ULL, 0);
	bpf_map_delete_elem(&usage, &k);
	e = event_new(DT_EV_IOAS_DESTROY);
	if (e) {
		e->ioas_id = k.ioas_id;
		bpf_ringbuf_submit(e, 0);
	}
}

#endif /* DMATRACE_TYPE1_BPF_H */
