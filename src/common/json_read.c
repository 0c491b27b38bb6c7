// SPDX-License-Identifier: GPL-2.0
/* A small recursive-descent JSON reader; see json_read.h */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/json_read.h"

struct jr {
	const char *s;
	size_t len, pos;
	int depth;
	char *err;
	size_t err_sz;
	int rc;			/* first error: -EINVAL or -ENOMEM */
};

static int jr_fail(struct jr *p, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int jr_fail(struct jr *p, int rc, const char *fmt, ...)
{
	size_t i, line = 1, col = 1, off;
	va_list ap;

	if (p->rc)
		return p->rc;
	p->rc = rc;
	for (i = 0; i < p->pos && i < p->len; i++) {
		if (p->s[i] == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	if (!p->err || !p->err_sz)
		return rc;
	off = snprintf(p->err, p->err_sz, "line %zu col %zu: ", line, col);
	if (off < p->err_sz) {
		va_start(ap, fmt);
		vsnprintf(p->err + off, p->err_sz - off, fmt, ap);
		va_end(ap);
	}
	return rc;
}

static void jr_ws(struct jr *p)
{
	while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' ||
				   p->s[p->pos] == '\n' || p->s[p->pos] == '\r'))
		p->pos++;
}

static int jr_peek(struct jr *p)
{
	return p->pos < p->len ? (unsigned char)p->s[p->pos] : -1;
}

static const char *jr_what(struct jr *p)
{
	return p->pos < p->len ? "unexpected character" : "unexpected end of input";
}

static int jr_value(struct jr *p, struct jv *v);

static int jr_literal(struct jr *p, const char *word)
{
	size_t n = strlen(word);

	if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n))
		return jr_fail(p, -EINVAL, "invalid literal");
	p->pos += n;
	return 0;
}

static int jr_digits(struct jr *p)
{
	size_t start = p->pos;

	while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9')
		p->pos++;
	return p->pos > start;
}

static int jr_number(struct jr *p, struct jv *v)
{
	size_t start = p->pos;
	char buf[64];

	if (jr_peek(p) == '-')
		p->pos++;
	if (jr_peek(p) == '0')
		p->pos++;
	else if (!jr_digits(p))
		return jr_fail(p, -EINVAL, "invalid number");
	if (jr_peek(p) == '.') {
		p->pos++;
		if (!jr_digits(p))
			return jr_fail(p, -EINVAL, "invalid number");
	}
	if (jr_peek(p) == 'e' || jr_peek(p) == 'E') {
		p->pos++;
		if (jr_peek(p) == '+' || jr_peek(p) == '-')
			p->pos++;
		if (!jr_digits(p))
			return jr_fail(p, -EINVAL, "invalid number");
	}
	if (p->pos - start >= sizeof(buf))
		return jr_fail(p, -EINVAL, "number too long");
	memcpy(buf, p->s + start, p->pos - start);
	buf[p->pos - start] = '\0';
	v->type = JV_NUM;
	v->num = strtod(buf, NULL);
	return 0;
}

static int jr_hex4(struct jr *p, unsigned int *cp)
{
	unsigned int i, c = 0;

	if (p->len - p->pos < 4)
		return jr_fail(p, -EINVAL, "short \\u escape");
	for (i = 0; i < 4; i++) {
		char h = p->s[p->pos++];

		c <<= 4;
		if (h >= '0' && h <= '9')
			c |= h - '0';
		else if (h >= 'a' && h <= 'f')
			c |= h - 'a' + 10;
		else if (h >= 'A' && h <= 'F')
			c |= h - 'A' + 10;
		else
			return jr_fail(p, -EINVAL, "bad \\u escape");
	}
	*cp = c;
	return 0;
}

/* A \uXXXX escape (and its low surrogate) as UTF-8 into out; returns bytes */
static int jr_unicode(struct jr *p, char *out)
{
	unsigned int c, lo;

	if (jr_hex4(p, &c))
		return -1;
	if (c >= 0xdc00 && c <= 0xdfff)
		return jr_fail(p, -EINVAL, "lone low surrogate"), -1;
	if (c >= 0xd800 && c <= 0xdbff) {
		if (p->len - p->pos < 2 || p->s[p->pos] != '\\' ||
		    p->s[p->pos + 1] != 'u')
			return jr_fail(p, -EINVAL, "lone high surrogate"), -1;
		p->pos += 2;
		if (jr_hex4(p, &lo))
			return -1;
		if (lo < 0xdc00 || lo > 0xdfff)
			return jr_fail(p, -EINVAL, "bad surrogate pair"), -1;
		c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
	}
	if (!c)
		return jr_fail(p, -EINVAL, "\\u0000 not supported"), -1;
	if (c < 0x80) {
		out[0] = c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = 0xc0 | (c >> 6);
		out[1] = 0x80 | (c & 0x3f);
		return 2;
	}
	if (c < 0x10000) {
		out[0] = 0xe0 | (c >> 12);
		out[1] = 0x80 | ((c >> 6) & 0x3f);
		out[2] = 0x80 | (c & 0x3f);
		return 3;
	}
	out[0] = 0xf0 | (c >> 18);
	out[1] = 0x80 | ((c >> 12) & 0x3f);
	out[2] = 0x80 | ((c >> 6) & 0x3f);
	out[3] = 0x80 | (c & 0x3f);
	return 4;
}

static int jr_escape(struct jr *p, char *out)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *e;

	if (p->pos >= p->len)
		return jr_fail(p, -EINVAL, "unterminated string"), -1;
	if (p->s[p->pos] == 'u') {
		p->pos++;
		return jr_unicode(p, out);
	}
	e = memchr(from, p->s[p->pos], sizeof(from) - 1);
	if (!e)
		return jr_fail(p, -EINVAL, "bad escape"), -1;
	p->pos++;
	out[0] = to[e - from];
	return 1;
}

/* A string at p->pos (on the opening quote) into a new C string */
static int jr_string(struct jr *p, char **out)
{
	size_t cap = 16, n = 0;
	char *s = malloc(cap);

	if (!s)
		return jr_fail(p, -ENOMEM, "out of memory");
	p->pos++;
	for (;;) {
		int c = jr_peek(p), k;

		if (n + 4 >= cap) {
			char *t = realloc(s, cap * 2);

			if (!t) {
				free(s);
				return jr_fail(p, -ENOMEM, "out of memory");
			}
			s = t;
			cap *= 2;
		}
		if (c < 0 || c < 0x20) {
			free(s);
			return jr_fail(p, -EINVAL, c < 0 ? "unterminated string" :
					"control character in string");
		}
		p->pos++;
		if (c == '"')
			break;
		if (c != '\\') {
			s[n++] = c;
			continue;
		}
		k = jr_escape(p, s + n);
		if (k < 0) {
			free(s);
			return p->rc;
		}
		n += k;
	}
	s[n] = '\0';
	*out = s;
	return 0;
}

/* Append a zeroed child to v (and a key slot for objects) */
static struct jv *jr_child(struct jr *p, struct jv *v)
{
	struct jv *items;
	char **keys;

	/* capacity: 4, then doubled whenever n reaches a power of two */
	if (!v->n || (v->n >= 4 && !(v->n & (v->n - 1)))) {
		size_t cap = v->n ? v->n * 2 : 4;

		items = realloc(v->items, cap * sizeof(*items));
		if (!items)
			return jr_fail(p, -ENOMEM, "out of memory"), NULL;
		v->items = items;
		if (v->type == JV_OBJ) {
			keys = realloc(v->keys, cap * sizeof(*keys));
			if (!keys)
				return jr_fail(p, -ENOMEM, "out of memory"), NULL;
			v->keys = keys;
		}
	}
	memset(&v->items[v->n], 0, sizeof(v->items[0]));
	if (v->type == JV_OBJ)
		v->keys[v->n] = NULL;
	return &v->items[v->n++];
}

static int jr_container(struct jr *p, struct jv *v, char close)
{
	int c;

	p->pos++;
	jr_ws(p);
	if (jr_peek(p) == close) {
		p->pos++;
		return 0;
	}
	for (;;) {
		struct jv *child = jr_child(p, v);

		if (!child)
			return p->rc;
		jr_ws(p);
		if (close == '}') {
			if (jr_peek(p) != '"')
				return jr_fail(p, -EINVAL, "expected a key string");
			if (jr_string(p, &v->keys[v->n - 1]))
				return p->rc;
			jr_ws(p);
			if (jr_peek(p) != ':')
				return jr_fail(p, -EINVAL, "expected ':'");
			p->pos++;
		}
		if (jr_value(p, child))
			return p->rc;
		jr_ws(p);
		c = jr_peek(p);
		p->pos++;
		if (c == close)
			return 0;
		if (c != ',') {
			p->pos--;
			return jr_fail(p, -EINVAL, "expected ',' or '%c'", close);
		}
	}
}

static int jr_value(struct jr *p, struct jv *v)
{
	int c, rc;

	jr_ws(p);
	c = jr_peek(p);
	switch (c) {
	case '{':
	case '[':
		if (++p->depth > JSON_READ_MAX_DEPTH)
			return jr_fail(p, -EINVAL, "nested deeper than %d",
				       JSON_READ_MAX_DEPTH);
		v->type = c == '{' ? JV_OBJ : JV_ARR;
		rc = jr_container(p, v, c == '{' ? '}' : ']');
		p->depth--;
		return rc;
	case '"':
		v->type = JV_STR;
		return jr_string(p, &v->str);
	case 't':
		v->type = JV_BOOL;
		v->boolean = 1;
		return jr_literal(p, "true");
	case 'f':
		v->type = JV_BOOL;
		return jr_literal(p, "false");
	case 'n':
		v->type = JV_NULL;
		return jr_literal(p, "null");
	default:
		if (c == '-' || (c >= '0' && c <= '9'))
			return jr_number(p, v);
		return jr_fail(p, -EINVAL, "%s", jr_what(p));
	}
}

int jv_parse(const char *text, size_t len, struct jv *out, char *err,
	     size_t err_sz)
{
	struct jr p = { .s = text, .len = len, .err = err, .err_sz = err_sz };

	memset(out, 0, sizeof(*out));
	if (err && err_sz)
		err[0] = '\0';
	if (!jr_value(&p, out)) {
		jr_ws(&p);
		if (p.pos < p.len)
			jr_fail(&p, -EINVAL, "trailing data after the value");
	}
	if (p.rc)
		jv_free(out);
	return p.rc;
}

void jv_free(struct jv *v)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < v->n; i++) {
		jv_free(&v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->str);
	memset(v, 0, sizeof(*v));
}

const struct jv *jv_get(const struct jv *obj, const char *key)
{
	size_t i;

	if (!obj || obj->type != JV_OBJ)
		return NULL;
	for (i = 0; i < obj->n; i++)
		if (obj->keys[i] && !strcmp(obj->keys[i], key))
			return &obj->items[i];
	return NULL;
}
