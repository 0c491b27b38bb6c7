// SPDX-License-Identifier: GPL-2.0
/* The target: see target.h */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cli.h"
#include "target.h"

/*
 * lib = path made absolute (from the current directory; symlinks kept, as
 * the user named it): a readable regular file. 0 or -errno.
 */
static int ref_lib_path(const char *path, char *lib, size_t lib_sz,
			char *err, size_t err_sz)
{
	char cwd[PATH_MAX];
	struct stat st;
	int n;

	if (!*path || stat(path, &st)) {
		snprintf(err, err_sz, "reference library not found: %s", path);
		return -ENOENT;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, err_sz, "reference library %s: not a regular file",
			 path);
		return -EINVAL;
	}
	if (access(path, R_OK)) {
		snprintf(err, err_sz, "reference library %s: %s", path,
			 strerror(errno));
		return -errno;
	}
	if (path[0] == '/')
		n = snprintf(lib, lib_sz, "%s", path);
	else if (getcwd(cwd, sizeof(cwd)))
		n = snprintf(lib, lib_sz, "%s/%s", cwd, path);
	else
		n = -1;
	if (n < 0 || (size_t)n >= lib_sz) {
		snprintf(err, err_sz, "reference library %s: cannot make its path absolute",
			 path);
		return -ENAMETOOLONG;
	}
	return 0;
}

/* libdmaref.so next to this binary */
static int ref_lib_default(char *lib, size_t lib_sz, char *err, size_t err_sz)
{
	char dir[PATH_MAX], path[PATH_MAX + 16];
	int e = self_dir(dir, sizeof(dir));

	if (e) {
		snprintf(err, err_sz, "cannot find my own binary: %s", strerror(-e));
		return e;
	}
	snprintf(path, sizeof(path), "%s/libdmaref.so", dir);
	return ref_lib_path(path, lib, lib_sz, err, err_sz);
}

int target_resolve(const char *arg, bool check_kernel, enum target_kind *kind,
		   char *lib, size_t lib_sz, char *err, size_t err_sz)
{
	if (arg && !strcmp(arg, "kernel")) {
		*kind = TARGET_KERNEL;
		if (check_kernel && !kernel_has_iommufd_or_vfio()) {
			snprintf(err, err_sz, "target kernel: this kernel has neither iommufd nor VFIO (no /dev/iommu, /sys/module/iommufd, /dev/vfio/vfio or iommufd BTF); try --target ref");
			return -ENODEV;
		}
		return 0;
	}
	if (!arg && kernel_has_iommufd_or_vfio()) {
		*kind = TARGET_KERNEL;
		return 0;
	}
	if (arg && strcmp(arg, "ref") && strncmp(arg, "ref:", 4)) {
		snprintf(err, err_sz, "bad --target '%s' (kernel, ref or ref:PATH)", arg);
		return -EINVAL;
	}
	*kind = TARGET_REF;
	if (arg && arg[3] == ':')
		return ref_lib_path(arg + 4, lib, lib_sz, err, err_sz);
	return ref_lib_default(lib, lib_sz, err, err_sz);
}

int target_plan(struct attach_plan *plan, enum target_kind kind,
		const char *lib, bool force_kprobe, char *err, size_t err_sz)
{
	int e;

	if (kind == TARGET_REF)
		e = attach_plan_ref(plan, lib);
	else
		e = attach_plan_kernel(plan, force_kprobe);
	if (e)
		snprintf(err, err_sz, "cannot plan %s: %s",
			 kind == TARGET_REF ? lib : "the kernel",
			 e == -ENOEXEC ? "not an ELF file" : strerror(-e));
	return e;
}
