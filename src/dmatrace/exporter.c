// SPDX-License-Identifier: GPL-2.0
/*
 * `dmatrace exporter`: a long-running session that serves /metrics over
 * HTTP (libmicrohttpd, driven from the main loop: no threads, so a scrape
 * and the ring buffer never touch the view at once) and/or writes the
 * Prometheus text to a node_exporter textfile every interval. The
 * histograms are never cleared: every family is cumulative since start.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <microhttpd.h>

#include "cli.h"
#include "exporter.h"
#include "session.h"

#define CT_PROM	"text/plain; version=0.0.4; charset=utf-8"
#define CT_OM	"application/openmetrics-text; version=1.0.0; charset=utf-8"

struct exporter {
	struct session s;
	const struct cli *c;
	unsigned long long scrapes;
};

/* The exposition in a malloc'd buffer (*buf, *len); 0 or -errno */
static int render(struct exporter *x, bool om, char **buf, size_t *len)
{
	struct exporter_bound b;
	char *raw = NULL;
	size_t rawlen = 0;
	FILE *f;
	int e;

	e = tracer_collect(x->s.t);
	if (e)
		return e;
	f = open_memstream(&raw, &rawlen);
	if (!f)
		return -errno;
	e = om ? view_write_openmetrics(x->s.view, &x->c->view, f) :
		 view_write_prometheus(x->s.view, &x->c->view, f);
	if (fclose(f) && !e)
		e = -ENOMEM;
	if (e) {
		free(raw);
		return e;
	}
	b.max_series = x->c->max_series;
	e = exporter_bound_series(raw, rawlen, om, &b, buf, len);
	free(raw);
	return e;
}

/* Does the Accept header ask for OpenMetrics? */
bool exporter_wants_openmetrics(const char *accept)
{
	return accept && strstr(accept, "application/openmetrics-text");
}

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned int status,
			     const char *type, char *body, size_t len,
			     enum MHD_ResponseMemoryMode mode)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(len, body, mode);
	if (!r) {
		if (mode == MHD_RESPMEM_MUST_FREE)
			free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **req)
{
	static const char index[] =
		"<html><head><title>dmatrace exporter</title></head><body>"
		"<h1>dmatrace exporter</h1><p><a href=\"/metrics\">Metrics</a></p>"
		"</body></html>\n";
	struct exporter *x = cls;
	const char *accept;
	char *body;
	size_t len;
	bool om;
	int e;

	(void)version;
	(void)upload;
	(void)upload_size;
	if (strcmp(method, "GET") && strcmp(method, "HEAD"))
		return reply(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain",
			     "GET /metrics\n", 13, MHD_RESPMEM_PERSISTENT);
	if (!*req) {		/* headers only so far: answer on the next call */
		*req = (void *)1;
		return MHD_YES;
	}
	if (!strcmp(url, "/"))
		return reply(conn, MHD_HTTP_OK, "text/html", (char *)index,
			     sizeof(index) - 1, MHD_RESPMEM_PERSISTENT);
	if (strcmp(url, "/metrics"))
		return reply(conn, MHD_HTTP_NOT_FOUND, "text/plain",
			     "not found: GET /metrics\n", 24,
			     MHD_RESPMEM_PERSISTENT);
	accept = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
					     MHD_HTTP_HEADER_ACCEPT);
	om = exporter_wants_openmetrics(accept);
	e = render(x, om, &body, &len);
	if (e) {
		fprintf(stderr, "dmatrace: exporter: reading the maps: %s\n",
			strerror(-e));
		return reply(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "text/plain",
			     "dmatrace: reading the maps failed\n", 34,
			     MHD_RESPMEM_PERSISTENT);
	}
	x->scrapes++;
	return reply(conn, MHD_HTTP_OK, om ? CT_OM : CT_PROM, body, len,
		     MHD_RESPMEM_MUST_FREE);
}

/*
 * The Prometheus text to PATH atomically: PATH.tmp in the same directory,
 * fsync, rename over PATH. 0 or -errno.
 */
static int write_textfile(struct exporter *x, const char *path)
{
	char tmp[4096];
	char *buf;
	size_t len, off = 0;
	int fd, e;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	e = render(x, false, &buf, &len);
	if (e)
		return e;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		e = -errno;
		free(buf);
		return e;
	}
	while (off < len) {
		ssize_t n = write(fd, buf + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			e = -errno;
			break;
		}
		off += n;
	}
	free(buf);
	if (!e && fsync(fd))
		e = -errno;
	if (close(fd) && !e)
		e = -errno;
	if (!e && rename(tmp, path))
		e = -errno;
	if (e)
		unlink(tmp);
	return e;
}

static struct MHD_Daemon *start_http(struct exporter *x)
{
	struct sockaddr_storage ss;
	unsigned int flags = 0;	/* no MHD_USE_ERROR_LOG: our one line says it */
	char err[512];

	if (exporter_parse_listen(x->c->listen, &ss, err, sizeof(err))) {
		fprintf(stderr, "dmatrace: %s\n", err);
		errno = EINVAL;
		return NULL;
	}
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	/* no threading flag: MHD_run() from our loop (external select) */
	return MHD_start_daemon(flags, 0, NULL, NULL, on_request, x,
				MHD_OPTION_SOCK_ADDR, &ss,
				MHD_OPTION_CONNECTION_LIMIT, 64u,
				MHD_OPTION_CONNECTION_TIMEOUT, 10u,
				MHD_OPTION_END);
}

int run_exporter(const struct cli *c)
{
	struct exporter x = { .c = c };
	struct MHD_Daemon *d = NULL;
	struct timespec next;
	int e = 0, code = 0;

	session_signals();
	if (session_start(&x.s, c, true))
		return 1;
	if (c->listen) {
		d = start_http(&x);
		if (!d) {
			fprintf(stderr, "dmatrace: exporter: cannot listen on %s: %s\n",
				c->listen, strerror(errno ? errno : EADDRINUSE));
			session_stop(&x.s);
			return 1;
		}
		fprintf(stderr, "dmatrace: exporter: serving http://%s/metrics\n",
			c->listen);
	}
	if (c->textfile)
		fprintf(stderr, "dmatrace: exporter: writing %s every %d s\n",
			c->textfile, c->interval);
	/* stderr: scripts wait for it to know probes are live */
	fprintf(stderr, "Tracing DMA mapping... SIGTERM or Ctrl-C to end.\n");
	clock_gettime(CLOCK_MONOTONIC, &next);
	while (!session_interrupted()) {
		tracer_poll(x.s.t, d ? 20 : 100);
		if (d)
			MHD_run(d);
		if (!c->textfile || !session_deadline_passed(&next))
			continue;
		e = write_textfile(&x, c->textfile);
		if (e) {
			fprintf(stderr, "dmatrace: exporter: writing %s: %s\n",
				c->textfile, strerror(-e));
			code = 1;
			break;
		}
		next.tv_sec += c->interval;
	}
	if (d)
		MHD_stop_daemon(d);
	session_stop(&x.s);	/* links destroyed */
	fprintf(stderr, "dmatrace: exporter: stopped after %llu scrapes\n",
		x.scrapes);
	return code;
}
