// SPDX-License-Identifier: GPL-2.0
/*
 * dmaload script ops of native VFIO type1 (/dev/vfio/vfio containers and
 * their groups); the language is in docs/dmaload.md, the model in
 * docs/type1.md.
 */
#include <stdlib.h>
#include <string.h>
#include <linux/vfio.h>
#include "num.h"
#include "script_priv.h"

#define INTEL_PGSIZES	0x40201000ULL	/* 4K | 2M | 1G */

/* One container per name: a container lives as long as its groups */
int parse_container(struct parser *p, char **t, int n, struct dl_op *op)
{
	int known = p->s->nr_objs;

	if (script_arity(p, n, 1, 1, "container NAME"))
		return -1;
	op->obj = script_declare(p, t[0], DL_OBJ_CONTAINER);
	if (op->obj >= 0 && p->s->nr_objs == known)
		return script_perr(p, "container '%s' is open already", t[0]);
	return op->obj < 0 ? -1 : 0;
}

static int resv_type(struct parser *p, const char *tok, enum dl_resv_type *t)
{
	static const char *const names[] = {
		[DL_RESV_DIRECT] = "direct",
		[DL_RESV_DIRECT_RELAXABLE] = "direct-relaxable",
		[DL_RESV_RESERVED] = "reserved",
		[DL_RESV_MSI] = "msi",
		[DL_RESV_SW_MSI] = "sw-msi",
	};
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(tok, names[i])) {
			*t = i;
			return 0;
		}
	}
	return script_perr(p, "bad region type '%s' (direct, direct-relaxable, reserved, msi, sw-msi)",
			   tok);
}

static int layout_resv(struct parser *p, char **t, struct dl_group_layout *l)
{
	struct iommu_iova_range r;

	if (l->nr_resv == DL_GROUP_MAX_RESV)
		return script_perr(p, "too many regions (max %d)",
				   DL_GROUP_MAX_RESV);
	if (script_range(p, t[0], &r))
		return -1;
	if (r.last < r.start)
		return script_perr(p, "region '%s' ends before it starts", t[0]);
	l->resv[l->nr_resv].start = r.start;
	l->resv[l->nr_resv].last = r.last;
	return resv_type(p, t[1], &l->resv[l->nr_resv++].type);
}

/* One "aw N", "pgsizes MASK", "driver N" or "resv START-LAST TYPE" */
static int layout_word(struct parser *p, char **t, int n,
		       struct dl_group_layout *l)
{
	__u64 v;

	if (!strcmp(t[0], "resv"))
		return n < 3 ? script_perr(p, "usage: resv START-LAST TYPE") :
			       layout_resv(p, t + 1, l) ? -1 : 3;
	if (n < 2)
		return script_perr(p, "'%s' needs a value", t[0]);
	if (script_num(p, t[1], &v))
		return -1;
	if (!strcmp(t[0], "aw") && v >= 12 && v <= 64)
		l->aw_bits = v;
	else if (!strcmp(t[0], "pgsizes") && v)
		l->pgsizes = v;
	else if (!strcmp(t[0], "driver") && v <= 255)
		l->driver = v;
	else
		return script_perr(p, "bad layout '%s %s' (aw 12..64, pgsizes MASK, driver 0..255, resv START-LAST TYPE)",
				   t[0], t[1]);
	return 2;
}

static int parse_layout(struct parser *p, char **t, int n, struct dl_op *op)
{
	struct dl_group_layout *l = calloc(1, sizeof(*l));
	int i, used;

	if (!l)
		return script_perr(p, "out of memory");
	op->layout = l;
	l->aw_bits = 39;
	l->pgsizes = INTEL_PGSIZES;
	for (i = 0; i < n; i += used) {
		used = layout_word(p, t + i, n - i, l);
		if (used < 0)
			return -1;
	}
	return 0;
}

int parse_group(struct parser *p, char **t, int n, struct dl_op *op)
{
	int known;

	if (n < 2)
		return script_perr(p, "usage: group CONTAINER GROUP [aw BITS] [pgsizes MASK] [driver N] [resv START-LAST TYPE]...");
	op->obj = script_use_type(p, t[0], DL_OBJ_CONTAINER);
	if (op->obj < 0)
		return -1;
	known = p->s->nr_objs;
	op->obj2 = script_declare(p, t[1], DL_OBJ_GROUP);
	if (op->obj2 < 0)
		return -1;
	if (p->s->nr_objs == known && n > 2)
		return script_perr(p, "group '%s': its layout was given where it first appeared",
				   t[1]);
	return p->s->nr_objs == known ? 0 : parse_layout(p, t + 2, n - 2, op);
}

int parse_ungroup(struct parser *p, char **t, int n, struct dl_op *op)
{
	if (script_arity(p, n, 1, 1, "ungroup GROUP"))
		return -1;
	op->obj2 = script_use_type(p, t[0], DL_OBJ_GROUP);
	return op->obj2 < 0 ? -1 : 0;
}

int parse_setiommu(struct parser *p, char **t, int n, struct dl_op *op)
{
	uint64_t v;

	if (script_arity(p, n, 2, 2, "setiommu CONTAINER v1|v2|nesting|TYPE"))
		return -1;
	op->obj = script_use_type(p, t[0], DL_OBJ_CONTAINER);
	if (op->obj < 0)
		return -1;
	if (!strcmp(t[1], "v1"))
		op->flags = VFIO_TYPE1_IOMMU;
	else if (!strcmp(t[1], "v2"))
		op->flags = VFIO_TYPE1v2_IOMMU;
	else if (!strcmp(t[1], "nesting"))
		op->flags = VFIO_TYPE1_NESTING_IOMMU;
	else if (!dl_parse_u64(t[1], &v) && v <= 0xffffffffULL)
		op->flags = v;
	else
		return script_perr(p, "setiommu: want v1, v2, nesting or a number, not '%s'",
				   t[1]);
	return 0;
}

int parse_vmap(struct parser *p, char **t, int n, struct dl_op *op)
{
	__u32 prot;

	if (script_arity(p, n, 3, 5, "vmap CONTAINER IOVA LEN [ro|wo|rw] [UADDR]"))
		return -1;
	op->obj = script_use_type(p, t[0], DL_OBJ_CONTAINER);
	if (op->obj < 0 || script_num(p, t[1], &op->iova) ||
	    script_num(p, t[2], &op->length) ||
	    script_prot_uaddr(p, t + 3, n - 3, &prot, &op->uaddr))
		return -1;
	op->flags = script_t1_prot(prot);
	return 0;
}

/* CONTAINER FLAGS IOVA LEN: the raw-flags forms */
static int container_flags(struct parser *p, char **t, struct dl_op *op)
{
	__u64 flags = 0;

	op->obj = script_use_type(p, t[0], DL_OBJ_CONTAINER);
	if (op->obj < 0 || script_num(p, t[1], &flags) ||
	    script_num(p, t[2], &op->iova) || script_num(p, t[3], &op->length))
		return -1;
	if (flags > 0xffffffffULL)
		return script_perr(p, "FLAGS is a 32-bit field");
	op->flags = flags;
	return 0;
}

int parse_vmapflags(struct parser *p, char **t, int n, struct dl_op *op)
{
	if (script_arity(p, n, 4, 5, "vmapflags CONTAINER FLAGS IOVA LEN [UADDR]") ||
	    container_flags(p, t, op))
		return -1;
	return n == 5 ? script_num(p, t[4], &op->uaddr) : 0;
}

int parse_vunmap(struct parser *p, char **t, int n, struct dl_op *op)
{
	if (script_arity(p, n, 2, 3, "vunmap CONTAINER IOVA LEN | vunmap CONTAINER all"))
		return -1;
	op->obj = script_use_type(p, t[0], DL_OBJ_CONTAINER);
	if (op->obj < 0)
		return -1;
	if (n == 2) {
		if (strcmp(t[1], "all"))
			return script_perr(p, "usage: vunmap CONTAINER IOVA LEN | vunmap CONTAINER all");
		op->flags = VFIO_DMA_UNMAP_FLAG_ALL;	/* iova = size = 0 */
		return 0;
	}
	return script_num(p, t[1], &op->iova) ||
	       script_num(p, t[2], &op->length) ? -1 : 0;
}

int parse_vunmapflags(struct parser *p, char **t, int n, struct dl_op *op)
{
	if (script_arity(p, n, 4, 4, "vunmapflags CONTAINER FLAGS IOVA LEN"))
		return -1;
	return container_flags(p, t, op);
}

#define VINFO_MAX	4096

int parse_vinfo(struct parser *p, char **t, int n, struct dl_op *op)
{
	if (script_arity(p, n, 1, 2, "vinfo CONTAINER [ARGSZ]"))
		return -1;
	op->obj = script_use_type(p, t[0], DL_OBJ_CONTAINER);
	op->size = VINFO_MAX;
	if (op->obj < 0 || (n == 2 && script_num(p, t[1], &op->size)))
		return -1;
	if (op->size > VINFO_MAX)
		return script_perr(p, "ARGSZ %llu too large (max %d)",
				   (unsigned long long)op->size, VINFO_MAX);
	return 0;
}

int parse_vcheck(struct parser *p, char **t, int n, struct dl_op *op)
{
	if (script_arity(p, n, 2, 2, "vcheck CONTAINER EXTENSION"))
		return -1;
	op->obj = script_use_type(p, t[0], DL_OBJ_CONTAINER);
	return op->obj < 0 || script_num(p, t[1], &op->size) ? -1 : 0;
}

int parse_limit(struct parser *p, char **t, int n, struct dl_op *op)
{
	if (script_arity(p, n, 2, 2, "limit entries N | limit memlock BYTES|unlimited"))
		return -1;
	if (!strcmp(t[0], "entries")) {
		op->flags = DL_LIMIT_ENTRIES;
		if (script_num(p, t[1], &op->size))
			return -1;
		return op->size > 0xffffffffULL ?
		       script_perr(p, "limit entries: at most 0xffffffff") : 0;
	}
	if (strcmp(t[0], "memlock"))
		return script_perr(p, "limit: want 'entries' or 'memlock', not '%s'",
				   t[0]);
	op->flags = DL_LIMIT_MEMLOCK;
	if (!strcmp(t[1], "unlimited")) {
		op->size = DL_MEMLOCK_UNLIMITED;
		return 0;
	}
	return script_num(p, t[1], &op->size);
}
