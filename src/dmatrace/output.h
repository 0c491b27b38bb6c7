/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where the views go (stdout or -o FILE): every flush is checked, and the
 * first failure is what the user is told, once, at the end.
 */
#ifndef DMATRACE_OUTPUT_H
#define DMATRACE_OUTPUT_H

#include <stdio.h>

/* fflush(f), its first failure kept for output_finish() */
void output_flush(FILE *f);
/*
 * Flush and check a stream the views went to (name: what to call it in
 * the message), closing it unless it is stdout: 0, or 1 with one line on
 * stderr when a write failed (a full disk)
 */
int output_finish(FILE *f, const char *name);

#endif /* DMATRACE_OUTPUT_H */
