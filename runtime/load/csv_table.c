/*
** csv_table.c — a CSV file as a table of strings (csv.h), for small tables
** and tests: csv_open checks the file, then every cell is decoded into one
** arena, so a table costs that arena plus one pointer per cell.
*/
#include <stdlib.h>
#include <string.h>

#include "csv.h"

csv_table *csv_read(const char *path, char *err, size_t errlen) { return csv_read_ex(path, err, errlen, NULL); }

csv_table *csv_read_ex(const char *path, char *err, size_t errlen, csv_fault *fault) {
  csv_file *f = csv_open(path, err, errlen, fault);
  if (!f) return NULL;
  size_t nc = f->ncols, ncells = nc * (f->nrows + 1);
  size_t header_bytes = 0;
  for (size_t c = 0; c < nc; c++) header_bytes += strlen(f->header[c]) + 1;
  csv_table *t = calloc(1, sizeof *t);
  char **fields = malloc(ncells * sizeof *fields);
  /* every cell decodes to at most its bytes in the file, plus a NUL */
  char *arena = malloc(header_bytes + f->len + ncells + 1);
  long *line = malloc((f->nrows + 1) * sizeof *line);
  csv_field *row = malloc(nc * sizeof *row);
  if (!t || !fields || !arena || !line || !row) abort();
  char *w = arena;
  for (size_t c = 0; c < nc; c++) {
    size_t n = strlen(f->header[c]) + 1;
    fields[c] = memcpy(w, f->header[c], n);
    w += n;
  }
  for (size_t r = 0; r < f->nrows; r++) {
    csv_row(f, r, row);
    for (size_t c = 0; c < nc; c++) {
      fields[nc * (r + 1) + c] = w;
      for (size_t i = 0; i < row[c].len; i++) {
        *w++ = row[c].p[i];
        if (row[c].escaped && row[c].p[i] == '"') i++; /* "" is one quote */
      }
      *w++ = '\0';
    }
    line[r] = csv_line(f, r);
  }
  t->path = f->path;
  f->path = NULL;
  t->ncols = nc;
  t->header = fields; /* header and cells share one allocation */
  t->nrows = f->nrows;
  t->cells = fields + nc;
  t->line = line;
  t->arena = arena;
  free(row);
  csv_close(f);
  return t;
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
