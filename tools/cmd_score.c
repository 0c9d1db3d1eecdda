/* cmd_score.c: `rubric score`: every entity of a table scored by the
 * scheme's native code; several schemes of one file in one run (a job
 * each), all written or none.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "batch.h"
#include "native.h"
#include "options.h"
#include "file.h"
#include "text.h"
#include "scores.h"
#include "score.h"

static const char *usage =
    "usage: rubric score SCHEME [--scheme ID] --entities FILE [--periods FILE] [--parents FILE]\n"
    "                    [-o OUT] [--targets OUT] [--scheme ID2 --entities FILE2 ...] [options]\n"
    "\n"
    "Scores every entity row with the scheme's native code and writes a table:\n"
    "id, name, [parent,] total, rank in the peer group, grades, then one column per\n"
    "part; a scheme with targets also writes one row per entity and target.\n"
    "\n"
    "  --entities FILE   one row per entity: id, name, [parent,] every per-entity input\n"
    "  --periods FILE    one row per entity and period: id, the period column, and\n"
    "                    every per-period input (needed when the scheme has them)\n"
    "  --parents FILE    the parent rows, for inputs 'from parent' (default: the rows\n"
    "                    of the entities table that other rows name as their parent)\n"
    "  -o, --output OUT  write to OUT (atomically: a temporary file renamed on success);\n"
    "                    default: standard output\n"
    "  --targets OUT     where the targets table goes, for a scheme with points and\n"
    "                    targets written with -o (CSV)\n"
    "  --scheme ID       which scheme, when the file holds several; each --scheme\n"
    "                    starts a new job with its own tables and outputs\n"
    "  --format F        csv (default) or json\n"
    "  --emit-llvm       print the optimised LLVM IR instead of scoring\n"
    "  --decimals N      round scores to N decimals for reading (default: exact,\n"
    "                    the shortest text that reads back to the same number)\n"
    "  --stats           report rows, time and the native function used, on stderr\n"
    "exit status: 0 scored, 1 errors in a scheme or the data (nothing is written), 2 usage or I/O error\n";

enum { MAX_JOBS = 16 };

/* One scheme to score with its tables and outputs (`--scheme` starts one). */
typedef struct job {
  const char *scheme_id;
  rb_tables tables;
  const char *output, *targets;
  const sc_scheme *s;
  rb_batch *b;
  native_scheme *nat;
  rb_scores *sc;
  out_file *main_out, *targets_out;
} job;

static double seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void job_free(job *j) {
  scores_free(j->sc);
  native_release(j->nat);
  batch_free(j->b);
}

/* The tables of J can be opened: a file that cannot is an I/O error (2);
   what is in them is data (1). */
static bool tables_readable(job *j, rb_diags *d) {
  const char *files[3] = {j->tables.entities, j->tables.periods, j->tables.parents};
  for (int i = 0; i < 3; i++) {
    if (!files[i]) continue;
    FILE *f = fopen(files[i], "rb");
    if (!f) {
      diag_data(d, DIAG_ERROR, R1101, (rb_data_loc){files[i], 0, NULL, NULL}, "cannot open: %s", strerror(errno));
      return false;
    }
    fclose(f);
  }
  return true;
}

/* Loads, compiles and scores one job; reports and returns an exit code. */
static int job_run(job *j, const sc_file *f, bool stats, rb_diags *d) {
  j->s = pick_scheme(f, j->scheme_id, d);
  if (!j->s) return EXIT_USAGE;
  const sc_scheme *s = j->s;
  if (scheme_has_periods(s) && !j->tables.periods)
    return usage_error(d, usage, "scheme '%s' has per-period inputs: give their table with --periods FILE", s->id);
  if (!tables_readable(j, d)) return EXIT_USAGE;
  double t0 = seconds();
  j->b = batch_load(s, &j->tables, d);
  if (!j->b) {
    diag_summary(d, "rubric: %s", diag_tr("nothing scored: the data has errors"));
    return EXIT_ERRORS;
  }
  double t1 = seconds();
  j->nat = native_compile(s, d);
  if (!j->nat) return EXIT_ERRORS;
  double t2 = seconds();
  j->sc = scores_run(j->nat, j->b);
  double t3 = seconds();
  int failed = scores_report_errors(j->sc, j->nat, j->b, d);
  if (stats)
    fprintf(stderr,
            "rubric: scored %zu entities with native function %s at %p (LLVM ORC JIT)\n"
            "rubric: load %.3f s, compile %.3f s, score %.6f s (%.0f rows/s)\n",
            j->b->n, j->nat->name, (void *)j->nat->score, t1 - t0, t2 - t1, t3 - t2,
            t3 > t2 ? (double)j->b->n / (t3 - t2) : 0.0);
  if (failed) {
    diag_print_unscored(d, failed);
    return EXIT_ERRORS;
  }
  return EXIT_OK;
}

/* The outputs of J fit its scheme: where a targets table goes. */
static int job_outputs_fit(const job *j, bool json, rb_diags *d) {
  const sc_scheme *s = j->s;
  if (json) return EXIT_OK;
  if (s->nparts && s->ntargets && j->output && !j->targets)
    return usage_error(d, usage, "scheme '%s' has points and targets: say where the targets table goes with --targets OUT",
                       s->id);
  if (j->targets && !s->ntargets) return usage_error(d, usage, "scheme '%s' has no targets; --targets is not used", s->id);
  if (j->targets && !s->nparts)
    return usage_error(d, usage, "scheme '%s' has only targets: its targets table is the output (-o OUT)", s->id);
  return EXIT_OK;
}

/* Writes a job's tables into its open outputs: the main one, and the
   targets table's own when it has one. */
static void job_write(job *j, bool json, int decimals) {
  const sc_scheme *s = j->s;
  FILE *main = out_stream(j->main_out);
  if (json) {
    write_scores_json(main, j->sc, s, j->b, decimals);
    return;
  }
  if (s->nparts) write_scores_csv(main, j->sc, s, j->b, decimals);
  if (s->ntargets) {
    FILE *to = j->targets_out ? out_stream(j->targets_out) : main;
    if (to == main && s->nparts) fputc('\n', main); /* two tables on one stream */
    write_targets_csv(to, j->sc, s, j->b, decimals);
  }
}

/* Every output of every job opened first, then written, then committed:
   a failure before the commits writes nothing anywhere (standard output
   included: it is buffered until its commit, which comes last). */
static int write_all(job *jobs, int njobs, bool json, int decimals, rb_diags *d) {
  char err[1024];
  int code = EXIT_OK;
  for (int k = 0; k < njobs && code == EXIT_OK; k++) {
    jobs[k].main_out = out_open(jobs[k].output, err, sizeof err);
    if (jobs[k].main_out && jobs[k].targets) jobs[k].targets_out = out_open(jobs[k].targets, err, sizeof err);
    if (!jobs[k].main_out || (jobs[k].targets && !jobs[k].targets_out)) {
      diag_plain(d, DIAG_ERROR, R1501, NULL, "%s", err);
      code = EXIT_USAGE;
    }
  }
  for (int k = 0; k < njobs && code == EXIT_OK; k++) job_write(&jobs[k], json, decimals);
  /* files first, standard output last: it cannot be taken back */
  for (int pass = 0; pass < 2; pass++)
    for (int k = 0; k < njobs; k++) {
      out_file **outs[2] = {&jobs[k].main_out, &jobs[k].targets_out};
      const char *names[2] = {jobs[k].output, jobs[k].targets};
      for (int o = 0; o < 2; o++) {
        if (!*outs[o]) continue;
        bool to_stdout = !names[o] || !strcmp(names[o], "-");
        if (to_stdout != (pass == 1)) continue;
        if (code != EXIT_OK) {
          out_abort(*outs[o]);
        } else if (out_commit(*outs[o], err, sizeof err)) {
          diag_plain(d, DIAG_ERROR, R1501, NULL, "%s", err);
          code = EXIT_USAGE;
        }
        *outs[o] = NULL;
      }
    }
  return code;
}

int cmd_score(int argc, char **argv, rb_diags *d) {
  static const struct option opts[] = {
      {"help", no_argument, 0, 'h'},          {"entities", required_argument, 0, 'e'},
      {"periods", required_argument, 0, 'p'}, {"output", required_argument, 0, 'o'},
      {"scheme", required_argument, 0, 's'},  {"emit-llvm", no_argument, 0, 'L'},
      {"stats", no_argument, 0, 'S'},         {"decimals", required_argument, 0, 'D'},
      {"parents", required_argument, 0, 'P'}, {"targets", required_argument, 0, 'T'},
      {"format", required_argument, 0, 'F'},  {0}};
  job jobs[MAX_JOBS];
  memset(jobs, 0, sizeof jobs);
  int njobs = 1; /* options before the first --scheme belong to the first job */
  bool scheme_seen = false, stats = false, json = false;
  int decimals = -1;
  bool emit_only = false;
  const char *use = usage;
  int c;
  while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
    job *j = &jobs[njobs - 1];
    switch (c) {
    case 'h': fputs(use, stdout); return EXIT_OK;
    case 'e': j->tables.entities = optarg; break;
    case 'p': j->tables.periods = optarg; break;
    case 'P': j->tables.parents = optarg; break;
    case 'o': j->output = optarg; break;
    case 'T': j->targets = optarg; break;
    case 's':
      if (scheme_seen) {
        if (njobs == MAX_JOBS) return usage_error(d, use, "%s", "too many --scheme jobs in one run (at most 16)");
        j = &jobs[njobs++];
      }
      scheme_seen = true;
      j->scheme_id = optarg;
      break;
    case 'L': emit_only = true; break;
    case 'S': stats = true; break;
    case 'F':
      if (!strcmp(optarg, "json")) json = true;
      else if (strcmp(optarg, "csv")) return usage_error(d, use, "--format is csv or json, not '%s'", optarg);
      break;
    case 'D': {
      long v;
      if (!option_int(optarg, 0, 15, &v))
        return usage_error(d, use, "--decimals takes a whole number from 0 to 15, not '%s'", optarg);
      decimals = (int)v;
      break;
    }
    default: return usage_error(d, use, "%s", "unknown option");
    }
  }
  if (optind != argc - 1) return usage_error(d, use, "%s", "give exactly one scheme file");
  for (int k = 0; k < njobs && !emit_only; k++) {
    if (!jobs[k].tables.entities) {
      if (njobs > 1)
        return usage_error(d, use, "each --scheme needs its --entities FILE (missing for '%s')", jobs[k].scheme_id);
      return usage_error(d, use, "%s", "score needs --entities FILE");
    }
    if (json && jobs[k].targets)
      return usage_error(d, use, "%s", "--targets is for CSV; the JSON document holds the targets");
    for (int l = 0; l < k; l++)
      if (!strcmp(jobs[k].output ? jobs[k].output : "-", jobs[l].output ? jobs[l].output : "-"))
        return usage_error(d, use, "%s", "two --scheme jobs write to the same output: give each its own -o OUT");
  }
  const char *path = argv[optind];
  d->quiet = true; /* warnings are for `rubric check` */
  sc_file *f = compile_file(path, d);
  if (!f) return EXIT_USAGE;
  int code = EXIT_OK;
  if (f->errors) {
    if (f->errors == 1) diag_summary(d, "%s: not scored: %d error in the scheme", path, f->errors);
    else diag_summary(d, "%s: not scored: %d errors in the scheme", path, f->errors);
    code = EXIT_ERRORS;
  } else if (emit_only) {
    code = emit_llvm(f, jobs[0].scheme_id, d); /* score --emit-llvm */
  } else {
    /* Score every job; write only when all of them scored. */
    for (int k = 0; k < njobs && code == EXIT_OK; k++) code = job_run(&jobs[k], f, stats, d);
    for (int k = 0; k < njobs && code == EXIT_OK; k++) code = job_outputs_fit(&jobs[k], json, d);
    if (code == EXIT_OK) code = write_all(jobs, njobs, json, decimals, d);
    for (int k = 0; k < njobs; k++) job_free(&jobs[k]);
  }
  compile_free(f);
  return code;
}
