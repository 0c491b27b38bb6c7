// SPDX-License-Identifier: GPL-2.0
/*
 * Window occupancy (occupancy.c through the windows text and JSON): a
 * window is credited only with the bytes of the areas inside it, areas
 * outside every window are listed apart, and when the area list is not
 * the whole usage no per-window figure is printed, only why.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "capture.h"

#include "view_scenario.h"

#define MIB	0x100000ULL

/* IOAS 1 allowed [1 MiB, 2 MiB) and [256 MiB, 512 MiB); usage of bytes */
static struct dt_view *two_windows(__u64 bytes, __u64 areas)
{
	struct dt_ioas_usage u = { .mapped_bytes = bytes, .maps = areas };
	struct dt_view *v = view_new();
	struct dt_event e;

	assert_non_null(v);
	e = scn_event(DT_EV_IOAS_ALLOC, DT_OP_IOAS_ALLOC, 0, 1, 0, 0, 0);
	assert_int_equal(scn_add(v, &e, NULL), 0);
	e = scn_event(DT_EV_ALLOWED_SET, DT_OP_ALLOW_IOVAS, 0, 1, 0, 0, 0);
	e.ranges[0] = (struct dt_range){ MIB, 2 * MIB - 1 };
	e.ranges[1] = (struct dt_range){ 256 * MIB, 512 * MIB - 1 };
	e.nr_ranges = e.total_ranges = 2;
	assert_int_equal(scn_add(v, &e, NULL), 0);
	assert_int_equal(view_add_usage(v, 42, 1, &u), 0);
	return v;
}

static char *windows_text(struct dt_view *v)
{
	char *text;

	CAPTURE(text, assert_int_equal(view_print_windows(v, out), 0));
	return text;
}

/* 1 MiB in the small window, 64 MiB in the large one: each its own */
static void test_each_window_its_own_bytes(void **state)
{
	struct dt_view *v = two_windows(65 * MIB, 2);
	char *text;

	(void)state;
	assert_int_equal(view_add_area(v, 42, 1, MIB, MIB), 0);
	assert_int_equal(view_add_area(v, 42, 1, 300 * MIB, 64 * MIB), 0);
	text = windows_text(v);
	assert_string_equal(text,
"IOAS 1: mapped 65 MiB in 2 areas; windows: the allowed ranges (IOMMU_IOAS_ALLOW_IOVAS) minus reserved holes\n"
"  window [0x100000, 0x1fffff] size 0x100000 (1 MiB)  used 1 MiB |########################################| 100.00%\n"
"  window [0x10000000, 0x1fffffff] size 0x10000000 (256 MiB)  used 64 MiB |##########                              | 25.00%\n"
"  used 65 MiB of 257 MiB |##########                              | 25.29%\n");
	free(text);
	view_free(v);
}

/* Areas outside every window: counted, summed, the first three shown */
static void test_outside_windows(void **state)
{
	struct dt_view *v = two_windows(MIB + 5 * 0x1000 + 0x2000, 7);
	char *text;
	__u64 i;

	(void)state;
	assert_int_equal(view_add_area(v, 42, 1, MIB, MIB), 0);
	for (i = 0; i < 5; i++)		/* between the windows */
		assert_int_equal(view_add_area(v, 42, 1, 16 * MIB + i * MIB,
					       0x1000), 0);
	/* crossing the end of the large window by 4 KiB */
	assert_int_equal(view_add_area(v, 42, 1, 512 * MIB - 0x1000, 0x2000), 0);
	text = windows_text(v);
	assert_non_null(strstr(text,
"  window [0x100000, 0x1fffff] size 0x100000 (1 MiB)  used 1 MiB |"));
	assert_non_null(strstr(text,
"  window [0x10000000, 0x1fffffff] size 0x10000000 (256 MiB)  used 4 KiB |#      "));
	assert_non_null(strstr(text,
"  outside windows: 6 areas, 24 KiB: [0x1000000, 0x1000fff], [0x1100000, 0x1100fff], [0x1200000, 0x1200fff] and 3 more\n"));
	free(text);
	view_free(v);
}

/* The area list short of the usage: no per-window figure, the reason */
static void test_unknown_when_list_short(void **state)
{
	struct view_opts o = VIEW_OPTS_DEFAULT;
	struct dt_view *v = two_windows(65 * MIB, 3);
	char *text;

	(void)state;
	assert_int_equal(view_add_area(v, 42, 1, MIB, MIB), 0);
	assert_int_equal(view_add_area(v, 42, 1, 300 * MIB, 64 * MIB), 0);
	text = windows_text(v);
	assert_string_equal(text,
"IOAS 1: mapped 65 MiB in 3 areas; windows: the allowed ranges (IOMMU_IOAS_ALLOW_IOVAS) minus reserved holes\n"
"  window [0x100000, 0x1fffff] size 0x100000 (1 MiB)\n"
"  window [0x10000000, 0x1fffffff] size 0x10000000 (256 MiB)\n"
"  used per window: not known (2 of 3 areas listed)\n");
	free(text);
	/* nor in the exposition: the gauge is left out, the totals stay */
	CAPTURE(text, assert_int_equal(view_write_openmetrics(v, &o, out), 0));
	assert_null(strstr(text, "dmatrace_ioas_outside_windows_bytes{"));
	assert_non_null(strstr(text, "dmatrace_ioas_mapped_bytes{ioas=\"1\"} 68157440\n"));
	free(text);
	view_free(v);
}

static void test_unknown_when_bytes_differ(void **state)
{
	struct dt_view *v = two_windows(66 * MIB, 2);
	char *text;

	(void)state;
	assert_int_equal(view_add_area(v, 42, 1, MIB, MIB), 0);
	assert_int_equal(view_add_area(v, 42, 1, 300 * MIB, 64 * MIB), 0);
	text = windows_text(v);
	assert_non_null(strstr(text,
"  used per window: not known (the areas listed hold 65 MiB, the usage counts 66 MiB)\n"));
	assert_null(strstr(text, " used 6"));
	free(text);
	view_free(v);
}

/* Past VIEW_MAPPINGS_MAX areas are only counted: figures unknown */
static void test_unknown_when_unlisted(void **state)
{
	struct dt_view *v = two_windows(4097 * 0x1000ULL, 4097);
	char *text;
	__u64 i;

	(void)state;
	for (i = 0; i < 4097; i++)
		assert_int_equal(view_add_area(v, 42, 1, 256 * MIB + i * 0x1000,
					       0x1000), 0);
	text = windows_text(v);
	assert_non_null(strstr(text, "  used per window: not known (4096 of 4097 areas listed)\n"));
	free(text);
	view_free(v);
}

/* Unmaps of maps made before tracing: the usage wrapped, never shown */
static void test_wrapped_usage(void **state)
{
	struct dt_view *v = two_windows(-(__u64)MIB, 0);
	struct view_opts o = VIEW_OPTS_DEFAULT;
	struct dt_ioas_usage u = { .unmaps = 1 };
	char *text;

	(void)state;
	assert_int_equal(view_add_usage(v, 42, 1, &u), 0);
	text = windows_text(v);
	assert_string_equal(text,
"IOAS 1: mapped: not known (more unmapped than mapped since tracing started: its maps predate the trace); windows: the allowed ranges (IOMMU_IOAS_ALLOW_IOVAS) minus reserved holes\n"
"  window [0x100000, 0x1fffff] size 0x100000 (1 MiB)\n"
"  window [0x10000000, 0x1fffffff] size 0x10000000 (256 MiB)\n"
"  used per window: not known (the usage wrapped: maps made before tracing were unmapped)\n");
	free(text);
	CAPTURE(text, assert_int_equal(view_write_openmetrics(v, &o, out), 0));
	assert_null(strstr(text, "dmatrace_ioas_mapped_bytes{"));
	assert_null(strstr(text, "dmatrace_ioas_areas{"));
	assert_null(strstr(text, "dmatrace_ioas_outside_windows_bytes{"));
	free(text);
	CAPTURE(text, assert_int_equal(view_write_json(v, &o, out), 0));
	assert_non_null(strstr(text, "\"alive\":true,\"usage_wrapped\":true,\"mappings\""));
	free(text);
	view_free(v);
}

/* JSON: used_bytes per window and outside_windows, or the reason */
static void test_json(void **state)
{
	struct view_opts o = VIEW_OPTS_DEFAULT;
	struct dt_view *v = two_windows(MIB + 0x1000, 2);
	char *text;

	(void)state;
	assert_int_equal(view_add_area(v, 42, 1, MIB, MIB), 0);
	assert_int_equal(view_add_area(v, 42, 1, 0x5000, 0x1000), 0);
	CAPTURE(text, assert_int_equal(view_write_json(v, &o, out), 0));
	assert_non_null(strstr(text,
"\"windows\":[{\"start\":\"0x100000\",\"last\":\"0x1fffff\",\"size\":\"0x100000\",\"used_bytes\":1048576},"
"{\"start\":\"0x10000000\",\"last\":\"0x1fffffff\",\"size\":\"0x10000000\",\"used_bytes\":0}],"
"\"outside_windows\":{\"areas\":1,\"bytes\":4096,\"examples\":[{\"iova\":\"0x5000\",\"length\":\"0x1000\"}]},"));
	free(text);
	view_free(v);
	v = two_windows(MIB, 2);
	assert_int_equal(view_add_area(v, 42, 1, MIB, MIB), 0);
	CAPTURE(text, assert_int_equal(view_write_json(v, &o, out), 0));
	assert_non_null(strstr(text, "\"size\":\"0x100000\"},"));
	assert_non_null(strstr(text, "\"occupancy_unknown\":\"1 of 2 areas listed\""));
	assert_null(strstr(text, "used_bytes"));
	assert_null(strstr(text, "outside_windows"));
	free(text);
	view_free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_window_its_own_bytes),
		cmocka_unit_test(test_outside_windows),
		cmocka_unit_test(test_unknown_when_list_short),
		cmocka_unit_test(test_unknown_when_bytes_differ),
		cmocka_unit_test(test_unknown_when_unlisted),
		cmocka_unit_test(test_wrapped_usage),
		cmocka_unit_test(test_json),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
