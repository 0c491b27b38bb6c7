// SPDX-License-Identifier: GPL-2.0
/* The JSON reader: values, error messages with positions, mutation fuzzing */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/json_read.h"
#include "view_scenario.h"

static int parse(const char *s, struct jv *v, char *err)
{
	return jv_parse(s, strlen(s), v, err, JSON_READ_ERR_MAX);
}

static void test_values(void **state)
{
	const char *s = "{\"a\":[1,-2.5e3,true,false,null,"
			"\"x\\u00e9\\ud83d\\ude00\\n\\/\"],\"b\":{},\"a\":0}";
	char err[JSON_READ_ERR_MAX];
	const struct jv *a;
	struct jv v;

	(void)state;
	assert_int_equal(parse(s, &v, err), 0);
	assert_int_equal(v.type, JV_OBJ);
	assert_int_equal(v.n, 3);
	a = jv_get(&v, "a");		/* the first of two "a" */
	assert_non_null(a);
	assert_int_equal(a->type, JV_ARR);
	assert_int_equal(a->n, 6);
	assert_int_equal(a->items[0].type, JV_NUM);
	assert_float_equal(a->items[0].num, 1, 0);
	assert_float_equal(a->items[1].num, -2500, 0);
	assert_int_equal(a->items[2].type, JV_BOOL);
	assert_int_equal(a->items[2].boolean, 1);
	assert_int_equal(a->items[3].boolean, 0);
	assert_int_equal(a->items[4].type, JV_NULL);
	assert_int_equal(a->items[5].type, JV_STR);
	/* x, U+00E9 (2 bytes), U+1F600 (4 bytes), newline, slash */
	assert_string_equal(a->items[5].str, "x\xc3\xa9\xf0\x9f\x98\x80\n/");
	assert_int_equal(jv_get(&v, "b")->type, JV_OBJ);
	assert_null(jv_get(&v, "c"));
	assert_null(jv_get(a, "a"));	/* not an object */
	jv_free(&v);

	assert_int_equal(parse(" [ ] ", &v, err), 0);
	assert_int_equal(v.type, JV_ARR);
	assert_int_equal(v.n, 0);
	jv_free(&v);
}

static void expect_error(const char *s, const char *msg)
{
	char err[JSON_READ_ERR_MAX];
	struct jv v;

	assert_int_equal(parse(s, &v, err), -EINVAL);
	assert_string_equal(err, msg);
	assert_int_equal(v.type, JV_NULL);	/* freed and zeroed */
	assert_int_equal(v.n, 0);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("", "line 1 col 1: unexpected end of input");
	expect_error("{\"a\":1,}", "line 1 col 8: expected a key string");
	expect_error("[1 2]", "line 1 col 4: expected ',' or ']'");
	expect_error("{\"a\" 1}", "line 1 col 6: expected ':'");
	expect_error("{\"a\":1}x", "line 1 col 8: trailing data after the value");
	expect_error("01", "line 1 col 2: trailing data after the value");
	expect_error("-", "line 1 col 2: invalid number");
	expect_error("1.", "line 1 col 3: invalid number");
	expect_error("1e+", "line 1 col 4: invalid number");
	expect_error("\"abc", "line 1 col 5: unterminated string");
	expect_error("\"a\x01\"", "line 1 col 3: control character in string");
	expect_error("\"\\x\"", "line 1 col 3: bad escape");
	expect_error("\"\\u12G4\"", "line 1 col 7: bad \\u escape");
	expect_error("\"\\ud800\"", "line 1 col 8: lone high surrogate");
	expect_error("\"\\udc00\"", "line 1 col 8: lone low surrogate");
	expect_error("\"\\u0000\"", "line 1 col 8: \\u0000 not supported");
	expect_error("tru", "line 1 col 1: invalid literal");
	expect_error("{\n  \"a\": ?}", "line 2 col 8: unexpected character");
	expect_error("[1,\n2,\n", "line 3 col 1: unexpected end of input");
}

static void test_depth(void **state)
{
	char s[2 * (JSON_READ_MAX_DEPTH + 1) + 1], err[JSON_READ_ERR_MAX];
	struct jv v;
	int d;

	(void)state;
	for (d = JSON_READ_MAX_DEPTH; d <= JSON_READ_MAX_DEPTH + 1; d++) {
		memset(s, '[', d);
		memset(s + d, ']', d);
		s[2 * d] = '\0';
		if (d == JSON_READ_MAX_DEPTH) {
			assert_int_equal(parse(s, &v, err), 0);
			jv_free(&v);
		} else {
			assert_int_equal(parse(s, &v, err), -EINVAL);
			assert_string_equal(err, "line 1 col 65: nested deeper than 64");
		}
	}
}

/* The scenario's record, as `dmatrace -j` would print it */
static char *record(size_t *len)
{
	struct view_opts o = VIEW_OPTS_DEFAULT;
	struct dt_view *v = view_new();
	char *buf;
	FILE *out = open_memstream(&buf, len);

	assert_non_null(v);
	assert_non_null(out);
	scn_build(v);
	assert_int_equal(view_write_json(v, &o, out), 0);
	fclose(out);
	view_free(v);
	return buf;
}

static void test_record_and_its_prefixes(void **state)
{
	char err[JSON_READ_ERR_MAX];
	size_t len, cut;
	struct jv v;
	char *rec = record(&len);

	(void)state;
	assert_int_equal(jv_parse(rec, len, &v, err, sizeof(err)), 0);
	assert_float_equal(jv_get(&v, "dmatrace_record")->num, 1, 0);
	assert_int_equal(jv_get(jv_get(&v, "summary"), "violations")->n, 11);
	jv_free(&v);
	/* every strict prefix (the newline aside) is an error, never a crash */
	for (cut = 0; cut + 1 < len; cut++) {
		assert_int_equal(jv_parse(rec, cut, &v, err, sizeof(err)), -EINVAL);
		assert_memory_equal(err, "line ", 5);
	}
	free(rec);
}

static void test_mutations(void **state)
{
	static const char junk[] = "{}[]\",:\\0123456789.eE+-tfnu \x01\xff";
	char err[JSON_READ_ERR_MAX];
	unsigned int seed = 12345, i, ok = 0, bad = 0;
	size_t len;
	char *rec = record(&len), *m = malloc(len + 8);
	struct jv v;

	(void)state;
	assert_non_null(m);
	for (i = 0; i < 20000; i++) {
		size_t n = len, k, pos, nmut = 1 + rand_r(&seed) % 4;
		int rc;

		memcpy(m, rec, len);
		for (k = 0; k < nmut && n > 1; k++) {
			pos = rand_r(&seed) % n;
			switch (rand_r(&seed) % 3) {
			case 0:		/* replace */
				m[pos] = junk[rand_r(&seed) % (sizeof(junk) - 1)];
				break;
			case 1:		/* delete */
				memmove(m + pos, m + pos + 1, n - pos - 1);
				n--;
				break;
			default:	/* truncate */
				n = pos + 1;
				break;
			}
		}
		rc = jv_parse(m, n, &v, err, sizeof(err));
		assert_true(rc == 0 || rc == -EINVAL);
		if (rc) {
			assert_memory_equal(err, "line ", 5);
			bad++;
		} else {
			jv_free(&v);
			ok++;
		}
	}
	/* both outcomes happen: the mutations are neither all fatal nor all harmless */
	assert_true(ok > 0 && bad > 0);
	free(m);
	free(rec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_record_and_its_prefixes),
		cmocka_unit_test(test_mutations),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
