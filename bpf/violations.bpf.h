/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Violations concern: every failed op goes to user space as DT_EV_OP_FAILED
 * with what it asked for; the loader classifies it (docs/ground-truth.md).
 * Failures are rare, so the ring buffer is fine here.
 */
#ifndef DMATRACE_VIOLATIONS_BPF_H
#define DMATRACE_VIOLATIONS_BPF_H

#include "dmatrace.bpf.h"

static __always_inline bool call_fixed_iova(const struct dt_call *c)
{
	switch (c->op) {
	case DT_OP_MAP:
	case DT_OP_COPY:
		return c->flags & U_IOAS_MAP_FIXED_IOVA;
	case DT_OP_IOAS_ALLOC:
	case DT_OP_DESTROY:
	case DT_OP_IOVA_RANGES:
	case DT_OP_ALLOW_IOVAS:
		return false;
	default:
		return true;
	}
}

static __always_inline void violation_failed(const struct dt_call *c, int ret)
{
	struct dt_event *e = event_new(DT_EV_OP_FAILED);

	if (!e)
		return;
	event_from_call(e, c, ret);
	/* An auto-IOVA map has no IOVA of its own */
	if (!call_fixed_iova(c))
		e->iova = 0;
	bpf_ringbuf_submit(e, 0);
}

/* Is [iova, last] covered by the allowed ranges of the IOAS? */
static __always_inline bool allowed_covers(const struct dt_allowed *a,
					   __u64 iova, __u64 last)
{
	__u64 cur = iova;
	__u32 i, j, nr = a->nr;

	if (nr > DT_MAX_RANGES)
		nr = DT_MAX_RANGES;
	/* Walk adjacent ranges: each step moves cur past one range */
	for (i = 0; i < DT_MAX_RANGES; i++) {
		bool found = false;

		for (j = 0; j < DT_MAX_RANGES && j < nr; j++) {
			if (a->r[j].start <= cur && cur <= a->r[j].last) {
				if (a->r[j].last >= last)
					return true;
				cur = a->r[j].last + 1;
				found = true;
				break;
			}
		}
		if (!found)
			return false;
	}
	return false;
}

/* A FIXED map accepted outside the IOAS's allowed ranges */
static __always_inline void violation_check_allowed(const struct dt_call *c,
						    const struct dt_out *o)
{
	struct dt_allowed *a;
	struct dt_event *e;

	if (c->op != DT_OP_MAP && c->op != DT_OP_COPY)
		return;
	if (!c->length || !(c->flags & U_IOAS_MAP_FIXED_IOVA))
		return;
	a = bpf_map_lookup_elem(&allowed, &c->ioas_id);
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
