#!/usr/bin/env bash
# vetoes.sh RUBRIC ROOT: grades with vetoes (spec/semantics.md#vetoes). The
# scheme of tests/lang/veto_grades.rubric scores 600 generated departments;
# an oracle written from the document's words (below, in Python, not from
# the code) gives each one's total and grades, and the reference
# interpreter agrees; the row order and the thread count change nothing;
# `explain` names the inputs the bands test; a target with a veto is met
# as the document says; a bad veto cell is located.
set -u
rubric=$1 root=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail=0
bad() { echo "FAIL: $*" >&2; fail=1; }
scheme=$root/tests/lang/veto_grades.rubric
python3 - <<'PYEOF'
import random
random.seed(15)
rows = []
for i in range(600):
    # scores near the band edges (59.99, 60, 80, 90) as often as elsewhere
    score = random.choice([random.randint(0, 10000) / 100, 59.99, 60, 79.99, 80, 89.99, 90, 100])
    bonus = random.choice([0, 0, 1.5, 2, 5, random.randint(0, 500) / 100])
    veto = random.choice(["是", "否", "", "yes", "no", "1", "0"])
    acc = random.choice(["0", "0", "0", "1", "3", ""])
    talks = random.choice(["0", "1", "2", "3", ""])
    rows.append(f"D{i:04d},部门{i},{score},{bonus},{veto},{acc},{talks}")
with open("d.csv", "w") as f:
    f.write("id,name,得分,加分,否决,事故,约谈\n" + "\n".join(rows) + "\n")
with open("d_rev.csv", "w") as f:
    f.write("id,name,得分,加分,否决,事故,约谈\n" + "\n".join(reversed(rows)) + "\n")
PYEOF
"$rubric" score "$scheme" --entities d.csv -o out.csv 2> err.txt || bad "score: exit $?: $(cat err.txt)"
# The document: 考核得分 plus the bonus (at most 5) is the total. 发生一票否决事项或
# 重大事故的，直接定为不合格；60 分以下不合格；90 分以上为优秀，但被约谈两次以上的不得
# 评为优秀（定为合格）；其余合格。单项：考核得分 80 分以上且无否决事项的为达标。
python3 - <<'PYEOF' || fail=1
import csv, sys
from decimal import Decimal
yes = {"是": True, "yes": True, "1": True, "否": False, "no": False, "0": False, "": False}
got = {r["id"]: r for r in csv.DictReader(open("out.csv", encoding="utf-8"))}
bad = 0
for r in csv.DictReader(open("d.csv", encoding="utf-8")):
    score, bonus = Decimal(r["得分"]), min(Decimal(r["加分"]), Decimal(5))
    total = score + bonus
    veto, acc, talks = yes[r["否决"]], int(r["事故"] or 0), int(r["约谈"] or 0)
    if veto or acc > 0 or total < 60: grade = "不合格"
    elif total >= 90 and talks < 2: grade = "优秀"
    else: grade = "合格"
    single = "达标" if score >= 80 and not veto else "未达标"
    g = got[r["id"]]
    want = (total, grade, "通报批评" if grade == "不合格" else "", single)
    have = (Decimal(g["total"]), g["等次"], g["等次_treatment"], g["单项"])
    if want != have:
        bad += 1
        if bad < 5: print(f"FAIL: {r['id']}: oracle {want}, rubric {have}", file=sys.stderr)
counts = {}
for g in got.values(): counts[g["等次"]] = counts.get(g["等次"], 0) + 1
# every band is taken by some rows, or the test proves little
if len(counts) != 3 or len(got) != 600: print(f"FAIL: bands {counts}, rows {len(got)}", file=sys.stderr); bad += 1
sys.exit(1 if bad else 0)
PYEOF
"$rubric" score "$scheme" --entities d_rev.csv --sort rank -o rev.csv 2>/dev/null || bad "reversed: exit $?"
RUBRIC_THREADS=1 "$rubric" score "$scheme" --entities d.csv --sort rank -o one.csv 2>/dev/null || bad "one thread: exit $?"
cmp -s rev.csv one.csv || bad "reversed rows or one thread give other bytes"
ref=$(dirname "$rubric")/../tests/reference/rubric-ref
if [ -x "$ref" ]; then
  "$ref" "$scheme" --entities d.csv -o ref.csv 2> ref_err.txt || bad "reference: exit $?: $(cat ref_err.txt)"
  cmp -s ref.csv out.csv || bad "the reference interpreter disagrees: $(diff ref.csv out.csv | head -4)"
fi
# explain: the band and the inputs its bands test, with the row's values
id=$(python3 -c "
import csv
for r in csv.DictReader(open('d.csv', encoding='utf-8')):
    if r['否决'] in ('是', 'yes', '1') and float(r['得分']) >= 90: print(r['id']); break")
"$rubric" explain "$scheme" --entities d.csv --id "$id" > ex.txt 2>&1 || bad "explain: exit $?"
grep -q "考核等次: 不合格 (否决 = yes, 事故 = [0-9]*, 约谈 = [0-9]*)" ex.txt || bad "explain: $(head -3 ex.txt)"
"$rubric" explain "$scheme" --entities d.csv --id "$id" --format json > ex.json 2>&1 || bad "explain json: exit $?"
python3 -c "
import json, sys
e = json.load(open('ex.json'))
g = {x['grade']: x for x in e['grades']}
assert g['等次']['band'] == '不合格' and g['等次']['inputs']['否决'] is True, g
assert 'next' not in g['等次'], g
" || bad "explain json: $(cat ex.json | head -c 300)"
# a target met only when a veto does not apply and complaints stay under 1%
python3 - <<'PYEOF2'
import random
random.seed(16)
with open("t.csv", "w") as f:
    f.write("id,name,应共享,已共享,否决,投诉\n")
    for i in range(400):
        due = random.choice([1, 100, 200, 1000, random.randint(1, 5000)])
        done = random.choice([due, due * 9 // 10, max(0, due * 9 // 10 - 1), random.randint(0, due)])
        f.write(f"T{i:04d},单位{i},{due},{done},{random.choice(['是', '否', ''])},{random.choice(['', '0', '1', '2', '10'])}\n")
PYEOF2
"$rubric" score "$root/tests/lang/veto_target.rubric" --entities t.csv -o t_out.csv 2> t_err.txt || bad "target: exit $?: $(cat t_err.txt)"
# 实时共享率达到 90%，未发生一票否决事项，且投诉件数低于应共享条数的 1%。
python3 - <<'PYEOF2' || fail=1
import csv, sys
from fractions import Fraction
got = {(r["id"]): r for r in csv.DictReader(open("t_out.csv", encoding="utf-8"))}
bad, mets = 0, set()
for r in csv.DictReader(open("t.csv", encoding="utf-8")):
    due, done, complaints = int(r["应共享"]), int(r["已共享"]), int(r["投诉"] or 0)
    met = Fraction(done, due) >= Fraction(9, 10) and r["否决"] != "是" and Fraction(complaints, due) < Fraction(1, 100)
    mets.add(met)
    g = got[r["id"]]
    # the margin is the comparison's, vetoed or not
    if (g["met"] == "yes") != met or Fraction(g["margin"]) != Fraction(g["value"]) - Fraction(g["goal"]):
        bad += 1
        if bad < 5: print(f"FAIL: target {r['id']}: oracle met={met}, rubric {g['met']} margin {g['margin']}", file=sys.stderr)
if mets != {True, False}: print("FAIL: the targets are all met or all missed", file=sys.stderr); bad += 1
sys.exit(1 if bad else 0)
PYEOF2
if [ -x "$ref" ]; then
  "$ref" "$root/tests/lang/veto_target.rubric" --entities t.csv -o t_ref.csv 2>/dev/null || bad "reference target: exit $?"
  cmp -s t_ref.csv t_out.csv || bad "the reference interpreter disagrees on the target: $(diff t_ref.csv t_out.csv | head -4)"
fi
# a veto cell that is not yes/no: located, nothing written
printf 'id,name,得分,加分,否决,事故,约谈\nX1,甲,95,0,否,0,0\nX2,乙,95,0,也许,0,0\n' > bad.csv
"$rubric" score "$scheme" --entities bad.csv -o badout.csv 2> baderr.txt
rc=$?
[ $rc -ne 0 ] || bad "a bad veto cell: exit 0"
grep -q "bad.csv:3.*'X2'.*否决.*也许" baderr.txt || bad "a bad veto cell: $(cat baderr.txt)"
[ ! -e badout.csv ] || bad "a bad veto cell: an output was written"
exit $fail
