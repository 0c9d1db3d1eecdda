/* options.c: what the commands share; see options.h. */
#include "options.h"

#include <getopt.h>
#include <glob.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int usage_error(rb_diags *d, const char *usage, const char *fmt, ...) {
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, diag_tr(fmt), ap);
  va_end(ap);
  diag_plain(d, DIAG_ERROR, R1401, NULL, "%s", msg);
  if (d->format == DIAG_TEXT && usage) fprintf(stderr, "\n%s", usage);
  return EXIT_USAGE;
}

int unknown_option(rb_diags *d, const char *usage, char **argv) {
  const char *arg = optind > 0 ? argv[optind - 1] : "";
  if (optopt && strncmp(arg, "--", 2)) return usage_error(d, usage, "option '-%c' is not known or needs a value", optopt);
  return usage_error(d, usage, "option '%s' is not known or needs a value", arg);
}

static char *xstrdup(const char *s) {
  char *p = strdup(s);
  if (!p) abort();
  return p;
}

static void add(paths *p, int *cap, const char *path) {
  if (p->n == *cap) {
    *cap = *cap ? 2 * *cap : 8;
    p->path = realloc(p->path, sizeof *p->path * (size_t)*cap);
    if (!p->path) abort();
  }
  p->path[p->n++] = xstrdup(path);
}

bool paths_expand(int argc, char **argv, int first, paths *out, rb_diags *d) {
  memset(out, 0, sizeof *out);
  int cap = 0;
  for (int i = first; i < argc; i++) {
    struct stat st;
    if (stat(argv[i], &st) != 0 || !S_ISDIR(st.st_mode)) {
      add(out, &cap, argv[i]);
      continue;
    }
    char pattern[4200];
    snprintf(pattern, sizeof pattern, "%s/*.rubric", argv[i]);
    glob_t g;
    if (glob(pattern, 0, NULL, &g) != 0 || g.gl_pathc == 0) {
      diag_plain(d, DIAG_ERROR, R0001, argv[i], "a folder with no .rubric file");
      globfree(&g);
      paths_free(out);
      return false;
    }
    for (size_t k = 0; k < g.gl_pathc; k++) add(out, &cap, g.gl_pathv[k]);
    globfree(&g);
  }
  return true;
}

void paths_free(paths *p) {
  for (int i = 0; i < p->n; i++) free(p->path[i]);
  free(p->path);
  memset(p, 0, sizeof *p);
}

bool option_int(const char *text, long lo, long hi, long *out) {
  char *end;
  long v = strtol(text, &end, 10);
  if (!*text || *end || v < lo || v > hi) return false;
  *out = v;
  return true;
}

const sc_scheme *pick_scheme(const sc_file *f, const char *id, rb_diags *d) {
  const sc_scheme *s = compile_find_scheme(f, id);
  if (s) return s;
  const char *path = f->source->path;
  if (id) diag_plain(d, DIAG_ERROR, R1402, path, "has no scheme '%s'", id);
  else if (!f->nschemes) diag_plain(d, DIAG_ERROR, R1402, path, "holds no scheme, only forms");
  else diag_plain(d, DIAG_ERROR, R1402, path, "holds several schemes; say which with --scheme ID");
  return NULL;
}

int option_records(char *arg, records_opt *r, rb_diags *d, const char *usage) {
  char *eq = strchr(arg, '=');
  if (!eq || eq == arg || !eq[1])
    return usage_error(d, usage, "--records takes NAME=FILE, the record table's name and its file, not '%s'", arg);
  if (r->n == OPTION_MAX_RECORDS) return usage_error(d, usage, "too many --records tables (at most 32)");
  *eq = 0;
  r->given[r->n++] = (struct rb_records_given){arg, eq + 1};
  return EXIT_OK;
}
