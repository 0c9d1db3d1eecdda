/* cells.c: one cell to its input's value, and the per-entity columns of a
 * batch: an entity's own cells, or its parent's (loader.h).
 *
 * The own cells are parsed on several threads straight from the file into
 * the batch's columns; a bad one only marks its part. If any part is
 * marked, every cell is read again in the order problems have always been
 * reported (input by input, row by row) and each bad one is reported then.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cell.h"
#include "loader.h"
#include "split.h"

/* The bound B in units of 10^-9 (abi.h): rounded down (FLOOR) or up to a
   whole unit, so that a count of units meets it when its value does; a
   bound past every count stays past them all (INT64_MIN, INT64_MAX). */
static int64_t bound_units(rb_fixed b, bool floor) {
  rb_fixed q = b / ABI_NARROW_UNIT;
  if (b % ABI_NARROW_UNIT && (floor ? b < 0 : b > 0)) q += floor ? -1 : 1; /* '/' truncates toward 0 */
  return q > INT64_MAX ? INT64_MAX : q < INT64_MIN ? INT64_MIN : (int64_t)q;
}

void input_check_init(input_check *ck, const sc_input *in) {
  bool has_lo, has_hi; /* the bounds scheme_input_value applies */
  rb_decimal lo, hi;
  scheme_input_exact_bounds(in, &has_lo, &lo, &has_hi, &hi);
  ck->in = in;
  ck->whole = in->type == IN_COUNT || in->type == IN_RANK;
  ck->no_percent = in->type != IN_FRACTION && in->type != IN_YESNO && in->type != IN_LABEL && in->type != IN_DATE;
  /* a bound past the range of numbers bounds nothing */
  ck->has_lo = has_lo && fixed_from_decimal(lo, &ck->lo);
  ck->has_hi = has_hi && fixed_from_decimal(hi, &ck->hi);
  ck->empty = in->missing != MISS_ERROR ? scheme_empty_value(in) : FIXED_ERROR;
  ck->units = in->type != IN_YESNO && in->type != IN_LABEL && in->type != IN_DATE; /* read by cell_number_n */
  ck->lo_units = ck->has_lo ? bound_units(ck->lo, false) : INT64_MIN;
  ck->hi_units = ck->has_hi ? bound_units(ck->hi, true) : INT64_MAX;
}

/* Whether a number cell is written as a percentage: a '%' ends it (before
   any spaces), the only place the cell grammar takes one (load/cell.c);
   ‰ is no number at all. O(1) for the usual cell. */
static bool is_percent(const char *p, size_t len) {
  while (len && (p[len - 1] == ' ' || p[len - 1] == '\t')) len--;
  return len && p[len - 1] == '%';
}

bool cell_value(const input_check *ck, const char *p, size_t len, rb_fixed *out) {
  const sc_input *in = ck->in;
  bool whole = true;
  rb_fixed v; /* here, not in *OUT: a column's slot is written once, and never read back */
  cell_status st = in->type == IN_YESNO   ? cell_yesno_n(p, len, &v)
                   : in->type == IN_LABEL ? cell_label_n(p, len, in->labels, in->nlabels, &v)
                   : in->type == IN_DATE  ? cell_date_n(p, len, &v)
                                          : cell_number_n(p, len, &v, &whole);
  bool ok;
  if (st == CELL_EMPTY && in->missing != MISS_ERROR) {
    v = ck->empty;
    ok = true;
  } else {
    ok = st == CELL_OK && (!ck->whole || whole) && (!ck->has_lo || v >= ck->lo) && (!ck->has_hi || v <= ck->hi) &&
         !(ck->no_percent && is_percent(p, len));
    if (!ok) v = FIXED_ERROR;
  }
  *out = v;
  return ok;
}

bool cell_put(const input_check *ck, const char *p, size_t len, rb_cells *col, size_t at) {
  int64_t u;
  bool whole = true;
  if (ck->units && cell_number_units(p, len, &u, &whole)) { /* the usual cell: no 128-bit value on the way */
    bool ok = (!ck->whole || whole) && u >= ck->lo_units && u <= ck->hi_units && !(ck->no_percent && is_percent(p, len));
    if (ok) narrow_put_units(col, at, u);
    else narrow_put(col, at, FIXED_ERROR);
    return ok;
  }
  rb_fixed v;
  bool ok = cell_value(ck, p, len, &v);
  narrow_put(col, at, v);
  return ok;
}

bool load_cell(loader *L, const char *path, long line, const char *entity, const sc_input *in, const char *text,
               rb_fixed *out) {
  cell_status st = in->type == IN_YESNO   ? cell_yesno(text, out)
                   : in->type == IN_LABEL ? cell_label(text, in->labels, in->nlabels, out)
                   : in->type == IN_DATE  ? cell_date(text, out)
                                          : cell_number(text, out);
  if (st == CELL_EMPTY) {
    if (in->missing != MISS_ERROR) {
      *out = scheme_empty_value(in);
      return true;
    }
    load_problem(L, R1106, path, line, entity, in->name,
                 "entity '%s', column '%s': missing value (the scheme gives no default for '%s')", entity, in->name,
                 in->name);
    return false;
  }
  if (in->type == IN_DATE && (st == CELL_BAD || st == CELL_RANGE)) {
    load_problem(L, R1104, path, line, entity, in->name, "entity '%s', column '%s': '%s' %s", entity, in->name, text,
                 st == CELL_RANGE ? diag_tr("is no day of the calendar")
                                  : diag_tr("is not a date (write 2024-03-15, 2024/3/15 or 2024年3月15日)"));
    return false;
  }
  if (st == CELL_PRECISION || st == CELL_RANGE) {
    load_problem(L, R1104, path, line, entity, in->name, "entity '%s', column '%s': '%s' %s", entity, in->name, text,
                 st == CELL_PRECISION ? diag_tr("has more than 18 decimals")
                                      : diag_tr("is too large: numbers are under 10^20"));
    return false;
  }
  if (st == CELL_BAD && in->type == IN_LABEL) {
    char list[512];
    size_t k = 0;
    list[0] = 0;
    for (int i = 0; i < in->nlabels && k < sizeof list - 1; i++)
      k += (size_t)snprintf(list + k, sizeof list - k, "%s%s", i ? ", " : "", in->labels[i]);
    load_problem(L, R1104, path, line, entity, in->name, "entity '%s', column '%s': '%s' is not one of its labels (%s)",
                 entity, in->name, text, list);
    return false;
  }
  if (st == CELL_BAD) {
    load_problem(L, R1104, path, line, entity, in->name, "entity '%s', column '%s': '%s' is not %s", entity, in->name,
                 text,
                 in->type == IN_YESNO ? diag_tr("yes/no (1, 0, yes, no, true, false, 是, 否)") : diag_tr("a number"));
    return false;
  }
  if (in->type != IN_FRACTION && in->type != IN_LABEL && in->type != IN_DATE && is_percent(text, strlen(text))) {
    /* 85% where 85 is meant reads as 0.85: only a fraction takes percentages */
    load_problem(L, R1104, path, line, entity, in->name,
                 "entity '%s', column '%s': '%s' is a percentage, but '%s' is of type %s, not fraction (write the "
                 "number, or declare the input a fraction)",
                 entity, in->name, text, in->name, vocab_input_type_name(in->type));
    return false;
  }
  char buf[160];
  const char *why = scheme_input_value(in, *out, buf, sizeof buf);
  if (why) {
    load_problem(L, R1105, path, line, entity, in->name, "entity '%s', column '%s': '%s' %s", entity, in->name, text,
                 why);
    return false;
  }
  return true;
}

bool load_cell_at(loader *L, const csv_file *f, size_t r, size_t c, const char *entity, const sc_input *in,
                  rb_fixed *out) {
  char *text = load_field_text(f, r, c, false);
  bool ok = load_cell(L, f->path, csv_line(f, r), entity, in, text, out);
  if (!ok) *out = FIXED_ERROR; /* whatever the cell's problem: batch.c finds bad cells by it */
  free(text);
  return ok;
}

/* A `from parent` input's value for every parent someone reads: a parent's
   cell is read (and reported) once, however many entities it has. Returns
   a malloc'd array by parent holder - n. */
static rb_fixed *parent_values(loader *L, const holders *H, const sc_input *in) {
  size_t np = H->nh - H->n + 1;
  rb_fixed *val = malloc(np * sizeof *val);
  unsigned char *read = calloc(np, 1);
  if (!val || !read) abort();
  for (size_t r = 0; r < H->n; r++) {
    size_t h = H->parent_holder[r];
    if (h == (size_t)-1 || read[h - H->n]) continue;
    read[h - H->n] = 1;
    val[h - H->n] = FIXED_ERROR;
    const csv_file *pf = H->tab[h];
    load_cell_at(L, pf, H->row[h], (size_t)load_input_column(L, pf, in), H->id[h], in, &val[h - H->n]);
  }
  free(read);
  return val;
}

/* The own cells of the scored rows, parsed in blocks by parts (rb_split_blocks). */
typedef struct own_cells {
  const holders *H;
  const csv_file *f;
  rb_batch *b;
  const input_check *ck; /* per input */
  const long *col;       /* per input: its column in F, or -1 when not an own per-entity input */
  /* parts per kind (`for`): need[i * nlabels + l], the inputs a kind reads
     (scheme_inputs_needed); NULL when the scheme has no own kind column */
  const unsigned char *need;
  int nlabels, kind;     /* the kind input's labels and index */
  bool bad[RB_MAX_PARTS];
} own_cells;

/* Whether the cell P (LEN bytes) is blank: empty, or spaces and tabs. */
static bool blank(const char *p, size_t len) {
  for (size_t k = 0; k < len; k++)
    if (p[k] != ' ' && p[k] != '\t') return false;
  return true;
}

/* Whether row R may leave input I's cell FL empty: I has no `missing` rule,
   but no part of the row's kind reads it (its kind cell read already). */
static bool not_needed(const own_cells *oc, int i, size_t r, const csv_field *fl) {
  if (!oc->need || i == oc->kind || oc->ck[i].in->missing != MISS_ERROR || !blank(fl->p, fl->len)) return false;
  rb_fixed k = narrow_get(oc->b->column[oc->kind], r);
  if (!fixed_is_number(k)) return false; /* a bad kind: every cell is needed (and reported) */
  return !oc->need[(size_t)i * (size_t)oc->nlabels + (size_t)(k / FIXED_ONE)];
}

static void own_rows(void *ctx, int part, size_t from, size_t to) {
  own_cells *oc = ctx;
  const holders *H = oc->H;
  const csv_file *f = oc->f;
  int ninputs = oc->b->ninputs;
  csv_field *row = malloc(f->ncols * sizeof *row);
  if (!row) abort();
  bool bad = false;
  size_t forgot = from;
  for (size_t r = from; r < to; r++) {
    csv_row(f, H->row[r], row);
    if (oc->need) { /* the kind first: which cells the row needs */
      const csv_field *fl = &row[oc->col[oc->kind]];
      bad |= !cell_put(&oc->ck[oc->kind], fl->p, fl->len, oc->b->column[oc->kind], r);
    }
    for (int i = 0; i < ninputs; i++) {
      if (oc->col[i] < 0 || (oc->need && i == oc->kind)) continue;
      const csv_field *fl = &row[oc->col[i]];
      if (not_needed(oc, i, r, fl)) narrow_put(oc->b->column[i], r, FIXED_EMPTY); /* read by no part of its kind */
      else bad |= !cell_put(&oc->ck[i], fl->p, fl->len, oc->b->column[i], r);
    }
    if (csv_worth_forgetting(f, H->row[forgot], H->row[r])) { /* the text read stays in the file, not in memory */
      csv_forget(f, H->row[forgot], H->row[r]);
      forgot = r;
    }
  }
  if (to > from) csv_forget(f, H->row[forgot], H->row[to - 1] + 1); /* the rest of the block's (as periods.c) */
  oc->bad[part] |= bad;
  free(row);
}

void load_entity_columns(loader *L, holders *H, const csv_file *f, rb_batch *b) {
  const sc_scheme *s = L->s;
  size_t n = b->n;
  input_check *ck = calloc((size_t)s->ninputs + 1, sizeof *ck);
  long *col = calloc((size_t)s->ninputs + 1, sizeof *col);
  size_t *len = calloc((size_t)s->ninputs + 1, sizeof *len);
  abi_cell *cell = calloc((size_t)s->ninputs + 1, sizeof *cell);
  if (!ck || !col || !len || !cell) abort();
  for (int i = 0; i < s->ninputs; i++) {
    len[i] = n * (size_t)(s->inputs[i].periodic ? s->nperiods : 1);
    cell[i] = abi_cell_of(s->inputs[i].type);
  }
  /* written whole: own columns by own_rows, parents' below, per-period ones by periods.c */
  b->shared_columns = narrow_columns(s->ninputs, len, cell, b->column);
  free(len);
  free(cell);
  for (int i = 0; i < s->ninputs; i++) {
    const sc_input *in = &s->inputs[i];
    input_check_init(&ck[i], in);
    col[i] = in->periodic || in->from_parent || in->tally ? -1 : load_input_column(L, f, in);
    if (in->tally) /* no table's column: the records pass counts it (records.c may mark a row bad first) */
      narrow_zero(b->column[i], 0, n); /* 0 units: 0 */
  }
  own_cells oc = {.H = H, .f = f, .b = b, .ck = ck, .col = col};
  unsigned char *need = NULL;
  if (s->kind && col[s->kind->index] >= 0) { /* parts per kind: what each kind may leave empty */
    need = malloc((size_t)s->ninputs * (size_t)s->kind->nlabels + 1);
    if (!need) abort();
    scheme_inputs_needed(s, need);
    oc.need = need, oc.nlabels = s->kind->nlabels, oc.kind = s->kind->index;
  }
  /* every row's cells, the ids' work going on meanwhile (it reads none of them) */
  int parts = rb_split_blocks(n, 1024, 16384, own_rows, &oc); /* in turn, as the periods' rows */
  bool bad = false;
  for (int k = 0; k < parts; k++) bad |= oc.bad[k];
  holders_ids_wait(L, H, b); /* the ids' problems, then the parents', before any cell's */
  for (size_t r = 0; r < n; r++)
    if (!H->first[r]) /* no id, or a duplicate one (reported): the row is not read */
      for (int i = 0; i < s->ninputs; i++)
        if (col[i] >= 0) narrow_put(b->column[i], r, FIXED_ERROR);
  /* in the order problems are reported: input by input, then row by row */
  for (int i = 0; i < s->ninputs; i++) {
    const sc_input *in = &s->inputs[i];
    if (in->periodic || in->tally) continue; /* periods.c; the records pass */
    if (in->from_parent) {
      rb_fixed *parent_val = parent_values(L, H, in);
      for (size_t r = 0; r < n; r++)
        narrow_put(b->column[i], r,
                   H->first[r] && H->parent_holder[r] != (size_t)-1 ? parent_val[H->parent_holder[r] - H->n]
                                                                     : FIXED_ERROR); /* reported */
      free(parent_val);
    } else if (bad) {
      for (size_t r = 0; r < n; r++) /* empty without a `missing` rule: a cell its kind does not need */
        if (H->first[r] && !(in->missing == MISS_ERROR && narrow_is_empty(b->column[i], r))) {
          rb_fixed v;
          load_cell_at(L, f, H->row[r], (size_t)col[i], b->id[r], in, &v);
          narrow_put(b->column[i], r, v);
        }
    }
  }
  free(need);
  free(ck);
  free(col);
}
