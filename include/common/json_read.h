/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small JSON reader: parses a whole text into a tree. Strict RFC 8259
 * grammar, nesting limited to JSON_READ_MAX_DEPTH, no "\u0000" in strings
 * (values are C strings). Errors say where: "line 3 col 7: expected ':'".
 */
#ifndef DMATRACE_JSON_READ_H
#define DMATRACE_JSON_READ_H

#include <stddef.h>

#define JSON_READ_MAX_DEPTH	64
#define JSON_READ_ERR_MAX	128

enum jv_type { JV_NULL, JV_BOOL, JV_NUM, JV_STR, JV_ARR, JV_OBJ };

struct jv {
	enum jv_type type;
	int boolean;
	double num;
	char *str;		/* JV_STR */
	struct jv *items;	/* JV_ARR, JV_OBJ: the values */
	char **keys;		/* JV_OBJ: the keys, items[i] is keys[i]'s */
	size_t n;
};

/* 0, or -EINVAL with a message in err; -ENOMEM. *out is freed on error */
int jv_parse(const char *text, size_t len, struct jv *out, char *err,
	     size_t err_sz);
void jv_free(struct jv *v);
/* The value of key in an object (first one); NULL if absent or not object */
const struct jv *jv_get(const struct jv *obj, const char *key);

#endif /* DMATRACE_JSON_READ_H */
