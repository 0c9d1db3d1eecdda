#!/usr/bin/env bash
# emit_llvm.sh RUBRIC SCHEME: the optimised IR is one exported batch
# function whose row loop the loop vectoriser turned into vector code.
set -eu
rubric=$1 scheme=$2
ir=$("$rubric" emit-llvm "$scheme")
echo "$ir" | grep -q '^define void @rubric_score_chengwu_2022(ptr' || { echo "FAIL: no exported batch function"; exit 1; }
echo "$ir" | grep -q 'vector.body' || { echo "FAIL: the row loop was not vectorised"; exit 1; }
echo "$ir" | grep -qE '<[0-9]+ x double>' || { echo "FAIL: no vector arithmetic on doubles"; exit 1; }
if echo "$ir" | grep -qE '\b(fast|reassoc|contract)\b'; then echo "FAIL: fast-math flags in the IR"; exit 1; fi
# --emit-llvm on score prints the same module
[ "$("$rubric" score --emit-llvm "$scheme")" = "$ir" ] || { echo "FAIL: score --emit-llvm differs"; exit 1; }
echo "vectorised: $(echo "$ir" | grep -cE '<[0-9]+ x double>') vector instructions"
