// SPDX-License-Identifier: GPL-2.0
/*
 * uprobe wrappers: the reference implementation (bin/libdmaref.so), whose
 * entry points have the kernel's names and signatures. All memory is user
 * memory and no kernel type is read (no CO-RE against iommufd types, which
 * the host kernel's BTF may lack); layouts come from build/uapi_offsets.h
 * and, for the library's private structs, from include/ref/abi.h.
 */
#include "dmatrace.bpf.h"
#include "ref/abi.h"
#include "dmatrace/uprobe.h"

static __always_inline __u32 ref_read_id(__u64 base, __u32 off)
{
	__u32 id = 0;

	if (!base)
		return 0;
	if (bpf_probe_read_user(&id, sizeof(id), (void *)(base + off)))
		count(DT_CNT_READ_FAIL);
	return id;
}

/* ictx->vfio_ioas->iopt.ioas_id: the IOAS behind the type1 compat front */
static __always_inline __u32 compat_ioas_id(__u64 ictx)
{
	__u64 ioas = 0;

	if (!ictx)
		return 0;
	if (bpf_probe_read_user(&ioas, sizeof(ioas),
				(void *)(ictx + REF_ICTX_OFF_VFIO_IOAS))) {
		count(DT_CNT_READ_FAIL);
		return 0;
	}
	if (!ioas)
		return 0;
	return ref_read_id(ioas + REF_IOAS_OFF_IOPT, REF_IOPT_OFF_IOAS_ID);
}

static __always_inline __u32 iopt_ioas_id(__u64 iopt)
{
	return ref_read_id(iopt, REF_IOPT_OFF_IOAS_ID);
}

/* The reference's struct vfio_iommu (src/ref/vfio_type1_private.h) */
static __always_inline void t1_read_state(__u64 iommu, struct t1_state *st)
{
	__u64 pgsizes = 0;
	__u32 avail = 0;
	__u8 v2 = 0;

	if (!iommu)
		return;
	if (bpf_probe_read_user(&pgsizes, sizeof(pgsizes),
				(void *)(iommu + REF_T1_OFF_PGSIZES)) ||
	    bpf_probe_read_user(&avail, sizeof(avail),
				(void *)(iommu + REF_T1_OFF_DMA_AVAIL)) ||
	    bpf_probe_read_user(&v2, sizeof(v2), (void *)(iommu + REF_T1_OFF_V2))) {
		count(DT_CNT_READ_FAIL);
		return;
	}
	st->pgsize_bitmap = pgsizes;
	st->dma_avail = avail;
	/* the modelled process's locked_vm is not read: no DT_T1_MEMLOCK */
	st->t1flags = DT_T1_KNOWN | (v2 ? DT_T1_V2 : 0);
}

/* Its iova_list: a sorted array of struct vfio_iova {start, end} */
static __always_inline void t1_read_iova_list(__u64 iommu, struct dt_event *e)
{
	__u64 v = 0;
	__u32 nr = 0, sz;

	_Static_assert(REF_T1_IOVA_SIZE == sizeof(struct dt_range),
		       "struct vfio_iova is not a struct dt_range");
	if (bpf_probe_read_user(&v, sizeof(v), (void *)(iommu + REF_T1_OFF_IOVA_V)) ||
	    bpf_probe_read_user(&nr, sizeof(nr), (void *)(iommu + REF_T1_OFF_IOVA_NR))) {
		count(DT_CNT_READ_FAIL);
		return;
	}
	e->total_ranges = nr;
	sz = ranges_bytes(nr, sizeof(e->ranges));
	if (!v || !sz || sz > sizeof(e->ranges))
		return;
	if (bpf_probe_read_user(e->ranges, sz, (void *)v)) {
		count(DT_CNT_READ_FAIL);
		return;
	}
	e->nr_ranges = sz / sizeof(struct dt_range);
}

static __always_inline bool t1_read_v2(__u64 iommu)
{
	__u8 v2 = 0;

	if (iommu && bpf_probe_read_user(&v2, sizeof(v2),
					 (void *)(iommu + REF_T1_OFF_V2)))
		count(DT_CNT_READ_FAIL);
	return v2;
}

/* The ref's dma_list: an interval tree of struct itree_node by start */
static __always_inline __u64 t1_dma_root(__u64 iommu)
{
	__u64 node = 0;

	if (bpf_probe_read_user(&node, sizeof(node),
				(void *)(iommu + REF_T1_OFF_DMA_ROOT)))
		count(DT_CNT_READ_FAIL);
	return node;
}

static __always_inline bool t1_dma_node(__u64 node, struct t1_node *n)
{
	__u64 b[REF_ITREE_NODE_HEAD / 8];

	if (bpf_probe_read_user(b, sizeof(b), (void *)node)) {
		count(DT_CNT_READ_FAIL);
		return false;
	}
	n->start = b[REF_ITREE_OFF_START / 8];
	n->last = b[REF_ITREE_OFF_LAST / 8];
	n->left = b[REF_ITREE_OFF_LEFT / 8];
	n->right = b[REF_ITREE_OFF_RIGHT / 8];
	return true;
}

#include "handlers.bpf.h"

static __always_inline __u64 ucmd_cmd(void *ucmd)
{
	__u64 cmd = 0;

	if (bpf_probe_read_user(&cmd, sizeof(cmd), ucmd + REF_UCMD_OFF_CMD))
		count(DT_CNT_READ_FAIL);
	return cmd;
}

/* The entry and the exit of each op of a DT_DISPATCH_UCMD backend */
#define UCMD_ENTER(id)							\
	case DT_OP_##id:						\
		c = call_begin(DT_OP_##id, 0);				\
		if (c) {						\
			c->cmd = ucmd_cmd(ucmd);			\
			call_enter_read(c, DT_OP_##id, true);		\
		}							\
		break;
#define UCMD_EXIT(id)							\
	case DT_OP_##id:						\
		call_exit(DT_OP_##id, ret, true);			\
		break;
#define UCMD_IOMMUFD(f, id)	f(id)
#define UCMD_SEED(f, id)	f(id)
#define UCMD_COMPAT(f, id)	/* iommufd_vfio_ioctl */
#define UCMD_TYPE1(f, id)	/* vfio_iommu_type1_ioctl */
#define UCMD_ENTER_OP(id, name, be, ...)	UCMD_##be(UCMD_ENTER, id)
#define UCMD_EXIT_OP(id, name, be, ...)		UCMD_##be(UCMD_EXIT, id)

/* ucmd->cmd is read once the process is known to be traced */
static __always_inline void ucmd_enter(__u32 op, void *ucmd)
{
	struct dt_call *c;

	switch (op) {
	DT_OP_TABLE(UCMD_ENTER_OP)
	}
}

static __always_inline void ucmd_exit(__u32 op, int ret)
{
	switch (op) {
	DT_OP_TABLE(UCMD_EXIT_OP)
	}
}

/*
 * Window add (seed extension): not an op of the summary, only window state;
 * the handler's uAPI struct is the ref's copy, still valid at return.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, DT_MAX_THREADS);
	__type(key, __u32);
	__type(value, __u64);
} window_cmds SEC(".maps");

static __always_inline void window_add_enter(void *ucmd)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 cmd = ucmd_cmd(ucmd);

	bpf_map_update_elem(&window_cmds, &tid, &cmd, BPF_ANY);
}

static __always_inline void window_add_return(int ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 *cmd = bpf_map_lookup_elem(&window_cmds, &tid);

	if (!cmd)
		return;
	window_add_exit(*cmd, ret);
	bpf_map_delete_elem(&window_cmds, &tid);
}

/*
 * Every function of the library, by its cookie (include/dmatrace/uprobe.h):
 * the op handlers take a struct iommufd_ucmd *; the ioctls (iommufd's VFIO
 * compat, a native type1 container) their context, cmd and arg; the rest
 * their own arguments.
 */
SEC("uprobe.multi")
int BPF_KPROBE(u_entry, __u64 a0, __u64 a1, __u64 a2, __u64 a3)
{
	__u64 cookie = bpf_get_attach_cookie(ctx);

	switch (DT_UFN_OF(cookie)) {
	case DT_UFN_OP:
		ucmd_enter(DT_UFN_OP_OF(cookie), (void *)a0);
		break;
	case DT_UFN_COMPAT_IOCTL:
		call_enter_ioctl(DT_BACKEND_COMPAT, a0, (unsigned int)a1, a2);
		break;
	case DT_UFN_TYPE1_IOCTL:
		call_enter_ioctl(DT_BACKEND_TYPE1, a0, (unsigned int)a1, a2);
		break;
	case DT_UFN_PIN:
		t1_pin_enter();
		break;
	case DT_UFN_T1_ATTACH:
	case DT_UFN_T1_DETACH:
		t1_group_enter(a0, 0);
		break;
	case DT_UFN_T1_RELEASE:
		t1_release(a0);
		break;
	case DT_UFN_RESV:
		resv_enter(a0, a1, a2, a3);
		break;
	case DT_UFN_RESV_REMOVE:
		resv_remove(a0, a1);
		break;
	case DT_UFN_TEARDOWN:
		teardown_enter();
		break;
	case DT_UFN_WINDOW_ADD:
		window_add_enter((void *)a0);
		break;
	}
	return 0;
}

SEC("uretprobe.multi")
int BPF_KRETPROBE(u_return, long ret)
{
	__u64 cookie = bpf_get_attach_cookie(ctx);
	struct t1_group_call g;

	switch (DT_UFN_OF(cookie)) {
	case DT_UFN_OP:
		ucmd_exit(DT_UFN_OP_OF(cookie), (int)ret);
		break;
	case DT_UFN_COMPAT_IOCTL:
		call_exit_ioctl(DT_BACKEND_COMPAT, (int)ret, true);
		break;
	case DT_UFN_TYPE1_IOCTL:
		call_exit_ioctl(DT_BACKEND_TYPE1, (int)ret, true);
		break;
	case DT_UFN_PIN:
		t1_pin_exit(ret);
		break;
	case DT_UFN_T1_ATTACH:
		t1_group_exit(DT_T1_ATTACH, (int)ret, &g);
		break;
	case DT_UFN_T1_DETACH:	/* void */
		t1_group_exit(DT_T1_DETACH, 0, &g);
		break;
	case DT_UFN_RESV:
		resv_exit((int)ret);
		break;
	case DT_UFN_TEARDOWN:
		teardown_exit();
		break;
	case DT_UFN_WINDOW_ADD:
		window_add_return((int)ret);
		break;
	}
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(u_fork, struct task_struct *parent, struct task_struct *child)
{
	follow_fork(parent, child);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
