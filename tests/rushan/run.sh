#!/usr/bin/env bash
# run.sh RUBRIC SRC_DIR
# The Rushan 2022 target schemes (examples/rushan/rushan_2022.rubric) against
# the independent oracle (tests/rushan/oracle.py):
#   1. check --werror and the example blocks;
#   2. the example data, both schemes in one run;
#   3. generated data (values exactly at, under and over every goal, empty
#      cells for the `missing 0` inputs) for both schemes, and a few rows
#      written by hand whose values fall exactly halfway at the 19th decimal
#      (1/2e18, -1/2e18, 5/2e18, 1999999999999999999/2e18, ...): a target's
#      value is rounded half up, away from zero, to 18 decimals, and met or
#      not on that number (0.30000000000000000005 is given as 0.3 and is not
#      "over 30%");
# each targets table compared with the oracle's exactly: the same rows in the
# same order, name/title/met as text, value, goal and margin equal as exact
# decimals (no tolerance), with the oracle's own comparer (oracle.py compare);
#   4. --format json once, parsed and compared with the CSV;
#   5. an empty cell of an input without a missing rule: refused, nothing written.
# Exits non-zero on any failure.
set -u
rubric=$1 src=$2
py=${PYTHON:-python3}
here=$src/tests/rushan
ex=$src/examples/rushan
scheme=$ex/rushan_2022.rubric
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$src/tests/common/steps.sh"

compare_targets() { "$py" "$here/oracle.py" compare "$1" "$2"; }

step "check --werror" "$rubric" check --werror "$scheme"
step "test" "$rubric" test "$scheme"

# ---- 2. the example data: the city and the towns in one run
step "score the example data" "$rubric" score "$scheme" \
  --scheme rushan_2022 --entities "$ex/rushan_city.csv" --periods "$ex/rushan_years.csv" -o "$work/city.csv" \
  --scheme rushan_2022_towns --entities "$ex/rushan_towns.csv" -o "$work/towns.csv"
"$py" "$here/oracle.py" city "$ex/rushan_city.csv" "$ex/rushan_years.csv" > "$work/city_expected.csv"
"$py" "$here/oracle.py" towns "$ex/rushan_towns.csv" > "$work/towns_expected.csv"
step "example city = oracle" compare_targets "$work/city_expected.csv" "$work/city.csv"
step "example towns = oracle" compare_targets "$work/towns_expected.csv" "$work/towns.csv"

# ---- 3. generated data
gen=$work/gen
"$py" "$here/gen_data.py" --cities 1500 --towns 800 --seed 2022 --out "$gen"
"$py" "$here/oracle.py" city "$gen/city.csv" "$gen/years.csv" > "$gen/city_expected.csv"
"$py" "$here/oracle.py" towns "$gen/towns.csv" > "$gen/towns_expected.csv"
step "score generated cities" "$rubric" score "$scheme" --scheme rushan_2022 \
  --entities "$gen/city.csv" --periods "$gen/years.csv" -o "$gen/city.csv.out"
step "generated cities = oracle" compare_targets "$gen/city_expected.csv" "$gen/city.csv.out"
step "score generated towns" "$rubric" score "$scheme" --scheme rushan_2022_towns \
  --entities "$gen/towns.csv" -o "$gen/towns.csv.out"
step "generated towns = oracle" compare_targets "$gen/towns_expected.csv" "$gen/towns.csv.out"

# ---- 3b. halfway cases, written by hand (the generated data has none)
half=$work/half
mkdir "$half"
cat > "$half/city.csv" <<'CSV'
id,name,documents_revised,lists_issued,min_school_events,new_scenarios,supervised_domains,zx_cases,zx_resolved,market_firms,platform_firms,codes_issued,codes_faulty,repair_guided
H1,半数一,2,2,2,20,60,2000000000000000000,2000000000000000001,2000000000000000000,1,2000000000000000000,1,100
H2,半数二,2,2,2,20,60,2000000000000000000,1999999999999999999,2000000000000000000,5,2000000000000000000,3,100
H3,半数三,2,2,2,20,60,4,3,"2,000,000,000,000,000,000",7,"200,000,000,000,000,000",20000000000001,100
CSV
cat > "$half/years.csv" <<'CSV'
id,year,gdp,inclusive_loans,sme_loans,sme_credit_loans
H1,2021,1,2000000000000000000,1,0
H1,2022,2000000000000000000,2000000000000000001,2000000000000000000,1
H2,2021,1,2000000000000000000,1,0
H2,2022,2000000000000000000,1999999999999999999,2000000000000000000,600000000000000001
H3,2021,1,4000000000000000000,1,0
H3,2022,"20,000,000,000,000,000,000",5200000000000000001,"20,000,000,000,000,000,000",6000000000000000001
CSV
cat > "$half/towns.csv" <<'CSV'
id,name,zx_cases,zx_resolved,min_school_events
HT1,半数镇一,2000000000000000000,1999999999999999999,2
HT2,半数镇二,2000000000000000000,2000000000000000001,2
HT3,半数镇三,2000000000000000000,1999999999999999997,2
CSV
"$py" "$here/oracle.py" city "$half/city.csv" "$half/years.csv" > "$half/city_expected.csv"
"$py" "$here/oracle.py" towns "$half/towns.csv" > "$half/towns_expected.csv"
step "score the halfway cases" "$rubric" score "$scheme" \
  --scheme rushan_2022 --entities "$half/city.csv" --periods "$half/years.csv" -o "$half/city.out.csv" \
  --scheme rushan_2022_towns --entities "$half/towns.csv" -o "$half/towns.out.csv"
step "halfway cities = oracle" compare_targets "$half/city_expected.csv" "$half/city.out.csv"
step "halfway towns = oracle" compare_targets "$half/towns_expected.csv" "$half/towns.out.csv"

# ---- 4. JSON: one document that agrees with the CSV of the same data
step "score --format json" "$rubric" score "$scheme" --scheme rushan_2022 \
  --entities "$gen/city.csv" --periods "$gen/years.csv" --format json -o "$gen/city.json"
step "json = csv (cities)" "$py" "$src/tests/common/check_json.py" "$gen/city.json" --scheme rushan_2022 \
  --targets "$gen/city.csv.out"
step "score towns --format json (stdout)" sh -c '"$1" score "$2" --scheme rushan_2022_towns --entities "$3" --format json > "$4"' \
  sh "$rubric" "$scheme" "$gen/towns.csv" "$gen/towns.json"
step "json = csv (towns)" "$py" "$src/tests/common/check_json.py" "$gen/towns.json" --scheme rushan_2022_towns \
  --targets "$gen/towns.csv.out"

# ---- 5. min_school_events has no missing rule: an empty cell is an error
bad=$work/bad
mkdir "$bad"
"$py" - "$ex/rushan_towns.csv" "$bad/towns.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
rows[3][rows[0].index("min_school_events")] = ""
csv.writer(open(sys.argv[2], "w", encoding="utf-8", newline=""), lineterminator="\n").writerows(rows)
PY
missing_error() {
  "$rubric" score "$scheme" --scheme rushan_2022_towns --entities "$bad/towns.csv" -o "$bad/out.csv" 2> "$bad/stderr"
  local status=$?
  cat "$bad/stderr"
  [ $status -eq 1 ] || { echo "expected exit status 1, got $status"; return 1; }
  [ ! -e "$bad/out.csv" ] || { echo "an output file was written"; return 1; }
  grep -q "towns.csv:4: .*min_school_events" "$bad/stderr" ||
    { echo "the empty cell is not reported at line 4"; return 1; }
}
step "empty cell without a missing rule is refused" missing_error

echo "rushan: $failures failures"
[ $failures -eq 0 ]
