/* lower.h: the syntax tree of a scheme that checked clean, into the checked
 * scheme (scheme.h). The last step of checking a scheme.
 */
#ifndef RUBRIC_CHECK_LOWER_H
#define RUBRIC_CHECK_LOWER_H
#include "ast.h"
#include "scheme.h"

/* Builds the checked scheme of A, which checked without errors, in ARENA
   (the scheme file's: strings are copied, so A's arena may be freed once
   this returns). */
sc_scheme *lower_scheme(const ast_scheme *a, rb_arena *arena);

#endif
