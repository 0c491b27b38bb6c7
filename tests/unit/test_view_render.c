// SPDX-License-Identifier: GPL-2.0
/*
 * The view's renderers on a fixed scenario (tests/unit/view_scenario.c):
 * violation and fault lines, windows text, biolatency histograms, the
 * ground-truth summary. Expected outputs are written by hand from the
 * scenario, not captured from the program.
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
#include "view_scenario.h"

#define FIXED_RW	7

static int setup(void **state)
{
	struct dt_view *v = view_new();

	if (!v)
		return -1;
	scn_build(v);
	*state = v;
	return 0;
}

static int teardown(void **state)
{
	view_free(*state);
	return 0;
}

static void test_violation_lines(void **state)
{
	char *text;

	CAPTURE(text, assert_int_equal(view_print_violations(*state, out), 0));
	assert_string_equal(text,
"VIOLATION outside_allowed: map ioas 1 iova 0x7ffff000 len 0x4000 (16 KiB) flags FIXED_IOVA|WRITEABLE|READABLE pid 42 (qemu) -> accepted: ends 0x3000 past allowed range [0x1000000, 0x7fffffff]\n"
"VIOLATION reserved: map ioas 1 iova 0xfedff000 len 0x2000 (8 KiB) flags FIXED_IOVA|WRITEABLE|READABLE pid 42 (qemu) -> -EINVAL: overlaps MSI hole [0xfee00000, 0xfeefffff] by 0x1000\n"
"VIOLATION misaligned: map ioas 1 iova 0x1000800 len 0x1000 (4 KiB) flags FIXED_IOVA|WRITEABLE|READABLE pid 42 (qemu) -> -EINVAL: iova|length aligned only to 0x800\n"
"VIOLATION bad_flags: map ioas 1 iova 0x1000000 len 0x1000 (4 KiB) flags FIXED_IOVA|WRITEABLE|READABLE|0x10 pid 42 (qemu) -> -EOPNOTSUPP: unknown flags 0x10\n"
"VIOLATION bad_flags: map ioas 1 iova 0x2000000 len 0x1000 (4 KiB) flags FIXED_IOVA pid 42 (qemu) -> -EINVAL: neither READABLE nor WRITEABLE\n"
"VIOLATION exhausted: map ioas 1 iova auto len 0x100000000 (4 GiB) flags WRITEABLE|READABLE pid 42 (qemu) -> -ENOSPC: no room for 4 GiB in window [0x1000000, 0x7fffffff] (2032 MiB), 2 MiB mapped\n"
"VIOLATION overlap: map ioas 1 iova 0x1000000 len 0x1000 (4 KiB) flags FIXED_IOVA|WRITEABLE|READABLE pid 42 (qemu) -> -EEXIST: overlaps an existing mapping; inside window [0x1000000, 0x7fffffff]\n"
"VIOLATION wrap: map ioas 1 iova 0xfffffffffffff000 len 0x2000 (8 KiB) flags FIXED_IOVA|WRITEABLE|READABLE pid 42 (qemu) -> -EOVERFLOW: iova + length wraps past 2^64 by 0x1000\n"
"VIOLATION unmap_miss: unmap ioas 1 iova 0x3000000 len 0x1000 (4 KiB) pid 42 (qemu) -> -ENOENT: no mapped area covers the range exactly; unmapped 500.0 ms ago by pid 42 (dpdk) [0x3000000 +0x2000]\n"
"VIOLATION reserved: allow_iovas ioas 3 [0x0, 0xffffffff] pid 42 (qemu) -> -EADDRINUSE: allowed range [0x0, 0xffffffff] overlaps reserved hole [0x80000000, 0x7ffffffffffffff] by 0x80000000\n"
"VIOLATION type1_outside: type1_map ioas 3 iova 0x80000000 len 0x1000 (4 KiB) flags 0x3 pid 42 (qemu) -> -EINVAL: overlaps reserved hole [0x80000000, 0x7ffffffffffffff] by 0x1000; lies entirely above window [0x0, 0x7fffffff], ending 0x1000 past it\n"
"FAULT iova 0x3000800 ioas 1: inside window [0x1000000, 0x7fffffff]; unmapped 1.0 s ago by pid 42 (dpdk) [0x3000000 +0x2000]\n"
"FAULT iova 0x80001000 ioas 1: lies 0x1001 above window [0x1000000, 0x7fffffff]; not unmapped recently\n"
"11 violations: outside_allowed 1, reserved 2, overlap 1, exhausted 1, misaligned 1, wrap 1, unmap_miss 1, type1_outside 1, bad_flags 2; 2 faults\n");
	free(text);
}

static unsigned int count_lines(const char *text, const char *prefix)
{
	unsigned int n = 0;
	const char *p;

	for (p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		n += !strncmp(p, prefix, strlen(prefix));
	return n;
}

/* Grouped by kind: a header with the count and the meaning, max lines */
static void test_violations_grouped(void **state)
{
	struct dt_view *v = *state;
	struct dt_event e;
	char *text;
	int i;

	CAPTURE(text, assert_int_equal(view_print_violations_grouped(v, 1, out), 0));
	assert_non_null(strstr(text,
"reserved: 2, rejected: the range hits a reserved hole; for example:\n"
"VIOLATION reserved: map ioas 1 iova 0xfedff000 len 0x2000 (8 KiB) flags FIXED_IOVA|WRITEABLE|READABLE pid 42 (qemu) -> -EINVAL: overlaps MSI hole [0xfee00000, 0xfeefffff] by 0x1000\n"
"overlap: 1, rejected: overlaps a mapped area (-EEXIST)\n"
"VIOLATION overlap: "));
	assert_non_null(strstr(text,
"bad_flags: 2, rejected: unknown flags or reserved fields set; for example:\n"
"VIOLATION bad_flags: map ioas 1 iova 0x1000000 len 0x1000 (4 KiB) flags FIXED_IOVA|WRITEABLE|READABLE|0x10 pid 42 (qemu) -> -EOPNOTSUPP: unknown flags 0x10\n"
"faults: 2, IOMMU faults at an IOVA; the first:\n"
"FAULT iova 0x3000800 ioas 1: inside window [0x1000000, 0x7fffffff]; unmapped 1.0 s ago by pid 42 (dpdk) [0x3000000 +0x2000]\n"
"(1 distinct lines at most per kind; every line: --all, `dmatrace violations` or -j)\n"
"11 violations: outside_allowed 1, reserved 2, overlap 1, exhausted 1, misaligned 1, wrap 1, unmap_miss 1, type1_outside 1, bad_flags 2; 2 faults\n"));
	assert_int_equal(count_lines(text, "VIOLATION "), 9);
	assert_int_equal(count_lines(text, "FAULT "), 1);
	free(text);

	/* the same line five more times: shown once among the examples */
	e = scn_event(DT_EV_OP_FAILED, DT_OP_MAP, -EEXIST, 1, 0x1000000,
		      0x1000, FIXED_RW);
	for (i = 0; i < 5; i++)
		assert_int_equal(scn_add(v, &e, NULL), 1);
	CAPTURE(text, assert_int_equal(view_print_violations_grouped(v, 3, out), 0));
	assert_non_null(strstr(text, "overlap: 6, rejected: overlaps a mapped area (-EEXIST); for example:\n"));
	assert_int_equal(count_lines(text, "VIOLATION overlap: "), 1);
	assert_int_equal(count_lines(text, "VIOLATION bad_flags: "), 2);
	assert_int_equal(count_lines(text, "FAULT "), 2);
	free(text);

	/* 0: every line, as view_print_violations() */
	CAPTURE(text, assert_int_equal(view_print_violations_grouped(v, 0, out), 0));
	assert_int_equal(count_lines(text, "VIOLATION "), 16);
	assert_null(strstr(text, "for example"));
	free(text);
}

static void test_add_event_returns(void **state)
{
	struct dt_view *v = *state;
	char line[VIEW_LINE_MAX] = "untouched";
	struct dt_event e;

	/* a violation: 1 and its line */
	e = scn_event(DT_EV_OP_FAILED, DT_OP_MAP, -EEXIST, 1, 0x1001000,
		      0x1000, FIXED_RW);
	assert_int_equal(scn_add(v, &e, line), 1);
	assert_string_equal(line, "VIOLATION overlap: map ioas 1 iova 0x1001000 len 0x1000 (4 KiB) flags FIXED_IOVA|WRITEABLE|READABLE pid 42 (qemu) -> -EEXIST: overlaps an existing mapping; inside window [0x1000000, 0x7fffffff]");
	/* an errno with no kind: 0, line untouched */
	strcpy(line, "untouched");
	e = scn_event(DT_EV_OP_FAILED, DT_OP_IOAS_ALLOC, -ENOMEM, 0, 0, 0, 0);
	assert_int_equal(scn_add(v, &e, line), 0);
	assert_string_equal(line, "untouched");
	/* a task name with control and non-ASCII bytes, unterminated */
	e = scn_event(DT_EV_OP_FAILED, DT_OP_UNMAP, -ENOENT, 1, 0x5000, 0x1000, 0);
	memcpy(e.comm, "q\n\xff" "emu-0123456789", DT_COMM_LEN);
	assert_int_equal(scn_add(v, &e, line), 1);
	assert_string_equal(line, "VIOLATION unmap_miss: unmap ioas 1 iova 0x5000 len 0x1000 (4 KiB) pid 42 (q??emu-01234567) -> -ENOENT: no mapped area covers the range exactly; not unmapped recently");
	/* kernel faults carry the areas around them: a hole, a permission fault */
	e = scn_event(DT_EV_FAULT, DT_OP_MAX, 0, 1, 0x2002000, 0, 0);
	e.nr_ranges = e.total_ranges = 2;
	e.ranges[0] = (struct dt_range){ 0x2000000, 0x2001fff };
	e.ranges[1] = (struct dt_range){ 0x2010000, 0x2010fff };
	assert_int_equal(scn_add(v, &e, line), 1);
	assert_string_equal(line, "FAULT iova 0x2002000 ioas 1: inside window [0x1000000, 0x7fffffff]; no area mapped: 0x1 past area [0x2000000, 0x2001fff], 0xe000 before area [0x2010000, 0x2010fff]; not unmapped recently");
	e.ranges[0] = (struct dt_range){ 1, 0 };
	assert_int_equal(scn_add(v, &e, line), 1);
	assert_string_equal(line, "FAULT iova 0x2002000 ioas 1: inside window [0x1000000, 0x7fffffff]; no area mapped: 0xe000 before area [0x2010000, 0x2010fff]; not unmapped recently");
	e.ranges[1] = (struct dt_range){ 1, 0 };
	assert_int_equal(scn_add(v, &e, line), 1);
	assert_string_equal(line, "FAULT iova 0x2002000 ioas 1: inside window [0x1000000, 0x7fffffff]; no area mapped in the IOAS; not unmapped recently");
	e.ranges[0] = (struct dt_range){ 0x2000000, 0x2003fff };
	assert_int_equal(scn_add(v, &e, line), 1);
	assert_string_equal(line, "FAULT iova 0x2002000 ioas 1: inside window [0x1000000, 0x7fffffff]; inside area [0x2000000, 0x2003fff]; not unmapped recently");
	/* a fault under an unmap whose reported range wraps: clamped */
	e = scn_event(DT_EV_UNMAP, DT_OP_UNMAP, 0, 1, 0x1000, ~0ULL, 0);
	e.ts_ns = 3000000000ULL;
	e.tid = 44;
	assert_int_equal(scn_add(v, &e, NULL), 0);
	e = scn_event(DT_EV_FAULT, DT_OP_MAX, 0, 1, ~0ULL, 0, 0);
	e.ts_ns = 3000000500ULL;
	assert_int_equal(scn_add(v, &e, line), 1);
	assert_string_equal(line, "FAULT iova 0xffffffffffffffff ioas 1: lies 0xffffffff80000000 above window [0x1000000, 0x7fffffff]; unmapped 500 ns ago by pid 42 (qemu) [0x1000 +0xffffffffffffffff]");
	/* errnos the rules give no kind */
	e = scn_event(DT_EV_OP_FAILED, DT_OP_TYPE1_MAP, -EOPNOTSUPP, 3,
		      0x1000, 0x1000, 3);
	assert_int_equal(scn_add(v, &e, line), 0);
	e = scn_event(DT_EV_OP_FAILED, DT_OP_UNMAP, -ENOENT, 9, 0x1000,
		      0x1000, 0);		/* no such IOAS */
	assert_int_equal(scn_add(v, &e, line), 0);
	e = scn_event(DT_EV_OP_FAILED, DT_OP_IOAS_ALLOC, -EOPNOTSUPP, 0, 0,
		      0, 1);
	assert_int_equal(scn_add(v, &e, line), 0);
	e = scn_event(DT_EV_OP_FAILED, DT_OP_IOVA_RANGES, -EMSGSIZE, 1, 0,
		      0, 0);
	assert_int_equal(scn_add(v, &e, line), 0);
	/* type1: -EINVAL off the reserved ranges is misaligned; bad flags */
	e = scn_event(DT_EV_OP_FAILED, DT_OP_TYPE1_MAP, -EINVAL, 3, 0x1800,
		      0x1000, 3);
	assert_int_equal(scn_add(v, &e, line), 1);
	assert_string_equal(line, "VIOLATION misaligned: type1_map ioas 3 iova 0x1800 len 0x1000 (4 KiB) flags 0x3 pid 42 (qemu) -> -EINVAL: iova|length aligned only to 0x800");
	e = scn_event(DT_EV_OP_FAILED, DT_OP_TYPE1_MAP, -EINVAL, 3, 0x80000000,
		      0x1000, 7);
	assert_int_equal(scn_add(v, &e, line), 1);
	assert_string_equal(line, "VIOLATION bad_flags: type1_map ioas 3 iova 0x80000000 len 0x1000 (4 KiB) flags 0x7 pid 42 (qemu) -> -EINVAL: unknown flags 0x4");
	e = scn_event(DT_EV_OP_FAILED, DT_OP_TYPE1_UNMAP, -EINVAL, 3, 0x1000,
		      0x1000, 2);
	assert_int_equal(scn_add(v, &e, line), 1);
	assert_string_equal(line, "VIOLATION bad_flags: type1_unmap ioas 3 iova 0x1000 len 0x1000 (4 KiB) flags 0x2 pid 42 (qemu) -> -EINVAL: UNMAP_FLAG_ALL with iova or size set");
	/* unknown type, short record */
	e.type = DT_EV_FAULT + 1;
	assert_int_equal(scn_add(v, &e, line), -EINVAL);
	assert_int_equal(view_add_event(v, &e, sizeof(e) - 1, NULL, 0),
			 -EINVAL);
	/* nr_ranges beyond the array */
	e = scn_event(DT_EV_ALLOWED_SET, DT_OP_ALLOW_IOVAS, 0, 1, 0, 0, 0);
	e.nr_ranges = DT_EVENT_RANGES + 1;
	assert_int_equal(scn_add(v, &e, line), -EINVAL);
	/* a reserved range removed by owner leaves no hole */
	e = scn_event(DT_EV_RESERVED_REMOVE, DT_OP_MAX, 0, 1, 0, 0, 0);
	e.owner = 0x100;
	assert_int_equal(scn_add(v, &e, NULL), 0);
	e = scn_event(DT_EV_OP_FAILED, DT_OP_MAP, -EINVAL, 1, 0xfee00000,
		      0x1000, FIXED_RW);
	assert_int_equal(scn_add(v, &e, line), 1);
	assert_non_null(strstr(line, "VIOLATION misaligned:"));
}

static void test_windows_text(void **state)
{
	char *text;

	CAPTURE(text, assert_int_equal(view_print_windows(*state, out), 0));
	assert_string_equal(text,
"IOAS 1: mapped 2 MiB in 2 areas; windows: the allowed ranges (IOMMU_IOAS_ALLOW_IOVAS) minus reserved holes\n"
"  window [0x1000000, 0x7fffffff] size 0x7f000000 (2032 MiB)  used 2036 KiB |#                                       | 0.10%\n"
"  hole   [0xfee00000, 0xfeefffff] size 0x100000 (1 MiB) MSI, reserved by device #1\n"
"  outside windows: 1 area, 12 KiB: [0x7ffff000, 0x80002fff]\n"
"IOAS 2 (destroyed): usage not traced; windows: all of the IOVA space minus reserved holes (no allowed ranges set)\n"
"  window [0x0, 0xffffffffffffffff] size 0x10000000000000000 (16 EiB)\n"
"IOAS 3: usage not traced; windows: as IOMMU_IOAS_IOVA_RANGES last reported them\n"
"  window [0x0, 0x7fffffff] size 0x80000000 (2 GiB)\n"
"  hole   [0x80000000, 0x7ffffffffffffff] size 0x7ffffff80000000 (512.0 PiB) outside the aperture of domain #1\n"
"  window [0x800000000000000, 0x80000007fffffff] size 0x80000000 (2 GiB)\n"
"  hole   [0x800000080000000, 0xffffffffffffffff] size 0xf7ffffff80000000 (15.5 EiB) outside the aperture of domain #1\n");
	free(text);
}

static void test_hists_text_default(void **state)
{
	struct view_opts o = VIEW_OPTS_DEFAULT;
	char *text;

	CAPTURE(text, assert_int_equal(view_print_hists(*state, &o, out), 0));
	assert_string_equal(text,
"\n"
"op = map  ret = 0  size = [4 KiB, 8 KiB)\n"
"     usecs               : count    distribution\n"
"         0 -> 1          : 3        |****************************************|\n"
"         2 -> 3          : 1        |*************                           |\n"
"count 4 avg 1.875 min 1.500 max 3.000 p50 ~1.707 p90 ~3.000 p99 ~3.000 (usecs)\n"
"\n"
"op = map  ret = -EEXIST  size = [4 KiB, 8 KiB)\n"
"     usecs               : count    distribution\n"
"         0 -> 1          : 1        |****************************************|\n"
"count 1 avg 0.600 min 0.600 max 0.600 p50 ~0.600 p90 ~0.600 p99 ~0.600 (usecs)\n"
"\n"
"op = unmap  ret = 0  size = [8 KiB, 16 KiB)\n"
"     usecs               : count    distribution\n"
"         0 -> 1          : 0        |                                        |\n"
"         2 -> 3          : 0        |                                        |\n"
"         4 -> 7          : 2        |****************************************|\n"
"count 2 avg 5.000 min 5.000 max 5.000 p50 ~5.000 p90 ~5.000 p99 ~5.000 (usecs)\n"
"(~: a percentile estimated inside its log2 bucket, at most 2x off; count, avg, min, max are exact; here a usec is 1024 ns)\n");
	free(text);
}

static void test_hists_text_split_pid_msecs(void **state)
{
	struct view_opts o = { .split = VIEW_SPLIT_PID, .unit = VIEW_UNIT_MSECS };
	char *text;

	/* map: 600 ns, 3 x 1500 ns, 3000 ns: everything in msec slot 0 */
	CAPTURE(text, assert_int_equal(view_print_hists(*state, &o, out), 0));
	assert_string_equal(text,
"\n"
"op = map  pid = 42 (qemu)\n"
"     msecs               : count    distribution\n"
"         0 -> 1          : 5        |****************************************|\n"
"count 5 avg 0.002 min 0.001 max 0.003 p50 ~0.002 p90 ~0.003 p99 ~0.003 (msecs)\n"
"\n"
"op = unmap  pid = 43\n"
"     msecs               : count    distribution\n"
"         0 -> 1          : 2        |****************************************|\n"
"count 2 avg 0.005 min 0.005 max 0.005 p50 ~0.005 p90 ~0.005 p99 ~0.005 (msecs)\n"
"(~: a percentile estimated inside its log2 bucket, at most 2x off; count, avg, min, max are exact; here a msec is 1048576 ns)\n");
	free(text);
}

/*
 * A process is named by the procs map (the BPF side notes it at its first
 * sample), else by its IOASes' events (42: qemu); unnamed, the pid alone
 */
static void test_hists_text_names_procs(void **state)
{
	struct view_opts o = { .split = VIEW_SPLIT_PID, .unit = VIEW_UNIT_MSECS };
	char *text;

	assert_int_equal(view_add_proc(*state, 43, "dpdk-\ntestpmd"), 0);
	assert_int_equal(view_add_proc(*state, 42, "other"), 0);
	CAPTURE(text, assert_int_equal(view_print_hists(*state, &o, out), 0));
	assert_non_null(strstr(text, "op = map  pid = 42 (qemu)\n"));
	assert_non_null(strstr(text, "op = unmap  pid = 43 (dpdk-?testpmd)\n"));
	free(text);
}

static void test_summary(void **state)
{
	struct json_writer w;
	char *text;

	CAPTURE(text, {
		json_init(&w, out);
		assert_int_equal(view_write_summary(*state, &w), 0);
	});
	assert_string_equal(text,
"{\"ops\":{\"map\":{\"0\":4,\"-EEXIST\":1},\"unmap\":{\"0\":2}},"
"\"bytes_mapped\":16384,\"bytes_unmapped\":16384,"
"\"ioas\":[{\"id\":1,\"mapped_bytes\":2097152,\"areas\":2,"
"\"allowed\":[[\"0x1000000\",\"0x7fffffff\"]],"
"\"reserved\":[[\"0xfee00000\",\"0xfeefffff\"]]},"
"{\"id\":3,\"mapped_bytes\":0,\"areas\":0,\"allowed\":[],"
"\"reserved\":[[\"0x80000000\",\"0x7ffffffffffffff\"],[\"0x800000080000000\",\"0xffffffffffffffff\"]]}],"
"\"violations\":["
"{\"op\":\"map\",\"ioas\":1,\"kind\":\"outside_allowed\",\"iova\":\"0x7ffff000\",\"length\":\"0x4000\",\"ret\":\"0\"},"
"{\"op\":\"map\",\"ioas\":1,\"kind\":\"reserved\",\"iova\":\"0xfedff000\",\"length\":\"0x2000\",\"ret\":\"-EINVAL\"},"
"{\"op\":\"map\",\"ioas\":1,\"kind\":\"overlap\",\"iova\":\"0x1000000\",\"length\":\"0x1000\",\"ret\":\"-EEXIST\"},"
"{\"op\":\"map\",\"ioas\":1,\"kind\":\"exhausted\",\"iova\":\"0x0\",\"length\":\"0x100000000\",\"ret\":\"-ENOSPC\"},"
"{\"op\":\"map\",\"ioas\":1,\"kind\":\"misaligned\",\"iova\":\"0x1000800\",\"length\":\"0x1000\",\"ret\":\"-EINVAL\"},"
"{\"op\":\"map\",\"ioas\":1,\"kind\":\"wrap\",\"iova\":\"0xfffffffffffff000\",\"length\":\"0x2000\",\"ret\":\"-EOVERFLOW\"},"
"{\"op\":\"map\",\"ioas\":1,\"kind\":\"bad_flags\",\"iova\":\"0x1000000\",\"length\":\"0x1000\",\"ret\":\"-EOPNOTSUPP\"},"
"{\"op\":\"map\",\"ioas\":1,\"kind\":\"bad_flags\",\"iova\":\"0x2000000\",\"length\":\"0x1000\",\"ret\":\"-EINVAL\"},"
"{\"op\":\"unmap\",\"ioas\":1,\"kind\":\"unmap_miss\",\"iova\":\"0x3000000\",\"length\":\"0x1000\",\"ret\":\"-ENOENT\"},"
"{\"op\":\"allow_iovas\",\"ioas\":3,\"kind\":\"reserved\",\"iova\":\"0x0\",\"length\":\"0x0\",\"ret\":\"-EADDRINUSE\"},"
"{\"op\":\"type1_map\",\"ioas\":3,\"kind\":\"type1_outside\",\"iova\":\"0x80000000\",\"length\":\"0x1000\",\"ret\":\"-EINVAL\"}"
"]}");
	free(text);
}

/* docs/ground-truth.md corner rules, and what the summary records */
static void test_ground_truth_rules(void **state)
{
	struct dt_view *v = view_new();
	char line[VIEW_LINE_MAX], *text;
	struct json_writer w;
	struct dt_event e;

	(void)state;
	e = scn_event(DT_EV_IOAS_ALLOC, DT_OP_IOAS_ALLOC, 0, 1, 0, 0, 0);
	assert_int_equal(scn_add(v, &e, NULL), 0);
	e = scn_event(DT_EV_RESERVED_ADD, DT_OP_MAX, 0, 1, 0, 0, 0);
	e.ranges[0].start = 0xfee00000;
	e.ranges[0].last = 0xfeefffff;
	e.nr_ranges = e.total_ranges = 1;
	assert_int_equal(scn_add(v, &e, NULL), 0);
	/* -EINVAL: only "no READABLE/WRITEABLE" makes a map bad_flags */
	e = scn_event(DT_EV_OP_FAILED, DT_OP_MAP, -EINVAL, 1, 0xfee00000,
		      0x1000, FIXED_RW | 0x10);
	assert_int_equal(scn_add(v, &e, line), 1);
	assert_string_equal(line, "VIOLATION reserved: map ioas 1 iova 0xfee00000 len 0x1000 (4 KiB) flags FIXED_IOVA|WRITEABLE|READABLE|0x10 pid 42 (qemu) -> -EINVAL: overlaps MSI hole [0xfee00000, 0xfeefffff] by 0x1000");
	e = scn_event(DT_EV_OP_FAILED, DT_OP_MAP, -EINVAL, 1, 0xfee00000,
		      0x1000, 6);
	e.reserved_nz = 1;	/* auto IOVA: never reserved */
	assert_int_equal(scn_add(v, &e, line), 1);
	assert_non_null(strstr(line, "VIOLATION misaligned: map ioas 1 iova auto "));
	/* a zero-length FIXED map intersects nothing */
	e = scn_event(DT_EV_OP_FAILED, DT_OP_MAP, -EINVAL, 1, 0xfee00000, 0,
		      FIXED_RW);
	assert_int_equal(scn_add(v, &e, line), 1);
	assert_non_null(strstr(line, "-> -EINVAL: zero length"));
	/* recorded iova/length: 0x0 for allow_iovas, window_request's iova */
	e = scn_event(DT_EV_OP_FAILED, DT_OP_ALLOW_IOVAS, -EADDRINUSE, 1,
		      0x1234, 0x10, 0);
	e.ranges[0].start = 0xfe000000;
	e.ranges[0].last = 0xfeffffff;
	e.nr_ranges = e.total_ranges = 1;
	assert_int_equal(scn_add(v, &e, line), 1);
	e = scn_event(DT_EV_OP_FAILED, DT_OP_WINDOW_REQUEST, -ENOSPC, 1,
		      0x5000, 0x40000000, 0);
	assert_int_equal(scn_add(v, &e, line), 1);
	CAPTURE(text, {
		json_init(&w, out);
		assert_int_equal(view_write_summary(v, &w), 0);
	});
	assert_string_equal(text,
"{\"ops\":{},\"bytes_mapped\":0,\"bytes_unmapped\":0,"
"\"ioas\":[{\"id\":1,\"mapped_bytes\":0,\"areas\":0,\"allowed\":[],"
"\"reserved\":[[\"0xfee00000\",\"0xfeefffff\"]]}],\"violations\":["
"{\"op\":\"map\",\"ioas\":1,\"kind\":\"reserved\",\"iova\":\"0xfee00000\",\"length\":\"0x1000\",\"ret\":\"-EINVAL\"},"
"{\"op\":\"map\",\"ioas\":1,\"kind\":\"misaligned\",\"iova\":\"0x0\",\"length\":\"0x1000\",\"ret\":\"-EINVAL\"},"
"{\"op\":\"map\",\"ioas\":1,\"kind\":\"misaligned\",\"iova\":\"0xfee00000\",\"length\":\"0x0\",\"ret\":\"-EINVAL\"},"
"{\"op\":\"allow_iovas\",\"ioas\":1,\"kind\":\"reserved\",\"iova\":\"0x0\",\"length\":\"0x0\",\"ret\":\"-EADDRINUSE\"},"
"{\"op\":\"window_request\",\"ioas\":1,\"kind\":\"exhausted\",\"iova\":\"0x0\",\"length\":\"0x40000000\",\"ret\":\"-ENOSPC\"}"
"]}");
	free(text);
	view_free(v);
}

static void test_counters(void **state)
{
	struct dt_view *v = *state;
	char *text;

	view_set_counter(v, DT_CNT_RB_DROPS, 5);
	view_set_counter(v, DT_CNT_READ_FAIL, 7);
	view_set_counter(v, DT_CNT_MAX, 9);	/* out of range: ignored */
	CAPTURE(text, view_print_counters(v, out));
	assert_memory_equal(text, "rb_drops 5  stash_miss 0  read_fail 7", 37);
	assert_null(strstr(text, "9"));
	assert_string_equal(text + strlen(text) - 1, "\n");
	free(text);
}

/* Each loss next to the figures it affects; none: nothing said */
static void test_losses(void **state)
{
	struct dt_view *v = *state;
	struct view_opts o = VIEW_OPTS_DEFAULT;
	char *text, line[512];

	assert_false(view_lost_any(v));
	assert_int_equal(view_loss_line(v, line, sizeof(line)), 0);
	CAPTURE(text, view_print_windows(v, out));
	assert_null(strstr(text, "lower bound"));
	free(text);
	view_set_counter(v, DT_CNT_HIST_FULL, 36);
	view_set_counter(v, DT_CNT_AREAS_FULL, 24);
	view_set_counter(v, DT_CNT_CAS_LOST, 2);
	assert_true(view_lost_any(v));
	assert_int_equal(view_lower_bounds(v),
			 VIEW_LB_HISTS | VIEW_LB_WINDOWS | VIEW_LB_MINMAX);
	CAPTURE(text, view_print_hists(v, &o, out));
	assert_memory_equal(text, "lower bound: 36 ops lost (histogram map full, --max-keys)\n", 58);
	assert_non_null(strstr(text, "approximate: 2 min/max updates lost"));
	assert_null(strstr(text, "areas not tracked"));
	free(text);
	CAPTURE(text, view_print_windows(v, out));
	assert_memory_equal(text, "lower bound: 24 areas not tracked (area map full, --max-areas)\n", 63);
	assert_non_null(strstr(text, " (lower bound: see above)"));
	free(text);
	CAPTURE(text, view_print_counters(v, out));
	assert_non_null(strstr(text, "areas_full 24  hist_full 36  cas_lost 2\n"));
	free(text);
	assert_int_equal(view_loss_line(v, line, sizeof(line)), 3);
	assert_string_equal(line, "hist_full 36 (histogram map full, --max-keys), areas_full 24 (area map full, --max-areas), cas_lost 2 (contention: a histogram's min and max are approximate)");
}

/* An op whose exit found no entry, a failed read: losses, not just counts */
static void test_losses_calls(void **state)
{
	struct dt_view *v = *state;
	struct view_opts o = VIEW_OPTS_DEFAULT;
	char *text, line[512];

	view_set_counter(v, DT_CNT_STASH_MISS, 3);
	assert_true(view_lost_any(v));
	assert_int_equal(view_lower_bounds(v),
			 VIEW_LB_HISTS | VIEW_LB_WINDOWS | VIEW_LB_VIOLATIONS);
	CAPTURE(text, view_print_hists(v, &o, out));
	assert_non_null(strstr(text, "lower bound: 3 op exits without their entry ("));
	free(text);
	view_set_counter(v, DT_CNT_STASH_MISS, 0);
	view_set_counter(v, DT_CNT_READ_FAIL, 2);
	assert_int_equal(view_lower_bounds(v),
			 VIEW_LB_HISTS | VIEW_LB_WINDOWS | VIEW_LB_VIOLATIONS |
			 VIEW_LB_FAULTS);
	CAPTURE(text, view_print_windows(v, out));
	assert_non_null(strstr(text, "lower bound: 2 reads of traced memory failed (a page not resident"));
	free(text);
	assert_int_equal(view_loss_line(v, line, sizeof(line)), 1);
	assert_memory_equal(line, "read_fail 2 (", 13);
}

static void test_reset_maps_keeps_events(void **state)
{
	struct dt_view *v = *state;
	struct view_opts o = VIEW_OPTS_DEFAULT;
	char *text;

	view_reset_maps(v);
	CAPTURE(text, assert_int_equal(view_print_hists(v, &o, out), 0));
	assert_string_equal(text, "");
	free(text);
	CAPTURE(text, assert_int_equal(view_print_violations(v, out), 0));
	assert_non_null(strstr(text, "VIOLATION type1_outside:"));
	free(text);
}

static void add_window(struct dt_view *v, __u32 ioas, __u64 base,
		       __u64 last, __u64 page_size)
{
	struct dt_event e = scn_event(DT_EV_WINDOW_ADD, DT_OP_MAX, 0, ioas,
				      base, page_size, 0);

	e.ranges[0].start = base;
	e.ranges[0].last = last;
	e.nr_ranges = e.total_ranges = 1;
	assert_int_equal(scn_add(v, &e, NULL), 0);
}

/* Seed extension: maps must land inside one window (POWER layout) */
static void test_seed_windows(void **state)
{
	struct dt_view *v = view_new();
	char line[VIEW_LINE_MAX], *text;
	struct dt_event e;

	(void)state;
	e = scn_event(DT_EV_IOAS_ALLOC, DT_OP_IOAS_ALLOC, 0, 5, 0, 0, 0);
	assert_int_equal(scn_add(v, &e, NULL), 0);
	add_window(v, 5, 0, 0x7fffffff, 0x1000);
	add_window(v, 5, SCN_P59, SCN_P59 + 0x7fffffff, 0x10000);
	CAPTURE(text, assert_int_equal(view_print_windows(v, out), 0));
	assert_string_equal(text,
"IOAS 5: usage not traced; windows: the seed extension's windows minus reserved holes\n"
"  window [0x0, 0x7fffffff] size 0x80000000 (2 GiB) pages 4 KiB\n"
"  window [0x800000000000000, 0x80000007fffffff] size 0x80000000 (2 GiB) pages 64 KiB\n");
	free(text);

	e = scn_event(DT_EV_OP_FAILED, DT_OP_MAP, -EINVAL, 5, 0x80000000,
		      0x10000, FIXED_RW);
	assert_int_equal(scn_add(v, &e, line), 1);
	assert_string_equal(line, "VIOLATION reserved: map ioas 5 iova 0x80000000 len 0x10000 (64 KiB) flags FIXED_IOVA|WRITEABLE|READABLE pid 42 (qemu) -> -EINVAL: lies entirely above window [0x0, 0x7fffffff], ending 0x10000 past it");
	e = scn_event(DT_EV_OP_FAILED, DT_OP_MAP, -EINVAL, 5, 0x7fff0000,
		      0x20000, FIXED_RW);
	assert_int_equal(scn_add(v, &e, line), 1);
	assert_string_equal(line, "VIOLATION reserved: map ioas 5 iova 0x7fff0000 len 0x20000 (128 KiB) flags FIXED_IOVA|WRITEABLE|READABLE pid 42 (qemu) -> -EINVAL: ends 0x10000 past window [0x0, 0x7fffffff]");
	e = scn_event(DT_EV_OP_FAILED, DT_OP_MAP, -EINVAL, 5, 0x1000, 0x800,
		      FIXED_RW);
	assert_int_equal(scn_add(v, &e, line), 1);
	assert_string_equal(line, "VIOLATION misaligned: map ioas 5 iova 0x1000 len 0x800 (2 KiB) flags FIXED_IOVA|WRITEABLE|READABLE pid 42 (qemu) -> -EINVAL: iova|length aligned only to 0x800 (window pages 4 KiB)");
	e = scn_event(DT_EV_OP_FAILED, DT_OP_WINDOW_REQUEST, -ENOSPC, 5, 0,
		      0x100000000ULL, 0);
	assert_int_equal(scn_add(v, &e, line), 1);
	assert_string_equal(line, "VIOLATION exhausted: window_request ioas 5 need 0x100000000 (4 GiB) pid 42 (qemu) -> -ENOSPC: no room for 4 GiB in 2 windows (4 GiB in all)");
	/* auto IOVA: never "reserved" */
	e = scn_event(DT_EV_OP_FAILED, DT_OP_MAP, -EINVAL, 5, 0x80000000,
		      0x1000, 6);
	assert_int_equal(scn_add(v, &e, line), 1);
	assert_non_null(strstr(line, "VIOLATION misaligned: "));
	e = scn_event(DT_EV_OP_FAILED, DT_OP_TYPE1_MAP, -EINVAL, 5,
		      SCN_P59 - 0x1000, 0x1000, 3);
	assert_int_equal(scn_add(v, &e, line), 1);
	assert_string_equal(line, "VIOLATION type1_outside: type1_map ioas 5 iova 0x7fffffffffff000 len 0x1000 (4 KiB) flags 0x3 pid 42 (qemu) -> -EINVAL: lies entirely below window [0x800000000000000, 0x80000007fffffff], starting 0x1000 before it");

	/* a second allocation of id 5 is a new IOAS: no windows */
	e = scn_event(DT_EV_IOAS_ALLOC, DT_OP_IOAS_ALLOC, 0, 5, 0, 0, 0);
	assert_int_equal(scn_add(v, &e, NULL), 0);
	/* reserved while id 6 was being allocated: kept by its ALLOC */
	e = scn_event(DT_EV_RESERVED_ADD, DT_OP_MAX, 0, 6, 0, 0, 0);
	e.ranges[0].start = 0xfee00000;
	e.ranges[0].last = 0xfeefffff;
	e.nr_ranges = e.total_ranges = 1;
	e.owner = 7;
	assert_int_equal(scn_add(v, &e, NULL), 0);
	e = scn_event(DT_EV_IOAS_ALLOC, DT_OP_IOAS_ALLOC, 0, 6, 0, 0, 0);
	assert_int_equal(scn_add(v, &e, NULL), 0);
	CAPTURE(text, assert_int_equal(view_print_windows(v, out), 0));
	assert_string_equal(text,
"IOAS 5: usage not traced; windows: all of the IOVA space minus reserved holes (no allowed ranges set)\n"
"  window [0x0, 0xffffffffffffffff] size 0x10000000000000000 (16 EiB)\n"
"IOAS 6: usage not traced; windows: all of the IOVA space minus reserved holes (no allowed ranges set)\n"
"  window [0x0, 0xfedfffff] size 0xfee00000 (4078 MiB)\n"
"  hole   [0xfee00000, 0xfeefffff] size 0x100000 (1 MiB) MSI, reserved by device #1\n"
"  window [0xfef00000, 0xffffffffffffffff] size 0xffffffff01100000 (16.0 EiB)\n");
	free(text);
	view_free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_violation_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_violations_grouped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_add_event_returns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_windows_text, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hists_text_default, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hists_text_split_pid_msecs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hists_text_names_procs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_summary, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset_maps_keeps_events, setup, teardown),
		cmocka_unit_test(test_seed_windows),
		cmocka_unit_test(test_ground_truth_rules),
		cmocka_unit_test_setup_teardown(test_counters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_losses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_losses_calls, setup, teardown),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
