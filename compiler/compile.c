/* compile.c: read, parse and check a scheme file; see compile.h. */
#include "compile.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"

extern const unsigned char rubric_prelude[];
extern const size_t rubric_prelude_len;

rb_unit_file *compile_file(const char *path, rb_diags *diags) {
  char err[512];
  rb_source *src = source_read(path, err, sizeof err);
  if (!src) {
    /* source_read says "PATH: why"; the path goes in the location */
    size_t n = strlen(path);
    const char *why = !strncmp(err, path, n) && !strncmp(err + n, ": ", 2) ? err + n + 2 : err;
    diag_plain(diags, DIAG_ERROR, R0001, path, "%s", why);
    return NULL;
  }
  rb_unit_file *u = calloc(1, sizeof *u);
  if (!u) abort();
  u->arena = arena_new();
  u->source = src;
  u->prelude_source = source_from_text("<prelude>", (const char *)rubric_prelude, rubric_prelude_len);
  u->prelude = parse_source(u->prelude_source, u->arena, diags);
  if (src->len == 0 || strspn(src->text, " \t\r\n") == src->len) {
    diag_plain(diags, DIAG_ERROR, R0002, path, "the file is empty (expected a scheme)");
    u->file = arena_alloc(u->arena, sizeof *u->file);
    u->file->src = src;
    return u;
  }
  u->file = parse_source(src, u->arena, diags);
  check_file(u->file, u->prelude, u->arena, diags);
  return u;
}

void compile_free(rb_unit_file *u) {
  if (!u) return;
  arena_free(u->arena);
  source_free(u->source);
  source_free(u->prelude_source);
  free(u);
}

ast_scheme *compile_find_scheme(rb_unit_file *u, const char *id) {
  if (!u->file) return NULL;
  if (!id) return u->file->schemes && !u->file->schemes->next ? u->file->schemes : NULL;
  for (ast_scheme *s = u->file->schemes; s; s = s->next)
    if (!strcmp(s->id, id)) return s;
  return NULL;
}
