// SPDX-License-Identifier: GPL-2.0
/*
 * The AMD IOMMU event log decoder (include/dmatrace/amd_evt.h), the part
 * the BPF walk at amd_iommu_int_handler shares: recorded entries built bit
 * by bit from the kernel's layout (drivers/iommu/amd/amd_iommu_types.h:
 * type in word 1 bits 31:28, device id in word 0 bits 15:0, PASID/domain
 * 19:16 of word 0 and 15:0 of word 1, flags 27:16 of word 1, address in
 * words 2 and 3), and the ring: head, tail, its size from the event log
 * base register, a walk across the wrap, no entry read twice.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "dmatrace/amd_evt.h"

/* An entry as the IOMMU writes it */
static void entry(__u32 w[4], __u32 type, __u32 devid, __u32 pasid,
		  __u32 flags, __u64 address)
{
	w[0] = (devid & 0xffff) | (pasid & 0xf0000);
	w[1] = type << 28 | (flags & 0xfff) << 16 | (pasid & 0xffff);
	w[2] = (__u32)address;
	w[3] = (__u32)(address >> 32);
}

/*
 * IO_PAGE_FAULT of 00:02.0 (devid 0x0010) at 0x102000, domain 1, a write
 * to a page not present: flags RW, not PR, not I
 */
static const __u32 io_fault_write[4] = { 0x00000010, 0x20200001,
					 0x00102000, 0x00000000 };
/* the same device reading a present page it may not: PR | PE */
static const __u32 io_fault_read[4] = { 0x00000010, 0x20500001,
					0x00102000, 0x00000000 };
/* an interrupt request (I) that faulted: no IOVA */
static const __u32 io_fault_intr[4] = { 0x00000010, 0x20080000,
					0xfee00000, 0x00000000 };
/*
 * ILLEGAL_DEV_TABLE_ENTRY of 01:00.0 (devid 0x0100), PASID 0x12345, a
 * translation request (TR), address 0xfd_0000_1000 (above 4 GiB)
 */
static const __u32 ill_dev[4] = { 0x00010100, 0x11002345,
				  0x00001000, 0x000000fd };

static void test_recorded_io_fault(void **state)
{
	struct amd_evt e;
	__u32 w[4];

	(void)state;
	entry(w, AMD_EVT_IO_FAULT, 0x0010, 1, AMD_EVT_FLAG_RW, 0x102000);
	assert_memory_equal(w, io_fault_write, sizeof(w));
	amd_evt_decode(io_fault_write, &e);
	assert_int_equal(e.type, AMD_EVT_IO_FAULT);
	assert_int_equal(e.devid, 0x0010);	/* bus 0, slot 2, fn 0 */
	assert_int_equal(e.devid >> 8, 0);
	assert_int_equal(e.devid >> 3 & 0x1f, 2);
	assert_int_equal(e.devid & 7, 0);
	assert_int_equal(e.pasid, 1);
	assert_int_equal(e.flags, 0x020);
	assert_true(e.address == 0x102000);
	assert_true(amd_evt_is_dma_fault(&e));
	assert_true(amd_evt_is_write(&e));
	assert_string_equal(amd_evt_type_name(e.type), "IO_PAGE_FAULT");

	entry(w, AMD_EVT_IO_FAULT, 0x0010, 1, AMD_EVT_FLAG_PR | AMD_EVT_FLAG_PE,
	      0x102000);
	assert_memory_equal(w, io_fault_read, sizeof(w));
	amd_evt_decode(io_fault_read, &e);
	assert_int_equal(e.flags, AMD_EVT_FLAG_PR | AMD_EVT_FLAG_PE);
	assert_true(amd_evt_is_dma_fault(&e));
	assert_false(amd_evt_is_write(&e));

	/* an interrupt request is no DMA fault: no IOVA to report */
	entry(w, AMD_EVT_IO_FAULT, 0x0010, 0, AMD_EVT_FLAG_I, 0xfee00000);
	assert_memory_equal(w, io_fault_intr, sizeof(w));
	amd_evt_decode(io_fault_intr, &e);
	assert_int_equal(e.type, AMD_EVT_IO_FAULT);
	assert_false(amd_evt_is_dma_fault(&e));
}

static void test_recorded_ill_dev(void **state)
{
	struct amd_evt e;
	__u32 w[4];

	(void)state;
	entry(w, AMD_EVT_ILL_DEV, 0x0100, 0x12345, AMD_EVT_FLAG_TR,
	      0xfd00001000ULL);
	assert_memory_equal(w, ill_dev, sizeof(w));
	amd_evt_decode(ill_dev, &e);
	assert_int_equal(e.type, AMD_EVT_ILL_DEV);
	assert_int_equal(e.devid, 0x0100);	/* 01:00.0 */
	assert_int_equal(e.pasid, 0x12345);	/* 20 bits, split over 2 words */
	assert_int_equal(e.flags, AMD_EVT_FLAG_TR);
	assert_true(e.address == 0xfd00001000ULL);
	assert_false(amd_evt_is_dma_fault(&e));
	assert_string_equal(amd_evt_type_name(e.type), "ILLEGAL_DEV_TABLE_ENTRY");
}

static void test_type_names(void **state)
{
	static const __u32 unwritten[4];
	struct amd_evt e;
	__u32 w[4];

	(void)state;
	assert_string_equal(amd_evt_type_name(AMD_EVT_DEV_TAB_ERR),
			    "DEV_TAB_HARDWARE_ERROR");
	assert_string_equal(amd_evt_type_name(AMD_EVT_PAGE_TAB_ERR),
			    "PAGE_TAB_HARDWARE_ERROR");
	assert_string_equal(amd_evt_type_name(AMD_EVT_ILL_CMD),
			    "ILLEGAL_COMMAND_ERROR");
	assert_string_equal(amd_evt_type_name(AMD_EVT_CMD_HARD_ERR),
			    "COMMAND_HARDWARE_ERROR");
	assert_string_equal(amd_evt_type_name(AMD_EVT_IOTLB_INV_TO),
			    "IOTLB_INV_TIMEOUT");
	assert_string_equal(amd_evt_type_name(AMD_EVT_INV_DEV_REQ),
			    "INVALID_DEVICE_REQUEST");
	assert_string_equal(amd_evt_type_name(AMD_EVT_INV_PPR_REQ),
			    "INVALID_PPR_REQUEST");
	assert_string_equal(amd_evt_type_name(AMD_EVT_RMP_FAULT),
			    "RMP_PAGE_FAULT");
	assert_string_equal(amd_evt_type_name(AMD_EVT_RMP_HW_ERR),
			    "RMP_HW_ERROR");
	assert_null(amd_evt_type_name(0));
	assert_null(amd_evt_type_name(0xa));
	/* the top nibble alone is the type, whatever the flags */
	entry(w, AMD_EVT_ILL_CMD, 0, 0, 0xfff, 0x1234567890ULL);
	amd_evt_decode(w, &e);
	assert_int_equal(e.type, AMD_EVT_ILL_CMD);
	assert_int_equal(e.flags, 0xfff);
	/* erratum 732: the tail moved, the entry is still zero */
	amd_evt_decode(unwritten, &e);
	assert_int_equal(e.type, 0);
}

static void test_log_size(void **state)
{
	(void)state;
	/* Linux: EVTLOG_LEN_MASK_DEF 0x9 << 56, 512 entries, 8 KiB */
	assert_int_equal(amd_evt_log_bytes(0x0900000012345000ULL), 8192);
	/* with SNP: 0xf << 56, 32K entries, 512 KiB */
	assert_int_equal(amd_evt_log_bytes(0x0f00000012345000ULL), 512 << 10);
	assert_int_equal(amd_evt_log_bytes(0x0800000000001000ULL), 4096);
	/* EventLen 0..7 is reserved: no ring */
	assert_int_equal(amd_evt_log_bytes(0x0700000000001000ULL), 0);
	assert_int_equal(amd_evt_log_bytes(0), 0);
	/* bits above 59 are not the length */
	assert_int_equal(amd_evt_log_bytes(0xf900000000001000ULL), 8192);

	assert_true(amd_evt_pos_ok(0, 8192));
	assert_true(amd_evt_pos_ok(8176, 8192));
	assert_false(amd_evt_pos_ok(8192, 8192));
	assert_false(amd_evt_pos_ok(8, 8192));	/* not an entry's start */
	assert_false(amd_evt_pos_ok(0, 0));
}

/*
 * A 256-entry ring (4 KiB) whose head is 2 entries before the end and
 * whose tail is 3 entries past the start: 5 entries pending across the
 * wrap, walked as the BPF program does (from head, next, until tail)
 */
static void test_ring_wrap(void **state)
{
	const __u32 size = 4096, head = 4096 - 32, tail = 48;
	static __u32 ring[4096 / 4];
	__u32 pos, n = 0, devids[8];
	struct amd_evt e;

	(void)state;
	memset(ring, 0, sizeof(ring));
	for (pos = head; pos != tail; pos = amd_evt_next(pos, size), n++)
		entry(&ring[pos / 4], AMD_EVT_IO_FAULT, 0x0010 + n, 1,
		      n & 1 ? AMD_EVT_FLAG_RW : AMD_EVT_FLAG_PR,
		      0x102000 + n * 0x1000);
	assert_int_equal(n, 5);
	assert_int_equal(amd_evt_pending(head, tail, size), 5);
	assert_int_equal(amd_evt_next(4096 - 16, size), 0);
	assert_int_equal(amd_evt_pending(tail, tail, size), 0);
	assert_int_equal(amd_evt_pending(tail, head, size), 256 - 5);

	n = 0;
	for (pos = head; pos != tail && n < 8; pos = amd_evt_next(pos, size)) {
		amd_evt_decode(&ring[pos / 4], &e);
		assert_int_equal(e.type, AMD_EVT_IO_FAULT);
		assert_true(e.address == 0x102000 + n * 0x1000ULL);
		assert_int_equal(amd_evt_is_write(&e), n & 1);
		devids[n++] = e.devid;
	}
	assert_int_equal(n, 5);
	assert_int_equal(devids[0], 0x10);	/* at 4064: before the wrap */
	assert_int_equal(devids[1], 0x11);	/* at 4080 */
	assert_int_equal(devids[2], 0x12);	/* at 0: after it */
	assert_int_equal(devids[4], 0x14);
	/* the entries past the tail are not written */
	amd_evt_decode(&ring[tail / 4], &e);
	assert_int_equal(e.type, 0);
}

/* No entry reported twice: a walk resumes where the last one stopped */
static void test_walk_start(void **state)
{
	const __u32 size = 4096, head = 4096 - 32, tail = 48;

	(void)state;
	/* nothing read yet, or a stale position outside [head, tail] */
	assert_int_equal(amd_evt_walk_start(head, tail, head, size), head);
	assert_int_equal(amd_evt_walk_start(head, tail, 1024, size), head);
	assert_int_equal(amd_evt_walk_start(head, tail, 4096 - 48, size), head);
	/* an earlier interrupt read up to 16 (past the wrap): from there */
	assert_int_equal(amd_evt_walk_start(head, tail, 16, size), 16);
	assert_int_equal(amd_evt_walk_start(head, tail, 4096 - 16, size),
			 4096 - 16);
	/* everything read already: an empty walk */
	assert_int_equal(amd_evt_walk_start(head, tail, tail, size), tail);
	/* the driver consumed past it: from the head */
	assert_int_equal(amd_evt_walk_start(32, tail, 16, size), 32);
	/* not a position of this ring */
	assert_int_equal(amd_evt_walk_start(head, tail, 8, size), head);
	assert_int_equal(amd_evt_walk_start(head, tail, 8192, size), head);
	/* an empty ring */
	assert_int_equal(amd_evt_walk_start(tail, tail, 16, size), tail);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_recorded_io_fault),
		cmocka_unit_test(test_recorded_ill_dev),
		cmocka_unit_test(test_type_names),
		cmocka_unit_test(test_log_size),
		cmocka_unit_test(test_ring_wrap),
		cmocka_unit_test(test_walk_start),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("amd_evt", tests, NULL, NULL);
}
