// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>
#include "ubuf.h"

int dl_ubuf_init(struct dl_ubuf *b)
{
	uint64_t len = DL_UBUF_SIZE + DL_UBUF_ALIGN;
	void *p;

	p = mmap(NULL, len, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return -errno;
	b->map = p;
	b->map_len = len;
	b->base = ((uint64_t)(uintptr_t)p + DL_UBUF_ALIGN - 1) &
		  ~(DL_UBUF_ALIGN - 1);
	b->size = DL_UBUF_SIZE;
	return 0;
}

void dl_ubuf_fini(struct dl_ubuf *b)
{
	if (b->map)
		munmap(b->map, b->map_len);
	b->map = NULL;
}

int dl_ubuf_populate(struct dl_ubuf *b, uint64_t off, uint64_t len)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	uint64_t start, end;

	if (off >= b->size || !len)
		return 0;
	if (len > b->size - off)
		len = b->size - off;
	start = (b->base + off) & ~(page - 1);
	end = (b->base + off + len + page - 1) & ~(page - 1);
	if (mprotect((void *)(uintptr_t)start, end - start,
		     PROT_READ | PROT_WRITE))
		return -errno;
	return 0;
}
