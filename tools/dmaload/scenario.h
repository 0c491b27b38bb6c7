/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmaload scenarios: named, seeded workloads for the tracer (vm-boot, dpdk,
 * churn, violations, power). Deterministic for a seed: each uses its own
 * PRNG (prng.h), never the clock or rand().
 */
#ifndef DMALOAD_SCENARIO_H
#define DMALOAD_SCENARIO_H

#include <stddef.h>
#include <stdint.h>
#include "exec.h"

struct dl_scn_opts {
	uint64_t seed;
	uint64_t ops;		/* counted ops to run; 0: the scenario's default */
	unsigned int threads;	/* churn only */
	int same_ioas;		/* churn: all threads on one IOAS */
};

struct dl_scenario {
	const char *name;
	const char *what;
	uint64_t default_ops;
	uint64_t min_ops;	/* its setup's counted ops */
	/* 0, or -1 with a one-line reason in err */
	int (*run)(struct dl_exec *x, const struct dl_scn_opts *o,
		   char *err, size_t errlen);
};

const struct dl_scenario *dl_scenario_find(const char *name);
/* "vm-boot, dpdk, ..." for messages */
const char *dl_scenario_names(void);

#endif /* DMALOAD_SCENARIO_H */
