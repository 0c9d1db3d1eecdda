/* records.c: the record tables (`--records NAME=FILE`): each row joined to
 * its entity by id, each field's cell into the table's columns (loader.h).
 *
 * A record table has any number of rows per entity, in any order, so
 * nothing is claimed per entity as the periods table's rows are: a row
 * only needs an entity to belong to. Rows are read once, in file order,
 * and each problem reported as it is met; a cell is parsed by the fast
 * test (cell_value) and read again with its report (load_cell_at) only
 * when that fails, so the messages are the entity table's own.
 */
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "loader.h"
#include "pages.h"

void records_free(rb_record_table *t) {
  if (!t || !t->rec) return;
  for (int f = 0; t->field && f < t->rec->nfields; f++) pages_free(t->field[f]);
  free(t->field); /* field[nfields], the calendar's, is the batch's */
  free(t->entity);
  free(t->line);
  free(t->bad);
  free(t->path);
  memset(t, 0, sizeof *t);
}

const char *records_given(const rb_tables *tables, const char *name) {
  for (int k = 0; k < tables->nrecords; k++)
    if (!strcmp(tables->records[k].name, name)) return tables->records[k].path;
  return NULL;
}

bool records_counted(const sc_scheme *s, const sc_records *rec) {
  for (int k = 0; k < s->ntallies; k++)
    if (s->tallies[k].records == rec) return true;
  return false;
}

/* Each tally input of REC's table for entity row R marked bad (ABI_NARROW_ERROR,
   as every step marks a bad cell; batch.c's mark_bad_cells takes it from
   there): a record of the entity has a bad cell, kept by --partial-data. */
static void spoil_tallies(const sc_scheme *s, const sc_records *rec, rb_batch *b, size_t r) {
  for (int k = 0; k < s->ntallies; k++)
    if (s->tallies[k].records == rec) narrow_put(b->column[s->tallies[k].input->index], r, FIXED_ERROR);
}

/* The entity row of the id in field C of row R of F, or -1 after reporting
   why there is none. ROW is the row split already. */
static long record_entity(loader *L, const holders *H, const csv_file *f, size_t r, const csv_field *row, size_t c,
                          const char *entities_path) {
  const csv_field *idf = &row[c];
  long h = -1;
  if (!idf->escaped) { /* the usual id: looked up where it is, trimmed */
    const char *p = idf->p, *e = idf->p + idf->len;
    while (p < e && (*p == ' ' || *p == '\t')) p++;
    while (e > p && (e[-1] == ' ' || e[-1] == '\t')) e--;
    if (p < e) h = map_get_n(&H->ids, p, (size_t)(e - p));
    if (h >= 0 && (size_t)h < H->n) return h;
  }
  char *text = csv_field_text(idf), *id = load_trimmed(text);
  free(text);
  if (h < 0) h = id[0] ? map_get(&H->ids, id) : -1;
  if (h >= 0 && (size_t)h < H->n) {
    free(id);
    return h;
  }
  if (!id[0])
    load_problem(L, R1106, f->path, csv_line(f, r), NULL, "id", "column 'id': missing value");
  else if (h >= 0) /* a parent row: not scored, so it has no counts */
    load_problem(L, R1108, f->path, csv_line(f, r), id, "id", "id '%s' is a parent in %s, not an entity scored", id,
                 entities_path);
  else
    load_problem(L, R1108, f->path, csv_line(f, r), id, "id", "id '%s' has no row in %s", id, entities_path);
  free(id);
  return -1;
}

/* Reads the table of REC from F (open) into T. */
static void read_records(loader *L, const holders *H, const csv_file *f, const sc_records *rec, rb_batch *b,
                         rb_record_table *t) {
  const sc_scheme *s = L->s;
  int nf = rec->nfields;
  size_t n = f->nrows;
  long *col = calloc((size_t)nf + 1, sizeof *col);
  input_check *ck = calloc((size_t)nf + 1, sizeof *ck);
  t->field = calloc((size_t)nf + 1, sizeof *t->field);
  t->entity = calloc(n + 1, sizeof *t->entity);
  t->line = calloc(n + 1, sizeof *t->line);
  csv_field *row = malloc((f->ncols + 1) * sizeof *row);
  if (!col || !ck || !t->field || !t->entity || !t->line || !row) abort();
  for (int k = 0; k < nf; k++) {
    col[k] = load_input_column(L, f, &rec->fields[k]);
    input_check_init(&ck[k], &rec->fields[k]);
    t->field[k] = load_column(n);
  }
  if (s->uses_calendar) t->field[nf] = b->calendar->column;
  t->n = n;
  size_t cid = (size_t)csv_file_column(f, "id");
  for (size_t r = 0; r < n; r++) {
    csv_row(f, r, row);
    t->line[r] = csv_line(f, r);
    long e = record_entity(L, H, f, r, row, cid, b->entities_path);
    t->entity[r] = e < 0 ? 0 : (size_t)e; /* none: reported, and the load fails */
    bool bad = false;
    for (int k = 0; k < nf; k++) {
      const csv_field *fl = &row[col[k]];
      if (cell_value(&ck[k], fl->p, fl->len, &t->field[k][r])) continue;
      if (e < 0) continue; /* the row's id is its problem: its cells belong to no entity */
      if (!load_cell_at(L, f, r, (size_t)col[k], b->id[e], &rec->fields[k], &t->field[k][r])) {
        t->field[k][r] = load_stand_in(&rec->fields[k]); /* kept by --partial-data: the record is not counted */
        bad = true;
      }
    }
    if (bad) {
      if (!t->bad && !(t->bad = calloc(n + 1, 1))) abort();
      t->bad[r] = 1;
      spoil_tallies(s, rec, b, (size_t)e);
    }
    if (r % 16384 == 16383) csv_forget(f, r - 16383, r + 1); /* read: only the lines are needed now */
  }
  free(row);
  free(col);
  free(ck);
}

void load_records(loader *L, const holders *H, const rb_tables *tables, rb_batch *b) {
  const sc_scheme *s = L->s;
  if (!s->nrecords) return;
  b->nrecords = s->nrecords;
  b->records = calloc((size_t)s->nrecords, sizeof *b->records);
  if (!b->records) abort();
  for (int k = 0; k < s->nrecords; k++) {
    const sc_records *rec = &s->records[k];
    rb_record_table *t = &b->records[k];
    t->rec = rec;
    const char *path = records_given(tables, rec->name);
    if (!path) { /* a table no tally counts (one counted is required: batch.c) */
      t->field = calloc((size_t)rec->nfields + 1, sizeof *t->field);
      if (!t->field) abort();
      for (int f = 0; f < rec->nfields; f++) t->field[f] = load_column(0);
      if (s->uses_calendar) t->field[rec->nfields] = b->calendar->column;
      continue;
    }
    char err[1024];
    csv_fault fault;
    csv_file *f = csv_open_as(path, tables->encoding, err, sizeof err, &fault);
    if (!f) {
      load_csv_error(L, csv_shown_path(path), err, fault);
      records_free(t);
      continue;
    }
    t->path = load_strdup(f->path);
    L->table = rec; /* its fields' columns, and the bad cells it keeps */
    bool ok = load_need_column(L, f, "id", diag_tr("the entity each record belongs to"));
    for (int i = 0; i < rec->nfields; i++) ok &= load_need_input(L, f, &rec->fields[i], diag_tr("a field of the records"));
    if (ok) read_records(L, H, f, rec, b, t);
    else records_free(t); /* reported: the load fails */
    L->table = NULL;
    csv_close(f);
  }
}
