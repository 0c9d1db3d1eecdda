/* scores.h: a scored batch written as tables people and programs read:
 * the scores table and the targets table as CSV, or everything as one JSON
 * document (spec/data.md). Writers only format: the scores are computed.
 */
#ifndef RUBRIC_OUTPUT_SCORES_H
#define RUBRIC_OUTPUT_SCORES_H
#include <stdio.h>

#include "batch.h"
#include "scheme.h"
#include "score.h"

/* id, name, [parent,] total, rank, each grade's band [and its treatment],
   then one column per part (categories, indicators and items, by path).
   DECIMALS < 0 writes each score exactly (the shortest text that reads back
   to the same double); otherwise rounded to that many decimals for people
   (ranks and grades still come from the exact totals). */
void write_scores_csv(FILE *out, const rb_scores *sc, const sc_scheme *s, const rb_batch *b, int decimals);
/* One row per entity and target: id, name, target, title, value, goal,
   met (yes/no), margin (positive: met with room to spare). */
void write_targets_csv(FILE *out, const rb_scores *sc, const sc_scheme *s, const rb_batch *b, int decimals);
/* Everything above as one JSON document. */
void write_scores_json(FILE *out, const rb_scores *sc, const sc_scheme *s, const rb_batch *b, int decimals);

/* A score as text: exact, or rounded to DECIMALS for reading. */
void write_number(FILE *out, double v, int decimals);
/* The band of grade G for row R, or NULL when its subject failed. */
const sc_band *write_band_of(const rb_scores *sc, const sc_scheme *s, const sc_grade *g, size_t r);

#endif
