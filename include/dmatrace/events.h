/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Rare events sent through the ring buffer: window changes, rejected or
 * out-of-window operations, IOMMU faults. Shared by bpf/ and src/dmatrace/.
 */
#ifndef DMATRACE_EVENTS_H
#define DMATRACE_EVENTS_H

#define DT_EVENT_RANGES	16	/* ranges carried by one window event */
#define DT_COMM_LEN	16

enum dt_event_type {
	DT_EV_OP_FAILED,	/* an op returned -errno (violation candidates) */
	DT_EV_OUTSIDE_ALLOWED,	/* FIXED map accepted outside allowed ranges */
	DT_EV_IOAS_ALLOC,	/* new IOAS id */
	DT_EV_IOAS_DESTROY,
	DT_EV_ALLOWED_SET,	/* allow_iovas succeeded: ranges = new list */
	DT_EV_RESERVED_ADD,	/* iopt_reserve_iova succeeded: ranges[0] */
	DT_EV_RESERVED_REMOVE,	/* iopt_remove_reserved_iova(owner) */
	DT_EV_IOVA_RANGES,	/* iova_ranges reported: ranges = the report */
	DT_EV_UNMAP,		/* successful unmap, kept for fault diagnosis */
	DT_EV_FAULT,		/* IOMMU fault at an IOVA: flags DT_FAULT_*,
				   owner = PCI requester id (bus << 8 | devfn;
				   ~0: another bus),
				   ioas_id/tgid/comm: who attached the device
				   to which IOAS (ioas_id 0: not known);
				   nr_ranges 2 when areas are tracked:
				   ranges[0] the area at or below iova,
				   ranges[1] the next one above (start >
				   last: none) */
	DT_EV_WINDOW_ADD,	/* seed extension (ref only): window added,
				   ranges[0] = [base, last], length = page size */
	DT_EV_IOVA_LIST,	/* a native type1 container's iova_list (its
				   aperture minus the groups' reserved
				   regions), at first sight and after a group
				   attach or detach (flags DT_T1_SEEN,
				   _SEEN_LATE, _ATTACH, _DETACH); ret: the attach's (a
				   refused one: ioas_id 0 when the container
				   was not seen before) */
	DT_EV_UNMAP_CUT,	/* a v1 container's unmap that succeeded
				   cutting a mapping (hit: that mapping; the
				   driver takes or leaves it whole) */
};

/* DT_EV_IOVA_LIST flags: why the iova_list is sent */
#define DT_T1_SEEN	0
#define DT_T1_ATTACH	1
#define DT_T1_DETACH	2
#define DT_T1_SEEN_LATE	3	/* first seen at an op: set up before tracing */
#define DT_T1_SNAPSHOT	4	/* held when tracing started: its mappings
				   were read from the driver (snapshot);
				   length: the groups in it then */

/* DT_EV_IOAS_ALLOC flags */
#define DT_IOAS_SNAPSHOT	1	/* held when tracing started: read from
					   the kernel (snapshot) */

/* DT_EV_FAULT flags: the faulting access (iommu:io_page_fault's values) */
#define DT_FAULT_READ	0x0
#define DT_FAULT_WRITE	0x1

struct dt_range {
	__u64 start;
	__u64 last;
};

struct dt_event {
	__u32 type;		/* enum dt_event_type */
	__u32 op;		/* enum dt_op */
	__s32 ret;		/* 0 or -errno */
	__u32 ioas_id;
	__u32 flags;		/* uAPI flags of the op */
	__u32 reserved_nz;	/* the uAPI __reserved field was non-zero */
	__u64 iova;
	__u64 length;
	__u64 owner;		/* reserved-range owner cookie */
	__u64 ts_ns;
	__u32 tgid;
	__u32 tid;
	char comm[DT_COMM_LEN];
	__u64 vaddr;		/* type1: the user address of a map */
	__u64 pgsize_bitmap;	/* type1: the container's page sizes */
	__u32 t1flags;		/* type1: DT_T1_* of the container */
	__u32 hit_set;		/* hit holds a mapping */
	struct dt_range hit;	/* type1: the mapping the op overlapped or cut */
	__u32 nr_ranges;	/* valid entries in ranges[] */
	__u32 total_ranges;	/* how many there were (may exceed DT_EVENT_RANGES) */
	struct dt_range ranges[DT_EVENT_RANGES];
};

/* Counters the loader reports so nothing is lost silently */
enum dt_counter {
	DT_CNT_RB_DROPS,	/* ring buffer full: events lost */
	DT_CNT_STASH_MISS,	/* exit without a matching entry */
	DT_CNT_READ_FAIL,	/* a probe read failed */
	DT_CNT_AREAS_FULL,	/* area map full (--max-areas): areas not
				   tracked, usage/areas undercounted */
	DT_CNT_AREAS_WALK_CUT,	/* a walk of an IOAS's area list stopped at its
				   step bound: areas left (unmap, destroy) or
				   not looked at (fault) */
	DT_CNT_AREAS_BUSY,	/* an IOAS's area list stayed locked by another
				   CPU past the spin bound: the op's areas and
				   usage were not updated */
	/* capacity losses (each a lower bound on the figure it affects) */
	DT_CNT_HIST_FULL,	/* hists full (--max-keys): ops not counted */
	DT_CNT_PIN_FULL,	/* pin_hists full (--max-keys): pinning
				   samples not counted */
	DT_CNT_IOAS_FULL,	/* usage, allowed or containers full
				   (--max-ioas): IOAS state not recorded */
	DT_CNT_PROCS_FULL,	/* procs full (--max-procs): a process's
				   name not noted */
	DT_CNT_TGIDS_FULL,	/* tgids full (--max-procs): a child of
				   -- CMD not traced */
	DT_CNT_CAS_LOST,	/* a histogram's min or max update lost to
				   contention (8 tries): min/max approximate */
	DT_CNT_SNAPSHOT_CUT,	/* the snapshot's walk of a context ran out
				   of steps or was not read: areas missing */
	DT_CNT_DEVS_FULL,	/* devs full (256 devices): a fault's device
				   owner not known */
	DT_CNT_FAULTS_CUT,	/* fault records an interrupt's walk left
				   unread (VT-d: 8 records, AMD: 512 event
				   log entries): faults not reported */
	DT_CNT_MAX,
};

#endif /* DMATRACE_EVENTS_H */
