/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Maps, configuration and small helpers shared by every dmatrace BPF object
 * (dmatrace_user.bpf.c for the reference implementation, dmatrace_kernel.bpf.c
 * for the kernel). The concerns (latency.bpf.h, windows.bpf.h,
 * violations.bpf.h) work on a struct dt_call filled by the wrappers.
 */
#ifndef DMATRACE_BPF_H
#define DMATRACE_BPF_H

#include "../vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "dmatrace/ops.h"
#include "dmatrace/hist.h"
#include "dmatrace/events.h"
#include "dmatrace/config.h"
#include "uapi_offsets.h"

#define DT_MAX_THREADS	10240	/* per-thread side stashes (reserve, window add, teardown) */
#define DT_RB_BYTES	(4 << 20)

const volatile struct dt_config cfg = {};

/* One traced call, from entry to exit: what the uAPI struct said */
struct dt_call {
	__u64 ts;
	__u64 cmd;		/* the uAPI struct (kernel copy or user memory) */
	__u32 op;		/* enum dt_op */
	__u32 ioas_id;
	__u32 flags;
	__u32 reserved_nz;
	__u64 iova;
	__u64 length;
	__u64 ranges;		/* user pointer to struct iommu_iova_range[] */
	__u32 num_ranges;
	__u32 tgid;
	__u64 ictx;		/* struct iommufd_ctx * (compat), struct
				   vfio_iommu * (native type1 container) */
	__u64 vaddr;		/* type1 map: the user address */
	__u64 pin_ts;		/* type1 map: vfio_pin_pages_remote entered */
	__u64 pin_ns;		/* time in vfio_pin_pages_remote, summed */
	__u64 pin_pages;	/* pages it pinned */
	__u64 pgsize_bitmap;	/* type1: the container's, at exit */
	__u32 t1flags;		/* type1: DT_T1_*, at exit */
	__u32 hit_set;		/* hit holds a mapping */
	struct dt_range hit;	/* type1: the mapping a v1 unmap cuts (entry) */
};

/* Nodes a type1 dma_list lookup visits at most (t1_find_dma): more than a
   red-black tree of 2^31 mappings is deep */
#define T1_TREE_DEPTH	64

/* A node of a type1 container's dma_list (t1_dma_node) */
struct t1_node {
	__u64 start, last;
	__u64 left, right;
};

/* What a native type1 driver says of a container (t1_read_state) */
struct t1_state {
	__u64 pgsize_bitmap;
	__u64 locked_pages;
	__u64 memlock_pages;
	__u32 dma_avail;
	__u32 t1flags;		/* DT_T1_* */
};

/* What the handler wrote back into its uAPI struct */
struct dt_out {
	__u32 ioas_id;		/* ioas_alloc: the new id */
	__u32 num_ranges;	/* iova_ranges: how many the IOAS has */
	__u64 iova;		/* map/copy: the IOVA used (auto or fixed) */
	__u64 length;		/* unmap: bytes unmapped */
};

/* A reserved-range call (iopt_reserve_iova), from entry to exit */
struct dt_resv_call {
	__u64 start;
	__u64 last;
	__u64 owner;
	__u32 ioas_id;
	__u32 pad;
};

struct dt_allowed {
	__u32 nr;
	__u32 pad;
	struct dt_range r[DT_MAX_RANGES];
};

/* Whether a thread's process is traced, once known (struct dt_task) */
enum dt_task_traced {
	DT_TASK_UNKNOWN,
	DT_TASK_TRACED,
	DT_TASK_UNTRACED,
};

/*
 * A thread's call in flight, and whether its process is traced: asked of
 * the tgids map once per thread, not at every call (a process joins the
 * trace only as a new task: the command, or a fork of a traced one)
 */
struct dt_task {
	struct dt_call call;
	__u32 traced;		/* enum dt_task_traced */
	__u32 pad;
};

/* Task-local: no lookup by tid */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct dt_task);
} calls SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, DT_MAX_THREADS);
	__type(key, __u32);
	__type(value, struct dt_resv_call);
} resv_calls SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, DT_MAX_KEYS);
	__type(key, struct dt_lat_key);
	__type(value, struct dt_hist);
} hists SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, DT_MAX_IOAS);
	__type(key, struct dt_ioas_key);
	__type(value, struct dt_ioas_usage);
} usage SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, DT_MAX_AREAS);
	__type(key, struct dt_area_key);
	__type(value, struct dt_area);
} areas SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, DT_MAX_IOAS);
	__type(key, struct dt_ioas_key);
	__type(value, struct dt_allowed);
} allowed SEC(".maps");

/* tgid -> comm of the processes the histograms count (their key's tgid) */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, DT_MAX_PROCS);
	__type(key, __u32);
	__type(value, struct dt_proc);
} procs SEC(".maps");

/* Native type1 containers: struct vfio_iommu * -> id (DT_ID_CONTAINER | n) */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, DT_MAX_IOAS);
	__type(key, __u64);
	__type(value, __u32);
} containers SEC(".maps");

/* A type1 group attach/detach in flight (kprobe, uprobe) */
struct t1_group_call {
	__u64 iommu;		/* struct vfio_iommu * */
	__u64 group;		/* struct iommu_group * (kernel target) */
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, DT_MAX_THREADS);
	__type(key, __u32);
	__type(value, struct t1_group_call);
} t1_group_calls SEC(".maps");

/* Pinning time per op, keyed as the latency histograms */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, DT_MAX_KEYS);
	__type(key, struct dt_lat_key);
	__type(value, struct dt_hist);
} pin_hists SEC(".maps");

/* Threads tearing down a context (see teardown_enter()) */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, DT_MAX_THREADS);
	__type(key, __u32);
	__type(value, __u8);
} closing SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, DT_MAX_PROCS);
	__type(key, __u32);
	__type(value, __u8);
} tgids SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, DT_CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, DT_RB_BYTES);
} events SEC(".maps");

/* Scratch for building an allowed-ranges value (too big for the stack) */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct dt_allowed);
} allowed_scratch SEC(".maps");

static __always_inline void count(enum dt_counter c)
{
	__u32 key = c;
	__u64 *val = bpf_map_lookup_elem(&counters, &key);

	if (val)
		(*val)++;
}

/* Is the current process traced at all? */
static __always_inline bool tgid_traced(__u32 tgid)
{
	if (cfg.tgid && tgid != cfg.tgid)
		return false;
	if (cfg.tgid_set && !bpf_map_lookup_elem(&tgids, &tgid))
		return false;
	return true;
}

/* Do the op/IOAS filters let this call through? */
static __always_inline bool call_selected(const struct dt_call *c, __u32 op)
{
	if (cfg.filter_op && op != cfg.op)
		return false;
	if (cfg.ioas_id && c->ioas_id != cfg.ioas_id)
		return false;
	return true;
}

/* A zeroed event stamped with the current task, or NULL (counted) */
static __always_inline struct dt_event *event_new(__u32 type)
{
	struct dt_event *e;
	__u64 id = bpf_get_current_pid_tgid();

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count(DT_CNT_RB_DROPS);
		return NULL;
	}
	__builtin_memset(e, 0, sizeof(*e));
	e->type = type;
	e->ts_ns = bpf_ktime_get_ns();
	e->tgid = id >> 32;
	e->tid = (__u32)id;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	return e;
}

static __always_inline void event_from_call(struct dt_event *e,
					    const struct dt_call *c, int ret)
{
	e->op = c->op;
	e->ret = ret;
	e->ioas_id = c->ioas_id;
	e->flags = c->flags;
	e->reserved_nz = c->reserved_nz;
	e->iova = c->iova;
	e->length = c->length;
	e->vaddr = c->vaddr;
	e->pgsize_bitmap = c->pgsize_bitmap;
	e->t1flags = c->t1flags;
	e->hit_set = c->hit_set;
	e->hit = c->hit;
}

/*
 * Bytes of n iommu_iova_range entries, capped at cap, in a form the
 * verifier can bound (clang would otherwise size the read with the
 * unclamped register).
 */
static __always_inline __u64 ranges_bytes(__u32 n, __u64 cap)
{
	__u64 sz = (__u64)n * sizeof(struct dt_range);

	if (n > cap / sizeof(struct dt_range))
		sz = cap;
	barrier_var(sz);
	return sz;
}

/* Copy up to DT_EVENT_RANGES iommu_iova_range entries from user memory */
static __always_inline void event_read_ranges(struct dt_event *e, __u64 uptr,
					      __u32 total)
{
	__u64 sz = ranges_bytes(total, sizeof(e->ranges));

	e->total_ranges = total;
	if (!uptr || !sz || sz > sizeof(e->ranges))
		return;
	if (bpf_probe_read_user(e->ranges, sz, (void *)uptr)) {
		count(DT_CNT_READ_FAIL);
		return;
	}
	e->nr_ranges = sz / sizeof(struct dt_range);
}

#endif /* DMATRACE_BPF_H */
