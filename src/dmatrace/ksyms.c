// SPDX-License-Identifier: GPL-2.0
/* Kernel symbol tables: see ksyms.h */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ksyms.h"

struct ksym {
	const char *name;
	const char *mod;	/* NULL: vmlinux */
};

struct ksyms {
	char *buf;		/* the file; names and modules point into it */
	struct ksym *syms;
	int nr, cap;
};

/* The whole file (procfs and tracefs files have no size) */
static int read_all(const char *path, char **out)
{
	size_t len = 0, cap = 1 << 20, n;
	char *buf = malloc(cap), *p;
	FILE *f = fopen(path, "r");
	int e = 0;

	if (!f || !buf) {
		e = f ? -ENOMEM : -errno;
		goto out;
	}
	while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (cap - len > 1)
			continue;
		p = realloc(buf, cap * 2);
		if (!p) {
			e = -ENOMEM;
			goto out;
		}
		buf = p;
		cap *= 2;
	}
	if (ferror(f))
		e = -EIO;
	buf[len] = '\0';
out:
	if (f)
		fclose(f);
	if (e)
		free(buf);
	else
		*out = buf;
	return e;
}

static int ksyms_add(struct ksyms *k, const char *name, const char *mod)
{
	struct ksym *s;

	if (k->nr == k->cap) {
		k->cap = k->cap ? k->cap * 2 : 4096;
		s = realloc(k->syms, k->cap * sizeof(*s));
		if (!s)
			return -ENOMEM;
		k->syms = s;
	}
	k->syms[k->nr].name = name;
	k->syms[k->nr++].mod = mod;
	return 0;
}

/* Split line into words in place; returns how many (at most max) */
static int split(char *line, char **w, int max)
{
	int n = 0;
	char *save, *tok;

	for (tok = strtok_r(line, " \t", &save); tok && n < max;
	     tok = strtok_r(NULL, " \t", &save))
		w[n++] = tok;
	return n;
}

/* "[iommufd]" -> "iommufd" (in place), anything else NULL */
static const char *module_of(char *word)
{
	size_t n = word ? strlen(word) : 0;

	if (n < 3 || word[0] != '[' || word[n - 1] != ']')
		return NULL;
	word[n - 1] = '\0';
	return word + 1;
}

static int parse_line(struct ksyms *k, char *line, enum ksyms_format fmt)
{
	char *w[4] = {};
	int n = split(line, w, 4);

	if (fmt == KSYMS_FILTER)
		return n ? ksyms_add(k, w[0], module_of(w[1])) : 0;
	if (n < 3 || (w[1][0] != 't' && w[1][0] != 'T') || w[1][1])
		return 0;
	return ksyms_add(k, w[2], module_of(w[3]));
}

static int cmp_sym(const void *a, const void *b)
{
	return strcmp(((const struct ksym *)a)->name,
		      ((const struct ksym *)b)->name);
}

int ksyms_load(struct ksyms **out, const char *path, enum ksyms_format fmt)
{
	struct ksyms *k = calloc(1, sizeof(*k));
	char *line, *save;
	int e;

	if (!k)
		return -ENOMEM;
	e = read_all(path, &k->buf);
	for (line = e ? NULL : strtok_r(k->buf, "\n", &save); line && !e;
	     line = strtok_r(NULL, "\n", &save))
		e = parse_line(k, line, fmt);
	if (e) {
		ksyms_free(k);
		return e;
	}
	qsort(k->syms, k->nr, sizeof(*k->syms), cmp_sym);
	*out = k;
	return 0;
}

int ksyms_load_filter_functions(struct ksyms **out)
{
	int e = ksyms_load(out, "/sys/kernel/tracing/available_filter_functions",
			   KSYMS_FILTER);

	if (e)
		e = ksyms_load(out,
			"/sys/kernel/debug/tracing/available_filter_functions",
			KSYMS_FILTER);
	return e;
}

void ksyms_free(struct ksyms *k)
{
	if (!k)
		return;
	free(k->syms);
	free(k->buf);
	free(k);
}

bool ksyms_find(const struct ksyms *k, const char *name, const char **mod)
{
	struct ksym key = { .name = name }, *s;

	if (!k)
		return false;
	s = bsearch(&key, k->syms, k->nr, sizeof(*k->syms), cmp_sym);
	if (s && mod)
		*mod = s->mod;
	return s;
}
