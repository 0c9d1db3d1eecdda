#!/usr/bin/env bash
# pins.sh RUBRIC SRC_DIR: the seed schemes' outputs, pinned byte for byte.
#
# Restructuring the compiler or the runtime must not change a single byte of
# what the tool writes for the seeds: `check --format=json|sarif` and
# `--ranges`, `test`, and `score` (CSV and JSON) on each seed's example data
# are compared with the files in tests/pins/seeds/; `score` on generated data
# (thousands of rows, tests/<seed>/gen_data.py) with the SHA-256 sums in
# tests/pins/generated.sha256. UPDATE_PINS=1 rewrites both: do that only in a
# commit that means to change the output, and say why in its message.
set -u
rubric=$1 src=$2
py=${PYTHON:-python3}
pins=$src/tests/pins
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$src"   # paths in the outputs are relative to the project root
fail=0
mkdir -p "$work/seeds"

# run NAME COMMAND...: stdout to NAME, stderr and the exit status appended to NAME.err
run() {
  local name=$1; shift
  "$@" > "$work/seeds/$name" 2> "$work/seeds/$name.err"
  echo "exit: $?" >> "$work/seeds/$name.err"
}

ex=examples
for f in chengwu/chengwu_2022 linyi/linyi_2019 pingyin/pingyin_2022 rushan/rushan_2022 gaoqing/gaoqing_2021; do
  seed=${f%%/*}
  run "$seed.check.json" "$rubric" check --format=json "$ex/$f.rubric"
  run "$seed.check.sarif" "$rubric" check --format=sarif "$ex/$f.rubric"
  run "$seed.ranges" "$rubric" check --ranges "$ex/$f.rubric"
  run "$seed.test" "$rubric" test "$ex/$f.rubric"
done
c=$ex/chengwu
run chengwu.csv "$rubric" score $c/chengwu_2022.rubric --entities $c/heze_counties.csv --periods $c/heze_months.csv
run chengwu.json "$rubric" score $c/chengwu_2022.rubric --entities $c/heze_counties.csv --periods $c/heze_months.csv --format json
run chengwu.d4.csv "$rubric" score $c/chengwu_2022.rubric --entities $c/heze_counties.csv --periods $c/heze_months.csv --decimals 4
run chengwu_all.csv "$rubric" score $c/chengwu_2022.rubric --entities $c/heze_counties_all.csv --periods $c/heze_months_all.csv
l=$ex/linyi
run linyi.csv "$rubric" score $l/linyi_2019.rubric --entities $l/linyi_counties.csv --periods $l/linyi_months.csv
run linyi.json "$rubric" score $l/linyi_2019.rubric --entities $l/linyi_counties.csv --periods $l/linyi_months.csv --format json
p=$ex/pingyin
for s in towns departments; do
  run pingyin_$s.csv "$rubric" score $p/pingyin_2022.rubric --scheme pingyin_$s --entities $p/$s.csv --periods $p/${s}_months.csv
  run pingyin_$s.json "$rubric" score $p/pingyin_2022.rubric --scheme pingyin_$s --entities $p/$s.csv --periods $p/${s}_months.csv --format json
done
r=$ex/rushan
run rushan_city.csv "$rubric" score $r/rushan_2022.rubric --scheme rushan_2022 --entities $r/rushan_city.csv --periods $r/rushan_years.csv
run rushan_city.json "$rubric" score $r/rushan_2022.rubric --scheme rushan_2022 --entities $r/rushan_city.csv --periods $r/rushan_years.csv --format json
run rushan_towns.csv "$rubric" score $r/rushan_2022.rubric --scheme rushan_2022_towns --entities $r/rushan_towns.csv
g=$ex/gaoqing
run gaoqing_departments.csv "$rubric" score $g/gaoqing_2021.rubric --scheme gaoqing_2021_sharing --entities $g/departments.csv
run gaoqing_firms.csv "$rubric" score $g/gaoqing_2021.rubric --scheme gaoqing_2021_firms --entities $g/firms.csv
run gaoqing_firms.json "$rubric" score $g/gaoqing_2021.rubric --scheme gaoqing_2021_firms --entities $g/firms.csv --format json

# generated data: thousands of rows on and around every threshold
gen=$work/gen
mkdir -p "$gen"/{chengwu,linyi,pingyin,rushan,gaoqing}
$py tests/chengwu/gen_data.py --counties 3000 --seed 2022 --out "$gen/chengwu" > /dev/null
$py tests/linyi/gen_data.py --counties 300 --seed 2019 --profile mixed --out "$gen/linyi" > /dev/null
$py tests/pingyin/gen_data.py --towns 60 --departments 120 --seed 11 --out "$gen/pingyin" > /dev/null
$py tests/rushan/gen_data.py --cities 1500 --towns 800 --seed 2022 --out "$gen/rushan" > /dev/null
$py tests/gaoqing/gen_data.py --departments 600 --firms 3000 --seed 2021 --out "$gen/gaoqing" > /dev/null
sums=$work/generated.sha256
: > "$sums"
hash() {   # hash LABEL COMMAND...: the sum of what COMMAND prints, and its exit status
  local label=$1; shift
  local out; out=$("$@" 2>/dev/null | sha256sum | cut -d' ' -f1)
  echo "$out  $label" >> "$sums"
}
G=$gen
hash chengwu.csv "$rubric" score $c/chengwu_2022.rubric --entities $G/chengwu/entities.csv --periods $G/chengwu/periods.csv
hash chengwu.json "$rubric" score $c/chengwu_2022.rubric --entities $G/chengwu/entities.csv --periods $G/chengwu/periods.csv --format json
hash linyi.csv "$rubric" score $l/linyi_2019.rubric --entities $G/linyi/entities.csv --periods $G/linyi/periods.csv
hash pingyin_towns.csv "$rubric" score $p/pingyin_2022.rubric --scheme pingyin_towns --entities $G/pingyin/towns.csv --periods $G/pingyin/towns_months.csv
hash pingyin_departments.csv "$rubric" score $p/pingyin_2022.rubric --scheme pingyin_departments --entities $G/pingyin/departments.csv --periods $G/pingyin/departments_months.csv
hash rushan_city.csv "$rubric" score $r/rushan_2022.rubric --scheme rushan_2022 --entities $G/rushan/city.csv --periods $G/rushan/years.csv
hash rushan_towns.csv "$rubric" score $r/rushan_2022.rubric --scheme rushan_2022_towns --entities $G/rushan/towns.csv
hash gaoqing_departments.csv "$rubric" score $g/gaoqing_2021.rubric --scheme gaoqing_2021_sharing --entities $G/gaoqing/departments.csv
hash gaoqing_firms.csv "$rubric" score $g/gaoqing_2021.rubric --scheme gaoqing_2021_firms --entities $G/gaoqing/firms.csv
# the broken schemes of tests/corpus: every diagnostic, as JSON and SARIF
hash corpus.check.json "$rubric" check --format=json tests/corpus/*.rubric
hash corpus.check.sarif "$rubric" check --format=sarif tests/corpus/*.rubric
hash e2e_check.json "$rubric" check --format=json tests/e2e/check/*.rubric

if [ "${UPDATE_PINS:-}" = 1 ]; then
  rm -rf "$pins/seeds"; cp -r "$work/seeds" "$pins/seeds"; cp "$sums" "$pins/generated.sha256"
  echo "pins rewritten"; exit 0
fi
for f in "$work"/seeds/*; do
  name=$(basename "$f")
  if ! cmp -s "$f" "$pins/seeds/$name"; then
    echo "FAIL: $name differs from tests/pins/seeds/$name"; diff -u "$pins/seeds/$name" "$f" | head -20; fail=1
  fi
done
n=$(ls "$work/seeds" | wc -l); m=$(ls "$pins/seeds" | wc -l)
[ "$n" = "$m" ] || { echo "FAIL: $n outputs made, $m pinned"; fail=1; }
if ! diff -u "$pins/generated.sha256" "$sums"; then echo "FAIL: scores on generated data changed"; fail=1; fi
[ $fail = 0 ] && echo "pins: $n seed outputs and $(wc -l < "$sums") generated score tables unchanged"
exit $fail
