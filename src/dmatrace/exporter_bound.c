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

struct dropped {
	char family[128];
	unsigned int n;
};

int exporter_bound_series(const char *in, size_t len, bool om,
			  const struct exporter_bound *b, char **out,
			  size_t *out_len)
{
	struct seen kept = {}, over = {};
	struct dropped *drops = NULL, *dd;
	unsigned int ndrops = 0, i;
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
				e = seen_find_add(&over, key, k, true, &found);
				if (e || found)
					continue;
				for (i = 0; i < ndrops; i++)
					if (!strcmp(drops[i].family, family))
						break;
				if (i == ndrops) {
					dd = realloc(drops, (ndrops + 1) * sizeof(*dd));
					if (!dd) {
						e = -ENOMEM;
						break;
					}
					drops = dd;
					snprintf(drops[ndrops].family,
						 sizeof(drops[ndrops].family),
						 "%s", family);
					drops[ndrops++].n = 0;
				}
				drops[i].n++;
				continue;
			}
		}
		fwrite(p, 1, n, f);
		fputc('\n', f);
	}
	fputs("# TYPE dmatrace_exporter_dropped_series gauge\n", f);
	fprintf(f, "# HELP dmatrace_exporter_dropped_series Series of the family left out of this scrape (--max-series %u).\n",
		b->max_series);
	for (i = 0; i < ndrops; i++)
		fprintf(f, "dmatrace_exporter_dropped_series{family=\"%s\"} %u\n",
			drops[i].family, drops[i].n);
	if (eof || om)
		fputs("# EOF\n", f);
	seen_clear(&kept);
	seen_clear(&over);
	free(kept.keys);
	free(over.keys);
	free(drops);
	if (fclose(f) && !e)
		e = -ENOMEM;
	if (e) {
		free(*out);
		*out = NULL;
	}
	return e;
}
