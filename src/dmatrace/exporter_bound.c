// SPDX-License-Identifier: GPL-2.0
/* The exporter's --listen address and its bound on series per family */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exporter.h"

int exporter_parse_listen(const char *s, struct sockaddr_storage *ss,
			  char *err, size_t err_sz)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_NUMERICSERV | AI_PASSIVE };
	struct addrinfo *res;
	char host[256];
	const char *colon, *port, *h = host;
	unsigned long p;
	char *end;
	int r;

	colon = strrchr(s, ':');
	if (!colon || colon - s >= (long)sizeof(host)) {
		snprintf(err, err_sz, "bad --listen '%s' (HOST:PORT, [V6]:PORT or :PORT)", s);
		return -EINVAL;
	}
	port = colon + 1;
	errno = 0;
	p = strtoul(port, &end, 10);
	if (!*port || *end || errno || !p || p > 65535 || *port == '-' || *port == '+') {
		snprintf(err, err_sz, "bad --listen '%s': port '%s' is not 1-65535", s, port);
		return -EINVAL;
	}
	memcpy(host, s, colon - s);
	host[colon - s] = 0;
	if (host[0] == '[') {
		size_t n = strlen(host);

		if (n < 3 || host[n - 1] != ']') {
			snprintf(err, err_sz, "bad --listen '%s' ([V6]:PORT)", s);
			return -EINVAL;
		}
		host[n - 1] = 0;
		h = host + 1;
		hints.ai_family = AF_INET6;
		hints.ai_flags |= AI_NUMERICHOST;
	} else {
		if (strchr(host, ':')) {
			snprintf(err, err_sz, "bad --listen '%s' (an IPv6 address goes in brackets: [V6]:PORT)", s);
			return -EINVAL;
		}
		hints.ai_family = AF_INET;
	}
	r = getaddrinfo(*h ? h : NULL, port, &hints, &res);
	if (r) {
		snprintf(err, err_sz, "bad --listen '%s': %s", s, gai_strerror(r));
		return -EINVAL;
	}
	memset(ss, 0, sizeof(*ss));
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	return 0;
}

struct seen {
	char **keys;
	unsigned int n, cap;
};

static int seen_find_add(struct seen *s, const char *key, size_t klen,
			 bool add, bool *found)
{
	unsigned int i;
	char **k;

	for (i = 0; i < s->n; i++)
		if (strlen(s->keys[i]) == klen && !memcmp(s->keys[i], key, klen)) {
			*found = true;
			return 0;
		}
	*found = false;
	if (!add)
		return 0;
	if (s->n == s->cap) {
		k = realloc(s->keys, (s->cap ? s->cap * 2 : 16) * sizeof(*k));
		if (!k)
			return -ENOMEM;
		s->keys = k;
		s->cap = s->cap ? s->cap * 2 : 16;
	}
	s->keys[s->n] = strndup(key, klen);
	if (!s->keys[s->n])
		return -ENOMEM;
	s->n++;
	return 0;
}

static void seen_clear(struct seen *s)
{
	while (s->n)
		free(s->keys[--s->n]);
}

/* The labels of a sample line without le="...": the series it is of */
static size_t series_key(const char *line, size_t n, char *key, size_t sz)
{
	const char *lb = memchr(line, '{', n), *p, *q, *end;
	size_t k = 0;

	if (!lb)
		return 0;
	end = line + n;
	for (p = lb + 1; p < end && *p != '}';) {
		/* one label: name="value" with escapes, then , or } */
		q = p;
		while (q < end && *q != '"')
			q++;
		for (q++; q < end && *q != '"'; q++)
			if (*q == '\\')
				q++;
		q++;
		if (strncmp(p, "le=", 3) && k + (q - p) + 1 < sz) {
			memcpy(key + k, p, q - p);
			k += q - p;
			key[k++] = ',';
		}
		p = q < end && *q == ',' ? q + 1 : q;
	}
	return k;
}

/* The samples folded into a family's "other" series: one per name and le */
struct fold_sample {
	char name[128];
	char le[32];		/* "" when the sample has none */
	unsigned long long v;	/* in units of 1e-9: exact for our decimals */
	bool frac;		/* a value had a fraction: print as decimal */
};

struct fold {
	char family[128];
	char labels[512];	/* every label of the first folded series ="other" */
	struct fold_sample *s;
	unsigned int n, series;
};

struct folded {			/* per family, for dmatrace_exporter_folded_series */
	char family[128];
	unsigned int n;
};

/* name="other",... for every label of the line but le */
static void other_labels(const char *line, size_t n, char *out, size_t sz)
{
	const char *lb = memchr(line, '{', n), *p, *q, *end = line + n;
	size_t k = 0;

	out[0] = 0;
	if (!lb)
		return;
	for (p = lb + 1; p < end && *p != '}';) {
		const char *eq = memchr(p, '=', end - p);

		if (!eq)
			break;
		q = eq + 1;
		for (q++; q < end && *q != '"'; q++)
			if (*q == '\\')
				q++;
		q++;
		if (strncmp(p, "le=", 3) && k + (eq - p) + 10 < sz)
			k += snprintf(out + k, sz - k, "%s%.*s=\"other\"",
				      k ? "," : "", (int)(eq - p), p);
		p = q < end && *q == ',' ? q + 1 : q;
	}
}

/*
 * A sample value as the writers print it (an integer, or seconds with at
 * most 9 decimals) times 1e9, exactly; *frac set when it had decimals
 */
static unsigned long long nanos(const char *p, const char *end, bool *frac)
{
	unsigned long long v = 0, scale = 1000000000ULL;

	for (; p < end && *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (*p - '0');
	v *= scale;
	if (p < end && *p == '.') {
		*frac = true;
		for (p++; p < end && *p >= '0' && *p <= '9' && scale > 1; p++) {
			scale /= 10;
			v += (*p - '0') * scale;
		}
	}
	return v;
}

/* Add a sample line to the family's "other" series */
static int fold_add(struct fold *f, const char *line, size_t n)
{
	const char *name_end = line, *le, *val, *end = line + n;
	struct fold_sample *s;
	char lev[32] = "";
	unsigned int i;
	size_t nl;

	while (name_end < end && *name_end != '{' && *name_end != ' ')
		name_end++;
	nl = name_end - line;
	if (nl >= sizeof(s->name))
		nl = sizeof(s->name) - 1;
	le = memmem(line, n, ",le=\"", 5);
	if (!le)
		le = memmem(line, n, "{le=\"", 5);
	if (le) {
		const char *q = memchr(le + 5, '"', end - le - 5);

		if (q && q - le - 5 < (long)sizeof(lev))
			snprintf(lev, sizeof(lev), "%.*s", (int)(q - le - 5), le + 5);
	}
	val = end;
	while (val > line && val[-1] != ' ')
		val--;
	if (!f->labels[0])
		other_labels(line, n, f->labels, sizeof(f->labels));
	for (i = 0; i < f->n; i++)
		if (strlen(f->s[i].name) == nl && !memcmp(f->s[i].name, line, nl) &&
		    !strcmp(f->s[i].le, lev))
			break;
	if (i == f->n) {
		s = realloc(f->s, (f->n + 1) * sizeof(*s));
		if (!s)
			return -ENOMEM;
		f->s = s;
		memcpy(s[i].name, line, nl);
		s[i].name[nl] = 0;
		snprintf(s[i].le, sizeof(s[i].le), "%s", lev);
		s[i].v = 0;
		s[i].frac = false;
		f->n++;
	}
	f->s[i].v += nanos(val, end, &f->s[i].frac);
	return 0;
}

/* Print the family's "other" series, if any, and start afresh */
static void fold_flush(struct fold *f, FILE *out)
{
	unsigned int i;

	for (i = 0; i < f->n; i++) {
		fprintf(out, "%s{%s", f->s[i].name, f->labels);
		if (f->s[i].le[0])
			fprintf(out, "%sle=\"%s\"", f->labels[0] ? "," : "",
				f->s[i].le);
		if (f->s[i].frac)
			fprintf(out, "} %llu.%09llu\n", f->s[i].v / 1000000000ULL,
				f->s[i].v % 1000000000ULL);
		else
			fprintf(out, "} %llu\n", f->s[i].v / 1000000000ULL);
	}
	f->n = 0;
	f->labels[0] = 0;
}

static int folded_count(struct folded **fd, unsigned int *nfd,
			const char *family)
{
	struct folded *d;
	unsigned int i;

	for (i = 0; i < *nfd; i++)
		if (!strcmp((*fd)[i].family, family))
			break;
	if (i == *nfd) {
		d = realloc(*fd, (*nfd + 1) * sizeof(*d));
		if (!d)
			return -ENOMEM;
		*fd = d;
		snprintf(d[i].family, sizeof(d[i].family), "%s", family);
		d[i].n = 0;
		(*nfd)++;
	}
	(*fd)[i].n++;
	return 0;
}

int exporter_bound_series(const char *in, size_t len, bool om,
			  const struct exporter_bound *b, char **out,
			  size_t *out_len)
{
	struct seen kept = {}, over = {};
	struct fold fold = {};
	struct folded *fd = NULL;
	unsigned int nfd = 0, i;
	const char *p = in, *end = in + len, *nl;
	char family[128] = "", key[1024];
	size_t n, k;
	bool found, eof = false;
	FILE *f;
	int e = 0;

	f = open_memstream(out, out_len);
	if (!f)
		return -ENOMEM;
	for (; p < end && !e; p = nl + 1) {
		nl = memchr(p, '\n', end - p);
		if (!nl)
			nl = end;
		n = nl - p;
		if (n == 5 && !memcmp(p, "# EOF", 5)) {
			eof = true;
			continue;
		}
		if (n > 7 && !memcmp(p, "# TYPE ", 7)) {
			const char *sp = memchr(p + 7, ' ', n - 7);
			size_t fl = sp ? (size_t)(sp - p - 7) : n - 7;

			fold_flush(&fold, f);
			if (fl >= sizeof(family))
				fl = sizeof(family) - 1;
			memcpy(family, p + 7, fl);
			family[fl] = 0;
			seen_clear(&kept);
			seen_clear(&over);
		}
		if (*p != '#' && b->max_series) {
			k = series_key(p, n, key, sizeof(key));
			e = seen_find_add(&kept, key, k, false, &found);
			if (!e && !found && kept.n < b->max_series) {
				e = seen_find_add(&kept, key, k, true, &found);
				found = true;
			}
			if (!e && !found) {
				/* past the bound: into "other", counted once */
				e = seen_find_add(&over, key, k, true, &found);
				if (!e && !found)
					e = folded_count(&fd, &nfd, family);
				if (!e)
					e = fold_add(&fold, p, n);
				continue;
			}
		}
		fwrite(p, 1, n, f);
		fputc('\n', f);
	}
	fold_flush(&fold, f);
	fputs("# TYPE dmatrace_exporter_folded_series gauge\n", f);
	fprintf(f, "# HELP dmatrace_exporter_folded_series Series of the family past --max-series %u in this scrape, summed into one series whose labels are \"other\".\n",
		b->max_series);
	for (i = 0; i < nfd; i++)
		fprintf(f, "dmatrace_exporter_folded_series{family=\"%s\"} %u\n",
			fd[i].family, fd[i].n);
	if (eof || om)
		fputs("# EOF\n", f);
	seen_clear(&kept);
	seen_clear(&over);
	free(kept.keys);
	free(over.keys);
	free(fold.s);
	free(fd);
	if (fclose(f) && !e)
		e = -ENOMEM;
	if (e) {
		free(*out);
		*out = NULL;
	}
	return e;
}
