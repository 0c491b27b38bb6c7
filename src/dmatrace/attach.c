// SPDX-License-Identifier: GPL-2.0
/* The attach planner: see attach.h */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "attach.h"
#include "elf_syms.h"

static const struct attach_point points[] = {
	{ "iommufd_ioas_alloc_ioctl", .has_exit = true },
	{ "iommufd_destroy", .has_exit = true },
	{ "iommufd_ioas_map", .has_exit = true },
	{ "iommufd_ioas_unmap", .has_exit = true },
	{ "iommufd_ioas_copy", .has_exit = true },
	{ "iommufd_ioas_iova_ranges", .has_exit = true },
	{ "iommufd_ioas_allow_iovas", .has_exit = true },
	{ "iommufd_vfio_ioctl", .has_exit = true, .optional = true },
	{ "iommufd_ioas_window_add", .has_exit = true, .ref_only = true,
	  .optional = true },
	{ "iommufd_ioas_window_request", .has_exit = true, .ref_only = true,
	  .optional = true },
	{ "iopt_reserve_iova", .has_exit = true, .optional = true },
	{ "iopt_remove_reserved_iova", .optional = true },
	/* context teardown: reservations removed then are not state changes */
	{ "iommufd_fops_release", .has_exit = true, .kernel_only = true,
	  .optional = true },
	{ "iommufd_ctx_destroy", .has_exit = true, .ref_only = true,
	  .optional = true },
	/* faults: the hooks that see them, and who owns the faulting device */
	{ "io_page_fault", .tracepoint = true, .kernel_only = true,
	  .optional = true },
	{ "dmar_fault", .kernel_only = true, .optional = true },
	{ "amd_iommu_report_page_fault", .kernel_only = true, .optional = true },
	{ "iommufd_hw_pagetable_attach", .has_exit = true, .kernel_only = true,
	  .optional = true },
	{ "iommufd_device_do_replace", .has_exit = true, .kernel_only = true,
	  .optional = true },
	{ "iommufd_hw_pagetable_detach", .kernel_only = true, .optional = true },
};

#define NR_POINTS	(sizeof(points) / sizeof(points[0]))

const char *attach_kind_name(enum attach_kind k)
{
	switch (k) {
	case ATTACH_FENTRY: return "fentry";
	case ATTACH_KPROBE: return "kprobe";
	case ATTACH_UPROBE: return "uprobe";
	case ATTACH_TP_BTF: return "tp_btf";
	default: return "missing";
	}
}

/* vmlinux BTF and every module's, searched by name */
struct btf_set {
	struct btf *vmlinux;
	struct btf *mod[256];
	char *mod_name[256];
	int nr_mod;
};

static void btf_set_free(struct btf_set *s)
{
	int i;

	for (i = 0; i < s->nr_mod; i++) {
		btf__free(s->mod[i]);
		free(s->mod_name[i]);
	}
	btf__free(s->vmlinux);
}

static void btf_set_load(struct btf_set *s)
{
	char path[512];
	struct dirent *d;
	DIR *dir;

	memset(s, 0, sizeof(*s));
	s->vmlinux = btf__load_vmlinux_btf();
	if (!s->vmlinux)
		return;
	dir = opendir("/sys/kernel/btf");
	if (!dir)
		return;
	while ((d = readdir(dir)) && s->nr_mod < 256) {
		struct btf *b;

		if (d->d_name[0] == '.' || !strcmp(d->d_name, "vmlinux"))
			continue;
		snprintf(path, sizeof(path), "/sys/kernel/btf/%s", d->d_name);
		b = btf__parse_split(path, s->vmlinux);
		if (!b)
			continue;
		s->mod_name[s->nr_mod] = strdup(d->d_name);
		if (!s->mod_name[s->nr_mod]) {
			btf__free(b);
			break;
		}
		s->mod[s->nr_mod++] = b;
	}
	closedir(dir);
}

/* Where BTF has name of kind: "vmlinux", a module name, or NULL */
static const char *btf_set_find(const struct btf_set *s, const char *name,
				int kind)
{
	int i;

	if (!s->vmlinux)
		return NULL;
	if (btf__find_by_name_kind(s->vmlinux, name, kind) >= 0)
		return "vmlinux";
	for (i = 0; i < s->nr_mod; i++)
		if (btf__find_by_name_kind(s->mod[i], name, kind) >= 0)
			return s->mod_name[i];
	return NULL;
}

/* Is name a text symbol in /proc/kallsyms? */
static bool kallsyms_has(const char *name)
{
	char line[512], sym[256], type;
	bool found = false;
	FILE *f = fopen("/proc/kallsyms", "r");

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %c %255s", &type, sym) != 2)
			continue;
		found = (type == 't' || type == 'T') && !strcmp(sym, name);
	}
	fclose(f);
	return found;
}

static bool kprobes_supported(void)
{
	return !access("/sys/bus/event_source/devices/kprobe/type", F_OK) ||
	       !access("/sys/kernel/tracing/kprobe_events", F_OK) ||
	       !access("/sys/kernel/debug/tracing/kprobe_events", F_OK);
}

static void plan_tracepoint(struct attach_choice *c, const struct btf_set *s)
{
	char tname[128];

	snprintf(tname, sizeof(tname), "btf_trace_%s", c->pt->name);
	if (btf_set_find(s, tname, BTF_KIND_TYPEDEF)) {
		c->kind = ATTACH_TP_BTF;
		snprintf(c->reason, sizeof(c->reason), "tracepoint in BTF");
		return;
	}
	snprintf(c->reason, sizeof(c->reason),
		 s->vmlinux ? "tracepoint not in this kernel's BTF" :
			      "no kernel BTF (/sys/kernel/btf/vmlinux)");
}

static void plan_function(struct attach_choice *c, const struct btf_set *s,
			  bool force_kprobe, bool kprobes)
{
	const char *where = btf_set_find(s, c->pt->name, BTF_KIND_FUNC);
	const char *no_btf = !s->vmlinux ? "no kernel BTF" :
			     "no BTF for iommufd";

	if (where && !force_kprobe) {
		c->kind = ATTACH_FENTRY;
		snprintf(c->reason, sizeof(c->reason), "BTF: %s", where);
		return;
	}
	if (force_kprobe)
		no_btf = "kprobe forced";
	if (!kallsyms_has(c->pt->name)) {
		snprintf(c->reason, sizeof(c->reason),
			 "%s; symbol not found in /proc/kallsyms", no_btf);
		return;
	}
	if (!kprobes) {
		snprintf(c->reason, sizeof(c->reason),
			 "%s; kprobes not supported (no /sys/kernel/tracing/kprobe_events and no CONFIG_KPROBES)",
			 no_btf);
		return;
	}
	c->kind = ATTACH_KPROBE;
	snprintf(c->reason, sizeof(c->reason), "%s; kallsyms", no_btf);
}

int attach_plan_kernel(struct attach_plan *plan, bool force_kprobe)
{
	bool kprobes = kprobes_supported();
	struct btf_set s;
	unsigned int i;

	btf_set_load(&s);
	memset(plan, 0, sizeof(*plan));
	for (i = 0; i < NR_POINTS; i++) {
		struct attach_choice *c;

		if (points[i].ref_only)
			continue;
		c = &plan->c[plan->nr++];
		c->pt = &points[i];
		c->kind = ATTACH_MISSING;
		if (c->pt->tracepoint)
			plan_tracepoint(c, &s);
		else
			plan_function(c, &s, force_kprobe, kprobes);
	}
	btf_set_free(&s);
	return 0;
}

int attach_plan_ref(struct attach_plan *plan, const char *lib)
{
	struct elf_syms *syms;
	unsigned int i;
	int err;

	err = elf_syms_open(&syms, lib);
	if (err)
		return err;
	memset(plan, 0, sizeof(*plan));
	for (i = 0; i < NR_POINTS; i++) {
		struct attach_choice *c;

		if (points[i].kernel_only)
			continue;
		c = &plan->c[plan->nr++];
		c->pt = &points[i];
		if (elf_syms_has_func(syms, c->pt->name)) {
			c->kind = ATTACH_UPROBE;
			snprintf(c->reason, sizeof(c->reason), "%s", lib);
		} else {
			c->kind = ATTACH_MISSING;
			snprintf(c->reason, sizeof(c->reason),
				 "symbol not found in %s", lib);
		}
	}
	elf_syms_close(syms);
	return 0;
}

int attach_plan_missing(const struct attach_plan *plan)
{
	int i, n = 0;

	for (i = 0; i < plan->nr; i++)
		if (plan->c[i].kind == ATTACH_MISSING && !plan->c[i].pt->optional)
			n++;
	return n;
}

/*
 * One line on what is live: counts per attach type, every kprobe that stands
 * in for fentry and every missing optional point, each with its reason.
 */
void attach_plan_report(const struct attach_plan *plan, FILE *out)
{
	int n[ATTACH_TP_BTF + 1] = {}, live = 0, i, k;

	for (i = 0; i < plan->nr; i++)
		n[plan->c[i].kind]++;
	for (k = ATTACH_FENTRY; k <= ATTACH_TP_BTF; k++)
		live += n[k];
	fprintf(out, "dmatrace: %d of %d points live:", live, plan->nr);
	for (k = ATTACH_FENTRY; k <= ATTACH_TP_BTF; k++)
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

bool kernel_has_iommufd_or_vfio(void)
{
	struct btf *vmlinux;
	bool found;

	if (!access("/dev/iommu", F_OK) || !access("/sys/module/iommufd", F_OK) ||
	    !access("/dev/vfio/vfio", F_OK) || !access("/sys/module/vfio", F_OK))
		return true;
	vmlinux = btf__load_vmlinux_btf();
	if (!vmlinux)
		return false;
	found = btf__find_by_name_kind(vmlinux, "iommufd_ioas_map",
				       BTF_KIND_FUNC) >= 0;
	btf__free(vmlinux);
	return found;
}
