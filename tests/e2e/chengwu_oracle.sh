#!/usr/bin/env bash
# chengwu_oracle.sh RUBRIC SRC_DIR
# Generates 3000 counties (thresholds included), scores them with the
# compiled Chengwu scheme and compares with the independent Python oracle
# (tests/chengwu/oracle.py) exactly: every score and total equal as exact
# decimals (no tolerance), every rank the competition rank of the exact
# total. Then the same with counties of a million residents or more: each
# must be reported by id for info_collection and written incomplete, its
# other indicators equal to the oracle's; with --strict nothing is written.
set -eu
rubric=$1 src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
scheme=$src/examples/chengwu/chengwu_2022.rubric
py=${PYTHON:-python3}
$py "$src/tests/chengwu/gen_data.py" --counties 3000 --seed 2022 --out "$work"
$py "$src/tests/chengwu/oracle.py" "$work/entities.csv" "$work/periods.csv" > "$work/expected.csv"
"$rubric" score "$scheme" --entities "$work/entities.csv" --periods "$work/periods.csv" -o "$work/actual.csv"
$py "$src/tests/chengwu/compare.py" "$work/expected.csv" "$work/actual.csv"

mkdir "$work/large"
$py "$src/tests/chengwu/gen_data.py" --counties 200 --seed 7 --with-large 5 --out "$work/large"
# --strict: all or nothing
set +e
"$rubric" score "$scheme" --entities "$work/large/entities.csv" --periods "$work/large/periods.csv" \
  -o "$work/large/strict.csv" --strict 2> /dev/null
status=$?
set -e
[ $status -eq 1 ] || { echo "FAIL: --strict: expected exit 1 for counties of a million or more, got $status"; exit 1; }
[ ! -e "$work/large/strict.csv" ] || { echo "FAIL: --strict wrote an output file"; exit 1; }
# By default the large counties are written incomplete (exit 3), every
# other indicator of theirs scored, compared with the oracle's like the rest.
set +e
"$rubric" score "$scheme" --entities "$work/large/entities.csv" --periods "$work/large/periods.csv" \
  -o "$work/large/out.csv" 2> "$work/large/stderr"
status=$?
set -e
[ $status -eq 3 ] || { echo "FAIL: expected exit 3 for counties of a million or more, got $status"; exit 1; }
$py "$src/tests/chengwu/oracle.py" "$work/large/entities.csv" "$work/large/periods.csv" > "$work/large/expected.csv"
$py "$src/tests/chengwu/compare.py" "$work/large/expected.csv" "$work/large/out.csv"
# Every county the oracle marks as undefined is named, and no other.
expected_ids=$($py -c '
import csv, sys
for r in csv.DictReader(open(sys.argv[1])):
    if int(r["population"]) >= 1000000: print(r["id"])' "$work/large/entities.csv" | sort)
reported=$(grep -o "entity [0-9]* ([^)]*): indicator info_collection: the scheme leaves this case undefined" \
  "$work/large/stderr" | awk '{print $2}' | sort)
[ "$(echo "$expected_ids" | wc -l)" -eq 5 ] || { echo "FAIL: the generator made no 5 large counties"; exit 1; }
if [ "$expected_ids" != "$reported" ]; then
  echo "FAIL: counties reported for info_collection differ"; echo "expected: $expected_ids"; echo "reported: $reported"
  cat "$work/large/stderr"; exit 1
fi
echo "large counties reported: $(echo $reported)"
