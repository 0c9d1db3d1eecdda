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
  int ncolumns;
  double **column; /* owned: cg_out_count(s) columns of n (codegen.h: parts, total, targets, grades) */
  int *rank;       /* owned: competition rank by total within the peer group */
} rb_scores;

/* Runs the first pass (PEERS, NULL when the scheme reads no peer statistic)
   and then FN over the batch. Caller owns the result; free with scores_free. */
rb_scores *scores_run(rb_peers_fn peers, rb_score_fn fn, const ast_scheme *s, const rb_batch *b);
void scores_free(rb_scores *sc);

/* Reports every entity whose score failed ("entity 371721 (曹县):
   indicator info_collection: ..."), naming the rule's source location.
   Returns the number of failed entities. */
int scores_report_errors(const rb_scores *sc, const ast_scheme *s, const rb_batch *b, const cg_site *sites,
                         int nsites, rb_diags *d);

/* Writes id, name, [parent,] total, rank, each grade's band [and its
   treatment], then one column per part (categories, indicators and items,
   by path) as CSV. DECIMALS < 0 writes each score exactly (the shortest
   text that reads back to the same double); otherwise rounded to that many
   decimals for people (ranks and grades still come from the exact totals). */
void scores_write_csv(FILE *out, const rb_scores *sc, const ast_scheme *s, const rb_batch *b, int decimals);
/* Writes one row per entity and target: id, name, target, title, value,
   goal, met (yes/no), margin (positive: met with room to spare). */
void scores_write_targets_csv(FILE *out, const rb_scores *sc, const ast_scheme *s, const rb_batch *b, int decimals);
/* Writes everything above as one JSON document (spec/data.md). */
void scores_write_json(FILE *out, const rb_scores *sc, const ast_scheme *s, const rb_batch *b, int decimals);
/* A target's margin: value - goal for >= and >, goal - value for <= and <. */
double scores_target_margin(const ast_part *target, double value, double goal);

/* The message for a failed score, e.g. "division by zero in 'a / b' (f.rubric:3:9)". */
void scores_describe_site(const cg_site *site, char *buf, size_t len);

#endif
