/* score.h: batch scoring with the generated function, error reports, and
 * the output table.
 */
#ifndef RUBRIC_SCORE_H
#define RUBRIC_SCORE_H
#include <stdio.h>

#include "ast.h"
#include "codegen.h"
#include "diag.h"
#include "table.h"

typedef struct rb_scores {
  size_t n;
  int nparts;
  double **column; /* owned: nparts + 1 columns of n (the last is the total) */
  int *rank;       /* owned: competition rank by total */
} rb_scores;

/* Runs FN over the batch. Caller owns the result; free with scores_free. */
rb_scores *scores_run(rb_score_fn fn, const ast_scheme *s, const rb_batch *b);
void scores_free(rb_scores *sc);

/* Reports every entity whose score failed ("entity 371721 (曹县):
   indicator info_collection: ..."), naming the rule's source location.
   Returns the number of failed entities. */
int scores_report_errors(const rb_scores *sc, const ast_scheme *s, const rb_batch *b, const cg_site *sites,
                         int nsites, rb_diags *d);

/* Writes id, name, total, rank and one column per indicator as CSV.
   DECIMALS < 0 writes each score exactly (the shortest text that reads back
   to the same double); otherwise rounded to that many decimals for people
   (ranks still come from the exact totals). */
void scores_write_csv(FILE *out, const rb_scores *sc, const ast_scheme *s, const rb_batch *b, int decimals);

/* The message for a failed score, e.g. "division by zero in 'a / b' (f.rubric:3:9)". */
void scores_describe_site(const cg_site *site, char *buf, size_t len);

#endif
