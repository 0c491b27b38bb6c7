/* SPDX-License-Identifier: GPL-2.0 */
/* A small streaming JSON writer: nesting and commas tracked for the caller. */
#ifndef DMATRACE_JSON_H
#define DMATRACE_JSON_H

#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct json_writer {
	FILE *out;
	int depth;
	unsigned char need_comma[JSON_MAX_DEPTH];
	unsigned char after_key;
};

void json_init(struct json_writer *w, FILE *out);
void json_object_begin(struct json_writer *w);
void json_object_end(struct json_writer *w);
void json_array_begin(struct json_writer *w);
void json_array_end(struct json_writer *w);
void json_key(struct json_writer *w, const char *key);
void json_string(struct json_writer *w, const char *s);
void json_u64(struct json_writer *w, uint64_t v);
void json_s64(struct json_writer *w, int64_t v);
void json_double(struct json_writer *w, double v);
void json_bool(struct json_writer *w, int v);
void json_null(struct json_writer *w);
void json_hex(struct json_writer *w, uint64_t v);	/* "0x..." string */
/* end the top-level value with a newline */
void json_newline(struct json_writer *w);

#endif /* DMATRACE_JSON_H */
