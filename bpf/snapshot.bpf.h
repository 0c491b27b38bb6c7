/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The state at start (kernel target): the native type1 containers and the
 * iommufd contexts that processes hold open when tracing starts, and the
 * mappings already in them, read from the kernel's own structures by two
 * task_file iterators (the loader runs them once, after the probes are
 * live). Each file that is
 * /dev/vfio/vfio (its inode's rdev, cfg.vfio_rdev) with the type1 driver
 * set (container->iommu_driver->ops->name) gets a container id as a traced
 * one would, its iova_list sent (DT_T1_SNAPSHOT), and every struct
 * vfio_dma of its dma_list (an in-order walk of at most DT_MAX_AREAS
 * nodes) added to the areas and usage of (tgid, container). The traced
 * changes apply on top: a mapping the probes already saw is not added
 * twice (BPF_NOEXIST). The devices of its groups get the container as
 * their owner (the fault view).
 * For each /dev/iommu file (cfg.iommu_rdev), the context's objects xarray
 * is walked: each IOAS gets its allowed ranges (DT_EV_ALLOWED_SET and the
 * allowed map), its reserved ranges (DT_EV_RESERVED_ADD) and its areas
 * (area_itree), each device bound and attached its IOAS as owner.
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

/* Who the snapshot's events and state are for: the file's task */
struct snap_who {
	__u32 tgid;
	__u32 tid;
	char comm[DT_COMM_LEN];
};

static __always_inline void snap_who_of(struct snap_who *w,
					struct task_struct *task)
{
	w->tgid = BPF_CORE_READ(task, tgid);
	w->tid = BPF_CORE_READ(task, pid);
	bpf_probe_read_kernel_str(w->comm, sizeof(w->comm), task->comm);
}

/* The task's identity on an event sent on its behalf (not the loader's) */
static __always_inline void snap_event_who(struct dt_event *e,
					   const struct snap_who *w)
{
	e->tgid = w->tgid;
	e->tid = w->tid;
	__builtin_memcpy(e->comm, w->comm, sizeof(e->comm));
}

/*
 * The trees walked, in order: a type1 container's dma_list (struct
 * vfio_dma by iova) and an IOAS's interval trees (struct
 * interval_tree_node: its areas, allowed and reserved ranges)
 */
enum snap_tree {
	SNAP_T1_DMA,		/* area_add() each mapping */
	SNAP_IOPT_AREAS,	/* area_add() each area */
	SNAP_IOPT_ALLOWED,	/* into allowed_scratch */
	SNAP_IOPT_RESERVED,	/* a DT_EV_RESERVED_ADD each */
};

/*
 * An in-order walk of an rb-tree by parent pointers, one node read per
 * bpf_loop step (no nested loop for the verifier to unroll): going down,
 * node is the next to read on the way to the leftmost node of a subtree;
 * going up, from is the child the walk came back from.
 */
struct snap_walk {
	struct dt_ioas_key k;
	struct snap_who who;
	__u64 node;		/* the struct rb_node * to read next; 0: done */
	__u64 from;		/* up: the child just left */
	__u32 tree;		/* enum snap_tree */
	__u32 up;		/* going up */
	__u64 visited;		/* nodes visited */
};

#define ITREE_HEAD	48	/* struct interval_tree_node, read whole into a
				   T1_DMA_HEAD buffer (t1_head_u64's mask) */

/* An interval tree node at node (its rb_node: the struct's start) */
static __always_inline bool itree_read(__u64 node, struct t1_dma *d)
{
	__u64 left = bpf_core_field_offset(struct rb_node, rb_left);
	__u64 right = bpf_core_field_offset(struct rb_node, rb_right);
	__u64 parent = bpf_core_field_offset(struct rb_node, __rb_parent_color);
	__u64 start = bpf_core_field_offset(struct interval_tree_node, start);
	__u64 last = bpf_core_field_offset(struct interval_tree_node, last);
	__u64 b[T1_DMA_HEAD / 8];	/* 8-aligned: the reads below are u64 */

	if (left > ITREE_HEAD - 8 || right > ITREE_HEAD - 8 ||
	    parent > ITREE_HEAD - 8 || start > ITREE_HEAD - 8 ||
	    last > ITREE_HEAD - 8 ||
	    bpf_probe_read_kernel(b, ITREE_HEAD, (void *)node)) {
		count(DT_CNT_READ_FAIL);
		return false;
	}
	d->left = t1_head_u64((const __u8 *)b, left);
	d->right = t1_head_u64((const __u8 *)b, right);
	d->parent = t1_head_u64((const __u8 *)b, parent) & ~3ULL;	/* rb_parent() */
	d->iova = t1_head_u64((const __u8 *)b, start);
	d->size = t1_head_u64((const __u8 *)b, last) - d->iova + 1;
	return true;
}

/*
 * itree is a constant at each use: the type1 walk's program holds no
 * interval tree code (no relocation against types a kernel without
 * iommufd may lack, whatever the verifier explores)
 */
static __always_inline bool snap_read(bool itree, __u64 node, struct t1_dma *d)
{
	return itree ? itree_read(node, d) : t1_dma_read(node, d);
}

/* A reserved range of the IOAS: the event the traced reserve sends */
static __always_inline void snap_reserved(struct snap_walk *w, __u64 node,
					  struct t1_dma *d)
{
	struct iopt_reserved *r = (void *)(node -
		bpf_core_field_offset(struct iopt_reserved, node));
	struct dt_event *e = event_new(DT_EV_RESERVED_ADD);

	if (!e)
		return;
	snap_event_who(e, &w->who);
	e->ioas_id = w->k.ioas_id;
	e->owner = (__u64)BPF_CORE_READ(r, owner);
	e->ranges[0].start = d->iova;
	e->ranges[0].last = d->iova + d->size - 1;
	e->nr_ranges = e->total_ranges = 1;
	bpf_ringbuf_submit(e, 0);
}

/* An allowed range of the IOAS, appended to allowed_scratch */
static __always_inline void snap_allowed(struct t1_dma *d)
{
	__u32 zero = 0, n;
	struct dt_allowed *a = bpf_map_lookup_elem(&allowed_scratch, &zero);

	if (!a)
		return;
	n = a->nr;
	if (n < DT_MAX_RANGES) {
		a->r[n].start = d->iova;
		a->r[n].last = d->iova + d->size - 1;
	}
	a->nr = n + 1;	/* past DT_MAX_RANGES: counted, not kept */
}

static __always_inline void snap_visit(struct snap_walk *w, bool itree,
				       __u64 node, struct t1_dma *d)
{
	w->visited++;
	if (!itree || w->tree == SNAP_IOPT_AREAS)
		/* a mapping the probes saw already stays as they saw it */
		area_add(&w->k, d->iova, d->size, BPF_NOEXIST);
	else if (w->tree == SNAP_IOPT_ALLOWED)
		snap_allowed(d);
	else
		snap_reserved(w, node, d);
}

/* node (read: d) is visited; next its right subtree, or up */
static __always_inline void snap_after(struct snap_walk *w, bool itree,
				       __u64 node, struct t1_dma *d)
{
	snap_visit(w, itree, node, d);
	if (d->right) {
		w->node = d->right;
		w->up = 0;
	} else {
		w->from = node;
		w->node = d->parent;
		w->up = 1;
	}
}

/* One node read of the walk; false when it is done */
static __always_inline bool snap_tree_step(struct snap_walk *w, bool itree)
{
	__u64 node = w->node;
	struct t1_dma d;

	if (!node)
		return false;
	if (!snap_read(itree, node, &d)) {
		w->node = 0;
		return false;
	}
	if (!w->up) {			/* down, to the leftmost node */
		if (d.left)
			w->node = d.left;
		else
			snap_after(w, itree, node, &d);
	} else if (d.left == w->from) {	/* back from the left: its turn */
		snap_after(w, itree, node, &d);
	} else {			/* back from the right: further up */
		w->from = node;
		w->node = d.parent;
	}
	return true;
}

/* A type1 container's dma_list */
static long snap_t1_step(__u32 i, struct snap_walk *w)
{
	return snap_tree_step(w, false) ? 0 : 1;
}

/*
 * Visit the nodes of tree (its root rb_node) in order: at most
 * SNAP_TREE_STEPS reads, about 2 per node (down and back up)
 */
#define SNAP_TREE_STEPS	(4 * DT_MAX_AREAS)

/*
 * Always 0, but not to the verifier (a writable global): kernels before
 * 6.7 verify a bpf_loop callback once, with the caller's stack as it is
 * at the call, and hard-wire the branches that pass did not take; a walk
 * that starts with up known to be 0 would lose its way up on them
 * (seen on Debian's 6.1: one mapping read of five)
 */
__u32 snap_unknown_zero;
__u32 snap_unknown_three = 3;	/* the same: 3 */

static __always_inline void snap_tree_walk(struct snap_walk *w, __u32 tree,
					   __u64 root)
{
	w->tree = tree;
	w->node = root;
	w->up = snap_unknown_zero;
	bpf_loop(SNAP_TREE_STEPS, snap_t1_step, w, 0);
	if (w->node)	/* more nodes than the walk reads: say so */
		count(DT_CNT_SNAPSHOT_CUT);
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
					 const struct snap_who *who, __u32 id)
{
	struct snap_groups_walk w = { .o.ioas_id = id, .o.tgid = who->tgid };

	__builtin_memcpy(w.o.comm, who->comm, sizeof(w.o.comm));
	w.head = (__u64)ct + bpf_core_field_offset(struct vfio_container,
						   group_list);
	w.pos = (__u64)BPF_CORE_READ(ct, group_list.next);
	bpf_loop(SNAP_GROUPS_MAX, snap_group_step, &w, 0);
	if (w.pos && w.pos != w.head)	/* more groups than read */
		count(DT_CNT_READ_FAIL);
	return w.n;
}

static __always_inline void snap_events(const struct snap_who *who,
					__u64 iommu, __u32 id, __u64 groups)
{
	struct dt_event *e = event_new(DT_EV_IOAS_ALLOC);

	if (e) {
		e->ioas_id = id;
		snap_event_who(e, who);
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
	snap_event_who(e, who);
	bpf_ringbuf_submit(e, 0);
}

/* The usage of k, NULL when a snapshot read it already (another fd) */
static __always_inline struct dt_ioas_usage *snap_usage(struct dt_ioas_key *k)
{
	struct dt_ioas_usage *u = usage_get(k);

	if (!u || (u->t1flags & DT_T1_SNAP))
		return NULL;
	u->t1flags |= DT_T1_SNAP;
	return u;
}

/* A container of task's: its id, its window, its state and its mappings */
static __always_inline void snap_container(struct task_struct *task,
					   struct vfio_container *ct, __u64 iommu)
{
	struct snap_walk w = {};
	struct t1_state st = {};
	struct dt_ioas_usage *u;
	__u32 *id, nid;

	snap_who_of(&w.who, task);
	w.k.tgid = w.who.tgid;
	id = bpf_map_lookup_elem(&containers, &iommu);
	if (!id) {
		nid = DT_ID_CONTAINER |
		      (__sync_fetch_and_add(&container_seq, 1) + 1);
		bpf_map_update_elem(&containers, &iommu, &nid, BPF_NOEXIST);
		id = bpf_map_lookup_elem(&containers, &iommu);
		if (!id) {
			count(DT_CNT_IOAS_FULL);
			return;
		}
	}
	w.k.ioas_id = *id;
	u = snap_usage(&w.k);
	if (!u)
		return;
	t1_read_state_of(iommu, task, &st);
	u->pgsize_bitmap = st.pgsize_bitmap;
	u->locked_pages = st.locked_pages;
	u->memlock_pages = st.memlock_pages;
	u->dma_avail = st.dma_avail;
	u->t1flags |= st.t1flags;
	snap_events(&w.who, iommu, w.k.ioas_id,
		    snap_groups(ct, &w.who, w.k.ioas_id));
	snap_tree_walk(&w, SNAP_T1_DMA, t1_dma_root(iommu));
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

	if (!task || !file || !cfg.vfio_rdev || !tgid_traced(BPF_CORE_READ(task, tgid)))
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

/*
 * iommufd: a /dev/iommu file's context (struct iommufd_ctx) keeps its
 * objects in an xarray by id. The walk visits its slots in index order,
 * one slot (or one step up) per bpf_loop step: down into a node
 * (xa_is_node), up to the parent's next slot at a node's end.
 */
#define XA_SLOTS	64		/* XA_CHUNK_SIZE */
#define XA_NODE_MIN	4096		/* xa_is_node(): internal and above it */
#define SNAP_XA_STEPS	(1U << 17)	/* 2048 nodes of 64 slots */

#define SNAP_IOAS_MAX	256	/* IOASes read in one context */

/* The IOASes the xarray walk found, for the walk of their trees */
struct snap_ioas_list {
	__u32 n;		/* found (past SNAP_IOAS_MAX: counted, not kept) */
	__u32 pad;
	__u64 obj[SNAP_IOAS_MAX];	/* struct iommufd_object * */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct snap_ioas_list);
} snap_ioases SEC(".maps");

struct snap_ctx_walk {
	struct snap_who who;
	__u64 node;		/* struct xa_node *; 0: done */
	__u32 offset;		/* the next slot of node */
	__u32 pad;
};

static __always_inline bool xa_entry_is_node(__u64 entry)
{
	return (entry & 3) == 2 && entry > XA_NODE_MIN;
}

/* The allowed ranges read (snap_allowed): the map and the event */
static __always_inline void snap_allowed_done(struct snap_walk *w)
{
	__u32 zero = 0, i, n;
	struct dt_allowed *a = bpf_map_lookup_elem(&allowed_scratch, &zero);
	struct dt_event *e;

	if (!a || !a->nr)
		return;	/* none set: every IOVA is allowed */
	n = a->nr < DT_MAX_RANGES ? a->nr : DT_MAX_RANGES;
	e = event_new(DT_EV_ALLOWED_SET);
	if (!e)
		return;
	snap_event_who(e, &w->who);
	e->ioas_id = w->k.ioas_id;
	for (i = 0; i < DT_EVENT_RANGES && i < n; i++)
		e->ranges[i] = a->r[i];
	e->nr_ranges = i;
	e->total_ranges = a->nr;
	bpf_ringbuf_submit(e, 0);
	if (a->nr > DT_MAX_RANGES) {
		bpf_map_delete_elem(&allowed, &w->k);	/* too many to check */
		return;
	}
	if (bpf_map_update_elem(&allowed, &w->k, a, BPF_ANY))
		count(DT_CNT_IOAS_FULL);
}

/* The root rb_node of the io_pagetable's tree at offset off */
static __always_inline __u64 iopt_root(__u64 iopt, __u64 off)
{
	__u64 root = 0;

	if (bpf_probe_read_kernel(&root, sizeof(root), (void *)(iopt + off)))
		count(DT_CNT_READ_FAIL);
	return root;
}

/*
 * The IOASes' trees, walked one after the other by one bpf_loop (a loop
 * per tree inside the xarray's loop is more than the verifier takes): per
 * IOAS its allowed ranges, its reserved ranges, then its areas
 */
struct snap_jobs {
	struct snap_walk w;
	__u32 ioas;		/* the IOAS (index in snap_ioases) walked */
	__u32 tree;		/* 0 allowed, 1 reserved, 2 areas; 3: next IOAS */
	__u64 iopt;		/* its struct io_pagetable * */
};

/* Start the IOAS's walk: false when a snapshot read it already */
static __always_inline bool snap_ioas_start(struct snap_jobs *j, __u64 obj)
{
	struct dt_allowed *a;
	struct dt_event *e;
	__u32 zero = 0;

	j->w.k.ioas_id = BPF_CORE_READ((struct iommufd_object *)obj, id);
	j->iopt = obj - bpf_core_field_offset(struct iommufd_ioas, obj) +
		  bpf_core_field_offset(struct iommufd_ioas, iopt);
	if (!snap_usage(&j->w.k))
		return false;
	e = event_new(DT_EV_IOAS_ALLOC);
	if (e) {
		e->ioas_id = j->w.k.ioas_id;
		e->flags = DT_IOAS_SNAPSHOT;
		snap_event_who(e, &j->w.who);
		bpf_ringbuf_submit(e, 0);
	}
	a = bpf_map_lookup_elem(&allowed_scratch, &zero);
	if (a)
		a->nr = 0;
	return true;
}

/* The next tree to walk; false when every IOAS is done */
static __always_inline bool snap_job_next(struct snap_jobs *j)
{
	struct snap_ioas_list *l;
	__u32 zero = 0, i;

	if (j->tree == 0)
		snap_allowed_done(&j->w);	/* the allowed walk ended */
	j->tree++;
	if (j->tree >= 3) {
		l = bpf_map_lookup_elem(&snap_ioases, &zero);
		i = ++j->ioas;
		if (!l || i >= l->n || i >= SNAP_IOAS_MAX)
			return false;
		j->tree = 0;
		if (!snap_ioas_start(j, l->obj[i]))
			j->tree = 3;	/* another fd of it: skip its trees */
	}
	switch (j->tree) {
	case 0:
		j->w.tree = SNAP_IOPT_ALLOWED;
		j->w.node = iopt_root(j->iopt, bpf_core_field_offset(struct io_pagetable,
						allowed_itree.rb_root.rb_node));
		break;
	case 1:
		j->w.tree = SNAP_IOPT_RESERVED;
		j->w.node = iopt_root(j->iopt, bpf_core_field_offset(struct io_pagetable,
						reserved_itree.rb_root.rb_node));
		break;
	case 2:
		j->w.tree = SNAP_IOPT_AREAS;
		j->w.node = iopt_root(j->iopt, bpf_core_field_offset(struct io_pagetable,
						area_itree.rb_root.rb_node));
		break;
	default:
		j->w.node = 0;
	}
	j->w.up = 0;
	return true;
}

static long snap_jobs_step(__u32 i, struct snap_jobs *j)
{
	if (snap_tree_step(&j->w, true))
		return 0;
	return snap_job_next(j) ? 0 : 1;
}

/*
 * A device of the task's, bound to the context: its owner for the fault
 * view (the IOAS of the paging hwpt its group is attached to; 0 when
 * nested), unless a traced attach named it already
 */
static __always_inline void snap_device(const struct snap_who *who, __u64 obj)
{
	struct iommufd_device *idev = (void *)(obj -
		bpf_core_field_offset(struct iommufd_device, obj));
	struct dt_dev_owner o = { .tgid = who->tgid };
	struct iommufd_hw_pagetable *hwpt;
	struct iommufd_hwpt_paging *paging;
	int rid;

	rid = dev_requester_id(BPF_CORE_READ(idev, dev));
	if (rid < 0)
		return;
	hwpt = BPF_CORE_READ(idev, igroup, hwpt);
	if (!hwpt)
		return;	/* bound, not attached: no DMA can translate */
	if (BPF_CORE_READ(hwpt, obj.type) ==
	    bpf_core_enum_value(enum iommufd_object_type, IOMMUFD_OBJ_HWPT_PAGING)) {
		paging = (void *)((__u64)hwpt -
			bpf_core_field_offset(struct iommufd_hwpt_paging, common));
		o.ioas_id = BPF_CORE_READ(paging, ioas, obj.id);
	}
	__builtin_memcpy(o.comm, who->comm, sizeof(o.comm));
	if (bpf_map_update_elem(&devs, &rid, &o, BPF_NOEXIST) &&
	    !bpf_map_lookup_elem(&devs, &rid))
		count(DT_CNT_DEVS_FULL);
}

/* An object of the context: an IOAS is kept for later, a device read now */
static __always_inline void snap_object(const struct snap_who *who, __u64 entry)
{
	struct iommufd_object *obj = (void *)entry;
	__u32 type = BPF_CORE_READ(obj, type), zero = 0, n;
	struct snap_ioas_list *l;

	if (type == bpf_core_enum_value(enum iommufd_object_type,
					IOMMUFD_OBJ_DEVICE)) {
		snap_device(who, entry);
		return;
	}
	if (type != bpf_core_enum_value(enum iommufd_object_type, IOMMUFD_OBJ_IOAS))
		return;
	l = bpf_map_lookup_elem(&snap_ioases, &zero);
	if (!l)
		return;
	n = l->n;
	if (n < SNAP_IOAS_MAX)
		l->obj[n] = entry;
	else
		count(DT_CNT_SNAPSHOT_CUT);	/* not read: say so */
	l->n = n + 1;
}

static long snap_xa_step(__u32 i, struct snap_ctx_walk *w)
{
	struct xa_node *n = (void *)w->node;
	__u32 off = w->offset;
	__u64 entry = 0;

	if (!w->node)
		return 1;
	if (off >= XA_SLOTS) {	/* this node is done: up, to the next slot */
		w->offset = BPF_CORE_READ(n, offset) + 1;
		w->node = (__u64)BPF_CORE_READ(n, parent);
		return 0;
	}
	if (bpf_probe_read_kernel(&entry, sizeof(entry), (void *)(w->node +
		bpf_core_field_offset(struct xa_node, slots) + off * 8))) {
		count(DT_CNT_READ_FAIL);
		return 1;
	}
	w->offset = off + 1;
	if (xa_entry_is_node(entry)) {
		w->node = entry - 2;	/* xa_to_node() */
		w->offset = 0;
	} else if (entry && !(entry & 3)) {	/* a pointer: an object */
		snap_object(&w->who, entry);
	}	/* else empty, XA_ZERO_ENTRY (an id being allocated) or a value */
	return 0;
}

/* Every object of the context: its devices, then its IOASes' trees */
static __always_inline void snap_ictx(struct task_struct *task,
				      struct iommufd_ctx *ictx)
{
	__u64 head = (__u64)BPF_CORE_READ(ictx, objects.xa_head);
	struct snap_ctx_walk w = {};
	struct snap_ioas_list *l;
	struct snap_jobs j = {};
	__u32 zero = 0;

	l = bpf_map_lookup_elem(&snap_ioases, &zero);
	if (!l || !head)
		return;
	l->n = 0;
	snap_who_of(&w.who, task);
	if (!xa_entry_is_node(head)) {	/* one object, at index 0 */
		if (!(head & 3))
			snap_object(&w.who, head);
	} else {
		w.node = head - 2;
		w.offset = snap_unknown_zero;	/* see snap_unknown_zero */
		bpf_loop(SNAP_XA_STEPS, snap_xa_step, &w, 0);
		if (w.node)	/* more slots than the walk reads: say so */
			count(DT_CNT_SNAPSHOT_CUT);
	}
	if (!l->n)
		return;
	j.w.who = w.who;
	j.w.k.tgid = w.who.tgid;
	/* snap_job_next() goes on to IOAS 0; values the verifier cannot know */
	j.tree = snap_unknown_three;
	j.w.node = snap_unknown_zero;
	j.ioas = (__u32)-1;
	bpf_loop(SNAP_TREE_STEPS, snap_jobs_step, &j, 0);
	if (j.w.node || j.tree < 3 || j.ioas + 1 < l->n)
		count(DT_CNT_SNAPSHOT_CUT);	/* the walk ran out of steps */
}

SEC("iter/task_file")
int snapshot_iommufd(struct bpf_iter__task_file *ctx)
{
	struct task_struct *task = ctx->task;
	struct file *file = ctx->file;
	struct iommufd_ctx *ictx;

	if (!task || !file || !cfg.iommu_rdev || !tgid_traced(BPF_CORE_READ(task, tgid)))
		return 0;
	if (BPF_CORE_READ(file, f_inode, i_rdev) != cfg.iommu_rdev)
		return 0;
	ictx = BPF_CORE_READ(file, private_data);
	if (ictx)
		snap_ictx(task, ictx);
	return 0;
}

#endif /* DMATRACE_SNAPSHOT_BPF_H */
