/* SPDX-License-Identifier: GPL-2.0 */
/* Function symbols of an ELF file (the reference library), for the planner */
#ifndef DMATRACE_ELF_SYMS_H
#define DMATRACE_ELF_SYMS_H

#include <stdbool.h>

struct elf_syms;

/* 0, -ENOENT (cannot open), -ENOEXEC (not ELF), -ENOMEM */
int elf_syms_open(struct elf_syms **out, const char *path);
bool elf_syms_has_func(const struct elf_syms *s, const char *name);
void elf_syms_close(struct elf_syms *s);

#endif /* DMATRACE_ELF_SYMS_H */
