/* bench_csv.c: see bench_csv.h. Written for speed the way a C programmer
 * would write a loader for one known layout: the file read whole, a byte
 * loop per field, no copies. */
#include "bench_csv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int bench_csv_open(bench_csv *r, const char *path) {
  memset(r, 0, sizeof *r);
  r->path = path;
  int fd = open(path, O_RDONLY);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) {
    snprintf(r->error, sizeof r->error, "%s: cannot open: %s", path, strerror(errno));
    if (fd >= 0) close(fd);
    return -1;
  }
  size_t size = (size_t)st.st_size, got = 0;
  r->buf = malloc(size + 1);
  if (!r->buf) {
    snprintf(r->error, sizeof r->error, "%s: out of memory (%zu bytes)", path, size);
    close(fd);
    return -1;
  }
  while (got < size) {
    ssize_t k = read(fd, r->buf + got, size - got);
    if (k <= 0) {
      snprintf(r->error, sizeof r->error, "%s: cannot read: %s", path, k < 0 ? strerror(errno) : "file shrank");
      close(fd);
      free(r->buf);
      r->buf = NULL;
      return -1;
    }
    got += (size_t)k;
  }
  close(fd);
  r->buf[size] = '\0';
  r->p = r->buf;
  r->end = r->buf + size;
  r->line = 1;
  if (size >= 3 && !memcmp(r->p, "\xEF\xBB\xBF", 3)) r->p += 3; /* byte order mark */
  return 0;
}

void bench_csv_close(bench_csv *r) {
  free(r->buf);
  r->buf = r->p = r->end = NULL;
}

long bench_csv_line_bound(const bench_csv *r) {
  long n = 1;
  for (const char *q = r->p; (q = memchr(q, '\n', (size_t)(r->end - q))) != NULL; q++) n++;
  return n;
}

/* Whether P starts a line end (LF or CRLF); *LEN is its length. */
static inline int line_end(const char *p, const char *end, int *len) {
  if (*p == '\n') return *len = 1;
  if (*p == '\r' && p + 1 < end && p[1] == '\n') return *len = 2;
  return 0;
}

int bench_csv_record(bench_csv *r, bench_field *fields, int max, long *line) {
  char *p = r->p, *end = r->end;
  int brk;
  while (p < end && line_end(p, end, &brk)) { /* empty lines are skipped */
    p += brk;
    r->line++;
  }
  if (p >= end) {
    r->p = p;
    return 0;
  }
  *line = r->line;
  int n = 0;
  for (;;) {
    if (n == max) {
      snprintf(r->error, sizeof r->error, "%s:%ld: more than %d fields", r->path, *line, max);
      return -1;
    }
    bench_field *f = &fields[n++];
    if (*p == '"') { /* quoted: "" is a quote; commas and line breaks are data */
      long opened = r->line;
      char *src = ++p, *dst = p;
      f->text = p;
      for (;;) {
        char *q = memchr(src, '"', (size_t)(end - src));
        if (!q) {
          snprintf(r->error, sizeof r->error, "%s:%ld: unterminated quoted field (the quote opens on line %ld)",
                   r->path, r->line, opened);
          return -1;
        }
        for (char *c = src; (c = memchr(c, '\n', (size_t)(q - c))) != NULL; c++) r->line++;
        if (dst != src) memmove(dst, src, (size_t)(q - src));
        dst += q - src;
        if (q + 1 < end && q[1] == '"') { /* an escaped quote */
          *dst++ = '"';
          src = q + 2;
          continue;
        }
        p = q + 1;
        break;
      }
      f->len = (size_t)(dst - f->text);
      if (p < end && *p != ',' && !line_end(p, end, &brk)) {
        snprintf(r->error, sizeof r->error, "%s:%ld: unexpected text after the closing quote", r->path, r->line);
        return -1;
      }
    } else {
      f->text = p;
      while (p < end && *p != ',' && *p != '\n' && !(*p == '\r' && p + 1 < end && p[1] == '\n')) {
        if (*p == '"') {
          snprintf(r->error, sizeof r->error, "%s:%ld: stray quote in an unquoted field", r->path, r->line);
          return -1;
        }
        p++;
      }
      f->len = (size_t)(p - f->text);
    }
    if (p < end && *p == ',') {
      p++;
      continue;
    }
    if (p < end && line_end(p, end, &brk)) {
      p += brk;
      r->line++;
    }
    r->p = p;
    return n;
  }
}
