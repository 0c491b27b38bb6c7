/* SPDX-License-Identifier: GPL-2.0 */
/* Internal state of a struct dt_view, shared by the view's own files */
#ifndef DMATRACE_VIEW_PRIV_H
#define DMATRACE_VIEW_PRIV_H

#include <stdbool.h>

#include "interval.h"
#include "view.h"

#define VIEW_UNMAP_HISTORY	64	/* recent unmaps kept per IOAS */

struct view_lat {
	struct dt_lat_key key;
	struct dt_hist h;
};

struct view_reserved {
	struct dt_range r;
	__u64 owner;
};

/* A window of the seed extension (DT_EV_WINDOW_ADD): range and page size */
struct view_window {
	struct dt_range r;
	__u64 page_size;
};

struct view_unmap {
	__u64 iova;
	__u64 length;
	__u64 ts_ns;
	__u32 tgid;
	char comm[DT_COMM_LEN];
};

/* An IOAS: ids are per /dev/iommu file, so it is known by (tgid, id) */
struct view_ioas {
	__u32 tgid;
	__u32 id;
	char comm[DT_COMM_LEN];	/* of its allocation, else first event */
	bool alive;		/* allocated (or seen) and not destroyed */
	bool allocated;		/* its DT_EV_IOAS_ALLOC was seen */
	bool has_usage;
	struct dt_ioas_usage usage;
	struct iv_set allowed;	/* last DT_EV_ALLOWED_SET; empty: no limit */
	struct dt_range allowed_raw[DT_EVENT_RANGES];	/* as the user gave them */
	unsigned int nr_allowed_raw;
	bool allowed_truncated;
	struct view_reserved *resv;
	unsigned int nr_resv, cap_resv;
	struct view_window *windows;	/* seed extension, in arrival order */
	unsigned int nr_windows, cap_windows;
	struct iv_set reported;	/* last DT_EV_IOVA_RANGES */
	bool has_report;
	bool report_fresh;	/* no window change since the report */
	bool report_truncated;
	struct view_unmap unmaps[VIEW_UNMAP_HISTORY];	/* ring */
	unsigned int unmap_next, nr_unmaps;
	/* a native type1 container (id has DT_ID_CONTAINER): its groups */
	int groups;		/* attached since first sight */
	bool seen_late;		/* set up before tracing: earlier mappings and
				   groups not known */
	bool snapshot;		/* held when tracing started, read from the
				   driver: its mappings and groups then */
	/* its live areas (mappings) as the BPF areas map holds them */
	struct dt_range *maps;
	unsigned int nr_maps, cap_maps;
	__u64 maps_unlisted;	/* past VIEW_MAPPINGS_MAX: counted only */
};

#define VIEW_MAPPINGS_MAX	4096	/* areas listed per IOAS or container */

/* Pinning inside the maps of one op, process and container */
struct view_pin {
	__u32 op;
	__u32 tgid;
	__u32 ioas_id;
	struct dt_hist pin;	/* time in vfio_pin_pages_remote; bytes pinned */
	__u64 call_ns;		/* time of those ops in all */
};

#define VIEW_EVENTS_KEPT	10000	/* violations, and faults, kept whole */

struct view_violation {
	enum dt_violation kind;
	struct dt_event ev;	/* ranges[] unused */
	char line[VIEW_LINE_MAX];
};

struct view_fault {
	struct dt_event ev;
	char line[VIEW_LINE_MAX];
};

struct view_proc {
	__u32 tgid;
	char comm[DT_COMM_LEN];
};

struct dt_view {
	struct view_proc *procs;	/* unsorted; few */
	unsigned int nr_procs, cap_procs;
	struct view_lat *lats;
	unsigned int nr_lats, cap_lats;
	unsigned int *lat_hash;		/* index + 1 into lats; 0: free */
	unsigned int hash_size;
	struct view_ioas **ioas;	/* sorted by (tgid, id) */
	unsigned int nr_ioas, cap_ioas;
	/*
	 * The first VIEW_EVENTS_KEPT violations and faults are kept whole
	 * (their lines, for the lists at the end); all are counted, so that
	 * a storm costs bounded memory and no figure undercounts
	 */
	struct view_violation *viols;
	unsigned int nr_viols, cap_viols;
	__u64 viol_n[DT_OP_MAX + 1][DT_VIOL_MAX];	/* by op (DT_OP_MAX: none), kind */
	__u64 viols_total;
	struct view_fault *faults;
	unsigned int nr_faults, cap_faults;
	__u64 faults_total;
	struct view_pin *pins;
	unsigned int nr_pins, cap_pins;
	__u64 counters[DT_CNT_MAX];
	__u64 last_ts;
};

struct view_ioas *view_ioas_find(const struct dt_view *v, __u32 tgid,
				  __u32 id);
/* Violations of kind, over every op; faults and violations not kept whole */
__u64 view_violations_of(const struct dt_view *v, unsigned int kind);
static inline __u64 view_violations_unlisted(const struct dt_view *v)
{
	return v->viols_total - v->nr_viols;
}
static inline __u64 view_faults_unlisted(const struct dt_view *v)
{
	return v->faults_total - v->nr_faults;
}
/* The name of process tgid: from the procs map or its IOASes; "" if none */
const char *view_proc_comm(const struct dt_view *v, __u32 tgid);
/* Is this a native type1 container (not an IOAS)? */
static inline bool view_is_container(__u32 id)
{
	return id & DT_ID_CONTAINER;
}

/* "IOAS" or "container" */
static inline const char *view_ioas_kind(__u32 id)
{
	return view_is_container(id) ? "container" : "IOAS";
}

/* The id users see: a container's without DT_ID_CONTAINER */
static inline __u32 view_user_id(__u32 id)
{
	return id & ~DT_ID_CONTAINER;
}

/* violation_type1.c: classify a native type1 DT_EV_OP_FAILED / attach */
int view_classify_type1(const struct dt_event *e);
void view_type1_line(const struct dt_view *v, const struct view_ioas *io,
		     const struct dt_event *e, enum dt_violation kind,
		     char *buf, size_t sz);
/* Which window of io the request of e missed, and by how much */
void view_window_miss(const struct view_ioas *io, const struct dt_event *e,
		      char *buf, size_t sz);
/* The name of a violation's op: the table's, "attach_group" for a refused attach */
const char *view_violation_op(const struct dt_event *e);

/* IOASes of more than one process are known: text names the process */
bool view_multi_process(const struct dt_view *v);
/* "1", or "1 (pid 4242 qemu)" when view_multi_process() */
const char *view_ioas_name(const struct dt_view *v,
			   const struct view_ioas *io, char *buf, size_t sz);
#define VIEW_IOAS_NAME_MAX	(32 + DT_COMM_LEN)
/* The reserved ranges of an IOAS, merged */
int view_ioas_reserved(const struct view_ioas *io, struct iv_set *out);
/*
 * The windows of an IOAS: with seed-extension windows, those minus
 * reserved; else the last IOVA_RANGES report if nothing changed since;
 * else (allowed ranges, or everything when none) minus reserved.
 */
int view_ioas_windows(const struct view_ioas *io, struct iv_set *out);

/* violation.c: classify a DT_EV_OP_FAILED / DT_EV_OUTSIDE_ALLOWED event */
int view_classify(const struct dt_view *v, const struct dt_event *e);
void view_violation_line(const struct dt_view *v, const struct dt_event *e,
			 enum dt_violation kind, char *buf, size_t sz);
void view_fault_line(const struct dt_view *v, const struct dt_event *e,
		     char *buf, size_t sz);

/* Histograms merged along the kept dimensions, sorted by key */
int view_merged_lats(const struct dt_view *v, unsigned int split,
		     struct view_lat **out, unsigned int *nr);

/* hists.c: the share of its ops' time a pinning entry took (0..1) */
double view_pin_share(const struct dt_view *v, const struct view_pin *p);

/* occupancy.c: the live areas of an IOAS against its windows */
#define VIEW_OUTSIDE_EXAMPLES	3	/* areas outside every window, shown */

struct view_occupancy {
	bool known;		/* the area list is complete: figures hold */
	char why[96];		/* !known: why not */
	__u64 *win_bytes;	/* per window: bytes of areas inside it */
	__u64 inside_bytes;	/* sum of win_bytes */
	__u64 outside_areas;	/* areas not wholly inside the windows */
	__u64 outside_bytes;	/* their bytes outside every window */
	struct dt_range examples[VIEW_OUTSIDE_EXAMPLES];	/* the first ones */
	unsigned int nr_examples;
};

/* Fill oc for the windows win of io; 0 or -ENOMEM; free it after */
int view_occupancy(const struct view_ioas *io, const struct iv_set *win,
		   struct view_occupancy *oc);
void view_occupancy_free(struct view_occupancy *oc);

/* What text and JSON show of an IOAS: windows, sorted holes, occupancy */
struct view_layout {
	struct iv_set win;
	struct view_reserved *resv;	/* sorted by start */
	struct view_occupancy oc;
};

/* 0 or -errno; on success release it with view_layout_put() */
int view_layout_get(const struct view_ioas *io, struct view_layout *l);
void view_layout_put(struct view_layout *l);

/* windows.c (text), windows_json.c */
__u64 view_ioas_areas(const struct view_ioas *io);	/* maps - unmaps */
/*
 * More unmapped than mapped since tracing started (maps made before it,
 * no snapshot): mapped_bytes and areas wrapped and cannot be shown
 */
bool view_usage_wrapped(const struct view_ioas *io);
const char *view_windows_source(const struct view_ioas *io);
/* Who reserved a hole: "domain", "device" or "none" (selftest, NULL) */
const char *view_owner_kind(const struct view_ioas *io, __u64 owner);
/* Owners numbered 1.. in the order the IOAS first saw them; 0: none */
unsigned int view_owner_index(const struct view_ioas *io, __u64 owner);
int view_json_windows(const struct dt_view *v, struct json_writer *w);

/* diff.c: is text a record `dmatrace diff` reads? 0, or -EINVAL + message */
int view_diff_check_record(const char *text, size_t len, char *err,
			   size_t err_sz);

/* record.c */
const char *view_counter_name(unsigned int c);

#endif /* DMATRACE_VIEW_PRIV_H */
