#!/usr/bin/env bash
# expect_output.sh RUBRIC DATA_DIR: a good run writes exactly good.expected.csv,
# whether the tables are plain or saved by a spreadsheet.
set -eu
rubric=$1 data=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
(cd "$data" && "$rubric" score mini.rubric --entities good.csv --periods good_months.csv -o "$out/scores.csv")
diff -u "$data/good.expected.csv" "$out/scores.csv"
# the same table saved by a spreadsheet: BOM, CRLF, quoted cells, 是/否/TRUE, 50%
(cd "$data" && "$rubric" score mini.rubric --entities good_excel.csv --periods good_excel_months.csv -o "$out/excel.csv")
diff -u "$data/good.expected.csv" "$out/excel.csv"
rm "$out/excel.csv"
[ "$(ls -A "$out")" = "scores.csv" ] || { echo "FAIL: stray files: $(ls -A "$out")"; exit 1; }
