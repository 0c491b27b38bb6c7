// SPDX-License-Identifier: GPL-2.0
/* Histogram merge, percentile estimates, text units; size/errno/flags formats */
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

#include "view/fmt.h"
#include "view/lathist.h"

/* slot 10 (1024..2047 ns) x3, slot 11 x1: 1100, 1500, 2000, 3000 ns */
static void hist_a(struct dt_hist *h)
{
	memset(h, 0, sizeof(*h));
	h->slots[10] = 3;
	h->slots[11] = 1;
	h->count = 4;
	h->sum_ns = 7600;
	h->min_ns = 1100;
	h->max_ns = 3000;
}

/* slots 4, 5, 6 (16..127 ns) with 2, 2, 4 samples */
static void hist_b(struct dt_hist *h)
{
	memset(h, 0, sizeof(*h));
	h->slots[4] = 2;
	h->slots[5] = 2;
	h->slots[6] = 4;
	h->count = 8;
	h->sum_ns = 600;
	h->min_ns = 16;
	h->max_ns = 127;
}

static void test_percentiles(void **state)
{
	struct dt_hist h;

	(void)state;
	hist_a(&h);
	/* rank 1 of 3 in [1024, 2048): 1024 + 1024/3 */
	assert_float_equal(lh_percentile_ns(&h, 25), 1024 + 1024.0 / 3, 1e-6);
	assert_float_equal(lh_percentile_ns(&h, 0.1), 1024 + 1024.0 / 3, 1e-6);
	/* rank 2 of 3 */
	assert_float_equal(lh_percentile_ns(&h, 50), 1024 + 2048.0 / 3, 1e-6);
	/* rank 4 is in [2048, 4096): 4096 clamped to max 3000 */
	assert_float_equal(lh_percentile_ns(&h, 90), 3000, 1e-6);
	assert_float_equal(lh_percentile_ns(&h, 100), 3000, 1e-6);
	assert_float_equal(lh_avg_ns(&h), 1900, 1e-6);

	hist_b(&h);
	assert_float_equal(lh_percentile_ns(&h, 10), 24, 1e-6);  /* rank 1 */
	assert_float_equal(lh_percentile_ns(&h, 50), 64, 1e-6);  /* rank 4 */
	assert_float_equal(lh_percentile_ns(&h, 75), 96, 1e-6);  /* rank 6 */
	assert_float_equal(lh_percentile_ns(&h, 99), 127, 1e-6); /* 128 -> max */

	/* slot 0 is [0, 2) */
	memset(&h, 0, sizeof(h));
	h.slots[0] = 2;
	h.count = 2;
	h.sum_ns = 1;
	h.max_ns = 1;
	assert_float_equal(lh_percentile_ns(&h, 50), 1, 1e-6);
	memset(&h, 0, sizeof(h));
	assert_float_equal(lh_percentile_ns(&h, 50), 0, 1e-6);
	assert_float_equal(lh_avg_ns(&h), 0, 1e-6);
}

static void test_merge(void **state)
{
	struct dt_hist a, b, empty;

	(void)state;
	hist_a(&a);
	hist_b(&b);
	memset(&empty, 0, sizeof(empty));
	lh_merge(&a, &empty);
	assert_int_equal(a.count, 4);
	assert_int_equal(a.min_ns, 1100);
	lh_merge(&empty, &a);		/* min of an empty dst is not 0 */
	assert_int_equal(empty.min_ns, 1100);
	assert_int_equal(empty.max_ns, 3000);
	lh_merge(&a, &b);
	assert_int_equal(a.count, 12);
	assert_int_equal(a.sum_ns, 8200);
	assert_int_equal(a.min_ns, 16);
	assert_int_equal(a.max_ns, 3000);
	assert_int_equal(a.slots[4], 2);
	assert_int_equal(a.slots[10], 3);
}

static char *print(const struct dt_hist *h, enum view_unit unit)
{
	char *buf;
	size_t len;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	lh_print(h, unit, out);
	fclose(out);
	return buf;
}

static void test_print_units(void **state)
{
	struct dt_hist h;
	char *text;

	(void)state;
	hist_a(&h);
	text = print(&h, VIEW_UNIT_USECS);
	assert_string_equal(text,
"     usecs               : count    distribution\n"
"         0 -> 1          : 3        |****************************************|\n"
"         2 -> 3          : 1        |*************                           |\n"
"count 4 avg 1.900 min 1.100 max 3.000 p50 ~1.707 p90 ~3.000 p99 ~3.000 (usecs)\n");
	free(text);
	text = print(&h, VIEW_UNIT_MSECS);
	assert_string_equal(text,
"     msecs               : count    distribution\n"
"         0 -> 1          : 4        |****************************************|\n"
"count 4 avg 0.002 min 0.001 max 0.003 p50 ~0.002 p90 ~0.003 p99 ~0.003 (msecs)\n");
	free(text);
	hist_b(&h);
	text = print(&h, VIEW_UNIT_NSECS);
	assert_string_equal(text,
"     nsecs               : count    distribution\n"
"         0 -> 1          : 0        |                                        |\n"
"         2 -> 3          : 0        |                                        |\n"
"         4 -> 7          : 0        |                                        |\n"
"         8 -> 15         : 0        |                                        |\n"
"        16 -> 31         : 2        |********************                    |\n"
"        32 -> 63         : 2        |********************                    |\n"
"        64 -> 127        : 4        |****************************************|\n"
"count 8 avg 75.000 min 16.000 max 127.000 p50 ~64.000 p90 ~127.000 p99 ~127.000 (nsecs)\n");
	free(text);
	memset(&h, 0, sizeof(h));
	text = print(&h, VIEW_UNIT_USECS);
	assert_string_equal(text, "");
	free(text);
}

static void test_print_wide(void **state)
{
	struct dt_hist h;
	char *text;

	(void)state;
	memset(&h, 0, sizeof(h));
	h.slots[33] = 1;	/* ~8.6 s in ns: slot index > 32, wide columns */
	h.count = 1;
	h.sum_ns = h.min_ns = h.max_ns = 10000000000ULL;
	text = print(&h, VIEW_UNIT_NSECS);
	assert_memory_equal(text,
"               nsecs                         : count    distribution\n"
"                   0 -> 1                    : 0        |", 126);
	assert_non_null(strstr(text,
"\n          8589934592 -> 17179869183          : 1        |****************************************|\n"
"count 1 avg 10000000000.000 "));
	free(text);
}

/* The legend: what ~ means, and what a usec or msec bucket step is */
static void test_legend(void **state)
{
	char *s;

	(void)state;
	CAPTURE(s, lh_print_legend(VIEW_UNIT_USECS, out));
	assert_string_equal(s, "(~: a percentile estimated inside its log2 bucket, at most 2x off; count, avg, min, max are exact; here a usec is 1024 ns)\n");
	free(s);
	CAPTURE(s, lh_print_legend(VIEW_UNIT_NSECS, out));
	assert_string_equal(s, "(~: a percentile estimated inside its log2 bucket, at most 2x off; count, avg, min, max are exact)\n");
	free(s);
}

static void test_fmt(void **state)
{
	char b[64];

	(void)state;
	assert_string_equal(fmt_size(b, sizeof(b), 0, 0), "0 B");
	assert_string_equal(fmt_size(b, sizeof(b), 1536, 0), "1536 B");
	assert_string_equal(fmt_size(b, sizeof(b), 12345, 0), "12.1 KiB");
	assert_string_equal(fmt_size(b, sizeof(b), 4096, 0), "4 KiB");
	assert_string_equal(fmt_size(b, sizeof(b), 0x7f000000, 0), "2032 MiB");
	assert_string_equal(fmt_size(b, sizeof(b), 0x80000000, 0), "2 GiB");
	assert_string_equal(fmt_size(b, sizeof(b), 0xfedff000, 0), "4.0 GiB");
	assert_string_equal(fmt_size(b, sizeof(b), ~0ULL, 0), "16.0 EiB");
	assert_string_equal(fmt_size(b, sizeof(b), 0, 1), "16 EiB");
	assert_string_equal(fmt_range_size(b, sizeof(b), 0, ~0ULL), "16 EiB");
	assert_string_equal(fmt_range_size(b, sizeof(b), 0x1000, 0x1fff), "4 KiB");
	assert_string_equal(fmt_errno(b, sizeof(b), -EINVAL), "-EINVAL");
	assert_string_equal(fmt_errno(b, sizeof(b), EEXIST), "-EEXIST");
	assert_string_equal(fmt_errno(b, sizeof(b), 0), "0");
	assert_string_equal(fmt_errno(b, sizeof(b), -4000), "-E4000");
	assert_string_equal(fmt_errno(b, sizeof(b), -2147483647 - 1), "-E2147483648");
	assert_string_equal(fmt_errno(b, sizeof(b), 2147483647), "-E2147483647");
	assert_string_equal(fmt_map_flags(b, sizeof(b), 7),
			    "FIXED_IOVA|WRITEABLE|READABLE");
	assert_string_equal(fmt_map_flags(b, sizeof(b), 0x12), "WRITEABLE|0x10");
	assert_string_equal(fmt_map_flags(b, sizeof(b), 0), "0");
	assert_string_equal(fmt_map_flags(b, sizeof(b), 0x80000000), "0x80000000");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_percentiles),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_print_units),
		cmocka_unit_test(test_print_wide),
		cmocka_unit_test(test_legend),
		cmocka_unit_test(test_fmt),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
