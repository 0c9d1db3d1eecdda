/* scores_xlsx.c: a scored batch as an Excel workbook; see scores.h.
 *
 * libxlsxwriter (Debian libxlsxwriter-dev) writes the workbook: a
 * maintained writer of the format Excel and WPS open, rather than zip and
 * XML by hand. It writes to a file name, so the workbook goes to a
 * temporary file first and is copied into the output stream, which stays
 * all-or-nothing (file.h). Rows are written in order in constant-memory
 * mode: a million-row sheet costs no more memory than a row. The library
 * is opened when the first workbook is written, not at every start
 * (lazy_lib.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "diag.h"
#include "lazy_lib.h"
#include "scores.h"

/* The functions of libxlsxwriter called here, through pointers typed by its
   header, filled when the first workbook is written (lazy_lib.h). */
#define XLSXWRITER_FUNCTIONS(X)                                                                                 \
  X(workbook_new_opt) X(workbook_add_worksheet) X(workbook_add_format) X(workbook_set_properties)             \
  X(workbook_close) X(worksheet_write_blank) X(worksheet_write_string) X(worksheet_write_number)              \
  X(worksheet_freeze_panes) X(worksheet_set_column) X(worksheet_autofilter) X(format_set_bold)                \
  X(format_set_text_wrap) X(format_set_align) X(format_set_bottom) X(format_set_num_format) X(lxw_strerror)
static struct {
  XLSXWRITER_FUNCTIONS(LAZY_POINTER)
} xw;
static const char *const xw_names[] = {XLSXWRITER_FUNCTIONS(LAZY_NAME) NULL};
static lazy_lib xlsxwriter = {RUBRIC_XLSXWRITER_SONAME, xw_names, &xw, sizeof xw, 0, ""};

/* Excel's limits: rows in a sheet, characters in a cell. */
enum { XLSX_MAX_ROWS = 1048576, XLSX_MAX_CELL = 32767 };

typedef struct sheet_ctx {
  lxw_workbook *wb;
  lxw_format *head;
  lxw_format *number[FIXED_DECIMALS + 1]; /* shown with 0..18 decimals */
  lxw_error failed;                        /* the first error, or LXW_NO_ERROR */
  bool too_long;                           /* a sheet would pass Excel's rows */
} sheet_ctx;

static void note(sheet_ctx *x, lxw_error e) {
  if (e != LXW_NO_ERROR && x->failed == LXW_NO_ERROR) x->failed = e;
}

/* TEXT (may be NULL: a blank cell), cut at a character boundary to what a
   cell holds. */
static void put_text(sheet_ctx *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *text, lxw_format *f) {
  if (!text || !*text) {
    note(x, xw.worksheet_write_blank(ws, row, col, f));
    return;
  }
  size_t n = strlen(text);
  if (n <= XLSX_MAX_CELL) {
    note(x, xw.worksheet_write_string(ws, row, col, text, f));
    return;
  }
  char *cut = strndup(text, XLSX_MAX_CELL); /* bytes, so at most that many characters */
  if (!cut) abort();
  size_t k = XLSX_MAX_CELL;
  while (k > 0 && ((unsigned char)cut[k - 1] & 0xC0) == 0x80) k--; /* not inside a character */
  if (k > 0 && (unsigned char)cut[k - 1] >= 0xC0) k--;
  cut[k] = '\0';
  note(x, xw.worksheet_write_string(ws, row, col, cut, f));
  free(cut);
}

/* V as a number cell, rounded to DECIMALS when >= 0 (as the CSV has it),
   shown with SHOWN decimals; what is not a number is a blank cell. */
static void put_number(sheet_ctx *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, rb_fixed v, int decimals,
                       int shown) {
  if (!fixed_is_number(v)) {
    note(x, xw.worksheet_write_blank(ws, row, col, NULL));
    return;
  }
  char buf[64];
  fixed_format(v, decimals, buf, sizeof buf);
  /* the double nearest the decimal written in the CSV (Excel keeps 15 digits) */
  note(x, xw.worksheet_write_number(ws, row, col, strtod(buf, NULL), x->number[shown]));
}

/* How many decimals V's text has (its exact decimal, or rounded). */
static int decimals_of(rb_fixed v, int decimals) {
  char buf[64];
  fixed_format(v, decimals, buf, sizeof buf);
  const char *dot = strchr(buf, '.');
  return dot ? (int)strlen(dot + 1) : 0;
}

/* The decimals a column of numbers is shown with: --decimals, else the
   scheme's `round`, else the most any of its values has. The column is
   COL, or else an input's CELLS (narrow.h). */
static int shown_decimals(const rb_fixed *col, const rb_cells *cells, size_t n, int decimals, int scheme_round) {
  if (decimals >= 0) return decimals;
  if (scheme_round >= 0) return scheme_round;
  int most = 0;
  for (size_t r = 0; r < n && most < FIXED_DECIMALS; r++) {
    rb_fixed v = col ? col[r] : narrow_get(cells, r);
    if (fixed_is_number(v)) {
      int d = decimals_of(v, -1);
      if (d > most) most = d;
    }
  }
  return most;
}

/* A new sheet called NAME (translated), or NULL after noting the failure. */
static lxw_worksheet *new_sheet(sheet_ctx *x, const char *name) {
  lxw_worksheet *ws = xw.workbook_add_worksheet(x->wb, diag_tr(name));
  if (!ws) note(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
  return ws;
}

/* The decimals a single number V is shown with: --decimals, else its own. */
static int own_decimals(const write_opts *o, rb_fixed v) { return o->decimals >= 0 ? o->decimals : decimals_of(v, -1); }

/* The workbook's creation date: SOURCE_DATE_EPOCH's (seconds since 1970,
   the convention of reproducible builds) when it is set and whole, else
   2000-01-01 00:00:00 UTC. */
static time_t workbook_created(void) {
  const char *e = getenv("SOURCE_DATE_EPOCH");
  if (e && *e) {
    char *end;
    errno = 0;
    long long t = strtoll(e, &end, 10);
    if (!*end && !errno && t > 0) return (time_t)t;
  }
  return (time_t)946684800;
}

static void make_formats(sheet_ctx *x) {
  x->head = xw.workbook_add_format(x->wb);
  xw.format_set_bold(x->head);
  xw.format_set_text_wrap(x->head);
  xw.format_set_align(x->head, LXW_ALIGN_VERTICAL_TOP);
  xw.format_set_bottom(x->head, LXW_BORDER_THIN);
  for (int d = 0; d <= FIXED_DECIMALS; d++) {
    char f[32] = "0";
    if (d) {
      f[1] = '.';
      memset(f + 2, '0', (size_t)d);
      f[2 + d] = '\0';
    }
    x->number[d] = xw.workbook_add_format(x->wb);
    xw.format_set_num_format(x->number[d], f);
  }
}

/* The scores sheet: the CSV's columns, headed by titles. */
static void scores_sheet(sheet_ctx *x, const rb_scores *sc, const sc_scheme *s, const rb_batch *b, const write_opts *o) {
  lxw_worksheet *ws = new_sheet(x, N_("scores"));
  if (!ws) return;
  const rb_fixed *total = sc->column[abi_out_total(s)];
  lxw_col_t c = 0;
  put_text(x, ws, 0, c++, diag_tr("id"), x->head);
  put_text(x, ws, 0, c++, diag_tr("name"), x->head);
  if (b->parent) put_text(x, ws, 0, c++, diag_tr("parent"), x->head);
  put_text(x, ws, 0, c++, diag_tr("total"), x->head);
  put_text(x, ws, 0, c++, diag_tr("rank"), x->head);
  for (int i = 0; i < s->ngrades; i++) {
    const sc_grade *g = &s->grades[i];
    const char *head = g->title && g->title[0] ? g->title : g->id;
    put_text(x, ws, 0, c++, head, x->head);
    if (g->has_treatment) { /* "等级 (treatment)", as the CSV's header */
      char both[1024];
      if (head == g->id) snprintf(both, sizeof both, "%s_treatment", head);
      else snprintf(both, sizeof both, "%s (%s)", head, diag_tr("treatment"));
      put_text(x, ws, 0, c++, both, x->head);
    }
  }
  for (int k = 0; k < s->nparts; k++) {
    char *head = write_part_head(s, k, true);
    put_text(x, ws, 0, c++, head, x->head);
    free(head);
  }
  for (int i = 0; i < s->ninputs; i++)
    if (s->inputs[i].type == IN_ASSESSED)
      put_text(x, ws, 0, c++, s->inputs[i].title && s->inputs[i].title[0] ? s->inputs[i].title : s->inputs[i].name,
               x->head);
  if (sc->reason) {
    put_text(x, ws, 0, c++, diag_tr("status"), x->head);
    put_text(x, ws, 0, c++, diag_tr("reason"), x->head);
  }
  lxw_col_t ncols = c;
  int *shown = malloc(((size_t)s->nparts + (size_t)s->ninputs + 1) * sizeof *shown);
  if (!shown) abort();
  shown[0] = shown_decimals(total, NULL, sc->n, o->decimals, s->round_total);
  for (int k = 0; k < s->nparts; k++)
    shown[1 + k] = shown_decimals(sc->column[k], NULL, sc->n, o->decimals,
                                  s->parts[k]->kind == PART_CATEGORY ? -1 : s->round_parts);
  for (int i = 0; i < s->ninputs; i++)
    shown[1 + s->nparts + i] =
        s->inputs[i].type == IN_ASSESSED ? shown_decimals(NULL, b->column[i], sc->n, o->decimals, -1) : 0;
  for (size_t row = 0; row < sc->n; row++) {
    size_t r = o->order ? o->order[row] : row;
    lxw_row_t at = (lxw_row_t)row + 1;
    c = 0;
    put_text(x, ws, at, c++, b->id[r], NULL);
    put_text(x, ws, at, c++, b->name[r], NULL);
    if (b->parent) put_text(x, ws, at, c++, b->parent[r], NULL);
    put_number(x, ws, at, c++, total[r], o->decimals, shown[0]);
    if (fixed_is_number(total[r])) note(x, xw.worksheet_write_number(ws, at, c, sc->rank[r], NULL));
    c++;
    for (int i = 0; i < s->ngrades; i++) {
      const sc_grade *g = &s->grades[i];
      const sc_band *band = write_band_of(sc, s, g, r);
      put_text(x, ws, at, c++, band ? band->name : NULL, NULL);
      if (g->has_treatment) put_text(x, ws, at, c++, band ? band->treatment : NULL, NULL);
    }
    for (int k = 0; k < s->nparts; k++) put_number(x, ws, at, c++, sc->column[k][r], o->decimals, shown[1 + k]);
    for (int i = 0; i < s->ninputs; i++)
      if (s->inputs[i].type == IN_ASSESSED)
        put_number(x, ws, at, c++, narrow_get(b->column[i], r), o->decimals, shown[1 + s->nparts + i]);
    if (sc->reason) {
      put_text(x, ws, at, c++, sc->reason[r] ? diag_tr("incomplete") : diag_tr("ok"), NULL); /* --lang zh: 不完整, 完整 */
      put_text(x, ws, at, c++, sc->reason[r], NULL);
    }
  }
  free(shown);
  xw.worksheet_freeze_panes(ws, 1, 2); /* the header and the names stay in view */
  xw.worksheet_set_column(ws, 0, 1, 12, NULL);
  if (ncols > 2) xw.worksheet_set_column(ws, 2, ncols - 1, 10, NULL);
  if (sc->n) xw.worksheet_autofilter(ws, 0, 0, (lxw_row_t)sc->n, ncols - 1);
}

/* One row per entity and target, as the targets CSV. */
static void targets_sheet(sheet_ctx *x, const rb_scores *sc, const sc_scheme *s, const rb_batch *b,
                          const write_opts *o) {
  lxw_worksheet *ws = new_sheet(x, N_("targets"));
  if (!ws) return;
  static const char *heads[] = {N_("id"),   N_("name"), N_("target"), N_("title"),
                                N_("value"), N_("goal"), N_("met"),    N_("margin")};
  for (lxw_col_t c = 0; c < 8; c++) put_text(x, ws, 0, c, diag_tr(heads[c]), x->head);
  lxw_row_t at = 1;
  for (size_t row = 0; row < sc->n; row++) {
    size_t r = o->order ? o->order[row] : row;
    for (int i = 0; i < s->ntargets; i++, at++) {
      const sc_target *tg = &s->targets[i];
      rb_fixed value = sc->column[abi_out_target(s, i)][r], goal = sc->column[abi_out_target(s, i) + 1][r];
      rb_fixed margin = scheme_target_margin(tg, value, goal);
      bool met = sc->column[abi_out_target(s, i) + 2][r] != 0;
      put_text(x, ws, at, 0, b->id[r], NULL);
      put_text(x, ws, at, 1, b->name[r], NULL);
      put_text(x, ws, at, 2, tg->id, NULL);
      put_text(x, ws, at, 3, tg->title, NULL);
      put_number(x, ws, at, 4, value, o->decimals, own_decimals(o, value));
      put_number(x, ws, at, 5, goal, o->decimals, own_decimals(o, goal));
      put_text(x, ws, at, 6, !fixed_is_number(margin) ? NULL : met ? "yes" : "no", NULL);
      put_number(x, ws, at, 7, margin, o->decimals, own_decimals(o, margin));
    }
  }
  xw.worksheet_freeze_panes(ws, 1, 2);
  xw.worksheet_set_column(ws, 0, 3, 14, NULL);
}

/* Each entity's lost points, in the scores sheet's order, largest first. */
static void lost_sheet(sheet_ctx *x, const rb_scores *sc, const sc_scheme *s, const rb_batch *b,
                       const write_opts *o) {
  lxw_worksheet *ws = new_sheet(x, N_("points lost"));
  if (!ws) return;
  static const char *heads[] = {N_("id"), N_("name"), N_("indicator"), N_("points"), N_("score"), N_("lost")};
  for (lxw_col_t c = 0; c < 6; c++) put_text(x, ws, 0, c, diag_tr(heads[c]), x->head);
  lost_point *lost = malloc(((size_t)s->nparts + 1) * sizeof *lost);
  if (!lost) abort();
  lxw_row_t at = 1;
  for (size_t row = 0; row < sc->n && x->failed == LXW_NO_ERROR; row++) {
    size_t r = o->order ? o->order[row] : row;
    int n = write_lost_points(sc, s, r, o->decimals, lost);
    for (int i = 0; i < n; i++, at++) {
      if (at >= XLSX_MAX_ROWS) {
        x->too_long = true;
        note(x, LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE);
        break;
      }
      char *head = write_part_head(s, lost[i].part, true);
      put_text(x, ws, at, 0, b->id[r], NULL);
      put_text(x, ws, at, 1, b->name[r], NULL);
      put_text(x, ws, at, 2, head, NULL);
      free(head);
      put_number(x, ws, at, 3, lost[i].points, -1, decimals_of(lost[i].points, -1));
      put_number(x, ws, at, 4, lost[i].score, o->decimals, own_decimals(o, lost[i].score));
      put_number(x, ws, at, 5, lost[i].lost, o->decimals, own_decimals(o, lost[i].lost));
    }
  }
  free(lost);
  xw.worksheet_freeze_panes(ws, 1, 2);
  xw.worksheet_set_column(ws, 0, 1, 12, NULL);
  xw.worksheet_set_column(ws, 2, 2, 28, NULL);
}

/* Copies the file at PATH to OUT. 0, or -1 with errno set. */
static int copy_file(const char *path, FILE *out) {
  FILE *in = fopen(path, "rb");
  if (!in) return -1;
  char buf[1 << 16];
  size_t n;
  int rc = 0;
  while ((n = fread(buf, 1, sizeof buf, in)) > 0)
    if (fwrite(buf, 1, n, out) != n) {
      rc = -1;
      break;
    }
  if (ferror(in)) rc = -1;
  fclose(in);
  return rc;
}

int write_scores_xlsx(FILE *out, const rb_scores *sc, const sc_scheme *s, const rb_batch *b, const write_opts *o,
                      char *err, size_t errlen) {
  size_t rows = s->nparts ? sc->n : 0; /* the longest sheet's, header aside */
  if (s->ntargets && sc->n * (size_t)s->ntargets > rows) rows = sc->n * (size_t)s->ntargets;
  if (rows + 1 > XLSX_MAX_ROWS) {
    snprintf(err, errlen, diag_tr("%zu rows do not fit in a sheet (at most %d): write CSV instead"), rows,
             XLSX_MAX_ROWS - 1);
    return -1;
  }
  if (!lazy_lib_open(&xlsxwriter, err, errlen)) return -1;
  const char *dir = getenv("TMPDIR");
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s/rubric-xlsx-XXXXXX", dir && *dir ? dir : "/tmp");
  int fd = mkstemp(tmp);
  if (fd < 0) {
    snprintf(err, errlen, diag_tr("cannot make a temporary file for the workbook: %s"), strerror(errno));
    return -1;
  }
  close(fd);
  lxw_workbook_options opts = {.constant_memory = LXW_TRUE};
  sheet_ctx x = {.wb = xw.workbook_new_opt(tmp, &opts)};
  if (!x.wb) {
    unlink(tmp);
    snprintf(err, errlen, diag_tr("cannot start the workbook in %s"), tmp);
    return -1;
  }
  /* the same input gives the same bytes: a creation date of its own, not
     the clock's (libxlsxwriter writes the clock's for 0) */
  lxw_doc_properties props = {.created = workbook_created()};
  note(&x, xw.workbook_set_properties(x.wb, &props));
  make_formats(&x);
  if (s->nparts) scores_sheet(&x, sc, s, b, o);
  if (s->ntargets) targets_sheet(&x, sc, s, b, o);
  if (s->nparts) lost_sheet(&x, sc, s, b, o);
  lxw_error closed = xw.workbook_close(x.wb); /* frees the workbook whatever happens */
  if (x.failed == LXW_NO_ERROR) x.failed = closed;
  int rc = 0;
  if (x.too_long) {
    snprintf(err, errlen, diag_tr("the points lost do not fit in a sheet (at most %d rows): write CSV instead"),
             XLSX_MAX_ROWS - 1);
    rc = -1;
  } else if (x.failed != LXW_NO_ERROR) {
    snprintf(err, errlen, diag_tr("cannot write the workbook: %s"), xw.lxw_strerror(x.failed));
    rc = -1;
  } else if (copy_file(tmp, out)) {
    snprintf(err, errlen, diag_tr("cannot copy the workbook: %s"), strerror(errno));
    rc = -1;
  }
  unlink(tmp);
  return rc;
}
