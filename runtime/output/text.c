/*
** text.c — CSV fields as text, the same on every machine.
*/
#include "text.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

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
