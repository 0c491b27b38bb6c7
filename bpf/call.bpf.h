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

/*
 * A uAPI struct is read in one go (one probe read costs ~70 ns; fields one
 * by one cost five of them on a map), then picked apart at its offsets.
 */
struct dt_cmd_buf {
	__u64 w[(U_SIZE_MAX + 7) / 8];	/* the largest uAPI struct of the op table */
};

#define CMD_U32(b, off)	(*(const __u32 *)((const __u8 *)(b)->w + (off)))
#define CMD_U64(b, off)	(*(const __u64 *)((const __u8 *)(b)->w + (off)))

static __always_inline void cmd_read(struct dt_cmd_buf *b, __u64 p,
				     __u32 size, bool user)
{
	if (user ? bpf_probe_read_user(b, size, (void *)p) :
		   bpf_probe_read_kernel(b, size, (void *)p))
		count(DT_CNT_READ_FAIL);
}

/* The size of op's uAPI struct (its row of the op table) */
#define OP_SIZE_CASE(id, ...)	case DT_OP_##id: return U_SIZE_##id;
static __always_inline __u32 op_uapi_size(__u32 op)
{
	switch (op) {
	DT_OP_TABLE(OP_SIZE_CASE)
	}
	return 0;
}
#undef OP_SIZE_CASE

/*
 * Fill c from op's uAPI struct at c->cmd, read in one go: the fields each
 * op's struct has (this is the op's BPF handler; a new op with new fields
 * adds its case)
 */
static __always_inline void call_read_cmd(struct dt_call *c, __u32 op,
					  bool user)
{
	struct dt_cmd_buf b = {};

	cmd_read(&b, c->cmd, op_uapi_size(op), user);
	switch (op) {
	case DT_OP_IOAS_ALLOC:
		c->flags = CMD_U32(&b, U_ALLOC_FLAGS);
		break;
	case DT_OP_DESTROY:
		c->ioas_id = CMD_U32(&b, U_DESTROY_ID);
		break;
	case DT_OP_MAP:
		c->flags = CMD_U32(&b, U_MAP_FLAGS);
		c->ioas_id = CMD_U32(&b, U_MAP_IOAS);
		c->reserved_nz = CMD_U32(&b, U_MAP_RESERVED) != 0;
		c->iova = CMD_U64(&b, U_MAP_IOVA);
		c->length = CMD_U64(&b, U_MAP_LENGTH);
		break;
	case DT_OP_UNMAP:
		c->ioas_id = CMD_U32(&b, U_UNMAP_IOAS);
		c->iova = CMD_U64(&b, U_UNMAP_IOVA);
		c->length = CMD_U64(&b, U_UNMAP_LENGTH);
		break;
	case DT_OP_COPY:
		c->flags = CMD_U32(&b, U_COPY_FLAGS);
		c->ioas_id = CMD_U32(&b, U_COPY_DST_IOAS);
		c->iova = CMD_U64(&b, U_COPY_DST_IOVA);
		c->length = CMD_U64(&b, U_COPY_LENGTH);
		break;
	case DT_OP_IOVA_RANGES:
		c->ioas_id = CMD_U32(&b, U_RANGES_IOAS);
		c->num_ranges = CMD_U32(&b, U_RANGES_NUM);
		c->reserved_nz = CMD_U32(&b, U_RANGES_RESERVED) != 0;
		c->ranges = CMD_U64(&b, U_RANGES_PTR);
		break;
	case DT_OP_ALLOW_IOVAS:
		c->ioas_id = CMD_U32(&b, U_ALLOW_IOAS);
		c->num_ranges = CMD_U32(&b, U_ALLOW_NUM);
		c->reserved_nz = CMD_U32(&b, U_ALLOW_RESERVED) != 0;
		c->ranges = CMD_U64(&b, U_ALLOW_PTR);
		break;
	case DT_OP_TYPE1_MAP:
		c->flags = CMD_U32(&b, U_T1MAP_FLAGS);
		c->iova = CMD_U64(&b, U_T1MAP_IOVA);
		c->length = CMD_U64(&b, U_T1MAP_SIZE);
		break;
	case DT_OP_TYPE1_UNMAP:
	case DT_OP_VFIO_UNMAP_DMA:
		c->flags = CMD_U32(&b, U_T1UNMAP_FLAGS);
		c->iova = CMD_U64(&b, U_T1UNMAP_IOVA);
		c->length = CMD_U64(&b, U_T1UNMAP_SIZE);
		break;
	case DT_OP_VFIO_MAP_DMA:
		c->flags = CMD_U32(&b, U_T1MAP_FLAGS);
		c->vaddr = CMD_U64(&b, U_T1MAP_VADDR);
		c->iova = CMD_U64(&b, U_T1MAP_IOVA);
		c->length = CMD_U64(&b, U_T1MAP_SIZE);
		break;
	case DT_OP_WINDOW_REQUEST:
		c->ioas_id = CMD_U32(&b, U_WREQ_IOAS);
		c->flags = CMD_U32(&b, U_WREQ_FLAGS);
		c->length = CMD_U64(&b, U_WREQ_MIN_LENGTH);
		break;
	}
}

/*
 * The ops of a DT_DISPATCH_IOCTL backend, by ioctl number (the table's).
 * Backends share numbers (iommufd's compat and native type1 both take
 * VFIO_IOMMU_MAP_DMA), so each gets a function of its own: IOCTL_CASE_<BE>
 * expands to the cases of the backend being defined, to nothing for others.
 */
#define IOCTL_CASE_OF(id)						\
	case U_IOCTL_##id:						\
		c->op = DT_OP_##id;					\
		call_read_cmd(c, DT_OP_##id, true);			\
		return true;
#define IOCTL_CASE_IOMMUFD(id)
#define IOCTL_CASE_SEED(id)
#define IOCTL_CASE(id, name, be, ...)	IOCTL_CASE_##be(id)

/*
 * Fill c from an ioctl of iommufd's VFIO compat or of a native type1
 * container (arg is always user memory). Returns false for the commands
 * that are not traced (c->op = DT_OP_MAX).
 */
#define IOCTL_CASE_COMPAT(id)	IOCTL_CASE_OF(id)
#define IOCTL_CASE_TYPE1(id)
static __always_inline bool call_read_compat(struct dt_call *c,
					     unsigned int cmd, __u64 arg)
{
	c->op = DT_OP_MAX;
	c->cmd = arg;
	switch (cmd) {
	DT_OP_TABLE(IOCTL_CASE)
	}
	return false;
}
#undef IOCTL_CASE_COMPAT
#undef IOCTL_CASE_TYPE1

#define IOCTL_CASE_COMPAT(id)
#define IOCTL_CASE_TYPE1(id)	IOCTL_CASE_OF(id)
static __always_inline bool call_read_vfio(struct dt_call *c,
					   unsigned int cmd, __u64 arg)
{
	c->op = DT_OP_MAX;
	c->cmd = arg;
	switch (cmd) {
	DT_OP_TABLE(IOCTL_CASE)
	}
	return false;
}
#undef IOCTL_CASE_COMPAT
#undef IOCTL_CASE_TYPE1

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
	case DT_OP_VFIO_MAP_DMA:
		o->iova = c->iova;
		break;
	case DT_OP_TYPE1_UNMAP:
	case DT_OP_VFIO_UNMAP_DMA:
		o->length = rd64(p, U_T1UNMAP_SIZE, true);
		break;
	}
}

#endif /* DMATRACE_CALL_BPF_H */
