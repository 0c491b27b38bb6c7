// SPDX-License-Identifier: GPL-2.0
/* dmatrace exporter: --listen parsing, the bound on series per family */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "exporter.h"

static void test_listen_good(void **state)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *in = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
	char err[256];

	(void)state;
	assert_int_equal(exporter_parse_listen("127.0.0.1:9464", &ss, err, sizeof(err)), 0);
	assert_int_equal(ss.ss_family, AF_INET);
	assert_int_equal(ntohs(in->sin_port), 9464);
	assert_int_equal(ntohl(in->sin_addr.s_addr), INADDR_LOOPBACK);
	assert_int_equal(exporter_parse_listen(":80", &ss, err, sizeof(err)), 0);
	assert_int_equal(ntohl(in->sin_addr.s_addr), INADDR_ANY);
	assert_int_equal(exporter_parse_listen("[::1]:65535", &ss, err, sizeof(err)), 0);
	assert_int_equal(ss.ss_family, AF_INET6);
	assert_int_equal(ntohs(in6->sin6_port), 65535);
}

static void test_listen_bad(void **state)
{
	static const char *const bad[] = {
		"", "9464", "127.0.0.1", "127.0.0.1:", "127.0.0.1:0",
		"127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:+80",
		"127.0.0.1:80x", "::1:80", "[::1:80", "[]:80", "[127.0.0.1]:80",
	};
	struct sockaddr_storage ss;
	char err[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = 0;
		assert_int_equal(exporter_parse_listen(bad[i], &ss, err, sizeof(err)),
				 -EINVAL);
		assert_non_null(strstr(err, "bad --listen"));
		assert_null(strchr(err, '\n'));
	}
}

static const char text[] =
	"# TYPE h histogram\n"
	"# HELP h A histogram.\n"
	"h_bucket{op=\"a\",le=\"1.0\"} 1\n"
	"h_bucket{op=\"a\",le=\"+Inf\"} 2\n"
	"h_sum{op=\"a\"} 0.5\n"
	"h_count{op=\"a\"} 2\n"
	"h_bucket{op=\"b\",le=\"1.0\"} 3\n"
	"h_bucket{op=\"b\",le=\"+Inf\"} 3\n"
	"h_sum{op=\"b\"} 0.000000001\n"
	"h_count{op=\"b\"} 3\n"
	"h_bucket{op=\"c\",le=\"1.0\"} 0\n"
	"h_bucket{op=\"c\",le=\"+Inf\"} 4\n"
	"h_sum{op=\"c\"} 1.25\n"
	"h_count{op=\"c\"} 4\n"
	"# TYPE g gauge\n"
	"# HELP g A gauge.\n"
	"g 7\n";

static char *bound(unsigned int max, bool om, const char *in)
{
	struct exporter_bound b = { .max_series = max };
	char *out = NULL;
	size_t len = 0;

	assert_int_equal(exporter_bound_series(in, strlen(in), om, &b, &out, &len), 0);
	assert_int_equal(strlen(out), len);
	return out;
}

static void test_bound_folds(void **state)
{
	char *out = bound(1, false, text);

	(void)state;
	assert_non_null(strstr(out, "h_count{op=\"a\"} 2\n"));
	assert_null(strstr(out, "op=\"b\""));
	assert_null(strstr(out, "op=\"c\""));
	assert_non_null(strstr(out, "h_bucket{op=\"other\",le=\"1.0\"} 3\n"));
	assert_non_null(strstr(out, "h_bucket{op=\"other\",le=\"+Inf\"} 7\n"));
	assert_non_null(strstr(out, "h_sum{op=\"other\"} 1.250000001\n"));
	assert_non_null(strstr(out, "h_count{op=\"other\"} 7\n"));
	/* the other series comes before the next family */
	assert_true(strstr(out, "h_count{op=\"other\"}") < strstr(out, "# TYPE g"));
	assert_non_null(strstr(out, "\ng 7\n"));
	assert_non_null(strstr(out, "dmatrace_exporter_folded_series{family=\"h\"} 2\n"));
	assert_null(strstr(out, "family=\"g\""));
	assert_null(strstr(out, "# EOF"));
	free(out);
}

static void test_bound_none(void **state)
{
	char *out = bound(0, false, text);

	(void)state;
	assert_int_equal(strncmp(out, text, strlen(text)), 0);
	assert_null(strstr(out, "=\"other\""));
	free(out);
	out = bound(3, false, text);
	assert_int_equal(strncmp(out, text, strlen(text)), 0);
	free(out);
}

static void test_bound_om_eof(void **state)
{
	char in[sizeof(text) + 8];
	char *out;
	size_t n;

	(void)state;
	snprintf(in, sizeof(in), "%s# EOF\n", text);
	out = bound(1, true, in);
	n = strlen(out);
	assert_true(n > 6);
	assert_string_equal(out + n - 6, "# EOF\n");
	assert_non_null(strstr(out, "# TYPE dmatrace_exporter_folded_series gauge\n"));
	assert_int_equal(strstr(out, "# EOF") - out, (long)n - 6);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_listen_good),
		cmocka_unit_test(test_listen_bad),
		cmocka_unit_test(test_bound_folds),
		cmocka_unit_test(test_bound_none),
		cmocka_unit_test(test_bound_om_eof),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
