// SPDX-License-Identifier: GPL-2.0
/*
 * IOMMU_TEST_CMD (CONFIG_IOMMUFD_TEST) as in Linux 6.12
 * drivers/iommu/iommufd/selftest.c, the two ops dmatrace uses:
 *  ADD_RESERVED: reserve [start, start + length - 1], owner NULL;
 *  MOCK_DOMAIN:  a mock device object (stdev), its iommufd_device (idev)
 *                and, attached to an IOAS, an automatic HWPT_PAGING whose
 *                domain has the mock aperture and MOCK_IO_PAGE_SIZE pages.
 *                Devices attached to the same IOAS share its auto domain.
 * Ids are taken in the kernel's order: stdev, idev, hwpt.
 */
#include <errno.h>
#include <stdlib.h>
#include "ref/iommufd.h"
#include "iommufd_private.h"

#define MOCK_IO_PAGE_SIZE (REF_PAGE_SIZE / 2)

struct selftest_obj {
	struct iommufd_object obj;
	struct iommufd_device *idev;
};

static int iommufd_test_add_reserved(struct iommufd_ucmd *ucmd,
				     __u32 mockpt_id, unsigned long start,
				     unsigned long length)
{
	struct iommufd_ioas *ioas;
	unsigned long last;

	if (!length)
		return -EINVAL;
	if (__builtin_add_overflow(start, length - 1, &last))
		return -EOVERFLOW;
	ioas = iommufd_get_ioas(ucmd->ictx, mockpt_id);
	if (!ioas)
		return -ENOENT;
	return iopt_reserve_iova(&ioas->iopt, start, last, NULL);
}

void iommufd_hwpt_paging_destroy(struct iommufd_hwpt_paging *hwpt)
{
	struct iommufd_ioas *ioas = hwpt->ioas;
	struct iommufd_hwpt_paging **pos;

	for (pos = &ioas->hwpt_list; *pos; pos = &(*pos)->next) {
		if (*pos == hwpt) {
			*pos = hwpt->next;
			break;
		}
	}
	iopt_table_remove_domain(&ioas->iopt, &hwpt->domain);
	ioas->obj.users--;
}

/* iommufd_hwpt_paging_alloc() in immediate-attach mode */
static struct iommufd_hwpt_paging *
hwpt_paging_alloc(struct iommufd_ctx *ictx, struct iommufd_ioas *ioas,
		  int *rc)
{
	struct iommufd_hwpt_paging *hwpt = calloc(1, sizeof(*hwpt));

	*rc = -ENOMEM;
	if (!hwpt)
		return NULL;
	*rc = iommufd_object_alloc_id(ictx, &hwpt->obj,
				      IOMMUFD_OBJ_HWPT_PAGING);
	if (*rc) {
		free(hwpt);
		return NULL;
	}
	hwpt->ioas = ioas;
	hwpt->domain.aperture_start = MOCK_APERTURE_START;
	hwpt->domain.aperture_end = MOCK_APERTURE_LAST;
	hwpt->domain.pgsize_bitmap = MOCK_IO_PAGE_SIZE;
	*rc = iopt_table_add_domain(&ioas->iopt, &hwpt->domain);
	if (*rc) {
		iommufd_object_abort(ictx, &hwpt->obj);
		free(hwpt);
		return NULL;
	}
	ioas->obj.users++;
	hwpt->next = ioas->hwpt_list;
	ioas->hwpt_list = hwpt;
	return hwpt;
}

static void device_attach(struct iommufd_device *idev,
			  struct iommufd_hwpt_paging *hwpt)
{
	idev->hwpt = hwpt;
	hwpt->obj.users++;
	idev->obj.users++;
}

/* iommufd_device_attach(): *pt_id is an IOAS or a HWPT_PAGING */
static int iommufd_device_attach(struct iommufd_ctx *ictx,
				 struct iommufd_device *idev, __u32 *pt_id)
{
	struct iommufd_object *pt_obj = iommufd_get_object(ictx, *pt_id,
							   IOMMUFD_OBJ_ANY);
	struct iommufd_hwpt_paging *hwpt;
	struct iommufd_ioas *ioas;
	int rc;

	if (!pt_obj)
		return -ENOENT;
	switch (pt_obj->type) {
	case IOMMUFD_OBJ_HWPT_PAGING:
		hwpt = (struct iommufd_hwpt_paging *)pt_obj;
		break;
	case IOMMUFD_OBJ_IOAS:
		ioas = (struct iommufd_ioas *)pt_obj;
		/* Any auto domain takes any mock device */
		for (hwpt = ioas->hwpt_list; hwpt; hwpt = hwpt->next)
			if (hwpt->auto_domain)
				break;
		if (hwpt)
			break;
		hwpt = hwpt_paging_alloc(ictx, ioas, &rc);
		if (!hwpt)
			return rc;
		hwpt->auto_domain = true;
		iommufd_object_finalize(ictx, &hwpt->obj);
		break;
	default:
		return -EINVAL;
	}
	device_attach(idev, hwpt);
	*pt_id = hwpt->obj.id;
	return 0;
}

/* iommufd_device_detach() + iommufd_hw_pagetable_put() */
static void iommufd_device_detach(struct iommufd_ctx *ictx,
				  struct iommufd_device *idev)
{
	struct iommufd_hwpt_paging *hwpt = idev->hwpt;

	idev->hwpt = NULL;
	idev->obj.users--;
	if (hwpt->auto_domain)
		iommufd_object_remove(ictx, &hwpt->obj, hwpt->obj.id);
	else
		hwpt->obj.users--;
}

void iommufd_selftest_destroy(struct iommufd_ctx *ictx,
			      struct iommufd_object *obj)
{
	struct selftest_obj *sobj = (struct selftest_obj *)obj;
	struct iommufd_device *idev = sobj->idev;

	if (idev->hwpt)
		iommufd_device_detach(ictx, idev);
	/* iommufd_device_unbind(): drop the driver's users, destroy */
	iommufd_object_remove(ictx, &idev->obj, idev->obj.id);
}

static int iommufd_test_mock_domain(struct iommufd_ucmd *ucmd,
				    struct iommu_test_cmd *cmd)
{
	struct iommufd_ctx *ictx = ucmd->ictx;
	struct iommufd_device *idev;
	struct selftest_obj *sobj;
	__u32 pt_id = cmd->id;
	int rc = -ENOMEM;

	sobj = calloc(1, sizeof(*sobj));
	idev = calloc(1, sizeof(*idev));
	if (!sobj || !idev)
		goto out_free;
	rc = iommufd_object_alloc_id(ictx, &sobj->obj, IOMMUFD_OBJ_SELFTEST);
	if (rc)
		goto out_free;
	/* iommufd_device_bind(): published at once, held by the driver */
	rc = iommufd_object_alloc_id(ictx, &idev->obj, IOMMUFD_OBJ_DEVICE);
	if (rc)
		goto out_sobj;
	iommufd_object_finalize(ictx, &idev->obj);
	idev->obj.users++;
	sobj->idev = idev;

	rc = iommufd_device_attach(ictx, idev, &pt_id);
	if (rc)
		goto out_unbind;
	cmd->mock_domain.out_hwpt_id = pt_id;
	cmd->mock_domain.out_stdev_id = sobj->obj.id;
	cmd->mock_domain.out_idev_id = idev->obj.id;
	iommufd_ucmd_respond(ucmd, sizeof(*cmd));
	iommufd_object_finalize(ictx, &sobj->obj);
	return 0;

out_unbind:
	iommufd_object_remove(ictx, &idev->obj, idev->obj.id);
	idev = NULL;
out_sobj:
	iommufd_object_abort(ictx, &sobj->obj);
out_free:
	free(idev);
	free(sobj);
	return rc;
}

/*
 * CONFIG_IOMMUFD_TEST lets IOAS_COPY name its source as "offset into the
 * nth area" (for syzkaller): flag bit 16, iova = { u32 nth, u32 offset }.
 */
#define MOCK_FLAGS_ACCESS_SYZ (1U << 16)

void iommufd_test_syz_conv_iova_id(struct iommufd_ucmd *ucmd, __u32 ioas_id,
				   __u64 *iova, __u32 *flags)
{
	struct iommufd_ioas *ioas;
	struct itree_node *node;
	__u32 nth = (__u32)*iova, offset = (__u32)(*iova >> 32);

	if (!(*flags & MOCK_FLAGS_ACCESS_SYZ))
		return;
	*flags &= ~MOCK_FLAGS_ACCESS_SYZ;
	ioas = iommufd_get_ioas(ucmd->ictx, ioas_id);
	if (!ioas)
		return;
	*iova = 0;
	itree_for_each(node, &ioas->iopt.area_itree, 0, ~0UL) {
		if (nth-- == 0) {
			*iova = node->start + offset;
			return;
		}
	}
}

REF_API int iommufd_test(struct iommufd_ucmd *ucmd)
{
	struct iommu_test_cmd *cmd = ucmd->cmd;

	switch (cmd->op) {
	case IOMMU_TEST_OP_ADD_RESERVED:
		return iommufd_test_add_reserved(ucmd, cmd->id,
						 cmd->add_reserved.start,
						 cmd->add_reserved.length);
	case IOMMU_TEST_OP_MOCK_DOMAIN:
		return iommufd_test_mock_domain(ucmd, cmd);
	default:
		/* the kernel has more test ops; the ref models these two */
		return -EOPNOTSUPP;
	}
}
