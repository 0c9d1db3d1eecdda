/*
** text.h — numbers and CSV fields as text, the same on every machine.
*/
#ifndef RUBRIC_OUTPUT_TEXT_H
#define RUBRIC_OUTPUT_TEXT_H

#include <stddef.h>
#include <stdio.h>

/* Shortest decimal text that strtod reads back to exactly d (try %.1g..%.17g, or better);
   -0.0 prints as "0"; integers print without ".0" or exponent when |d| < 1e15 (e.g. "100", "4.8", "0.2"). buf >= 32 bytes.
   Other values print in fixed notation when 1e-4 <= |d| < 1e15 ("0.0001", "123.5") and
   in exponent notation otherwise ("1e-07", "1e+15", "1.5e+300"), the exponent written
   as C's %g does. NaN prints as "nan", infinities as "inf" / "-inf".
   The text does not depend on the locale. */
void out_format_double(double d, char *buf, size_t len);

/* Writes one CSV field, quoting it (RFC 4180) only when it contains , " CR or LF or
   leading/trailing space (or tab). A NULL s writes an empty field. */
void out_csv_field(FILE *fp, const char *s);


#endif /* RUBRIC_OUTPUT_TEXT_H */
