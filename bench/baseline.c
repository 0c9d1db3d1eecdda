/* baseline.c: the Chengwu scheme over the same CSV files as `rubric score`,
 * written by hand in C: the end-to-end baseline of bench/run.sh.
 *
 *   rubric-bench-c ENTITIES PERIODS OUT
 *
 * What a C programmer would write for this one scheme: each table read
 * whole into memory and parsed in one pass (bench_csv.c: quotes, CRLF, a
 * byte order mark; bench_cell.c: groups, exponents, %, yes/no words, with
 * plain numbers on a fast path and strtod otherwise) into double columns,
 * the period rows joined to the counties by a hash of the id, the 16
 * indicators and the total computed in doubles (reference.c), and
 * `id,total,<indicator>...` written with "%.17g" to OUT (a temporary file
 * renamed into place). Its phase times go to standard error:
 *
 *   rubric-bench-c: N rows; load X s, score Y s, write Z s, total T s
 *
 * It stops at the first bad cell, an unknown or repeated id, a repeated or
 * missing month, or a county it cannot score (a population of a million or
 * more, a zero denominator), naming the file and line. It does not check
 * ranges (a negative count, a fraction above 1) as rubric does: the
 * generator writes valid data, and the cross-check would show a difference.
 * Built with -O3 -march=native.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_cell.h"
#include "bench_csv.h"
#include "bench_ids.h"
#include "reference.h"

/* The scheme's inputs as the tables name them, in reference.h's order. */
static const char *const input_columns[CW_TOTAL_INPUTS] = {
    "population", "gov_defaulters", "serious_dishonest", "market_entities", "platform_records",
    "records_social_security", "records_tax", "records_housing_fund", "records_water", "records_electricity",
    "records_gas", "records_logistics", "records_ip", "credit_checks", "benefit_domains", "xyd_registered",
    "operating_firms", "xyd_credit_yuan", "supervision_domains", "commitments", "sys_institutions",
    "sys_organisation", "sys_staffing", "sys_funding", "innovations", "fin_progress", "zx_mechanism",
    "zx_cleanup", "zx_crackdown", "no_major_risk", "city_rank", "usc_error_rate", "pub_compliance",
    "pub_timeliness"};
enum { MONTHS = 12, MAX_FIELDS = 256 };

static double seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void fail(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("rubric-bench-c: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(1);
}

static void *alloc(size_t bytes) {
  void *p = calloc(1, bytes ? bytes : 1);
  if (!p) fail("out of memory (%zu bytes)", bytes);
  return p;
}

/* ---- the counties ------------------------------------------------------- */

typedef struct counties {
  long n;
  bench_ids ids;    /* the trimmed ids, and the hash the periods are joined by */
  long *lines;      /* the line of county r in the entities table; owned */
  uint16_t *months; /* bit m - 1: month m was read; owned */
} counties;

static void trim(const char **s, size_t *len) {
  while (*len && (**s == ' ' || **s == '\t')) (*s)++, (*len)--;
  while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t')) (*len)--;
}

/* Index of each needed column in HEADER (N fields); -1 where the table has
   no such column. */
static void find_columns(bench_csv *t, const bench_field *header, int n, const char *const *names, int count, int *at) {
  for (int i = 0; i < count; i++) {
    at[i] = -1;
    for (int k = 0; k < n; k++) {
      const char *s = header[k].text;
      size_t len = header[k].len;
      trim(&s, &len);
      if (len == strlen(names[i]) && !memcmp(s, names[i], len)) at[i] = k;
    }
    if (at[i] < 0) fail("%s:1: missing column '%s'", t->path, names[i]);
  }
}

/* One input's cell into *OUT, or a located stop. */
static void read_cell(const bench_csv *t, long line, const char *id, size_t idlen, int input, const bench_field *f,
                      double *out) {
  bool yesno = input >= CW_FIN_PROGRESS && input <= CW_NO_MAJOR_RISK;
  bench_cell_status st = yesno ? bench_cell_yesno(f->text, f->len, out) : bench_cell_number(f->text, f->len, out);
  if (st == BENCH_CELL_EMPTY)
    fail("%s:%ld: entity '%.*s', column '%s': missing value", t->path, line, (int)idlen, id, input_columns[input]);
  if (st == BENCH_CELL_BAD)
    fail("%s:%ld: entity '%.*s', column '%s': '%.*s' is not %s", t->path, line, (int)idlen, id, input_columns[input],
         (int)f->len, f->text, yesno ? "yes/no" : "a number");
}

/* The entities table: ids, and the per-county inputs into IN. */
static void load_entities(const char *path, counties *c, double **in) {
  bench_csv t;
  if (bench_csv_open(&t, path)) fail("%s", t.error);
  bench_field f[MAX_FIELDS];
  long line;
  int nh = bench_csv_record(&t, f, MAX_FIELDS, &line);
  if (nh <= 0) fail("%s", nh < 0 ? t.error : "entities table is empty");
  int id_col, at[CW_CITY_RANK];
  find_columns(&t, f, nh, (const char *const[]){"id"}, 1, &id_col);
  find_columns(&t, f, nh, input_columns, CW_CITY_RANK, at);

  long bound = bench_csv_line_bound(&t);
  c->lines = alloc(sizeof *c->lines * (size_t)bound);
  for (int i = 0; i < CW_CITY_RANK; i++) in[i] = alloc(sizeof(double) * (size_t)bound);
  long n = 0;
  int got;
  while ((got = bench_csv_record(&t, f, MAX_FIELDS, &line)) > 0) {
    if (got != nh) fail("%s:%ld: row has %d fields, the header has %d", path, line, got, nh);
    const char *id = f[id_col].text;
    size_t idlen = f[id_col].len;
    trim(&id, &idlen);
    if (!idlen) fail("%s:%ld: column 'id': missing value", path, line);
    bench_ids_add(&c->ids, id, idlen);
    c->lines[n] = line;
    for (int i = 0; i < CW_CITY_RANK; i++) read_cell(&t, line, id, idlen, i, &f[at[i]], &in[i][n]);
    n++;
  }
  if (got < 0) fail("%s", t.error);
  if (!n) fail("%s: no entity rows (only a header)", path);
  c->n = n;
  long first, again = bench_ids_index(&c->ids, &first);
  if (again >= 0) {
    int len;
    const char *id = bench_ids_text(&c->ids, again, &len);
    fail("%s:%ld: duplicate id '%.*s' (first on line %ld)", path, c->lines[again], len, id, c->lines[first]);
  }
  bench_csv_close(&t);
}

/* The periods table: month M of county R into IN[i][(M - 1) * n + R]. */
static void load_periods(const char *path, counties *c, double **in) {
  bench_csv t;
  if (bench_csv_open(&t, path)) fail("%s", t.error);
  bench_field f[MAX_FIELDS];
  long line, n = c->n;
  int nh = bench_csv_record(&t, f, MAX_FIELDS, &line);
  if (nh <= 0) fail("%s", nh < 0 ? t.error : "periods table is empty");
  int id_col, month_col, at[CW_TOTAL_INPUTS - CW_CITY_RANK];
  find_columns(&t, f, nh, (const char *const[]){"id"}, 1, &id_col);
  find_columns(&t, f, nh, (const char *const[]){"month"}, 1, &month_col);
  find_columns(&t, f, nh, input_columns + CW_CITY_RANK, CW_TOTAL_INPUTS - CW_CITY_RANK, at);
  for (int i = CW_CITY_RANK; i < CW_TOTAL_INPUTS; i++) in[i] = alloc(sizeof(double) * MONTHS * (size_t)n);
  c->months = alloc(sizeof *c->months * (size_t)n);
  int got;
  while ((got = bench_csv_record(&t, f, MAX_FIELDS, &line)) > 0) {
    if (got != nh) fail("%s:%ld: row has %d fields, the header has %d", path, line, got, nh);
    const char *id = f[id_col].text;
    size_t idlen = f[id_col].len;
    trim(&id, &idlen);
    long r = bench_ids_find(&c->ids, id, idlen);
    if (r < 0) fail("%s:%ld: id '%.*s' has no row in the entities table", path, line, (int)idlen, id);
    double month;
    if (bench_cell_number(f[month_col].text, f[month_col].len, &month) != BENCH_CELL_OK || month != floor(month) ||
        month < 1 || month > MONTHS)
      fail("%s:%ld: column 'month': '%.*s' is not a month from 1 to 12", path, line, (int)f[month_col].len,
           f[month_col].text);
    int m = (int)month - 1;
    if (c->months[r] & (1u << m))
      fail("%s:%ld: entity '%.*s' has a second row for month %d", path, line, (int)idlen, id, m + 1);
    c->months[r] |= (uint16_t)(1u << m);
    for (int i = CW_CITY_RANK; i < CW_TOTAL_INPUTS; i++)
      read_cell(&t, line, id, idlen, i, &f[at[i - CW_CITY_RANK]], &in[i][(size_t)m * (size_t)n + (size_t)r]);
  }
  if (got < 0) fail("%s", t.error);
  for (long r = 0; r < n; r++)
    if (c->months[r] != (1u << MONTHS) - 1) {
      int m = 0;
      while (c->months[r] & (1u << m)) m++;
      int len;
      const char *id = bench_ids_text(&c->ids, r, &len);
      fail("%s: entity '%.*s' (entities line %ld) has no row for month %d", path, len, id, c->lines[r], m + 1);
    }
  bench_csv_close(&t);
}

/* id,total,<indicator>... to OUT, through a temporary file renamed into
   place, so a failed run leaves no partial table. */
static void write_scores(const char *out, const counties *c, double *const *parts, const double *total) {
  size_t plen = strlen(out);
  char *tmp = alloc(plen + 16);
  snprintf(tmp, plen + 16, "%s.tmpXXXXXX", out);
  int fd = mkstemp(tmp);
  FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
  if (!f) fail("%s: cannot create: %s", tmp, strerror(errno));
  static char buffer[1 << 20];
  setvbuf(f, buffer, _IOFBF, sizeof buffer);
  fputs("id,total", f);
  for (int k = 0; k < CW_INDICATORS; k++) fprintf(f, ",%s", reference_indicator_ids[k]);
  fputc('\n', f);
  for (long r = 0; r < c->n; r++) {
    int len;
    const char *id = bench_ids_text(&c->ids, r, &len);
    fwrite(id, 1, (size_t)len, f);
    fprintf(f, ",%.17g", total[r]);
    for (int k = 0; k < CW_INDICATORS; k++) fprintf(f, ",%.17g", parts[k][r]);
    fputc('\n', f);
  }
  bool failed = ferror(f) != 0;
  failed |= fclose(f) != 0;
  if (failed || rename(tmp, out)) {
    int e = errno;
    unlink(tmp);
    fail("%s: write failed: %s", out, strerror(e));
  }
  free(tmp);
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: rubric-bench-c ENTITIES PERIODS OUT\n"
                    "scores the Chengwu scheme in doubles, by hand-written C, over rubric's input tables\n");
    return 2;
  }
  double t0 = seconds();
  counties c = {0};
  double *in[CW_TOTAL_INPUTS];
  load_entities(argv[1], &c, in);
  load_periods(argv[2], &c, in);
  double t1 = seconds();
  double *parts[CW_INDICATORS], *total = alloc(sizeof(double) * (size_t)c.n);
  for (int k = 0; k < CW_INDICATORS; k++) parts[k] = alloc(sizeof(double) * (size_t)c.n);
  reference_score_parts((const double *const *)in, c.n, parts, total);
  double t2 = seconds();
  for (long r = 0; r < c.n; r++)
    if (!isfinite(total[r])) {
      int len;
      const char *id = bench_ids_text(&c.ids, r, &len);
      fail("%s:%ld: entity '%.*s' could not be scored (a population of a million or more, or a zero denominator)",
           argv[1], c.lines[r], len, id);
    }
  write_scores(argv[3], &c, parts, total);
  double t3 = seconds();
  fprintf(stderr, "rubric-bench-c: %ld rows; load %.3f s, score %.6f s, write %.3f s, total %.3f s\n", c.n, t1 - t0,
          t2 - t1, t3 - t2, t3 - t0);
  for (int i = 0; i < CW_TOTAL_INPUTS; i++) free(in[i]);
  for (int k = 0; k < CW_INDICATORS; k++) free(parts[k]);
  free(total);
  bench_ids_free(&c.ids);
  free(c.lines);
  free(c.months);
  return 0;
}
