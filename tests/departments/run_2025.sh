#!/usr/bin/env bash
# run_2025.sh RUBRIC SRC_DIR
# The 2025 departments scheme (examples/departments/departments_2025.rubric),
# which uses issue 15's shapes together: it extends the 2024 scheme, gives
# each kind of department its own indicator, ranks a sum of peer-relative
# ratios (staged statistics), grades with a veto, and counts each
# department's decisions published late, in working days over the 2025
# holiday calendar (a record table, --records 处罚=FILE). Against its
# independent oracle
# (tests/departments/oracle_2025.py):
#   1. check --werror and the example blocks (with the calendar);
#   2. the example data, then 600 generated departments (and their
#      decisions): the scores table byte for byte the oracle's; reversed
#      rows and records, and one thread, the same;
#   3. the reference interpreter agrees; explain names the veto; without
#      the calendar the run is refused and writes nothing.
set -u
rubric=$1 src=$2
py=${PYTHON:-python3}
here=$src/tests/departments
ex=$src/examples/departments
scheme=$ex/departments_2025.rubric
cal=$ex/calendar_2025.csv
dec=$ex/decisions_2025.csv
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$src/tests/common/steps.sh"

step "check --werror" "$rubric" check --werror "$scheme"
step "test --calendar" "$rubric" test --calendar "$cal" "$scheme"

"$py" "$here/oracle_2025.py" "$ex/departments_2025.csv" "$dec" "$cal" > "$work/example.expected.csv"
"$rubric" score "$scheme" --entities "$ex/departments_2025.csv" --records 处罚="$dec" --calendar "$cal" -o "$work/example.csv" 2> "$work/example.err"
step "example data: exit 0" test $? = 0
step "example data = oracle (bytes)" cmp "$work/example.expected.csv" "$work/example.csv"

"$py" "$here/gen_data_2025.py" 600 2025 "$work/gen.dec.csv" > "$work/gen.csv"
"$py" "$here/oracle_2025.py" "$work/gen.csv" "$work/gen.dec.csv" "$cal" > "$work/gen.expected.csv"
"$rubric" score "$scheme" --entities "$work/gen.csv" --records 处罚="$work/gen.dec.csv" --calendar "$cal" -o "$work/gen.out.csv" 2> "$work/gen.err"
step "generated: exit 0" test $? = 0
step "generated = oracle (bytes)" cmp "$work/gen.expected.csv" "$work/gen.out.csv"
kinds() { grep -q ',执法部门,' "$work/gen.csv" && grep -q ',服务部门,' "$work/gen.csv" && grep -q ',优秀,' "$work/gen.out.csv" && grep -q ',取消年度评先评优资格,' "$work/gen.out.csv"; }
step "generated: both kinds, 优秀 and vetoed rows" kinds

{ head -1 "$work/gen.csv"; tail -n +2 "$work/gen.csv" | tac; } > "$work/rev.csv"
{ head -1 "$work/gen.dec.csv"; tail -n +2 "$work/gen.dec.csv" | tac; } > "$work/rev.dec.csv"
"$rubric" score "$scheme" --entities "$work/rev.csv" --records 处罚="$work/rev.dec.csv" --calendar "$cal" --sort rank \
  -o "$work/rev.out.csv" 2> /dev/null
RUBRIC_THREADS=1 "$rubric" score "$scheme" --entities "$work/gen.csv" --records 处罚="$work/gen.dec.csv" --calendar "$cal" \
  --sort rank -o "$work/one.out.csv" 2> /dev/null
step "reversed rows and records, one thread: the same bytes" cmp "$work/rev.out.csv" "$work/one.out.csv"

ref=$(dirname "$rubric")/../tests/reference/rubric-ref
if [ -x "$ref" ]; then
  # the reference interpreter reads columns headed by the inputs' names, not their titles
  "$py" - "$scheme" "$work/gen.csv" "$work/gen_ids.csv" <<'PY'
import csv, re, sys, os
titles = {}
for path in (sys.argv[1], os.path.join(os.path.dirname(sys.argv[1]), "departments_2024.rubric")):
    for name, title in re.findall(r'^\s*input (\S+?):.*"([^"]+)"\s*$', open(path, encoding="utf-8").read(), re.M):
        titles.setdefault(title, name)
rows = list(csv.reader(open(sys.argv[2], encoding="utf-8")))
rows[0] = [titles.get(h, h) for h in rows[0]]
csv.writer(open(sys.argv[3], "w", encoding="utf-8", newline=""), lineterminator="\n").writerows(rows)
PY
  "$ref" "$scheme" --entities "$work/gen_ids.csv" --records 处罚="$work/gen.dec.csv" --calendar "$cal" -o "$work/ref.csv" 2> "$work/ref.err"
  step "reference interpreter = rubric" cmp "$work/ref.csv" "$work/gen.out.csv"
fi

"$rubric" explain "$scheme" --entities "$ex/departments_2025.csv" --records 处罚="$dec" --calendar "$cal" --id D04 > "$work/d04.txt" 2>&1
step "explain: the veto decides D04's grade" grep -q "考核等次: 不合格 (否决 = yes)" "$work/d04.txt"
"$rubric" explain "$scheme" --entities "$ex/departments_2025.csv" --records 处罚="$dec" --calendar "$cal" --id D02 > "$work/d02.txt" 2>&1
step "explain: D02's next tier names its label (B级), not its index" grep -q "if A级 (纳税等级 is now B级)" "$work/d02.txt"
step "explain: D02's count of late decisions is 2" grep -q "count(处罚 where workdays(决定日期, 公示日期) > 7) = 2" "$work/d02.txt"

"$rubric" score "$scheme" --entities "$ex/departments_2025.csv" --records 处罚="$dec" -o "$work/nocal.csv" 2> "$work/nocal.err"
nocal_rc=$?
nocal() { test "$nocal_rc" != 0 && grep -q "R1180" "$work/nocal.err" && test ! -e "$work/nocal.csv"; }
step "no calendar: R1180, nothing written" nocal

echo "departments 2025: $failures failures"
[ $failures -eq 0 ]
