/* ranges.h: the range proof. An interval analysis of every rule, from the
 * inputs' declared ranges, gives what each part can score; it reports rules
 * that can leave [0, points], points no entity can earn, divisions whose
 * denominator can be 0, and maxima that do not add up to the total.
 */
#ifndef RUBRIC_RANGES_H
#define RUBRIC_RANGES_H
#include <stdio.h>

#include "ast.h"

/* Analyses a scheme that checked without errors; fills ast_part.lo/hi and
   reports through DIAGS. */
void ranges_check(ast_scheme *s, rb_arena *arena, rb_diags *diags);

/* The table of `rubric check --ranges`: part, points, min, max. */
void ranges_print(FILE *out, const ast_scheme *s);

#endif
