// SPDX-License-Identifier: GPL-2.0
/*
 * dmaload executor: one dl_op -> uAPI structs -> backend ioctl(s) -> ground
 * truth record -> optional JSON line {"line","op","ret",...}.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/vfio.h>
#include "exec_priv.h"
#include "common/json.h"
#include "ref/window.h"
#include "uapi/iommufd_test.h"

static __u32 obj_id(struct dl_exec *x, int slot)
{
	return slot >= 0 ? x->objs[slot].id : 0;
}

__u64 exec_user_va(struct dl_exec *x, __u64 uaddr, __u64 length)
{
	if (!x->be->no_user_memory)
		dl_ubuf_populate(x->ubuf, uaddr, length);
	return dl_ubuf_va(x->ubuf, uaddr);
}

static int do_ioctl(struct dl_exec *x, unsigned long cmd, void *arg)
{
	return x->be->ioctl(x->be, cmd, arg);
}

static int exec_ioas(struct dl_exec *x, const struct dl_op *op,
		     struct truth_rec *r, struct out_extra *e)
{
	struct iommu_ioas_alloc cmd = { .size = sizeof(cmd) };
	int ret = do_ioctl(x, IOMMU_IOAS_ALLOC, &cmd);

	r->op = DT_OP_IOAS_ALLOC;
	if (!ret) {
		x->objs[op->obj].id = cmd.out_ioas_id;
		r->obj_id = e->id = cmd.out_ioas_id;
		e->has_id = 1;
	}
	return ret;
}

static int exec_reserve(struct dl_exec *x, const struct dl_op *op,
			struct truth_rec *r)
{
	struct iommu_test_cmd cmd = {
		.size = sizeof(cmd),
		.op = IOMMU_TEST_OP_ADD_RESERVED,
		.id = obj_id(x, op->obj),
		.add_reserved = { .start = op->iova, .length = op->length },
	};

	r->op = TR_RESERVE;
	r->ioas_id = cmd.id;
	r->iova = op->iova;
	r->length = op->length;
	return do_ioctl(x, IOMMU_TEST_CMD, &cmd);
}

static int exec_mockdev(struct dl_exec *x, const struct dl_op *op,
			struct truth_rec *r, struct out_extra *e)
{
	struct iommu_test_cmd cmd = {
		.size = sizeof(cmd),
		.op = IOMMU_TEST_OP_MOCK_DOMAIN,
		.id = obj_id(x, op->obj),
	};
	int ret = do_ioctl(x, IOMMU_TEST_CMD, &cmd);

	r->op = TR_MOCKDEV;
	r->ioas_id = obj_id(x, op->obj);
	if (!ret) {
		r->obj_id = e->id = cmd.mock_domain.out_stdev_id;
		e->has_id = 1;
		if (op->obj2 >= 0)
			x->objs[op->obj2].id = e->id;
	}
	return ret;
}

static int exec_allow(struct dl_exec *x, const struct dl_op *op,
		      struct truth_rec *r)
{
	struct iommu_ioas_allow_iovas cmd = {
		.size = sizeof(cmd),
		.ioas_id = obj_id(x, op->obj),
		.num_iovas = op->nr_ranges,
		.allowed_iovas = (uintptr_t)op->ranges,
	};

	r->op = DT_OP_ALLOW_IOVAS;
	r->ioas_id = cmd.ioas_id;
	r->ranges = op->ranges;
	r->nr_ranges = op->nr_ranges;
	return do_ioctl(x, IOMMU_IOAS_ALLOW_IOVAS, &cmd);
}

static int exec_ranges(struct dl_exec *x, const struct dl_op *op,
		       struct truth_rec *r, struct out_extra *e,
		       struct iommu_iova_range *buf)
{
	struct iommu_ioas_iova_ranges cmd = {
		.size = sizeof(cmd),
		.ioas_id = obj_id(x, op->obj),
		.num_iovas = op->nr_ranges,
		.allowed_iovas = (uintptr_t)buf,
	};
	int ret = do_ioctl(x, IOMMU_IOAS_IOVA_RANGES, &cmd);

	r->op = DT_OP_IOVA_RANGES;
	r->ioas_id = cmd.ioas_id;
	if (!ret || ret == -EMSGSIZE) {
		e->has_ranges = e->has_num = 1;
		e->ranges = buf;
		e->num_iovas = cmd.num_iovas;
		e->nr_ranges = cmd.num_iovas < op->nr_ranges ?
			       cmd.num_iovas : op->nr_ranges;
		e->alignment = cmd.out_iova_alignment;
	}
	return ret;
}

static int exec_map(struct dl_exec *x, const struct dl_op *op,
		    struct truth_rec *r, struct out_extra *e)
{
	struct iommu_ioas_map cmd = {
		.size = sizeof(cmd),
		.flags = op->flags,
		.ioas_id = obj_id(x, op->obj),
		.__reserved = op->reserved,
		.user_va = exec_user_va(x, op->uaddr, op->length),
		.length = op->length,
		.iova = op->iova,
	};
	int ret = do_ioctl(x, IOMMU_IOAS_MAP, &cmd);

	r->op = DT_OP_MAP;
	r->ioas_id = cmd.ioas_id;
	r->flags = op->flags;
	r->iova = ret ? op->iova : cmd.iova;
	r->length = op->length;
	if (!ret) {
		e->has_iova = 1;
		e->iova = cmd.iova;
	}
	return ret;
}

static int exec_unmap(struct dl_exec *x, const struct dl_op *op,
		      struct truth_rec *r, struct out_extra *e)
{
	struct iommu_ioas_unmap cmd = {
		.size = sizeof(cmd),
		.ioas_id = obj_id(x, op->obj),
		.iova = op->iova,
		.length = op->length,
	};
	int ret = do_ioctl(x, IOMMU_IOAS_UNMAP, &cmd);

	r->op = DT_OP_UNMAP;
	r->ioas_id = cmd.ioas_id;
	r->iova = op->iova;
	r->length = op->length;
	if (!ret) {
		r->unmapped = e->unmapped = cmd.length;
		e->has_unmapped = 1;
	}
	return ret;
}

static int exec_copy(struct dl_exec *x, const struct dl_op *op,
		     struct truth_rec *r, struct out_extra *e)
{
	struct iommu_ioas_copy cmd = {
		.size = sizeof(cmd),
		.flags = op->flags,
		.dst_ioas_id = obj_id(x, op->obj2),
		.src_ioas_id = obj_id(x, op->obj),
		.length = op->length,
		.dst_iova = op->dst_iova,
		.src_iova = op->iova,
	};
	int ret = do_ioctl(x, IOMMU_IOAS_COPY, &cmd);

	r->op = DT_OP_COPY;
	r->ioas_id = cmd.dst_ioas_id;
	r->src_ioas_id = cmd.src_ioas_id;
	r->flags = op->flags;
	r->iova = ret ? op->dst_iova : cmd.dst_iova;
	r->src_iova = op->iova;
	r->length = op->length;
	if (!ret) {
		e->has_iova = 1;
		e->iova = cmd.dst_iova;
	}
	return ret;
}

static int exec_destroy(struct dl_exec *x, const struct dl_op *op,
			struct truth_rec *r)
{
	struct iommu_destroy cmd = {
		.size = sizeof(cmd),
		.id = obj_id(x, op->obj),
	};

	r->op = DT_OP_DESTROY;
	r->obj_id = cmd.id;
	return do_ioctl(x, IOMMU_DESTROY, &cmd);
}

/* IOMMU_VFIO_IOAS(SET) then VFIO_SET_IOMMU(TYPE1v2); the first error wins */
static int exec_type1(struct dl_exec *x, const struct dl_op *op,
		      struct truth_rec *r)
{
	struct iommu_vfio_ioas cmd = {
		.size = sizeof(cmd),
		.ioas_id = obj_id(x, op->obj),
		.op = IOMMU_VFIO_IOAS_SET,
	};
	int ret = do_ioctl(x, IOMMU_VFIO_IOAS, &cmd);

	r->op = TR_NONE;	/* not counted, no shadow change */
	if (ret)
		return ret;
	x->compat_ioas = cmd.ioas_id;
	return do_ioctl(x, VFIO_SET_IOMMU, (void *)(uintptr_t)VFIO_TYPE1v2_IOMMU);
}

static int exec_t1map(struct dl_exec *x, const struct dl_op *op,
		      struct truth_rec *r)
{
	struct vfio_iommu_type1_dma_map cmd = {
		.argsz = sizeof(cmd),
		.flags = op->flags,
		.vaddr = exec_user_va(x, op->uaddr, op->length),
		.iova = op->iova,
		.size = op->length,
	};

	r->op = DT_OP_TYPE1_MAP;
	r->ioas_id = x->compat_ioas;
	r->flags = op->flags;
	r->iova = op->iova;
	r->length = op->length;
	return do_ioctl(x, VFIO_IOMMU_MAP_DMA, &cmd);
}

static int exec_t1unmap(struct dl_exec *x, const struct dl_op *op,
			struct truth_rec *r, struct out_extra *e)
{
	struct vfio_iommu_type1_dma_unmap cmd = {
		.argsz = sizeof(cmd),
		.flags = op->flags,
		.iova = op->iova,
		.size = op->length,
	};
	int ret = do_ioctl(x, VFIO_IOMMU_UNMAP_DMA, &cmd);

	r->op = DT_OP_TYPE1_UNMAP;
	r->ioas_id = x->compat_ioas;
	r->flags = op->flags;
	r->iova = op->iova;
	r->length = op->length;
	if (!ret) {
		r->unmapped = e->unmapped = cmd.size;
		e->has_unmapped = 1;
	}
	return ret;
}

/* Find the IOVA-range capability in a VFIO_IOMMU_GET_INFO answer */
void exec_t1info_ranges(const __u8 *buf, struct out_extra *e)
{
	const struct vfio_iommu_type1_info *info = (const void *)buf;
	__u32 off = info->cap_offset, hops = 0;

	if (!(info->flags & VFIO_IOMMU_INFO_CAPS))
		return;
	while (off && off + sizeof(struct vfio_info_cap_header) <= T1INFO_BUF &&
	       hops++ < 16) {
		const struct vfio_info_cap_header *h = (const void *)(buf + off);
		const struct vfio_iommu_type1_info_cap_iova_range *c = NULL;
		size_t room = T1INFO_BUF - off - sizeof(*c);

		/*
		 * Read through memcpy: Linux 6.1 does not pad capabilities, so
		 * this one may sit 4 bytes off the 8-byte boundary of its type
		 */
		if (h->id == VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE &&
		    off + sizeof(*c) <= T1INFO_BUF) {
			e->has_ranges = 1;
			e->t1ranges = buf + off + offsetof(typeof(*c), iova_ranges);
			memcpy(&e->nr_ranges, buf + off + offsetof(typeof(*c), nr_iovas),
			       sizeof(e->nr_ranges));
			if (room / sizeof(c->iova_ranges[0]) < e->nr_ranges)
				e->nr_ranges = room / sizeof(c->iova_ranges[0]);
			return;
		}
		off = h->next;
	}
}

static int exec_t1info(struct dl_exec *x, struct truth_rec *r,
		       struct out_extra *e, __u8 *buf)
{
	struct vfio_iommu_type1_info *info = (void *)buf;
	int ret;

	memset(buf, 0, T1INFO_BUF);
	info->argsz = T1INFO_BUF;
	ret = do_ioctl(x, VFIO_IOMMU_GET_INFO, info);
	r->op = TR_NONE;	/* not counted */
	if (ret)
		return ret;
	if (info->flags & VFIO_IOMMU_INFO_PGSIZES) {
		e->has_pgsizes = 1;
		e->pgsizes = info->iova_pgsizes;
	}
	exec_t1info_ranges(buf, e);
	return 0;
}

/* Seed extension: a backend without it answers -EOPNOTSUPP or -ENOTTY */
static int exec_window(struct dl_exec *x, const struct dl_op *op,
		       struct truth_rec *r, struct out_extra *e)
{
	struct iommu_ioas_window_add cmd = {
		.size = sizeof(cmd),
		.ioas_id = obj_id(x, op->obj),
		.base = op->iova,
		.length = op->size,
		.page_size = op->pgsize,
	};
	int ret = do_ioctl(x, IOMMU_IOAS_WINDOW_ADD, &cmd);

	r->op = TR_WINDOW;
	r->ioas_id = cmd.ioas_id;
	r->iova = op->iova;
	r->length = op->size;
	if (!ret) {
		e->has_window = 1;
		e->index = cmd.out_window_index;
	}
	return ret;
}

static int exec_need(struct dl_exec *x, const struct dl_op *op,
		     struct truth_rec *r, struct out_extra *e)
{
	struct iommu_ioas_window_request cmd = {
		.size = sizeof(cmd),
		.ioas_id = obj_id(x, op->obj),
		.min_length = op->size,
		.page_size = op->pgsize,
	};
	int ret = do_ioctl(x, IOMMU_IOAS_WINDOW_REQUEST, &cmd);

	r->op = DT_OP_WINDOW_REQUEST;
	r->ioas_id = cmd.ioas_id;
	r->length = op->size;
	if (!ret) {
		r->iova = cmd.out_base;
		e->has_window = e->has_iova = 1;
		e->index = cmd.out_window_index;
		e->iova = cmd.out_base;
		e->length = cmd.out_length;
		e->pgsizes = cmd.out_page_size;
	}
	return ret;
}

static void print_line(struct dl_exec *x, const struct dl_op *op, int ret,
		       const struct out_extra *e)
{
	struct json_writer w;
	__u32 i;

	flockfile(x->out);
	json_init(&w, x->out);
	json_object_begin(&w);
	json_key(&w, "line");
	json_u64(&w, op->line);
	json_key(&w, "op");
	json_string(&w, op->word);
	json_key(&w, "ret");
	json_s64(&w, ret);
	if (e->has_id) {
		json_key(&w, "id");
		json_u64(&w, e->id);
	}
	if (e->has_iova) {
		json_key(&w, "iova");
		json_hex(&w, e->iova);
	}
	if (e->has_window) {
		json_key(&w, "index");
		json_u64(&w, e->index);
		if (e->length) {
			json_key(&w, "length");
			json_hex(&w, e->length);
			json_key(&w, "page_size");
			json_hex(&w, e->pgsizes);
		}
	}
	if (e->has_unmapped) {
		json_key(&w, "unmapped");
		json_hex(&w, e->unmapped);
	}
	if (e->has_num) {
		json_key(&w, "num_iovas");
		json_u64(&w, e->num_iovas);
		json_key(&w, "alignment");
		json_hex(&w, e->alignment);
	}
	if (e->has_pgsizes) {
		json_key(&w, "pgsizes");
		json_hex(&w, e->pgsizes);
	}
	if (e->has_caps)
		exec_print_caps(&w, e);
	if (e->has_ranges) {
		json_key(&w, "ranges");
		json_array_begin(&w);
		for (i = 0; i < e->nr_ranges; i++) {
			struct vfio_iova_range t1 = { 0 };

			if (!e->ranges)
				memcpy(&t1, (const __u8 *)e->t1ranges + i * sizeof(t1),
				       sizeof(t1));
			json_array_begin(&w);
			json_hex(&w, e->ranges ? e->ranges[i].start : t1.start);
			json_hex(&w, e->ranges ? e->ranges[i].last : t1.end);
			json_array_end(&w);
		}
		json_array_end(&w);
	}
	json_object_end(&w);
	json_newline(&w);
	funlockfile(x->out);
}

static int exec_dispatch(struct dl_exec *x, const struct dl_op *op,
			 struct truth_rec *r, struct out_extra *e, void *buf)
{
	switch (op->kind) {
	case DL_IOAS:
		return exec_ioas(x, op, r, e);
	case DL_RESERVE:
		return exec_reserve(x, op, r);
	case DL_MOCKDEV:
		return exec_mockdev(x, op, r, e);
	case DL_ALLOW:
		return exec_allow(x, op, r);
	case DL_RANGES:
		return exec_ranges(x, op, r, e, buf);
	case DL_MAP:
		return exec_map(x, op, r, e);
	case DL_UNMAP:
		return exec_unmap(x, op, r, e);
	case DL_COPY:
		return exec_copy(x, op, r, e);
	case DL_DESTROY:
		return exec_destroy(x, op, r);
	case DL_TYPE1:
		return exec_type1(x, op, r);
	case DL_T1MAP:
		return exec_t1map(x, op, r);
	case DL_T1UNMAP:
		return exec_t1unmap(x, op, r, e);
	case DL_T1INFO:
		return exec_t1info(x, r, e, buf);
	case DL_WINDOW:
		return exec_window(x, op, r, e);
	case DL_NEED:
		return exec_need(x, op, r, e);
	case DL_CONTAINER ... DL_LIMIT:
		return exec_vfio(x, op, r, e, buf);
	default:
		r->op = TR_NONE;
		return -EOPNOTSUPP;
	}
}

int dl_exec_op(struct dl_exec *x, const struct dl_op *op,
	       struct dl_result *res)
{
	struct truth_rec r = { .op = TR_NONE };
	struct out_extra e = { 0 };
	void *buf = NULL;
	int frees;

	if (op->kind == DL_RANGES || op->kind == DL_T1INFO ||
	    op->kind == DL_VINFO) {
		size_t n = op->kind == DL_RANGES ?
			   (op->nr_ranges + 1) * sizeof(struct iommu_iova_range) :
			   T1INFO_BUF;

		buf = calloc(1, n);
		if (!buf)
			return res->ret = -ENOMEM;
	}
	frees = op->kind == DL_UNMAP || op->kind == DL_T1UNMAP ||
		op->kind == DL_DESTROY || op->kind == DL_VUNMAP ||
		op->kind == DL_UNGROUP;
	if (frees)
		truth_lock(x->truth);
	res->ret = exec_dispatch(x, op, &r, &e, buf);
	res->iova = e.iova;
	r.ret = res->ret;
	if (frees)
		truth_record_locked(x->truth, &r);
	else if (r.op != TR_NONE)
		truth_record(x->truth, &r);
	if (frees)
		truth_unlock(x->truth);
	if (x->out)
		print_line(x, op, res->ret, &e);
	free(buf);
	return res->ret;
}
