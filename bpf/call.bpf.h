/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading a call's uAPI struct into a struct dt_call (at entry) and a
 * struct dt_out (at exit). The uAPI layout is ABI: the kernel's copy behind
 * ucmd->cmd and the reference implementation's user memory have the same
 * offsets (build/uapi_offsets.h, generated from include/uapi/iommufd.h and
 * <linux/vfio.h>). `user` says which memory it is; it is a constant in each
 * wrapper, so only one of the two read helpers is emitted.
 */
#ifndef DMATRACE_CALL_BPF_H
#define DMATRACE_CALL_BPF_H

#include "dmatrace.bpf.h"

static __always_inline __u64 rd64(__u64 base, __u32 off, bool user)
{
	__u64 v = 0;
	void *p = (void *)(base + off);

	if (user ? bpf_probe_read_user(&v, sizeof(v), p) :
		   bpf_probe_read_kernel(&v, sizeof(v), p))
		count(DT_CNT_READ_FAIL);
	return v;
}

static __always_inline __u32 rd32(__u64 base, __u32 off, bool user)
{
	__u32 v = 0;
	void *p = (void *)(base + off);

	if (user ? bpf_probe_read_user(&v, sizeof(v), p) :
		   bpf_probe_read_kernel(&v, sizeof(v), p))
		count(DT_CNT_READ_FAIL);
	return v;
}

/* Fill c from the iommufd uAPI struct at c->cmd */
static __always_inline void call_read_cmd(struct dt_call *c, __u32 op,
					  bool user)
{
	__u64 p = c->cmd;

	switch (op) {
	case DT_OP_IOAS_ALLOC:
		c->flags = rd32(p, U_ALLOC_FLAGS, user);
		break;
	case DT_OP_DESTROY:
		c->ioas_id = rd32(p, U_DESTROY_ID, user);
		break;
	case DT_OP_MAP:
		c->flags = rd32(p, U_MAP_FLAGS, user);
		c->ioas_id = rd32(p, U_MAP_IOAS, user);
		c->reserved_nz = rd32(p, U_MAP_RESERVED, user) != 0;
		c->iova = rd64(p, U_MAP_IOVA, user);
		c->length = rd64(p, U_MAP_LENGTH, user);
		break;
	case DT_OP_UNMAP:
		c->ioas_id = rd32(p, U_UNMAP_IOAS, user);
		c->iova = rd64(p, U_UNMAP_IOVA, user);
		c->length = rd64(p, U_UNMAP_LENGTH, user);
		break;
	case DT_OP_COPY:
		c->flags = rd32(p, U_COPY_FLAGS, user);
		c->ioas_id = rd32(p, U_COPY_DST_IOAS, user);
		c->iova = rd64(p, U_COPY_DST_IOVA, user);
		c->length = rd64(p, U_COPY_LENGTH, user);
		break;
	case DT_OP_IOVA_RANGES:
		c->ioas_id = rd32(p, U_RANGES_IOAS, user);
		c->num_ranges = rd32(p, U_RANGES_NUM, user);
		c->reserved_nz = rd32(p, U_RANGES_RESERVED, user) != 0;
		c->ranges = rd64(p, U_RANGES_PTR, user);
		break;
	case DT_OP_ALLOW_IOVAS:
		c->ioas_id = rd32(p, U_ALLOW_IOAS, user);
		c->num_ranges = rd32(p, U_ALLOW_NUM, user);
		c->reserved_nz = rd32(p, U_ALLOW_RESERVED, user) != 0;
		c->ranges = rd64(p, U_ALLOW_PTR, user);
		break;
	case DT_OP_WINDOW_REQUEST:
		c->ioas_id = rd32(p, U_WREQ_IOAS, user);
		c->flags = rd32(p, U_WREQ_FLAGS, user);
		c->length = rd64(p, U_WREQ_MIN_LENGTH, user);
		break;
	}
}

/*
 * Fill c from a VFIO type1 ioctl (arg is always user memory). Returns
 * false for the type1 commands that are not traced (c->op = DT_OP_MAX).
 */
static __always_inline bool call_read_type1(struct dt_call *c,
					    unsigned int cmd, __u64 arg)
{
	c->op = DT_OP_MAX;
	c->cmd = arg;
	if (cmd == U_VFIO_MAP_DMA) {
		c->op = DT_OP_TYPE1_MAP;
		c->flags = rd32(arg, U_T1MAP_FLAGS, true);
		c->iova = rd64(arg, U_T1MAP_IOVA, true);
		c->length = rd64(arg, U_T1MAP_SIZE, true);
		return true;
	}
	if (cmd == U_VFIO_UNMAP_DMA) {
		c->op = DT_OP_TYPE1_UNMAP;
		c->flags = rd32(arg, U_T1UNMAP_FLAGS, true);
		c->iova = rd64(arg, U_T1UNMAP_IOVA, true);
		c->length = rd64(arg, U_T1UNMAP_SIZE, true);
		return true;
	}
	return false;
}

/* What a successful handler wrote back (o is zeroed by the caller) */
static __always_inline void call_read_out(const struct dt_call *c, __u32 op,
					  struct dt_out *o, bool user)
{
	__u64 p = c->cmd;

	switch (op) {
	case DT_OP_IOAS_ALLOC:
		o->ioas_id = rd32(p, U_ALLOC_OUT_ID, user);
		break;
	case DT_OP_MAP:
		o->iova = rd64(p, U_MAP_IOVA, user);
		break;
	case DT_OP_COPY:
		o->iova = rd64(p, U_COPY_DST_IOVA, user);
		break;
	case DT_OP_UNMAP:
		o->length = rd64(p, U_UNMAP_LENGTH, user);
		break;
	case DT_OP_IOVA_RANGES:
		o->num_ranges = rd32(p, U_RANGES_NUM, user);
		break;
	case DT_OP_TYPE1_MAP:
		o->iova = c->iova;
		break;
	case DT_OP_TYPE1_UNMAP:
		o->length = rd64(p, U_T1UNMAP_SIZE, true);
		break;
	}
}

#endif /* DMATRACE_CALL_BPF_H */
