// SPDX-License-Identifier: GPL-2.0
/*
 * ref-rawcheck: the same raw ioctls on /dev/iommu (kernel) or on libdmaref
 * (ref), printing each return code and the bytes the call left in its
 * struct: ioctl decoding, size rules, object ids, VFIO GET_INFO layouts
 * for many argsz, the selftest's syzkaller copy flag. tools/refcheck.sh
 * runs both in the 6.12 VM and diffs them.
 *   ref-rawcheck kernel|ref
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/vfio.h>
#include "ref/iommufd.h"

static int kfd = -1;
static struct iommufd_ctx *rctx;

static int xioctl(unsigned int cmd, unsigned long arg)
{
	int rc;

	if (rctx)
		return iommufd_fops_ioctl(rctx, cmd, arg);
	rc = ioctl(kfd, cmd, arg);
	return rc < 0 ? -errno : rc;
}

static void dump(const char *what, int rc, const void *buf, size_t n)
{
	const unsigned char *b = buf;
	size_t i;

	printf("%s: rc=%d", what, rc);
	for (i = 0; i < n; i++)
		printf("%s%02x", i % 8 ? "" : " ", b[i]);
	printf("\n");
}

int main(int argc, char **argv)
{
	__u32 buf[64];
	unsigned char big[512];
	unsigned int i;

	if (argc != 2 || (strcmp(argv[1], "ref") && strcmp(argv[1], "kernel"))) {
		fprintf(stderr, "usage: ref-rawcheck kernel|ref\n");
		return 2;
	}
	if (!strcmp(argv[1], "ref"))
		rctx = iommufd_ctx_create();
	else
		kfd = open("/dev/iommu", O_RDWR);
	if (!rctx && kfd < 0) { perror("open"); return 1; }

#define RAW(what, cmd, size, setup) do { memset(buf, 0, sizeof(buf)); buf[0] = size; setup; \
	int rc_ = xioctl(cmd, (unsigned long)buf); dump(what, rc_, buf, 48); } while (0)
#define OPT(what, id_, op_, obj_, val_, resv_) do { \
	struct iommu_option o_ = { .size = sizeof(o_), .option_id = id_, .op = op_, \
				   .object_id = obj_, .val64 = val_, .__reserved = resv_ }; \
	int rc_ = xioctl(IOMMU_OPTION, (unsigned long)&o_); dump(what, rc_, &o_, sizeof(o_)); } while (0)
	OPT("rlimit set 1 empty", 0, 0, 0, 1, 0);
	OPT("rlimit get", 0, 1, 0, 0, 0);
	OPT("rlimit set 2", 0, 0, 0, 2, 0);
	OPT("rlimit set 0", 0, 0, 0, 0, 0);
	OPT("rlimit get obj", 0, 1, 1, 0, 0);
	OPT("rlimit op 2", 0, 2, 0, 0, 0);
	OPT("option 5", 5, 1, 0, 0, 0);
	OPT("option resv", 0, 1, 0, 0, 1);
	RAW("option short", IOMMU_OPTION, 16, );
	RAW("alloc 11", IOMMU_IOAS_ALLOC, 11, );
	RAW("alloc 12", IOMMU_IOAS_ALLOC, 12, );
	RAW("alloc 64", IOMMU_IOAS_ALLOC, 64, );
	RAW("alloc 16 tail", IOMMU_IOAS_ALLOC, 16, buf[3] = 1);
	RAW("alloc flags", IOMMU_IOAS_ALLOC, 12, buf[1] = 1);
	RAW("alloc 8", IOMMU_IOAS_ALLOC, 8, );
	OPT("rlimit set busy", 0, 0, 0, 1, 0);
	OPT("huge get", 1, 1, 1, 7, 0);
	OPT("huge get 99", 1, 1, 99, 7, 0);
	OPT("huge set 2", 1, 0, 1, 2, 0);
	OPT("huge set 0", 1, 0, 1, 0, 0);
	OPT("huge get", 1, 1, 1, 7, 0);
	RAW("ranges huge off", IOMMU_IOAS_IOVA_RANGES, 32, buf[1] = 1);
	OPT("huge set 1", 1, 0, 1, 1, 0);
	RAW("ranges huge on", IOMMU_IOAS_IOVA_RANGES, 32, buf[1] = 1);
	OPT("huge op 3", 1, 3, 1, 1, 0);
	RAW("nr 0x8f", _IO(';', 0x8f), 64, );
	RAW("nr 0xa1", _IO(';', 0xa1), 64, );
	RAW("nr 0x7f", _IO(';', 0x7f), 64, );
	RAW("IOW 0x81", _IOW(';', 0x81, __u32), 12, );
	RAW("type x 0x81", _IO('x', 0x81), 12, );
	RAW("destroy 7", IOMMU_DESTROY, 7, );
	RAW("destroy 0", IOMMU_DESTROY, 8, );
	RAW("destroy 99", IOMMU_DESTROY, 8, buf[1] = 99);
	RAW("test op 0x1000", IOMMU_TEST_CMD, sizeof(struct iommu_test_cmd), buf[1] = 0x1000);
	RAW("test short", IOMMU_TEST_CMD, offsetof(struct iommu_test_cmd, last), buf[1] = 1);
	RAW("test reserve", IOMMU_TEST_CMD, sizeof(struct iommu_test_cmd), buf[1] = 1; buf[2] = 1; buf[4] = 0x5000; buf[6] = 0x1000);
	RAW("ranges 32 num0", IOMMU_IOAS_IOVA_RANGES, 32, buf[1] = 1);
	RAW("ranges 24", IOMMU_IOAS_IOVA_RANGES, 24, buf[1] = 1);
	RAW("ranges resv", IOMMU_IOAS_IOVA_RANGES, 32, buf[1] = 1; buf[3] = 1);
	RAW("map short", IOMMU_IOAS_MAP, 32, buf[2] = 1);
	RAW("unmap 0 0", IOMMU_IOAS_UNMAP, 24, buf[1] = 1);
	RAW("unmap all", IOMMU_IOAS_UNMAP, 24, buf[1] = 1; buf[4] = ~0u; buf[5] = ~0u);
	RAW("unmap 1 max", IOMMU_IOAS_UNMAP, 24, buf[1] = 1; buf[2] = 1; buf[4] = ~0u; buf[5] = ~0u);
	RAW("vfio_ioas get", IOMMU_VFIO_IOAS, 12, buf[2] = 0);
	RAW("vfio_ioas op3", IOMMU_VFIO_IOAS, 12, buf[2] = 3);
	RAW("vfio_ioas set 1", IOMMU_VFIO_IOAS, 12, buf[1] = 1; buf[2] = 1);
	RAW("vfio_ioas get", IOMMU_VFIO_IOAS, 12, buf[2] = 0);
	RAW("copy short", IOMMU_IOAS_COPY, 40, );
	RAW("allow n1 null", IOMMU_IOAS_ALLOW_IOVAS, 24, buf[1] = 1; buf[2] = 0);
	{
		struct iommu_ioas_map m = { .size = sizeof(m), .flags = 7, .ioas_id = 1, .user_va = 0x10000000, .length = 0x2000, .iova = 0x100000 };
		printf("syz map %d\n", xioctl(IOMMU_IOAS_MAP, (unsigned long)&m));
		struct iommu_ioas_copy c = { .size = sizeof(c), .flags = 6 | (1 << 16), .dst_ioas_id = 2, .src_ioas_id = 1, .length = 0x1000, .src_iova = (0x1000ULL << 32) | 0 };
		int rc = xioctl(IOMMU_IOAS_COPY, (unsigned long)&c);
		printf("syz copy %d dst 0x%llx\n", rc, (unsigned long long)c.dst_iova);
		c.src_iova = 5; c.flags = 6 | (1 << 16);
		printf("syz copy nth5 %d\n", xioctl(IOMMU_IOAS_COPY, (unsigned long)&c));
		c.src_iova = 0; c.src_ioas_id = 77; c.flags = 6 | (1 << 16);
		printf("syz copy bad ioas %d\n", xioctl(IOMMU_IOAS_COPY, (unsigned long)&c));
		struct iommu_ioas_unmap u = { .size = sizeof(u), .ioas_id = 1, .length = ~0ULL };
		printf("syz unmap %d\n", xioctl(IOMMU_IOAS_UNMAP, (unsigned long)&u));
		m.iova = 0x1000; m.length = 0x800;
		printf("sub-page map %d\n", xioctl(IOMMU_IOAS_MAP, (unsigned long)&m));
		OPT("huge set 0 sub-page", 1, 0, 1, 0, 0);
		u.length = ~0ULL;
		printf("sub-page unmap %d\n", xioctl(IOMMU_IOAS_UNMAP, (unsigned long)&u));
		u.ioas_id = 2; u.length = ~0ULL;
		printf("syz unmap2 %d 0x%llx\n", xioctl(IOMMU_IOAS_UNMAP, (unsigned long)&u), (unsigned long long)u.length);
	}
	printf("api %d\n", xioctl(VFIO_GET_API_VERSION, 0));
	for (i = 0; i < 12; i++)
		printf("ext %u: %d\n", i, xioctl(VFIO_CHECK_EXTENSION, i));
	{
		unsigned int sizes[] = { 15, 16, 24, 39, 40, 52, 55, 56, 64, 71, 72, 200 };
		for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			struct vfio_iommu_type1_info *info = (void *)big;
			int rc;
			memset(big, 0xaa, sizeof(big));
			info->argsz = sizes[i];
			rc = xioctl(VFIO_IOMMU_GET_INFO, (unsigned long)big);
			char what[32];
			snprintf(what, sizeof(what), "info argsz %u", sizes[i]);
			dump(what, rc, big, 88);
		}
	}
	RAW("mock", IOMMU_TEST_CMD, sizeof(struct iommu_test_cmd), buf[1] = 2; buf[2] = 1);
	printf("ext cc: %d\n", xioctl(VFIO_CHECK_EXTENSION, VFIO_DMA_CC_IOMMU));
	{
		struct vfio_iommu_type1_info *info = (void *)big;
		memset(big, 0xaa, sizeof(big));
		info->argsz = 200;
		int rc = xioctl(VFIO_IOMMU_GET_INFO, (unsigned long)big);
		dump("info mock", rc, big, 88);
	}
	printf("set v1 %d\n", xioctl(VFIO_SET_IOMMU, VFIO_TYPE1_IOMMU));
	RAW("destroy ioas busy", IOMMU_DESTROY, 8, buf[1] = 1);
	RAW("destroy idev", IOMMU_DESTROY, 8, buf[1] = 3);
	RAW("destroy hwpt", IOMMU_DESTROY, 8, buf[1] = 4);
	RAW("destroy stdev", IOMMU_DESTROY, 8, buf[1] = 2);
	RAW("destroy hwpt again", IOMMU_DESTROY, 8, buf[1] = 4);
	printf("set v1 %d\n", xioctl(VFIO_SET_IOMMU, VFIO_TYPE1_IOMMU));
	RAW("ranges after", IOMMU_IOAS_IOVA_RANGES, 32, buf[1] = 1);
	return 0;
}
