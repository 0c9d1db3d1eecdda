/* replay.c: runs a libFuzzer harness over files without libFuzzer, so
 * every kept input is a plain test (gcc, ASan or none):
 *
 *   fuzz_check_replay [-v] PATH...   (a folder stands for its files, sorted;
 *                                     names starting with '.' are skipped)
 *
 * Each input is copied to a buffer of exactly its size, so reading past
 * it is an error under ASan. The name of each input is printed before it
 * runs when -v is given or $FUZZ_REPLAY_VERBOSE is set; a crash names its
 * input either way ("replay: crashed on input PATH": from a signal handler,
 * from ASan's death callback, or from UBSan's report hook).
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

/* LLVMFuzzerInitialize is optional: weak, so NULL when the harness has none. */
extern int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

/* Under a sanitizer: called when it reports an error, before the process dies. */
extern void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

static const char *volatile current; /* the input running, for a crash's message */

static void name_current(void) {
  const char *c = current;
  if (!c) return;
  current = NULL; /* once: an ASan report that aborts comes here twice */
  static const char head[] = "replay: crashed on input ";
  if (write(2, head, sizeof head - 1) < 0 || write(2, c, strlen(c)) < 0 || write(2, "\n", 1) < 0) return;
}

/* A fatal signal names the input, then kills as before. */
static void on_signal(int sig) {
  name_current();
  signal(sig, SIG_DFL);
  raise(sig);
}

/* UBSan calls this before each report it prints (its default does nothing). */
void __ubsan_on_report(void);
void __ubsan_on_report(void) { name_current(); }

static void name_crashes(void) {
  /* a sanitizer handles SIGSEGV and SIGBUS itself: leave those to it */
  bool sanitized = __sanitizer_set_death_callback != NULL;
  if (sanitized) __sanitizer_set_death_callback(name_current);
  static const int sigs[] = {SIGILL, SIGFPE, SIGABRT, SIGTRAP, SIGSEGV, SIGBUS};
  for (size_t i = 0; i < sizeof sigs / sizeof sigs[0] - (sanitized ? 2 : 0); i++) signal(sigs[i], on_signal);
}

static bool run_file(const char *path, bool verbose) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
    return false;
  }
  size_t cap = 4096, n = 0;
  unsigned char *buf = malloc(cap);
  if (!buf) abort();
  size_t got;
  while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
    n += got;
    if (n == cap) {
      buf = realloc(buf, cap *= 2);
      if (!buf) abort();
    }
  }
  bool bad = ferror(f);
  fclose(f);
  if (bad) {
    fprintf(stderr, "replay: %s: read error\n", path);
    free(buf);
    return false;
  }
  /* exactly N bytes (at least one allocated), as libFuzzer gives them */
  unsigned char *data = malloc(n ? n : 1);
  if (!data) abort();
  memcpy(data, buf, n);
  free(buf);
  current = path;
  if (verbose) fprintf(stderr, "replay: running %s\n", path);
  LLVMFuzzerTestOneInput(data, n);
  current = NULL;
  free(data);
  return true;
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Runs every file of DIR in name order; counts them into *N. */
static bool run_dir(const char *dir, bool verbose, int *count) {
  DIR *d = opendir(dir);
  if (!d) {
    fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
    return false;
  }
  char **names = NULL;
  size_t n = 0, cap = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    if (n == cap) {
      names = realloc(names, (cap = cap ? 2 * cap : 64) * sizeof *names);
      if (!names) abort();
    }
    names[n] = strdup(e->d_name);
    if (!names[n++]) abort();
  }
  closedir(d);
  qsort(names, n, sizeof *names, by_name);
  bool ok = true;
  for (size_t i = 0; i < n; i++) {
    size_t len = strlen(dir) + strlen(names[i]) + 2;
    char *path = malloc(len);
    if (!path) abort();
    size_t d = strlen(dir);
    snprintf(path, len, "%s%s%s", dir, d && dir[d - 1] == '/' ? "" : "/", names[i]);
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
      if (run_file(path, verbose)) ++*count;
      else ok = false;
    }
    free(path);
    free(names[i]);
  }
  free(names);
  return ok;
}

int main(int argc, char **argv) {
  bool verbose = getenv("FUZZ_REPLAY_VERBOSE") != NULL;
  int first = 1;
  if (argc > 1 && !strcmp(argv[1], "-v")) verbose = true, first = 2;
  if (first >= argc) {
    fprintf(stderr, "usage: %s [-v] FILE-OR-FOLDER...\n", argv[0]);
    return 2;
  }
  name_crashes();
  if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
  bool ok = true;
  int count = 0;
  for (int i = first; i < argc; i++) {
    struct stat st;
    if (stat(argv[i], &st) != 0) {
      fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
      ok = false;
    } else if (S_ISDIR(st.st_mode)) {
      ok = run_dir(argv[i], verbose, &count) && ok;
    } else {
      ok = run_file(argv[i], verbose) && ok;
      count++;
    }
  }
  printf("replay: %d inputs ran%s\n", count, ok ? "" : " (some could not be read)");
  return ok ? 0 : 1;
}
