// SPDX-License-Identifier: GPL-2.0
/*
 * dmaload executor, native VFIO type1: containers, groups and the type1
 * ioctls on a container, through the backend's vfio_* calls. Containers
 * and groups are numbered from 1 in the order the script names them (the
 * "id" of container, the truth's container and group).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <linux/vfio.h>
#include "exec_priv.h"

static int exec_container(struct dl_exec *x, const struct dl_op *op,
			  struct truth_rec *r, struct out_extra *e)
{
	int ret = x->be->vfio_container(x->be, op->obj);

	r->op = TR_CONTAINER;
	if (!ret) {
		x->objs[op->obj].id = ++x->nr_containers;
		r->container = e->id = x->objs[op->obj].id;
		e->has_id = 1;
	}
	return ret;
}

static __u32 group_id(struct dl_exec *x, int slot)
{
	if (!x->objs[slot].id)
		x->objs[slot].id = ++x->nr_groups;
	return x->objs[slot].id;
}

static int exec_group(struct dl_exec *x, const struct dl_op *op,
		      struct truth_rec *r)
{
	r->op = TR_GROUP;
	r->container = x->objs[op->obj].id;
	r->group = group_id(x, op->obj2);
	r->pgsizes = op->layout ? op->layout->pgsizes : 0;
	return x->be->vfio_group(x->be, op->obj, op->obj2, op->layout);
}

static int exec_ungroup(struct dl_exec *x, const struct dl_op *op,
			struct truth_rec *r)
{
	r->op = TR_UNGROUP;
	r->group = group_id(x, op->obj2);
	return x->be->vfio_ungroup(x->be, op->obj2);
}

static int vfio_ioctl(struct dl_exec *x, const struct dl_op *op,
		      unsigned long cmd, void *arg)
{
	return x->be->vfio_ioctl(x->be, op->obj, cmd, arg);
}

static int exec_setiommu(struct dl_exec *x, const struct dl_op *op,
			 struct truth_rec *r)
{
	r->op = TR_SETIOMMU;
	r->container = x->objs[op->obj].id;
	r->flags = op->flags;
	return vfio_ioctl(x, op, VFIO_SET_IOMMU, (void *)(uintptr_t)op->flags);
}

static int exec_vmap(struct dl_exec *x, const struct dl_op *op,
		     struct truth_rec *r)
{
	struct vfio_iommu_type1_dma_map cmd = {
		.argsz = sizeof(cmd),
		.flags = op->flags,
		.vaddr = exec_user_va(x, op->uaddr, op->length),
		.iova = op->iova,
		.size = op->length,
	};

	r->op = DT_OP_VFIO_MAP_DMA;
	r->container = x->objs[op->obj].id;
	r->flags = op->flags;
	r->iova = op->iova;
	r->length = op->length;
	r->vaddr = cmd.vaddr;
	return vfio_ioctl(x, op, VFIO_IOMMU_MAP_DMA, &cmd);
}

static int exec_vunmap(struct dl_exec *x, const struct dl_op *op,
		       struct truth_rec *r, struct out_extra *e)
{
	struct vfio_iommu_type1_dma_unmap cmd = {
		.argsz = sizeof(cmd),
		.flags = op->flags,
		.iova = op->iova,
		.size = op->length,
	};
	int ret = vfio_ioctl(x, op, VFIO_IOMMU_UNMAP_DMA, &cmd);

	r->op = DT_OP_VFIO_UNMAP_DMA;
	r->container = x->objs[op->obj].id;
	r->flags = op->flags;
	r->iova = op->iova;
	r->length = op->length;
	if (!ret) {
		r->unmapped = e->unmapped = cmd.size;
		e->has_unmapped = 1;
	}
	return ret;
}

/* The capability ids in chain order, and DMA_AVAIL's count */
static void vinfo_caps(const __u8 *buf, struct out_extra *e)
{
	const struct vfio_iommu_type1_info *info = (const void *)buf;
	__u32 off = info->cap_offset;

	while (off && off + sizeof(struct vfio_iommu_type1_info_dma_avail) <=
			      T1INFO_BUF && e->nr_caps < EXEC_MAX_CAPS) {
		const struct vfio_info_cap_header *h = (const void *)(buf + off);

		e->caps[e->nr_caps++] = h->id;
		if (h->id == VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL) {
			e->has_dma_avail = 1;
			e->dma_avail = ((const struct vfio_iommu_type1_info_dma_avail *)h)->avail;
		}
		off = h->next;
	}
}

static int exec_vinfo(struct dl_exec *x, const struct dl_op *op,
		      struct truth_rec *r, struct out_extra *e, __u8 *buf)
{
	struct vfio_iommu_type1_info *info = (void *)buf;
	int ret;

	info->argsz = op->size;
	ret = vfio_ioctl(x, op, VFIO_IOMMU_GET_INFO, info);
	r->op = TR_NONE;	/* not counted */
	if (ret)
		return ret;
	e->has_pgsizes = e->has_caps = 1;
	e->pgsizes = info->iova_pgsizes;
	e->argsz = info->argsz;
	if (op->size >= offsetof(struct vfio_iommu_type1_info, cap_offset) +
			sizeof(info->cap_offset)) {
		vinfo_caps(buf, e);
		exec_t1info_ranges(buf, e);
	}
	return 0;
}

static int exec_limit(struct dl_exec *x, const struct dl_op *op,
		      struct truth_rec *r)
{
	r->op = TR_LIMIT;
	r->flags = op->flags;
	r->length = op->size;
	return x->be->vfio_limit(x->be, op->flags, op->size);
}

void exec_print_caps(struct json_writer *w, const struct out_extra *e)
{
	__u32 i;

	json_key(w, "argsz");
	json_u64(w, e->argsz);
	json_key(w, "caps");
	json_array_begin(w);
	for (i = 0; i < e->nr_caps; i++)
		json_u64(w, e->caps[i]);
	json_array_end(w);
	if (e->has_dma_avail) {
		json_key(w, "dma_avail");
		json_u64(w, e->dma_avail);
	}
}

int exec_vfio(struct dl_exec *x, const struct dl_op *op, struct truth_rec *r,
	      struct out_extra *e, void *buf)
{
	switch (op->kind) {
	case DL_CONTAINER:
		return exec_container(x, op, r, e);
	case DL_GROUP:
		return exec_group(x, op, r);
	case DL_UNGROUP:
		return exec_ungroup(x, op, r);
	case DL_SETIOMMU:
		return exec_setiommu(x, op, r);
	case DL_VMAP:
		return exec_vmap(x, op, r);
	case DL_VUNMAP:
		return exec_vunmap(x, op, r, e);
	case DL_VINFO:
		return exec_vinfo(x, op, r, e, buf);
	case DL_VCHECK:
		r->op = TR_NONE;
		return vfio_ioctl(x, op, VFIO_CHECK_EXTENSION,
				  (void *)(uintptr_t)op->size);
	default:
		return exec_limit(x, op, r);
	}
}
