/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Windows concern: the areas mapped in each IOAS (hash of (ioas, iova) ->
 * struct dt_area, threaded into a list per IOAS: see area_add), per-IOAS
 * usage, the allowed ranges (kept for the outside-allowed check) and
 * window changes sent as ring buffer events.
 *
 * usage.maps counts areas added and usage.unmaps areas removed, so
 * maps - unmaps is the number of areas alive. Everything per IOAS is keyed
 * by (tgid, IOAS id): IOAS ids are per context, not global.
 */
#ifndef DMATRACE_WINDOWS_BPF_H
#define DMATRACE_WINDOWS_BPF_H

#include <asm-generic/errno-base.h>
#include "dmatrace.bpf.h"

static const struct dt_ioas_usage zero_usage;

static __always_inline struct dt_ioas_usage *usage_get(struct dt_ioas_key *k)
{
	struct dt_ioas_usage *u = bpf_map_lookup_elem(&usage, k);

	if (u)
		return u;
	bpf_map_update_elem(&usage, k, &zero_usage, BPF_NOEXIST);
	u = bpf_map_lookup_elem(&usage, k);
	if (!u)
		count(DT_CNT_IOAS_FULL);
	return u;
}

/*
 * Each IOAS's areas are a list threaded through the areas map (struct
 * dt_area), its head in the usage value: adding is O(1), an exact unmap
 * unlinks in O(1), and unmap-all, destroy and release walk the IOAS's own
 * list (bpf_loop), never the whole map. The list changes under
 * usage.area_lock (cmpxchg; the traced threads of a process may map and
 * unmap in one IOAS at once); the fault path reads it without the lock.
 */
#define DT_AREA_SPINS	(1 << 14)	/* tries at a list another CPU holds */
#define DT_AREA_STEPS	(1 << 20)	/* areas one walk visits at most */

static __always_inline bool area_trylock(struct dt_ioas_usage *u)
{
	return __sync_val_compare_and_swap(&u->area_lock, 0, 1) == 0;
}

struct area_spin {
	struct dt_ioas_key k;
	__u32 got;
};

static long area_spin_cb(__u64 i, struct area_spin *s)
{
	struct dt_ioas_usage *u = bpf_map_lookup_elem(&usage, &s->k);

	if (!u)
		return 1;
	if (!area_trylock(u))
		return 0;
	s->got = 1;
	return 1;
}

/* Take k's list (u: its usage); false, counted, when it stays busy */
static __always_inline bool area_lock(struct dt_ioas_key *k,
				      struct dt_ioas_usage *u)
{
	struct area_spin s = { .k = *k };

	if (area_trylock(u))
		return true;
	bpf_loop(DT_AREA_SPINS, area_spin_cb, &s, 0);
	if (s.got)
		return true;
	count(DT_CNT_AREAS_BUSY);
	return false;
}

static __always_inline void area_unlock(struct dt_ioas_usage *u)
{
	__sync_lock_test_and_set(&u->area_lock, 0);
}

/*
 * Take the area a at iova out of k's list (the caller deletes it from the
 * map). Missing neighbours (a list torn by a map_clear) are skipped.
 */
static __always_inline void area_unlink(struct dt_ioas_key *k,
					struct dt_ioas_usage *u, __u64 iova,
					struct dt_area *a)
{
	struct dt_area_key nk = { .ioas = *k };
	__u64 prev = a->prev, next = a->next;
	__u32 f = a->flags;
	struct dt_area *n;

	if (f & DT_AREA_PREV) {
		nk.iova = prev;
		n = bpf_map_lookup_elem(&areas, &nk);
		if (n) {
			n->next = next;
			n->flags = (n->flags & ~DT_AREA_NEXT) |
				   (f & DT_AREA_NEXT);
		}
	} else if (u->area_nr && u->area_head == iova) {
		u->area_head = next;	/* meaningful with DT_AREA_NEXT */
	}
	if (f & DT_AREA_NEXT) {
		nk.iova = next;
		n = bpf_map_lookup_elem(&areas, &nk);
		if (n) {
			n->prev = prev;
			n->flags = (n->flags & ~DT_AREA_PREV) |
				   (f & DT_AREA_PREV);
		}
	}
	if (u->area_nr)
		u->area_nr--;
}

/*
 * A mapped area and its usage. how: BPF_ANY (a traced map), or
 * BPF_NOEXIST (the snapshot: an area the probes already saw stays as is)
 */
static __always_inline void area_add(struct dt_ioas_key *k, __u64 iova,
				     __u64 length, __u64 how)
{
	struct dt_area_key key = { .ioas = *k, .iova = iova };
	struct dt_area v = { .length = length }, *a;
	struct dt_ioas_usage *u;
	__u64 old;
	long err;

	u = usage_get(k);
	if (!u) {
		count(DT_CNT_AREAS_FULL);
		return;
	}
	if (!area_lock(k, u))
		return;
	if (u->area_nr) {
		v.next = u->area_head;
		v.flags = DT_AREA_NEXT;
	}
	/* a new area is the common case: no lookup before the insert */
	err = bpf_map_update_elem(&areas, &key, &v, BPF_NOEXIST);
	if (err == -EEXIST) {
		/* already there: the snapshot leaves it, a map replaces it */
		a = bpf_map_lookup_elem(&areas, &key);
		if (a && how == BPF_ANY) {
			old = a->length;
			a->length = length;
			__sync_fetch_and_add(&u->mapped_bytes, length - old);
			__sync_fetch_and_add(&u->maps, 1);
			__sync_fetch_and_add(&u->unmaps, 1);
		}
		goto out;
	}
	if (err) {
		count(DT_CNT_AREAS_FULL);
		goto out;
	}
	if (u->area_nr) {
		key.iova = u->area_head;
		a = bpf_map_lookup_elem(&areas, &key);
		if (a) {
			a->prev = iova;
			a->flags |= DT_AREA_PREV;
		}
	}
	u->area_head = iova;
	u->area_nr++;
	__sync_fetch_and_add(&u->mapped_bytes, length);
	__sync_fetch_and_add(&u->maps, 1);
out:
	area_unlock(u);
}

/* What an unmap removes: the bounds on the stack, the sums in a map */
struct area_walk {
	struct dt_ioas_key k;
	__u64 start;
	__u64 last;	/* remove the areas inside [start, last] */
	__u64 want;	/* ... until this many bytes are removed */
	__u64 cur;	/* the next area to look at */
	__u32 more;	/* cur is an area */
	__u32 hole;	/* the chain found no area at cur */
};

struct area_cut_sum {
	__u64 bytes;
	__u64 nr;
};

/*
 * The sums live in a per-CPU map value, not in the callback's stack
 * context: the verifier would otherwise track them as constants across
 * callback iterations and never converge.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct area_cut_sum);
} cut_sum SEC(".maps");

static __always_inline void cut_add(__u64 len)
{
	struct area_cut_sum *sum;
	__u32 zero = 0;

	sum = bpf_map_lookup_elem(&cut_sum, &zero);
	if (sum) {
		sum->bytes += len;
		sum->nr++;
	}
}

/* Unlink and delete the area a at iova of w's IOAS; its length summed */
static __always_inline void area_take(struct area_walk *w, __u64 iova,
				      struct dt_area *a)
{
	struct dt_area_key key = { .ioas = w->k, .iova = iova };
	struct dt_ioas_usage *u = bpf_map_lookup_elem(&usage, &w->k);
	__u64 len = a->length;

	if (!u)
		return;
	area_unlink(&w->k, u, iova, a);
	if (!bpf_map_delete_elem(&areas, &key))
		cut_add(len);
}

/* Unmap-all: delete every area from the head on, no unlinking */
static long area_clear_cb(__u64 i, struct area_walk *w)
{
	struct dt_area_key key = { .ioas = w->k, .iova = w->cur };
	struct dt_area *a = bpf_map_lookup_elem(&areas, &key);
	__u64 len;

	if (!a) {
		w->more = 0;	/* torn list: its end */
		return 1;
	}
	len = a->length;
	w->cur = a->next;
	w->more = (a->flags & DT_AREA_NEXT) ? 1 : 0;
	if (!bpf_map_delete_elem(&areas, &key))
		cut_add(len);
	return w->more ? 0 : 1;
}

/* The bytes removed so far reach w->want */
static __always_inline bool cut_done(struct area_walk *w)
{
	struct area_cut_sum *sum;
	__u32 zero = 0;

	sum = bpf_map_lookup_elem(&cut_sum, &zero);
	return !sum || sum->bytes >= w->want;
}

/*
 * A range unmap: the areas at start, start + its length, ... (a contiguous
 * range, the common case, and the exact unmap of one area)
 */
static long area_chain_cb(__u64 i, struct area_walk *w)
{
	struct dt_area_key key = { .ioas = w->k, .iova = w->cur };
	struct dt_area *a;
	__u64 len;

	if (cut_done(w)) {
		w->more = 0;
		return 1;
	}
	a = bpf_map_lookup_elem(&areas, &key);
	if (!a || w->cur > w->last || !a->length ||
	    a->length - 1 > w->last - w->cur) {
		w->hole = 1;
		w->more = 0;
		return 1;
	}
	len = a->length;
	area_take(w, w->cur, a);
	w->cur += len;
	return 0;
}

/* A range unmap past a hole: this IOAS's list, the areas inside taken */
static long area_prune_cb(__u64 i, struct area_walk *w)
{
	struct dt_area_key key = { .ioas = w->k, .iova = w->cur };
	struct dt_area *a;
	__u64 iova = w->cur, len;

	if (cut_done(w)) {
		w->more = 0;
		return 1;
	}
	a = bpf_map_lookup_elem(&areas, &key);
	if (!a) {
		w->more = 0;
		return 1;
	}
	len = a->length;
	w->cur = a->next;
	w->more = (a->flags & DT_AREA_NEXT) ? 1 : 0;
	if (len && iova >= w->start && iova <= w->last &&
	    len - 1 <= w->last - iova)
		area_take(w, iova, a);
	return w->more ? 0 : 1;
}

/*
 * Forget the areas of an IOAS inside [start, last] (unmap; unmapped: the
 * bytes the kernel says it unmapped), or all of them (all: unmap-all,
 * destroy, release). The cost is what is removed (a range with holes: the
 * IOAS's own areas), whatever the map holds.
 */
/*
 * An unmap of exactly the one area at start, the common case: taken
 * without a walk (what area_chain_cb's first step would do, and its second
 * find done); false for any other unmap
 */
static __always_inline bool area_take_exact(struct dt_ioas_key *k,
					    struct dt_ioas_usage *u,
					    __u64 start, __u64 last,
					    __u64 want,
					    struct area_cut_sum *got)
{
	struct dt_area_key key = { .ioas = *k, .iova = start };
	struct dt_area *a = bpf_map_lookup_elem(&areas, &key);
	__u64 len;

	if (!a || !a->length || a->length != want ||
	    a->length - 1 > last - start)
		return false;
	len = a->length;
	area_unlink(k, u, start, a);
	got->bytes = got->nr = 0;
	if (!bpf_map_delete_elem(&areas, &key)) {
		got->bytes = len;
		got->nr = 1;
	}
	return true;
}

static __always_inline void areas_remove(struct dt_ioas_key *k, bool all,
					 __u64 start, __u64 last,
					 __u64 unmapped)
{
	struct area_walk w = { .k = *k, .start = start, .last = last,
			       .want = unmapped, .cur = start };
	struct dt_area_key key = { .ioas = *k };
	struct area_cut_sum *sum, got;
	struct dt_ioas_usage *u;
	struct dt_area *a;
	__u32 zero = 0;

	if (!all && !unmapped)
		return;
	sum = bpf_map_lookup_elem(&cut_sum, &zero);
	u = bpf_map_lookup_elem(&usage, k);
	if (!sum || !u)
		return;
	if (!area_lock(k, u))
		return;
	sum->bytes = sum->nr = 0;
	if (all) {
		w.cur = u->area_head;
		w.more = u->area_nr ? 1 : 0;
		if (w.more)
			bpf_loop(DT_AREA_STEPS, area_clear_cb, &w, 0);
		got = *sum;
		if (w.more) {
			/* cut: what is left stays a list, from cur on */
			count(DT_CNT_AREAS_WALK_CUT);
			key.iova = w.cur;
			a = bpf_map_lookup_elem(&areas, &key);
			if (a)
				a->flags &= ~DT_AREA_PREV;
			u->area_head = w.cur;
			u->area_nr = u->area_nr > got.nr ? u->area_nr - got.nr : 1;
		} else {
			u->area_nr = 0;
		}
	} else if (!area_take_exact(k, u, start, last, unmapped, &got)) {
		w.more = 1;
		bpf_loop(DT_AREA_STEPS, area_chain_cb, &w, 0);
		if (w.hole && !cut_done(&w)) {
			w.cur = u->area_head;
			w.more = u->area_nr ? 1 : 0;
			if (w.more)
				bpf_loop(DT_AREA_STEPS, area_prune_cb, &w, 0);
		}
		if (w.more)	/* out of steps */
			count(DT_CNT_AREAS_WALK_CUT);
		got = *sum;
	}
	if (got.nr) {
		__sync_fetch_and_sub(&u->mapped_bytes, got.bytes);
		__sync_fetch_and_add(&u->unmaps, got.nr);
	}
	area_unlock(u);
}

static __always_inline void window_event(__u32 type, const struct dt_call *c,
					 __u32 ioas_id, __u64 uptr, __u32 total)
{
	struct dt_event *e = event_new(type);

	if (!e)
		return;
	event_from_call(e, c, 0);
	e->ioas_id = ioas_id;
	event_read_ranges(e, uptr, total);
	bpf_ringbuf_submit(e, 0);
}

/* Who unmapped what, when: a later IOMMU fault there is explained by it */
static __always_inline void unmap_event(const struct dt_call *c, __u32 op)
{
	struct dt_event *e = event_new(DT_EV_UNMAP);

	if (!e)
		return;
	event_from_call(e, c, 0);
	if (dt_op_unmap_all(op, c->flags, c->iova, c->length)) {
		e->iova = 0;
		e->length = ~0ULL;
	}
	bpf_ringbuf_submit(e, 0);
}

static __always_inline void allowed_set(const struct dt_call *c,
				       struct dt_ioas_key *k)
{
	__u64 sz = ranges_bytes(c->num_ranges, sizeof(((struct dt_allowed *)0)->r));
	__u32 zero = 0;
	struct dt_allowed *a;

	if (!c->num_ranges) {
		bpf_map_delete_elem(&allowed, k);
		return;
	}
	a = bpf_map_lookup_elem(&allowed_scratch, &zero);
	if (!a || !sz || sz > sizeof(a->r))
		return;
	if (bpf_probe_read_user(a->r, sz, (void *)c->ranges)) {
		count(DT_CNT_READ_FAIL);
		return;
	}
	a->nr = sz / sizeof(struct dt_range);
	if (bpf_map_update_elem(&allowed, k, a, BPF_ANY))
		count(DT_CNT_IOAS_FULL);
}

/* A successful call changed the IOAS: follow it */
static __always_inline void windows_update(const struct dt_call *c, __u32 op,
					   const struct dt_out *o)
{
	struct dt_ioas_key k = { .tgid = c->tgid, .ioas_id = c->ioas_id };

	if (dt_op_kind(op) == DT_KIND_MAP) {
		area_add(&k, o->iova, c->length, BPF_ANY);
		return;
	}
	if (dt_op_kind(op) == DT_KIND_UNMAP) {
		if (dt_op_unmap_all(op, c->flags, c->iova, c->length))
			areas_remove(&k, true, 0, ~0ULL, 0);
		else if (c->length)
			areas_remove(&k, false, c->iova,
				     c->iova + c->length - 1, o->length);
		if (cfg.unmap_events)
			unmap_event(c, op);
		return;
	}
	switch (op) {
	case DT_OP_IOAS_ALLOC:
		k.ioas_id = o->ioas_id;
		usage_get(&k);
		window_event(DT_EV_IOAS_ALLOC, c, o->ioas_id, 0, 0);
		break;
	case DT_OP_DESTROY:
		if (!bpf_map_lookup_elem(&usage, &k))
			break;	/* not an IOAS we know */
		areas_remove(&k, true, 0, ~0ULL, 0);
		bpf_map_delete_elem(&usage, &k);
		bpf_map_delete_elem(&allowed, &k);
		window_event(DT_EV_IOAS_DESTROY, c, c->ioas_id, 0, 0);
		break;
	case DT_OP_ALLOW_IOVAS:
		allowed_set(c, &k);
		window_event(DT_EV_ALLOWED_SET, c, c->ioas_id, c->ranges,
			     c->num_ranges);
		break;
	case DT_OP_IOVA_RANGES:
		window_event(DT_EV_IOVA_RANGES, c, c->ioas_id, c->ranges,
			     o->num_ranges);
		break;
	}
}

#endif /* DMATRACE_WINDOWS_BPF_H */
