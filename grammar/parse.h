/* parse.h: state shared by the lexer (lexer.l) and the parser (parser.y). */
#ifndef RUBRIC_PARSE_H
#define RUBRIC_PARSE_H
#include <stdbool.h>

#include "ast.h"

/* The kinds of block a '{' can open, from the keyword before it. */
typedef enum { BLK_OTHER, BLK_SCHEME, BLK_CATEGORY, BLK_INDICATOR, BLK_ITEM, BLK_EXAMPLE, BLK_TARGET, BLK_GRADE } block_kind;

typedef struct open_block {
  block_kind kind;
  rb_loc brace; /* the '{' */
  rb_loc keyword;
} open_block;

#define PARSE_MAX_DEPTH 64
/* expressions: operators, calls and tiers nested in one another */
#define PARSE_MAX_NESTING 200
/* tiers in one list, arguments of one call, values of one example list */
#define PARSE_MAX_TIERS 30
#define PARSE_MAX_ARGS 64
#define PARSE_MAX_LIST 1000
/* every open block may need a '}' and a separator, plus the end of input */
#define PARSE_MAX_PENDING (2 * PARSE_MAX_DEPTH + 2)

typedef struct rb_parse {
  rb_arena *arena;
  rb_diags *diags;
  const rb_source *src;
  ast_file *file;
  /* lexer position */
  int line, column;
  size_t offset;
  /* newline handling: a line break ends a statement when the last token can
     end one and no ( or [ is open (see spec/lexical.md) */
  int paren_depth;
  bool last_ends;
  bool stmt_start; /* the next token starts a statement (after a separator or a brace) */
  size_t number_end; /* where the last token ended if it was a number, else (size_t)-1 */
  /* brace stack, for "unterminated indicator block" */
  block_kind next_block;
  rb_loc next_block_kw;
  open_block blocks[PARSE_MAX_DEPTH];
  int nblocks;
  int untracked; /* blocks open beyond PARSE_MAX_DEPTH (an error, R0204) */
  /* tokens to hand out before reading more (synthesised '}' and separators) */
  int npending;
  struct pending_token {
    int token;
    rb_loc loc;
  } pending[PARSE_MAX_PENDING];
  int held_token; /* a keyword held back while blocks are closed (0: none) */
  rb_loc held_loc;
} rb_parse;

#endif
