// SPDX-License-Identifier: GPL-2.0
/*
 * dmaload script parser. One op per line, '#' starts a comment. Every line
 * is checked (op name, arity, numbers, names) before the run starts; see
 * docs/dmaload.md for the language.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "num.h"
#include "script_priv.h"

#define MAX_TOKENS	(DL_MAX_RANGES + 4)

int script_perr(struct parser *p, const char *fmt, ...)
{
	int n = snprintf(p->err, p->errlen, "%s:%u: ", p->fname, p->line);
	va_list ap;

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < p->errlen)
		vsnprintf(p->err + n, p->errlen - n, fmt, ap);
	va_end(ap);
	return -1;
}

int script_num(struct parser *p, const char *tok, __u64 *out)
{
	uint64_t v;

	if (dl_parse_u64(tok, &v))
		return script_perr(p, "bad number '%s'", tok);
	*out = v;
	return 0;
}

static int find_obj(struct dl_script *s, const char *name)
{
	int i;

	for (i = 0; i < s->nr_objs; i++)
		if (!strcmp(s->objs[i].name, name))
			return i;
	return -1;
}

static int valid_name(const char *name)
{
	const char *c;

	if (strlen(name) >= DL_NAME_LEN)
		return 0;
	for (c = name; *c; c++)
		if (!(*c == '_' || *c == '-' || *c == '.' ||
		      (*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'z') ||
		      (*c >= 'A' && *c <= 'Z')))
			return 0;
	return 1;
}

static const char *obj_type_name(enum dl_obj_type t)
{
	static const char *const names[] = {
		[DL_OBJ_IOAS] = "ioas", [DL_OBJ_MOCKDEV] = "mockdev",
		[DL_OBJ_CONTAINER] = "container", [DL_OBJ_GROUP] = "group",
	};
	return names[t];
}

/* Declare NAME as an object of type t (or re-use it if it is one) */
int script_declare(struct parser *p, const char *name, enum dl_obj_type t)
{
	struct dl_script *s = p->s;
	int i = find_obj(s, name);

	if (i >= 0) {
		if (s->objs[i].type != t)
			return script_perr(p, "'%s' is already a %s", name,
				    obj_type_name(s->objs[i].type));
		return i;
	}
	if (!valid_name(name))
		return script_perr(p, "bad name '%s' (letters, digits, _-. up to %d)",
			    name, DL_NAME_LEN - 1);
	if (s->nr_objs == DL_MAX_OBJS)
		return script_perr(p, "too many names (max %d)", DL_MAX_OBJS);
	i = s->nr_objs++;
	strcpy(s->objs[i].name, name);
	s->objs[i].type = t;
	s->objs[i].id = 0;
	return i;
}

/* A name used by an op: declared earlier, of the right type */
int script_use(struct parser *p, const char *name, int want_ioas)
{
	int i = find_obj(p->s, name);

	if (i < 0)
		return script_perr(p, "unknown name '%s'", name);
	if (want_ioas && p->s->objs[i].type != DL_OBJ_IOAS)
		return script_perr(p, "'%s' is a %s, not an ioas", name,
				   obj_type_name(p->s->objs[i].type));
	return i;
}

/* A name declared earlier as an object of type t */
int script_use_type(struct parser *p, const char *name, enum dl_obj_type t)
{
	int i = find_obj(p->s, name);

	if (i < 0)
		return script_perr(p, "unknown name '%s'", name);
	if (p->s->objs[i].type != t)
		return script_perr(p, "'%s' is a %s, not a %s", name,
				   obj_type_name(p->s->objs[i].type),
				   obj_type_name(t));
	return i;
}

static int prot_flags(const char *tok, __u32 *flags)
{
	if (!strcmp(tok, "rw"))
		*flags = IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_WRITEABLE;
	else if (!strcmp(tok, "ro"))
		*flags = IOMMU_IOAS_MAP_READABLE;
	else if (!strcmp(tok, "wo"))
		*flags = IOMMU_IOAS_MAP_WRITEABLE;
	else
		return -1;
	return 0;
}

/*
 * Trailing options of map/t1map/copy: at most one of ro|wo|rw (default rw)
 * and, when uaddr is non-NULL, at most one number (the UADDR offset).
 */
int script_prot_uaddr(struct parser *p, char **tok, int n, __u32 *prot,
		      __u64 *uaddr)
{
	int have_prot = 0, have_uaddr = 0, i;
	uint64_t v;

	*prot = IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_WRITEABLE;
	for (i = 0; i < n; i++) {
		if (!prot_flags(tok[i], prot)) {
			if (have_prot++)
				return script_perr(p, "protection given twice");
			continue;
		}
		if (!uaddr)
			return script_perr(p, "unexpected '%s' (want ro, wo or rw)", tok[i]);
		if (have_uaddr++)
			return script_perr(p, "unexpected '%s' (UADDR given twice)", tok[i]);
		if (dl_parse_u64(tok[i], &v))
			return script_perr(p, "unexpected '%s' (want ro, wo, rw or a UADDR)",
				    tok[i]);
		*uaddr = v;
	}
	return 0;
}

int script_arity(struct parser *p, int n, int min, int max, const char *usage)
{
	if (n < min || n > max)
		return script_perr(p, "usage: %s", usage);
	return 0;
}

static int parse_ioas(struct parser *p, char **t, int n, struct dl_op *op)
{
	if (script_arity(p, n, 1, 1, "ioas NAME"))
		return -1;
	op->obj = script_declare(p, t[0], DL_OBJ_IOAS);
	return op->obj < 0 ? -1 : 0;
}

static int parse_reserve(struct parser *p, char **t, int n, struct dl_op *op)
{
	__u64 last = 0;

	if (script_arity(p, n, 3, 3, "reserve NAME START LAST"))
		return -1;
	op->obj = script_use(p, t[0], 1);
	if (op->obj < 0 || script_num(p, t[1], &op->iova) || script_num(p, t[2], &last))
		return -1;
	if (last < op->iova)
		return script_perr(p, "LAST 0x%llx below START 0x%llx",
			    (unsigned long long)last,
			    (unsigned long long)op->iova);
	op->length = last - op->iova + 1;	/* 0 for the whole space */
	return 0;
}

static int parse_mockdev(struct parser *p, char **t, int n, struct dl_op *op)
{
	if (script_arity(p, n, 1, 2, "mockdev IOAS [DEV]"))
		return -1;
	op->obj = script_use(p, t[0], 1);
	if (op->obj < 0)
		return -1;
	op->obj2 = -1;
	if (n == 2) {
		op->obj2 = script_declare(p, t[1], DL_OBJ_MOCKDEV);
		if (op->obj2 < 0)
			return -1;
	}
	return 0;
}

int script_range(struct parser *p, char *tok, struct iommu_iova_range *r)
{
	char *dash = strchr(tok, '-');
	__u64 start = 0, last = 0;

	if (!dash)
		return script_perr(p, "bad range '%s' (want START-LAST)", tok);
	*dash = '\0';
	if (script_num(p, tok, &start) || script_num(p, dash + 1, &last)) {
		*dash = '-';
		return -1;
	}
	*dash = '-';
	r->start = start;
	r->last = last;
	return 0;
}

static int parse_allow(struct parser *p, char **t, int n, struct dl_op *op)
{
	int i;

	if (script_arity(p, n, 1, DL_MAX_RANGES + 1, "allow NAME [START-LAST]..."))
		return -1;
	op->obj = script_use(p, t[0], 1);
	if (op->obj < 0)
		return -1;
	op->nr_ranges = n - 1;
	if (!op->nr_ranges)
		return 0;
	op->ranges = calloc(op->nr_ranges, sizeof(*op->ranges));
	if (!op->ranges)
		return script_perr(p, "out of memory");
	for (i = 1; i < n; i++)
		if (script_range(p, t[i], &op->ranges[i - 1]))
			return -1;
	return 0;
}

static int parse_ranges(struct parser *p, char **t, int n, struct dl_op *op)
{
	__u64 cap = DL_MAX_RANGES;

	if (script_arity(p, n, 1, 2, "ranges NAME [N]"))
		return -1;
	op->obj = script_use(p, t[0], 1);
	if (op->obj < 0 || (n == 2 && script_num(p, t[1], &cap)))
		return -1;
	if (cap > 4096)
		return script_perr(p, "N %llu too large (max 4096)",
			    (unsigned long long)cap);
	op->nr_ranges = cap;
	return 0;
}

static int parse_map(struct parser *p, char **t, int n, struct dl_op *op)
{
	int rest;
	__u32 prot;

	if (script_arity(p, n, 3, 6, "map NAME fixed IOVA LEN [ro|wo|rw] [UADDR] | map NAME auto LEN [ro|wo|rw] [UADDR]"))
		return -1;
	op->obj = script_use(p, t[0], 1);
	if (op->obj < 0)
		return -1;
	if (!strcmp(t[1], "fixed")) {
		if (n < 4)
			return script_perr(p, "usage: map NAME fixed IOVA LEN [ro|wo|rw] [UADDR]");
		if (script_num(p, t[2], &op->iova) || script_num(p, t[3], &op->length))
			return -1;
		op->flags = IOMMU_IOAS_MAP_FIXED_IOVA;
		rest = 4;
	} else if (!strcmp(t[1], "auto")) {
		if (n > 5)
			return script_perr(p, "usage: map NAME auto LEN [ro|wo|rw] [UADDR]");
		if (script_num(p, t[2], &op->length))
			return -1;
		rest = 3;
	} else {
		return script_perr(p, "map: want 'fixed' or 'auto', not '%s'", t[1]);
	}
	if (script_prot_uaddr(p, t + rest, n - rest, &prot, &op->uaddr))
		return -1;
	op->flags |= prot;
	return 0;
}

static int parse_mapflags(struct parser *p, char **t, int n, struct dl_op *op)
{
	__u64 flags = 0, reserved = 0;

	if (script_arity(p, n, 4, 6, "mapflags NAME FLAGS IOVA LEN [RESERVED [UADDR]]"))
		return -1;
	op->obj = script_use(p, t[0], 1);
	if (op->obj < 0 || script_num(p, t[1], &flags) || script_num(p, t[2], &op->iova) ||
	    script_num(p, t[3], &op->length) || (n > 4 && script_num(p, t[4], &reserved)) ||
	    (n > 5 && script_num(p, t[5], &op->uaddr)))
		return -1;
	if (flags > 0xffffffffULL || reserved > 0xffffffffULL)
		return script_perr(p, "FLAGS and RESERVED are 32-bit fields");
	op->flags = flags;
	op->reserved = reserved;
	return 0;
}

static int parse_unmap(struct parser *p, char **t, int n, struct dl_op *op)
{
	if (script_arity(p, n, 2, 3, "unmap NAME IOVA LEN | unmap NAME all"))
		return -1;
	op->obj = script_use(p, t[0], 1);
	if (op->obj < 0)
		return -1;
	if (n == 2) {
		if (strcmp(t[1], "all"))
			return script_perr(p, "usage: unmap NAME IOVA LEN | unmap NAME all");
		op->iova = 0;
		op->length = UINT64_MAX;	/* the uAPI's unmap-all */
		return 0;
	}
	return script_num(p, t[1], &op->iova) || script_num(p, t[2], &op->length) ? -1 : 0;
}

static int parse_copy(struct parser *p, char **t, int n, struct dl_op *op)
{
	int rest = 4;
	__u32 prot;

	if (script_arity(p, n, 4, 7, "copy SRC DST IOVA LEN [fixed DSTIOVA] [ro|wo|rw]"))
		return -1;
	op->obj = script_use(p, t[0], 1);
	if (op->obj < 0)
		return -1;
	op->obj2 = script_use(p, t[1], 1);
	if (op->obj2 < 0 || script_num(p, t[2], &op->iova) || script_num(p, t[3], &op->length))
		return -1;
	if (n > 4 && !strcmp(t[4], "fixed")) {
		if (n < 6 || script_num(p, t[5], &op->dst_iova))
			return n < 6 ? script_perr(p, "copy: 'fixed' needs DSTIOVA") : -1;
		op->flags = IOMMU_IOAS_MAP_FIXED_IOVA;
		rest = 6;
	}
	if (script_prot_uaddr(p, t + rest, n - rest, &prot, NULL))
		return -1;
	op->flags |= prot;
	return 0;
}

static int parse_destroy(struct parser *p, char **t, int n, struct dl_op *op)
{
	if (script_arity(p, n, 1, 1, "destroy NAME"))
		return -1;
	op->obj = script_use(p, t[0], 0);
	return op->obj < 0 ? -1 : 0;
}

static int parse_type1(struct parser *p, char **t, int n, struct dl_op *op)
{
	if (script_arity(p, n, 1, 1, "type1 NAME"))
		return -1;
	op->obj = script_use(p, t[0], 1);
	return op->obj < 0 ? -1 : 0;
}

/* type1 prot: VFIO_DMA_MAP_FLAG_READ (1) / _WRITE (2) */
__u32 script_t1_prot(__u32 iommufd_prot)
{
	return (iommufd_prot & IOMMU_IOAS_MAP_READABLE ? 1 : 0) |
	       (iommufd_prot & IOMMU_IOAS_MAP_WRITEABLE ? 2 : 0);
}

static int parse_t1map(struct parser *p, char **t, int n, struct dl_op *op)
{
	__u32 prot;

	if (script_arity(p, n, 2, 4, "t1map IOVA LEN [ro|wo|rw] [UADDR]"))
		return -1;
	if (script_num(p, t[0], &op->iova) || script_num(p, t[1], &op->length) ||
	    script_prot_uaddr(p, t + 2, n - 2, &prot, &op->uaddr))
		return -1;
	op->flags = script_t1_prot(prot);
	return 0;
}

static int parse_t1mapflags(struct parser *p, char **t, int n, struct dl_op *op)
{
	__u64 flags = 0;

	if (script_arity(p, n, 3, 4, "t1mapflags FLAGS IOVA LEN [UADDR]"))
		return -1;
	if (script_num(p, t[0], &flags) || script_num(p, t[1], &op->iova) ||
	    script_num(p, t[2], &op->length) || (n > 3 && script_num(p, t[3], &op->uaddr)))
		return -1;
	if (flags > 0xffffffffULL)
		return script_perr(p, "FLAGS is a 32-bit field");
	op->flags = flags;
	return 0;
}

static int parse_t1unmap(struct parser *p, char **t, int n, struct dl_op *op)
{
	if (script_arity(p, n, 1, 2, "t1unmap IOVA LEN | t1unmap all"))
		return -1;
	if (n == 1) {
		if (strcmp(t[0], "all"))
			return script_perr(p, "usage: t1unmap IOVA LEN | t1unmap all");
		op->flags = 2;	/* VFIO_DMA_UNMAP_FLAG_ALL, iova = size = 0 */
		return 0;
	}
	return script_num(p, t[0], &op->iova) || script_num(p, t[1], &op->length) ? -1 : 0;
}

static int parse_t1unmapflags(struct parser *p, char **t, int n,
			      struct dl_op *op)
{
	__u64 flags = 0;

	if (script_arity(p, n, 3, 3, "t1unmapflags FLAGS IOVA LEN"))
		return -1;
	if (script_num(p, t[0], &flags) || script_num(p, t[1], &op->iova) ||
	    script_num(p, t[2], &op->length))
		return -1;
	if (flags > 0xffffffffULL)
		return script_perr(p, "FLAGS is a 32-bit field");
	op->flags = flags;
	return 0;
}

static int parse_t1info(struct parser *p, char **t, int n, struct dl_op *op)
{
	(void)t;
	(void)op;
	return script_arity(p, n, 0, 0, "t1info");
}

static int parse_window(struct parser *p, char **t, int n, struct dl_op *op)
{
	if (script_arity(p, n, 4, 4, "window NAME BASE SIZE PAGESIZE"))
		return -1;
	op->obj = script_use(p, t[0], 1);
	if (op->obj < 0 || script_num(p, t[1], &op->iova) || script_num(p, t[2], &op->size) ||
	    script_num(p, t[3], &op->pgsize))
		return -1;
	return 0;
}

static int parse_need(struct parser *p, char **t, int n, struct dl_op *op)
{
	if (script_arity(p, n, 2, 3, "need NAME BYTES [PAGESIZE]"))
		return -1;
	op->obj = script_use(p, t[0], 1);
	if (op->obj < 0 || script_num(p, t[1], &op->size) ||
	    (n == 3 && script_num(p, t[2], &op->pgsize)))
		return -1;
	return 0;
}

static const struct op_syntax {
	const char *word;
	enum dl_kind kind;
	int (*parse)(struct parser *p, char **t, int n, struct dl_op *op);
} op_syntax[] = {
	{ "ioas", DL_IOAS, parse_ioas },
	{ "reserve", DL_RESERVE, parse_reserve },
	{ "mockdev", DL_MOCKDEV, parse_mockdev },
	{ "allow", DL_ALLOW, parse_allow },
	{ "ranges", DL_RANGES, parse_ranges },
	{ "map", DL_MAP, parse_map },
	{ "mapflags", DL_MAP, parse_mapflags },
	{ "unmap", DL_UNMAP, parse_unmap },
	{ "copy", DL_COPY, parse_copy },
	{ "destroy", DL_DESTROY, parse_destroy },
	{ "type1", DL_TYPE1, parse_type1 },
	{ "t1map", DL_T1MAP, parse_t1map },
	{ "t1mapflags", DL_T1MAP, parse_t1mapflags },
	{ "t1unmap", DL_T1UNMAP, parse_t1unmap },
	{ "t1unmapflags", DL_T1UNMAP, parse_t1unmapflags },
	{ "t1info", DL_T1INFO, parse_t1info },
	{ "window", DL_WINDOW, parse_window },
	{ "need", DL_NEED, parse_need },
	{ "container", DL_CONTAINER, parse_container },
	{ "group", DL_GROUP, parse_group },
	{ "ungroup", DL_UNGROUP, parse_ungroup },
	{ "setiommu", DL_SETIOMMU, parse_setiommu },
	{ "vmap", DL_VMAP, parse_vmap },
	{ "vmapflags", DL_VMAP, parse_vmapflags },
	{ "vunmap", DL_VUNMAP, parse_vunmap },
	{ "vunmapflags", DL_VUNMAP, parse_vunmapflags },
	{ "vinfo", DL_VINFO, parse_vinfo },
	{ "vcheck", DL_VCHECK, parse_vcheck },
	{ "limit", DL_LIMIT, parse_limit },
};

static struct dl_op *new_op(struct parser *p)
{
	struct dl_script *s = p->s;
	struct dl_op *op;

	if (s->nr_ops == s->cap_ops) {
		size_t cap = s->cap_ops ? s->cap_ops * 2 : 64;
		struct dl_op *ops = realloc(s->ops, cap * sizeof(*ops));

		if (!ops)
			return NULL;
		s->ops = ops;
		s->cap_ops = cap;
	}
	op = &s->ops[s->nr_ops++];
	memset(op, 0, sizeof(*op));
	op->obj = op->obj2 = -1;
	op->line = p->line;
	return op;
}

static int parse_line(struct parser *p, char *line)
{
	char *tok[MAX_TOKENS], *hash, *save = NULL, *w;
	const struct op_syntax *syn = NULL;
	struct dl_op *op;
	int n = 0;
	size_t i;

	hash = strchr(line, '#');
	if (hash)
		*hash = '\0';
	for (w = strtok_r(line, " \t\r\n", &save); w;
	     w = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == MAX_TOKENS)
			return script_perr(p, "too many words (max %d)", MAX_TOKENS);
		tok[n++] = w;
	}
	if (!n)
		return 0;
	for (i = 0; i < sizeof(op_syntax) / sizeof(op_syntax[0]); i++)
		if (!strcmp(tok[0], op_syntax[i].word))
			syn = &op_syntax[i];
	if (!syn)
		return script_perr(p, "unknown op '%s'", tok[0]);
	op = new_op(p);
	if (!op)
		return script_perr(p, "out of memory");
	op->kind = syn->kind;
	op->word = syn->word;
	return syn->parse(p, tok + 1, n - 1, op);
}

/*
 * Read one line of f into buf (room for DL_MAX_LINE bytes and a NUL),
 * never more: 1 with a line, 0 at the end of the file, -EFBIG on a line
 * longer than DL_MAX_LINE bytes, -EILSEQ on a NUL byte, -EIO on a read error
 */
static int read_line(FILE *f, char *buf)
{
	size_t n = 0;
	int ch;

	while ((ch = getc(f)) != EOF) {
		if (n == DL_MAX_LINE)
			return -EFBIG;
		if (!ch)
			return -EILSEQ;
		buf[n++] = ch;
		if (ch == '\n')
			break;
	}
	buf[n] = '\0';
	if (ferror(f))
		return -EIO;
	return n ? 1 : 0;
}

static int read_error(struct parser *p, int e)
{
	switch (e) {
	case -EFBIG:
		return script_perr(p, "line longer than %d bytes", DL_MAX_LINE);
	case -EILSEQ:
		return script_perr(p, "NUL byte in the line (not a text file?)");
	default:
		return script_perr(p, "read error: %s", strerror(-e));
	}
}

int dl_script_parse(FILE *f, const char *fname, struct dl_script *s,
		    char *err, size_t errlen)
{
	struct parser p = { .s = s, .fname = fname, .err = err,
			    .errlen = errlen };
	char *line = malloc(DL_MAX_LINE + 1);
	int rc = 0, r;

	if (!line) {
		snprintf(err, errlen, "%s: out of memory", fname);
		return -1;
	}
	for (;;) {
		p.line++;
		r = read_line(f, line);
		if (r <= 0) {
			rc = r ? read_error(&p, r) : 0;
			break;
		}
		rc = parse_line(&p, line);
		if (rc)
			break;
	}
	free(line);
	return rc;
}

void dl_script_free(struct dl_script *s)
{
	size_t i;

	for (i = 0; i < s->nr_ops; i++) {
		free(s->ops[i].ranges);
		free(s->ops[i].layout);
	}
	free(s->ops);
	s->ops = NULL;
	s->nr_ops = s->cap_ops = 0;
}
