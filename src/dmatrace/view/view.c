// SPDX-License-Identifier: GPL-2.0
/* The view accumulator: histograms, usage, per-IOAS window state, events */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lathist.h"
#include "view_priv.h"

struct dt_view *view_new(void)
{
	return calloc(1, sizeof(struct dt_view));
}

static void view_ioas_free(struct view_ioas *io)
{
	iv_free(&io->allowed);
	iv_free(&io->reported);
	free(io->resv);
	free(io->windows);
	free(io->maps);
	free(io);
}

void view_free(struct dt_view *v)
{
	unsigned int i;

	if (!v)
		return;
	for (i = 0; i < v->nr_ioas; i++)
		view_ioas_free(v->ioas[i]);
	free(v->ioas);
	free(v->procs);
	free(v->lats);
	free(v->lat_hash);
	free(v->viols);
	free(v->faults);
	free(v->pins);
	free(v);
}

/* Grow *arr to hold nr + 1 elements of size esz */
static int view_grow(void **arr, unsigned int *cap, unsigned int nr, size_t esz)
{
	unsigned int ncap;
	void *p;

	if (nr < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 16;
	p = realloc(*arr, (size_t)ncap * esz);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = ncap;
	return 0;
}

static unsigned int view_key_hash(const struct dt_lat_key *k)
{
	const unsigned char *p = (const unsigned char *)k;
	unsigned int h = 2166136261u;
	size_t i;

	for (i = 0; i < sizeof(*k); i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static int view_rehash(struct dt_view *v, unsigned int size)
{
	unsigned int *t = calloc(size, sizeof(*t)), i;

	if (!t)
		return -ENOMEM;
	for (i = 0; i < v->nr_lats; i++) {
		unsigned int j = view_key_hash(&v->lats[i].key) & (size - 1);

		while (t[j])
			j = (j + 1) & (size - 1);
		t[j] = i + 1;
	}
	free(v->lat_hash);
	v->lat_hash = t;
	v->hash_size = size;
	return 0;
}

int view_add_hist(struct dt_view *v, const struct dt_lat_key *key,
		  const struct dt_hist *h)
{
	unsigned int j;
	int err;

	if (2 * (v->nr_lats + 1) > v->hash_size) {
		err = view_rehash(v, v->hash_size ? v->hash_size * 2 : 64);
		if (err)
			return err;
	}
	j = view_key_hash(key) & (v->hash_size - 1);
	for (; v->lat_hash[j]; j = (j + 1) & (v->hash_size - 1)) {
		struct view_lat *l = &v->lats[v->lat_hash[j] - 1];

		if (!memcmp(&l->key, key, sizeof(*key))) {
			lh_merge(&l->h, h);
			return 0;
		}
	}
	err = view_grow((void **)&v->lats, &v->cap_lats, v->nr_lats,
			sizeof(*v->lats));
	if (err)
		return err;
	memset(&v->lats[v->nr_lats], 0, sizeof(*v->lats));
	v->lats[v->nr_lats].key = *key;
	lh_merge(&v->lats[v->nr_lats].h, h);
	v->lat_hash[j] = ++v->nr_lats;
	return 0;
}

/* Order of the IOAS array: by tgid, then id */
static int ioas_key_cmp(const struct view_ioas *io, __u32 tgid, __u32 id)
{
	if (io->tgid != tgid)
		return io->tgid < tgid ? -1 : 1;
	return io->id < id ? -1 : io->id > id;
}

struct view_ioas *view_ioas_find(const struct dt_view *v, __u32 tgid,
				  __u32 id)
{
	unsigned int lo = 0, hi = v->nr_ioas;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;
		int c = ioas_key_cmp(v->ioas[mid], tgid, id);

		if (!c)
			return v->ioas[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * A task name as the view keeps it: NUL-terminated, and printable ASCII
 * only ('?' for the rest) so that lines stay one line and JSON stays UTF-8.
 */
static void view_comm_copy(char *dst, const char *src)
{
	int i;

	for (i = 0; i < DT_COMM_LEN - 1 && src[i]; i++)
		dst[i] = src[i] >= 0x20 && src[i] < 0x7f ? src[i] : '?';
	dst[i] = '\0';
}

int view_add_proc(struct dt_view *v, __u32 tgid, const char *comm)
{
	struct view_proc *p;
	int err;

	if (view_proc_comm(v, tgid)[0])
		return 0;
	err = view_grow((void **)&v->procs, &v->cap_procs, v->nr_procs,
			sizeof(*v->procs));
	if (err)
		return err;
	p = &v->procs[v->nr_procs++];
	p->tgid = tgid;
	view_comm_copy(p->comm, comm);
	return 0;
}

const char *view_proc_comm(const struct dt_view *v, __u32 tgid)
{
	unsigned int i;

	for (i = 0; i < v->nr_procs; i++)
		if (v->procs[i].tgid == tgid)
			return v->procs[i].comm;
	for (i = 0; i < v->nr_ioas; i++)
		if (v->ioas[i]->tgid == tgid && v->ioas[i]->comm[0])
			return v->ioas[i]->comm;
	return "";
}

bool view_multi_process(const struct dt_view *v)
{
	return v->nr_ioas &&
	       v->ioas[0]->tgid != v->ioas[v->nr_ioas - 1]->tgid;
}

const char *view_ioas_name(const struct dt_view *v,
			   const struct view_ioas *io, char *buf, size_t sz)
{
	__u32 id = view_user_id(io->id);

	if (!view_multi_process(v))
		snprintf(buf, sz, "%u", id);
	else if (io->comm[0])
		snprintf(buf, sz, "%u (pid %u %s)", id, io->tgid, io->comm);
	else
		snprintf(buf, sz, "%u (pid %u)", id, io->tgid);
	return buf;
}

/* Find or create the IOAS; a new one is alive */
static struct view_ioas *view_ioas_get(struct dt_view *v, __u32 tgid,
				       __u32 id)
{
	struct view_ioas *io = view_ioas_find(v, tgid, id);
	unsigned int i;

	if (io)
		return io;
	if (view_grow((void **)&v->ioas, &v->cap_ioas, v->nr_ioas,
		      sizeof(*v->ioas)))
		return NULL;
	io = calloc(1, sizeof(*io));
	if (!io)
		return NULL;
	io->tgid = tgid;
	io->id = id;
	io->alive = true;
	for (i = v->nr_ioas;
	     i > 0 && ioas_key_cmp(v->ioas[i - 1], tgid, id) > 0; i--)
		v->ioas[i] = v->ioas[i - 1];
	v->ioas[i] = io;
	v->nr_ioas++;
	return io;
}

int view_add_usage(struct dt_view *v, __u32 tgid, __u32 ioas_id,
		   const struct dt_ioas_usage *u)
{
	struct view_ioas *io = view_ioas_get(v, tgid, ioas_id);

	if (!io)
		return -ENOMEM;
	io->has_usage = true;
	io->usage.mapped_bytes += u->mapped_bytes;
	io->usage.maps += u->maps;
	io->usage.unmaps += u->unmaps;
	if (u->t1flags & DT_T1_KNOWN) {	/* a container's state: the last word */
		io->usage.pgsize_bitmap = u->pgsize_bitmap;
		io->usage.locked_pages = u->locked_pages;
		io->usage.memlock_pages = u->memlock_pages;
		io->usage.dma_avail = u->dma_avail;
		io->usage.t1flags = u->t1flags;
	}
	return 0;
}

int view_add_pin(struct dt_view *v, const struct dt_lat_key *key,
		 const struct dt_hist *h)
{
	struct view_pin *p;
	unsigned int i;
	int err;

	for (i = 0; i < v->nr_pins; i++) {
		p = &v->pins[i];
		if (p->op == key->op && p->tgid == key->tgid &&
		    p->ioas_id == key->ioas_id) {
			lh_merge(&p->pin, h);
			return 0;
		}
	}
	err = view_grow((void **)&v->pins, &v->cap_pins, v->nr_pins,
			sizeof(*v->pins));
	if (err)
		return err;
	p = &v->pins[v->nr_pins++];
	memset(p, 0, sizeof(*p));
	p->op = key->op;
	p->tgid = key->tgid;
	p->ioas_id = key->ioas_id;
	lh_merge(&p->pin, h);
	return 0;
}

void view_reset_maps(struct dt_view *v)
{
	unsigned int i;

	v->nr_lats = 0;
	v->nr_pins = 0;
	if (v->lat_hash)
		memset(v->lat_hash, 0, v->hash_size * sizeof(*v->lat_hash));
	for (i = 0; i < v->nr_ioas; i++) {
		v->ioas[i]->has_usage = false;
		memset(&v->ioas[i]->usage, 0, sizeof(v->ioas[i]->usage));
		v->ioas[i]->nr_maps = 0;
		v->ioas[i]->maps_unlisted = 0;
	}
}

int view_add_area(struct dt_view *v, __u32 tgid, __u32 ioas_id, __u64 iova,
		  __u64 length)
{
	struct view_ioas *io = view_ioas_get(v, tgid, ioas_id);
	unsigned int cap, lo = 0, hi, mid;
	void *p;

	if (!io)
		return -ENOMEM;
	if (io->nr_maps >= VIEW_MAPPINGS_MAX) {
		io->maps_unlisted++;
		return 0;
	}
	if (io->nr_maps == io->cap_maps) {
		cap = io->cap_maps ? io->cap_maps * 2 : 16;
		p = realloc(io->maps, cap * sizeof(*io->maps));
		if (!p)
			return -ENOMEM;
		io->maps = p;
		io->cap_maps = cap;
	}
	/* kept in IOVA order: the first with a higher start */
	for (hi = io->nr_maps; lo < hi;) {
		mid = lo + (hi - lo) / 2;
		if (io->maps[mid].start <= iova)
			lo = mid + 1;
		else
			hi = mid;
	}
	memmove(&io->maps[lo + 1], &io->maps[lo],
		(io->nr_maps - lo) * sizeof(*io->maps));
	io->maps[lo].start = iova;
	io->maps[lo].last = iova + length - 1;
	io->nr_maps++;
	return 0;
}

void view_set_counter(struct dt_view *v, enum dt_counter c, __u64 val)
{
	if ((unsigned int)c < DT_CNT_MAX)
		v->counters[c] = val;
}

int view_ioas_reserved(const struct view_ioas *io, struct iv_set *out)
{
	unsigned int i;
	int err;

	iv_clear(out);
	for (i = 0; i < io->nr_resv; i++) {
		err = iv_add(out, io->resv[i].r.start, io->resv[i].r.last);
		if (err)
			return err;
	}
	return 0;
}

int view_ioas_windows(const struct view_ioas *io, struct iv_set *out)
{
	struct iv_set resv;
	int err;

	unsigned int i;

	iv_clear(out);
	if (io->nr_windows) {
		for (i = 0, err = 0; i < io->nr_windows && !err; i++)
			err = iv_add(out, io->windows[i].r.start,
				     io->windows[i].r.last);
	} else if (io->has_report && io->report_fresh) {
		return iv_copy(out, &io->reported);
	} else if (io->allowed.nr) {
		err = iv_copy(out, &io->allowed);
	} else {
		err = iv_add(out, 0, IV_ULONG_MAX);
	}
	if (err)
		return err;
	iv_init(&resv);
	err = view_ioas_reserved(io, &resv);
	if (!err)
		err = iv_subtract_set(out, &resv);
	iv_free(&resv);
	return err;
}

static int view_set_ranges(struct iv_set *s, bool *truncated,
			   const struct dt_event *e)
{
	unsigned int i, n = e->nr_ranges;
	int err;

	if (n > DT_EVENT_RANGES)
		return -EINVAL;
	iv_clear(s);
	for (i = 0; i < n; i++) {
		err = iv_add(s, e->ranges[i].start, e->ranges[i].last);
		if (err)
			return err;
	}
	*truncated = e->total_ranges > n;
	return 0;
}

static int view_reserved_add(struct view_ioas *io, const struct dt_event *e)
{
	int err;

	if (e->nr_ranges < 1 || e->ranges[0].start > e->ranges[0].last)
		return -EINVAL;
	err = view_grow((void **)&io->resv, &io->cap_resv, io->nr_resv,
			sizeof(*io->resv));
	if (err)
		return err;
	io->resv[io->nr_resv].r = e->ranges[0];
	io->resv[io->nr_resv].owner = e->owner;
	io->nr_resv++;
	io->report_fresh = false;
	return 0;
}

static void view_reserved_remove(struct view_ioas *io, __u64 owner)
{
	unsigned int i, n = 0;

	for (i = 0; i < io->nr_resv; i++)
		if (io->resv[i].owner != owner)
			io->resv[n++] = io->resv[i];
	io->nr_resv = n;
	io->report_fresh = false;
}


static void view_unmap_record(struct view_ioas *io, const struct dt_event *e)
{
	struct view_unmap *u = &io->unmaps[io->unmap_next];

	u->iova = e->iova;
	u->length = e->length;
	u->ts_ns = e->ts_ns;
	u->tgid = e->tgid;
	view_comm_copy(u->comm, e->comm);
	io->unmap_next = (io->unmap_next + 1) % VIEW_UNMAP_HISTORY;
	if (io->nr_unmaps < VIEW_UNMAP_HISTORY)
		io->nr_unmaps++;
}

static int view_window_add(struct view_ioas *io, const struct dt_event *e)
{
	int err;

	if (e->nr_ranges < 1 || e->ranges[0].start > e->ranges[0].last)
		return -EINVAL;
	err = view_grow((void **)&io->windows, &io->cap_windows,
			io->nr_windows, sizeof(*io->windows));
	if (err)
		return err;
	io->windows[io->nr_windows].r = e->ranges[0];
	io->windows[io->nr_windows].page_size = e->length;
	io->nr_windows++;
	return 0;
}

/*
 * A second allocation of an id is a new IOAS: the old one was destroyed, or
 * its process closed /dev/iommu (no IOMMU_DESTROY). It starts clean. State
 * seen before the first allocation event (ranges reserved while the ioctl
 * ran) is kept.
 */
static struct view_ioas *view_ioas_alloc(struct dt_view *v,
					  const struct dt_event *e)
{
	struct view_ioas *io = view_ioas_get(v, e->tgid, e->ioas_id);

	if (!io)
		return NULL;
	if (io->allocated || !io->alive) {
		iv_clear(&io->allowed);
		io->nr_allowed_raw = 0;
		io->nr_windows = 0;
		iv_clear(&io->reported);
		io->nr_resv = 0;
		io->has_report = io->report_fresh = false;
		io->allowed_truncated = io->report_truncated = false;
		io->nr_unmaps = io->unmap_next = 0;
	}
	io->allocated = true;
	io->alive = true;
	if (e->flags & DT_IOAS_SNAPSHOT)
		io->snapshot = true;	/* held when tracing started */
	view_comm_copy(io->comm, e->comm);
	return io;
}

__u64 view_violations_of(const struct dt_view *v, unsigned int kind)
{
	__u64 n = 0;
	unsigned int op;

	for (op = 0; op <= DT_OP_MAX; op++)
		n += v->viol_n[op][kind];
	return n;
}

static int view_record_violation(struct dt_view *v, const struct dt_event *e,
				 enum dt_violation kind, char *line,
				 size_t line_sz)
{
	struct view_violation one, *vi = &one;
	int err;

	v->viol_n[e->op < DT_OP_MAX ? e->op : DT_OP_MAX][kind]++;
	v->viols_total++;
	if (v->nr_viols < VIEW_EVENTS_KEPT) {
		err = view_grow((void **)&v->viols, &v->cap_viols, v->nr_viols,
				sizeof(*v->viols));
		if (err)
			return err;
		vi = &v->viols[v->nr_viols++];
	}
	vi->kind = kind;
	vi->ev = *e;
	view_comm_copy(vi->ev.comm, e->comm);
	view_violation_line(v, &vi->ev, kind, vi->line, sizeof(vi->line));
	if (line)
		snprintf(line, line_sz, "%s", vi->line);
	return 1;
}

static int view_record_fault(struct dt_view *v, const struct dt_event *e,
			     char *line, size_t line_sz)
{
	struct view_fault one, *f = &one;
	int err;

	v->faults_total++;
	if (v->nr_faults < VIEW_EVENTS_KEPT) {
		err = view_grow((void **)&v->faults, &v->cap_faults,
				v->nr_faults, sizeof(*v->faults));
		if (err)
			return err;
		f = &v->faults[v->nr_faults++];
	}
	f->ev = *e;
	view_comm_copy(f->ev.comm, e->comm);
	view_fault_line(v, &f->ev, f->line, sizeof(f->line));
	if (line)
		snprintf(line, line_sz, "%s", f->line);
	return 1;
}

int view_add_event(struct dt_view *v, const void *data, size_t size,
		   char *line, size_t line_sz)
{
	const struct dt_event *e = data;
	struct view_ioas *io;
	int kind, err;

	if (!data || size < sizeof(*e))
		return -EINVAL;
	if (e->ts_ns > v->last_ts)
		v->last_ts = e->ts_ns;
	switch (e->type) {
	case DT_EV_OP_FAILED:
	case DT_EV_OUTSIDE_ALLOWED:
		kind = view_classify(v, e);
		if (kind < 0)
			return 0;
		return view_record_violation(v, e, kind, line, line_sz);
	case DT_EV_FAULT:
		return view_record_fault(v, e, line, line_sz);
	case DT_EV_IOAS_ALLOC:
		return view_ioas_alloc(v, e) ? 0 : -ENOMEM;
	case DT_EV_IOAS_DESTROY:
		io = view_ioas_find(v, e->tgid, e->ioas_id);
		if (io)
			io->alive = false;
		return 0;
	case DT_EV_UNMAP_CUT:
		kind = view_classify_type1(e);
		return kind < 0 ? 0 :
		       view_record_violation(v, e, kind, line, line_sz);
	case DT_EV_IOVA_LIST:
		if (e->ret < 0) {	/* a refused attach: no window changed */
			kind = view_classify_type1(e);
			return kind < 0 ? 0 :
			       view_record_violation(v, e, kind, line, line_sz);
		}
		break;
	default:
		break;
	}
	if (e->type > DT_EV_IOVA_LIST)
		return -EINVAL;
	io = view_ioas_get(v, e->tgid, e->ioas_id);
	if (!io)
		return -ENOMEM;
	if (!io->comm[0])
		view_comm_copy(io->comm, e->comm);
	switch (e->type) {
	case DT_EV_ALLOWED_SET:
		io->report_fresh = false;
		err = view_set_ranges(&io->allowed, &io->allowed_truncated, e);
		if (err)
			return err;
		io->nr_allowed_raw = e->nr_ranges;
		memcpy(io->allowed_raw, e->ranges,
		       e->nr_ranges * sizeof(e->ranges[0]));
		return 0;
	case DT_EV_RESERVED_ADD:
		return view_reserved_add(io, e);
	case DT_EV_RESERVED_REMOVE:
		view_reserved_remove(io, e->owner);
		return 0;
	case DT_EV_IOVA_RANGES:
		io->has_report = io->report_fresh = true;
		return view_set_ranges(&io->reported, &io->report_truncated, e);
	case DT_EV_UNMAP:
		view_unmap_record(io, e);
		return 0;
	case DT_EV_WINDOW_ADD:
		return view_window_add(io, e);
	case DT_EV_IOVA_LIST:
		/* the container's windows: its aperture minus reserved regions */
		io->has_report = io->report_fresh = true;
		io->groups += e->flags == DT_T1_ATTACH ? 1 :
			      e->flags == DT_T1_DETACH ? -1 : 0;
		if (e->flags == DT_T1_SEEN_LATE)
			io->seen_late = true;
		if (e->flags == DT_T1_SNAPSHOT) {
			io->snapshot = true;
			io->groups = (int)e->length;
		}
		return view_set_ranges(&io->reported, &io->report_truncated, e);
	default:
		return -EINVAL;
	}
}
