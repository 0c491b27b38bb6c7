/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry and exit of a traced handler, shared by every attach type: the
 * wrappers (uprobe, fentry, kprobe) only say where the uAPI struct is and
 * whether it is user memory. The entry stashes the call per thread; the
 * exit feeds the three concerns.
 *
 * Each wrapper file defines, before including this header:
 *   static __always_inline __u32 compat_ioas_id(__u64 ictx);
 *   static __always_inline __u32 iopt_ioas_id(__u64 iopt);
 */
#ifndef DMATRACE_HANDLERS_BPF_H
#define DMATRACE_HANDLERS_BPF_H

#include "dmatrace.bpf.h"
#include "call.bpf.h"
#include "latency.bpf.h"
#include "windows.bpf.h"
#include "violations.bpf.h"
#include "type1.bpf.h"

/*
 * The task's entry in calls, made at its first call, when its process is
 * traced; NULL for a process the filters leave out (no miss) and when
 * there is no room (counted). A -p PID is a constant compare; a followed
 * command's tgids lookup is done once per thread, its answer kept.
 */
static __always_inline struct dt_task *task_traced(__u32 tgid)
{
	struct dt_task *t;

	if (cfg.tgid && tgid != cfg.tgid)
		return NULL;
	t = bpf_task_storage_get(&calls, bpf_get_current_task_btf(), 0,
				 BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!t) {
		count(DT_CNT_STASH_MISS);
		return NULL;
	}
	if (t->traced == DT_TASK_UNKNOWN)
		t->traced = tgid_traced(tgid) ? DT_TASK_TRACED :
						DT_TASK_UNTRACED;
	return t->traced == DT_TASK_TRACED ? t : NULL;
}

/*
 * The thread's stash for a new call, zeroed and stamped with op and its
 * process, or NULL (see task_traced); ts is set by call_begin_done() once
 * the uAPI struct is read
 */
static __always_inline struct dt_call *call_begin(__u32 op, __u64 cmd)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct dt_task *t = task_traced(id >> 32);
	struct dt_call *c;

	if (!t)
		return NULL;
	c = &t->call;
	__builtin_memset(c, 0, sizeof(*c));
	c->op = op;
	c->cmd = cmd;
	c->tgid = id >> 32;
	return c;
}

/* The call is in flight from now on (its ts != 0) */
static __always_inline void call_begin_done(struct dt_call *c)
{
	c->ts = bpf_ktime_get_ns();
}

/* A handler's call begun with its uAPI struct at c->cmd: read it, go */
static __always_inline void call_enter_read(struct dt_call *c, __u32 op,
					    bool user)
{
	call_read_cmd(c, op, user);
	call_begin_done(c);
}

/* Entry of an iommufd ioctl handler; cmd points at its uAPI struct */
static __always_inline void call_enter(__u32 op, __u64 cmd, bool user)
{
	struct dt_call *c = call_begin(op, cmd);

	if (c)
		call_enter_read(c, op, user);
}

/*
 * Entry of a VFIO type1 ioctl: iommufd's compat (ctx: struct iommufd_ctx *)
 * or a native container (ctx: struct vfio_iommu *); arg is a user pointer.
 * Other commands are stashed too, so that their exit is no miss.
 */
static __always_inline void call_enter_ioctl(__u32 backend, __u64 ctx,
					     unsigned int cmd, __u64 arg)
{
	struct dt_call *c = call_begin(DT_OP_MAX, arg);

	if (!c)
		return;
	c->ictx = ctx;
	if (backend == DT_BACKEND_TYPE1) {
		call_read_vfio(c, cmd, arg);
		t1_call_enter(c);
	} else
		call_read_compat(c, cmd, arg);
	call_begin_done(c);
}

/* The bytes an op moved: its row's DT_BYTES_ rule */
static __always_inline __u64 call_bytes(const struct dt_call *c, __u32 op,
					const struct dt_out *o)
{
	if (dt_op_is_update(op, c->flags))
		return 0;
	switch (dt_op(op)->bytes) {
	case DT_BYTES_REQUEST:
		return c->length;
	case DT_BYTES_RESULT:
		return o->length;
	}
	return 0;
}

/*
 * Exit of a traced handler for op, ns after its entry: ret is its return
 * value. op is passed down as a constant of each wrapper, never re-read
 * from c, so that every switch on it folds at compile time: the verifier
 * then walks the paths of one op only (a u32 stored on the stack would
 * lose its value to it).
 */
static __always_inline void call_exit_op(struct dt_call *c, __u32 op, int ret,
					 __u64 ns, bool user)
{
	struct dt_out o = {};

	c->op = op;
	if (dt_op(op)->backend == DT_BACKEND_COMPAT)
		c->ioas_id = compat_ioas_id(c->ictx);
	if (dt_op(op)->backend == DT_BACKEND_TYPE1)
		t1_call_exit(c);
	/* latency alone needs only the id of a new IOAS and unmapped bytes */
	if (ret == 0 && (cfg.windows || cfg.violations ||
			 dt_op_has(op, DT_OPF_NEW_ID) ||
			 dt_op(op)->bytes == DT_BYTES_RESULT)) {
		call_read_out(c, op, &o, user);
		if (dt_op_has(op, DT_OPF_NEW_ID))
			c->ioas_id = o.ioas_id;
	}
	if (call_selected(c, op)) {
		latency_record(c, ret, ns,
			       ret == 0 ? call_bytes(c, op, &o) : 0);
		if (dt_op(op)->backend == DT_BACKEND_TYPE1)
			t1_pin_record(c, ret);
		if (cfg.violations && dt_op(op)->backend == DT_BACKEND_TYPE1) {
			if (ret < 0)
				t1_name_hit(c, op, ret);
			else if (ret == 0)
				t1_unmap_cut(c);
		}
		if (cfg.violations && dt_op_has(op, DT_OPF_VIOLATIONS) && ret < 0)
			violation_failed(c, op, ret);
		if (cfg.violations && dt_op_has(op, DT_OPF_VIOLATIONS) && ret == 0)
			violation_check_allowed(c, op, &o);
	}
	if (ret == 0 && cfg.windows && dt_op_has(op, DT_OPF_WINDOWS) &&
	    !dt_op_is_update(op, c->flags))
		windows_update(c, op, &o);
}

/*
 * The stashed entry of this thread, taken out of the stash: its start in
 * *ts, its ts 0 from now on (no other program of this thread runs before
 * this one is done with it); NULL when there is none
 */
static __always_inline struct dt_call *call_take(__u32 op, __u64 *ts)
{
	struct dt_task *t;

	t = bpf_task_storage_get(&calls, bpf_get_current_task_btf(), 0, 0);
	if (!t || !t->call.ts || (op != DT_OP_MAX && t->call.op != op)) {
		/* a process left out by the filters has no stash: no miss */
		if (t ? t->traced == DT_TASK_TRACED :
			tgid_traced(bpf_get_current_pid_tgid() >> 32))
			count(DT_CNT_STASH_MISS);
		return NULL;
	}
	*ts = t->call.ts;
	t->call.ts = 0;
	return &t->call;
}

static __always_inline void call_exit(__u32 op, int ret, bool user)
{
	__u64 now = bpf_ktime_get_ns(), ts;
	struct dt_call *c = call_take(op, &ts);

	if (c)
		call_exit_op(c, op, ret, now - ts, user);
}

/*
 * The exit of each op of a DT_DISPATCH_IOCTL backend, op a constant. Each
 * backend gets a function of its own (as call_read_compat/call_read_vfio):
 * a program verifies the paths of its backend's ops only.
 */
#define EXIT_CASE_IOMMUFD(id)
#define EXIT_CASE_SEED(id)
#define EXIT_CASE_OF(id)						\
	case DT_OP_##id:						\
		call_exit_op(c, DT_OP_##id, ret, ns, user);		\
		break;
#define EXIT_CASE(id, name, be, ...)	EXIT_CASE_##be(id)

#define EXIT_CASE_COMPAT(id)	EXIT_CASE_OF(id)
#define EXIT_CASE_TYPE1(id)
static __always_inline void call_exit_compat(struct dt_call *c, int ret,
					     __u64 ns, bool user)
{
	switch (c->op) {
	DT_OP_TABLE(EXIT_CASE)
	}
}
#undef EXIT_CASE_COMPAT
#undef EXIT_CASE_TYPE1

#define EXIT_CASE_COMPAT(id)
#define EXIT_CASE_TYPE1(id)	EXIT_CASE_OF(id)
static __always_inline void call_exit_vfio(struct dt_call *c, int ret,
					   __u64 ns, bool user)
{
	switch (c->op) {
	DT_OP_TABLE(EXIT_CASE)
	}
}
#undef EXIT_CASE_COMPAT
#undef EXIT_CASE_TYPE1

/*
 * Exit of a VFIO type1 ioctl of backend (compat or native, a constant of
 * the wrapper): the op its entry found
 */
static __always_inline void call_exit_ioctl(__u32 backend, int ret, bool user)
{
	__u64 now = bpf_ktime_get_ns(), ts;
	struct dt_call *c = call_take(DT_OP_MAX, &ts);

	if (!c)
		return;
	if (backend == DT_BACKEND_TYPE1)
		call_exit_vfio(c, ret, now - ts, user);
	else
		call_exit_compat(c, ret, now - ts, user);
}

/* iopt_reserve_iova(iopt, start, last, owner) entry */
static __always_inline void resv_enter(__u64 iopt, __u64 start, __u64 last,
				       __u64 owner)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id;
	struct dt_resv_call r = { .start = start, .last = last,
				  .owner = owner };

	if (!cfg.windows || !tgid_traced(id >> 32))
		return;
	r.ioas_id = iopt_ioas_id(iopt);
	bpf_map_update_elem(&resv_calls, &tid, &r, BPF_ANY);
}

static __always_inline void resv_exit(int ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct dt_resv_call *r;
	struct dt_event *e;

	r = bpf_map_lookup_elem(&resv_calls, &tid);
	if (!r)
		return;
	if (ret == 0) {
		e = event_new(DT_EV_RESERVED_ADD);
		if (e) {
			e->ioas_id = r->ioas_id;
			e->owner = r->owner;
			e->ranges[0].start = r->start;
			e->ranges[0].last = r->last;
			e->nr_ranges = e->total_ranges = 1;
			bpf_ringbuf_submit(e, 0);
		}
	}
	bpf_map_delete_elem(&resv_calls, &tid);
}

/* iopt_remove_reserved_iova(iopt, owner) */
static __always_inline void resv_remove(__u64 iopt, __u64 owner)
{
	struct dt_event *e;

	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	/*
	 * While a context is torn down (its file closed), its IOAS go away
	 * with their reservations; the trace keeps their last state, as it
	 * keeps their areas (the summary is the state before teardown).
	 */
	if (!cfg.windows || bpf_map_lookup_elem(&closing, &tid) ||
	    !tgid_traced(bpf_get_current_pid_tgid() >> 32))
		return;
	e = event_new(DT_EV_RESERVED_REMOVE);
	if (!e)
		return;
	e->ioas_id = iopt_ioas_id(iopt);
	e->owner = owner;
	bpf_ringbuf_submit(e, 0);
}

/* A context's teardown (iommufd_fops_release / ref iommufd_ctx_destroy) */
static __always_inline void teardown_enter(void)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u8 one = 1;

	bpf_map_update_elem(&closing, &tid, &one, BPF_ANY);
}

static __always_inline void teardown_exit(void)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	bpf_map_delete_elem(&closing, &tid);
}

/* Seed extension (ref): a window was added to an IOAS */
static __always_inline void window_add_exit(__u64 cmd, int ret)
{
	struct dt_event *e;
	__u64 base, length;

	if (ret || !cfg.windows ||
	    !tgid_traced(bpf_get_current_pid_tgid() >> 32))
		return;
	e = event_new(DT_EV_WINDOW_ADD);
	if (!e)
		return;
	base = rd64(cmd, U_WADD_BASE, true);
	length = rd64(cmd, U_WADD_LENGTH, true);
	e->ioas_id = rd32(cmd, U_WADD_IOAS, true);
	e->iova = base;
	e->length = rd64(cmd, U_WADD_PAGE_SIZE, true);
	e->ranges[0].start = base;
	e->ranges[0].last = base + length - 1;
	e->nr_ranges = e->total_ranges = 1;
	bpf_ringbuf_submit(e, 0);
}

/* sched_process_fork: children of traced processes are traced (-- CMD) */
static __always_inline void follow_fork(struct task_struct *parent,
					struct task_struct *child)
{
	__u32 ptgid = BPF_CORE_READ(parent, tgid);
	__u32 ctgid = BPF_CORE_READ(child, tgid);
	__u8 one = 1;

	if (!cfg.tgid_set || !bpf_map_lookup_elem(&tgids, &ptgid))
		return;
	if (bpf_map_update_elem(&tgids, &ctgid, &one, BPF_ANY))
		count(DT_CNT_TGIDS_FULL);
}

#endif /* DMATRACE_HANDLERS_BPF_H */
