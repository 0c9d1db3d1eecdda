/* peers.c: the peer statistics a scheme's rules read (peers.max(x), ...):
 * each kind and argument once, in the order first read (ck.h).
 */
#include <string.h>

#include "ck.h"

bool peer_is_call(const ast_expr *e, void *ctx) {
  (void)ctx;
  return e->kind == EX_CALL && e->call.builtin >= 0 && BI_IS_PEER(e->call.builtin);
}

static bool is_missing_scores(const ast_expr *e, void *found) {
  if (e->kind != EX_NAME || e->name.ref != REF_INPUT) return false;
  ast_input *in = e->name.input;
  if (in->missing != MISS_POINTS && in->missing != MISS_FULL) return false;
  *(ast_input **)found = in;
  return true;
}

ast_input *peer_reads_missing_scores(const ast_expr *e) {
  ast_input *found = NULL;
  ast_any(e, is_missing_scores, &found);
  return found;
}

int peer_stat(ck *c, stat_kind kind, ast_expr *arg, ast_expr *call) {
  ast_scheme *s = c->scheme;
  for (int i = 0; i < s->nstats; i++)
    if (s->stat_at[i]->kind == kind && ast_same_expr(s->stat_at[i]->arg, arg, true)) return i;
  ast_stat *st = arena_alloc(c->arena, sizeof *st);
  st->kind = kind;
  st->arg = arg;
  st->call = call;
  int k = CK_GROW(c, s->stat_at, s->nstats, s->cap_stats);
  st->index = k;
  s->stat_at[k] = st;
  return k;
}

static bool mark_stat(const ast_expr *e, void *mark) {
  if (peer_is_call(e, NULL))
    for (int k = 0; k < 2; k++)
      if (e->call.stat[k] >= 0) ((unsigned char *)mark)[e->call.stat[k]] = 1;
  return false;
}

void peer_mark_stats(const ast_expr *e, unsigned char *mark) { ast_any(e, mark_stat, mark); }

const char *peer_stat_text(ck *c, const ast_stat *st) {
  if (!st->arg) return arena_printf(c->arena, "'%s()'", vocab_stat_name(st->kind));
  return arena_printf(c->arena, "'%s(%s)'", vocab_stat_name(st->kind), names_expr_text(c, st->arg));
}
