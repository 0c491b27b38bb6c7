/* SPDX-License-Identifier: GPL-2.0 */
/*
 * AMD IOMMU event log: the pure part of its decoding (an entry's words ->
 * fields, ring positions), shared by the BPF walk (bpf/faults.bpf.h) and
 * the unit test (tests/unit/test_amd_evt.c).
 *
 * The event log is a ring of 16-byte entries in memory (struct amd_iommu's
 * evt_buf); the IOMMU writes at the tail (MMIO register 0x2018), the driver
 * reads from the head (0x2010) and moves it. Both registers hold byte
 * offsets into the ring. The ring's length is in the event log base
 * register (0x10): bits 59:56, EventLen, are log2 of its entries (AMD
 * IOMMU spec, 3.4.3; Linux writes 9 (512 entries, 8 KiB) or 15 with SNP).
 *
 * An entry, as 32-bit words (AMD IOMMU spec, 2.5; Linux's
 * amd_iommu_types.h and iommu_print_event()):
 *   word 0: bits 15:0 device id (PCI bus << 8 | devfn), 19:16 the high bits
 *           of the PASID (or domain id)
 *   word 1: bits 15:0 the low PASID/domain id bits, 27:16 flags, 31:28
 *           the event type (0: not written yet)
 *   words 2, 3: the address (low, high)
 */
#ifndef DMATRACE_AMD_EVT_H
#define DMATRACE_AMD_EVT_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define AMD_EVT_ENTRY_SIZE	16
#define AMD_MMIO_EVT_BUF	0x0010	/* base, EventLen in bits 59:56 */
#define AMD_MMIO_EVT_HEAD	0x2010
#define AMD_MMIO_EVT_TAIL	0x2018
#define AMD_EVT_LEN_SHIFT	56
#define AMD_EVT_LEN_MIN		8	/* 256 entries (EventLen below: reserved) */

/* Event types (word 1, bits 31:28) */
#define AMD_EVT_ILL_DEV		0x1	/* ILLEGAL_DEV_TABLE_ENTRY */
#define AMD_EVT_IO_FAULT	0x2	/* IO_PAGE_FAULT */
#define AMD_EVT_DEV_TAB_ERR	0x3
#define AMD_EVT_PAGE_TAB_ERR	0x4
#define AMD_EVT_ILL_CMD		0x5
#define AMD_EVT_CMD_HARD_ERR	0x6
#define AMD_EVT_IOTLB_INV_TO	0x7
#define AMD_EVT_INV_DEV_REQ	0x8
#define AMD_EVT_INV_PPR_REQ	0x9
#define AMD_EVT_RMP_FAULT	0xd
#define AMD_EVT_RMP_HW_ERR	0xe
#define AMD_EVT_TYPES		16

/* Flags of IO_PAGE_FAULT and ILLEGAL_DEV_TABLE_ENTRY (word 1, bits 27:16) */
#define AMD_EVT_FLAG_GN		0x001	/* guest (PASID valid) */
#define AMD_EVT_FLAG_NX		0x002	/* execute request */
#define AMD_EVT_FLAG_US		0x004	/* user request */
#define AMD_EVT_FLAG_I		0x008	/* interrupt request, not memory */
#define AMD_EVT_FLAG_PR		0x010	/* the page was present */
#define AMD_EVT_FLAG_RW		0x020	/* a write */
#define AMD_EVT_FLAG_PE		0x040	/* permission denied */
#define AMD_EVT_FLAG_RZ		0x080	/* reserved bit not zero */
#define AMD_EVT_FLAG_TR		0x100	/* a translation request */

struct amd_evt {
	__u32 type;		/* AMD_EVT_*, 0: the entry is not written yet */
	__u32 devid;		/* PCI requester id: bus << 8 | devfn */
	__u32 pasid;		/* PASID or domain id (20 bits) */
	__u32 flags;		/* AMD_EVT_FLAG_* (12 bits) */
	__u64 address;
};

static inline void amd_evt_decode(const __u32 w[4], struct amd_evt *e)
{
	e->type = w[1] >> 28 & 0xf;
	e->devid = w[0] & 0xffff;
	e->pasid = (w[0] & 0xf0000) | (w[1] & 0xffff);
	e->flags = w[1] >> 16 & 0xfff;
	e->address = (__u64)w[3] << 32 | w[2];
}

/* A device's DMA that missed its page table (not an interrupt request) */
static inline int amd_evt_is_dma_fault(const struct amd_evt *e)
{
	return e->type == AMD_EVT_IO_FAULT && !(e->flags & AMD_EVT_FLAG_I);
}

static inline int amd_evt_is_write(const struct amd_evt *e)
{
	return !!(e->flags & AMD_EVT_FLAG_RW);
}

/* The names Linux's iommu_print_event() logs, NULL for another type */
static inline const char *amd_evt_type_name(__u32 type)
{
	switch (type) {
	case AMD_EVT_ILL_DEV:		return "ILLEGAL_DEV_TABLE_ENTRY";
	case AMD_EVT_IO_FAULT:		return "IO_PAGE_FAULT";
	case AMD_EVT_DEV_TAB_ERR:	return "DEV_TAB_HARDWARE_ERROR";
	case AMD_EVT_PAGE_TAB_ERR:	return "PAGE_TAB_HARDWARE_ERROR";
	case AMD_EVT_ILL_CMD:		return "ILLEGAL_COMMAND_ERROR";
	case AMD_EVT_CMD_HARD_ERR:	return "COMMAND_HARDWARE_ERROR";
	case AMD_EVT_IOTLB_INV_TO:	return "IOTLB_INV_TIMEOUT";
	case AMD_EVT_INV_DEV_REQ:	return "INVALID_DEVICE_REQUEST";
	case AMD_EVT_INV_PPR_REQ:	return "INVALID_PPR_REQUEST";
	case AMD_EVT_RMP_FAULT:		return "RMP_PAGE_FAULT";
	case AMD_EVT_RMP_HW_ERR:	return "RMP_HW_ERROR";
	}
	return (const char *)0;
}

/* The ring's size in bytes from the event log base register, 0: invalid */
static inline __u32 amd_evt_log_bytes(__u64 base_reg)
{
	__u32 len = base_reg >> AMD_EVT_LEN_SHIFT & 0xf;

	return len < AMD_EVT_LEN_MIN ? 0 : (__u32)AMD_EVT_ENTRY_SIZE << len;
}

/* A head or tail register is a usable position in a ring of size bytes */
static inline int amd_evt_pos_ok(__u32 pos, __u32 size)
{
	return size && pos < size && !(pos % AMD_EVT_ENTRY_SIZE);
}

/* The entry after pos (size: a power of two) */
static inline __u32 amd_evt_next(__u32 pos, __u32 size)
{
	return (pos + AMD_EVT_ENTRY_SIZE) & (size - 1);
}

/* Entries from pos up to (not including) tail */
static inline __u32 amd_evt_pending(__u32 pos, __u32 tail, __u32 size)
{
	return ((tail - pos) & (size - 1)) / AMD_EVT_ENTRY_SIZE;
}

/*
 * Where a walk of [head, tail) starts when an earlier walk already read
 * up to last (the same entries seen from two hooks, or an interrupt that
 * came before the driver consumed them): at last when it lies within
 * [head, tail], else at head
 */
static inline __u32 amd_evt_walk_start(__u32 head, __u32 tail, __u32 last,
				       __u32 size)
{
	if (!amd_evt_pos_ok(last, size))
		return head;
	return ((last - head) & (size - 1)) <= ((tail - head) & (size - 1)) ?
	       last : head;
}

#endif /* DMATRACE_AMD_EVT_H */
