/* ast.h: the syntax tree of a Rubric file, as the parser builds it and the
 * checker annotates it.
 *
 * Everything is allocated in the compilation's arena (arena.h): nodes are
 * never freed one by one. Lists are singly linked through `next`, in source
 * order. Fields under "resolved" are filled in by the checker (check.c).
 */
#ifndef RUBRIC_AST_H
#define RUBRIC_AST_H
#include <stdbool.h>

#include "arena.h"
#include "decimal.h"
#include "diag.h"
#include "source.h"
#include "vocab.h"

typedef struct ast_expr ast_expr;
typedef struct ast_part ast_part;
typedef struct ast_stmt ast_stmt;

typedef enum {
  EX_NUMBER,    /* 0.3%, 7000万, 2.4 */
  EX_BOOL,      /* yes / no / true / false */
  EX_NAME,      /* an input, a let, or a form parameter */
  EX_CALL,      /* builtin or form: min(a, b), shortfall(full: 4, ...) */
  EX_NEG,       /* -x */
  EX_NOT,       /* not c */
  EX_BINARY,    /* arithmetic, comparison, and/or */
  EX_TIERS,     /* 4 if c1, 0 if c2, linear between */
  EX_UNDEFINED, /* undefined "reason": the document gives no rule */
  EX_LIST,      /* [1, 2, 3]: per-period values in an example */
} ex_kind;

/* An argument (of a call or a list element); `name` is set for `name: value`. */
typedef struct ast_arg {
  struct ast_arg *next;
  struct ast_arg *last; /* the head of a list: its last node (AST_APPEND) */
  const char *name;
  rb_loc name_loc;
  ast_expr *value;
} ast_arg;

typedef struct ast_tier {
  struct ast_tier *next;
  struct ast_tier *last; /* the head of a list: its last node (AST_APPEND) */
  ast_expr *value, *cond;
  rb_loc loc;
} ast_tier;

/* REF_ITEMS: `items` in the rule of an indicator (or item) that has items:
   the sum of their scores, which the rule adjusts (加减分).
   REF_LABEL: a label of a `one of` input (`A级` in `level == A级`, or a key
   of `by level { A级: 5 }`); name.input is that input, name.param the
   label's index.
   REF_SUBJECT: in a grade band's condition, the grade's subject (`total`
   or the part it is on). */
typedef enum { REF_NONE, REF_INPUT, REF_LET, REF_PARAM, REF_LABEL, REF_ITEMS, REF_SUBJECT } ref_kind; /* REF_ITEMS: `items`, below */

typedef struct ast_input ast_input;
typedef struct ast_form ast_form;

struct ast_expr {
  ex_kind kind;
  rb_loc loc;
  int depth;          /* nesting: 1 for a leaf (the parser limits it, parse.h) */
  union {
    struct {
      rb_decimal value;
      bool percent;  /* written with % or ‰: a fraction */
      bool grouped;  /* written with thousands commas: 1,000,000 */
      bool bad;      /* reported by the lexer: its value means nothing */
      bool date;     /* a date, 2024-03-15: VALUE is its day number (dates.h) */
    } num;
    bool boolean;
    struct {
      const char *id;
      /* resolved */
      ref_kind ref;
      ast_input *input;   /* REF_INPUT */
      ast_stmt *let;      /* REF_LET */
      int param;          /* REF_PARAM: index in the form's parameters; REF_LABEL: the label's */
    } name;
    struct {
      const char *fn;
      rb_loc fn_loc;
      ast_arg *args;
      int nargs;
      /* resolved */
      int builtin;        /* a bi_kind (check.h), or -1 for a form */
      ast_form *form;
      ast_expr **bound;   /* form calls: arguments in parameter order */
      int stat[2];        /* peer builtins: the peer statistics (ast_stat.index) it reads, -1 if none */
      /* `count(处罚 where COND)`: the word, as written (checked), and COND;
         NULL for any other call (check/records.c turns a count of records
         into the name of its tally's input before names are resolved) */
      const char *where_word;
      rb_loc where_loc;
      ast_expr *where;
    } call;
    struct {
      ex_op op;
      ast_expr *lhs, *rhs;
    } bin;
    ast_expr *operand;    /* EX_NEG, EX_NOT */
    struct {
      ast_tier *tiers;
      ast_expr *otherwise; /* NULL when absent */
      bool linear;          /* ends with `linear between` */
      rb_loc tail_loc;      /* the `otherwise` / `linear between` clause */
      /* `by level { A级: 5, B级: 3 }`: tiers `5 if level == A级, ...` written
         as a lookup; the word before the subject, as written (checked) */
      const char *lookup;
      rb_loc lookup_loc, subject_loc;
      /* resolved: `linear between` as a call of the prelude's interpolate */
      ast_expr *between;
    } tiers;
    struct {
      const char *reason; /* may be NULL */
    } undef;
    struct {
      ast_arg *items;
      int n;
    } list;
  };
};

typedef struct ast_example ast_example;

typedef enum {
  ST_LET,     /* let name = expr */
  ST_PART,    /* category / indicator / item */
  ST_SCORE,   /* the score expression of an indicator or item */
  ST_TOTAL,   /* total 100 */
  ST_PERIOD,  /* period month 1 to 12 */
  ST_INPUT,   /* input name: type [per period] [in [lo, hi]] ["title"] */
  ST_EXAMPLE, /* example "title" { ... } */
  ST_FORM,    /* form name(params) = expr */
  ST_PEERS,   /* peers all | peers by parent */
  ST_ROUND,   /* round N | round total N */
  ST_GRADE,   /* grade id "title" on total { bands } */
  ST_REQUIRE, /* require condition "message": a constraint the data must meet */
  ST_DROP,    /* drop id: in a scheme that extends another, a base part left out */
  ST_RECORDS, /* records name "title" { input ... }: a table of records per entity */
  ST_ERROR,   /* a statement the parser skipped after a syntax error */
} st_kind;

/* A statement in a scheme, category, indicator or item body. */
struct ast_stmt {
  ast_stmt *next;
  ast_stmt *last; /* the head of a list: its last node (AST_APPEND) */
  st_kind kind;
  rb_loc loc;
  const char *name; /* ST_LET; ST_PEERS: the first word; ST_REQUIRE: the message */
  rb_loc name_loc;
  const char *name2; /* ST_PEERS: the second word ("parent" in `peers by parent`) */
  rb_loc name2_loc;
  struct ast_grade *grade; /* ST_GRADE */
  ast_expr *value;  /* ST_LET, ST_SCORE, ST_TOTAL, ST_PERIOD (first), ST_REQUIRE */
  ast_expr *value2; /* ST_PERIOD (last) */
  ast_part *part;   /* ST_PART */
  ast_input *input; /* ST_INPUT */
  ast_example *example; /* ST_EXAMPLE */
  ast_form *form;   /* ST_FORM */
  ast_stmt *body;   /* ST_RECORDS: its statements */
  struct rb_type *type; /* resolved, ST_LET: the value's type (check/ck.h) */
};

/* A category, indicator or sub-item: something worth points. A target is a
   pass/fail goal with no points: its rule is one comparison `value OP goal`. */
struct ast_part {
  part_kind kind;
  section_kind section; /* a category that is a bonus or deduction section */
  const char *id;
  rb_loc id_loc;
  const char *title;
  rb_decimal points;
  rb_loc points_loc;
  bool points_bad;   /* the points literal was refused (R0101) */
  const char *points_word; /* `points unknown`, as written (checked): derived from the children */
  rb_loc loc;        /* the keyword */
  ast_stmt *body;
  /* `for KIND L1, L2`: the part applies only to entities whose `one of`
     input KIND holds one of the labels (ast_arg.name); NULL: to every entity */
  const char *for_word, *kind_name;
  rb_loc kind_loc, kinds_loc;
  struct ast_arg *kinds;
  /* resolved (check/kinds.c): the input and the labels' indices, sorted */
  ast_input *kind_input;
  int nkind_labels;
  int *kind_labels;
  /* resolved */
  ast_part *parent;
  ast_expr *score;   /* the ST_SCORE expression, if the part has one */
  int nchildren;
  int index;         /* output column: parts in source order, depth first; targets: their own count */
  const char *path;  /* "finance_risk.progress" for items, id otherwise */
  int nuses;
  int *uses;           /* the inputs this part reads, as sorted input indices (in the arena) */
};

struct ast_input {
  ast_input *next;
  ast_input *last; /* the head of a list: its last node (AST_APPEND) */
  const char *name;
  rb_loc name_loc;
  const char *type;
  rb_loc type_loc;
  const char *per;   /* period name for per-period inputs, else NULL */
  rb_loc per_loc;
  bool has_lo, has_hi; /* `in [lo, hi]`, `at least lo`, `at most hi` */
  rb_decimal lo, hi;
  rb_loc range_loc;
  bool from_parent;   /* `from parent`: the value is the parent entity's */
  const char *from;   /* the word after `from`, as written */
  rb_loc from_loc;
  missing_kind missing;
  rb_decimal missing_value; /* MISS_VALUE, MISS_POINTS */
  const char *missing_word, *missing_word2; /* as written, checked by check.c */
  rb_loc missing_loc;
  const char *title; /* may be NULL */
  const char *column, *column_word; /* `column "..."`: the header, and the word before it as written */
  /* `one of { A级, B级 }`: the labels, in order (ast_arg.name); the word
     after the type as written ("of", checked) */
  struct ast_arg *labels;
  int nlabels;
  const char *labels_word;
  rb_loc labels_loc;
  /* `assessed for PART`: the word ("for", checked) and the part's path */
  const char *for_word, *for_part;
  rb_loc for_loc;
  rb_loc column_loc;
  rb_loc loc;
  /* resolved */
  input_type tkind;
  int index;
  struct ast_part *assessed_part; /* IN_ASSESSED: the part whose points it gives */
  struct ast_records *records;    /* a field of this record table (index: among its fields), not a scheme input */
  struct ast_tally *tally;        /* the input that holds this count of records (check/records.c) */
};

/* `records 处罚 "行政处罚决定" { input ... }` (check/records.c). */
typedef struct ast_records {
  struct ast_records *next;
  struct ast_records *last; /* the head of a list: its last node (AST_APPEND) */
  const char *name, *title;
  rb_loc loc, name_loc;
  ast_input *fields;
  int nfields, index;
  struct name_table *field_names;
  bool counted;             /* some rule counts its records */
} ast_records;

/* A count of records, `count(处罚 where COND)`: its text names the input
   (ast_input.tally) that rules read in its place. */
typedef struct ast_tally {
  struct ast_tally *next;
  struct ast_tally *last;   /* the head of a list: its last node (AST_APPEND) */
  ast_records *records;
  ast_expr *cond;           /* NULL: every record */
  const char *text;
  rb_loc loc;
  ast_input *input;
  int index;
} ast_tally;

typedef struct ast_param {
  const char *name;
  rb_loc loc;
} ast_param;

struct ast_form {
  ast_form *next;
  ast_form *last; /* the head of a list: its last node (AST_APPEND) */
  const char *name;
  rb_loc name_loc;
  ast_param *params;
  int nparams;
  ast_expr *body;
  rb_loc loc;
  int checking; /* cycle guard while checking calls */
  bool names_checked; /* its body's names were checked where it is declared */
  bool in_scheme;     /* declared in a scheme: its body may read the scheme's inputs and use `undefined` */
  bool reads_inputs;  /* its body reads an input, itself or through the forms it calls (checked) */
};

/* `name = value` in an example, or `expect name = value` / `expect name undefined`. */
typedef struct ast_given {
  struct ast_given *next;
  struct ast_given *last; /* the head of a list: its last node (AST_APPEND) */
  const char *name;
  rb_loc name_loc;
  ast_expr *value;      /* NULL for `expect name undefined`, `name = missing` and grade bands */
  bool expect;
  bool missing;         /* `name = missing`: an empty cell */
  ast_expr *stat;       /* `peers.max(x) = v`: the peer statistic given */
  const char *band;     /* `expect grade = "band"` */
  rb_loc loc;
  /* resolved */
  ast_input *input;     /* givens */
  ast_part *part;       /* expects; NULL means the total (or a grade) */
  struct ast_grade *grade; /* `expect grade = "band"` */
  int band_index;
  int *stats;           /* a given peer statistic: the scheme's statistics it sets */
  int nstats;
  double *vals;         /* given values: one, or one per period */
  int nvals;
  double expected;      /* expects with a value */
} ast_given;

struct ast_example {
  struct ast_example *next;
  struct ast_example *last; /* the head of a list: its last node (AST_APPEND) */
  const char *title;
  rb_loc loc;
  ast_given *items;
};

/* A peer statistic: one aggregate over the peer group that generated code
   computes in a pass before scoring (its stage's), e.g. the max of `share` for peers.max(share). */
typedef struct ast_stat {
  stat_kind kind;
  ast_expr *arg;  /* NULL for STAT_COUNT */
  ast_expr *call; /* the first call that reads it, for messages */
  int index;
} ast_stat;

/* A grade band: `"诚信守法" if total >= 90 "treatment"`. */
typedef struct ast_band {
  struct ast_band *next;
  struct ast_band *last; /* the head of a list: its last node (AST_APPEND) */
  const char *name;
  ast_expr *cond;
  const char *treatment; /* may be NULL */
  rb_loc loc;
  /* resolved: the interval of the subject the band covers */
  bool resolved;
  rb_decimal lo, hi;
  bool has_lo, has_hi, lo_open, hi_open;
} ast_band;

typedef struct ast_grade {
  struct ast_grade *next;
  struct ast_grade *last; /* the head of a list: its last node (AST_APPEND) */
  const char *id;
  rb_loc id_loc;
  const char *title;
  const char *subject;   /* "total" or an indicator's id */
  rb_loc subject_loc;
  ast_band *bands;
  rb_loc loc;
  /* resolved */
  ast_part *part;        /* the subject part; NULL for the total */
  int nbands;
  int index;
  bool has_treatment;
  /* Some band's condition tests inputs too (一票否决): each band keeps its
     whole condition, and the inputs the conditions read are READS. */
  bool conditional;
  int *reads;
  int nreads;
} ast_grade;

typedef struct ast_scheme {
  struct ast_scheme *next;
  struct ast_scheme *last; /* the head of a list: its last node (AST_APPEND) */
  const char *id;
  rb_loc id_loc;
  const char *title;
  rb_loc loc;
  /* `extends BASE [in "path"]` (check/extends.c merges the base's statements
     into body before the checker runs); the word, as written, is checked */
  const char *extends_word, *base, *base_path;
  rb_loc extends_loc, base_loc, base_path_loc;
  bool base_failed;     /* the base could not be merged (reported): not checked */
  bool has_total, total_bad;
  bool total_derived;   /* `total unknown "..."`: the sum of the top-level parts' points */
  rb_decimal total;
  rb_loc total_loc;
  const char *period;   /* `period month 1 to 12`: "month"; NULL if none */
  int period_first, period_last;
  rb_loc period_loc;
  ast_input *inputs;
  ast_stmt *body;       /* categories and indicators (ST_PART) */
  ast_example *examples;
  ast_form *forms;      /* forms declared inside the scheme */
  bool peers_by_parent; /* `peers by parent`; otherwise every entity is one group */
  int round_parts, round_total; /* `round N`, `round total N`: decimals, or -1 (set by the checker) */
  rb_loc round_loc;
  rb_loc peers_loc;
  ast_grade *grades;
  ast_records *records; /* record tables, in source order */
  /* resolved */
  ast_tally *tallies;   /* counts of records, in order of first use */
  int nrecords, ntallies;
  bool broken;           /* a syntax error at scheme level */
  ast_input *kind_input; /* the input parts name with `for KIND ...`; NULL if none does (check/kinds.c) */
  int ninputs, nparts, ntargets, ngrades, nstats;
  /* `require` statements, in order (checked: a yes/no of one value per entity),
     with the inputs each reads (names_add_reads) */
  ast_stmt **require_at;
  int **require_uses, *nrequire_uses;
  int nrequires, cap_requires;
  int cap_parts, cap_targets, cap_grades, cap_stats; /* of the arrays below */
  struct name_table *part_names, *target_names, *input_names; /* by name (check/names.c) */
  ast_input **input_at;  /* by index */
  ast_part **part_at;    /* by index */
  ast_part **target_at;  /* by index */
  ast_grade **grade_at;  /* by index */
  ast_stat **stat_at;    /* by index */
  bool uses_parent;      /* peers by parent, or an input from parent */
} ast_scheme;

typedef struct ast_file {
  const rb_source *src;
  int syntax_errors; /* errors the lexer and parser reported for this file */
  ast_scheme *schemes;
  ast_form *forms;
} ast_file;

/* Parses SRC into an AST allocated in ARENA; syntax errors go to DIAGS.
   Always returns a file (possibly partial after errors). Defined in grammar/. */
ast_file *parse_source(const rb_source *src, rb_arena *arena, rb_diags *diags);

/* Appends N to the list whose head is *HEAD, in constant time: the head
   keeps the list's last node (a list of one is its own last). Lists that
   grow are built only through this. */
#define AST_APPEND(type, head, n)                                   \
  do {                                                              \
    type **h_ = (head), *n_ = (n);                                  \
    if (!*h_) {                                                     \
      *h_ = n_;                                                     \
    } else {                                                        \
      type *last_ = (*h_)->last ? (*h_)->last : *h_;                \
      last_->next = n_;                                             \
    }                                                               \
    (*h_)->last = n_->last ? n_->last : n_;                         \
  } while (0)

/* Same expression, ignoring locations (tier subjects, an example's peer
   statistic); with RESOLVED, each name must also mean the same input or let. */
bool ast_same_expr(const ast_expr *a, const ast_expr *b, bool resolved);
/* Calls VISIT on E and on every expression below it (operands, call
   arguments, tiers, and the value of each `let` it names) until VISIT
   returns true; returns whether it did. A call's arguments, which stand for
   its form's parameters, are entered, and the form's body only when it
   reads inputs of its own (a scheme's form, ast_form.reads_inputs). */
bool ast_any(const ast_expr *e, bool (*visit)(const ast_expr *e, void *ctx), void *ctx);

#endif
