/*
** text.c — CSV fields as text, the same on every machine.
*/
#include "text.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

static int is_blank(char c) { return c == ' ' || c == '\t'; }

/* Whether S (of length N) must be quoted. Edge blanks are quoted because
   many readers trim unquoted fields. */
static int needs_quotes(const char *s, size_t n) {
  return strpbrk(s, ",\"\r\n") != NULL || (n > 0 && (is_blank(s[0]) || is_blank(s[n - 1])));
}

void out_csv_field(FILE *fp, const char *s) {
  assert(fp != NULL);
  if (s == NULL) return;
  size_t n = strlen(s);
  int quote = needs_quotes(s, n);
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

void out_buf_csv_field(out_buf *b, const char *s) {
  if (s == NULL) return;
  size_t n = strlen(s);
  if (!needs_quotes(s, n)) {
    out_buf_put(b, s, n);
    return;
  }
  out_buf_putc(b, '"');
  for (const char *q; (q = strchr(s, '"')) != NULL; s = q + 1) {
    out_buf_put(b, s, (size_t)(q - s) + 1); /* the segment and its quote ... */
    out_buf_putc(b, '"');                   /* ... doubled */
  }
  out_buf_puts(b, s);
  out_buf_putc(b, '"');
}

void out_json_string(FILE *fp, const char *s) {
  fputc('"', fp);
  for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
    if (*p == '"' || *p == '\\') fputc('\\', fp), fputc(*p, fp);
    else if (*p == '\n') fputs("\\n", fp);
    else if (*p < 0x20) fprintf(fp, "\\u%04x", *p);
    else fputc(*p, fp);
  }
  fputc('"', fp);
}
