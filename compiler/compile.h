/* compile.h: the front end in one call: read, parse (with the prelude),
 * check. Code generation is separate (codegen.h) so `rubric check` never
 * touches LLVM.
 */
#ifndef RUBRIC_COMPILE_H
#define RUBRIC_COMPILE_H
#include "ast.h"
#include "diag.h"

typedef struct rb_unit_file {
  rb_arena *arena;     /* owns the ASTs */
  rb_source *source;   /* the scheme file */
  rb_source *prelude_source;
  ast_file *file, *prelude;
} rb_unit_file;

/* Reads, parses and checks PATH. Diagnostics go to DIAGS. Returns NULL only
   when the file cannot be read (reported to DIAGS); otherwise the unit,
   which is usable for code generation only if DIAGS has no errors.
   Caller owns the result; free with compile_free. */
rb_unit_file *compile_file(const char *path, rb_diags *diags);
void compile_free(rb_unit_file *u);

/* The scheme named ID, or the only scheme when ID is NULL; NULL otherwise. */
ast_scheme *compile_find_scheme(rb_unit_file *u, const char *id);

#endif
