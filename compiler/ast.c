/* ast.c: small helpers over the syntax tree; see ast.h. */
#include "ast.h"

#include <string.h>

bool ast_same_expr(const ast_expr *a, const ast_expr *b, bool resolved) {
  if (!a || !b) return a == b;
  if (a->kind != b->kind) return false;
  switch (a->kind) {
  case EX_NUMBER: return dec_cmp(a->num.value, b->num.value) == 0;
  case EX_BOOL: return a->boolean == b->boolean;
  case EX_NAME:
    return strcmp(a->name.id, b->name.id) == 0 &&
           (!resolved || (a->name.ref == b->name.ref && a->name.input == b->name.input && a->name.let == b->name.let));
  case EX_NEG:
  case EX_NOT: return ast_same_expr(a->operand, b->operand, resolved);
  case EX_BINARY:
    return a->bin.op == b->bin.op && ast_same_expr(a->bin.lhs, b->bin.lhs, resolved) &&
           ast_same_expr(a->bin.rhs, b->bin.rhs, resolved);
  case EX_CALL: {
    if (strcmp(a->call.fn, b->call.fn) || a->call.nargs != b->call.nargs) return false;
    for (ast_arg *x = a->call.args, *y = b->call.args; x; x = x->next, y = y->next) {
      if ((x->name == NULL) != (y->name == NULL)) return false;
      if (x->name && strcmp(x->name, y->name)) return false;
      if (!ast_same_expr(x->value, y->value, resolved)) return false;
    }
    return ast_same_expr(a->call.where, b->call.where, resolved);
  }
  case EX_TIERS: {
    const ast_tier *x = a->tiers.tiers, *y = b->tiers.tiers;
    for (; x && y; x = x->next, y = y->next)
      if (!ast_same_expr(x->value, y->value, resolved) || !ast_same_expr(x->cond, y->cond, resolved)) return false;
    return !x && !y && a->tiers.linear == b->tiers.linear &&
           ast_same_expr(a->tiers.otherwise, b->tiers.otherwise, resolved);
  }
  default: return false;
  }
}

bool ast_any(const ast_expr *e, bool (*visit)(const ast_expr *e, void *ctx), void *ctx) {
  if (!e) return false;
  if (visit(e, ctx)) return true;
  switch (e->kind) {
  case EX_NAME: return e->name.ref == REF_LET && ast_any(e->name.let->value, visit, ctx);
  case EX_CALL:
    for (const ast_arg *a = e->call.args; a; a = a->next)
      if (ast_any(a->value, visit, ctx)) return true;
    if (e->call.where && ast_any(e->call.where, visit, ctx)) return true;
    return e->call.form && e->call.form->reads_inputs && ast_any(e->call.form->body, visit, ctx);
  case EX_NEG:
  case EX_NOT: return ast_any(e->operand, visit, ctx);
  case EX_BINARY: return ast_any(e->bin.lhs, visit, ctx) || ast_any(e->bin.rhs, visit, ctx);
  case EX_TIERS:
    for (const ast_tier *t = e->tiers.tiers; t; t = t->next)
      if (ast_any(t->value, visit, ctx) || ast_any(t->cond, visit, ctx)) return true;
    return ast_any(e->tiers.otherwise, visit, ctx) || ast_any(e->tiers.between, visit, ctx);
  default: return false;
  }
}
