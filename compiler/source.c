/* source.c: loading scheme files; see source.h. */
#include "source.h"


#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static rb_source *index_lines(rb_source *s) {
  size_t cap = 64;
  s->line_start = malloc(cap * sizeof *s->line_start);
  if (!s->line_start) abort();
  s->nlines = 0;
  s->line_start[s->nlines++] = 0;
  for (size_t i = 0; i < s->len; i++) {
    if (s->text[i] == '\n') {
      if (s->nlines == cap) {
        cap *= 2;
        s->line_start = realloc(s->line_start, cap * sizeof *s->line_start);
        if (!s->line_start) abort();
      }
      s->line_start[s->nlines++] = i + 1;
    }
  }
  return s;
}

rb_source *source_from_text(const char *path, const char *text, size_t len) {
  if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) {
    text += 3;
    len -= 3;
  }
  rb_source *s = calloc(1, sizeof *s);
  if (!s) abort();
  s->path = strdup(path);
  s->text = malloc(len + 1);
  if (!s->path || !s->text) abort();
  memcpy(s->text, text, len);
  s->text[len] = 0;
  s->len = len;
  return index_lines(s);
}

rb_source *source_read(const char *path, source_failure *why, int *errnum) {
  *why = SOURCE_READ_OK;
  *errnum = 0;
  FILE *f = fopen(path, "rb");
  if (!f) {
    *errnum = errno;
    *why = SOURCE_CANNOT_OPEN;
    return NULL;
  }
  char *buf = NULL;
  size_t len = 0, cap = 0;
  for (;;) {
    if (cap - len < 65536) {
      cap = cap ? cap * 2 : 65536;
      char *nb = realloc(buf, cap);
      if (!nb) abort();
      buf = nb;
    }
    size_t n = fread(buf + len, 1, cap - len, f);
    len += n;
    if (n == 0) break;
    if (len > SOURCE_MAX_BYTES) {
      *why = SOURCE_TOO_LARGE;
      free(buf);
      fclose(f);
      return NULL;
    }
  }
  int bad = ferror(f);
  fclose(f);
  if (bad || memchr(buf, 0, len)) {
    *why = bad ? SOURCE_READ_ERROR : SOURCE_NOT_TEXT;
    free(buf);
    return NULL;
  }
  rb_source *s = source_from_text(path, buf, len);
  free(buf);
  return s;
}

void source_free(rb_source *s) {
  if (!s) return;
  free(s->path);
  free(s->text);
  free(s->line_start);
  free(s);
}

const char *source_line(const rb_source *s, int line, size_t *len) {
  if (line < 1 || (size_t)line > s->nlines) {
    *len = 0;
    return "";
  }
  size_t b = s->line_start[line - 1];
  size_t e = b;
  while (e < s->len && s->text[e] != '\n') e++;
  if (e > b && s->text[e - 1] == '\r') e--;
  *len = e - b;
  return s->text + b;
}
