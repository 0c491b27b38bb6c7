/* SPDX-License-Identifier: GPL-2.0 */
/* `dmatrace diff`: one record's per-op latency, read and checked */
#ifndef DMATRACE_VIEW_DIFF_H
#define DMATRACE_VIEW_DIFF_H

#include <linux/types.h>

#include "dmatrace/hist.h"
#include "dmatrace/ops.h"

#define DIFF_ERR_MAX	256

struct diff_rec {
	struct dt_hist op[DT_OP_MAX];
	int seen[DT_OP_MAX];
};

/*
 * Read the record at path into r: 0, or -EIO (unreadable) / -EINVAL (not
 * comparable) with a one-line message in err
 * (DIFF_ERR_MAX). Refused: bad JSON, no record, an empty op_latency, a
 * missing or non-count field, slots that do not sum to count, min > max.
 */
int diff_load_record(const char *path, struct diff_rec *r, char *err);

#endif /* DMATRACE_VIEW_DIFF_H */
