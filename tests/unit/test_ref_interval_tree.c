// SPDX-License-Identifier: GPL-2.0
/*
 * The ref's augmented AVL interval tree against a brute-force model:
 * structure, lookups (first/next intersecting) and gap search.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "ref/interval_tree.h"

#define N 600

static struct itree_node nodes[N];
static bool in_tree[N];

static unsigned long rnd(unsigned long n)
{
	return (unsigned long)random() % n;
}

/* Brute force: lowest (start, address) node intersecting, after @after */
static struct itree_node *bf_next(const struct itree_node *after,
				  unsigned long s, unsigned long l)
{
	struct itree_node *best = NULL;
	int i;

	for (i = 0; i != N; i++) {
		struct itree_node *n = &nodes[i];

		if (!in_tree[i] || n->start > l || n->last < s)
			continue;
		if (after && (n->start < after->start ||
			      (n->start == after->start && n <= after)))
			continue;
		if (!best || n->start < best->start ||
		    (n->start == best->start && n < best))
			best = n;
	}
	return best;
}

static void test_single_node(void **state)
{
	struct itree tree = {};
	struct itree_node a = { .start = 10, .last = 20 };

	(void)state;
	itree_insert(&tree, &a);
	assert_int_equal(itree_check(&tree), 0);
	assert_ptr_equal(itree_iter_first(&tree, 0, 10), &a);
	assert_ptr_equal(itree_iter_first(&tree, 20, ~0UL), &a);
	assert_null(itree_iter_first(&tree, 0, 9));
	assert_null(itree_iter_first(&tree, 21, 100));
	assert_null(itree_iter_next(&tree, &a, 0, ~0UL));
	itree_remove(&tree, &a);
	assert_null(tree.root);
	assert_int_equal(tree.count, 0);
}

static void test_random_overlapping(void **state)
{
	struct itree tree = {};
	int step, i;

	(void)state;
	srandom(1);
	for (step = 0; step != 20000; step++) {
		i = rnd(N);
		if (in_tree[i]) {
			itree_remove(&tree, &nodes[i]);
			in_tree[i] = false;
		} else {
			nodes[i].start = rnd(5000);
			nodes[i].last = nodes[i].start + rnd(200);
			itree_insert(&tree, &nodes[i]);
			in_tree[i] = true;
		}
		if (step % 97 == 0)
			assert_int_equal(itree_check(&tree), 0);
		{
			unsigned long s = rnd(5300), l = s + rnd(300);
			struct itree_node *n = itree_iter_first(&tree, s, l);
			int guard = 0;

			assert_ptr_equal(n, bf_next(NULL, s, l));
			while (n && guard++ < 5) {
				struct itree_node *next =
					itree_iter_next(&tree, n, s, l);

				assert_ptr_equal(next, bf_next(n, s, l));
				n = next;
			}
		}
	}
	assert_int_equal(itree_check(&tree), 0);
	for (i = 0; i != N; i++)
		if (in_tree[i])
			itree_remove(&tree, &nodes[i]);
	assert_null(tree.root);
	memset(in_tree, 0, sizeof(in_tree));
}

/* First gap >= len between consecutive disjoint nodes, left one ending
 * at or after @after (brute force over the sorted slots) */
static bool bf_gap(unsigned long *starts, unsigned long *lasts, int n,
		   unsigned long after, unsigned long len, unsigned long *gs,
		   unsigned long *gl)
{
	int i;

	for (i = 0; i + 1 < n; i++) {
		if (lasts[i] < after)
			continue;
		if (starts[i + 1] - lasts[i] - 1 >= len) {
			*gs = lasts[i] + 1;
			*gl = starts[i + 1] - 1;
			return true;
		}
	}
	return false;
}

static void test_gaps_disjoint(void **state)
{
	static unsigned long starts[N], lasts[N];
	struct itree tree = {};
	int step, i, n;

	(void)state;
	srandom(2);
	/* slot i owns [i * 100, i * 100 + 99]; a node covers part of it */
	for (step = 0; step != 6000; step++) {
		i = rnd(N);
		if (in_tree[i]) {
			itree_remove(&tree, &nodes[i]);
			in_tree[i] = false;
		} else {
			nodes[i].start = i * 100 + rnd(50);
			nodes[i].last = nodes[i].start + rnd(50);
			itree_insert(&tree, &nodes[i]);
			in_tree[i] = true;
		}
		for (n = 0, i = 0; i != N; i++) {
			if (!in_tree[i])
				continue;
			starts[n] = nodes[i].start;
			lasts[n++] = nodes[i].last;
		}
		{
			unsigned long after = rnd(N * 100), len = 1 + rnd(400);
			unsigned long gs = 0, gl = 0, bs = 0, bl = 0;
			bool found = itree_find_gap(&tree, after, len, &gs, &gl);

			assert_int_equal(found, bf_gap(starts, lasts, n, after,
						       len, &bs, &bl));
			if (found) {
				assert_int_equal(gs, bs);
				assert_int_equal(gl, bl);
			}
		}
		if (step % 101 == 0)
			assert_int_equal(itree_check(&tree), 0);
	}
	assert_int_equal(itree_check(&tree), 0);
}

static void test_extremes(void **state)
{
	struct itree tree = {};
	struct itree_node lo = { .start = 0, .last = 0 };
	struct itree_node hi = { .start = ~0UL - 1, .last = ~0UL };
	unsigned long gs, gl;

	(void)state;
	itree_insert(&tree, &hi);
	itree_insert(&tree, &lo);
	assert_int_equal(itree_check(&tree), 0);
	assert_true(itree_find_gap(&tree, 0, ~0UL - 2, &gs, &gl));
	assert_int_equal(gs, 1);
	assert_int_equal(gl, ~0UL - 2);
	assert_false(itree_find_gap(&tree, 0, ~0UL - 1, &gs, &gl));
	assert_ptr_equal(itree_iter_first(&tree, ~0UL, ~0UL), &hi);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single_node),
		cmocka_unit_test(test_random_overlapping),
		cmocka_unit_test(test_gaps_disjoint),
		cmocka_unit_test(test_extremes),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
