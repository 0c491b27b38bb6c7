/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Latency concern: one log2 histogram per (op, errno, size class, IOAS,
 * tgid) in a hash shared by all CPUs (a per-CPU hash holds every key once
 * per possible CPU: 3.7 MB per CPU, 914 MiB at 256): the hot path is a
 * lookup, four atomic adds and a compare-and-swap for min and max when
 * they move.
 */
#ifndef DMATRACE_LATENCY_BPF_H
#define DMATRACE_LATENCY_BPF_H

#include <asm-generic/errno-base.h>
#include "dmatrace.bpf.h"

static const struct dt_hist zero_hist;

/*
 * floor(log2(v)), 0 for 0, without a branch: each step's bit b is
 * (x + 2^w - 1) >> w for x = v >> w < 2^w, 1 when x != 0. Six ifs would
 * give the verifier 2^6 paths per call, and the key's size class and the
 * slot are two calls: 4096 paths through everything after them.
 */
static __always_inline __u64 log2_u64(__u64 v)
{
	__u64 r, b;

	b = ((v >> 32) + 0xffffffffULL) >> 32 << 5;
	v >>= b;
	r = b;
	b = ((v >> 16) + 0xffff) >> 16 << 4;
	v >>= b;
	r |= b;
	b = ((v >> 8) + 0xff) >> 8 << 3;
	v >>= b;
	r |= b;
	b = ((v >> 4) + 0xf) >> 4 << 2;
	v >>= b;
	r |= b;
	b = ((v >> 2) + 0x3) >> 2 << 1;
	v >>= b;
	r |= b;
	return (r | (v >> 1)) & 63;	/* the verifier cannot bound it */
}

#define HIST_CAS_TRIES	8	/* other CPUs moving the same min or max */

/*
 * *p = max ? max(*p, v) : min(*p, v), a min of 0 meaning none yet; lost
 * to contention (HIST_CAS_TRIES other CPUs moving it first): counted
 */
static __always_inline void hist_bound(__u64 *p, __u64 v, bool max)
{
	__u64 old = *p, seen;
	int i;

	for (i = 0; i < HIST_CAS_TRIES; i++) {
		if (max ? old >= v : old && old <= v)
			return;
		seen = __sync_val_compare_and_swap(p, old, v);
		if (seen == old)
			return;
		old = seen;
	}
	count(DT_CNT_CAS_LOST);
}

/* The process of a new histogram key, by name (once per key, not per op) */
static __always_inline void proc_note(__u32 tgid)
{
	struct dt_proc p;

	if (bpf_map_lookup_elem(&procs, &tgid))
		return;
	bpf_get_current_comm(p.comm, sizeof(p.comm));
	if (bpf_map_update_elem(&procs, &tgid, &p, BPF_NOEXIST) &&
	    !bpf_map_lookup_elem(&procs, &tgid))
		count(DT_CNT_PROCS_FULL);
}

/*
 * One sample into h: a global function, verified once for every call
 * site (the adds and the min/max swaps are the same at each)
 */
__noinline int dt_hist_sample(struct dt_hist *h, __u64 delta, __u64 bytes)
{
	__u64 slot;

	if (!h)
		return 0;
	slot = log2_u64(delta);
	if (slot >= DT_HIST_SLOTS)
		slot = DT_HIST_SLOTS - 1;
	__sync_fetch_and_add(&h->slots[slot], 1);
	__sync_fetch_and_add(&h->count, 1);
	__sync_fetch_and_add(&h->sum_ns, delta);
	if (bytes)
		__sync_fetch_and_add(&h->bytes, bytes);
	hist_bound(&h->min_ns, delta, false);
	hist_bound(&h->max_ns, delta, true);
	return 0;
}

/*
 * One sample into the histogram of key in map (hists, pin_hists); a
 * sample that finds no room for its key is counted in full (DT_CNT_*_FULL)
 */
static __always_inline void hist_add(void *map, struct dt_lat_key *key,
				     __u64 delta, __u64 bytes,
				     enum dt_counter full)
{
	struct dt_hist *h;

	h = bpf_map_lookup_elem(map, key);
	if (!h) {
		proc_note(key->tgid);
		bpf_map_update_elem(map, key, &zero_hist, BPF_NOEXIST);
		h = bpf_map_lookup_elem(map, key);
		if (!h) {
			count(full);
			return;
		}
	}
	dt_hist_sample(h, delta, bytes);
}

/* The histogram key of a call that returned ret */
static __always_inline struct dt_lat_key lat_key(const struct dt_call *c,
						 int ret)
{
	struct dt_lat_key key = {
		.op = c->op,
		.err = ret < 0 ? -ret : 0,
		.size_log2 = c->length ? log2_u64(c->length) : 0,
		.ioas_id = c->ioas_id,
		.tgid = c->tgid,
	};

	return key;
}

static __always_inline void latency_record(const struct dt_call *c, int ret,
					   __u64 delta, __u64 bytes)
{
	struct dt_lat_key key = lat_key(c, ret);

	hist_add(&hists, &key, delta, bytes, DT_CNT_HIST_FULL);
}

#endif /* DMATRACE_LATENCY_BPF_H */
