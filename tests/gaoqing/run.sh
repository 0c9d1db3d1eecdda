#!/usr/bin/env bash
# run.sh RUBRIC SRC_DIR
# The Gaoqing 2021 schemes (examples/gaoqing/gaoqing_2021.rubric) against the
# independent oracle (tests/gaoqing/oracle.py):
#   1. check --werror and the example blocks;
#   2. the example data (departments and firms) in one run;
#   3. generated data: sharing rates exactly at, under and over 90%; firms with
#      totals exactly on every band edge (85, 70, 60) and 0.008 under or over,
#      empty penalty_records cells (`missing 0`);
#   4. --format json once for each scheme, parsed and compared with the CSV;
#   5. an empty composite_score (no missing rule): refused, nothing written.
# Exits non-zero on any failure.
set -u
rubric=$1 src=$2
py=${PYTHON:-python3}
here=$src/tests/gaoqing
ex=$src/examples/gaoqing
scheme=$ex/gaoqing_2021.rubric
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$src/tests/common/steps.sh"

compare_targets() { "$py" "$src/tests/common/compare.py" "$1" "$2" --key id,target --text name,title,met; }
compare_scores() { "$py" "$src/tests/common/compare.py" "$1" "$2" --key id --text name,credit,credit_treatment; }

step "check --werror" "$rubric" check --werror "$scheme"
step "test" "$rubric" test "$scheme"

# ---- 2. the example data, both schemes in one run
step "score the example data" "$rubric" score "$scheme" \
  --scheme gaoqing_2021_sharing --entities "$ex/departments.csv" -o "$work/departments.csv" \
  --scheme gaoqing_2021_firms --entities "$ex/firms.csv" -o "$work/firms.csv"
"$py" "$here/oracle.py" departments "$ex/departments.csv" > "$work/departments_expected.csv"
"$py" "$here/oracle.py" firms "$ex/firms.csv" > "$work/firms_expected.csv"
step "example departments = oracle" compare_targets "$work/departments_expected.csv" "$work/departments.csv"
step "example firms = oracle" compare_scores "$work/firms_expected.csv" "$work/firms.csv"

# ---- 3. generated data
gen=$work/gen
"$py" "$here/gen_data.py" --departments 600 --firms 3000 --seed 2021 --out "$gen"
"$py" "$here/oracle.py" departments "$gen/departments.csv" > "$gen/departments_expected.csv"
"$py" "$here/oracle.py" firms "$gen/firms.csv" > "$gen/firms_expected.csv"
step "score generated departments" "$rubric" score "$scheme" --scheme gaoqing_2021_sharing \
  --entities "$gen/departments.csv" -o "$gen/departments.out.csv"
step "generated departments = oracle" compare_targets "$gen/departments_expected.csv" "$gen/departments.out.csv"
step "score generated firms" "$rubric" score "$scheme" --scheme gaoqing_2021_firms \
  --entities "$gen/firms.csv" -o "$gen/firms.out.csv"
step "generated firms = oracle" compare_scores "$gen/firms_expected.csv" "$gen/firms.out.csv"
# the generated firms must reach every band, and every edge exactly
edges_present() {
  "$py" - "$gen/firms_expected.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
bands = {r["credit"] for r in rows}
totals = {round(float(r["total"]), 9) for r in rows}
need = {85.0, 70.0, 60.0, 0.0, 100.0}
ok = len(bands) == 4 and need <= totals
print("bands:", sorted(bands), "edges present:", sorted(need & totals))
sys.exit(0 if ok else 1)
PY
}
step "generated firms cover every band and edge" edges_present

# ---- 4. JSON: one document per scheme that agrees with the CSV
step "score departments --format json" "$rubric" score "$scheme" --scheme gaoqing_2021_sharing \
  --entities "$gen/departments.csv" --format json -o "$gen/departments.json"
step "json = csv (departments)" "$py" "$src/tests/common/check_json.py" "$gen/departments.json" \
  --scheme gaoqing_2021_sharing --targets "$gen/departments.out.csv"
step "score firms --format json" "$rubric" score "$scheme" --scheme gaoqing_2021_firms \
  --entities "$gen/firms.csv" --format json -o "$gen/firms.json"
step "json = csv (firms)" "$py" "$src/tests/common/check_json.py" "$gen/firms.json" \
  --scheme gaoqing_2021_firms --scores "$gen/firms.out.csv" --grades credit --parts composite,penalties

# ---- 5. composite_score has no missing rule: an empty cell is an error
bad=$work/bad
mkdir "$bad"
"$py" - "$ex/firms.csv" "$bad/firms.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
rows[5][rows[0].index("composite_score")] = ""
csv.writer(open(sys.argv[2], "w", encoding="utf-8", newline=""), lineterminator="\n").writerows(rows)
PY
missing_error() {
  "$rubric" score "$scheme" --scheme gaoqing_2021_firms --entities "$bad/firms.csv" -o "$bad/out.csv" 2> "$bad/stderr"
  local status=$?
  cat "$bad/stderr"
  [ $status -eq 1 ] || { echo "expected exit status 1, got $status"; return 1; }
  [ ! -e "$bad/out.csv" ] || { echo "an output file was written"; return 1; }
  grep -q "firms.csv:6: .*composite_score" "$bad/stderr" ||
    { echo "the empty cell is not reported at line 6"; return 1; }
}
step "empty cell without a missing rule is refused" missing_error

echo "gaoqing: $failures failures"
[ $failures -eq 0 ]
