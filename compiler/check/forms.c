/* forms.c: what can be said of a form without a call: its name, its
 * parameters, and that its body names only them (and, for a form declared
 * in a scheme, the scheme's inputs), holds no `undefined` (a scheme's form
 * may) and reads no peers (ck.h).
 */
#include <stdio.h>
#include <string.h>

#include "ck.h"

void forms_unknown(rb_diags *diags, const ast_form *f, const ast_scheme *s, const ast_expr *e) {
  suggestion sg = {e->name.id, NULL, 99};
  for (int i = 0; i < f->nparams; i++) names_suggest(&sg, f->params[i].name);
  if (s)
    for (const ast_input *in = s->inputs; in; in = in->next) names_suggest(&sg, in->name);
  char hint[200] = "";
  if (sg.best) snprintf(hint, sizeof hint, diag_tr("; did you mean '%s'?"), sg.best);
  if (s)
    diag_error(diags, R0703, e->loc,
               "unknown name '%s' in form '%s' (a scheme's form sees its parameters and the scheme's inputs)%s",
               e->name.id, f->name, hint);
  else
    diag_error(diags, R0703, e->loc, "unknown name '%s' in form '%s' (a form sees only its parameters)%s", e->name.id,
               f->name, hint);
}

/* Every name in a form's body must be a parameter, or an input of the
   scheme S that declares it (NULL for a file-level form), whether or not the
   form is ever called. */
static void form_names(rb_diags *diags, ast_form *f, const ast_scheme *s, const ast_expr *e) {
  if (!e) return;
  switch (e->kind) {
  case EX_NAME: {
    bool found = false;
    for (int i = 0; i < f->nparams; i++) found |= !strcmp(f->params[i].name, e->name.id);
    if (!found && s && names_input((ast_scheme *)s, e->name.id)) found = f->reads_inputs = true;
    if (!found) forms_unknown(diags, f, s, e);
    break;
  }
  case EX_CALL:
    for (ast_arg *a = e->call.args; a; a = a->next) form_names(diags, f, s, a->value);
    break;
  case EX_NEG:
  case EX_NOT: form_names(diags, f, s, e->operand); break;
  case EX_BINARY:
    form_names(diags, f, s, e->bin.lhs);
    form_names(diags, f, s, e->bin.rhs);
    break;
  case EX_TIERS:
    for (ast_tier *t = e->tiers.tiers; t; t = t->next) {
      form_names(diags, f, s, t->value);
      form_names(diags, f, s, t->cond);
    }
    form_names(diags, f, s, e->tiers.otherwise);
    break;
  case EX_LIST:
    for (ast_arg *a = e->list.items; a; a = a->next) form_names(diags, f, s, a->value);
    break;
  case EX_UNDEFINED: /* a scheme's form may leave a case open, as its rules may */
    if (!s) diag_error(diags, R0703, e->loc, "'undefined' belongs in a scheme's rules, not in a file-level form");
    break;
  default: break;
  }
}

/* A peer aggregate reads other entities: it has no place in a form's body,
   where its argument would stand for whatever a caller passes. */
static bool report_form_peers(const ast_expr *e, void *diags) {
  if (e->kind == EX_CALL && !strncmp(e->call.fn, "peers.", 6))
    diag_error(diags, R0312, e->loc,
               "'%s' cannot stand in a form's body: a peer aggregate reads other entities; pass it to the form as an "
               "argument",
               e->call.fn);
  return false;
}

void forms_check_decl(rb_diags *diags, ast_form *f, const ast_scheme *s) {
  if (strchr(f->name, '.')) names_dotted(diags, f->name, f->name_loc);
  for (int i = 0; i < f->nparams; i++)
    if (strchr(f->params[i].name, '.')) names_dotted(diags, f->params[i].name, f->params[i].loc);
  int b = names_builtin(f->name);
  if (b >= 0 && b != BI_BEST) /* best came later: a scheme's own form of that name keeps it */
    diag_error(diags, R0304, f->name_loc, "'%s' is a built-in function; choose another form name", f->name);
  for (int i = 0; i < f->nparams; i++)
    for (int j = 0; j < i; j++)
      if (!strcmp(f->params[i].name, f->params[j].name))
        diag_error(diags, R0303, f->params[i].loc, "parameter '%s' appears twice", f->params[i].name);
  f->in_scheme = s != NULL;
  form_names(diags, f, s, f->body);
  ast_any(f->body, report_form_peers, diags);
  f->names_checked = true;
}
