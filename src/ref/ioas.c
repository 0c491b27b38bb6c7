// SPDX-License-Identifier: GPL-2.0
/*
 * IOAS ioctl handlers, modelled on Linux 6.12 drivers/iommu/iommufd/ioas.c.
 * Called by iommufd_fops_ioctl() with the context lock held.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "ref/iommufd.h"
#include "iommufd_private.h"

struct iommufd_ioas *iommufd_ioas_alloc(struct iommufd_ctx *ictx)
{
	struct iommufd_ioas *ioas = calloc(1, sizeof(*ioas));
	int rc;

	if (!ioas)
		return NULL;
	rc = iommufd_object_alloc_id(ictx, &ioas->obj, IOMMUFD_OBJ_IOAS);
	if (rc) {
		free(ioas);
		return NULL;
	}
	iopt_init_table(&ioas->iopt, ioas->obj.id);
	return ioas;
}

void iommufd_ioas_destroy(struct iommufd_ioas *ioas)
{
	iopt_unmap_all(&ioas->iopt, NULL);
	iopt_destroy_table(&ioas->iopt);
}

REF_API int iommufd_ioas_alloc_ioctl(struct iommufd_ucmd *ucmd)
{
	struct iommu_ioas_alloc *cmd = ucmd->cmd;
	struct iommufd_ioas *ioas;

	if (cmd->flags)
		return -EOPNOTSUPP;
	ioas = iommufd_ioas_alloc(ucmd->ictx);
	if (!ioas)
		return -ENOMEM;
	cmd->out_ioas_id = ioas->obj.id;
	iommufd_ucmd_respond(ucmd, sizeof(*cmd));
	iommufd_object_finalize(ucmd->ictx, &ioas->obj);
	return 0;
}

struct ranges_fill {
	struct iommu_iova_range *ranges;
	__u32 max;
	__u32 num;
};

static int fill_range(unsigned long start, unsigned long last, void *arg)
{
	struct ranges_fill *fill = arg;

	if (fill->num < fill->max) {
		if (!fill->ranges)
			return -EFAULT;
		fill->ranges[fill->num].start = start;
		fill->ranges[fill->num].last = last;
	}
	fill->num++;
	return 0;
}

/* The holes of the reserved ranges (allowed ranges play no part) */
REF_API int iommufd_ioas_iova_ranges(struct iommufd_ucmd *ucmd)
{
	struct iommu_ioas_iova_ranges *cmd = ucmd->cmd;
	struct ranges_fill fill = { .max = cmd->num_iovas };
	struct iommufd_ioas *ioas;
	int rc;

	if (cmd->__reserved)
		return -EOPNOTSUPP;
	ioas = iommufd_get_ioas(ucmd->ictx, cmd->ioas_id);
	if (!ioas)
		return -ENOENT;
	fill.ranges = (struct iommu_iova_range *)(unsigned long)cmd->allowed_iovas;
	cmd->num_iovas = 0;
	cmd->out_iova_alignment = ioas->iopt.iova_alignment;
	rc = iopt_for_each_reserved_hole(&ioas->iopt, fill_range, &fill);
	if (rc)
		return rc;
	cmd->num_iovas = fill.num;
	iommufd_ucmd_respond(ucmd, sizeof(*cmd));
	if (fill.num > fill.max)
		return -EMSGSIZE;
	return 0;
}

static int iommufd_ioas_load_iovas(struct itree *itree,
				   const struct iommu_iova_range *ranges,
				   __u32 num)
{
	__u32 i;

	for (i = 0; i != num; i++) {
		struct iopt_allowed *allowed;

		if (!ranges)
			return -EFAULT;
		if (ranges[i].start >= ranges[i].last)
			return -EINVAL;
		if (itree_iter_first(itree, ranges[i].start, ranges[i].last))
			return -EINVAL;
		allowed = calloc(1, sizeof(*allowed));
		if (!allowed)
			return -ENOMEM;
		allowed->node.start = ranges[i].start;
		allowed->node.last = ranges[i].last;
		itree_insert(itree, &allowed->node);
	}
	return 0;
}

REF_API int iommufd_ioas_allow_iovas(struct iommufd_ucmd *ucmd)
{
	struct iommu_ioas_allow_iovas *cmd = ucmd->cmd;
	struct itree allowed = {};
	struct iommufd_ioas *ioas;
	int rc;

	if (cmd->__reserved)
		return -EOPNOTSUPP;
	ioas = iommufd_get_ioas(ucmd->ictx, cmd->ioas_id);
	if (!ioas)
		return -ENOENT;
	rc = iommufd_ioas_load_iovas(
		&allowed,
		(const struct iommu_iova_range *)(unsigned long)cmd->allowed_iovas,
		cmd->num_iovas);
	if (!rc)
		rc = iopt_set_allow_iova(&ioas->iopt, &allowed);
	iopt_free_allowed(&allowed);
	return rc;
}

static int conv_iommu_prot(__u32 map_flags)
{
	int iommu_prot = IOMMU_CACHE;

	if (map_flags & IOMMU_IOAS_MAP_WRITEABLE)
		iommu_prot |= IOMMU_WRITE;
	if (map_flags & IOMMU_IOAS_MAP_READABLE)
		iommu_prot |= IOMMU_READ;
	return iommu_prot;
}

#define IOAS_MAP_FLAGS (IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_WRITEABLE | \
			IOMMU_IOAS_MAP_READABLE)

REF_API int iommufd_ioas_map(struct iommufd_ucmd *ucmd)
{
	struct iommu_ioas_map *cmd = ucmd->cmd;
	unsigned long iova = cmd->iova;
	struct iommufd_ioas *ioas;
	unsigned int flags = 0;
	int rc;

	if ((cmd->flags & ~IOAS_MAP_FLAGS) || cmd->__reserved)
		return -EOPNOTSUPP;
	if (cmd->iova >= ULONG_MAX || cmd->length >= ULONG_MAX)
		return -EOVERFLOW;
	if (!(cmd->flags &
	      (IOMMU_IOAS_MAP_WRITEABLE | IOMMU_IOAS_MAP_READABLE)))
		return -EINVAL;
	ioas = iommufd_get_ioas(ucmd->ictx, cmd->ioas_id);
	if (!ioas)
		return -ENOENT;
	if (!(cmd->flags & IOMMU_IOAS_MAP_FIXED_IOVA))
		flags = IOPT_ALLOC_IOVA;
	rc = iopt_map_user_pages(ucmd->ictx, &ioas->iopt, &iova,
				 (void *)(unsigned long)cmd->user_va,
				 cmd->length, conv_iommu_prot(cmd->flags),
				 flags);
	if (rc)
		return rc;
	cmd->iova = iova;
	return iommufd_ucmd_respond(ucmd, sizeof(*cmd));
}

REF_API int iommufd_ioas_copy(struct iommufd_ucmd *ucmd)
{
	struct iommu_ioas_copy *cmd = ucmd->cmd;
	struct iopt_pages_list *list = NULL;
	struct iommufd_ioas *src_ioas, *dst_ioas;
	unsigned int flags = 0;
	unsigned long iova;
	size_t nr = 0;
	int rc;

	iommufd_test_syz_conv_iova_id(ucmd, cmd->src_ioas_id, &cmd->src_iova,
				      &cmd->flags);
	if (cmd->flags & ~IOAS_MAP_FLAGS)
		return -EOPNOTSUPP;
	if (cmd->length >= ULONG_MAX || cmd->src_iova >= ULONG_MAX ||
	    cmd->dst_iova >= ULONG_MAX)
		return -EOVERFLOW;
	if (!(cmd->flags &
	      (IOMMU_IOAS_MAP_WRITEABLE | IOMMU_IOAS_MAP_READABLE)))
		return -EINVAL;
	src_ioas = iommufd_get_ioas(ucmd->ictx, cmd->src_ioas_id);
	if (!src_ioas)
		return -ENOENT;
	rc = iopt_get_pages(&src_ioas->iopt, cmd->src_iova, cmd->length,
			    &list, &nr);
	if (rc)
		return rc;
	dst_ioas = iommufd_get_ioas(ucmd->ictx, cmd->dst_ioas_id);
	if (!dst_ioas) {
		rc = -ENOENT;
		goto out_pages;
	}
	if (!(cmd->flags & IOMMU_IOAS_MAP_FIXED_IOVA))
		flags = IOPT_ALLOC_IOVA;
	iova = cmd->dst_iova;
	rc = iopt_map_pages(&dst_ioas->iopt, list, nr, cmd->length, &iova,
			    conv_iommu_prot(cmd->flags), flags);
	if (rc)
		goto out_pages;
	cmd->dst_iova = iova;
	rc = iommufd_ucmd_respond(ucmd, sizeof(*cmd));
out_pages:
	free(list);
	return rc;
}

REF_API int iommufd_ioas_unmap(struct iommufd_ucmd *ucmd)
{
	struct iommu_ioas_unmap *cmd = ucmd->cmd;
	unsigned long unmapped = 0;
	struct iommufd_ioas *ioas;
	int rc;

	ioas = iommufd_get_ioas(ucmd->ictx, cmd->ioas_id);
	if (!ioas)
		return -ENOENT;
	if (cmd->iova == 0 && cmd->length == UINT64_MAX) {
		rc = iopt_unmap_all(&ioas->iopt, &unmapped);
		if (rc)
			return rc;
	} else {
		if (cmd->iova >= ULONG_MAX || cmd->length >= ULONG_MAX)
			return -EOVERFLOW;
		rc = iopt_unmap_iova(&ioas->iopt, cmd->iova, cmd->length,
				     &unmapped);
		if (rc)
			return rc;
		if (!unmapped)
			return -ENOENT;
	}
	cmd->length = unmapped;
	return iommufd_ucmd_respond(ucmd, sizeof(*cmd));
}

/*
 * RLIMIT_MODE: how pinned pages are charged (not modelled further: the ref
 * pins nothing). The ref's caller counts as CAP_SYS_RESOURCE-capable (the
 * VM tests run as root).
 */
int iommufd_option_rlimit_mode(struct iommu_option *cmd,
			       struct iommufd_ctx *ictx)
{
	if (cmd->object_id)
		return -EOPNOTSUPP;
	if (cmd->op == IOMMU_OPTION_OP_GET) {
		cmd->val64 = ictx->account_mm;
		return 0;
	}
	if (cmd->op == IOMMU_OPTION_OP_SET) {
		if (iommufd_ctx_has_objects(ictx))
			return -EBUSY;
		if (cmd->val64 > 1)
			return -EINVAL;
		ictx->account_mm = cmd->val64;
		return 0;
	}
	return -EOPNOTSUPP;
}

static int iommufd_ioas_option_huge_pages(struct iommu_option *cmd,
					  struct iommufd_ioas *ioas)
{
	if (cmd->op == IOMMU_OPTION_OP_GET) {
		cmd->val64 = !ioas->iopt.disable_large_pages;
		return 0;
	}
	if (cmd->op == IOMMU_OPTION_OP_SET) {
		if (cmd->val64 == 0)
			return iopt_disable_large_pages(&ioas->iopt);
		if (cmd->val64 == 1) {
			iopt_enable_large_pages(&ioas->iopt);
			return 0;
		}
		return -EINVAL;
	}
	return -EOPNOTSUPP;
}

int iommufd_ioas_option(struct iommufd_ucmd *ucmd)
{
	struct iommu_option *cmd = ucmd->cmd;
	struct iommufd_ioas *ioas;

	if (cmd->__reserved)
		return -EOPNOTSUPP;
	ioas = iommufd_get_ioas(ucmd->ictx, cmd->object_id);
	if (!ioas)
		return -ENOENT;
	return iommufd_ioas_option_huge_pages(cmd, ioas);
}
