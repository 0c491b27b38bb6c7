/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Violations concern: every failed op goes to user space as DT_EV_OP_FAILED
 * with what it asked for; the loader classifies it (docs/ground-truth.md).
 * Failures are rare, so the ring buffer is fine here.
 */
#ifndef DMATRACE_VIOLATIONS_BPF_H
#define DMATRACE_VIOLATIONS_BPF_H

#include "dmatrace.bpf.h"

static __always_inline void violation_failed(const struct dt_call *c, __u32 op,
					     int ret)
{
	struct dt_event *e = event_new(DT_EV_OP_FAILED);

	if (!e)
		return;
	event_from_call(e, c, ret);
	/* An auto-IOVA map has no IOVA of its own */
	if (!dt_op_iova_fixed(op, c->flags))
		e->iova = 0;
	bpf_ringbuf_submit(e, 0);
}

struct cover {
	const struct dt_allowed *a;
	__u64 cur;		/* first IOVA not yet known to be allowed */
	__u64 last;
	int covered;		/* 1 yes, -1 no, 0 not known yet */
};

/* One step: find the allowed range holding cur, move cur past it */
static long cover_step(__u32 i, struct cover *x)
{
	const struct dt_allowed *a = x->a;
	__u32 j;

	for (j = 0; j < DT_MAX_RANGES && j < a->nr; j++) {
		if (a->r[j].start > x->cur || x->cur > a->r[j].last)
			continue;
		if (a->r[j].last >= x->last) {
			x->covered = 1;
			return 1;
		}
		x->cur = a->r[j].last + 1;
		return 0;
	}
	x->covered = -1;
	return 1;
}

/*
 * Is [iova, last] covered by the union of the allowed ranges? A bpf_loop,
 * so that the verifier checks one step, not every path through 16 x 16.
 */
static __always_inline bool allowed_covers(const struct dt_allowed *a,
					   __u64 iova, __u64 last)
{
	struct cover x = { .a = a, .cur = iova, .last = last };

	bpf_loop(DT_MAX_RANGES, cover_step, &x, 0);
	return x.covered == 1;
}

/* A fixed-IOVA map (FIXED_IOVA, or type1) accepted outside the allowed ranges */
static __always_inline void violation_check_allowed(const struct dt_call *c,
						    __u32 op,
						    const struct dt_out *o)
{
	struct dt_ioas_key k = { .tgid = c->tgid, .ioas_id = c->ioas_id };
	struct dt_allowed *a;
	struct dt_event *e;

	if (dt_op_kind(op) != DT_KIND_MAP)
		return;
	if (!c->length || !dt_op_iova_fixed(op, c->flags))
		return;
	a = bpf_map_lookup_elem(&allowed, &k);
	if (!a || !a->nr)
		return;
	if (allowed_covers(a, o->iova, o->iova + c->length - 1))
		return;
	e = event_new(DT_EV_OUTSIDE_ALLOWED);
	if (!e)
		return;
	event_from_call(e, c, 0);
	e->iova = o->iova;
	bpf_ringbuf_submit(e, 0);
}

#endif /* DMATRACE_VIOLATIONS_BPF_H */
