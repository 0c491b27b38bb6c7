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

/* The IOAS behind the type1 compat front, when the ref says where it is */
static __always_inline __u32 compat_ioas_id(__u64 ictx)
{
#ifdef REF_ICTX_OFF_VFIO_IOAS_ID
	return ref_read_id(ictx, REF_ICTX_OFF_VFIO_IOAS_ID);
#else
	return 0;
#endif
}

static __always_inline __u32 iopt_ioas_id(__u64 iopt)
{
	return ref_read_id(iopt, REF_IOPT_OFF_IOAS_ID);
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

UPROBE_HANDLER(iommufd_ioas_alloc_ioctl, DT_OP_IOAS_ALLOC)
UPROBE_HANDLER(iommufd_destroy, DT_OP_DESTROY)
UPROBE_HANDLER(iommufd_ioas_map, DT_OP_MAP)
UPROBE_HANDLER(iommufd_ioas_unmap, DT_OP_UNMAP)
UPROBE_HANDLER(iommufd_ioas_copy, DT_OP_COPY)
UPROBE_HANDLER(iommufd_ioas_iova_ranges, DT_OP_IOVA_RANGES)
UPROBE_HANDLER(iommufd_ioas_allow_iovas, DT_OP_ALLOW_IOVAS)

SEC("uprobe")
int BPF_KPROBE(u_iommufd_vfio_ioctl, void *ictx, unsigned int cmd,
	       unsigned long arg)
{
	call_enter_type1((__u64)ictx, cmd, arg);
	return 0;
}

SEC("uretprobe")
int BPF_KRETPROBE(ur_iommufd_vfio_ioctl, long ret)
{
	call_exit_type1((int)ret, true);
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

SEC("tp_btf/sched_process_fork")
int BPF_PROG(u_fork, struct task_struct *parent, struct task_struct *child)
{
	follow_fork(parent, child);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
