/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The op table: every traced operation is one row of DT_OP_TABLE, as every
 * iommufd ioctl is one row of the kernel's iommufd_ioctl_ops[]. The enum,
 * the names (the JSON keys of docs/ground-truth.md), the properties below,
 * the uAPI sizes and ioctl numbers (build/uapi_offsets.h), the BPF entry and
 * exit programs of the per-op handlers and the planner's attach points are
 * all generated from it. Adding an op is a row here plus its handlers (the
 * reference implementation's, and the BPF read of its uAPI struct in
 * bpf/call.bpf.h when it has new fields).
 *
 * Plain C, no libc: the BPF side includes it after vmlinux.h. Properties are
 * numbers in a table without pointers (BPF reads it with a constant op and
 * the compiler folds it); the strings are in a second table, user space only.
 *
 * OP(ID, name, backend, kind, uapi struct tag, ioctl, hook, iova rule,
 *    bytes, fixed_flag, all_flag, flags)
 *   ID		DT_OP_<ID>
 *   backend	DT_BACKEND_<backend>: the kernel path the op goes through
 *   kind	DT_KIND_<kind>
 *   uapi	the uAPI struct the op carries (struct <uapi>)
 *   ioctl	its ioctl number's macro (uapi/iommufd.h, linux/vfio.h,
 *		ref/window.h)
 *   hook	the function whose entry and return are traced: a per-op
 *		handler taking struct iommufd_ucmd *, or the backend's ioctl
 *		dispatcher (DT_DISPATCH_IOCTL backends)
 *   iova	DT_IOVA_<rule>: where its IOVA comes from
 *   bytes	DT_BYTES_<what>: which length it maps or unmaps
 *   fixed_flag	DT_IOVA_FLAG: the uAPI flag that makes the IOVA the caller's
 *   all_flag	the uAPI flag that makes an unmap take everything (0: an
 *		unmap of [0, ~0] does)
 *   flags	DT_OPF_*
 */
#ifndef DMATRACE_OPS_H
#define DMATRACE_OPS_H

/* The uAPI flag values the table names (checked against the uAPI headers
 * in bpf/gen_uapi_offsets.c) */
#define DT_IOMMU_MAP_FIXED_IOVA		(1U << 0)	/* IOMMU_IOAS_MAP_FIXED_IOVA */
#define DT_VFIO_UNMAP_FLAG_ALL		(1U << 1)	/* VFIO_DMA_UNMAP_FLAG_ALL */
#define DT_VFIO_FLAG_VADDR		(1U << 2)	/* VFIO_DMA_{,UN}MAP_FLAG_VADDR */

#define DT_OP_TABLE(OP)								\
	OP(IOAS_ALLOC, "ioas_alloc", IOMMUFD, LIFECYCLE,			\
	   iommu_ioas_alloc, IOMMU_IOAS_ALLOC, iommufd_ioas_alloc_ioctl,	\
	   NONE, NONE, 0, 0, DT_OPF_NEW_ID | DT_OPF_WINDOWS)			\
	OP(DESTROY, "destroy", IOMMUFD, LIFECYCLE,				\
	   iommu_destroy, IOMMU_DESTROY, iommufd_destroy,			\
	   NONE, NONE, 0, 0, DT_OPF_WINDOWS)					\
	OP(MAP, "map", IOMMUFD, MAP,						\
	   iommu_ioas_map, IOMMU_IOAS_MAP, iommufd_ioas_map,			\
	   FLAG, REQUEST, DT_IOMMU_MAP_FIXED_IOVA, 0,				\
	   DT_OPF_LENGTH | DT_OPF_WINDOWS | DT_OPF_VIOLATIONS)			\
	OP(UNMAP, "unmap", IOMMUFD, UNMAP,					\
	   iommu_ioas_unmap, IOMMU_IOAS_UNMAP, iommufd_ioas_unmap,		\
	   GIVEN, RESULT, 0, 0,							\
	   DT_OPF_LENGTH | DT_OPF_WINDOWS | DT_OPF_VIOLATIONS)			\
	OP(COPY, "copy", IOMMUFD, MAP,						\
	   iommu_ioas_copy, IOMMU_IOAS_COPY, iommufd_ioas_copy,			\
	   FLAG, REQUEST, DT_IOMMU_MAP_FIXED_IOVA, 0,				\
	   DT_OPF_LENGTH | DT_OPF_WINDOWS | DT_OPF_VIOLATIONS)			\
	OP(IOVA_RANGES, "iova_ranges", IOMMUFD, QUERY,				\
	   iommu_ioas_iova_ranges, IOMMU_IOAS_IOVA_RANGES,			\
	   iommufd_ioas_iova_ranges, NONE, NONE, 0, 0, DT_OPF_WINDOWS)		\
	OP(ALLOW_IOVAS, "allow_iovas", IOMMUFD, WINDOW,				\
	   iommu_ioas_allow_iovas, IOMMU_IOAS_ALLOW_IOVAS,			\
	   iommufd_ioas_allow_iovas, NONE, NONE, 0, 0,				\
	   DT_OPF_WINDOWS | DT_OPF_VIOLATIONS)					\
	OP(TYPE1_MAP, "type1_map", COMPAT, MAP,					\
	   vfio_iommu_type1_dma_map, VFIO_IOMMU_MAP_DMA, iommufd_vfio_ioctl,	\
	   GIVEN, REQUEST, 0, 0,						\
	   DT_OPF_LENGTH | DT_OPF_WINDOWS | DT_OPF_VIOLATIONS)			\
	OP(TYPE1_UNMAP, "type1_unmap", COMPAT, UNMAP,				\
	   vfio_iommu_type1_dma_unmap, VFIO_IOMMU_UNMAP_DMA,			\
	   iommufd_vfio_ioctl, GIVEN, RESULT, 0, DT_VFIO_UNMAP_FLAG_ALL,	\
	   DT_OPF_LENGTH | DT_OPF_WINDOWS | DT_OPF_VIOLATIONS)			\
	OP(WINDOW_REQUEST, "window_request", SEED, WINDOW,			\
	   iommu_ioas_window_request, IOMMU_IOAS_WINDOW_REQUEST,		\
	   iommufd_ioas_window_request, NONE, NONE, 0, 0,			\
	   DT_OPF_LENGTH | DT_OPF_VIOLATIONS)					\
	OP(VFIO_MAP_DMA, "vfio_map_dma", TYPE1, MAP,				\
	   vfio_iommu_type1_dma_map, VFIO_IOMMU_MAP_DMA,			\
	   vfio_iommu_type1_ioctl, GIVEN, REQUEST, 0, 0, DT_OPF_VADDR_UPDATE |	\
	   DT_OPF_LENGTH | DT_OPF_WINDOWS | DT_OPF_VIOLATIONS)			\
	OP(VFIO_UNMAP_DMA, "vfio_unmap_dma", TYPE1, UNMAP,			\
	   vfio_iommu_type1_dma_unmap, VFIO_IOMMU_UNMAP_DMA,			\
	   vfio_iommu_type1_ioctl, GIVEN, RESULT, 0, DT_VFIO_UNMAP_FLAG_ALL,	\
	   DT_OPF_VADDR_UPDATE | DT_OPF_LENGTH | DT_OPF_WINDOWS | DT_OPF_VIOLATIONS)

#define DT_OP_ENUM(id, ...)	DT_OP_##id,
enum dt_op {
	DT_OP_TABLE(DT_OP_ENUM)
	DT_OP_MAX,
};
#undef DT_OP_ENUM

/*
 * Backends: the kernel paths from user space to an IOMMU page table (and
 * the fault path). The planner attaches a backend's points as a whole and
 * reports each backend as live, partial or absent.
 */
enum dt_backend {
	DT_BACKEND_IOMMUFD,	/* /dev/iommu: iommufd IOAS ioctls */
	DT_BACKEND_COMPAT,	/* iommufd's VFIO type1 compat (vfio_compat.c) */
	DT_BACKEND_SEED,	/* the seed RFC's windows: reference only */
	DT_BACKEND_FAULTS,	/* IOMMU faults and device attach (no ops) */
	DT_BACKEND_TYPE1,	/* native VFIO type1: /dev/vfio/vfio containers */
	DT_BACKEND_MAX,
};

/* How a backend's ops are reached */
enum dt_dispatch {
	DT_DISPATCH_UCMD,	/* one handler per op, (struct iommufd_ucmd *) */
	DT_DISPATCH_IOCTL,	/* one ioctl function for all, (ctx, cmd, arg) */
	DT_DISPATCH_NONE,	/* no ops */
};

enum dt_op_kind {
	DT_KIND_LIFECYCLE,	/* creates or destroys an object */
	DT_KIND_MAP,		/* adds an area */
	DT_KIND_UNMAP,		/* removes areas */
	DT_KIND_QUERY,		/* reads state */
	DT_KIND_WINDOW,		/* changes which IOVAs may be used */
};

/* Where an op's IOVA comes from */
enum dt_iova_rule {
	DT_IOVA_NONE,		/* it has none */
	DT_IOVA_GIVEN,		/* always the caller's */
	DT_IOVA_FLAG,		/* the caller's with fixed_flag, else the
				   kernel picks it (written back) */
};

/* Which length an op moves (the bytes of its latency histogram) */
enum dt_bytes {
	DT_BYTES_NONE,
	DT_BYTES_REQUEST,	/* the length asked for */
	DT_BYTES_RESULT,	/* the length the kernel wrote back */
};

/* Op flags */
#define DT_OPF_LENGTH		(1U << 0)	/* carries a length (size class) */
#define DT_OPF_NEW_ID		(1U << 1)	/* writes back a new IOAS id */
#define DT_OPF_WINDOWS		(1U << 2)	/* success changes the windows view */
#define DT_OPF_VIOLATIONS	(1U << 3)	/* can be a range violation */
#define DT_OPF_VADDR_UPDATE	(1U << 4)	/* with DT_VFIO_FLAG_VADDR it only
						   updates a mapping's user
						   address: no bytes, no area */

struct dt_op_props {
	unsigned char backend;	/* enum dt_backend */
	unsigned char kind;	/* enum dt_op_kind */
	unsigned char iova;	/* enum dt_iova_rule */
	unsigned char bytes;	/* enum dt_bytes */
	unsigned int fixed_flag;
	unsigned int all_flag;
	unsigned int flags;	/* DT_OPF_* */
};

#define DT_OP_PROPS(id, name, be, kind_, uapi, ioctl, hook, iova_, bytes_,	\
		    fixed, all, fl)						\
	[DT_OP_##id] = { .backend = DT_BACKEND_##be, .kind = DT_KIND_##kind_,	\
			 .iova = DT_IOVA_##iova_, .bytes = DT_BYTES_##bytes_,	\
			 .fixed_flag = fixed, .all_flag = all, .flags = fl },
static const struct dt_op_props dt_op_props[DT_OP_MAX] = {
	DT_OP_TABLE(DT_OP_PROPS)
};
#undef DT_OP_PROPS

/* The properties of op (a valid enum dt_op) */
static inline const struct dt_op_props *dt_op(unsigned int op)
{
	return &dt_op_props[op];
}

static inline unsigned int dt_op_kind(unsigned int op)
{
	return op < DT_OP_MAX ? dt_op_props[op].kind : DT_KIND_QUERY;
}

static inline int dt_op_has(unsigned int op, unsigned int flag)
{
	return op < DT_OP_MAX && (dt_op_props[op].flags & flag);
}

/* Does the op carry an IOVA of the caller's (iova, length) range? */
static inline int dt_op_has_range(unsigned int op)
{
	return op < DT_OP_MAX && dt_op_props[op].iova != DT_IOVA_NONE;
}

/* Is the IOVA of this call the caller's (not chosen by the kernel)? */
static inline int dt_op_iova_fixed(unsigned int op, unsigned int flags)
{
	if (op >= DT_OP_MAX)
		return 0;
	switch (dt_op_props[op].iova) {
	case DT_IOVA_GIVEN:
		return 1;
	case DT_IOVA_FLAG:
		return !!(flags & dt_op_props[op].fixed_flag);
	default:
		return 0;
	}
}

/* Is this call an update that maps and unmaps nothing (VADDR)? */
static inline int dt_op_is_update(unsigned int op, unsigned int flags)
{
	return op < DT_OP_MAX && (dt_op_props[op].flags & DT_OPF_VADDR_UPDATE) &&
	       (flags & DT_VFIO_FLAG_VADDR);
}

/* Does this unmap take everything (its all_flag, or [0, ~0])? */
static inline int dt_op_unmap_all(unsigned int op, unsigned int flags,
				  unsigned long long iova,
				  unsigned long long length)
{
	if (op < DT_OP_MAX && dt_op_props[op].all_flag)
		return !!(flags & dt_op_props[op].all_flag);
	return iova == 0 && length == ~0ULL;
}

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
	DT_VIOL_ENTRY_LIMIT,		/* native type1: dma_entry_limit (-ENOSPC) */
	DT_VIOL_MEMLOCK,		/* native type1: over RLIMIT_MEMLOCK (-ENOMEM) */
	DT_VIOL_UNMAP_SPLIT,		/* native type1: unmap bisects a mapping */
	DT_VIOL_ATTACH_REFUSED,		/* native type1: group attach refused */
	DT_VIOL_MAX,
};

#ifndef __bpf__
/* The strings of the table: user space only */
struct dt_op_strings {
	const char *name;	/* JSON key, --op value */
	const char *uapi;	/* "struct iommu_ioas_map" */
	const char *ioctl;	/* "IOMMU_IOAS_MAP" */
	const char *hook;	/* "iommufd_ioas_map" */
};

#define DT_OP_STRINGS(id, name_, be, kind, uapi_, ioctl_, hook_, ...)	\
	[DT_OP_##id] = { .name = name_, .uapi = "struct " #uapi_,		\
			 .ioctl = #ioctl_, .hook = #hook_ },
static const struct dt_op_strings dt_op_strings[DT_OP_MAX] = {
	DT_OP_TABLE(DT_OP_STRINGS)
};
#undef DT_OP_STRINGS

struct dt_backend_info {
	const char *name;	/* in reports: "iommufd", "iommufd-compat" */
	const char *what;	/* one line for dmatrace probe */
	enum dt_dispatch dispatch;
};

static const struct dt_backend_info dt_backends[DT_BACKEND_MAX] = {
	[DT_BACKEND_IOMMUFD] = { "iommufd", "iommufd IOAS ioctls on /dev/iommu",
				 DT_DISPATCH_UCMD },
	[DT_BACKEND_COMPAT] = { "iommufd-compat",
				"VFIO type1 ioctls on iommufd's compat container",
				DT_DISPATCH_IOCTL },
	[DT_BACKEND_SEED] = { "seed-windows",
			      "the seed RFC's multi-window extension (reference only)",
			      DT_DISPATCH_UCMD },
	[DT_BACKEND_FAULTS] = { "faults",
				"IOMMU faults and which IOAS a device is attached to",
				DT_DISPATCH_NONE },
	[DT_BACKEND_TYPE1] = { "vfio-type1",
			       "VFIO type1 ioctls on a native /dev/vfio/vfio container",
			       DT_DISPATCH_IOCTL },
};

static inline const char *dt_backend_name(unsigned int be)
{
	return be < DT_BACKEND_MAX ? dt_backends[be].name : "unknown";
}

static inline const char *dt_op_kind_name(unsigned int kind)
{
	static const char *const names[] = {
		[DT_KIND_LIFECYCLE] = "lifecycle", [DT_KIND_MAP] = "map",
		[DT_KIND_UNMAP] = "unmap", [DT_KIND_QUERY] = "query",
		[DT_KIND_WINDOW] = "window",
	};
	return kind <= DT_KIND_WINDOW ? names[kind] : "unknown";
}

static inline const char *dt_op_name(unsigned int op)
{
	return op < DT_OP_MAX ? dt_op_strings[op].name : "unknown";
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
		[DT_VIOL_ENTRY_LIMIT] = "entry_limit",
		[DT_VIOL_MEMLOCK] = "memlock",
		[DT_VIOL_UNMAP_SPLIT] = "unmap_split",
		[DT_VIOL_ATTACH_REFUSED] = "attach_refused",
	};
	return kind < DT_VIOL_MAX ? names[kind] : "unknown";
}
#endif /* !__bpf__ */

#endif /* DMATRACE_OPS_H */
