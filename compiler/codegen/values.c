/* values.c: numbers as IR values: constants, a column's number widened
 * into a rule, the range checks, and the values known to have 18 decimals
 * under the wide ones (narrow values), which let a result, a product or a
 * sum skip the wide arithmetic.
 */
#include <string.h>

#include "cg.h"

LLVMValueRef cg_fixed(cg *c, rb_fixed v) {
  unsigned __int128 u = (unsigned __int128)v;
  uint64_t words[2] = {(uint64_t)u, (uint64_t)(u >> 64)};
  return LLVMConstIntOfArbitraryPrecision(c->fx, 2, words);
}

LLVMValueRef cg_wide(cg *c, rb_fixed v) {
  rb_wide w = wide_from_fixed(v);
  return LLVMConstIntOfArbitraryPrecision(c->wx, 4, w.w);
}

LLVMValueRef cg_int(cg *c, long long k) { return cg_wide(c, fixed_from_int(k)); }

LLVMValueRef cg_widen(cg *c, LLVMValueRef x) {
  /* FIXED_EMPTY and errors land below -10^56: still not numbers */
  LLVMValueRef ten18 = LLVMConstInt(c->wx, (unsigned long long)FIXED_ONE, 0);
  return LLVMBuildMul(c->b, LLVMBuildSExt(c->b, x, c->wx, ""), ten18, "wide");
}

LLVMValueRef cg_min(cg *c, LLVMValueRef a, LLVMValueRef b) {
  return cg_on_128_bits(c, LLVMBuildSelect(c->b, LLVMBuildICmp(c->b, LLVMIntSLE, a, b, ""), a, b, "min"));
}
LLVMValueRef cg_max(cg *c, LLVMValueRef a, LLVMValueRef b) {
  return cg_on_128_bits(c, LLVMBuildSelect(c->b, LLVMBuildICmp(c->b, LLVMIntSGE, a, b, ""), a, b, "max"));
}

/* Whether X is not a number: a wide value outside (-10^56, 10^56), a
   column's outside [-FIXED_MAX, FIXED_MAX]. */
LLVMValueRef cg_not_number(cg *c, LLVMValueRef x) {
  LLVMValueRef max = cg_wide(c, FIXED_MAX), top = LLVMConstAdd(max, LLVMConstInt(c->wx, (unsigned long long)FIXED_ONE - 1, 0));
  LLVMValueRef hi = LLVMBuildICmp(c->b, LLVMIntSGT, x, top, "");
  LLVMValueRef lo = LLVMBuildICmp(c->b, LLVMIntSLT, x, LLVMConstNeg(top), "");
  return LLVMBuildOr(c->b, hi, lo, "nan");
}

LLVMValueRef cg_not_fixed(cg *c, LLVMValueRef x) {
  LLVMValueRef hi = LLVMBuildICmp(c->b, LLVMIntSGT, x, cg_fixed(c, FIXED_MAX), "");
  LLVMValueRef lo = LLVMBuildICmp(c->b, LLVMIntSLT, x, cg_fixed(c, -FIXED_MAX), "");
  return LLVMBuildOr(c->b, hi, lo, "nan");
}

/* ---- values known to have 18 decimals -----------------------------------
   Most values of a rule are a column's or a literal's number (18 decimals
   at most), or a choice between such (tiers, min, max, a part held within
   its points), or their sums. For those, the wide value (36 decimals) is
   the number times 10^18 exactly, and the 18-decimal value can be had from
   the IR that made it, with no division: a result needs no rounding, and a
   product of two needs none either (it has at most 36 decimals). */

/* Whether the narrow value N (i256 at 18 decimals) is a number. */
LLVMValueRef cg_narrow_is_number(cg *c, LLVMValueRef n) {
  LLVMValueRef max = LLVMBuildSExt(c->b, cg_fixed(c, FIXED_MAX), c->wx, "");
  LLVMValueRef hi = LLVMBuildICmp(c->b, LLVMIntSLE, n, max, "");
  LLVMValueRef lo = LLVMBuildICmp(c->b, LLVMIntSGE, n, LLVMBuildNeg(c->b, max, ""), "");
  return LLVMBuildAnd(c->b, hi, lo, "num");
}

enum { NARROW_DEPTH = 48 }; /* how deep the IR is followed */

struct narrow_memo {
  LLVMValueRef key, narrow; /* narrow: NULL when KEY is not known to have 18 decimals */
  int bits;
};

/* The memo's slot for X: its entry, or the empty slot where it goes. */
static struct narrow_memo *memo_slot(cg *c, LLVMValueRef x) {
  if (c->nnarrow * 2 >= c->narrow_cap) { /* grow: the arena keeps the old table until the end */
    size_t cap = c->narrow_cap ? c->narrow_cap * 2 : 256;
    struct narrow_memo *t = arena_alloc(c->arena, sizeof *t * cap);
    memset(t, 0, sizeof *t * cap);
    for (size_t i = 0; i < c->narrow_cap; i++) {
      if (!c->narrow[i].key) continue;
      size_t h = ((uintptr_t)c->narrow[i].key >> 4) & (cap - 1);
      while (t[h].key) h = (h + 1) & (cap - 1);
      t[h] = c->narrow[i];
    }
    c->narrow = t;
    c->narrow_cap = cap;
  }
  size_t h = ((uintptr_t)x >> 4) & (c->narrow_cap - 1);
  while (c->narrow[h].key && c->narrow[h].key != x) h = (h + 1) & (c->narrow_cap - 1);
  return &c->narrow[h];
}

static LLVMValueRef narrow_find(cg *c, LLVMValueRef x, int depth, int *bits);

/* A narrow value known to fit 128 bits, as an i128. Choices and sums of
   such values are built on 128 bits and sign-extended (narrow_find): the
   truncation of an extension folds at once, where the optimiser's own
   narrowing of a long chain of wide adds stops a few links deep. */
LLVMValueRef cg_narrow_128(cg *c, LLVMValueRef n) { return LLVMBuildTrunc(c->b, n, c->fx, ""); }

/* X (wide) as an i256 at 18 decimals, read off the instructions that built
   it; NULL when X is not known to have 18 decimals. *BITS: the value fits
   that many bits, signed (a sum needs one more than its operands). Each
   value is looked at once (the memo): shared values cost nothing again. */
static LLVMValueRef narrow_of(cg *c, LLVMValueRef x, int depth, int *bits) {
  struct narrow_memo *m = memo_slot(c, x);
  if (m->key) {
    *bits = m->bits;
    return m->narrow;
  }
  int b = 0;
  LLVMValueRef n = narrow_find(c, x, depth, &b);
  m = memo_slot(c, x); /* the table may have grown meanwhile */
  *m = (struct narrow_memo){x, n, b};
  c->nnarrow++;
  *bits = b;
  return n;
}

LLVMValueRef cg_narrow_of(cg *c, LLVMValueRef x, int *bits) { return narrow_of(c, x, 0, bits); }

/* The signed bits the constant Q (i256, a number) needs: its own for a
   small one (0.2 times a difference is then a product well within 256
   bits), else 128. */
static int constant_bits(cg *c, LLVMValueRef q) {
  LLVMValueRef lim = LLVMConstInt(c->wx, 1ULL << 62, 0);
  LLVMValueRef small = LLVMBuildAnd(c->b, LLVMBuildICmp(c->b, LLVMIntSLT, q, lim, ""),
                                    LLVMBuildICmp(c->b, LLVMIntSGT, q, LLVMConstNeg(lim), ""), "");
  if (!LLVMIsAConstantInt(small) || !LLVMConstIntGetZExtValue(small)) return 128;
  long long v = LLVMConstIntGetSExtValue(q);
  unsigned long long m = v < 0 ? (unsigned long long)-v : (unsigned long long)v;
  return m ? 65 - __builtin_clzll(m) : 1; /* |v| < 2^k: k bits and a sign */
}

static LLVMValueRef narrow_find(cg *c, LLVMValueRef x, int depth, int *bits) {
  if (depth > NARROW_DEPTH) return NULL;
  LLVMValueRef ten18 = LLVMConstInt(c->wx, (unsigned long long)FIXED_ONE, 0);
  if (LLVMIsAConstantInt(x)) { /* a literal: folded by the builder */
    LLVMValueRef rem = LLVMBuildSRem(c->b, x, ten18, "");
    if (!LLVMIsAConstantInt(rem) || LLVMConstIntGetSExtValue(rem) != 0) return NULL;
    LLVMValueRef q = LLVMBuildSDiv(c->b, x, ten18, "");
    LLVMValueRef num = cg_narrow_is_number(c, q); /* folded too: a number fits 128 bits */
    if (!LLVMIsAConstantInt(q) || !LLVMIsAConstantInt(num) || !LLVMConstIntGetZExtValue(num)) return NULL;
    *bits = constant_bits(c, q);
    return q;
  }
  if (!LLVMIsAInstruction(x)) return NULL;
  switch (LLVMGetInstructionOpcode(x)) {
  case LLVMMul: { /* cg_widen: sext(i128) * 10^18 */
    LLVMValueRef v = LLVMGetOperand(x, 0), k = LLVMGetOperand(x, 1);
    if (k != ten18 || !LLVMIsAInstruction(v) || LLVMGetInstructionOpcode(v) != LLVMSExt ||
        LLVMTypeOf(LLVMGetOperand(v, 0)) != c->fx)
      return NULL;
    *bits = 128;
    return v;
  }
  case LLVMSelect: {
    int b1, b2;
    LLVMValueRef t = narrow_of(c, LLVMGetOperand(x, 1), depth + 1, &b1);
    LLVMValueRef f = t ? narrow_of(c, LLVMGetOperand(x, 2), depth + 1, &b2) : NULL;
    if (!f) return NULL;
    *bits = b1 > b2 ? b1 : b2;
    if (*bits <= 128) /* on 128 bits (see cg_narrow_128) */
      return LLVMBuildSExt(c->b, LLVMBuildSelect(c->b, LLVMGetOperand(x, 0), cg_narrow_128(c, t), cg_narrow_128(c, f), "narrow"),
                           c->wx, "");
    return LLVMBuildSelect(c->b, LLVMGetOperand(x, 0), t, f, "");
  }
  case LLVMAdd:
  case LLVMSub: {
    int b1, b2;
    LLVMValueRef l = narrow_of(c, LLVMGetOperand(x, 0), depth + 1, &b1);
    LLVMValueRef r = l ? narrow_of(c, LLVMGetOperand(x, 1), depth + 1, &b2) : NULL;
    if (!r) return NULL;
    *bits = (b1 > b2 ? b1 : b2) + 1;
    if (*bits > 250) return NULL;
    bool add = LLVMGetInstructionOpcode(x) == LLVMAdd;
    if (*bits <= 128) { /* within 128 bits: no signed wrap there either */
      LLVMValueRef l8 = cg_narrow_128(c, l), r8 = cg_narrow_128(c, r);
      return LLVMBuildSExt(c->b, add ? LLVMBuildNSWAdd(c->b, l8, r8, "narrow") : LLVMBuildNSWSub(c->b, l8, r8, "narrow"),
                           c->wx, "");
    }
    return add ? LLVMBuildAdd(c->b, l, r, "") : LLVMBuildSub(c->b, l, r, "");
  }
  default: return NULL;
  }
}

LLVMValueRef cg_settle_of(cg *c, LLVMValueRef x) {
  int bits;
  LLVMValueRef n = narrow_of(c, x, 0, &bits);
  if (n) /* exact: no rounding; FIXED_ERROR past the range, as the routine */
    return LLVMBuildSelect(c->b, cg_narrow_is_number(c, n), LLVMBuildTrunc(c->b, n, c->fx, ""), cg_fixed(c, FIXED_ERROR),
                           "result");
  return LLVMBuildCall2(c->b, c->result_ty, c->fn_result, &x, 1, "result");
}

/* X, or when it has 18 decimals and fits 128 bits, X built again from
   that value: sext(i128) * 10^18, with the choices and sums that make it
   on 128 bits. The optimiser keeps such values (a month's 0.2 or -0.2,
   summed over the months) on 128 bits from then on, where on 256 each add
   and select takes four words; it does not narrow them by itself. */
LLVMValueRef cg_on_128_bits(cg *c, LLVMValueRef x) {
  int bits;
  LLVMValueRef n = narrow_of(c, x, 0, &bits);
  if (!n || bits > 128) return x;
  LLVMValueRef w = cg_widen(c, cg_narrow_128(c, n));
  struct narrow_memo *m = memo_slot(c, w); /* its narrow value keeps its bits: a widened column has 128 */
  if (!m->key) {
    *m = (struct narrow_memo){w, n, bits};
    c->nnarrow++;
  }
  return w;
}

