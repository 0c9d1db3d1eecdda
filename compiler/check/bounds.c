/* bounds.c: the values an input may take, asked of its declaration and of
 * an example's values (check.h): the same questions the runtime asks of
 * the checked scheme, answered by the same code (scheme.c).
 */
#include "ck.h"

/* The part of a checked input that bounds its values. */
static sc_input as_checked(const ast_input *in) {
  return (sc_input){.name = in->name, .type = in->tkind, .has_lo = in->has_lo, .has_hi = in->has_hi, .lo = in->lo,
                    .hi = in->hi, .nlabels = in->nlabels};
}

void check_input_bounds(const ast_input *in, double *lo, double *hi) {
  sc_input x = as_checked(in);
  scheme_input_bounds(&x, lo, hi);
}

const char *check_input_value(const ast_input *in, rb_decimal v, char *buf, size_t len) {
  sc_input x = as_checked(in);
  rb_fixed f;
  if (!fixed_from_decimal(v, &f)) return diag_tr("is not a number Rubric holds (18 decimals, under 10^20)");
  return scheme_input_value(&x, f, buf, len);
}
