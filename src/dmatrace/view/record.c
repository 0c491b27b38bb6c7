// SPDX-License-Identifier: GPL-2.0
/*
 * The JSON record (histograms, per-op latency, windows, violations,
 * faults, counters) and the ground-truth summary of docs/ground-truth.md.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/json.h"
#include "uapi/iommufd.h"
#include "fmt.h"
#include "lathist.h"
#include "view_priv.h"

static const char *const counter_names[DT_CNT_MAX] = {
	[DT_CNT_RB_DROPS] = "rb_drops",
	[DT_CNT_STASH_MISS] = "stash_miss",
	[DT_CNT_READ_FAIL] = "read_fail",
	[DT_CNT_AREAS_FULL] = "areas_full",
	[DT_CNT_AREAS_WALK_CUT] = "areas_walk_cut",
	[DT_CNT_AREAS_BUSY] = "areas_busy",
	[DT_CNT_HIST_FULL] = "hist_full",
	[DT_CNT_PIN_FULL] = "pin_full",
	[DT_CNT_IOAS_FULL] = "ioas_full",
	[DT_CNT_PROCS_FULL] = "procs_full",
	[DT_CNT_TGIDS_FULL] = "tgids_full",
	[DT_CNT_CAS_LOST] = "cas_lost",
	[DT_CNT_SNAPSHOT_CUT] = "snapshot_cut",
	[DT_CNT_DEVS_FULL] = "devs_full",
	[DT_CNT_FAULTS_CUT] = "faults_cut",
};

const char *view_counter_name(unsigned int c)
{
	return c < DT_CNT_MAX && counter_names[c] ? counter_names[c] : "unknown";
}

static void json_errno(struct json_writer *w, int err)
{
	char buf[FMT_ERR_MAX];

	json_string(w, fmt_errno(buf, sizeof(buf), err));
}

/* ---- summary ---- */

static void summary_ops(const struct dt_view *v, struct json_writer *w)
{
	struct view_lat *m;
	unsigned int i, n;
	char ret[FMT_ERR_MAX];

	json_object_begin(w);
	if (view_merged_lats(v, VIEW_SPLIT_RET, &m, &n))
		n = 0;	/* -ENOMEM: reported by the caller's later checks */
	for (i = 0; i < n; i++) {
		if (!m[i].h.count)
			continue;
		if (!i || m[i - 1].key.op != m[i].key.op) {
			json_key(w, dt_op_name(m[i].key.op));
			json_object_begin(w);
		}
		json_key(w, fmt_errno(ret, sizeof(ret), (int)m[i].key.err));
		json_u64(w, m[i].h.count);
		if (i + 1 == n || m[i + 1].key.op != m[i].key.op)
			json_object_end(w);
	}
	free(m);
	json_object_end(w);
}

static void summary_bytes(const struct dt_view *v, struct json_writer *w)
{
	__u64 mapped = 0, unmapped = 0;
	unsigned int i;

	for (i = 0; i < v->nr_lats; i++) {
		const struct view_lat *l = &v->lats[i];

		if (l->key.err)
			continue;
		if (dt_op_kind(l->key.op) == DT_KIND_MAP)
			mapped += l->h.bytes;
		else if (dt_op_kind(l->key.op) == DT_KIND_UNMAP)
			unmapped += l->h.bytes;
	}
	json_key(w, "bytes_mapped");
	json_u64(w, mapped);
	json_key(w, "bytes_unmapped");
	json_u64(w, unmapped);
}

static int range_cmp(const void *a, const void *b)
{
	const struct dt_range *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->last < y->last ? -1 : x->last > y->last;
}

static void json_pairs(struct json_writer *w, const struct dt_range *r,
		       unsigned int n)
{
	unsigned int i;

	json_array_begin(w);
	for (i = 0; i < n; i++) {
		json_array_begin(w);
		json_hex(w, r[i].start);
		json_hex(w, r[i].last);
		json_array_end(w);
	}
	json_array_end(w);
}

/* Several processes' IOASes: their entries say whose (ground-truth.md) */
static void summary_pid(const struct dt_view *v, struct json_writer *w,
			__u32 tgid)
{
	if (!view_multi_process(v))
		return;
	json_key(w, "pid");
	json_u64(w, tgid);
}

static int summary_ioas(const struct dt_view *v, struct json_writer *w)
{
	struct dt_range allowed[DT_EVENT_RANGES];
	struct iv_set resv;
	unsigned int i;
	int err = 0;

	iv_init(&resv);
	json_array_begin(w);
	for (i = 0; i < v->nr_ioas && !err; i++) {
		const struct view_ioas *io = v->ioas[i];

		if (!io->alive || view_is_container(io->id))
			continue;
		err = view_ioas_reserved(io, &resv);
		memcpy(allowed, io->allowed_raw,
		       io->nr_allowed_raw * sizeof(allowed[0]));
		qsort(allowed, io->nr_allowed_raw, sizeof(allowed[0]),
		      range_cmp);
		json_object_begin(w);
		summary_pid(v, w, io->tgid);
		json_key(w, "id");
		json_u64(w, io->id);
		json_key(w, "mapped_bytes");
		json_u64(w, io->usage.mapped_bytes);
		json_key(w, "areas");
		json_u64(w, view_ioas_areas(io));
		json_key(w, "allowed");
		json_pairs(w, allowed, io->nr_allowed_raw);
		json_key(w, "reserved");
		json_pairs(w, resv.r, resv.nr);
		json_object_end(w);
	}
	json_array_end(w);
	iv_free(&resv);
	return err;
}

/* Native type1 containers with a driver at the end (ground-truth.md) */
static bool summary_has_containers(const struct dt_view *v)
{
	unsigned int i;

	for (i = 0; i < v->nr_ioas; i++)
		if (view_is_container(v->ioas[i]->id))
			return true;
	return false;
}

static void summary_containers(const struct dt_view *v, struct json_writer *w)
{
	unsigned int i;

	json_key(w, "containers");
	json_array_begin(w);
	for (i = 0; i < v->nr_ioas; i++) {
		const struct view_ioas *io = v->ioas[i];

		if (!io->alive || !view_is_container(io->id))
			continue;
		json_object_begin(w);
		summary_pid(v, w, io->tgid);
		json_key(w, "id");
		json_u64(w, view_user_id(io->id));
		json_key(w, "groups");
		json_u64(w, io->groups > 0 ? io->groups : 0);
		json_key(w, "mapped_bytes");
		json_u64(w, io->usage.mapped_bytes);
		json_key(w, "dmas");
		json_u64(w, view_ioas_areas(io));
		json_object_end(w);
	}
	json_array_end(w);
}

/*
 * The iova the ground truth records: 0 for a failed auto-IOVA map or copy,
 * a window request, an allow_iovas
 */
static __u64 viol_iova(const struct view_violation *vi)
{
	return dt_op_iova_fixed(vi->ev.op, vi->ev.flags) ? vi->ev.iova : 0;
}

/* The length it records: the length sent, for ops that carry one */
static __u64 viol_length(const struct view_violation *vi)
{
	return dt_op_has(vi->ev.op, DT_OPF_LENGTH) ? vi->ev.length : 0;
}

#define CMP(a, b) do { if ((a) != (b)) return (a) < (b) ? -1 : 1; } while (0)

static int viol_cmp(const void *a, const void *b)
{
	const struct view_violation *x = *(const struct view_violation *const *)a;
	const struct view_violation *y = *(const struct view_violation *const *)b;

	CMP(x->ev.tgid, y->ev.tgid);
	CMP(x->ev.ioas_id, y->ev.ioas_id);
	CMP(x->ev.op, y->ev.op);
	CMP(x->kind, y->kind);
	CMP(viol_iova(x), viol_iova(y));
	CMP(viol_length(x), viol_length(y));
	CMP(x->ev.ret, y->ev.ret);
	return 0;
}

static int summary_violations(const struct dt_view *v, struct json_writer *w)
{
	const struct view_violation **s;
	unsigned int i;

	s = malloc((v->nr_viols + 1) * sizeof(*s));
	if (!s)
		return -ENOMEM;
	for (i = 0; i < v->nr_viols; i++)
		s[i] = &v->viols[i];
	qsort(s, v->nr_viols, sizeof(*s), viol_cmp);
	json_array_begin(w);
	for (i = 0; i < v->nr_viols; i++) {
		json_object_begin(w);
		summary_pid(v, w, s[i]->ev.tgid);
		json_key(w, "op");
		json_string(w, view_violation_op(&s[i]->ev));
		json_key(w, view_is_container(s[i]->ev.ioas_id) ||
			    s[i]->ev.type == DT_EV_IOVA_LIST ? "container" : "ioas");
		json_u64(w, view_user_id(s[i]->ev.ioas_id));
		json_key(w, "kind");
		json_string(w, dt_violation_name(s[i]->kind));
		json_key(w, "iova");
		json_hex(w, viol_iova(s[i]));
		json_key(w, "length");
		json_hex(w, viol_length(s[i]));
		json_key(w, "ret");
		json_errno(w, s[i]->ev.ret);
		json_object_end(w);
	}
	json_array_end(w);
	free(s);
	return 0;
}

int view_write_summary(const struct dt_view *v, struct json_writer *w)
{
	int err;

	json_object_begin(w);
	json_key(w, "ops");
	summary_ops(v, w);
	summary_bytes(v, w);
	json_key(w, "ioas");
	err = summary_ioas(v, w);
	if (summary_has_containers(v))
		summary_containers(v, w);
	json_key(w, "violations");
	if (!err)
		err = summary_violations(v, w);
	else
		json_array_begin(w), json_array_end(w);
	/* a storm: the list holds the first VIEW_EVENTS_KEPT (no truth has more) */
	if (view_violations_unlisted(v)) {
		json_key(w, "violations_unlisted");
		json_u64(w, view_violations_unlisted(v));
	}
	if (view_lost_any(v)) {	/* only then: a clean summary is the truth's */
		json_key(w, "lower_bound");
		json_bool(w, true);
	}
	json_object_end(w);
	return err;
}

/* ---- record ---- */

static void json_hist_body(struct json_writer *w, const struct dt_hist *h)
{
	unsigned int i;

	json_key(w, "count");
	json_u64(w, h->count);
	json_key(w, "sum_ns");
	json_u64(w, h->sum_ns);
	json_key(w, "min_ns");
	json_u64(w, h->min_ns);
	json_key(w, "max_ns");
	json_u64(w, h->max_ns);
	json_key(w, "bytes");
	json_u64(w, h->bytes);
	json_key(w, "avg_ns");
	json_double(w, lh_avg_ns(h));
	json_key(w, "p50_ns");
	json_double(w, lh_percentile_ns(h, 50));
	json_key(w, "p90_ns");
	json_double(w, lh_percentile_ns(h, 90));
	json_key(w, "p99_ns");
	json_double(w, lh_percentile_ns(h, 99));
	json_key(w, "slots");
	json_array_begin(w);
	for (i = 0; i < DT_HIST_SLOTS; i++)
		json_u64(w, h->slots[i]);
	json_array_end(w);
}

static int record_hists(const struct dt_view *v, unsigned int split,
			struct json_writer *w)
{
	struct view_lat *m;
	unsigned int i, n;
	int err;

	err = view_merged_lats(v, split, &m, &n);
	if (err)
		return err;
	json_array_begin(w);
	for (i = 0; i < n; i++) {
		json_object_begin(w);
		json_key(w, "op");
		json_string(w, dt_op_name(m[i].key.op));
		if (split & VIEW_SPLIT_RET) {
			json_key(w, "ret");
			json_errno(w, (int)m[i].key.err);
		}
		if (split & VIEW_SPLIT_SIZE) {
			json_key(w, "size_log2");
			json_u64(w, m[i].key.size_log2);
		}
		if (split & VIEW_SPLIT_IOAS) {
			json_key(w, "ioas");
			json_u64(w, m[i].key.ioas_id);
		}
		if (split & VIEW_SPLIT_PID) {
			json_key(w, "pid");
			json_u64(w, m[i].key.tgid);
			json_key(w, "comm");
			json_string(w, view_proc_comm(v, m[i].key.tgid));
		}
		json_hist_body(w, &m[i].h);
		if (view_lower_bounds(v) & VIEW_LB_HISTS) {
			json_key(w, "lower_bound");
			json_bool(w, true);
		}
		json_object_end(w);
	}
	json_array_end(w);
	free(m);
	return 0;
}

/* Per op, successful calls only: what `dmatrace diff` compares */
static void record_op_latency(const struct dt_view *v, struct json_writer *w)
{
	struct dt_hist ok[DT_OP_MAX];
	unsigned int i;

	memset(ok, 0, sizeof(ok));
	for (i = 0; i < v->nr_lats; i++)
		if (!v->lats[i].key.err && v->lats[i].key.op < DT_OP_MAX)
			lh_merge(&ok[v->lats[i].key.op], &v->lats[i].h);
	json_array_begin(w);
	for (i = 0; i < DT_OP_MAX; i++) {
		if (!ok[i].count)
			continue;
		json_object_begin(w);
		json_key(w, "op");
		json_string(w, dt_op_name(i));
		json_hist_body(w, &ok[i]);
		if (view_lower_bounds(v) & VIEW_LB_HISTS) {
			json_key(w, "lower_bound");
			json_bool(w, true);
		}
		json_object_end(w);
	}
	json_array_end(w);
}

static void json_event_head(struct json_writer *w, const struct dt_event *e)
{
	json_key(w, "op");
	json_string(w, dt_op_name(e->op));
	json_key(w, "ioas");
	json_u64(w, e->ioas_id);
	json_key(w, "iova");
	json_hex(w, e->iova);
	json_key(w, "length");
	json_hex(w, e->length);
	json_key(w, "flags");
	json_hex(w, e->flags);
	json_key(w, "ret");
	json_errno(w, e->ret);
	json_key(w, "pid");
	json_u64(w, e->tgid);
	json_key(w, "comm");
	json_string(w, e->comm);
	json_key(w, "ts_ns");
	json_u64(w, e->ts_ns);
}

/*
 * Whose device faulted: its IOAS ("ioas", 0 when not known) or native
 * type1 container ("container"), the process that attached it, and the
 * device's PCI requester id ("device", bus:dev.fn; null for another bus)
 */
static void json_fault_owner(struct json_writer *w, const struct dt_event *e)
{
	char bdf[16];

	json_key(w, view_is_container(e->ioas_id) ? "container" : "ioas");
	json_u64(w, view_user_id(e->ioas_id));
	json_key(w, "pid");
	json_u64(w, e->tgid);
	json_key(w, "comm");
	json_string(w, e->comm);
	json_key(w, "device");
	if (e->owner > 0xffff) {
		json_null(w);
		return;
	}
	snprintf(bdf, sizeof(bdf), "%02x:%02x.%x", (unsigned int)(e->owner >> 8),
		 (unsigned int)(e->owner >> 3) & 0x1f, (unsigned int)e->owner & 7);
	json_string(w, bdf);
}

static void record_events(const struct dt_view *v, struct json_writer *w)
{
	unsigned int i;

	json_key(w, "violations");
	json_array_begin(w);
	for (i = 0; i < v->nr_viols; i++) {
		json_object_begin(w);
		json_key(w, "kind");
		json_string(w, dt_violation_name(v->viols[i].kind));
		json_event_head(w, &v->viols[i].ev);
		json_key(w, "line");
		json_string(w, v->viols[i].line);
		json_object_end(w);
	}
	json_array_end(w);
	json_key(w, "violations_total");
	json_u64(w, v->viols_total);
	json_key(w, "violations_unlisted");
	json_u64(w, view_violations_unlisted(v));
	json_key(w, "faults_total");
	json_u64(w, v->faults_total);
	json_key(w, "faults_unlisted");
	json_u64(w, view_faults_unlisted(v));
	json_key(w, "faults");
	json_array_begin(w);
	for (i = 0; i < v->nr_faults; i++) {
		json_object_begin(w);
		json_fault_owner(w, &v->faults[i].ev);
		json_key(w, "iova");
		json_hex(w, v->faults[i].ev.iova);
		json_key(w, "ts_ns");
		json_u64(w, v->faults[i].ev.ts_ns);
		json_key(w, "line");
		json_string(w, v->faults[i].line);
		json_object_end(w);
	}
	json_array_end(w);
}

/* Native type1 maps: their pinning, per op, process and container */
static void record_pins(const struct dt_view *v, struct json_writer *w)
{
	unsigned int i;

	json_array_begin(w);
	for (i = 0; i < v->nr_pins; i++) {
		const struct view_pin *p = &v->pins[i];

		json_object_begin(w);
		json_key(w, "op");
		json_string(w, dt_op_name(p->op));
		summary_pid(v, w, p->tgid);
		json_key(w, "container");
		json_u64(w, view_user_id(p->ioas_id));
		json_key(w, "share");
		json_double(w, view_pin_share(v, p));
		json_hist_body(w, &p->pin);
		json_object_end(w);
	}
	json_array_end(w);
}

int view_write_json(const struct dt_view *v, const struct view_opts *o,
		    FILE *out)
{
	struct json_writer w;
	unsigned int i;
	int err;

	json_init(&w, out);
	json_object_begin(&w);
	json_key(&w, "dmatrace_record");
	json_u64(&w, 1);
	json_key(&w, "histograms");
	err = record_hists(v, o->split, &w);
	if (err)
		return err;
	json_key(&w, "op_latency");
	record_op_latency(v, &w);
	json_key(&w, "pinning");
	record_pins(v, &w);
	json_key(&w, "windows");
	err = view_json_windows(v, &w);
	if (err)
		return err;
	record_events(v, &w);
	/* the four counters it always had; every loss in "lost" */
	json_key(&w, "counters");
	json_object_begin(&w);
	for (i = 0; i <= DT_CNT_AREAS_FULL; i++) {
		json_key(&w, view_counter_name(i));
		json_u64(&w, v->counters[i]);
	}
	json_object_end(&w);
	json_key(&w, "lost");
	view_json_lost(v, &w);
	json_key(&w, "summary");
	err = view_write_summary(v, &w);
	json_object_end(&w);
	json_newline(&w);
	return err;
}
