/* table.c: a CSV table (spec/data.md#csv-format): RFC 4180 fields, LF or
 * CRLF line ends, empty lines skipped, a UTF-8 byte order mark skipped. The
 * tables of the tests are well formed, so errors are only reported. */
#include <stdlib.h>
#include <string.h>

#include "ref.h"

char *trim_dup(const char *s) {
  s += strspn(s, " \t");
  size_t n = strlen(s);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
  char *t = malloc(n + 1);
  if (!t) abort();
  memcpy(t, s, n);
  t[n] = 0;
  return t;
}

/* A growing array of strings. */
typedef struct strs {
  char **v;
  size_t n, cap;
} strs;

static void push(strs *a, char *s) {
  if (a->n == a->cap) {
    a->cap = a->cap ? 2 * a->cap : 64;
    a->v = realloc(a->v, a->cap * sizeof *a->v);
    if (!a->v) abort();
  }
  a->v[a->n++] = s;
}

/* Reads the whole file; caller frees. */
static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap);
  if (!buf) abort();
  size_t got;
  while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
    n += got;
    if (cap - n - 1 == 0) {
      cap *= 2;
      buf = realloc(buf, cap);
      if (!buf) abort();
    }
  }
  fclose(f);
  buf[n] = 0;
  *len = n;
  return buf;
}

bool table_read(const char *path, table *t) {
  memset(t, 0, sizeof *t);
  size_t len;
  char *text = slurp(path, &len);
  if (!text) {
    fprintf(stderr, "rubric-ref: %s: cannot open\n", path);
    return false;
  }
  size_t i = strncmp(text, "\xEF\xBB\xBF", 3) ? 0 : 3;
  strs fields = {0}, row = {0};
  int ncols = -1;
  bool ok = true;
  char *field = malloc(len + 1);
  if (!field) abort();
  while (i < len && ok) {
    if (text[i] == '\n' || (text[i] == '\r' && text[i + 1] == '\n')) { /* an empty line */
      i += text[i] == '\r' ? 2 : 1;
      continue;
    }
    for (;;) { /* one field */
      size_t n = 0;
      if (text[i] == '"') {
        for (i++;; i++) {
          if (i >= len) { ok = false; break; }
          if (text[i] == '"') {
            if (text[i + 1] != '"') { i++; break; }
            i++;
          }
          field[n++] = text[i];
        }
      } else {
        while (i < len && text[i] != ',' && text[i] != '\n' && !(text[i] == '\r' && text[i + 1] == '\n'))
          field[n++] = text[i++];
      }
      field[n] = 0;
      push(&row, strdup(field));
      if (i < len && text[i] == ',') { i++; continue; }
      if (i < len) i += text[i] == '\r' ? 2 : 1;
      break;
    }
    if (ncols < 0) {
      ncols = (int)row.n;
      for (size_t k = 0; k < row.n; k++) {
        char *h = trim_dup(row.v[k]);
        free(row.v[k]);
        row.v[k] = h;
      }
      t->head = row.v;
      row = (strs){0};
    } else if ((int)row.n != ncols) {
      fprintf(stderr, "rubric-ref: %s: a row has %zu fields, the header %d\n", path, row.n, ncols);
      ok = false;
    } else {
      for (size_t k = 0; k < row.n; k++) push(&fields, row.v[k]);
      row.n = 0;
      t->nrows++;
    }
  }
  for (size_t k = 0; k < row.n; k++) free(row.v[k]);
  free(row.v);
  free(field);
  free(text);
  t->ncols = ncols < 0 ? 0 : ncols;
  t->cells = fields.v;
  if (ncols < 0) {
    fprintf(stderr, "rubric-ref: %s: no header\n", path);
    ok = false;
  }
  if (!ok) table_free(t);
  return ok;
}

void table_free(table *t) {
  for (int k = 0; k < t->ncols; k++) free(t->head[k]);
  for (size_t k = 0; k < (size_t)t->nrows * t->ncols; k++) free(t->cells[k]);
  free(t->head);
  free(t->cells);
  memset(t, 0, sizeof *t);
}

int table_col(const table *t, const char *name) {
  for (int k = 0; k < t->ncols; k++)
    if (!strcmp(t->head[k], name)) return k;
  return -1;
}
