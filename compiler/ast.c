/* ast.c: small helpers over the syntax tree; see ast.h. */
#include "ast.h"

#include <string.h>

const char *ast_op_text(ex_op op) {
  static const char *text[] = {"+", "-", "*", "/", "<", "<=", ">", ">=", "==", "!=", "and", "or"};
  return text[op];
}

const char *ast_part_kind_name(part_kind k) {
  /* the words are translated where messages use them (diag_tr) */
  return k == PART_CATEGORY ? N_("category") : k == PART_INDICATOR ? N_("indicator") : k == PART_ITEM ? N_("item") : N_("target");
}

bool ast_same_expr(const ast_expr *a, const ast_expr *b) {
  if (a->kind != b->kind) return false;
  switch (a->kind) {
  case EX_NUMBER: return dec_cmp(a->num.value, b->num.value) == 0;
  case EX_BOOL: return a->boolean == b->boolean;
  case EX_NAME: return strcmp(a->name.id, b->name.id) == 0;
  case EX_NEG:
  case EX_NOT: return ast_same_expr(a->operand, b->operand);
  case EX_BINARY:
    return a->bin.op == b->bin.op && ast_same_expr(a->bin.lhs, b->bin.lhs) &&
           ast_same_expr(a->bin.rhs, b->bin.rhs);
  case EX_CALL: {
    if (strcmp(a->call.fn, b->call.fn) || a->call.nargs != b->call.nargs) return false;
    for (ast_arg *x = a->call.args, *y = b->call.args; x; x = x->next, y = y->next) {
      if ((x->name == NULL) != (y->name == NULL)) return false;
      if (x->name && strcmp(x->name, y->name)) return false;
      if (!ast_same_expr(x->value, y->value)) return false;
    }
    return true;
  }
  default: return false;
  }
}
