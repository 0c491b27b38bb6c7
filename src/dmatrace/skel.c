// SPDX-License-Identifier: GPL-2.0
/* The BPF skeletons behind one typed view: see skel.h */
#include <errno.h>
#include <string.h>
#include <bpf/libbpf.h>

#include "tracer.h"	/* struct dt_config, before the skeletons */
#include "skel.h"
#include "dmatrace_kernel.skel.h"
#include "dmatrace_user.skel.h"
#include "dmatrace/uprobe.h"

#define MAPS_OF(sk) ((struct dt_maps){					\
	.hists = (sk)->maps.hists, .usage = (sk)->maps.usage,		\
	.areas = (sk)->maps.areas, .allowed = (sk)->maps.allowed,	\
	.counters = (sk)->maps.counters, .events = (sk)->maps.events,	\
	.pin_hists = (sk)->maps.pin_hists, .procs = (sk)->maps.procs,	\
	.tgids = (sk)->maps.tgids, .containers = (sk)->maps.containers })

/* Kernel points: fentry/fexit and kprobe/kretprobe programs by field */
#define K_PROGS(fn, f, fx, k, kr)					\
	{ #fn, { [ATTACH_FENTRY] = { f, fx }, [ATTACH_KPROBE] = { k, kr } }, 0 },
#define K_BOTH(fn)	K_PROGS(fn, sk->progs.f_##fn, sk->progs.fx_##fn,	\
				sk->progs.k_##fn, sk->progs.kr_##fn)
#define K_ENTRY(fn)	K_PROGS(fn, sk->progs.f_##fn, NULL, sk->progs.k_##fn, NULL)
/* fexit alone has the arguments at the return; the kprobe stashes them */
#define K_FEXIT(fn)	K_PROGS(fn, NULL, sk->progs.fx_##fn,		\
				sk->progs.k_##fn, sk->progs.kr_##fn)
#define K_TP(tp)	{ #tp, { [ATTACH_TP_BTF] = { sk->progs.t_##tp, NULL } }, 0 },

/* The kernel's handlers of the per-op (DT_DISPATCH_UCMD) backend */
#define K_OP_IOMMUFD(hook)	K_BOTH(hook)
#define K_OP_COMPAT(hook)	/* one ioctl hook for all: below */
#define K_OP_SEED(hook)		/* reference only */
#define K_OP_TYPE1(hook)	/* one ioctl hook for all: below */
#define K_OP(id, name, be, kind, uapi, ioctl, hook, ...) K_OP_##be(hook)

static void kernel_points(struct dt_skel *s, struct dmatrace_kernel_bpf *sk)
{
	const struct dt_point_progs pts[] = {
		DT_OP_TABLE(K_OP)
		K_BOTH(iommufd_vfio_ioctl)
		K_BOTH(vfio_iommu_type1_ioctl)
		K_BOTH(vfio_pin_pages_remote)
		K_FEXIT(vfio_iommu_type1_attach_group)
		K_FEXIT(vfio_iommu_type1_detach_group)
		K_ENTRY(vfio_iommu_type1_release)
		K_BOTH(vfio_fops_release)
		K_BOTH(vfio_group_fops_release)
		K_BOTH(iopt_reserve_iova)
		K_ENTRY(iopt_remove_reserved_iova)
		K_BOTH(iommufd_fops_release)
		K_TP(io_page_fault)
		K_ENTRY(dmar_fault)
		K_ENTRY(amd_iommu_int_handler)
		K_FEXIT(iommufd_hw_pagetable_attach)
		K_FEXIT(iommufd_device_do_replace)
		K_ENTRY(iommufd_hw_pagetable_detach)
	};

	_Static_assert(sizeof(pts) <= sizeof(s->pts), "too many points");
	memcpy(s->pts, pts, sizeof(pts));
	s->nr = sizeof(pts) / sizeof(pts[0]);
}

static int open_kernel(struct dt_skel *s, const struct dt_config *cfg)
{
	struct dmatrace_kernel_bpf *sk = dmatrace_kernel_bpf__open();

	if (!sk)
		return -errno;
	kernel_points(s, sk);
	sk->rodata->cfg = *cfg;
	s->kernel = sk;
	s->obj = sk->obj;
	s->maps = MAPS_OF(sk);
	s->fork = sk->progs.k_fork;
	s->snapshot[SNAP_TYPE1] = sk->progs.snapshot_files;
	s->snapshot[SNAP_IOMMUFD] = sk->progs.snapshot_iommufd;
	return 0;
}

/*
 * Reference points: all share u_entry and u_return (one uprobe_multi link
 * each), told apart by their cookie (include/dmatrace/uprobe.h)
 */
#define U_POINT(fn, ufn, op, ret)					\
	{ #fn, { [ATTACH_UPROBE] = { sk->progs.u_entry,			\
				     (ret) ? sk->progs.u_return : NULL } }, \
	  DT_UFN_COOKIE(ufn, op) },
#define U_BOTH(fn, ufn)		U_POINT(fn, ufn, 0, true)
#define U_ENTRY(fn, ufn)	U_POINT(fn, ufn, 0, false)

#define U_OP_IOMMUFD(id, hook)	U_POINT(hook, DT_UFN_OP, DT_OP_##id, true)
#define U_OP_SEED(id, hook)	U_POINT(hook, DT_UFN_OP, DT_OP_##id, true)
#define U_OP_COMPAT(id, hook)	/* one ioctl hook for all: below */
#define U_OP_TYPE1(id, hook)	/* one ioctl hook for all: below */
#define U_OP(id, name, be, kind, uapi, ioctl, hook, ...) U_OP_##be(id, hook)

static void user_points(struct dt_skel *s, struct dmatrace_user_bpf *sk)
{
	const struct dt_point_progs pts[] = {
		DT_OP_TABLE(U_OP)
		U_BOTH(iommufd_vfio_ioctl, DT_UFN_COMPAT_IOCTL)
		U_BOTH(vfio_iommu_type1_ioctl, DT_UFN_TYPE1_IOCTL)
		U_BOTH(vfio_pin_pages_remote, DT_UFN_PIN)
		U_BOTH(vfio_iommu_type1_attach_group, DT_UFN_T1_ATTACH)
		U_BOTH(vfio_iommu_type1_detach_group, DT_UFN_T1_DETACH)
		U_ENTRY(vfio_iommu_type1_release, DT_UFN_T1_RELEASE)
		U_BOTH(vfio_container_close, DT_UFN_TEARDOWN)
		U_BOTH(iopt_reserve_iova, DT_UFN_RESV)
		U_ENTRY(iopt_remove_reserved_iova, DT_UFN_RESV_REMOVE)
		U_BOTH(iommufd_ctx_destroy, DT_UFN_TEARDOWN)
		U_BOTH(iommufd_ioas_window_add, DT_UFN_WINDOW_ADD)
	};

	_Static_assert(sizeof(pts) <= sizeof(s->pts), "too many points");
	memcpy(s->pts, pts, sizeof(pts));
	s->nr = sizeof(pts) / sizeof(pts[0]);
}

static int open_user(struct dt_skel *s, const struct dt_config *cfg)
{
	struct dmatrace_user_bpf *sk = dmatrace_user_bpf__open();

	if (!sk)
		return -errno;
	user_points(s, sk);
	sk->rodata->cfg = *cfg;
	s->user = sk;
	s->obj = sk->obj;
	s->maps = MAPS_OF(sk);
	s->fork = sk->progs.u_fork;
	return 0;
}

int dt_skel_open(struct dt_skel *s, bool ref, const struct dt_config *cfg)
{
	memset(s, 0, sizeof(*s));
	return ref ? open_user(s, cfg) : open_kernel(s, cfg);
}

static const struct dt_point_progs *skel_point(const struct dt_skel *s,
					       const char *point)
{
	int i;

	for (i = 0; i < s->nr; i++)
		if (!strcmp(s->pts[i].name, point))
			return &s->pts[i];
	return NULL;
}

struct bpf_program *dt_skel_prog(const struct dt_skel *s, const char *point,
				 enum attach_kind kind, bool exit)
{
	const struct dt_point_progs *p = skel_point(s, point);

	return p ? p->prog[kind][exit] : NULL;
}

__u64 dt_skel_cookie(const struct dt_skel *s, const char *point)
{
	const struct dt_point_progs *p = skel_point(s, point);

	return p ? p->cookie : 0;
}

void dt_skel_uprobe_single(struct dt_skel *s)
{
	if (!s->user)
		return;
	bpf_program__set_expected_attach_type(s->user->progs.u_entry, 0);
	bpf_program__set_expected_attach_type(s->user->progs.u_return, 0);
}

int dt_skel_load(struct dt_skel *s)
{
	return s->user ? dmatrace_user_bpf__load(s->user) :
			 dmatrace_kernel_bpf__load(s->kernel);
}

void dt_skel_destroy(struct dt_skel *s)
{
	dmatrace_user_bpf__destroy(s->user);
	dmatrace_kernel_bpf__destroy(s->kernel);
	memset(s, 0, sizeof(*s));
}
