// SPDX-License-Identifier: GPL-2.0
/*
 * nonresident: one VFIO_IOMMU_MAP_DMA through the reference's VFIO compat
 * ioctl whose struct lies in a page of FILE this process has not touched:
 * a BPF read at the entry cannot fault it in and fails (read_fail), while
 * the library's own copy of it works. Prints "rc N" (the ioctl's return).
 * For tests/host/30-cli.t, under dmatrace -- nonresident FILE.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/vfio.h>
#include "ref/iommufd.h"

static int write_map_cmd(int fd)
{
	struct vfio_iommu_type1_dma_map m = {
		.argsz = sizeof(m),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = 0x10000000,
		.iova = 0x100000,
		.size = 0x1000,
	};
	char page[4096] = {};

	memcpy(page, &m, sizeof(m));
	return write(fd, page, sizeof(page)) == sizeof(page) ? 0 : -errno;
}

int main(int argc, char **argv)
{
	struct iommufd_ctx *ictx;
	void *p;
	int fd, rc;

	if (argc != 2) {
		fprintf(stderr, "usage: nonresident FILE\n");
		return 2;
	}
	fd = open(argv[1], O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write_map_cmd(fd)) {
		fprintf(stderr, "nonresident: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	ictx = iommufd_ctx_create();
	if (p == MAP_FAILED || !ictx) {
		fprintf(stderr, "nonresident: %s\n", strerror(errno));
		return 1;
	}
	rc = iommufd_vfio_ioctl(ictx, VFIO_IOMMU_MAP_DMA, (unsigned long)p);
	printf("rc %d\n", rc);
	iommufd_ctx_destroy(ictx);
	munmap(p, 4096);
	close(fd);
	return 0;
}
