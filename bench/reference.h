/* reference.h: input order of the Chengwu scheme (its `input` lines) for
 * the hand-written baseline. */
#ifndef RUBRIC_BENCH_REFERENCE_H
#define RUBRIC_BENCH_REFERENCE_H

enum {
  CW_POPULATION, CW_GOV_DEFAULTERS, CW_SERIOUS_DISHONEST, CW_MARKET_ENTITIES, CW_PLATFORM_RECORDS,
  CW_RECORDS_FIRST, CW_RECORDS_LAST = CW_RECORDS_FIRST + 7,
  CW_CREDIT_CHECKS, CW_BENEFIT_DOMAINS, CW_XYD_REGISTERED, CW_OPERATING_FIRMS, CW_XYD_CREDIT_YUAN,
  CW_SUPERVISION_DOMAINS, CW_COMMITMENTS, CW_SYS_FIRST, CW_SYS_LAST = CW_SYS_FIRST + 3, CW_INNOVATIONS,
  CW_FIN_PROGRESS, CW_ZX_MECHANISM, CW_ZX_CLEANUP, CW_ZX_CRACKDOWN, CW_NO_MAJOR_RISK,
  CW_CITY_RANK, CW_USC_ERROR_RATE, CW_PUB_COMPLIANCE, CW_PUB_TIMELINESS, CW_TOTAL_INPUTS
};

/* The scheme's 16 indicators, in source order. */
enum { CW_INDICATORS = 16 };
extern const char *const reference_indicator_ids[CW_INDICATORS];

/* Scores n rows from columns laid out as the generated function expects. */
void reference_score(const double *const *in, long n, double *total);
/* The same, keeping each indicator's score: parts[k][r] for indicator k. */
void reference_score_parts(const double *const *in, long n, double *const *parts, double *total);

#endif
