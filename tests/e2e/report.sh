#!/usr/bin/env bash
# report.sh RUBRIC ROOT: `rubric report` writes one self-contained HTML page,
# rendered here by Debian's chromium (headless, tests/e2e/render_page.py):
#  - the page makes no request (checked against a page that does);
#  - Chinese is drawn with a font, not as boxes (fonts-wqy-microhei);
#  - the Chengwu page shows the ranking by name, the chart (a bar per county),
#    the heat map and each county's lost points, with the changes against a
#    previous scores file; it prints on A4;
#  - the bytes do not depend on the input's row order; bad input writes nothing.
# REPORT_SCREENSHOT=FILE keeps the first screen (the README's picture).
set -u
rubric=$1 root=$2
py=/usr/bin/python3 # Debian's, with python3-websocket (tools/deps.sh)
c=$root/examples/chengwu
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail=0
bad() { echo "FAIL: $*" >&2; fail=1; }
report() { "$rubric" --lang zh report "$c/chengwu_2022.rubric" --entities "$c/heze_counties.csv" --periods "$c/heze_months.csv" "$@"; }
render() { "$py" "$root/tests/e2e/render_page.py" "$@"; }

# the renderer sees requests: a page that makes two
printf '<html><body>x<img src="http://example.com/a.png"><link rel=stylesheet href="https://cdn.example/x.css"></body></html>' > ext.html
render ext.html ext.png > ext.json || bad "render_page.py failed on a plain page"
"$py" -c "import json,sys; sys.exit(len(json.load(open('ext.json'))['requests']) != 2)" ||
  bad "the renderer does not see a page's requests: $(cat ext.json)"

# a previous month: 单县 was first with 87, 牡丹区 third with 85, 成武县 second
report --decimals 2 --sort rank -o /dev/null 2> err.txt # (a report has no --sort: refused)
[ $? = 2 ] && grep -q -- "--sort 用于 rubric score" err.txt || bad "report --sort: $(cat err.txt)"
"$rubric" score "$c/chengwu_2022.rubric" --entities "$c/heze_counties.csv" --periods "$c/heze_months.csv" -o now.csv
awk -F, 'BEGIN { OFS = "," } NR == 1 { print "id,name,total,rank"; next }
  $1 == "371722" { print $1, $2, 87, 1; next } $1 == "371702" { print $1, $2, 85, 3; next }
  $1 == "371723" { print $1, $2, 86, 2; next } $1 != "371724" { print $1, $2, $3, $4 }' now.csv > before.csv
report --previous before.csv -o chengwu.html 2> err.txt || bad "report: exit $?: $(cat err.txt)"
render chengwu.html shot.png print.pdf > seen.json || bad "the page did not render"
[ -n "${REPORT_SCREENSHOT:-}" ] && cp shot.png "$REPORT_SCREENSHOT"
"$py" - seen.json now.csv <<'EOF' || bad "the Chengwu report: see above"
import csv, json, re, sys
seen = json.load(open(sys.argv[1], encoding="utf-8"))
rows = list(csv.DictReader(open(sys.argv[2], encoding="utf-8")))
text = seen["text"]
fails = []
def want(cond, what):
    if not cond:
        fails.append(what)
want(seen["loaded"], "the page did not load")
want(seen["requests"] == [], "requests: %r" % seen["requests"])
want(seen["glyphs_differ"], "Chinese characters are drawn as boxes (no CJK font)")
want(seen["title"] == "成武县社会信用体系建设典型城市创建监测指标", "title %r" % seen["title"])
ids = [s["id"] for s in seen["sections"]]
want(ids == ["ranking", "chart", "heat", "lost", "scheme"], "sections %r" % ids)
top = {s["id"]: s["top"] for s in seen["sections"]}
want(top.get("ranking", 1e9) < seen["viewport"] and top.get("chart", 1e9) < seen["viewport"],
     "the ranking and the chart are not on the first screen: %r" % top)
want(seen["bars"] == 7, "%d bars, not 7" % seen["bars"])
want(seen["heat_cells"] == 7 * 16, "%d heat map cells, not 7 x 16 indicators" % seen["heat_cells"])
# the ranking, by name, in rank order, with totals to 2 decimals and the changes
by_rank = sorted(rows, key=lambda r: (int(r["rank"]), r["id"]))
ranking = text.split("排名\n", 1)[1].split("总分\n", 1)[0]
lines = [l.split("\t") for l in ranking.strip().split("\n")[1:]]
want([l[1] for l in lines] == [r["name"] for r in by_rank], "ranking order %r" % [l[1] for l in lines])
for l, r in zip(lines, by_rank):
    want(l[0] == r["rank"], "%s: rank %s, not %s" % (r["name"], l[0], r["rank"]))
    want(float(l[2]) == round(float(r["total"]) + 1e-9, 2), "%s: total %s, not %s" % (r["name"], l[2], r["total"]))
change = {l[1]: (l[3], l[4]) for l in lines}
want(change.get("牡丹区") == ("▲2", "+4.1"), "牡丹区: change %r, not ▲2 +4.1" % (change.get("牡丹区"),))
want(change.get("单县") == ("▼2", "-0.46"), "单县: change %r, not ▼2 -0.46" % (change.get("单县"),))
want(change.get("成武县") == ("0", "+2.4"), "成武县: change %r, not 0 +2.4" % (change.get("成武县"),))
want(change.get("巨野县", ("",))[0] == "新增", "巨野县 (not in the previous file): %r" % (change.get("巨野县"),))
# each county's lost points under its name and total; the document's titles
lost = text.split("失分明细\n", 1)[-1]
for r in by_rank:
    want("%s. %s — 总分" % (r["rank"], r["name"]) in lost, "no lost points for %s" % r["name"])
want("信用信息归集情况\t10\t0\t10" in lost, "东明县's 10 points lost on 信用信息归集情况 not shown")
want("评分方案" in text and "chengwu_2022.rubric:" in text, "no points table with its source")
want(not re.search(r"\bcity_rank\b|\binfo_collection\b", text), "raw part ids shown instead of titles")
for f in fails:
    print("FAIL:", f)
sys.exit(1 if fails else 0)
EOF
[ "$(head -c 5 print.pdf)" = "%PDF-" ] || bad "the page did not print"
grep -aq "MediaBox \[0 0 595.9" print.pdf || bad "the page does not print on A4"

# the same bytes whatever the rows' order; English headings by default
{ head -1 "$c/heze_counties.csv"; tail -n +2 "$c/heze_counties.csv" | sort -r; } > reversed.csv
"$rubric" --lang zh report "$c/chengwu_2022.rubric" --entities reversed.csv --periods "$c/heze_months.csv" \
  --previous before.csv -o reversed.html
cmp -s chengwu.html reversed.html || bad "the page depends on the input's row order"
"$rubric" --lang en report "$c/chengwu_2022.rubric" --entities "$c/heze_counties.csv" --periods "$c/heze_months.csv" -o en.html
grep -q "<h2>Ranking</h2>" en.html && grep -q "<h2>Points lost</h2>" en.html || bad "English headings"
! grep -qiE "src=|href=|@import|url\(" chengwu.html || bad "the page links to something"

# incomplete entities are shown as such, with the reason
d=$root/examples/departments
"$rubric" --lang zh report "$d/departments_2024.rubric" --entities "$d/departments.csv" -o deps.html 2> /dev/null
[ $? = 3 ] || bad "departments: exit not 3 (two are incomplete)"
grep -q '<tr class="incomplete"><td>不完整</td><td>县教育和体育局' deps.html || bad "an incomplete department is not shown as such"
grep -q "细则未规定无归集数据时如何计分" deps.html || bad "the reason of an incomplete department is not shown"
grep -q "（扣分项）" deps.html || bad "the deduction section is not named in the points table"

# bad input: nothing written
report --previous "$c/heze_counties.csv" -o bad1.html 2> err.txt
[ $? = 1 ] && [ ! -e bad1.html ] || bad "--previous without total and rank: written anyway"
grep -q "heze_counties.csv:1: 错误\[R1103\]" err.txt || bad "--previous without total and rank: $(cat err.txt)"
printf 'id,name,total,rank\n371702,牡丹区,x,1\n' > bad_prev.csv
report --previous bad_prev.csv -o bad2.html 2> err.txt
[ $? = 1 ] && [ ! -e bad2.html ] && grep -q "bad_prev.csv:2: 错误\[R1104\]" err.txt || bad "a bad previous total: $(cat err.txt)"
report --previous missing.csv -o bad3.html 2> err.txt
status=$?
[ $status = 2 ] && [ ! -e bad3.html ] && grep -q "R1101]: missing.csv" err.txt || bad "a missing previous file: exit $status: $(cat err.txt)"
report --format csv -o bad4.html 2> err.txt
[ $? = 2 ] && [ ! -e bad4.html ] || bad "report --format csv: accepted"
r=$root/examples/rushan
"$rubric" report "$r/rushan_2022.rubric" --scheme rushan_2022 --entities "$r/rushan_city.csv" --periods "$r/rushan_years.csv" \
  -o bad5.html 2> err.txt
[ $? = 2 ] && [ ! -e bad5.html ] && grep -q "a report is for a scheme with points" err.txt || bad "a targets-only report: $(cat err.txt)"
"$rubric" score "$c/chengwu_2022.rubric" --entities "$c/heze_counties.csv" --periods "$c/heze_months.csv" --previous x 2> err.txt
[ $? = 2 ] || bad "score --previous: accepted"
exit $fail
