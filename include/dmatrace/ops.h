/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Operation and violation vocabulary shared by the BPF programs, the
 * dmatrace loader and dmaload's ground truth. Plain C, no libc: the BPF
 * side includes it after vmlinux.h.
 *
 * The names (dt_op_name(), dt_violation_name()) are the JSON keys of the
 * ground truth documented in docs/ground-truth.md; both tools use them.
 */
#ifndef DMATRACE_OPS_H
#define DMATRACE_OPS_H

enum dt_op {
	DT_OP_IOAS_ALLOC,	/* IOMMU_IOAS_ALLOC */
	DT_OP_DESTROY,		/* IOMMU_DESTROY */
	DT_OP_MAP,		/* IOMMU_IOAS_MAP */
	DT_OP_UNMAP,		/* IOMMU_IOAS_UNMAP (incl. unmap-all) */
	DT_OP_COPY,		/* IOMMU_IOAS_COPY */
	DT_OP_IOVA_RANGES,	/* IOMMU_IOAS_IOVA_RANGES */
	DT_OP_ALLOW_IOVAS,	/* IOMMU_IOAS_ALLOW_IOVAS */
	DT_OP_TYPE1_MAP,	/* VFIO_IOMMU_MAP_DMA (iommufd compat or type1) */
	DT_OP_TYPE1_UNMAP,	/* VFIO_IOMMU_UNMAP_DMA */
	DT_OP_WINDOW_REQUEST,	/* seed extension: "need at least N bytes" */
	DT_OP_MAX,
};

/* Why an operation is a range violation (one op may yield one kind) */
enum dt_violation {
	DT_VIOL_OUTSIDE_ALLOWED,	/* FIXED map accepted outside allowed ranges */
	DT_VIOL_RESERVED,		/* rejected: hits a reserved range (-EINVAL) */
	DT_VIOL_OVERLAP,		/* rejected: overlaps an area (-EEXIST) */
	DT_VIOL_EXHAUSTED,		/* rejected: no room (-ENOSPC) */
	DT_VIOL_MISALIGNED,		/* rejected: alignment/length (-EINVAL) */
	DT_VIOL_WRAP,			/* rejected: iova + length wraps (-EOVERFLOW) */
	DT_VIOL_UNMAP_MISS,		/* unmap hit no area / split one (-ENOENT) */
	DT_VIOL_TYPE1_OUTSIDE,		/* type1 map outside the IOVA list (-EINVAL) */
	DT_VIOL_BAD_FLAGS,		/* unknown flags or reserved fields set */
	DT_VIOL_MAX,
};

static inline const char *dt_op_name(unsigned int op)
{
	static const char *const names[DT_OP_MAX] = {
		[DT_OP_IOAS_ALLOC] = "ioas_alloc",
		[DT_OP_DESTROY] = "destroy",
		[DT_OP_MAP] = "map",
		[DT_OP_UNMAP] = "unmap",
		[DT_OP_COPY] = "copy",
		[DT_OP_IOVA_RANGES] = "iova_ranges",
		[DT_OP_ALLOW_IOVAS] = "allow_iovas",
		[DT_OP_TYPE1_MAP] = "type1_map",
		[DT_OP_TYPE1_UNMAP] = "type1_unmap",
		[DT_OP_WINDOW_REQUEST] = "window_request",
	};
	return op < DT_OP_MAX ? names[op] : "unknown";
}

static inline const char *dt_violation_name(unsigned int kind)
{
	static const char *const names[DT_VIOL_MAX] = {
		[DT_VIOL_OUTSIDE_ALLOWED] = "outside_allowed",
		[DT_VIOL_RESERVED] = "reserved",
		[DT_VIOL_OVERLAP] = "overlap",
		[DT_VIOL_EXHAUSTED] = "exhausted",
		[DT_VIOL_MISALIGNED] = "misaligned",
		[DT_VIOL_WRAP] = "wrap",
		[DT_VIOL_UNMAP_MISS] = "unmap_miss",
		[DT_VIOL_TYPE1_OUTSIDE] = "type1_outside",
		[DT_VIOL_BAD_FLAGS] = "bad_flags",
	};
	return kind < DT_VIOL_MAX ? names[kind] : "unknown";
}

#endif /* DMATRACE_OPS_H */
