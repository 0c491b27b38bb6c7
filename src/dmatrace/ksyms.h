/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel symbol tables, read once per run into a sorted array: the text
 * symbols of /proc/kallsyms (with the module each lives in) and the
 * functions of available_filter_functions (those ftrace, hence a kprobe
 * through it, can hook: kallsyms also lists notrace functions).
 */
#ifndef DMATRACE_KSYMS_H
#define DMATRACE_KSYMS_H

#include <stdbool.h>

enum ksyms_format {
	KSYMS_KALLSYMS,		/* "addr type name [module]", text only */
	KSYMS_FILTER,		/* "name [module]" */
};

struct ksyms;

/* 0, or -errno when path cannot be read */
int ksyms_load(struct ksyms **out, const char *path, enum ksyms_format fmt);
/* available_filter_functions from tracefs or debugfs; 0 or -errno */
int ksyms_load_filter_functions(struct ksyms **out);
void ksyms_free(struct ksyms *k);

/*
 * Is name there? *mod (when non-NULL) gets the module it lives in, NULL
 * for vmlinux.
 */
bool ksyms_find(const struct ksyms *k, const char *name, const char **mod);

#endif /* DMATRACE_KSYMS_H */
