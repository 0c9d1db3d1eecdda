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
   DECIMALS < 0 writes each score as its exact decimal; otherwise rounded
   half up to that many decimals for people (ranks and grades still come
   from the scores). TITLES heads the parts' and grades' columns with their
   titles instead (a title two parts share gets " (path)"). */
void write_scores_csv(FILE *out, const rb_scores *sc, const sc_scheme *s, const rb_batch *b, int decimals,
                      bool titles);
/* One row per entity and target: id, name, target, title, value, goal,
   met (yes/no), margin (positive: met with room to spare). */
void write_targets_csv(FILE *out, const rb_scores *sc, const sc_scheme *s, const rb_batch *b, int decimals);
/* Everything above as one JSON document. */
void write_scores_json(FILE *out, const rb_scores *sc, const sc_scheme *s, const rb_batch *b, int decimals);

/* A score as text: its exact decimal, or rounded half up to DECIMALS for
   reading (fixed_format). A failed score (an incomplete entity's) is an
   empty CSV field, or JSON's null. When SC has reasons (some entity is
   incomplete), the scores and targets tables end with status and reason
   columns, and each incomplete JSON entity has "status" and "reason". */
void write_number(FILE *out, rb_fixed v, int decimals);
void write_json_number(FILE *out, rb_fixed v, int decimals);
/* The band of grade G for row R, or NULL when its subject failed. */
const sc_band *write_band_of(const rb_scores *sc, const sc_scheme *s, const sc_grade *g, size_t r);

#endif
