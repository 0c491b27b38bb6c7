/* SPDX-License-Identifier: GPL-2.0 */
/* The multi-window extension's hooks into io_pagetable.c (windows mode) */
#ifndef DMATRACE_REF_WINDOW_INTERNAL_H
#define DMATRACE_REF_WINDOW_INTERNAL_H

#include "io_pagetable.h"

struct ioas_window {
	unsigned long base;
	unsigned long last;
	unsigned long page_size;
};

int window_check_map(struct io_pagetable *iopt, unsigned long iova,
		     unsigned long length);
int window_alloc_iova(struct io_pagetable *iopt, unsigned long *iova,
		      unsigned long length, unsigned long iova_alignment,
		      unsigned long page_offset);
void window_destroy_all(struct io_pagetable *iopt);

#endif /* DMATRACE_REF_WINDOW_INTERNAL_H */
