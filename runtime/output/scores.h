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

/* How the tables are written. DECIMALS < 0 writes each score as its exact
   decimal; otherwise rounded half up to that many decimals for people
   (ranks and grades still come from the scores). TITLES heads the parts'
   and grades' columns with their titles instead of their ids (a title two
   parts share gets " (path)"). BOM starts a CSV table with the UTF-8 byte
   order mark Excel needs to read it as UTF-8. ORDER, when not NULL, lists
   the rows in the order they are written (write_rank_order); else input
   order. */
typedef struct write_opts {
  int decimals;
  bool titles, bom;
  const size_t *order;
} write_opts;

/* id, name, [parent,] total, rank, each grade's band [and its treatment],
   then one column per part (categories, indicators and items, by path). */
void write_scores_csv(FILE *out, const rb_scores *sc, const sc_scheme *s, const rb_batch *b, const write_opts *o);
/* One row per entity and target: id, name, target, title, value, goal,
   met (yes/no), margin (positive: met with room to spare). */
void write_targets_csv(FILE *out, const rb_scores *sc, const sc_scheme *s, const rb_batch *b, const write_opts *o);
/* Everything above as one JSON document. */
void write_scores_json(FILE *out, const rb_scores *sc, const sc_scheme *s, const rb_batch *b, const write_opts *o);

/* The rows of SC in ranking order: by peer group (its parent's id), then
   rank, then id; incomplete entities last in their group, by id. The
   same order whatever the order of the input rows. Caller frees. */
size_t *write_rank_order(const rb_scores *sc, const sc_scheme *s, const rb_batch *b);
/* Points an entity lost on one indicator: POINTS - SCORE, or on a
   deduction's indicator the SCORE it takes away (a bonus loses nothing). */
typedef struct lost_point {
  int part;
  rb_fixed lost, points, score;
} lost_point;
/* The section of the top category above P (a bonus, a deduction, or none),
   and the points a part worth POINTS lost with SCORE: POINTS - SCORE; on a
   deduction's indicator the SCORE it takes away; in a bonus nothing. */
section_kind write_part_section(const sc_part *p);
rb_fixed write_part_loss(const sc_part *p, rb_fixed points, rb_fixed score);
/* The indicators row R of SC lost points on, largest loss first (a tie in
   part order), into OUT (room for s->nparts); returns how many. With
   DECIMALS >= 0, of the scores rounded to that many decimals, as written.
   A failed score is not a loss: the row's reason tells it. */
int write_lost_points(const rb_scores *sc, const sc_scheme *s, size_t r, int decimals, lost_point *out);

/* An .xlsx workbook for people: a sheet of scores headed by titles, frozen
   header row and name columns, numbers stored as numbers shown with the
   scheme's decimals; the targets and the points lost on their own sheets.
   Written through a temporary file, then copied to OUT. 0, or -1 with a
   message in ERR. */
int write_scores_xlsx(FILE *out, const rb_scores *sc, const sc_scheme *s, const rb_batch *b, const write_opts *o,
                      char *err, size_t errlen);

/* A scores table written before (`rubric report --previous OLD.csv`): each
   entity's total and rank, sorted by id. NAME is how the page names it,
   HTML-escaped. */
typedef struct report_row {
  char *id;
  rb_fixed total;
  int rank;
  bool ranked; /* false: the entity was incomplete then */
} report_row;
typedef struct report_previous {
  char *name;
  size_t n;
  report_row *rows;
} report_previous;

enum { REPORT_MAX_ENTITIES = 5000 };

/* One self-contained HTML page for people (inline CSS and SVG, no
   request, prints on A4): the ranking (with rank and total changes against
   PREV, may be NULL), a bar chart of the totals, a heat map of the share of
   points earned per indicator, each entity's lost points, and the points
   table with its source. O->order must be the ranking order. 0, or -1 with
   a message in ERR (too many entities, a scheme without points). */
int write_report_html(FILE *out, const rb_scores *sc, const sc_scheme *s, const rb_batch *b, const write_opts *o,
                      const report_previous *prev, char *err, size_t errlen);

/* The header of part K's column: its path, or with TITLES its title (with
   " (path)" when another part has the same title; the path when it has
   none). Caller frees. */
char *write_part_head(const sc_scheme *s, int k, bool titles);

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
