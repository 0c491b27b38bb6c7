// SPDX-License-Identifier: GPL-2.0
/*
 * Prints build/uapi_offsets.h: offsets and sizes of the uAPI structs the
 * uprobe programs read from user memory. The uprobe programs cannot include
 * include/uapi/iommufd.h next to vmlinux.h (the kernel's BTF has the same
 * tags and enumerators), and must not use CO-RE against kernel types the
 * host may lack, so they read fields at these offsets, computed here from
 * the one definition of each struct. Also, from the reference library's
 * private header, where a context keeps its VFIO-compat IOAS (not part of
 * include/ref/abi.h yet).
 *
 * With --doc it prints docs/ops.md instead: the op table as a Markdown
 * table (a unit test checks that the committed file is what this prints).
 */
#include <stdio.h>
#include <stddef.h>
#include <string.h>
#include <linux/vfio.h>
#include "uapi/iommufd.h"
#include "ref/window.h"
#include "../src/ref/iommufd_private.h"	/* the compat IOAS of a context */
#include "../src/ref/vfio_type1_private.h"	/* the native container */
#include "dmatrace/ops.h"

/* The flag values the op table names are the uAPI's */
/* dmatrace_user.bpf.c reads a node of the ref's dma_list as __u64 words */
#define WORD_OF(T, m) (sizeof(((T *)0)->m) == 8 && offsetof(T, m) % 8 == 0)
_Static_assert(WORD_OF(struct itree_node, start) &&
	       WORD_OF(struct itree_node, last) &&
	       WORD_OF(struct itree_node, left) &&
	       WORD_OF(struct itree_node, right),
	       "struct itree_node: start, last, left, right must be 8-byte words");

_Static_assert(DT_IOMMU_MAP_FIXED_IOVA == IOMMU_IOAS_MAP_FIXED_IOVA,
	       "DT_IOMMU_MAP_FIXED_IOVA");
_Static_assert(DT_VFIO_UNMAP_FLAG_ALL == VFIO_DMA_UNMAP_FLAG_ALL,
	       "DT_VFIO_UNMAP_FLAG_ALL");
_Static_assert(DT_VFIO_FLAG_VADDR == VFIO_DMA_MAP_FLAG_VADDR &&
	       DT_VFIO_FLAG_VADDR == VFIO_DMA_UNMAP_FLAG_VADDR,
	       "DT_VFIO_FLAG_VADDR");

/* Each row of the op table is consistent (checked when this is built) */
#define ROW_CHECK(id, name, be, kind, uapi, ioctl, hook, iova, bytes,	\
		  fixed, all, fl)						\
	_Static_assert((DT_IOVA_##iova == DT_IOVA_FLAG) == ((fixed) != 0),	\
		       #id ": an IOVA rule FLAG needs its fixed_flag");	\
	_Static_assert((DT_KIND_##kind != DT_KIND_MAP &&			\
			DT_KIND_##kind != DT_KIND_UNMAP) ||			\
		       (DT_IOVA_##iova != DT_IOVA_NONE &&			\
			DT_BYTES_##bytes != DT_BYTES_NONE &&			\
			((fl) & DT_OPF_LENGTH)),				\
		       #id ": a map or unmap has an IOVA, a length, bytes");	\
	_Static_assert(DT_BYTES_##bytes == DT_BYTES_NONE ||			\
		       DT_KIND_##kind == DT_KIND_MAP ||				\
		       DT_KIND_##kind == DT_KIND_UNMAP,				\
		       #id ": only maps and unmaps move bytes");		\
	_Static_assert((all) == 0 || DT_KIND_##kind == DT_KIND_UNMAP,		\
		       #id ": an all_flag is an unmap's");			\
	_Static_assert(!((fl) & DT_OPF_NEW_ID) ||				\
		       DT_KIND_##kind == DT_KIND_LIFECYCLE,			\
		       #id ": only a lifecycle op makes an object");		\
	_Static_assert(sizeof(struct uapi) <= 64,				\
		       #id ": uAPI struct larger than the BPF read buffer cap");
DT_OP_TABLE(ROW_CHECK)

#define OFF(name, type, field) \
	printf("#define %-28s %zu\n", name, offsetof(type, field))
#define SIZE(name, type) printf("#define %-28s %zu\n", name, sizeof(type))
#define VAL(name, val) printf("#define %-28s 0x%lxUL\n", name, (unsigned long)(val))

/* Per row of the op table: U_SIZE_<ID> (its uAPI struct), U_IOCTL_<ID> */
#define OP_ROW(id, name, be, kind, uapi, ioctl, ...)			\
	do {								\
		SIZE("U_SIZE_" #id, struct uapi);			\
		VAL("U_IOCTL_" #id, ioctl);				\
		if (sizeof(struct uapi) > max)				\
			max = sizeof(struct uapi);			\
	} while (0);

static const char *const iova_rule[] = {
	[DT_IOVA_NONE] = "none", [DT_IOVA_GIVEN] = "caller's",
	[DT_IOVA_FLAG] = "caller's with FIXED_IOVA, else the kernel's",
};
static const char *const bytes_rule[] = {
	[DT_BYTES_NONE] = "none", [DT_BYTES_REQUEST] = "length asked",
	[DT_BYTES_RESULT] = "length written back",
};

static void doc_views(unsigned int flags)
{
	printf("latency%s%s", flags & DT_OPF_WINDOWS ? ", windows" : "",
	       flags & DT_OPF_VIOLATIONS ? ", violations" : "");
}

#define DOC_ROW(id, name_, be_, kind_, uapi, ioctl, hook, ...)		\
	do {								\
		const struct dt_op_props *p = dt_op(DT_OP_##id);	\
		printf("| %s | %s | %s | `struct %s` (%zu) | `%s` | `%s` | %s | %s%s | ", \
		       name_, dt_backend_name(p->backend),		\
		       dt_op_kind_name(p->kind), #uapi,			\
		       sizeof(struct uapi), #ioctl, #hook,		\
		       iova_rule[p->iova], bytes_rule[p->bytes],	\
		       p->flags & DT_OPF_VADDR_UPDATE ?			\
		       " (none with VADDR: an update)" : "");		\
		doc_views(p->flags);					\
		printf(" |\n");					\
	} while (0);

static int print_doc(void)
{
	unsigned int be;

	printf("# The op table\n\n"
	       "Generated from include/dmatrace/ops.h by `build/bpf/gen_uapi_offsets --doc`\n"
	       "(`make docs`); do not edit. One row per traced operation: the JSON key and\n"
	       "`--op` value, the backend it goes through, its kind, its uAPI struct (size\n"
	       "in bytes), ioctl, the function whose entry and return are traced, where its\n"
	       "IOVA comes from, which length its latency histogram counts as bytes, and\n"
	       "the views it feeds.\n\n"
	       "| op | backend | kind | uAPI struct | ioctl | hook | IOVA | bytes | views |\n"
	       "| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
	DT_OP_TABLE(DOC_ROW)
	printf("\nBackends:\n\n");
	for (be = 0; be < DT_BACKEND_MAX; be++)
		printf("- `%s`: %s.\n", dt_backends[be].name, dt_backends[be].what);
	return 0;
}

int main(int argc, char **argv)
{
	size_t max = 0;

	if (argc == 2 && !strcmp(argv[1], "--doc"))
		return print_doc();
	if (argc != 1) {
		fprintf(stderr, "usage: gen_uapi_offsets [--doc]\n");
		return 2;
	}

	printf("/* Generated by bpf/gen_uapi_offsets.c: do not edit */\n");
	printf("#ifndef DT_UAPI_OFFSETS_H\n#define DT_UAPI_OFFSETS_H\n");
	OFF("U_DESTROY_ID", struct iommu_destroy, id);
	OFF("U_ALLOC_FLAGS", struct iommu_ioas_alloc, flags);
	OFF("U_ALLOC_OUT_ID", struct iommu_ioas_alloc, out_ioas_id);
	OFF("U_MAP_FLAGS", struct iommu_ioas_map, flags);
	OFF("U_MAP_IOAS", struct iommu_ioas_map, ioas_id);
	OFF("U_MAP_RESERVED", struct iommu_ioas_map, __reserved);
	OFF("U_MAP_IOVA", struct iommu_ioas_map, iova);
	OFF("U_MAP_LENGTH", struct iommu_ioas_map, length);
	OFF("U_UNMAP_IOAS", struct iommu_ioas_unmap, ioas_id);
	OFF("U_UNMAP_IOVA", struct iommu_ioas_unmap, iova);
	OFF("U_UNMAP_LENGTH", struct iommu_ioas_unmap, length);
	OFF("U_COPY_FLAGS", struct iommu_ioas_copy, flags);
	OFF("U_COPY_DST_IOAS", struct iommu_ioas_copy, dst_ioas_id);
	OFF("U_COPY_LENGTH", struct iommu_ioas_copy, length);
	OFF("U_COPY_DST_IOVA", struct iommu_ioas_copy, dst_iova);
	OFF("U_RANGES_IOAS", struct iommu_ioas_iova_ranges, ioas_id);
	OFF("U_RANGES_NUM", struct iommu_ioas_iova_ranges, num_iovas);
	OFF("U_RANGES_RESERVED", struct iommu_ioas_iova_ranges, __reserved);
	OFF("U_RANGES_PTR", struct iommu_ioas_iova_ranges, allowed_iovas);
	OFF("U_ALLOW_IOAS", struct iommu_ioas_allow_iovas, ioas_id);
	OFF("U_ALLOW_NUM", struct iommu_ioas_allow_iovas, num_iovas);
	OFF("U_ALLOW_RESERVED", struct iommu_ioas_allow_iovas, __reserved);
	OFF("U_ALLOW_PTR", struct iommu_ioas_allow_iovas, allowed_iovas);
	OFF("U_T1MAP_FLAGS", struct vfio_iommu_type1_dma_map, flags);
	OFF("U_T1MAP_IOVA", struct vfio_iommu_type1_dma_map, iova);
	OFF("U_T1MAP_SIZE", struct vfio_iommu_type1_dma_map, size);
	OFF("U_T1MAP_VADDR", struct vfio_iommu_type1_dma_map, vaddr);
	OFF("U_T1UNMAP_FLAGS", struct vfio_iommu_type1_dma_unmap, flags);
	OFF("U_T1UNMAP_IOVA", struct vfio_iommu_type1_dma_unmap, iova);
	OFF("U_T1UNMAP_SIZE", struct vfio_iommu_type1_dma_unmap, size);
	/* seed extension, reference implementation only (include/ref/window.h) */
	OFF("U_WADD_IOAS", struct iommu_ioas_window_add, ioas_id);
	OFF("U_WADD_BASE", struct iommu_ioas_window_add, base);
	OFF("U_WADD_LENGTH", struct iommu_ioas_window_add, length);
	OFF("U_WADD_PAGE_SIZE", struct iommu_ioas_window_add, page_size);
	OFF("U_WREQ_IOAS", struct iommu_ioas_window_request, ioas_id);
	OFF("U_WREQ_MIN_LENGTH", struct iommu_ioas_window_request, min_length);
	OFF("U_WREQ_FLAGS", struct iommu_ioas_window_request, flags);
	DT_OP_TABLE(OP_ROW)
	printf("#define %-28s %zu\n", "U_SIZE_MAX", max);
	OFF("REF_ICTX_OFF_VFIO_IOAS", struct iommufd_ctx, vfio_ioas);
	OFF("REF_IOAS_OFF_IOPT", struct iommufd_ioas, iopt);
	/* the reference's native container (struct vfio_iommu) */
	OFF("REF_T1_OFF_IOVA_V", struct vfio_iommu, iova_list.v);
	OFF("REF_T1_OFF_IOVA_NR", struct vfio_iommu, iova_list.nr);
	OFF("REF_T1_OFF_DMA_AVAIL", struct vfio_iommu, dma_avail);
	OFF("REF_T1_OFF_PGSIZES", struct vfio_iommu, pgsize_bitmap);
	OFF("REF_T1_OFF_V2", struct vfio_iommu, v2);
	OFF("REF_T1_OFF_DMA_ROOT", struct vfio_iommu, dma_list.root);
	/* its nodes, read whole up to the right child (all 8-byte fields) */
	OFF("REF_ITREE_OFF_START", struct itree_node, start);
	OFF("REF_ITREE_OFF_LAST", struct itree_node, last);
	OFF("REF_ITREE_OFF_LEFT", struct itree_node, left);
	OFF("REF_ITREE_OFF_RIGHT", struct itree_node, right);
	printf("#define %-28s %zu\n", "REF_ITREE_NODE_HEAD",
	       offsetof(struct itree_node, right) + sizeof(void *));
	SIZE("REF_T1_IOVA_SIZE", struct vfio_iova);
	printf("#endif\n");
	return 0;
}
