#!/usr/bin/env bash
# ranges.sh RUBRIC SRC_DIR: `rubric check --ranges` on Chengwu proves every
# indicator can reach exactly its points and the total 100, with no diagnostics.
set -eu
rubric=$1 src=$2
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$rubric" check --werror --ranges "$src/examples/chengwu/chengwu_2022.rubric" > "$out"
diff -u "$src/tests/e2e/chengwu_ranges.expected" "$out"
# independently of the golden file: each row's max equals its points
awk 'NR > 2 && $1 != "total" { if ($2 != $4) { print "FAIL: " $1 " max " $4 " != points " $2; bad = 1 } }
     $1 == "total" { if ($2 != 100 || $4 != 100) { print "FAIL: total"; bad = 1 } }
     END { exit bad }' "$out"
