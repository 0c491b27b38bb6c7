/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The user buffer that map ops take their user_va from: UADDR is an offset
 * into it. Its base is 1 GiB aligned so that UADDR alone steers the IOVA
 * alignment the kernel picks for auto maps (min(roundup_pow_of_two(len),
 * lowest set bit of user_va), capped at the huge page size). The range is
 * reserved PROT_NONE/MAP_NORESERVE; pages become read-write only when the
 * backend pins real memory (dl_ubuf_populate()).
 */
#ifndef DMALOAD_UBUF_H
#define DMALOAD_UBUF_H

#include <stdint.h>

#define DL_UBUF_ALIGN	(1ULL << 30)
#define DL_UBUF_SIZE	(64ULL << 30)	/* address space only */

struct dl_ubuf {
	void *map;		/* what mmap returned */
	uint64_t map_len;
	uint64_t base;		/* 1 GiB aligned */
	uint64_t size;
};

/* 0 or -errno */
int dl_ubuf_init(struct dl_ubuf *b);
void dl_ubuf_fini(struct dl_ubuf *b);
/* Make [base+off, base+off+len) read-write (clipped to the buffer) */
int dl_ubuf_populate(struct dl_ubuf *b, uint64_t off, uint64_t len);

static inline uint64_t dl_ubuf_va(const struct dl_ubuf *b, uint64_t off)
{
	return b->base + off;
}

#endif /* DMALOAD_UBUF_H */
