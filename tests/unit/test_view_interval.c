// SPDX-License-Identifier: GPL-2.0
/* Interval math: union/subtract/intersect/miss, edges at 0 and ULONG_MAX */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <cmocka.h>

#include "view/interval.h"

#define MAX	IV_ULONG_MAX
#define P59	0x0800000000000000ULL	/* 2^59: POWER's second window */

static void expect_ranges(const struct iv_set *s, unsigned int nr, ...)
{
	va_list ap;
	unsigned int i;

	assert_int_equal(s->nr, nr);
	va_start(ap, nr);
	for (i = 0; i < nr; i++) {
		__u64 start = va_arg(ap, __u64);
		__u64 last = va_arg(ap, __u64);

		assert_int_equal(s->r[i].start, start);
		assert_int_equal(s->r[i].last, last);
	}
	va_end(ap);
}

static void test_add_merges_overlap_and_touching(void **state)
{
	struct iv_set s;

	(void)state;
	iv_init(&s);
	assert_int_equal(iv_add(&s, 0x3000, 0x3fff), 0);
	assert_int_equal(iv_add(&s, 0x1000, 0x1fff), 0);
	expect_ranges(&s, 2, 0x1000ULL, 0x1fffULL, 0x3000ULL, 0x3fffULL);
	/* [0x2000, 0x2fff] touches both: one range */
	assert_int_equal(iv_add(&s, 0x2000, 0x2fff), 0);
	expect_ranges(&s, 1, 0x1000ULL, 0x3fffULL);
	/* one address apart: stays separate */
	assert_int_equal(iv_add(&s, 0x4001, 0x4fff), 0);
	expect_ranges(&s, 2, 0x1000ULL, 0x3fffULL, 0x4001ULL, 0x4fffULL);
	/* overlapping inside: no change */
	assert_int_equal(iv_add(&s, 0x1800, 0x2800), 0);
	expect_ranges(&s, 2, 0x1000ULL, 0x3fffULL, 0x4001ULL, 0x4fffULL);
	assert_int_equal(iv_add(&s, 5, 4), -EINVAL);
	iv_free(&s);
}

static void test_add_edges_0_and_max(void **state)
{
	struct iv_set s;

	(void)state;
	iv_init(&s);
	assert_int_equal(iv_add(&s, MAX - 0xfff, MAX), 0);
	assert_int_equal(iv_add(&s, 0, 0xfff), 0);
	expect_ranges(&s, 2, 0ULL, 0xfffULL, MAX - 0xfff, MAX);
	assert_int_equal(iv_add(&s, MAX, MAX), 0);
	expect_ranges(&s, 2, 0ULL, 0xfffULL, MAX - 0xfff, MAX);
	assert_int_equal(iv_add(&s, 0x1000, MAX - 0x1000), 0);
	expect_ranges(&s, 1, 0ULL, MAX);
	iv_free(&s);
}

static void test_subtract(void **state)
{
	struct iv_set s;

	(void)state;
	iv_init(&s);
	assert_int_equal(iv_add(&s, 0, MAX), 0);
	/* the x86 MSI hole */
	assert_int_equal(iv_subtract(&s, 0xfee00000, 0xfeefffff), 0);
	expect_ranges(&s, 2, 0ULL, 0xfedfffffULL, 0xfef00000ULL, MAX);
	assert_int_equal(iv_subtract(&s, 0, 0), 0);
	assert_int_equal(iv_subtract(&s, MAX, MAX), 0);
	expect_ranges(&s, 2, 1ULL, 0xfedfffffULL, 0xfef00000ULL, MAX - 1);
	/* a hole covering one range and part of the next */
	assert_int_equal(iv_subtract(&s, 0, 0xfef00fff), 0);
	expect_ranges(&s, 1, 0xfef01000ULL, MAX - 1);
	/* no overlap: no change */
	assert_int_equal(iv_subtract(&s, 0, 0x1000), 0);
	expect_ranges(&s, 1, 0xfef01000ULL, MAX - 1);
	assert_int_equal(iv_subtract(&s, 0, MAX), 0);
	expect_ranges(&s, 0);
	assert_int_equal(iv_subtract(&s, 1, 0), -EINVAL);
	iv_free(&s);
}

static void test_subtract_set(void **state)
{
	struct iv_set s, holes;

	(void)state;
	iv_init(&s);
	iv_init(&holes);
	assert_int_equal(iv_add(&s, 0x1000, 0xffffffff), 0);
	assert_int_equal(iv_add(&holes, 0xfee00000, 0xfeefffff), 0);
	assert_int_equal(iv_add(&holes, 0x0, 0x1fff), 0);
	assert_int_equal(iv_subtract_set(&s, &holes), 0);
	expect_ranges(&s, 2, 0x2000ULL, 0xfedfffffULL, 0xfef00000ULL,
		      0xffffffffULL);
	iv_free(&s);
	iv_free(&holes);
}

static void test_intersect_power(void **state)
{
	struct iv_set a, b, out;

	(void)state;
	iv_init(&a);
	iv_init(&b);
	iv_init(&out);
	/* POWER: 0..2 GiB and 2^59..2^59+2 GiB */
	assert_int_equal(iv_add(&a, 0, 0x7fffffff), 0);
	assert_int_equal(iv_add(&a, P59, P59 + 0x7fffffff), 0);
	assert_int_equal(iv_add(&b, 0x1000, P59 + 0xfff), 0);
	assert_int_equal(iv_intersect(&out, &a, &b), 0);
	expect_ranges(&out, 2, 0x1000ULL, 0x7fffffffULL, P59, P59 + 0xfff);
	/* with the full space: unchanged */
	iv_clear(&b);
	assert_int_equal(iv_add(&b, 0, MAX), 0);
	assert_int_equal(iv_intersect(&out, &a, &b), 0);
	expect_ranges(&out, 2, 0ULL, 0x7fffffffULL, P59, P59 + 0x7fffffff);
	/* with the empty set: empty */
	iv_clear(&b);
	assert_int_equal(iv_intersect(&out, &a, &b), 0);
	expect_ranges(&out, 0);
	iv_free(&a);
	iv_free(&b);
	iv_free(&out);
}

static void test_size_overlap_contains(void **state)
{
	struct iv_set s;

	(void)state;
	assert_int_equal(iv_size(0, MAX), MAX);		/* 2^64 saturates */
	assert_int_equal(iv_size(0, 0), 1);
	assert_int_equal(iv_size(1, MAX), MAX);
	assert_int_equal(iv_size(5, 4), 0);
	assert_int_equal(iv_overlap(0xfedff000, 0xfee00fff, 0xfee00000,
				    0xfeefffff), 0x1000);
	assert_int_equal(iv_overlap(0, 0xfff, 0x1000, 0x1fff), 0);
	assert_int_equal(iv_overlap(MAX, MAX, 0, MAX), 1);
	iv_init(&s);
	assert_int_equal(iv_add(&s, 0, 0x7fffffff), 0);
	assert_int_equal(iv_add(&s, P59, P59 + 0x7fffffff), 0);
	assert_true(iv_contains(&s, 0));
	assert_true(iv_contains(&s, 0x7fffffff));
	assert_false(iv_contains(&s, 0x80000000));
	assert_true(iv_contains(&s, P59));
	assert_false(iv_contains(&s, P59 - 1));
	assert_false(iv_contains(&s, MAX));
	iv_free(&s);
}

static void test_miss_power(void **state)
{
	struct iv_set s;
	struct iv_miss m;

	(void)state;
	iv_init(&s);
	iv_miss(&s, 0x1000, 0x1fff, &m);
	assert_int_equal(m.rel, IV_NO_WINDOW);
	assert_int_equal(iv_add(&s, 0, 0x7fffffff), 0);
	assert_int_equal(iv_add(&s, P59, P59 + 0x7fffffff), 0);

	iv_miss(&s, 0x1000, 0x1fff, &m);
	assert_int_equal(m.rel, IV_INSIDE);
	assert_int_equal(m.idx, 0);

	/* one byte past the first window */
	iv_miss(&s, 0x80000000, 0x80000000, &m);
	assert_int_equal(m.rel, IV_ABOVE);
	assert_int_equal(m.idx, 0);
	assert_int_equal(m.gap, 1);

	/* one byte below the second window */
	iv_miss(&s, P59 - 1, P59 - 1, &m);
	assert_int_equal(m.rel, IV_BELOW);
	assert_int_equal(m.idx, 1);
	assert_int_equal(m.gap, 1);

	/* 4 KiB inside, 8 KiB past the end of the first window */
	iv_miss(&s, 0x7ffff000, 0x80001fff, &m);
	assert_int_equal(m.rel, IV_ENDS_PAST);
	assert_int_equal(m.idx, 0);
	assert_int_equal(m.past, 0x2000);

	iv_miss(&s, P59 - 0x1000, P59 + 0xfff, &m);
	assert_int_equal(m.rel, IV_STARTS_BEFORE);
	assert_int_equal(m.idx, 1);
	assert_int_equal(m.before, 0x1000);

	/* the whole space overlaps both by 2 GiB: lowest wins */
	iv_miss(&s, 0, MAX, &m);
	assert_int_equal(m.rel, IV_ENDS_PAST);
	assert_int_equal(m.idx, 0);
	assert_int_equal(m.past, MAX - 0x7fffffff);

	/* covers the second window and more on both sides */
	iv_miss(&s, P59 - 0x10, P59 + 0x80000010, &m);
	assert_int_equal(m.rel, IV_SPANS);
	assert_int_equal(m.idx, 1);
	assert_int_equal(m.before, 0x10);
	assert_int_equal(m.past, 0x11);

	/* ranges outside: gap is how far they must move to fit */
	iv_miss(&s, P59 - 0x3000, P59 - 0x1001, &m);
	assert_int_equal(m.rel, IV_BELOW);
	assert_int_equal(m.idx, 1);
	assert_int_equal(m.gap, 0x3000);
	iv_miss(&s, 0x80000000, 0x80000fff, &m);
	assert_int_equal(m.rel, IV_ABOVE);
	assert_int_equal(m.idx, 0);
	assert_int_equal(m.gap, 0x1000);

	iv_miss(&s, MAX, MAX, &m);
	assert_int_equal(m.rel, IV_ABOVE);
	assert_int_equal(m.idx, 1);
	assert_int_equal(m.gap, 0xf7ffffff80000000ULL);

	/* 2^62: nearer the second window */
	iv_miss(&s, 0x4000000000000000ULL, 0x4000000000000000ULL, &m);
	assert_int_equal(m.rel, IV_ABOVE);
	assert_int_equal(m.idx, 1);
	assert_int_equal(m.gap, 0x37ffffff80000001ULL);
	iv_free(&s);
}

static void test_miss_at_zero(void **state)
{
	struct iv_set s;
	struct iv_miss m;

	(void)state;
	iv_init(&s);
	assert_int_equal(iv_add(&s, 0x1000, 0x1fff), 0);
	assert_int_equal(iv_add(&s, MAX - 0xfff, MAX), 0);
	iv_miss(&s, 0, 0, &m);
	assert_int_equal(m.rel, IV_BELOW);
	assert_int_equal(m.idx, 0);
	assert_int_equal(m.gap, 0x1000);
	iv_miss(&s, 0, MAX, &m);	/* overlaps both by 4 KiB: lowest */
	assert_int_equal(m.rel, IV_SPANS);
	assert_int_equal(m.idx, 0);
	assert_int_equal(m.before, 0x1000);
	assert_int_equal(m.past, MAX - 0x1fff);
	iv_miss(&s, MAX - 0x1fff, MAX, &m);	/* 4 KiB in the top window */
	assert_int_equal(m.rel, IV_STARTS_BEFORE);
	assert_int_equal(m.idx, 1);
	assert_int_equal(m.before, 0x1000);
	iv_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_merges_overlap_and_touching),
		cmocka_unit_test(test_add_edges_0_and_max),
		cmocka_unit_test(test_subtract),
		cmocka_unit_test(test_subtract_set),
		cmocka_unit_test(test_intersect_power),
		cmocka_unit_test(test_size_overlap_contains),
		cmocka_unit_test(test_miss_power),
		cmocka_unit_test(test_miss_at_zero),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
