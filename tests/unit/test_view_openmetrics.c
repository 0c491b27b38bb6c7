// SPDX-License-Identifier: GPL-2.0
/* OpenMetrics helpers: label escaping, exact decimal seconds, one series */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "capture.h"

#include "view/openmetrics.h"
#include "view/view.h"

static void test_label_escape(void **state)
{
	char *s;

	(void)state;
	CAPTURE(s, om_label_value(out, "a\"b\\c\nd"));
	assert_string_equal(s, "\"a\\\"b\\\\c\\nd\"");
	free(s);
	CAPTURE(s, om_label_value(out, ""));
	assert_string_equal(s, "\"\"");
	free(s);
}

static void test_seconds(void **state)
{
	static const struct { unsigned long long ns; const char *s; } c[] = {
		{ 0, "0.0" }, { 2, "0.000000002" }, { 1024, "0.000001024" },
		{ 1500000000ULL, "1.5" }, { 1000000000ULL, "1.0" },
		{ 549755813888ULL, "549.755813888" },
		{ 18446744073709551615ULL, "18446744073.709551615" },
	};
	unsigned int i;
	char *s;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		CAPTURE(s, om_seconds(out, c[i].ns));
		assert_string_equal(s, c[i].s);
		free(s);
	}
}

/* One key, one sample of 1500 ns, split by op only */
static void test_one_series(void **state)
{
	struct view_opts o = { .split = 0, .unit = VIEW_UNIT_USECS };
	struct dt_lat_key k = { .op = DT_OP_UNMAP, .err = 0, .size_log2 = 12 };
	struct dt_hist h;
	struct dt_view *v = view_new();
	char *s, *p;
	int i;

	(void)state;
	memset(&h, 0, sizeof(h));
	h.slots[10] = 1;
	h.count = 1;
	h.sum_ns = h.min_ns = h.max_ns = 1500;
	h.bytes = 4096;
	assert_int_equal(view_add_hist(v, &k, &h), 0);
	CAPTURE(s, assert_int_equal(view_write_openmetrics(v, &o, out), 0));
	assert_memory_equal(s,
"# TYPE dmatrace_op_latency_seconds histogram\n"
"# UNIT dmatrace_op_latency_seconds seconds\n"
"# HELP dmatrace_op_latency_seconds Latency of DMA mapping operations.\n"
"dmatrace_op_latency_seconds_bucket{op=\"unmap\",backend=\"iommufd\",le=\"0.000000002\"} 0\n",
		strlen("# TYPE dmatrace_op_latency_seconds histogram\n"
"# UNIT dmatrace_op_latency_seconds seconds\n"
"# HELP dmatrace_op_latency_seconds Latency of DMA mapping operations.\n"
"dmatrace_op_latency_seconds_bucket{op=\"unmap\",backend=\"iommufd\",le=\"0.000000002\"} 0\n"));
	/* slot 9 ends at 1024 ns, slot 10 at 2048 ns */
	assert_non_null(strstr(s, "\ndmatrace_op_latency_seconds_bucket{op=\"unmap\",backend=\"iommufd\",le=\"0.000001024\"} 0\n"
				  "dmatrace_op_latency_seconds_bucket{op=\"unmap\",backend=\"iommufd\",le=\"0.000002048\"} 1\n"));
	assert_non_null(strstr(s, "\ndmatrace_op_latency_seconds_bucket{op=\"unmap\",backend=\"iommufd\",le=\"1099.511627776\"} 1\n"
				  "dmatrace_op_latency_seconds_bucket{op=\"unmap\",backend=\"iommufd\",le=\"+Inf\"} 1\n"
				  "dmatrace_op_latency_seconds_sum{op=\"unmap\",backend=\"iommufd\"} 0.0000015\n"
				  "dmatrace_op_latency_seconds_count{op=\"unmap\",backend=\"iommufd\"} 1\n"
				  "# TYPE dmatrace_op_bytes counter\n"
				  "# UNIT dmatrace_op_bytes bytes\n"
				  "# HELP dmatrace_op_bytes Bytes mapped or unmapped by successful operations.\n"
				  "dmatrace_op_bytes_total{op=\"unmap\",backend=\"iommufd\"} 4096\n"));
	/* 40 finite buckets and +Inf */
	for (i = 0, p = s; (p = strstr(p, "_bucket{")); p++)
		i++;
	assert_int_equal(i, DT_HIST_SLOTS + 1);
	assert_non_null(strstr(s, "\ndmatrace_faults_total 0\n"));
	p = s + strlen(s) - strlen("\n# EOF\n");
	assert_string_equal(p, "\n# EOF\n");
	free(s);
	view_free(v);
}

/* The Prometheus text flavour: counters named by their samples, no UNIT, no EOF */
static void test_prometheus_flavour(void **state)
{
	struct view_opts o = { .split = 0, .unit = VIEW_UNIT_USECS };
	struct dt_ioas_usage u = { .mapped_bytes = 8192, .maps = 2 };
	struct dt_view *v = view_new();
	char *s;

	(void)state;
	assert_int_equal(view_add_usage(v, 1, 3, &u), 0);
	assert_int_equal(view_add_usage(v, 1, 5 | DT_ID_CONTAINER, &u), 0);
	CAPTURE(s, assert_int_equal(view_write_prometheus(v, &o, out), 0));
	assert_non_null(strstr(s, "# TYPE dmatrace_op_bytes_total counter\n"
				  "# HELP dmatrace_op_bytes_total Bytes mapped or unmapped by successful operations.\n"));
	assert_non_null(strstr(s, "# TYPE dmatrace_faults_total counter\n"
				  "# HELP dmatrace_faults_total IOMMU faults seen.\n"
				  "dmatrace_faults_total 0\n"));
	assert_non_null(strstr(s, "# TYPE dmatrace_op_latency_seconds histogram\n"
				  "# HELP dmatrace_op_latency_seconds Latency"));
	/* a container is labelled as one, with the id its user knows */
	assert_non_null(strstr(s, "\ndmatrace_ioas_mapped_bytes{ioas=\"3\"} 8192\n"
				  "dmatrace_ioas_mapped_bytes{container=\"5\"} 8192\n"));
	assert_null(strstr(s, "# UNIT"));
	assert_null(strstr(s, "# EOF"));
	free(s);
	view_free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_label_escape),
		cmocka_unit_test(test_seconds),
		cmocka_unit_test(test_one_series),
		cmocka_unit_test(test_prometheus_flavour),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
