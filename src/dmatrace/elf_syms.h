/* SPDX-License-Identifier: GPL-2.0 */
/* Function symbols of an ELF file (the reference library): the planner, the attach */
#ifndef DMATRACE_ELF_SYMS_H
#define DMATRACE_ELF_SYMS_H

#include <stdbool.h>

struct elf_syms;

/* 0, -ENOENT (cannot open), -ENOEXEC (not ELF), -ENOMEM */
int elf_syms_open(struct elf_syms **out, const char *path);
bool elf_syms_has_func(const struct elf_syms *s, const char *name);
/*
 * The file offset of function name (where its uprobe goes): 0, or -ENOENT.
 * From .symtab or .dynsym: a stripped library has only the latter (libbpf
 * 1.4.6's uprobe_multi lookup by name fails without a .symtab)
 */
int elf_syms_func_offset(const struct elf_syms *s, const char *name,
			 unsigned long *offset);
void elf_syms_close(struct elf_syms *s);

#endif /* DMATRACE_ELF_SYMS_H */
