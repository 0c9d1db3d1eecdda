/* previous.c: a scores table written by an earlier run, read back for
 * `rubric report --previous OLD.csv` (the changes of rank and total). */
#include "previous.h"

#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#include "cell.h"
#include "csv.h"

static int cmp_id(const void *a, const void *b) {
  return strcmp(((const report_row *)a)->id, ((const report_row *)b)->id);
}

/* TEXT with &, <, > and " escaped for the page. Caller frees. */
static char *escaped(const char *text) {
  size_t n = strlen(text);
  char *out = malloc(6 * n + 1), *w = out;
  if (!out) abort();
  for (const char *p = text; *p; p++) {
    const char *e = *p == '&' ? "&amp;" : *p == '<' ? "&lt;" : *p == '>' ? "&gt;" : *p == '"' ? "&quot;" : NULL;
    if (e) w = stpcpy(w, e);
    else *w++ = *p;
  }
  *w = '\0';
  return out;
}

bool previous_load(const char *path, report_previous *out, bool *unreadable, rb_diags *d) {
  char err[1024];
  csv_fault fault;
  memset(out, 0, sizeof *out);
  csv_table *t = csv_read_ex(path, err, sizeof err, &fault);
  if (!t) {
    *unreadable = fault == CSV_FAULT_IO;
    diag_plain(d, DIAG_ERROR, fault == CSV_FAULT_IO ? R1101 : fault == CSV_FAULT_ENCODING ? R1112 : R1102, NULL,
               "%s", err);
    return false;
  }
  long cid = csv_column(t, "id"), ctotal = csv_column(t, "total"), crank = csv_column(t, "rank");
  const char *shown = csv_shown_path(path);
  bool ok = true;
  if (cid < 0 || ctotal < 0 || crank < 0) {
    rb_data_loc at = {shown, 1, NULL, cid < 0 ? "id" : ctotal < 0 ? "total" : "rank"};
    diag_data(d, DIAG_ERROR, R1103, at, "a previous scores table has columns id, total and rank (as rubric score writes them)");
    ok = false;
  }
  out->rows = calloc(t->nrows ? t->nrows : 1, sizeof *out->rows);
  if (!out->rows) abort();
  for (size_t r = 0; ok && r < t->nrows; r++) {
    report_row *row = &out->rows[out->n];
    const char *total = csv_cell(t, r, (size_t)ctotal), *rank = csv_cell(t, r, (size_t)crank);
    row->id = strdup(csv_cell(t, r, (size_t)cid));
    if (!row->id) abort();
    out->n++;
    if (!*total && !*rank) continue; /* incomplete then: no rank to compare */
    char *end;
    long k = strtol(rank, &end, 10);
    if (cell_number(total, &row->total) != CELL_OK || *end || end == rank || k < 1 || k > 1000000000) {
      rb_data_loc at = {shown, t->line[r], row->id, *end || end == rank ? "rank" : "total"};
      diag_data(d, DIAG_ERROR, R1104, at, "'%s' / '%s' is not a total and a rank", total, rank);
      ok = false;
      break;
    }
    row->rank = (int)k;
    row->ranked = true;
  }
  qsort(out->rows, out->n, sizeof *out->rows, cmp_id);
  for (size_t r = 1; ok && r < out->n; r++)
    if (!strcmp(out->rows[r].id, out->rows[r - 1].id)) {
      rb_data_loc at = {shown, 0, out->rows[r].id, "id"};
      diag_data(d, DIAG_ERROR, R1107, at, "id '%s' appears twice in the previous scores", out->rows[r].id);
      ok = false;
    }
  char *copy = strdup(shown);
  if (!copy) abort();
  out->name = escaped(basename(copy));
  free(copy);
  csv_free(t);
  if (!ok) previous_free(out);
  return ok;
}

void previous_free(report_previous *p) {
  for (size_t r = 0; r < p->n; r++) free(p->rows[r].id);
  free(p->rows);
  free(p->name);
  memset(p, 0, sizeof *p);
}
