/* periods.c: the periods table: each row's cells joined to its entity or
 * parent, and what a period with no row means (loader.h).
 *
 * The rows are parsed by parts on several threads, each cell straight into
 * its slot of the batch's columns (a parent's into a side column, copied to
 * its entities at the end). A row claims its entity's period atomically, so
 * a second row for it never writes. Any problem only marks the part; then
 * the rows are read again in file order and each problem reported as it
 * always has been.
 */
#include <stdlib.h>
#include <string.h>

#include "cell.h"
#include "loader.h"
#include "pages.h"
#include "split.h"

/* Where the period rows go, shared by the parts. */
typedef struct period_load {
  loader *L;
  const holders *H;
  const csv_file *f;
  rb_batch *b;
  const char *entities_path;
  int m;                 /* periods */
  size_t cid, cper;      /* columns of the id and of the period */
  long *col;             /* per input: its column, or -1 if not a per-period input */
  /* The inputs a row of an entity reads (its own per-period ones), [0],
     and of a parent ([1]: the `from parent` ones), in input order: a row
     visits these few, not every input of the scheme. Owned. */
  int *reads[2], nreads[2];
  input_check *ck;       /* per input */
  rb_fixed **parent_val; /* per `from parent` per-period input: p*(nh-n) + (h-n) */
  long first, last;              /* the first and last period */
  unsigned char *claimed;        /* h*m + p: some row gave holder h's period p */
  bool bad[RB_MAX_PARTS];
} period_load;

/* Input I of holder H in period P is V: an entity's cell of the batch's
   column, a parent's of its side column. */
static void put(const period_load *pl, int i, size_t h, size_t p, rb_fixed v) {
  size_t n = pl->H->n;
  if (h < n) narrow_put(pl->b->column[i], p * n + h, v);
  else pl->parent_val[i][p * (pl->H->nh - n) + (h - n)] = v;
}

/* put of the cell FL, read: false when it is bad. An entity's goes
   straight into its column (cell_put). */
static bool put_cell(const period_load *pl, int i, size_t h, size_t p, const csv_field *fl) {
  size_t n = pl->H->n;
  if (h < n) return cell_put(&pl->ck[i], fl->p, fl->len, pl->b->column[i], p * n + h);
  return cell_value(&pl->ck[i], fl->p, fl->len, &pl->parent_val[i][p * (pl->H->nh - n) + (h - n)]);
}

/* The period of a cell as an index from 0, or -1 if it is not one. */
static long period_index(const period_load *pl, const char *p, size_t len) {
  int64_t u;
  bool whole;
  if (cell_number_units(p, len, &u, &whole)) { /* the usual cell, "7" or "2024": the cells' fast way, on 64 bits */
    int64_t k = u / ABI_NARROW_UNIT;
    return whole && k >= pl->first && k <= pl->last ? (long)(k - pl->first) : -1;
  }
  rb_fixed v, lo = (rb_fixed)pl->first * FIXED_ONE, hi = (rb_fixed)pl->last * FIXED_ONE;
  if (cell_number_n(p, len, &v, &whole) != CELL_OK || !whole || v < lo || v > hi) return -1;
  rb_fixed off = v - lo;
  /* on 64 bits when it fits (any year of months), else on 128 */
  if (off <= (rb_fixed)UINT64_MAX) return (long)((uint64_t)off / (uint64_t)FIXED_ONE);
  return (long)(off / FIXED_ONE);
}

/* Asks for the cache lines that holder H + AHEAD will write, in every
   period of every per-period input. A column holds a period's values of
   all the entities one after another, so the rows of one entity write as
   many places far apart as inputs times periods, more streams than the
   processor follows by itself: without this, each line is a wait on memory. */
enum { AHEAD = 16 }; /* holders: two lines of 8-byte cells ahead, or one of 4-byte */
static void ahead(const period_load *pl, size_t h) {
  size_t n = pl->H->n;
  if (h + AHEAD >= n) return;
  for (int k = 0; k < pl->nreads[0]; k++) {
    const rb_cells *col = pl->b->column[pl->reads[0][k]];
    for (int p = 0; p < pl->m; p++) __builtin_prefetch(narrow_at(col, (size_t)p * n + h + AHEAD), 1);
  }
}

/* The holder after H (the holder of the rows before, -1 for none) when its
   id is the LEN bytes at ID and it is the first with that id, as the map
   would answer; else -1. A periods table usually lists its entities in the
   entities table's order: then most entities are found without the map,
   whose probe and key are two misses each (Chengwu's 1,000,000 counties:
   4% of the load's samples). */
static long next_holder(const holders *H, long h, const char *id, size_t len) {
  size_t next = (size_t)(h + 1);
  if (next >= H->nh || !H->first[next]) return -1;
  const char *known = H->id[next];
  return !strncmp(known, id, len) && !known[len] ? (long)next : -1;
}

/* One block of the fast pass, for part PART: rows FROM to TO-1, nothing
   reported. */
static void period_rows(void *ctx, int part, size_t from, size_t to) {
  period_load *pl = ctx;
  const csv_file *f = pl->f;
  csv_field *row = malloc(f->ncols * sizeof *row);
  if (!row) abort();
  bool bad = false;
  size_t forgot = from;
  long last = -1;
  /* an entity's rows usually follow one another: the id of the row before,
     and its holder, spare a lookup (the text stays: csv_forget only lets
     its pages go, and reading them brings them back) */
  const char *same_id = NULL;
  size_t same_len = 0;
  long same_h = -1;
  for (size_t r = from; r < to; r++) {
    if (csv_worth_forgetting(f, forgot, r)) { /* the text read stays in the file, not in memory */
      csv_forget(f, forgot, r);
      forgot = r;
    }
    csv_row(f, r, row);
    const csv_field *idf = &row[pl->cid];
    const char *b = idf->p, *e = idf->p + idf->len;
    while (b < e && (*b == ' ' || *b == '\t')) b++;
    while (e > b && (e[-1] == ' ' || e[-1] == '\t')) e--;
    long h;
    if (idf->escaped) h = -1; /* an id with quotes: the slow pass */
    else if (same_id && (size_t)(e - b) == same_len && !memcmp(b, same_id, same_len)) h = same_h; /* the row before's */
    else {
      h = next_holder(pl->H, same_h, b, (size_t)(e - b));
      if (h < 0) h = map_get_n(&pl->H->ids, b, (size_t)(e - b));
      same_id = b, same_len = (size_t)(e - b), same_h = h;
    }
    long p = h < 0 ? -1 : period_index(pl, row[pl->cper].p, row[pl->cper].len);
    if (p < 0 || __atomic_exchange_n(&pl->claimed[(size_t)h * (size_t)pl->m + (size_t)p], 1, __ATOMIC_RELAXED)) {
      bad = true; /* an unknown id, a bad period or a second row for it */
      continue;
    }
    if (h != last) { /* a new holder: its period rows usually follow one another */
      last = h;
      ahead(pl, (size_t)h);
    }
    int who = (size_t)h >= pl->H->n; /* a parent's row */
    for (int k = 0; k < pl->nreads[who]; k++) {
      int i = pl->reads[who][k];
      bad |= !put_cell(pl, i, (size_t)h, (size_t)p, &row[pl->col[i]]);
    }
  }
  /* and the rest of the block's text: a block is smaller than the 4 MB
     worth forgetting on the way, and the blocks of a million counties'
     periods (436 MB) all stayed resident (peak 951 MB against 661) */
  csv_forget(f, forgot, to);
  pl->bad[part] |= bad;
  free(row);
}

/* One period row, reported: which holder, which period, and its per-period
   cells. SEEN[h*m + p] is the line that gave holder h's period p, 0 if none
   yet. */
static void period_row_reported(period_load *pl, size_t r, long *seen) {
  loader *L = pl->L;
  const sc_scheme *s = L->s;
  const csv_file *f = pl->f;
  char *id = load_field_text(f, r, pl->cid, true);
  long line = csv_line(f, r);
  long h = map_get(&pl->H->ids, id);
  if (h < 0) {
    load_problem(L, R1108, f->path, line, id, "id", "id '%s' has no row in %s", id, pl->entities_path);
    free(id);
    return;
  }
  char *ptext = load_field_text(f, r, pl->cper, false);
  rb_fixed pf;
  bool whole = cell_number(ptext, &pf) == CELL_OK && pf % FIXED_ONE == 0;
  long long pv = whole ? (long long)(pf / FIXED_ONE) : 0;
  if (!whole || pv < s->period_first || pv > s->period_last) {
    load_problem(L, R1104, f->path, line, id, s->period, "column '%s': '%s' is not a %s from %d to %d", s->period,
                 ptext, s->period, s->period_first, s->period_last);
    free(ptext);
    free(id);
    return;
  }
  free(ptext);
  size_t p = (size_t)(pv - s->period_first);
  long *seen_at = &seen[(size_t)h * (size_t)pl->m + p];
  if (*seen_at) {
    load_problem(L, R1109, f->path, line, id, s->period,
                 "entity '%s' has a second row for %s %d (the first is on line %ld)", id, s->period, (int)pv, *seen_at);
    free(id);
    return;
  }
  *seen_at = line;
  pl->claimed[(size_t)h * (size_t)pl->m + p] = 1; /* a row the fast pass left to this one (a quoted id) */
  int who = (size_t)h >= pl->H->n;
  for (int k = 0; k < pl->nreads[who]; k++) {
    int i = pl->reads[who][k];
    rb_fixed v;
    load_cell_at(L, f, r, (size_t)pl->col[i], id, &s->inputs[i], &v);
    put(pl, i, (size_t)h, p, v);
  }
  free(id);
}

/* A period with no row: each per-period input's `missing` rule decides. */
static void absent_periods(period_load *pl) {
  loader *L = pl->L;
  const sc_scheme *s = L->s;
  const holders *H = pl->H;
  int m = pl->m;
  bool per_parent = false;
  for (int i = 0; i < s->ninputs; i++) per_parent |= s->inputs[i].periodic && s->inputs[i].from_parent;
  unsigned char *needed = NULL; /* parent holders whose period rows are read */
  if (per_parent && H->parent_holder) {
    needed = calloc(H->nh - H->n + 1, 1);
    if (!needed) abort();
    for (size_t r = 0; r < H->n; r++)
      if (H->parent_holder[r] != (size_t)-1) needed[H->parent_holder[r] - H->n] = 1;
  }
  for (size_t h = 0; h < H->nh; h++) {
    bool parent = h >= H->n;
    bool unread = (!parent && !H->first[h])                 /* a duplicate id, reported already */
                  || (parent && !(needed && needed[h - H->n])); /* only parents someone reads per period need rows */
    int missing = 0, first = -1;
    for (int p = 0; p < m; p++) {
      if (!unread && pl->claimed[h * (size_t)m + (size_t)p]) continue;
      bool fails = false;
      for (int i = 0; i < s->ninputs; i++) {
        const sc_input *in = &s->inputs[i];
        if (!in->periodic || in->from_parent != parent) continue;
        if (unread) put(pl, i, h, (size_t)p, FIXED_ERROR); /* never read: never scored */
        else if (in->missing == MISS_ERROR) fails = true, put(pl, i, h, (size_t)p, FIXED_ERROR);
        else put(pl, i, h, (size_t)p, pl->ck[i].empty);
      }
      if (fails) {
        if (first < 0) first = p;
        missing++;
      }
    }
    if (missing) {
      const char *id = H->id[h];
      const char *more = missing > 1 ? diag_tr(" and other periods") : "";
      if (parent)
        load_problem(L, R1109, pl->f->path, 0, id, NULL, "parent '%s' (%s line %ld) has no row for %s %d%s", id,
                     H->tab[h]->path, csv_line(H->tab[h], H->row[h]), s->period, first + s->period_first, more);
      else
        load_problem(L, R1109, pl->f->path, 0, id, NULL, "entity '%s' (%s line %ld) has no row for %s %d%s", id,
                     H->tab[h]->path, csv_line(H->tab[h], H->row[h]), s->period, first + s->period_first, more);
    }
  }
  free(needed);
}

/* Every per-period value of B an error, when the table cannot be read
   (reported): the load fails, and no column is left unwritten. */
static void spoil_periodic(const sc_scheme *s, rb_batch *b) {
  for (int i = 0; i < s->ninputs; i++)
    if (s->inputs[i].periodic)
      for (size_t k = 0; k < b->n * (size_t)s->nperiods; k++) narrow_put(b->column[i], k, FIXED_ERROR);
}

void load_periods(loader *L, const holders *H, csv_file *f, const char *path, const char *err, csv_fault fault,
                  rb_batch *b) {
  const sc_scheme *s = L->s;
  if (!f) {
    load_csv_error(L, path, err, fault);
    spoil_periodic(s, b);
    return;
  }
  bool ok = load_need_column(L, f, "id", diag_tr("the entity each row belongs to"));
  ok &= load_need_column(L, f, s->period, diag_tr("which period the row is for"));
  for (int i = 0; i < s->ninputs; i++)
    if (s->inputs[i].periodic)
      ok &= load_need_input(L, f, &s->inputs[i], diag_tr("a per-period input"));
  if (!ok) {
    spoil_periodic(s, b);
    return;
  }

  int m = s->nperiods;
  size_t np = H->nh - H->n;
  period_load pl = {.L = L, .H = H, .f = f, .b = b, .entities_path = b->entities_path, .m = m};
  pl.cid = (size_t)csv_file_column(f, "id");
  pl.cper = (size_t)csv_file_column(f, s->period);
  pl.first = s->period_first, pl.last = s->period_last;
  pl.col = calloc((size_t)s->ninputs + 1, sizeof *pl.col);
  pl.ck = calloc((size_t)s->ninputs + 1, sizeof *pl.ck);
  pl.parent_val = calloc((size_t)s->ninputs + 1, sizeof *pl.parent_val);
  pl.claimed = pages_calloc(H->nh * (size_t)m + 1, 1);
  if (!pl.col || !pl.ck || !pl.parent_val || !pl.claimed) abort();
  for (int w = 0; w < 2; w++) {
    pl.reads[w] = calloc((size_t)s->ninputs + 1, sizeof *pl.reads[w]);
    if (!pl.reads[w]) abort();
  }
  for (int i = 0; i < s->ninputs; i++) {
    const sc_input *in = &s->inputs[i];
    pl.col[i] = in->periodic ? load_input_column(L, f, in) : -1;
    if (pl.col[i] >= 0) pl.reads[in->from_parent][pl.nreads[in->from_parent]++] = i;
    input_check_init(&pl.ck[i], in);
    if (!in->periodic || !in->from_parent) continue;
    pl.parent_val[i] = malloc((np * (size_t)m + 1) * sizeof(rb_fixed));
    if (!pl.parent_val[i]) abort();
    for (size_t k = 0; k < np * (size_t)m; k++) pl.parent_val[i][k] = FIXED_ERROR;
  }

  /* blocks taken in turn: in halves, one core's part ran 20% longer than
     the other's (fresh pages, a busier core) while the other waited */
  int parts = rb_split_blocks(f->nrows, 4096, 65536, period_rows, &pl);
  bool bad = false;
  for (int k = 0; k < parts; k++) bad |= pl.bad[k];
  if (bad) { /* read again, in file order, reporting */
    long *seen = pages_calloc(H->nh * (size_t)m + 1, sizeof *seen);
    if (!seen) abort();
    for (size_t r = 0; r < f->nrows; r++) period_row_reported(&pl, r, seen);
    pages_free(seen);
  }
  absent_periods(&pl);

  /* each entity's `from parent` per-period values: its parent's */
  for (int i = 0; i < s->ninputs; i++) {
    if (!pl.parent_val[i]) continue;
    for (size_t r = 0; r < b->n; r++) {
      size_t h = H->parent_holder ? H->parent_holder[r] : (size_t)-1;
      for (int p = 0; p < m; p++)
        narrow_put(b->column[i], (size_t)p * b->n + r,
                   h == (size_t)-1 ? FIXED_ERROR : pl.parent_val[i][(size_t)p * np + (h - H->n)]); /* none: reported */
    }
    free(pl.parent_val[i]);
  }
  free(pl.parent_val);
  free(pl.col);
  free(pl.reads[0]);
  free(pl.reads[1]);
  free(pl.ck);
  pages_free(pl.claimed);
}
