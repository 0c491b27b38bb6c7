/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The state at start (kernel target): the native type1 containers that
 * processes hold open when tracing starts, and the mappings already in
 * them, read from the driver's own structures by a task_file iterator
 * (the loader runs it once, after the probes are live). Each file that is
 * /dev/vfio/vfio (its inode's rdev, cfg.vfio_rdev) with the type1 driver
 * set (container->iommu_driver->ops->name) gets a container id as a traced
 * one would, its iova_list sent (DT_T1_SNAPSHOT), and every struct
 * vfio_dma of its dma_list (an in-order walk of at most DT_MAX_AREAS
 * nodes) added to the areas and usage of (tgid, container). The traced
 * changes apply on top: a mapping the probes already saw is not added
 * twice (BPF_NOEXIST).
 *
 * Included by dmatrace_kernel.bpf.c after t1_dma_read(), t1_dma_root() and
 * t1_read_state_of().
 */
#ifndef DMATRACE_SNAPSHOT_BPF_H
#define DMATRACE_SNAPSHOT_BPF_H

#include "dmatrace.bpf.h"
#include "windows.bpf.h"
#include "type1.bpf.h"
#include "faults.bpf.h"

#define SNAP_DRIVER	"vfio-iommu-type1"	/* vfio_iommu_driver_ops_type1.name */

struct snap_walk {
	struct dt_ioas_key k;
	__u64 node;		/* the next struct rb_node * to add; 0: done */
};

/* The task's identity on an event sent on its behalf (not the loader's) */
static __always_inline void snap_event_task(struct dt_event *e,
					    struct task_struct *task)
{
	e->tgid = BPF_CORE_READ(task, tgid);
	e->tid = BPF_CORE_READ(task, pid);
	bpf_probe_read_kernel_str(e->comm, sizeof(e->comm), task->comm);
}

#define SNAP_GROUPS_MAX	64	/* groups read in one container */

struct snap_groups_walk {
	__u64 head;		/* &container->group_list */
	__u64 pos;		/* the next struct list_head * */
	__u64 n;		/* groups seen */
	struct dt_dev_owner o;	/* their devices' owner */
};

static long snap_group_step(__u32 i, struct snap_groups_walk *w)
{
	struct list_head *pos = (void *)w->pos;
	struct vfio_group *g;

	if (!w->pos || w->pos == w->head)
		return 1;
	g = (void *)w->pos - bpf_core_field_offset(struct vfio_group,
						   container_next);
	group_devs_set(BPF_CORE_READ(g, iommu_group), &w->o);
	w->n++;
	w->pos = (__u64)BPF_CORE_READ(pos, next);
	return 0;
}

/*
 * The groups in the container (its group_list): how many, and their
 * devices now owned by task's (tgid, container id) for the fault view
 */
static __always_inline __u64 snap_groups(struct vfio_container *ct,
					 struct task_struct *task, __u32 id)
{
	struct snap_groups_walk w = { .o.ioas_id = id };

	w.o.tgid = BPF_CORE_READ(task, tgid);
	bpf_probe_read_kernel_str(w.o.comm, sizeof(w.o.comm), task->comm);
	w.head = (__u64)ct + bpf_core_field_offset(struct vfio_container,
						   group_list);
	w.pos = (__u64)BPF_CORE_READ(ct, group_list.next);
	bpf_loop(SNAP_GROUPS_MAX, snap_group_step, &w, 0);
	if (w.pos && w.pos != w.head)	/* more groups than read */
		count(DT_CNT_READ_FAIL);
	return w.n;
}

static __always_inline void snap_events(struct task_struct *task, __u64 iommu,
					__u32 id, __u64 groups)
{
	struct dt_event *e = event_new(DT_EV_IOAS_ALLOC);

	if (e) {
		e->ioas_id = id;
		snap_event_task(e, task);
		bpf_ringbuf_submit(e, 0);
	}
	e = event_new(DT_EV_IOVA_LIST);
	if (!e)
		return;
	e->op = DT_OP_MAX;
	e->ioas_id = id;
	e->flags = DT_T1_SNAPSHOT;
	e->length = groups;
	t1_read_iova_list(iommu, e);
	snap_event_task(e, task);
	bpf_ringbuf_submit(e, 0);
}

/* The leftmost node under node (rb_first) */
static __always_inline __u64 snap_leftmost(__u64 node)
{
	struct t1_dma d;
	int i;

	for (i = 0; i < T1_TREE_DEPTH && node; i++) {
		if (!t1_dma_read(node, &d))
			return 0;
		if (!d.left)
			return node;
		node = d.left;
	}
	count(DT_CNT_READ_FAIL);
	return 0;
}

/* rb_next() of node, whose head is d */
static __always_inline __u64 snap_next(__u64 node, struct t1_dma *d)
{
	__u64 parent;
	int i;

	if (d->right)
		return snap_leftmost(d->right);
	for (i = 0; i < T1_TREE_DEPTH; i++) {
		parent = d->parent;
		if (!parent || !t1_dma_read(parent, d))
			return 0;
		if (d->right != node)
			return parent;
		node = parent;
	}
	count(DT_CNT_READ_FAIL);
	return 0;
}

static long snap_step(__u32 i, struct snap_walk *w)
{
	struct t1_dma d;

	if (!w->node || !t1_dma_read(w->node, &d))
		return 1;
	/* a mapping the probes saw already stays as they saw it */
	area_add(&w->k, d.iova, d.size, BPF_NOEXIST);
	w->node = snap_next(w->node, &d);
	return 0;
}

/* A container of task's: its id, its window, its state and its mappings */
static __always_inline void snap_container(struct task_struct *task,
					   struct vfio_container *ct, __u64 iommu)
{
	struct snap_walk w = { .k.tgid = BPF_CORE_READ(task, tgid) };
	struct t1_state st = {};
	struct dt_ioas_usage *u;
	__u32 *id, nid;

	id = bpf_map_lookup_elem(&containers, &iommu);
	if (!id) {
		nid = DT_ID_CONTAINER |
		      (__sync_fetch_and_add(&container_seq, 1) + 1);
		bpf_map_update_elem(&containers, &iommu, &nid, BPF_NOEXIST);
		id = bpf_map_lookup_elem(&containers, &iommu);
		if (!id) {
			count(DT_CNT_AREAS_FULL);
			return;
		}
	}
	w.k.ioas_id = *id;
	u = usage_get(&w.k);
	if (!u || (u->t1flags & DT_T1_SNAP))
		return;	/* another fd of a container already read */
	t1_read_state_of(iommu, task, &st);
	u->pgsize_bitmap = st.pgsize_bitmap;
	u->locked_pages = st.locked_pages;
	u->memlock_pages = st.memlock_pages;
	u->dma_avail = st.dma_avail;
	u->t1flags = st.t1flags | DT_T1_SNAP;
	snap_events(task, iommu, w.k.ioas_id, snap_groups(ct, task, w.k.ioas_id));
	w.node = snap_leftmost(t1_dma_root(iommu));
	bpf_loop(DT_MAX_AREAS, snap_step, &w, 0);
	if (w.node)	/* more mappings than the walk reads: say so */
		count(DT_CNT_AREAS_FULL);
}

static __always_inline bool snap_is_type1(struct vfio_container *ct)
{
	const char want[] = SNAP_DRIVER;
	char name[sizeof(want)] = {};
	int i;

	if (bpf_probe_read_kernel_str(name, sizeof(name),
				      BPF_CORE_READ(ct, iommu_driver, ops, name)) < 0)
		return false;
	for (i = 0; i < (int)sizeof(want); i++)
		if (name[i] != want[i])
			return false;
	return true;
}

SEC("iter/task_file")
int snapshot_files(struct bpf_iter__task_file *ctx)
{
	struct task_struct *task = ctx->task;
	struct file *file = ctx->file;
	struct vfio_container *ct;
	__u64 iommu;

	if (!task || !file || !cfg.vfio_rdev || !tgid_traced(task->tgid))
		return 0;
	if (BPF_CORE_READ(file, f_inode, i_rdev) != cfg.vfio_rdev)
		return 0;
	ct = BPF_CORE_READ(file, private_data);
	if (!ct || !BPF_CORE_READ(ct, iommu_driver) || !snap_is_type1(ct))
		return 0;
	iommu = (__u64)BPF_CORE_READ(ct, iommu_data);
	if (iommu)
		snap_container(task, ct, iommu);
	return 0;
}

#endif /* DMATRACE_SNAPSHOT_BPF_H */
