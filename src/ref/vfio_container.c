// SPDX-License-Identifier: GPL-2.0
/*
 * The VFIO container around the type1 driver (Linux 6.12
 * drivers/vfio/container.c and the container ioctls of group.c): groups
 * join a container first; VFIO_SET_IOMMU opens the driver and attaches
 * them all; a group joining later is attached at once (the hot-plug
 * case); the last group to leave releases the driver, and the container
 * is back to "no IOMMU set". The only driver is native type1.
 */
#include <errno.h>
#include <stdlib.h>
#include <linux/vfio.h>
#include "vfio_type1_private.h"

#define REF_CONTAINER_MAX_GROUPS	64

struct vfio_container {
	pthread_mutex_t group_lock;
	struct iommu_group *group_list[REF_CONTAINER_MAX_GROUPS];
	unsigned int nr_groups;
	struct vfio_iommu *iommu_data;	/* NULL: no driver set */
};

REF_API struct vfio_container *vfio_container_open(void)
{
	struct vfio_container *c = calloc(1, sizeof(*c));

	if (c)
		pthread_mutex_init(&c->group_lock, NULL);
	return c;
}

static long check_extension(struct vfio_container *c, unsigned long arg)
{
	return vfio_iommu_type1_ioctl(c->iommu_data, VFIO_CHECK_EXTENSION, arg);
}

/* Open the driver and attach every group; all or nothing */
static long set_iommu(struct vfio_container *c, unsigned long arg)
{
	struct vfio_iommu *iommu;
	unsigned int i;
	int ret = 0;

	if (!c->nr_groups || c->iommu_data)
		return -EINVAL;
	if (check_extension(c, arg) <= 0)
		return -ENODEV;	/* no driver offers it */
	iommu = vfio_iommu_type1_open(arg);
	if (REF_IS_ERR(iommu))
		return REF_PTR_ERR(iommu);
	for (i = 0; i < c->nr_groups && !ret; i++)
		ret = vfio_iommu_type1_attach_group(iommu, c->group_list[i],
						    c->group_list[i]->type);
	if (ret) {
		for (i--; i-- > 0;)
			vfio_iommu_type1_detach_group(iommu, c->group_list[i]);
		vfio_iommu_type1_release(iommu);
		return ret;
	}
	c->iommu_data = iommu;
	return 0;
}

REF_API long vfio_fops_unl_ioctl(struct vfio_container *container,
				 unsigned int cmd, unsigned long arg)
{
	long ret = -EINVAL;

	pthread_mutex_lock(&container->group_lock);
	switch (cmd) {
	case VFIO_GET_API_VERSION:
		ret = VFIO_API_VERSION;
		break;
	case VFIO_CHECK_EXTENSION:
		ret = check_extension(container, arg);
		break;
	case VFIO_SET_IOMMU:
		ret = set_iommu(container, arg);
		break;
	default:
		if (container->iommu_data)
			ret = vfio_iommu_type1_ioctl(container->iommu_data, cmd,
						     arg);
	}
	pthread_mutex_unlock(&container->group_lock);
	return ret;
}

REF_API int vfio_container_attach_group(struct vfio_container *container,
					struct iommu_group *group)
{
	int ret = 0;

	if (group->container)
		return -EINVAL;	/* vfio_group_has_iommu() */
	pthread_mutex_lock(&container->group_lock);
	if (container->nr_groups == REF_CONTAINER_MAX_GROUPS)
		ret = -ENOSPC;
	else if (container->iommu_data)
		ret = vfio_iommu_type1_attach_group(container->iommu_data, group,
						    group->type);
	if (!ret) {
		container->group_list[container->nr_groups++] = group;
		group->container = container;
	}
	pthread_mutex_unlock(&container->group_lock);
	return ret;
}

static void group_list_del(struct vfio_container *c, struct iommu_group *g)
{
	unsigned int i;

	for (i = 0; i < c->nr_groups; i++)
		if (c->group_list[i] == g)
			break;
	for (; i + 1 < c->nr_groups; i++)
		c->group_list[i] = c->group_list[i + 1];
	c->nr_groups--;
}

/* vfio_group_detach_container() */
static void detach_container(struct vfio_container *c, struct iommu_group *g)
{
	if (c->iommu_data)
		vfio_iommu_type1_detach_group(c->iommu_data, g);
	group_list_del(c, g);
	g->container = NULL;
	if (c->iommu_data && !c->nr_groups) {
		vfio_iommu_type1_release(c->iommu_data);
		c->iommu_data = NULL;
	}
}

REF_API int vfio_group_unset_container(struct iommu_group *group)
{
	struct vfio_container *c = group->container;

	if (!c)
		return -EINVAL;
	pthread_mutex_lock(&c->group_lock);
	detach_container(c, group);
	pthread_mutex_unlock(&c->group_lock);
	return 0;
}

REF_API void vfio_container_close(struct vfio_container *container)
{
	while (container->nr_groups)
		detach_container(container,
				 container->group_list[container->nr_groups - 1]);
	pthread_mutex_destroy(&container->group_lock);
	free(container);
}

REF_API int ref_vfio_container_usage(struct vfio_container *container,
				     struct ref_vfio_usage *usage)
{
	struct vfio_iommu *iommu = container->iommu_data;
	struct itree_node *n;
	int ret = -ENODEV;

	pthread_mutex_lock(&container->group_lock);
	if (!iommu)
		goto out;
	pthread_mutex_lock(&iommu->lock);
	*usage = (struct ref_vfio_usage){
		.nr_dma = iommu->dma_list.count,
		.dma_avail = iommu->dma_avail,
		.nr_iova = iommu->iova_list.nr,
		.pgsize_bitmap = iommu->pgsize_bitmap,
	};
	itree_for_each(n, &iommu->dma_list, 0, ~0UL) {
		usage->mapped_bytes += vfio_dma_of(n)->size;
		usage->locked_pages += vfio_dma_of(n)->locked_vm;
	}
	pthread_mutex_unlock(&iommu->lock);
	ret = 0;
out:
	pthread_mutex_unlock(&container->group_lock);
	return ret;
}

REF_API int ref_vfio_container_set_dma_entry_limit(struct vfio_container *container,
						   unsigned int limit)
{
	struct vfio_iommu *iommu = container->iommu_data;
	int ret = -ENODEV;

	pthread_mutex_lock(&container->group_lock);
	if (!iommu)
		goto out;
	pthread_mutex_lock(&iommu->lock);
	ret = -ENOSPC;
	if (limit >= iommu->dma_list.count) {
		iommu->dma_avail = limit - iommu->dma_list.count;
		ret = 0;
	}
	pthread_mutex_unlock(&iommu->lock);
out:
	pthread_mutex_unlock(&container->group_lock);
	return ret;
}
