// SPDX-License-Identifier: GPL-2.0
/*
 * What the BPF operations dmatrace's hot path is made of cost on this
 * kernel (tools/bench/bench_bpf.c): one uprobe program per operation, each
 * on a function of its own. The maps are dmatrace's hists and areas (the
 * same keys, values, flags and default sizes); the stash's value has
 * struct dt_task's size (bpf/dmatrace.bpf.h).
 */
#include "../../vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "dmatrace/hist.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, DT_MAX_KEYS);
	__type(key, struct dt_lat_key);
	__type(value, struct dt_hist);
} hists SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, DT_MAX_AREAS);
	__type(key, struct dt_area_key);
	__type(value, struct dt_area);
} areas SEC(".maps");

/* The same, preallocated (dmatrace's is not: it would hold all of
   --max-areas from the start) */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, DT_MAX_AREAS);
	__type(key, struct dt_area_key);
	__type(value, struct dt_area);
} areas_prealloc SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u64[20]);	/* struct dt_task's size */
} calls SEC(".maps");

__u64 sink;
static const struct dt_hist zero_hist;

SEC("uprobe")
int BPF_UPROBE(op_empty)
{
	return 0;
}

SEC("uprobe")
int BPF_UPROBE(op_clock)
{
	sink += bpf_ktime_get_ns();
	return 0;
}

/* arg: a pointer to a pointer (ucmd->cmd) to 40 bytes (a uAPI struct) */
SEC("uprobe")
int BPF_UPROBE(op_read, void *p)
{
	__u64 v = 0;

	bpf_probe_read_user(&v, sizeof(v), p);
	sink += v;
	return 0;
}

SEC("uprobe")
int BPF_UPROBE(op_read_chain, void *p)
{
	__u64 cmd = 0, s[5] = {};

	bpf_probe_read_user(&cmd, sizeof(cmd), p);
	bpf_probe_read_user(s, sizeof(s), (void *)cmd);
	sink += s[1];
	return 0;
}

SEC("uprobe")
int BPF_UPROBE(op_stash)
{
	__u64 *t = bpf_task_storage_get(&calls, bpf_get_current_task_btf(), 0,
					BPF_LOCAL_STORAGE_GET_F_CREATE);

	if (t)
		t[0]++;
	return 0;
}

SEC("uprobe")
int BPF_UPROBE(op_hist, __u64 key_op)
{
	struct dt_lat_key k = { .op = key_op & 7, .size_log2 = 12,
				.tgid = bpf_get_current_pid_tgid() >> 32 };
	struct dt_hist *h = bpf_map_lookup_elem(&hists, &k);

	if (!h) {
		bpf_map_update_elem(&hists, &k, &zero_hist, BPF_NOEXIST);
		return 0;
	}
	__sync_fetch_and_add(&h->slots[10], 1);
	__sync_fetch_and_add(&h->count, 1);
	__sync_fetch_and_add(&h->sum_ns, 1000);
	__sync_fetch_and_add(&h->bytes, 4096);
	return 0;
}

static __always_inline void area_insert(void *map, __u64 iova)
{
	struct dt_area_key k = {
		.ioas = { .tgid = bpf_get_current_pid_tgid() >> 32, .ioas_id = 1 },
		.iova = iova,
	};
	struct dt_area a = { .length = 4096 };

	bpf_map_update_elem(map, &k, &a, BPF_NOEXIST);
}

static __always_inline void area_delete(void *map, __u64 iova)
{
	struct dt_area_key k = {
		.ioas = { .tgid = bpf_get_current_pid_tgid() >> 32, .ioas_id = 1 },
		.iova = iova,
	};

	bpf_map_delete_elem(map, &k);
}

SEC("uprobe")
int BPF_UPROBE(op_area_insert, __u64 iova)
{
	area_insert(&areas, iova);
	return 0;
}

SEC("uprobe")
int BPF_UPROBE(op_area_delete, __u64 iova)
{
	area_delete(&areas, iova);
	return 0;
}

SEC("uprobe")
int BPF_UPROBE(op_area_prealloc_insert, __u64 iova)
{
	area_insert(&areas_prealloc, iova);
	return 0;
}

SEC("uprobe")
int BPF_UPROBE(op_area_prealloc_delete, __u64 iova)
{
	area_delete(&areas_prealloc, iova);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
