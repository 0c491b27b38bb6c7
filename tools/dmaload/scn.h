/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers the scenarios share: a step runner that numbers ops, counts the
 * counted ones against the --ops budget, and builds struct dl_op for them.
 */
#ifndef DMALOAD_SCN_H
#define DMALOAD_SCN_H

#include "prng.h"
#include "scenario.h"

#define SCN_MAX_OBJS	72	/* 64 churn threads + a few */

struct scn {
	struct dl_exec x;	/* a copy per thread; objs shared */
	struct dl_prng rng;
	uint64_t left;		/* counted ops still to run */
	unsigned int step;	/* "line" of the JSON output */
};

/* Set up s to run budget counted ops on x with a seed */
void scn_init(struct scn *s, struct dl_exec *x, uint64_t seed, uint64_t budget);

/* Each runs one op, returns its ret; res may be NULL */
int scn_ioas(struct scn *s, int slot);
int scn_reserve(struct scn *s, int slot, uint64_t start, uint64_t last);
int scn_mockdev(struct scn *s, int slot);
int scn_allow(struct scn *s, int slot, const struct iommu_iova_range *r,
	      unsigned int n);
int scn_map_fixed(struct scn *s, int slot, uint64_t iova, uint64_t len,
		  uint64_t uaddr);
/* auto map; *iova gets the result */
int scn_map_auto(struct scn *s, int slot, uint64_t len, uint64_t uaddr,
		 uint64_t *iova);
int scn_mapflags(struct scn *s, int slot, uint32_t flags, uint32_t reserved,
		 uint64_t iova, uint64_t len);
int scn_unmap(struct scn *s, int slot, uint64_t iova, uint64_t len);
int scn_type1(struct scn *s, int slot);
int scn_t1map(struct scn *s, uint64_t iova, uint64_t len, uint64_t uaddr);
int scn_ranges(struct scn *s, int slot, unsigned int cap);

/* The scenarios (scn_*.c) */
int scn_vm_boot(struct dl_exec *x, const struct dl_scn_opts *o, char *err,
		size_t errlen);
int scn_dpdk(struct dl_exec *x, const struct dl_scn_opts *o, char *err,
	     size_t errlen);
int scn_churn(struct dl_exec *x, const struct dl_scn_opts *o, char *err,
	      size_t errlen);
int scn_violations(struct dl_exec *x, const struct dl_scn_opts *o, char *err,
		   size_t errlen);
int scn_power(struct dl_exec *x, const struct dl_scn_opts *o, char *err,
	      size_t errlen);

#endif /* DMALOAD_SCN_H */
