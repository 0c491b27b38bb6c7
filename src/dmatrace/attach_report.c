// SPDX-License-Identifier: GPL-2.0
/*
 * The attach report of a tracing run (stderr): the first line counts the
 * live points per attach kind and names every kprobe standing in for
 * fentry and every missing point with its reason (tests and scripts parse
 * it: keep its form); then one line per backend; then the links made.
 */
#include "attach.h"

static void report_points(const struct attach_plan *plan, FILE *out)
{
	int n[ATTACH_KINDS] = {}, live = 0, i, k;

	for (i = 0; i < plan->nr; i++)
		n[plan->c[i].kind]++;
	for (k = ATTACH_FENTRY; k < ATTACH_KINDS; k++)
		live += n[k];
	fprintf(out, "dmatrace: %d of %d points live:", live, plan->nr);
	for (k = ATTACH_FENTRY; k < ATTACH_KINDS; k++)
		if (n[k])
			fprintf(out, " %s %d", attach_kind_name(k), n[k]);
	for (i = 0; i < plan->nr; i++) {
		const struct attach_choice *c = &plan->c[i];

		if (c->kind == ATTACH_KPROBE)
			fprintf(out, "; %s on kprobe (%s)", c->pt->name, c->reason);
		else if (c->kind == ATTACH_MISSING)
			fprintf(out, "; %s missing (%s)", c->pt->name, c->reason);
	}
	fputc('\n', out);
}

/* "(9 of 10 points: fentry 8 kprobe 1; X on kprobe; Y missing)" */
static void report_present(const struct attach_plan *plan, enum dt_backend be,
			   const struct backend_eval *ev, FILE *out)
{
	int i, k;

	if (ev->live == ev->nr)
		fprintf(out, " (%d point%s:", ev->nr, ev->nr > 1 ? "s" : "");
	else
		fprintf(out, " (%d of %d points:", ev->live, ev->nr);
	for (k = ATTACH_FENTRY; k < ATTACH_KINDS; k++)
		if (ev->kind[k])
			fprintf(out, " %s %d", attach_kind_name(k), ev->kind[k]);
	for (i = 0; i < plan->nr; i++) {
		const struct attach_choice *c = &plan->c[i];

		if (c->pt->backend != be)
			continue;
		if (c->kind == ATTACH_KPROBE)
			fprintf(out, "; %s on kprobe", c->pt->name);
		else if (c->kind == ATTACH_MISSING)
			fprintf(out, "; %s missing%s", c->pt->name,
				c->pt->role == ROLE_REQUIRED ? " (required)" : "");
	}
	fputs(")\n", out);
}

static void report_backend(const struct attach_plan *plan, enum dt_backend be,
			   FILE *out)
{
	const struct attach_choice *why;
	struct backend_eval ev;

	attach_backend_eval(plan, be, &ev);
	fprintf(out, "dmatrace: backend %s: %s", dt_backend_name(be),
		backend_state_name(ev.state));
	if (!ev.nr) {
		fprintf(out, " (%s only)\n", plan->ref ? "kernel" : "reference");
		return;
	}
	if (ev.state != BACKEND_ABSENT) {
		report_present(plan, be, &ev, out);
		return;
	}
	why = ev.first_missing;
	if (ev.nr > 1)
		fprintf(out, " (%d points missing, e.g. %s: %s)\n", ev.nr,
			why->pt->name, why->reason);
	else
		fprintf(out, " (%s: %s)\n", why->pt->name, why->reason);
}

/* The links a kind's entry and exit make, as bpftool names them */
static const char *const link_names[ATTACH_KINDS][2] = {
	[ATTACH_FENTRY] = { "fentry", "fexit" },
	[ATTACH_KPROBE] = { "kprobe", "kretprobe" },
	[ATTACH_UPROBE] = { "uprobe", "uretprobe" },
	[ATTACH_TP_BTF] = { "tp_btf", NULL },
};

/*
 * "dmatrace: links: fentry 12 fexit 13 tp_btf 1": what bpftool sees; the
 * reference's uprobes are two uprobe_multi links, "uprobe_multi 1
 * (19 points) uretprobe_multi 1 (17 points)", or one link each, with why
 */
static void report_links(const struct attach_plan *plan, FILE *out)
{
	int n[ATTACH_KINDS][2] = {}, i, k, x;

	for (i = 0; i < plan->nr; i++) {
		const struct attach_choice *c = &plan->c[i];

		n[c->kind][0] += !!(c->pt->needs[c->kind] & NEED_ENTRY);
		n[c->kind][1] += !!(c->pt->needs[c->kind] & NEED_EXIT);
	}
	fputs("dmatrace: links:", out);
	for (k = ATTACH_FENTRY; k < ATTACH_KINDS; k++)
		for (x = 0; x < 2; x++) {
			if (!n[k][x])
				continue;
			if (k == ATTACH_UPROBE && plan->uprobe_multi)
				fprintf(out, " %s_multi 1 (%d points)",
					link_names[k][x], n[k][x]);
			else
				fprintf(out, " %s %d", link_names[k][x], n[k][x]);
		}
	if (n[ATTACH_UPROBE][0] && !plan->uprobe_multi)
		fprintf(out, " (one link each: %s)", plan->uprobe_multi_why);
	fputc('\n', out);
}

void attach_plan_report(const struct attach_plan *plan, FILE *out)
{
	int be;

	report_points(plan, out);
	for (be = 0; be < DT_BACKEND_MAX; be++)
		report_backend(plan, be, out);
	report_links(plan, out);
}
