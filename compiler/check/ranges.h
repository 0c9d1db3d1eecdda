/* ranges.h: the range proof. An interval analysis of every rule of a
 * checked scheme, from the inputs' declared ranges, gives what each part
 * can score; it reports rules that can leave [0, points], points no entity
 * can earn, divisions whose denominator can be 0, and maxima that do not
 * add up to the total.
 */
#ifndef RUBRIC_CHECK_RANGES_H
#define RUBRIC_CHECK_RANGES_H
#include "diag.h"
#include "scheme.h"

/* Proves what every part of S can score: fills the proof's fields of each
   sc_part (scheme.h) and reports through DIAGS. */
void ranges_prove(sc_scheme *s, rb_diags *diags);

#endif
