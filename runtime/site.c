/* site.c: what a failed score's site means, in words (site.h): the
 * scoring pass's failures (score.c), a record's (tally.c) and an
 * example's (examples.c) are told the same way.
 */
#include "site.h"

#include <stdio.h>

diag_code site_describe(const cg_site *site, char *buf, size_t len) {
  const rb_loc *l = &site->loc;
  char where[512];
  snprintf(where, sizeof where, "%s:%d:%d", l->src->path, l->first_line, l->first_column);
  int n = (int)(l->end - l->start);
  if (n > 200) n = 200;
  switch (site->kind) {
  case SITE_UNDEFINED:
    if (site->reason)
      snprintf(buf, len, diag_tr("the scheme leaves this case undefined: %s (%s)"), site->reason, where);
    else
      snprintf(buf, len, diag_tr("the scheme leaves this case undefined (%s)"), where);
    return R1201;
  case SITE_DIV_ZERO:
    snprintf(buf, len, diag_tr("division by zero in '%.*s' (%s)"), n, l->src->text + l->start, where);
    return R1202;
  case SITE_OVERFLOW:
    snprintf(buf, len, diag_tr("'%.*s' overflows: numbers are under 10^20 (%s)"), n, l->src->text + l->start, where);
    return R1203;
  case SITE_REQUIRE:
    snprintf(buf, len, diag_tr("the data does not meet the requirement: %s (%s)"), site->reason ? site->reason : "", where);
    return R1114;
  case SITE_CALENDAR:
    snprintf(buf, len, diag_tr("'%.*s': a date outside the range the holiday calendar covers (%s)"), n,
             l->src->text + l->start, where);
    return R1181;
  case SITE_PEER:
    snprintf(buf, len, diag_tr("'%.*s' cannot be computed: the value of some entity in the peer group fails (%s)"), n,
             l->src->text + l->start, where);
    return R1204;
  }
  return R1203;
}
