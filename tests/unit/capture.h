/* SPDX-License-Identifier: GPL-2.0 */
/* For cmocka tests of renderers: what a call printed to FILE *out */
#ifndef DMATRACE_TESTS_CAPTURE_H
#define DMATRACE_TESTS_CAPTURE_H

#include <stdio.h>

/* Run call with `out` open on a memstream; buf gets the text (caller frees) */
#define CAPTURE(buf, call) do {						\
	size_t _len;							\
	FILE *out = open_memstream(&(buf), &_len);			\
	assert_non_null(out);						\
	call;								\
	fclose(out);							\
} while (0)

#endif /* DMATRACE_TESTS_CAPTURE_H */
