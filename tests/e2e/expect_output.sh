#!/usr/bin/env bash
# expect_output.sh RUBRIC DATA_DIR: a good run writes exactly good.expected.csv.
set -eu
rubric=$1 data=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
(cd "$data" && "$rubric" score mini.rubric --entities good.csv --periods good_months.csv -o "$out/scores.csv")
diff -u "$data/good.expected.csv" "$out/scores.csv"
[ "$(ls -A "$out")" = "scores.csv" ] || { echo "FAIL: stray files: $(ls -A "$out")"; exit 1; }
