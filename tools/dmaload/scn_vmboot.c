// SPDX-License-Identifier: GPL-2.0
/*
 * vm-boot: a VMM maps guest RAM for device passthrough, like QEMU with
 * iommufd. The x86 MSI window 0xfee00000-0xfeefffff is reserved; RAM below
 * 4 GiB ends at 3 GiB (the PCI hole), the rest sits above 4 GiB, both
 * mapped FIXED (IOVA = guest physical address) in 128 MiB..1 GiB chunks;
 * device memory (ROMs, BAR shadows) is mapped with auto IOVA. Then the
 * guest reboots: everything is unmapped (one unmap-all, or chunk by chunk)
 * and the next boot picks a new RAM size. UADDR = guest physical offset in
 * the 1 GiB aligned user buffer, so auto maps see large alignments.
 */
#include "scn.h"

#define MSI_START	0xfee00000ULL
#define MSI_LAST	0xfeefffffULL
#define LOW_RAM_END	(3ULL << 30)
#define HIGH_RAM_BASE	(4ULL << 30)
#define DEV_UADDR	(32ULL << 30)	/* device memory in the user buffer */
#define MAX_CHUNKS	128

struct chunk {
	uint64_t iova;
	uint64_t len;
};

struct boot {
	struct chunk c[MAX_CHUNKS];
	unsigned int n;
};

static void map_ram(struct scn *s, struct boot *b, uint64_t gpa, uint64_t iova,
		    uint64_t len)
{
	static const uint64_t chunk_sizes[] = {
		128ULL << 20, 256ULL << 20, 512ULL << 20, 1ULL << 30,
	};
	uint64_t chunk, off = 0;

	while (off < len && s->left && b->n < MAX_CHUNKS) {
		chunk = chunk_sizes[dl_prng_below(&s->rng, 4)];
		if (chunk > len - off)
			chunk = len - off;
		if (!scn_map_fixed(s, 0, iova + off, chunk, gpa + off)) {
			b->c[b->n].iova = iova + off;
			b->c[b->n++].len = chunk;
		}
		off += chunk;
	}
}

static void map_devices(struct scn *s, struct boot *b)
{
	unsigned int i, n = 2 + dl_prng_below(&s->rng, 7);
	uint64_t iova, len, uaddr = DEV_UADDR;

	for (i = 0; i < n && s->left && b->n < MAX_CHUNKS; i++) {
		/* 64 KiB .. 16 MiB, a power of two */
		len = 64ULL << 10 << dl_prng_below(&s->rng, 9);
		if (!scn_map_auto(s, 0, len, uaddr, &iova)) {
			b->c[b->n].iova = iova;
			b->c[b->n++].len = len;
		}
		uaddr += 16ULL << 20;
	}
}

static void reboot(struct scn *s, struct boot *b)
{
	unsigned int i;

	if (dl_prng_below(&s->rng, 2)) {
		if (s->left)
			scn_unmap(s, 0, 0, ~0ULL);
	} else {
		for (i = 0; i < b->n && s->left; i++)
			scn_unmap(s, 0, b->c[i].iova, b->c[i].len);
	}
	b->n = 0;
}

int scn_vm_boot(struct dl_exec *x, const struct dl_scn_opts *o, char *err,
		size_t errlen)
{
	struct dl_obj objs[1] = { { .name = "vm", .type = DL_OBJ_IOAS } };
	struct boot b = { .n = 0 };
	uint64_t ram, low;
	struct scn s;

	(void)err;
	(void)errlen;
	x->objs = objs;
	scn_init(&s, x, o->seed, o->ops);
	scn_ioas(&s, 0);
	scn_reserve(&s, 0, MSI_START, MSI_LAST);
	while (s.left) {
		ram = (1ULL + dl_prng_below(&s.rng, 16)) << 29; /* 0.5..8 GiB */
		low = ram < LOW_RAM_END ? ram : LOW_RAM_END;
		map_ram(&s, &b, 0, 0, low);
		map_ram(&s, &b, low, HIGH_RAM_BASE, ram - low);
		map_devices(&s, &b);
		reboot(&s, &b);
	}
	return 0;
}
