// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include "common/json.h"

void json_init(struct json_writer *w, FILE *out)
{
	w->out = out;
	w->depth = 0;
	w->need_comma[0] = 0;
	w->after_key = 0;
}

/* Emit the separator owed before a value or key at the current depth */
static void json_sep(struct json_writer *w)
{
	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	if (w->need_comma[w->depth])
		fputc(',', w->out);
	w->need_comma[w->depth] = 1;
}

static void json_open(struct json_writer *w, char c)
{
	json_sep(w);
	fputc(c, w->out);
	if (w->depth < JSON_MAX_DEPTH - 1)
		w->depth++;
	w->need_comma[w->depth] = 0;
}

static void json_close(struct json_writer *w, char c)
{
	fputc(c, w->out);
	if (w->depth > 0)
		w->depth--;
}

void json_object_begin(struct json_writer *w) { json_open(w, '{'); }
void json_object_end(struct json_writer *w) { json_close(w, '}'); }
void json_array_begin(struct json_writer *w) { json_open(w, '['); }
void json_array_end(struct json_writer *w) { json_close(w, ']'); }

static void json_quoted(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

void json_key(struct json_writer *w, const char *key)
{
	json_sep(w);
	json_quoted(w->out, key);
	fputc(':', w->out);
	w->after_key = 1;
}

void json_string(struct json_writer *w, const char *s)
{
	json_sep(w);
	json_quoted(w->out, s);
}

void json_u64(struct json_writer *w, uint64_t v)
{
	json_sep(w);
	fprintf(w->out, "%" PRIu64, v);
}

void json_s64(struct json_writer *w, int64_t v)
{
	json_sep(w);
	fprintf(w->out, "%" PRId64, v);
}

void json_double(struct json_writer *w, double v)
{
	json_sep(w);
	fprintf(w->out, "%.3f", v);
}

void json_bool(struct json_writer *w, int v)
{
	json_sep(w);
	fputs(v ? "true" : "false", w->out);
}

void json_null(struct json_writer *w)
{
	json_sep(w);
	fputs("null", w->out);
}

void json_hex(struct json_writer *w, uint64_t v)
{
	json_sep(w);
	fprintf(w->out, "\"0x%" PRIx64 "\"", v);
}

void json_newline(struct json_writer *w)
{
	fputc('\n', w->out);
	w->need_comma[0] = 0;
}
