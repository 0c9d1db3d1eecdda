/* options.h: what the commands of tools/ share: exit codes, one way to
 * report a usage error, file arguments, whole-number options, and the
 * scheme a command works on.
 *
 * Every command is `int cmd_NAME(int argc, char **argv, rb_diags *d)`:
 * argv[0] is the command's name, options are parsed with getopt_long from
 * optind = 1, and every message goes through D.
 */
#ifndef RUBRIC_TOOLS_OPTIONS_H
#define RUBRIC_TOOLS_OPTIONS_H
#include <stdbool.h>

#include "batch.h"
#include "compile.h"
#include "diag.h"

/* EXIT_INCOMPLETE: `rubric score` wrote its tables, but some entities are
   incomplete (a part failed: their rows say which and why). */
enum { EXIT_OK = 0, EXIT_ERRORS = 1, EXIT_USAGE = 2, EXIT_INCOMPLETE = 3 };

/* Reports a usage error (R1401) and, in text form, the command's USAGE
   after it on standard error. Returns EXIT_USAGE. */
int usage_error(rb_diags *d, const char *usage, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The usage error for what getopt_long returned '?' for (opterr is 0, so
   getopt says nothing itself): the option named as written. */
int unknown_option(rb_diags *d, const char *usage, char **argv);

/* The scheme files named by ARGV[first..argc): a folder stands for its
   .rubric files, in name order (`rubric check examples/...`). */
typedef struct paths {
  char **path; /* each malloc'd */
  int n;
} paths;
/* Fills OUT; false after reporting a folder that holds no scheme file. */
bool paths_expand(int argc, char **argv, int first, paths *out, rb_diags *d);
void paths_free(paths *p);

/* TEXT as a whole number in [LO, HI] into *OUT; false if it is not one. */
bool option_int(const char *text, long lo, long hi, long *out);

/* The record tables of one job, `--records NAME=FILE` each. */
enum { OPTION_MAX_RECORDS = 32 };
typedef struct records_opt {
  struct rb_records_given given[OPTION_MAX_RECORDS];
  int n;
} records_opt;
/* Adds `--records ARG` to R: ARG is NAME=FILE, and is cut at its first '='
   in place (argv's text is the program's to change), so that nothing is
   allocated. Returns EXIT_OK, or the usage error (USAGE after it) for an
   ARG with no '=', no name or no file, or too many tables. */
int option_records(char *arg, records_opt *r, rb_diags *d, const char *usage);

/* The scheme ID of F (the only one when ID is NULL); NULL after reporting
   (R1402) why there is none. */
const sc_scheme *pick_scheme(const sc_file *f, const char *id, rb_diags *d);

/* The commands (one file each). */
int cmd_check(int argc, char **argv, rb_diags *d);
int cmd_test(int argc, char **argv, rb_diags *d);
int cmd_score(int argc, char **argv, rb_diags *d);
/* `rubric report`: `rubric score` writing the HTML report (cmd_score.c). */
int cmd_report(int argc, char **argv, rb_diags *d);
int cmd_explain(int argc, char **argv, rb_diags *d);
int cmd_emit_llvm(int argc, char **argv, rb_diags *d);
/* Prints the optimised IR of the scheme ID of F (cmd_emit_llvm.c; also
   `score --emit-llvm`). */
int emit_llvm(const sc_file *f, const char *id, rb_diags *d);

#endif
