/* table.c: CSV tables to input columns; see table.h. */
#include "table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cell.h"
#include "check.h"
#include "csv.h"

enum { MAX_REPORTED = 20 }; /* bad cells listed before "and N more" */

typedef struct loader {
  rb_diags *d;
  int problems;
} loader;

static void problem(loader *L, const char *where, long line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#include <stdarg.h>
static void problem(loader *L, const char *where, long line, const char *fmt, ...) {
  L->problems++;
  if (L->problems > MAX_REPORTED) return;
  char msg[512], at[600];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, diag_tr(fmt), ap);
  va_end(ap);
  if (line > 0) snprintf(at, sizeof at, "%s:%ld", where, line);
  else snprintf(at, sizeof at, "%s", where);
  diag_plain(L->d, DIAG_ERROR, DIAG_NO_CODE, at, "%s", msg);
}

/* ---- ids --------------------------------------------------------------- */

typedef struct id_map {
  size_t cap;
  const char **key;
  size_t *row;
} id_map;

static size_t hash(const char *s) {
  size_t h = 1469598103934665603ULL;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
  return h;
}

static void map_init(id_map *m, size_t n) {
  m->cap = 16;
  while (m->cap < n * 2) m->cap *= 2;
  m->key = calloc(m->cap, sizeof *m->key);
  m->row = calloc(m->cap, sizeof *m->row);
  if (!m->key || !m->row) abort();
}

/* Returns the row already stored under KEY, or stores ROW and returns -1. */
static long map_put(id_map *m, const char *key, size_t row) {
  for (size_t i = hash(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
    if (!m->key[i]) {
      m->key[i] = key;
      m->row[i] = row;
      return -1;
    }
    if (!strcmp(m->key[i], key)) return (long)m->row[i];
  }
}

static long map_get(const id_map *m, const char *key) {
  for (size_t i = hash(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
    if (!m->key[i]) return -1;
    if (!strcmp(m->key[i], key)) return (long)m->row[i];
  }
}

static void map_free(id_map *m) {
  free(m->key);
  free(m->row);
}

/* ---- values ------------------------------------------------------------ */

/* What an empty cell holds under IN's `missing` rule (not MISS_ERROR): the
   stated value, or NaN, which the generated code turns into fixed points. */
static double empty_value(const ast_input *in) {
  return in->missing == MISS_VALUE ? dec_to_double(in->missing_value) : NAN;
}

/* Parses one cell for input IN into *out; reports and returns false if bad. */
static bool read_cell(loader *L, const csv_table *t, size_t r, const ast_input *in, double *out) {
  const char *text = csv_cell(t, r, (size_t)csv_column(t, in->name));
  cell_status st = in->tkind == IN_YESNO ? cell_yesno(text, out) : cell_number(text, out);
  if (st == CELL_EMPTY) {
    if (in->missing != MISS_ERROR) {
      *out = empty_value(in);
      return true;
    }
    problem(L, t->path, t->line[r], "column '%s': missing value (the scheme gives no default for '%s')", in->name,
            in->name);
    return false;
  }
  if (st == CELL_BAD) {
    problem(L, t->path, t->line[r], "column '%s': '%s' is not %s", in->name, text,
            in->tkind == IN_YESNO ? "yes/no (1, 0, yes, no, true, false, 是, 否)" : "a number");
    return false;
  }
  char buf[160];
  const char *why = check_input_value(in, *out, buf, sizeof buf);
  if (why) {
    problem(L, t->path, t->line[r], "column '%s': '%s' %s", in->name, text, why);
    return false;
  }
  return true;
}

/* csv.c says "PATH:LINE: what" or "PATH: what"; print it as a located diagnostic. */
static void report_csv_error(rb_diags *d, const char *path, const char *err) {
  size_t n = strlen(path);
  if (!strncmp(err, path, n) && err[n] == ':') {
    const char *rest = strstr(err + n, ": ");
    if (rest) {
      char where[1100];
      snprintf(where, sizeof where, "%.*s", (int)(rest - err), err);
      diag_plain(d, DIAG_ERROR, DIAG_NO_CODE, where, "%s", rest + 2);
      return;
    }
  }
  diag_plain(d, DIAG_ERROR, DIAG_NO_CODE, NULL, "%s", err);
}

static bool need_column(loader *L, const csv_table *t, const char *name, const char *what) {
  if (csv_column(t, name) >= 0) return true;
  problem(L, t->path, 1, "missing column '%s' (%s)", name, what);
  return false;
}

/* An id as written, less surrounding spaces (a spreadsheet's " 371702"). Caller frees. */
static char *trimmed(const char *s) {
  while (*s == ' ' || *s == '\t') s++;
  size_t n = strlen(s);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
  char *p = strndup(s, n);
  if (!p) abort();
  return p;
}

static char *xstrdup(const char *s) {
  char *p = strdup(s ? s : "");
  if (!p) abort();
  return p;
}

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

/* Everything that has a row: the entities scored (holders 0 .. n-1), then
   the parent rows (n .. nh-1). Per-period values are read per holder. */
typedef struct holders {
  size_t n, nh;
  id_map ids;            /* id -> holder */
  const csv_table **tab; /* the table and row each holder's cells are in */
  size_t *row;
} holders;

/* One period row: which holder, which period, and its per-period cells
   into vals[i][p*nh + h]. */
static void load_period_row(loader *L, const ast_scheme *s, const holders *H, const csv_table *t, size_t r,
                            const char *id, long *seen, double **vals, const char *entities_path) {
  int m = check_period_count(s);
  size_t cper = (size_t)csv_column(t, s->period);
  long h = map_get(&H->ids, id);
  if (h < 0) {
    problem(L, t->path, t->line[r], "id '%s' has no row in %s", id, entities_path);
    return;
  }
  double pv;
  const char *ptext = csv_cell(t, r, cper);
  if (cell_number(ptext, &pv) != CELL_OK || pv != floor(pv) || pv < s->period_first || pv > s->period_last) {
    problem(L, t->path, t->line[r], "column '%s': '%s' is not a %s from %d to %d", s->period, ptext, s->period,
            s->period_first, s->period_last);
    return;
  }
  size_t p = (size_t)(pv - s->period_first);
  long *slot = &seen[(size_t)h * (size_t)m + p];
  if (*slot) {
    problem(L, t->path, t->line[r], "entity '%s' has a second row for %s %d (the first is on line %ld)", id, s->period,
            (int)pv, *slot);
    return;
  }
  *slot = t->line[r];
  bool parent = (size_t)h >= H->n;
  for (int i = 0; i < s->ninputs; i++) {
    const ast_input *in = s->input_at[i];
    /* an entity's own per-period inputs, and a parent's `from parent` ones */
    if (in->per && in->from_parent == parent && csv_column(t, in->name) >= 0)
      read_cell(L, t, r, in, &vals[i][p * H->nh + (size_t)h]);
  }
}

/* A period with no row: each per-period input's `missing` rule decides. */
static void fill_absent_periods(loader *L, const ast_scheme *s, const holders *H, const csv_table *t, const long *seen,
                                double **vals, const rb_batch *b, const size_t *parent_holder) {
  int m = check_period_count(s);
  bool per_parent = false;
  for (int i = 0; i < s->ninputs; i++) per_parent |= s->input_at[i]->per && s->input_at[i]->from_parent;
  unsigned char *needed = NULL; /* parent holders whose period rows are read */
  if (per_parent && parent_holder) {
    needed = calloc(H->nh - H->n + 1, 1);
    if (!needed) abort();
    for (size_t r = 0; r < b->n; r++)
      if (parent_holder[r] != (size_t)-1) needed[parent_holder[r] - H->n] = 1;
  }
  for (size_t h = 0; h < H->nh; h++) {
    bool parent = h >= H->n;
    if (!parent && map_get(&H->ids, b->id[h]) != (long)h) continue; /* a duplicate id, reported already */
    if (parent && !(needed && needed[h - H->n])) continue; /* only parents someone reads per period need rows */
    int missing = 0, first = -1;
    for (int p = 0; p < m; p++) {
      if (seen[h * (size_t)m + (size_t)p]) continue;
      bool fails = false;
      for (int i = 0; i < s->ninputs; i++) {
        const ast_input *in = s->input_at[i];
        if (!in->per || in->from_parent != parent) continue;
        if (in->missing == MISS_ERROR) fails = true;
        else vals[i][(size_t)p * H->nh + h] = empty_value(in);
      }
      if (fails) {
        if (first < 0) first = p;
        missing++;
      }
    }
    if (missing) {
      const char *id = parent ? csv_cell(H->tab[h], H->row[h], (size_t)csv_column(H->tab[h], "id")) : b->id[h];
      if (parent)
        problem(L, t->path, 0, "parent '%s' (%s line %ld) has no row for %s %d%s", id, H->tab[h]->path,
                H->tab[h]->line[H->row[h]], s->period, first + s->period_first, missing > 1 ? diag_tr(" and other periods") : "");
      else
        problem(L, t->path, 0, "entity '%s' (%s line %ld) has no row for %s %d%s", id, H->tab[h]->path,
                H->tab[h]->line[H->row[h]], s->period, first + s->period_first, missing > 1 ? diag_tr(" and other periods") : "");
    }
  }
  free(needed);
}

static bool load_periods(loader *L, const ast_scheme *s, const holders *H, const csv_table *t, double **vals,
                         const rb_batch *b, const size_t *parent_holder) {
  int m = check_period_count(s);
  bool ok = need_column(L, t, "id", diag_tr("the entity each row belongs to"));
  ok &= need_column(L, t, s->period, diag_tr("which period the row is for"));
  for (int i = 0; i < s->ninputs; i++)
    if (s->input_at[i]->per)
      ok &= need_column(L, t, s->input_at[i]->name, s->input_at[i]->title ? s->input_at[i]->title : diag_tr("a per-period input"));
  if (!ok) return false;
  /* seen[h*m + p]: the line that gave holder h's period p, 0 if none */
  long *seen = calloc(H->nh * (size_t)m + 1, sizeof *seen);
  if (!seen) abort();
  size_t cid = (size_t)csv_column(t, "id");
  for (size_t r = 0; r < t->nrows; r++) {
    char *id = trimmed(csv_cell(t, r, cid));
    load_period_row(L, s, H, t, r, id, seen, vals, b->entities_path);
    free(id);
  }
  fill_absent_periods(L, s, H, t, seen, vals, b, parent_holder);
  free(seen);
  return true;
}

bool batch_needs_periods(const ast_scheme *s) {
  for (int i = 0; i < s->ninputs; i++)
    if (s->input_at[i]->per) return true;
  return false;
}

/* Columns a table must have: own inputs in the entities table, `from
   parent` inputs where the parent rows are. */
static bool need_inputs(loader *L, const ast_scheme *s, const csv_table *t, bool parents) {
  bool ok = true;
  for (int i = 0; i < s->ninputs; i++) {
    const ast_input *in = s->input_at[i];
    if (!in->per && in->from_parent == parents)
      ok &= need_column(L, t, in->name, in->title ? in->title : diag_tr("an input"));
  }
  return ok;
}

rb_batch *batch_load(const ast_scheme *s, const rb_tables *tables, rb_diags *d) {
  loader L = {d, 0};
  char err[1024];
  bool has_periodic = batch_needs_periods(s);
  const char *entities_path = tables->entities, *periods_path = tables->periods;
  if (has_periodic && !periods_path) {
    diag_plain(d, DIAG_ERROR, DIAG_NO_CODE, NULL, "scheme '%s' has per-%s inputs: give their table with --periods FILE", s->id,
               s->period);
    return NULL;
  }
  if (!has_periodic && periods_path) {
    diag_plain(d, DIAG_ERROR, DIAG_NO_CODE, periods_path, "scheme '%s' has no per-period inputs; this table is not used", s->id);
    return NULL;
  }
  if (tables->parents && !s->uses_parent) {
    diag_plain(d, DIAG_ERROR, DIAG_NO_CODE, tables->parents,
               "scheme '%s' reads nothing from parents and has no 'peers by parent'; this table is not used", s->id);
    return NULL;
  }
  csv_table *t = csv_read(entities_path, err, sizeof err);
  if (!t) {
    report_csv_error(d, entities_path, err);
    return NULL;
  }
  csv_table *pt = NULL; /* the parents table, if separate */
  if (tables->parents) {
    pt = csv_read(tables->parents, err, sizeof err);
    if (!pt) {
      report_csv_error(d, tables->parents, err);
      csv_free(t);
      return NULL;
    }
  }
  bool reads_parent = false;
  for (int i = 0; i < s->ninputs; i++) reads_parent |= s->input_at[i]->from_parent;
  bool ok = need_column(&L, t, "id", diag_tr("one id per entity"));
  if (s->uses_parent) ok &= need_column(&L, t, "parent", diag_tr("the id of each entity's parent"));
  ok &= need_inputs(&L, s, t, false);
  if (pt) {
    ok &= need_column(&L, pt, "id", diag_tr("one id per parent"));
    ok &= need_inputs(&L, s, pt, true);
  }
  if (ok && t->nrows == 0) {
    problem(&L, t->path, 0, "no entity rows (only a header)");
    ok = false;
  }
  if (!ok) {
    csv_free(t);
    csv_free(pt);
    return NULL;
  }
  long cid = csv_column(t, "id"), cname = csv_column(t, "name"), cparent = csv_column(t, "parent");
  /* Without a parents table, a row some other row names as its parent is a
     parent row: it supplies values and is not scored. */
  id_map parent_ids;
  map_init(&parent_ids, t->nrows);
  char **pid = calloc(t->nrows + 1, sizeof *pid);
  if (!pid) abort();
  if (s->uses_parent)
    for (size_t r = 0; r < t->nrows; r++) {
      pid[r] = trimmed(csv_cell(t, r, (size_t)cparent));
      if (pid[r][0]) map_put(&parent_ids, pid[r], r);
    }
  bool *is_parent_row = calloc(t->nrows + 1, sizeof *is_parent_row);
  if (!is_parent_row) abort();
  size_t n = 0;
  for (size_t r = 0; r < t->nrows; r++) {
    char *id = trimmed(csv_cell(t, r, (size_t)cid));
    is_parent_row[r] = s->uses_parent && !pt && id[0] && map_get(&parent_ids, id) >= 0;
    if (!is_parent_row[r]) n++;
    free(id);
  }
  map_free(&parent_ids);
  if (n == 0) {
    problem(&L, t->path, 0, "no entity rows to score: every row is another row's parent");
    for (size_t r = 0; r < t->nrows; r++) free(pid[r]);
    free(pid);
    free(is_parent_row);
    csv_free(t);
    csv_free(pt);
    return NULL;
  }
  size_t nparents = pt ? pt->nrows : t->nrows - n;
  holders H = {.n = n, .nh = n + nparents};
  map_init(&H.ids, H.nh);
  H.tab = calloc(H.nh + 1, sizeof *H.tab);
  H.row = calloc(H.nh + 1, sizeof *H.row);
  if (!H.tab || !H.row) abort();
  int m = check_period_count(s);
  rb_batch *b = calloc(1, sizeof *b);
  if (!b) abort();
  b->n = n;
  b->ninputs = s->ninputs;
  b->entities_path = xstrdup(entities_path);
  b->id = calloc(n, sizeof *b->id);
  b->name = calloc(n, sizeof *b->name);
  b->line = calloc(n, sizeof *b->line);
  b->group = calloc(n, sizeof *b->group);
  b->column = calloc((size_t)(s->ninputs ? s->ninputs : 1), sizeof *b->column);
  if (s->uses_parent) b->parent = calloc(n, sizeof *b->parent);
  if (!b->id || !b->name || !b->line || !b->group || !b->column || (s->uses_parent && !b->parent)) abort();
  /* holders: scored rows first, in table order, then parent rows */
  size_t e = 0, ph = n;
  for (size_t r = 0; r < t->nrows; r++) {
    size_t h = is_parent_row[r] ? ph++ : e++;
    H.tab[h] = t;
    H.row[h] = r;
  }
  for (size_t r = 0; pt && r < pt->nrows; r++) {
    H.tab[ph] = pt;
    H.row[ph++] = r;
  }
  /* every holder's id, owned here until the end (scored ones move to b) */
  char **hid = calloc(H.nh + 1, sizeof *hid);
  if (!hid) abort();
  for (size_t h = 0; h < H.nh; h++) {
    const csv_table *ht = H.tab[h];
    hid[h] = trimmed(csv_cell(ht, H.row[h], (size_t)csv_column(ht, "id")));
    if (!hid[h][0]) {
      problem(&L, ht->path, ht->line[H.row[h]], "column 'id': missing value");
    } else {
      long prev = map_put(&H.ids, hid[h], h);
      if (prev >= 0 && H.tab[prev] == ht)
        problem(&L, ht->path, ht->line[H.row[h]], "duplicate id '%s' (first on line %ld)", hid[h],
                ht->line[H.row[prev]]);
      else if (prev >= 0)
        problem(&L, ht->path, ht->line[H.row[h]], "duplicate id '%s' (first on %s line %ld)", hid[h],
                H.tab[prev]->path, H.tab[prev]->line[H.row[prev]]);
    }
    if (h < n) {
      b->id[h] = hid[h];
      b->name[h] = xstrdup(cname >= 0 ? csv_cell(t, H.row[h], (size_t)cname) : "");
      b->line[h] = t->line[H.row[h]];
      if (b->parent) b->parent[h] = xstrdup(pid[H.row[h]]);
    }
  }
  for (size_t r = 0; r < t->nrows; r++) free(pid[r]);
  free(pid);
  free(is_parent_row);
  /* each scored row's parent holder, and its peer group */
  size_t *parent_holder = NULL;
  if (s->uses_parent) {
    parent_holder = calloc(n, sizeof *parent_holder);
    if (!parent_holder) abort();
    id_map groups;
    map_init(&groups, n);
    int64_t ngroups = 0;
    for (size_t r = 0; r < n; r++) {
      parent_holder[r] = (size_t)-1;
      if (!b->parent[r][0]) {
        problem(&L, t->path, b->line[r], "column 'parent': missing value (entity '%s')", b->id[r]);
        continue;
      }
      long h = map_get(&H.ids, b->parent[r]);
      if (h >= (long)n) parent_holder[r] = (size_t)h;
      else if (reads_parent)
        problem(&L, t->path, b->line[r], "column 'parent': '%s' has no row in %s", b->parent[r],
                pt ? pt->path : t->path);
      long g = map_put(&groups, b->parent[r], (size_t)ngroups);
      if (g < 0) g = ngroups++;
      b->group[r] = s->peers_by_parent ? g : 0;
    }
    map_free(&groups);
    b->ngroups = s->peers_by_parent ? (ngroups ? ngroups : 1) : 1;
  } else {
    b->ngroups = 1;
  }
  /* per-entity cells: an entity's own, or its parent's */
  double **pervals = calloc((size_t)(s->ninputs ? s->ninputs : 1), sizeof *pervals);
  if (!pervals) abort();
  for (int i = 0; i < s->ninputs; i++) {
    const ast_input *in = s->input_at[i];
    size_t len = n * (size_t)(in->per ? m : 1);
    b->column[i] = malloc(len * sizeof(double));
    if (!b->column[i]) abort();
    for (size_t k = 0; k < len; k++) b->column[i][k] = NAN; /* overwritten or reported */
    if (in->per) {
      pervals[i] = malloc(H.nh * (size_t)m * sizeof(double));
      if (!pervals[i]) abort();
      for (size_t k = 0; k < H.nh * (size_t)m; k++) pervals[i][k] = NAN;
      continue;
    }
    /* a parent's cell is read once, however many entities it has */
    double *parent_val = NULL;
    if (in->from_parent) {
      parent_val = malloc((H.nh - n + 1) * sizeof(double));
      unsigned char *read = calloc(H.nh - n + 1, 1);
      if (!parent_val || !read) abort();
      for (size_t r = 0; r < n; r++) {
        size_t h = parent_holder[r];
        if (h == (size_t)-1 || read[h - n]) continue;
        read[h - n] = 1;
        parent_val[h - n] = NAN;
        read_cell(&L, H.tab[h], H.row[h], in, &parent_val[h - n]);
      }
      free(read);
    }
    for (size_t r = 0; r < n; r++) {
      if (map_get(&H.ids, b->id[r]) != (long)r) continue; /* a duplicate id, reported already */
      if (!in->from_parent) read_cell(&L, t, H.row[r], in, &b->column[i][r]);
      else if (parent_holder[r] != (size_t)-1) b->column[i][r] = parent_val[parent_holder[r] - n];
    }
    free(parent_val);
  }
  if (has_periodic) {
    csv_table *ptab = csv_read(periods_path, err, sizeof err);
    if (!ptab) {
      report_csv_error(d, periods_path, err);
      L.problems++;
    } else {
      load_periods(&L, s, &H, ptab, pervals, b, parent_holder);
      csv_free(ptab);
    }
    for (int i = 0; i < s->ninputs; i++) {
      const ast_input *in = s->input_at[i];
      if (!in->per) continue;
      for (size_t r = 0; r < n; r++) {
        size_t h = in->from_parent ? parent_holder[r] : r;
        if (h == (size_t)-1) continue;
        for (int p = 0; p < m; p++) b->column[i][(size_t)p * n + r] = pervals[i][(size_t)p * H.nh + h];
      }
    }
  }
  for (int i = 0; i < s->ninputs; i++) free(pervals[i]);
  free(pervals);
  free(parent_holder);
  map_free(&H.ids);
  for (size_t h = n; h < H.nh; h++) free(hid[h]);
  free(hid);
  free(H.tab);
  free(H.row);
  csv_free(t);
  csv_free(pt);
  if (L.problems > MAX_REPORTED)
    diag_plain(d, DIAG_NOTE, DIAG_NO_CODE, NULL, "%d more problems in the data were not listed", L.problems - MAX_REPORTED);
  if (L.problems) {
    batch_free(b);
    return NULL;
  }
  return b;
}
