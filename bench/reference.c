/* reference.c: Chengwu 2022 written by hand in C, the baseline the
 * benchmark compares the generated code with. It follows the readings in
 * shared/domain.md directly, one row at a time, as a programmer would: in
 * doubles, on purpose. The generated code computes exact decimals (rb_fixed,
 * compiler/fixed.h); bench.c feeds this baseline the nearest doubles of the
 * same decimal inputs and checks the totals agree to 1e-9, and baseline.c
 * (the end-to-end baseline) reads them from the same CSV files as rubric.
 */
#include "reference.h"

#include <math.h>

const char *const reference_indicator_ids[CW_INDICATORS] = {
    "city_rank",        "gov_dishonest", "blacklist",      "usc_code",           "double_publicity", "info_collection",
    "special_info",     "credit_check_use", "benefit_apps", "xyd_registered",    "xyd_loans",        "tiered_supervision",
    "commitments",      "system_building",  "innovation",   "finance_risk"};

static double held(double v, double hi) { return v < 0 ? 0 : v > hi ? hi : v; }

/* The 16 indicators of row R, in source order. */
static inline void score_row(const double *const *in, long n, long r, double s[CW_INDICATORS]) {
  const double *population = in[CW_POPULATION], *defaulters = in[CW_GOV_DEFAULTERS];
  const double *dishonest = in[CW_SERIOUS_DISHONEST], *entities = in[CW_MARKET_ENTITIES];
  double rank = 0;
  for (int m = 0; m < 12; m++) rank += in[CW_CITY_RANK][m * n + r];
  rank /= 12;
  s[0] = rank <= 10 ? 20 : rank > 100 ? 0 : 20 - 2 * ceil((rank - 10) / 10);
  s[1] = held(10 - defaulters[r], 10);
  double share = dishonest[r] / entities[r];
  s[2] = share < 0.003 ? 4 : share > 0.005 ? 0 : 4 * (0.005 - share) / 0.002;
  double usc = 0, pub = 0;
  for (int m = 0; m < 12; m++) {
    usc += in[CW_USC_ERROR_RATE][m * n + r] == 0 ? 0.2 : -0.2;
    pub += in[CW_PUB_COMPLIANCE][m * n + r] >= 1 ? 0.2 : -0.2;
    pub += in[CW_PUB_TIMELINESS][m * n + r] >= 1 ? 0.2 : -0.2;
  }
  s[3] = held(usc, 2.4);
  s[4] = held(pub, 4.8);
  double rec = in[CW_PLATFORM_RECORDS][r];
  s[5] = population[r] >= 1e6 ? NAN : rec > 7e7 ? 10 : rec > 4e7 ? 5 : 0;
  int kinds = 0;
  for (int k = CW_RECORDS_FIRST; k <= CW_RECORDS_LAST; k++) kinds += in[k][r] >= 2e5;
  s[6] = held(0.5 * kinds, 4);
  s[7] = in[CW_CREDIT_CHECKS][r] / entities[r] > 1 ? 4 : 0;
  s[8] = held(4 - 0.2 * fmax(0, 20 - in[CW_BENEFIT_DOMAINS][r]), 4);
  double reg = in[CW_XYD_REGISTERED][r] / in[CW_OPERATING_FIRMS][r];
  s[9] = reg > 0.03 ? 6 : reg < 0.01 ? 0 : 6 * (reg - 0.01) / 0.02;
  double a = in[CW_XYD_CREDIT_YUAN][r];
  s[10] = a >= 1e9 ? 6 : a < 3e8 ? 0 : 6 * (a - 3e8) / 7e8;
  s[11] = held(4 - 0.2 * fmax(0, 20 - in[CW_SUPERVISION_DOMAINS][r]), 4);
  double c = in[CW_COMMITMENTS][r] / in[CW_OPERATING_FIRMS][r];
  s[12] = c >= 0.8 ? 6 : c < 0.5 ? 0 : 6 * (c - 0.5) / 0.3;
  s[13] = 0;
  for (int k = CW_SYS_FIRST; k <= CW_SYS_LAST; k++) s[13] += held(in[k][r], 0.7);
  s[14] = fmin(in[CW_INNOVATIONS][r], 2);
  s[15] = 4 * in[CW_FIN_PROGRESS][r] + in[CW_ZX_MECHANISM][r] + in[CW_ZX_CLEANUP][r] + in[CW_ZX_CRACKDOWN][r] +
          3 * in[CW_NO_MAJOR_RISK][r];
}

static inline double sum_row(const double s[CW_INDICATORS]) {
  double t = 0;
  for (int k = 0; k < CW_INDICATORS; k++) t += s[k];
  return t;
}

void reference_score(const double *const *in, long n, double *total) {
  for (long r = 0; r < n; r++) {
    double s[CW_INDICATORS];
    score_row(in, n, r, s);
    total[r] = sum_row(s);
  }
}

void reference_score_parts(const double *const *in, long n, double *const *parts, double *total) {
  for (long r = 0; r < n; r++) {
    double s[CW_INDICATORS];
    score_row(in, n, r, s);
    for (int k = 0; k < CW_INDICATORS; k++) parts[k][r] = s[k];
    total[r] = sum_row(s);
  }
}
