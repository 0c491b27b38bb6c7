// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the view library. The first byte picks what the
 * rest is: even, a JSON text for the reader and the record checks of
 * `dmatrace diff`;
 * odd, a stream of struct dt_event records and latency keys fed to a view,
 * then every renderer run into /dev/null. (make fuzz-view)
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "common/json.h"
#include "common/json_read.h"
#include "view/view_priv.h"

static FILE *devnull;

static void fuzz_json(const uint8_t *d, size_t n)
{
	char err[JSON_READ_ERR_MAX];
	struct jv v;

	if (!jv_parse((const char *)d, n, &v, err, sizeof(err)))
		jv_free(&v);
	view_diff_check_record((const char *)d, n, err, sizeof(err));
}

/* Usage and one live area of an IOAS, from the bytes of a latency key */
static void fuzz_area(struct dt_view *v, const struct dt_lat_key *k,
		      uint8_t b)
{
	struct dt_ioas_usage u = { .mapped_bytes = (__u64)k->err << 12,
				   .maps = b & 3, .unmaps = b >> 6 };
	__u64 iova = (__u64)k->size_log2 << (k->op % 64);

	view_add_usage(v, k->tgid, k->ioas_id, &u);
	view_add_area(v, k->tgid, k->ioas_id, iova, (__u64)(k->err | 1) << 12);
}

static void fuzz_events(const uint8_t *d, size_t n)
{
	struct view_opts o = { .split = n ? d[0] & 0xf : 0,
			       .unit = n ? (d[0] >> 4) % 3 : 0 };
	struct dt_view *v = view_new();
	char line[VIEW_LINE_MAX];
	struct json_writer w;

	if (!v)
		return;
	while (n) {
		struct dt_event e;
		struct dt_lat_key k;
		struct dt_hist h;
		size_t take;

		if (d[0] & 1) {		/* an event */
			memset(&e, 0, sizeof(e));
			take = n - 1 < sizeof(e) ? n - 1 : sizeof(e);
			memcpy(&e, d + 1, take);
			e.type %= DT_EV_FAULT + 2;	/* mostly valid types */
			view_add_event(v, &e, sizeof(e), line, sizeof(line));
		} else {		/* a latency key and histogram */
			memset(&k, 0, sizeof(k));
			memset(&h, 0, sizeof(h));
			take = n - 1 < sizeof(k) ? n - 1 : sizeof(k);
			memcpy(&k, d + 1, take);
			h.count = h.slots[k.size_log2 % DT_HIST_SLOTS] = 1 + d[0];
			h.sum_ns = h.min_ns = h.max_ns = (uint64_t)d[0] << (k.err % 40);
			view_add_hist(v, &k, &h);
			if (d[0] & 2)
				fuzz_area(v, &k, d[0]);
		}
		d += 1 + take;
		n -= 1 + take;
	}
	view_print_hists(v, &o, devnull);
	view_print_windows(v, devnull);
	view_print_violations(v, devnull);
	view_print_violations_grouped(v, o.split & 3, devnull);
	view_print_counters(v, devnull);
	view_write_json(v, &o, devnull);
	view_write_openmetrics(v, &o, devnull);
	view_write_prometheus(v, &o, devnull);
	json_init(&w, devnull);
	view_write_summary(v, &w);
	view_free(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	if (!devnull)
		devnull = fopen("/dev/null", "w");
	if (!n)
		return 0;
	if (d[0] & 1)
		fuzz_events(d + 1, n - 1);
	else
		fuzz_json(d + 1, n - 1);
	return 0;
}
