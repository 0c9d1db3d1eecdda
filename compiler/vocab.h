/* vocab.h: the words of the language that every stage shares: operators,
 * built-in functions, input types, what an empty cell means, units, peer
 * statistics and the kinds of part. The syntax tree (ast.h) and the checked
 * scheme (scheme.h) both speak them; nothing here depends on either.
 */
#ifndef RUBRIC_VOCAB_H
#define RUBRIC_VOCAB_H
#include <stdbool.h>

typedef enum {
  OP_ADD, OP_SUB, OP_MUL, OP_DIV,
  OP_LT, OP_LE, OP_GT, OP_GE, OP_EQ, OP_NE,
  OP_AND, OP_OR,
} ex_op;

typedef enum {
  BI_MIN, BI_MAX, BI_CLAMP, BI_CEIL, BI_FLOOR, BI_ABS, BI_SUM, BI_MEAN, BI_COUNT,
  BI_BEST, /* best(n, ...): the sum of the n largest values (取最好的 n 项) */
  /* over the periods */
  BI_LATEST, BI_PREVIOUS, BI_GROWTH,
  /* over the peer group (spec/semantics.md#peers) */
  BI_PEER_MAX, BI_PEER_MIN, BI_PEER_MEAN, BI_PEER_SUM, BI_PEER_COUNT, BI_PEER_RANK,
  BI_PEER_RATIO_TO_MAX, BI_PEER_MINMAX, BI_PEER_SHARE, BI_PEER_RANK_RATIO,
  /* over dates (spec/semantics.md#dates-and-working-days) */
  BI_DAYS_BETWEEN, /* days_between(a, b): b - a in days */
  BI_WORKDAYS,     /* workdays(a, b): the working days after a up to and including b (the calendar's) */
  BI__COUNT
} bi_kind;

#define BI_IS_PEER(b) ((b) >= BI_PEER_MAX && (b) <= BI_PEER_RANK_RATIO)

typedef enum {
  IN_COUNT, IN_NUMBER, IN_FRACTION, IN_MONEY, IN_RANK, IN_YESNO,
  IN_ASSESSED, /* points given by reviewers to the one part that reads it: 0 to its points */
  IN_LABEL,    /* `one of { A级, B级 }`: held as the label's index, 0 .. n-1 */
  IN_DATE,     /* a day: held as its day number, days since 1970-01-01 (a whole number) */
} input_type;
#define IN_NAMED_TYPES 7 /* the types written as one word: count .. assessed */

/* What an empty cell of an input means. */
typedef enum {
  MISS_ERROR,  /* an error (the default) */
  MISS_VALUE,  /* `missing 0`: the stated value */
  MISS_POINTS, /* `missing scores 3`: the parts reading it score that */
  MISS_FULL,   /* `missing scores full`: the parts reading it score their points */
} missing_kind;

/* U_DATE: a day, which no arithmetic takes (days_between, workdays do) */
typedef enum { U_PLAIN, U_COUNT, U_RATIO, U_MONEY, U_RANK, U_DATE } rb_unit;

/* A peer statistic: one aggregate over the peer group, computed for every
   row in a pass before scoring (peers.max(x) reads STAT_MAX of x). */
typedef enum { STAT_MAX, STAT_MIN, STAT_SUM, STAT_MEAN, STAT_COUNT, STAT_RANK } stat_kind;

typedef enum { PART_CATEGORY, PART_INDICATOR, PART_ITEM, PART_TARGET } part_kind;

/* A category that is a section beside the base total: its score, held
   within its points (the section's cap), is added to the total (a bonus,
   加分项) or taken from it (a deduction, 扣分项). */
typedef enum { SECTION_NONE, SECTION_BONUS, SECTION_DEDUCTION } section_kind;

/* "+", "<=", "and" */
const char *vocab_op_text(ex_op op);
/* "min", "peers.max": the name a scheme calls the built-in by */
const char *vocab_builtin_name(bi_kind b);
/* "category", "indicator", "item", "target": untranslated, for diag_tr */
const char *vocab_part_kind_name(part_kind k);
/* "count", "number", ... as written after `input NAME:` */
const char *vocab_input_type_name(input_type t);
/* "peers.max" ... for a statistic given in an example */
const char *vocab_stat_name(stat_kind k);

#endif
