/* calendar.c: the holiday calendar file to the column workdays reads
 * (calendar.h). Working days are Monday to Friday, less the file's
 * holidays (休), plus its swapped working days (班, 调休上班); the
 * calendar covers whole years, from the earliest year its rows name to the
 * latest, so a date it does not cover is an error, never a guess.
 */
#include "calendar.h"

#include <stdlib.h>
#include <string.h>

#include "abi.h"
#include "csv.h"
#include "dates.h"

/* The whole years that bound every row's date (no two bounds: no rows). */
#define CAL_MAX_YEARS 200

void calendar_count(const unsigned char *working, int64_t ndays, rb_fixed *w) {
  rb_fixed n = 0;
  for (int64_t i = 0; i < ndays; i++) w[i] = (n += working[i] ? FIXED_ONE : 0);
}

/* Where a problem is: the calendar's line, and its column when known. */
static rb_data_loc at_line(const char *path, long line, const char *column) {
  rb_data_loc at = {path, line, NULL, column};
  return at;
}

/* 1 for a working day, 0 for a day off, -1 for neither word. */
static int kind_of(const char *k) {
  while (*k == ' ' || *k == '\t') k++;
  size_t n = strlen(k);
  while (n && (k[n - 1] == ' ' || k[n - 1] == '\t')) n--;
  if ((n == 3 && !memcmp(k, "休", 3)) || (n == 7 && !strncmp(k, "holiday", 7))) return 0;
  if ((n == 3 && !memcmp(k, "班", 3)) || (n == 7 && !strncmp(k, "workday", 7))) return 1;
  return -1;
}

rb_calendar *calendar_load(const char *path, rb_diags *d) {
  char err[1024];
  csv_table *t = csv_read(path, err, sizeof err);
  if (!t) {
    diag_plain(d, DIAG_ERROR, R1180, NULL, "the holiday calendar cannot be read: %s", err);
    return NULL;
  }
  long cd = csv_column(t, "date"), ck = csv_column(t, "kind");
  if (cd < 0 || ck < 0) {
    diag_data(d, DIAG_ERROR, R1180, at_line(path, 1, NULL),
              "a holiday calendar has the columns 'date' and 'kind' (休 or holiday, 班 or workday)");
    csv_free(t);
    return NULL;
  }
  int errors = 0;
  int64_t *day = malloc((t->nrows + 1) * sizeof *day);
  signed char *kind = malloc(t->nrows + 1);
  if (!day || !kind) abort();
  int ylo = 0, yhi = 0;
  for (size_t r = 0; r < t->nrows; r++) {
    const char *dt = csv_cell(t, r, (size_t)cd), *kt = csv_cell(t, r, (size_t)ck);
    date_status st = date_parse(dt, strlen(dt), &day[r]);
    kind[r] = (signed char)kind_of(kt);
    if (st != DATE_OK) {
      diag_data(d, DIAG_ERROR, R1180, at_line(path, t->line[r], "date"), "'%s' %s", dt,
                st == DATE_NO_DAY ? diag_tr("is no day of the calendar")
                                  : diag_tr("is not a date (write 2024-03-15, 2024/3/15 or 2024年3月15日)"));
      errors++;
      continue;
    }
    if (kind[r] < 0) {
      diag_data(d, DIAG_ERROR, R1180, at_line(path, t->line[r], "kind"),
                "'%s' is not a kind of day: write 休 (or holiday) for a day off, 班 (or workday) for a working day", kt);
      errors++;
      continue;
    }
    int y, m, dd;
    date_civil(day[r], &y, &m, &dd);
    if (!ylo || y < ylo) ylo = y;
    if (!yhi || y > yhi) yhi = y;
  }
  if (!errors && !ylo)
    diag_data(d, DIAG_ERROR, R1180, at_line(path, 1, NULL),
              "the holiday calendar names no day: list the year's holidays (休) and swapped working days (班)"), errors++;
  if (!errors && yhi - ylo >= CAL_MAX_YEARS)
    diag_data(d, DIAG_ERROR, R1180, at_line(path, 1, NULL),
              "the holiday calendar spans %d to %d: at most %d years", ylo, yhi, CAL_MAX_YEARS), errors++;
  rb_calendar *cal = NULL;
  if (!errors) {
    int64_t first = date_days(ylo, 1, 1), ndays = date_days(yhi, 12, 31) - first + 1;
    unsigned char *working = malloc((size_t)ndays);
    long *seen = calloc((size_t)ndays, sizeof *seen); /* the line that named each day, to catch a day named twice */
    if (!working || !seen) abort();
    for (int64_t i = 0; i < ndays; i++) working[i] = date_weekday(first + i) < 5;
    for (size_t r = 0; r < t->nrows; r++) {
      int64_t i = day[r] - first;
      if (seen[i]) {
        char b[16];
        diag_data(d, DIAG_ERROR, R1180, at_line(path, t->line[r], "date"),
                  "%s is already listed on line %ld", date_format(day[r], b, sizeof b), seen[i]);
        errors++;
      }
      seen[i] = t->line[r];
      working[i] = (unsigned char)kind[r];
    }
    if (!errors) {
      cal = malloc(sizeof *cal);
      rb_fixed *col = malloc((size_t)(ndays + ABI_CALENDAR_W) * sizeof *col);
      if (!cal || !col) abort();
      col[ABI_CALENDAR_FIRST] = first;
      col[ABI_CALENDAR_DAYS] = ndays;
      calendar_count(working, ndays, col + ABI_CALENDAR_W);
      *cal = (rb_calendar){first, ndays, col};
    }
    free(working);
    free(seen);
  }
  free(day);
  free(kind);
  csv_free(t);
  return cal;
}

void calendar_free(rb_calendar *c) {
  if (!c) return;
  free(c->column);
  free(c);
}
