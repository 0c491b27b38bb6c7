/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The executor's shared part: what an op leaves for its JSON line, and the
 * helpers exec.c and exec_type1.c (native VFIO type1) both use.
 */
#ifndef DMALOAD_EXEC_PRIV_H
#define DMALOAD_EXEC_PRIV_H

#include "exec.h"
#include "common/json.h"

#define T1INFO_BUF	4096	/* t1info and vinfo: the GET_INFO buffer */
#define EXEC_MAX_CAPS	8

/* What one op leaves for its JSON line besides line/op/ret */
struct out_extra {
	int has_iova, has_id, has_unmapped;
	__u64 iova, unmapped;
	__u32 id;
	const struct iommu_iova_range *ranges;	/* iova_ranges */
	const void *t1ranges;	/* t1info, vinfo: struct vfio_iova_range[], maybe unaligned */
	__u32 nr_ranges;
	int has_ranges;
	int has_num;		/* ranges: num_iovas, alignment */
	__u32 num_iovas;
	__u64 alignment;
	int has_pgsizes;
	__u64 pgsizes;
	int has_window;		/* window/need: the window's index, base... */
	__u32 index;
	__u64 length;
	int has_caps;		/* vinfo: argsz, caps, dma_avail */
	__u32 argsz;
	__u32 caps[EXEC_MAX_CAPS];
	__u32 nr_caps;
	int has_dma_avail;
	__u32 dma_avail;
};

/* The user address of UADDR, made read-write when the backend pins */
__u64 exec_user_va(struct dl_exec *x, __u64 uaddr, __u64 length);
/* The IOVA_RANGE capability of a GET_INFO answer (T1INFO_BUF bytes) */
void exec_t1info_ranges(const __u8 *buf, struct out_extra *e);

/* exec_type1.c: the native type1 ops (DL_CONTAINER .. DL_LIMIT) */
int exec_vfio(struct dl_exec *x, const struct dl_op *op, struct truth_rec *r,
	      struct out_extra *e, void *buf);
/* vinfo's keys: argsz, caps (ids in chain order), dma_avail */
void exec_print_caps(struct json_writer *w, const struct out_extra *e);

#endif /* DMALOAD_EXEC_PRIV_H */
