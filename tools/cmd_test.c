/* cmd_test.c: `rubric test`: each scheme compiled to native code, its
 * example blocks run through it.
 */
#include <getopt.h>
#include <stdio.h>

#include "calendar.h"
#include "examples.h"
#include "native.h"
#include "options.h"

static const char *usage =
    "usage: rubric test [--no-cache] [--calendar FILE] FILE...   (a folder stands for its .rubric files)\n"
    "\n"
    "Compiles each scheme to native code and runs its example blocks: given\n"
    "inputs, the expected points of named indicators and of the total.\n"
    "Ends with a line 'N passed, M failed'.\n"
    "\n"
    "  --calendar FILE  the holiday calendar (date,kind: 休 or 班), for examples of\n"
    "               schemes that call workdays(a, b)\n"
    "  --no-cache   compile afresh and keep nothing on disk (default: native code is\n"
    "               kept in $XDG_CACHE_HOME/rubric, or ~/.cache/rubric, for later runs)\n"
    "exit status: 0 all passed, 1 a check error or a failed example, 2 usage or I/O error\n";

int cmd_test(int argc, char **argv, rb_diags *d) {
  static const struct option opts[] = {
      {"help", no_argument, 0, 'h'}, {"no-cache", no_argument, 0, 'C'}, {"calendar", required_argument, 0, 'K'}, {0}};
  bool no_cache = false;
  const char *calendar_path = NULL;
  int c;
  while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    if (c == 'h') {
      fputs(usage, stdout);
      return EXIT_OK;
    }
    if (c == 'C') {
      no_cache = true;
      continue;
    }
    if (c == 'K') {
      calendar_path = optarg;
      continue;
    }
    return unknown_option(d, usage, argv);
  }
  rb_calendar *cal = NULL; /* owned: read once, for every scheme that calls workdays */
  if (calendar_path && !(cal = calendar_load(calendar_path, d))) return EXIT_ERRORS;
  native_use_cache(!no_cache, false);
  if (optind >= argc) return usage_error(d, usage, "test needs at least one scheme file");
  d->quiet = true; /* warnings are for `rubric check` */
  int code = EXIT_OK, passed = 0, failed = 0;
  paths files;
  if (!paths_expand(argc, argv, optind, &files, d)) return EXIT_USAGE;
  for (int i = 0; i < files.n; i++) {
    const char *path = files.path[i];
    sc_file *f = compile_file(path, d);
    if (!f) code = EXIT_USAGE;
    if (!f || f->errors) {
      if (f && f->errors == 1) diag_summary(d, "%s: not tested: %d error", path, f->errors);
      else if (f) diag_summary(d, "%s: not tested: %d errors", path, f->errors);
      failed++;
      if (code != EXIT_USAGE) code = EXIT_ERRORS;
      compile_free(f);
      continue;
    }
    for (int k = 0; k < f->nschemes; k++) {
      const sc_scheme *s = f->schemes[k];
      native_scheme *nat = native_compile(s, d);
      if (!nat) {
        failed++;
        code = EXIT_ERRORS;
        continue;
      }
      int p = 0, n = examples_run(nat, cal ? cal->column : NULL, d, &p);
      printf("%s: scheme %s: %d example%s passed, %d failed\n", path, s->id, p, p == 1 ? "" : "s", n);
      passed += p;
      failed += n;
      if (n) code = EXIT_ERRORS;
      native_release(nat);
    }
    compile_free(f);
  }
  paths_free(&files);
  calendar_free(cal);
  printf("%d passed, %d failed\n", passed, failed);
  return code;
}
