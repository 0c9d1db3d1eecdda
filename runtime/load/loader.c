/* loader.c: what the steps of loading share (loader.h): one way to report
 * a problem in the data, the id map, and ids as written.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "loader.h"
#include "narrow.h"
#include "pages.h"

void load_problem(loader *L, diag_code code, const char *path, long line, const char *entity, const char *column,
                  const char *fmt, ...) {
  bool cell = L->partial && (code == R1104 || code == R1105 || code == R1106) && entity && column;
  if (!cell && ++L->problems > LOAD_MAX_REPORTED) return; /* counted, not formatted: a bad file may have millions */
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, diag_tr(fmt), ap);
  va_end(ap);
  if (cell) {
    if (L->nbad == L->capbad) {
      L->capbad = L->capbad ? 2 * L->capbad : 16;
      L->bad = realloc(L->bad, (size_t)L->capbad * sizeof *L->bad);
      if (!L->bad) abort();
    }
    size_t len = strlen(path) + strlen(msg) + 32;
    char *text = malloc(len);
    if (!text) abort();
    snprintf(text, len, "%s:%ld: %s", path, line, msg);
    L->bad[L->nbad] = (bad_cell){L->nbad, code, load_strdup(entity), load_strdup(column), L->table ? L->table->name : NULL,
                                 text};
    L->nbad++;
    if (L->nbad <= LOAD_MAX_REPORTED) diag_data(L->d, DIAG_WARNING, code, (rb_data_loc){path, line, entity, column}, "%s", msg);
    return;
  }
  diag_data(L->d, DIAG_ERROR, code, (rb_data_loc){path, line, entity, column}, "%s", msg);
}

/* csv.c says "PATH:LINE: what" or "PATH: what" (in the chosen language);
   the code follows what failed. */
void load_csv_error(loader *L, const char *path, const char *err, csv_fault fault) {
  size_t n = strlen(path);
  long line = 0;
  const char *what = err;
  if (!strncmp(err, path, n) && err[n] == ':') {
    char *end;
    line = strtol(err + n + 1, &end, 10);
    if (end != err + n + 1 && *end == ':') what = end + 1;
    else line = 0, what = err + n + 1;
    while (*what == ' ') what++;
  }
  diag_code code = fault == CSV_FAULT_IO ? R1101 : fault == CSV_FAULT_ENCODING ? R1112 : R1102;
  L->problems++;
  diag_data(L->d, DIAG_ERROR, code, (rb_data_loc){path, line, NULL, NULL}, "%s", what);
}

char *load_trim(char *s) {
  size_t lead = strspn(s, " \t"), n = strlen(s + lead);
  while (n && (s[lead + n - 1] == ' ' || s[lead + n - 1] == '\t')) n--;
  memmove(s, s + lead, n);
  s[n] = '\0';
  return s;
}

char *load_trimmed(const char *s) { return load_trim(load_strdup(s)); }

char *load_strdup(const char *s) {
  char *p = strdup(s ? s : "");
  if (!p) abort();
  return p;
}

/* ---- ids ------------------------------------------------------------------ */

enum { ROW_BITS = 40 };
#define ROW_MASK ((1ULL << ROW_BITS) - 1)

void map_init(id_map *m, size_t n) {
  assert(n <= ROW_MASK);
  m->cap = 16;
  while (m->cap < n * 2) m->cap *= 2;
  m->slot = pages_calloc(m->cap, sizeof *m->slot);
  if (!m->slot) abort();
}

/* The slot's tag: the hash's top bits, above the row's. */
static uint64_t tag_of(uint64_t h) { return h >> ROW_BITS << ROW_BITS; }

uint64_t map_hash(const char *key) { return XXH3_64bits(key, strlen(key)); }

void map_prefetch(const id_map *m, uint64_t hash) { __builtin_prefetch(&m->slot[hash & (m->cap - 1)], 1); }

long map_put(id_map *m, const char *key, size_t row) { return map_put_hashed(m, key, map_hash(key), row); }

long map_put_hashed(id_map *m, const char *key, uint64_t h, size_t row) {
  assert(row <= ROW_MASK && h == map_hash(key));
  uint64_t tag = tag_of(h);
  for (size_t i = h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
    id_slot *sl = &m->slot[i];
    if (!sl->key) {
      sl->key = key;
      sl->tag_row = tag | row;
      return -1;
    }
    if ((sl->tag_row & ~ROW_MASK) == tag && !strcmp(sl->key, key)) return (long)(sl->tag_row & ROW_MASK);
  }
}

long map_get_n(const id_map *m, const char *key, size_t len) {
  uint64_t h = XXH3_64bits(key, len), tag = tag_of(h);
  for (size_t i = h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
    const id_slot *sl = &m->slot[i];
    if (!sl->key) return -1;
    if ((sl->tag_row & ~ROW_MASK) == tag && !strncmp(sl->key, key, len) && !sl->key[len])
      return (long)(sl->tag_row & ROW_MASK);
  }
}

long map_get(const id_map *m, const char *key) { return map_get_n(m, key, strlen(key)); }

void map_free(id_map *m) {
  pages_free(m->slot);
  m->slot = NULL;
}

bool load_need_column(loader *L, const csv_file *f, const char *name, const char *what) {
  if (csv_file_column(f, name) >= 0) return true;
  load_problem(L, R1103, f->path, 1, NULL, name, "missing column '%s' (%s)", name, what);
  return false;
}

/* Whether NAME is some input's id in L's scheme, or some field's of the
   record table being read: the columns of a table are its own inputs'. */
static bool an_input_id(const loader *L, const char *name) {
  int n = L->table ? L->table->nfields : L->s->ninputs;
  const sc_input *in = L->table ? L->table->fields : L->s->inputs;
  for (int i = 0; i < n; i++)
    if (!in[i].tally && !strcmp(in[i].name, name)) return true;
  return false;
}

long load_input_column(const loader *L, const csv_file *f, const sc_input *in) {
  long c = csv_file_column(f, in->name);
  if (c >= 0) return c;
  const char *other[2] = {in->column, in->title};
  for (int k = 0; k < 2; k++)
    if (other[k] && !an_input_id(L, other[k]) && (c = csv_file_column(f, other[k])) >= 0) return c;
  return -1;
}

bool load_need_input(loader *L, const csv_file *f, const sc_input *in, const char *what) {
  if (load_input_column(L, f, in) >= 0) return true;
  what = in->column ? in->column : in->title ? in->title : what;
  load_problem(L, R1103, f->path, 1, NULL, in->name, "missing column '%s' (%s)", in->name, what);
  return false;
}

rb_fixed *load_column(size_t len) { return column_block((len ? len : 1) * sizeof(rb_fixed)); }

char *load_field_text(const csv_file *f, size_t r, size_t c, bool trim) {
  csv_field *row = malloc(f->ncols * sizeof *row);
  if (!row) abort();
  csv_row(f, r, row);
  char *text = csv_field_text(&row[c]);
  free(row);
  if (!trim) return text;
  char *t = load_trimmed(text);
  free(text);
  return t;
}

rb_fixed load_stand_in(const sc_input *in) {
  bool has_lo, has_hi;
  rb_decimal lo, hi;
  rb_fixed v;
  scheme_input_exact_bounds(in, &has_lo, &lo, &has_hi, &hi);
  if (has_lo && fixed_from_decimal(lo, &v)) return v;
  if (has_hi && fixed_from_decimal(hi, &v) && v < 0) return v;
  return 0;
}
