#!/usr/bin/env bash
# dates.sh RUBRIC SRC_DIR [RUBRIC_REF]: dates and working days (spec/semantics.md#dates-and-working-days)
# end to end. A generated 2024-2025 holiday calendar (春节, 国庆 …, with their
# 调休 Saturdays and Sundays, rows in any order, dates written three ways) and
# 3000 generated entities are scored, and every score is compared with an
# independent oracle written from the documents' words with Python's datetime
# (dates/oracle.py), and with the reference interpreter's bytes (RUBRIC_REF,
# tests/reference/dates.c). The bytes do not depend on the thread count or the order
# of the rows. Bad calendars and bad date cells give located errors and no
# output file; a date the calendar does not cover makes its entity incomplete.
set -u
rubric=$(realpath "$1") src=$(realpath "$2") ref=${3:+$(realpath "$3")}
py=${PYTHON:-python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
die() { echo "FAIL: $*"; fail=1; }
scheme=$src/tests/e2e/dates/dates.rubric
oracle=$src/tests/e2e/dates/oracle.py
cd "$work"

"$py" "$oracle" gen "$work" 3000 15 || { echo "FAIL: cannot generate the data"; exit 1; }
"$rubric" test --calendar calendar.csv "$scheme" > test.out || die "the scheme's examples fail: $(cat test.out)"

# 1. every entity's scores against the oracle
RUBRIC_THREADS=1 "$rubric" score "$scheme" --entities entities.csv --calendar calendar.csv -o out.1.csv \
  || die "scoring failed"
"$py" "$oracle" score calendar.csv entities.csv > want.csv
"$py" - out.1.csv want.csv <<'PY' || fail=1
import csv, sys
got = {r["id"]: r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))}
want = list(csv.DictReader(open(sys.argv[2], encoding="utf-8")))
bad = [w for w in want if any(got.get(w["id"], {}).get(k) != w[k] for k in ("total", "时效", "迟报"))]
for w in bad[:5]:
    print("FAIL: entity", w["id"], "oracle", dict(w), "rubric", got.get(w["id"]))
if len(got) != len(want) or bad:
    sys.exit(1)
late = sum(w["迟报"] != "0" for w in want)
kinds = {w["时效"] for w in want}
if late < 100 or kinds != {"0", "5", "10"}:
    print("FAIL: the generated data does not exercise every case:", late, kinds)
    sys.exit(1)
print(f"ok: {len(want)} entities agree with the oracle ({late} reported more than 20 working days late)")
PY

# the reference interpreter writes the same bytes
if [ -n "$ref" ]; then
  "$ref" "$scheme" --entities entities.csv --calendar calendar.csv -o ref.csv || die "rubric-ref failed"
  cmp -s out.1.csv ref.csv && echo "ok: the reference interpreter writes the same bytes" \
    || die "rubric-ref differs: $(diff out.1.csv ref.csv | head -5)"
fi

# 2. the same bytes whatever the threads and the order of the rows
for t in 2 3 7; do
  RUBRIC_THREADS=$t "$rubric" score "$scheme" --entities entities.csv --calendar calendar.csv -o out.$t.csv \
    || die "scoring with $t threads failed"
  cmp -s out.1.csv out.$t.csv || die "$t threads differ from 1"
done
{ head -1 entities.csv; tail -n +2 entities.csv | shuf --random-source=<(yes); } > shuffled.csv
"$rubric" score "$scheme" --entities shuffled.csv --calendar calendar.csv -o out.s.csv || die "scoring shuffled rows failed"
cmp -s <(tail -n +2 out.1.csv | sort) <(tail -n +2 out.s.csv | sort) || die "shuffling the rows changed the scores"
echo "ok: 1, 2, 3, 7 threads and shuffled rows agree"

# 3. errors: located, and nothing written
. "$src/tests/common/expect_score.sh" # expect NAME STATUS PATTERN ARGS...
expect "no calendar" 1 "dates.rubric:8:11: error[R1180]: this rule counts working days" --entities entities.csv
expect "unreadable calendar" 2 "nosuch.csv" --entities entities.csv --calendar nosuch.csv
printf 'date,kind\n2024-10-01,休\n2024-02-30,休\n2024-10-08,off\n2024-10-01,班\n' > badcal.csv
expect "bad calendar day" 1 "badcal.csv:3: error[R1180]: '2024-02-30' is no day of the calendar" --entities entities.csv --calendar badcal.csv
expect "bad calendar kind" 1 "badcal.csv:4: error[R1180]: 'off' is not a kind of day" --entities entities.csv --calendar badcal.csv
printf 'date,kind\n2024-10-01,休\n2024-10-01,班\n' > twice.csv
expect "a day twice" 1 "twice.csv:3: error[R1180]: 2024-10-01 is already listed on line 2" --entities entities.csv --calendar twice.csv
printf 'day,kind\n2024-10-01,休\n' > nodate.csv
expect "no date column" 1 "nodate.csv:1: error[R1180]: a holiday calendar has the columns 'date' and 'kind'" --entities entities.csv --calendar nodate.csv
{ head -3 entities.csv; echo 'X1,坏,2024-02-30,2024-03-01'; echo 'X2,坏,2024.3.1,2024-03-01'; } > badcells.csv
expect "no such day" 1 "badcells.csv:4: error[R1104]: entity 'X1', column '决定日期': '2024-02-30' is no day of the calendar" --entities badcells.csv --calendar calendar.csv
expect "not a date" 1 "badcells.csv:5: error[R1104]: entity 'X2', column '决定日期': '2024.3.1' is not a date" --entities badcells.csv --calendar calendar.csv
echo "ok: bad calendars and bad date cells are located errors and write nothing"

# 4. a date the calendar does not cover: that entity is incomplete (exit 3), the others scored
{ head -3 entities.csv; echo 'X3,早,2023-12-29,2024-01-03'; } > early.csv
"$rubric" score "$scheme" --entities early.csv --calendar calendar.csv -o out.csv > msg.txt 2>&1
s=$?
[ "$s" -eq 3 ] || die "outside the calendar: exit status $s, not 3"
grep -qF "early.csv:4: error[R1181]: entity X3 (早): indicator 时效: 'workdays(决定日期, 公示日期)': a date outside the range the holiday calendar covers" msg.txt \
  || die "outside the calendar: $(cat msg.txt)"
grep -q '^X3,早,,,,.*,incomplete,' out.csv || die "outside the calendar: X3 is not incomplete: $(cat out.csv)"
[ "$(grep -c ',ok,' out.csv)" -eq 2 ] || die "outside the calendar: the other entities are not scored"
echo "ok: a date outside the calendar makes its entity incomplete (R1181)"
exit $fail
