/* scheme.h: THE CHECKED SCHEME, what checking a scheme produced and what
 * every later stage reads: code generation, the range proof, the runtime
 * (tables, scoring, examples, outputs) and every command.
 *
 * The checker (check/) builds it from the syntax tree of a scheme that
 * checked without errors (check/lower.c); nothing after the checker sees
 * the syntax tree. Everything here is resolved: names are pointers to the
 * input, let, form or statistic they mean, numbers are exact decimals as
 * the document writes them, and parts form a tree in source order. Every node keeps its source location (for
 * messages: the rb_source outlives the scheme) and the document's words:
 * titles, the reason of an `undefined`, and the comment lines written just
 * above a declaration (`doc`).
 *
 * A scheme lives in the arena of the sc_file that holds it (compile.h) and
 * is read-only once built, except for the range proof's fields of sc_part,
 * filled once by check/ranges.c.
 */
#ifndef RUBRIC_SCHEME_H
#define RUBRIC_SCHEME_H
#include <stdbool.h>
#include <stddef.h>

#include "decimal.h"
#include "fixed.h"
#include "source.h"
#include "vocab.h"

typedef struct sc_expr sc_expr;
typedef struct sc_input sc_input;
typedef struct sc_let sc_let;
typedef struct sc_form sc_form;
typedef struct sc_part sc_part;
typedef struct sc_records sc_records;
typedef struct sc_tally sc_tally;

typedef enum {
  SX_NUMBER,    /* an exact decimal: 0.3%, 7000万 */
  SX_BOOL,      /* yes / no */
  SX_INPUT,     /* an input's value (one per period for a per-period input) */
  SX_LET,       /* a `let`: its expression, evaluated where it is used */
  SX_PARAM,     /* a parameter of the form whose body this is */
  SX_BUILTIN,   /* min, max, clamp, ceil, floor, abs, sum, mean, count, latest, previous, growth */
  SX_FORM,      /* a form called with arguments, in parameter order */
  SX_PEER,      /* peers.*: statistics of the peer group, and the row's own value */
  SX_NEG,       /* -x */
  SX_NOT,       /* not c */
  SX_BINARY,    /* arithmetic, comparison, and/or */
  SX_TIERS,     /* 4 if c1, 0 if c2, linear between | otherwise ... */
  SX_UNDEFINED, /* undefined "reason": a case the document leaves open */
  SX_ITEMS,     /* `items`: the sum of the part's items, in the rule that adjusts it */
  SX_SUBJECT,   /* in a band's condition: the grade's subject, as its column holds it */
} sx_kind;

/* A tier condition that compares one value with a number, normalised so the
   value is on the left: `share < 0.3%`, or `10 <= x` as `x >= 10`. */
typedef struct sc_test {
  bool simple;            /* false for any other condition */
  const sc_expr *subject;
  ex_op op;               /* OP_LT .. OP_NE */
  rb_decimal threshold;
} sc_test;

/* One tier: VALUE if COND. */
typedef struct sc_tier {
  sc_expr *cond, *value;
  sc_test test;
  rb_loc loc;
} sc_tier;

struct sc_expr {
  sx_kind kind;
  rb_loc loc;
  union {
    rb_decimal number;          /* SX_NUMBER */
    bool boolean;               /* SX_BOOL */
    const sc_input *input;      /* SX_INPUT */
    const sc_let *let;          /* SX_LET */
    int param;                  /* SX_PARAM: index among the form's parameters */
    struct {                    /* SX_BUILTIN */
      bi_kind fn;
      int nargs;
      sc_expr **args;
    } call;
    struct {                    /* SX_FORM */
      const sc_form *form;
      sc_expr **args;           /* form->nparams, in parameter order */
    } form;
    struct {                    /* SX_PEER */
      bi_kind fn;
      sc_expr *arg;             /* the row's own value; NULL for peers.count */
      int stat[2];              /* the statistics read (sc_stat index), -1 if none */
    } peer;
    sc_expr *operand;           /* SX_NEG, SX_NOT */
    struct {                    /* SX_BINARY */
      ex_op op;
      sc_expr *lhs, *rhs;
    } bin;
    struct {                    /* SX_TIERS: the first tier whose condition holds */
      int n;
      sc_tier *tier;
      /* what scores when no tier applies: the `otherwise` value, or for
         `linear between` the call interpolate(x, t1, v1, t2, v2) of the
         prelude; NULL when the tiers cover every value */
      sc_expr *otherwise;
      bool linear;
      rb_loc tail_loc;          /* the `otherwise` / `linear between` clause */
    } tiers;
    const char *reason;         /* SX_UNDEFINED: the document's words, may be NULL */
  };
};

struct sc_let {
  const char *name;
  rb_loc loc;
  sc_expr *value;
};

struct sc_form {
  const char *name;
  rb_loc loc;
  int nparams;
  const char **params;
  sc_expr *body;                /* reads its parameters (SX_PARAM) and, in a scheme's form, inputs */
  bool reads_inputs;            /* the body reads inputs of its own, itself or through the forms it calls */
};

struct sc_input {
  const char *name;
  const char *title;            /* may be NULL */
  rb_loc loc;
  int index;                    /* column order of the scoring function */
  input_type type;
  bool periodic;                /* one value per period (`per month`) */
  bool from_parent;             /* the value is the parent entity's */
  bool has_lo, has_hi;          /* as declared: `in [lo, hi]`, `at least`, `at most` */
  rb_decimal lo, hi;
  missing_kind missing;         /* what an empty cell means */
  rb_decimal missing_value;     /* MISS_VALUE: the value; MISS_POINTS: the points */
  const char *column;           /* `column "..."`: its header in the data, or NULL */
  int nlabels;                  /* IN_LABEL: its labels, as the data writes them; */
  const char **labels;          /* a cell holds the index of one */
  /* A record count (`count(处罚 where ...)`): no table has a column for it;
     the runtime computes it before scoring (abi.h), and rules read it like
     any other input. Its name is the count's text; its type IN_COUNT. */
  const sc_tally *tally;        /* NULL for an input the data gives */
  /* A field of a record table (index: its place among the table's fields),
     not one of the scheme's inputs: only a tally's condition reads it. */
  const sc_records *records;    /* NULL for the scheme's inputs */
};

/* `records 处罚 "行政处罚决定" { input 决定日期: date ... }`: a table with
   any number of rows per entity (spec/semantics.md#records), given with
   `--records 处罚=FILE`: an `id` column naming the entity, then a column
   per field. Rules read it only through tallies. */
struct sc_records {
  const char *name, *title;     /* title may be NULL */
  rb_loc loc, name_loc;
  int index;
  int nfields;
  sc_input *fields;             /* by index; not periodic, not from parent, `missing error` */
};

/* `count(处罚 where workdays(决定日期, 公示日期) > 7)`, or `count(处罚)`:
   how many of an entity's records meet COND (0 for an entity with none).
   The same text twice is one tally. */
struct sc_tally {
  const sc_records *records;
  sc_expr *cond;                /* yes/no over the table's fields (SX_INPUT of records->fields) and
                                   numbers; NULL: every record */
  const char *text;             /* as written, spaces normalised: "count(处罚 where 公示日期 > 决定日期)" */
  rb_loc loc;                   /* the first call */
  int index;
  const sc_input *input;        /* the scheme's input that holds it (sc_input.tally is this) */
};

/* A category, indicator or item: something worth points. */
struct sc_part {
  part_kind kind;               /* PART_CATEGORY, PART_INDICATOR or PART_ITEM */
  section_kind section;         /* a category: added to the total (bonus) or taken from it (deduction) */
  const char *id;
  const char *path;             /* "finance_risk.progress" for items, else the id */
  const char *title;            /* may be NULL */
  const char *doc;              /* comment lines just above it, '#' removed; may be NULL */
  rb_decimal points;
  rb_loc loc, id_loc, points_loc;
  int index;                    /* output column: depth first, in source order */
  sc_part *parent;
  /* `for KIND L1, L2` (its own, or its parent's): the label indices of the
     scheme's kind input it applies to, sorted; nkinds 0: every entity. An
     entity of another kind has no score here (an empty cell, FIXED_EMPTY)
     and nothing of it counts. */
  int nkinds;
  const int *kinds;
  int nchildren;
  sc_part **children;
  sc_expr *score;               /* the rule of a part without children, or of one with items that adjusts their sum (SX_ITEMS) */
  int nreads;
  int *reads;                   /* the inputs its rules read (sorted indices), through lets and form arguments */
  /* An empty cell of a `missing scores` input it reads gives fixed points
     (the checker made every such input of the part agree). */
  bool fixed_when_empty;
  rb_decimal empty_points;
  /* The range proof (check/ranges.c), when `proved`: what the rule can
     give (raw) and what the part can score, within [0, points]. */
  bool proved;
  double raw_lo, raw_hi, lo, hi;
};

/* `require condition "message"`: a constraint an entity's data must meet
   (合规数据量 <= 报送数据量); an entity that does not is incomplete, its
   total failed at a SITE_REQUIRE. */
typedef struct sc_require {
  const sc_expr *cond;          /* yes/no, one value per entity */
  const char *message;
  rb_loc loc;                   /* the `require` keyword */
} sc_require;

/* A goal met or not, without points: VALUE OP GOAL [and ALSO]. */
typedef struct sc_target {
  const char *id, *title, *doc;
  rb_loc loc, id_loc;
  int index;
  ex_op op;                     /* OP_GE, OP_GT, OP_LE or OP_LT */
  sc_expr *rule, *value, *goal;
  sc_expr *also;                /* `value OP goal and ...`: what must hold too (a veto); NULL if nothing */
  int nreads;
  int *reads;
} sc_target;

/* A band of a grade: the subject's interval it covers, or, in a grade
   whose bands also test inputs (`"优秀" if total >= 90 and not 否决`), its
   whole condition. */
typedef struct sc_band {
  const char *name;
  const char *treatment;        /* may be NULL */
  rb_loc loc;
  bool has_lo, has_hi, lo_open, hi_open; /* when `when` is NULL */
  rb_decimal lo, hi;
  const sc_expr *when;          /* yes/no over SX_SUBJECT and inputs; NULL: the interval */
} sc_band;

typedef struct sc_grade {
  const char *id, *title, *doc;
  rb_loc loc, id_loc;
  int index;
  const sc_part *subject;       /* NULL: the total */
  int nbands;
  sc_band *bands;
  bool has_treatment;
  bool conditional;             /* its bands test inputs: each has `when` */
  int nreads;
  int *reads;                   /* the inputs the conditions read (sorted indices) */
} sc_grade;

/* A statistic over the peer group that rules read. */
typedef struct sc_stat {
  stat_kind kind;
  sc_expr *arg;                 /* NULL for STAT_COUNT */
  rb_loc loc;                   /* the first peers.* call that reads it */
  const char *text;             /* as an example gives it: "peers.max(share)" */
  int index;
  int stage;                    /* 1 when ARG reads no statistic, else 1 + the highest stage of
                                   those it reads (spec/semantics.md#staged-passes) */
} sc_stat;

/* `name = value` in an example: an input's cells, or a peer statistic. */
typedef struct sc_given {
  const sc_input *input;        /* NULL for a statistic */
  bool empty;                   /* `name = missing`: an empty cell */
  int nvalues;                  /* 1, or one per period */
  rb_decimal *values;
  int nstats;                   /* a statistic given: the scheme's statistics it sets */
  int *stats;
  rb_loc loc;
} sc_given;

typedef enum { EXPECT_TOTAL, EXPECT_PART, EXPECT_TARGET, EXPECT_GRADE } sc_expect_kind;

/* `expect name = value`, `expect name undefined`, `expect target = yes`,
   `expect grade = "band"`. */
typedef struct sc_expect {
  sc_expect_kind kind;
  const char *name;             /* as written */
  rb_loc loc;
  const sc_part *part;          /* EXPECT_PART */
  const sc_target *target;      /* EXPECT_TARGET */
  const sc_grade *grade;        /* EXPECT_GRADE */
  int band;                     /* EXPECT_GRADE: the band's index */
  const char *band_name;
  bool undefined;               /* the case is expected to be undefined */
  bool met;                     /* EXPECT_TARGET */
  rb_decimal value;             /* EXPECT_TOTAL, EXPECT_PART */
} sc_expect;

typedef struct sc_example {
  const char *title;
  rb_loc loc;
  int ngivens, nexpects;
  sc_given *givens;
  sc_expect *expects;           /* in source order */
} sc_example;

typedef struct sc_scheme {
  const char *id, *title;
  rb_loc loc, id_loc;
  bool has_total;
  rb_decimal total;
  rb_loc total_loc;
  const char *period;           /* "month"; NULL when the scheme has none */
  int period_first, period_last;
  int nperiods;                 /* 1 when it has none */
  int round_parts;              /* `round N`: each indicator's and item's score to N decimals; -1 if none */
  int round_total;              /* `round total N`: the total to N decimals; -1 if none */
  rb_loc round_loc;
  bool peers_by_parent;         /* else every entity is one peer group */
  bool uses_parent;             /* peers by parent, or an input from parent */
  int ninputs;
  sc_input *inputs;             /* by index */
  const sc_input *kind;         /* the `one of` input parts apply by (`for`); NULL if none does */
  int nparts;
  sc_part **parts;              /* by index: depth first, in source order */
  int ntop;
  sc_part **top;                /* the categories and indicators at scheme level */
  int ntargets;
  sc_target *targets;
  int nrequires;
  sc_require *requires;         /* in source order */
  int ngrades;
  sc_grade *grades;
  int nstats;
  sc_stat *stats;               /* inner before outer: an argument reads only statistics of lower index */
  int nstages;                  /* the highest stage of a statistic; 0 without statistics */
  int nexamples;
  sc_example *examples;
  bool proved;                  /* the range proof ran (check/ranges.c) */
  /* workdays(a, b) is called (first at calendar_loc): the scoring function
     reads the holiday calendar's column after the inputs (codegen/abi.h) */
  bool uses_calendar;
  rb_loc calendar_loc;
  bool rules_use_calendar;      /* workdays is called outside tallies' conditions too: scoring one row, or an
                                   example (which gives the counts), reads the calendar */
  int nrecords;
  sc_records *records;          /* in source order */
  int ntallies;
  sc_tally *tallies;            /* their inputs come last among the inputs, in this order */
  /* The texts it was made from: its file's, then those of the files of
     base schemes (`extends a in "a.rubric"`) that file read. With this
     build of Rubric (the prelude is in it), all that decides the checked
     scheme: the cache finds its code by them (runtime/native.c). */
  int nsources;
  const rb_source **sources;
} sc_scheme;

/* ---- questions every stage asks ------------------------------------------ */

/* The values input IN may take: its type's (count and money 0 or more, rank
   1 or more, fraction and yes/no 0 to 1, number any) unless it declares
   `in [lo, hi]`, `at least lo` or `at most hi`. */
void scheme_input_bounds(const sc_input *in, double *lo, double *hi);
/* NULL if the number V fits IN, exactly, else why not ("must be at least
   1"), possibly in BUF; translated. */
/* The same bounds as exact decimals; HAS_LO, HAS_HI false where there is none. */
void scheme_input_exact_bounds(const sc_input *in, bool *has_lo, rb_decimal *lo, bool *has_hi, rb_decimal *hi);
const char *scheme_input_value(const sc_input *in, rb_fixed v, char *buf, size_t len);
/* What an empty cell of IN holds when it has a `missing` rule other than
   MISS_ERROR: the stated value, or FIXED_EMPTY, which the generated code
   turns into the part's fixed points. */
rb_fixed scheme_empty_value(const sc_input *in);
/* Marks what E reads, through its lets and form arguments: INPUTS[i] for
   input i, STATS[k] for peer statistic k (either may be NULL). */
void scheme_expr_reads(const sc_expr *e, unsigned char *inputs, unsigned char *stats);
/* Whether S reads per-period inputs (so needs a periods table) or any input
   from parents. */
bool scheme_has_periods(const sc_scheme *s);
bool scheme_reads_parent(const sc_scheme *s);
/* Whether P applies to an entity whose kind (the scheme's kind input) is
   label L: always, for a part without `for`. */
bool scheme_part_applies(const sc_part *p, int l);
/* Marks READ[i] (ninputs bytes) for each input some rule, target,
   requirement, grade's band or peer statistic reads, through lets and form
   arguments. */
void scheme_inputs_read(const sc_scheme *s, unsigned char *read);
/* Which inputs an entity of each kind needs (`for`): NEED[i * nlabels + l]
   is 1 when an entity whose kind is label l reads input i: a rule of a part
   that applies to it, or anything every entity reads (a requirement, a
   target, a grade's bands, a peer statistic, the kind itself). NEED has
   ninputs * the kind input's nlabels bytes; S has a kind input. */
void scheme_inputs_needed(const sc_scheme *s, unsigned char *need);
/* The part whose path is PATH, the target, the grade; NULL if none. */
const sc_part *scheme_find_part(const sc_scheme *s, const char *path);
const sc_target *scheme_find_target(const sc_scheme *s, const char *id);
const sc_grade *scheme_find_grade(const sc_scheme *s, const char *id);
/* A target's margin: value - goal for >= and >, goal - value for <= and <,
   exactly; FIXED_ERROR when either is not a number or the margin is 10^20
   or more (the runtime reports it). */
rb_fixed scheme_target_margin(const sc_target *t, rb_fixed value, rb_fixed goal);

#endif
