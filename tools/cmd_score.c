/* cmd_score.c: `rubric score`: every entity of a table scored by the
 * scheme's native code; several schemes of one file in one run (a job
 * each), all written or none.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "batch.h"
#include "explain.h"
#include "native.h"
#include "options.h"
#include "previous.h"
#include "progress.h"
#include "file.h"
#include "text.h"
#include "scores.h"
#include "score.h"

static const char *usage =
    "usage: rubric score SCHEME [--scheme ID] --entities FILE [--periods FILE] [--parents FILE]\n"
    "                    [--records NAME=FILE ...] [-o OUT] [--targets OUT] [--scheme ID2 --entities FILE2 ...] [options]\n"
    "\n"
    "Scores every entity row with the scheme's native code and writes a table:\n"
    "id, name, [parent,] total, rank in the peer group, grades, then one column per\n"
    "part; a scheme with targets also writes one row per entity and target.\n"
    "\n"
    "  --entities FILE   one row per entity: id, name, [parent,] every per-entity input\n"
    "                    (any table may be '-', standard input: one at most)\n"
    "  --periods FILE    one row per entity and period: id, the period column, and\n"
    "                    every per-period input (needed when the scheme has them)\n"
    "  --parents FILE    the parent rows, for inputs 'from parent' (default: the rows\n"
    "                    of the entities table that other rows name as their parent)\n"
    "  --calendar FILE   the holiday calendar (date,kind: 休 or 班), for workdays(a, b)\n"
    "  --records NAME=FILE  the records of the scheme's record table NAME, any number\n"
    "                    per entity: id, then a column per field (one --records per\n"
    "                    table the scheme counts)\n"
    "  -o, --output OUT  write to OUT (atomically: a temporary file renamed on success);\n"
    "                    default: standard output\n"
    "  --targets OUT     where the targets table goes, for a scheme with points and\n"
    "                    targets written with -o (CSV)\n"
    "  --explain OUT     also write why each entity scored what it did, one JSON\n"
    "                    line each, as `rubric explain` does\n"
    "  --scheme ID       which scheme, when the file holds several; each --scheme\n"
    "                    starts a new job with its own tables and outputs\n"
    "  --format F        csv, json or xlsx (an Excel workbook: scores headed by\n"
    "                    titles and sorted by rank, targets and points lost on\n"
    "                    sheets of their own); default: by the name of -o OUT\n"
    "                    (.json, .xlsx), else csv\n"
    "  --titles          head the parts' and grades' columns with their titles\n"
    "                    (\"信用信息归集\") instead of their ids (CSV)\n"
    "  --sort S          the rows' order: input (default; xlsx: rank) or rank (by\n"
    "                    peer group, rank, then id; incomplete entities last)\n"
    "  --bom             start CSV with the byte order mark Excel needs to read\n"
    "                    UTF-8 (Chinese names otherwise show as 鐗′腹鍖)\n"
    "  --excel           CSV for Excel: --bom --titles --sort rank\n"
    "  --encoding E      how the tables are encoded: auto (default: UTF-8, with or\n"
    "                    without a BOM, else GB18030), utf-8, or gbk (also gb18030,\n"
    "                    gb2312, cp936: what WPS and Chinese Excel save); read as\n"
    "                    UTF-8, so outputs are UTF-8 whatever the tables were\n"
    "  --emit-llvm       print the optimised LLVM IR instead of scoring\n"
    "  --decimals N      round every number half up to N decimals (0 to 18) for\n"
    "                    reading; ranks and grades do not change (default: the\n"
    "                    exact decimal, up to 18 decimals)\n"
    "  --stats           report on stderr the native function used and where the\n"
    "                    run's time went (scheme, load, compile, score, write, free)\n"
    "  --no-cache        compile the scheme afresh and keep nothing on disk (default:\n"
    "                    its native code is kept in $XDG_CACHE_HOME/rubric, or\n"
    "                    ~/.cache/rubric, and found there again by later runs)\n"
    "  --strict          write nothing when any entity is incomplete (default: every\n"
    "                    entity is written; an incomplete one has its failed parts\n"
    "                    and total empty, status 'incomplete' and the reason)\n"
    "  --partial-data    a bad cell (not a value, out of range, empty without a\n"
    "                    default) makes its entity incomplete, the cell's file and\n"
    "                    line in the reason, instead of failing the whole run\n"
    "exit status: 0 scored, 1 errors in a scheme or the data (nothing is written), 2 usage or I/O\n"
    "error, 3 written but some entities are incomplete (an error each on stderr)\n";

static const char *report_usage =
    "usage: rubric report SCHEME [--scheme ID] --entities FILE [--periods FILE] [--parents FILE]\n"
    "                     [--records NAME=FILE ...] [--previous OLD.csv] [-o OUT.html] [options]\n"
    "\n"
    "Scores every entity as `rubric score` does and writes one self-contained HTML\n"
    "page (no network: inline CSS and SVG; prints on A4): the ranking with totals,\n"
    "ranks and grades, a bar chart of the totals, a heat map of the share of points\n"
    "each entity earned on each indicator, each entity's lost points, and the\n"
    "scheme's points table with its source lines. Titles come from the scheme;\n"
    "headings are in the language of --lang.\n"
    "\n"
    "  --previous OLD    a scores table written before (by rubric score, CSV):\n"
    "                    each entity's change of rank and total against it\n"
    "  --decimals N      the numbers shown (default: the scheme's `round total`,\n"
    "                    else 2); ranks come from the exact scores\n"
    "  -o, --output OUT  where the page goes (default: standard output)\n"
    "  --entities, --periods, --parents, --calendar, --records, --scheme, --encoding,\n"
    "  --strict, --partial-data, --no-cache, --stats: as for `rubric score`\n"
    "exit status: as for `rubric score`\n";

enum { MAX_JOBS = 16 };

/* The rows' order: as read, or by rank; DEFAULT is input for CSV and JSON,
   rank for a workbook. */
typedef enum { SORT_DEFAULT, SORT_INPUT, SORT_RANK } row_sort;

/* What a job's main output is written as. */
typedef enum { FORMAT_CSV, FORMAT_JSON, FORMAT_XLSX, FORMAT_HTML } out_format;

/* One scheme to score with its tables and outputs (`--scheme` starts one). */
typedef struct job {
  const char *scheme_id;
  rb_tables tables;
  records_opt records;   /* tables.records points here */
  const char *output, *targets;
  out_format format;
  const sc_scheme *s;
  rb_batch *b;
  native_scheme *nat;
  rb_scores *sc;
  out_file *main_out, *targets_out;
  const char *explain;   /* --explain OUT: every entity's explanation, JSON lines */
  out_file *explain_out;
  cg_probe *probes;      /* compiled in for --explain */
  int nprobes;
} job;

/* --stats: where the run's time went, summed over its jobs. */
typedef struct run_times {
  double scheme, load, compile, score, write, release;
  double table_bytes;
  size_t entities;
} run_times;

static double seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void job_free(job *j) {
  free(j->probes);
  scores_free(j->sc);
  native_release(j->nat);
  batch_free(j->b);
}

/* The tables of J can be opened: a file that cannot is an I/O error (2);
   what is in them is data (1). */
static bool tables_readable(job *j, rb_diags *d) {
  const char *files[4 + OPTION_MAX_RECORDS] = {j->tables.entities, j->tables.periods, j->tables.parents,
                                               j->tables.calendar};
  for (int k = 0; k < j->records.n; k++) files[4 + k] = j->records.given[k].path;
  for (int i = 0; i < 4 + j->records.n; i++) {
    if (!files[i] || !strcmp(files[i], "-")) continue;
    /* a pipe (bash's <(...), a FIFO) is opened once, by the loader: opened
       and closed here too, its writer's first lines could go to this open,
       or fail with no reader, and the table would lose them */
    struct stat st;
    if (stat(files[i], &st) == 0 && S_ISFIFO(st.st_mode)) {
      if (access(files[i], R_OK) == 0) continue;
      rb_data_loc at = {files[i], 0, NULL, NULL};
      diag_data(d, DIAG_ERROR, R1101, at, "cannot open: %s", strerror(errno));
      return false;
    }
    FILE *f = fopen(files[i], "rb");
    if (!f) {
      rb_data_loc at = {files[i], 0, NULL, NULL};
      diag_data(d, DIAG_ERROR, R1101, at, "cannot open: %s", strerror(errno));
      return false;
    }
    fclose(f);
  }
  return true;
}

/* The bytes of the tables of J that are files, for --stats. */
static double table_bytes(const job *j) {
  const char *files[3 + OPTION_MAX_RECORDS] = {j->tables.entities, j->tables.periods, j->tables.parents};
  for (int k = 0; k < j->records.n; k++) files[3 + k] = j->records.given[k].path;
  double n = 0;
  struct stat st;
  for (int i = 0; i < 3 + j->records.n; i++)
    if (files[i] && strcmp(files[i], "-") && stat(files[i], &st) == 0) n += (double)st.st_size;
  return n;
}

/* The scheme's native code, made on a thread of its own while the tables
   load: the two do not wait for each other (a cold compile of Chengwu is
   0.2-0.5 s, a warm one, from the cache, 8 ms: a fifth of 2,850 counties'
   run). */
typedef struct compile_task {
  const sc_scheme *s;
  const cg_probe *probes;
  int nprobes;
  native_scheme *nat; /* NULL: ERR says why */
  char err[1024];
} compile_task;

static void *compile_main(void *arg) {
  compile_task *t = arg;
  t->nat = native_build(t->s, t->probes, t->nprobes, t->err, sizeof t->err);
  return NULL;
}

/* Loads, compiles and scores one job; reports and returns an exit code. */
static int job_run(job *j, const sc_file *f, bool stats, bool strict, run_times *rt, rb_diags *d) {
  j->s = pick_scheme(f, j->scheme_id, d);
  if (!j->s) return EXIT_USAGE;
  const sc_scheme *s = j->s;
  if (scheme_has_periods(s) && !j->tables.periods)
    return usage_error(d, usage, "scheme '%s' has per-period inputs: give their table with --periods FILE", s->id);
  if (!tables_readable(j, d)) return EXIT_USAGE;
  double t0 = seconds();
  if (j->explain) j->nprobes = cg_probes(s, &j->probes);
  compile_task task = {.s = s, .probes = j->probes, .nprobes = j->nprobes};
  pthread_t compiler;
  bool apart = pthread_create(&compiler, NULL, compile_main, &task) == 0;
  progress_phase(N_("reading the tables"));
  j->b = batch_load(s, &j->tables, d);
  double t1 = seconds();
  rt->load += t1 - t0;
  rt->table_bytes += table_bytes(j);
  progress_phase(N_("compiling the scheme"));
  if (apart) pthread_join(compiler, NULL);
  else compile_main(&task); /* no thread to be had: one after the other */
  j->nat = task.nat;
  double t2 = seconds();
  rt->compile += t2 - t1; /* what the compile added after the load */
  if (!j->b) {
    diag_summary(d, "rubric: %s", diag_tr("nothing scored: the data has errors"));
    return EXIT_ERRORS;
  }
  if (!j->nat) {
    native_report(d, task.err);
    return EXIT_ERRORS;
  }
  progress_phase(N_("scoring"));
  j->sc = scores_run(j->nat, j->b, !j->explain); /* the writers read the assessed inputs alone; --explain, all */
  int failed = scores_report_errors(j->sc, j->nat, j->b, d);
  if (!strict) scores_explain_incomplete(j->sc, j->nat);
  double t3 = seconds();
  rt->score += t3 - t2;
  rt->entities += j->b->n;
  if (stats)
    fprintf(stderr, "rubric: scored %zu entities of '%s' with native function %s at %p (LLVM ORC JIT)\n", j->b->n,
            s->id, j->nat->name, (void *)j->nat->score);
  if (failed && strict) {
    diag_print_unscored(d, failed);
    return EXIT_ERRORS;
  }
  return failed ? EXIT_INCOMPLETE : EXIT_OK;
}

/* The outputs of J fit its scheme: where a targets table goes. */
static int job_outputs_fit(const job *j, rb_diags *d) {
  const sc_scheme *s = j->s;
  if (j->format != FORMAT_CSV) return EXIT_OK;
  if (s->nparts && s->ntargets && j->output && !j->targets)
    return usage_error(d, usage, "scheme '%s' has points and targets: say where the targets table goes with --targets OUT",
                       s->id);
  if (j->targets && !s->ntargets) return usage_error(d, usage, "scheme '%s' has no targets; --targets is not used", s->id);
  if (j->targets && !s->nparts)
    return usage_error(d, usage, "scheme '%s' has only targets: its targets table is the output (-o OUT)", s->id);
  return EXIT_OK;
}

/* Writes a job's tables into its open outputs: the main one, and the
   targets table's own when it has one. 0, or -1 with a message in ERR. */
static int job_write(job *j, const write_opts *opts, row_sort sort, const report_previous *prev, char *err,
                     size_t errlen) {
  const sc_scheme *s = j->s;
  FILE *main = out_stream(j->main_out);
  write_opts o = *opts;
  bool by_rank = sort == SORT_RANK || j->format == FORMAT_HTML || (sort == SORT_DEFAULT && j->format == FORMAT_XLSX);
  size_t *order = by_rank ? write_rank_order(j->sc, s, j->b) : NULL;
  o.order = order;
  int rc = 0;
  if (j->format == FORMAT_JSON) {
    write_scores_json(main, j->sc, s, j->b, &o);
  } else if (j->format == FORMAT_XLSX) {
    rc = write_scores_xlsx(main, j->sc, s, j->b, &o, err, errlen);
  } else if (j->format == FORMAT_HTML) {
    if (o.decimals < 0) o.decimals = s->round_total >= 0 ? s->round_total : 2; /* for reading */
    rc = write_report_html(main, j->sc, s, j->b, &o, prev, err, errlen);
  } else {
    if (s->nparts) write_scores_csv(main, j->sc, s, j->b, &o);
    if (s->ntargets) {
      FILE *to = j->targets_out ? out_stream(j->targets_out) : main;
      if (to == main && s->nparts) { /* two tables on one stream */
        fputc('\n', main);
        o.bom = false;
      }
      write_targets_csv(to, j->sc, s, j->b, &o);
    }
  }
  if (!rc && j->explain_out) { /* --explain: every entity, in the order of the main output */
    explain_ctx x = {j->nat, j->sc, j->b, j->probes, j->nprobes, opts->decimals, NULL};
    explain_prepare(&x);
    FILE *ef = out_stream(j->explain_out);
    for (size_t row = 0; row < j->sc->n; row++) explain_json(ef, &x, order ? order[row] : row);
    explain_release(&x);
  }
  free(order);
  return rc;
}

/* Every output of every job is opened, then written, then finished in
   three steps, so that a failure anywhere leaves every file as it was:
   the files are completed on disk (not yet in place), then devices and
   standard output are written (these cannot be taken back, so they go
   before any file is replaced), and only then are the files renamed into
   place. Only a device written before another device fails, or a rename
   failing after another succeeded, can leave part of a run behind. */
static int write_all(job *jobs, int njobs, const write_opts *opts, row_sort sort, const report_previous *prev,
                     rb_diags *d) {
  char err[1024];
  int code = EXIT_OK;
  for (int k = 0; k < njobs && code == EXIT_OK; k++) {
    jobs[k].main_out = out_open(jobs[k].output, err, sizeof err);
    if (jobs[k].main_out && jobs[k].targets) jobs[k].targets_out = out_open(jobs[k].targets, err, sizeof err);
    if (jobs[k].main_out && jobs[k].explain && (!jobs[k].targets || jobs[k].targets_out))
      jobs[k].explain_out = out_open(jobs[k].explain, err, sizeof err);
    if (!jobs[k].main_out || (jobs[k].targets && !jobs[k].targets_out) || (jobs[k].explain && !jobs[k].explain_out)) {
      diag_plain(d, DIAG_ERROR, R1501, NULL, "%s", err);
      code = EXIT_USAGE;
    }
  }
  for (int k = 0; k < njobs && code == EXIT_OK; k++)
    if (job_write(&jobs[k], opts, sort, prev, err, sizeof err)) {
      diag_plain(d, DIAG_ERROR, R1501, NULL, "%s: %s", jobs[k].output ? jobs[k].output : "stdout", err);
      code = EXIT_USAGE;
    }
  int nouts = 3 * njobs;
  out_file **outs = calloc((size_t)nouts, sizeof *outs);
  bool *is_file = calloc((size_t)nouts, sizeof *is_file);
  if (!outs || !is_file) abort();
  for (int k = 0; k < njobs; k++) {
    outs[3 * k] = jobs[k].main_out;
    outs[3 * k + 1] = jobs[k].targets_out;
    outs[3 * k + 2] = jobs[k].explain_out;
    jobs[k].main_out = jobs[k].targets_out = jobs[k].explain_out = NULL;
  }
  for (int o = 0; o < nouts; o++) is_file[o] = outs[o] && out_renames(outs[o]);
  /* 1. files complete on disk; 2. devices, then standard output; 3. files in place */
  for (int o = 0; o < nouts && code == EXIT_OK; o++)
    if (is_file[o] && out_prepare(outs[o], err, sizeof err)) {
      diag_plain(d, DIAG_ERROR, R1501, NULL, "%s", err);
      code = EXIT_USAGE;
    }
  for (int pass = 0; pass < 2; pass++)
    for (int o = 0; o < nouts; o++) {
      if (!outs[o] || is_file[o] || out_is_stdout(outs[o]) != (pass == 1)) continue;
      if (code != EXIT_OK) out_abort(outs[o]);
      else if (out_commit(outs[o], err, sizeof err)) {
        diag_plain(d, DIAG_ERROR, R1501, NULL, "%s", err);
        code = EXIT_USAGE;
      }
      outs[o] = NULL;
    }
  for (int o = 0; o < nouts; o++) {
    if (!outs[o]) continue;
    if (code != EXIT_OK) out_abort(outs[o]);
    else if (out_commit(outs[o], err, sizeof err)) {
      diag_plain(d, DIAG_ERROR, R1501, NULL, "%s", err);
      code = EXIT_USAGE;
    }
  }
  free(outs);
  free(is_file);
  return code;
}

/* Whether outputs A and B (NULL or "-": standard output) are the same: the
   same name, or the same file by another spelling (./out.csv, a link). */
static bool same_output(const char *a, const char *b) {
  bool sa = !a || !strcmp(a, "-"), sb = !b || !strcmp(b, "-");
  if (sa || sb) return sa && sb;
  if (!strcmp(a, b)) return true;
  struct stat x, y;
  if (stat(a, &x) == 0 && stat(b, &y) == 0) return x.st_dev == y.st_dev && x.st_ino == y.st_ino;
  /* not there yet: the same folder and the same name */
  char *da = strdup(a), *db = strdup(b), *fa = strdup(a), *fb = strdup(b);
  if (!da || !db || !fa || !fb) abort();
  char ra[PATH_MAX], rb[PATH_MAX];
  bool same = realpath(dirname(da), ra) && realpath(dirname(db), rb) && !strcmp(ra, rb) &&
              !strcmp(basename(fa), basename(fb));
  free(da);
  free(db);
  free(fa);
  free(fb);
  return same;
}

/* --stats: every phase of the run, and what is left (start-up of the
   threads, the exit path) as "other", so that the phases add up to the
   total; then the peak memory. */
static void print_times(const run_times *rt, double total) {
  double other = total - rt->scheme - rt->load - rt->compile - rt->score - rt->write - rt->release;
  struct rusage ru;
  long peak_kb = getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : 0;
  fprintf(stderr, "rubric: scheme %.3f s, load %.3f s (%.1f MB, %.0f MB/s), compile %.3f s, score %.6f s (%.0f rows/s)\n",
          rt->scheme, rt->load, rt->table_bytes / 1e6, rt->load > 0 ? rt->table_bytes / 1e6 / rt->load : 0.0,
          rt->compile, rt->score, rt->score > 0 ? (double)rt->entities / rt->score : 0.0);
  fprintf(stderr, "rubric: write %.3f s, free %.3f s, other %.3f s, total %.3f s, peak RSS %.1f MB\n", rt->write,
          rt->release, other > 0 ? other : 0.0, total, (double)peak_kb / 1024.0);
}

/* The format an output's name asks for: .json, .xlsx, else CSV. */
static out_format by_name(const char *output) {
  size_t n = output ? strlen(output) : 0;
  if (n > 5 && !strcasecmp(output + n - 5, ".json")) return FORMAT_JSON;
  if (n > 5 && !strcasecmp(output + n - 5, ".xlsx")) return FORMAT_XLSX;
  return FORMAT_CSV;
}

/* `rubric score`, or with REPORT `rubric report`: the same run, writing the
   HTML page instead of tables. */
static int score_command(int argc, char **argv, rb_diags *d, bool report) {
  static const struct option opts[] = {
      {"help", no_argument, 0, 'h'},          {"previous", required_argument, 0, 'V'},
      {"entities", required_argument, 0, 'e'},
      {"periods", required_argument, 0, 'p'}, {"output", required_argument, 0, 'o'},
      {"scheme", required_argument, 0, 's'},  {"emit-llvm", no_argument, 0, 'L'},
      {"stats", no_argument, 0, 'S'},         {"decimals", required_argument, 0, 'D'},
      {"parents", required_argument, 0, 'P'}, {"targets", required_argument, 0, 'T'},
      {"format", required_argument, 0, 'F'},  {"no-cache", no_argument, 0, 'C'},
      {"strict", no_argument, 0, 'X'},        {"titles", no_argument, 0, 'H'},
      {"partial-data", no_argument, 0, 'B'},  {"sort", required_argument, 0, 'R'},
      {"bom", no_argument, 0, 'M'},           {"excel", no_argument, 0, 'E'},
      {"encoding", required_argument, 0, 'N'}, {"explain", required_argument, 0, 'Y'},
      {"calendar", required_argument, 0, 'K'}, {"records", required_argument, 0, 'G'}, {0}};
  job jobs[MAX_JOBS];
  memset(jobs, 0, sizeof jobs);
  int njobs = 1; /* options before the first --scheme belong to the first job */
  bool scheme_seen = false, stats = false, no_cache = false, strict = false, partial = false;
  bool format_given = false;
  out_format format = FORMAT_CSV;
  row_sort sort = SORT_DEFAULT;
  write_opts wo = {.decimals = -1};
  csv_encoding encoding = CSV_ENC_AUTO;
  bool emit_only = false;
  const char *use = report ? report_usage : usage;
  const char *previous_path = NULL;
  report_previous previous = {0};
  int c;
  int longindex = 0;
  while ((c = getopt_long(argc, argv, "ho:", opts, &longindex)) != -1) {
    job *j = &jobs[njobs - 1];
    if (report && strchr("RMEHLT", c))
      return usage_error(d, use, "--%s is for rubric score; a report is one HTML page", opts[longindex].name);
    switch (c) {
    case 'h': fputs(use, stdout); return EXIT_OK;
    case 'V':
      if (!report) return unknown_option(d, use, argv);
      previous_path = optarg;
      break;
    case 'e': j->tables.entities = optarg; break;
    case 'p': j->tables.periods = optarg; break;
    case 'P': j->tables.parents = optarg; break;
    case 'K': j->tables.calendar = optarg; break;
    case 'G':
      if (option_records(optarg, &j->records, d, use)) return EXIT_USAGE;
      break;
    case 'o': j->output = optarg; break;
    case 'T': j->targets = optarg; break;
    case 'Y':
      if (report) return usage_error(d, use, "--explain is for rubric score; a report shows the points lost");
      j->explain = optarg;
      break;
    case 's':
      if (scheme_seen) {
        if (njobs == MAX_JOBS) return usage_error(d, use, "too many --scheme jobs in one run (at most 16)");
        j = &jobs[njobs++];
      }
      scheme_seen = true;
      j->scheme_id = optarg;
      break;
    case 'L': emit_only = true; break;
    case 'S': stats = true; break;
    case 'C': no_cache = true; break;
    case 'X': strict = true; break;
    case 'H': wo.titles = true; break;
    case 'B': partial = true; break;
    case 'M': wo.bom = true; break;
    case 'E': wo.bom = wo.titles = true, sort = SORT_RANK; break;
    case 'R':
      if (!strcmp(optarg, "rank")) sort = SORT_RANK;
      else if (!strcmp(optarg, "input")) sort = SORT_INPUT;
      else return usage_error(d, use, "--sort is rank or input, not '%s'", optarg);
      break;
    case 'N':
      if (!csv_encoding_named(optarg, &encoding))
        return usage_error(d, use, "--encoding is auto, utf-8, gbk or gb18030, not '%s'", optarg);
      break;
    case 'F':
      if (report) return usage_error(d, use, "a report is an HTML page: --format is for rubric score");
      format_given = true;
      if (!strcmp(optarg, "json")) format = FORMAT_JSON;
      else if (!strcmp(optarg, "xlsx")) format = FORMAT_XLSX;
      else if (!strcmp(optarg, "csv")) format = FORMAT_CSV;
      else return usage_error(d, use, "--format is csv, json or xlsx, not '%s'", optarg);
      break;
    case 'D': {
      long v;
      if (!option_int(optarg, 0, 18, &v))
        return usage_error(d, use, "--decimals takes a whole number from 0 to 18, not '%s'", optarg);
      wo.decimals = (int)v;
      break;
    }
    default: return unknown_option(d, use, argv);
    }
  }
  if (optind != argc - 1) return usage_error(d, use, "give exactly one scheme file");
  int from_stdin = 0;
  for (int k = 0; k < njobs && !emit_only; k++) {
    job *j = &jobs[k];
    j->tables.partial = partial;
    j->tables.encoding = encoding;
    j->tables.records = j->records.given;
    j->tables.nrecords = j->records.n;
    j->format = report ? FORMAT_HTML : format_given ? format : by_name(j->output);
    if (report && j->targets) return usage_error(d, use, "--targets is for rubric score; a report shows the scores");
    const char *tables[3] = {j->tables.entities, j->tables.periods, j->tables.parents};
    for (int t = 0; t < 3; t++) from_stdin += tables[t] && !strcmp(tables[t], "-");
    for (int t = 0; t < j->records.n; t++) from_stdin += !strcmp(j->records.given[t].path, "-");
    if (from_stdin > 1) return usage_error(d, use, "only one table can be read from standard input ('-')");
    if (j->format == FORMAT_XLSX && (!j->output || !strcmp(j->output, "-")) && isatty(STDOUT_FILENO))
      return usage_error(d, use, "a workbook is not text for a terminal: give -o FILE.xlsx");
    if (!jobs[k].tables.entities) {
      if (njobs > 1)
        return usage_error(d, use, "each --scheme needs its --entities FILE (missing for '%s')", jobs[k].scheme_id);
      return usage_error(d, use, "score needs --entities FILE");
    }
    if (j->format == FORMAT_JSON && j->targets)
      return usage_error(d, use, "--targets is for CSV; the JSON document holds the targets");
    if (j->format == FORMAT_XLSX && j->targets)
      return usage_error(d, use, "--targets is for CSV; the workbook holds the targets on a sheet of their own");
    for (int l = 0; l < k; l++)
      if (same_output(jobs[k].output, jobs[l].output) || (jobs[l].targets && same_output(jobs[k].output, jobs[l].targets)) ||
          (jobs[k].targets && (same_output(jobs[k].targets, jobs[l].output) ||
                               (jobs[l].targets && same_output(jobs[k].targets, jobs[l].targets)))))
        return usage_error(d, use, "two --scheme jobs write to the same output: give each its own -o OUT");
    if (jobs[k].targets && same_output(jobs[k].targets, jobs[k].output))
      return usage_error(d, use, "--targets names the same output as -o: give the targets table its own file");
    if (jobs[k].explain && (same_output(jobs[k].explain, jobs[k].output) ||
                            (jobs[k].targets && same_output(jobs[k].explain, jobs[k].targets))))
      return usage_error(d, use, "--explain names the same output as -o or --targets: give it its own file");
    if (jobs[k].explain && njobs > 1)
      return usage_error(d, use, "--explain is for a run of one scheme: explain each in a run of its own");
  }
  const char *path = argv[optind];
  native_use_cache(!no_cache, stats);
  run_times rt = {0};
  double started = seconds(); /* --stats: the run's time, from reading the scheme to everything freed */
  progress_start();
  progress_phase(N_("reading the scheme"));
  d->quiet = true; /* warnings are for `rubric check` */
  sc_file *f = compile_file(path, d);
  rt.scheme = seconds() - started;
  if (!f) {
    progress_stop();
    return EXIT_USAGE;
  }
  int code = EXIT_OK;
  if (f->errors) {
    if (f->errors == 1) diag_summary(d, "%s: not scored: %d error in the scheme", path, f->errors);
    else diag_summary(d, "%s: not scored: %d errors in the scheme", path, f->errors);
    code = EXIT_ERRORS;
  } else if (emit_only) {
    code = emit_llvm(f, jobs[0].scheme_id, d); /* score --emit-llvm */
  } else {
    /* Score every job, reporting each one's errors (a usage or I/O error
       stops at once); write only when all of them scored, incomplete
       entities included (unless --strict). */
    int incomplete = 0;
    for (int k = 0; k < njobs && code != EXIT_USAGE; k++) {
      int c = job_run(&jobs[k], f, stats, strict, &rt, d);
      if (c == EXIT_INCOMPLETE) incomplete += (int)jobs[k].sc->nincomplete;
      else if (c != EXIT_OK && (code == EXIT_OK || c == EXIT_USAGE)) code = c;
    }
    for (int k = 0; k < njobs && code == EXIT_OK; k++) code = job_outputs_fit(&jobs[k], d);
    bool unreadable = false;
    if (code == EXIT_OK && previous_path && !previous_load(previous_path, &previous, &unreadable, d))
      code = unreadable ? EXIT_USAGE : EXIT_ERRORS;
    if (code == EXIT_OK) {
      double t_write = seconds();
      progress_phase(N_("writing"));
      code = write_all(jobs, njobs, &wo, sort, previous.rows ? &previous : NULL, d);
      rt.write = seconds() - t_write;
      if (code == EXIT_OK && incomplete) {
        diag_print_incomplete(d, incomplete);
        code = EXIT_INCOMPLETE;
      }
    }
    double t_free = seconds();
    progress_phase(N_("releasing memory"));
    for (int k = 0; k < njobs; k++) job_free(&jobs[k]);
    rt.release = seconds() - t_free;
  }
  compile_free(f);
  previous_free(&previous);
  progress_stop();
  if (stats) print_times(&rt, seconds() - started);
  return code;
}

int cmd_score(int argc, char **argv, rb_diags *d) { return score_command(argc, argv, d, false); }

int cmd_report(int argc, char **argv, rb_diags *d) { return score_command(argc, argv, d, true); }
