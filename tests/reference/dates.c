/* dates.c: dates and the holiday calendar for the reference interpreter,
 * from spec/data.md (the cells, the calendar file) and spec/semantics.md
 * (working days) alone: days through the C library's timegm and gmtime,
 * working days counted one day at a time; nothing of compiler/dates.c or
 * runtime/load/calendar.c. */
#define _DEFAULT_SOURCE /* timegm */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ref.h"

/* N digits (MIN..MAX of them) at *P into *V. */
static bool digits(const char **p, int min, int max, int *v) {
  int k = 0;
  *v = 0;
  while (**p >= '0' && **p <= '9') {
    if (++k > max) return false;
    *v = *v * 10 + (*(*p)++ - '0');
  }
  return k >= min;
}

static bool word(const char **p, const char *w) {
  size_t n = strlen(w);
  if (strncmp(*p, w, n)) return false;
  *p += n;
  return true;
}

bool ref_parse_date(const char *s, long *day) {
  char *t = trim_dup(s);
  const char *p = t;
  int y, m, d;
  bool cn = false, ok = digits(&p, 4, 4, &y) && y >= 1000;
  char sep = 0;
  if (ok) {
    if (word(&p, "年")) cn = true;
    else if (*p == '-' || *p == '/') sep = *p++;
    else ok = false;
  }
  ok = ok && digits(&p, 1, 2, &m) && (cn ? word(&p, "月") : *p++ == sep) && digits(&p, 1, 2, &d) &&
       (!cn || word(&p, "日")) && !*p;
  free(t);
  if (!ok) return false;
  struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = 12};
  time_t secs = timegm(&tm);
  struct tm back;
  gmtime_r(&secs, &back);
  if (back.tm_year != y - 1900 || back.tm_mon != m - 1 || back.tm_mday != d) return false; /* no such day */
  *day = (long)(secs / 86400);
  return true;
}

static int by_day(const void *a, const void *b) {
  long x = *(const long *)a, y = *(const long *)b;
  return x < y ? -1 : x > y;
}

bool ref_calendar_load(const char *path, ref_calendar *cal) {
  table t;
  memset(cal, 0, sizeof *cal);
  if (!table_read(path, &t)) return false;
  int cd = table_col(&t, "date"), ck = table_col(&t, "kind");
  bool ok = cd >= 0 && ck >= 0 && t.nrows > 0;
  cal->off = malloc(sizeof(long) * (size_t)(t.nrows + 1));
  cal->on = malloc(sizeof(long) * (size_t)(t.nrows + 1));
  if (!cal->off || !cal->on) abort();
  for (int r = 0; ok && r < t.nrows; r++) {
    long d;
    char *k = trim_dup(table_cell(&t, r, ck));
    ok = ref_parse_date(table_cell(&t, r, cd), &d);
    if (ok && (!strcmp(k, "休") || !strcmp(k, "holiday"))) cal->off[cal->noff++] = d;
    else if (ok && (!strcmp(k, "班") || !strcmp(k, "workday"))) cal->on[cal->non++] = d;
    else ok = false;
    free(k);
    if (ok) {
      time_t secs = (time_t)d * 86400;
      struct tm tm;
      gmtime_r(&secs, &tm);
      int year = tm.tm_year + 1900;
      if (!cal->first_year || year < cal->first_year) cal->first_year = year;
      if (!cal->last_year || year > cal->last_year) cal->last_year = year;
    }
  }
  table_free(&t);
  if (!ok) {
    fprintf(stderr, "rubric-ref: %s: not a holiday calendar rubric would read\n", path);
    ref_calendar_free(cal);
    return false;
  }
  qsort(cal->off, (size_t)cal->noff, sizeof(long), by_day);
  qsort(cal->on, (size_t)cal->non, sizeof(long), by_day);
  return true;
}

void ref_calendar_free(ref_calendar *cal) {
  free(cal->off);
  free(cal->on);
  memset(cal, 0, sizeof *cal);
}

static bool listed(const long *v, int n, long d) { return n && bsearch(&d, v, (size_t)n, sizeof(long), by_day); }

/* The calendar covers D: D is in one of its whole years. */
static bool covers(const ref_calendar *cal, long d) {
  time_t secs = (time_t)d * 86400;
  struct tm tm;
  gmtime_r(&secs, &tm);
  return tm.tm_year + 1900 >= cal->first_year && tm.tm_year + 1900 <= cal->last_year;
}

/* Monday to Friday and not a day off, or a day listed as worked. */
static bool working(const ref_calendar *cal, long d) {
  if (listed(cal->on, cal->non, d)) return true;
  time_t secs = (time_t)d * 86400;
  struct tm tm;
  gmtime_r(&secs, &tm);
  return tm.tm_wday >= 1 && tm.tm_wday <= 5 && !listed(cal->off, cal->noff, d);
}

bool ref_workdays(const ref_calendar *cal, long a, long b, long *out) {
  if (!covers(cal, a) || !covers(cal, b)) return false;
  long lo = a < b ? a : b, hi = a < b ? b : a, n = 0;
  for (long d = lo + 1; d <= hi; d++) n += working(cal, d); /* after the first day, up to the last */
  *out = a <= b ? n : -n;
  return true;
}
