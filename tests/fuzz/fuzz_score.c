/* fuzz_score.c: tables loaded, scored and written (`rubric score`) against
 * the seed schemes, compiled to native code once at start-up.
 *
 * Input: the first byte B chooses the scheme, schemes[B % N] in the order
 * of `seeds` below (each file's schemes in source order), and the output's
 * rounding, (B / N) % 17 - 1 decimals (-1: exact), and the diagnostics'
 * form, JSON when (B / N / 17) is odd. The rest is up to three tables,
 * entities, periods and parents, separated by a line "----"; for a scheme
 * with record tables, then one table per record table in source order
 * (`--records NAME=FILE`) and last the holiday calendar (`--calendar`); a
 * scheme without keeps a line "----" after its third table as text. The
 * tables are written to files in a private folder ($TMPDIR, else /dev/shm,
 * else /tmp) because batch_load reads paths. A table after the entities is
 * given only when its separator is there, and for a scheme with records
 * only when it is not empty (the periods and parents sections). Then batch_load, scores_run,
 * scores_report_errors, and the scores and targets tables as CSV and the
 * JSON document written to memory. The tables are written even when an
 * entity failed (the writers take failed rows: no band, see write_band_of);
 * FUZZ_SCORE_SKIP_FAILED=1 in the environment writes only when none did, as
 * `rubric score` does.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch.h"
#include "compile.h"
#include "fuzz.h"
#include "native.h"
#include "score.h"
#include "scores.h"

/* The seed schemes; a new one goes at the end, so the corpus keeps its meaning
   (but N changes: an input's byte 0 of N or more is rewritten, README.md). */
static const char *const seeds[] = {
    "examples/chengwu/chengwu_2022.rubric", /* 0 chengwu_2022 */
    "examples/gaoqing/gaoqing_2021.rubric", /* 1 gaoqing_2021_sharing, 2 gaoqing_2021_firms */
    "examples/linyi/linyi_2019.rubric",     /* 3 linyi_2019 */
    "examples/pingyin/pingyin_2022.rubric", /* 4 pingyin_towns, 5 pingyin_departments */
    "examples/rushan/rushan_2022.rubric",   /* 6 rushan_2022, 7 rushan_2022_towns */
    "tests/e2e/data/mini.rubric",           /* 8 mini (the data-error tests' scheme) */
    "tests/e2e/parents/county.rubric",      /* 9 towns (parents), 10 depts */
    "tests/e2e/records/records.rubric",     /* 11 县直部门 (record tables 处罚, 许可; workdays) */
};
enum { NSEEDS = sizeof seeds / sizeof seeds[0], MAX_SCHEMES = 32, MAX_RECORDS = 4, MAX_TABLES = 3 + MAX_RECORDS + 1 };

static struct {
  sc_file *file[NSEEDS];
  native_scheme *nat[MAX_SCHEMES];
  int n;
  bool skip_failed; /* $FUZZ_SCORE_SKIP_FAILED: write nothing when an entity failed */
  char dir[4096];
  char path[MAX_TABLES][4200];
} g;

static void cleanup(void) {
  for (int i = 0; i < MAX_TABLES; i++) unlink(g.path[i]);
  rmdir(g.dir);
  for (int k = 0; k < g.n; k++) native_release(g.nat[k]);
  for (int i = 0; i < NSEEDS; i++) compile_free(g.file[i]);
  native_shutdown(NULL);
  g.n = 0;
}

static void fail(const char *what) {
  fprintf(stderr, "fuzz_score: %s\n", what);
  exit(2);
}

/* A folder of our own for the tables. */
static void make_dir(void) {
  const char *tmp = getenv("TMPDIR");
  const char *tries[] = {tmp && *tmp ? tmp : NULL, "/dev/shm", "/tmp"};
  for (int i = 0; i < 3; i++) {
    if (!tries[i] || access(tries[i], W_OK) != 0) continue;
    snprintf(g.dir, sizeof g.dir, "%s/rubric-fuzz-score.XXXXXX", tries[i]);
    if (mkdtemp(g.dir)) {
      static const char *names[3] = {"entities.csv", "periods.csv", "parents.csv"};
      for (int k = 0; k < 3; k++) snprintf(g.path[k], sizeof g.path[k], "%s/%s", g.dir, names[k]);
      for (int k = 3; k < MAX_TABLES - 1; k++) snprintf(g.path[k], sizeof g.path[k], "%s/records%d.csv", g.dir, k - 3);
      snprintf(g.path[MAX_TABLES - 1], sizeof g.path[0], "%s/calendar.csv", g.dir);
      return;
    }
  }
  fail("cannot make a folder for the tables in $TMPDIR, /dev/shm or /tmp");
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  if (g.n) return 0;
  rb_diags d;
  diag_init(&d, stderr);
  d.quiet = true; /* errors only: the seeds' warnings are for `rubric check` */
  for (int i = 0; i < NSEEDS; i++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", fuzz_source_dir(), seeds[i]);
    g.file[i] = compile_file(path, &d);
    if (!g.file[i] || g.file[i]->errors) fail("a seed scheme does not check clean (set RUBRIC_SOURCE_DIR?)");
    for (int k = 0; k < g.file[i]->nschemes; k++) {
      if (g.n == MAX_SCHEMES) fail("too many seed schemes");
      if (g.file[i]->schemes[k]->nrecords > MAX_RECORDS) fail("a seed scheme has too many record tables");
      g.nat[g.n] = native_compile(g.file[i]->schemes[k], &d);
      if (!g.nat[g.n]) fail("a seed scheme does not compile to native code");
      g.n++;
    }
  }
  const char *skip = getenv("FUZZ_SCORE_SKIP_FAILED");
  g.skip_failed = skip && *skip && strcmp(skip, "0") != 0;
  make_dir();
  atexit(cleanup);
  return 0;
}

/* Writes LEN bytes of TEXT to PATH. */
static void write_file(const char *path, const uint8_t *text, size_t len) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) fail(strerror(errno));
  while (len > 0) {
    ssize_t w = write(fd, text, len);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) fail(strerror(errno));
    text += w;
    len -= (size_t)w;
  }
  close(fd);
}

/* Splits [P, P+N) at lines "----" (or "----\r") into at most MAX tables;
   returns how many. A table keeps the line break before its separator. */
static int split(const uint8_t *p, size_t n, const uint8_t **start, size_t *len, int max) {
  int k = 0;
  start[0] = p;
  for (size_t line = 0; line < n && k < max - 1;) {
    const uint8_t *nl = memchr(p + line, '\n', n - line);
    size_t end = nl ? (size_t)(nl - p) : n; /* the line is [line, end) */
    size_t w = end - line;
    if (w > 0 && p[end - 1] == '\r') w--;
    if (w == 4 && !memcmp(p + line, "----", 4)) {
      len[k] = line - (size_t)(start[k] - p);
      k++;
      start[k] = nl ? nl + 1 : p + n;
    }
    line = end + 1;
  }
  len[k] = n - (size_t)(start[k] - p);
  return k + 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  if (!g.n) LLVMFuzzerInitialize(NULL, NULL);
  int b = data[0];
  const native_scheme *nat = g.nat[b % g.n];
  const sc_scheme *s = nat->scheme;
  int decimals = (b / g.n) % 17 - 1;
  bool json_diags = (b / g.n / 17) % 2 == 1;
  bool partial = (b / g.n / 34) % 2 == 1; /* --partial-data: bad cells as incomplete entities */
  bool by_rank = (b / g.n / 68) % 2 == 1; /* --sort rank, --bom */
  csv_encoding enc = (csv_encoding)((b / g.n / 136) % 3); /* auto, utf-8, gb18030 */

  /* entities, periods, parents; then the records of each table and the calendar */
  int max = s->nrecords ? 3 + s->nrecords + 1 : 3;
  const uint8_t *start[MAX_TABLES];
  size_t len[MAX_TABLES];
  int ntables = split(data + 1, size - 1, start, len, max);
  const char *path[MAX_TABLES];
  for (int i = 0; i < ntables; i++) {
    path[i] = i < 3 + s->nrecords ? g.path[i] : g.path[MAX_TABLES - 1];
    write_file(path[i], start[i], len[i]);
  }
  struct rb_records_given given[MAX_RECORDS];
  int ngiven = 0;
  for (int t = 0; t < s->nrecords && 3 + t < ntables; t++) given[ngiven++] = (struct rb_records_given){s->records[t].name, path[3 + t]};
  /* a scheme with records: an empty periods or parents section is not given */
  const char *periods = ntables > 1 && !(s->nrecords && len[1] == 0) ? path[1] : NULL;
  const char *parents = ntables > 2 && !(s->nrecords && len[2] == 0) ? path[2] : NULL;
  rb_tables tables = {path[0], periods, parents, enc, partial,
                      s->nrecords && ntables == max ? path[max - 1] : NULL, ngiven, ngiven ? given : NULL};

  fuzz_sink diags;
  fuzz_sink_open(&diags);
  rb_diags d;
  diag_init(&d, diags.f);
  d.quiet = true; /* as `rubric score` */
  if (json_diags) d.format = DIAG_JSON;
  rb_batch *batch = batch_load(s, &tables, &d);
  for (int i = 0; i < ntables; i++) unlink(path[i]); /* a crash after this leaves an empty folder */
  if (batch) {
    rb_scores *sc = scores_run(nat, batch, true);
    int failed = scores_report_errors(sc, nat, batch, &d);
    if (failed < 0 || (size_t)failed > batch->n) __builtin_trap();
    if ((size_t)failed != scores_explain_incomplete(sc, nat)) __builtin_trap();
    if (!failed || !g.skip_failed) {
      fuzz_sink out;
      fuzz_sink_open(&out);
      size_t *order = by_rank ? write_rank_order(sc, s, batch) : NULL;
      write_opts o = {.decimals = decimals, .titles = decimals & 1, .bom = by_rank, .order = order};
      if (s->nparts) write_scores_csv(out.f, sc, s, batch, &o);
      if (s->ntargets) write_targets_csv(out.f, sc, s, batch, &o);
      write_scores_json(out.f, sc, s, batch, &o);
      if (s->nparts) { /* the report, in ranking order as it needs */
        size_t *ranked = order ? order : write_rank_order(sc, s, batch);
        write_opts r = {.decimals = decimals < 0 ? 2 : decimals, .order = ranked};
        char err[256];
        if (write_report_html(out.f, sc, s, batch, &r, NULL, err, sizeof err) && sc->n <= REPORT_MAX_ENTITIES)
          __builtin_trap();
        if (ranked != order) free(ranked);
      }
      free(order);
      fuzz_sink_close(&out);
    }
    scores_free(sc);
    batch_free(batch);
  }
  diag_finish(&d);
  fuzz_sink_close(&diags);
  return 0;
}
