// SPDX-License-Identifier: GPL-2.0
/* The state at start: see snapshot.h */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "dmatrace/hist.h"
#include "snapshot.h"
#include "view/fmt.h"

/* What each kind reads, where from, and which traced point it needs */
static const struct snapshot_kind_desc {
	const char *dev;	/* the character device its files are */
	const char *point;	/* live when its backend is traced (its BTF) */
	size_t rdev_off;	/* where in struct dt_config the dev_t goes */
	const char *held;	/* "type1 container(s)" */
	const char *mapped;	/* "mapping(s)" */
	const char *from;	/* "the driver" */
} kinds[SNAP_KINDS] = {
	[SNAP_TYPE1] = { "/dev/vfio/vfio", "vfio_iommu_type1_ioctl",
			 offsetof(struct dt_config, vfio_rdev),
			 "type1 container(s)", "mapping(s)", "the driver" },
	[SNAP_IOMMUFD] = { "/dev/iommu", "iommufd_ioas_map",
			   offsetof(struct dt_config, iommu_rdev),
			   "iommufd IOAS(es)", "area(s)", "the kernel" },
};

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

static void plan_kind(struct snapshot_src *src,
		      const struct snapshot_kind_desc *k,
		      const struct attach_plan *plan, struct dt_config *cfg)
{
	__u32 rdev;

	if (!point_live(plan, k->point)) {
		snprintf(src->why, sizeof(src->why),
			 "its backend is not traced (%s missing)", k->point);
		return;
	}
	rdev = kernel_rdev(k->dev);
	if (!rdev) {
		snprintf(src->why, sizeof(src->why), "no %s", k->dev);
		return;
	}
	memcpy((char *)cfg + k->rdev_off, &rdev, sizeof(rdev));
	src->planned = true;
}

void snapshot_plan(struct snapshot *s, const struct attach_plan *plan,
		   bool wanted, struct dt_config *cfg)
{
	int i;

	memset(s, 0, sizeof(*s));
	/* the reference keeps its state in the traced process's own memory */
	if (!wanted || plan->ref)
		return;
	s->wanted = true;
	for (i = 0; i < SNAP_KINDS; i++)
		plan_kind(&s->src[i], &kinds[i], plan, cfg);
}

/* What the iterators read: the usage entries with DT_T1_SNAP, by kind */
static int snapshot_sum(struct snapshot *s, struct bpf_map *usage)
{
	struct dt_ioas_key key, next, *prev = NULL;
	struct snapshot_src *src;
	struct dt_ioas_usage u;
	int fd = bpf_map__fd(usage);

	while (!bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &u) || !(u.t1flags & DT_T1_SNAP))
			continue;
		src = &s->src[key.ioas_id & DT_ID_CONTAINER ? SNAP_TYPE1 :
							      SNAP_IOMMUFD];
		src->held++;
		src->mappings += u.maps - u.unmaps;
		src->bytes += u.mapped_bytes;
	}
	return errno == ENOENT ? 0 : -errno;
}

/* Run one iterator to its end. 0 or -errno (why says what failed) */
static int run_iter(struct snapshot_src *src, struct bpf_program *prog)
{
	struct bpf_link *link;
	char buf[64];
	int fd, e = 0;
	ssize_t n;

	link = bpf_program__attach_iter(prog, NULL);
	if (!link) {
		e = -errno;
		snprintf(src->why, sizeof(src->why),
			 "cannot attach the task_file iterator: %s", strerror(-e));
		return e;
	}
	fd = bpf_iter_create(bpf_link__fd(link));
	if (fd < 0) {
		e = -errno;
		snprintf(src->why, sizeof(src->why),
			 "cannot create the iterator: %s", strerror(-e));
		goto out;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		;
	if (n < 0) {
		e = -errno;
		snprintf(src->why, sizeof(src->why), "the iterator failed: %s",
			 strerror(-e));
	}
	close(fd);
out:
	bpf_link__destroy(link);
	return e;
}

int snapshot_take(struct snapshot *s, struct bpf_program *const progs[SNAP_KINDS],
		  struct bpf_map *usage)
{
	int i, e, first = 0;

	for (i = 0; i < SNAP_KINDS; i++) {
		if (!s->src[i].planned)
			continue;
		e = progs[i] ? run_iter(&s->src[i], progs[i]) : -ENOENT;
		s->src[i].taken = !e;
		if (e && !first)
			first = e;
	}
	e = snapshot_sum(s, usage);
	return first ? first : e;
}

void snapshot_report(const struct snapshot *s, FILE *out)
{
	char size[FMT_SIZE_MAX];
	int i;

	if (!s->wanted)
		return;	/* latency alone, -- CMD, or the ref target */
	for (i = 0; i < SNAP_KINDS; i++) {
		const struct snapshot_src *src = &s->src[i];

		if (!src->taken) {
			fprintf(out, "dmatrace: snapshot: no %s read: %s\n",
				kinds[i].held, src->why);
			continue;
		}
		fprintf(out, "dmatrace: snapshot: %llu %s held before tracing started, with %llu %s (%s) read from %s\n",
			(unsigned long long)src->held, kinds[i].held,
			(unsigned long long)src->mappings, kinds[i].mapped,
			fmt_size(size, sizeof(size), src->bytes, 0), kinds[i].from);
	}
}
