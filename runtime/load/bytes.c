/*
** bytes.c — the bytes of an input table (bytes.h): a regular file mapped,
** anything else (a pipe, standard input) read into a buffer.
*/
#include "bytes.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"

#ifndef O_CLOEXEC
#define O_CLOEXEC 0
#endif

static void set_err(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t errlen, const char *fmt, ...) {
  if (err == NULL || errlen == 0) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errlen, diag_tr(fmt), ap);
  va_end(ap);
}

/* Reads all of FD into a malloc'd buffer (for pipes and other files that
   cannot be mapped). Sets *LENP. Caller owns the result; free with free().
   Returns NULL with a message on failure. */
static char *read_all(int fd, const char *path, size_t *lenp, char *err, size_t errlen) {
  size_t cap = 64 * 1024, len = 0;
  char *buf = malloc(cap);
  if (buf == NULL) {
    set_err(err, errlen, "%s: out of memory reading the file", path);
    return NULL;
  }
  for (;;) {
    if (cap - len < 2) {
      if (cap > SIZE_MAX / 2) {
        set_err(err, errlen, "%s: file is too large", path);
        goto fail;
      }
      char *nb = realloc(buf, cap * 2);
      if (nb == NULL) {
        set_err(err, errlen, "%s: out of memory reading the file", path);
        goto fail;
      }
      buf = nb;
      cap *= 2;
    }
    ssize_t n = read(fd, buf + len, cap - len - 1);
    if (n < 0) {
      if (errno == EINTR) continue;
      set_err(err, errlen, "%s: cannot read: %s", path, strerror(errno));
      goto fail;
    }
    if (n == 0) break;
    len += (size_t)n;
  }
  *lenp = len;
  return buf;
fail:
  free(buf);
  return NULL;
}

const char *csv_shown_path(const char *path) { return strcmp(path, "-") ? path : "<stdin>"; }

bool bytes_load(table_bytes *t, const char *path, char *err, size_t errlen) {
  memset(t, 0, sizeof *t);
  int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : dup(STDIN_FILENO);
  path = csv_shown_path(path);
  if (fd < 0) {
    set_err(err, errlen, "%s: cannot open: %s", path, strerror(errno));
    return false;
  }
  struct stat sb;
  if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0 && (uintmax_t)sb.st_size < SIZE_MAX / 2) {
    /* populated at once: the whole file is read next, and one fault per page costs more */
    void *m = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (m != MAP_FAILED) {
      close(fd);
      t->map = m;
      t->maplen = (size_t)sb.st_size;
      t->text = m;
      t->len = t->maplen;
      return true;
    }
  }
  size_t len = 0;
  t->buf = read_all(fd, path, &len, err, errlen);
  close(fd);
  if (!t->buf) return false;
  t->text = t->buf;
  t->len = len;
  return true;
}

void bytes_replace(table_bytes *t, char *buf, size_t len) {
  bytes_free(t);
  t->buf = buf;
  t->text = buf;
  t->len = len;
}

void bytes_forget(const table_bytes *t, size_t from, size_t to) {
  if (!t->map || from >= to) return;
  long pg = sysconf(_SC_PAGESIZE);
  uintptr_t base = (uintptr_t)t->map;
  uintptr_t b = (base + from + (uintptr_t)pg - 1) & ~(uintptr_t)(pg - 1); /* whole pages only */
  uintptr_t e = (base + to) & ~(uintptr_t)(pg - 1);
  if (e > b) madvise((void *)b, e - b, MADV_DONTNEED);
}

void bytes_free(table_bytes *t) {
  if (t->map) munmap(t->map, t->maplen);
  free(t->buf);
  memset(t, 0, sizeof *t);
}
