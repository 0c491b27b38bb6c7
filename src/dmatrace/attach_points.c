// SPDX-License-Identifier: GPL-2.0
/*
 * The attach points, backend by backend: the hooks of each backend's ops
 * (op table, one per hook) and each backend's extra points, with what
 * their BPF programs need (entry, exit, per attach kind) and read (the
 * prototype checked against BTF). Prototypes are spelt as BTF names types
 * ("long unsigned int").
 */
#include <string.h>

#include "attach.h"

#define ALL(n)	{ [ATTACH_FENTRY] = (n), [ATTACH_KPROBE] = (n),		\
		  [ATTACH_UPROBE] = (n), [ATTACH_TP_BTF] = (n) }

/* What the op hook of each backend takes: ucmd_cmd(), call_enter_ioctl() */
static const struct attach_proto op_proto[] = {
	[DT_BACKEND_IOMMUFD] = { "int", 1, { "struct iommufd_ucmd *" } },
	[DT_BACKEND_SEED] = { "int", 1, { "struct iommufd_ucmd *" } },
	[DT_BACKEND_COMPAT] = { "int", 3, { "struct iommufd_ctx *",
					    "unsigned int", "long unsigned int" } },
	[DT_BACKEND_TYPE1] = { "long int", 3, { "void *", "unsigned int",
						"long unsigned int" } },
};

static const struct attach_point extras[] = {
	{ "iopt_reserve_iova", DT_BACKEND_IOMMUFD, ROLE_OPTIONAL, ALL(NEED_BOTH),
	  .proto = { "int", 4, { "struct io_pagetable *", "long unsigned int",
				 "long unsigned int", "void *" } } },
	{ "iopt_remove_reserved_iova", DT_BACKEND_IOMMUFD, ROLE_OPTIONAL,
	  ALL(NEED_ENTRY),
	  .proto = { NULL, 2, { "struct io_pagetable *", "void *" } } },
	/* context teardown: reservations removed then are not state changes */
	{ "iommufd_fops_release", DT_BACKEND_IOMMUFD, ROLE_OPTIONAL,
	  ALL(NEED_BOTH), .kernel_only = true },
	{ "iommufd_ctx_destroy", DT_BACKEND_IOMMUFD, ROLE_OPTIONAL,
	  ALL(NEED_BOTH), .ref_only = true },
	{ "iommufd_ioas_window_add", DT_BACKEND_SEED, ROLE_REQUIRED,
	  ALL(NEED_BOTH), .ref_only = true },
	/*
	 * native type1: pinning inside a map (its share of the map's time),
	 * the container's iova_list after a group comes or goes, the driver
	 * letting go of it. fexit has the container at the return; a
	 * kretprobe has not: the kprobe stashes it.
	 */
	{ "vfio_pin_pages_remote", DT_BACKEND_TYPE1, ROLE_OPTIONAL,
	  ALL(NEED_BOTH),
	  .proto = { "long int", 6, { NULL, "long unsigned int", "long int",
				      NULL, "long unsigned int", NULL } } },
	{ "vfio_iommu_type1_attach_group", DT_BACKEND_TYPE1, ROLE_OPTIONAL,
	  { [ATTACH_FENTRY] = NEED_EXIT, [ATTACH_KPROBE] = NEED_BOTH,
	    [ATTACH_UPROBE] = NEED_BOTH },
	  .proto = { "int", 3, { "void *", NULL, NULL } } },
	{ "vfio_iommu_type1_detach_group", DT_BACKEND_TYPE1, ROLE_OPTIONAL,
	  { [ATTACH_FENTRY] = NEED_EXIT, [ATTACH_KPROBE] = NEED_BOTH,
	    [ATTACH_UPROBE] = NEED_BOTH },
	  .proto = { NULL, 2, { "void *", NULL } } },
	{ "vfio_iommu_type1_release", DT_BACKEND_TYPE1, ROLE_OPTIONAL,
	  ALL(NEED_ENTRY), .proto = { NULL, 1, { "void *" } } },
	/* teardown of a container or group file: its state is kept */
	{ "vfio_fops_release", DT_BACKEND_TYPE1, ROLE_OPTIONAL, ALL(NEED_BOTH),
	  .kernel_only = true },
	{ "vfio_group_fops_release", DT_BACKEND_TYPE1, ROLE_OPTIONAL,
	  ALL(NEED_BOTH), .kernel_only = true },
	{ "vfio_container_close", DT_BACKEND_TYPE1, ROLE_OPTIONAL,
	  ALL(NEED_BOTH), .ref_only = true },
	/* faults: any one hook that sees them ... */
	{ "io_page_fault", DT_BACKEND_FAULTS, ROLE_ANY, ALL(NEED_ENTRY),
	  .tracepoint = true, .kernel_only = true,
	  .proto = { NULL, 3, { "struct device *", "long unsigned int", "int" } } },
	{ "dmar_fault", DT_BACKEND_FAULTS, ROLE_ANY, ALL(NEED_ENTRY),
	  .kernel_only = true, .proto = { NULL, 2, { NULL, "void *" } } },
	/*
	 * AMD: the event log read at the hard interrupt handler (every
	 * AMD-Vi interrupt, MSI or intcapxt, on 6.1 and 6.12);
	 * amd_iommu_report_page_fault is inlined on both
	 */
	{ "amd_iommu_int_handler", DT_BACKEND_FAULTS, ROLE_ANY,
	  ALL(NEED_ENTRY), .kernel_only = true,
	  .proto = { NULL, 2, { NULL, "void *" } } },
	/*
	 * ... and who owns the faulting device (without them a fault has
	 * IOAS 0). fexit has the arguments at the return; a kretprobe has not:
	 * the kprobe stashes them.
	 */
	{ "iommufd_hw_pagetable_attach", DT_BACKEND_FAULTS, ROLE_OPTIONAL,
	  { [ATTACH_FENTRY] = NEED_EXIT, [ATTACH_KPROBE] = NEED_BOTH },
	  .kernel_only = true,
	  .proto = { "int", 3, { "struct iommufd_hw_pagetable *",
				 "struct iommufd_device *", "ioasid_t" } } },
	{ "iommufd_device_do_replace", DT_BACKEND_FAULTS, ROLE_OPTIONAL,
	  { [ATTACH_FENTRY] = NEED_EXIT, [ATTACH_KPROBE] = NEED_BOTH },
	  .kernel_only = true,
	  .proto = { "struct iommufd_hw_pagetable *", 3,
		     { "struct iommufd_device *", "ioasid_t",
		       "struct iommufd_hw_pagetable *" } } },
	{ "iommufd_hw_pagetable_detach", DT_BACKEND_FAULTS, ROLE_OPTIONAL,
	  ALL(NEED_ENTRY), .kernel_only = true,
	  .proto = { NULL, 2, { "struct iommufd_device *", "ioasid_t" } } },
};

#define NR_EXTRAS	(sizeof(extras) / sizeof(extras[0]))

static struct attach_point table[ATTACH_MAX_POINTS];
static int table_nr;

static bool table_has(enum dt_backend be, const char *name)
{
	int i;

	for (i = 0; i < table_nr; i++)
		if (table[i].backend == be && !strcmp(table[i].name, name))
			return true;
	return false;
}

/* One point per hook of be's ops: entry and return, a required handler */
static void add_op_points(enum dt_backend be)
{
	const struct attach_point proto = {
		.backend = be, .role = ROLE_REQUIRED, .needs = ALL(NEED_BOTH),
		.ref_only = be == DT_BACKEND_SEED,
		.proto = op_proto[be],
	};
	int op;

	for (op = 0; op < DT_OP_MAX; op++) {
		if (dt_op(op)->backend != be || table_has(be, dt_op_strings[op].hook))
			continue;
		table[table_nr] = proto;
		table[table_nr++].name = dt_op_strings[op].hook;
	}
}

const struct attach_point *attach_points(int *nr)
{
	static bool built;
	unsigned int i;
	int be;

	for (be = 0; !built && be < DT_BACKEND_MAX; be++) {
		if (dt_backends[be].dispatch != DT_DISPATCH_NONE)
			add_op_points(be);
		for (i = 0; i < NR_EXTRAS; i++)
			if (extras[i].backend == (enum dt_backend)be)
				table[table_nr++] = extras[i];
	}
	built = true;
	*nr = table_nr;
	return table;
}
