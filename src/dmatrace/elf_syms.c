// SPDX-License-Identifier: GPL-2.0
/*
 * Function symbols of an ELF file: defined STT_FUNC in .symtab or .dynsym,
 * with their file offsets (what a uprobe is attached at)
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elf_syms.h"

struct elf_sym {
	char *name;
	unsigned long offset;
};

struct elf_syms {
	struct elf_sym *syms;
	size_t nr;
	size_t cap;
};

static int syms_push(struct elf_syms *s, const char *name,
		     unsigned long offset)
{
	struct elf_sym *n;

	if (s->nr == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		n = realloc(s->syms, s->cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		s->syms = n;
	}
	s->syms[s->nr].name = strdup(name);
	if (!s->syms[s->nr].name)
		return -ENOMEM;
	s->syms[s->nr++].offset = offset;
	return 0;
}

/* Where in the file the function at sym lies: its section's offset */
static bool sym_file_offset(Elf *elf, const GElf_Sym *sym, unsigned long *off)
{
	Elf_Scn *scn = elf_getscn(elf, sym->st_shndx);
	GElf_Shdr sh;

	if (!scn || !gelf_getshdr(scn, &sh) || sym->st_value < sh.sh_addr)
		return false;
	*off = sym->st_value - sh.sh_addr + sh.sh_offset;
	return true;
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
		unsigned long off;
		const char *name;

		if (!gelf_getsym(data, i, &sym))
			continue;
		if (GELF_ST_TYPE(sym.st_info) != STT_FUNC || !sym.st_value ||
		    !sym_file_offset(elf, &sym, &off))
			continue;
		name = elf_strptr(elf, sh->sh_link, sym.st_name);
		if (!name || !*name)
			continue;
		err = syms_push(s, name, off);
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

int elf_syms_func_offset(const struct elf_syms *s, const char *name,
			 unsigned long *offset)
{
	size_t i;

	for (i = 0; i < s->nr; i++)
		if (!strcmp(s->syms[i].name, name)) {
			*offset = s->syms[i].offset;
			return 0;
		}
	return -ENOENT;
}

bool elf_syms_has_func(const struct elf_syms *s, const char *name)
{
	unsigned long off;

	return !elf_syms_func_offset(s, name, &off);
}

void elf_syms_close(struct elf_syms *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->nr; i++)
		free(s->syms[i].name);
	free(s->syms);
	free(s);
}
