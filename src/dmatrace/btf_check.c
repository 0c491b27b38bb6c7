// SPDX-License-Identifier: GPL-2.0
/* BTF for the planner: see btf_check.h */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "btf_check.h"

static int btf_set_add(struct btf_set *s, const char *name)
{
	struct btf_mod *m;
	char path[512];
	struct btf *b;

	snprintf(path, sizeof(path), "/sys/kernel/btf/%s", name);
	b = btf__parse_split(path, s->vmlinux);
	if (!b)
		return 0;	/* not BTF: skipped */
	m = realloc(s->mods, (s->nr_mods + 1) * sizeof(*m));
	if (!m)
		goto nomem;
	s->mods = m;
	m += s->nr_mods;
	m->name = strdup(name);
	if (!m->name)
		goto nomem;
	m->btf = b;
	m->obj_fd = 0;
	s->nr_mods++;
	return 0;
nomem:
	btf__free(b);
	return -ENOMEM;
}

int btf_set_load(struct btf_set *s)
{
	struct dirent *d;
	DIR *dir;
	int e = 0;

	memset(s, 0, sizeof(*s));
	s->vmlinux = btf__load_vmlinux_btf();
	if (!s->vmlinux)
		return -errno;
	dir = opendir("/sys/kernel/btf");
	if (!dir)
		return 0;
	while (!e && (d = readdir(dir)))
		if (d->d_name[0] != '.' && strcmp(d->d_name, "vmlinux"))
			e = btf_set_add(s, d->d_name);
	closedir(dir);
	return e;
}

void btf_set_free(struct btf_set *s)
{
	int i;

	for (i = 0; i < s->nr_mods; i++) {
		btf__free(s->mods[i].btf);
		free(s->mods[i].name);
		if (s->mods[i].obj_fd > 0)
			close(s->mods[i].obj_fd);
	}
	free(s->mods);
	btf__free(s->vmlinux);
	memset(s, 0, sizeof(*s));
}

static int find_in(const struct btf *btf, const char *name, bool tracepoint)
{
	char tname[128];

	if (!tracepoint)
		return btf__find_by_name_kind(btf, name, BTF_KIND_FUNC);
	snprintf(tname, sizeof(tname), "btf_trace_%s", name);
	return btf__find_by_name_kind(btf, tname, BTF_KIND_TYPEDEF);
}

bool btf_set_find(const struct btf_set *s, const char *name, bool tracepoint,
		  struct btf_func *f)
{
	int i;

	if (!s->vmlinux)
		return false;
	f->mod = -1;
	f->btf = s->vmlinux;
	f->id = find_in(s->vmlinux, name, tracepoint);
	for (i = 0; f->id < 0 && i < s->nr_mods; i++) {
		f->mod = i;
		f->btf = s->mods[i].btf;
		f->id = find_in(f->btf, name, tracepoint);
	}
	return f->id >= 0;
}

const char *btf_set_where(const struct btf_set *s, const struct btf_func *f)
{
	return f->mod < 0 ? "vmlinux" : s->mods[f->mod].name;
}

static const struct btf_type *skip_mods(const struct btf *btf, __u32 *id)
{
	const struct btf_type *t = btf__type_by_id(btf, *id);

	while (*id && t && btf_is_mod(t)) {
		*id = t->type;
		t = btf__type_by_id(btf, *id);
	}
	return t;
}

/* C spelling of a type, as BTF names it ("long unsigned int") */
static void type_name(const struct btf *btf, __u32 id, char *buf, size_t sz)
{
	const struct btf_type *t = skip_mods(btf, &id);
	const char *name, *tag = "";
	size_t n;

	if (!id || !t) {
		snprintf(buf, sz, "void");
		return;
	}
	if (btf_is_ptr(t)) {
		type_name(btf, t->type, buf, sz);
		n = strlen(buf);
		snprintf(buf + n, sz - n, " *");
		return;
	}
	if (btf_is_struct(t))
		tag = "struct ";
	else if (btf_is_union(t))
		tag = "union ";
	else if (btf_is_any_enum(t))
		tag = "enum ";
	name = btf__name_by_offset(btf, t->name_off);
	snprintf(buf, sz, "%s%s", tag, name && *name ? name : "(anon)");
}

/* Is type id the first n characters of want (typedefs resolved)? */
static bool type_is(const struct btf *btf, __u32 id, const char *want, size_t n)
{
	const struct btf_type *t;
	char name[128];

	for (;;) {
		t = skip_mods(btf, &id);
		if (n > 2 && !strncmp(want + n - 2, " *", 2) && id && t &&
		    btf_is_ptr(t))
			return type_is(btf, t->type, want, n - 2);
		type_name(btf, id, name, sizeof(name));
		if (strlen(name) == n && !strncmp(name, want, n))
			return true;
		if (!id || !t || !btf_is_typedef(t))
			return false;
		id = t->type;
	}
}

/* The FUNC_PROTO of a FUNC, or of a btf_trace_ typedef (skip: its ctx) */
static const struct btf_type *proto_of(const struct btf *btf, int id, int *skip)
{
	const struct btf_type *t = btf__type_by_id(btf, id);

	*skip = 0;
	if (t && btf_is_typedef(t)) {
		t = btf__type_by_id(btf, t->type);
		if (t && btf_is_ptr(t))
			t = btf__type_by_id(btf, t->type);
		*skip = 1;
	} else if (t && btf_is_func(t)) {
		t = btf__type_by_id(btf, t->type);
	}
	return t && btf_is_func_proto(t) ? t : NULL;
}

static bool want_is(const struct btf *btf, __u32 id, const char *want)
{
	return !want || type_is(btf, id, want, strlen(want));
}

int btf_proto_check(const struct btf *btf, int id, const struct attach_proto *p,
		    char *why, size_t why_sz)
{
	const struct btf_param *params;
	const struct btf_type *t;
	int skip, nr, i;
	char got[128];

	if (!p->nr_args)
		return 0;
	t = proto_of(btf, id, &skip);
	if (!t) {
		snprintf(why, why_sz, "no function prototype in BTF");
		return -EINVAL;
	}
	nr = btf_vlen(t) - skip;
	if (nr != p->nr_args) {
		snprintf(why, why_sz, "BTF prototype has %d arguments, %d expected",
			 nr, p->nr_args);
		return -EINVAL;
	}
	params = btf_params(t) + skip;
	for (i = 0; i < nr; i++) {
		if (want_is(btf, params[i].type, p->args[i]))
			continue;
		type_name(btf, params[i].type, got, sizeof(got));
		snprintf(why, why_sz, "BTF prototype: argument %d is '%s', '%s' expected",
			 i + 1, got, p->args[i]);
		return -EINVAL;
	}
	if (want_is(btf, t->type, p->ret))
		return 0;
	type_name(btf, t->type, got, sizeof(got));
	snprintf(why, why_sz, "BTF prototype returns '%s', '%s' expected", got,
		 p->ret);
	return -EINVAL;
}

/* The kernel's BTF object of module m (by name), as an fd: >0 or -errno */
static int mod_obj_fd(const struct btf_mod *m)
{
	struct bpf_btf_info info;
	__u32 id = 0, len;
	char name[64];
	int fd;

	while (!bpf_btf_get_next_id(id, &id)) {
		fd = bpf_btf_get_fd_by_id(id);
		if (fd < 0)
			continue;
		memset(&info, 0, sizeof(info));
		info.name = (__u64)(unsigned long)name;
		info.name_len = sizeof(name);
		len = sizeof(info);
		if (!bpf_obj_get_info_by_fd(fd, &info, &len) &&
		    !strcmp(name, m->name))
			return fd;
		close(fd);
	}
	return -ENOENT;
}

int btf_set_trial_load(struct btf_set *s, const struct btf_func *f, bool fexit)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, o, .attach_btf_id = f->id,
		    .expected_attach_type = fexit ? BPF_TRACE_FEXIT :
						    BPF_TRACE_FENTRY);
	struct btf_mod *m;
	int fd;

	if (f->mod >= 0) {
		m = &s->mods[f->mod];
		if (!m->obj_fd)
			m->obj_fd = mod_obj_fd(m);
		if (m->obj_fd < 0)
			return m->obj_fd;
		o.attach_btf_obj_fd = m->obj_fd;
	}
	fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "dt_trial", "GPL", insns, 2, &o);
	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}
