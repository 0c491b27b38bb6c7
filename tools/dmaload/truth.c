// SPDX-License-Identifier: GPL-2.0
/*
 * Ground-truth accounting for dmaload: counts per op and return code, bytes
 * mapped/unmapped, a shadow of every live IOAS, and violations classified
 * by the rules of docs/ground-truth.md (which this file implements; keep
 * them in step).
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "common/json.h"
#include "truth.h"
#include "truth_type1.h"
#include "uapi/iommufd_test.h"

#define TRUTH_MAX_ERRNO	4096
#define MAP_PROT	(IOMMU_IOAS_MAP_WRITEABLE | IOMMU_IOAS_MAP_READABLE)
#define MAP_FLAGS	(IOMMU_IOAS_MAP_FIXED_IOVA | MAP_PROT)
#define T1_MAP_FLAGS	3u	/* VFIO_DMA_MAP_FLAG_READ | _WRITE */
#define T1_UNMAP_ALL	2u	/* VFIO_DMA_UNMAP_FLAG_ALL */
#define OWNER_TEST	0	/* IOMMU_TEST_OP_ADD_RESERVED: NULL owner */
/* after a figure that saturated (the true total is above U64_MAX) */
#define SAT_TEXT	" (saturated: above 2^64-1)"
#define OWNER_DOMAIN	1	/* the auto domain of attached mock devices */

struct span {
	__u64 start;
	__u64 last;
};

struct resv {
	struct span r;
	int owner;
};

struct truth_ioas {
	__u32 id;
	struct span *areas;	/* sorted, disjoint */
	size_t nr_areas, cap_areas;
	__u64 mapped_bytes;
	struct span *allowed;
	__u32 nr_allowed;
	struct resv *resv;
	size_t nr_resv, cap_resv;
	int nr_mockdevs;
	struct span windows[16];	/* seed extension: windows mode */
	unsigned int nr_windows;
};

struct truth_dev {
	__u32 id;
	__u32 ioas_id;
};

struct truth_viol {
	unsigned int op;
	__u32 ioas;
	__u32 container;	/* native type1: its driver's number, not ioas */
	int type1;		/* a native type1 violation */
	unsigned int kind;
	__u64 iova;
	__u64 length;
	int ret;
};

struct truth {
	pthread_mutex_t lock;
	unsigned long long counts[DT_OP_MAX][TRUTH_MAX_ERRNO];
	unsigned long long counted;
	unsigned long long divergences;
	__u64 bytes_mapped;	/* saturated at U64_MAX (bytes_mapped_sat) */
	__u64 bytes_unmapped;
	bool bytes_mapped_sat, bytes_unmapped_sat;
	struct truth_ioas *ioas;	/* sorted by id */
	size_t nr_ioas, cap_ioas;
	struct truth_dev *devs;
	size_t nr_devs, cap_devs;
	struct truth_viol *viols;
	size_t nr_viols, cap_viols;
	struct truth_type1 *t1;		/* native type1 containers */
};

/* Grow *arr (of elements of size sz) to hold one more; 0 or -ENOMEM */
static int grow(void **arr, size_t *cap, size_t nr, size_t sz)
{
	size_t ncap;
	void *p;

	if (nr < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 16;
	p = realloc(*arr, ncap * sz);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = ncap;
	return 0;
}

/* *acc += v, saturating at U64_MAX: *sat says the true sum is above it */
static void add_sat(__u64 *acc, __u64 v, bool *sat)
{
	if (__builtin_add_overflow(*acc, v, acc)) {
		*acc = ~0ULL;
		*sat = true;
	}
}

static void diverged(struct truth *t, const char *what, __u32 ioas, __u64 a,
		     __u64 b)
{
	t->divergences++;
	fprintf(stderr, "dmaload: truth: ioas %u: %s (0x%llx vs 0x%llx)\n",
		ioas, what, (unsigned long long)a, (unsigned long long)b);
}

static int spans_intersect(__u64 s1, __u64 l1, __u64 s2, __u64 l2)
{
	return s1 <= l2 && s2 <= l1;
}

/* ---- IOAS shadow ---- */

static struct truth_ioas *find_ioas(struct truth *t, __u32 id)
{
	size_t i;

	for (i = 0; i < t->nr_ioas; i++)
		if (t->ioas[i].id == id)
			return &t->ioas[i];
	return NULL;
}

static void add_ioas(struct truth *t, __u32 id)
{
	size_t i;

	if (find_ioas(t, id) ||
	    grow((void **)&t->ioas, &t->cap_ioas, t->nr_ioas, sizeof(*t->ioas)))
		return;
	for (i = t->nr_ioas; i > 0 && t->ioas[i - 1].id > id; i--)
		t->ioas[i] = t->ioas[i - 1];
	memset(&t->ioas[i], 0, sizeof(t->ioas[i]));
	t->ioas[i].id = id;
	t->nr_ioas++;
}

static void del_ioas(struct truth *t, struct truth_ioas *io)
{
	size_t i = io - t->ioas;

	free(io->areas);
	free(io->allowed);
	free(io->resv);
	memmove(&t->ioas[i], &t->ioas[i + 1],
		(t->nr_ioas - i - 1) * sizeof(*io));
	t->nr_ioas--;
}

/* Index of the first area whose last >= iova */
static size_t area_lower(struct truth_ioas *io, __u64 iova)
{
	size_t lo = 0, hi = io->nr_areas;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (io->areas[mid].last < iova)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void area_insert(struct truth *t, struct truth_ioas *io, __u64 start,
			__u64 last)
{
	size_t i = area_lower(io, start);

	if (i < io->nr_areas && io->areas[i].start <= last) {
		diverged(t, "backend mapped over a shadow area", io->id,
			 start, io->areas[i].start);
		return;
	}
	if (grow((void **)&io->areas, &io->cap_areas, io->nr_areas,
		 sizeof(*io->areas)))
		return;
	memmove(&io->areas[i + 1], &io->areas[i],
		(io->nr_areas - i) * sizeof(*io->areas));
	io->areas[i].start = start;
	io->areas[i].last = last;
	io->nr_areas++;
	io->mapped_bytes += last - start + 1;
}

/*
 * iopt_unmap_iova_range(): remove the areas inside [start, last] in IOVA
 * order; stop with -ENOENT at the first one sticking out (those removed
 * before it stay removed). *removed: bytes removed.
 */
static int area_unmap(struct truth_ioas *io, __u64 start, __u64 last,
		      __u64 *removed)
{
	size_t i = area_lower(io, start), j;
	int rc = 0;

	*removed = 0;
	for (j = i; j < io->nr_areas && io->areas[j].start <= last; j++) {
		if (io->areas[j].start < start || io->areas[j].last > last) {
			rc = -ENOENT;
			break;
		}
		*removed += io->areas[j].last - io->areas[j].start + 1;
	}
	if (j == i)
		return rc;	/* nothing removed (io->areas may be NULL) */
	memmove(&io->areas[i], &io->areas[j],
		(io->nr_areas - j) * sizeof(*io->areas));
	io->nr_areas -= j - i;
	io->mapped_bytes -= *removed;
	return rc;
}

static int hits_reserved(struct truth_ioas *io, __u64 start, __u64 length)
{
	__u64 last;
	size_t i;

	if (!length || __builtin_add_overflow(start, length - 1, &last))
		return 0;
	for (i = 0; i < io->nr_resv; i++)
		if (spans_intersect(start, last, io->resv[i].r.start,
				    io->resv[i].r.last))
			return 1;
	return 0;
}

/* Every byte of [start, start+length-1] lies in the union of allowed */
static int inside_allowed(struct truth_ioas *io, __u64 start, __u64 length)
{
	__u64 last = start + length - 1, cur = start;
	int progress = 1;
	__u32 i;

	while (progress) {
		progress = 0;
		for (i = 0; i < io->nr_allowed; i++) {
			if (io->allowed[i].start <= cur &&
			    cur <= io->allowed[i].last) {
				if (io->allowed[i].last >= last)
					return 1;
				cur = io->allowed[i].last + 1;
				progress = 1;
			}
		}
	}
	return 0;
}

/* Windows mode: [start, start+length-1] lies inside one window */
static int inside_window(struct truth_ioas *io, __u64 start, __u64 length)
{
	__u64 last;
	unsigned int i;

	if (!length || __builtin_add_overflow(start, length - 1, &last))
		return 0;
	for (i = 0; i < io->nr_windows; i++)
		if (io->windows[i].start <= start && last <= io->windows[i].last)
			return 1;
	return 0;
}

static void add_resv(struct truth_ioas *io, __u64 start, __u64 last, int owner)
{
	if (grow((void **)&io->resv, &io->cap_resv, io->nr_resv,
		 sizeof(*io->resv)))
		return;
	io->resv[io->nr_resv].r.start = start;
	io->resv[io->nr_resv].r.last = last;
	io->resv[io->nr_resv].owner = owner;
	io->nr_resv++;
}

static void del_resv_owner(struct truth_ioas *io, int owner)
{
	size_t i, n = 0;

	for (i = 0; i < io->nr_resv; i++)
		if (io->resv[i].owner != owner)
			io->resv[n++] = io->resv[i];
	io->nr_resv = n;
}

static void set_allowed(struct truth_ioas *io, const struct truth_rec *r)
{
	__u32 i;

	free(io->allowed);
	io->allowed = NULL;
	io->nr_allowed = 0;
	if (!r->nr_ranges)
		return;
	io->allowed = calloc(r->nr_ranges, sizeof(*io->allowed));
	if (!io->allowed)
		return;
	for (i = 0; i < r->nr_ranges; i++) {
		io->allowed[i].start = r->ranges[i].start;
		io->allowed[i].last = r->ranges[i].last;
	}
	io->nr_allowed = r->nr_ranges;
}

/* ---- violations ---- */

/* A map placed at the caller's IOVA (the op table's IOVA rule) */
static int is_fixed_placement(const struct truth_rec *r)
{
	return dt_op_kind(r->op) == DT_KIND_MAP &&
	       dt_op_iova_fixed(r->op, r->flags);
}

static int classify_map_einval(const struct truth_rec *r,
			       struct truth_ioas *io)
{
	int outside;

	if (r->op == DT_OP_TYPE1_MAP) {
		if (r->flags & ~T1_MAP_FLAGS)
			return DT_VIOL_BAD_FLAGS;
		outside = io && (hits_reserved(io, r->iova, r->length) ||
				 (io->nr_windows &&
				  !inside_window(io, r->iova, r->length)));
		return outside ? DT_VIOL_TYPE1_OUTSIDE : DT_VIOL_MISALIGNED;
	}
	if (!(r->flags & MAP_PROT))
		return DT_VIOL_BAD_FLAGS;
	outside = (r->flags & IOMMU_IOAS_MAP_FIXED_IOVA) && io &&
		  (hits_reserved(io, r->iova, r->length) ||
		   (io->nr_windows && !inside_window(io, r->iova, r->length)));
	return outside ? DT_VIOL_RESERVED : DT_VIOL_MISALIGNED;
}

static int classify_failed(const struct truth_rec *r, struct truth_ioas *io)
{
	switch (r->op) {
	case DT_OP_MAP:
	case DT_OP_COPY:
	case DT_OP_TYPE1_MAP:
		switch (r->ret) {
		case -EOPNOTSUPP:
			return r->op == DT_OP_TYPE1_MAP ? -1 : DT_VIOL_BAD_FLAGS;
		case -EINVAL:
			return classify_map_einval(r, io);
		case -EEXIST:
			return DT_VIOL_OVERLAP;
		case -ENOSPC:
			return DT_VIOL_EXHAUSTED;
		case -EOVERFLOW:
			return DT_VIOL_WRAP;
		}
		return -1;
	case DT_OP_UNMAP:
	case DT_OP_TYPE1_UNMAP:
		switch (r->ret) {
		case -ENOENT:
			return io ? DT_VIOL_UNMAP_MISS : -1;
		case -EOVERFLOW:
			return DT_VIOL_WRAP;
		case -EINVAL:
			if (r->op == DT_OP_TYPE1_UNMAP &&
			    ((r->flags & ~T1_UNMAP_ALL) ||
			     ((r->flags & T1_UNMAP_ALL) && (r->iova || r->length))))
				return DT_VIOL_BAD_FLAGS;
			return DT_VIOL_MISALIGNED;
		}
		return -1;
	case DT_OP_ALLOW_IOVAS:
		return r->ret == -EADDRINUSE ? DT_VIOL_RESERVED : -1;
	case DT_OP_WINDOW_REQUEST:
		return r->ret == -ENOSPC ? DT_VIOL_EXHAUSTED : -1;
	}
	return -1;
}

static void add_viol(struct truth *t, const struct truth_rec *r, int kind)
{
	struct truth_viol *v;

	if (grow((void **)&t->viols, &t->cap_viols, t->nr_viols,
		 sizeof(*t->viols)))
		return;
	v = &t->viols[t->nr_viols++];
	v->op = r->op;
	v->ioas = r->ioas_id;
	v->type1 = truth_type1_op(r->op);
	v->container = v->type1 ? truth_type1_id(t->t1, r->container) : 0;
	v->kind = kind;
	v->iova = r->iova;
	v->length = r->length;
	v->ret = r->ret;
	if (r->ret && !dt_op_iova_fixed(r->op, r->flags))
		v->iova = 0;	/* failed auto-IOVA map / request: no IOVA */
}

static void check_violation(struct truth *t, const struct truth_rec *r,
			    struct truth_ioas *io)
{
	int kind = -1;

	if (r->ret)
		kind = classify_failed(r, io);
	else if (is_fixed_placement(r) && io && io->nr_allowed &&
		 !inside_allowed(io, r->iova, r->length))
		kind = DT_VIOL_OUTSIDE_ALLOWED;
	if (kind >= 0)
		add_viol(t, r, kind);
}

/* ---- shadow updates per op ---- */

static void apply_copy(struct truth *t, const struct truth_rec *r,
		       struct truth_ioas *dst)
{
	struct truth_ioas *src = find_ioas(t, r->src_ioas_id);
	__u64 last = r->src_iova + r->length - 1;
	struct span *pieces = NULL;
	size_t i, n = 0, cap = 0;

	if (!src || !dst)
		return;
	/* one dst area per src area the range crosses (iopt_get_pages) */
	for (i = area_lower(src, r->src_iova);
	     i < src->nr_areas && src->areas[i].start <= last; i++) {
		__u64 s = src->areas[i].start > r->src_iova ?
			  src->areas[i].start : r->src_iova;
		__u64 l = src->areas[i].last < last ? src->areas[i].last : last;

		if (grow((void **)&pieces, &cap, n, sizeof(*pieces)))
			break;
		pieces[n].start = r->iova + (s - r->src_iova);
		pieces[n].last = r->iova + (l - r->src_iova);
		n++;
	}
	for (i = 0; i < n; i++)
		area_insert(t, dst, pieces[i].start, pieces[i].last);
	free(pieces);
}

static void apply_unmap(struct truth *t, const struct truth_rec *r,
			struct truth_ioas *io)
{
	__u64 start = r->iova, last, removed;
	int all;

	if (!io || (r->ret && r->ret != -ENOENT))
		return;
	all = dt_op_unmap_all(r->op, r->flags, r->iova, r->length);
	if (all) {
		start = 0;
		last = ~0ULL;
	} else if (!r->length ||
		   __builtin_add_overflow(r->iova, r->length - 1, &last)) {
		return;
	}
	area_unmap(io, start, last, &removed);
	if (!r->ret && removed != r->unmapped)
		diverged(t, "unmapped bytes differ from the shadow", io->id,
			 r->unmapped, removed);
	if (!r->ret)
		add_sat(&t->bytes_unmapped, r->unmapped, &t->bytes_unmapped_sat);
}

static void apply_destroy(struct truth *t, const struct truth_rec *r)
{
	struct truth_ioas *io = find_ioas(t, r->obj_id);
	size_t i;

	if (io) {
		del_ioas(t, io);
		return;
	}
	for (i = 0; i < t->nr_devs; i++) {
		if (t->devs[i].id != r->obj_id)
			continue;
		io = find_ioas(t, t->devs[i].ioas_id);
		if (io && --io->nr_mockdevs == 0)
			del_resv_owner(io, OWNER_DOMAIN);
		t->devs[i] = t->devs[--t->nr_devs];
		return;
	}
}

static void apply_mockdev(struct truth *t, const struct truth_rec *r,
			  struct truth_ioas *io)
{
	if (!io || grow((void **)&t->devs, &t->cap_devs, t->nr_devs,
			sizeof(*t->devs)))
		return;
	t->devs[t->nr_devs].id = r->obj_id;
	t->devs[t->nr_devs].ioas_id = io->id;
	t->nr_devs++;
	/* the mock domain's aperture: everything outside is reserved */
	if (io->nr_mockdevs++ == 0) {
		add_resv(io, 0, MOCK_APERTURE_START - 1, OWNER_DOMAIN);
		add_resv(io, MOCK_APERTURE_LAST + 1, ~0ULL, OWNER_DOMAIN);
	}
}

static void apply_success(struct truth *t, const struct truth_rec *r,
			  struct truth_ioas *io)
{
	switch (r->op) {
	case DT_OP_IOAS_ALLOC:
		add_ioas(t, r->obj_id);
		break;
	case DT_OP_DESTROY:
		apply_destroy(t, r);
		break;
	case DT_OP_MAP:
	case DT_OP_TYPE1_MAP:
		if (io)
			area_insert(t, io, r->iova, r->iova + r->length - 1);
		add_sat(&t->bytes_mapped, r->length, &t->bytes_mapped_sat);
		break;
	case DT_OP_COPY:
		apply_copy(t, r, io);
		add_sat(&t->bytes_mapped, r->length, &t->bytes_mapped_sat);
		break;
	case DT_OP_ALLOW_IOVAS:
		if (io)
			set_allowed(io, r);
		break;
	case TR_RESERVE:
		if (io)
			add_resv(io, r->iova, r->iova + r->length - 1,
				 OWNER_TEST);
		break;
	case TR_MOCKDEV:
		apply_mockdev(t, r, io);
		break;
	case TR_WINDOW:
		if (io && io->nr_windows < 16) {
			io->windows[io->nr_windows].start = r->iova;
			io->windows[io->nr_windows++].last = r->iova + r->length - 1;
		}
		break;
	}
}

void truth_lock(struct truth *t)
{
	pthread_mutex_lock(&t->lock);
}

void truth_unlock(struct truth *t)
{
	pthread_mutex_unlock(&t->lock);
}

void truth_record(struct truth *t, const struct truth_rec *r)
{
	pthread_mutex_lock(&t->lock);
	truth_record_locked(t, r);
	pthread_mutex_unlock(&t->lock);
}

static void count_op(struct truth *t, const struct truth_rec *r)
{
	int e = -r->ret;

	if (e < 0 || e >= TRUTH_MAX_ERRNO)
		e = TRUTH_MAX_ERRNO - 1;
	t->counts[r->op][e]++;
	t->counted++;
}

static void record_type1(struct truth *t, const struct truth_rec *r)
{
	struct truth_type1_effect eff = { 0 };
	int kind;

	if (truth_type1_counted(t->t1, r))
		count_op(t, r);
	kind = truth_type1_record(t->t1, r, &eff);
	if (kind >= 0)
		add_viol(t, r, kind);
	add_sat(&t->bytes_mapped, eff.mapped, &t->bytes_mapped_sat);
	add_sat(&t->bytes_unmapped, eff.unmapped, &t->bytes_unmapped_sat);
	if (eff.divergence) {
		t->divergences++;
		fprintf(stderr, "dmaload: truth: container %u: unmapped bytes differ from the shadow (0x%llx reported)\n",
			r->container, (unsigned long long)r->unmapped);
	}
}

void truth_record_locked(struct truth *t, const struct truth_rec *r)
{
	struct truth_ioas *io = find_ioas(t, r->ioas_id);

	if (truth_type1_op(r->op)) {
		record_type1(t, r);
		return;
	}
	if (r->op < DT_OP_MAX) {
		count_op(t, r);
		check_violation(t, r, io);
	}
	if (dt_op_kind(r->op) == DT_KIND_UNMAP)
		apply_unmap(t, r, io);
	else if (!r->ret)
		apply_success(t, r, io);
}

/* ---- life cycle and output ---- */

struct truth *truth_new(void)
{
	struct truth *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->t1 = truth_type1_new();
	if (!t->t1) {
		free(t);
		return NULL;
	}
	pthread_mutex_init(&t->lock, NULL);
	return t;
}

void truth_free(struct truth *t)
{
	if (!t)
		return;
	while (t->nr_ioas)
		del_ioas(t, &t->ioas[t->nr_ioas - 1]);
	free(t->ioas);
	free(t->devs);
	free(t->viols);
	truth_type1_free(t->t1);
	pthread_mutex_destroy(&t->lock);
	free(t);
}

unsigned long long truth_counted(struct truth *t)
{
	unsigned long long n;

	pthread_mutex_lock(&t->lock);
	n = t->counted;
	pthread_mutex_unlock(&t->lock);
	return n;
}

unsigned long long truth_divergences(struct truth *t)
{
	unsigned long long n;

	pthread_mutex_lock(&t->lock);
	n = t->divergences;
	pthread_mutex_unlock(&t->lock);
	return n;
}

static void ret_key(int e, char *buf, size_t len)
{
	const char *name = e ? strerrorname_np(e) : NULL;

	if (!e)
		snprintf(buf, len, "0");
	else if (name)
		snprintf(buf, len, "-%s", name);
	else
		snprintf(buf, len, "-%d", e);
}

static void json_ops(struct json_writer *w, struct truth *t)
{
	char key[32];
	unsigned int op;
	int e;

	json_key(w, "ops");
	json_object_begin(w);
	for (op = 0; op < DT_OP_MAX; op++) {
		int any = 0;

		for (e = 0; e < TRUTH_MAX_ERRNO; e++) {
			if (!t->counts[op][e])
				continue;
			if (!any++) {
				json_key(w, dt_op_name(op));
				json_object_begin(w);
			}
			ret_key(e, key, sizeof(key));
			json_key(w, key);
			json_u64(w, t->counts[op][e]);
		}
		if (any)
			json_object_end(w);
	}
	json_object_end(w);
}

static int cmp_span(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static void json_span(struct json_writer *w, __u64 start, __u64 last)
{
	json_array_begin(w);
	json_hex(w, start);
	json_hex(w, last);
	json_array_end(w);
}

/* Reserved ranges merged like interval_tree_for_each_span(): overlapping
 * and adjacent ranges become one */
static void json_reserved(struct json_writer *w, struct truth_ioas *io)
{
	struct span *s = calloc(io->nr_resv + 1, sizeof(*s));
	size_t i, n = 0;

	json_array_begin(w);
	if (!s)
		goto out;
	for (i = 0; i < io->nr_resv; i++)
		s[i] = io->resv[i].r;
	qsort(s, io->nr_resv, sizeof(*s), cmp_span);
	for (i = 0; i < io->nr_resv; i++) {
		if (n && (s[n - 1].last == ~0ULL ||
			  s[i].start <= s[n - 1].last + 1)) {
			if (s[i].last > s[n - 1].last)
				s[n - 1].last = s[i].last;
			continue;
		}
		s[n++] = s[i];
	}
	for (i = 0; i < n; i++)
		json_span(w, s[i].start, s[i].last);
	free(s);
out:
	json_array_end(w);
}

static void json_allowed(struct json_writer *w, struct truth_ioas *io)
{
	struct span *s = calloc(io->nr_allowed + 1, sizeof(*s));
	__u32 i;

	json_array_begin(w);
	if (s) {
		if (io->nr_allowed)	/* io->allowed is NULL when none */
			memcpy(s, io->allowed, io->nr_allowed * sizeof(*s));
		qsort(s, io->nr_allowed, sizeof(*s), cmp_span);
		for (i = 0; i < io->nr_allowed; i++)
			json_span(w, s[i].start, s[i].last);
		free(s);
	}
	json_array_end(w);
}

/*
 * Bytes mapped in io: its areas are disjoint, so the sum kept modulo 2^64
 * is exact but for the whole space (2^64 bytes, kept as 0 with areas):
 * then U64_MAX and *sat
 */
static __u64 ioas_mapped(const struct truth_ioas *io, bool *sat)
{
	*sat = io->nr_areas && !io->mapped_bytes;
	return *sat ? ~0ULL : io->mapped_bytes;
}

static void json_bytes(struct json_writer *w, const char *key, __u64 v,
		       bool sat)
{
	char satkey[64];

	json_key(w, key);
	json_u64(w, v);
	if (!sat)
		return;
	snprintf(satkey, sizeof(satkey), "%s_saturated", key);
	json_key(w, satkey);
	json_bool(w, true);
}

static void json_ioas(struct json_writer *w, struct truth *t)
{
	bool sat = false;
	size_t i;

	json_key(w, "ioas");
	json_array_begin(w);
	for (i = 0; i < t->nr_ioas; i++) {
		struct truth_ioas *io = &t->ioas[i];

		__u64 bytes = ioas_mapped(io, &sat);

		json_object_begin(w);
		json_key(w, "id");
		json_u64(w, io->id);
		json_bytes(w, "mapped_bytes", bytes, sat);
		json_key(w, "areas");
		json_u64(w, io->nr_areas);
		json_key(w, "allowed");
		json_allowed(w, io);
		json_key(w, "reserved");
		json_reserved(w, io);
		json_object_end(w);
	}
	json_array_end(w);
}

static void json_viols(struct json_writer *w, struct truth *t)
{
	char key[32];
	size_t i;

	json_key(w, "violations");
	json_array_begin(w);
	for (i = 0; i < t->nr_viols; i++) {
		struct truth_viol *v = &t->viols[i];

		json_object_begin(w);
		json_key(w, "op");
		json_string(w, v->type1 ? truth_type1_op_name(v->op) :
					  dt_op_name(v->op));
		json_key(w, v->type1 ? "container" : "ioas");
		json_u64(w, v->type1 ? v->container : v->ioas);
		json_key(w, "kind");
		json_string(w, dt_violation_name(v->kind));
		json_key(w, "iova");
		json_hex(w, v->iova);
		json_key(w, "length");
		json_hex(w, v->length);
		json_key(w, "ret");
		ret_key(-v->ret, key, sizeof(key));
		json_string(w, key);
		json_object_end(w);
	}
	json_array_end(w);
}

void truth_print_json(struct truth *t, FILE *out)
{
	struct json_writer w;

	pthread_mutex_lock(&t->lock);
	json_init(&w, out);
	json_object_begin(&w);
	json_ops(&w, t);
	json_bytes(&w, "bytes_mapped", t->bytes_mapped, t->bytes_mapped_sat);
	json_bytes(&w, "bytes_unmapped", t->bytes_unmapped,
		   t->bytes_unmapped_sat);
	json_ioas(&w, t);
	truth_type1_json(&w, t->t1);
	json_viols(&w, t);
	json_object_end(&w);
	json_newline(&w);
	pthread_mutex_unlock(&t->lock);
}

void truth_print_text(struct truth *t, FILE *out)
{
	unsigned long long failed = 0, per_kind[DT_VIOL_MAX] = { 0 };
	unsigned int op, k;
	bool sat = false;
	size_t i;

	pthread_mutex_lock(&t->lock);
	for (op = 0; op < DT_OP_MAX; op++)
		for (i = 1; i < TRUTH_MAX_ERRNO; i++)
			failed += t->counts[op][i];
	for (i = 0; i < t->nr_viols; i++)
		per_kind[t->viols[i].kind]++;
	fprintf(out, "ops: %llu (%llu failed)\n", t->counted, failed);
	fprintf(out, "bytes mapped: %llu%s, unmapped: %llu%s\n",
		(unsigned long long)t->bytes_mapped,
		t->bytes_mapped_sat ? SAT_TEXT : "",
		(unsigned long long)t->bytes_unmapped,
		t->bytes_unmapped_sat ? SAT_TEXT : "");
	for (i = 0; i < t->nr_ioas; i++) {
		__u64 b = ioas_mapped(&t->ioas[i], &sat);

		fprintf(out, "ioas %u: %llu%s bytes in %zu areas\n",
			t->ioas[i].id, (unsigned long long)b,
			sat ? SAT_TEXT : "", t->ioas[i].nr_areas);
	}
	fprintf(out, "violations: %zu", t->nr_viols);
	for (k = 0; k < DT_VIOL_MAX; k++)
		if (per_kind[k])
			fprintf(out, " %s=%llu", dt_violation_name(k),
				per_kind[k]);
	fputc('\n', out);
	pthread_mutex_unlock(&t->lock);
}
