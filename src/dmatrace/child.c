// SPDX-License-Identifier: GPL-2.0
/* The traced command: see child.h */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "child.h"

/* 0 when path is a regular file we may execute, else -errno (-EISDIR...) */
static int can_exec(const char *path)
{
	struct stat st;

	if (stat(path, &st))
		return -errno;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if (!S_ISREG(st.st_mode))
		return -EACCES;
	return access(path, X_OK) ? -errno : 0;
}

/*
 * Can execvp() run file? Searches PATH like it when file has no '/'; a
 * directory or another non-regular file is refused, as exec would
 */
int child_check(const char *file)
{
	const char *path = getenv("PATH") ?: "/usr/local/bin:/usr/bin:/bin";
	char buf[4096];
	int e = -ENOENT, r;

	if (!*file)
		return -ENOENT;
	if (strchr(file, '/'))
		return can_exec(file);
	while (*path) {
		size_t n = strcspn(path, ":");

		snprintf(buf, sizeof(buf), "%.*s%s%s", (int)n, path,
			 n ? "/" : "", file);
		r = can_exec(buf);
		if (!r)
			return 0;
		if (r != -ENOENT && r != -ENOTDIR)
			e = r;
		path += n + (path[n] == ':');
	}
	return e;
}

int child_spawn(struct child *c, char *const argv[], bool quiet)
{
	int gate[2];
	char go;

	if (pipe2(gate, O_CLOEXEC))
		return -errno;
	c->pid = fork();
	if (c->pid < 0) {
		close(gate[0]);
		close(gate[1]);
		return -errno;
	}
	if (c->pid == 0) {
		close(gate[1]);
		if (read(gate[0], &go, 1) != 1)
			_exit(127);
		close(gate[0]);
		if (quiet) {
			int null = open("/dev/null", O_WRONLY);

			if (null >= 0)
				dup2(null, STDOUT_FILENO);
		}
		execvp(argv[0], argv);
		fprintf(stderr, "dmatrace: cannot run %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	close(gate[0]);
	c->gate = gate[1];
	return 0;
}

void child_release(struct child *c, bool go)
{
	char byte = 1;

	if (c->gate < 0)
		return;
	if (go && write(c->gate, &byte, 1) != 1)
		perror("dmatrace: releasing the command");
	close(c->gate);
	c->gate = -1;
}

int child_reap(struct child *c, bool block, int *code)
{
	int status;
	pid_t r;

	do
		r = waitpid(c->pid, &status, block ? 0 : WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	if (r == 0)
		return 0;
	*code = WIFEXITED(status) ? WEXITSTATUS(status) :
		128 + WTERMSIG(status);
	return 1;
}
