/*
** text.h — CSV fields as text, the same on every machine (numbers: fixed_format).
*/
#ifndef RUBRIC_OUTPUT_TEXT_H
#define RUBRIC_OUTPUT_TEXT_H

#include <stddef.h>
#include <stdio.h>

#include "outbuf.h"

/* Writes one CSV field, quoting it (RFC 4180) only when it contains , " CR or LF or
   leading/trailing space (or tab). A NULL s writes an empty field. */
void out_csv_field(FILE *fp, const char *s);
/* S as a JSON string: UTF-8 as it is; quotes, backslashes and control
   characters escaped. NULL is "". */
void out_json_string(FILE *fp, const char *s);
/* The same field, appended to B: the same bytes. */
void out_buf_csv_field(out_buf *b, const char *s);


#endif /* RUBRIC_OUTPUT_TEXT_H */
