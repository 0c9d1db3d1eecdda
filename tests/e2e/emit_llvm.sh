#!/usr/bin/env bash
# emit_llvm.sh RUBRIC SCHEME: the optimised IR is one exported batch function
# computing in scaled integers (spec/semantics.md, "Numbers"): 128-bit
# columns, 256-bit values inside rules, no binary floating point anywhere,
# divisions and products through the runtime's exact routines, each rule's
# result rounded by the runtime, and the same module from `score --emit-llvm`.
set -eu
rubric=$1 scheme=$2
ir=$("$rubric" emit-llvm "$scheme")
echo "$ir" | grep -q '^define void @rubric_score_chengwu_2022(ptr' || { echo "FAIL: no exported batch function"; exit 1; }
echo "$ir" | grep -qE '\bi128\b' || { echo "FAIL: no 128-bit columns"; exit 1; }
echo "$ir" | grep -qE '\bi256\b' || { echo "FAIL: no 256-bit values inside rules"; exit 1; }
if echo "$ir" | grep -qE '\b(double|float|half|fp128|x86_fp80)\b|\b(fadd|fsub|fmul|fdiv|frem|fcmp|fneg|sitofp|uitofp|fptosi|fptoui)\b'; then
  echo "FAIL: binary floating point in the IR:"; echo "$ir" | grep -nE '\b(double|float|fadd|fsub|fmul|fdiv|fcmp|sitofp|fptosi)\b' | head; exit 1
fi
echo "$ir" | grep -q 'call void @rubric_wide_div(' || { echo "FAIL: the shares are not divided by rubric_wide_div"; exit 1; }
echo "$ir" | grep -q 'call i128 @rubric_wide_result(' || { echo "FAIL: no rule's result is rounded by rubric_wide_result"; exit 1; }
if echo "$ir" | grep -qE '\b(sdiv|udiv|srem|urem) i(128|256)\b'; then echo "FAIL: an inline wide division (the routines round half up)"; exit 1; fi
if echo "$ir" | grep -qE '\b(fast|reassoc|contract)\b'; then echo "FAIL: fast-math flags in the IR"; exit 1; fi
# --emit-llvm on score prints the same module
[ "$("$rubric" score --emit-llvm "$scheme")" = "$ir" ] || { echo "FAIL: score --emit-llvm differs"; exit 1; }
# a let read in three places (two conditions and a value) divides once: the
# routines are pure functions of values to the optimiser (codegen/module.c)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rubric-emit.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# expect_lines FILE REGEX WANT WHAT [FUNCTION]: the optimised IR of the scheme
# FILE (or only its function named FUNCTION<id>) has WANT lines matching REGEX
expect_lines() {
  local n
  "$rubric" emit-llvm "$1" > "$tmp/expect.ll" || { echo "FAIL: emit-llvm $1"; exit 1; }
  n=$(awk -v fn="${5:+define void @$5}" 'fn == "" || index($0, fn) == 1, fn == "" || /^}/' "$tmp/expect.ll" |
    grep -cE "$2") || true
  [ "$n" = "$3" ] || { echo "FAIL: $4: $n (want $3)"; exit 1; }
}
# expect_calls FILE ROUTINE WANT WHAT [FUNCTION]: ... calls ROUTINE WANT times
expect_calls() { expect_lines "$1" "call [a-z0-9]* @$2\\(" "$3" "$4 calls $2, times" "${5:-}"; }
cat > "$tmp/let_once.rubric" <<'SCHEME'
scheme let_once "t" {
  total 10
  input a: number
  input b: number at least 1
  indicator share "s" points 10 {
    let r = a / b
    10 if r > 2, 0 if r < 0, 5 * r otherwise
  }
}
SCHEME
expect_calls "$tmp/let_once.rubric" rubric_wide_div 1 "a let read three times"
# a falling line multiplies by its whole slope inline, no routine
cat > "$tmp/falling.rubric" <<'SCHEME'
scheme falling "t" {
  total 4
  input share: fraction
  indicator fall "f" points 4 { 4 if share < 0.3%, 0 if share > 0.5%, linear between }
}
SCHEME
expect_calls "$tmp/falling.rubric" rubric_wide_mul 0 "a falling line's slope (-4 / 0.2%)"
# a small literal times a choice or a count is a product inline: a literal
# needs only its own bits (0.2: 59), so the exact product fits 256 bits
cat > "$tmp/small_literal.rubric" <<'SCHEME'
scheme small_literal "t" {
  total 8
  input domains: count
  input a: count
  input b: count
  indicator less "l" points 4 { clamp(0.2 * (20 - domains), 0, 4) }
  indicator some "s" points 4 { 0.5 * count(a >= 10, b >= 10) }
}
SCHEME
expect_calls "$tmp/small_literal.rubric" rubric_wide_mul 0 "0.2 * (20 - domains) and 0.5 * count(...)"
# a month's choice between literals, summed over the months (a loop) and
# clamped, and a count of months, are built on 128 bits: no select, add or
# phi on i256 (codegen/values.c, cg_on_128_bits; LLVM narrows no such chain)
cat > "$tmp/monthly.rubric" <<'SCHEME'
scheme monthly "t" {
  total 6
  period month 1 to 12
  input rate: fraction per month
  input late: count per month
  indicator ok "o" points 2.4 {
    let monthly = 0.2 if rate == 0, -0.2 otherwise
    clamp(sum(monthly), 0, 2.4)
  }
  indicator timely "t" points 3.6 { clamp(count(late == 0) * 0.3, 0, 3.6) }
}
SCHEME
expect_lines "$tmp/monthly.rubric" '= (select i1 .*|add (nsw |nuw )*|phi )i256' 0 "selects, adds and phis on i256 for the months"
# the peers pass computes a statistic's argument once for both statistics
# that read it (min and max): loads and routine calls are merged across the
# stores into other columns (codegen/peers.c, cg_body; module.c's pipeline)
cat > "$tmp/peer_once.rubric" <<'SCHEME'
scheme peer_once "t" {
  total 10
  input a: number
  input b: number at least 1
  indicator rel "r" points 10 { 10 * peers.minmax(a / b) }
}
SCHEME
expect_calls "$tmp/peer_once.rubric" rubric_wide_div 1 "the peers pass, for min and max of a / b," rubric_peers_
# a month's cell is read once a row, however many rules read it: a
# per-period cell (abi.h, rb_narrow) costs a compare and a branch to the
# runtime's routine for a value kept aside, and two rules reading the same
# months made two of each (codegen/expr.c, cg_input_at)
cat > "$tmp/cells_once.rubric" <<'SCHEME'
scheme cells_once "t" {
  total 15
  period month 1 to 3
  input x: count per month
  indicator a "a" points 5 { 5 if latest(x) >= 10, 0 otherwise }
  indicator b "b" points 5 { min(5, latest(x) + previous(x)) }
  indicator c "c" points 5 { 5 if growth(x) > 0, 0 otherwise }
}
SCHEME
expect_calls "$tmp/cells_once.rubric" rubric_narrow_value 2 "months 3 and 2 of x, read by three rules,"
echo "exact: $(echo "$ir" | grep -cE '\bi256\b') lines of i256, $(echo "$ir" | grep -cE 'call (void|i128) @rubric_(wide|fixed)_') calls to the exact routines"
