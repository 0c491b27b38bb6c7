/* SPDX-License-Identifier: GPL-2.0 */
/* Small formatters shared by the renderers: sizes, errno names, flags */
#ifndef DMATRACE_VIEW_FMT_H
#define DMATRACE_VIEW_FMT_H

#include <stddef.h>
#include <linux/types.h>

#define FMT_SIZE_MAX	32
#define FMT_ERR_MAX	24

/*
 * Bytes in binary units: "0 B", "4 KiB", "2032 MiB" (a whole number of the
 * largest unit that gives one below 10240), else one decimal of the
 * largest unit <= bytes: "4.0 GiB". full != 0 means 2^64 bytes ("16 EiB"),
 * which a __u64 cannot hold.
 */
const char *fmt_size(char *buf, size_t sz, __u64 bytes, int full);
/* Size of [start, last]: handles the full 2^64 range */
const char *fmt_range_size(char *buf, size_t sz, __u64 start, __u64 last);
/* "0" for 0, "-EINVAL" for -EINVAL (or EINVAL); "-E<n>" when unnamed */
const char *fmt_errno(char *buf, size_t sz, int err);
/* IOMMU_IOAS_MAP flags: "FIXED_IOVA|WRITEABLE|READABLE|0x10"; "0" if none */
const char *fmt_map_flags(char *buf, size_t sz, __u32 flags);

#endif /* DMATRACE_VIEW_FMT_H */
