// SPDX-License-Identifier: GPL-2.0
/*
 * The attach planner without root: the points of each backend (op table
 * hooks deduplicated, extras, needs per attach kind), backend states and
 * the start check, the symbol tables' parsers, and the BTF prototype
 * matcher against a 6.12 vmlinux BTF with iommufd (../shared/vm/vmlinux.btf,
 * or $DT_VMLINUX_BTF; skipped when neither is there).
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <bpf/btf.h>

#include "attach.h"
#include "ksyms.h"

static const struct attach_point *point(const char *name)
{
	const struct attach_point *pts;
	int i, nr;

	pts = attach_points(&nr);
	for (i = 0; i < nr; i++)
		if (!strcmp(pts[i].name, name))
			return &pts[i];
	return NULL;
}

static int points_of(enum dt_backend be)
{
	const struct attach_point *pts;
	int i, nr, n = 0;

	pts = attach_points(&nr);
	for (i = 0; i < nr; i++)
		n += pts[i].backend == be;
	return n;
}

static void test_points_per_backend(void **state)
{
	(void)state;
	assert_int_equal(points_of(DT_BACKEND_IOMMUFD), 7 + 4);
	/* type1 map and unmap share iommufd_vfio_ioctl: one point */
	assert_int_equal(points_of(DT_BACKEND_COMPAT), 1);
	assert_int_equal(points_of(DT_BACKEND_SEED), 2);
	assert_int_equal(points_of(DT_BACKEND_FAULTS), 6);
	assert_int_equal(point("iommufd_vfio_ioctl")->proto.nr_args, 3);
	assert_string_equal(point("iommufd_ioas_map")->proto.args[0],
			    "struct iommufd_ucmd *");
	assert_true(point("iommufd_ioas_window_request")->ref_only);
}

static void test_needs_per_kind(void **state)
{
	const struct attach_point *a = point("iommufd_hw_pagetable_attach");

	(void)state;
	/* no idle fentry to pair the fexit; the kprobe stashes the args */
	assert_int_equal(a->needs[ATTACH_FENTRY], NEED_EXIT);
	assert_int_equal(a->needs[ATTACH_KPROBE], NEED_BOTH);
	assert_int_equal(point("iommufd_device_do_replace")->needs[ATTACH_FENTRY],
			 NEED_EXIT);
	assert_int_equal(point("dmar_fault")->needs[ATTACH_FENTRY], NEED_ENTRY);
	assert_int_equal(point("iommufd_ioas_map")->needs[ATTACH_UPROBE],
			 NEED_BOTH);
}

/* A kernel plan: every non-ref point, live as kind except those named */
static void fake_plan(struct attach_plan *p, enum attach_kind kind, ...)
{
	const struct attach_point *pts;
	const char *miss;
	int i, nr;
	va_list ap;

	memset(p, 0, sizeof(*p));
	pts = attach_points(&nr);
	for (i = 0; i < nr; i++) {
		if (pts[i].ref_only)
			continue;
		p->c[p->nr].pt = &pts[i];
		p->c[p->nr].kind = pts[i].tracepoint ? ATTACH_TP_BTF : kind;
		snprintf(p->c[p->nr].reason, ATTACH_REASON_LEN, "why %s",
			 pts[i].name);
		va_start(ap, kind);
		while ((miss = va_arg(ap, const char *)))
			if (!strcmp(miss, pts[i].name))
				p->c[p->nr].kind = ATTACH_MISSING;
		va_end(ap);
		p->nr++;
	}
}

static enum backend_state state_of(const struct attach_plan *p,
				   enum dt_backend be)
{
	struct backend_eval ev;

	attach_backend_eval(p, be, &ev);
	return ev.state;
}

static void test_backend_states(void **state)
{
	char err[512];
	struct attach_plan p;

	(void)state;
	fake_plan(&p, ATTACH_FENTRY, "amd_iommu_int_handler", NULL);
	assert_int_equal(state_of(&p, DT_BACKEND_IOMMUFD), BACKEND_LIVE);
	assert_int_equal(state_of(&p, DT_BACKEND_FAULTS), BACKEND_LIVE);
	assert_int_equal(state_of(&p, DT_BACKEND_SEED), BACKEND_ABSENT);
	assert_int_equal(attach_plan_check(&p, err, sizeof(err)), 0);

	/* compat absent as a whole: reported, not an error */
	fake_plan(&p, ATTACH_KPROBE, "iommufd_vfio_ioctl", NULL);
	assert_int_equal(state_of(&p, DT_BACKEND_COMPAT), BACKEND_ABSENT);
	assert_int_equal(attach_plan_check(&p, err, sizeof(err)), 0);

	/* a required point of a present backend missing: an error */
	fake_plan(&p, ATTACH_FENTRY, "iommufd_ioas_unmap", NULL);
	assert_int_equal(state_of(&p, DT_BACKEND_IOMMUFD), BACKEND_PARTIAL);
	assert_int_equal(attach_plan_check(&p, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "backend iommufd partially present"));
	assert_non_null(strstr(err, "iommufd_ioas_unmap: why iommufd_ioas_unmap"));

	/* optional points missing: still live */
	fake_plan(&p, ATTACH_FENTRY, "iopt_reserve_iova",
		  "iommufd_hw_pagetable_detach", NULL);
	assert_int_equal(state_of(&p, DT_BACKEND_IOMMUFD), BACKEND_LIVE);
	assert_int_equal(state_of(&p, DT_BACKEND_FAULTS), BACKEND_LIVE);
}

static void test_nothing_live(void **state)
{
	struct attach_plan p;
	char err[512];
	int i;

	(void)state;
	fake_plan(&p, ATTACH_FENTRY, NULL);
	for (i = 0; i < p.nr; i++)
		if (p.c[i].pt->backend != DT_BACKEND_FAULTS)
			p.c[i].kind = ATTACH_MISSING;
	assert_true(attach_plan_any_live(&p));
	assert_int_equal(attach_plan_check(&p, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "no backend with ops is live"));
	assert_non_null(strstr(err, "iommufd_ioas_alloc_ioctl: why"));
	for (i = 0; i < p.nr; i++)
		p.c[i].kind = ATTACH_MISSING;
	assert_false(attach_plan_any_live(&p));
}

static void test_report_lines(void **state)
{
	struct attach_plan p;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	fake_plan(&p, ATTACH_FENTRY, "amd_iommu_int_handler", NULL);
	f = open_memstream(&buf, &len);
	attach_plan_report(&p, f);
	fclose(f);
	assert_non_null(strstr(buf, "dmatrace: 23 of 24 points live: fentry 22 tp_btf 1; amd_iommu_int_handler missing (why amd_iommu_int_handler)\n"));
	assert_non_null(strstr(buf, "\ndmatrace: backend iommufd: live (10 points: fentry 10)\n"));
	assert_non_null(strstr(buf, "\ndmatrace: backend iommufd-compat: live (1 point: fentry 1)\n"));
	assert_non_null(strstr(buf, "\ndmatrace: backend seed-windows: absent (reference only)\n"));
	assert_non_null(strstr(buf, "\ndmatrace: backend faults: live (5 of 6 points: fentry 4 tp_btf 1; amd_iommu_int_handler missing)\n"));
	assert_non_null(strstr(buf, "\ndmatrace: backend vfio-type1: live (7 points: fentry 7)\n"));
	/*
	 * entries 10 + 1 + 2 + 5, exits 9 + 1 + 2 + 6 (attach, replace and
	 * type1's group attach/detach: fexit only; type1's release: entry only)
	 */
	assert_non_null(strstr(buf, "\ndmatrace: links: fentry 18 fexit 18 tp_btf 1\n"));
	free(buf);
}

static char *write_tmp(const char *text)
{
	static char path[] = "/tmp/test_attach_plan.XXXXXX";
	char *p = strdup(path);
	int fd = mkstemp(p);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return p;
}

static void test_kallsyms(void **state)
{
	char *path = write_tmp(
		"ffffffff81000000 T _stext\n"
		"ffffffffc0123000 t iommufd_ioas_map\t[iommufd]\n"
		"ffffffff81234000 d some_data\n"
		"0000000000000000 t dmar_fault\n");
	struct ksyms *k;
	const char *mod = "x";

	(void)state;
	assert_int_equal(ksyms_load(&k, path, KSYMS_KALLSYMS), 0);
	assert_true(ksyms_find(k, "iommufd_ioas_map", &mod));
	assert_string_equal(mod, "iommufd");
	assert_true(ksyms_find(k, "dmar_fault", &mod));
	assert_null(mod);
	assert_false(ksyms_find(k, "some_data", NULL));
	assert_false(ksyms_find(k, "amd_iommu_int_handler", NULL));
	ksyms_free(k);
	unlink(path);
	free(path);
	assert_int_equal(ksyms_load(&k, "/nonexistent/kallsyms", KSYMS_KALLSYMS),
			 -ENOENT);
}

static void test_filter_functions(void **state)
{
	char *path = write_tmp("iommufd_ioas_map [iommufd]\nvfs_read\n");
	struct ksyms *k;
	const char *mod = "x";

	(void)state;
	assert_int_equal(ksyms_load(&k, path, KSYMS_FILTER), 0);
	assert_true(ksyms_find(k, "vfs_read", &mod));
	assert_null(mod);
	assert_true(ksyms_find(k, "iommufd_ioas_map", &mod));
	assert_string_equal(mod, "iommufd");
	assert_false(ksyms_find(k, "iommufd", NULL));
	ksyms_free(k);
	unlink(path);
	free(path);
}

static struct btf *vmlinux;

static int btf_setup(void **state)
{
	const char *path = getenv("DT_VMLINUX_BTF");

	(void)state;
	vmlinux = btf__parse(path ? path : "../shared/vm/vmlinux.btf", NULL);
	return 0;
}

static int btf_teardown(void **state)
{
	(void)state;
	btf__free(vmlinux);
	return 0;
}

/* Check name's prototype against p: 0 or -EINVAL, the reason in why */
static int check(const char *name, bool tp, const struct attach_proto *p,
		 char *why, size_t sz)
{
	char tname[128];
	int id;

	snprintf(tname, sizeof(tname), tp ? "btf_trace_%s" : "%s", name);
	id = btf__find_by_name_kind(vmlinux, tname,
				    tp ? BTF_KIND_TYPEDEF : BTF_KIND_FUNC);
	assert_true(id > 0);
	return btf_proto_check(vmlinux, id, p, why, sz);
}

/* Every kernel point of the table matches 6.12's BTF, when it has it */
static void test_proto_table_matches_612(void **state)
{
	const struct attach_point *pts;
	char why[160] = "", tname[128];
	int i, nr, n = 0;

	(void)state;
	if (!vmlinux)
		skip();
	pts = attach_points(&nr);
	for (i = 0; i < nr; i++) {
		snprintf(tname, sizeof(tname), "%s%s",
			 pts[i].tracepoint ? "btf_trace_" : "", pts[i].name);
		if (pts[i].ref_only ||
		    btf__find_by_name_kind(vmlinux, tname, pts[i].tracepoint ?
					   BTF_KIND_TYPEDEF : BTF_KIND_FUNC) < 0)
			continue;
		if (check(pts[i].name, pts[i].tracepoint, &pts[i].proto, why,
			  sizeof(why)))
			fail_msg("%s: %s", pts[i].name, why);
		n++;
	}
	/* all of them: amd_iommu_int_handler too (the AMD fault point) */
	assert_int_equal(n, 24);
}

static void test_proto_mismatch(void **state)
{
	const struct attach_proto two = { "int", 2, { "struct iommufd_ucmd *" } };
	const struct attach_proto arg = { "int", 3, { "struct iommufd_ioas *" } };
	const struct attach_proto ret = { "long int", 1, { NULL } };
	const struct attach_proto tdef = { NULL, 3, { NULL, NULL, "unsigned int" } };
	const struct attach_proto tp = { NULL, 3, { "struct device *", "int" } };
	char why[160];

	(void)state;
	if (!vmlinux)
		skip();
	assert_int_equal(check("iommufd_ioas_map", false, &two, why, sizeof(why)),
			 -EINVAL);
	assert_string_equal(why, "BTF prototype has 1 arguments, 2 expected");
	assert_int_equal(check("iommufd_vfio_ioctl", false, &arg, why, sizeof(why)),
			 -EINVAL);
	assert_string_equal(why, "BTF prototype: argument 1 is 'struct iommufd_ctx *', 'struct iommufd_ioas *' expected");
	assert_int_equal(check("iommufd_ioas_map", false, &ret, why, sizeof(why)),
			 -EINVAL);
	assert_string_equal(why, "BTF prototype returns 'int', 'long int' expected");
	/* ioasid_t is a typedef of unsigned int: both names match */
	assert_int_equal(check("iommufd_hw_pagetable_attach", false, &tdef, why,
			       sizeof(why)), 0);
	/* a tracepoint's prototype is its btf_trace_ typedef's, minus ctx */
	assert_int_equal(check("io_page_fault", true, &tp, why, sizeof(why)),
			 -EINVAL);
	assert_string_equal(why, "BTF prototype: argument 2 is 'long unsigned int', 'int' expected");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_points_per_backend),
		cmocka_unit_test(test_needs_per_kind),
		cmocka_unit_test(test_backend_states),
		cmocka_unit_test(test_nothing_live),
		cmocka_unit_test(test_report_lines),
		cmocka_unit_test(test_kallsyms),
		cmocka_unit_test(test_filter_functions),
		cmocka_unit_test_setup_teardown(test_proto_table_matches_612,
						btf_setup, btf_teardown),
		cmocka_unit_test_setup_teardown(test_proto_mismatch,
						btf_setup, btf_teardown),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
