/*
** csv.c — RFC 4180 CSV files, checked once and split into rows (csv.h).
**
** csv_open takes the file's bytes (mapped or read: bytes.h; an .xlsx
** workbook's first sheet as CSV text: xlsx.h) and makes three passes over
** them, in the order their errors take precedence: a NUL anywhere, then
** the encoding (UTF-8, or GB18030 converted to UTF-8 first: encoding.h),
** then the structure (quotes, field counts, header). The last pass keeps
** where each row starts and the lines where rows and lines part (a blank
** line, a line break in quotes), nothing else: the text stays where
** it is, and a loader splits a row into fields again (csv_row) when it
** reads it, or when it must quote a bad cell in a message.
*/
#include "csv.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uninorm.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "bytes.h"
#include "diag.h"
#include "encoding.h"
#include "pages.h"
#include "xlsx.h"

/* What csv_open owns besides the arrays in csv_file. */
typedef struct csv_store {
  table_bytes bytes; /* the file's, or their conversion to UTF-8 */
  char *header_text; /* the header names, decoded */
} csv_store;

static void set_err(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errlen, const char *fmt, ...) {
  if (err == NULL || errlen == 0) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errlen, diag_tr(fmt), ap); /* the message in the chosen language */
  va_end(ap);
}

/* ---- encoding --------------------------------------------------------------- */

static long line_of(const char *text, size_t off) {
  long line = 1;
  for (const char *q = text, *e = text + off; (q = memchr(q, '\n', (size_t)(e - q))) != NULL; q++) line++;
  return line;
}

/* F's GB18030 bytes as UTF-8, in a buffer that replaces them; false with
   *BADP the offset of the first byte that is not GB18030 text (F as it was).
   '\n' is never part of a two- or four-byte GB18030 character, so lines are
   the same lines before and after. */
static bool gb18030_to_utf8(csv_file *f, csv_store *st, size_t *badp) {
  size_t len;
  char *out = enc_gb18030_to_utf8(f->text, f->len, &len, badp);
  if (!out) return false;
  bytes_replace(&st->bytes, out, len);
  f->text = out;
  f->len = len;
  return true;
}

/* F's text as UTF-8 in the encoding ENC (CSV_ENC_AUTO: UTF-8 if it is
   that, else GB18030 if it is that), converted in place, with F->encoding
   set. On failure, a message naming the line and the byte. */
static bool decode_text(csv_file *f, csv_store *st, csv_encoding enc, char *err, size_t errlen, csv_fault *fault) {
  const char *path = f->path;
  bool bom = f->len >= 3 && memcmp(f->text, "\xEF\xBB\xBF", 3) == 0;
  size_t bad = enc == CSV_ENC_GB18030 && !bom ? 0 : enc_utf8_invalid(f->text, f->len);
  f->encoding = "UTF-8";
  if (enc == CSV_ENC_GB18030 && bom) {
    *fault = CSV_FAULT_ENCODING;
    set_err(err, errlen, "%s:1: the table starts with a UTF-8 byte order mark, but --encoding says GB18030", path);
    return false;
  }
  if (enc != CSV_ENC_GB18030 && bad == f->len) return true;
  if (enc == CSV_ENC_UTF8 || bom) {
    /* Text that is not UTF-8 would be copied into UTF-8 output as it is:
       refuse it, naming the line. */
    *fault = CSV_FAULT_ENCODING;
    set_err(err, errlen,
            "%s:%ld: the table is not UTF-8 text (byte 0x%02X): save it as UTF-8 (in Excel: \"CSV UTF-8\")", path,
            line_of(f->text, bad), (unsigned char)f->text[bad]);
    return false;
  }
  size_t utf8_bad = bad;
  if (gb18030_to_utf8(f, st, &bad)) {
    f->encoding = "GB18030";
    return true;
  }
  *fault = CSV_FAULT_ENCODING;
  if (enc == CSV_ENC_GB18030)
    set_err(err, errlen, "%s:%ld: the table is not GB18030 (GBK) text (byte 0x%02X)", path, line_of(f->text, bad),
            (unsigned char)f->text[bad]);
  else
    set_err(err, errlen,
            "%s:%ld: the table is neither UTF-8 nor GB18030 (GBK) text (byte 0x%02X): save it as UTF-8 (in Excel: "
            "\"CSV UTF-8\") or name its encoding with --encoding",
            path, line_of(f->text, utf8_bad), (unsigned char)f->text[utf8_bad]);
  return false;
}

/* ---- structure ---------------------------------------------------------------- */

/* Bytes that end or open something in a field: ',' '"' '\n' '\r'. */
static const unsigned char special[256] = {[','] = 1, ['"'] = 1, ['\n'] = 1, ['\r'] = 1};

/* The first byte of [P, END) that is special, END if none. Fields are
   short (a number, an id), so one 16-byte compare usually finds the end,
   with no branch per byte to mispredict: the CSV passes spent most of
   their time in the byte loop that is now only the tail's. */
static inline const char *next_special(const char *p, const char *end) {
#if defined(__SSE2__)
  const __m128i comma = _mm_set1_epi8(','), quote = _mm_set1_epi8('"');
  const __m128i lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
  while (end - p >= 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, quote)),
                             _mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr)));
    unsigned bits = (unsigned)_mm_movemask_epi8(m);
    if (bits) return p + __builtin_ctz(bits);
    p += 16;
  }
#endif
  while (p < end && !special[(unsigned char)*p]) p++;
  return p;
}

/* A CR counts as a line end only before LF or at end of file; a lone CR
   elsewhere is ordinary data. */
static inline int at_crlf(const char *p, const char *end) { return *p == '\r' && (p + 1 == end || p[1] == '\n'); }

static int is_blank(char c) { return c == ' ' || c == '\t'; }

/* The bits set in X (< 2^16), in a few instructions: the build targets
   x86-64 without POPCNT, where __builtin_popcount is a library call. */
static inline size_t bits16(unsigned x) {
  x = x - ((x >> 1) & 0x5555u);
  x = (x & 0x3333u) + ((x >> 2) & 0x3333u);
  x = (x + (x >> 4)) & 0x0F0Fu;
  return (x + (x >> 8)) & 0x1Fu;
}

/* A plain row: no field quoted, no CR but its CRLF's, all of it at least
   16 bytes before the end of the file (nearly every row of a table of
   numbers). Its commas and its line end are found 16 bytes at a time, not
   field by field: a row of short fields costs about one compare per 16
   bytes. Splits the row at P into OUT (may be NULL) up to MAX fields and
   returns how many ended; *EOL is its line end ('\n', or the CR of a
   CRLF) when the last of them ended there, NULL when it ended at a comma.
   0 when the row is not plain: the byte loops read it. */
static size_t plain_row(const char *p, const char *end, size_t max, csv_field *out, const char **eol) {
  size_t n = 0;
  *eol = NULL;
#if defined(__SSE2__)
  const __m128i comma = _mm_set1_epi8(','), quote = _mm_set1_epi8('"');
  const __m128i lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
  const char *start = p; /* of the field being read */
  for (const char *s = p; end - s >= 16; s += 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
    unsigned commas = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, comma));
    unsigned stop = (unsigned)_mm_movemask_epi8(
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, lf)), _mm_cmpeq_epi8(v, cr)));
    if (stop) commas &= (1u << __builtin_ctz(stop)) - 1; /* only the commas before it */
    if (!out) { /* only counted (csv_open's scan): not comma by comma */
      size_t k = bits16(commas);
      if (n + k >= max) return max;
      n += k;
    }
    for (; out && commas; commas &= commas - 1) {
      const char *at = s + __builtin_ctz(commas);
      out[n] = (csv_field){start, (size_t)(at - start), false};
      start = at + 1;
      if (++n == max) return n;
    }
    if (stop) {
      const char *at = s + __builtin_ctz(stop);
      if (*at != '\n' && !(*at == '\r' && end - at > 1 && at[1] == '\n')) return 0; /* a quote, a lone CR */
      if (out) out[n] = (csv_field){start, (size_t)(at - start), false};
      *eol = at;
      return n + 1;
    }
  }
#else
  (void)p, (void)end, (void)max, (void)out;
#endif
  return 0;
}

typedef struct scanner {
  const char *path;
  char *err;
  size_t errlen;
  char **header; /* decoded names, once the header row is read */
  size_t ncols;  /* 0 until then */
  unsigned char *row_at; /* pages_grow; CSV_ROW_AT_BYTES a row (csv_row_at) */
  size_t nrows, cap;
  csv_lines lines; /* the breaks so far */
  size_t breaks_cap;
  const table_bytes *bytes; /* the text scanned, given back behind the scan (scan_rows) */
  size_t forgot;            /* bytes before this are given back */
} scanner;

/* Bytes scanned between two bytes_forget: a table checked is not kept in
   memory until its rows are read (the entities' while the periods' are
   checked, or the other way round), and no more than this of it is. */
enum { FORGET_BYTES = 8 << 20 };

/* Names field FI (0-based) of the current row for a message: its column
   name once the header is known, else its 1-based position. */
static const char *field_name(const scanner *sc, size_t fi, char *buf, size_t n) {
  if (sc->ncols > 0 && fi < sc->ncols) snprintf(buf, n, "column '%s'", sc->header[fi]);
  else snprintf(buf, n, "field %zu", fi + 1);
  return buf;
}

static int cmp_names(const void *a, const void *b) {
  const char *x = *(char *const *)a, *y = *(char *const *)b;
  int c = strcmp(x, y);
  if (c) return c;
  /* Same name: keep column order. Names lie in their storage in column order. */
  return ((uintptr_t)x > (uintptr_t)y) - ((uintptr_t)x < (uintptr_t)y);
}

/* A non-ASCII name of LEN bytes in normalisation form C, in place, as the
   scheme's names are (spec/lexical.md#names): a header typed with combining
   marks still names its input. Left as it is in the rare case NFC is longer. */
static void nfc_in_place(char *s, size_t len) {
  size_t i = 0;
  while (i < len && (unsigned char)s[i] < 0x80) i++;
  if (i == len) return;
  size_t outlen = 0;
  uint8_t *nfc = u8_normalize(UNINORM_NFC, (const uint8_t *)s, len, NULL, &outlen); /* malloc'd */
  if (nfc && outlen <= len) {
    memcpy(s, nfc, outlen);
    s[outlen] = '\0';
  }
  free(nfc);
}

/* Trims the header names in place, writes them in NFC, and rejects empty
   and duplicate names. */
static int check_header(scanner *sc, long line) {
  size_t n = sc->ncols;
  for (size_t i = 0; i < n; i++) {
    char *s = sc->header[i];
    while (is_blank(*s)) s++;
    size_t len = strlen(s);
    while (len > 0 && is_blank(s[len - 1])) s[--len] = '\0';
    if (len == 0) {
      set_err(sc->err, sc->errlen, "%s:%ld: column %zu of the header has an empty name", sc->path, line, i + 1);
      return -1;
    }
    nfc_in_place(s, len);
    sc->header[i] = s;
  }
  if (n < 2) return 0;
  /* Sort a copy so the check is O(n log n) even for very wide files. */
  char **sorted = malloc(n * sizeof *sorted);
  if (sorted == NULL) {
    set_err(sc->err, sc->errlen, "%s: out of memory", sc->path);
    return -1;
  }
  memcpy(sorted, sc->header, n * sizeof *sorted);
  qsort(sorted, n, sizeof *sorted, cmp_names);
  /* Report the duplicate whose second occurrence comes first in the row,
     which is what a reader scanning left to right would hit. */
  const char *dup = NULL, *dup_second = NULL;
  for (size_t i = 1; i < n; i++) {
    if (strcmp(sorted[i - 1], sorted[i]) == 0 && (dup_second == NULL || (uintptr_t)sorted[i] < (uintptr_t)dup_second)) {
      dup = sorted[i - 1];
      dup_second = sorted[i];
    }
  }
  int rc = 0;
  if (dup != NULL) {
    set_err(sc->err, sc->errlen, "%s:%ld: column '%s' appears twice", sc->path, line, dup);
    rc = -1;
  }
  free(sorted);
  return rc;
}

static int push_row(scanner *sc, size_t at, long line) {
  if ((uint64_t)at >> (8 * CSV_ROW_AT_BYTES)) { /* 1 TB: past what a row's place holds */
    set_err(sc->err, sc->errlen, "%s: file is too large", sc->path);
    return -1;
  }
  if (sc->nrows + 1 >= sc->cap) { /* room for the end offset too */
    size_t ncap = sc->cap ? sc->cap * 2 : 1024;
    unsigned char *na = pages_grow(sc->row_at, sc->cap * CSV_ROW_AT_BYTES, ncap * CSV_ROW_AT_BYTES);
    if (!na) {
      set_err(sc->err, sc->errlen, "%s: out of memory (%zu rows)", sc->path, sc->nrows);
      return -1;
    }
    sc->row_at = na;
    sc->cap = ncap;
  }
  const struct csv_break *last = sc->lines.n ? &sc->lines.at[sc->lines.n - 1] : NULL;
  if (!last || line != last->line + (long)(sc->nrows - last->row)) { /* a blank line, or a line break in quotes */
    if (sc->lines.n == sc->breaks_cap) {
      size_t ncap = sc->breaks_cap ? sc->breaks_cap * 2 : 16;
      struct csv_break *nb = realloc(sc->lines.at, ncap * sizeof *nb);
      if (!nb) {
        set_err(sc->err, sc->errlen, "%s: out of memory (%zu rows)", sc->path, sc->nrows);
        return -1;
      }
      sc->lines.at = nb;
      sc->breaks_cap = ncap;
    }
    sc->lines.at[sc->lines.n++] = (struct csv_break){sc->nrows, line};
  }
  unsigned char *p = sc->row_at + CSV_ROW_AT_BYTES * sc->nrows++;
  for (int k = 0; k < CSV_ROW_AT_BYTES; k++) p[k] = (unsigned char)((uint64_t)at >> (8 * k));
  return 0;
}

long csv_line(const csv_file *f, size_t r) {
  assert(r <= f->nrows && f->lines.n > 0 && f->lines.at[0].row == 0);
  size_t lo = 0, hi = f->lines.n; /* the last break at or before R: in [lo, hi) */
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (f->lines.at[mid].row <= r) lo = mid;
    else hi = mid;
  }
  return f->lines.at[lo].line + (long)(r - f->lines.at[lo].row);
}

/* The header row, decoded into malloc'd storage *TEXT: the names are
   strings in it. Returns the number of fields, 0 on error (reported). */
static int scan_header(scanner *sc, const char *p, const char *end, const char **next, long *line, char **text) {
  char *w = malloc((size_t)(end - p) + 1), *store = w;
  size_t nf = 0, capf = 16;
  char **names = malloc(capf * sizeof *names);
  char where[256];
  *text = store;
  sc->header = names;
  if (!w || !names) {
    set_err(sc->err, sc->errlen, "%s: out of memory", sc->path);
    return -1;
  }
  long row_line = *line;
  for (;;) {
    size_t fi = nf;
    if (nf == capf) {
      char **nn = realloc(names, 2 * capf * sizeof *nn);
      if (!nn) {
        set_err(sc->err, sc->errlen, "%s: out of memory (%zu fields)", sc->path, nf);
        return -1;
      }
      sc->header = names = nn;
      capf *= 2;
    }
    names[nf++] = w;
    char *start = w;
    if (p < end && *p == '"') {
      long quote_line = *line;
      p++;
      for (;;) {
        if (p == end) {
          set_err(sc->err, sc->errlen, "%s:%ld: unterminated quoted field (the quote opens on line %ld)", sc->path,
                  row_line, quote_line);
          return -1;
        }
        if (*p == '"') {
          if (p + 1 < end && p[1] == '"') {
            *w++ = '"';
            p += 2;
            continue;
          }
          p++;
          break;
        }
        if (*p == '\n') ++*line;
        *w++ = *p++;
      }
      if (p < end && *p != ',' && *p != '\n' && !at_crlf(p, end)) {
        set_err(sc->err, sc->errlen,
                "%s:%ld: unexpected text after the closing quote (%s); "
                "a quoted field must end at a comma or the end of the line",
                sc->path, *line, field_name(sc, fi, where, sizeof where));
        return -1;
      }
    } else {
      while (p < end && *p != ',' && *p != '\n' && !at_crlf(p, end)) {
        if (*p == '"') {
          set_err(sc->err, sc->errlen,
                  "%s:%ld: stray quote in an unquoted field (%s); "
                  "quote the whole field and double any quote inside it",
                  sc->path, *line, field_name(sc, fi, where, sizeof where));
          return -1;
        }
        *w++ = *p++;
      }
    }
    if ((size_t)(w - start) > CSV_MAX_FIELD) {
      set_err(sc->err, sc->errlen, "%s:%ld: a field longer than %d MB (%s)", sc->path, row_line, CSV_MAX_FIELD >> 20,
              field_name(sc, fi, where, sizeof where));
      return -1;
    }
    if (fi + 1 > CSV_MAX_COLUMNS) {
      set_err(sc->err, sc->errlen, "%s:%ld: more than %d fields in a row", sc->path, row_line, CSV_MAX_COLUMNS);
      return -1;
    }
    *w++ = '\0';
    int more = p < end && *p == ',';
    size_t step = p == end ? 0 : (*p == '\r' && p + 1 < end) ? 2 : 1;
    p += step;
    if (more) continue;
    if (step) ++*line;
    break;
  }
  *next = p;
  sc->ncols = nf;
  return check_header(sc, row_line) ? -1 : (int)nf;
}

/* Checks the data rows in [p, end) and records where each starts, and
   then the end. The same checks as the header's, in the same order,
   without copying text. */
static int scan_rows(scanner *sc, const char *base, const char *p, const char *end, long line) {
  char where[256];
  while (p < end) {
    /* A completely empty line is skipped but still counted. */
    if (*p == '\n' || at_crlf(p, end)) {
      p += (*p == '\r' && p + 1 < end) ? 2 : 1;
      line++;
      continue;
    }
    long row_line = line;
    size_t row_at = (size_t)(p - base);
    const char *eol;
    size_t plain = plain_row(p, end, sc->ncols + 1, NULL, &eol);
    if (row_at - sc->forgot >= FORGET_BYTES) { /* scanned: its rows come back from the file when read */
      bytes_forget(sc->bytes, sc->forgot, row_at);
      sc->forgot = row_at;
    }
    if (eol && plain == sc->ncols && (size_t)(eol - p) <= CSV_MAX_FIELD) { /* else the loop below says what is wrong */
      if (push_row(sc, row_at, row_line)) return -1;
      p = eol + (*eol == '\r' ? 2 : 1);
      line++;
      continue;
    }
    size_t fi = 0;
    for (;; fi++) { /* one field per iteration */
      size_t flen;
      if (p < end && *p == '"') {
        long quote_line = line;
        const char *q = ++p;
        size_t pairs = 0;
        for (;;) {
          const char *dq = memchr(q, '"', (size_t)(end - q));
          if (dq == NULL) {
            set_err(sc->err, sc->errlen, "%s:%ld: unterminated quoted field (the quote opens on line %ld)", sc->path,
                    row_line, quote_line);
            return -1;
          }
          for (const char *nl = q; (nl = memchr(nl, '\n', (size_t)(dq - nl))) != NULL; nl++) line++;
          if (dq + 1 < end && dq[1] == '"') { /* "" is one literal quote */
            pairs++;
            q = dq + 2;
            continue;
          }
          flen = (size_t)(dq - p) - pairs;
          p = dq + 1;
          break;
        }
        if (p < end && *p != ',' && *p != '\n' && !at_crlf(p, end)) {
          set_err(sc->err, sc->errlen,
                  "%s:%ld: unexpected text after the closing quote (%s); "
                  "a quoted field must end at a comma or the end of the line",
                  sc->path, line, field_name(sc, fi, where, sizeof where));
          return -1;
        }
      } else {
        const char *b = p;
        for (;;) {
          p = next_special(p, end);
          if (p == end || *p == ',' || *p == '\n' || at_crlf(p, end)) break;
          if (*p == '"') {
            set_err(sc->err, sc->errlen,
                    "%s:%ld: stray quote in an unquoted field (%s); "
                    "quote the whole field and double any quote inside it",
                    sc->path, line, field_name(sc, fi, where, sizeof where));
            return -1;
          }
          p++; /* a lone CR: data */
        }
        flen = (size_t)(p - b);
      }
      if (flen > CSV_MAX_FIELD) {
        set_err(sc->err, sc->errlen, "%s:%ld: a field longer than %d MB (%s)", sc->path, row_line, CSV_MAX_FIELD >> 20,
                field_name(sc, fi, where, sizeof where));
        return -1;
      }
      if (fi + 1 > CSV_MAX_COLUMNS) {
        set_err(sc->err, sc->errlen, "%s:%ld: more than %d fields in a row", sc->path, row_line, CSV_MAX_COLUMNS);
        return -1;
      }
      int more = p < end && *p == ',';
      size_t step = p == end ? 0 : (*p == '\r' && p + 1 < end) ? 2 : 1;
      p += step;
      if (more) continue;
      if (step) line++;
      break;
    }
    size_t nf = fi + 1;
    if (nf != sc->ncols) {
      set_err(sc->err, sc->errlen, "%s:%ld: row has %zu field%s, the header has %zu", sc->path, row_line, nf,
              nf == 1 ? "" : "s", sc->ncols);
      return -1;
    }
    if (push_row(sc, row_at, row_line)) return -1;
  }
  return push_row(sc, (size_t)(end - base), line); /* the end, on the line after the last row */
}

csv_file *csv_open(const char *path, char *err, size_t errlen, csv_fault *fault) {
  return csv_open_as(path, CSV_ENC_AUTO, err, errlen, fault);
}

csv_file *csv_open_as(const char *path, csv_encoding enc, char *err, size_t errlen, csv_fault *fault) {
  assert(path != NULL);
  if (err != NULL && errlen > 0) err[0] = '\0';
  csv_fault ignored;
  if (!fault) fault = &ignored;
  *fault = CSV_FAULT_IO;

  csv_file *f = calloc(1, sizeof *f);
  csv_store *st = calloc(1, sizeof *st);
  char *pcopy = strdup(csv_shown_path(path));
  if (!f || !st || !pcopy) {
    set_err(err, errlen, "%s: out of memory", path);
    free(f), free(st), free(pcopy);
    return NULL;
  }
  f->path = pcopy;
  f->priv = st;
  const char *given = path; /* "-" is standard input, named "<stdin>" */
  path = pcopy;
  scanner sc = {.path = path, .err = err, .errlen = errlen, .bytes = &st->bytes};
  if (!bytes_load(&st->bytes, given, err, errlen)) goto fail;
  f->text = st->bytes.text;
  f->len = st->bytes.len;
  *fault = CSV_FAULT_FORMAT;

  if (xlsx_is_workbook(f->text, f->len)) { /* an Excel workbook: its first sheet as CSV */
    size_t len;
    char *csv = xlsx_to_csv(path, f->text, f->len, &len, err, errlen);
    if (!csv) goto fail;
    bytes_replace(&st->bytes, csv, len);
    f->text = csv;
    f->len = len;
    enc = CSV_ENC_UTF8; /* XML text is Unicode */
  }
  /* A NUL would silently cut a cell short; it usually means UTF-16 or a
     binary file was passed by mistake. */
  const char *nul = memchr(f->text, '\0', f->len);
  if (nul != NULL) {
    set_err(err, errlen, "%s:%ld: file contains a NUL byte (is it UTF-16 or binary?)", path,
            line_of(f->text, (size_t)(nul - f->text)));
    goto fail;
  }
  if (!decode_text(f, st, enc, err, errlen, fault)) goto fail;

  const char *p = f->text, *end = f->text + f->len;
  if (f->len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;
  long line = 1;
  while (p < end && (*p == '\n' || at_crlf(p, end))) { /* empty lines before the header */
    p += (*p == '\r' && p + 1 < end) ? 2 : 1;
    line++;
  }
  if (p == end) {
    set_err(err, errlen, "%s: file is empty (expected a header row)", path);
    goto fail;
  }
  if (scan_header(&sc, p, end, &p, &line, &st->header_text) < 0) goto fail;
  if (scan_rows(&sc, f->text, p, end, line)) goto fail;
  f->ncols = sc.ncols;
  f->header = sc.header;
  f->nrows = sc.nrows - 1; /* the last entry is the end */
  f->row_at = sc.row_at;
  f->lines = sc.lines;
  return f;

fail:
  free(sc.header);
  pages_free(sc.row_at);
  free(sc.lines.at);
  csv_close(f);
  return NULL;
}

void csv_close(csv_file *f) {
  if (!f) return;
  csv_store *st = f->priv;
  if (st) {
    bytes_free(&st->bytes);
    free(st->header_text);
    free(st);
  }
  free(f->path);
  free(f->header);
  pages_free(f->row_at);
  free(f->lines.at);
  free(f);
}

long csv_file_column(const csv_file *f, const char *name) {
  for (size_t i = 0; i < f->ncols; i++)
    if (strcmp(f->header[i], name) == 0) return (long)i;
  return -1;
}

void csv_row(const csv_file *f, size_t r, csv_field *out) { csv_row_first(f, r, f->ncols, out); }

void csv_row_first(const csv_file *f, size_t r, size_t k, csv_field *out) {
  assert(r < f->nrows && k <= f->ncols);
  const char *p = f->text + csv_row_at(f, r), *end = f->text + f->len, *eol;
  if (k && plain_row(p, end, k, out, &eol) == k) return;
  for (size_t c = 0; c < k; c++) {
    csv_field *fl = &out[c];
    fl->escaped = false;
    if (p < end && *p == '"') {
      const char *q = ++p;
      for (;;) {
        const char *dq = memchr(q, '"', (size_t)(end - q)); /* csv_open saw it closed */
        if (dq + 1 < end && dq[1] == '"') {
          fl->escaped = true;
          q = dq + 2;
          continue;
        }
        fl->p = p;
        fl->len = (size_t)(dq - p);
        p = dq + 1;
        break;
      }
    } else {
      const char *b = p;
      for (;;) {
        p = next_special(p, end);
        if (p == end || *p == ',' || *p == '\n' || at_crlf(p, end)) break;
        p++; /* a lone CR: data (csv_open refused stray quotes) */
      }
      fl->p = b;
      fl->len = (size_t)(p - b);
    }
    if (p < end) p += *p == '\r' ? 2 : 1; /* past the ',' or the line end */
  }
}

size_t csv_field_copy(const csv_field *fl, char *out) {
  size_t n = 0;
  for (size_t i = 0; i < fl->len; i++) {
    out[n++] = fl->p[i];
    if (fl->escaped && fl->p[i] == '"') i++; /* "" is one quote */
  }
  out[n] = '\0';
  return n;
}

char *csv_field_text(const csv_field *fl) {
  char *s = malloc(fl->len + 1);
  if (!s) abort();
  csv_field_copy(fl, s);
  return s;
}

void csv_forget(const csv_file *f, size_t from, size_t to) {
  if (from < to) bytes_forget(&((const csv_store *)f->priv)->bytes, csv_row_at(f, from), csv_row_at(f, to));
}
