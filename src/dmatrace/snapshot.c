// SPDX-License-Identifier: GPL-2.0
/* The state at start: see snapshot.h */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "dmatrace/hist.h"
#include "snapshot.h"
#include "view/fmt.h"

#define VFIO_CONTAINER_DEV	"/dev/vfio/vfio"
#define SNAP_POINT		"vfio_iommu_type1_ioctl"

static bool point_live(const struct attach_plan *plan, const char *name)
{
	int i;

	for (i = 0; i < plan->nr; i++)
		if (!strcmp(plan->c[i].pt->name, name))
			return plan->c[i].kind != ATTACH_MISSING;
	return false;
}

/* The kernel's dev_t (MKDEV: major << 20 | minor) of path, or 0 */
static __u32 kernel_rdev(const char *path)
{
	struct stat st;

	if (stat(path, &st) || !S_ISCHR(st.st_mode))
		return 0;
	return major(st.st_rdev) << 20 | minor(st.st_rdev);
}

void snapshot_plan(struct snapshot *s, const struct attach_plan *plan,
		   bool wanted, struct dt_config *cfg)
{
	memset(s, 0, sizeof(*s));
	/* the reference keeps its state in the traced process's own memory */
	if (!wanted || plan->ref)
		return;
	if (!point_live(plan, SNAP_POINT)) {
		snprintf(s->why, sizeof(s->why),
			 "the vfio-type1 backend is not traced (%s missing)",
			 SNAP_POINT);
		return;
	}
	cfg->vfio_rdev = kernel_rdev(VFIO_CONTAINER_DEV);
	if (!cfg->vfio_rdev) {
		snprintf(s->why, sizeof(s->why), "no %s", VFIO_CONTAINER_DEV);
		return;
	}
	s->planned = true;
}

/* The containers the iterator read: their usage has DT_T1_SNAP */
static int snapshot_sum(struct snapshot *s, struct bpf_map *usage)
{
	struct dt_ioas_key key, next, *prev = NULL;
	struct dt_ioas_usage u;
	int fd = bpf_map__fd(usage);

	while (!bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &u) || !(u.t1flags & DT_T1_SNAP))
			continue;
		s->containers++;
		s->mappings += u.maps - u.unmaps;
		s->bytes += u.mapped_bytes;
	}
	return errno == ENOENT ? 0 : -errno;
}

int snapshot_take(struct snapshot *s, struct bpf_program *prog,
		  struct bpf_map *usage)
{
	struct bpf_link *link;
	char buf[64];
	int fd, e = 0;
	ssize_t n;

	if (!s->planned)
		return 0;
	link = bpf_program__attach_iter(prog, NULL);
	if (!link) {
		e = -errno;
		snprintf(s->why, sizeof(s->why), "cannot attach the task_file iterator: %s",
			 strerror(-e));
		return e;
	}
	fd = bpf_iter_create(bpf_link__fd(link));
	if (fd < 0) {
		e = -errno;
		snprintf(s->why, sizeof(s->why), "cannot create the iterator: %s",
			 strerror(-e));
		goto out;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		;
	if (n < 0) {
		e = -errno;
		snprintf(s->why, sizeof(s->why), "the iterator failed: %s",
			 strerror(-e));
	}
	close(fd);
	if (!e)
		e = snapshot_sum(s, usage);
	s->taken = !e;
out:
	bpf_link__destroy(link);
	return e;
}

void snapshot_report(const struct snapshot *s, FILE *out)
{
	char size[FMT_SIZE_MAX];

	if (!s->planned && !s->why[0])
		return;	/* not wanted: latency alone, or -- CMD */
	if (!s->taken) {
		fprintf(out, "dmatrace: snapshot: none taken: %s\n", s->why);
		return;
	}
	fprintf(out, "dmatrace: snapshot: %llu type1 container(s) held before tracing started, with %llu mapping(s) (%s) read from the driver\n",
		(unsigned long long)s->containers,
		(unsigned long long)s->mappings,
		fmt_size(size, sizeof(size), s->bytes, 0));
}
