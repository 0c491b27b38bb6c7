/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Augmented AVL interval tree over closed ranges [start, last] (the ref's
 * stand-in for the kernel's rb_root_cached interval tree). Nodes are
 * embedded in their owners; ranges may overlap; ties on start are ordered by
 * node address. All operations are O(log n). Each subtree also knows its
 * lowest start, highest last and the widest gap between consecutive nodes
 * (meaningful for trees of disjoint ranges, i.e. areas), so that a hole of
 * a given size is found in O(log n) (itree_find_gap).
 */
#ifndef DMATRACE_REF_INTERVAL_TREE_H
#define DMATRACE_REF_INTERVAL_TREE_H

#include <stdbool.h>
#include <stddef.h>

struct itree_node {
	unsigned long start;
	unsigned long last;
	/* augmented, maintained by the tree */
	unsigned long subtree_first;
	unsigned long subtree_last;
	unsigned long max_gap;	/* widest hole between consecutive nodes */
	struct itree_node *left;
	struct itree_node *right;
	int height;
};

struct itree {
	struct itree_node *root;
	size_t count;
};

void itree_insert(struct itree *tree, struct itree_node *node);
void itree_remove(struct itree *tree, struct itree_node *node);

/* Lowest-start node intersecting [start, last], or NULL */
struct itree_node *itree_iter_first(const struct itree *tree,
				    unsigned long start, unsigned long last);
/* Next node after @node (in start order) intersecting [start, last] */
struct itree_node *itree_iter_next(const struct itree *tree,
				   const struct itree_node *node,
				   unsigned long start, unsigned long last);

/*
 * For a tree of disjoint ranges: the first hole between two consecutive
 * nodes whose left neighbour ends at or after @after_last and which is at
 * least @min_len long (min_len >= 1). Returns false if there is none.
 */
bool itree_find_gap(const struct itree *tree, unsigned long after_last,
		    unsigned long min_len, unsigned long *gap_start,
		    unsigned long *gap_last);

/* Validate ordering, balance, heights and augmentation; 0 or -1 */
int itree_check(const struct itree *tree);

#define itree_for_each(node, tree, s, l)				\
	for (node = itree_iter_first(tree, s, l); node;			\
	     node = itree_iter_next(tree, node, s, l))

#endif /* DMATRACE_REF_INTERVAL_TREE_H */
