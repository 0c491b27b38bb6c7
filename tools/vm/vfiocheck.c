// SPDX-License-Identifier: GPL-2.0
/*
 * vfiocheck: the native VFIO type1 container as a VMM or DPDK opens it, one
 * step a line, for the stock kernels' VM tests (tests/vm/guest/stock.sh).
 *
 *   vfiocheck GROUP     GROUP: a VFIO group node, e.g. /dev/vfio/2
 *
 * Prints, stopping at the first failure ("STEP error: why", status 1):
 *   open 0              /dev/vfio/vfio opened
 *   api N               VFIO_GET_API_VERSION
 *   type1v2 N           VFIO_CHECK_EXTENSION(VFIO_TYPE1v2_IOMMU)
 *   set_container 0     VFIO_GROUP_SET_CONTAINER of GROUP
 *   set_iommu 0         VFIO_SET_IOMMU(VFIO_TYPE1v2_IOMMU)
 *   iova_ranges R...    VFIO_IOMMU_GET_INFO's IOVA ranges, "0xSTART-0xLAST"
 * Status 2 on bad usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/vfio.h>

static int fail(const char *step)
{
	printf("%s error: %s\n", step, strerror(errno));
	return 1;
}

/* Print the IOVA range capability of the container's type1 info */
static int iova_ranges(int c)
{
	struct vfio_iommu_type1_info probe = { .argsz = sizeof(probe) };
	struct vfio_iommu_type1_info *info;
	struct vfio_info_cap_header *h;
	struct vfio_iommu_type1_info_cap_iova_range *r;
	uint32_t off;

	if (ioctl(c, VFIO_IOMMU_GET_INFO, &probe))
		return fail("iova_ranges");
	info = calloc(1, probe.argsz);
	if (!info)
		return fail("iova_ranges");
	info->argsz = probe.argsz;
	if (ioctl(c, VFIO_IOMMU_GET_INFO, info))
		return fail("iova_ranges");
	off = (info->flags & VFIO_IOMMU_INFO_CAPS) ? info->cap_offset : 0;
	while (off) {
		h = (struct vfio_info_cap_header *)((char *)info + off);
		if (h->id == VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE) {
			r = (struct vfio_iommu_type1_info_cap_iova_range *)h;
			printf("iova_ranges");
			for (uint32_t i = 0; i < r->nr_iovas; i++)
				printf(" 0x%llx-0x%llx", (unsigned long long)r->iova_ranges[i].start,
				       (unsigned long long)r->iova_ranges[i].end);
			printf("\n");
			free(info);
			return 0;
		}
		off = h->next;
	}
	free(info);
	printf("iova_ranges error: no IOVA range capability\n");
	return 1;
}

int main(int argc, char **argv)
{
	int c, g, n;

	if (argc != 2) {
		fprintf(stderr, "usage: vfiocheck GROUP (e.g. /dev/vfio/2)\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	c = open("/dev/vfio/vfio", O_RDWR);
	if (c < 0)
		return fail("open");
	printf("open 0\n");
	n = ioctl(c, VFIO_GET_API_VERSION);
	if (n < 0)
		return fail("api");
	printf("api %d\n", n);
	n = ioctl(c, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU);
	if (n < 0)
		return fail("type1v2");
	printf("type1v2 %d\n", n);
	g = open(argv[1], O_RDWR);
	if (g < 0 || ioctl(g, VFIO_GROUP_SET_CONTAINER, &c))
		return fail("set_container");
	printf("set_container 0\n");
	if (ioctl(c, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		return fail("set_iommu");
	printf("set_iommu 0\n");
	return iova_ranges(c);
}
