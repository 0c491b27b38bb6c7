// SPDX-License-Identifier: GPL-2.0
/*
 * Two processes, each with its own IOAS 1 (IOAS ids are per /dev/iommu
 * file): different reserved ranges, usage and unmaps. The view keeps them
 * apart in violation classification, fault lines, windows text and the
 * summary. Expected outputs are written by hand.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "capture.h"

#include "common/json.h"
#include "view/view.h"

#define FIXED_RW	7	/* IOMMU_IOAS_MAP_FIXED_IOVA|WRITEABLE|READABLE */
#define PID_A		100
#define PID_B		200

static struct dt_event ev(__u32 tgid, enum dt_event_type type, enum dt_op op,
			  int ret, __u64 iova, __u64 length)
{
	struct dt_event e;

	memset(&e, 0, sizeof(e));
	e.type = type;
	e.op = op;
	e.ret = ret;
	e.ioas_id = 1;
	e.iova = iova;
	e.length = length;
	e.flags = FIXED_RW;
	e.tgid = e.tid = tgid;
	strcpy(e.comm, tgid == PID_A ? "qemu-a" : "qemu-b");
	return e;
}

static int add(struct dt_view *v, struct dt_event e, char *line)
{
	return view_add_event(v, &e, sizeof(e), line, VIEW_LINE_MAX);
}

static void add_range(struct dt_view *v, struct dt_event e, __u64 start,
		      __u64 last)
{
	e.ranges[0].start = start;
	e.ranges[0].last = last;
	e.nr_ranges = e.total_ranges = 1;
	assert_int_equal(add(v, e, NULL), 0);
}

/* A: MSI hole reserved, 4 KiB mapped; B: [0, 16 MiB) reserved, 8 KiB */
static void build_process(struct dt_view *v, __u32 tgid)
{
	struct dt_ioas_usage u = { .mapped_bytes = tgid == PID_A ? 0x1000 : 0x2000,
				   .maps = tgid == PID_A ? 2 : 3, .unmaps = 1 };
	struct dt_event e;

	assert_int_equal(add(v, ev(tgid, DT_EV_IOAS_ALLOC, DT_OP_IOAS_ALLOC,
				   0, 0, 0), NULL), 0);
	e = ev(tgid, DT_EV_RESERVED_ADD, DT_OP_MAX, 0, 0, 0);
	e.owner = tgid == PID_A ? 0x100 : 0x200;
	if (tgid == PID_A)
		add_range(v, e, 0xfee00000, 0xfeefffff);
	else
		add_range(v, e, 0, 0xffffff);
	add_range(v, ev(tgid, DT_EV_ALLOWED_SET, DT_OP_ALLOW_IOVAS, 0, 0, 0),
		  0x1000000, 0x7fffffff);
	assert_int_equal(view_add_usage(v, tgid, 1, &u), 0);
	assert_int_equal(view_add_area(v, tgid, 1, 0x1000000, 0x1000), 0);
	if (tgid == PID_B)
		assert_int_equal(view_add_area(v, tgid, 1, 0x1001000, 0x1000), 0);
}

static int setup(void **state)
{
	struct dt_view *v = view_new();
	struct dt_event e;

	if (!v)
		return -1;
	build_process(v, PID_A);
	build_process(v, PID_B);
	e = ev(PID_B, DT_EV_UNMAP, DT_OP_UNMAP, 0, 0x2000000, 0x1000);
	e.ts_ns = 1000000000ULL;
	if (add(v, e, NULL))
		return -1;
	*state = v;
	return 0;
}

static int teardown(void **state)
{
	view_free(*state);
	return 0;
}

/* Each process's map is classified against its own IOAS 1 */
static void test_classify_per_process(void **state)
{
	struct dt_view *v = *state;
	char line[VIEW_LINE_MAX];

	assert_int_equal(add(v, ev(PID_A, DT_EV_OP_FAILED, DT_OP_MAP, -EINVAL,
				   0xfee00000, 0x1000), line), 1);
	assert_non_null(strstr(line, "VIOLATION reserved: "));
	assert_int_equal(add(v, ev(PID_B, DT_EV_OP_FAILED, DT_OP_MAP, -EINVAL,
				   0xfee00000, 0x1000), line), 1);
	assert_non_null(strstr(line, "VIOLATION misaligned: "));
	assert_int_equal(add(v, ev(PID_A, DT_EV_OP_FAILED, DT_OP_MAP, -EINVAL,
				   0x1000, 0x1000), line), 1);
	assert_non_null(strstr(line, "VIOLATION misaligned: "));
	assert_int_equal(add(v, ev(PID_B, DT_EV_OP_FAILED, DT_OP_MAP, -EINVAL,
				   0x1000, 0x1000), line), 1);
	assert_string_equal(line, "VIOLATION reserved: map ioas 1 iova 0x1000 len 0x1000 (4 KiB) flags FIXED_IOVA|WRITEABLE|READABLE pid 200 (qemu-b) -> -EINVAL: overlaps reserved hole [0x0, 0xffffff] by 0x1000");
}

/* The summary: ioas and violation entries say whose (ground-truth.md) */
static void test_summary_per_process(void **state)
{
	struct dt_view *v = *state;
	struct json_writer w;
	char *text;

	test_classify_per_process(state);
	CAPTURE(text, {
		json_init(&w, out);
		assert_int_equal(view_write_summary(v, &w), 0);
	});
	assert_string_equal(text,
"{\"ops\":{},\"bytes_mapped\":0,\"bytes_unmapped\":0,"
"\"ioas\":[{\"pid\":100,\"id\":1,\"mapped_bytes\":4096,\"areas\":1,"
"\"allowed\":[[\"0x1000000\",\"0x7fffffff\"]],"
"\"reserved\":[[\"0xfee00000\",\"0xfeefffff\"]]},"
"{\"pid\":200,\"id\":1,\"mapped_bytes\":8192,\"areas\":2,"
"\"allowed\":[[\"0x1000000\",\"0x7fffffff\"]],"
"\"reserved\":[[\"0x0\",\"0xffffff\"]]}],"
"\"violations\":["
"{\"pid\":100,\"op\":\"map\",\"ioas\":1,\"kind\":\"reserved\",\"iova\":\"0xfee00000\",\"length\":\"0x1000\",\"ret\":\"-EINVAL\"},"
"{\"pid\":100,\"op\":\"map\",\"ioas\":1,\"kind\":\"misaligned\",\"iova\":\"0x1000\",\"length\":\"0x1000\",\"ret\":\"-EINVAL\"},"
"{\"pid\":200,\"op\":\"map\",\"ioas\":1,\"kind\":\"reserved\",\"iova\":\"0x1000\",\"length\":\"0x1000\",\"ret\":\"-EINVAL\"},"
"{\"pid\":200,\"op\":\"map\",\"ioas\":1,\"kind\":\"misaligned\",\"iova\":\"0xfee00000\",\"length\":\"0x1000\",\"ret\":\"-EINVAL\"}"
"]}");
	free(text);
}

/* Windows text: one block per (process, IOAS), named by process */
static void test_windows_per_process(void **state)
{
	char *text;

	CAPTURE(text, assert_int_equal(view_print_windows(*state, out), 0));
	assert_string_equal(text,
"IOAS 1 (pid 100 qemu-a): mapped 4 KiB in 1 areas; windows: the allowed ranges (IOMMU_IOAS_ALLOW_IOVAS) minus reserved holes\n"
"  window [0x1000000, 0x7fffffff] size 0x7f000000 (2032 MiB)  used 4 KiB |#                                       | 0.00%\n"
"  hole   [0xfee00000, 0xfeefffff] size 0x100000 (1 MiB) MSI, reserved by device #1\n"
"IOAS 1 (pid 200 qemu-b): mapped 8 KiB in 2 areas; windows: the allowed ranges (IOMMU_IOAS_ALLOW_IOVAS) minus reserved holes\n"
"  hole   [0x0, 0xffffff] size 0x1000000 (16 MiB) outside the aperture of domain #1\n"
"  window [0x1000000, 0x7fffffff] size 0x7f000000 (2032 MiB)  used 8 KiB |#                                       | 0.00%\n");
	free(text);
}

/* A fault is in its device owner's IOAS; owner unknown and ambiguous: none */
static void test_fault_per_process(void **state)
{
	struct dt_view *v = *state;
	char line[VIEW_LINE_MAX];
	struct dt_event e;

	e = ev(PID_A, DT_EV_FAULT, DT_OP_MAX, 0, 0x2000000, 0);
	e.ts_ns = 2000000000ULL;
	assert_int_equal(add(v, e, line), 1);
	assert_string_equal(line, "FAULT iova 0x2000000 ioas 1 (pid 100 qemu-a): inside window [0x1000000, 0x7fffffff]; not unmapped recently");
	e.tgid = PID_B;
	assert_int_equal(add(v, e, line), 1);
	assert_string_equal(line, "FAULT iova 0x2000000 ioas 1 (pid 200 qemu-b): inside window [0x1000000, 0x7fffffff]; unmapped 1.0 s ago by pid 200 (qemu-b) [0x2000000 +0x1000]");
	e.tgid = 0;
	assert_int_equal(add(v, e, line), 1);
	assert_string_equal(line, "FAULT iova 0x2000000 ioas 1 of an unknown process: no window known; unmapped 1.0 s ago by pid 200 (qemu-b) [0x2000000 +0x1000]");
}

/* Owner unknown but only one process has that id: its IOAS */
static void test_fault_unknown_owner_unique(void **state)
{
	struct dt_view *v = view_new();
	char line[VIEW_LINE_MAX];
	struct dt_event e;

	(void)state;
	assert_non_null(v);
	build_process(v, PID_B);
	e = ev(0, DT_EV_FAULT, DT_OP_MAX, 0, 0x2000000, 0);
	assert_int_equal(add(v, e, line), 1);
	assert_string_equal(line, "FAULT iova 0x2000000 ioas 1: inside window [0x1000000, 0x7fffffff]; not unmapped recently");
	view_free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_classify_per_process, setup, teardown),
		cmocka_unit_test_setup_teardown(test_summary_per_process, setup, teardown),
		cmocka_unit_test_setup_teardown(test_windows_per_process, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fault_per_process, setup, teardown),
		cmocka_unit_test(test_fault_unknown_owner_unique),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
