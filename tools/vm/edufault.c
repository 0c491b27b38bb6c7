// SPDX-License-Identifier: GPL-2.0
/*
 * edufault: make QEMU's edu PCI device do DMA through the IOMMU, once where
 * it is allowed and twice where it must fault, so that dmatrace's fault
 * diagnosis can be tested on a real kernel (tests/vm/40-faults.t).
 *
 *   edufault [--hold] DEVICE          DEVICE: edu's VFIO cdev, e.g. /dev/vfio/devices/vfio0
 *   edufault [--hold] --type1 BDF     BDF: edu's PCI address, e.g. 0000:00:04.0
 *
 * The device is bound to a fresh iommufd (/dev/iommu) and attached to a new
 * IOAS, or (--type1) its group is put in a native type1 container
 * (/dev/vfio/vfio, VFIO_TYPE1v2_IOMMU). Two areas are mapped: A = two pages
 * at EDU_IOVA_A, B = one page at EDU_IOVA_B. With --hold it then prints
 * "held pid PID" and waits for a line on stdin (so that a tracer can start
 * after the device was attached and A and B mapped). Then:
 *   ok        page 0 of A -> edu's buffer -> page 1 of A (the copy is checked)
 *   past      edu writes to the page just past A (never mapped): a fault
 *   unmapped  B is unmapped, then edu writes to it: a fault
 *   replaced  the device moves to a second IOAS (attach again: a replace)
 *             holding C = one page at EDU_IOVA_C; edu writes past C: a fault
 *             (not with --type1: a container has one address space)
 * On stdout: "ioas ID pid PID" (--type1: "container pid PID"), then one
 * line per case, e.g. "past iova
 * 0x102000 area [0x100000, 0x101fff]" (IOVAs page aligned, as the IOMMU
 * reports faults); the replaced case names its IOAS: "replaced ioas 2 iova
 * 0x301000 area [0x300000, 0x300fff]".
 *
 * edu (QEMU docs/specs/edu.rst): BAR0 registers 0x80 DMA source, 0x88 DMA
 * destination, 0x90 count, 0x98 command (bit 0 start / busy, bit 1 direction:
 * 1 = edu -> RAM); its DMA buffer is at 0x40000 (4 KiB) on the device side.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/vfio.h>

#include "uapi/iommufd.h"
#include "uapi/vfio_cdev.h"

#define PAGE		4096UL
#define EDU_IOVA_A	0x100000ULL	/* two pages */
#define EDU_IOVA_B	0x200000ULL	/* one page, unmapped before its DMA */
#define EDU_IOVA_C	0x300000ULL	/* one page, in a second IOAS */

#define EDU_REG_IDENT	0x00
#define EDU_REG_DMA_SRC	0x80
#define EDU_REG_DMA_DST	0x88
#define EDU_REG_DMA_CNT	0x90
#define EDU_REG_DMA_CMD	0x98
#define EDU_DMA_START	0x1
#define EDU_DMA_TO_RAM	0x2
#define EDU_BUF		0x40000ULL
/*
 * Bytes per DMA: less than edu's 4 KiB buffer, because QEMU 7.2's range
 * check rejects a transfer ending at the buffer's end (and a failed check
 * aborts QEMU: "hardware error: EDU: DMA range ... out of bounds")
 */
#define EDU_DMA_LEN	1024UL
#define EDU_DMA_WAIT_MS	10000	/* edu runs DMA from a 100 ms timer; TCG is slow */
#define FAULT_SETTLE_MS	300	/* let the fault interrupt be handled */

#define PCI_COMMAND_OFF	0x04
#define PCI_CMD_MASTER	0x4

struct edu {
	bool type1;		/* a native type1 container, not iommufd */
	int iommufd;		/* /dev/iommu, or the container (/dev/vfio/vfio) */
	int groupfd;		/* type1: /dev/vfio/GROUP */
	int devfd;
	__u32 ioas_id;
	volatile uint8_t *bar;
	size_t bar_size;
};

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static uint64_t edu_rd(struct edu *d, unsigned int reg)
{
	return *(volatile uint64_t *)(d->bar + reg);
}

/* edu answers registers below 0x80 to 32-bit accesses only */
static uint32_t edu_rd32(struct edu *d, unsigned int reg)
{
	return *(volatile uint32_t *)(d->bar + reg);
}

static void edu_wr(struct edu *d, unsigned int reg, uint64_t val)
{
	*(volatile uint64_t *)(d->bar + reg) = val;
}

static int ioas_alloc(struct edu *d)
{
	struct iommu_ioas_alloc a = { .size = sizeof(a) };

	if (ioctl(d->iommufd, IOMMU_IOAS_ALLOC, &a))
		return -errno;
	d->ioas_id = a.out_ioas_id;
	return 0;
}

static int ioas_map(struct edu *d, void *buf, size_t len, __u64 iova)
{
	struct iommu_ioas_map m = {
		.size = sizeof(m),
		.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE |
			 IOMMU_IOAS_MAP_WRITEABLE,
		.ioas_id = d->ioas_id,
		.user_va = (uintptr_t)buf,
		.length = len,
		.iova = iova,
	};
	struct vfio_iommu_type1_dma_map t1 = {
		.argsz = sizeof(t1),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = (uintptr_t)buf,
		.iova = iova,
		.size = len,
	};

	if (d->type1)
		return ioctl(d->iommufd, VFIO_IOMMU_MAP_DMA, &t1) ? -errno : 0;
	return ioctl(d->iommufd, IOMMU_IOAS_MAP, &m) ? -errno : 0;
}

static int ioas_unmap(struct edu *d, __u64 iova, size_t len)
{
	struct iommu_ioas_unmap u = {
		.size = sizeof(u),
		.ioas_id = d->ioas_id,
		.iova = iova,
		.length = len,
	};
	struct vfio_iommu_type1_dma_unmap t1 = {
		.argsz = sizeof(t1), .iova = iova, .size = len,
	};

	if (d->type1)
		return ioctl(d->iommufd, VFIO_IOMMU_UNMAP_DMA, &t1) ? -errno : 0;
	return ioctl(d->iommufd, IOMMU_IOAS_UNMAP, &u) ? -errno : 0;
}

/* Attach to d->ioas_id: the first time an attach, then a replace */
static int device_attach(struct edu *d)
{
	struct vfio_device_attach_iommufd_pt at = {
		.argsz = sizeof(at), .pt_id = d->ioas_id,
	};

	return ioctl(d->devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &at) ? -errno : 0;
}

static int device_bind(struct edu *d)
{
	struct vfio_device_bind_iommufd bind = {
		.argsz = sizeof(bind), .iommufd = d->iommufd,
	};

	if (ioctl(d->devfd, VFIO_DEVICE_BIND_IOMMUFD, &bind))
		return -errno;
	return device_attach(d);
}

static int region_info(struct edu *d, __u32 index, struct vfio_region_info *ri)
{
	memset(ri, 0, sizeof(*ri));
	ri->argsz = sizeof(*ri);
	ri->index = index;
	return ioctl(d->devfd, VFIO_DEVICE_GET_REGION_INFO, ri) ? -errno : 0;
}

/* vfio-pci leaves bus mastering off: without it edu's DMA goes nowhere */
static int enable_bus_master(struct edu *d)
{
	struct vfio_region_info ri;
	__u16 cmd;
	int e;

	e = region_info(d, VFIO_PCI_CONFIG_REGION_INDEX, &ri);
	if (e)
		return e;
	if (pread(d->devfd, &cmd, sizeof(cmd), ri.offset + PCI_COMMAND_OFF) != 2)
		return -EIO;
	cmd |= PCI_CMD_MASTER;
	if (pwrite(d->devfd, &cmd, sizeof(cmd), ri.offset + PCI_COMMAND_OFF) != 2)
		return -EIO;
	return 0;
}

static int map_bar0(struct edu *d)
{
	struct vfio_region_info ri;
	void *p;
	int e;

	e = region_info(d, VFIO_PCI_BAR0_REGION_INDEX, &ri);
	if (e)
		return e;
	if (!(ri.flags & VFIO_REGION_INFO_FLAG_MMAP) || ri.size < EDU_REG_DMA_CMD + 8)
		return -ENOTSUP;
	p = mmap(NULL, ri.size, PROT_READ | PROT_WRITE, MAP_SHARED, d->devfd,
		 ri.offset);
	if (p == MAP_FAILED)
		return -errno;
	d->bar = p;
	d->bar_size = ri.size;
	return 0;
}

/* One edu DMA of cnt bytes; false when edu did not finish in time */
static bool edu_dma(struct edu *d, __u64 src, __u64 dst, __u64 cnt, bool to_ram)
{
	int waited;

	edu_wr(d, EDU_REG_DMA_SRC, src);
	edu_wr(d, EDU_REG_DMA_DST, dst);
	edu_wr(d, EDU_REG_DMA_CNT, cnt);
	edu_wr(d, EDU_REG_DMA_CMD, EDU_DMA_START | (to_ram ? EDU_DMA_TO_RAM : 0));
	for (waited = 0; waited < EDU_DMA_WAIT_MS; waited++) {
		if (!(edu_rd(d, EDU_REG_DMA_CMD) & EDU_DMA_START))
			return true;
		sleep_ms(1);
	}
	return false;
}

/* iommufd: a fresh IOAS, the cdev bound and attached to it */
static int edu_open_iommufd(struct edu *d, const char *dev)
{
	int e;

	d->iommufd = open("/dev/iommu", O_RDWR);
	if (d->iommufd < 0) {
		fprintf(stderr, "edufault: /dev/iommu: %s\n", strerror(errno));
		return -1;
	}
	d->devfd = open(dev, O_RDWR);
	if (d->devfd < 0) {
		fprintf(stderr, "edufault: %s: %s\n", dev, strerror(errno));
		return -1;
	}
	e = ioas_alloc(d);
	if (!e)
		e = device_bind(d);
	if (e) {
		fprintf(stderr, "edufault: %s: cannot bind/attach to an IOAS: %s\n",
			dev, strerror(-e));
		return -1;
	}
	return 0;
}

/* /dev/vfio/GROUP of the PCI device bdf */
static int type1_group_open(const char *bdf)
{
	char link[PATH_MAX], target[PATH_MAX], path[PATH_MAX + 16];
	const char *group;
	ssize_t n;

	snprintf(link, sizeof(link), "/sys/bus/pci/devices/%s/iommu_group", bdf);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return -1;
	target[n] = '\0';
	group = strrchr(target, '/');
	snprintf(path, sizeof(path), "/dev/vfio/%s", group ? group + 1 : target);
	return open(path, O_RDWR);
}

/* native type1: bdf's group in a new container, VFIO_TYPE1v2_IOMMU */
static int edu_open_type1(struct edu *d, const char *bdf)
{
	d->iommufd = open("/dev/vfio/vfio", O_RDWR);
	if (d->iommufd < 0) {
		fprintf(stderr, "edufault: /dev/vfio/vfio: %s\n", strerror(errno));
		return -1;
	}
	d->groupfd = type1_group_open(bdf);
	if (d->groupfd < 0) {
		fprintf(stderr, "edufault: %s: its VFIO group: %s\n", bdf,
			strerror(errno));
		return -1;
	}
	if (ioctl(d->groupfd, VFIO_GROUP_SET_CONTAINER, &d->iommufd) ||
	    ioctl(d->iommufd, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU)) {
		fprintf(stderr, "edufault: %s: group into a type1 container: %s\n",
			bdf, strerror(errno));
		return -1;
	}
	d->devfd = ioctl(d->groupfd, VFIO_GROUP_GET_DEVICE_FD, bdf);
	if (d->devfd < 0) {
		fprintf(stderr, "edufault: %s: VFIO_GROUP_GET_DEVICE_FD: %s\n",
			bdf, strerror(errno));
		return -1;
	}
	return 0;
}

static int edu_open(struct edu *d, const char *dev)
{
	int e;

	if (d->type1 ? edu_open_type1(d, dev) : edu_open_iommufd(d, dev))
		return -1;
	e = enable_bus_master(d);
	if (!e)
		e = map_bar0(d);
	if (e) {
		fprintf(stderr, "edufault: %s: config space or BAR0: %s\n", dev,
			strerror(-e));
		return -1;
	}
	if ((edu_rd32(d, EDU_REG_IDENT) & 0xff) != 0xed) {
		fprintf(stderr, "edufault: %s: not an edu device (ident 0x%x)\n",
			dev, edu_rd32(d, EDU_REG_IDENT));
		return -1;
	}
	return 0;
}

/* ok: page 0 of A -> edu -> page 1 of A, and the bytes arrived */
static int case_ok(struct edu *d, uint8_t *a)
{
	size_t i;

	for (i = 0; i < EDU_DMA_LEN; i++)
		a[i] = (uint8_t)(i * 7 + 3);
	memset(a + PAGE, 0, PAGE);
	if (!edu_dma(d, EDU_IOVA_A, EDU_BUF, EDU_DMA_LEN, false) ||
	    !edu_dma(d, EDU_BUF, EDU_IOVA_A + PAGE, EDU_DMA_LEN, true)) {
		fprintf(stderr, "edufault: edu DMA did not complete\n");
		return -1;
	}
	if (memcmp(a, a + PAGE, EDU_DMA_LEN)) {
		fprintf(stderr, "edufault: DMA to a mapped IOVA did not copy the page\n");
		return -1;
	}
	printf("ok iova 0x%llx -> 0x%llx copied %lu bytes\n",
	       EDU_IOVA_A, EDU_IOVA_A + PAGE, EDU_DMA_LEN);
	return 0;
}

/* edu writes to iova, where nothing is mapped: a fault */
static int case_fault(struct edu *d, const char *name, __u64 iova,
		      __u64 area, __u64 area_len)
{
	if (!edu_dma(d, EDU_BUF, iova, EDU_DMA_LEN, true)) {
		fprintf(stderr, "edufault: edu DMA did not complete\n");
		return -1;
	}
	sleep_ms(FAULT_SETTLE_MS);
	printf("%s iova 0x%llx area [0x%llx, 0x%llx]\n", name,
	       (unsigned long long)iova, (unsigned long long)area,
	       (unsigned long long)(area + area_len - 1));
	return 0;
}

/* replaced: a second IOAS with C mapped; the device moves there */
static int case_replaced(struct edu *d)
{
	char name[32];
	uint8_t *c;
	int e;

	c = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (c == MAP_FAILED) {
		fprintf(stderr, "edufault: mmap: %s\n", strerror(errno));
		return -1;
	}
	e = ioas_alloc(d);
	if (!e)
		e = ioas_map(d, c, PAGE, EDU_IOVA_C);
	if (!e)
		e = device_attach(d);
	if (e) {
		fprintf(stderr, "edufault: second IOAS, map or replace: %s\n",
			strerror(-e));
		return -1;
	}
	snprintf(name, sizeof(name), "replaced ioas %u", d->ioas_id);
	return case_fault(d, name, EDU_IOVA_C + PAGE, EDU_IOVA_C, PAGE);
}

/* --hold: say so, then wait for a line on stdin (or its end) */
static void hold(void)
{
	char line[64];

	printf("held pid %d\n", (int)getpid());
	if (!fgets(line, sizeof(line), stdin))
		clearerr(stdin);
}

static int run(struct edu *d, bool held)
{
	uint8_t *a, *b;
	int e;

	a = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	b = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (a == MAP_FAILED || b == MAP_FAILED) {
		fprintf(stderr, "edufault: mmap: %s\n", strerror(errno));
		return -1;
	}
	e = ioas_map(d, a, 2 * PAGE, EDU_IOVA_A);
	if (!e)
		e = ioas_map(d, b, PAGE, EDU_IOVA_B);
	if (e) {
		fprintf(stderr, "edufault: map: %s\n", strerror(-e));
		return -1;
	}
	if (d->type1)
		printf("container pid %d\n", (int)getpid());
	else
		printf("ioas %u pid %d\n", d->ioas_id, (int)getpid());
	if (held)
		hold();
	if (case_ok(d, a))
		return -1;
	if (case_fault(d, "past", EDU_IOVA_A + 2 * PAGE, EDU_IOVA_A, 2 * PAGE))
		return -1;
	e = ioas_unmap(d, EDU_IOVA_B, PAGE);
	if (e) {
		fprintf(stderr, "edufault: unmap: %s\n", strerror(-e));
		return -1;
	}
	if (case_fault(d, "unmapped", EDU_IOVA_B, EDU_IOVA_B, PAGE))
		return -1;
	return d->type1 ? 0 : case_replaced(d);
}

static void usage(void)
{
	fprintf(stderr, "usage: edufault [--hold] /dev/vfio/devices/vfioN | edufault [--hold] --type1 BDF (QEMU edu bound to vfio-pci)\n");
}

int main(int argc, char **argv)
{
	struct edu d = { .iommufd = -1, .groupfd = -1, .devfd = -1 };
	bool held = false;
	int rc = 1, i;

	for (i = 1; i < argc - 1; i++) {
		if (!strcmp(argv[i], "--hold"))
			held = true;
		else if (!strcmp(argv[i], "--type1"))
			d.type1 = true;
		else
			break;
	}
	if (i != argc - 1 || argv[i][0] == '-') {
		usage();
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!edu_open(&d, argv[i]) && !run(&d, held))
		rc = 0;
	if (d.bar)
		munmap((void *)d.bar, d.bar_size);
	if (d.devfd >= 0)
		close(d.devfd);
	if (d.groupfd >= 0)
		close(d.groupfd);
	if (d.iommufd >= 0)
		close(d.iommufd);
	return rc;
}
