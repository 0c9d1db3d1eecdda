/* diag.h: diagnostics, accumulated on a context and counted.
 *
 * Every message is printed as
 *   file:line:col: error: message
 *     source line
 *     ^~~~~~
 * followed by optional notes in the same form. Stages report and go on;
 * the driver looks at the counts once at the end (SQLite style).
 */
#ifndef RUBRIC_DIAG_H
#define RUBRIC_DIAG_H
#include <stdio.h>

#include "source.h"

typedef enum { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE } diag_severity;

typedef struct rb_diags {
  FILE *out;        /* where messages go (stderr by default) */
  int errors, warnings;
  int max_errors;   /* stop printing after this many errors (0: no limit) */
  int muted;        /* > 0: report nothing (re-checking code already reported) */
} rb_diags;

void diag_init(rb_diags *d, FILE *out);
void diag_report(rb_diags *d, diag_severity sev, rb_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
#define diag_error(d, loc, ...) diag_report((d), DIAG_ERROR, (loc), __VA_ARGS__)
#define diag_warning(d, loc, ...) diag_report((d), DIAG_WARNING, (loc), __VA_ARGS__)
#define diag_note(d, loc, ...) diag_report((d), DIAG_NOTE, (loc), __VA_ARGS__)
/* A message about a whole file or about no file ("path: error: ..."). */
void diag_plain(rb_diags *d, diag_severity sev, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Terminal columns taken by the UTF-8 text [s, s+n): CJK and full-width
   characters take two, so carets line up under Chinese text. */
int diag_display_width(const char *s, size_t n);

#endif
