/* gen_chengwu.c: N counties of Chengwu-shaped data, the input of the
 * end-to-end benchmark (bench/run.sh).
 *
 *   rubric-bench-gen N OUTDIR [SEED]
 *
 * Writes OUTDIR/entities.csv (one row per county: id, name, the 31 inputs
 * of examples/chengwu/chengwu_2022.rubric without `per`, and a `remark`
 * column the scheme does not read) and OUTDIR/periods.csv (12 rows per
 * county: id, month, the 4 per-month inputs). The bytes depend only on N
 * and SEED (default 1).
 *
 * The files look like what a credit office exports from a spreadsheet
 * (spec/data.md, "CSV format" and "Cell values"), so that loading them
 * costs what loading real files costs: a UTF-8 byte order mark and CRLF
 * line ends; names quoted because they hold a comma or a quote; a remark
 * column that is mostly empty, sometimes quoted text with a comma or a line
 * break; counts with thousands groups ("1,234,567") or an exponent
 * (1.5e3), ids and numbers with spaces around them; rates written as 97%,
 * 0.97, 0.0123% or 1.23e-4; yes/no as 1/0, 是/否, yes/no or TRUE/false;
 * some counties' months out of order. The scheme has no `missing` rule, so
 * no input cell is empty (only `name` and `remark`, which it does not read).
 *
 * Every value is valid and every county scores: population under a
 * million, at least one market entity and one operating firm, fractions
 * from 0 to 1, system scores from 0 to 0.7. The ranges follow
 * tests/chengwu/gen_data.py, so the counties spread over every tier; a few
 * sit exactly on a threshold (0.3%, 3%, 80%, 10亿, 7000万, checks equal to
 * entities), where binary doubles still agree with the exact decimals, so
 * the baseline's totals can be compared with rubric's to 1e-9.
 *
 * Written in C for speed: 1,000,000 counties (about 0.7 GB) take seconds.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- deterministic random numbers (splitmix64) ---------------------------- */

static uint64_t rng_state;
static uint64_t next_random(void) {
  uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}
/* A whole number from LO to HI inclusive. */
static long long between(long long lo, long long hi) {
  return lo + (long long)(next_random() % (uint64_t)(hi - lo + 1));
}
/* True with probability PERCENT / 100. */
static bool percent_chance(int percent) { return next_random() % 100 < (uint64_t)percent; }
/* Uniform in [0, 1). */
static double unit(void) { return (double)(next_random() >> 11) / 9007199254740992.0; }

/* ---- buffered output ------------------------------------------------------ */

enum { OUT_BUFFER = 1 << 22 };

typedef struct writer {
  FILE *f;
  const char *path;
  char *buf;
  size_t len;
  long long bytes;
} writer;

static void die_write(const writer *w) {
  fprintf(stderr, "rubric-bench-gen: %s: write failed: %s\n", w->path, strerror(errno));
  exit(1);
}
static void flush_out(writer *w) {
  if (w->len && fwrite(w->buf, 1, w->len, w->f) != w->len) die_write(w);
  w->bytes += (long long)w->len;
  w->len = 0;
}
/* Makes room for at least 64 bytes, the most one put_* call writes. */
static inline char *room(writer *w) {
  if (w->len + 64 > OUT_BUFFER) flush_out(w);
  return w->buf + w->len;
}
static void put_text(writer *w, const char *s) {
  size_t n = strlen(s);
  if (w->len + n > OUT_BUFFER) flush_out(w);
  memcpy(w->buf + w->len, s, n);
  w->len += n;
}
static inline void put_char(writer *w, char c) {
  room(w);
  w->buf[w->len++] = c;
}
/* The digits of V. */
static inline void put_uint(writer *w, uint64_t v) {
  char tmp[24];
  int n = 0;
  do tmp[n++] = (char)('0' + v % 10);
  while (v /= 10);
  char *p = room(w);
  for (int k = 0; k < n; k++) p[k] = tmp[n - 1 - k];
  w->len += (size_t)n;
}
/* COEF / 10^SCALE as a plain decimal, without trailing zeros; LEADING_ZERO
   false writes .5 for 0.5, as a spreadsheet may. */
static void put_decimal(writer *w, uint64_t coef, int scale, bool leading_zero) {
  uint64_t p10 = 1;
  for (int k = 0; k < scale; k++) p10 *= 10;
  uint64_t whole = coef / p10, frac = coef % p10;
  if (whole || leading_zero || !frac) put_uint(w, whole);
  if (!frac) return;
  while (frac % 10 == 0) {
    frac /= 10;
    scale--;
  }
  char digits[24];
  for (int k = scale - 1; k >= 0; k--) {
    digits[k] = (char)('0' + frac % 10);
    frac /= 10;
  }
  put_char(w, '.');
  char *p = room(w);
  memcpy(p, digits, (size_t)scale);
  w->len += (size_t)scale;
}
/* COEF / 10^SCALE with an exponent: 78650000 as 7.865e7, 0.000123 as 1.23e-4. */
static void put_exponent(writer *w, uint64_t coef, int scale) {
  if (!coef) {
    put_text(w, "0e0");
    return;
  }
  char digits[24];
  int n = 0;
  for (uint64_t v = coef; v; v /= 10) digits[n++] = (char)('0' + v % 10); /* reversed */
  int exponent = n - 1 - scale, last = 0;
  while (digits[last] == '0') last++; /* trailing zeros of the mantissa */
  put_char(w, digits[n - 1]);
  if (n - 1 > last) {
    put_char(w, '.');
    for (int k = n - 2; k >= last; k--) put_char(w, digits[k]);
  }
  put_char(w, 'e');
  if (exponent < 0) {
    put_char(w, '-');
    exponent = -exponent;
  }
  put_uint(w, (uint64_t)exponent);
}
/* The digits of V with thousands groups: 1,234,567. */
static void put_grouped_digits(writer *w, uint64_t v) {
  char tmp[32];
  int n = 0, k = 0;
  do {
    if (k && k % 3 == 0) tmp[n++] = ',';
    tmp[n++] = (char)('0' + v % 10);
    k++;
  } while (v /= 10);
  char *p = room(w);
  for (int i = 0; i < n; i++) p[i] = tmp[n - 1 - i];
  w->len += (size_t)n;
}
/* V with thousands groups, quoted since it holds commas: "1,234,567". */
static void put_grouped(writer *w, uint64_t v) {
  put_char(w, '"');
  put_grouped_digits(w, v);
  put_char(w, '"');
}

/* ---- cells ---------------------------------------------------------------- */

/* A count or a whole amount, written the ways spreadsheets write them. */
static void put_count(writer *w, uint64_t v) {
  int style = (int)(next_random() % 100);
  if (style < 6 && v >= 1000) put_grouped(w, v);
  else if (style < 10 && v >= 1000) put_exponent(w, v, 0);
  else if (style == 10) {
    put_char(w, ' '); /* spaces around a number are allowed */
    put_uint(w, v);
    put_char(w, ' ');
  } else put_uint(w, v);
}
/* Money in cents: whole yuan mostly, sometimes with cents, grouped or with
   an exponent. */
static void put_money(writer *w, uint64_t cents) {
  int style = (int)(next_random() % 100);
  if (style < 5 && cents >= 100000) { /* "1,184,000,000.5" */
    put_char(w, '"');
    put_grouped_digits(w, cents / 100);
    if (cents % 100) {
      put_char(w, '.');
      put_uint(w, cents % 100 / 10);
      if (cents % 10) put_uint(w, cents % 10);
    }
    put_char(w, '"');
  } else if (style < 12) put_exponent(w, cents, 2);
  else put_decimal(w, cents, 2, true);
}
/* A rate COEF / 10^6: 0.000123, 0.0123%, 1.23e-4; 97%, 0.97; 1, 1.0, 100%. */
static void put_rate(writer *w, uint64_t coef) {
  int style = (int)(next_random() % 10);
  if (coef == 1000000) {
    put_text(w, style < 5 ? "1" : style < 8 ? "1.0" : "100%");
    return;
  }
  if (style < 3) {
    put_decimal(w, coef, 4, true);
    put_char(w, '%');
  } else if (style < 4 && coef) put_exponent(w, coef, 6);
  else put_decimal(w, coef, 6, true);
}
static const char *const yes_words[] = {"1", "是", "yes", "TRUE"}, *const no_words[] = {"0", "否", "no", "false"};

/* ---- the tables ------------------------------------------------------------ */

static const int provinces[] = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41,
                                42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65};
static const char *const places[] = {"牡丹区", "定陶区", "曹县", "单县", "成武县", "巨野县", "郓城县", "鄄城县", "东明县"};
enum { NPROVINCES = sizeof provinces / sizeof *provinces, NPLACES = sizeof places / sizeof *places };

static const char *entity_header =
    "id,name,population,gov_defaulters,serious_dishonest,market_entities,platform_records,"
    "records_social_security,records_tax,records_housing_fund,records_water,records_electricity,"
    "records_gas,records_logistics,records_ip,credit_checks,benefit_domains,xyd_registered,"
    "operating_firms,xyd_credit_yuan,supervision_domains,commitments,sys_institutions,"
    "sys_organisation,sys_staffing,sys_funding,innovations,fin_progress,zx_mechanism,zx_cleanup,"
    "zx_crackdown,no_major_risk,remark\r\n";
static const char *period_header = "id,month,city_rank,usc_error_rate,pub_compliance,pub_timeliness\r\n";

/* County I's row of the entities table. */
static void write_county(writer *w, long i, const char *id) {
  if (percent_chance(1)) put_char(w, ' '); /* a spreadsheet's padded id; rubric trims it */
  put_text(w, id);
  put_char(w, ',');
  const char *place = places[next_random() % NPLACES];
  int name_style = (int)(next_random() % 100);
  if (name_style < 5) { /* a comma in the name: quoted */
    put_char(w, '"');
    put_text(w, place);
    put_text(w, ", 开发区");
    put_uint(w, (uint64_t)i + 1);
    put_char(w, '"');
  } else if (name_style < 7) { /* quotes in the name: doubled */
    put_text(w, "\"\"\"新城\"\"");
    put_text(w, place);
    put_char(w, '"');
  } else if (name_style >= 8) { /* 1 in 100: no name */
    put_text(w, place);
    put_uint(w, (uint64_t)i + 1);
  }
  put_char(w, ',');

  bool edge = percent_chance(5); /* this county sits on the thresholds */
  long long population = percent_chance(10) ? 999999 : between(150000, 999999);
  long long market, dishonest;
  if (edge) {
    long long k = between(20, 200);
    market = 1000 * k;
    dishonest = (3 + (long long)(next_random() % 3)) * k; /* 0.3%, 0.4%, 0.5% */
  } else {
    market = between(20000, 200000);
    dishonest = (long long)((double)market * unit() * 0.008);
  }
  long long platform = edge ? 70000000 : between(10000000, 100000000);
  put_count(w, (uint64_t)population);
  put_char(w, ',');
  put_count(w, (uint64_t)between(0, 15));
  put_char(w, ',');
  put_count(w, (uint64_t)dishonest);
  put_char(w, ',');
  put_count(w, (uint64_t)market);
  put_char(w, ',');
  put_count(w, (uint64_t)platform);
  int above = (int)between(0, 8); /* how many of the eight kinds reach 20万 */
  for (int k = 0; k < 8; k++) {
    put_char(w, ',');
    long long v = k < above ? between(200000, 3000000) : between(0, 199999);
    if (edge && k == 0) v = 200000;
    put_count(w, (uint64_t)v);
  }
  put_char(w, ',');
  put_count(w, (uint64_t)(edge ? market : (long long)((double)market * (0.5 + 1.5 * unit()))));
  put_char(w, ',');
  put_count(w, (uint64_t)(edge ? 20 : between(0, 30)));
  long long firms = (long long)((double)market * (0.15 + 0.35 * unit()));
  if (edge) firms = firms - firms % 100 > 100 ? firms - firms % 100 : 100;
  long long registered = edge ? 3 * (firms / 100) : (long long)((double)firms * unit() * 0.05);
  put_char(w, ',');
  put_count(w, (uint64_t)registered);
  put_char(w, ',');
  put_count(w, (uint64_t)firms);
  put_char(w, ',');
  put_money(w, edge ? 100000000000ULL : (uint64_t)between(0, 1500000000) * 100 + (percent_chance(10) ? (uint64_t)between(1, 99) : 0));
  put_char(w, ',');
  put_count(w, (uint64_t)(edge ? 20 : between(0, 30)));
  put_char(w, ',');
  put_count(w, (uint64_t)(edge ? 4 * firms / 5 : (long long)((double)firms * (0.2 + unit()))));
  for (int k = 0; k < 4; k++) { /* 0 to 0.7, in hundredths */
    put_char(w, ',');
    put_decimal(w, (uint64_t)between(0, 70), 2, !percent_chance(10));
  }
  put_char(w, ',');
  put_count(w, (uint64_t)between(0, 4));
  int words = (int)(next_random() % 4); /* one office, one way of writing yes/no */
  for (int k = 0; k < 5; k++) {
    put_char(w, ',');
    put_text(w, percent_chance(70) ? yes_words[words] : no_words[words]);
  }
  put_char(w, ',');
  int remark = (int)(next_random() % 1000);
  if (remark < 20) put_text(w, "已核实");
  else if (remark < 25) put_text(w, "\"数据来源: 市信用办, 2022年\"");
  else if (remark < 30) put_text(w, "\"一季度补报\r\n二季度已更正\""); /* a line break inside a field */
  put_text(w, "\r\n");
}

/* County ID's twelve rows of the periods table. */
static void write_months(writer *w, const char *id) {
  int order[12];
  for (int m = 0; m < 12; m++) order[m] = m + 1;
  if (percent_chance(5)) /* rows may come in any order */
    for (int m = 11; m > 0; m--) {
      int k = (int)between(0, m), t = order[m];
      order[m] = order[k];
      order[k] = t;
    }
  static const int spreads[] = {0, 3, 10, 40};
  long long mean_rank = percent_chance(3) ? 10 * between(1, 10) : between(1, 150);
  int spread = spreads[next_random() % 4];
  long long usc_zero = between(0, 12), pub_hits = between(0, 24);
  for (int k = 0; k < 12; k++) {
    put_text(w, id);
    put_char(w, ',');
    put_uint(w, (uint64_t)order[k]);
    put_char(w, ',');
    long long rank = mean_rank + (spread ? between(-spread, spread) : 0);
    put_uint(w, (uint64_t)(rank < 1 ? 1 : rank));
    put_char(w, ',');
    put_rate(w, between(0, 11) < usc_zero ? 0 : (uint64_t)between(1, 10000));
    for (int j = 0; j < 2; j++) {
      put_char(w, ',');
      put_rate(w, between(0, 23) < pub_hits ? 1000000 : percent_chance(30) ? 999000 : (uint64_t)between(800000, 998999));
    }
    put_text(w, "\r\n");
  }
}

static FILE *open_table(const char *dir, const char *name, char *path, size_t size) {
  snprintf(path, size, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  if (!f) {
    fprintf(stderr, "rubric-bench-gen: cannot create %s: %s\n", path, strerror(errno));
    exit(1);
  }
  return f;
}

static void close_table(writer *w) {
  flush_out(w);
  if (fclose(w->f)) die_write(w);
}

int main(int argc, char **argv) {
  if (argc < 3 || argc > 4) {
    fprintf(stderr, "usage: rubric-bench-gen N OUTDIR [SEED]\n"
                    "writes OUTDIR/entities.csv and OUTDIR/periods.csv: N counties for the Chengwu scheme\n");
    return 2;
  }
  char *end;
  long n = strtol(argv[1], &end, 10);
  if (*end || n < 1 || n > 1000000000) {
    fprintf(stderr, "rubric-bench-gen: N must be a whole number from 1 to 10^9, not '%s'\n", argv[1]);
    return 2;
  }
  unsigned long long seed = 1;
  if (argc == 4) {
    seed = strtoull(argv[3], &end, 10);
    if (*end || !*argv[3]) {
      fprintf(stderr, "rubric-bench-gen: SEED must be a whole number, not '%s'\n", argv[3]);
      return 2;
    }
  }
  rng_state = seed * 0x2545F4914F6CDD1DULL + 1;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);

  char epath[4096], ppath[4096];
  writer ew = {open_table(argv[2], "entities.csv", epath, sizeof epath), epath, malloc(OUT_BUFFER), 0, 0};
  writer pw = {open_table(argv[2], "periods.csv", ppath, sizeof ppath), ppath, malloc(OUT_BUFFER), 0, 0};
  if (!ew.buf || !pw.buf) {
    fprintf(stderr, "rubric-bench-gen: out of memory\n");
    return 1;
  }
  put_text(&ew, "\xEF\xBB\xBF"); /* Excel's "CSV UTF-8" starts with a byte order mark */
  put_text(&ew, entity_header);
  put_text(&pw, "\xEF\xBB\xBF");
  put_text(&pw, period_header);
  for (long i = 0; i < n; i++) {
    char id[32]; /* 12 digits: a province's code, then the county's number */
    snprintf(id, sizeof id, "%02d%010ld", provinces[i % NPROVINCES], i + 1);
    write_county(&ew, i, id);
    write_months(&pw, id);
  }
  close_table(&ew);
  close_table(&pw);
  free(ew.buf);
  free(pw.buf);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  fprintf(stderr, "rubric-bench-gen: %ld counties, %.1f MB (entities %.1f MB, periods %.1f MB) in %.2f s\n", n,
          (double)(ew.bytes + pw.bytes) / 1e6, (double)ew.bytes / 1e6, (double)pw.bytes / 1e6,
          (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9);
  return 0;
}
