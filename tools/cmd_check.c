/* cmd_check.c: `rubric check`, the review a city does before it adopts a
 * scheme: syntax, names, units, points, tiers, grades, examples and the
 * range proof, reported with stable codes; nothing is scored.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "options.h"

static const char *usage =
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

static void print_part(FILE *out, const sc_part *p, int depth) {
  char points[64];
  dec_format(p->points, points, sizeof points);
  char name[160];
  snprintf(name, sizeof name, "%*s%s", depth * 2, "", p->path);
  if (p->proved)
    fprintf(out, "  %-34s %8s %10.10g %10.10g\n", name, points, p->lo, p->hi);
  else
    fprintf(out, "  %-34s %8s %10s %10s\n", name, points, "-", "-");
  for (int i = 0; i < p->nchildren; i++) print_part(out, p->children[i], depth + 1);
}

/* The table of --ranges: part, points, proved min and max. */
static void print_ranges(FILE *out, const sc_scheme *s) {
  fprintf(out, "scheme %s: proved scores\n", s->id);
  fprintf(out, "  %-34s %8s %10s %10s\n", "part", "points", "min", "max");
  double lo = 0, hi = 0;
  for (int i = 0; i < s->ntop; i++) print_part(out, s->top[i], 0);
  /* parts for some kinds (`for`): an entity adds up its kind's parts only */
  for (int l = 0; l < (s->kind ? s->kind->nlabels : 1); l++) {
    double kind_lo = 0, kind_hi = 0;
    for (int i = 0; i < s->ntop; i++) {
      const sc_part *p = s->top[i];
      if (s->kind && !scheme_part_applies(p, l)) continue;
      bool minus = p->section == SECTION_DEDUCTION; /* taken from the total */
      kind_lo += minus ? -p->hi : p->lo;
      kind_hi += minus ? -p->lo : p->hi;
    }
    lo = l == 0 || kind_lo < lo ? kind_lo : lo;
    hi = l == 0 || kind_hi > hi ? kind_hi : hi;
  }
  char total[64];
  dec_format(s->total, total, sizeof total);
  fprintf(out, "  %-34s %8s %10.10g %10.10g\n", "total", total, lo, hi);
}

int cmd_check(int argc, char **argv, rb_diags *d) {
  static const struct option opts[] = {{"help", no_argument, 0, 'h'},
                                       {"werror", no_argument, 0, 'W'},
                                       {"quiet", no_argument, 0, 'q'},
                                       {"format", required_argument, 0, 'f'},
                                       {"ranges", no_argument, 0, 'r'},
                                       {0}};
  bool werror = false, ranges = false;
  /* the documents of check are its output: standard output */
  if (d->format != DIAG_TEXT) d->out = stdout;
  int c;
  while ((c = getopt_long(argc, argv, "hq", opts, NULL)) != -1) {
    switch (c) {
    case 'h': fputs(usage, stdout); return EXIT_OK;
    case 'W': werror = true; break;
    case 'q': d->quiet = true; break;
    case 'r': ranges = true; break;
    case 'f':
      if (!strcmp(optarg, "text")) d->format = DIAG_TEXT;
      else if (!strcmp(optarg, "json")) d->format = DIAG_JSON, d->out = stdout;
      else if (!strcmp(optarg, "sarif")) d->format = DIAG_SARIF, d->out = stdout;
      else return usage_error(d, usage, "--format takes text, json or sarif, not '%s'", optarg);
      break;
    default: return unknown_option(d, usage, argv);
    }
  }
  if (optind >= argc) return usage_error(d, usage, "check needs at least one scheme file");
  if (ranges && d->format != DIAG_TEXT)
    return usage_error(d, usage, "--ranges prints a table: use it with --format=text");
  int code = EXIT_OK;
  paths files;
  if (!paths_expand(argc, argv, optind, &files, d)) return EXIT_USAGE;
  for (int i = 0; i < files.n; i++) {
    sc_file *f = compile_file(files.path[i], d);
    if (!f) code = EXIT_USAGE;
    for (int k = 0; f && ranges && k < f->nschemes; k++)
      if (f->schemes[k]->proved) print_ranges(stdout, f->schemes[k]);
    compile_free(f);
  }
  paths_free(&files);
  if (d->format == DIAG_TEXT && !d->quiet && (d->errors || d->warnings)) diag_print_summary(d, stderr);
  if (code == EXIT_USAGE) return code;
  return d->errors || (werror && d->warnings) ? EXIT_ERRORS : EXIT_OK;
}
