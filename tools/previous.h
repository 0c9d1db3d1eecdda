/* previous.h: an earlier run's scores table, for `rubric report --previous`. */
#ifndef RUBRIC_TOOLS_PREVIOUS_H
#define RUBRIC_TOOLS_PREVIOUS_H
#include <stdbool.h>

#include "diag.h"
#include "scores.h"

/* Reads the scores table at PATH (columns id, total and rank, as `rubric
   score` writes them; an incomplete row's total and rank are empty) into
   OUT, sorted by id. False after reporting what is wrong, at its line
   (*UNREADABLE: the file could not be read at all). Free with
   previous_free. */
bool previous_load(const char *path, report_previous *out, bool *unreadable, rb_diags *d);
void previous_free(report_previous *p);

#endif
