/* examples.h: a scheme's example blocks run through its native code
 * (`rubric test`).
 */
#ifndef RUBRIC_EXAMPLES_H
#define RUBRIC_EXAMPLES_H
#include "diag.h"
#include "native.h"

/* Runs every example of N's scheme: each is one row whose given inputs are
   set and the rest not numbers (the checker proved no expected score reads them).
   Each expectation that does not hold is reported to D (R1301, at the
   expectation). Adds the examples that passed to *PASSED and returns the
   number that failed. CALENDAR is the holiday calendar's column (abi.h),
   for a scheme that calls workdays; NULL when none was given, and then
   every example of such a scheme fails with R1180 at the first call. */
int examples_run(const native_scheme *n, const rb_fixed *calendar, rb_diags *d, int *passed);

#endif
