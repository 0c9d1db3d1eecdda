/* checked.h: a unit test's scheme, compiled through compile_file, with
   everything its diagnostics printed (codes stripped: unit tests pin the
   messages, the end-to-end goldens the codes). Needs cmocka, compile.h and
   diag.h included before it. */
#ifndef RUBRIC_TEST_CHECKED_H
#define RUBRIC_TEST_CHECKED_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "diag.h"
#include "scratch.h"

/* A compiled file and everything its diagnostics printed. */
typedef struct checked {
  sc_file *u;
  rb_diags d;
  char *out;
  size_t outlen;
} checked;

static inline checked *compile_path(const char *path) {
  checked *c = calloc(1, sizeof *c);
  assert_non_null(c);
  FILE *f = open_memstream(&c->out, &c->outlen);
  assert_non_null(f);
  diag_init(&c->d, f);
  c->u = compile_file(path, &c->d);
  assert_int_equal(fclose(f), 0);
  strip_codes(c->out);
  c->d.out = NULL;
  return c;
}

/* Writes TEXT to NAME in the test directory and compiles it. */
static inline checked *check_text(const char *name, const char *text) {
  FILE *f = fopen(name, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
  assert_int_equal(fclose(f), 0);
  checked *c = compile_path(name);
  assert_non_null(c->u);
  return c;
}

static inline void checked_free(checked *c) {
  compile_free(c->u);
  free(c->out);
  free(c);
}

/* Fails unless LINE is one whole line of the output. */
static inline void assert_line(const checked *c, const char *line) {
  size_t n = strlen(line);
  for (const char *s = c->out; s && *s; s = strchr(s, '\n') ? strchr(s, '\n') + 1 : NULL)
    if (!strncmp(s, line, n) && (s[n] == '\n' || s[n] == 0)) return;
  fail_msg("no line\n  %s\nin the output:\n%s", line, c->out ? c->out : "");
}

static inline void assert_counts(const checked *c, int errors, int warnings) {
  if (c->d.errors != errors || c->d.warnings != warnings)
    fail_msg("expected %d errors and %d warnings, got %d and %d:\n%s", errors, warnings, c->d.errors, c->d.warnings,
             c->out ? c->out : "");
}

/* The tests' working directory: a fresh folder under /tmp named after the
   test (set up by checked_enter, removed with its files by checked_leave). */
static char checked_dir[64];
static char checked_cwd[4096];

static inline int checked_enter(const char *test) {
  if (!getcwd(checked_cwd, sizeof checked_cwd)) return -1;
  snprintf(checked_dir, sizeof checked_dir, "/tmp/rubric_%s_XXXXXX", test);
  if (!mkdtemp(checked_dir)) return -1;
  return chdir(checked_dir);
}

static inline int checked_leave(void) {
  if (chdir(checked_cwd)) return -1;
  return scratch_remove(checked_dir);
}

#endif
