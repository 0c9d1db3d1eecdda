/* batch.c: the driver of loading (batch.h): which tables, which columns,
 * then entities, their cells and their period rows, in that order. The
 * periods table, the largest, is opened and checked on a thread of its own
 * meanwhile; its problems are reported in their turn, after the entities'.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "loader.h"
#include "pages.h"

/* ---- the batch ------------------------------------------------------------ */

void batch_free(rb_batch *b) {
  if (!b) return;
  texts_free(&b->texts);
  pages_free(b->id);
  pages_free(b->name);
  pages_free(b->parent);
  pages_free(b->line);
  if (b->column)
    for (int i = 0; i < b->ninputs; i++) narrow_free(b->column[i]);
  narrow_columns_free(b->shared_columns); /* after its columns */
  calendar_free(b->calendar);
  free(b->column);
  pages_free(b->group);
  free(b->entities_path);
  if (b->bad_text)
    for (size_t r = 0; r < b->n; r++) free(b->bad_text[r]);
  free(b->bad_text);
  free(b->bad_code);
  for (size_t k = 0; b->tally_why && k < b->ntally_why; k++) free(b->tally_why[k]);
  free(b->tally_why);
  free(b->tally_code);
  free(b->bad);
  for (int t = 0; b->records && t < b->nrecords; t++) records_free(&b->records[t]);
  free(b->records);
  free(b);
}

/* ---- bad cells kept (rb_tables.partial) ------------------------------------ */

/* By entity id, then in the order reported (qsort need not be stable, and a
   reason must read the same on every run). */
static int bad_by_entity(const void *a, const void *b) {
  const bad_cell *x = a, *y = b;
  int k = strcmp(x->entity, y->entity);
  return k ? k : (x->seq > y->seq) - (x->seq < y->seq);
}

static int bad_entity_only(const void *a, const void *b) {
  return strcmp(((const bad_cell *)a)->entity, ((const bad_cell *)b)->entity);
}

/* Appends to *TEXT the kept cells of row id ID for input INPUT (for a
   tally input: the cells of its record table TABLE's fields), "; "
   between; *CODE is the first one's. */
static void add_bad_text(const loader *L, const char *id, const char *input, const char *table, char **text,
                         diag_code *code) {
  bad_cell key = {.entity = (char *)id};
  const bad_cell *hit = bsearch(&key, L->bad, (size_t)L->nbad, sizeof *L->bad, bad_entity_only);
  if (!hit) return;
  while (hit > L->bad && !strcmp(hit[-1].entity, id)) hit--;
  for (; hit < L->bad + L->nbad && !strcmp(hit->entity, id); hit++) {
    if (table ? !hit->table || strcmp(hit->table, table) : hit->table || strcmp(hit->input, input)) continue;
    if (!*text) *code = hit->code;
    size_t had = *text ? strlen(*text) : 0, len = had + strlen(hit->text) + 3;
    char *grown = realloc(*text, len);
    if (!grown) abort();
    snprintf(grown + had, len - had, "%s%s", had ? "; " : "", hit->text);
    *text = grown;
  }
}

/* Whether a tally input before IN counts IN's table and is marked in BAD
   (a row's marks): the table's bad cells are named once per row. */
static bool tally_named(const sc_scheme *s, const unsigned char *bad, const sc_input *in) {
  for (int i = 0; i < in->index; i++)
    if (bad[i] && s->inputs[i].tally && s->inputs[i].tally->records == in->tally->records) return true;
  return false;
}

/* The inputs of each row that hold a bad cell (ABI_NARROW_ERROR, as every
   step writes one) into B->bad, a stand-in value in their place, and each
   such row's reason from the cells L kept (its own, its parent's). */
static void mark_bad_cells(loader *L, rb_batch *b) {
  const sc_scheme *s = L->s;
  size_t n = b->n, ni = (size_t)s->ninputs;
  unsigned char *bad = calloc(n * ni + 1, 1);
  if (!bad) abort();
  bool any = false;
  for (size_t i = 0; i < ni; i++) {
    const sc_input *in = &s->inputs[i];
    rb_fixed v = load_stand_in(in);
    size_t m = n * (size_t)(in->periodic ? s->nperiods : 1);
    for (size_t k = 0; k < m; k++) {
      if (!narrow_is_error(b->column[i], k)) continue;
      narrow_put(b->column[i], k, v);
      bad[(k % n) * ni + i] = 1;
      any = true;
    }
  }
  if (!any) {
    free(bad);
    return;
  }
  qsort(L->bad, (size_t)L->nbad, sizeof *L->bad, bad_by_entity);
  b->bad = bad;
  b->bad_text = calloc(n, sizeof *b->bad_text);
  b->bad_code = calloc(n, sizeof *b->bad_code);
  if (!b->bad_text || !b->bad_code) abort();
  for (size_t r = 0; r < n; r++) {
    bool row_bad = false;
    for (size_t i = 0; i < ni; i++) {
      if (!bad[r * ni + i]) continue;
      row_bad = true;
      const sc_input *in = &s->inputs[i];
      if (in->tally && tally_named(s, bad + r * ni, in)) continue; /* its table's cells are in the text already */
      add_bad_text(L, in->from_parent && b->parent ? b->parent[r] : b->id[r], in->name,
                   in->tally ? in->tally->records->name : NULL, &b->bad_text[r], &b->bad_code[r]);
    }
    if (row_bad && !b->bad_text[r]) {
      b->bad_text[r] = load_strdup(diag_tr("a cell of this entity is bad"));
      b->bad_code[r] = R1104;
    }
  }
}

/* Columns a table must have: own inputs in the entities table, `from
   parent` inputs where the parent rows are. */
static bool need_inputs(loader *L, const csv_file *t, bool parents) {
  bool ok = true;
  for (int i = 0; i < L->s->ninputs; i++) {
    const sc_input *in = &L->s->inputs[i];
    if (!in->periodic && !in->tally && in->from_parent == parents) /* a tally has no column: records.c counts it */
      ok &= load_need_input(L, t, in, diag_tr("an input"));
  }
  return ok;
}

/* Whether the record tables given fit the scheme: each name one of its
   tables, given once, and every table a tally counts given. Reports each
   that does not. */
static bool records_fit(loader *L, const rb_tables *tables) {
  const sc_scheme *s = L->s;
  bool ok = true;
  for (int k = 0; k < tables->nrecords; k++) {
    const char *name = tables->records[k].name;
    rb_data_loc at = {tables->records[k].path, 0, NULL, NULL};
    bool declared = false;
    for (int t = 0; t < s->nrecords; t++) declared |= !strcmp(s->records[t].name, name);
    bool again = false;
    for (int j = 0; j < k; j++) again |= !strcmp(tables->records[j].name, name);
    if (!declared)
      diag_data(L->d, DIAG_ERROR, R1111, at, "scheme '%s' has no record table '%s'; this table is not used", s->id, name);
    else if (again)
      diag_data(L->d, DIAG_ERROR, R1111, at, "the records of '%s' are given twice: give one table with --records %s=FILE",
                name, name);
    ok &= declared && !again;
  }
  for (int t = 0; t < s->nrecords; t++) {
    const sc_records *rec = &s->records[t];
    if (!records_counted(s, rec) || records_given(tables, rec->name)) continue;
    rb_data_loc none = {0};
    diag_data(L->d, DIAG_ERROR, R1111, none,
                "scheme '%s' counts the records of '%s': give their table with --records %s=FILE", s->id, rec->name,
                rec->name);
    ok = false;
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
  return records_fit(L, tables);
}

/* A table opened on another thread: csv_open's result and message. */
typedef struct opening {
  const char *path;
  csv_encoding enc;
  csv_file *f;
  char err[1024];
  csv_fault fault;
  pthread_t tid;
  bool started;
} opening;

static void *open_table(void *arg) {
  opening *o = arg;
  o->f = csv_open_as(o->path, o->enc, o->err, sizeof o->err, &o->fault);
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

void batch_inputs(const rb_batch *b, const void **table) {
  for (int i = 0; i < b->ninputs; i++) table[i] = b->column[i];
  table[b->ninputs] = b->calendar ? b->calendar->column : NULL;
}

rb_batch *batch_load(const sc_scheme *s, const rb_tables *tables, rb_diags *d) {
  loader L = {.d = d, .s = s, .partial = tables->partial};
  char err[1024];
  csv_fault fault;
  if (!tables_fit(&L, tables)) return NULL;
  rb_calendar *cal = NULL;
  if (s->uses_calendar) { /* first: a missing or bad calendar is reported before the tables are read */
    if (!tables->calendar) {
      diag_report(d, DIAG_ERROR, R1180, s->calendar_loc,
                  "this rule counts working days: give the holiday calendar with --calendar FILE");
      return NULL;
    }
    if (!(cal = calendar_load(tables->calendar, d))) return NULL;
  }
  opening periods = {.enc = tables->encoding};
  opening_start(&periods, tables->periods);
  csv_file *t = csv_open_as(tables->entities, tables->encoding, err, sizeof err, &fault);
  csv_file *pt = NULL; /* the parents table, if separate */
  if (t && tables->parents) {
    pt = csv_open_as(tables->parents, tables->encoding, err, sizeof err, &fault);
    if (!pt) load_csv_error(&L, csv_shown_path(tables->parents), err, fault);
  } else if (!t) {
    load_csv_error(&L, csv_shown_path(tables->entities), err, fault);
  }
  if (!t || (tables->parents && !pt)) {
    opening_wait(&periods);
    csv_close(periods.f);
    csv_close(t);
    calendar_free(cal);
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
    b->entities_path = load_strdup(t->path);
    if (!load_entities(&L, t, pt, &H, b)) {
      batch_free(b);
      b = NULL;
    }
  }
  if (b) {
    b->calendar = cal, cal = NULL;
    load_entity_columns(&L, &H, t, b);
    csv_forget(t, 0, t->nrows); /* read whole: only its lines are needed now */
  }
  opening_wait(&periods);
  if (b && tables->periods)
    load_periods(&L, &H, periods.f, csv_shown_path(tables->periods), periods.err, periods.fault, b);
  if (b) load_records(&L, &H, tables, b);
  holders_free(&H);
  calendar_free(cal); /* when no batch took it */
  csv_close(periods.f);
  csv_close(t);
  csv_close(pt);
  if (L.problems > LOAD_MAX_REPORTED)
    diag_plain(d, DIAG_NOTE, DIAG_NO_CODE, NULL, "%d more problems in the data were not listed",
               L.problems - LOAD_MAX_REPORTED);
  if (!L.problems && b && L.nbad) mark_bad_cells(&L, b);
  for (int k = 0; k < L.nbad; k++) free(L.bad[k].entity), free(L.bad[k].input), free(L.bad[k].text);
  free(L.bad);
  if (L.problems) {
    batch_free(b);
    return NULL;
  }
  return b;
}
