/* records.c: the pass over a record table (abi.h): for each record, whether
 * it meets the condition of each count of the table's records. Adding the
 * records up per entity is the runtime's (the same code for every scheme,
 * like the peer statistics' folds).
 */
#include "cg.h"

/* records(fields, n, lo, hi, out): for records lo..hi-1 and each tally k of
   table T, out[k][record] = 1 when the record meets the tally's condition
   (always, for a tally without one), 0 when it does not, fixed_error(status)
   where the condition fails. The condition reads the record's fields (one
   value each), never the entity's inputs: the fields take the inputs' place
   in c->in_col for this function. */
void cg_gen_records(cg *c, const char *name, const sc_records *t) {
  const sc_scheme *s = c->scheme;
  LLVMValueRef fn = cg_begin_pass(c, name); /* the same type as a peers pass (abi.h) */
  LLVMValueRef field_tab = LLVMGetParam(fn, 0), lo = LLVMGetParam(fn, 2), hi = LLVMGetParam(fn, 3);
  LLVMValueRef out_tab = LLVMGetParam(fn, 4);
  LLVMValueRef *inputs = c->in_col;
  c->stride = NULL; /* a record has one value per field */
  c->fields = true;
  c->in_col = arena_alloc(c->arena, sizeof(LLVMValueRef) * (size_t)(t->nfields ? t->nfields : 1));
  for (int f = 0; f < t->nfields; f++) /* every column moved to record LO: the loop counts from 0 */
    c->in_col[f] = cg_from(c, cg_column(c, field_tab, f, "field"), lo);
  LLVMValueRef *out = arena_alloc(c->arena, sizeof(LLVMValueRef) * (size_t)(s->ntallies ? s->ntallies : 1));
  for (int k = 0; k < s->ntallies; k++)
    if (s->tallies[k].records == t) out[k] = cg_from(c, cg_column(c, out_tab, k, "tally"), lo);
  c->calendar = s->uses_calendar ? cg_column(c, field_tab, t->nfields, "calendar") : NULL;
  LLVMValueRef rows = LLVMBuildSub(c->b, hi, lo, "rows");
  LLVMValueRef zero = LLVMConstInt(c->i32, 0, 0);
  cg_loop L;
  cg_loop_begin(c, fn, rows, &L);
  for (int k = 0; k < s->ntallies; k++) {
    const sc_tally *y = &s->tallies[k];
    if (y->records != t) continue;
    if (!y->cond) {
      cg_store_at(c, cg_fixed(c, FIXED_ONE), out[k], L.row);
      continue;
    }
    c->status = zero;
    c->part = NULL;
    c->target = NULL;
    LLVMValueRef met = cg_eval(c, y->cond, cg_always(), NULL).v[0];
    LLVMValueRef one = LLVMBuildSelect(c->b, met, cg_fixed(c, FIXED_ONE), cg_fixed(c, 0), "met");
    LLVMValueRef failed = LLVMBuildICmp(c->b, LLVMIntNE, c->status, zero, "");
    cg_store_at(c, LLVMBuildSelect(c->b, failed, cg_error_value(c, c->status), one, "record"), out[k], L.row);
  }
  cg_loop_end(c, rows, &L);
  LLVMBuildRetVoid(c->b);
  c->in_col = inputs;
  c->fields = false;
}
