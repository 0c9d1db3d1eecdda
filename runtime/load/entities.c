/* entities.c: the rows of the entities table (and of a parents table) as
 * holders: who is scored, who is a parent, each one's id, and the peer
 * group of each scored row (loader.h).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"
#include "pages.h"
#include "split.h"
#include "texts.h"

/* Where read_rows puts each row's strings. */
typedef struct row_strings {
  const csv_file *f;
  long cid, cparent, cname; /* -1: not wanted */
  size_t upto;              /* fields split per row: up to the last one wanted */
  char **rid, **pid, **name;
  texts part[RB_MAX_PARTS]; /* each part's strings */
} row_strings;

/* The text of field FL, quotes decoded, in T; trimmed when TRIM. */
static char *field_string(texts *t, const csv_field *fl, bool trim) {
  char *s = texts_room(t, fl->len);
  csv_field_copy(fl, s);
  return trim ? load_trim(s) : s;
}

static void row_strings_part(void *ctx, int part, size_t from, size_t to) {
  row_strings *rs = ctx;
  texts *t = &rs->part[part];
  csv_field *row = malloc((rs->upto + 1) * sizeof *row);
  if (!row) abort();
  for (size_t r = from; r < to; r++) {
    csv_row_first(rs->f, r, rs->upto, row);
    rs->rid[r] = field_string(t, &row[rs->cid], true);
    if (rs->cparent >= 0) rs->pid[r] = field_string(t, &row[rs->cparent], true);
    if (rs->name) rs->name[r] = rs->cname >= 0 ? field_string(t, &row[rs->cname], false) : texts_room(t, 0);
  }
  free(row);
}

/* The id (trimmed), the parent (trimmed, when the scheme uses parents)
   and the name of each row of F, into RID, PID and NAME (NULL: not wanted),
   by parts on threads: each row only writes its own slots, each part its
   own texts. The strings end in INTO. */
static void read_rows(const csv_file *f, bool parents, char **rid, char **pid, char **name, texts *into) {
  row_strings rs = {f, csv_file_column(f, "id"), parents ? csv_file_column(f, "parent") : -1,
                    name ? csv_file_column(f, "name") : -1, 0, rid, pid, name, {{0}}};
  long last = rs.cid > rs.cparent ? rs.cid : rs.cparent;
  if (rs.cname > last) last = rs.cname;
  rs.upto = (size_t)last + 1;
  int parts = rb_split(f->nrows, 4096, row_strings_part, &rs);
  for (int k = 0; k < parts; k++) texts_take(into, &rs.part[k]);
}

/* Without a parents table, a row some other row names as its parent is a
   parent row: it supplies values and is not scored. Marks them in
   IS_PARENT and returns the number of rows to score. RID and PID hold each
   row's trimmed id and parent. */
static size_t sort_rows(const sc_scheme *s, size_t nrows, bool separate_parents, char **rid, char **pid,
                        bool *is_parent) {
  id_map parent_ids;
  map_init(&parent_ids, nrows);
  if (s->uses_parent)
    for (size_t r = 0; r < nrows; r++)
      if (pid[r][0]) map_put(&parent_ids, pid[r], r);
  size_t n = 0;
  for (size_t r = 0; r < nrows; r++) {
    is_parent[r] = s->uses_parent && !separate_parents && rid[r][0] && map_get(&parent_ids, rid[r]) >= 0;
    if (!is_parent[r]) n++;
  }
  map_free(&parent_ids);
  return n;
}

/* The ids' work of load_entities, on a thread of its own while the
   entities' cells are read (cells.c): building the id map is a random walk
   over memory that one core did alone while the other stood idle (0.4 s of
   a 2.7 s load for a million rows). It reads the holders' rows and the
   strings of read_rows, which it keeps until holders_ids_wait, and writes
   nothing the cells' parts read. */
typedef struct ids_job {
  const csv_file *t, *pt;
  holders *H;
  rb_batch *b;
  char **rid, **prid, **pid, **name; /* pages_calloc'd: freed with the job (the strings are the batch's) */
  bool odd;                          /* some holder has no id, or one an earlier holder has */
  bool started;                      /* on its thread (else done already) */
  pthread_t tid;
} ids_job;

/* From this many holders on, the ids' work is worth a thread. */
enum { IDS_THREAD_FROM = 16384 };

/* Each holder's id (taken from RID, or PRID for the parents table) into the
   id map, the first holder of each id marked; the scored ones move to the
   batch with their names, lines and parents. Nothing is reported here:
   report_ids does, in holder order, once this has ended. */
static void *read_ids(void *arg) {
  ids_job *j = arg;
  holders *H = j->H;
  rb_batch *b = j->b;
  bool odd = false;
  /* each id hashed AHEAD holders before it is put, its slot fetched meanwhile */
  enum { AHEAD = 16 };
  uint64_t hash[AHEAD];
  for (size_t h = 0; h < H->nh + AHEAD; h++) {
    if (h >= AHEAD) {
      size_t k = h - AHEAD;
      if (H->id[k][0]) H->first[k] = map_put_hashed(&H->ids, H->id[k], hash[k % AHEAD], k) < 0;
      odd |= !H->first[k];
    }
    if (h < H->nh) {
      H->id[h] = (H->tab[h] == j->t ? j->rid : j->prid)[H->row[h]];
      hash[h % AHEAD] = map_hash(H->id[h]);
      map_prefetch(&H->ids, hash[h % AHEAD]);
    }
  }
  for (size_t h = 0; h < H->n; h++) {
    b->id[h] = H->id[h];
    b->name[h] = j->name[H->row[h]];
    b->line[h] = csv_line(H->tab[h], H->row[h]);
    if (b->parent) b->parent[h] = j->pid[H->row[h]];
  }
  j->odd = odd;
  return NULL;
}

/* Every holder with no id, or with the id of an earlier one, at its line. */
static void report_ids(loader *L, const ids_job *j) {
  const holders *H = j->H;
  for (size_t h = 0; j->odd && h < H->nh; h++) {
    if (H->first[h]) continue;
    const csv_file *hf = H->tab[h];
    long line = csv_line(hf, H->row[h]);
    if (!H->id[h][0]) {
      load_problem(L, R1106, hf->path, line, NULL, "id", "column 'id': missing value");
      continue;
    }
    long prev = map_get(&H->ids, H->id[h]); /* the map keeps the first holder of an id */
    if (H->tab[prev] == hf)
      load_problem(L, R1107, hf->path, line, H->id[h], "id", "duplicate id '%s' (first on line %ld)", H->id[h],
                   csv_line(hf, H->row[prev]));
    else
      load_problem(L, R1107, hf->path, line, H->id[h], "id", "duplicate id '%s' (first on %s line %ld)", H->id[h],
                   H->tab[prev]->path, csv_line(H->tab[prev], H->row[prev]));
  }
}

/* Ends J (waits for its thread), frees it and what it kept. */
static void ids_end(ids_job *j) {
  if (j->started) pthread_join(j->tid, NULL);
  pages_free(j->rid);
  pages_free(j->pid);
  pages_free(j->name);
  pages_free(j->prid);
  free(j);
}

void holders_free(holders *H) {
  if (H->ids_job) ids_end(H->ids_job); /* a load that stopped before holders_ids_wait */
  map_free(&H->ids);
  pages_free(H->id); /* the strings are the batch's texts */
  pages_free(H->tab);
  pages_free(H->row);
  pages_free(H->first);
  pages_free(H->parent_holder);
  memset(H, 0, sizeof *H);
}

/* Each scored row's parent holder, and its peer group. */
static void find_parents(loader *L, const csv_file *t, const csv_file *pt, holders *H, rb_batch *b) {
  const sc_scheme *s = L->s;
  bool reads_parent = scheme_reads_parent(s);
  size_t n = H->n;
  H->parent_holder = pages_calloc(n, sizeof *H->parent_holder);
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
   line. RID and PID hold each row's trimmed id and parent. */
static void find_cycles(loader *L, const csv_file *t, char **rid, char **pid) {
  size_t n = t->nrows;
  size_t *next = pages_calloc(n + 1, sizeof *next); /* each row's parent row, or n */
  unsigned char *color = pages_calloc(n + 1, 1);     /* 0 new, 1 on the walk, 2 done */
  size_t *walk = pages_calloc(n + 1, sizeof *walk);
  if (!next || !color || !walk) abort();
  id_map rows;
  map_init(&rows, n);
  for (size_t r = 0; r < n; r++)
    if (rid[r][0]) map_put(&rows, rid[r], r);
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
          load_problem(L, R1113, t->path, csv_line(t, row), rid[row], "parent", "entity '%s' is its own parent", rid[row]);
        else
          load_problem(L, R1113, t->path, csv_line(t, row), rid[row], "parent",
                       "the parents of entity '%s' lead back to it (its parent '%s' is on line %ld)", rid[row],
                       pid[row], csv_line(t, next[row]));
      }
    }
    for (size_t k = 0; k < len; k++) color[walk[k]] = 2;
  }
  map_free(&rows);
  pages_free(next);
  pages_free(color);
  pages_free(walk);
}

bool load_entities(loader *L, const csv_file *t, const csv_file *pt, holders *H, rb_batch *b) {
  const sc_scheme *s = L->s;
  char **rid = pages_calloc(t->nrows + 1, sizeof *rid), **pid = pages_calloc(t->nrows + 1, sizeof *pid);
  char **name = pages_calloc(t->nrows + 1, sizeof *name);
  char **prid = pt ? pages_calloc(pt->nrows + 1, sizeof *prid) : NULL;
  bool *is_parent = pages_calloc(t->nrows + 1, sizeof *is_parent);
  if (!rid || !pid || !name || (pt && !prid) || !is_parent) abort();
  read_rows(t, s->uses_parent, rid, pid, name, &b->texts);
  if (pt) read_rows(pt, false, prid, NULL, NULL, &b->texts);
  size_t n = sort_rows(s, t->nrows, pt != NULL, rid, pid, is_parent);
  if (s->uses_parent && !pt) find_cycles(L, t, rid, pid);
  /* the ids' work keeps the strings of read_rows, and frees them when it ends */
  ids_job *j = malloc(sizeof *j);
  if (!j) abort();
  *j = (ids_job){.t = t, .pt = pt, .H = H, .b = b, .rid = rid, .prid = prid, .pid = pid, .name = name};
  if (n == 0) {
    load_problem(L, R1110, t->path, 0, NULL, NULL, "no entity rows to score: every row is another row's parent");
    ids_end(j);
    pages_free(is_parent);
    return false;
  }
  size_t nparents = pt ? pt->nrows : t->nrows - n;
  H->n = n;
  H->nh = n + nparents;
  map_init(&H->ids, H->nh);
  H->tab = pages_calloc(H->nh + 1, sizeof *H->tab);
  H->row = pages_calloc(H->nh + 1, sizeof *H->row);
  H->id = pages_calloc(H->nh + 1, sizeof *H->id);
  H->first = pages_calloc(H->nh + 1, sizeof *H->first);
  b->n = n;
  b->id = pages_calloc(n, sizeof *b->id);
  b->name = pages_calloc(n, sizeof *b->name);
  b->line = pages_calloc(n, sizeof *b->line);
  b->group = pages_calloc(n, sizeof *b->group);
  b->column = calloc((size_t)s->ninputs + 1, sizeof *b->column);
  if (s->uses_parent) b->parent = pages_calloc(n, sizeof *b->parent);
  if (!H->tab || !H->row || !H->id || !H->first || !b->id || !b->name || !b->line || !b->group || !b->column ||
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
  pages_free(is_parent);
  /* the ids on a thread of their own when there are many (read_ids);
     holders_ids_wait reports them, then the parents */
  H->ids_job = j;
  if (H->nh >= IDS_THREAD_FROM) j->started = pthread_create(&j->tid, NULL, read_ids, j) == 0;
  if (!j->started) read_ids(j);
  return true;
}

void holders_ids_wait(loader *L, holders *H, rb_batch *b) {
  ids_job *j = H->ids_job;
  if (!j) return;
  if (j->started) pthread_join(j->tid, NULL);
  j->started = false;
  report_ids(L, j);
  if (L->s->uses_parent) find_parents(L, j->t, j->pt, H, b);
  else b->ngroups = 1;
  ids_end(j);
  H->ids_job = NULL;
}
