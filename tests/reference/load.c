/* load.c: the rows to score and their cells (spec/data.md#input-tables):
 * entities and parent rows, the periods table, and what an empty cell
 * means (spec/semantics.md#missing-data). The tests write valid tables, so
 * a value rubric would refuse is only reported. */
#include <stdlib.h>
#include <string.h>

#include "ref.h"

/* Ids sorted for lookup: an entity (0 .. nentities-1) or a parent row
   (nentities + its index among the parent rows). */
typedef struct idx {
  const char *id;
  int owner;
} idx;

static int idx_cmp(const void *a, const void *b) { return strcmp(((const idx *)a)->id, ((const idx *)b)->id); }

static int idx_find(const idx *v, int n, const char *id) {
  idx key = {id, 0};
  const idx *hit = n && id ? bsearch(&key, v, (size_t)n, sizeof *v, idx_cmp) : NULL;
  return hit ? hit->owner : -1;
}

bool set_cell(const sc_input *in, const char *text, cell *c, const char *where) {
  char *t = trim_dup(text ? text : "");
  bool ok = true;
  if (!*t) {
    if (in->missing == MISS_VALUE) num_from_decimal(in->missing_value, c->v);
    else if (in->missing == MISS_POINTS || in->missing == MISS_FULL) c->empty = true;
    else ok = false;
  } else if (in->type == IN_YESNO) {
    int yn = num_parse_yesno(t);
    ok = yn >= 0;
    mpq_set_ui(c->v, yn > 0, 1);
  } else if (in->type == IN_DATE) { /* its day number */
    long day = 0;
    ok = ref_parse_date(t, &day);
    mpq_set_si(c->v, day, 1);
  } else if (in->type == IN_LABEL) { /* the label's index, its text exactly */
    int k = in->nlabels;
    while (k-- > 0 && strcmp(in->labels[k], t)) {}
    ok = k >= 0;
    mpq_set_ui(c->v, ok ? (unsigned long)k : 0, 1);
  } else {
    ok = num_parse_cell(t, c->v);
  }
  if (!ok) fprintf(stderr, "rubric-ref: %s: input '%s': '%s' is not a value\n", where, in->name, t);
  free(t);
  return ok;
}

/* The tables of a job while it loads. */
typedef struct tables {
  table ent, par, per;
  const table *ptab; /* where the parent rows are: par, or ent */
  char **ids, **pids; /* the ids of the entities table and of the parent rows' table, trimmed */
  int *rows;         /* entity (then parent row) -> its row in ent (ptab) */
  idx *owners;       /* entities and parent rows by id */
  int nparents, nowners;
  int *prow;         /* owner * nperiods + period -> the row of per, or -1 */
} tables;

/* Sets the rows apart: parent rows (spec/data.md#parent-rows), entities. */
static bool split_rows(job *j, tables *t) {
  const sc_scheme *s = j->s;
  int cid = table_col(&t->ent, "id"), cname = table_col(&t->ent, "name"), cpar = table_col(&t->ent, "parent");
  int pcid = table_col(t->ptab, "id");
  if (cid < 0 || pcid < 0 || (s->uses_parent && cpar < 0)) {
    fprintf(stderr, "rubric-ref: %s: no id or parent column\n", j->entities_path);
    return false;
  }
  int n = t->ent.nrows, np = t->ptab->nrows;
  t->ids = calloc((size_t)n + 1, sizeof *t->ids);
  t->pids = calloc((size_t)np + 1, sizeof *t->pids);
  t->rows = calloc((size_t)n + (size_t)np + 1, sizeof *t->rows);
  t->owners = calloc((size_t)n + (size_t)np + 1, sizeof *t->owners);
  j->ents = calloc((size_t)n + 1, sizeof *j->ents);
  idx *byname = calloc((size_t)n + 1, sizeof *byname); /* the parent ids that entities name */
  int *parent_rows = calloc((size_t)np + 1, sizeof *parent_rows);
  const char **groups = calloc((size_t)n + 1, sizeof *groups);
  if (!t->ids || !t->pids || !t->rows || !t->owners || !j->ents || !byname || !parent_rows || !groups) abort();
  for (int r = 0; r < n; r++) t->ids[r] = trim_dup(table_cell(&t->ent, r, cid));
  for (int r = 0; r < np; r++) t->pids[r] = trim_dup(table_cell(t->ptab, r, pcid));
  for (int r = 0; s->uses_parent && r < n; r++) byname[r] = (idx){trim_dup(table_cell(&t->ent, r, cpar)), r};
  if (s->uses_parent) qsort(byname, (size_t)n, sizeof *byname, idx_cmp);
  bool own = !j->parents_path; /* the parent rows are rows of the entities table */
  for (int r = 0; s->uses_parent && r < np; r++)
    if (idx_find(byname, n, t->pids[r]) >= 0) parent_rows[t->nparents++] = r;
  /* the entities, in table order, and their peer groups */
  j->ngroups = s->peers_by_parent ? 0 : 1;
  for (int r = 0, k = 0; r < n; r++) {
    if (own && k < t->nparents && parent_rows[k] == r) {
      k++;
      continue;
    }
    entity *e = &j->ents[j->nentities];
    e->id = strdup(t->ids[r]);
    e->name = strdup(cname >= 0 ? table_cell(&t->ent, r, cname) : "");
    e->parent = s->uses_parent ? trim_dup(table_cell(&t->ent, r, cpar)) : NULL;
    if (s->peers_by_parent) {
      while (e->group < j->ngroups && strcmp(groups[e->group], e->parent)) e->group++;
      if (e->group == j->ngroups) groups[j->ngroups++] = e->parent;
    }
    t->owners[j->nentities] = (idx){e->id, j->nentities};
    t->rows[j->nentities++] = r;
  }
  for (int k = 0; k < t->nparents; k++) {
    t->owners[j->nentities + k] = (idx){t->pids[parent_rows[k]], j->nentities + k};
    t->rows[j->nentities + k] = parent_rows[k];
  }
  t->nowners = j->nentities + t->nparents;
  qsort(t->owners, (size_t)t->nowners, sizeof *t->owners, idx_cmp);
  for (int r = 0; s->uses_parent && r < n; r++) free((char *)byname[r].id);
  free(byname);
  free(parent_rows);
  free(groups);
  j->has_name = cname >= 0;
  return true;
}

/* The row of the periods table for each owner and period. */
static bool index_periods(job *j, tables *t) {
  const sc_scheme *s = j->s;
  int np = s->nperiods, cid = table_col(&t->per, "id"), cperiod = table_col(&t->per, s->period);
  t->prow = malloc(((size_t)t->nowners * np + 1) * sizeof *t->prow);
  if (!t->prow) abort();
  for (int k = 0; k < t->nowners * np; k++) t->prow[k] = -1;
  if (!j->periods_path) return true;
  mpq_t q;
  mpq_init(q);
  bool ok = cid >= 0 && cperiod >= 0;
  for (int r = 0; ok && r < t->per.nrows; r++) {
    char *id = trim_dup(table_cell(&t->per, r, cid));
    int o = idx_find(t->owners, t->nowners, id);
    ok = o >= 0 && num_parse_cell(table_cell(&t->per, r, cperiod), q) && mpz_cmp_ui(mpq_denref(q), 1) == 0 &&
         mpz_cmp_si(mpq_numref(q), s->period_first) >= 0 && mpz_cmp_si(mpq_numref(q), s->period_last) <= 0;
    if (ok) t->prow[o * np + (mpz_get_si(mpq_numref(q)) - s->period_first)] = r;
    else fprintf(stderr, "rubric-ref: %s: row of '%s': bad id or period\n", j->periods_path, id);
    free(id);
  }
  mpq_clear(q);
  return ok;
}

/* Whether an entity whose kind is label L reads input IN
   (spec/semantics.md#parts-per-kind-of-entity): the kind itself, what every
   entity reads (requirements, targets, grade bands, peer statistics), or
   the rule of a part for kind L. */
static bool kind_reads(const sc_scheme *s, const sc_input *in, int l) {
  if (in == s->kind) return true;
  for (int i = 0; i < s->nrequires; i++)
    if (reads_input(s->requires[i].cond, in)) return true;
  for (int i = 0; i < s->ntargets; i++)
    if (reads_input(s->targets[i].rule, in)) return true;
  for (int g = 0; g < s->ngrades; g++)
    for (int b = 0; b < s->grades[g].nbands; b++)
      if (s->grades[g].bands[b].when && reads_input(s->grades[g].bands[b].when, in)) return true;
  for (int k = 0; k < s->nstats; k++)
    if (s->stats[k].arg && reads_input(s->stats[k].arg, in)) return true;
  for (int k = 0; k < s->nparts; k++) {
    const sc_part *p = s->parts[k];
    bool mine = p->nkinds == 0;
    for (int x = 0; x < p->nkinds; x++) mine |= p->kinds[x] == l;
    if (mine && p->score && reads_input(p->score, in)) return true;
  }
  return false;
}

/* The label index of entity E's kind (an own cell), or -1. */
static int entity_kind(const job *j, const tables *t, int e) {
  const sc_input *k = j->s->kind;
  if (!k || k->from_parent || k->periodic) return -1;
  int c = table_col(&t->ent, k->name);
  if (c < 0) return -1;
  char *text = trim_dup(table_cell(&t->ent, t->rows[e], c));
  int l = k->nlabels;
  while (l-- > 0 && strcmp(k->labels[l], text)) {}
  free(text);
  return l;
}

/* Every cell of entity E. */
static bool load_cells(job *j, tables *t, int e) {
  const sc_scheme *s = j->s;
  entity *en = &j->ents[e];
  int np = s->nperiods;
  en->cells = calloc((size_t)s->ninputs * np + 1, sizeof *en->cells);
  if (!en->cells) abort();
  for (int k = 0; k < s->ninputs * np; k++) mpq_init(en->cells[k].v);
  int parent = s->uses_parent ? idx_find(t->owners, t->nowners, en->parent) : -1;
  int kind = entity_kind(j, t, e);
  for (int i = 0; i < s->ninputs; i++) {
    const sc_input *in = &s->inputs[i];
    if (in->from_parent && parent < j->nentities) {
      fprintf(stderr, "rubric-ref: entity '%s': parent '%s' has no row\n", en->id, en->parent);
      return false;
    }
    if (in->tally) continue; /* no table's column: records.c counts it */
    int owner = in->from_parent ? parent : e;
    if (in->periodic) {
      int c = table_col(&t->per, in->name);
      for (int p = 0; p < np; p++) {
        int r = t->prow[owner * np + p];
        if (!set_cell(in, r >= 0 && c >= 0 ? table_cell(&t->per, r, c) : NULL, &en->cells[i * np + p],
                      j->periods_path))
          return false;
      }
    } else {
      const table *tab = in->from_parent ? t->ptab : &t->ent;
      int c = table_col(tab, in->name);
      if (c < 0) {
        fprintf(stderr, "rubric-ref: no column '%s'\n", in->name);
        return false;
      }
      const char *text = table_cell(tab, t->rows[owner], c);
      char *blank = trim_dup(text ? text : "");
      bool unread = !*blank && in->missing == MISS_ERROR && !in->from_parent && kind >= 0 && !kind_reads(s, in, kind);
      free(blank);
      if (unread) { /* no part of its kind reads it: empty, and never read */
        en->cells[i * np].empty = true;
        continue;
      }
      if (!set_cell(in, text, &en->cells[i * np], j->entities_path)) return false;
    }
  }
  return true;
}

bool job_load(job *j) {
  tables t = {0};
  t.ptab = j->parents_path ? &t.par : &t.ent;
  bool ok = table_read(j->entities_path, &t.ent) && (!j->parents_path || table_read(j->parents_path, &t.par)) &&
            (!j->periods_path || table_read(j->periods_path, &t.per));
  if (ok && j->s->uses_calendar)
    ok = j->calendar_path ? ref_calendar_load(j->calendar_path, &j->cal)
                          : (fprintf(stderr, "rubric-ref: the scheme calls workdays: give --calendar\n"), false);
  ok = ok && split_rows(j, &t) && index_periods(j, &t);
  for (int e = 0; ok && e < j->nentities; e++) ok = load_cells(j, &t, e);
  ok = ok && records_count(j);
  for (int r = 0; t.ids && r < t.ent.nrows; r++) free(t.ids[r]);
  for (int r = 0; t.pids && r < t.ptab->nrows; r++) free(t.pids[r]);
  free(t.ids);
  free(t.pids);
  free(t.rows);
  free(t.owners);
  free(t.prow);
  table_free(&t.ent);
  table_free(&t.par);
  table_free(&t.per);
  return ok;
}

void job_free(job *j) {
  ref_calendar_free(&j->cal);
  int cells = j->s->ninputs * j->s->nperiods;
  for (int e = 0; e < j->nentities; e++) {
    entity *en = &j->ents[e];
    for (int k = 0; en->cells && k < cells; k++) mpq_clear(en->cells[k].v);
    free(en->cells);
    free(en->id);
    free(en->name);
    free(en->parent);
  }
  free(j->ents);
  peers_free(j);
}
