/* batch.c: the driver of loading (batch.h): which tables, which columns,
 * then entities, their cells and their period rows, in that order. The
 * periods table, the largest, is opened and checked on a thread of its own
 * meanwhile; its problems are reported in their turn, after the entities'.
 */
#include <pthread.h>
#include <stdlib.h>

#include "loader.h"

/* ---- the batch ------------------------------------------------------------ */

void batch_free(rb_batch *b) {
  if (!b) return;
  for (size_t r = 0; r < b->n; r++) {
    free(b->id[r]);
    free(b->name[r]);
    if (b->parent) free(b->parent[r]);
  }
  free(b->id);
  free(b->name);
  free(b->parent);
  free(b->line);
  if (b->column)
    for (int i = 0; i < b->ninputs; i++) free(b->column[i]);
  free(b->column);
  free(b->group);
  free(b->entities_path);
  free(b);
}

/* Columns a table must have: own inputs in the entities table, `from
   parent` inputs where the parent rows are. */
static bool need_inputs(loader *L, const csv_file *t, bool parents) {
  bool ok = true;
  for (int i = 0; i < L->s->ninputs; i++) {
    const sc_input *in = &L->s->inputs[i];
    if (!in->periodic && in->from_parent == parents)
      ok &= load_need_input(L, t, in, diag_tr("an input"));
  }
  return ok;
}

/* Whether the tables given fit the scheme: a periods table exactly when it
   has per-period inputs, a parents table only when it uses parents. */
static bool tables_fit(loader *L, const rb_tables *tables) {
  const sc_scheme *s = L->s;
  bool periodic = scheme_has_periods(s);
  if (periodic && !tables->periods) {
    rb_data_loc none = {0};
    diag_data(L->d, DIAG_ERROR, R1111, none, "scheme '%s' has per-%s inputs: give their table with --periods FILE", s->id,
              s->period);
    return false;
  }
  if (!periodic && tables->periods) {
    rb_data_loc at = {tables->periods, 0, NULL, NULL};
    diag_data(L->d, DIAG_ERROR, R1111, at, "scheme '%s' has no per-period inputs; this table is not used", s->id);
    return false;
  }
  if (tables->parents && !s->uses_parent) {
    rb_data_loc at = {tables->parents, 0, NULL, NULL};
    diag_data(L->d, DIAG_ERROR, R1111, at,
              "scheme '%s' reads nothing from parents and has no 'peers by parent'; this table is not used", s->id);
    return false;
  }
  return true;
}

/* A table opened on another thread: csv_open's result and message. */
typedef struct opening {
  const char *path;
  csv_file *f;
  char err[1024];
  csv_fault fault;
  pthread_t tid;
  bool started;
} opening;

static void *open_table(void *arg) {
  opening *o = arg;
  o->f = csv_open(o->path, o->err, sizeof o->err, &o->fault);
  return NULL;
}

/* Starts opening PATH (may be NULL: nothing to open). */
static void opening_start(opening *o, const char *path) {
  o->path = path;
  if (path) o->started = pthread_create(&o->tid, NULL, open_table, o) == 0;
}

/* Waits for the table (opening it here if no thread could). */
static void opening_wait(opening *o) {
  if (o->started) pthread_join(o->tid, NULL);
  else if (o->path) open_table(o);
  o->started = false;
}

rb_batch *batch_load(const sc_scheme *s, const rb_tables *tables, rb_diags *d) {
  loader L = {d, s, 0};
  char err[1024];
  csv_fault fault;
  if (!tables_fit(&L, tables)) return NULL;
  opening periods = {0};
  opening_start(&periods, tables->periods);
  csv_file *t = csv_open(tables->entities, err, sizeof err, &fault);
  csv_file *pt = NULL; /* the parents table, if separate */
  if (t && tables->parents) {
    pt = csv_open(tables->parents, err, sizeof err, &fault);
    if (!pt) load_csv_error(&L, tables->parents, err, fault);
  } else if (!t) {
    load_csv_error(&L, tables->entities, err, fault);
  }
  if (!t || (tables->parents && !pt)) {
    opening_wait(&periods);
    csv_close(periods.f);
    csv_close(t);
    return NULL;
  }
  bool ok = load_need_column(&L, t, "id", diag_tr("one id per entity"));
  if (s->uses_parent) ok &= load_need_column(&L, t, "parent", diag_tr("the id of each entity's parent"));
  ok &= need_inputs(&L, t, false);
  if (pt) {
    ok &= load_need_column(&L, pt, "id", diag_tr("one id per parent"));
    ok &= need_inputs(&L, pt, true);
  } else if (scheme_reads_parent(s)) {
    /* the parent rows are in the entities table: so are their columns */
    ok &= need_inputs(&L, t, true);
  }
  if (ok && t->nrows == 0) {
    load_problem(&L, R1110, t->path, 0, NULL, NULL, "no entity rows (only a header)");
    ok = false;
  }
  rb_batch *b = NULL;
  holders H = {0};
  if (ok) {
    b = calloc(1, sizeof *b);
    if (!b) abort();
    b->ninputs = s->ninputs;
    b->entities_path = load_strdup(tables->entities);
    if (!load_entities(&L, t, pt, &H, b)) {
      batch_free(b);
      b = NULL;
    }
  }
  if (b) {
    load_entity_columns(&L, &H, t, b);
    csv_forget(t, 0, t->nrows); /* read whole: only its lines are needed now */
  }
  opening_wait(&periods);
  if (b && tables->periods) load_periods(&L, &H, periods.f, tables->periods, periods.err, periods.fault, b);
  holders_free(&H);
  csv_close(periods.f);
  csv_close(t);
  csv_close(pt);
  if (L.problems > LOAD_MAX_REPORTED)
    diag_plain(d, DIAG_NOTE, DIAG_NO_CODE, NULL, "%d more problems in the data were not listed",
               L.problems - LOAD_MAX_REPORTED);
  if (L.problems) {
    batch_free(b);
    return NULL;
  }
  return b;
}
