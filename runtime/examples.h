/* examples.h: running a scheme's example blocks through its native code. */
#ifndef RUBRIC_EXAMPLES_H
#define RUBRIC_EXAMPLES_H
#include <stdio.h>

#include "ast.h"
#include "codegen.h"

/* Runs every example of S with FN: each is one row whose given inputs are
   set and the rest NaN (the checker proved no expected score reads them).
   Prints one line per example to OUT and returns the number that failed. */
int examples_run(rb_score_fn fn, const ast_scheme *s, const cg_site *sites, int nsites, FILE *out, int *passed);

#endif
