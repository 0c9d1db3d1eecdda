/* compile.c: read, parse, check and lower a scheme file; see compile.h. */
#include "compile.h"

#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "check.h"

extern const unsigned char rubric_prelude[];
extern const size_t rubric_prelude_len;

/* Parses, checks and lowers SRC (the result owns it). */
static sc_file *compile_source(rb_source *src, rb_diags *diags) {
  const char *path = src->path;
  int before = diags->errors;
  sc_file *f = calloc(1, sizeof *f);
  if (!f) abort();
  f->arena = arena_new();
  f->source = src;
  f->prelude = source_from_text("<prelude>", (const char *)rubric_prelude, rubric_prelude_len);
  rb_arena *ast_arena = arena_new(); /* the syntax tree's, freed below */
  ast_file *prelude = parse_source(f->prelude, ast_arena, diags);
  if (src->len == 0 || strspn(src->text, " \t\r\n") == src->len) {
    diag_plain(diags, DIAG_ERROR, R0002, path, "the file is empty (expected a scheme)");
  } else {
    ast_file *file = parse_source(src, ast_arena, diags);
    check_sources read = {0};
    check_extends(file, ast_arena, diags, &read);
    f->bases = read.at;
    f->nbases = read.n;
    check_out out = {.arena = f->arena};
    check_file(file, prelude, ast_arena, diags, &out);
    f->nschemes = out.nschemes;
    f->schemes = out.schemes;
    const rb_source **texts = arena_alloc(f->arena, sizeof *texts * (size_t)(1 + f->nbases)); /* the file's */
    texts[0] = src;
    for (int i = 0; i < f->nbases; i++) texts[1 + i] = f->bases[i];
    for (int k = 0; k < f->nschemes; k++) {
      f->schemes[k]->nsources = 1 + f->nbases;
      f->schemes[k]->sources = texts;
    }
  }
  arena_free(ast_arena);
  f->errors = diags->errors - before;
  return f;
}

sc_file *compile_file(const char *path, rb_diags *diags) {
  source_failure why;
  int errnum;
  rb_source *src = source_read(path, &why, &errnum);
  if (!src) { /* the path goes in the location; diag_plain translates the words */
    switch (why) {
    case SOURCE_CANNOT_OPEN: diag_plain(diags, DIAG_ERROR, R0001, path, "cannot open: %s", strerror(errnum)); break;
    case SOURCE_TOO_LARGE:
      diag_plain(diags, DIAG_ERROR, R0001, path, "larger than %d MB: not a scheme", SOURCE_MAX_BYTES >> 20);
      break;
    case SOURCE_READ_ERROR: diag_plain(diags, DIAG_ERROR, R0001, path, "read error"); break;
    default: diag_plain(diags, DIAG_ERROR, R0001, path, "not a text file (contains a NUL byte)"); break;
    }
    return NULL;
  }
  return compile_source(src, diags);
}

sc_file *compile_text(const char *path, const char *text, size_t len, rb_diags *diags) {
  if (memchr(text, 0, len)) { /* as source_read refuses it in a file */
    diag_plain(diags, DIAG_ERROR, R0001, path, "not a text file (contains a NUL byte)");
    sc_file *f = calloc(1, sizeof *f);
    if (!f) abort();
    f->arena = arena_new();
    f->source = source_from_text(path, "", 0);
    f->prelude = source_from_text("<prelude>", "", 0);
    f->errors = 1;
    return f;
  }
  return compile_source(source_from_text(path, text, len), diags);
}

void compile_free(sc_file *f) {
  if (!f) return;
  arena_free(f->arena);
  source_free(f->source);
  source_free(f->prelude);
  for (int i = 0; i < f->nbases; i++) source_free(f->bases[i]);
  free(f->bases);
  free(f);
}

const sc_scheme *compile_find_scheme(const sc_file *f, const char *id) {
  if (!id) return f->nschemes == 1 ? f->schemes[0] : NULL;
  for (int i = 0; i < f->nschemes; i++)
    if (!strcmp(f->schemes[i]->id, id)) return f->schemes[i];
  return NULL;
}
