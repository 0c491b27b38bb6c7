/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmaload script parser: the whole file is parsed into ops before anything
 * runs, so a malformed line stops the run with nothing executed.
 */
#ifndef DMALOAD_SCRIPT_H
#define DMALOAD_SCRIPT_H

#include <stddef.h>
#include <stdio.h>
#include "op.h"

#define DL_MAX_OBJS	256
/* Longest script line, its newline included (docs/dmaload.md) */
#define DL_MAX_LINE	4096

struct dl_script {
	struct dl_op *ops;
	size_t nr_ops;
	size_t cap_ops;
	struct dl_obj objs[DL_MAX_OBJS];
	int nr_objs;
};

/*
 * Parse f (named fname in messages). 0 on success; -1 on a malformed line,
 * with "FILE:LINE: what" in err.
 */
int dl_script_parse(FILE *f, const char *fname, struct dl_script *s,
		    char *err, size_t errlen);
void dl_script_free(struct dl_script *s);

#endif /* DMALOAD_SCRIPT_H */
