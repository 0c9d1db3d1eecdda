/*
** csv.c — RFC 4180 CSV reader.
**
** Strategy: slurp the file into one buffer (with one spare byte), then make a
** single pass that decodes every field in place.  A decoded field is never
** longer than its raw text plus its terminator (quotes and "" escapes only
** shrink it), so the write cursor W never passes the read cursor P and the
** NUL that ends a field can overwrite the ',' or line end that followed it.
** The spare byte holds the NUL of a last field that ends at end of file.
** Cells are then plain pointers into that arena: no per-cell malloc.
*/
#include "csv.h"

#include <errno.h>

#include "diag.h"
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef O_CLOEXEC
#define O_CLOEXEC 0
#endif

static void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errlen, const char *fmt, ...) {
  if (err == NULL || errlen == 0) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errlen, diag_tr(fmt), ap); /* the message in the chosen language */
  va_end(ap);
}

/* Reads all of PATH into a malloc'd buffer with at least one spare byte
   after the data. Sets *LENP to the data length. Caller owns the result;
   free with free(). Returns NULL with a message on failure. */
static char *read_all(const char *path, size_t *lenp, char *err, size_t errlen) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    set_err(err, errlen, "%s: cannot open: %s", path, strerror(errno));
    return NULL;
  }
  struct stat st;
  size_t cap = 64 * 1024;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
      (uintmax_t)st.st_size < SIZE_MAX - 1) {
    cap = (size_t)st.st_size + 1; /* exact fit for the usual case: one read */
  }
  char *buf = malloc(cap);
  if (buf == NULL) {
    set_err(err, errlen, "%s: out of memory reading the file", path);
    close(fd);
    return NULL;
  }
  size_t len = 0;
  for (;;) {
    if (cap - len < 2) { /* keep room for one more byte plus the spare */
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
  close(fd);
  assert(len < cap);
  *lenp = len;
  return buf;
fail:
  free(buf);
  close(fd);
  return NULL;
}

/* The offset of the first byte of S[0..len) that is not part of a
   well-formed UTF-8 sequence (no overlongs, surrogates or code points past
   U+10FFFF), or LEN if there is none. */
static size_t utf8_invalid(const char *s, size_t len) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0;
  while (i < len) {
    unsigned char c = p[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    size_t n;
    unsigned lo = 0x80, hi = 0xBF; /* the allowed range of the second byte */
    if (c >= 0xC2 && c <= 0xDF) n = 2;
    else if (c == 0xE0) n = 3, lo = 0xA0;
    else if (c == 0xED) n = 3, hi = 0x9F;
    else if (c >= 0xE1 && c <= 0xEF) n = 3;
    else if (c == 0xF0) n = 4, lo = 0x90;
    else if (c == 0xF4) n = 4, hi = 0x8F;
    else if (c >= 0xF1 && c <= 0xF3) n = 4;
    else return i;
    if (i + n > len || p[i + 1] < lo || p[i + 1] > hi) return i;
    for (size_t k = 2; k < n; k++)
      if ((p[i + k] & 0xC0) != 0x80) return i;
    i += n;
  }
  return len;
}

typedef struct parser {
  const char *path;
  char *err;
  size_t errlen;
  char **fields; /* header fields, then data cells, row-major */
  size_t nfields, capfields;
  long *lines; /* start line of each data row */
  size_t nlines, caplines;
  size_t ncols; /* 0 until the header row is complete */
} parser;

/* Grows *ARR (elements of SIZE bytes, capacity *CAP) to hold one more. */
static int grow(void **arr, size_t *cap, size_t size) {
  size_t ncap = *cap ? *cap * 2 : 256;
  if (ncap < *cap || ncap > SIZE_MAX / size) return -1;
  void *na = realloc(*arr, ncap * size);
  if (na == NULL) return -1;
  *arr = na;
  *cap = ncap;
  return 0;
}

static int push_field(parser *ps, char *f) {
  if (ps->nfields == ps->capfields &&
      grow((void **)&ps->fields, &ps->capfields, sizeof *ps->fields)) {
    set_err(ps->err, ps->errlen, "%s: out of memory (%zu fields)", ps->path, ps->nfields);
    return -1;
  }
  ps->fields[ps->nfields++] = f;
  return 0;
}

static int push_line(parser *ps, long line) {
  if (ps->nlines == ps->caplines &&
      grow((void **)&ps->lines, &ps->caplines, sizeof *ps->lines)) {
    set_err(ps->err, ps->errlen, "%s: out of memory (%zu rows)", ps->path, ps->nlines);
    return -1;
  }
  ps->lines[ps->nlines++] = line;
  return 0;
}

/* Names field FI (0-based) of the current row for a message: its column
   name once the header is known, else its 1-based position. */
static const char *field_name(const parser *ps, size_t fi, char *buf, size_t n) {
  if (ps->ncols > 0 && fi < ps->ncols)
    snprintf(buf, n, "column '%s'", ps->fields[fi]);
  else
    snprintf(buf, n, "field %zu", fi + 1);
  return buf;
}

/* A CR counts as a line end only before LF or at end of file; a lone CR
   elsewhere is ordinary data. */
static inline int at_crlf(const char *p, const char *end) {
  return *p == '\r' && (p + 1 == end || p[1] == '\n');
}

static int cmp_names(const void *a, const void *b) {
  const char *x = *(char *const *)a, *y = *(char *const *)b;
  int c = strcmp(x, y);
  if (c) return c;
  /* Same name: keep column order. Names lie in the arena in column order. */
  return ((uintptr_t)x > (uintptr_t)y) - ((uintptr_t)x < (uintptr_t)y);
}

static int is_blank(char c) { return c == ' ' || c == '\t'; }

/* Trims the header names in place and rejects empty and duplicate names. */
static int check_header(parser *ps, long line) {
  size_t n = ps->ncols;
  for (size_t i = 0; i < n; i++) {
    char *s = ps->fields[i];
    while (is_blank(*s)) s++;
    size_t len = strlen(s);
    while (len > 0 && is_blank(s[len - 1])) s[--len] = '\0';
    if (len == 0) {
      set_err(ps->err, ps->errlen, "%s:%ld: column %zu of the header has an empty name",
              ps->path, line, i + 1);
      return -1;
    }
    ps->fields[i] = s;
  }
  if (n < 2) return 0;
  /* Sort a copy so the check is O(n log n) even for very wide files. */
  char **sorted = malloc(n * sizeof *sorted);
  if (sorted == NULL) {
    set_err(ps->err, ps->errlen, "%s: out of memory", ps->path);
    return -1;
  }
  memcpy(sorted, ps->fields, n * sizeof *sorted);
  qsort(sorted, n, sizeof *sorted, cmp_names);
  /* Report the duplicate whose second occurrence comes first in the row,
     which is what a reader scanning left to right would hit. */
  const char *dup = NULL, *dup_second = NULL;
  for (size_t i = 1; i < n; i++) {
    if (strcmp(sorted[i - 1], sorted[i]) == 0 &&
        (dup_second == NULL || (uintptr_t)sorted[i] < (uintptr_t)dup_second)) {
      dup = sorted[i - 1];
      dup_second = sorted[i];
    }
  }
  int rc = 0;
  if (dup != NULL) {
    set_err(ps->err, ps->errlen, "%s:%ld: column '%s' appears twice", ps->path, line, dup);
    rc = -1;
  }
  free(sorted);
  return rc;
}

/* Decodes [p, end) in place; END[0] must be writable (the spare byte). */
static int parse(parser *ps, char *p, char *end) {
  char *w = p; /* write cursor; invariant: w <= p */
  long line = 1;
  char where[256];

  while (p < end) {
    /* A completely empty line is skipped but still counted. */
    if (*p == '\n' || at_crlf(p, end)) {
      p += (*p == '\r' && p + 1 < end) ? 2 : 1;
      line++;
      continue;
    }
    long row_line = line;
    size_t first = ps->nfields;
    for (;;) { /* one field per iteration */
      size_t fi = ps->nfields - first;
      if (push_field(ps, w)) return -1;
      if (p < end && *p == '"') {
        long quote_line = line;
        p++;
        for (;;) {
          if (p == end) {
            set_err(ps->err, ps->errlen,
                    "%s:%ld: unterminated quoted field (the quote opens on line %ld)",
                    ps->path, row_line, quote_line);
            return -1;
          }
          if (*p == '"') {
            if (p + 1 < end && p[1] == '"') { /* "" is one literal quote */
              *w++ = '"';
              p += 2;
              continue;
            }
            p++;
            break;
          }
          if (*p == '\n') line++;
          *w++ = *p++;
        }
        if (p < end && *p != ',' && *p != '\n' && !at_crlf(p, end)) {
          set_err(ps->err, ps->errlen,
                  "%s:%ld: unexpected text after the closing quote (%s); "
                  "a quoted field must end at a comma or the end of the line",
                  ps->path, line, field_name(ps, fi, where, sizeof where));
          return -1;
        }
      } else {
        while (p < end && *p != ',' && *p != '\n' && !at_crlf(p, end)) {
          if (*p == '"') {
            set_err(ps->err, ps->errlen,
                    "%s:%ld: stray quote in an unquoted field (%s); "
                    "quote the whole field and double any quote inside it",
                    ps->path, line, field_name(ps, fi, where, sizeof where));
            return -1;
          }
          *w++ = *p++;
        }
      }
      /* P is at ',', a line end or end of file. Decide the step before
         writing the NUL, since W may equal P. */
      assert(w <= p);
      if ((size_t)(w - ps->fields[ps->nfields - 1]) > CSV_MAX_FIELD) {
        set_err(ps->err, ps->errlen, "%s:%ld: a field longer than %d MB (%s)", ps->path, row_line,
                CSV_MAX_FIELD >> 20, field_name(ps, fi, where, sizeof where));
        return -1;
      }
      if (fi + 1 > CSV_MAX_COLUMNS) {
        set_err(ps->err, ps->errlen, "%s:%ld: more than %d fields in a row", ps->path, row_line, CSV_MAX_COLUMNS);
        return -1;
      }
      int more = p < end && *p == ',';
      size_t step = p == end ? 0 : (*p == '\r' && p + 1 < end) ? 2 : 1;
      *w++ = '\0';
      p += step;
      if (more) continue;
      if (step) line++;
      break;
    }
    size_t nf = ps->nfields - first;
    if (ps->ncols == 0) {
      ps->ncols = nf;
      if (check_header(ps, row_line)) return -1;
    } else if (nf != ps->ncols) {
      set_err(ps->err, ps->errlen, "%s:%ld: row has %zu field%s, the header has %zu",
              ps->path, row_line, nf, nf == 1 ? "" : "s", ps->ncols);
      return -1;
    } else if (push_line(ps, row_line)) {
      return -1;
    }
  }
  if (ps->ncols == 0) {
    set_err(ps->err, ps->errlen, "%s: file is empty (expected a header row)", ps->path);
    return -1;
  }
  return 0;
}

csv_table *csv_read(const char *path, char *err, size_t errlen) { return csv_read_ex(path, err, errlen, NULL); }

csv_table *csv_read_ex(const char *path, char *err, size_t errlen, csv_fault *fault) {
  assert(path != NULL);
  if (err != NULL && errlen > 0) err[0] = '\0';
  csv_fault ignored;
  if (!fault) fault = &ignored;
  *fault = CSV_FAULT_IO;

  size_t len = 0;
  char *buf = read_all(path, &len, err, errlen);
  if (buf == NULL) return NULL;
  *fault = CSV_FAULT_FORMAT;

  /* A NUL would silently cut a cell short; it usually means UTF-16 or a
     binary file was passed by mistake. */
  const char *nul = memchr(buf, '\0', len);
  if (nul != NULL) {
    long line = 1;
    for (const char *q = buf; q < nul; q++) line += *q == '\n';
    set_err(err, errlen, "%s:%ld: file contains a NUL byte (is it UTF-16 or binary?)", path,
            line);
    free(buf);
    return NULL;
  }

  /* Text that is not UTF-8 (GBK, as WPS and Chinese Excel save) would be
     copied into UTF-8 output as it is: refuse it, naming the line. */
  size_t bad = utf8_invalid(buf, len);
  if (bad < len) {
    *fault = CSV_FAULT_ENCODING;
    long line = 1;
    for (const char *q = buf; q < buf + bad; q++) line += *q == '\n';
    set_err(err, errlen,
            "%s:%ld: the table is not UTF-8 text (byte 0x%02X): save it as UTF-8 (in Excel: \"CSV UTF-8\")", path,
            line, (unsigned char)buf[bad]);
    free(buf);
    return NULL;
  }

  char *start = buf;
  if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) start += 3;

  parser ps = {.path = path, .err = err, .errlen = errlen};
  csv_table *t = NULL;
  if (parse(&ps, start, buf + len) != 0) goto fail;

  t = calloc(1, sizeof *t);
  size_t plen = strlen(path);
  char *pcopy = t ? malloc(plen + 1) : NULL;
  if (pcopy == NULL) {
    set_err(err, errlen, "%s: out of memory", path);
    free(t);
    goto fail;
  }
  memcpy(pcopy, path, plen + 1);

  assert(ps.nfields == ps.ncols * (ps.nlines + 1));
  t->path = pcopy;
  t->ncols = ps.ncols;
  t->header = ps.fields; /* header and cells share one allocation */
  t->nrows = ps.nlines;
  t->cells = ps.fields + ps.ncols;
  t->line = ps.lines;
  t->arena = buf;
  return t;

fail:
  free(ps.fields);
  free(ps.lines);
  free(buf);
  return NULL;
}

void csv_free(csv_table *t) {
  if (t == NULL) return;
  free(t->path);
  free(t->header); /* also frees cells: see csv_read */
  free(t->line);
  free(t->arena);
  free(t);
}

long csv_column(const csv_table *t, const char *name) {
  assert(t != NULL && name != NULL);
  for (size_t i = 0; i < t->ncols; i++)
    if (strcmp(t->header[i], name) == 0) return (long)i;
  return -1;
}
