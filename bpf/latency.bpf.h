/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Latency concern: one log2 histogram per (op, errno, size class, IOAS,
 * tgid) in a per-CPU hash. No ring buffer, no atomics: the hot path is a
 * lookup and a few adds.
 */
#ifndef DMATRACE_LATENCY_BPF_H
#define DMATRACE_LATENCY_BPF_H

#include "dmatrace.bpf.h"

static const struct dt_hist zero_hist;

static __always_inline __u32 log2_u64(__u64 v)
{
	__u32 r = 0;

	if (v >> 32) { v >>= 32; r += 32; }
	if (v >> 16) { v >>= 16; r += 16; }
	if (v >> 8) { v >>= 8; r += 8; }
	if (v >> 4) { v >>= 4; r += 4; }
	if (v >> 2) { v >>= 2; r += 2; }
	if (v >> 1) r += 1;
	return r;
}

/* The process of a new histogram key, by name (once per key, not per op) */
static __always_inline void proc_note(__u32 tgid)
{
	struct dt_proc p;

	if (bpf_map_lookup_elem(&procs, &tgid))
		return;
	bpf_get_current_comm(p.comm, sizeof(p.comm));
	bpf_map_update_elem(&procs, &tgid, &p, BPF_NOEXIST);
}

/* One sample into the histogram of key in map (hists, pin_hists) */
static __always_inline void hist_add(void *map, struct dt_lat_key *key,
				     __u64 delta, __u64 bytes)
{
	struct dt_hist *h;
	__u32 slot;

	h = bpf_map_lookup_elem(map, key);
	if (!h) {
		proc_note(key->tgid);
		bpf_map_update_elem(map, key, &zero_hist, BPF_NOEXIST);
		h = bpf_map_lookup_elem(map, key);
		if (!h)
			return;
	}
	slot = log2_u64(delta);
	if (slot >= DT_HIST_SLOTS)
		slot = DT_HIST_SLOTS - 1;
	h->slots[slot]++;
	if (!h->count || delta < h->min_ns)
		h->min_ns = delta;
	if (delta > h->max_ns)
		h->max_ns = delta;
	h->count++;
	h->sum_ns += delta;
	h->bytes += bytes;
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

	hist_add(&hists, &key, delta, bytes);
}

#endif /* DMATRACE_LATENCY_BPF_H */
