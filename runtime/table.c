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

/* Parses one cell for input IN into *out; reports and returns false if bad. */
static bool read_cell(loader *L, const csv_table *t, size_t r, const ast_input *in, double *out) {
  const char *text = csv_cell(t, r, (size_t)csv_column(t, in->name));
  cell_status st = in->tkind == IN_YESNO ? cell_yesno(text, out) : cell_number(text, out);
  if (st == CELL_EMPTY) {
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
  }
  free(b->id);
  free(b->name);
  free(b->line);
  if (b->column)
    for (int i = 0; i < b->ninputs; i++) free(b->column[i]);
  free(b->column);
  free(b->entities_path);
  free(b);
}

/* One period row: which entity, which period, and its per-period cells. */
static void load_period_row(loader *L, const ast_scheme *s, rb_batch *b, const id_map *ids, const csv_table *t,
                            size_t r, const char *id, long *seen) {
  int m = check_period_count(s);
  size_t cper = (size_t)csv_column(t, s->period);
  long row = map_get(ids, id);
  if (row < 0) {
    problem(L, t->path, t->line[r], "id '%s' has no row in %s", id, b->entities_path);
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
  long *slot = &seen[(size_t)row * (size_t)m + p];
  if (*slot) {
    problem(L, t->path, t->line[r], "entity '%s' has a second row for %s %d (the first is on line %ld)", id, s->period,
            (int)pv, *slot);
    return;
  }
  *slot = t->line[r];
  for (int i = 0; i < s->ninputs; i++) {
    const ast_input *in = s->input_at[i];
    if (in->per) read_cell(L, t, r, in, &b->column[i][p * b->n + (size_t)row]);
  }
}

static void load_periods(loader *L, const ast_scheme *s, rb_batch *b, const id_map *ids, const csv_table *t) {
  int m = check_period_count(s);
  bool ok = need_column(L, t, "id", diag_tr("the entity each row belongs to"));
  ok &= need_column(L, t, s->period, diag_tr("which period the row is for"));
  for (int i = 0; i < s->ninputs; i++)
    if (s->input_at[i]->per)
      ok &= need_column(L, t, s->input_at[i]->name, s->input_at[i]->title ? s->input_at[i]->title : diag_tr("a per-period input"));
  if (!ok) return;
  /* seen[row*m + p]: the line that gave that entity's period p, 0 if none */
  long *seen = calloc(b->n * (size_t)m + 1, sizeof *seen);
  if (!seen) abort();
  size_t cid = (size_t)csv_column(t, "id");
  for (size_t r = 0; r < t->nrows; r++) {
    char *id = trimmed(csv_cell(t, r, cid));
    load_period_row(L, s, b, ids, t, r, id, seen);
    free(id);
  }
  for (size_t row = 0; row < b->n; row++) {
    if (map_get(ids, b->id[row]) != (long)row) continue; /* a duplicate id, reported already */
    int missing = 0, first = -1;
    for (int p = 0; p < m; p++)
      if (!seen[row * (size_t)m + (size_t)p]) {
        if (first < 0) first = p;
        missing++;
      }
    if (missing)
      problem(L, t->path, 0, "entity '%s' (%s line %ld) has no row for %s %d%s", b->id[row], b->entities_path,
              b->line[row], s->period, first + s->period_first,
              missing > 1 ? " and other periods" : "");
  }
  free(seen);
}

bool batch_needs_periods(const ast_scheme *s) {
  for (int i = 0; i < s->ninputs; i++)
    if (s->input_at[i]->per) return true;
  return false;
}

rb_batch *batch_load(const ast_scheme *s, const char *entities_path, const char *periods_path, rb_diags *d) {
  loader L = {d, 0};
  char err[1024];
  bool has_periodic = batch_needs_periods(s);
  if (has_periodic && !periods_path) {
    diag_plain(d, DIAG_ERROR, DIAG_NO_CODE, NULL, "scheme '%s' has per-%s inputs: give their table with --periods FILE", s->id,
               s->period);
    return NULL;
  }
  if (!has_periodic && periods_path) {
    diag_plain(d, DIAG_ERROR, DIAG_NO_CODE, periods_path, "scheme '%s' has no per-period inputs; this table is not used", s->id);
    return NULL;
  }
  csv_table *t = csv_read(entities_path, err, sizeof err);
  if (!t) {
    report_csv_error(d, entities_path, err);
    return NULL;
  }
  bool ok = need_column(&L, t, "id", diag_tr("one id per entity"));
  for (int i = 0; i < s->ninputs; i++)
    if (!s->input_at[i]->per)
      ok &= need_column(&L, t, s->input_at[i]->name, s->input_at[i]->title ? s->input_at[i]->title : diag_tr("an input"));
  if (ok && t->nrows == 0) {
    problem(&L, t->path, 0, "no entity rows (only a header)");
    ok = false;
  }
  if (!ok) {
    csv_free(t);
    return NULL;
  }
  int m = check_period_count(s);
  rb_batch *b = calloc(1, sizeof *b);
  if (!b) abort();
  b->n = t->nrows;
  b->ninputs = s->ninputs;
  b->entities_path = xstrdup(entities_path);
  b->id = calloc(b->n, sizeof *b->id);
  b->name = calloc(b->n, sizeof *b->name);
  b->line = calloc(b->n, sizeof *b->line);
  b->column = calloc((size_t)(s->ninputs ? s->ninputs : 1), sizeof *b->column);
  if (!b->id || !b->name || !b->line || !b->column) abort();
  for (int i = 0; i < s->ninputs; i++) {
    size_t len = b->n * (size_t)(s->input_at[i]->per ? m : 1);
    b->column[i] = malloc(len * sizeof(double));
    if (!b->column[i]) abort();
    for (size_t k = 0; k < len; k++) b->column[i][k] = NAN; /* overwritten or reported */
  }
  long cid = csv_column(t, "id"), cname = csv_column(t, "name");
  id_map ids;
  map_init(&ids, b->n);
  for (size_t r = 0; r < b->n; r++) {
    b->id[r] = trimmed(csv_cell(t, r, (size_t)cid));
    b->name[r] = xstrdup(cname >= 0 ? csv_cell(t, r, (size_t)cname) : "");
    b->line[r] = t->line[r];
    if (!b->id[r][0]) {
      problem(&L, t->path, t->line[r], "column 'id': missing value");
      continue;
    }
    long prev = map_put(&ids, b->id[r], r);
    if (prev >= 0)
      problem(&L, t->path, t->line[r], "duplicate id '%s' (first on line %ld)", b->id[r], t->line[prev]);
    for (int i = 0; i < s->ninputs; i++)
      if (!s->input_at[i]->per) read_cell(&L, t, r, s->input_at[i], &b->column[i][r]);
  }
  csv_free(t);
  if (has_periodic) {
    csv_table *pt = csv_read(periods_path, err, sizeof err);
    if (!pt) {
      report_csv_error(d, periods_path, err);
      L.problems++;
    } else {
      load_periods(&L, s, b, &ids, pt);
      csv_free(pt);
    }
  }
  map_free(&ids);
  if (L.problems > MAX_REPORTED)
    diag_plain(d, DIAG_NOTE, DIAG_NO_CODE, NULL, "%d more problems in the data were not listed", L.problems - MAX_REPORTED);
  if (L.problems) {
    batch_free(b);
    return NULL;
  }
  return b;
}
