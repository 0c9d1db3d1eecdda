/* dates.c: day numbers of the Gregorian calendar and the text of a date;
 * see dates.h. The conversions are H. Hinnant's days_from_civil and
 * civil_from_days, exact over any year a table holds. */
#include "dates.h"

#include <stdio.h>
#include <string.h>

int64_t date_days(int y, int m, int d) {
  int64_t yy = y - (m <= 2);
  int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
  int64_t yoe = yy - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void date_civil(int64_t n, int *y, int *m, int *d) {
  n += 719468;
  int64_t era = (n >= 0 ? n : n - 146096) / 146097;
  int64_t doe = n - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = (int)(yoe + era * 400 + (*m <= 2));
}

int date_weekday(int64_t n) {
  /* 1970-01-01 was a Thursday (3) */
  int64_t w = (n + 3) % 7;
  return (int)(w < 0 ? w + 7 : w);
}

const char *date_format(int64_t n, char *buf, size_t len) {
  int y, m, d;
  date_civil(n, &y, &m, &d);
  snprintf(buf, len, "%04d-%02d-%02d", y, m, d);
  return buf;
}

static bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* Reads 1 to MAX digits at *p (before E) into *v. */
static bool digits(const char **p, const char *e, int min, int max, int *v) {
  int k = 0, x = 0;
  while (*p < e && **p >= '0' && **p <= '9' && k < max) x = x * 10 + (*(*p)++ - '0'), k++;
  if (k < min) return false;
  if (*p < e && **p >= '0' && **p <= '9') return false; /* too many digits */
  *v = x;
  return true;
}

/* The separator SEP (ASCII or a UTF-8 word such as 年) at *p. */
static bool word(const char **p, const char *e, const char *sep) {
  size_t n = strlen(sep);
  if ((size_t)(e - *p) < n || memcmp(*p, sep, n)) return false;
  *p += n;
  return true;
}

date_status date_parse(const char *s, size_t len, int64_t *day) {
  const char *p = s, *e = s + len;
  while (p < e && (*p == ' ' || *p == '\t')) p++;
  while (e > p && (e[-1] == ' ' || e[-1] == '\t')) e--;
  if (p == e) return DATE_EMPTY;
  int y, m, d;
  if (!digits(&p, e, 4, 4, &y) || y < 1000) return DATE_BAD;
  bool chinese = word(&p, e, "年");
  char sep = 0;
  if (!chinese) {
    if (p < e && (*p == '-' || *p == '/')) sep = *p++;
    else return DATE_BAD;
  }
  if (!digits(&p, e, 1, 2, &m)) return DATE_BAD;
  if (chinese ? !word(&p, e, "月") : !(p < e && *p++ == sep)) return DATE_BAD;
  if (!digits(&p, e, 1, 2, &d)) return DATE_BAD;
  if (chinese && !word(&p, e, "日")) return DATE_BAD;
  if (p != e) return DATE_BAD;
  static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1] + (m == 2 && is_leap(y))) return DATE_NO_DAY;
  *day = date_days(y, m, d);
  return DATE_OK;
}
