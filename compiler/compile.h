/* compile.h: the compiler's front door: a scheme file's text to its checked
 * schemes (scheme.h). Reads the file, parses it with the prelude, checks
 * it, and keeps the checked schemes; the syntax tree is freed before this
 * returns. Code generation is separate (codegen/codegen.h), so `rubric
 * check` never touches LLVM.
 */
#ifndef RUBRIC_COMPILE_H
#define RUBRIC_COMPILE_H
#include "arena.h"
#include "diag.h"
#include "scheme.h"

typedef struct sc_file {
  rb_arena *arena;         /* owns the schemes */
  rb_source *source;       /* the scheme file; locations point into it */
  rb_source *prelude;      /* the embedded prelude, for locations in its forms */
  rb_source **bases;       /* the files of base schemes (`extends a in "a.rubric"`), for locations in them */
  int nbases;
  int errors;              /* errors found in the file */
  int nschemes;
  sc_scheme **schemes;     /* the schemes that checked without errors, in source order */
} sc_file;

/* Reads, parses and checks PATH. Diagnostics go to DIAGS. Returns NULL only
   when the file cannot be read (reported to DIAGS as R0001); otherwise the
   file, whose schemes are those that checked clean (all of them when
   errors is 0). Caller owns the result; free with compile_free. */
sc_file *compile_file(const char *path, rb_diags *diags);
/* The same for TEXT (LEN bytes, copied) under the name PATH, for text that
   is not in a file (fuzzing, tests). Never NULL. */
sc_file *compile_text(const char *path, const char *text, size_t len, rb_diags *diags);
void compile_free(sc_file *f);

/* The scheme named ID, or the only scheme when ID is NULL; NULL otherwise. */
const sc_scheme *compile_find_scheme(const sc_file *f, const char *id);

#endif
