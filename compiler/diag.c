/* diag.c: printing diagnostics with the source line and a caret; see diag.h. */
#include "diag.h"

#include <stdarg.h>
#include <stdint.h>
#include <string.h>

void diag_init(rb_diags *d, FILE *out) {
  memset(d, 0, sizeof *d);
  d->out = out ? out : stderr;
  d->max_errors = 100;
}

static const char *severity_name(diag_severity s) {
  return s == DIAG_ERROR ? "error" : s == DIAG_WARNING ? "warning" : "note";
}

/* Decodes one UTF-8 sequence at s (n bytes left); returns its length. */
static size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp) {
  if (s[0] < 0x80 || n < 2) {
    *cp = s[0];
    return 1;
  }
  if ((s[0] & 0xE0) == 0xC0) {
    *cp = ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
    return 2;
  }
  if ((s[0] & 0xF0) == 0xE0 && n >= 3) {
    *cp = ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
    return 3;
  }
  if ((s[0] & 0xF8) == 0xF0 && n >= 4) {
    *cp = ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
          ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
    return 4;
  }
  *cp = 0xFFFD;
  return 1;
}

static int char_width(uint32_t cp) {
  if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
      (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
      (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
      (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD))
    return 2;
  return 1;
}

int diag_display_width(const char *s, size_t n) {
  int w = 0;
  const unsigned char *p = (const unsigned char *)s;
  while (n) {
    uint32_t cp;
    size_t k = utf8_next(p, n, &cp);
    w += cp == '\t' ? 1 : char_width(cp);
    p += k;
    n -= k;
  }
  return w;
}

static void print_snippet(FILE *out, rb_loc loc) {
  size_t len;
  const char *line = source_line(loc.src, loc.first_line, &len);
  size_t begin = loc.src->line_start[loc.first_line - 1];
  size_t from = loc.start >= begin ? loc.start - begin : 0;
  if (from > len) from = len;
  size_t to = loc.end > loc.start ? loc.end - begin : from + 1;
  if (to > len) to = len > from ? len : from + 1;
  fprintf(out, "  ");
  /* Tabs are echoed as spaces so the caret line stays aligned. */
  for (size_t i = 0; i < len; i++) fputc(line[i] == '\t' ? ' ' : line[i], out);
  fputc('\n', out);
  int pad = diag_display_width(line, from);
  int width = to > from ? diag_display_width(line + from, (to <= len ? to : len) - from) : 1;
  if (width < 1) width = 1;
  fprintf(out, "  %*s^", pad, "");
  for (int i = 1; i < width; i++) fputc('~', out);
  fputc('\n', out);
}

void diag_report(rb_diags *d, diag_severity sev, rb_loc loc, const char *fmt, ...) {
  if (d->muted) return;
  if (sev == DIAG_ERROR) d->errors++;
  if (sev == DIAG_WARNING) d->warnings++;
  if (d->max_errors && d->errors > d->max_errors) {
    if (sev == DIAG_ERROR && d->errors == d->max_errors + 1)
      fprintf(d->out, "rubric: too many errors; stopping here\n");
    return;
  }
  if (loc.src)
    fprintf(d->out, "%s:%d:%d: %s: ", loc.src->path, loc.first_line, loc.first_column,
            severity_name(sev));
  else
    fprintf(d->out, "rubric: %s: ", severity_name(sev));
  va_list ap;
  va_start(ap, fmt);
  vfprintf(d->out, fmt, ap);
  va_end(ap);
  fputc('\n', d->out);
  if (loc.src && loc.first_line >= 1) print_snippet(d->out, loc);
}

void diag_plain(rb_diags *d, diag_severity sev, const char *path, const char *fmt, ...) {
  if (sev == DIAG_ERROR) d->errors++;
  if (sev == DIAG_WARNING) d->warnings++;
  fprintf(d->out, "%s: %s: ", path ? path : "rubric", severity_name(sev));
  va_list ap;
  va_start(ap, fmt);
  vfprintf(d->out, fmt, ap);
  va_end(ap);
  fputc('\n', d->out);
}
