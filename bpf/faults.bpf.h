/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Faults concern (kernel target): a DMA fault names a device (PCI requester
 * id) and an IOVA, and happens in interrupt context, not in the process
 * that owns the device. So the attach of a device to a page table
 * (iommufd_hw_pagetable_attach, in the attaching process) records
 * requester id -> (process, IOAS), as does a replace (iommufd_device_do_replace,
 * for the device named; the other devices of its group follow when their own
 * replace comes), and so does a native type1 group attach (every device of
 * the group -> the container); the snapshot (snapshot.bpf.h) fills in the
 * devices attached before tracing started. A fault is reported with them,
 * or with IOAS 0 (unknown) for a device of no known owner.
 * Fault hooks: Intel dmar_fault (the fault records are read from the
 * IOMMU's registers before the handler clears them: the per-record helper
 * dmar_fault_do_one is inlined on 6.12), AMD amd_iommu_int_handler (the
 * event log's pending entries: amd_iommu_report_page_fault is inlined on
 * 6.1 and 6.12), and the iommu:io_page_fault tracepoint (drivers calling
 * report_iommu_fault).
 */
#ifndef DMATRACE_FAULTS_BPF_H
#define DMATRACE_FAULTS_BPF_H

#include "dmatrace.bpf.h"
#include "windows.bpf.h"	/* the areas lists, DT_AREA_STEPS */
#include "dmatrace/amd_evt.h"

#define DT_MAX_DEVS	256

/* Who attached a device, to which IOAS */
struct dt_dev_owner {
	__u32 tgid;
	__u32 ioas_id;
	char comm[DT_COMM_LEN];
};

/* PCI requester id (bus << 8 | devfn) -> owner */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, DT_MAX_DEVS);
	__type(key, __u32);
	__type(value, struct dt_dev_owner);
} devs SEC(".maps");

/* The requester id of a PCI device, or -1 for another bus */
static __always_inline int dev_requester_id(struct device *dev)
{
	struct pci_dev *pdev;
	char bus[4] = {};
	__u8 nr;

	if (!dev)
		return -1;
	bpf_probe_read_kernel_str(bus, sizeof(bus), BPF_CORE_READ(dev, bus, name));
	if (bus[0] != 'p' || bus[1] != 'c' || bus[2] != 'i')
		return -1;
	pdev = (void *)((__u64)dev - bpf_core_field_offset(struct pci_dev, dev));
	nr = BPF_CORE_READ(pdev, bus, number);
	return nr << 8 | BPF_CORE_READ(pdev, devfn);
}

/*
 * idev was attached to hwpt (iommufd_hw_pagetable_attach, or a replace),
 * with result ret: remember who did it and the IOAS behind hwpt (0 for a
 * nested hwpt)
 */
static __always_inline void dev_attached(struct iommufd_hw_pagetable *hwpt,
					 struct iommufd_device *idev,
					 __u32 pasid, int ret)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct dt_dev_owner o = { .tgid = id >> 32 };
	struct iommufd_hwpt_paging *paging;
	int rid;

	if (ret || pasid || !tgid_traced(o.tgid))
		return;
	rid = dev_requester_id(BPF_CORE_READ(idev, dev));
	if (rid < 0)
		return;
	if (BPF_CORE_READ(hwpt, obj.type) ==
	    bpf_core_enum_value(enum iommufd_object_type, IOMMUFD_OBJ_HWPT_PAGING)) {
		paging = (void *)((__u64)hwpt -
			bpf_core_field_offset(struct iommufd_hwpt_paging, common));
		o.ioas_id = BPF_CORE_READ(paging, ioas, obj.id);
	}
	bpf_get_current_comm(o.comm, sizeof(o.comm));
	if (bpf_map_update_elem(&devs, &rid, &o, BPF_ANY))
		count(DT_CNT_DEVS_FULL);
}

/*
 * Native type1: the devices of an iommu_group belong to the container the
 * group joined (vfio_iommu_type1_attach_group, or held when tracing
 * started: the snapshot), and to none once it left (detach_group).
 */
#define DT_GROUP_DEVS_MAX	64	/* devices read in one group */

struct group_devs_walk {
	__u64 head;		/* &iommu_group->devices */
	__u64 pos;		/* the next struct list_head * */
	struct dt_dev_owner o;	/* tgid 0: delete */
};

static long group_dev_step(__u32 i, struct group_devs_walk *w)
{
	struct list_head *pos = (void *)w->pos;
	struct group_device *gd;
	int rid;

	if (!w->pos || w->pos == w->head)
		return 1;
	gd = (void *)w->pos - bpf_core_field_offset(struct group_device, list);
	rid = dev_requester_id(BPF_CORE_READ(gd, dev));
	if (rid >= 0 && w->o.tgid) {
		if (bpf_map_update_elem(&devs, &rid, &w->o, BPF_ANY))
			count(DT_CNT_DEVS_FULL);
	} else if (rid >= 0)
		bpf_map_delete_elem(&devs, &rid);
	w->pos = (__u64)BPF_CORE_READ(pos, next);
	return 0;
}

/* Every device of group g now owned by o (o->tgid 0: by nobody) */
static __always_inline void group_devs_set(struct iommu_group *g,
					   const struct dt_dev_owner *o)
{
	struct group_devs_walk w = { .o = *o };

	if (!g)
		return;
	w.head = (__u64)g + bpf_core_field_offset(struct iommu_group, devices);
	w.pos = (__u64)BPF_CORE_READ(g, devices.next);
	bpf_loop(DT_GROUP_DEVS_MAX, group_dev_step, &w, 0);
	if (w.pos && w.pos != w.head)	/* more devices than read: unnoted */
		count(DT_CNT_DEVS_FULL);
}

/* At a type1 group attach's or detach's return (ret: the attach's) */
static __always_inline void t1_group_devs(__u64 iommu, __u64 group,
					  __u32 why, int ret)
{
	struct dt_dev_owner o = { .tgid = bpf_get_current_pid_tgid() >> 32 };

	if (ret || !tgid_traced(o.tgid))
		return;
	if (why == DT_T1_DETACH) {
		o.tgid = 0;
	} else {
		o.ioas_id = container_known(iommu);
		if (!o.ioas_id)
			return;
		bpf_get_current_comm(o.comm, sizeof(o.comm));
	}
	group_devs_set((void *)group, &o);
}

/* The errno of a returned pointer (ERR_PTR), or 0 */
static __always_inline int err_ptr_errno(__u64 ptr)
{
	return ptr >= (__u64)-4095 ? (int)ptr : 0;
}

/* An attach from kprobe to kretprobe (no arguments at the return) */
struct dt_attach_call {
	__u64 hwpt;
	__u64 idev;
	__u32 pasid;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, DT_MAX_THREADS);
	__type(key, __u32);
	__type(value, struct dt_attach_call);
} attach_calls SEC(".maps");

static __always_inline void dev_attach_enter(__u64 hwpt, __u64 idev, __u32 pasid)
{
	struct dt_attach_call a = { .hwpt = hwpt, .idev = idev, .pasid = pasid };
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	bpf_map_update_elem(&attach_calls, &tid, &a, BPF_ANY);
}

static __always_inline void dev_attach_exit(int ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct dt_attach_call *a = bpf_map_lookup_elem(&attach_calls, &tid);

	if (!a)
		return;
	dev_attached((void *)a->hwpt, (void *)a->idev, a->pasid, ret);
	bpf_map_delete_elem(&attach_calls, &tid);
}

/* iommufd_hw_pagetable_detach(idev, pasid) */
static __always_inline void dev_detached(struct iommufd_device *idev,
					 __u32 pasid)
{
	int rid;

	if (pasid)
		return;
	rid = dev_requester_id(BPF_CORE_READ(idev, dev));
	if (rid >= 0)
		bpf_map_delete_elem(&devs, &rid);
}

/* The areas around a faulting IOVA (see fault_near_areas) */
struct area_near {
	__u64 below, below_len;	/* last area starting at or below it; len 0: none */
	__u64 above, above_len;	/* first area starting above it */
};

struct near_ctx {
	struct dt_ioas_key ioas;
	__u64 iova;
	__u64 cur;	/* the next area of the IOAS's list */
	__u32 more;	/* cur is one */
};

/* Results in a map value, not in the callback's context (windows.bpf.h) */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct area_near);
} near_scratch SEC(".maps");

/* One area of the IOAS's list (windows.bpf.h), read without its lock */
static long area_near_cb(__u64 i, struct near_ctx *c)
{
	struct dt_area_key key = { .ioas = c->ioas, .iova = c->cur };
	struct area_near *n;
	struct dt_area *a;
	__u32 zero = 0;
	__u64 len;

	a = bpf_map_lookup_elem(&areas, &key);
	n = bpf_map_lookup_elem(&near_scratch, &zero);
	if (!a || !n) {
		c->more = 0;
		return 1;
	}
	len = a->length;
	c->cur = a->next;
	c->more = (a->flags & DT_AREA_NEXT) ? 1 : 0;
	if (key.iova <= c->iova) {
		if (!n->below_len || key.iova > n->below) {
			n->below = key.iova;
			n->below_len = len;
		}
	} else if (!n->above_len || key.iova < n->above) {
		n->above = key.iova;
		n->above_len = len;
	}
	return c->more ? 0 : 1;
}

static __always_inline void near_range(struct dt_range *r, __u64 start,
				       __u64 len)
{
	r->start = len ? start : 1;	/* empty: start > last */
	r->last = len ? start + len - 1 : 0;
}

/*
 * With areas tracked: ranges[0] = the mapped area at or below iova (it
 * covers iova, or iova lies past its end), ranges[1] = the next area above;
 * an empty range (start > last) where there is none
 */
static __always_inline void fault_near_areas(struct dt_event *e, __u32 tgid,
					     __u32 ioas_id)
{
	struct near_ctx c = { .ioas = { .tgid = tgid, .ioas_id = ioas_id },
			      .iova = e->iova };
	struct dt_ioas_usage *u;
	struct area_near *n;
	__u32 zero = 0;

	n = bpf_map_lookup_elem(&near_scratch, &zero);
	if (!n)
		return;
	__builtin_memset(n, 0, sizeof(*n));
	u = bpf_map_lookup_elem(&usage, &c.ioas);
	if (u && u->area_nr) {
		c.cur = u->area_head;
		c.more = 1;
		bpf_loop(DT_AREA_STEPS, area_near_cb, &c, 0);
		if (c.more)	/* out of steps: the nearest may be missed */
			count(DT_CNT_AREAS_WALK_CUT);
	}
	near_range(&e->ranges[0], n->below, n->below_len);
	near_range(&e->ranges[1], n->above, n->above_len);
	e->nr_ranges = e->total_ranges = 2;
}

/*
 * A fault of requester rid at iova: sent when the device belongs to a
 * traced process, or, when no process filter is set, for any device
 */
static __always_inline void fault_report(int rid, __u64 iova, __u32 flags)
{
	struct dt_dev_owner *o = NULL;
	struct dt_event *e;
	__u32 key = rid;

	if (rid >= 0)
		o = bpf_map_lookup_elem(&devs, &key);
	if (o ? !tgid_traced(o->tgid) : (cfg.tgid || cfg.tgid_set))
		return;
	e = event_new(DT_EV_FAULT);
	if (!e)
		return;
	e->iova = iova;
	e->flags = flags;
	e->owner = rid >= 0 ? rid : ~0ULL;	/* ~0: not a PCI device */
	if (o) {
		e->ioas_id = o->ioas_id;
		e->tgid = o->tgid;
		e->tid = 0;
		__builtin_memcpy(e->comm, o->comm, sizeof(e->comm));
		if (cfg.windows && o->ioas_id)
			fault_near_areas(e, o->tgid, o->ioas_id);
	}
	bpf_ringbuf_submit(e, 0);
}

/* VT-d registers (Intel VT-d spec, 11.4.9 and 11.4.14) */
#define VTD_FSTS_REG		0x34
#define VTD_FSTS_PPF		(1U << 1)	/* primary fault pending */
#define VTD_FRCD_LEN		16
#define VTD_FRCD_F		(1U << 31)	/* in the record's top 32 bits */
#define VTD_FRCD_TYPE_READ	(1U << 30)
#define VTD_MAX_RECORDS		8	/* records read per interrupt */

static __always_inline __u32 mmio_rd32(__u64 addr)
{
	__u32 v = 0;

	if (bpf_probe_read_kernel(&v, sizeof(v), (void *)addr))
		count(DT_CNT_READ_FAIL);
	return v;
}

struct vtd_walk {
	__u64 frcd;		/* first fault recording register */
	__u32 index;		/* the record to read next */
	__u32 nr;		/* how many the IOMMU has */
	__u32 more;		/* the last step read one: maybe more pending */
};

static long vtd_record(__u32 i, struct vtd_walk *w)
{
	__u64 rec = w->frcd + (__u64)w->index * VTD_FRCD_LEN;
	__u32 hi = mmio_rd32(rec + 12), sid, reason;
	__u64 addr;

	/* each record once: the handler, not us, clears F */
	w->more = 0;
	if (i >= w->nr || !(hi & VTD_FRCD_F))
		return 1;
	reason = hi & 0xff;
	sid = mmio_rd32(rec + 8) & 0xffff;
	addr = mmio_rd32(rec) | (__u64)mmio_rd32(rec + 4) << 32;
	/* 0x20..0x2f: interrupt remapping, the address is no IOVA */
	if (reason < 0x20 || reason > 0x2f)
		fault_report(sid, addr & ~0xfffULL,
			     hi & VTD_FRCD_TYPE_READ ? DT_FAULT_READ :
						       DT_FAULT_WRITE);
	w->index = w->index + 1 < w->nr ? w->index + 1 : 0;
	w->more = 1;
	return 0;
}

/*
 * dmar_fault(irq, iommu) entry: the pending primary fault records, as the
 * handler will read (and clear) them. Registers are read with probe reads
 * of the IOMMU's MMIO mapping (no side effect on VT-d).
 */
static __always_inline void vtd_faults(struct intel_iommu *iommu)
{
	__u64 reg = (__u64)BPF_CORE_READ(iommu, reg);
	__u64 cap = BPF_CORE_READ(iommu, cap);
	struct vtd_walk w;
	__u32 fsts;

	if (!reg)
		return;
	fsts = mmio_rd32(reg + VTD_FSTS_REG);
	if (!(fsts & VTD_FSTS_PPF))
		return;
	w.frcd = reg + ((cap >> 24) & 0x3ff) * 16;
	w.nr = ((cap >> 40) & 0xff) + 1;
	w.index = (fsts >> 8) & 0xff;
	if (w.index >= w.nr)
		return;
	w.more = 0;
	bpf_loop(VTD_MAX_RECORDS, vtd_record, &w, 0);
	/* out of steps with the next record still pending: not reported */
	if (w.more && VTD_MAX_RECORDS < w.nr &&
	    (mmio_rd32(w.frcd + (__u64)w.index * VTD_FRCD_LEN + 12) & VTD_FRCD_F))
		count(DT_CNT_FAULTS_CUT);
}

/*
 * AMD: the IOMMU's event log (include/dmatrace/amd_evt.h), read at
 * amd_iommu_int_handler (the hard interrupt handler of every AMD-Vi
 * interrupt on 6.1 and 6.12, MSI or x2APIC (intcapxt), called through a
 * pointer, so never inlined), before the threaded handler reads the
 * entries from head to tail and moves the head. The entries walked are
 * remembered per IOMMU (up to where), so an interrupt that comes before
 * the thread consumed the previous ones does not report them twice.
 */
#define AMD_MAX_IOMMUS		64
#define AMD_EVT_WALK_MAX	512	/* entries read per interrupt */

/* struct amd_iommu * -> the ring position read up to */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, AMD_MAX_IOMMUS);
	__type(key, __u64);
	__type(value, __u32);
} amd_evt_last SEC(".maps");

/*
 * Entries seen by type (AMD_EVT_*; 0: not yet written when read) and, at
 * AMD_EVT_TYPES, walks cut short by AMD_EVT_WALK_MAX (also counted as
 * faults_cut, a loss): bpftool map dump name amd_evt_seen
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, AMD_EVT_TYPES + 1);
	__type(key, __u32);
	__type(value, __u64);
} amd_evt_seen SEC(".maps");

static __always_inline void amd_seen(__u32 idx)
{
	__u64 *n = bpf_map_lookup_elem(&amd_evt_seen, &idx);

	if (n)
		__sync_fetch_and_add(n, 1);
}

struct amd_walk {
	__u64 buf;		/* evt_buf */
	__u32 pos;		/* the entry to read next */
	__u32 tail;
	__u32 size;		/* the ring's bytes, a power of two */
	__u32 unwritten;	/* stopped at an entry not written yet */
};

static long amd_evt_step(__u32 i, struct amd_walk *w)
{
	struct amd_evt e;
	__u32 words[4];

	if (w->pos == w->tail)
		return 1;
	if (bpf_probe_read_kernel(words, sizeof(words),
				  (void *)(w->buf + (w->pos & (w->size - 1))))) {
		count(DT_CNT_READ_FAIL);
		return 1;
	}
	amd_evt_decode(words, &e);
	amd_seen(e.type);
	if (!e.type) {		/* tail moved before the entry was written */
		w->unwritten = 1;
		return 1;
	}
	if (amd_evt_is_dma_fault(&e))
		fault_report(e.devid, e.address,
			     amd_evt_is_write(&e) ? DT_FAULT_WRITE : DT_FAULT_READ);
	w->pos = amd_evt_next(w->pos, w->size);
	return 0;
}

/* amd_iommu_int_handler(irq, iommu) entry: the pending event log entries */
static __always_inline void amd_evt_faults(struct amd_iommu *iommu)
{
	__u64 mmio = (__u64)BPF_CORE_READ(iommu, mmio_base);
	__u64 key = (__u64)iommu;
	struct amd_walk w = {};
	__u32 head, *last;

	if (!mmio)
		return;
	w.buf = (__u64)BPF_CORE_READ(iommu, evt_buf);
	w.size = amd_evt_log_bytes(mmio_rd32(mmio + AMD_MMIO_EVT_BUF) |
		 (__u64)mmio_rd32(mmio + AMD_MMIO_EVT_BUF + 4) << 32);
	head = mmio_rd32(mmio + AMD_MMIO_EVT_HEAD);
	w.tail = mmio_rd32(mmio + AMD_MMIO_EVT_TAIL);
	if (!w.buf || !amd_evt_pos_ok(head, w.size) ||
	    !amd_evt_pos_ok(w.tail, w.size))
		return;
	last = bpf_map_lookup_elem(&amd_evt_last, &key);
	w.pos = last ? amd_evt_walk_start(head, w.tail, *last, w.size) : head;
	if (w.pos == w.tail)
		return;
	bpf_loop(AMD_EVT_WALK_MAX, amd_evt_step, &w, 0);
	if (w.pos != w.tail && !w.unwritten) {	/* more entries than read */
		count(DT_CNT_FAULTS_CUT);
		amd_seen(AMD_EVT_TYPES);
	}
	bpf_map_update_elem(&amd_evt_last, &key, &w.pos, BPF_ANY);
}

#endif /* DMATRACE_FAULTS_BPF_H */
