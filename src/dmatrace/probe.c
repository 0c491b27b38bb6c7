// SPDX-License-Identifier: GPL-2.0
/*
 * `dmatrace probe`: what can be attached on this kernel / target, backend
 * by backend, and why not. Exits 1 when nothing DMA-related can be traced,
 * or, on the kernel as non-root, when it cannot tell.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "attach.h"
#include "cli.h"
#include "common/json.h"
#include "target.h"

static const char *const role_names[] = {
	[ROLE_REQUIRED] = "required", [ROLE_OPTIONAL] = "optional",
	[ROLE_ANY] = "any",
};

static void json_point(struct json_writer *w, const struct attach_choice *c)
{
	json_object_begin(w);
	json_key(w, "name");
	json_string(w, c->pt->name);
	json_key(w, "backend");
	json_string(w, dt_backend_name(c->pt->backend));
	json_key(w, "attach");
	json_string(w, attach_kind_name(c->kind));
	json_key(w, "detail");
	json_string(w, c->reason);
	json_key(w, "role");
	json_string(w, role_names[c->pt->role]);
	json_key(w, "optional");
	json_bool(w, c->pt->role != ROLE_REQUIRED);
	json_object_end(w);
}

static void json_backend(struct json_writer *w, const struct attach_plan *p,
			 enum dt_backend be)
{
	struct backend_eval ev;
	int i;

	attach_backend_eval(p, be, &ev);
	json_object_begin(w);
	json_key(w, "name");
	json_string(w, dt_backend_name(be));
	json_key(w, "what");
	json_string(w, dt_backends[be].what);
	json_key(w, "state");
	json_string(w, backend_state_name(ev.state));
	json_key(w, "points");
	json_array_begin(w);
	for (i = 0; i < p->nr; i++)
		if (p->c[i].pt->backend == be)
			json_string(w, p->c[i].pt->name);
	json_array_end(w);
	json_object_end(w);
}

static void probe_print_json(const struct cli *c, const struct attach_plan *p,
			     const char *err)
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
	json_key(&w, "backends");
	json_array_begin(&w);
	for (i = 0; i < DT_BACKEND_MAX; i++)
		json_backend(&w, p, i);
	json_array_end(&w);
	json_key(&w, "points");
	json_array_begin(&w);
	for (i = 0; i < p->nr; i++)
		json_point(&w, &p->c[i]);
	json_array_end(&w);
	json_key(&w, "missing_required");
	json_u64(&w, attach_plan_missing(p));
	json_key(&w, "traceable");
	json_bool(&w, !*err);
	if (*err) {
		json_key(&w, "error");
		json_string(&w, err);
	}
	json_key(&w, "unprivileged");
	json_bool(&w, p->unprivileged);
	json_object_end(&w);
	json_newline(&w);
}

static void print_backend(const struct attach_plan *p, enum dt_backend be)
{
	struct backend_eval ev;
	int i;

	attach_backend_eval(p, be, &ev);
	printf("# backend %s: %s%s; %s\n", dt_backend_name(be),
	       backend_state_name(ev.state),
	       ev.nr ? "" : p->ref ? " (kernel only)" : " (reference only)",
	       dt_backends[be].what);
	for (i = 0; i < p->nr; i++) {
		const struct attach_choice *c = &p->c[i];

		if (c->pt->backend == be)
			printf("%-28s %-8s %s%s\n", c->pt->name,
			       attach_kind_name(c->kind), c->reason,
			       c->pt->role == ROLE_REQUIRED ? "" :
			       c->pt->role == ROLE_ANY ? " (any one of these)" :
							 " (optional)");
	}
}

static void probe_print_text(const struct cli *c, const struct attach_plan *p,
			     const char *err)
{
	int be;

	if (c->target == TARGET_REF)
		printf("target: ref (%s)\n", c->lib);
	else
		printf("target: kernel%s\n", c->force_kprobe ? " (kprobes forced)" : "");
	printf("%-28s %-8s %s\n", "POINT", "ATTACH", "DETAIL");
	for (be = 0; be < DT_BACKEND_MAX; be++)
		print_backend(p, be);
	if (*err)
		printf("tracing this target will fail: %s\n", err);
	else
		printf("every backend with ops is live or absent as a whole: tracing can start\n");
	if (p->unprivileged)
		printf("not root: cannot tell what will attach (no trial loads; available_filter_functions, module BTF objects and kallsyms addresses need root)\n");
}

int run_probe(const struct cli *c)
{
	struct attach_plan plan;
	char err[512] = "";
	int e;

	e = target_plan(&plan, c->target, c->lib, c->force_kprobe, err,
			sizeof(err));
	if (e) {
		fprintf(stderr, "dmatrace: %s\n", err);
		return 1;
	}
	attach_plan_check(&plan, err, sizeof(err));
	if (c->format == FORMAT_JSON)
		probe_print_json(c, &plan, err);
	else
		probe_print_text(c, &plan, err);
	return attach_plan_any_live(&plan) && !plan.unprivileged ? 0 : 1;
}
