// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "view_scenario.h"

struct dt_event scn_event(enum dt_event_type type, enum dt_op op, int ret,
			  __u32 ioas, __u64 iova, __u64 length, __u32 flags)
{
	struct dt_event e;

	memset(&e, 0, sizeof(e));
	e.type = type;
	e.op = op;
	e.ret = ret;
	e.ioas_id = ioas;
	e.iova = iova;
	e.length = length;
	e.flags = flags;
	e.tgid = 42;
	e.tid = 42;
	strcpy(e.comm, "qemu");
	return e;
}

int scn_add(struct dt_view *v, const struct dt_event *e, char *line)
{
	return view_add_event(v, e, sizeof(*e), line, VIEW_LINE_MAX);
}

static void scn_range(struct dt_event *e, unsigned int i, __u64 start,
		      __u64 last)
{
	e->ranges[i].start = start;
	e->ranges[i].last = last;
	e->nr_ranges = e->total_ranges = i + 1;
}

static void scn_hist(struct dt_view *v, enum dt_op op, __u32 err,
		     __u32 size_log2, __u32 tgid, __u64 ns, __u64 n, __u64 bytes)
{
	struct dt_lat_key k = { .op = op, .err = err, .size_log2 = size_log2,
				.ioas_id = 1, .tgid = tgid };
	struct dt_hist h;
	int slot = 0;

	memset(&h, 0, sizeof(h));
	while (slot + 1 < DT_HIST_SLOTS && ns >> (slot + 1))
		slot++;
	h.slots[slot] = n;
	h.count = n;
	h.sum_ns = ns * n;
	h.min_ns = h.max_ns = ns;
	h.bytes = bytes;
	view_add_hist(v, &k, &h);
}

#define FIXED_RW	7	/* IOMMU_IOAS_MAP_FIXED_IOVA|WRITEABLE|READABLE */

void scn_build(struct dt_view *v)
{
	struct dt_ioas_usage u = { .mapped_bytes = 0x200000, .maps = 3,
				   .unmaps = 1 };
	struct dt_event e;
	char line[VIEW_LINE_MAX];

	e = scn_event(DT_EV_IOAS_ALLOC, DT_OP_IOAS_ALLOC, 0, 1, 0, 0, 0);
	scn_add(v, &e, line);
	e = scn_event(DT_EV_RESERVED_ADD, DT_OP_MAX, 0, 1, 0, 0, 0);
	e.owner = 0x100;
	scn_range(&e, 0, 0xfee00000, 0xfeefffff);
	scn_add(v, &e, line);
	e = scn_event(DT_EV_ALLOWED_SET, DT_OP_ALLOW_IOVAS, 0, 1, 0, 0, 0);
	scn_range(&e, 0, 0x1000000, 0x7fffffff);
	scn_add(v, &e, line);
	view_add_usage(v, 42, 1, &u);
	/* its live areas: one inside the window, one crossing its end */
	view_add_area(v, 42, 1, 0x1000000, 0x1fc000);
	view_add_area(v, 42, 1, 0x7ffff000, 0x4000);

	e = scn_event(DT_EV_OUTSIDE_ALLOWED, DT_OP_MAP, 0, 1, 0x7ffff000,
		      0x4000, FIXED_RW);
	scn_add(v, &e, line);
	e = scn_event(DT_EV_OP_FAILED, DT_OP_MAP, -EINVAL, 1, 0xfedff000,
		      0x2000, FIXED_RW);
	scn_add(v, &e, line);
	e = scn_event(DT_EV_OP_FAILED, DT_OP_MAP, -EINVAL, 1, 0x1000800,
		      0x1000, FIXED_RW);
	scn_add(v, &e, line);
	e = scn_event(DT_EV_OP_FAILED, DT_OP_MAP, -EOPNOTSUPP, 1, 0x1000000,
		      0x1000, FIXED_RW | 0x10);
	scn_add(v, &e, line);
	e = scn_event(DT_EV_OP_FAILED, DT_OP_MAP, -EINVAL, 1, 0x2000000,
		      0x1000, 1);
	scn_add(v, &e, line);
	/* auto IOVA: the event's iova is whatever the user left there */
	e = scn_event(DT_EV_OP_FAILED, DT_OP_MAP, -ENOSPC, 1, 0xdead000,
		      0x100000000ULL, 6);
	scn_add(v, &e, line);
	e = scn_event(DT_EV_OP_FAILED, DT_OP_MAP, -EEXIST, 1, 0x1000000,
		      0x1000, FIXED_RW);
	scn_add(v, &e, line);
	e = scn_event(DT_EV_OP_FAILED, DT_OP_MAP, -EOVERFLOW, 1,
		      0xfffffffffffff000ULL, 0x2000, FIXED_RW);
	scn_add(v, &e, line);

	e = scn_event(DT_EV_UNMAP, DT_OP_UNMAP, 0, 1, 0x3000000, 0x2000, 0);
	e.ts_ns = 1000000000ULL;
	e.tid = 43;		/* a thread of the IOAS's process */
	strcpy(e.comm, "dpdk");
	scn_add(v, &e, line);
	e = scn_event(DT_EV_OP_FAILED, DT_OP_UNMAP, -ENOENT, 1, 0x3000000,
		      0x1000, 0);
	e.ts_ns = 1500000000ULL;
	scn_add(v, &e, line);
	/* no kind: a missing IOAS id, a failed alloc */
	e = scn_event(DT_EV_OP_FAILED, DT_OP_MAP, -ENOENT, 9, 0x1000, 0x1000,
		      FIXED_RW);
	scn_add(v, &e, line);
	e = scn_event(DT_EV_OP_FAILED, DT_OP_IOAS_ALLOC, -ENOMEM, 0, 0, 0, 0);
	scn_add(v, &e, line);

	e = scn_event(DT_EV_FAULT, DT_OP_MAX, 0, 1, 0x3000800, 0, 0);
	e.ts_ns = 2000000000ULL;
	scn_add(v, &e, line);
	e = scn_event(DT_EV_FAULT, DT_OP_MAX, 0, 1, 0x80001000, 0, 0);
	e.ts_ns = 2000000000ULL;
	scn_add(v, &e, line);

	e = scn_event(DT_EV_IOAS_ALLOC, DT_OP_IOAS_ALLOC, 0, 2, 0, 0, 0);
	scn_add(v, &e, line);
	e = scn_event(DT_EV_IOAS_DESTROY, DT_OP_DESTROY, 0, 2, 0, 0, 0);
	scn_add(v, &e, line);

	e = scn_event(DT_EV_IOAS_ALLOC, DT_OP_IOAS_ALLOC, 0, 3, 0, 0, 0);
	scn_add(v, &e, line);
	/* outside the two POWER windows: reserved by the domain's aperture */
	e = scn_event(DT_EV_RESERVED_ADD, DT_OP_MAX, 0, 3, 0, 0, 0);
	e.owner = 0x200;
	scn_range(&e, 0, 0x80000000, SCN_P59 - 1);
	scn_add(v, &e, line);
	scn_range(&e, 0, SCN_P59 + 0x80000000, ~0ULL);
	scn_add(v, &e, line);
	e = scn_event(DT_EV_IOVA_RANGES, DT_OP_IOVA_RANGES, 0, 3, 0, 0, 0);
	scn_range(&e, 0, 0, 0x7fffffff);
	scn_range(&e, 1, SCN_P59, SCN_P59 + 0x7fffffff);
	scn_add(v, &e, line);
	e = scn_event(DT_EV_OP_FAILED, DT_OP_ALLOW_IOVAS, -EADDRINUSE, 3, 0, 0,
		      0);
	scn_range(&e, 0, 0, 0xffffffff);
	scn_add(v, &e, line);
	e = scn_event(DT_EV_OP_FAILED, DT_OP_TYPE1_MAP, -EINVAL, 3, 0x80000000,
		      0x1000, 3);
	scn_add(v, &e, line);

	/* map/0 arrives as two per-CPU values of one key */
	scn_hist(v, DT_OP_MAP, 0, 12, 42, 1500, 3, 0x3000);
	scn_hist(v, DT_OP_MAP, 0, 12, 42, 3000, 1, 0x1000);
	scn_hist(v, DT_OP_MAP, EEXIST, 12, 42, 600, 1, 0);
	scn_hist(v, DT_OP_UNMAP, 0, 13, 43, 5000, 2, 0x4000);
}
