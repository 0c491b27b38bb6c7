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

#include "handlers.bpf.h"
#include "faults.bpf.h"

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
#define KERNEL_OP_TYPE1(id, hook)	/* native type1: traced in the next change */
#define KERNEL_OP(id, name, be, kind, uapi, ioctl, hook, ...)		\
	KERNEL_OP_##be(id, hook)
DT_OP_TABLE(KERNEL_OP)

SEC("fentry/iommufd_vfio_ioctl")
int BPF_PROG(f_iommufd_vfio_ioctl, struct iommufd_ctx *ictx, unsigned int cmd,
	     unsigned long arg)
{
	call_enter_type1((__u64)ictx, cmd, arg);
	return 0;
}

SEC("fexit/iommufd_vfio_ioctl")
int BPF_PROG(fx_iommufd_vfio_ioctl, struct iommufd_ctx *ictx, unsigned int cmd,
	     unsigned long arg, int ret)
{
	call_exit_type1(ret, false);
	return 0;
}

SEC("kprobe/iommufd_vfio_ioctl")
int BPF_KPROBE(k_iommufd_vfio_ioctl, struct iommufd_ctx *ictx, unsigned int cmd,
	       unsigned long arg)
{
	call_enter_type1((__u64)ictx, cmd, arg);
	return 0;
}

SEC("kretprobe/iommufd_vfio_ioctl")
int BPF_KRETPROBE(kr_iommufd_vfio_ioctl, long ret)
{
	call_exit_type1((int)ret, false);
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

SEC("fentry/iommufd_fops_release")
int BPF_PROG(f_iommufd_fops_release)
{
	teardown_enter();
	return 0;
}

SEC("fexit/iommufd_fops_release")
int BPF_PROG(fx_iommufd_fops_release)
{
	teardown_exit();
	return 0;
}

SEC("kprobe/iommufd_fops_release")
int BPF_KPROBE(k_iommufd_fops_release)
{
	teardown_enter();
	return 0;
}

SEC("kretprobe/iommufd_fops_release")
int BPF_KRETPROBE(kr_iommufd_fops_release)
{
	teardown_exit();
	return 0;
}

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

#define AMD_FAULT_HANDLER(prefix, sec, IN)				\
SEC(sec "/amd_iommu_report_page_fault")					\
int IN(prefix##_amd_iommu_report_page_fault, void *iommu, u16 devid,	\
       u16 domain_id, u64 address, int flags)				\
{									\
	fault_report(devid, address, flags & AMD_EVENT_FLAG_RW ?	\
		     DT_FAULT_WRITE : DT_FAULT_READ);			\
	return 0;							\
}

AMD_FAULT_HANDLER(f, "fentry", BPF_PROG)
AMD_FAULT_HANDLER(k, "kprobe", BPF_KPROBE)

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
