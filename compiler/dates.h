/* dates.h: days of the Gregorian calendar as day numbers (days since
 * 1970-01-01, negative before), and the text of a date as tables and
 * examples write it. Pure functions: no locale, no time zone, no
 * allocation. Shared by the loader (runtime/load/cell.c, calendar.c) and
 * the checker (an example's date).
 */
#ifndef RUBRIC_DATES_H
#define RUBRIC_DATES_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
  DATE_OK,
  DATE_EMPTY,   /* empty or only spaces */
  DATE_BAD,     /* not written as a date */
  DATE_NO_DAY,  /* written as a date, but no such day (2024-02-30) */
} date_status;

/* The day number of Y-M-D (a valid day; M 1..12, D 1..days in M). */
int64_t date_days(int y, int m, int d);
/* The year, month and day of day number N. */
void date_civil(int64_t n, int *y, int *m, int *d);
/* 0 Monday .. 6 Sunday. */
int date_weekday(int64_t n);
/* "2024-03-15" into BUF (at least 16 bytes). */
const char *date_format(int64_t n, char *buf, size_t len);
/* A date written 2024-03-15, 2024-3-15, 2024/3/15 or 2024年3月15日
   (a year of four digits, 1000..9999; month and day of one or two),
   surrounding spaces and tabs allowed, on the LEN bytes at S. *day is
   written only on DATE_OK. */
date_status date_parse(const char *s, size_t len, int64_t *day);

#endif
