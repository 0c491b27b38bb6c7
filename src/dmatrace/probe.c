// SPDX-License-Identifier: GPL-2.0
/* `dmatrace probe`: what can be attached on this kernel / target, and why not */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "attach.h"
#include "cli.h"
#include "common/json.h"

static void probe_print_json(const struct cli *c, const struct attach_plan *p)
{
	struct json_writer w;
	int i;

	json_init(&w, stdout);
	json_object_begin(&w);
	json_key(&w, "target");
	json_string(&w, c->target == TARGET_REF ? "ref" : "kernel");
	if (c->target == TARGET_REF) {
		json_key(&w, "library");
		json_string(&w, c->lib);
	}
	json_key(&w, "points");
	json_array_begin(&w);
	for (i = 0; i < p->nr; i++) {
		json_object_begin(&w);
		json_key(&w, "name");
		json_string(&w, p->c[i].pt->name);
		json_key(&w, "attach");
		json_string(&w, attach_kind_name(p->c[i].kind));
		json_key(&w, "detail");
		json_string(&w, p->c[i].reason);
		json_key(&w, "optional");
		json_bool(&w, p->c[i].pt->optional);
		json_object_end(&w);
	}
	json_array_end(&w);
	json_key(&w, "missing_required");
	json_u64(&w, attach_plan_missing(p));
	json_object_end(&w);
	json_newline(&w);
}

static void probe_print_text(const struct cli *c, const struct attach_plan *p)
{
	int i, missing = attach_plan_missing(p);

	if (c->target == TARGET_REF)
		printf("target: ref (%s)\n", c->lib);
	else
		printf("target: kernel%s\n", c->force_kprobe ? " (kprobes forced)" : "");
	printf("%-28s %-8s %s\n", "POINT", "ATTACH", "DETAIL");
	for (i = 0; i < p->nr; i++)
		printf("%-28s %-8s %s%s\n", p->c[i].pt->name,
		       attach_kind_name(p->c[i].kind), p->c[i].reason,
		       p->c[i].pt->optional ? " (optional)" : "");
	if (missing)
		printf("%d required point(s) missing: tracing this target will fail\n",
		       missing);
	else
		printf("all required points can be attached\n");
}

int run_probe(const struct cli *c)
{
	struct attach_plan plan;
	int e;

	if (c->target == TARGET_REF)
		e = attach_plan_ref(&plan, c->lib);
	else
		e = attach_plan_kernel(&plan, c->force_kprobe);
	if (e) {
		fprintf(stderr, "dmatrace: cannot read %s: %s\n", c->lib,
			e == -ENOEXEC ? "not an ELF file" : strerror(-e));
		return 1;
	}
	if (c->format == FORMAT_JSON)
		probe_print_json(c, &plan);
	else
		probe_print_text(c, &plan);
	return 0;
}
