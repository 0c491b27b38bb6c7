/* SPDX-License-Identifier: GPL-2.0 */
/* splitmix64: dmaload's own PRNG, so that a seed fixes a whole run */
#ifndef DMALOAD_PRNG_H
#define DMALOAD_PRNG_H

#include <stdint.h>

struct dl_prng {
	uint64_t s;
};

static inline void dl_prng_seed(struct dl_prng *r, uint64_t seed)
{
	r->s = seed;
}

static inline uint64_t dl_prng_next(struct dl_prng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n), n > 0 (bias below 2^-32 for the n dmaload uses) */
static inline uint64_t dl_prng_below(struct dl_prng *r, uint64_t n)
{
	return dl_prng_next(r) % n;
}

#endif /* DMALOAD_PRNG_H */
