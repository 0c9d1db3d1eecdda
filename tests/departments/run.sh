#!/usr/bin/env bash
# run.sh RUBRIC SRC_DIR
# The departments example (examples/departments/departments_2024.rubric: labels,
# assessed points, bonus and deduction sections, a requirement, an open case)
# against its independent oracle (tests/departments/oracle.py):
#   1. check --werror and the example blocks;
#   2. the example data, then 3000 generated departments, scores equal to the
#      oracle's exactly (reasons apart), in the file's order and reversed;
#   3. each incomplete department's reason: the open case or the requirement.
set -u
rubric=$1 src=$2
py=${PYTHON:-python3}
here=$src/tests/departments
ex=$src/examples/departments
scheme=$ex/departments_2024.rubric
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$src/tests/common/steps.sh"

# the reasons name source locations: checked apart, then left out of the comparison
reasons() {
  "$py" - "$1" "$2" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
head = rows[0]
bad = 0
if "reason" in head:
    k, s = head.index("reason"), head.index("status")
    for row in rows[1:]:
        why = row[k]
        if row[s] == "incomplete" and "细则未规定无归集数据时如何计分" not in why and "合规条数不能超过归集条数" not in why:
            print("unexpected reason for", row[0], why)
            bad += 1
        if row[s] == "ok" and why:
            print("a reason for a complete row", row[0])
            bad += 1
        row[k] = ""
csv.writer(open(sys.argv[2], "w", encoding="utf-8", newline=""), lineterminator="\n").writerows(rows)
sys.exit(1 if bad else 0)
PY
}
compare() { "$py" "$src/tests/common/compare.py" "$1" "$2" --key id --text name,等次,status,reason; }

step "check --werror" "$rubric" check --werror "$scheme"
step "test" "$rubric" test "$scheme"

"$rubric" score "$scheme" --entities "$ex/departments.csv" -o "$work/example.csv" 2> "$work/example.err"
status=$?
step "example data: exit 3 (two incomplete)" test "$status" = 3
step "example reasons" reasons "$work/example.csv" "$work/example.cmp.csv"
"$py" "$here/oracle.py" "$ex/departments.csv" > "$work/example.expected.csv"
step "example data = oracle" compare "$work/example.expected.csv" "$work/example.cmp.csv"

"$py" "$here/gen_data.py" 3000 2024 > "$work/gen.csv"
"$py" "$here/oracle.py" "$work/gen.csv" > "$work/gen.expected.csv"
"$rubric" score "$scheme" --entities "$work/gen.csv" -o "$work/gen.out.csv" 2> /dev/null
step "generated reasons" reasons "$work/gen.out.csv" "$work/gen.cmp.csv"
step "generated = oracle" compare "$work/gen.expected.csv" "$work/gen.cmp.csv"
{ head -1 "$work/gen.csv"; tail -n +2 "$work/gen.csv" | tac; } > "$work/rev.csv"
"$rubric" score "$scheme" --entities "$work/rev.csv" -o "$work/rev.out.csv" 2> /dev/null
reversed_same() {
  "$py" - "$work/gen.out.csv" "$work/rev.out.csv" <<'PY'
import csv, sys
a = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
b = list(csv.reader(open(sys.argv[2], encoding="utf-8")))
sys.exit(0 if a[0] == b[0] and sorted(a[1:]) == sorted(b[1:]) else 1)
PY
}
step "rows reversed: the same rows" reversed_same

echo "departments: $failures failures"
[ $failures -eq 0 ]
