/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the loader tells the BPF programs before load (.rodata): filters and
 * which concerns are on. Shared by bpf/ and src/dmatrace/.
 */
#ifndef DMATRACE_CONFIG_H
#define DMATRACE_CONFIG_H

struct dt_config {
	__u32 tgid;		/* only this process; 0: all */
	__u32 ioas_id;		/* only this IOAS (latency, violations); 0: all */
	__u32 op;		/* only this enum dt_op (latency, violations) */
	__u32 filter_op;	/* op is valid */
	__u32 tgid_set;		/* only processes in the tgids map (-- CMD) */
	__u32 windows;		/* track areas, usage and window events */
	__u32 violations;	/* send DT_EV_OP_FAILED / DT_EV_OUTSIDE_ALLOWED */
	__u32 unmap_events;	/* send DT_EV_UNMAP (to explain IOMMU faults) */
	__u32 vfio_rdev;	/* the kernel dev_t of /dev/vfio/vfio (snapshot) */
	__u32 iommu_rdev;	/* the kernel dev_t of /dev/iommu (snapshot) */
};

#endif /* DMATRACE_CONFIG_H */
