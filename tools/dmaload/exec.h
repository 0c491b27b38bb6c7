/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmaload executor: turns one struct dl_op into uAPI ioctls on a backend,
 * records it in the ground truth and, when asked, prints its JSON line.
 * Backend-independent: a backend only provides open/close/ioctl.
 */
#ifndef DMALOAD_EXEC_H
#define DMALOAD_EXEC_H

#include <stdio.h>
#include "backend.h"
#include "op.h"
#include "truth.h"
#include "ubuf.h"

struct dl_exec {
	struct dmaload_backend *be;
	struct dl_ubuf *ubuf;
	struct truth *truth;
	struct dl_obj *objs;	/* slots the ops refer to */
	FILE *out;		/* per-op JSON lines; NULL: none */
	__u32 compat_ioas;	/* IOAS set by the last successful 'type1' */
	__u32 nr_containers;	/* native type1: containers opened so far */
	__u32 nr_groups;	/* native type1: groups named so far */
};

struct dl_result {
	int ret;		/* 0 or -errno */
	__u64 iova;		/* map/copy: resulting IOVA */
};

/* Run op; its result (also) in *res. Returns res->ret. */
int dl_exec_op(struct dl_exec *x, const struct dl_op *op,
	       struct dl_result *res);

#endif /* DMALOAD_EXEC_H */
