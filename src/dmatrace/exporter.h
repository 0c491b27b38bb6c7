/* SPDX-License-Identifier: GPL-2.0 */
/* `dmatrace exporter`: /metrics over HTTP, node_exporter textfile */
#ifndef DMATRACE_EXPORTER_H
#define DMATRACE_EXPORTER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

/* --max-series: series kept per metric family when none is given */
#define EXPORTER_MAX_SERIES_DEFAULT	200
/* --listen when neither it nor --textfile is given */
#define EXPORTER_LISTEN_DEFAULT		"127.0.0.1:9464"
/* --textfile's interval when none is given, seconds */
#define EXPORTER_INTERVAL_DEFAULT	15

/*
 * HOST:PORT (an IPv4 address or a name that resolves to one), [V6]:PORT
 * or :PORT (every IPv4 address): 0 and *ss, or -EINVAL with a reason in err
 */
int exporter_parse_listen(const char *s, struct sockaddr_storage *ss,
			  char *err, size_t err_sz);

struct exporter_bound {
	unsigned int max_series;	/* per family; 0: no bound */
};

/*
 * Copy the exposition in (len bytes, OpenMetrics when om) to a malloc'd
 * *out, keeping at most b->max_series series (label sets, le aside) per
 * family; the samples of the others are summed into one more series whose
 * labels (le aside) are all "other", and the series so folded counted in
 * dmatrace_exporter_folded_series{family}. 0 or -ENOMEM.
 */
int exporter_bound_series(const char *in, size_t len, bool om,
			  const struct exporter_bound *b, char **out,
			  size_t *out_len);

bool exporter_wants_openmetrics(const char *accept);

#endif /* DMATRACE_EXPORTER_H */
