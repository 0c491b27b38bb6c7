/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Windows concern: the areas mapped in each IOAS (hash of (ioas, iova) ->
 * length), per-IOAS usage, the allowed ranges (kept for the outside-allowed
 * check) and window changes sent as ring buffer events.
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
 * A mapped area and its usage. how: BPF_ANY (a traced map), or
 * BPF_NOEXIST (the snapshot: an area the probes already saw stays as is)
 */
static __always_inline void area_add(struct dt_ioas_key *k, __u64 iova,
				     __u64 length, __u64 how)
{
	struct dt_area_key key = { .ioas = *k, .iova = iova };
	struct dt_ioas_usage *u;
	int e;

	e = bpf_map_update_elem(&areas, &key, &length, how);
	if (e == -EEXIST)
		return;
	if (e) {
		count(DT_CNT_AREAS_FULL);
		return;
	}
	u = usage_get(k);
	if (!u)
		return;
	__sync_fetch_and_add(&u->mapped_bytes, length);
	__sync_fetch_and_add(&u->maps, 1);
}

/* What an unmap removes: the bounds on the stack, the sums in a map */
struct area_cut {
	struct dt_ioas_key ioas;
	__u64 start;
	__u64 last;
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

static long area_cut_cb(struct bpf_map *map, struct dt_area_key *key,
			__u64 *length, struct area_cut *cut)
{
	__u64 len = *length;
	struct area_cut_sum *sum;
	__u32 zero = 0;

	if (key->ioas.ioas_id != cut->ioas.ioas_id ||
	    key->ioas.tgid != cut->ioas.tgid || key->iova < cut->start ||
	    key->iova + len - 1 > cut->last)
		return 0;
	if (bpf_map_delete_elem(map, key))
		return 0;
	sum = bpf_map_lookup_elem(&cut_sum, &zero);
	if (sum) {
		sum->bytes += len;
		sum->nr++;
	}
	return 0;
}

/* Forget the areas of an IOAS inside [start, last] (unmap, destroy) */
static __always_inline void areas_remove(struct dt_ioas_key *k, __u64 start,
					 __u64 last, __u64 unmapped)
{
	struct dt_area_key key = { .ioas = *k, .iova = start };
	struct area_cut cut = { .ioas = *k, .start = start, .last = last };
	struct area_cut_sum *sum, one = {};
	struct dt_ioas_usage *u;
	__u32 zero = 0;
	__u64 *length;

	sum = bpf_map_lookup_elem(&cut_sum, &zero);
	if (!sum)
		return;
	/* Common case: the unmap took exactly the area starting at start */
	length = bpf_map_lookup_elem(&areas, &key);
	if (length && *length == unmapped) {
		if (!bpf_map_delete_elem(&areas, &key)) {
			one.bytes = unmapped;
			one.nr = 1;
		}
	} else {
		sum->bytes = sum->nr = 0;
		bpf_for_each_map_elem(&areas, area_cut_cb, &cut, 0);
		one = *sum;
	}
	if (!one.nr)
		return;
	u = bpf_map_lookup_elem(&usage, k);
	if (!u)
		return;
	__sync_fetch_and_sub(&u->mapped_bytes, one.bytes);
	__sync_fetch_and_add(&u->unmaps, one.nr);
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
			areas_remove(&k, 0, ~0ULL, 0);
		else if (c->length)
			areas_remove(&k, c->iova, c->iova + c->length - 1,
				     o->length);
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
		areas_remove(&k, 0, ~0ULL, 0);
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
