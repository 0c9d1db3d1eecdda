/* explain.h: `rubric explain`: why an entity scored what it did, from the
 * scores and the probes its scoring function wrote (codegen.h): each part
 * with a rule, largest loss first, with its points, score and loss, the
 * scheme's line and the document's words, the inputs it read, its lets'
 * values, the tier each tier list took, and the next better tier; each
 * grade's band and what the next band needs. Text for people (in the
 * messages' language), or one JSON object per line.
 */
#ifndef RUBRIC_OUTPUT_EXPLAIN_H
#define RUBRIC_OUTPUT_EXPLAIN_H
#include <stdio.h>

#include "score.h"

/* Who set each group's maximum or minimum, for every statistic probe:
   explain_prepare's table (at most EXPLAIN_SETTERS rows a group, those of
   the smallest ids, in id order, so that the order of the rows never shows). */
enum { EXPLAIN_SETTERS = 5 };
typedef struct explain_setters {
  int n;                  /* probes */
  size_t **rows;          /* [probe][group * EXPLAIN_SETTERS + i], NULL for other probes */
  unsigned char **count;  /* [probe][group] */
} explain_setters;

typedef struct explain_ctx {
  const native_scheme *nat; /* compiled with PROBES */
  const rb_scores *sc;
  const rb_batch *b;
  const cg_probe *probes;
  int nprobes;
  int decimals;             /* as --decimals; -1: exact */
  explain_setters *setters; /* explain_prepare: owned, freed by explain_release */
} explain_ctx;

/* Fills X->setters in one pass over the rows; call before explaining, and
   explain_release after. */
void explain_prepare(explain_ctx *x);
void explain_release(explain_ctx *x);

void explain_text(FILE *out, const explain_ctx *x, size_t r);
/* One line: {"id", "name", "total", "rank", ["status", "reason",] "grades",
   "parts": [{"part", "title", "points", "score", "lost", "source",
   ["document",] "inputs", "lets", "tiers": [{"taken", "line", "text",
   ["next"]}]}]}. */
void explain_json(FILE *out, const explain_ctx *x, size_t r);

#endif
