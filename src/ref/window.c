// SPDX-License-Identifier: GPL-2.0
/*
 * EXTENSION: the seed RFC's multi-window IOAS; rules in include/ref/window.h.
 * Nothing here runs for an IOAS that never had a window added.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include "ref/window.h"
#include "iommufd_private.h"
#include "window_internal.h"

static const struct ioas_window *window_of(struct io_pagetable *iopt,
					   unsigned long iova,
					   unsigned long last)
{
	unsigned int i;

	for (i = 0; i != iopt->nr_windows; i++) {
		const struct ioas_window *w = &iopt->windows[i];

		if (iova >= w->base && last <= w->last)
			return w;
	}
	return NULL;
}

int window_check_map(struct io_pagetable *iopt, unsigned long iova,
		     unsigned long length)
{
	const struct ioas_window *w;

	w = window_of(iopt, iova, iova + length - 1);
	if (!w)
		return -EINVAL;
	if ((iova | length) & (w->page_size - 1))
		return -EINVAL;
	return 0;
}

int window_alloc_iova(struct io_pagetable *iopt, unsigned long *iova,
		      unsigned long length, unsigned long iova_alignment,
		      unsigned long page_offset)
{
	unsigned int i;

	for (i = 0; i != iopt->nr_windows; i++) {
		const struct ioas_window *w = &iopt->windows[i];
		unsigned long lo = w->base, hi = w->last, align;

		if (length & (w->page_size - 1))
			continue;
		if (lo < REF_PAGE_SIZE)
			lo = REF_PAGE_SIZE;
		if (hi > ULONG_MAX - REF_PAGE_SIZE)
			hi = ULONG_MAX - REF_PAGE_SIZE;
		if (lo > hi)
			continue;
		align = iova_alignment > w->page_size ? iova_alignment :
							w->page_size;
		if (!iopt_find_hole(iopt, lo, hi, length, align, page_offset,
				    iova))
			return 0;
	}
	return -ENOSPC;
}

void window_destroy_all(struct io_pagetable *iopt)
{
	free(iopt->windows);
	iopt->windows = NULL;
	iopt->nr_windows = 0;
}

static bool areas_inside(struct io_pagetable *iopt, unsigned long base,
			 unsigned long last)
{
	struct itree_node *node;

	itree_for_each(node, &iopt->area_itree, 0, ULONG_MAX)
		if (node->start < base || node->last > last)
			return false;
	return true;
}

REF_API int iommufd_ioas_window_add(struct iommufd_ucmd *ucmd)
{
	struct iommu_ioas_window_add *cmd = ucmd->cmd;
	struct ioas_window *windows;
	struct iommufd_ioas *ioas;
	struct io_pagetable *iopt;
	unsigned long last;
	unsigned int i, pos;

	if (cmd->flags)
		return -EOPNOTSUPP;
	ioas = iommufd_get_ioas(ucmd->ictx, cmd->ioas_id);
	if (!ioas)
		return -ENOENT;
	iopt = &ioas->iopt;
	if (!cmd->length || cmd->page_size < REF_PAGE_SIZE ||
	    (cmd->page_size & (cmd->page_size - 1)) ||
	    ((cmd->base | cmd->length) & (cmd->page_size - 1)))
		return -EINVAL;
	if (__builtin_add_overflow(cmd->base, cmd->length - 1, &last))
		return -EOVERFLOW;
	for (i = 0; i != iopt->nr_windows; i++)
		if (cmd->base <= iopt->windows[i].last &&
		    last >= iopt->windows[i].base)
			return -EEXIST;
	if (iopt->nr_windows == IOMMU_IOAS_MAX_WINDOWS)
		return -ENOSPC;
	if (!iopt->nr_windows && !areas_inside(iopt, cmd->base, last))
		return -EADDRINUSE;
	for (pos = 0; pos != iopt->nr_windows; pos++)
		if (cmd->base < iopt->windows[pos].base)
			break;
	windows = realloc(iopt->windows,
			  (iopt->nr_windows + 1) * sizeof(*windows));
	if (!windows)
		return -ENOMEM;
	for (i = iopt->nr_windows; i > pos; i--)
		windows[i] = windows[i - 1];
	windows[pos] = (struct ioas_window){
		.base = cmd->base, .last = last, .page_size = cmd->page_size,
	};
	iopt->windows = windows;
	iopt->nr_windows++;
	cmd->out_window_index = pos;
	return iommufd_ucmd_respond(ucmd, sizeof(*cmd));
}

REF_API int iommufd_ioas_window_request(struct iommufd_ucmd *ucmd)
{
	struct iommu_ioas_window_request *cmd = ucmd->cmd;
	const struct ioas_window *best = NULL;
	struct iommufd_ioas *ioas;
	unsigned int i, best_i = 0;

	if (cmd->flags)
		return -EOPNOTSUPP;
	ioas = iommufd_get_ioas(ucmd->ictx, cmd->ioas_id);
	if (!ioas)
		return -ENOENT;
	if (!cmd->min_length)
		return -EINVAL;
	for (i = 0; i != ioas->iopt.nr_windows; i++) {
		const struct ioas_window *w = &ioas->iopt.windows[i];
		unsigned long len_m1 = w->last - w->base;

		if (len_m1 < cmd->min_length - 1)
			continue;
		if (cmd->page_size && cmd->page_size != w->page_size)
			continue;
		/* windows are in base order: strict < keeps the lowest base */
		if (!best || len_m1 < best->last - best->base) {
			best = w;
			best_i = i;
		}
	}
	if (!best)
		return -ENOSPC;
	cmd->out_window_index = best_i;
	cmd->out_base = best->base;
	cmd->out_length = best->last - best->base + 1;
	cmd->out_page_size = best->page_size;
	return iommufd_ucmd_respond(ucmd, sizeof(*cmd));
}

struct window_ioctl_op {
	unsigned int size;
	unsigned int min_size;
	unsigned int ioctl_num;
	int (*execute)(struct iommufd_ucmd *ucmd);
};

int iommufd_window_ioctl(struct iommufd_ctx *ictx, unsigned int cmd,
			 unsigned long arg)
{
	static const struct window_ioctl_op ops[] = {
		{ sizeof(struct iommu_ioas_window_add),
		  offsetof(struct iommu_ioas_window_add, out_window_index) + 4,
		  IOMMU_IOAS_WINDOW_ADD, iommufd_ioas_window_add },
		{ sizeof(struct iommu_ioas_window_request),
		  offsetof(struct iommu_ioas_window_request, out_page_size) + 8,
		  IOMMU_IOAS_WINDOW_REQUEST, iommufd_ioas_window_request },
	};
	unsigned int i;

	for (i = 0; i != sizeof(ops) / sizeof(ops[0]); i++)
		if (ops[i].ioctl_num == cmd)
			return iommufd_ucmd_run(ictx, arg, ops[i].size,
						ops[i].min_size,
						ops[i].execute);
	return -ENOTTY;
}
