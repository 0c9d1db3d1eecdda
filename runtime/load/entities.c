/* entities.c: the rows of the entities table (and of a parents table) as
 * holders: who is scored, who is a parent, each one's id, and the peer
 * group of each scored row (loader.h).
 */
#include <stdlib.h>
#include <string.h>

#include "loader.h"

void holders_free(holders *H) {
  map_free(&H->ids);
  if (H->id)
    for (size_t h = H->n; h < H->nh; h++) free(H->id[h]); /* the scored ones belong to the batch */
  free(H->id);
  free(H->tab);
  free(H->row);
  free(H->parent_holder);
  memset(H, 0, sizeof *H);
}

/* Without a parents table, a row some other row names as its parent is a
   parent row: it supplies values and is not scored. Marks them in
   IS_PARENT, keeps each row's trimmed parent in PID, and returns the number
   of rows to score. */
static size_t sort_rows(const sc_scheme *s, const csv_table *t, bool separate_parents, char **pid, bool *is_parent) {
  long cid = csv_column(t, "id"), cparent = csv_column(t, "parent");
  id_map parent_ids;
  map_init(&parent_ids, t->nrows);
  if (s->uses_parent)
    for (size_t r = 0; r < t->nrows; r++) {
      pid[r] = load_trimmed(csv_cell(t, r, (size_t)cparent));
      if (pid[r][0]) map_put(&parent_ids, pid[r], r);
    }
  size_t n = 0;
  for (size_t r = 0; r < t->nrows; r++) {
    char *id = load_trimmed(csv_cell(t, r, (size_t)cid));
    is_parent[r] = s->uses_parent && !separate_parents && id[0] && map_get(&parent_ids, id) >= 0;
    if (!is_parent[r]) n++;
    free(id);
  }
  map_free(&parent_ids);
  return n;
}

/* Each holder's id, checked for presence and uniqueness; the scored ones
   move to the batch with their names, lines and parents. */
static void read_ids(loader *L, const csv_table *t, holders *H, rb_batch *b, char **pid) {
  long cname = csv_column(t, "name");
  for (size_t h = 0; h < H->nh; h++) {
    const csv_table *ht = H->tab[h];
    H->id[h] = load_trimmed(csv_cell(ht, H->row[h], (size_t)csv_column(ht, "id")));
    if (!H->id[h][0]) {
      load_problem(L, R1106, ht->path, ht->line[H->row[h]], NULL, "id", "column 'id': missing value");
    } else {
      long prev = map_put(&H->ids, H->id[h], h);
      if (prev >= 0 && H->tab[prev] == ht)
        load_problem(L, R1107, ht->path, ht->line[H->row[h]], H->id[h], "id", "duplicate id '%s' (first on line %ld)",
                     H->id[h], ht->line[H->row[prev]]);
      else if (prev >= 0)
        load_problem(L, R1107, ht->path, ht->line[H->row[h]], H->id[h], "id",
                     "duplicate id '%s' (first on %s line %ld)", H->id[h], H->tab[prev]->path,
                     H->tab[prev]->line[H->row[prev]]);
    }
    if (h < H->n) {
      b->id[h] = H->id[h];
      b->name[h] = load_strdup(cname >= 0 ? csv_cell(t, H->row[h], (size_t)cname) : "");
      b->line[h] = t->line[H->row[h]];
      if (b->parent) b->parent[h] = load_strdup(pid[H->row[h]]);
    }
  }
}

/* Each scored row's parent holder, and its peer group. */
static void find_parents(loader *L, const csv_table *t, const csv_table *pt, holders *H, rb_batch *b) {
  const sc_scheme *s = L->s;
  bool reads_parent = scheme_reads_parent(s);
  size_t n = H->n;
  H->parent_holder = calloc(n, sizeof *H->parent_holder);
  if (!H->parent_holder) abort();
  id_map groups;
  map_init(&groups, n);
  int64_t ngroups = 0;
  for (size_t r = 0; r < n; r++) {
    H->parent_holder[r] = (size_t)-1;
    if (!b->parent[r][0]) {
      load_problem(L, R1106, t->path, b->line[r], b->id[r], "parent", "column 'parent': missing value (entity '%s')",
                   b->id[r]);
      continue;
    }
    long h = map_get(&H->ids, b->parent[r]);
    if (h >= (long)n) H->parent_holder[r] = (size_t)h;
    else if (reads_parent)
      load_problem(L, R1108, t->path, b->line[r], b->id[r], "parent", "column 'parent': '%s' has no row in %s",
                   b->parent[r], pt ? pt->path : t->path);
    long g = map_put(&groups, b->parent[r], (size_t)ngroups);
    if (g < 0) g = ngroups++;
    b->group[r] = s->peers_by_parent ? g : 0;
  }
  map_free(&groups);
  b->ngroups = s->peers_by_parent ? (ngroups ? ngroups : 1) : 1;
}

/* An entity that is its own parent, or whose parents lead back to it: with
   the parent rows taken from the entities table, such rows would silently
   become parent rows and go unscored. Reports each row on a cycle, at its
   line. PID holds each row's trimmed parent. */
static void find_cycles(loader *L, const csv_table *t, char **pid) {
  size_t n = t->nrows;
  long cid = csv_column(t, "id");
  char **id = calloc(n + 1, sizeof *id);
  size_t *next = calloc(n + 1, sizeof *next); /* each row's parent row, or n */
  unsigned char *color = calloc(n + 1, 1);     /* 0 new, 1 on the walk, 2 done */
  size_t *walk = calloc(n + 1, sizeof *walk);
  if (!id || !next || !color || !walk) abort();
  id_map rows;
  map_init(&rows, n);
  for (size_t r = 0; r < n; r++) {
    id[r] = load_trimmed(csv_cell(t, r, (size_t)cid));
    if (id[r][0]) map_put(&rows, id[r], r);
  }
  for (size_t r = 0; r < n; r++) {
    long p = pid[r][0] ? map_get(&rows, pid[r]) : -1;
    next[r] = p >= 0 ? (size_t)p : n;
  }
  for (size_t r = 0; r < n; r++) {
    size_t len = 0, x = r;
    while (x < n && color[x] == 0) { /* follow parents until a known row */
      color[x] = 1;
      walk[len++] = x;
      x = next[x];
    }
    if (x < n && color[x] == 1) { /* back on this walk: the rows from x on form a cycle */
      size_t from = 0;
      while (walk[from] != x) from++;
      for (size_t k = from; k < len; k++) {
        size_t row = walk[k];
        if (next[row] == row)
          load_problem(L, R1113, t->path, t->line[row], id[row], "parent", "entity '%s' is its own parent", id[row]);
        else
          load_problem(L, R1113, t->path, t->line[row], id[row], "parent",
                       "the parents of entity '%s' lead back to it (its parent '%s' is on line %ld)", id[row],
                       pid[row], t->line[next[row]]);
      }
    }
    for (size_t k = 0; k < len; k++) color[walk[k]] = 2;
  }
  map_free(&rows);
  for (size_t r = 0; r < n; r++) free(id[r]);
  free(id);
  free(next);
  free(color);
  free(walk);
}

bool load_entities(loader *L, const csv_table *t, const csv_table *pt, holders *H, rb_batch *b) {
  const sc_scheme *s = L->s;
  char **pid = calloc(t->nrows + 1, sizeof *pid);
  bool *is_parent = calloc(t->nrows + 1, sizeof *is_parent);
  if (!pid || !is_parent) abort();
  size_t n = sort_rows(s, t, pt != NULL, pid, is_parent);
  if (s->uses_parent && !pt) find_cycles(L, t, pid);
  bool ok = n > 0;
  if (!ok) {
    load_problem(L, R1110, t->path, 0, NULL, NULL, "no entity rows to score: every row is another row's parent");
  } else {
    size_t nparents = pt ? pt->nrows : t->nrows - n;
    H->n = n;
    H->nh = n + nparents;
    map_init(&H->ids, H->nh);
    H->tab = calloc(H->nh + 1, sizeof *H->tab);
    H->row = calloc(H->nh + 1, sizeof *H->row);
    H->id = calloc(H->nh + 1, sizeof *H->id);
    b->n = n;
    b->id = calloc(n, sizeof *b->id);
    b->name = calloc(n, sizeof *b->name);
    b->line = calloc(n, sizeof *b->line);
    b->group = calloc(n, sizeof *b->group);
    b->column = calloc((size_t)(s->ninputs ? s->ninputs : 1), sizeof *b->column);
    if (s->uses_parent) b->parent = calloc(n, sizeof *b->parent);
    if (!H->tab || !H->row || !H->id || !b->id || !b->name || !b->line || !b->group || !b->column ||
        (s->uses_parent && !b->parent))
      abort();
    /* holders: scored rows first, in table order, then parent rows */
    size_t e = 0, ph = n;
    for (size_t r = 0; r < t->nrows; r++) {
      size_t h = is_parent[r] ? ph++ : e++;
      H->tab[h] = t;
      H->row[h] = r;
    }
    for (size_t r = 0; pt && r < pt->nrows; r++) {
      H->tab[ph] = pt;
      H->row[ph++] = r;
    }
    read_ids(L, t, H, b, pid);
    if (s->uses_parent) find_parents(L, t, pt, H, b);
    else b->ngroups = 1;
  }
  for (size_t r = 0; r < t->nrows; r++) free(pid[r]);
  free(pid);
  free(is_parent);
  return ok;
}
