#!/usr/bin/env bash
# kinds.sh RUBRIC ROOT: parts per kind of entity
# (spec/semantics.md#parts-per-kind-of-entity). The scheme of
# tests/lang/kinds.rubric scores 900 generated departments of three kinds; an
# oracle written from the document's words (below, in Python, not from the
# code) gives each one's parts and total; the parts that are not for a
# department's kind are empty cells (JSON null), there is one ranking over
# all kinds, `explain` does not list them; the row order and the thread
# count change nothing; the reference interpreter agrees.
set -u
rubric=$1 root=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail=0
bad() { echo "FAIL: $*" >&2; fail=1; }
scheme=$root/tests/lang/kinds.rubric
python3 - <<'PYEOF'
import random
random.seed(151)
rows = []
kinds = ["执法部门", "服务部门", "综合部门"]
for i in range(900):
    kind = random.choice(kinds)
    rate = random.choice(["100%", "95%", "60%", "0", f"{random.randint(0, 10000) / 100}%"])
    due = done = promise = ""
    if kind != "服务部门":  # only those who publish report these
        d = random.choice([1, 2, 4, 5, 8, 10, 16, 20, 25, 50, 100, 125, 1000])
        due, done = str(d), str(random.choice([d, 0, random.randint(0, d)]))
    if kind != "执法部门":
        promise = random.choice(["90%", "89.99%", "100%", "0", f"{random.randint(0, 10000) / 100}%"])
    elif random.random() < 0.3:
        promise = "50%"  # given, but not an enforcement department's indicator
    elif random.random() < 0.3:
        promise = "  "  # blank: no `missing` rule, but no part of its kind reads it
    dishonest = random.choice(["", "0", "0", "1", "2", "3"])
    rows.append(f"B{i:04d},部门{i},{kind},{rate},{due},{done},{promise},{dishonest}")
head = "id,name,类别,归集率,应公示,已公示,承诺率,失信\n"
open("d.csv", "w").write(head + "\n".join(rows) + "\n")
open("d_rev.csv", "w").write(head + "\n".join(reversed(rows)) + "\n")
PYEOF
"$rubric" score "$scheme" --entities d.csv -o out.csv 2> err.txt || bad "score: exit $?: $(cat err.txt)"
"$rubric" score "$scheme" --entities d.csv --format json -o out.json 2> err.txt || bad "score json: exit $?: $(cat err.txt)"
# The document: 共性指标 40 分（归集率乘 40）；个性指标 60 分：执法部门考核行政执法“双公示”
# （按公示率计分），服务部门考核信用承诺办理（办理率 90% 以上满分，其余按比例），综合部门
# 双公示、信用承诺各 30 分；失信事件每起扣 5 分，最多扣 10 分。一个部门只考核本类别的
# 个性指标，其他类别的个性指标对它不适用（空单元格）；全部部门按总分统一排名。
python3 - <<'PYEOF' || fail=1
import csv, json, sys
from fractions import Fraction as F
def pct(s): return F(s[:-1]) / 100 if s.endswith("%") else F(s or 0)
got = {r["id"]: r for r in csv.DictReader(open("out.csv", encoding="utf-8"))}
js = {e["id"]: e for e in json.load(open("out.json", encoding="utf-8"))["entities"]}
bad, totals, want_all = 0, {}, {}
for r in csv.DictReader(open("d.csv", encoding="utf-8")):
    kind, rate = r["类别"], pct(r["归集率"])
    want = {"归集": 40 * rate, "双公示": None, "承诺": None, "综合": None, "综合双公示": None, "综合承诺": None}
    want["共性"] = want["归集"]
    if kind == "执法部门":
        want["双公示"] = 60 * F(r["已公示"]) / F(r["应公示"])
        want["个性"] = want["双公示"]
    elif kind == "服务部门":
        p = pct(r["承诺率"])
        want["承诺"] = F(60) if p >= F(9, 10) else 60 * p
        want["个性"] = want["承诺"]
    else:
        want["综合双公示"] = 30 * F(r["已公示"]) / F(r["应公示"])
        want["综合承诺"] = 30 * pct(r["承诺率"])
        want["综合"] = want["个性"] = want["综合双公示"] + want["综合承诺"]
    want["失信事件"] = want["扣分"] = min(F(10), 5 * int(r["失信"] or 0))
    want["total"] = want["共性"] + want["个性"] - want["扣分"]
    totals[r["id"]] = want["total"]
    want_all[r["id"]] = want
    g, j = got[r["id"]], js[r["id"]]
    for k, v in want.items():
        have = g[k]
        jv = j["total"] if k == "total" else j["scores"][k]
        ok = have == "" and jv is None if v is None else have != "" and F(have) == v and F(str(jv)) == v
        if not ok:
            bad += 1
            if bad < 6: print(f"FAIL: {r['id']} ({kind}) {k}: oracle {v}, csv {have!r}, json {jv!r}", file=sys.stderr)
# one ranking over every kind: 1 + the number of departments with a higher total
for i, t in totals.items():
    rank = 1 + sum(1 for u in totals.values() if u > t)
    if int(got[i]["rank"]) != rank:
        bad += 1
        if bad < 10: print(f"FAIL: {i}: rank {got[i]['rank']}, oracle {rank}", file=sys.stderr)
kinds = {r["类别"] for r in csv.DictReader(open("d.csv", encoding="utf-8"))}
top = [i for i, t in totals.items() if t == max(totals.values())]
if len(got) != 900 or len(kinds) != 3: print("FAIL: rows or kinds", file=sys.stderr); bad += 1
sys.exit(1 if bad else 0)
PYEOF
"$rubric" score "$scheme" --entities d_rev.csv --sort rank -o rev.csv 2>/dev/null || bad "reversed: exit $?"
RUBRIC_THREADS=1 "$rubric" score "$scheme" --entities d.csv --sort rank -o one.csv 2>/dev/null || bad "one thread: exit $?"
RUBRIC_THREADS=2 "$rubric" score "$scheme" --entities d.csv --sort rank -o two.csv 2>/dev/null || bad "two threads: exit $?"
cmp -s rev.csv one.csv || bad "reversed rows give other bytes"
cmp -s one.csv two.csv || bad "one thread and two give other bytes"
ref=$(dirname "$rubric")/../tests/reference/rubric-ref
if [ -x "$ref" ]; then
  "$ref" "$scheme" --entities d.csv -o ref.csv 2> ref_err.txt || bad "reference: exit $?: $(cat ref_err.txt)"
  cmp -s ref.csv out.csv || bad "the reference interpreter disagrees: $(diff ref.csv out.csv | head -4)"
else
  bad "no reference interpreter at $ref"
fi
# explain: a part that is not for the department's kind is not among its losses
"$rubric" explain "$scheme" --entities d.csv --format json > ex.jsonl 2> ex_err.txt || bad "explain: exit $?: $(cat ex_err.txt)"
python3 - <<'PYEOF' || fail=1
import csv, json, sys
mine = {"执法部门": {"归集", "双公示", "失信事件"}, "服务部门": {"归集", "承诺", "失信事件"},
        "综合部门": {"归集", "综合双公示", "综合承诺", "失信事件"}}
kind = {r["id"]: r["类别"] for r in csv.DictReader(open("d.csv", encoding="utf-8"))}
bad = n = 0
for line in open("ex.jsonl", encoding="utf-8"):
    e = json.loads(line)
    n += 1
    parts = {p["part"] for p in e["parts"]}
    if parts != mine[kind[e["id"]]]:
        bad += 1
        if bad < 5: print(f"FAIL: explain {e['id']} ({kind[e['id']]}) lists {sorted(parts)}", file=sys.stderr)
if n != 900: print(f"FAIL: explain gave {n} entities", file=sys.stderr); bad += 1
sys.exit(1 if bad else 0)
PYEOF
# the workbook: the not-applicable cells blank, and no points lost on them
if "$rubric" score "$scheme" --entities d.csv -o out.xlsx 2> x_err.txt; then
  python3 - <<'PYEOF' || fail=1
import csv, re, sys, zipfile
z = zipfile.ZipFile("out.xlsx")
def rows(name):  # a sheet's rows as lists of cell texts by column ("" for a blank or absent cell)
    out = []
    for row in re.findall(r"<row [^>]*>(.*?)</row>", z.read(name).decode()):
        cells = {}
        for c, body in re.findall(r'<c r="([A-Z]+)[0-9]+"[^>]*?(?:/>|>(.*?)</c>)', row):
            m = re.search(r"<t[^>]*>(.*?)</t>|<v>(.*?)</v>", body or "")
            cells[ord(c) - 65] = (m.group(1) or m.group(2)) if m else ""
        out.append([cells.get(k, "") for k in range(max(cells) + 1 if cells else 0)] + [""] * 30)
    return out
mine = {"执法部门": {"信用信息归集", "行政执法双公示", "失信事件"}, "服务部门": {"信用信息归集", "信用承诺办理", "失信事件"},
        "综合部门": {"信用信息归集", "双公示（综合部门）", "信用承诺（综合部门）", "失信事件"}}
kind = {r["id"]: r["类别"] for r in csv.DictReader(open("d.csv", encoding="utf-8"))}
lost = rows("xl/worksheets/sheet2.xml")
bad = 0
if lost[0][:3] != ["id", "name", "indicator"]: print(f"FAIL: points lost sheet head {lost[0]}", file=sys.stderr); sys.exit(1)
for r in lost[1:]:
    if r[2] not in mine[kind[r[0]]]:
        bad += 1
        if bad < 5: print(f"FAIL: workbook: {r[0]} ({kind[r[0]]}) loses points on {r[2]}", file=sys.stderr)
if len(lost) < 900: print(f"FAIL: only {len(lost) - 1} losses", file=sys.stderr); bad += 1
# the scores sheet: a blank cell (no value) where a part is not for the kind
scores = rows("xl/worksheets/sheet1.xml")
head = scores[0]
col = head.index("行政执法双公示")
for r in scores[1:]:
    if (r[col] == "") != (kind[r[0]] != "执法部门"):
        bad += 1
        if bad < 8: print(f"FAIL: workbook: {r[0]} ({kind[r[0]]}) 双公示 cell {r[col]!r}", file=sys.stderr)
sys.exit(1 if bad else 0)
PYEOF
else
  bad "xlsx: exit $?: $(cat x_err.txt)"
fi
# a 服务部门 without its 承诺率 (no `missing` rule, and its kind reads it): located,
# nothing written; a 执法部门 without it is fine (tested by the table above)
printf 'id,name,类别,归集率,应公示,已公示,承诺率,失信\nX1,甲,执法部门,90%%,10,9,,0\nX2,乙,服务部门,90%%,,,,0\n' > noneed.csv
"$rubric" score "$scheme" --entities noneed.csv -o nn.csv 2> nn_err.txt
[ $? -ne 0 ] || bad "a service department without 承诺率: exit 0"
grep -q "noneed.csv:3.*'X2'.*承诺率.*missing value" nn_err.txt || bad "a service department without 承诺率: $(cat nn_err.txt)"
grep -q "'X1'" nn_err.txt && bad "an enforcement department without 承诺率 is reported: $(cat nn_err.txt)"
[ ! -e nn.csv ] || bad "a service department without 承诺率: an output was written"
# a department without a kind: located, nothing written
printf 'id,name,类别,归集率,应公示,已公示,承诺率,失信\nX1,甲,执法部门,90%%,10,9,,0\nX2,乙,,90%%,,,50%%,0\n' > nokind.csv
"$rubric" score "$scheme" --entities nokind.csv -o nk.csv 2> nk_err.txt
[ $? -ne 0 ] || bad "a department without a kind: exit 0"
grep -q "nokind.csv:3.*'X2'.*类别" nk_err.txt || bad "a department without a kind: $(cat nk_err.txt)"
[ ! -e nk.csv ] || bad "a department without a kind: an output was written"
exit $fail
