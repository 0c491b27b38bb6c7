// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel wrappers: fentry/fexit on the iommufd functions (vmlinux or module
 * BTF), kprobe/kretprobe as the fallback, tp_btf for IOMMU faults. The
 * loader enables, per attach point, the one variant the planner chose
 * (src/dmatrace/attach.c) and of it what the point needs (entry, exit or
 * both: src/dmatrace/attach_points.c, the programs by skeleton field in
 * src/dmatrace/skel.c); the others never load. Kernel-internal structs
 * are read with CO-RE; uAPI structs at their ABI offsets.
 */
#include "dmatrace.bpf.h"

/* ictx->vfio_ioas->obj.id: the IOAS behind the VFIO type1 compat */
static __always_inline __u32 compat_ioas_id(__u64 ictx)
{
	struct iommufd_ctx *ctx = (void *)ictx;

	if (!bpf_core_field_exists(ctx->vfio_ioas))
		return 0;
	return BPF_CORE_READ(ctx, vfio_ioas, obj.id);
}

/* container_of(iopt, struct iommufd_ioas, iopt)->obj.id */
static __always_inline __u32 iopt_ioas_id(__u64 iopt)
{
	__u64 base = iopt - bpf_core_field_offset(struct iommufd_ioas, iopt);
	__u32 id = 0;

	if (bpf_probe_read_kernel(&id, sizeof(id),
		(void *)(base + bpf_core_field_offset(struct iommufd_ioas, obj.id))))
		count(DT_CNT_READ_FAIL);
	return id;
}

/* struct vfio_iommu (vfio_iommu_type1, often a module: its BTF), mapped by task */
static __always_inline void t1_read_state_of(__u64 p, struct task_struct *task,
					     struct t1_state *st)
{
	struct vfio_iommu *iommu = (void *)p;
	__u64 rlim;

	if (!iommu)
		return;
	st->pgsize_bitmap = BPF_CORE_READ(iommu, pgsize_bitmap);
	st->dma_avail = BPF_CORE_READ(iommu, dma_avail);
	st->t1flags = DT_T1_KNOWN | DT_T1_MEMLOCK |
		      (BPF_CORE_READ(iommu, v2) ? DT_T1_V2 : 0);
	/* vfio_lock_acct() charges the mapping process's mm */
	st->locked_pages = BPF_CORE_READ(task, mm, locked_vm);
	rlim = BPF_CORE_READ(task, signal, rlim[8 /* RLIMIT_MEMLOCK */].rlim_cur);
	st->memlock_pages = rlim == ~0UL ? ~0ULL : rlim >> 12;
}

static __always_inline void t1_read_state(__u64 p, struct t1_state *st)
{
	t1_read_state_of(p, bpf_get_current_task_btf(), st);
}

/* iommu->iova_list: struct vfio_iova entries, in IOVA order */
static __always_inline void t1_read_iova_list(__u64 p, struct dt_event *e)
{
	struct vfio_iommu *iommu = (void *)p;
	__u64 head = p + bpf_core_field_offset(struct vfio_iommu, iova_list);
	__u64 off = bpf_core_field_offset(struct vfio_iova, list);
	struct list_head *pos;
	struct vfio_iova *v;
	__u32 i, n = 0;

	if (!iommu)
		return;
	pos = BPF_CORE_READ(iommu, iova_list.next);
	for (i = 0; i < DT_EVENT_RANGES; i++) {
		if (!pos || (__u64)pos == head)
			break;
		v = (void *)pos - off;
		e->ranges[n].start = BPF_CORE_READ(v, start);
		e->ranges[n].last = BPF_CORE_READ(v, end);
		n++;
		pos = BPF_CORE_READ(pos, next);
	}
	e->nr_ranges = n;
	/* more than the event carries: say so (the view marks it truncated) */
	e->total_ranges = pos && (__u64)pos != head ? n + 1 : n;
}

static __always_inline bool t1_read_v2(__u64 p)
{
	return p && BPF_CORE_READ((struct vfio_iommu *)p, v2);
}

/* struct vfio_dma's head, read whole: one read per node of the tree */
#define T1_DMA_HEAD	64

struct t1_dma {
	__u64 left, right, parent;	/* struct rb_node * of the tree */
	__u64 iova, size;
};

static __always_inline __u64 t1_head_u64(const __u8 *b, __u64 off)
{
	return *(const __u64 *)(b + (off & (T1_DMA_HEAD - 8)));
}

/* The node of iommu->dma_list at node (a struct rb_node *); false on a read fault */
static __always_inline bool t1_dma_read(__u64 node, struct t1_dma *d)
{
	__u64 node_off = bpf_core_field_offset(struct vfio_dma, node);
	__u64 left = node_off + bpf_core_field_offset(struct rb_node, rb_left);
	__u64 right = node_off + bpf_core_field_offset(struct rb_node, rb_right);
	__u64 parent = node_off + bpf_core_field_offset(struct rb_node, __rb_parent_color);
	__u64 iova = bpf_core_field_offset(struct vfio_dma, iova);
	__u64 size = bpf_core_field_offset(struct vfio_dma, size);
	__u64 b[T1_DMA_HEAD / 8];	/* 8-aligned: the reads below are u64 */

	if (left > T1_DMA_HEAD - 8 || right > T1_DMA_HEAD - 8 ||
	    parent > T1_DMA_HEAD - 8 || iova > T1_DMA_HEAD - 8 ||
	    size > T1_DMA_HEAD - 8 ||
	    bpf_probe_read_kernel(b, sizeof(b), (void *)(node - node_off))) {
		count(DT_CNT_READ_FAIL);
		return false;
	}
	d->left = t1_head_u64((const __u8 *)b, left);
	d->right = t1_head_u64((const __u8 *)b, right);
	d->parent = t1_head_u64((const __u8 *)b, parent) & ~3ULL;	/* rb_parent() */
	d->iova = t1_head_u64((const __u8 *)b, iova);
	d->size = t1_head_u64((const __u8 *)b, size);
	return true;
}

static __always_inline __u64 t1_dma_root(__u64 p)
{
	return (__u64)BPF_CORE_READ((struct vfio_iommu *)p, dma_list.rb_node);
}

/* A node of iommu->dma_list (an rb-tree of struct vfio_dma by iova) */
static __always_inline bool t1_dma_node(__u64 node, struct t1_node *n)
{
	struct t1_dma d;

	if (!t1_dma_read(node, &d))
		return false;
	n->start = d.iova;
	n->last = d.iova + d.size - 1;
	n->left = d.left;
	n->right = d.right;
	return true;
}

#include "handlers.bpf.h"
#include "faults.bpf.h"
#include "snapshot.bpf.h"

static __always_inline __u64 ucmd_cmd(struct iommufd_ucmd *ucmd)
{
	return (__u64)BPF_CORE_READ(ucmd, cmd);
}

#define KERNEL_HANDLER(fn, op)						\
SEC("fentry/" #fn)							\
int BPF_PROG(f_##fn, struct iommufd_ucmd *ucmd)				\
{									\
	call_enter(op, ucmd_cmd(ucmd), false);				\
	return 0;							\
}									\
SEC("fexit/" #fn)							\
int BPF_PROG(fx_##fn, struct iommufd_ucmd *ucmd, int ret)		\
{									\
	call_exit(op, ret, false);					\
	return 0;							\
}									\
SEC("kprobe/" #fn)							\
int BPF_KPROBE(k_##fn, struct iommufd_ucmd *ucmd)			\
{									\
	call_enter(op, ucmd_cmd(ucmd), false);				\
	return 0;							\
}									\
SEC("kretprobe/" #fn)							\
int BPF_KRETPROBE(kr_##fn, long ret)					\
{									\
	call_exit(op, (int)ret, false);				\
	return 0;							\
}

/* One set per op of the kernel's DT_DISPATCH_UCMD backend, from the op table */
#define KERNEL_OP_IOMMUFD(id, hook)	KERNEL_HANDLER(hook, DT_OP_##id)
#define KERNEL_OP_SEED(id, hook)	/* reference only */
#define KERNEL_OP_COMPAT(id, hook)	/* iommufd_vfio_ioctl, below */
#define KERNEL_OP_TYPE1(id, hook)	/* vfio_iommu_type1_ioctl, below */
#define KERNEL_OP(id, name, be, kind, uapi, ioctl, hook, ...)		\
	KERNEL_OP_##be(id, hook)
DT_OP_TABLE(KERNEL_OP)

SEC("fentry/iommufd_vfio_ioctl")
int BPF_PROG(f_iommufd_vfio_ioctl, struct iommufd_ctx *ictx, unsigned int cmd,
	     unsigned long arg)
{
	call_enter_ioctl(DT_BACKEND_COMPAT, (__u64)ictx, cmd, arg);
	return 0;
}

SEC("fexit/iommufd_vfio_ioctl")
int BPF_PROG(fx_iommufd_vfio_ioctl, struct iommufd_ctx *ictx, unsigned int cmd,
	     unsigned long arg, int ret)
{
	call_exit_ioctl(DT_BACKEND_COMPAT, ret, false);
	return 0;
}

SEC("kprobe/iommufd_vfio_ioctl")
int BPF_KPROBE(k_iommufd_vfio_ioctl, struct iommufd_ctx *ictx, unsigned int cmd,
	       unsigned long arg)
{
	call_enter_ioctl(DT_BACKEND_COMPAT, (__u64)ictx, cmd, arg);
	return 0;
}

SEC("kretprobe/iommufd_vfio_ioctl")
int BPF_KRETPROBE(kr_iommufd_vfio_ioctl, long ret)
{
	call_exit_ioctl(DT_BACKEND_COMPAT, (int)ret, false);
	return 0;
}

/* Native VFIO type1: the container's ioctl, pinning, groups, release */
SEC("fentry/vfio_iommu_type1_ioctl")
int BPF_PROG(f_vfio_iommu_type1_ioctl, void *iommu, unsigned int cmd,
	     unsigned long arg)
{
	call_enter_ioctl(DT_BACKEND_TYPE1, (__u64)iommu, cmd, arg);
	return 0;
}

SEC("fexit/vfio_iommu_type1_ioctl")
int BPF_PROG(fx_vfio_iommu_type1_ioctl, void *iommu, unsigned int cmd,
	     unsigned long arg, long ret)
{
	call_exit_ioctl(DT_BACKEND_TYPE1, (int)ret, false);
	return 0;
}

SEC("kprobe/vfio_iommu_type1_ioctl")
int BPF_KPROBE(k_vfio_iommu_type1_ioctl, void *iommu, unsigned int cmd,
	       unsigned long arg)
{
	call_enter_ioctl(DT_BACKEND_TYPE1, (__u64)iommu, cmd, arg);
	return 0;
}

SEC("kretprobe/vfio_iommu_type1_ioctl")
int BPF_KRETPROBE(kr_vfio_iommu_type1_ioctl, long ret)
{
	call_exit_ioctl(DT_BACKEND_TYPE1, (int)ret, false);
	return 0;
}

SEC("fentry/vfio_pin_pages_remote")
int BPF_PROG(f_vfio_pin_pages_remote)
{
	t1_pin_enter();
	return 0;
}

SEC("fexit/vfio_pin_pages_remote")
int BPF_PROG(fx_vfio_pin_pages_remote, void *dma, unsigned long vaddr,
	     long npage, unsigned long *pfn_base, unsigned long limit,
	     void *batch, long ret)
{
	t1_pin_exit(ret);
	return 0;
}

SEC("kprobe/vfio_pin_pages_remote")
int BPF_KPROBE(k_vfio_pin_pages_remote)
{
	t1_pin_enter();
	return 0;
}

SEC("kretprobe/vfio_pin_pages_remote")
int BPF_KRETPROBE(kr_vfio_pin_pages_remote, long ret)
{
	t1_pin_exit(ret);
	return 0;
}

/* fexit has the container at the return; a kretprobe has not: the kprobe
 * stashes it */
SEC("fexit/vfio_iommu_type1_attach_group")
int BPF_PROG(fx_vfio_iommu_type1_attach_group, void *iommu, void *group,
	     int type, int ret)
{
	t1_group_changed((__u64)iommu, DT_T1_ATTACH, ret);
	t1_group_devs((__u64)iommu, (__u64)group, DT_T1_ATTACH, ret);
	return 0;
}

SEC("fexit/vfio_iommu_type1_detach_group")
int BPF_PROG(fx_vfio_iommu_type1_detach_group, void *iommu, void *group)
{
	t1_group_changed((__u64)iommu, DT_T1_DETACH, 0);
	t1_group_devs((__u64)iommu, (__u64)group, DT_T1_DETACH, 0);
	return 0;
}

#define T1_GROUP_KPROBES(fn, why, is_void)					\
SEC("kprobe/" #fn)							\
int BPF_KPROBE(k_##fn, void *iommu, void *group)			\
{									\
	t1_group_enter((__u64)iommu, (__u64)group);			\
	return 0;							\
}									\
SEC("kretprobe/" #fn)							\
int BPF_KRETPROBE(kr_##fn, long ret)					\
{									\
	struct t1_group_call g;						\
	int r = is_void ? 0 : (int)ret;					\
									\
	if (t1_group_exit(why, r, &g))					\
		t1_group_devs(g.iommu, g.group, why, r);		\
	return 0;							\
}

T1_GROUP_KPROBES(vfio_iommu_type1_attach_group, DT_T1_ATTACH, false)
T1_GROUP_KPROBES(vfio_iommu_type1_detach_group, DT_T1_DETACH, true)

SEC("fentry/vfio_iommu_type1_release")
int BPF_PROG(f_vfio_iommu_type1_release, void *iommu)
{
	t1_release((__u64)iommu);
	return 0;
}

SEC("kprobe/vfio_iommu_type1_release")
int BPF_KPROBE(k_vfio_iommu_type1_release, void *iommu)
{
	t1_release((__u64)iommu);
	return 0;
}

#define RESV_HANDLERS(prefix, sec_in, IN)			\
SEC(sec_in "/iopt_reserve_iova")					\
int IN(prefix##_iopt_reserve_iova, struct io_pagetable *iopt,		\
       unsigned long start, unsigned long last, void *owner)		\
{									\
	resv_enter((__u64)iopt, start, last, (__u64)owner);		\
	return 0;							\
}									\
SEC(sec_in "/iopt_remove_reserved_iova")				\
int IN(prefix##_iopt_remove_reserved_iova, struct io_pagetable *iopt,	\
       void *owner)							\
{									\
	resv_remove((__u64)iopt, (__u64)owner);				\
	return 0;							\
}

RESV_HANDLERS(f, "fentry", BPF_PROG)
RESV_HANDLERS(k, "kprobe", BPF_KPROBE)

SEC("fexit/iopt_reserve_iova")
int BPF_PROG(fx_iopt_reserve_iova, struct io_pagetable *iopt,
	     unsigned long start, unsigned long last, void *owner, int ret)
{
	resv_exit(ret);
	return 0;
}

SEC("kretprobe/iopt_reserve_iova")
int BPF_KRETPROBE(kr_iopt_reserve_iova, long ret)
{
	resv_exit((int)ret);
	return 0;
}

/*
 * A file's release tears its objects down (iommufd's context; a type1
 * container or group: detach, and the driver's release with the last
 * group): the trace keeps their state from before (see teardown_enter())
 */
#define TEARDOWN_HANDLERS(fn)						\
SEC("fentry/" #fn)							\
int BPF_PROG(f_##fn)							\
{									\
	teardown_enter();						\
	return 0;							\
}									\
SEC("fexit/" #fn)							\
int BPF_PROG(fx_##fn)							\
{									\
	teardown_exit();						\
	return 0;							\
}									\
SEC("kprobe/" #fn)							\
int BPF_KPROBE(k_##fn)							\
{									\
	teardown_enter();						\
	return 0;							\
}									\
SEC("kretprobe/" #fn)							\
int BPF_KRETPROBE(kr_##fn)						\
{									\
	teardown_exit();						\
	return 0;							\
}

TEARDOWN_HANDLERS(iommufd_fops_release)
TEARDOWN_HANDLERS(vfio_fops_release)
TEARDOWN_HANDLERS(vfio_group_fops_release)

SEC("tp_btf/io_page_fault")
int BPF_PROG(t_io_page_fault, struct device *dev, unsigned long iova,
	     int flags)
{
	fault_report(dev_requester_id(dev), iova, flags);
	return 0;
}

SEC("fentry/dmar_fault")
int BPF_PROG(f_dmar_fault, int irq, void *dev_id)
{
	vtd_faults(dev_id);
	return 0;
}

SEC("kprobe/dmar_fault")
int BPF_KPROBE(k_dmar_fault, int irq, void *dev_id)
{
	vtd_faults(dev_id);
	return 0;
}

SEC("fentry/amd_iommu_int_handler")
int BPF_PROG(f_amd_iommu_int_handler, int irq, void *data)
{
	amd_evt_faults(data);
	return 0;
}

SEC("kprobe/amd_iommu_int_handler")
int BPF_KPROBE(k_amd_iommu_int_handler, int irq, void *data)
{
	amd_evt_faults(data);
	return 0;
}

/*
 * Which process attached which device to which IOAS (faults.bpf.h): fexit
 * alone (it has the arguments); a kprobe stashes them for its kretprobe
 */
SEC("fexit/iommufd_hw_pagetable_attach")
int BPF_PROG(fx_iommufd_hw_pagetable_attach, struct iommufd_hw_pagetable *hwpt,
	     struct iommufd_device *idev, ioasid_t pasid, int ret)
{
	dev_attached(hwpt, idev, pasid, ret);
	return 0;
}

SEC("kprobe/iommufd_hw_pagetable_attach")
int BPF_KPROBE(k_iommufd_hw_pagetable_attach, struct iommufd_hw_pagetable *hwpt,
	       struct iommufd_device *idev, ioasid_t pasid)
{
	dev_attach_enter((__u64)hwpt, (__u64)idev, pasid);
	return 0;
}

SEC("kretprobe/iommufd_hw_pagetable_attach")
int BPF_KRETPROBE(kr_iommufd_hw_pagetable_attach, long ret)
{
	dev_attach_exit((int)ret);
	return 0;
}

/* A replace moves the device (and its group) to another page table */
/*
 * The returned pointer is typed for the verifier (no math on it): whether
 * the replace took is read from the group instead, now on hwpt
 */
SEC("fexit/iommufd_device_do_replace")
int BPF_PROG(fx_iommufd_device_do_replace, struct iommufd_device *idev,
	     ioasid_t pasid, struct iommufd_hw_pagetable *hwpt)
{
	__u64 now = (__u64)BPF_CORE_READ(idev, igroup, hwpt);

	dev_attached(hwpt, idev, pasid, now == (__u64)hwpt ? 0 : -1);
	return 0;
}

SEC("kprobe/iommufd_device_do_replace")
int BPF_KPROBE(k_iommufd_device_do_replace, struct iommufd_device *idev,
	       ioasid_t pasid, struct iommufd_hw_pagetable *hwpt)
{
	dev_attach_enter((__u64)hwpt, (__u64)idev, pasid);
	return 0;
}

SEC("kretprobe/iommufd_device_do_replace")
int BPF_KRETPROBE(kr_iommufd_device_do_replace, long ret)
{
	dev_attach_exit(err_ptr_errno(ret));
	return 0;
}

#define DETACH_HANDLER(prefix, sec, IN)					\
SEC(sec "/iommufd_hw_pagetable_detach")					\
int IN(prefix##_iommufd_hw_pagetable_detach, struct iommufd_device *idev,	\
       ioasid_t pasid)							\
{									\
	dev_detached(idev, pasid);					\
	return 0;							\
}

DETACH_HANDLER(f, "fentry", BPF_PROG)
DETACH_HANDLER(k, "kprobe", BPF_KPROBE)

SEC("tp_btf/sched_process_fork")
int BPF_PROG(k_fork, struct task_struct *parent, struct task_struct *child)
{
	follow_fork(parent, child);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
