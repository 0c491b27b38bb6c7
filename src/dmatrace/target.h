/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The target (--target kernel|ref[:PATH]): resolved once, the same way for
 * `dmatrace probe` and for tracing, and planned by one function, so that
 * what probe reports is what tracing attaches.
 */
#ifndef DMATRACE_TARGET_H
#define DMATRACE_TARGET_H

#include <stdbool.h>
#include <stddef.h>

#include "attach.h"
#include "tracer.h"

/*
 * Resolve --target arg (NULL: kernel when it has iommufd or VFIO, else
 * ref) into *kind and, for ref, lib: PATH made absolute (a relative PATH,
 * even a name without '/', is a file of the current directory, never
 * searched in library paths) or libdmaref.so next to this binary. check_kernel:
 * refuse "kernel" on a kernel with neither iommufd nor VFIO. 0, or -errno
 * with one line in err.
 */
int target_resolve(const char *arg, bool check_kernel, enum target_kind *kind,
		   char *lib, size_t lib_sz, char *err, size_t err_sz);

/*
 * The attach plan of a resolved target (attach_plan_check not applied).
 * 0, or -errno with "cannot plan ..." in err.
 */
int target_plan(struct attach_plan *plan, enum target_kind kind,
		const char *lib, bool force_kprobe, char *err, size_t err_sz);

#endif /* DMATRACE_TARGET_H */
