/*
** output.c — number formatting, atomic output files, CSV fields, ranks.
*/
#include "output.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errlen, const char *fmt, ...) {
  if (err == NULL || errlen == 0) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
}

/* ---------------------------------------------------------------- numbers */

/* Splits the %e text of A (> 0) at precision P into its significant digits
   and decimal exponent. Only digits and the exponent are read, so a locale
   whose decimal point is not '.' does not matter. Returns the digit count. */
static int e_digits(double a, int p, char *digits, int *e10) {
  char tmp[48];
  snprintf(tmp, sizeof tmp, "%.*e", p - 1, a);
  int nd = 0;
  const char *q = tmp;
  for (; *q && *q != 'e'; q++)
    if (*q >= '0' && *q <= '9') digits[nd++] = *q;
  digits[nd] = '\0';
  assert(*q == 'e' && nd == p);
  *e10 = (int)strtol(q + 1, NULL, 10);
  return nd;
}

void out_format_double(double d, char *buf, size_t len) {
  assert(buf != NULL && len >= 32);
  char text[40];
  char *w = text;

  if (isnan(d)) {
    snprintf(buf, len, "nan");
    return;
  }
  if (isinf(d)) {
    snprintf(buf, len, "%s", d < 0 ? "-inf" : "inf");
    return;
  }
  if (d == 0) { /* covers -0.0: a sign on zero only confuses readers */
    snprintf(buf, len, "0");
    return;
  }
  if (signbit(d)) *w++ = '-';
  double a = fabs(d);

  if (a < 1e15 && a == floor(a)) { /* exact integer: at most 15 digits */
    snprintf(w, sizeof text - 1, "%.0f", a);
    snprintf(buf, len, "%s", text);
    return;
  }

  /* Shortest round trip: the first precision whose correctly rounded %e
     text reads back as A. 17 digits always suffice for a double. The check
     string "DIGITSe<exp>" has no decimal point, so it is locale-proof. */
  char digits[24];
  int nd = 0, e10 = 0;
  for (int p = 1; p <= 17; p++) {
    nd = e_digits(a, p, digits, &e10);
    char check[48];
    snprintf(check, sizeof check, "%se%d", digits, e10 - (nd - 1));
    if (strtod(check, NULL) == a) break;
  }
  while (nd > 1 && digits[nd - 1] == '0') digits[--nd] = '\0';

  if (e10 >= -4 && e10 < 15) {
    if (e10 >= 0) { /* ddd.ddd */
      for (int i = 0; i <= e10; i++) *w++ = i < nd ? digits[i] : '0';
      if (nd > e10 + 1) {
        *w++ = '.';
        for (int i = e10 + 1; i < nd; i++) *w++ = digits[i];
      }
    } else { /* 0.000ddd */
      *w++ = '0';
      *w++ = '.';
      for (int i = 0; i < -e10 - 1; i++) *w++ = '0';
      for (int i = 0; i < nd; i++) *w++ = digits[i];
    }
    *w = '\0';
  } else { /* d.ddde+XX, exponent as %g writes it */
    *w++ = digits[0];
    if (nd > 1) {
      *w++ = '.';
      for (int i = 1; i < nd; i++) *w++ = digits[i];
    }
    snprintf(w, sizeof text - (size_t)(w - text), "e%c%02d", e10 < 0 ? '-' : '+',
             e10 < 0 ? -e10 : e10);
  }
  assert(strlen(text) < 32);
  snprintf(buf, len, "%s", text);
}

/* ------------------------------------------------------------ out files */

struct out_file {
  FILE *fp;
  char *path; /* target, for messages and the final rename; NULL for stdout */
  char *tmp;  /* temp file beside the target; NULL for stdout */
};

out_file *out_open(const char *path, char *err, size_t errlen) {
  if (err != NULL && errlen > 0) err[0] = '\0';
  out_file *f = calloc(1, sizeof *f);
  if (f == NULL) {
    set_err(err, errlen, "%s: out of memory", path ? path : "stdout");
    return NULL;
  }
  if (path == NULL || strcmp(path, "-") == 0) {
    f->fp = stdout;
    return f;
  }

  const char *slash = strrchr(path, '/');
  const char *base = slash ? slash + 1 : path;
  if (*base == '\0' || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
    set_err(err, errlen, "%s: is a directory, not an output file name", path);
    free(f);
    return NULL;
  }
  /* The temp file must be in the target's directory: rename(2) is atomic
     only within one file system. The leading dot hides it from globs. */
  size_t dirlen = (size_t)(base - path), plen = strlen(path);
  f->path = malloc(plen + 1);
  size_t tmplen = dirlen + 1 + strlen(base) + sizeof ".XXXXXX";
  f->tmp = malloc(tmplen);
  if (f->path == NULL || f->tmp == NULL) {
    set_err(err, errlen, "%s: out of memory", path);
    goto fail;
  }
  memcpy(f->path, path, plen + 1);
  memcpy(f->tmp, path, dirlen);
  snprintf(f->tmp + dirlen, tmplen - dirlen, ".%s.XXXXXX", base);

  int fd = mkstemp(f->tmp);
  if (fd < 0) {
    int e = errno;
    if (dirlen > 0)
      set_err(err, errlen, "%s: cannot create a temporary file in %.*s: %s", path,
              (int)(dirlen > 1 ? dirlen - 1 : dirlen), path, strerror(e));
    else
      set_err(err, errlen, "%s: cannot create a temporary file in .: %s", path, strerror(e));
    goto fail;
  }
  /* mkstemp makes 0600; outputs are meant to be shared like any file. A
     failure here is harmless (the content is still right), so ignore it. */
  (void)fchmod(fd, 0644);
  f->fp = fdopen(fd, "w");
  if (f->fp == NULL) {
    set_err(err, errlen, "%s: cannot open the temporary file: %s", path, strerror(errno));
    close(fd);
    unlink(f->tmp);
    goto fail;
  }
  return f;

fail:
  free(f->path);
  free(f->tmp);
  free(f);
  return NULL;
}

FILE *out_stream(out_file *f) {
  assert(f != NULL && f->fp != NULL);
  return f->fp;
}

/* Best effort: makes the rename itself durable. Errors are ignored since
   the data is already safely in place for every reader. */
static void sync_dir(const char *path) {
  const char *slash = strrchr(path, '/');
  char *dir;
  if (slash == NULL) {
    dir = NULL;
  } else {
    size_t n = slash == path ? 1 : (size_t)(slash - path);
    dir = malloc(n + 1);
    if (dir == NULL) return;
    memcpy(dir, path, n);
    dir[n] = '\0';
  }
  int fd = open(dir ? dir : ".", O_RDONLY);
  if (fd >= 0) {
    (void)fsync(fd);
    close(fd);
  }
  free(dir);
}

int out_commit(out_file *f, char *err, size_t errlen) {
  assert(f != NULL);
  if (err != NULL && errlen > 0) err[0] = '\0';
  int rc = 0;

  if (f->tmp == NULL) { /* stdout: nothing to rename, and never close it */
    if (fflush(f->fp) != 0) {
      set_err(err, errlen, "stdout: write failed: %s", strerror(errno));
      rc = -1;
    } else if (ferror(f->fp)) {
      set_err(err, errlen, "stdout: write failed");
      rc = -1;
    }
    free(f);
    return rc;
  }

  if (fflush(f->fp) != 0) {
    set_err(err, errlen, "%s: write failed: %s", f->path, strerror(errno));
    rc = -1;
  } else if (ferror(f->fp)) { /* an earlier write failed; errno is long gone */
    set_err(err, errlen, "%s: write failed", f->path);
    rc = -1;
  } else if (fsync(fileno(f->fp)) != 0 && errno != EINVAL && errno != ENOTSUP) {
    /* EINVAL/ENOTSUP: the file system cannot sync; nothing to report. */
    set_err(err, errlen, "%s: cannot sync to disk: %s", f->path, strerror(errno));
    rc = -1;
  }
  if (fclose(f->fp) != 0 && rc == 0) {
    set_err(err, errlen, "%s: write failed on close: %s", f->path, strerror(errno));
    rc = -1;
  }
  if (rc == 0 && rename(f->tmp, f->path) != 0) {
    set_err(err, errlen, "%s: cannot replace the file: %s", f->path, strerror(errno));
    rc = -1;
  }
  if (rc != 0)
    unlink(f->tmp);
  else
    sync_dir(f->path);

  free(f->path);
  free(f->tmp);
  free(f);
  return rc;
}

void out_abort(out_file *f) {
  if (f == NULL) return;
  if (f->tmp != NULL) {
    fclose(f->fp);
    unlink(f->tmp);
  }
  /* stdout: what was written is gone already; leave the stream open. */
  free(f->path);
  free(f->tmp);
  free(f);
}

/* ------------------------------------------------------------ CSV fields */

static int is_blank(char c) { return c == ' ' || c == '\t'; }

void out_csv_field(FILE *fp, const char *s) {
  assert(fp != NULL);
  if (s == NULL) return;
  size_t n = strlen(s);
  /* Edge blanks are quoted because many readers trim unquoted fields. */
  int quote = strpbrk(s, ",\"\r\n") != NULL || (n > 0 && (is_blank(s[0]) || is_blank(s[n - 1])));
  if (!quote) {
    fwrite(s, 1, n, fp);
    return;
  }
  putc('"', fp);
  for (const char *q; (q = strchr(s, '"')) != NULL; s = q + 1) {
    fwrite(s, 1, (size_t)(q - s) + 1, fp); /* the segment and its quote ... */
    putc('"', fp);                         /* ... doubled */
  }
  fputs(s, fp);
  putc('"', fp);
}

/* ------------------------------------------------------------------ ranks */

typedef struct scored {
  double s;
  size_t i;
} scored;

/* Descending score, NaN last, then input order (only for determinism). */
static int cmp_scored(const void *pa, const void *pb) {
  const scored *a = pa, *b = pb;
  int na = isnan(a->s), nb = isnan(b->s);
  if (na != nb) return na - nb;
  if (!na) {
    if (a->s > b->s) return -1;
    if (a->s < b->s) return 1;
  }
  return (a->i > b->i) - (a->i < b->i);
}

/* Same order as cmp_scored without the index tie-break: 0 means tied. */
static int same_score(double x, double y) {
  return (isnan(x) && isnan(y)) || x == y;
}

void out_rank(const double *score, size_t n, int *rank) {
  assert(n == 0 || (score != NULL && rank != NULL));
  assert(n <= (size_t)INT_MAX);
  if (n == 0) return;

  scored *v = malloc(n * sizeof *v);
  if (v == NULL) {
    /* No memory for the sort: the quadratic definition still answers. */
    size_t nnum = 0;
    for (size_t j = 0; j < n; j++) nnum += isnan(score[j]) ? 0u : 1u;
    for (size_t i = 0; i < n; i++) {
      size_t above = 0;
      if (isnan(score[i]))
        above = nnum;
      else
        for (size_t j = 0; j < n; j++) above += score[j] > score[i];
      rank[i] = (int)(above + 1);
    }
    return;
  }
  for (size_t i = 0; i < n; i++) v[i] = (scored){score[i], i};
  qsort(v, n, sizeof *v, cmp_scored);
  size_t start = 0; /* first position of the current tie group */
  for (size_t k = 0; k < n; k++) {
    if (k > 0 && !same_score(v[k].s, v[k - 1].s)) start = k;
    rank[v[k].i] = (int)(start + 1);
  }
  free(v);
}
