/* timed.c: runs a command and reports its wall time and peak memory, for
 * bench/run.sh (no dependency on GNU time).
 *
 *   rubric-bench-timed REPORT COMMAND [ARGS...]
 *
 * Runs COMMAND with the same standard streams, waits for it, and writes
 * one line to the file REPORT: "SECONDS PEAK_KB STATUS CPU_SECONDS" (the
 * wall time from fork to exit, the child's maximum resident set size from
 * wait4, its exit status, or 128 + the signal that ended it, and the CPU
 * time it used, user and system: on a shared machine the wall time grows
 * with the other work, the CPU time much less). Exits with the child's
 * status.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: rubric-bench-timed REPORT COMMAND [ARGS...]\n");
    return 2;
  }
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  pid_t pid = fork();
  if (pid < 0) {
    fprintf(stderr, "rubric-bench-timed: fork: %s\n", strerror(errno));
    return 2;
  }
  if (pid == 0) {
    execvp(argv[2], argv + 2);
    fprintf(stderr, "rubric-bench-timed: %s: %s\n", argv[2], strerror(errno));
    _exit(127);
  }
  int status;
  struct rusage ru;
  while (wait4(pid, &status, 0, &ru) < 0)
    if (errno != EINTR) {
      fprintf(stderr, "rubric-bench-timed: wait: %s\n", strerror(errno));
      return 2;
    }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  FILE *f = fopen(argv[1], "w");
  double cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
  if (!f || fprintf(f, "%.6f %ld %d %.6f\n", (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9,
                    ru.ru_maxrss, code, cpu) < 0 || fclose(f)) {
    fprintf(stderr, "rubric-bench-timed: %s: cannot write\n", argv[1]);
    return 2;
  }
  return code;
}
