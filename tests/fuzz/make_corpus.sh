#!/usr/bin/env bash
# make_corpus.sh: (re)writes the seed inputs of the kept corpora from the
# project's own files; inputs merged in by `tools/fuzz.sh --keep` (named by
# their SHA-1) are left alone. Run from anywhere; review with git status.
#   corpus/check/  every scheme of examples/, tests/corpus/, tests/e2e/check/,
#                  tests/lang/, plus a few with a "#!FLAGS" first line (JSON,
#                  SARIF, Chinese, quiet: fuzz_check.c)
#   corpus/score/  the example tables in fuzz_score's format: one byte for the
#                  scheme, then entities, "----", periods, "----", parents
#   corpus/test/   small schemes with example blocks
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
out=$src/tests/fuzz/corpus
mkdir -p "$out/check" "$out/score" "$out/test"
rm -f "$out"/check/seed_* "$out"/score/seed_* "$out"/test/seed_*

# --- check: scheme text as it is
for f in "$src"/examples/*/*.rubric; do cp "$f" "$out/check/seed_examples_$(basename "$f")"; done
for f in "$src"/tests/corpus/*.rubric; do cp "$f" "$out/check/seed_corpus_$(basename "$f")"; done
for f in "$src"/tests/e2e/check/*.rubric; do cp "$f" "$out/check/seed_e2e_$(basename "$f")"; done
for f in "$src"/tests/lang/*.rubric; do cp "$f" "$out/check/seed_lang_$(basename "$f")"; done
cp "$src/tests/e2e/data/mini.rubric" "$out/check/seed_e2e_data_mini.rubric"
cp "$src/tests/e2e/parents/county.rubric" "$out/check/seed_e2e_parents_county.rubric"
# the diagnostics in other forms: "#!FLAGS" on the first line (a comment)
flagged() { # FLAGS NAME SOURCE
  { printf '#!%s\n' "$1"; cat "$3"; } > "$out/check/seed_flags_$2"
}
flagged j json_011.rubric "$src/tests/corpus/011_typo_input_name.rubric"
flagged s sarif_030.rubric "$src/tests/corpus/030_chengwu_total_99_8.rubric"
flagged z zh_038.rubric "$src/tests/corpus/038_swapped_thresholds.rubric"
flagged zq zhquiet_053.rubric "$src/tests/corpus/053_same_title_twice.rubric"
flagged sz sarifzh_010.rubric "$src/tests/corpus/010_missing_brace.rubric"
flagged j1 json1_chengwu.rubric "$src/examples/chengwu/chengwu_2022.rubric"

# --- score: fuzz_score.c's format. The scheme numbers are the order of its
# `seeds` list: 0 chengwu_2022, 1 gaoqing_2021_sharing, 2 gaoqing_2021_firms,
# 3 linyi_2019, 4 pingyin_towns, 5 pingyin_departments, 6 rushan_2022,
# 7 rushan_2022_towns, 8 mini, 9 towns (county.rubric), 10 depts, 11 县直部门
# (records.rubric: entities, "----", "----", then 处罚, 许可, the calendar); N = 12.
table() { # FILE: its text, ending with a line break
  cat "$1"
  [ -z "$(tail -c1 "$1")" ] || printf '\n'
}
score() { # NAME BYTE ENTITIES [PERIODS [PARENTS]]
  local name=$1 byte=$2
  shift 2
  {
    printf "\\$(printf '%03o' "$byte")"
    table "$1"
    shift
    for t in "$@"; do
      printf -- '----\n'
      [ "$t" = - ] || table "$t"
    done
  } > "$out/score/seed_$name"
}
ex=$src/examples data=$src/tests/e2e/data par=$src/tests/e2e/parents
score chengwu 0 "$ex/chengwu/heze_counties.csv" "$ex/chengwu/heze_months.csv"
score chengwu_all 0 "$ex/chengwu/heze_counties_all.csv" "$ex/chengwu/heze_months_all.csv"
score gaoqing_sharing 1 "$ex/gaoqing/departments.csv"
score gaoqing_firms 2 "$ex/gaoqing/firms.csv"
score linyi 3 "$ex/linyi/linyi_counties.csv" "$ex/linyi/linyi_months.csv"
score pingyin_towns 4 "$ex/pingyin/towns.csv" "$ex/pingyin/towns_months.csv"
score pingyin_departments 5 "$ex/pingyin/departments.csv" "$ex/pingyin/departments_months.csv"
score rushan 6 "$ex/rushan/rushan_city.csv" "$ex/rushan/rushan_years.csv"
score rushan_towns 7 "$ex/rushan/rushan_towns.csv"
# mini: the data-error cases of tests/e2e (tests/e2e/CMakeLists.txt)
for c in missing_column non_numeric duplicate_id empty header_only division_by_zero missing_value \
         negative_count bad_csv; do
  score "mini_$c" 8 "$data/$c.csv" "$data/good_months.csv"
done
for c in orphan_months missing_month bad_months fraction_range; do
  score "mini_$c" 8 "$data/good.csv" "$data/$c.csv"
done
score mini_good 8 "$data/good.csv" "$data/good_months.csv"
score mini_no_periods 8 "$data/good.csv"
score mini_excel 8 "$data/good_excel.csv" "$data/good_excel_months.csv"
score mini_good_decimals2 $((8 + 12 * 3)) "$data/good.csv" "$data/good_months.csv"
score mini_bad_json_diags $((8 + 12 * 17)) "$data/non_numeric.csv" "$data/good_months.csv"
# parents from the entities table, and from a parents table
score towns 9 "$par/towns.csv" "$par/towns_months.csv"
score towns_parents 9 "$par/towns_only.csv" "$par/towns_months.csv" "$par/parents.csv"
score depts 10 "$par/depts.csv"
score depts_bad 10 "$par/depts_bad.csv"
# record tables (tests/e2e/records/records.rubric, tables in seeds/records/)
rec=$src/tests/fuzz/seeds/records
score records 11 "$rec/entities.csv" - - "$rec/处罚.csv" "$rec/许可.csv" "$rec/calendar.csv"
score records_json_decimals1 $((11 + 12 * 2 + 12 * 17)) "$rec/entities.csv" - - "$rec/处罚.csv" "$rec/许可.csv" "$rec/calendar.csv"
score records_no_calendar 11 "$rec/entities.csv" - - "$rec/处罚.csv" "$rec/许可.csv"
score records_one_table 11 "$rec/entities.csv" - - "$rec/处罚.csv"
score records_outside_calendar 11 "$rec/entities.csv" - - "$rec/处罚_outside.csv" "$rec/许可.csv" "$rec/calendar.csv"
score records_bad 11 "$rec/entities.csv" - - "$rec/处罚_bad.csv" "$rec/许可.csv" "$rec/calendar.csv"

# --- test: small schemes with examples
for f in "$src"/tests/lang/*.rubric; do cp "$f" "$out/test/seed_lang_$(basename "$f")"; done
awk '/^## A tour/ {tour=1} tour && /^```$/ {n++; if (n == 2) exit; next} tour && n == 1 {print}' \
  "$src/README.md" > "$out/test/seed_readme_tour.rubric"
cp "$src/tests/e2e/check/examples.rubric" "$out/test/seed_e2e_examples.rubric"
cp "$src/tests/e2e/check/example_peers.rubric" "$out/test/seed_e2e_example_peers.rubric"
cp "$src/examples/gaoqing/gaoqing_2021.rubric" "$out/test/seed_gaoqing_2021.rubric"
cp "$src/tests/fuzz/seeds/county_examples.rubric" "$out/test/seed_county_examples.rubric"

du -sb "$out"/check "$out"/score "$out"/test
