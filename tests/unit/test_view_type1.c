// SPDX-License-Identifier: GPL-2.0
/*
 * Native VFIO type1 in the view: a container (DT_ID_CONTAINER id) learns
 * its windows from the iova_list events, its failed maps and unmaps are
 * classified by the rules of docs/ground-truth.md from the uAPI fields and
 * the driver's state the event carries, a refused group attach is an
 * attach_refused, and the summary lists containers apart from IOASes.
 * Expected outputs are written by hand.
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
#include <linux/vfio.h>

#include "capture.h"

#include "common/json.h"
#include "view/view.h"

#define PID	300
#define C1	(DT_ID_CONTAINER | 1)
#define RW	(VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE)

static struct dt_event ev(enum dt_event_type type, enum dt_op op, int ret,
			  __u32 flags, __u64 iova, __u64 length)
{
	struct dt_event e;

	memset(&e, 0, sizeof(e));
	e.type = type;
	e.op = op;
	e.ret = ret;
	e.ioas_id = C1;
	e.flags = flags;
	e.iova = iova;
	e.length = length;
	e.pgsize_bitmap = 0x40201000;	/* 4K, 2M, 1G: VT-d */
	e.t1flags = DT_T1_KNOWN | DT_T1_V2;
	e.tgid = e.tid = PID;
	strcpy(e.comm, "qemu");
	return e;
}

static int add(struct dt_view *v, struct dt_event e, char *line)
{
	return view_add_event(v, &e, sizeof(e), line, VIEW_LINE_MAX);
}

/* The container of the VM's edu group: [0, MSI) and (MSI, 2^39) */
static struct dt_view *container_view(void)
{
	struct dt_view *v = view_new();
	struct dt_event e = ev(DT_EV_IOAS_ALLOC, DT_OP_MAX, 0, 0, 0, 0);

	assert_non_null(v);
	assert_int_equal(add(v, e, NULL), 0);
	e = ev(DT_EV_IOVA_LIST, DT_OP_MAX, 0, DT_T1_ATTACH, 0, 0);
	e.ranges[0].start = 0;
	e.ranges[0].last = 0xfedfffff;
	e.ranges[1].start = 0xfef00000;
	e.ranges[1].last = 0x7fffffffff;
	e.nr_ranges = e.total_ranges = 2;
	assert_int_equal(add(v, e, NULL), 0);
	return v;
}

static int kind_of(struct dt_view *v, struct dt_event e, char *line)
{
	line[0] = 0;
	return add(v, e, line);
}

static void test_map_rules(void **state)
{
	struct dt_view *v = container_view();
	char line[VIEW_LINE_MAX];
	struct dt_event e;

	(void)state;
	/* -EEXIST, -ENOSPC, -ENOMEM by errno alone */
	assert_int_equal(kind_of(v, ev(DT_EV_OP_FAILED, DT_OP_VFIO_MAP_DMA, -EEXIST, RW, 0x100000, 0x1000), line), 1);
	assert_non_null(strstr(line, "VIOLATION overlap: vfio_map_dma container 1 iova 0x100000"));
	assert_non_null(strstr(line, "overlaps a mapping of the container"));
	/* the mapping it ran into, when the driver's dma_list was read */
	e = ev(DT_EV_OP_FAILED, DT_OP_VFIO_MAP_DMA, -EEXIST, RW, 0x100000, 0x1000);
	e.hit_set = 1;
	e.hit.start = 0xff000;
	e.hit.last = 0x100fff;
	assert_int_equal(kind_of(v, e, line), 1);
	assert_non_null(strstr(line, "overlaps mapping [0xff000, 0x100fff] (8 KiB) of the container"));
	assert_int_equal(kind_of(v, ev(DT_EV_OP_FAILED, DT_OP_VFIO_MAP_DMA, -ENOSPC, RW, 0x100000, 0x1000), line), 1);
	assert_non_null(strstr(line, "VIOLATION entry_limit:"));
	assert_int_equal(kind_of(v, ev(DT_EV_OP_FAILED, DT_OP_VFIO_MAP_DMA, -ENOMEM, RW, 0x100000, 0x1000), line), 1);
	assert_non_null(strstr(line, "VIOLATION memlock:"));
	/* -EINVAL: flags, then alignment to the smallest page, wrap, window */
	assert_int_equal(kind_of(v, ev(DT_EV_OP_FAILED, DT_OP_VFIO_MAP_DMA, -EINVAL, 0, 0x100000, 0x1000), line), 1);
	assert_non_null(strstr(line, "VIOLATION bad_flags:"));
	assert_int_equal(kind_of(v, ev(DT_EV_OP_FAILED, DT_OP_VFIO_MAP_DMA, -EINVAL, RW, 0x100800, 0x1000), line), 1);
	assert_non_null(strstr(line, "VIOLATION misaligned:"));
	assert_non_null(strstr(line, "multiples of 4 KiB"));
	assert_int_equal(kind_of(v, ev(DT_EV_OP_FAILED, DT_OP_VFIO_MAP_DMA, -EINVAL, RW, 0xfffffffffffff000ULL, 0x2000), line), 1);
	assert_non_null(strstr(line, "VIOLATION wrap:"));
	assert_int_equal(kind_of(v, ev(DT_EV_OP_FAILED, DT_OP_VFIO_MAP_DMA, -EINVAL, RW, 0xfee00000, 0x1000), line), 1);
	assert_non_null(strstr(line, "VIOLATION type1_outside:"));
	assert_non_null(strstr(line, "outside the iova_list: lies entirely above window [0x0, 0xfedfffff], ending 0x1000 past it"));
	/* a VADDR update refused: no violation */
	assert_int_equal(kind_of(v, ev(DT_EV_OP_FAILED, DT_OP_VFIO_MAP_DMA, -EINVAL, VFIO_DMA_MAP_FLAG_VADDR, 0x100000, 0x1000), line), 0);
	/* -EFAULT: none */
	assert_int_equal(kind_of(v, ev(DT_EV_OP_FAILED, DT_OP_VFIO_MAP_DMA, -EFAULT, RW, 0x100000, 0x1000), line), 0);
	view_free(v);
}

static void test_unmap_and_attach(void **state)
{
	struct dt_view *v = container_view();
	char line[VIEW_LINE_MAX];
	struct dt_event e;

	(void)state;
	assert_int_equal(kind_of(v, ev(DT_EV_OP_FAILED, DT_OP_VFIO_UNMAP_DMA, -EINVAL, 0, 0x101000, 0x1000), line), 1);
	assert_non_null(strstr(line, "VIOLATION unmap_split:"));
	assert_non_null(strstr(line, "the range cuts a mapping: a v2 container"));
	e = ev(DT_EV_OP_FAILED, DT_OP_VFIO_UNMAP_DMA, -EINVAL, 0, 0x101000, 0x1000);
	e.hit_set = 1;
	e.hit.start = 0x100000;
	e.hit.last = 0x101fff;
	assert_int_equal(kind_of(v, e, line), 1);
	assert_non_null(strstr(line, "the range cuts mapping [0x100000, 0x101fff] (8 KiB): a v2 container"));
	/* a v1 unmap that succeeded cutting a mapping: unmap_split, ret 0 */
	e = ev(DT_EV_UNMAP_CUT, DT_OP_VFIO_UNMAP_DMA, 0, 0, 0x100000, 0x1000);
	e.t1flags = DT_T1_KNOWN;
	e.hit_set = 1;
	e.hit.start = 0x100000;
	e.hit.last = 0x101fff;
	assert_int_equal(kind_of(v, e, line), 1);
	assert_non_null(strstr(line, "VIOLATION unmap_split: vfio_unmap_dma container 1 iova 0x100000 size 0x1000 (4 KiB) flags 0x0 pid 300 (qemu) -> 0: the range cuts mapping [0x100000, 0x101fff] (8 KiB): a v1 container"));
	assert_int_equal(kind_of(v, ev(DT_EV_OP_FAILED, DT_OP_VFIO_UNMAP_DMA, -EINVAL, VFIO_DMA_UNMAP_FLAG_ALL, 0x1000, 0), line), 1);
	assert_non_null(strstr(line, "VIOLATION bad_flags:"));
	assert_int_equal(kind_of(v, ev(DT_EV_OP_FAILED, DT_OP_VFIO_UNMAP_DMA, -EINVAL, 0, 0x100000, 0), line), 1);
	assert_non_null(strstr(line, "VIOLATION misaligned:"));
	/* a group attach refused: the hot-plug failure, op attach_group */
	e = ev(DT_EV_IOVA_LIST, DT_OP_MAX, -EINVAL, DT_T1_ATTACH, 0, 0);
	assert_int_equal(kind_of(v, e, line), 1);
	assert_non_null(strstr(line, "VIOLATION attach_refused: attach_group container 1"));
	view_free(v);
}

/* Containers are listed apart; violations carry "container" */
static void test_summary(void **state)
{
	struct dt_view *v = container_view();
	struct dt_ioas_usage u = { .mapped_bytes = 0x3000, .maps = 2,
				   .dma_avail = 65533, .t1flags = DT_T1_KNOWN };
	struct json_writer w;
	char *txt;

	(void)state;
	assert_int_equal(view_add_usage(v, PID, C1, &u), 0);
	assert_int_equal(add(v, ev(DT_EV_OP_FAILED, DT_OP_VFIO_MAP_DMA, -EEXIST, RW, 0x100000, 0x1000), NULL), 1);
	CAPTURE(txt, { json_init(&w, out); assert_int_equal(view_write_summary(v, &w), 0); });
	assert_string_equal(txt,
		"{\"ops\":{},\"bytes_mapped\":0,\"bytes_unmapped\":0,\"ioas\":[],"
		"\"containers\":[{\"id\":1,\"groups\":1,\"mapped_bytes\":12288,\"dmas\":2}],"
		"\"violations\":[{\"op\":\"vfio_map_dma\",\"container\":1,\"kind\":\"overlap\","
		"\"iova\":\"0x100000\",\"length\":\"0x1000\",\"ret\":\"-EEXIST\"}]}");
	free(txt);
	CAPTURE(txt, assert_int_equal(view_print_windows(v, out), 0));
	assert_non_null(strstr(txt, "container 1: mapped 12 KiB in 2 mappings; windows: the container's iova_list (aperture minus the groups' reserved regions)\n"));
	assert_non_null(strstr(txt, "  window [0xfef00000, 0x7fffffffff]"));
	assert_non_null(strstr(txt, "dma entries: 2 mapped, 65533 more before dma_entry_limit"));
	assert_null(strstr(txt, "is not seen"));
	free(txt);
	view_free(v);
}

/* Unmaps of mappings made before tracing: no wrapped count is printed */
static void test_wrapped_usage(void **state)
{
	struct dt_view *v = container_view();
	struct dt_ioas_usage u = { .mapped_bytes = -0x1000ULL, .unmaps = 1,
				   .dma_avail = 65535, .t1flags = DT_T1_KNOWN };
	char *txt;

	(void)state;
	assert_int_equal(view_add_usage(v, PID, C1, &u), 0);
	CAPTURE(txt, assert_int_equal(view_print_windows(v, out), 0));
	assert_non_null(strstr(txt, "container 1: mapped: not known (more unmapped than mapped since tracing started: its maps predate the trace);"));
	assert_non_null(strstr(txt, "dma entries: mapped not known, 65535 more before dma_entry_limit\n"));
	assert_null(strstr(txt, "18446744073709551615"));
	free(txt);
	view_free(v);
}

/* A container first seen at an op was set up before tracing: said so */
static void test_seen_late(void **state)
{
	struct dt_view *v = view_new();
	struct dt_event e = ev(DT_EV_IOVA_LIST, DT_OP_MAX, 0, DT_T1_SEEN_LATE, 0, 0);
	char *txt;

	(void)state;
	assert_non_null(v);
	e.ranges[0].last = 0xfedfffff;
	e.nr_ranges = e.total_ranges = 1;
	assert_int_equal(add(v, e, NULL), 0);
	CAPTURE(txt, assert_int_equal(view_print_windows(v, out), 0));
	assert_non_null(strstr(txt, "set up before tracing started: its earlier mappings and groups are not counted"));
	free(txt);
	view_free(v);
	/* one seen from its first group attach says nothing of the kind */
	v = container_view();
	CAPTURE(txt, assert_int_equal(view_print_windows(v, out), 0));
	assert_null(strstr(txt, "set up before tracing"));
	free(txt);
	view_free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_map_rules),
		cmocka_unit_test(test_unmap_and_attach),
		cmocka_unit_test(test_summary),
		cmocka_unit_test(test_wrapped_usage),
		cmocka_unit_test(test_seen_late),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
