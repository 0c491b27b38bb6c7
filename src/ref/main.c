// SPDX-License-Identifier: GPL-2.0
/*
 * The /dev/iommu file of the ref: context, object ids and the ioctl
 * dispatcher, modelled on Linux 6.12 drivers/iommu/iommufd/main.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "ref/abi.h"
#include "ref/iommufd.h"
#include "ref/window.h"
#include "iommufd_private.h"

/* What include/ref/abi.h promises the tracer */
_Static_assert(offsetof(struct iommufd_ucmd, ictx) == REF_UCMD_OFF_ICTX, "");
_Static_assert(offsetof(struct iommufd_ucmd, ubuffer) == REF_UCMD_OFF_UBUFFER,
	       "");
_Static_assert(offsetof(struct iommufd_ucmd, user_size) ==
		       REF_UCMD_OFF_USER_SIZE, "");
_Static_assert(offsetof(struct iommufd_ucmd, cmd) == REF_UCMD_OFF_CMD, "");
_Static_assert(offsetof(struct io_pagetable, ioas_id) == REF_IOPT_OFF_IOAS_ID,
	       "");

struct iommufd_object iommufd_reserved_slot;

REF_API struct iommufd_ctx *iommufd_ctx_create(void)
{
	struct iommufd_ctx *ictx = calloc(1, sizeof(*ictx));

	if (!ictx)
		return NULL;
	pthread_mutex_init(&ictx->lock, NULL);
	return ictx;
}

/* XA_FLAGS_ALLOC1 + xa_limit_31b: the lowest free id >= 1 */
int iommufd_object_alloc_id(struct iommufd_ctx *ictx,
			    struct iommufd_object *obj,
			    enum iommufd_object_type type)
{
	struct iommufd_object **grown;
	__u32 id, nr;

	for (id = 1; id < ictx->nr_slots; id++)
		if (!ictx->objects[id])
			break;
	if (id >= ictx->nr_slots) {
		if (id > 0x7fffffffU)
			return -EBUSY;
		nr = ictx->nr_slots ? 2 * ictx->nr_slots : 16;
		grown = realloc(ictx->objects, nr * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		memset(grown + ictx->nr_slots, 0,
		       (nr - ictx->nr_slots) * sizeof(*grown));
		ictx->objects = grown;
		ictx->nr_slots = nr;
	}
	ictx->objects[id] = &iommufd_reserved_slot;
	obj->id = id;
	obj->type = type;
	obj->users = 1;
	return 0;
}

void iommufd_object_finalize(struct iommufd_ctx *ictx,
			     struct iommufd_object *obj)
{
	ictx->objects[obj->id] = obj;
}

void iommufd_object_abort(struct iommufd_ctx *ictx, struct iommufd_object *obj)
{
	ictx->objects[obj->id] = NULL;
}

bool iommufd_ctx_has_objects(struct iommufd_ctx *ictx)
{
	__u32 id;

	for (id = 1; id < ictx->nr_slots; id++)
		if (ictx->objects[id])
			return true;
	return false;
}

struct iommufd_object *iommufd_get_object(struct iommufd_ctx *ictx, __u32 id,
					  enum iommufd_object_type type)
{
	struct iommufd_object *obj;

	if (id >= ictx->nr_slots)
		return NULL;
	obj = ictx->objects[id];
	if (!obj || obj == &iommufd_reserved_slot ||
	    (type != IOMMUFD_OBJ_ANY && obj->type != type))
		return NULL;
	return obj;
}

struct iommufd_ioas *iommufd_get_ioas(struct iommufd_ctx *ictx, __u32 id)
{
	return (struct iommufd_ioas *)iommufd_get_object(ictx, id,
							 IOMMUFD_OBJ_IOAS);
}

static void iommufd_object_destroy(struct iommufd_ctx *ictx,
				   struct iommufd_object *obj)
{
	switch (obj->type) {
	case IOMMUFD_OBJ_IOAS:
		iommufd_ioas_destroy((struct iommufd_ioas *)obj);
		break;
	case IOMMUFD_OBJ_HWPT_PAGING:
		iommufd_hwpt_paging_destroy((struct iommufd_hwpt_paging *)obj);
		break;
	case IOMMUFD_OBJ_SELFTEST:
		iommufd_selftest_destroy(ictx, obj);
		break;
	default:
		break;
	}
	free(obj);
}

/*
 * Remove @id if only the id table holds it (users == 1). @obj, when given,
 * is a reference the caller drops first (iommufd_object_put_and_try_destroy)
 */
int iommufd_object_remove(struct iommufd_ctx *ictx,
			  struct iommufd_object *obj, __u32 id)
{
	if (obj) {
		obj->users--;
	} else {
		obj = id < ictx->nr_slots ? ictx->objects[id] : NULL;
		if (!obj || obj == &iommufd_reserved_slot)
			return -ENOENT;
	}
	if (obj->users != 1)
		return -EBUSY;
	ictx->objects[obj->id] = NULL;
	if (ictx->vfio_ioas && &ictx->vfio_ioas->obj == obj)
		ictx->vfio_ioas = NULL;
	iommufd_object_destroy(ictx, obj);
	return 0;
}

REF_API void iommufd_ctx_destroy(struct iommufd_ctx *ictx)
{
	unsigned int destroyed;
	__u32 id;

	if (!ictx)
		return;
	/* Like iommufd_fops_release(): destroy leaves until nothing is left */
	do {
		destroyed = 0;
		for (id = 1; id < ictx->nr_slots; id++) {
			struct iommufd_object *obj = ictx->objects[id];

			if (!obj || obj == &iommufd_reserved_slot ||
			    obj->users != 1)
				continue;
			ictx->objects[id] = NULL;
			iommufd_object_destroy(ictx, obj);
			destroyed++;
		}
	} while (destroyed);
	free(ictx->objects);
	pthread_mutex_destroy(&ictx->lock);
	free(ictx);
}

int iommufd_ucmd_respond(struct iommufd_ucmd *ucmd, size_t cmd_len)
{
	memcpy(ucmd->ubuffer, ucmd->cmd,
	       ucmd->user_size < cmd_len ? ucmd->user_size : cmd_len);
	return 0;
}

/* Only val64 goes back to the user */
REF_API int iommufd_option(struct iommufd_ucmd *ucmd)
{
	struct iommu_option *cmd = ucmd->cmd;
	int rc;

	if (cmd->__reserved)
		return -EOPNOTSUPP;
	switch (cmd->option_id) {
	case IOMMU_OPTION_RLIMIT_MODE:
		rc = iommufd_option_rlimit_mode(cmd, ucmd->ictx);
		break;
	case IOMMU_OPTION_HUGE_PAGES:
		rc = iommufd_ioas_option(ucmd);
		break;
	default:
		return -EOPNOTSUPP;
	}
	if (rc)
		return rc;
	memcpy((char *)ucmd->ubuffer + offsetof(struct iommu_option, val64),
	       &cmd->val64, sizeof(cmd->val64));
	return 0;
}

REF_API int iommufd_destroy(struct iommufd_ucmd *ucmd)
{
	struct iommu_destroy *cmd = ucmd->cmd;

	return iommufd_object_remove(ucmd->ictx, NULL, cmd->id);
}

struct iommufd_ioctl_op {
	unsigned int size;
	unsigned int min_size;
	unsigned int ioctl_num;
	int (*execute)(struct iommufd_ucmd *ucmd);
};

#define offsetofend(T, m) (offsetof(T, m) + sizeof(((T *)0)->m))
#define IOCTL_OP(_ioctl, _fn, _struct, _last)                          \
	[_IOC_NR(_ioctl) - IOMMUFD_CMD_BASE] = {                       \
		.size = sizeof(_struct),                               \
		.min_size = offsetofend(_struct, _last),               \
		.ioctl_num = _ioctl,                                   \
		.execute = _fn,                                        \
	}
/* Kernel ops the ref does not model: they answer -EOPNOTSUPP */
#define IOCTL_UNMODELLED(_nr)                                          \
	[(_nr) - IOMMUFD_CMD_BASE] = {                                 \
		.ioctl_num = _IO(IOMMUFD_TYPE, _nr),                   \
	}

static const struct iommufd_ioctl_op iommufd_ioctl_ops[] = {
	IOCTL_OP(IOMMU_DESTROY, iommufd_destroy, struct iommu_destroy, id),
	IOCTL_OP(IOMMU_IOAS_ALLOC, iommufd_ioas_alloc_ioctl,
		 struct iommu_ioas_alloc, out_ioas_id),
	IOCTL_OP(IOMMU_IOAS_ALLOW_IOVAS, iommufd_ioas_allow_iovas,
		 struct iommu_ioas_allow_iovas, allowed_iovas),
	IOCTL_OP(IOMMU_IOAS_COPY, iommufd_ioas_copy, struct iommu_ioas_copy,
		 src_iova),
	IOCTL_OP(IOMMU_IOAS_IOVA_RANGES, iommufd_ioas_iova_ranges,
		 struct iommu_ioas_iova_ranges, out_iova_alignment),
	IOCTL_OP(IOMMU_IOAS_MAP, iommufd_ioas_map, struct iommu_ioas_map,
		 iova),
	IOCTL_OP(IOMMU_IOAS_UNMAP, iommufd_ioas_unmap, struct iommu_ioas_unmap,
		 length),
	IOCTL_OP(IOMMU_OPTION, iommufd_option, struct iommu_option, val64),
	IOCTL_OP(IOMMU_VFIO_IOAS, iommufd_vfio_ioas, struct iommu_vfio_ioas,
		 __reserved),
	IOCTL_UNMODELLED(0x89),	/* HWPT_ALLOC */
	IOCTL_UNMODELLED(0x8a),	/* GET_HW_INFO */
	IOCTL_UNMODELLED(0x8b),	/* HWPT_SET_DIRTY_TRACKING */
	IOCTL_UNMODELLED(0x8c),	/* HWPT_GET_DIRTY_BITMAP */
	IOCTL_UNMODELLED(0x8d),	/* HWPT_INVALIDATE */
	IOCTL_UNMODELLED(0x8e),	/* FAULT_QUEUE_ALLOC */
	IOCTL_OP(IOMMU_TEST_CMD, iommufd_test, struct iommu_test_cmd, last),
};

/* Room for the largest command struct (the kernel's union ucmd_buffer) */
union ucmd_buffer {
	struct iommu_ioas_copy ioas_copy;
	struct iommu_ioas_iova_ranges iova_ranges;
	struct iommu_ioas_map map;
	struct iommu_test_cmd test;
	__u64 raw[16];
};

/*
 * copy_struct_from_user(): a shorter user struct is zero-extended, a longer
 * one must have only zero bytes past the kernel's size (-E2BIG)
 */
static int copy_struct_from_user(void *dst, size_t ksize, const void *src,
				 size_t usize)
{
	const unsigned char *tail = (const unsigned char *)src + ksize;
	size_t i;

	if (usize > ksize) {
		for (i = 0; i != usize - ksize; i++)
			if (tail[i])
				return -E2BIG;
	}
	memset(dst, 0, ksize);
	memcpy(dst, src, usize < ksize ? usize : ksize);
	return 0;
}

int iommufd_ucmd_run(struct iommufd_ctx *ictx, unsigned long arg,
		     size_t size, size_t min_size,
		     int (*execute)(struct iommufd_ucmd *ucmd))
{
	struct iommufd_ucmd ucmd = {};
	union ucmd_buffer buf;
	int ret;

	if (!arg)
		return -EFAULT;
	if (size > sizeof(buf))
		return -ENOMEM;
	ucmd.ictx = ictx;
	ucmd.ubuffer = (void *)arg;
	memcpy(&ucmd.user_size, ucmd.ubuffer, sizeof(ucmd.user_size));
	if (ucmd.user_size < min_size)
		return -EINVAL;
	ucmd.cmd = &buf;
	ret = copy_struct_from_user(ucmd.cmd, size, ucmd.ubuffer,
				    ucmd.user_size);
	if (ret)
		return ret;
	pthread_mutex_lock(&ictx->lock);
	ret = execute(&ucmd);
	pthread_mutex_unlock(&ictx->lock);
	return ret;
}

REF_API int iommufd_fops_ioctl(struct iommufd_ctx *ictx, unsigned int cmd,
			       unsigned long arg)
{
	const struct iommufd_ioctl_op *op;
	unsigned int nr;

	/* The seed multi-window extension has its own ioctl type */
	if (_IOC_TYPE(cmd) == IOMMU_WINDOW_TYPE)
		return iommufd_window_ioctl(ictx, cmd, arg);

	nr = _IOC_NR(cmd);
	if (nr < IOMMUFD_CMD_BASE ||
	    (nr - IOMMUFD_CMD_BASE) >=
		    sizeof(iommufd_ioctl_ops) / sizeof(iommufd_ioctl_ops[0]))
		return iommufd_vfio_ioctl(ictx, cmd, arg);
	if (!arg)
		return -EFAULT;
	op = &iommufd_ioctl_ops[nr - IOMMUFD_CMD_BASE];
	if (op->ioctl_num != cmd)
		return -ENOTTY;		/* -ENOIOCTLCMD, as seen by the user */
	if (!op->execute)
		return -EOPNOTSUPP;
	return iommufd_ucmd_run(ictx, arg, op->size, op->min_size,
				op->execute);
}

REF_API int ref_ioas_usage(struct iommufd_ctx *ictx, __u32 ioas_id,
		   struct ref_ioas_usage *usage)
{
	struct iommufd_ioas *ioas;
	int rc = -ENOENT;

	pthread_mutex_lock(&ictx->lock);
	ioas = iommufd_get_ioas(ictx, ioas_id);
	if (ioas) {
		usage->nr_areas = ioas->iopt.area_itree.count;
		usage->mapped_bytes = ioas->iopt.mapped_bytes;
		usage->nr_reserved = ioas->iopt.reserved_itree.count;
		usage->nr_allowed = ioas->iopt.allowed_itree.count;
		usage->iova_alignment = ioas->iopt.iova_alignment;
		rc = 0;
	}
	pthread_mutex_unlock(&ictx->lock);
	return rc;
}

REF_API int ref_ioas_check(struct iommufd_ctx *ictx, __u32 ioas_id, const char **why)
{
	struct iommufd_ioas *ioas;
	int rc = -ENOENT;

	*why = "no such IOAS";
	pthread_mutex_lock(&ictx->lock);
	ioas = iommufd_get_ioas(ictx, ioas_id);
	if (ioas)
		rc = iopt_check_invariants(&ioas->iopt, why) ? -EUCLEAN : 0;
	pthread_mutex_unlock(&ictx->lock);
	return rc;
}
