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
static __always_inline bool t1_find_dma(__u64 iommu, __u64 start, __u64 last,
					struct dt_range *hit)
{
	__u64 b[REF_ITREE_NODE_HEAD / 8], node = 0;
	int i;

	if (!iommu)
		return false;
	if (bpf_probe_read_user(&node, sizeof(node),
				(void *)(iommu + REF_T1_OFF_DMA_ROOT))) {
		count(DT_CNT_READ_FAIL);
		return false;
	}
	for (i = 0; i < T1_TREE_DEPTH && node; i++) {
		if (bpf_probe_read_user(b, sizeof(b), (void *)node)) {
			count(DT_CNT_READ_FAIL);
			return false;
		}
		if (last < b[REF_ITREE_OFF_START / 8]) {
			node = b[REF_ITREE_OFF_LEFT / 8];
		} else if (start > b[REF_ITREE_OFF_LAST / 8]) {
			node = b[REF_ITREE_OFF_RIGHT / 8];
		} else {
			hit->start = b[REF_ITREE_OFF_START / 8];
			hit->last = b[REF_ITREE_OFF_LAST / 8];
			return true;
		}
	}
	if (node)
		count(DT_CNT_READ_FAIL);
	return false;
}

#include "handlers.bpf.h"

static __always_inline __u64 ucmd_cmd(void *ucmd)
{
	__u64 cmd = 0;

	if (bpf_probe_read_user(&cmd, sizeof(cmd), ucmd + REF_UCMD_OFF_CMD))
		count(DT_CNT_READ_FAIL);
	return cmd;
}

#define UPROBE_HANDLER(fn, op)						\
SEC("uprobe")								\
int BPF_KPROBE(u_##fn, void *ucmd)					\
{									\
	call_enter(op, ucmd_cmd(ucmd), true);				\
	return 0;							\
}									\
SEC("uretprobe")							\
int BPF_KRETPROBE(ur_##fn, long ret)					\
{									\
	call_exit(op, (int)ret, true);				\
	return 0;							\
}

/* One pair per op of a DT_DISPATCH_UCMD backend, from the op table */
#define UPROBE_OP_IOMMUFD(id, hook)	UPROBE_HANDLER(hook, DT_OP_##id)
#define UPROBE_OP_SEED(id, hook)	UPROBE_HANDLER(hook, DT_OP_##id)
#define UPROBE_OP_COMPAT(id, hook)	/* iommufd_vfio_ioctl, below */
#define UPROBE_OP_TYPE1(id, hook)	/* vfio_iommu_type1_ioctl, below */
#define UPROBE_OP(id, name, be, kind, uapi, ioctl, hook, ...)		\
	UPROBE_OP_##be(id, hook)
DT_OP_TABLE(UPROBE_OP)

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

SEC("uprobe")
int BPF_KPROBE(u_iommufd_ioas_window_add, void *ucmd)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 cmd = ucmd_cmd(ucmd);

	bpf_map_update_elem(&window_cmds, &tid, &cmd, BPF_ANY);
	return 0;
}

SEC("uretprobe")
int BPF_KRETPROBE(ur_iommufd_ioas_window_add, long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 *cmd = bpf_map_lookup_elem(&window_cmds, &tid);

	if (!cmd)
		return 0;
	window_add_exit(*cmd, (int)ret);
	bpf_map_delete_elem(&window_cmds, &tid);
	return 0;
}

SEC("uprobe")
int BPF_KPROBE(u_iommufd_vfio_ioctl, void *ictx, unsigned int cmd,
	       unsigned long arg)
{
	call_enter_ioctl(DT_BACKEND_COMPAT, (__u64)ictx, cmd, arg);
	return 0;
}

SEC("uretprobe")
int BPF_KRETPROBE(ur_iommufd_vfio_ioctl, long ret)
{
	call_exit_ioctl((int)ret, true);
	return 0;
}

/* Native VFIO type1: the reference's container driver */
SEC("uprobe")
int BPF_KPROBE(u_vfio_iommu_type1_ioctl, void *iommu, unsigned int cmd,
	       unsigned long arg)
{
	call_enter_ioctl(DT_BACKEND_TYPE1, (__u64)iommu, cmd, arg);
	return 0;
}

SEC("uretprobe")
int BPF_KRETPROBE(ur_vfio_iommu_type1_ioctl, long ret)
{
	call_exit_ioctl((int)ret, true);
	return 0;
}

SEC("uprobe")
int BPF_KPROBE(u_vfio_pin_pages_remote)
{
	t1_pin_enter();
	return 0;
}

SEC("uretprobe")
int BPF_KRETPROBE(ur_vfio_pin_pages_remote, long ret)
{
	t1_pin_exit(ret);
	return 0;
}

#define T1_GROUP_UPROBES(fn, why, is_void)					\
SEC("uprobe")								\
int BPF_KPROBE(u_##fn, void *iommu)					\
{									\
	t1_group_enter((__u64)iommu, 0);				\
	return 0;							\
}									\
SEC("uretprobe")							\
int BPF_KRETPROBE(ur_##fn, long ret)					\
{									\
	struct t1_group_call g;						\
									\
	t1_group_exit(why, is_void ? 0 : (int)ret, &g);			\
	return 0;							\
}

T1_GROUP_UPROBES(vfio_iommu_type1_attach_group, DT_T1_ATTACH, false)
T1_GROUP_UPROBES(vfio_iommu_type1_detach_group, DT_T1_DETACH, true)

SEC("uprobe")
int BPF_KPROBE(u_vfio_iommu_type1_release, void *iommu)
{
	t1_release((__u64)iommu);
	return 0;
}

SEC("uprobe")
int BPF_KPROBE(u_iopt_reserve_iova, void *iopt, unsigned long start,
	       unsigned long last, void *owner)
{
	resv_enter((__u64)iopt, start, last, (__u64)owner);
	return 0;
}

SEC("uretprobe")
int BPF_KRETPROBE(ur_iopt_reserve_iova, long ret)
{
	resv_exit((int)ret);
	return 0;
}

SEC("uprobe")
int BPF_KPROBE(u_iopt_remove_reserved_iova, void *iopt, void *owner)
{
	resv_remove((__u64)iopt, (__u64)owner);
	return 0;
}

/* dmaload's close of a reference container: its teardown */
SEC("uprobe")
int BPF_KPROBE(u_vfio_container_close)
{
	teardown_enter();
	return 0;
}

SEC("uretprobe")
int BPF_KRETPROBE(ur_vfio_container_close)
{
	teardown_exit();
	return 0;
}

SEC("uprobe")
int BPF_KPROBE(u_iommufd_ctx_destroy)
{
	teardown_enter();
	return 0;
}

SEC("uretprobe")
int BPF_KRETPROBE(ur_iommufd_ctx_destroy)
{
	teardown_exit();
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(u_fork, struct task_struct *parent, struct task_struct *child)
{
	follow_fork(parent, child);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
