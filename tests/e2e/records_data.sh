#!/usr/bin/env bash
# records_data.sh RUBRIC SRC_DIR RUBRIC_REF: record tables (`--records NAME=FILE`,
# spec/data.md#record-tables) end to end. Generated departments, each with any
# number of penalty and licence records (none for some), in a scrambled order,
# over a generated 2024 holiday calendar, are scored by rubric and by the
# reference interpreter (tests/reference/records.c), byte for byte; the bytes do
# not depend on the thread count or on the order of the records. An unknown id,
# a bad date cell, a table counted and not given, a table the scheme does not
# have, and an empty file give located errors and write nothing; a header alone
# counts nothing; a record outside the calendar makes its entity incomplete, the
# same entity and rule as the reference interpreter's.
set -u
rubric=$(realpath "$1") src=$(realpath "$2") ref=$(realpath "$3")
py=${PYTHON:-python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
die() { echo "FAIL: $*"; fail=1; }
scheme=$src/tests/e2e/records/records.rubric
cd "$work"

# entities.csv, calendar.csv, 处罚.csv (~30000 rows), 许可.csv (~9000 rows)
"$py" - <<'PY' || { echo "FAIL: cannot generate the data"; exit 1; }
import datetime, random
rnd = random.Random(20241)
n = 1500
with open("entities.csv", "w", encoding="utf-8") as f:
    f.write("id,name,人数\n")  # the reference interpreter finds an entity input by its id
    for i in range(n):
        f.write(f"{3702000 + i},部门{i},{rnd.randint(1, 40)}\n")
# 2024: 元旦, 春节 (2-10 .. 2-17 off, 2-4 and 2-18 worked), 清明, 劳动节, 国庆
off = ["2024-01-01"] + [f"2024-02-{d}" for d in range(10, 18)] + ["2024-04-04", "2024-04-05", "2024-05-01",
       "2024-05-02", "2024-05-03"] + [f"2024-10-0{d}" for d in range(1, 8)]
on = ["2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-29", "2024-10-12"]
rows = [(d, "休") for d in off] + [(d, "班") for d in on]
rnd.shuffle(rows)
with open("calendar.csv", "w", encoding="utf-8") as f:
    f.write("date,kind\n" + "".join(f"{d},{k}\n" for d, k in rows))
first = datetime.date(2024, 1, 1)
def day(k):
    d = first + datetime.timedelta(days=k)
    return rnd.choice([d.isoformat(), f"{d.year}/{d.month}/{d.day}", f"{d.year}年{d.month}月{d.day}日"])
recs = []
for i in range(n):
    if i % 11 == 0:
        continue  # no records
    for _ in range(rnd.randint(0, 40)):
        a = rnd.randint(0, 330)
        recs.append(f"{3702000 + i},{day(a)},{day(a + rnd.choice([0, 0, 1, 3, 8, 9, 12, 20]))}\n")
rnd.shuffle(recs)
with open("处罚.csv", "w", encoding="utf-8") as f:
    f.write("id,作出决定日期,公示日期\n" + "".join(recs))
lic = []
for i in range(n):
    for _ in range(rnd.choice([0, 0, 1, 2, 5, 12])):
        said = rnd.choice(["是", "否", "yes", "no", "1", "0"])
        fee = rnd.choice(["0", "500", "1000", "1000.01", '"3,000"', "12.5"])
        lic.append(f" {3702000 + i} ,{said},{fee}\n")
rnd.shuffle(lic)
with open("许可.csv", "w", encoding="utf-8") as f:
    f.write("id,是否公开,收费金额(元)\n" + "".join(lic))
PY

tables=(--entities entities.csv --calendar calendar.csv --records 处罚=处罚.csv --records 许可=许可.csv)
"$rubric" test --calendar calendar.csv "$scheme" > test.out || die "the scheme's examples fail: $(cat test.out)"
# examples give the counts: workdays only in a count's condition needs no calendar there
"$rubric" test "$scheme" > test.out 2>&1 || die "the scheme's examples need a calendar: $(cat test.out)"

# 1. rubric and the reference interpreter: the same bytes
RUBRIC_THREADS=1 "$rubric" score "$scheme" "${tables[@]}" -o out.1.csv || die "scoring failed"
"$ref" "$scheme" "${tables[@]}" -o ref.csv || die "rubric-ref failed"
cmp -s out.1.csv ref.csv && echo "ok: the reference interpreter writes the same bytes" \
  || die "rubric-ref differs: $(diff out.1.csv ref.csv | head -5)"
"$py" - out.1.csv <<'PY' || fail=1
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
late = sum(r["公示时效"] not in ("10",) for r in rows)
none = sum(r["当日公示"] == "10" and r["人均"] == "0" for r in rows)
if len(rows) != 1500 or late < 300 or none < 50:
    print("FAIL: the generated data does not exercise every case:", len(rows), late, none)
    sys.exit(1)
print(f"ok: {len(rows)} departments ({late} with late publications, {none} with no records)")
PY

# 2. the same bytes whatever the threads and the order of the records
RUBRIC_THREADS=2 "$rubric" score "$scheme" "${tables[@]}" -o out.2.csv || die "scoring with 2 threads failed"
cmp -s out.1.csv out.2.csv || die "2 threads differ from 1"
for t in 处罚 许可; do { head -1 $t.csv; tail -n +2 $t.csv | tac; } > rev.$t.csv; done
RUBRIC_THREADS=2 "$rubric" score "$scheme" --entities entities.csv --calendar calendar.csv --records 处罚=rev.处罚.csv \
  --records 许可=rev.许可.csv -o out.r.csv || die "scoring reversed records failed"
cmp -s out.1.csv out.r.csv || die "reversing the records changed the scores"
echo "ok: 1 and 2 threads, and the records reversed, agree"

# 3. errors: located, and nothing written
. "$src/tests/common/expect_score.sh" # expect NAME STATUS PATTERN ARGS...
base=(--entities entities.csv --calendar calendar.csv --records 许可=许可.csv)
{ head -3 处罚.csv; echo "3709999,2024-03-01,2024-03-02"; } > unknown.csv
expect "unknown id" 1 "unknown.csv:4: error[R1108]: id '3709999' has no row in entities.csv" "${base[@]}" --records 处罚=unknown.csv
{ head -2 处罚.csv; echo "3702001,2024-02-30,2024-03-02"; } > baddate.csv
expect "bad date" 1 "baddate.csv:3: error[R1104]: entity '3702001', column '决定日期': '2024-02-30' is no day of the calendar" \
  "${base[@]}" --records 处罚=baddate.csv
expect "table not given" 1 "error[R1111]: scheme '县直部门' counts the records of '处罚': give their table with --records 处罚=FILE" \
  "${base[@]}"
expect "no such table" 1 "处罚.csv: error[R1111]: scheme '县直部门' has no record table '罚款'; this table is not used" \
  "${base[@]}" --records 处罚=处罚.csv --records 罚款=处罚.csv
: > zero.csv
expect "empty file" 1 "zero.csv: error[R1102]" "${base[@]}" --records 处罚=zero.csv
expect "no '='" 2 "--records takes NAME=FILE" "${base[@]}" --records 处罚.csv
expect "unreadable" 2 "nosuch.csv" "${base[@]}" --records 处罚=nosuch.csv

# a header alone: no records, every count 0, as the reference interpreter counts
head -1 处罚.csv > header.csv
"$rubric" score "$scheme" "${base[@]}" --records 处罚=header.csv -o out.h.csv || die "a header alone failed"
"$ref" "$scheme" "${base[@]}" --records 处罚=header.csv -o ref.h.csv || die "rubric-ref on a header alone failed"
cmp -s out.h.csv ref.h.csv || die "a header alone: rubric-ref differs: $(diff out.h.csv ref.h.csv | head -5)"
[ "$(cut -d, -f5 out.h.csv | sort -u | tr '\n' ' ')" = "10 公示时效 " ] || die "a header alone: not every 公示时效 is 10"

# a record outside the calendar: its entity incomplete, the same rule and place as the reference interpreter's
{ cat 处罚.csv; echo "3702001,2023-12-29,2024-01-03"; } > outside.csv
"$rubric" score "$scheme" "${base[@]}" --records 处罚=outside.csv -o out.o.csv 2> msg.txt
s=$?
[ "$s" -eq 3 ] || die "a record outside the calendar: exit status $s, not 3: $(cat msg.txt)"
line=$(wc -l < outside.csv)
grep -qF "error[R1181]: entity 3702001 (部门1): indicator 公示时效: outside.csv:$line: record of entity '3702001' in 处罚:" msg.txt \
  || die "a record outside the calendar: not named: $(cat msg.txt)"
grep -q "^3702001,部门1,,,.*,incomplete," out.o.csv || die "a record outside the calendar: not incomplete: $(grep ^3702001, out.o.csv)"
"$ref" "$scheme" "${base[@]}" --records 处罚=outside.csv -o ref.o.csv > ref.fail.txt
[ $? -eq 1 ] || die "rubric-ref: a record outside the calendar does not fail"
want=$(sed -n 's/^error\[\(R[0-9]*\)\]: entity \([0-9]*\) ([^)]*): indicator \([^:]*\): .*(\(records.rubric:[0-9:]*\))$/\2 \3 \1 \4/p' \
  <(sed 's/^[^ ]* //; s|(/.*/records.rubric|(records.rubric|' msg.txt))
got=$(awk -F'\t' '{ sub(".*/", "", $5); print $2, substr($3, 11), $4, $5 }' ref.fail.txt)
[ -n "$want" ] && [ "$want" = "$got" ] || die "a record outside the calendar: rubric says '$want', rubric-ref '$got'"
echo "ok: errors located, nothing written; a header alone counts nothing; a record outside the calendar fails its entity"

# --partial-data: a bad record cell makes its entity incomplete, the cell named; the others are scored
"$rubric" score "$scheme" "${base[@]}" --records 处罚=baddate.csv --partial-data -o out.p.csv 2> msg.txt
s=$?
[ "$s" -eq 3 ] || die "--partial-data: exit status $s, not 3: $(cat msg.txt)"
grep -qF "error[R1104]: entity 3702001 (部门1): indicator 公示时效: baddate.csv:3: entity '3702001', column '决定日期': '2024-02-30' is no day of the calendar" msg.txt \
  || die "--partial-data: the bad cell is not named: $(cat msg.txt)"
[ "$(grep -c ',incomplete,' out.p.csv)" -eq 1 ] || die "--partial-data: not exactly one entity incomplete"

# explain and report take the record tables too
"$rubric" explain "$scheme" "${tables[@]}" --id 3702001 > explain.txt 2>&1 || die "explain failed: $(cat explain.txt)"
grep -qF "count(处罚 where workdays(决定日期, 公示日期) > 7)" explain.txt || die "explain does not show the count: $(cat explain.txt)"
"$rubric" report "$scheme" "${tables[@]}" -o report.html 2> msg.txt || die "report failed: $(cat msg.txt)"
echo "ok: --partial-data, explain and report"

[ "$fail" -eq 0 ] && echo "records: all passed"
exit "$fail"
