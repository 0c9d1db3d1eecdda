/* records.c: the record tables (spec/data.md#record-tables) counted into
 * the tally inputs' cells: for each entity, the records whose `id` is
 * its id and whose condition holds, the condition walked once per record
 * (spec/semantics.md#records). A record whose condition fails (a date
 * outside the calendar) is not counted, and the count remembers the first
 * such failure: every rule that reads it fails with it. The tests write
 * valid tables, so a value rubric would refuse is only reported. */
#include <stdlib.h>
#include <string.h>

#include "ref.h"

/* The column of field IN in T: its name, else its `column "..."`, else
   its title; -1 if none. */
static int field_col(const table *t, const sc_input *in) {
  int c = table_col(t, in->name);
  if (c < 0 && in->column) c = table_col(t, in->column);
  if (c < 0 && in->title) c = table_col(t, in->title);
  return c;
}

/* The entity whose id is ID, or -1 (a linear search: the tests' tables are small). */
static int entity_of(const job *j, const char *id) {
  for (int e = 0; e < j->nentities; e++)
    if (!strcmp(j->ents[e].id, id)) return e;
  return -1;
}

/* The records of REC in T counted into the cells of its tallies. */
static bool count_table(job *j, const sc_records *rec, const table *t, const char *path) {
  const sc_scheme *s = j->s;
  int cid = table_col(t, "id"), nf = rec->nfields;
  int *col = calloc((size_t)nf + 1, sizeof *col);
  cell *fields = calloc((size_t)nf + 1, sizeof *fields);
  if (!col || !fields) abort();
  bool ok = cid >= 0;
  for (int f = 0; f < nf; f++) {
    mpq_init(fields[f].v);
    col[f] = field_col(t, &rec->fields[f]);
    ok &= col[f] >= 0;
  }
  if (!ok) fprintf(stderr, "rubric-ref: %s: a column is missing\n", path);
  mpq_t yes, one;
  mpq_init(yes);
  mpq_init(one);
  mpq_set_ui(one, 1, 1);
  for (int r = 0; ok && r < t->nrows; r++) {
    char *id = trim_dup(table_cell(t, r, cid));
    int e = entity_of(j, id);
    if (e < 0) {
      fprintf(stderr, "rubric-ref: %s: record of '%s': no such entity\n", path, id);
      ok = false;
    }
    free(id);
    for (int f = 0; ok && f < nf; f++) {
      ok = set_cell(&rec->fields[f], table_cell(t, r, col[f]), &fields[f], path);
    }
    for (int k = 0; ok && k < s->ntallies; k++) {
      const sc_tally *ty = &s->tallies[k];
      if (ty->records != rec) continue;
      cell *cl = &j->ents[e].cells[ty->input->index * s->nperiods];
      ctx c = {.j = j, .ent = e, .record = fields};
      if (!ty->cond || eval(&c, ty->cond, NULL, 0, yes)) {
        if (!ty->cond || mpq_sgn(yes)) mpq_add(cl->v, cl->v, one);
      } else if (!cl->fail_code) {
        cl->fail_code = c.err.code;
        cl->fail_loc = c.err.loc;
      }
      ctx_done(&c);
    }
  }
  mpq_clear(yes);
  mpq_clear(one);
  for (int f = 0; f < nf; f++) mpq_clear(fields[f].v);
  free(fields);
  free(col);
  return ok;
}

bool records_count(job *j) {
  const sc_scheme *s = j->s;
  for (int e = 0; e < j->nentities; e++) /* every count starts at 0: an entity with no records has none */
    for (int k = 0; k < s->ntallies; k++) mpq_set_ui(j->ents[e].cells[s->tallies[k].input->index * s->nperiods].v, 0, 1);
  for (int g = 0; g < j->nrecords; g++) {
    bool known = false;
    for (int t = 0; t < s->nrecords; t++) known |= !strcmp(s->records[t].name, j->records_name[g]);
    if (!known) {
      fprintf(stderr, "rubric-ref: no record table '%s'\n", j->records_name[g]);
      return false;
    }
  }
  for (int t = 0; t < s->nrecords; t++) {
    const sc_records *rec = &s->records[t];
    const char *path = NULL;
    for (int g = 0; g < j->nrecords; g++)
      if (!strcmp(j->records_name[g], rec->name)) path = j->records_path[g];
    bool counted = false;
    for (int k = 0; k < s->ntallies; k++) counted |= s->tallies[k].records == rec;
    if (!path) {
      if (!counted) continue;
      fprintf(stderr, "rubric-ref: the records of '%s' are not given\n", rec->name);
      return false;
    }
    table tab = {0};
    bool ok = table_read(path, &tab) && count_table(j, rec, &tab, path);
    table_free(&tab);
    if (!ok) return false;
  }
  return true;
}
