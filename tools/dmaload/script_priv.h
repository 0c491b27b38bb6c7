/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The script parser's shared part: its state and the helpers every op's
 * parser uses (script.c), and the native type1 ops' parsers
 * (script_type1.c). Each helper returns -1 after writing "FILE:LINE: what".
 */
#ifndef DMALOAD_SCRIPT_PRIV_H
#define DMALOAD_SCRIPT_PRIV_H

#include "script.h"

struct parser {
	struct dl_script *s;
	const char *fname;
	unsigned int line;
	char *err;
	size_t errlen;
};

int script_perr(struct parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int script_num(struct parser *p, const char *tok, __u64 *out);
/* Slot of NAME, declared here as type t (or already one); -1 on error */
int script_declare(struct parser *p, const char *name, enum dl_obj_type t);
/* Slot of a declared NAME: an IOAS (want_ioas) or any object */
int script_use(struct parser *p, const char *name, int want_ioas);
int script_use_type(struct parser *p, const char *name, enum dl_obj_type t);
/* [ro|wo|rw] [UADDR] (uaddr NULL: no UADDR allowed) */
int script_prot_uaddr(struct parser *p, char **tok, int n, __u32 *prot,
		      __u64 *uaddr);
int script_arity(struct parser *p, int n, int min, int max, const char *usage);
int script_range(struct parser *p, char *tok, struct iommu_iova_range *r);
/* IOMMU_IOAS_MAP_READABLE/WRITEABLE -> VFIO_DMA_MAP_FLAG_READ/WRITE */
__u32 script_t1_prot(__u32 iommufd_prot);

/* script_type1.c */
int parse_container(struct parser *p, char **t, int n, struct dl_op *op);
int parse_group(struct parser *p, char **t, int n, struct dl_op *op);
int parse_ungroup(struct parser *p, char **t, int n, struct dl_op *op);
int parse_setiommu(struct parser *p, char **t, int n, struct dl_op *op);
int parse_vmap(struct parser *p, char **t, int n, struct dl_op *op);
int parse_vmapflags(struct parser *p, char **t, int n, struct dl_op *op);
int parse_vunmap(struct parser *p, char **t, int n, struct dl_op *op);
int parse_vunmapflags(struct parser *p, char **t, int n, struct dl_op *op);
int parse_vinfo(struct parser *p, char **t, int n, struct dl_op *op);
int parse_vcheck(struct parser *p, char **t, int n, struct dl_op *op);
int parse_limit(struct parser *p, char **t, int n, struct dl_op *op);

#endif /* DMALOAD_SCRIPT_PRIV_H */
