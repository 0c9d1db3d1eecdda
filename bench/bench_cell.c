/* bench_cell.c: see bench_cell.h. Plain digits (with at most one point and
 * 15 digits in all) take a fast path that gives strtod's result exactly: the
 * digits are an exact double, so is 10^k for k <= 15, and one division of
 * exact doubles is correctly rounded. Anything else (groups, exponents, %)
 * is checked against the grammar's characters and read with strtod. */
#include "bench_cell.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const double pow10_exact[16] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

static void trim(const char **s, size_t *len) {
  while (*len && (**s == ' ' || **s == '\t')) (*s)++, (*len)--;
  while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t')) (*len)--;
}

static inline int is_digit(char c) { return c >= '0' && c <= '9'; }

/* The general case: groups removed and checked, % taken off, then strtod. */
static bench_cell_status slow_number(const char *s, size_t len, double *out) {
  char buf[80];
  size_t n = 0;
  int percent = 0;
  if (len && s[len - 1] == '%') {
    percent = 1;
    len--;
  }
  if (len == 0 || len >= sizeof buf) return BENCH_CELL_BAD;
  size_t group = 0; /* digits since the last ',' (or the start), while grouped */
  int grouped = 0, in_int = 1;
  for (size_t k = 0; k < len; k++) {
    char c = s[k];
    if (c == ',') { /* "1,234": 1-3 digits, then groups of exactly 3 */
      if (!in_int || group == 0 || group > 3 || (grouped && group != 3)) return BENCH_CELL_BAD;
      if (!grouped && (s[k - group] == '0')) return BENCH_CELL_BAD; /* "0,5" is no grouped number */
      grouped = 1;
      group = 0;
      continue;
    }
    if (is_digit(c)) group++;
    else if (c == '.' || c == 'e' || c == 'E') {
      if (grouped && group != 3) return BENCH_CELL_BAD;
      in_int = 0;
    } else if (!(c == '+' || c == '-')) return BENCH_CELL_BAD; /* no hex, inf, nan */
    buf[n++] = c;
  }
  if (grouped && in_int && group != 3) return BENCH_CELL_BAD;
  buf[n] = '\0';
  char *end;
  double v = strtod(buf, &end);
  if (end != buf + n || n == 0) return BENCH_CELL_BAD;
  *out = percent ? v / 100 : v;
  return BENCH_CELL_OK;
}

bench_cell_status bench_cell_number(const char *s, size_t len, double *out) {
  trim(&s, &len);
  if (!len) return BENCH_CELL_EMPTY;
  uint64_t digits = 0;
  size_t k = 0, ndigits = 0, point = len;
  for (; k < len; k++) {
    char c = s[k];
    if (is_digit(c)) {
      digits = digits * 10 + (uint64_t)(c - '0');
      ndigits++;
    } else if (c == '.' && point == len) point = k;
    else break;
  }
  if (k == len && ndigits && ndigits <= 15) {
    double v = (double)digits;
    size_t decimals = point == len ? 0 : len - point - 1;
    *out = decimals ? v / pow10_exact[decimals] : v;
    return BENCH_CELL_OK;
  }
  return slow_number(s, len, out);
}

bench_cell_status bench_cell_yesno(const char *s, size_t len, double *out) {
  trim(&s, &len);
  if (!len) return BENCH_CELL_EMPTY;
  static const char *const yes[] = {"1", "yes", "true"}, *const no[] = {"0", "no", "false"};
  for (int k = 0; k < 3; k++) {
    if (len == strlen(yes[k]) && !strncasecmp(s, yes[k], len)) return *out = 1, BENCH_CELL_OK;
    if (len == strlen(no[k]) && !strncasecmp(s, no[k], len)) return *out = 0, BENCH_CELL_OK;
  }
  if (len == 3 && !memcmp(s, "是", 3)) return *out = 1, BENCH_CELL_OK;
  if (len == 3 && !memcmp(s, "否", 3)) return *out = 0, BENCH_CELL_OK;
  return BENCH_CELL_BAD;
}
