// SPDX-License-Identifier: GPL-2.0
/*
 * intel-iommu's capability register (VT-d spec 11.4.2): MGAW, bits 21:16,
 * is the maximum guest address width minus 1; SAGAW, bits 12:8, the
 * page-table depths supported (bit 1: 39-bit 3-level, bit 2: 48-bit
 * 4-level, bit 3: 57-bit 5-level). Linux's DMA domains use the widest
 * SAGAW width, at most MGAW (intel/iommu.c, paging_domain_alloc): the
 * aperture is [0, 2^aw - 1].
 */
#include <stdio.h>

#include "layout.h"

#define CAP_MGAW(c)	((unsigned int)(((c) >> 16) & 0x3f) + 1)
#define CAP_SAGAW(c)	((unsigned int)(((c) >> 8) & 0x1f))

/* Bit i of SAGAW: 30 + 9 * i bits (bit 0: 30, a 2-level table) */
static unsigned int sagaw_width(unsigned int bit)
{
	return 30 + 9 * bit;
}

void lay_intel_decode(struct lay_iommu *u)
{
	unsigned int bit, aw = 0;

	u->mgaw = CAP_MGAW(u->cap);
	u->sagaw = CAP_SAGAW(u->cap);
	for (bit = 0; bit < 5; bit++)
		if (u->sagaw & (1u << bit) && sagaw_width(bit) <= 57)
			aw = sagaw_width(bit);
	u->aw_bits = aw && aw < u->mgaw ? aw : u->mgaw;
}

const char *lay_sagaw_str(char *buf, size_t sz, unsigned int sagaw)
{
	unsigned int bit;
	size_t n = 0;

	buf[0] = 0;
	for (bit = 0; bit < 5 && n < sz; bit++)
		if (sagaw & (1u << bit))
			n += snprintf(buf + n, sz - n, "%s%u", n ? ", " : "",
				      sagaw_width(bit));
	if (!n)
		snprintf(buf, sz, "none");
	return buf;
}
