// SPDX-License-Identifier: GPL-2.0
/* Function symbols of an ELF file: defined STT_FUNC in .symtab or .dynsym */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elf_syms.h"

struct elf_syms {
	char **names;
	size_t nr;
	size_t cap;
};

static int syms_push(struct elf_syms *s, const char *name)
{
	char **n;

	if (s->nr == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		n = realloc(s->names, s->cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		s->names = n;
	}
	s->names[s->nr] = strdup(name);
	if (!s->names[s->nr])
		return -ENOMEM;
	s->nr++;
	return 0;
}

static int syms_read_section(struct elf_syms *s, Elf *elf, Elf_Scn *scn,
			     const GElf_Shdr *sh)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	size_t i, n;
	GElf_Sym sym;
	int err;

	if (!data || !sh->sh_entsize)
		return 0;
	n = sh->sh_size / sh->sh_entsize;
	for (i = 0; i < n; i++) {
		const char *name;

		if (!gelf_getsym(data, i, &sym))
			continue;
		if (GELF_ST_TYPE(sym.st_info) != STT_FUNC || !sym.st_value)
			continue;
		name = elf_strptr(elf, sh->sh_link, sym.st_name);
		if (!name || !*name)
			continue;
		err = syms_push(s, name);
		if (err)
			return err;
	}
	return 0;
}

int elf_syms_open(struct elf_syms **out, const char *path)
{
	struct elf_syms *s;
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	int fd, err = 0;
	Elf *elf;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return -ENOEXEC;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -ENOENT;
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF) {
		err = -ENOEXEC;
		goto out_elf;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		err = -ENOMEM;
		goto out_elf;
	}
	while ((scn = elf_nextscn(elf, scn)) && !err) {
		if (!gelf_getshdr(scn, &sh))
			continue;
		if (sh.sh_type == SHT_SYMTAB || sh.sh_type == SHT_DYNSYM)
			err = syms_read_section(s, elf, scn, &sh);
	}
	if (err)
		elf_syms_close(s);
	else
		*out = s;
out_elf:
	elf_end(elf);
	close(fd);
	return err;
}

bool elf_syms_has_func(const struct elf_syms *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->nr; i++)
		if (!strcmp(s->names[i], name))
			return true;
	return false;
}

void elf_syms_close(struct elf_syms *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->nr; i++)
		free(s->names[i]);
	free(s->names);
	free(s);
}
