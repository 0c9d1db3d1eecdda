/* parser.y: the grammar of Rubric (spec/grammar.md mirrors it rule by rule).
 *
 * Pure reentrant parser with locations. Syntax errors are reported with
 * file:line:col and the expected tokens, and recovery resumes at the next
 * statement separator, so one run reports several errors. Nodes live in the
 * compilation's arena (ast.h), so discarded values need no %destructor.
 */
%code requires {
#include "parse.h"
typedef void *yyscan_t;
}

%code provides {
int ps_lex(PS_STYPE *lval, rb_loc *lloc, yyscan_t scanner, rb_parse *p);
}

%code {
#include <stdio.h>
#include <string.h>

/* A node's span runs from its first symbol to its last. */
#define YYLLOC_DEFAULT(Cur, Rhs, N)                              \
  do {                                                           \
    if (N) {                                                     \
      (Cur) = YYRHSLOC(Rhs, 1);                                  \
      (Cur).last_line = YYRHSLOC(Rhs, N).last_line;              \
      (Cur).last_column = YYRHSLOC(Rhs, N).last_column;          \
      (Cur).end = YYRHSLOC(Rhs, N).end;                          \
    } else {                                                     \
      (Cur) = YYRHSLOC(Rhs, 0);                                  \
      (Cur).first_line = (Cur).last_line;                        \
      (Cur).first_column = (Cur).last_column;                    \
      (Cur).start = (Cur).end;                                   \
    }                                                            \
  } while (0)

static ast_expr *mk_expr(rb_parse *p, ex_kind kind, rb_loc loc);
static ast_expr *mk_where(rb_parse *p, const char *fn, rb_loc fn_loc, const char *table, rb_loc table_loc,
                          const char *word, rb_loc word_loc, ast_expr *cond, rb_loc loc);
static ast_expr *mk_binary(rb_parse *p, ex_op op, ast_expr *l, ast_expr *r, rb_loc loc);
static ast_expr *nested(rb_parse *p, ast_expr *e);
static ast_stmt *mk_stmt(rb_parse *p, st_kind kind, rb_loc loc);
static ast_stmt *stmt_append(ast_stmt *list, ast_stmt *s);
static ast_arg *mk_arg(rb_parse *p, const char *name, rb_loc name_loc, ast_expr *value);
static ast_part *mk_part(rb_parse *p, part_kind kind, const char *id, rb_loc id_loc, const char *title,
                         ast_expr *points, rb_loc loc, ast_stmt *body);
static ast_scheme *mk_scheme(rb_parse *p, const char *id, rb_loc id_loc, const char *title, rb_loc loc,
                             ast_stmt *body);
static ast_given *mk_given(rb_parse *p, const char *name, rb_loc name_loc, ast_expr *value, bool expect,
                           rb_loc loc);
static ast_input *mk_input(rb_parse *p, const char *name, rb_loc name_loc, const char *type, rb_loc type_loc,
                           const char *per, rb_loc per_loc, const char *title, rb_loc loc);
static void input_clauses(ast_input *in, const ast_input *labels, const ast_input *from, const ast_input *bound,
                          const ast_input *missing);
static ast_expr *mk_lookup(rb_parse *p, const char *word, rb_loc word_loc, const char *subject, rb_loc subject_loc,
                           ast_tier *entries, rb_loc loc);
/* Only bison's own failures (memory exhausted) come here; syntax errors go
   through yyreport_syntax_error. */
static void ps_error(rb_loc *loc, yyscan_t scanner, rb_parse *p, const char *msg) {
  (void)scanner;
  diag_error(p->diags, R0201, *loc, "%s", msg);
}
}

%define api.pure full
%define api.prefix {ps_}
%define api.location.type {rb_loc}
%define parse.error custom
%define parse.lac full
/* No default reductions: a syntax error is found before the statement
   around it is folded into its list, so recovery (stmt_opt: error) keeps
   the statements before it. */
%define lr.default-reduction accepting
%locations
%expect 0
%param {yyscan_t scanner} {rb_parse *p}

%union {
  ast_expr *expr;
  const char *text;
  bool boolean;
  ast_arg *arg;
  ast_tier *tier;
  ast_stmt *stmt;
  ast_given *given;
  ast_form *form;
  ast_scheme *scheme;
  part_kind kind;
  section_kind section;
  ast_input *input;
  ast_band *band;
}

%token END_OF_INPUT 0 "end of file"
%token SEP "end of line"
%token SCHEME "'scheme'" CATEGORY "'category'" INDICATOR "'indicator'" ITEM "'item'"
%token EXAMPLE "'example'" TOTAL "'total'" PERIOD "'period'" TO "'to'" INPUT "'input'"
%token PER "'per'" IN "'in'" POINTS "'points'" LET "'let'" IF "'if'" OTHERWISE "'otherwise'"
%token LINEAR "'linear'" BETWEEN "'between'" UNDEFINED "'undefined'" AND "'and'" OR "'or'"
%token NOT "'not'" EXPECT "'expect'" FORM "'form'" AT "'at'" LEAST "'least'" MOST "'most'"
%token PEERS "'peers'" FROM "'from'" MISSING "'missing'" TARGET "'target'" GRADE "'grade'" ON "'on'"
%token REQUIRE "'require'"
%token BONUS "'bonus'" DEDUCTION "'deduction'"
%token ROUND "'round'"
%token DROP "'drop'"
%token RECORDS "'records'"
%token LE "'<='" GE "'>='" EQ "'=='" NE "'!='"
%token <expr> NUMBER "number"
%token <text> IDENT "name" STRING "string"
%token <boolean> BOOLEAN "yes/no"

%type <expr> expr plain tiers signed_number list_items
%type <tier> tier_head
%type <arg> args arg
%type <stmt> block stmt_list stmt_opt stmt
%type <given> given_list given_opt
%type <form> form
%type <scheme> scheme
%type <kind> part_kw
%type <section> section_kw
%type <text> title_opt per_opt grade_subject
%type <input> labels_opt from_opt bound_opt missing_opt column
%type <band> band_list band_opt
%type <arg> params label_list label_opt kind_list
%type <text> label
%type <tier> lookup_list lookup_opt

/* `undefined "reason"`: a string after `undefined` is its reason (in a
   grade band, `"A" if undefined "x"` cannot be meant as a treatment). */
%precedence BARE_UNDEFINED
%precedence STRING
%left OR
%left AND
%precedence NOT
%nonassoc '<' LE '>' GE EQ NE
%left '+' '-'
%left '*' '/'
%precedence UMINUS

%%

/* file: { scheme | form } separated by line breaks */
file
  : top_opt
  | file SEP top_opt
  ;

top_opt
  : %empty
  | scheme                 { AST_APPEND(ast_scheme, &p->file->schemes, $1); }
  | form                   { AST_APPEND(ast_form, &p->file->forms, $1); }
  | error
  ;

/* scheme: 'scheme' name "title" { statements } */
scheme
  : SCHEME IDENT STRING block { $$ = mk_scheme(p, $2, @2, $3, @1, $4); }
  /* scheme b "title" extends a { changes }, or extends a in "a.rubric":
     the word is a name here, checked by the checker (check/extends.c) */
  | SCHEME IDENT STRING IDENT IDENT block
      {
        $$ = mk_scheme(p, $2, @2, $3, @1, $6);
        $$->extends_word = $4; $$->extends_loc = @4; $$->base = $5; $$->base_loc = @5;
      }
  | SCHEME IDENT STRING IDENT IDENT IN STRING block
      {
        $$ = mk_scheme(p, $2, @2, $3, @1, $8);
        $$->extends_word = $4; $$->extends_loc = @4; $$->base = $5; $$->base_loc = @5;
        $$->base_path = $7; $$->base_path_loc = @7;
      }
  ;

/* block: { statement; statement; ... } */
block
  : '{' stmt_list '}'      { $$ = $2; }
  ;

stmt_list
  : stmt_opt               { $$ = $1; }
  | stmt_list SEP stmt_opt { $$ = stmt_append($1, $3); }
  ;

stmt_opt
  : %empty                 { $$ = NULL; }
  | stmt
  | error                  { $$ = mk_stmt(p, ST_ERROR, @1); /* keeps the checker from piling on */ }
  ;

/* The checker decides which statements may stand where (check.c). */
stmt
  : LET IDENT '=' expr
      { $$ = mk_stmt(p, ST_LET, @1); $$->name = $2; $$->name_loc = @2; $$->value = $4; }
  | part_kw IDENT STRING POINTS NUMBER block
      { $$ = mk_stmt(p, ST_PART, @1); $$->part = mk_part(p, $1, $2, @2, $3, $5, @1, $6); }
  | part_kw IDENT STRING POINTS NUMBER IDENT IDENT kind_list block  /* for 类别 执法部门, 综合部门 */
      {
        $$ = mk_stmt(p, ST_PART, @1); $$->part = mk_part(p, $1, $2, @2, $3, $5, @1, $9);
        $$->part->for_word = $6; $$->part->kind_name = $7; $$->part->kind_loc = @7; $$->part->kinds = $8; $$->part->kinds_loc = @6;
      }
  | part_kw IDENT STRING POINTS IDENT block  /* points unknown: the sum of its parts */
      {
        $$ = mk_stmt(p, ST_PART, @1); $$->part = mk_part(p, $1, $2, @2, $3, NULL, @1, $6);
        $$->part->points_word = $5; $$->part->points_loc = @5;
      }
  | section_kw IDENT STRING POINTS NUMBER block
      {
        $$ = mk_stmt(p, ST_PART, @1);
        $$->part = mk_part(p, PART_CATEGORY, $2, @2, $3, $5, @1, $6);
        $$->part->section = $1;
      }
  | TOTAL NUMBER
      { $$ = mk_stmt(p, ST_TOTAL, @1); $$->value = $2; }
  | TOTAL IDENT title_opt  /* total unknown "文件未给出总分": the sum of the parts */
      { $$ = mk_stmt(p, ST_TOTAL, @1); $$->name = $2; $$->name_loc = @2; $$->name2 = $3; }
  | PERIOD IDENT NUMBER TO NUMBER
      { $$ = mk_stmt(p, ST_PERIOD, @1); $$->name = $2; $$->name_loc = @2; $$->value = $3; $$->value2 = $5; }
  | INPUT IDENT ':' IDENT labels_opt per_opt from_opt bound_opt missing_opt title_opt
      {
        $$ = mk_stmt(p, ST_INPUT, @1);
        $$->input = mk_input(p, $2, @2, $4, @4, $6, @6, $10, @1);
        input_clauses($$->input, $5, $7, $8, $9);
      }
  | INPUT IDENT ':' IDENT labels_opt per_opt from_opt bound_opt missing_opt STRING column
      {
        $$ = mk_stmt(p, ST_INPUT, @1);
        ast_input *in = $$->input = mk_input(p, $2, @2, $4, @4, $6, @6, $10, @1);
        input_clauses(in, $5, $7, $8, $9);
        in->column = $11->column; in->column_loc = $11->column_loc; in->column_word = $11->column_word;
      }
  | PEERS IDENT
      { $$ = mk_stmt(p, ST_PEERS, @1); $$->name = $2; $$->name_loc = @2; }
  | ROUND NUMBER
      { $$ = mk_stmt(p, ST_ROUND, @1); $$->value = $2; }
  | ROUND IDENT NUMBER
      { $$ = mk_stmt(p, ST_ROUND, @1); $$->name = $2; $$->name_loc = @2; $$->value = $3; }
  | PEERS IDENT IDENT
      { $$ = mk_stmt(p, ST_PEERS, @1); $$->name = $2; $$->name_loc = @2; $$->name2 = $3; $$->name2_loc = @3; }
  | TARGET IDENT STRING block
      { $$ = mk_stmt(p, ST_PART, @1); $$->part = mk_part(p, PART_TARGET, $2, @2, $3, NULL, @1, $4); }
  | GRADE IDENT STRING ON grade_subject '{' band_list '}'
      {
        $$ = mk_stmt(p, ST_GRADE, @1);
        ast_grade *g = $$->grade = arena_alloc(p->arena, sizeof *g);
        g->id = $2; g->id_loc = @2; g->title = $3; g->subject = $5; g->subject_loc = @5; g->bands = $7; g->loc = @1;
      }
  | REQUIRE expr STRING
      { $$ = mk_stmt(p, ST_REQUIRE, @1); $$->value = $2; $$->name = $3; $$->name_loc = @3; }
  | EXAMPLE STRING '{' given_list '}'
      {
        $$ = mk_stmt(p, ST_EXAMPLE, @1);
        ast_example *ex = arena_alloc(p->arena, sizeof *ex);
        ex->title = $2; ex->loc = @1; ex->items = $4;
        $$->example = ex;
      }
  | DROP IDENT             /* in a scheme that extends another: a part left out */
      { $$ = mk_stmt(p, ST_DROP, @1); $$->name = $2; $$->name_loc = @2; }
  | DROP INPUT IDENT       /* an inherited input left out */
      { $$ = mk_stmt(p, ST_DROP, @1); $$->name = $3; $$->name_loc = @3; $$->name2 = "input"; $$->name2_loc = @2; }
  | DROP EXAMPLE STRING    /* an inherited example left out, by its title */
      {
        $$ = mk_stmt(p, ST_DROP, @1); $$->name = $3; $$->name_loc = @3; $$->name2 = "example"; $$->name2_loc = @2;
        p->next_block = BLK_OTHER; /* no block follows this 'example' */
      }
  | RECORDS IDENT title_opt block  /* a table of records per entity: its fields */
      { $$ = mk_stmt(p, ST_RECORDS, @1); $$->name = $2; $$->name_loc = @2; $$->name2 = $3; $$->body = $4; }
  | form
      { $$ = mk_stmt(p, ST_FORM, @1); $$->form = $1; }
  | expr
      { $$ = mk_stmt(p, ST_SCORE, @1); $$->value = $1; }
  ;

/* a section beside the base total: a bonus (加分项) or a deduction (扣分项) */
section_kw
  : BONUS                  { $$ = SECTION_BONUS; }
  | DEDUCTION              { $$ = SECTION_DEDUCTION; }
  ;

part_kw
  : CATEGORY               { $$ = PART_CATEGORY; }
  | INDICATOR              { $$ = PART_INDICATOR; }
  | ITEM                   { $$ = PART_ITEM; }
  ;

/* one of { A级, B级, C级 }: the labels of a categorical input, between
   commas or line breaks; a label is a name or a string */
labels_opt
  : %empty                 { $$ = NULL; }
  | IDENT '{' label_list '}'
      {
        $$ = arena_alloc(p->arena, sizeof *$$);
        $$->labels_word = $1; $$->labels = $3; $$->labels_loc = @$;
      }
  | IDENT IDENT            /* assessed for PART: the part whose points it gives */
      {
        $$ = arena_alloc(p->arena, sizeof *$$);
        $$->for_word = $1; $$->for_part = $2; $$->for_loc = @$;
      }
  ;

label_list
  : label_opt
  | label_list ',' label_opt
      { $$ = $1; if ($3) { if ($$) AST_APPEND(ast_arg, &$$, $3); else $$ = $3; } }
  | label_list SEP label_opt
      { $$ = $1; if ($3) { if ($$) AST_APPEND(ast_arg, &$$, $3); else $$ = $3; } }
  ;

kind_list
  : label                  { $$ = mk_arg(p, $1, @1, NULL); }
  | kind_list ',' label    { $$ = $1; AST_APPEND(ast_arg, &$$, mk_arg(p, $3, @3, NULL)); }
  ;

label_opt
  : %empty                 { $$ = NULL; }
  | label                  { $$ = mk_arg(p, $1, @1, NULL); }
  ;

label
  : IDENT
  | STRING
  ;

/* from parent */
from_opt
  : %empty                 { $$ = NULL; }
  | FROM IDENT
      { $$ = arena_alloc(p->arena, sizeof *$$); $$->from = $2; $$->from_loc = @$; }
  ;

/* in [lo, hi] | at least lo | at most hi */
bound_opt
  : %empty                 { $$ = NULL; }
  | IN '[' signed_number ',' signed_number ']'
      {
        $$ = arena_alloc(p->arena, sizeof *$$);
        $$->has_lo = $$->has_hi = true; $$->lo = $3->num.value; $$->hi = $5->num.value; $$->range_loc = @$;
      }
  | AT LEAST signed_number
      { $$ = arena_alloc(p->arena, sizeof *$$); $$->has_lo = true; $$->lo = $3->num.value; $$->range_loc = @$; }
  | AT MOST signed_number
      { $$ = arena_alloc(p->arena, sizeof *$$); $$->has_hi = true; $$->hi = $3->num.value; $$->range_loc = @$; }
  ;

/* missing error | missing V | missing scores N | missing scores full */
missing_opt
  : %empty                 { $$ = NULL; }
  | MISSING IDENT
      { $$ = arena_alloc(p->arena, sizeof *$$); $$->missing_word = $2; $$->missing_loc = @$; }
  | MISSING signed_number
      {
        $$ = arena_alloc(p->arena, sizeof *$$); $$->missing = MISS_VALUE;
        $$->missing_value = $2->num.value; $$->missing_loc = @$;
      }
  | MISSING BOOLEAN
      {
        $$ = arena_alloc(p->arena, sizeof *$$); $$->missing = MISS_VALUE;
        $$->missing_value = dec_from_int($2 ? 1 : 0); $$->missing_loc = @$;
        $$->missing_word = $2 ? "yes" : "no"; /* inputs.c: only for a yes/no input */
      }
  | MISSING IDENT signed_number
      {
        $$ = arena_alloc(p->arena, sizeof *$$); $$->missing = MISS_POINTS; $$->missing_word = $2;
        $$->missing_value = $3->num.value; $$->missing_loc = @$;
      }
  | MISSING IDENT IDENT
      {
        $$ = arena_alloc(p->arena, sizeof *$$); $$->missing = MISS_FULL; $$->missing_word = $2;
        $$->missing_word2 = $3; $$->missing_loc = @$;
      }
  ;

/* the subject of a grade: total or an indicator's id */
grade_subject
  : IDENT
  ;

/* bands, one per line: "name" if condition ["treatment"] */
band_list
  : band_opt               { $$ = $1; }
  | band_list SEP band_opt
      { $$ = $1; if ($3) { if ($$) AST_APPEND(ast_band, &$$, $3); else $$ = $3; } }
  ;

band_opt
  : %empty                 { $$ = NULL; }
  | STRING IF plain title_opt
      {
        $$ = arena_alloc(p->arena, sizeof *$$);
        $$->name = $1; $$->cond = $3; $$->treatment = $4; $$->loc = @$;
      }
  | error                  { $$ = NULL; }
  ;

per_opt
  : %empty                 { $$ = NULL; }
  | PER IDENT              { $$ = $2; }
  ;

title_opt
  : %empty                 { $$ = NULL; }
  | STRING
  ;

/* column "配合件数", after the title: the data table's header for the
   input, when it is neither the id nor the title (the word is checked in
   check/inputs.c, so that `column` stays free as a name) */
column
  : IDENT STRING
      {
        $$ = arena_alloc(p->arena, sizeof *$$);
        $$->column_word = $1; $$->column = $2; $$->column_loc = @$;
      }
  ;

signed_number
  : NUMBER
  | '-' NUMBER             { $$ = $2; $$->num.value = dec_neg($$->num.value); }
  ;

/* example "title" { name = value; expect id = value; expect id undefined } */
given_list
  : given_opt              { $$ = $1; }
  | given_list SEP given_opt
      { $$ = $1; if ($3) { if ($$) AST_APPEND(ast_given, &$$, $3); else $$ = $3; } }
  ;

given_opt
  : %empty                 { $$ = NULL; }
  | IDENT '=' expr         { $$ = mk_given(p, $1, @1, $3, false, @$); }
  | EXPECT IDENT '=' expr  { $$ = mk_given(p, $2, @2, $4, true, @$); }
  | EXPECT IDENT UNDEFINED { $$ = mk_given(p, $2, @2, NULL, true, @$); }
  | EXPECT IDENT '=' STRING
      { $$ = mk_given(p, $2, @2, NULL, true, @$); $$->band = $4; }
  | IDENT '=' MISSING      { $$ = mk_given(p, $1, @1, NULL, false, @$); $$->missing = true; }
  | IDENT '=' STRING       /* a label the data writes as no name: "A+" */
      {
        ast_expr *label = mk_expr(p, EX_NAME, @3); label->name.id = $3;
        $$ = mk_given(p, $1, @1, label, false, @$);
      }
  | IDENT '(' ')' '=' expr
      {
        $$ = mk_given(p, $1, @1, $5, false, @$);
        $$->stat = mk_expr(p, EX_CALL, @1); $$->stat->call.fn = $1; $$->stat->call.fn_loc = @1;
        $$->stat->loc.end = @3.end; $$->stat->loc.last_column = @3.last_column;
      }
  | IDENT '(' IDENT IDENT plain ')' '=' expr  /* count(处罚 where ...) = 3: a count of records */
      {
        $$ = mk_given(p, $1, @1, $8, false, @$);
        $$->stat = mk_where(p, $1, @1, $3, @3, $4, @4, $5, @$);
        $$->stat->loc.end = @6.end; $$->stat->loc.last_column = @6.last_column;
      }
  | IDENT '(' args ')' '=' expr
      {
        $$ = mk_given(p, $1, @1, $6, false, @$);
        $$->stat = mk_expr(p, EX_CALL, @1); $$->stat->call.fn = $1; $$->stat->call.fn_loc = @1; $$->stat->call.args = $3;
        for (ast_arg *a = $3; a; a = a->next) $$->stat->call.nargs++;
        $$->stat->loc.end = @4.end; $$->stat->loc.last_column = @4.last_column;
      }
  | error                  { $$ = NULL; }
  ;

/* form: 'form' name ( params ) = expression */
form
  : FORM IDENT '(' params ')' '=' expr
      {
        $$ = arena_alloc(p->arena, sizeof *$$);
        $$->name = $2; $$->name_loc = @2; $$->body = $7; $$->loc = @1;
        int n = 0;
        for (ast_arg *a = $4; a; a = a->next) n++;
        $$->nparams = n;
        $$->params = arena_alloc(p->arena, sizeof(ast_param) * (size_t)(n ? n : 1));
        n = 0;
        for (ast_arg *a = $4; a; a = a->next, n++) {
          $$->params[n].name = a->name;
          $$->params[n].loc = a->name_loc;
        }
      }
  ;

params
  : IDENT                  { $$ = mk_arg(p, $1, @1, NULL); }
  | params ',' IDENT       { $$ = $1; AST_APPEND(ast_arg, &$$, mk_arg(p, $3, @3, NULL)); }
  ;

/* expression: plain | tiers */
expr
  : plain
  | tiers
  ;

/* tiers: value if condition, ... [, value otherwise | , linear between] */
tiers
  : tier_head
      { $$ = mk_expr(p, EX_TIERS, @$); $$->tiers.tiers = $1; $$ = nested(p, $$); }
  | tier_head ',' plain OTHERWISE
      { $$ = mk_expr(p, EX_TIERS, @$); $$->tiers.tiers = $1; $$->tiers.otherwise = $3;
        $$->tiers.tail_loc = @3; $$->tiers.tail_loc.end = @4.end; $$ = nested(p, $$); }
  | tier_head ',' LINEAR BETWEEN
      { $$ = mk_expr(p, EX_TIERS, @$); $$->tiers.tiers = $1; $$->tiers.linear = true;
        $$->tiers.tail_loc = @3; $$->tiers.tail_loc.end = @4.end; $$ = nested(p, $$); }
  ;

tier_head
  : plain IF plain
      { $$ = arena_alloc(p->arena, sizeof *$$); $$->value = $1; $$->cond = $3; $$->loc = @$; }
  | tier_head ',' plain IF plain
      {
        ast_tier *t = arena_alloc(p->arena, sizeof *t);
        t->value = $3; t->cond = $5; t->loc = @3; t->loc.end = @5.end;
        $$ = $1; AST_APPEND(ast_tier, &$$, t);
      }
  ;

plain
  : NUMBER
  | BOOLEAN                { $$ = mk_expr(p, EX_BOOL, @1); $$->boolean = $1; }
  | IDENT                  { $$ = mk_expr(p, EX_NAME, @1); $$->name.id = $1; }
  | IDENT '(' ')'
      { $$ = mk_expr(p, EX_CALL, @$); $$->call.fn = $1; $$->call.fn_loc = @1; }
  | IDENT '(' args ')'
      {
        $$ = mk_expr(p, EX_CALL, @$); $$->call.fn = $1; $$->call.fn_loc = @1; $$->call.args = $3;
        for (ast_arg *a = $3; a; a = a->next) $$->call.nargs++;
        $$ = nested(p, $$);
      }
  | IDENT '(' IDENT IDENT plain ')'  /* count(处罚 where 公示日期 > 决定日期): `where` is checked */
      { $$ = nested(p, mk_where(p, $1, @1, $3, @3, $4, @4, $5, @$)); }
  | '(' expr ')'           { $$ = $2; }
  | IDENT IDENT '{' lookup_list '}'
      { $$ = mk_lookup(p, $1, @1, $2, @2, $4, @$); }
  | '[' list_items ']'     { $$ = $2; $$->loc = @$; }
  | UNDEFINED %prec BARE_UNDEFINED { $$ = mk_expr(p, EX_UNDEFINED, @1); }
  | UNDEFINED STRING       { $$ = mk_expr(p, EX_UNDEFINED, @$); $$->undef.reason = $2; }
  | '-' plain %prec UMINUS { $$ = mk_expr(p, EX_NEG, @$); $$->operand = $2; $$ = nested(p, $$); }
  | NOT plain              { $$ = mk_expr(p, EX_NOT, @$); $$->operand = $2; $$ = nested(p, $$); }
  | plain '+' plain        { $$ = mk_binary(p, OP_ADD, $1, $3, @$); }
  | plain '-' plain        { $$ = mk_binary(p, OP_SUB, $1, $3, @$); }
  | plain '*' plain        { $$ = mk_binary(p, OP_MUL, $1, $3, @$); }
  | plain '/' plain        { $$ = mk_binary(p, OP_DIV, $1, $3, @$); }
  | plain '<' plain        { $$ = mk_binary(p, OP_LT, $1, $3, @$); }
  | plain LE plain         { $$ = mk_binary(p, OP_LE, $1, $3, @$); }
  | plain '>' plain        { $$ = mk_binary(p, OP_GT, $1, $3, @$); }
  | plain GE plain         { $$ = mk_binary(p, OP_GE, $1, $3, @$); }
  | plain EQ plain         { $$ = mk_binary(p, OP_EQ, $1, $3, @$); }
  | plain NE plain         { $$ = mk_binary(p, OP_NE, $1, $3, @$); }
  | plain AND plain        { $$ = mk_binary(p, OP_AND, $1, $3, @$); }
  | plain OR plain         { $$ = mk_binary(p, OP_OR, $1, $3, @$); }
  ;

/* by level { A级: 5, B级: 3, 0 otherwise }: entries between commas or line
   breaks; an entry's cond holds its label (a name), NULL for `otherwise` */
lookup_list
  : lookup_opt
  | lookup_list ',' lookup_opt
      { $$ = $1; if ($3) { if ($$) AST_APPEND(ast_tier, &$$, $3); else $$ = $3; } }
  | lookup_list SEP lookup_opt
      { $$ = $1; if ($3) { if ($$) AST_APPEND(ast_tier, &$$, $3); else $$ = $3; } }
  ;

lookup_opt
  : %empty                 { $$ = NULL; }
  | label ':' plain
      {
        $$ = arena_alloc(p->arena, sizeof *$$);
        $$->cond = mk_expr(p, EX_NAME, @1); $$->cond->name.id = $1; $$->value = $3; $$->loc = @$;
      }
  | plain OTHERWISE
      { $$ = arena_alloc(p->arena, sizeof *$$); $$->value = $1; $$->loc = @$; }
  ;

/* arguments: value, ... or name: value, ... */
args
  : arg
  | args ',' arg           { $$ = $1; AST_APPEND(ast_arg, &$$, $3); }
  ;

arg
  : plain                  { $$ = mk_arg(p, NULL, @1, $1); }
  | IDENT ':' plain        { $$ = mk_arg(p, $1, @1, $3); }
  ;

list_items
  : plain
      { $$ = mk_expr(p, EX_LIST, @1); $$->list.items = mk_arg(p, NULL, @1, $1); $$->list.n = 1; }
  | list_items ',' plain
      {
        $$ = $1;
        if ($$->list.n == PARSE_MAX_LIST)
          diag_error(p->diags, R0204, @3, "more than %d values in one list: at most %d", PARSE_MAX_LIST, PARSE_MAX_LIST);
        if ($$->list.n < PARSE_MAX_LIST) AST_APPEND(ast_arg, &$$->list.items, mk_arg(p, NULL, @3, $3));
        $$->list.n++;
      }
  ;

%%

static ast_expr *mk_expr(rb_parse *p, ex_kind kind, rb_loc loc) {
  ast_expr *e = arena_alloc(p->arena, sizeof *e);
  e->kind = kind;
  e->loc = loc;
  return e;
}

/* FN(TABLE WORD COND): a call with one argument, the name TABLE, and a
   condition after WORD (`where`, checked in check/records.c). */
static ast_expr *mk_where(rb_parse *p, const char *fn, rb_loc fn_loc, const char *table, rb_loc table_loc,
                          const char *word, rb_loc word_loc, ast_expr *cond, rb_loc loc) {
  ast_expr *e = mk_expr(p, EX_CALL, loc);
  ast_expr *name = mk_expr(p, EX_NAME, table_loc);
  name->name.id = table;
  e->call.fn = fn;
  e->call.fn_loc = fn_loc;
  e->call.args = mk_arg(p, NULL, table_loc, name);
  e->call.nargs = 1;
  e->call.where_word = word;
  e->call.where_loc = word_loc;
  e->call.where = cond;
  return e;
}

static ast_expr *mk_binary(rb_parse *p, ex_op op, ast_expr *l, ast_expr *r, rb_loc loc) {
  ast_expr *e = mk_expr(p, EX_BINARY, loc);
  e->bin.op = op;
  e->bin.lhs = l;
  e->bin.rhs = r;
  return nested(p, e);
}

static int deeper(int depth, const ast_expr *child) {
  return child && child->depth >= depth ? child->depth + 1 : depth;
}

/* E with its nesting depth; past PARSE_MAX_NESTING it is reported (R0203)
   and stands as a bad number, which the checker passes over in silence:
   every stage after the parser walks an expression recursively, and a
   6 KB chain of a + a + ... must not exhaust the stack. */
static ast_expr *nested(rb_parse *p, ast_expr *e) {
  int d = 1;
  switch (e->kind) {
  case EX_NEG:
  case EX_NOT: d = deeper(d, e->operand); break;
  case EX_BINARY: d = deeper(deeper(d, e->bin.lhs), e->bin.rhs); break;
  case EX_CALL:
    for (const ast_arg *a = e->call.args; a; a = a->next) d = deeper(d, a->value);
    d = deeper(d, e->call.where);
    break;
  case EX_TIERS:
    for (const ast_tier *t = e->tiers.tiers; t; t = t->next) d = deeper(deeper(d, t->value), t->cond);
    d = deeper(d, e->tiers.otherwise);
    break;
  default: break;
  }
  e->depth = d;
  int n = 0;
  if (e->kind == EX_TIERS)
    for (const ast_tier *t = e->tiers.tiers; t; t = t->next) n++;
  bool too_many = e->kind == EX_TIERS ? n > PARSE_MAX_TIERS : e->kind == EX_CALL && e->call.nargs > PARSE_MAX_ARGS;
  if (too_many) {
    if (e->kind == EX_TIERS)
      diag_error(p->diags, R0204, e->loc, "%d tiers in one list: at most %d", n, PARSE_MAX_TIERS);
    else
      diag_error(p->diags, R0204, e->loc, "%d arguments in one call: at most %d", e->call.nargs, PARSE_MAX_ARGS);
    ast_expr *bad = mk_expr(p, EX_NUMBER, e->loc);
    bad->num.bad = true;
    return bad;
  }
  if (d <= PARSE_MAX_NESTING) return e;
  if (d == PARSE_MAX_NESTING + 1)
    diag_error(p->diags, R0203, e->loc,
               "this expression nests more than %d levels deep (each operator of a chain such as a + b + c is one): "
               "split it with 'let' or use sum(...)", PARSE_MAX_NESTING);
  ast_expr *bad = mk_expr(p, EX_NUMBER, e->loc);
  bad->num.bad = true;
  bad->depth = PARSE_MAX_NESTING + 2; /* reported once: what contains it is not reported again */
  return bad;
}

static ast_stmt *mk_stmt(rb_parse *p, st_kind kind, rb_loc loc) {
  ast_stmt *s = arena_alloc(p->arena, sizeof *s);
  s->kind = kind;
  s->loc = loc;
  return s;
}

static ast_stmt *stmt_append(ast_stmt *list, ast_stmt *s) {
  if (!s) return list;
  if (!list) return s;
  AST_APPEND(ast_stmt, &list, s);
  return list;
}

static ast_arg *mk_arg(rb_parse *p, const char *name, rb_loc name_loc, ast_expr *value) {
  ast_arg *a = arena_alloc(p->arena, sizeof *a);
  a->name = name;
  a->name_loc = name_loc;
  a->value = value;
  return a;
}

static ast_part *mk_part(rb_parse *p, part_kind kind, const char *id, rb_loc id_loc, const char *title,
                         ast_expr *points, rb_loc loc, ast_stmt *body) {
  ast_part *part = arena_alloc(p->arena, sizeof *part);
  part->kind = kind;
  part->id = id;
  part->id_loc = id_loc;
  part->title = title;
  if (points) { /* targets have none */
    part->points = points->num.value;
    part->points_loc = points->loc;
    part->points_bad = points->num.bad; /* reported: its sums prove nothing */
  }
  part->loc = loc;
  part->body = body;
  return part;
}

static ast_scheme *mk_scheme(rb_parse *p, const char *id, rb_loc id_loc, const char *title, rb_loc loc,
                             ast_stmt *body) {
  ast_scheme *s = arena_alloc(p->arena, sizeof *s);
  s->id = id;
  s->id_loc = id_loc;
  s->title = title;
  s->loc = loc;
  s->body = body;
  return s;
}

static ast_input *mk_input(rb_parse *p, const char *name, rb_loc name_loc, const char *type, rb_loc type_loc,
                           const char *per, rb_loc per_loc, const char *title, rb_loc loc) {
  ast_input *in = arena_alloc(p->arena, sizeof *in);
  in->name = name;
  in->name_loc = name_loc;
  in->type = type;
  in->type_loc = type_loc;
  in->per = per;
  in->per_loc = per_loc;
  in->title = title;
  in->loc = loc;
  return in;
}

/* The clauses of an input declaration (labels, from, a range, missing),
   parsed into their own nodes, onto IN. */
static void input_clauses(ast_input *in, const ast_input *labels, const ast_input *from, const ast_input *bound,
                          const ast_input *missing) {
  if (labels && labels->for_word) {
    in->for_word = labels->for_word; in->for_part = labels->for_part; in->for_loc = labels->for_loc;
  } else if (labels) {
    in->labels = labels->labels; in->labels_word = labels->labels_word; in->labels_loc = labels->labels_loc;
    for (const ast_arg *a = in->labels; a; a = a->next) in->nlabels++;
  }
  if (from) { in->from_parent = true; in->from = from->from; in->from_loc = from->from_loc; }
  if (bound) {
    in->has_lo = bound->has_lo; in->has_hi = bound->has_hi; in->lo = bound->lo; in->hi = bound->hi;
    in->range_loc = bound->range_loc;
  }
  if (missing) {
    in->missing = missing->missing; in->missing_value = missing->missing_value; in->missing_loc = missing->missing_loc;
    in->missing_word = missing->missing_word; in->missing_word2 = missing->missing_word2;
  }
}

/* `by level { A级: 5, B级: 3, 0 otherwise }` as the tiers `5 if level ==
   A级, 3 if level == B级, 0 otherwise`, each condition with its own node
   for the subject. A second `otherwise` is a syntax error here. */
static ast_expr *mk_lookup(rb_parse *p, const char *word, rb_loc word_loc, const char *subject, rb_loc subject_loc,
                           ast_tier *entries, rb_loc loc) {
  ast_expr *e = mk_expr(p, EX_TIERS, loc);
  e->tiers.lookup = word;
  e->tiers.lookup_loc = word_loc;
  e->tiers.subject_loc = subject_loc;
  for (ast_tier *t = entries, *next; t; t = next) {
    next = t->next;
    t->next = t->last = NULL;
    if (!t->cond) {
      if (e->tiers.otherwise)
        diag_error(p->diags, R0201, t->loc, "a lookup has one 'otherwise'; this is the second");
      e->tiers.otherwise = t->value;
      e->tiers.tail_loc = t->loc;
      continue;
    }
    ast_expr *name = mk_expr(p, EX_NAME, subject_loc);
    name->name.id = subject;
    t->cond = mk_binary(p, OP_EQ, name, t->cond, t->cond->loc);
    if (e->tiers.tiers) AST_APPEND(ast_tier, &e->tiers.tiers, t);
    else e->tiers.tiers = t;
  }
  return nested(p, e);
}

static ast_given *mk_given(rb_parse *p, const char *name, rb_loc name_loc, ast_expr *value, bool expect,
                           rb_loc loc) {
  ast_given *g = arena_alloc(p->arena, sizeof *g);
  g->name = name;
  g->name_loc = name_loc;
  g->value = value;
  g->expect = expect;
  g->loc = loc;
  return g;
}

/* Syntax errors: "unexpected X; expected A, B or C". */
static int yyreport_syntax_error(const yypcontext_t *ctx, yyscan_t scanner, rb_parse *p) {
  (void)scanner;
  enum { MAX_EXPECTED = 64 };
  yysymbol_kind_t expected[MAX_EXPECTED];
  int n = yypcontext_expected_tokens(ctx, expected, MAX_EXPECTED);
  yysymbol_kind_t got = yypcontext_token(ctx);
  char msg[512];
  size_t o = 0;
  o += (size_t)snprintf(msg + o, sizeof msg - o, diag_tr("syntax error: unexpected %s"),
                        got == YYSYMBOL_YYEMPTY ? diag_tr("end of file") : yysymbol_name(got));
  bool comma = false;
  for (int i = 0; i < n; i++) comma |= !strcmp(yysymbol_name(expected[i]), "','");
  bool starts_value = got == YYSYMBOL_NUMBER || got == YYSYMBOL_IDENT || got == YYSYMBOL_BOOLEAN ||
                      got == YYSYMBOL_UNDEFINED || got == YYSYMBOL_LINEAR;
  bool want_if = false;
  for (int i = 0; i < n; i++) want_if |= !strcmp(yysymbol_name(expected[i]), "'if'");
  bool want_name = false;
  for (int i = 0; i < n; i++) want_name |= !strcmp(yysymbol_name(expected[i]), "name");
  const char *gname = got == YYSYMBOL_YYEMPTY ? "" : yysymbol_name(got);
  bool keyword = gname[0] == '\'' && gname[1] >= 'a' && gname[1] <= 'z';
  if (want_name && keyword) {
    o += (size_t)snprintf(msg + o, sizeof msg - o, diag_tr("; %s is a reserved word and cannot be a name"), gname);
  } else if (comma && starts_value) {
    o += (size_t)snprintf(msg + o, sizeof msg - o, diag_tr("; is a ',' missing before it?"));
  } else if (want_if && starts_value) {
    o += (size_t)snprintf(msg + o, sizeof msg - o, diag_tr("; is an 'if' or an operator missing before it?"));
  } else if (n > 0 && n <= 5) {
    o += (size_t)snprintf(msg + o, sizeof msg - o, diag_tr("; expected "));
    for (int i = 0; i < n && o < sizeof msg; i++)
      o += (size_t)snprintf(msg + o, sizeof msg - o, "%s%s", i == 0 ? "" : i == n - 1 ? diag_tr(" or ") : ", ",
                            yysymbol_name(expected[i]));
  }
  diag_error(p->diags, R0201, *yypcontext_location(ctx), "%s", msg);
  return 0;
}

/* Tokens after the lexer: closes blocks that were left open. When a keyword
   appears that cannot stand inside the innermost open block (an `indicator`
   inside an indicator), the blocks in between were never closed: say so once
   each and hand the parser the '}' it is missing, so one forgotten brace is
   one error, not a cascade. */
static bool block_allowed(int token, const open_block *open, rb_loc at) {
  block_kind outer = open->kind;
  switch (token) {
  case SCHEME: return false;
  /* a category inside a category is indented further than the one it is in:
     at the same column it is the next one, and the block before it was not closed */
  case CATEGORY:
    return outer == BLK_SCHEME || (outer == BLK_CATEGORY && at.first_column > open->keyword.first_column);
  case BONUS: case DEDUCTION: return outer == BLK_SCHEME;
  case INDICATOR: return outer == BLK_SCHEME || outer == BLK_CATEGORY;
  case ITEM: return outer == BLK_INDICATOR || outer == BLK_ITEM;
  case EXAMPLE: case TARGET: case GRADE: return outer == BLK_SCHEME;
  default: return true;
  }
}

static const char *block_name(block_kind k) {
  switch (k) {
  case BLK_SCHEME: return N_("scheme");
  case BLK_CATEGORY: return N_("category");
  case BLK_INDICATOR: return N_("indicator");
  case BLK_ITEM: return N_("item");
  case BLK_EXAMPLE: return N_("example");
  case BLK_TARGET: return N_("target");
  case BLK_GRADE: return N_("grade");
  default: return "";
  }
}

static void push_pending(rb_parse *p, int token, rb_loc loc) {
  if (p->npending < PARSE_MAX_PENDING) p->pending[p->npending++] = (struct pending_token){token, loc};
}

static void close_block(rb_parse *p, rb_loc at, const char *why) {
  open_block *b = &p->blocks[--p->nblocks];
  const char *name = diag_tr(block_name(b->kind));
  diag_error(p->diags, R0202, b->brace, "unterminated %s%sblock: this '{' has no matching '}'%s", name,
             *name ? " " : "", why);
  rb_loc closing = at;
  closing.end = closing.start;
  closing.last_line = closing.first_line;
  closing.last_column = closing.first_column;
  push_pending(p, '}', closing);
  push_pending(p, SEP, closing);
}

int ps_lex(PS_STYPE *lval, rb_loc *lloc, yyscan_t scanner, rb_parse *p) {
  extern int lx_lex(PS_STYPE *, rb_loc *, yyscan_t);
  if (p->npending) {
    int t = p->pending[0].token;
    *lloc = p->pending[0].loc;
    memmove(p->pending, p->pending + 1, sizeof p->pending[0] * (size_t)--p->npending);
    return t;
  }
  int t;
  if (p->held_token) {
    t = p->held_token;
    *lloc = p->held_loc;
    p->held_token = 0;
    return t;
  }
  t = lx_lex(lval, lloc, scanner);
  switch (t) {
  case '{':
    if (p->nblocks < PARSE_MAX_DEPTH) {
      p->blocks[p->nblocks++] = (open_block){p->next_block, *lloc, p->next_block_kw};
    } else {
      if (!p->untracked++)
        diag_error(p->diags, R0204, *lloc, "more than %d blocks nested in one another", PARSE_MAX_DEPTH);
    }
    p->next_block = BLK_OTHER;
    return t;
  case '}':
    if (p->untracked) p->untracked--;
    else if (p->nblocks > 0) p->nblocks--;
    return t;
  case SCHEME: case CATEGORY: case INDICATOR: case ITEM: case EXAMPLE: case TARGET: case GRADE:
  case BONUS: case DEDUCTION: {
    if (p->nblocks == 0 || block_allowed(t, &p->blocks[p->nblocks - 1], *lloc)) return t;
    int keep = p->nblocks - 1;
    while (keep > 0 && !block_allowed(t, &p->blocks[keep - 1], *lloc)) keep--;
    if (keep == 0 && t != SCHEME) return t; /* no enclosing block fits: a plain syntax error */
    static const char *kw[] = {"scheme", "category", "indicator", "item", "example", "target", "grade", "bonus", "deduction"};
    const char *word = kw[t == SCHEME ? 0 : t == CATEGORY ? 1 : t == INDICATOR ? 2 : t == ITEM ? 3 : t == EXAMPLE ? 4
                          : t == TARGET ? 5 : t == GRADE ? 6 : t == BONUS ? 7 : 8];
    char why[96];
    snprintf(why, sizeof why, diag_tr(" before the next '%s' on line %d"), word, lloc->first_line);
    while (p->nblocks > keep) close_block(p, *lloc, why);
    p->held_token = t;
    p->held_loc = *lloc;
    return ps_lex(lval, lloc, scanner, p);
  }
  case END_OF_INPUT:
    if (p->last_ends) { /* the last line needs no line break */
      p->last_ends = false;
      push_pending(p, SEP, *lloc);
      while (p->nblocks > 0) close_block(p, *lloc, diag_tr(" before the end of the file"));
      push_pending(p, END_OF_INPUT, *lloc);
      return ps_lex(lval, lloc, scanner, p);
    }
    if (p->nblocks > 0) {
      while (p->nblocks > 0) close_block(p, *lloc, diag_tr(" before the end of the file"));
      push_pending(p, END_OF_INPUT, *lloc);
      return ps_lex(lval, lloc, scanner, p);
    }
    return t;
  default:
    return t;
  }
}

ast_file *parse_source(const rb_source *src, rb_arena *arena, rb_diags *diags) {
  extern int lx_lex_init_extra(rb_parse *, yyscan_t *);
  extern int lx_lex_destroy(yyscan_t);
  extern void *lx__scan_bytes(const char *, int, yyscan_t);
  rb_parse p;
  memset(&p, 0, sizeof p);
  p.arena = arena;
  p.diags = diags;
  p.src = src;
  p.line = 1;
  p.column = 1;
  p.stmt_start = true;
  p.number_end = (size_t)-1;
  p.file = arena_alloc(arena, sizeof *p.file);
  p.file->src = src;
  yyscan_t scanner;
  if (lx_lex_init_extra(&p, &scanner)) {
    diag_plain(diags, DIAG_ERROR, R0001, src->path, "cannot start the lexer");
    return p.file;
  }
  int before = diags->errors;
  lx__scan_bytes(src->text, (int)src->len, scanner);
  ps_parse(scanner, &p);
  lx_lex_destroy(scanner);
  p.file->syntax_errors = diags->errors - before;
  return p.file;
}
