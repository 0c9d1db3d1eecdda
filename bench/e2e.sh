#!/usr/bin/env bash
# e2e.sh RUN_SH BUILD N: bench.e2e. Runs the end-to-end benchmark on N
# counties and checks what it must show whatever the machine: the table with
# rubric's and the baseline's rows (every phase reported), and a cross-check
# in which every county agrees; where node and DuckDB's npm package are
# installed (npm ci --prefix bench), DuckDB's row, rubric's ratio to it and
# DuckDB's own cross-check, and otherwise the line saying DuckDB is not
# installed (the test passes either way). Then checks that the cross-check can fail:
# one total changed in the baseline's output must be reported. No time is
# asserted.
set -u
run_sh=$1 build=$2 n=$3
fail=0
out=$(bash "$run_sh" --build "$build" "$n" 2>&1)
status=$?
echo "$out"
check() { grep -Eq -- "$1" <<< "$out" || { echo "FAIL: the benchmark's output has no line matching: $1"; fail=1; }; }
[ $status = 0 ] || { echo "FAIL: run.sh exited with $status"; fail=1; }
check '^implementation +load s +compile s +score s +write s +other s +total s +cpu s +rows/s +input MB/s +peak RSS MB$'
check '^C baseline \(-O3, doubles\) +[0-9.]+ +0\.000 +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9]+ +[0-9.]+ +[0-9.]+$'
check '^rubric score, 1st run +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9]+ +[0-9.]+ +[0-9.]+$'
check '^rubric score, 2nd run +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9]+ +[0-9.]+ +[0-9.]+$'
check '^  ratio to the C baseline '
check '^  rubric: write [0-9.]+ s, free [0-9.]+ s, other [0-9.]+ s, total [0-9.]+ s, peak RSS [0-9.]+ MB$'
check "^cross-check: $n of $n totals equal within 1e-09 \(and $((16 * n)) of $((16 * n)) indicator scores\)$"
check '^bench: ok$'
if command -v node > /dev/null && [ -f "$(dirname "$run_sh")/node_modules/@duckdb/node-api/package.json" ]; then
  echo "bench.e2e: DuckDB is installed: its row must be there"
  check '^DuckDB: @duckdb/node-api [0-9][^ ]* on node v[0-9.]+$'
  check '^DuckDB \(SQL, doubles\) +[0-9.]+ +0\.000 +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9]+ +[0-9.]+ +[0-9.]+$'
  check "^rubric score's whole process, ratio to DuckDB's total \(issue 12: at most 0\.50x\): 1st run [0-9.]+x \(cpu [0-9.]+x\), 2nd run [0-9.]+x \(cpu [0-9.]+x\)$"
  check '^  rubric-bench-duckdb: [0-9]+ rows; load [0-9.]+ s, score [0-9.]+ s, write [0-9.]+ s, total [0-9.]+ s$'
  check "^DuckDB cross-check: $n of $n totals equal within 1e-09 \(and $((16 * n)) of $((16 * n)) indicator scores\)$"
else
  echo "bench.e2e: DuckDB is not installed (npm ci --prefix bench): its row is left out"
  check '^DuckDB: not installed \((no node; then )?npm ci --prefix bench\)$'
fi

# the cross-check sees a difference
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$build/bench/rubric-bench-gen" 50 "$work" 7 2> /dev/null &&
  "$build/bench/rubric-bench-c" "$work/entities.csv" "$work/periods.csv" "$work/c.csv" 2> /dev/null &&
  "$build/tools/rubric" score "$build/../examples/chengwu/chengwu_2022.rubric" --entities "$work/entities.csv" \
    --periods "$work/periods.csv" -o "$work/r.csv" 2> /dev/null || { echo "FAIL: 50 counties did not score"; fail=1; }
"$build/bench/rubric-bench-compare" "$work/r.csv" "$work/c.csv" > /dev/null || { echo "FAIL: 50 counties differ"; fail=1; }
awk -F, 'NR == 3 { $2 = $2 + 0.001 } { print }' OFS=, "$work/c.csv" > "$work/c2.csv"
diffout=$("$build/bench/rubric-bench-compare" "$work/r.csv" "$work/c2.csv")
dstatus=$?
grep -q "^cross-check: 49 of 50 totals equal within 1e-09 (and 800 of 800 indicator scores): MISMATCH$" <<< "$diffout" && [ $dstatus = 1 ] ||
  { echo "FAIL: a changed total was not reported (status $dstatus): $diffout"; fail=1; }
[ $fail = 0 ] && echo "bench.e2e: ok"
exit $fail
