/*
** test_parser.c — unit tests for the front end: compiler/source.c,
** compiler/diag.c and the flex/bison grammar (parse_source in ast.h).
** Schemes are parsed from text held in memory; diagnostics are captured
** with open_memstream and compared as exact text.
*/
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "scratch.h"

#include "ast.h"
#include "diag.h"
#include "source.h"

/* One parse of TEXT as the file "t.rubric", with its diagnostics as text. */
typedef struct parsed {
  rb_source *src;
  rb_arena *arena;
  rb_diags diags;
  ast_file *file;
  char *out; /* everything printed to the diagnostics stream */
  size_t outlen;
} parsed;

static parsed *parse_text(const char *text) {
  parsed *p = calloc(1, sizeof *p);
  assert_non_null(p);
  p->src = source_from_text("t.rubric", text, strlen(text));
  p->arena = arena_new();
  FILE *f = open_memstream(&p->out, &p->outlen);
  assert_non_null(f);
  diag_init(&p->diags, f);
  p->file = parse_source(p->src, p->arena, &p->diags);
  assert_int_equal(fclose(f), 0);
  strip_codes(p->out);
  p->diags.out = NULL;
  assert_non_null(p->file);
  return p;
}

static void parsed_free(parsed *p) {
  arena_free(p->arena);
  source_free(p->src);
  free(p->out);
  free(p);
}

/* Parses TEXT and fails the test, showing the messages, if any error is reported. */
static parsed *parse_clean(const char *text) {
  parsed *p = parse_text(text);
  if (p->diags.errors || p->diags.warnings)
    fail_msg("unexpected diagnostics (%d errors):\n%s", p->diags.errors, p->out);
  return p;
}

static int count_lines_with(const char *text, const char *needle) {
  int n = 0;
  for (const char *s = strstr(text, needle); s; s = strstr(s + 1, needle)) n++;
  return n;
}

static int count_stmts(const ast_stmt *st) {
  int n = 0;
  for (; st; st = st->next) n++;
  return n;
}

static const ast_stmt *nth_stmt(const ast_stmt *st, int i) {
  while (st && i--) st = st->next;
  assert_non_null(st);
  return st;
}

static void assert_number(const ast_expr *e, const char *text) {
  assert_non_null(e);
  assert_int_equal(e->kind, EX_NUMBER);
  rb_decimal want;
  assert_true(dec_parse(text, strlen(text), &want));
  if (dec_cmp(e->num.value, want) != 0) {
    char got[128];
    dec_format(e->num.value, got, sizeof got);
    fail_msg("number is %s, expected %s", got, text);
  }
}

static void assert_name(const ast_expr *e, const char *id) {
  assert_non_null(e);
  assert_int_equal(e->kind, EX_NAME);
  assert_string_equal(e->name.id, id);
}

/* The score expression of the only indicator of a scheme wrapped around BODY. */
static parsed *parse_rule(const char *body, const ast_expr **score) {
  char text[2048];
  snprintf(text, sizeof text, "scheme s \"t\" {\n  indicator a \"a\" points 1 {\n%s\n  }\n}\n", body);
  parsed *p = parse_clean(text);
  assert_non_null(p->file->schemes);
  const ast_stmt *st = p->file->schemes->body;
  assert_int_equal(st->kind, ST_PART);
  const ast_stmt *inner = st->part->body;
  assert_non_null(inner);
  assert_null(inner->next);
  assert_int_equal(inner->kind, ST_SCORE);
  *score = inner->value;
  return p;
}

/* ---- source and diagnostics -------------------------------------------- */

static void test_source_lines(void **state) {
  (void)state;
  const char text[] = "\xEF\xBB\xBF" "ab\r\ncd\n\nlast";
  rb_source *s = source_from_text("f.rubric", text, sizeof text - 1);
  assert_string_equal(s->path, "f.rubric");
  assert_string_equal(s->text, "ab\r\ncd\n\nlast"); /* BOM removed */
  assert_int_equal(s->len, strlen("ab\r\ncd\n\nlast"));
  assert_int_equal(s->nlines, 4);
  size_t len;
  const char *l = source_line(s, 1, &len);
  assert_int_equal(len, 2); /* without "\r\n" */
  assert_memory_equal(l, "ab", 2);
  l = source_line(s, 2, &len);
  assert_int_equal(len, 2);
  assert_memory_equal(l, "cd", 2);
  source_line(s, 3, &len);
  assert_int_equal(len, 0);
  l = source_line(s, 4, &len);
  assert_int_equal(len, 4);
  assert_memory_equal(l, "last", 4);
  l = source_line(s, 5, &len);
  assert_int_equal(len, 0);
  assert_string_equal(l, "");
  source_line(s, 0, &len);
  assert_int_equal(len, 0);
  source_free(s);
}

static void test_source_read(void **state) {
  (void)state;
  source_failure why;
  int errnum;
  assert_null(source_read("/nonexistent/dir/x.rubric", &why, &errnum));
  assert_int_equal(why, SOURCE_CANNOT_OPEN);
  assert_int_equal(errnum, ENOENT);

  char path[] = "/tmp/rubric_test_parser_XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, "a\0b", 3), 3);
  close(fd);
  assert_null(source_read(path, &why, &errnum));
  assert_int_equal(why, SOURCE_NOT_TEXT);

  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  fputs("scheme x \"y\" {}\n", f);
  fclose(f);
  rb_source *s = source_read(path, &why, &errnum);
  assert_non_null(s);
  assert_int_equal(why, SOURCE_READ_OK);
  assert_string_equal(s->text, "scheme x \"y\" {}\n");
  assert_int_equal(s->nlines, 2);
  source_free(s);
  unlink(path);
}

static void test_diag_format_and_caret(void **state) {
  (void)state;
  rb_source *s = source_from_text("d.rubric", "let x = 成武 + 1\n", strlen("let x = 成武 + 1\n"));
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  rb_diags d;
  diag_init(&d, f);
  /* "成武 + 1" starts at byte 8, column 9; it is 10 bytes and 6 columns wide */
  rb_loc loc = {s, 1, 9, 1, 14, 8, 8 + strlen("成武 + 1")};
  diag_error(&d, R0301, loc, "bad %s", "thing");
  diag_warning(&d, R0405, loc, "careful");
  diag_note(&d, loc, "see here");
  diag_plain(&d, DIAG_ERROR, DIAG_NO_CODE, "x.csv", "no rows");
  diag_plain(&d, DIAG_WARNING, DIAG_NO_CODE, NULL, "odd");
  fclose(f);
  assert_int_equal(d.errors, 2);
  assert_int_equal(d.warnings, 2);
  assert_string_equal(buf,
                      "d.rubric:1:9: error[R0301]: bad thing\n"
                      "  let x = 成武 + 1\n"
                      "          ^~~~~~~~\n"
                      "d.rubric:1:9: warning[R0405]: careful\n"
                      "  let x = 成武 + 1\n"
                      "          ^~~~~~~~\n"
                      "d.rubric:1:9: note: see here\n"
                      "  let x = 成武 + 1\n"
                      "          ^~~~~~~~\n"
                      "x.csv: error: no rows\n"
                      "rubric: warning: odd\n");
  free(buf);
  source_free(s);
}

static void test_diag_max_errors(void **state) {
  (void)state;
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  rb_diags d;
  diag_init(&d, f);
  d.max_errors = 2;
  rb_loc none = {0};
  for (int i = 0; i < 5; i++) diag_error(&d, DIAG_NO_CODE, none, "e%d", i);
  fclose(f);
  assert_int_equal(d.errors, 5); /* all counted */
  assert_string_equal(buf, "rubric: error: e0\nrubric: error: e1\nrubric: too many errors; stopping here\n");
  free(buf);
}

static void test_display_width(void **state) {
  (void)state;
  assert_int_equal(diag_display_width("abc", 3), 3);
  assert_int_equal(diag_display_width("成武县", strlen("成武县")), 6);
  assert_int_equal(diag_display_width("a，b", strlen("a，b")), 4); /* full-width comma */
  assert_int_equal(diag_display_width("“x”", strlen("“x”")), 3);
  assert_int_equal(diag_display_width("\t", 1), 1);
  assert_int_equal(diag_display_width("", 0), 0);
}

/* ---- the syntax tree ---------------------------------------------------- */

static const char *k_scheme =
    "# Chengwu, abridged\n"
    "scheme chengwu_2022 \"成武县监测指标\" {\n"
    "  total 100\n"
    "  period month 1 to 12\n"
    "  input gov_defaulters: count \"失信被执行人\"\n"
    "  input sys_funding: number in [0, 0.7] \"经费支持\"\n"
    "  input usc_error_rate: fraction per month\n"
    "  input delta: number in [-1, 1]\n"
    "  form half(x) = x / 2\n"
    "  indicator blacklist \"黑名单\" points 4 {\n"
    "    let share = serious / market\n"
    "    4 if share < 0.3%, 0 if share > 0.5%, linear between\n"
    "  }\n"
    "  indicator gov_dishonest \"政府机构\" points 10 {\n"
    "    deduct(full: 10, each: 1, count: gov_defaulters)\n"
    "  }\n"
    "  indicator info \"归集\" points 2.4 {\n"
    "    undefined \"文件未规定\" if population >= 100万,\n"
    "    10 if records > 7000万,\n"
    "    0 otherwise\n"
    "  }\n"
    "  category sys \"制度\" points 2.8 {\n"
    "    indicator parts \"四方面\" points 2.8 {\n"
    "      item a \"甲\" points 0.7 { sys_funding }\n"
    "      item b \"乙\" points 2.1 { min(1, 2) }\n"
    "    }\n"
    "  }\n"
    "  example \"例\" {\n"
    "    usc_error_rate = [0, 1%, 0.5‰]; market = 1,000,000\n"
    "    expect gov_dishonest = 9; expect info undefined\n"
    "    expect total = 77.5\n"
    "  }\n"
    "}\n"
    "form top(a, b) = a + b\n";

static void test_ast_scheme_shape(void **state) {
  (void)state;
  parsed *p = parse_clean(k_scheme);
  ast_scheme *s = p->file->schemes;
  assert_non_null(s);
  assert_null(s->next);
  assert_string_equal(s->id, "chengwu_2022");
  assert_string_equal(s->title, "成武县监测指标");
  assert_int_equal(s->id_loc.first_line, 2);
  assert_int_equal(s->id_loc.first_column, 8);
  /* the top-level form */
  assert_non_null(p->file->forms);
  assert_string_equal(p->file->forms->name, "top");
  assert_int_equal(p->file->forms->nparams, 2);
  assert_string_equal(p->file->forms->params[1].name, "b");
  assert_int_equal(p->file->forms->body->kind, EX_BINARY);
  assert_int_equal(p->file->forms->body->bin.op, OP_ADD);

  const st_kind want[] = {ST_TOTAL, ST_PERIOD, ST_INPUT, ST_INPUT, ST_INPUT, ST_INPUT,
                          ST_FORM,  ST_PART,   ST_PART,  ST_PART,  ST_PART,  ST_EXAMPLE};
  assert_int_equal(count_stmts(s->body), sizeof want / sizeof *want);
  for (size_t i = 0; i < sizeof want / sizeof *want; i++) assert_int_equal(nth_stmt(s->body, (int)i)->kind, want[i]);

  assert_number(nth_stmt(s->body, 0)->value, "100");
  const ast_stmt *per = nth_stmt(s->body, 1);
  assert_string_equal(per->name, "month");
  assert_number(per->value, "1");
  assert_number(per->value2, "12");

  const ast_input *in = nth_stmt(s->body, 2)->input;
  assert_string_equal(in->name, "gov_defaulters");
  assert_string_equal(in->type, "count");
  assert_null(in->per);
  assert_false(in->has_lo || in->has_hi);
  assert_string_equal(in->title, "失信被执行人");
  in = nth_stmt(s->body, 3)->input;
  assert_string_equal(in->type, "number");
  assert_true(in->has_lo && in->has_hi);
  assert_int_equal(dec_cmp(in->lo, dec_from_int(0)), 0);
  assert_int_equal(dec_cmp(in->hi, (rb_decimal){7, 1}), 0);
  assert_string_equal(in->title, "经费支持");
  in = nth_stmt(s->body, 4)->input;
  assert_string_equal(in->type, "fraction");
  assert_string_equal(in->per, "month");
  assert_null(in->title);
  in = nth_stmt(s->body, 5)->input;
  assert_true(in->has_lo && in->has_hi);
  assert_int_equal(dec_cmp(in->lo, dec_from_int(-1)), 0);

  const ast_form *f = nth_stmt(s->body, 6)->form;
  assert_string_equal(f->name, "half");
  assert_int_equal(f->nparams, 1);
  assert_string_equal(f->params[0].name, "x");
  parsed_free(p);
}

static void test_ast_tiers_and_linear(void **state) {
  (void)state;
  parsed *p = parse_clean(k_scheme);
  const ast_part *bl = nth_stmt(p->file->schemes->body, 7)->part;
  assert_int_equal(bl->kind, PART_INDICATOR);
  assert_string_equal(bl->id, "blacklist");
  assert_string_equal(bl->title, "黑名单");
  assert_int_equal(dec_cmp(bl->points, dec_from_int(4)), 0);
  assert_int_equal(bl->loc.first_line, 10);
  assert_int_equal(bl->loc.first_column, 3);
  assert_int_equal(count_stmts(bl->body), 2);
  const ast_stmt *let = bl->body;
  assert_int_equal(let->kind, ST_LET);
  assert_string_equal(let->name, "share");
  assert_int_equal(let->value->kind, EX_BINARY);
  assert_int_equal(let->value->bin.op, OP_DIV);
  const ast_expr *e = let->next->value;
  assert_int_equal(let->next->kind, ST_SCORE);
  assert_int_equal(e->kind, EX_TIERS);
  assert_true(e->tiers.linear);
  assert_null(e->tiers.otherwise);
  const ast_tier *t1 = e->tiers.tiers, *t2 = t1->next;
  assert_non_null(t2);
  assert_null(t2->next);
  assert_number(t1->value, "4");
  assert_int_equal(t1->cond->kind, EX_BINARY);
  assert_int_equal(t1->cond->bin.op, OP_LT);
  assert_name(t1->cond->bin.lhs, "share");
  assert_number(t1->cond->bin.rhs, "0.003");
  assert_true(t1->cond->bin.rhs->num.percent);
  assert_false(t1->cond->bin.rhs->num.grouped);
  assert_int_equal(t2->cond->bin.op, OP_GT);
  assert_number(t2->cond->bin.rhs, "0.005");
  /* the tail clause is located at 'linear between' */
  assert_int_equal(e->tiers.tail_loc.first_line, 12);
  assert_int_equal(e->tiers.tail_loc.first_column, 43);

  /* undefined "..." if ..., 10 if ..., 0 otherwise, over three lines */
  const ast_part *info = nth_stmt(p->file->schemes->body, 9)->part;
  assert_int_equal(dec_cmp(info->points, (rb_decimal){24, 1}), 0);
  assert_int_equal(count_stmts(info->body), 1);
  e = info->body->value;
  assert_int_equal(e->kind, EX_TIERS);
  assert_false(e->tiers.linear);
  assert_number(e->tiers.otherwise, "0");
  t1 = e->tiers.tiers;
  assert_int_equal(t1->value->kind, EX_UNDEFINED);
  assert_string_equal(t1->value->undef.reason, "文件未规定");
  assert_number(t1->cond->bin.rhs, "1000000");
  assert_false(t1->cond->bin.rhs->num.percent);
  assert_int_equal(t1->cond->bin.op, OP_GE);
  assert_number(t1->next->cond->bin.rhs, "70000000");
  assert_null(t1->next->next);
  parsed_free(p);
}

static void test_ast_named_call_and_items(void **state) {
  (void)state;
  parsed *p = parse_clean(k_scheme);
  const ast_part *gov = nth_stmt(p->file->schemes->body, 8)->part;
  const ast_expr *call = gov->body->value;
  assert_int_equal(call->kind, EX_CALL);
  assert_string_equal(call->call.fn, "deduct");
  assert_int_equal(call->call.nargs, 3);
  const char *names[] = {"full", "each", "count"};
  const ast_arg *a = call->call.args;
  for (int i = 0; i < 3; i++, a = a->next) {
    assert_non_null(a);
    assert_string_equal(a->name, names[i]);
  }
  assert_null(a);
  assert_number(call->call.args->value, "10");
  assert_name(call->call.args->next->next->value, "gov_defaulters");
  assert_int_equal(call->call.args->next->name_loc.first_column, 22);

  const ast_part *cat = nth_stmt(p->file->schemes->body, 10)->part;
  assert_int_equal(cat->kind, PART_CATEGORY);
  const ast_part *ind = cat->body->part;
  assert_int_equal(ind->kind, PART_INDICATOR);
  assert_string_equal(ind->id, "parts");
  assert_int_equal(count_stmts(ind->body), 2);
  const ast_part *ia = ind->body->part, *ib = ind->body->next->part;
  assert_int_equal(ia->kind, PART_ITEM);
  assert_string_equal(ia->id, "a");
  assert_int_equal(dec_cmp(ia->points, (rb_decimal){7, 1}), 0);
  assert_name(ia->body->value, "sys_funding");
  assert_int_equal(ib->body->value->kind, EX_CALL);
  assert_int_equal(ib->body->value->call.nargs, 2);
  assert_null(ib->body->value->call.args->name);
  parsed_free(p);
}

static void test_ast_example(void **state) {
  (void)state;
  parsed *p = parse_clean(k_scheme);
  const ast_example *ex = nth_stmt(p->file->schemes->body, 11)->example;
  assert_string_equal(ex->title, "例");
  const ast_given *g = ex->items;
  /* usc_error_rate = [0, 1%, 0.5‰] */
  assert_string_equal(g->name, "usc_error_rate");
  assert_false(g->expect);
  assert_int_equal(g->value->kind, EX_LIST);
  assert_int_equal(g->value->list.n, 3);
  const ast_arg *it = g->value->list.items;
  assert_number(it->value, "0");
  assert_false(it->value->num.percent);
  assert_number(it->next->value, "0.01");
  assert_true(it->next->value->num.percent);
  assert_number(it->next->next->value, "0.0005");
  assert_true(it->next->next->value->num.percent);
  assert_null(it->next->next->next);
  /* market = 1,000,000: one grouped number, not three */
  g = g->next;
  assert_string_equal(g->name, "market");
  assert_number(g->value, "1000000");
  assert_true(g->value->num.grouped);
  assert_false(g->value->num.percent);
  g = g->next;
  assert_true(g->expect);
  assert_string_equal(g->name, "gov_dishonest");
  assert_number(g->value, "9");
  g = g->next;
  assert_true(g->expect);
  assert_string_equal(g->name, "info");
  assert_null(g->value); /* expect ... undefined */
  g = g->next;
  assert_true(g->expect);
  assert_string_equal(g->name, "total");
  assert_number(g->value, "77.5");
  assert_null(g->next);
  parsed_free(p);
}

static void test_ast_number_flags(void **state) {
  (void)state;
  const ast_expr *e;
  parsed *p = parse_rule("    max(1,000,000, 7000万, 0.3%, 3‰, 2.5, 10亿, 1,234.5)", &e);
  assert_int_equal(e->kind, EX_CALL);
  assert_int_equal(e->call.nargs, 7);
  const ast_arg *a = e->call.args;
  const char *want[] = {"1000000", "70000000", "0.003", "0.003", "2.5", "1000000000", "1234.5"};
  const bool pct[] = {false, false, true, true, false, false, false};
  const bool grp[] = {true, false, false, false, false, false, true};
  for (int i = 0; i < 7; i++, a = a->next) {
    assert_number(a->value, want[i]);
    assert_int_equal(a->value->num.percent, pct[i]);
    assert_int_equal(a->value->num.grouped, grp[i]);
  }
  parsed_free(p);
}

static void test_ast_precedence(void **state) {
  (void)state;
  const ast_expr *e;
  /* a + b * c > d and not y or z  ==  ((a + (b * c)) > d and (not y)) or z */
  parsed *p = parse_rule("    a + b * c > d and not y or z", &e);
  assert_int_equal(e->kind, EX_BINARY);
  assert_int_equal(e->bin.op, OP_OR);
  assert_name(e->bin.rhs, "z");
  const ast_expr *l = e->bin.lhs;
  assert_int_equal(l->bin.op, OP_AND);
  assert_int_equal(l->bin.rhs->kind, EX_NOT);
  assert_name(l->bin.rhs->operand, "y");
  const ast_expr *gt = l->bin.lhs;
  assert_int_equal(gt->bin.op, OP_GT);
  assert_name(gt->bin.rhs, "d");
  assert_int_equal(gt->bin.lhs->bin.op, OP_ADD);
  assert_name(gt->bin.lhs->bin.lhs, "a");
  assert_int_equal(gt->bin.lhs->bin.rhs->bin.op, OP_MUL);
  parsed_free(p);

  /* a - b - c is (a - b) - c; -a * b is (-a) * b; (a - b) / 2 keeps the parentheses */
  p = parse_rule("    a - b - c", &e);
  assert_int_equal(e->bin.op, OP_SUB);
  assert_name(e->bin.rhs, "c");
  assert_int_equal(e->bin.lhs->bin.op, OP_SUB);
  parsed_free(p);
  p = parse_rule("    -a * b", &e);
  assert_int_equal(e->bin.op, OP_MUL);
  assert_int_equal(e->bin.lhs->kind, EX_NEG);
  parsed_free(p);
  p = parse_rule("    (a - b) / 2", &e);
  assert_int_equal(e->bin.op, OP_DIV);
  assert_int_equal(e->bin.lhs->bin.op, OP_SUB);
  parsed_free(p);
  /* ≤ ≥ ≠ are the same operators as <= >= != */
  p = parse_rule("    1 if a ≤ 2 and b ≥ 3 and c ≠ 4, 0 otherwise", &e);
  const ast_expr *c = e->tiers.tiers->cond;
  assert_int_equal(c->bin.op, OP_AND);
  assert_int_equal(c->bin.rhs->bin.op, OP_NE);
  assert_int_equal(c->bin.lhs->bin.rhs->bin.op, OP_GE);
  assert_int_equal(c->bin.lhs->bin.lhs->bin.op, OP_LE);
  parsed_free(p);
}

/* ---- line breaks -------------------------------------------------------- */

static void test_newline_tier_list_continues_after_comma(void **state) {
  (void)state;
  const ast_expr *e;
  parsed *p = parse_rule("    20 if r <= 10,\n"
                         "    0 if r > 100,\n"
                         "\n"
                         "    20 - 2 * ceil((r - 10) / 10) otherwise",
                         &e);
  assert_int_equal(e->kind, EX_TIERS);
  assert_non_null(e->tiers.tiers->next);
  assert_null(e->tiers.tiers->next->next);
  assert_int_equal(e->tiers.otherwise->kind, EX_BINARY);
  assert_int_equal(e->tiers.otherwise->bin.op, OP_SUB);
  parsed_free(p);
}

static void test_newline_after_operator_continues(void **state) {
  (void)state;
  const ast_expr *e;
  parsed *p = parse_rule("    a +\n    b", &e);
  assert_int_equal(e->kind, EX_BINARY);
  assert_int_equal(e->bin.op, OP_ADD);
  assert_name(e->bin.lhs, "a");
  assert_name(e->bin.rhs, "b");
  assert_int_equal(e->loc.first_line, 3);
  assert_int_equal(e->loc.last_line, 4);
  parsed_free(p);
  /* inside parentheses a line break never ends the statement */
  p = parse_rule("    min(a\n    , b\n    )", &e);
  assert_int_equal(e->kind, EX_CALL);
  assert_int_equal(e->call.nargs, 2);
  parsed_free(p);
  p = parse_rule("    1 if a and\n    b, 0 otherwise", &e);
  assert_int_equal(e->tiers.tiers->cond->bin.op, OP_AND);
  parsed_free(p);
}

static void test_newline_ends_statement(void **state) {
  (void)state;
  /* after a name or a number the line break is a separator: two statements */
  parsed *p = parse_clean("scheme s \"t\" {\n  indicator a \"a\" points 1 {\n    let x = a\n    x + 1\n  }\n}");
  const ast_part *a = p->file->schemes->body->part;
  assert_int_equal(count_stmts(a->body), 2);
  assert_int_equal(a->body->kind, ST_LET);
  assert_name(a->body->value, "a");
  assert_int_equal(a->body->next->kind, ST_SCORE);
  parsed_free(p);
  /* ';' separates statements on one line; CRLF line ends work; no final line break needed */
  p = parse_clean("scheme s \"t\" { total 1; period month 1 to 3\r\n  input x: count }");
  assert_int_equal(count_stmts(p->file->schemes->body), 3);
  assert_int_equal(nth_stmt(p->file->schemes->body, 2)->kind, ST_INPUT);
  parsed_free(p);
  /* blank lines and comments between statements */
  p = parse_clean("\n\n# a\nscheme s \"t\" {\n\n  # b\n  total 1 # c\n\n}\n\n# end\n");
  assert_int_equal(count_stmts(p->file->schemes->body), 1);
  parsed_free(p);
}

/* ---- syntax errors ------------------------------------------------------ */

static void test_syntax_error_exact_text(void **state) {
  (void)state;
  parsed *p = parse_text("scheme s \"t\" {\n"
                         "  total 10\n"
                         "  input a: count\n"
                         "  indicator x \"一\" points 10 {\n"
                         "    4 if a > 3 0 otherwise\n"
                         "  }\n"
                         "}\n");
  assert_int_equal(p->diags.errors, 1);
  assert_string_equal(p->out, "t.rubric:5:16: error: syntax error: unexpected number; is a ',' missing before it?\n"
                              "      4 if a > 3 0 otherwise\n"
                              "                 ^\n");
  /* the statement is kept as a marker so the checker does not pile on */
  const ast_part *x = nth_stmt(p->file->schemes->body, 2)->part;
  assert_string_equal(x->id, "x");
  parsed_free(p);
}

static void test_syntax_errors_several(void **state) {
  (void)state;
  parsed *p = parse_text("scheme several \"多处语法错误\" {\n"
                         "  total 10\n"
                         "  input a: count \"甲\"\n"
                         "  indicator x \"一\" points 4 {\n"
                         "    4 if a > 3 0 otherwise\n"
                         "  }\n"
                         "  indicator y \"二\" points 6 {\n"
                         "    let t = (a + 1\n"
                         "    6 if t > 2, 0 otherwise\n"
                         "  }\n"
                         "  indicator z \"三\" points 0 {\n"
                         "    0 if a >> 1, 0 otherwise\n"
                         "  }\n"
                         "  total = 5\n"
                         "}\n");
  assert_int_equal(p->diags.errors, 4);
  assert_int_equal(count_lines_with(p->out, ": error: "), 4);
  /* each error at its place (the hints after the first words are left to test_syntax_error_exact_text) */
  assert_non_null(strstr(p->out, "t.rubric:5:16: error: syntax error: unexpected number"));
  assert_non_null(strstr(p->out, "t.rubric:9:5: error: syntax error: unexpected number"));
  assert_non_null(strstr(p->out, "t.rubric:12:13: error: syntax error: unexpected '>'"));
  assert_non_null(strstr(p->out, "t.rubric:14:9: error: syntax error: unexpected '='; expected number or name\n"));
  /* in source order */
  assert_true(strstr(p->out, "t.rubric:5:16") < strstr(p->out, "t.rubric:9:5"));
  assert_true(strstr(p->out, "t.rubric:12:13") < strstr(p->out, "t.rubric:14:9"));
  /* recovery keeps the parts around the errors */
  int parts = 0;
  for (const ast_stmt *st = p->file->schemes->body; st; st = st->next) parts += st->kind == ST_PART;
  assert_int_equal(parts, 3);
  parsed_free(p);
}

static void test_syntax_errors_in_several_schemes(void **state) {
  (void)state;
  parsed *p = parse_text("scheme a \"a\" {\n  total\n}\nscheme b \"b\" {\n  input : count\n}\n");
  assert_int_equal(p->diags.errors, 2);
  /* after 'total' a line break does not end the statement: the error is at the '}' */
  assert_non_null(strstr(p->out, "t.rubric:3:1: error: syntax error: unexpected '}'; expected number or name\n"));
  assert_non_null(strstr(p->out, "t.rubric:5:9: error: syntax error: unexpected ':'; expected name\n"));
  assert_non_null(p->file->schemes);
  assert_non_null(p->file->schemes->next);
  assert_string_equal(p->file->schemes->next->id, "b");
  parsed_free(p);
}

static void test_unterminated_indicator_before_next(void **state) {
  (void)state;
  parsed *p = parse_text("scheme s \"t\" {\n"
                         "  total 10\n"
                         "  input a: count\n"
                         "  indicator x \"一\" points 4 {\n"
                         "    4 if a > 3, 0 otherwise\n"
                         "\n"
                         "  indicator y \"二\" points 6 {\n"
                         "    6\n"
                         "  }\n"
                         "}\n");
  assert_int_equal(p->diags.errors, 1);
  assert_string_equal(p->out, "t.rubric:4:28: error: unterminated indicator block: this '{' has no matching '}' "
                              "before the next 'indicator' on line 7\n"
                              "    indicator x \"一\" points 4 {\n"
                              "                              ^\n");
  /* one missing brace is one error: both indicators are there, side by side */
  const ast_stmt *st = p->file->schemes->body;
  assert_int_equal(count_stmts(st), 4);
  const ast_part *x = nth_stmt(st, 2)->part, *y = nth_stmt(st, 3)->part;
  assert_string_equal(x->id, "x");
  assert_string_equal(y->id, "y");
  assert_int_equal(count_stmts(x->body), 1);
  assert_int_equal(x->body->value->kind, EX_TIERS);
  parsed_free(p);
}

static void test_unterminated_item_before_next_indicator(void **state) {
  (void)state;
  parsed *p = parse_text("scheme s \"t\" {\n"
                         "  category c \"c\" points 4 {\n"
                         "    indicator x \"x\" points 4 {\n"
                         "      item i \"i\" points 4 { 4\n"
                         "    indicator y \"y\" points 0 { 0 }\n"
                         "  }\n"
                         "}\n");
  /* the item and the indicator are closed; the category stays open for y */
  assert_int_equal(p->diags.errors, 2);
  assert_non_null(strstr(p->out, "t.rubric:4:27: error: unterminated item block: this '{' has no matching '}' "
                                 "before the next 'indicator' on line 5\n"));
  assert_non_null(strstr(p->out, "t.rubric:3:30: error: unterminated indicator block: this '{' has no matching '}' "
                                 "before the next 'indicator' on line 5\n"));
  const ast_part *c = p->file->schemes->body->part;
  assert_int_equal(c->kind, PART_CATEGORY);
  assert_int_equal(count_stmts(c->body), 2);
  assert_string_equal(c->body->next->part->id, "y");
  parsed_free(p);
}

static void test_unterminated_at_end_of_file(void **state) {
  (void)state;
  parsed *p = parse_text("scheme open \"未闭合\" {\n"
                         "  total 4\n"
                         "  input a: count\n"
                         "  indicator x \"一\" points 4 {\n"
                         "    4 if a > 3, 0 otherwise\n");
  assert_int_equal(p->diags.errors, 2);
  assert_string_equal(p->out, "t.rubric:4:28: error: unterminated indicator block: this '{' has no matching '}' "
                              "before the end of the file\n"
                              "    indicator x \"一\" points 4 {\n"
                              "                              ^\n"
                              "t.rubric:1:19: error: unterminated scheme block: this '{' has no matching '}' "
                              "before the end of the file\n"
                              "  scheme open \"未闭合\" {\n"
                              "                       ^\n");
  assert_non_null(p->file->schemes);
  assert_int_equal(count_stmts(p->file->schemes->body), 3);
  parsed_free(p);
  /* the same without a final line break after the last token */
  p = parse_text("scheme open \"t\" {\n  total 4");
  assert_int_equal(p->diags.errors, 1);
  assert_non_null(strstr(p->out, "t.rubric:1:17: error: unterminated scheme block: this '{' has no matching '}' "
                                 "before the end of the file\n"));
  assert_int_equal(count_stmts(p->file->schemes->body), 1);
  parsed_free(p);
}

static void test_unterminated_scheme_before_next_scheme(void **state) {
  (void)state;
  parsed *p = parse_text("scheme a \"a\" {\n  total 1\nscheme b \"b\" {\n  total 2\n}\n");
  assert_int_equal(p->diags.errors, 1);
  assert_non_null(strstr(p->out, "t.rubric:1:14: error: unterminated scheme block: this '{' has no matching '}' "
                                 "before the next 'scheme' on line 3\n"));
  assert_non_null(p->file->schemes);
  assert_non_null(p->file->schemes->next);
  assert_string_equal(p->file->schemes->next->id, "b");
  parsed_free(p);
}

static void test_unterminated_four_deep_at_end_of_file(void **state) {
  (void)state;
  parsed *p = parse_text("scheme s \"t\" {\n"
                         " category c \"c\" points 1 {\n"
                         "  indicator i \"i\" points 1 {\n"
                         "   item x \"x\" points 1 { 1");
  assert_int_equal(p->diags.errors, 4);
  assert_int_equal(count_lines_with(p->out, ": error: unterminated "), 4);
  assert_null(strstr(p->out, "syntax error"));
  /* innermost first */
  assert_true(strstr(p->out, "t.rubric:4:24: error: unterminated item block") == p->out);
  assert_non_null(strstr(p->out, "t.rubric:1:14: error: unterminated scheme block"));
  const ast_part *c = p->file->schemes->body->part;
  assert_string_equal(c->body->part->body->part->id, "x");
  parsed_free(p);
}

/* Regression (was a bug): the parser queues the tokens it synthesises for unclosed blocks in a
   fixed array of PARSE_MAX_PENDING (8) entries (grammar/parse.h); each
   unclosed block needs two ('}' and a separator). With five blocks open at
   the end of the file (scheme > category > indicator > item > item, which the
   checker accepts), push_pending silently drops the last ones, so the scheme's
   '}' never arrives and a sixth, spurious error follows:
   "t.rubric:5:27: error: syntax error: unexpected end of file; expected end of line or '}'". */
static void test_unterminated_five_deep_at_end_of_file(void **state) {
  (void)state;
  parsed *p = parse_text("scheme s \"t\" {\n"
                         " category c \"c\" points 1 {\n"
                         "  indicator i \"i\" points 1 {\n"
                         "   item x \"x\" points 1 {\n"
                         "    item y \"y\" points 1 { 1");
  assert_int_equal(count_lines_with(p->out, "unterminated"), 5);
  assert_null(strstr(p->out, "syntax error"));
  assert_int_equal(p->diags.errors, 5);
  parsed_free(p);
}

static void test_lexical_errors(void **state) {
  (void)state;
  parsed *p = parse_text("scheme lex \"词法\" {\n"
                         "  input a: count “数量”\n"
                         "  let b = max(1，2)\n"
                         "  input c: count \"open\n"
                         "}\n");
  assert_int_equal(p->diags.errors, 3);
  assert_non_null(strstr(p->out, "t.rubric:2:18: error: strings are written with straight quotes \"...\", not “...”\n"));
  assert_non_null(strstr(p->out, "t.rubric:3:16: error: full-width '，' is not Rubric punctuation: write ','\n"));
  assert_non_null(
      strstr(p->out, "t.rubric:4:18: error: unterminated string: a string must close with '\"' on the same line\n"));
  /* the statements still parse: the title and the two arguments are there */
  const ast_stmt *st = p->file->schemes->body;
  assert_string_equal(st->input->title, "数量");
  assert_int_equal(st->next->value->call.nargs, 2);
  assert_string_equal(st->next->next->input->title, "");
  parsed_free(p);
}

static void test_empty_and_comment_only(void **state) {
  (void)state;
  parsed *p = parse_clean("");
  assert_null(p->file->schemes);
  assert_null(p->file->forms);
  parsed_free(p);
  p = parse_clean("# nothing here\n\n");
  assert_null(p->file->schemes);
  parsed_free(p);
}


/* `extends BASE [in "path"]` after a scheme's title, and `drop` at the start
   of a statement only (elsewhere it is a name). */
static void test_extends_and_drop(void **state) {
  (void)state;
  parsed *p = parse_clean("scheme a \"甲\" { total 1 }\n"
                          "scheme b \"乙\" extends a { drop x; drop example \"一\"; let drop = 1 }\n"
                          "scheme c \"丙\" extends a in \"../base.rubric\" {\n  drop + 1\n}\n");
  const ast_scheme *a = p->file->schemes, *b = a->next, *c = b->next;
  assert_null(a->base);
  assert_string_equal(b->extends_word, "extends");
  assert_string_equal(b->base, "a");
  assert_int_equal(b->base_loc.first_column, 22);
  assert_null(b->base_path);
  assert_int_equal(count_stmts(b->body), 3);
  assert_int_equal(nth_stmt(b->body, 0)->kind, ST_DROP);
  assert_string_equal(nth_stmt(b->body, 0)->name, "x");
  assert_null(nth_stmt(b->body, 0)->name2);
  assert_int_equal(nth_stmt(b->body, 1)->kind, ST_DROP);
  assert_string_equal(nth_stmt(b->body, 1)->name, "一");
  assert_string_equal(nth_stmt(b->body, 1)->name2, "example");
  assert_int_equal(nth_stmt(b->body, 2)->kind, ST_LET);
  assert_string_equal(nth_stmt(b->body, 2)->name, "drop");
  assert_string_equal(c->base_path, "../base.rubric");
  assert_int_equal(nth_stmt(c->body, 0)->kind, ST_SCORE); /* `drop + 1`: a name */
  parsed_free(p);
  /* the word is a name: the checker says whether it is `extends` */
  p = parse_clean("scheme b \"乙\" extend a { total 1 }\n");
  assert_string_equal(p->file->schemes->extends_word, "extend");
  parsed_free(p);
  p = parse_text("scheme b \"乙\" extends { total 1 }\n");
  assert_int_equal(p->diags.errors, 1);
  assert_int_equal(count_lines_with(p->out, "unexpected '{'"), 1);
  parsed_free(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_unterminated_five_deep_at_end_of_file),
      cmocka_unit_test(test_source_lines),
      cmocka_unit_test(test_source_read),
      cmocka_unit_test(test_diag_format_and_caret),
      cmocka_unit_test(test_diag_max_errors),
      cmocka_unit_test(test_display_width),
      cmocka_unit_test(test_ast_scheme_shape),
      cmocka_unit_test(test_ast_tiers_and_linear),
      cmocka_unit_test(test_ast_named_call_and_items),
      cmocka_unit_test(test_ast_example),
      cmocka_unit_test(test_ast_number_flags),
      cmocka_unit_test(test_ast_precedence),
      cmocka_unit_test(test_newline_tier_list_continues_after_comma),
      cmocka_unit_test(test_newline_after_operator_continues),
      cmocka_unit_test(test_newline_ends_statement),
      cmocka_unit_test(test_syntax_error_exact_text),
      cmocka_unit_test(test_syntax_errors_several),
      cmocka_unit_test(test_syntax_errors_in_several_schemes),
      cmocka_unit_test(test_unterminated_indicator_before_next),
      cmocka_unit_test(test_unterminated_item_before_next_indicator),
      cmocka_unit_test(test_unterminated_at_end_of_file),
      cmocka_unit_test(test_unterminated_scheme_before_next_scheme),
      cmocka_unit_test(test_unterminated_four_deep_at_end_of_file),
      cmocka_unit_test(test_lexical_errors),
      cmocka_unit_test(test_empty_and_comment_only),
      cmocka_unit_test(test_extends_and_drop),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
