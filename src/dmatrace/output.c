// SPDX-License-Identifier: GPL-2.0
/* Output streams: see output.h */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "output.h"

/* The first failed flush: its errno is the one to tell (a later flush of
 * the same stream finds the buffer dropped and says nothing) */
static FILE *flush_failed;
static int flush_errno;

void output_flush(FILE *f)
{
	if (fflush(f) && flush_failed != f) {
		flush_failed = f;
		flush_errno = errno;
	}
}

int output_finish(FILE *f, const char *name)
{
	int e;

	output_flush(f);
	e = flush_failed == f ? flush_errno : ferror(f) ? EIO : 0;
	if (f != stdout && fclose(f) && !e)
		e = errno;
	if (!e)
		return 0;
	fprintf(stderr, "dmatrace: writing %s: %s\n", name, strerror(e));
	return 1;
}
