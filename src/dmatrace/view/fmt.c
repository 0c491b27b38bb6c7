// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "uapi/iommufd.h"
#include "fmt.h"

const char *fmt_size(char *buf, size_t sz, __u64 bytes, int full)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB",
					     "TiB", "PiB", "EiB" };
	int top = 0, u;

	if (full) {
		snprintf(buf, sz, "16 EiB");
		return buf;
	}
	while (top < 6 && bytes >> (10 * (top + 1)))
		top++;
	/* a whole number of a unit, if one below 10240 exists */
	for (u = top; u >= 0; u--) {
		__u64 n = bytes >> (10 * u);

		if (n >= 10240)
			break;
		if (!(bytes & ((1ULL << (10 * u)) - 1))) {
			snprintf(buf, sz, "%llu %s", (unsigned long long)n,
				 units[u]);
			return buf;
		}
	}
	snprintf(buf, sz, "%.1f %s", (double)bytes / (double)(1ULL << (10 * top)),
		 units[top]);
	return buf;
}

const char *fmt_range_size(char *buf, size_t sz, __u64 start, __u64 last)
{
	if (start == 0 && last == ~0ULL)
		return fmt_size(buf, sz, 0, 1);
	return fmt_size(buf, sz, start <= last ? last - start + 1 : 0, 0);
}

const char *fmt_errno(char *buf, size_t sz, int err)
{
	long long e = err < 0 ? -(long long)err : err;	/* INT_MIN too */
	const char *name = e <= 4095 ? strerrorname_np((int)e) : NULL;

	if (!e)
		snprintf(buf, sz, "0");
	else if (name)
		snprintf(buf, sz, "-%s", name);
	else
		snprintf(buf, sz, "-E%lld", e);
	return buf;
}

const char *fmt_map_flags(char *buf, size_t sz, __u32 flags)
{
	static const struct { __u32 bit; const char *name; } known[] = {
		{ IOMMU_IOAS_MAP_FIXED_IOVA, "FIXED_IOVA" },
		{ IOMMU_IOAS_MAP_WRITEABLE, "WRITEABLE" },
		{ IOMMU_IOAS_MAP_READABLE, "READABLE" },
	};
	size_t i, off = 0;

	buf[0] = '\0';
	if (!flags) {
		snprintf(buf, sz, "0");
		return buf;
	}
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		if (!(flags & known[i].bit))
			continue;
		off += snprintf(buf + off, off < sz ? sz - off : 0, "%s%s",
				off ? "|" : "", known[i].name);
		flags &= ~known[i].bit;
	}
	if (flags)
		snprintf(buf + off, off < sz ? sz - off : 0, "%s0x%x",
			 off ? "|" : "", flags);
	return buf;
}
