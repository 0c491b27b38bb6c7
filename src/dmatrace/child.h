/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `dmatrace ... -- COMMAND`: the command is forked first and waits on a
 * pipe (the gate) until the probes are live, then execs.
 */
#ifndef DMATRACE_CHILD_H
#define DMATRACE_CHILD_H

#include <stdbool.h>
#include <sys/types.h>

struct child {
	pid_t pid;
	int gate;	/* write end; closing it without a byte aborts */
};

/* 0 when execvp() can run file (PATH searched), else -errno */
int child_check(const char *file);
/* Fork argv[0] (PATH search) held at the gate; quiet: stdout to /dev/null.
 * 0 or -errno */
int child_spawn(struct child *c, char *const argv[], bool quiet);
/* Let it exec (go) or make it exit 127 without exec (!go) */
void child_release(struct child *c, bool go);
/*
 * Reap it: 1 and *code = its exit status (128 + signal if killed) when it
 * ended, 0 when still running (!block), -errno on error.
 */
int child_reap(struct child *c, bool block, int *code);

#endif /* DMATRACE_CHILD_H */
