/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Latency and usage aggregates, kept in BPF hash maps shared by all CPUs
 * and read by the loader. Shared by the BPF programs (bpf/) and
 * src/dmatrace/.
 */
#ifndef DMATRACE_HIST_H
#define DMATRACE_HIST_H

#define DT_HIST_SLOTS	40	/* log2(ns) slots: up to ~550 s */
/*
 * Default capacities of the BPF maps; the loader sizes each from its option
 * (--max-keys, --max-ioas, --max-areas, --max-procs) before load, and the
 * maps are allocated as entries come (BPF_F_NO_PREALLOC), so a large
 * capacity costs nothing up front. An insert refused for lack of room is
 * counted (DT_CNT_*_FULL), never silent.
 */
#define DT_MAX_KEYS	10240	/* distinct latency keys (hists, pin_hists) */
#define DT_MAX_IOAS	10240	/* IOAS and containers (usage, allowed, containers) */
#define DT_MAX_AREAS	262144	/* live mapped areas (areas): full, and every
				   other map full, <= 64 MiB at 256 CPUs
				   (--max-areas 1048576: the areas map alone
				   is ~126 MB when full) */
#define DT_MAX_PROCS	10240	/* processes (procs: names; tgids: -- CMD's) */
#define DT_MAX_RANGES	16	/* allowed ranges kept per IOAS in BPF */

/* Latency histogram key: one histogram per (op, errno, size class, ioas, tgid) */
struct dt_lat_key {
	__u32 op;		/* enum dt_op */
	__u32 err;		/* 0 or positive errno */
	__u32 size_log2;	/* log2(length) rounded down; 0 when no length */
	__u32 ioas_id;		/* 0 when the op has none */
	__u32 tgid;
};

struct dt_hist {
	__u64 slots[DT_HIST_SLOTS];	/* slot i: latency in [2^i, 2^(i+1)) ns */
	__u64 count;
	__u64 sum_ns;
	__u64 min_ns;			/* 0 while count == 0 */
	__u64 max_ns;
	__u64 bytes;			/* bytes mapped/unmapped by successful ops */
};

/*
 * An IOAS as the tracer keys it: IOAS ids are per iommufd context, so two
 * processes may both have an IOAS 1.
 */
/*
 * Native VFIO type1 containers share the per-IOAS maps and views: their
 * ids have this bit (iommufd's object ids are 31 bits: xa_limit_31b)
 */
#define DT_ID_CONTAINER	0x80000000U

struct dt_ioas_key {
	__u32 tgid;
	__u32 ioas_id;
};

/* One mapped area of an IOAS or container (the areas map: -> dt_area) */
struct dt_area_key {
	struct dt_ioas_key ioas;
	__u64 iova;
};

/*
 * The areas of one IOAS are a doubly linked list threaded through the
 * areas map's values (prev/next: the neighbours' iovas, valid with the
 * DT_AREA_PREV/DT_AREA_NEXT flag), its head in the IOAS's usage: an unmap,
 * a destroy or a release costs what it removes, not the map's size.
 */
struct dt_area {
	__u64 length;
	__u64 prev;
	__u64 next;
	__u32 flags;		/* DT_AREA_* */
	__u32 pad;
};

#define DT_AREA_PREV	(1U << 0)	/* prev is an area (else: the head) */
#define DT_AREA_NEXT	(1U << 1)	/* next is an area (else: the tail) */

/* Per-IOAS usage, updated in the kernel by successful map/copy/unmap */

struct dt_ioas_usage {
	__u64 mapped_bytes;	/* signed sum kept as u64 (wraps if the trace
				   started after maps already existed) */
	__u64 maps;
	__u64 unmaps;
	/* native type1 containers: the driver's own state after the last op */
	__u64 pgsize_bitmap;	/* smallest page size: alignment of maps */
	__u64 locked_pages;	/* the mapping process's mm->locked_vm */
	__u64 memlock_pages;	/* its RLIMIT_MEMLOCK, pages (~0: unlimited) */
	__u32 dma_avail;	/* entries left before dma_entry_limit */
	__u32 t1flags;		/* DT_T1_* */
	/* its list of areas (struct dt_area): BPF's own bookkeeping */
	__u64 area_head;	/* iova of the first area, when area_nr */
	__u32 area_nr;		/* areas in the list */
	__u32 area_lock;	/* taken (cmpxchg) while the list changes */
};

#define DT_T1_KNOWN	(1U << 0)	/* the fields above were read */
#define DT_T1_V2	(1U << 1)	/* VFIO_TYPE1v2_IOMMU */
#define DT_T1_MEMLOCK	(1U << 2)	/* locked_pages/memlock_pages read */
#define DT_T1_SNAP	(1U << 3)	/* its mappings at start were read (snapshot;
					   a container's or an IOAS's) */

/* A traced process, noted at its first histogram sample (the procs map) */
struct dt_proc {
	char comm[16];		/* DT_COMM_LEN */
};

#endif /* DMATRACE_HIST_H */
