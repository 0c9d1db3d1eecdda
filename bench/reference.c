/* reference.c: Chengwu 2022 written by hand in C, the baseline the
 * benchmark compares the generated code with. It follows the readings in
 * shared/domain.md directly, one row at a time, as a programmer would: in
 * doubles, on purpose. The generated code computes exact decimals (rb_fixed,
 * compiler/fixed.h); bench.c feeds this baseline the nearest doubles of the
 * same decimal inputs and checks the totals agree to 1e-9.
 */
#include "reference.h"

#include <math.h>

static double held(double v, double hi) { return v < 0 ? 0 : v > hi ? hi : v; }

void reference_score(const double *const *in, long n, double *total) {
  const double *population = in[CW_POPULATION], *defaulters = in[CW_GOV_DEFAULTERS];
  const double *dishonest = in[CW_SERIOUS_DISHONEST], *entities = in[CW_MARKET_ENTITIES];
  for (long r = 0; r < n; r++) {
    double rank = 0;
    for (int m = 0; m < 12; m++) rank += in[CW_CITY_RANK][m * n + r];
    rank /= 12;
    double s1 = rank <= 10 ? 20 : rank > 100 ? 0 : 20 - 2 * ceil((rank - 10) / 10);
    double s2 = held(10 - defaulters[r], 10);
    double share = dishonest[r] / entities[r];
    double s3 = share < 0.003 ? 4 : share > 0.005 ? 0 : 4 * (0.005 - share) / 0.002;
    double usc = 0, pub = 0;
    for (int m = 0; m < 12; m++) {
      usc += in[CW_USC_ERROR_RATE][m * n + r] == 0 ? 0.2 : -0.2;
      pub += in[CW_PUB_COMPLIANCE][m * n + r] >= 1 ? 0.2 : -0.2;
      pub += in[CW_PUB_TIMELINESS][m * n + r] >= 1 ? 0.2 : -0.2;
    }
    double s4 = held(usc, 2.4), s5 = held(pub, 4.8);
    double rec = in[CW_PLATFORM_RECORDS][r];
    double s6 = population[r] >= 1e6 ? NAN : rec > 7e7 ? 10 : rec > 4e7 ? 5 : 0;
    int kinds = 0;
    for (int k = CW_RECORDS_FIRST; k <= CW_RECORDS_LAST; k++) kinds += in[k][r] >= 2e5;
    double s7 = held(0.5 * kinds, 4);
    double s8 = in[CW_CREDIT_CHECKS][r] / entities[r] > 1 ? 4 : 0;
    double s9 = held(4 - 0.2 * fmax(0, 20 - in[CW_BENEFIT_DOMAINS][r]), 4);
    double reg = in[CW_XYD_REGISTERED][r] / in[CW_OPERATING_FIRMS][r];
    double s10 = reg > 0.03 ? 6 : reg < 0.01 ? 0 : 6 * (reg - 0.01) / 0.02;
    double a = in[CW_XYD_CREDIT_YUAN][r];
    double s11 = a >= 1e9 ? 6 : a < 3e8 ? 0 : 6 * (a - 3e8) / 7e8;
    double s12 = held(4 - 0.2 * fmax(0, 20 - in[CW_SUPERVISION_DOMAINS][r]), 4);
    double c = in[CW_COMMITMENTS][r] / in[CW_OPERATING_FIRMS][r];
    double s13 = c >= 0.8 ? 6 : c < 0.5 ? 0 : 6 * (c - 0.5) / 0.3;
    double s14 = 0;
    for (int k = CW_SYS_FIRST; k <= CW_SYS_LAST; k++) s14 += held(in[k][r], 0.7);
    double s15 = fmin(in[CW_INNOVATIONS][r], 2);
    double s16 = 4 * in[CW_FIN_PROGRESS][r] + in[CW_ZX_MECHANISM][r] + in[CW_ZX_CLEANUP][r] +
                 in[CW_ZX_CRACKDOWN][r] + 3 * in[CW_NO_MAJOR_RISK][r];
    total[r] = s1 + s2 + s3 + s4 + s5 + s6 + s7 + s8 + s9 + s10 + s11 + s12 + s13 + s14 + s15 + s16;
  }
}
