#!/usr/bin/env bash
# records_oracle.sh RUBRIC SRC_DIR: record tables (spec/semantics.md#records) end to end.
# A generated holiday calendar for 2024-2025 (调休 Saturdays and Sundays, rows in
# any order, dates written three ways), 500 generated departments with 0 to 12
# penalty decisions each (a table of their own, rows shuffled, repeated ids) are
# scored with --records 处罚=decisions.csv, and the scores table is compared byte
# for byte with an independent oracle written from the document's words, with
# its own day-by-day working-day count (records_oracle/oracle.py). The bytes do not
# depend on the threads or the order of the records. Then the data errors: a
# table not given or given for no table (R1111), a record of no entity (R1108),
# bad and empty cells (R1104, R1106; with --partial-data an incomplete entity),
# a record's date the calendar does not cover (R1181, the entity incomplete).
set -u
rubric=$(realpath "$1") src=$(realpath "$2")
py=${PYTHON:-python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$src/tests/common/steps.sh"
scheme=$src/tests/e2e/records_oracle/records.rubric
oracle=$src/tests/e2e/records_oracle/oracle.py
cd "$work"

"$py" "$oracle" gen "$work" 500 24 || { echo "FAIL: cannot generate the data"; exit 1; }
step "check --werror" "$rubric" check --werror "$scheme"
step "test --calendar" "$rubric" test --calendar calendar.csv "$scheme"

# 1. every department's scores, byte for byte the oracle's
"$py" "$oracle" score calendar.csv depts.csv decisions.csv > want.csv
RUBRIC_THREADS=1 "$rubric" score "$scheme" --entities depts.csv --records 处罚=decisions.csv --calendar calendar.csv \
  -o out.csv 2> out.err
step "score: exit 0" test $? = 0
step "scores = oracle (bytes)" cmp want.csv out.csv
exercised() {
  "$py" - want.csv <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
timely = {r["公示时效"] for r in rows}
none = sum(r["公示数量"] == "0" for r in rows)
floor = sum(r["严重超期"] == "0" for r in rows)
print(len(rows), "departments;", none, "without decisions;", len(timely), "values of 公示时效;", floor, "at 0 for 严重超期")
sys.exit(0 if len(rows) == 500 and none >= 20 and len(timely) >= 6 and floor >= 5 else 1)
PY
}
step "the data exercises every case" exercised

# 2. the same bytes whatever the threads and the order of the records
{ head -1 decisions.csv; tail -n +2 decisions.csv | tac; } > reversed.csv
RUBRIC_THREADS=3 "$rubric" score "$scheme" --entities depts.csv --records 处罚=reversed.csv --calendar calendar.csv \
  -o out.rev.csv 2> /dev/null
step "reversed records, three threads: the same bytes" cmp out.csv out.rev.csv

# 3. explain shows a count among the inputs, named by its text
first=$(tail -n +2 want.csv | grep -v ',10,5,0$' | head -1 | cut -d, -f1)
"$rubric" explain "$scheme" --entities depts.csv --records 处罚=decisions.csv --calendar calendar.csv --id "$first" \
  > explain.txt 2>&1
step "explain names the count by its text" grep -qF "count(处罚 where workdays(决定日期, 公示日期) > 7)" explain.txt

# 4. the table not given, or given for no table: R1111, nothing written
"$rubric" score "$scheme" --entities depts.csv --calendar calendar.csv -o none.csv 2> none.err
rc=$?
refused() { test "$rc" != 0 && grep -q "R1111" "$1" && test ! -e "$2"; }
step "no --records: R1111, nothing written" refused none.err none.csv
"$rubric" score "$scheme" --entities depts.csv --records 处罚=decisions.csv --records 奖励=decisions.csv \
  --calendar calendar.csv -o extra.csv 2> extra.err
rc=$?
step "--records for no table: R1111, nothing written" refused extra.err extra.csv

# 5. a record of no department: R1108 at its line
{ cat decisions.csv; echo "Z9999,2024-03-01,2024-03-05,简易程序"; } > stray.csv
line=$(wc -l < stray.csv)
"$rubric" score "$scheme" --entities depts.csv --records 处罚=stray.csv --calendar calendar.csv -o stray.out 2> stray.err
rc=$?
stray() { test "$rc" = 1 && grep -q "stray.csv:$line: error\[R1108\]" stray.err && test ! -e stray.out; }
step "a record of no department: R1108 at stray.csv:$line" stray

# 6. a bad cell and an empty cell: located errors; with --partial-data the department is incomplete
"$py" - decisions.csv bad.csv <<'PY'
import sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
lines[5] = ",".join(lines[5].split(",")[:1] + ["2024-02-30"] + lines[5].split(",")[2:])
lines[9] = ",".join(lines[9].split(",")[:2] + [""] + lines[9].split(",")[3:])
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(lines) + "\n")
PY
bad1=$(sed -n 6p bad.csv | cut -d, -f1) bad2=$(sed -n 10p bad.csv | cut -d, -f1)
"$rubric" score "$scheme" --entities depts.csv --records 处罚=bad.csv --calendar calendar.csv -o bad.out 2> bad.err
rc=$?
badcells() {
  test "$rc" = 1 && test ! -e bad.out && grep -q "bad.csv:6: error\[R1104\]: entity '$bad1'" bad.err \
    && grep -q "bad.csv:10: error\[R1106\]: entity '$bad2'" bad.err
}
step "bad cells: R1104 and R1106 at their lines, nothing written" badcells
"$rubric" score "$scheme" --entities depts.csv --records 处罚=bad.csv --calendar calendar.csv --partial-data \
  -o partial.csv 2> partial.err
prc=$?
partial() {
  test "$prc" = 3 || { echo "exit status $prc, not 3"; return 1; }
  "$py" - want.csv partial.csv "$bad1" "$bad2" <<'PY'
import csv, sys
want = {r["id"]: r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))}
got = {r["id"]: r for r in csv.DictReader(open(sys.argv[2], encoding="utf-8"))}
bad = set(sys.argv[3:])
assert set(got) == set(want), "not every department is written"
for i, r in got.items():
    if i in bad:
        assert r["status"] == "incomplete" and r["total"] == "", (i, r)
    else:
        assert r["status"] == "ok", (i, r)
        for k in ("公示时效", "严重超期", "公示数量"):
            assert r[k] == want[i][k], (i, k, r[k], want[i][k])
print("ok")
PY
}
step "--partial-data: exit 3, the two departments incomplete, the others the oracle's" partial

# 7. a record's date the calendar does not cover: R1181, its department incomplete
{ cat decisions.csv; echo "Z0001,2023-12-28,2024-01-03,简易程序"; } > old.csv
line=$(wc -l < old.csv)
"$rubric" score "$scheme" --entities depts.csv --records 处罚=old.csv --calendar calendar.csv -o old.out 2> old.err
rc=$?
outside() {
  test "$rc" = 3 && grep -q "R1181" old.err && grep -q "old.csv:$line" old.err \
    && grep -q "^Z0001,.*,incomplete," old.out && test "$(grep -c ',incomplete,' old.out)" = 1
}
step "a date outside the calendar: R1181 naming old.csv:$line, Z0001 incomplete" outside

echo "records (oracle): $failures failures"
[ $failures -eq 0 ]
