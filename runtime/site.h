/* site.h: a generated function's error site (codegen.h, cg_site) as a
 * message. */
#ifndef RUBRIC_SITE_H
#define RUBRIC_SITE_H
#include <stddef.h>

#include "codegen.h"
#include "diag.h"

/* The message for a failed score, e.g. "division by zero in 'a / b'
   (f.rubric:3:9)", and its code (R1201 ...). */
diag_code site_describe(const cg_site *site, char *buf, size_t len);

#endif
