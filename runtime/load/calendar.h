/* calendar.h: the holiday calendar a user supplies (`--calendar FILE`,
 * spec/data.md#the-holiday-calendar) as the column workdays(a, b) reads
 * (codegen/abi.h): which days are working days, counted up.
 */
#ifndef RUBRIC_CALENDAR_H
#define RUBRIC_CALENDAR_H
#include <stdint.h>

#include "diag.h"
#include "fixed.h"

typedef struct rb_calendar {
  int64_t first;   /* the first day covered: January 1 of the earliest year a row names */
  int64_t ndays;   /* days covered, to December 31 of the latest year a row names */
  rb_fixed *column; /* owned: the abi.h layout, 2 + ndays numbers */
} rb_calendar;

/* Reads the calendar at PATH: a CSV table with columns `date` and `kind`
   (休 or holiday: a day off; 班 or workday: a working day, such as a
   Saturday worked in exchange, 调休). Every other day is a working day
   from Monday to Friday and a day off on Saturday and Sunday. Returns
   NULL after reporting each problem to D (R1180, located by file:line).
   Free with calendar_free. */
rb_calendar *calendar_load(const char *path, rb_diags *d);
/* The cumulative counts alone, for tests: W[i] = the working days from
   FIRST to FIRST + i, both included, given the day off / working day of
   each (KIND[i]: 1 working, 0 off). */
void calendar_count(const unsigned char *working, int64_t ndays, rb_fixed *w);
void calendar_free(rb_calendar *c);

#endif
