/* rubric.c: the command-line driver.
 *
 *   rubric check FILE...                  names, units, points, tiers, examples
 *   rubric test FILE...                   run every example block natively
 *   rubric score SCHEME --entities F ...  score a table, write CSV
 *   rubric emit-llvm SCHEME               print the optimised LLVM IR
 *
 * Exit status: 0 success, 1 errors in a scheme, the data or a test, 2 usage
 * or I/O errors (a file that cannot be read or written).
 */
#include <errno.h>
#include <getopt.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <llvm-c/Core.h>

#include "codegen.h"
#include "compile.h"
#include "examples.h"
#include "jit.h"
#include "output.h"
#include "ranges.h"
#include "score.h"
#include "table.h"

#define RUBRIC_VERSION RUBRIC_VERSION_TEXT

enum { EXIT_OK = 0, EXIT_ERRORS = 1, EXIT_USAGE = 2 };

static const char *usage_main =
    "usage: rubric COMMAND [OPTIONS] FILE...\n"
    "\n"
    "Rubric compiles scoring schemes (indicators, points, rules) to native code.\n"
    "\n"
    "commands:\n"
    "  check FILE...        check schemes: syntax, names, units, points, tiers, examples\n"
    "  test FILE...         run the example blocks of each scheme\n"
    "  score SCHEME --entities FILE [--periods FILE] [-o OUT]\n"
    "                       score every entity of a table\n"
    "  emit-llvm SCHEME     print the optimised LLVM IR of a scheme\n"
    "\n"
    "options: --help (also after a command), --version, --lang zh|en (messages in\n"
    "         Chinese or English; a Chinese LANG or LC_MESSAGES chooses Chinese)\n"
    "exit status: 0 success; 1 errors in a scheme, the data or a test; 2 usage or I/O error\n";

static const char *usage_check =
    "usage: rubric check [--format=text|json|sarif] [--werror] [--quiet] [--ranges] FILE...\n"
    "\n"
    "Checks each scheme file: syntax, names, units, points that add up exactly,\n"
    "tiers, examples. Nothing is scored. Every diagnostic has a stable code\n"
    "(spec/diagnostics.md).\n"
    "\n"
    "  --format=text   file:line:col: error[R0301]: message, the source line and a\n"
    "                  caret, on standard error (the default)\n"
    "  --format=json   one JSON document on standard output\n"
    "  --format=sarif  SARIF 2.1.0 on standard output, for code-review tools\n"
    "  --werror        treat warnings as errors\n"
    "  -q, --quiet     text: print errors only, no warnings and no summary line\n"
    "  --ranges        print each part's proved score range (points, min, max)\n"
    "exit status: 0 clean, 1 errors (or warnings with --werror), 2 usage or I/O error\n";

static const char *usage_test =
    "usage: rubric test FILE...   (a folder stands for its .rubric files)\n"
    "\n"
    "Compiles each scheme to native code and runs its example blocks: given\n"
    "inputs, the expected points of named indicators and of the total.\n"
    "Ends with a line 'N passed, M failed'.\n"
    "exit status: 0 all passed, 1 a check error or a failed example, 2 usage or I/O error\n";

static const char *usage_score =
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

static const char *usage_emit =
    "usage: rubric emit-llvm SCHEME [--scheme ID]\n"
    "\n"
    "Prints the scheme's scoring function as optimised LLVM IR (default<O2> for this host).\n";

static int usage_error(const char *usage, const char *fmt, const char *arg) {
  fprintf(stderr, "rubric: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\n\n%s", usage);
  return EXIT_USAGE;
}

/* Compiles one file; the caller frees. exit_code is set when it fails. */
static rb_unit_file *load(const char *path, rb_diags *d, int *exit_code) {
  rb_unit_file *u = compile_file(path, d);
  if (!u) *exit_code = EXIT_USAGE;
  return u;
}

/* ---- file arguments ------------------------------------------------------ */

/* The scheme files named by ARGV[first..argc): a folder stands for its
   .rubric files, in name order (`rubric check examples/...`). Returns a
   malloc'd list of *N paths (the folder ones malloc'd too, freed with
   free_paths), or NULL after saying which folder holds none. */
typedef struct paths {
  char **path;
  bool *owned;
  int n;
} paths;

static void free_paths(paths *p) {
  for (int i = 0; i < p->n; i++)
    if (p->owned[i]) free(p->path[i]);
  free(p->path);
  free(p->owned);
}

static bool expand_paths(int argc, char **argv, int first, paths *out) {
  memset(out, 0, sizeof *out);
  int cap = argc - first + 1;
  out->path = malloc(sizeof *out->path * (size_t)cap);
  out->owned = malloc(sizeof *out->owned * (size_t)cap);
  if (!out->path || !out->owned) abort();
  for (int i = first; i < argc; i++) {
    struct stat st;
    if (stat(argv[i], &st) != 0 || !S_ISDIR(st.st_mode)) {
      out->owned[out->n] = false;
      out->path[out->n++] = argv[i];
      continue;
    }
    char pattern[4200];
    snprintf(pattern, sizeof pattern, "%s/*.rubric", argv[i]);
    glob_t g;
    if (glob(pattern, 0, NULL, &g) != 0 || g.gl_pathc == 0) {
      fprintf(stderr, "%s: error: a folder with no .rubric file\n", argv[i]);
      globfree(&g);
      free_paths(out);
      return false;
    }
    cap += (int)g.gl_pathc;
    out->path = realloc(out->path, sizeof *out->path * (size_t)cap);
    out->owned = realloc(out->owned, sizeof *out->owned * (size_t)cap);
    if (!out->path || !out->owned) abort();
    for (size_t k = 0; k < g.gl_pathc; k++) {
      out->path[out->n] = strdup(g.gl_pathv[k]);
      if (!out->path[out->n]) abort();
      out->owned[out->n++] = true;
    }
    globfree(&g);
  }
  return true;
}

/* ---- check ------------------------------------------------------------- */

static int cmd_check(int argc, char **argv) {
  static const struct option opts[] = {{"help", no_argument, 0, 'h'},
                                       {"werror", no_argument, 0, 'W'},
                                       {"quiet", no_argument, 0, 'q'},
                                       {"format", required_argument, 0, 'f'},
                                       {"ranges", no_argument, 0, 'r'},
                                       {0}};
  bool werror = false, quiet = false, ranges = false;
  diag_format format = DIAG_TEXT;
  int c;
  while ((c = getopt_long(argc, argv, "hq", opts, NULL)) != -1) {
    switch (c) {
    case 'h': fputs(usage_check, stdout); return EXIT_OK;
    case 'W': werror = true; break;
    case 'q': quiet = true; break;
    case 'r': ranges = true; break;
    case 'f':
      if (!strcmp(optarg, "text")) format = DIAG_TEXT;
      else if (!strcmp(optarg, "json")) format = DIAG_JSON;
      else if (!strcmp(optarg, "sarif")) format = DIAG_SARIF;
      else return usage_error(usage_check, "--format takes text, json or sarif, not '%s'", optarg);
      break;
    default: return usage_error(usage_check, "%s", "unknown option");
    }
  }
  if (optind >= argc) return usage_error(usage_check, "%s", "check needs at least one scheme file");
  if (ranges && format != DIAG_TEXT)
    return usage_error(usage_check, "%s", "--ranges prints a table: use it with --format=text");
  int code = EXIT_OK;
  paths files;
  if (!expand_paths(argc, argv, optind, &files)) return EXIT_USAGE;
  rb_diags d;
  diag_init(&d, format == DIAG_TEXT ? stderr : stdout);
  d.format = format;
  d.quiet = quiet;
  for (int i = 0; i < files.n; i++) {
    rb_unit_file *u = load(files.path[i], &d, &code);
    if (u && ranges)
      for (ast_scheme *s = u->file->schemes; s; s = s->next)
        if (s->ranged) ranges_print(stdout, s);
    compile_free(u);
  }
  free_paths(&files);
  diag_finish(&d);
  if (format == DIAG_TEXT && !quiet && (d.errors || d.warnings))
    diag_print_summary(&d, stderr);
  if (code == EXIT_USAGE) return code;
  return d.errors || (werror && d.warnings) ? EXIT_ERRORS : EXIT_OK;
}

/* ---- native code ------------------------------------------------------- */

/* Everything needed to run one scheme natively. */
typedef struct native {
  rb_jit *jit;
  cg_result cg;
  rb_peers_fn peers; /* NULL when the scheme reads no peer statistic */
  rb_score_fn fn;
} native;

static int native_build(const ast_scheme *s, native *nat) {
  char err[1024];
  memset(nat, 0, sizeof *nat);
  nat->jit = jit_create(err, sizeof err);
  if (!nat->jit) {
    fprintf(stderr, "rubric: error: %s\n", err);
    return -1;
  }
  if (cg_scheme(s, jit_context(nat->jit), &nat->cg, err, sizeof err)) {
    fprintf(stderr, "rubric: error: %s\n", err);
    return -1;
  }
  LLVMModuleRef m = nat->cg.module;
  nat->cg.module = NULL; /* the JIT owns it from here, even if adding fails */
  if (jit_add_module(nat->jit, m, err, sizeof err)) {
    fprintf(stderr, "rubric: error: %s\n", err);
    return -1;
  }
  nat->fn = (rb_score_fn)jit_lookup(nat->jit, nat->cg.fn_name, err, sizeof err);
  if (nat->fn && nat->cg.peers_name) nat->peers = (rb_peers_fn)jit_lookup(nat->jit, nat->cg.peers_name, err, sizeof err);
  if (!nat->fn || (nat->cg.peers_name && !nat->peers)) {
    fprintf(stderr, "rubric: error: %s\n", err);
    return -1;
  }
  return 0;
}

static void native_free(native *nat) {
  cg_result_free(&nat->cg);
  jit_free(nat->jit);
}

/* ---- test -------------------------------------------------------------- */

static int cmd_test(int argc, char **argv) {
  static const struct option opts[] = {{"help", no_argument, 0, 'h'}, {0}};
  int c;
  while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    if (c == 'h') {
      fputs(usage_test, stdout);
      return EXIT_OK;
    }
    return usage_error(usage_test, "%s", "unknown option");
  }
  if (optind >= argc) return usage_error(usage_test, "%s", "test needs at least one scheme file");
  int code = EXIT_OK, passed = 0, failed = 0;
  paths files;
  if (!expand_paths(argc, argv, optind, &files)) return EXIT_USAGE;
  for (int i = 0; i < files.n; i++) {
    const char *path = files.path[i];
    rb_diags d;
    diag_init(&d, stderr);
    d.quiet = true; /* warnings are for `rubric check` */
    rb_unit_file *u = load(path, &d, &code);
    if (!u || d.errors) {
      if (u) fprintf(stderr, "%s: not tested: %d error%s\n", path, d.errors, d.errors == 1 ? "" : "s");
      failed++;
      if (code != EXIT_USAGE) code = EXIT_ERRORS;
      compile_free(u);
      continue;
    }
    for (ast_scheme *s = u->file->schemes; s; s = s->next) {
      native nat;
      if (native_build(s, &nat)) {
        failed++;
        code = EXIT_ERRORS;
      } else {
        int p = 0, f = examples_run(nat.fn, s, nat.cg.sites, nat.cg.nsites, stdout, &p);
        printf("%s: scheme %s: %d example%s passed, %d failed\n", path, s->id, p, p == 1 ? "" : "s", f);
        passed += p;
        failed += f;
        if (f) code = EXIT_ERRORS;
      }
      native_free(&nat);
    }
    compile_free(u);
  }
  free_paths(&files);
  printf("%d passed, %d failed\n", passed, failed);
  return code;
}

/* ---- score ------------------------------------------------------------- */

static double seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static ast_scheme *pick_scheme(rb_unit_file *u, const char *id, const char *path) {
  ast_scheme *s = compile_find_scheme(u, id);
  if (!s) {
    if (id) fprintf(stderr, "rubric: error: %s has no scheme '%s'\n", path, id);
    else if (!u->file->schemes) fprintf(stderr, "rubric: error: %s holds no scheme, only forms\n", path);
    else fprintf(stderr, "rubric: error: %s holds several schemes; say which with --scheme ID\n", path);
  }
  return s;
}

static int emit_llvm(ast_scheme *s) {
  char err[1024];
  cg_result r;
  LLVMContextRef ctx = LLVMContextCreate();
  int code = EXIT_OK;
  if (cg_scheme(s, ctx, &r, err, sizeof err)) {
    fprintf(stderr, "rubric: error: %s\n", err);
    code = EXIT_ERRORS;
  } else {
    char *ir = LLVMPrintModuleToString(r.module);
    fputs(ir, stdout);
    LLVMDisposeMessage(ir);
  }
  cg_result_free(&r);
  LLVMContextDispose(ctx);
  return code;
}

/* One scheme to score with its tables and outputs (`--scheme` starts one). */
typedef struct job {
  const char *scheme_id;
  rb_tables tables;
  const char *output, *targets;
  ast_scheme *s;
  rb_batch *b;
  native nat;
  rb_scores *sc;
} job;

enum { MAX_JOBS = 16 };

static void job_free(job *j) {
  scores_free(j->sc);
  if (j->nat.jit) native_free(&j->nat);
  batch_free(j->b);
}

/* Loads, compiles and scores one job; reports and returns an exit code. */
static int job_run(job *j, rb_unit_file *u, const char *path, bool stats, rb_diags *d) {
  const char *usage = usage_score;
  j->s = pick_scheme(u, j->scheme_id, path);
  if (!j->s) return EXIT_USAGE;
  ast_scheme *s = j->s;
  /* Files that cannot be read, or a table the scheme needs and was not
     given, are usage and I/O errors (2); what is in the tables is data (1). */
  if (batch_needs_periods(s) && !j->tables.periods)
    return usage_error(usage, "scheme '%s' has per-period inputs: give their table with --periods FILE", s->id);
  const char *files[3] = {j->tables.entities, j->tables.periods, j->tables.parents};
  for (int i = 0; i < 3; i++) {
    FILE *f = files[i] ? fopen(files[i], "rb") : NULL;
    if (files[i] && !f) {
      fprintf(stderr, "%s: error: cannot open: %s\n", files[i], strerror(errno));
      return EXIT_USAGE;
    }
    if (f) fclose(f);
  }
  double t0 = seconds();
  j->b = batch_load(s, &j->tables, d);
  if (!j->b) {
    fprintf(stderr, "rubric: %s\n", diag_tr("nothing scored: the data has errors"));
    return EXIT_ERRORS;
  }
  double t1 = seconds();
  if (native_build(s, &j->nat)) return EXIT_ERRORS;
  double t2 = seconds();
  j->sc = scores_run(j->nat.peers, j->nat.fn, s, j->b);
  double t3 = seconds();
  int failed = scores_report_errors(j->sc, s, j->b, j->nat.cg.sites, j->nat.cg.nsites, d);
  if (stats)
    fprintf(stderr,
            "rubric: scored %zu entities with native function %s at %p (LLVM ORC JIT)\n"
            "rubric: load %.3f s, compile %.3f s, score %.6f s (%.0f rows/s)\n",
            j->b->n, j->nat.cg.fn_name, (void *)j->nat.fn, t1 - t0, t2 - t1, t3 - t2,
            t3 > t2 ? (double)j->b->n / (t3 - t2) : 0.0);
  if (failed) {
    diag_print_unscored(failed, stderr);
    return EXIT_ERRORS;
  }
  return EXIT_OK;
}

/* Writes a job's tables into open outputs: MAIN, and TARGETS when the
   targets table goes to a file of its own. */
static void job_write(job *j, FILE *main, FILE *targets, bool json, int decimals) {
  const ast_scheme *s = j->s;
  if (json) {
    scores_write_json(main, j->sc, s, j->b, decimals);
    return;
  }
  if (s->nparts) scores_write_csv(main, j->sc, s, j->b, decimals);
  if (s->ntargets) {
    FILE *to = targets ? targets : main;
    if (to == main && s->nparts) fputc('\n', main); /* two tables on one stream */
    scores_write_targets_csv(to, j->sc, s, j->b, decimals);
  }
}

static int cmd_score(int argc, char **argv, bool emit_only) {
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
  const char *usage = emit_only ? usage_emit : usage_score;
  int c;
  while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
    job *j = &jobs[njobs - 1];
    switch (c) {
    case 'h': fputs(usage, stdout); return EXIT_OK;
    case 'e': j->tables.entities = optarg; break;
    case 'p': j->tables.periods = optarg; break;
    case 'P': j->tables.parents = optarg; break;
    case 'o': j->output = optarg; break;
    case 'T': j->targets = optarg; break;
    case 's':
      if (scheme_seen) {
        if (njobs == MAX_JOBS) return usage_error(usage, "%s", "too many --scheme jobs in one run (at most 16)");
        j = &jobs[njobs++];
      }
      scheme_seen = true;
      j->scheme_id = optarg;
      break;
    case 'L': emit_only = true; break;
    case 'S': stats = true; break;
    case 'F':
      if (!strcmp(optarg, "json")) json = true;
      else if (strcmp(optarg, "csv")) return usage_error(usage, "--format is csv or json, not '%s'", optarg);
      break;
    case 'D': {
      char *end;
      long v = strtol(optarg, &end, 10);
      if (*end || v < 0 || v > 15) return usage_error(usage, "--decimals takes a whole number from 0 to 15, not '%s'", optarg);
      decimals = (int)v;
      break;
    }
    default: return usage_error(usage, "%s", "unknown option");
    }
  }
  if (optind != argc - 1) return usage_error(usage, "%s", "give exactly one scheme file");
  for (int k = 0; k < njobs && !emit_only; k++) {
    if (!jobs[k].tables.entities)
      return usage_error(usage, njobs > 1 ? "each --scheme needs its --entities FILE (missing for '%s')" : "%s",
                         njobs > 1 ? jobs[k].scheme_id : "score needs --entities FILE");
    if (json && jobs[k].targets)
      return usage_error(usage, "%s", "--targets is for CSV; the JSON document holds the targets");
    for (int l = 0; l < k; l++)
      if (!strcmp(jobs[k].output ? jobs[k].output : "-", jobs[l].output ? jobs[l].output : "-"))
        return usage_error(usage, "%s", "two --scheme jobs write to the same output: give each its own -o OUT");
  }
  const char *path = argv[optind];
  int code = EXIT_OK;
  rb_diags d;
  diag_init(&d, stderr);
  d.quiet = true; /* warnings are for `rubric check` */
  rb_unit_file *u = load(path, &d, &code);
  if (!u) return code;
  if (d.errors) {
    fprintf(stderr, "%s: not scored: %d error%s in the scheme\n", path, d.errors, d.errors == 1 ? "" : "s");
    compile_free(u);
    return EXIT_ERRORS;
  }
  if (emit_only) {
    ast_scheme *s = pick_scheme(u, jobs[0].scheme_id, path);
    code = s ? emit_llvm(s) : EXIT_USAGE;
    compile_free(u);
    return code;
  }
  /* Score every job; write only when all of them scored. */
  for (int k = 0; k < njobs && code == EXIT_OK; k++) code = job_run(&jobs[k], u, path, stats, &d);
  for (int k = 0; k < njobs && code == EXIT_OK; k++) {
    const ast_scheme *s = jobs[k].s;
    if (!json && s->nparts && s->ntargets && jobs[k].output && !jobs[k].targets)
      code = usage_error(usage, "scheme '%s' has points and targets: say where the targets table goes with --targets OUT",
                         s->id);
    if (!json && jobs[k].targets && !s->ntargets)
      code = usage_error(usage, "scheme '%s' has no targets; --targets is not used", s->id);
    if (!json && jobs[k].targets && !s->nparts)
      code = usage_error(usage, "scheme '%s' has only targets: its targets table is the output (-o OUT)", s->id);
  }
  if (code == EXIT_OK) {
    char err[1024];
    out_file *files[2 * MAX_JOBS] = {0};
    int nfiles = 0;
    for (int k = 0; k < njobs && code == EXIT_OK; k++) {
      out_file *main = out_open(jobs[k].output, err, sizeof err);
      out_file *targets = main && jobs[k].targets ? out_open(jobs[k].targets, err, sizeof err) : NULL;
      if (main) files[nfiles++] = main;
      if (targets) files[nfiles++] = targets;
      if (!main || (jobs[k].targets && !targets)) {
        fprintf(stderr, "rubric: error: %s\n", err);
        code = EXIT_USAGE;
        break;
      }
      job_write(&jobs[k], out_stream(main), targets ? out_stream(targets) : NULL, json, decimals);
    }
    /* every output is complete before any is renamed into place */
    for (int k = 0; k < nfiles; k++) {
      if (code != EXIT_OK) {
        out_abort(files[k]);
      } else if (out_commit(files[k], err, sizeof err)) {
        fprintf(stderr, "rubric: error: %s\n", err);
        code = EXIT_USAGE;
      }
    }
  }
  for (int k = 0; k < njobs; k++) job_free(&jobs[k]);
  compile_free(u);
  return code;
}

/* Where the message catalogues are: beside the binary's folder (build tree:
   build/locale) or under share/locale (installed), or $RUBRIC_LOCALEDIR. */
static const char *locale_dir(void) {
  static char dir[4200];
  const char *env = getenv("RUBRIC_LOCALEDIR");
  if (env && *env) return env;
  char exe[4000];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0) return "/usr/share/locale";
  exe[n] = 0;
  char *slash = strrchr(exe, '/');
  if (slash) *slash = 0;
  static const char *tries[] = {"%s/../locale", "%s/../share/locale"};
  for (size_t i = 0; i < sizeof tries / sizeof *tries; i++) {
    snprintf(dir, sizeof dir, tries[i], exe);
    char mo[4300];
    snprintf(mo, sizeof mo, "%s/zh_CN/LC_MESSAGES/rubric.mo", dir);
    if (access(mo, R_OK) == 0) return dir;
  }
  snprintf(dir, sizeof dir, "/usr/share/locale/zh_CN/LC_MESSAGES/rubric.mo");
  return access(dir, R_OK) == 0 ? "/usr/share/locale" : NULL;
}

/* --lang zh|en anywhere on the line, else a Chinese LC_ALL / LC_MESSAGES /
   LANG picks Chinese. Removes the option from argv. Returns false on a bad value. */
static bool choose_language(int *argc, char **argv) {
  const char *lang = NULL;
  int w = 1;
  for (int i = 1; i < *argc; i++) {
    if (!strcmp(argv[i], "--lang")) {
      if (i + 1 >= *argc) {
        fprintf(stderr, "rubric: --lang takes zh or en\n");
        return false;
      }
      lang = argv[++i];
      continue;
    }
    if (!strncmp(argv[i], "--lang=", 7)) {
      lang = argv[i] + 7;
      continue;
    }
    argv[w++] = argv[i];
  }
  *argc = w;
  argv[w] = NULL;
  if (lang && strcmp(lang, "zh") && strcmp(lang, "en")) {
    fprintf(stderr, "rubric: --lang takes zh or en, not '%s'\n", lang);
    return false;
  }
  if (!lang) {
    const char *vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (int i = 0; i < 3 && !lang; i++) {
      const char *v = getenv(vars[i]);
      if (v && *v) lang = strncmp(v, "zh", 2) == 0 ? "zh" : "en";
    }
  }
  const char *dir = lang && !strcmp(lang, "zh") ? locale_dir() : NULL;
  if (lang && !strcmp(lang, "zh") && (!dir || !diag_set_language("zh", dir)))
    fprintf(stderr, "rubric: warning: Chinese messages are not available; using English\n");
  return true;
}

int main(int argc, char **argv) {
  if (!choose_language(&argc, argv)) return EXIT_USAGE;
  if (argc < 2) {
    fputs(usage_main, stderr);
    return EXIT_USAGE;
  }
  const char *cmd = argv[1];
  if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
    fputs(usage_main, stdout);
    return EXIT_OK;
  }
  if (!strcmp(cmd, "--version")) {
    printf("rubric %s (LLVM %d.%d)\n", RUBRIC_VERSION, LLVM_VERSION_MAJOR, LLVM_VERSION_MINOR);
    return EXIT_OK;
  }
  int code;
  optind = 1;
  argc--;
  argv++;
  if (!strcmp(cmd, "check")) code = cmd_check(argc, argv);
  else if (!strcmp(cmd, "test")) code = cmd_test(argc, argv);
  else if (!strcmp(cmd, "score")) code = cmd_score(argc, argv, false);
  else if (!strcmp(cmd, "emit-llvm")) code = cmd_score(argc, argv, true);
  else {
    fprintf(stderr, "rubric: unknown command '%s'\n\n%s", cmd, usage_main);
    return EXIT_USAGE;
  }
  cg_target_shutdown();
  LLVMShutdown();
  return code;
}
