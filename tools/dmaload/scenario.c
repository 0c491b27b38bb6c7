// SPDX-License-Identifier: GPL-2.0
/* dmaload scenarios: the registry and the step helpers they share */
#include <string.h>
#include "scn.h"

static const struct dl_scenario scenarios[] = {
	{ "vm-boot", "guest RAM around the MSI hole, FIXED and auto, reboots",
	  2000, 1, scn_vm_boot },
	{ "dpdk", "2 MiB and 1 GiB FIXED hugepage maps and unmaps",
	  2000, 1, scn_dpdk },
	{ "churn", "small auto maps and unmaps, like a vIOMMU guest",
	  20000, 1, scn_churn },
	{ "violations", "every violation kind, between good maps",
	  2000, 4, scn_violations },
	{ "power", "two windows with a high base (multi-window extension)",
	  2000, 1, scn_power },
};

const struct dl_scenario *dl_scenario_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
		if (!strcmp(scenarios[i].name, name))
			return &scenarios[i];
	return NULL;
}

const char *dl_scenario_names(void)
{
	return "vm-boot, dpdk, churn, violations, power";
}

void scn_init(struct scn *s, struct dl_exec *x, uint64_t seed, uint64_t budget)
{
	s->x = *x;
	dl_prng_seed(&s->rng, seed);
	s->left = budget;
	s->step = 0;
}

static int counted(enum dl_kind k)
{
	switch (k) {
	case DL_RESERVE:
	case DL_MOCKDEV:
	case DL_TYPE1:
	case DL_T1INFO:
	case DL_WINDOW:
		return 0;
	default:
		return 1;
	}
}

static int run(struct scn *s, struct dl_op *op, const char *word,
	       struct dl_result *res)
{
	struct dl_result r;

	op->word = word;
	op->line = ++s->step;
	if (counted(op->kind) && s->left)
		s->left--;
	return dl_exec_op(&s->x, op, res ? res : &r);
}

static void op_init(struct dl_op *op, enum dl_kind kind, int slot)
{
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	op->obj = slot;
	op->obj2 = -1;
}

int scn_ioas(struct scn *s, int slot)
{
	struct dl_op op;

	op_init(&op, DL_IOAS, slot);
	return run(s, &op, "ioas", NULL);
}

int scn_reserve(struct scn *s, int slot, uint64_t start, uint64_t last)
{
	struct dl_op op;

	op_init(&op, DL_RESERVE, slot);
	op.iova = start;
	op.length = last - start + 1;
	return run(s, &op, "reserve", NULL);
}

int scn_mockdev(struct scn *s, int slot)
{
	struct dl_op op;

	op_init(&op, DL_MOCKDEV, slot);
	return run(s, &op, "mockdev", NULL);
}

int scn_allow(struct scn *s, int slot, const struct iommu_iova_range *r,
	      unsigned int n)
{
	struct dl_op op;

	op_init(&op, DL_ALLOW, slot);
	op.ranges = (struct iommu_iova_range *)r;
	op.nr_ranges = n;
	return run(s, &op, "allow", NULL);
}

#define RW (IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_WRITEABLE)

int scn_map_fixed(struct scn *s, int slot, uint64_t iova, uint64_t len,
		  uint64_t uaddr)
{
	struct dl_op op;

	op_init(&op, DL_MAP, slot);
	op.flags = IOMMU_IOAS_MAP_FIXED_IOVA | RW;
	op.iova = iova;
	op.length = len;
	op.uaddr = uaddr;
	return run(s, &op, "map", NULL);
}

int scn_map_auto(struct scn *s, int slot, uint64_t len, uint64_t uaddr,
		 uint64_t *iova)
{
	struct dl_result res;
	struct dl_op op;

	op_init(&op, DL_MAP, slot);
	op.flags = RW;
	op.length = len;
	op.uaddr = uaddr;
	run(s, &op, "map", &res);
	*iova = res.iova;
	return res.ret;
}

int scn_mapflags(struct scn *s, int slot, uint32_t flags, uint32_t reserved,
		 uint64_t iova, uint64_t len)
{
	struct dl_op op;

	op_init(&op, DL_MAP, slot);
	op.flags = flags;
	op.reserved = reserved;
	op.iova = iova;
	op.length = len;
	return run(s, &op, "mapflags", NULL);
}

int scn_unmap(struct scn *s, int slot, uint64_t iova, uint64_t len)
{
	struct dl_op op;

	op_init(&op, DL_UNMAP, slot);
	op.iova = iova;
	op.length = len;
	return run(s, &op, "unmap", NULL);
}

int scn_type1(struct scn *s, int slot)
{
	struct dl_op op;

	op_init(&op, DL_TYPE1, slot);
	return run(s, &op, "type1", NULL);
}

int scn_t1map(struct scn *s, uint64_t iova, uint64_t len, uint64_t uaddr)
{
	struct dl_op op;

	op_init(&op, DL_T1MAP, -1);
	op.flags = 3;	/* VFIO_DMA_MAP_FLAG_READ | _WRITE */
	op.iova = iova;
	op.length = len;
	op.uaddr = uaddr;
	return run(s, &op, "t1map", NULL);
}

int scn_ranges(struct scn *s, int slot, unsigned int cap)
{
	struct dl_op op;

	op_init(&op, DL_RANGES, slot);
	op.nr_ranges = cap;
	return run(s, &op, "ranges", NULL);
}
