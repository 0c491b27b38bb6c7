// SPDX-License-Identifier: GPL-2.0
/*
 * Augmented AVL interval tree, see include/ref/interval_tree.h.
 * Written for dmatrace's reference implementation (no kernel code reused).
 */
#include <stdint.h>
#include "ref/interval_tree.h"

static int height(const struct itree_node *n)
{
	return n ? n->height : 0;
}

static unsigned long max_ul(unsigned long a, unsigned long b)
{
	return a > b ? a : b;
}

/* Key order: start, then node address (keys are unique) */
static bool node_less(const struct itree_node *a, const struct itree_node *b)
{
	if (a->start != b->start)
		return a->start < b->start;
	return (uintptr_t)a < (uintptr_t)b;
}

/* Hole between the left subtree's highest end and @n */
static unsigned long gap_left(const struct itree_node *n)
{
	unsigned long l;

	if (!n->left)
		return 0;
	l = n->left->subtree_last;
	if (l == ~0UL || n->start <= l + 1)
		return 0;
	return n->start - l - 1;
}

/* Hole between @n and the right subtree's lowest start */
static unsigned long gap_right(const struct itree_node *n)
{
	if (!n->right || n->last == ~0UL ||
	    n->right->subtree_first <= n->last + 1)
		return 0;
	return n->right->subtree_first - n->last - 1;
}

static void update(struct itree_node *n)
{
	unsigned long gap = max_ul(gap_left(n), gap_right(n));

	n->height = 1 + (height(n->left) > height(n->right) ?
			 height(n->left) : height(n->right));
	n->subtree_first = n->left ? n->left->subtree_first : n->start;
	n->subtree_last = n->last;
	if (n->left) {
		n->subtree_last = max_ul(n->subtree_last, n->left->subtree_last);
		gap = max_ul(gap, n->left->max_gap);
	}
	if (n->right) {
		n->subtree_last = max_ul(n->subtree_last,
					 n->right->subtree_last);
		gap = max_ul(gap, n->right->max_gap);
	}
	n->max_gap = gap;
}

static struct itree_node *rotate_right(struct itree_node *n)
{
	struct itree_node *l = n->left;

	n->left = l->right;
	l->right = n;
	update(n);
	update(l);
	return l;
}

static struct itree_node *rotate_left(struct itree_node *n)
{
	struct itree_node *r = n->right;

	n->right = r->left;
	r->left = n;
	update(n);
	update(r);
	return r;
}

static struct itree_node *rebalance(struct itree_node *n)
{
	int bf;

	update(n);
	bf = height(n->left) - height(n->right);
	if (bf > 1) {
		if (height(n->left->left) < height(n->left->right))
			n->left = rotate_left(n->left);
		return rotate_right(n);
	}
	if (bf < -1) {
		if (height(n->right->right) < height(n->right->left))
			n->right = rotate_right(n->right);
		return rotate_left(n);
	}
	return n;
}

static struct itree_node *insert_rec(struct itree_node *n,
				     struct itree_node *node)
{
	if (!n)
		return node;
	if (node_less(node, n))
		n->left = insert_rec(n->left, node);
	else
		n->right = insert_rec(n->right, node);
	return rebalance(n);
}

void itree_insert(struct itree *tree, struct itree_node *node)
{
	node->left = NULL;
	node->right = NULL;
	update(node);
	tree->root = insert_rec(tree->root, node);
	tree->count++;
}

static struct itree_node *remove_min(struct itree_node *n,
				     struct itree_node **min)
{
	if (!n->left) {
		*min = n;
		return n->right;
	}
	n->left = remove_min(n->left, min);
	return rebalance(n);
}

static struct itree_node *remove_rec(struct itree_node *n,
				     struct itree_node *node)
{
	struct itree_node *succ;
	struct itree_node *right;

	if (!n)
		return NULL;
	if (n == node) {
		if (!n->left)
			return n->right;
		if (!n->right)
			return n->left;
		right = remove_min(n->right, &succ);
		succ->left = n->left;
		succ->right = right;
		return rebalance(succ);
	}
	if (node_less(node, n))
		n->left = remove_rec(n->left, node);
	else
		n->right = remove_rec(n->right, node);
	return rebalance(n);
}

void itree_remove(struct itree *tree, struct itree_node *node)
{
	tree->root = remove_rec(tree->root, node);
	tree->count--;
	node->left = NULL;
	node->right = NULL;
}

struct itree_node *itree_iter_first(const struct itree *tree,
				    unsigned long start, unsigned long last)
{
	struct itree_node *n = tree->root;

	if (!n || n->subtree_last < start)
		return NULL;
	for (;;) {
		/* A node ending at or after @start is in the left subtree:
		 * the leftmost one has the lowest start of all candidates. */
		if (n->left && n->left->subtree_last >= start) {
			n = n->left;
			continue;
		}
		if (n->start > last)
			return NULL;
		if (n->last >= start)
			return n;
		n = n->right;
		if (!n || n->subtree_last < start)
			return NULL;
	}
}

static struct itree_node *next_rec(struct itree_node *n,
				   const struct itree_node *after,
				   unsigned long start, unsigned long last)
{
	struct itree_node *found;

	while (n && n->subtree_last >= start) {
		if (!node_less(after, n)) {
			n = n->right;
			continue;
		}
		found = next_rec(n->left, after, start, last);
		if (found)
			return found;
		if (n->start > last)
			return NULL;
		if (n->last >= start)
			return n;
		n = n->right;
	}
	return NULL;
}

struct itree_node *itree_iter_next(const struct itree *tree,
				   const struct itree_node *node,
				   unsigned long start, unsigned long last)
{
	return next_rec(tree->root, node, start, last);
}

static bool gap_rec(const struct itree_node *n, unsigned long after_last,
		    unsigned long min_len, unsigned long *gs, unsigned long *gl)
{
	while (n && n->max_gap >= min_len && n->subtree_last >= after_last) {
		if (gap_rec(n->left, after_last, min_len, gs, gl))
			return true;
		if (n->left && n->left->subtree_last >= after_last &&
		    gap_left(n) >= min_len) {
			*gs = n->left->subtree_last + 1;
			*gl = n->start - 1;
			return true;
		}
		if (n->right && n->last >= after_last &&
		    gap_right(n) >= min_len) {
			*gs = n->last + 1;
			*gl = n->right->subtree_first - 1;
			return true;
		}
		n = n->right;
	}
	return false;
}

bool itree_find_gap(const struct itree *tree, unsigned long after_last,
		    unsigned long min_len, unsigned long *gap_start,
		    unsigned long *gap_last)
{
	return gap_rec(tree->root, after_last, min_len, gap_start, gap_last);
}

/* Returns the node count of the subtree, or -1 if an invariant fails */
static long check_rec(const struct itree_node *n, const struct itree_node *lo,
		      const struct itree_node *hi)
{
	struct itree_node copy;
	long l, r;

	if (!n)
		return 0;
	if (n->start > n->last)
		return -1;
	if ((lo && !node_less(lo, n)) || (hi && !node_less(n, hi)))
		return -1;
	l = check_rec(n->left, lo, n);
	r = check_rec(n->right, n, hi);
	if (l < 0 || r < 0)
		return -1;
	if (height(n->left) - height(n->right) > 1 ||
	    height(n->right) - height(n->left) > 1)
		return -1;
	copy = *n;
	update(&copy);
	if (copy.height != n->height || copy.subtree_first != n->subtree_first ||
	    copy.subtree_last != n->subtree_last || copy.max_gap != n->max_gap)
		return -1;
	return l + r + 1;
}

int itree_check(const struct itree *tree)
{
	long count = check_rec(tree->root, NULL, NULL);

	return count == (long)tree->count ? 0 : -1;
}
