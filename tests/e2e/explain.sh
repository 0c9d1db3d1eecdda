#!/usr/bin/env bash
# explain.sh RUBRIC ROOT: `rubric explain` says why each entity scored what
# it did, from what the native code computed (its probes):
#  - 东明县 (Chengwu): the 10 points lost on 信用信息归集情况, the inputs read,
#    the tier taken and what the next tier needs, worked by hand from the
#    document (数据量超过 4000 万的，得 5 分: 38,760,000 is short of it);
#  - Linyi: a peer statistic, the county's own value and who set the maximum,
#    worked from the table;
#  - every seed job, every entity (JSON lines): each part's score is the
#    score table's, its loss is points - score, largest first, a tier of
#    fixed points that was taken is the part's score, totals agree;
#  - an incomplete entity is explained with its reason; bad requests fail.
set -u
rubric=$1 root=$2
py=${PYTHON:-python3}
ex=$root/examples
c=$ex/chengwu
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail=0
bad() { echo "FAIL: $*" >&2; fail=1; }
explain() { "$rubric" explain "$c/chengwu_2022.rubric" --entities "$c/heze_counties.csv" --periods "$c/heze_months.csv" "$@"; }

explain --id 371728 --decimals 2 > dongming.txt 2> err.txt || bad "explain --id: exit $?: $(cat err.txt)"
for want in "371728 东明县: total 73.75, rank 4" \
  "  信用信息归集情况 (info_collection), chengwu_2022.rubric:89" \
  "    0 of 10 points, lost 10" \
  "    inputs: population = 704500; platform_records = 38760000" \
  "    took line 93: 0 otherwise" \
  "      next: 5 more points (5 in all) at line 92, if platform_records > 4000万 (platform_records is now 38760000)" \
  "  国家城市信用监测排名情况 (city_rank), chengwu_2022.rubric:53" \
  "    let r = 28.17"; do
  grep -qxF -- "$want" dongming.txt || bad "东明县: no line '$want'"
done
# the largest loss comes first: info_collection (10) before city_rank (4)
[ "$(grep -n 'info_collection' dongming.txt | cut -d: -f1)" -lt "$(grep -n '(city_rank)' dongming.txt | cut -d: -f1)" ] ||
  bad "东明县: not largest loss first"
"$rubric" --lang zh explain "$c/chengwu_2022.rubric" --entities "$c/heze_counties.csv" --periods "$c/heze_months.csv" \
  --id 371728 --decimals 2 > zh.txt
grep -qxF "371728 东明县: 总分 73.75，排名 4" zh.txt && grep -qxF "    得 0 分（满分 10），失 10 分" zh.txt || bad "Chinese: $(head -5 zh.txt)"

# Linyi: a share against the county with the most (peers.max), and who that is,
# worked from the table: villages_credited / villages, the largest of the 15
L=$ex/linyi
"$rubric" explain "$L/linyi_2019.rubric" --entities "$L/linyi_counties.csv" --periods "$L/linyi_months.csv" \
  --id 371302 --decimals 3 > linyi.txt 2> err.txt || bad "linyi: exit $?: $(cat err.txt)"
want=$("$py" - "$L/linyi_counties.csv" <<'PY'
import csv, sys
from decimal import Decimal, ROUND_HALF_UP
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
share = {r["name"]: Decimal(r["villages_credited"]) / Decimal(r["villages"]) for r in rows}
top = max(share.values())
me = next(r for r in rows if r["id"] == "371302")
q = lambda d: str(d.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP).normalize())
print("    peers.max(village_share) = %s; own value %s; set by %s" % (
    q(top), q(share[me["name"]]), ", ".join(n for n, v in share.items() if v == top)))
PY
)
grep -qxF -- "$want" linyi.txt || bad "linyi: no line '$want': $(grep 'village_share)' linyi.txt)"
grep -qx "    peers.count() = 15" linyi.txt || bad "linyi: peers.count() not shown as 15"

# the same explanations whatever the order of the rows (who set a maximum included)
"$rubric" explain "$L/linyi_2019.rubric" --entities "$L/linyi_counties.csv" --periods "$L/linyi_months.csv" -o fwd.jsonl
{ head -1 "$L/linyi_counties.csv"; tail -n +2 "$L/linyi_counties.csv" | sort -r; } > rev.csv
"$rubric" explain "$L/linyi_2019.rubric" --entities rev.csv --periods "$L/linyi_months.csv" -o rev.jsonl
cmp -s <(sort fwd.jsonl) <(sort rev.jsonl) || bad "explanations depend on the order of the rows"
grep -q '"set_by": \[' fwd.jsonl || bad "linyi: no set_by in the JSON explanations"

# every seed job: the explanations agree with the scores
jobs="chengwu/chengwu_2022.rubric chengwu_2022 chengwu/heze_counties.csv chengwu/heze_months.csv
linyi/linyi_2019.rubric linyi_2019 linyi/linyi_counties.csv linyi/linyi_months.csv
pingyin/pingyin_2022.rubric pingyin_towns pingyin/towns.csv pingyin/towns_months.csv
pingyin/pingyin_2022.rubric pingyin_departments pingyin/departments.csv pingyin/departments_months.csv
gaoqing/gaoqing_2021.rubric gaoqing_2021_firms gaoqing/firms.csv
departments/departments_2024.rubric 部门考核 departments/departments.csv"
n=0
while read -r file id entities periods; do
  n=$((n + 1))
  tables=(--entities "$ex/$entities")
  [ -n "$periods" ] && tables+=(--periods "$ex/$periods")
  "$rubric" score "$ex/$file" --scheme "$id" "${tables[@]}" -o "s$n.csv" 2> /dev/null
  "$rubric" explain "$ex/$file" --scheme "$id" "${tables[@]}" -o "e$n.jsonl" 2> "e$n.err" || bad "$id: explain exit $?: $(cat "e$n.err")"
  "$py" - "s$n.csv" "e$n.jsonl" "$id" <<'PY' || bad "$id: the explanations disagree with the scores"
import csv, json, re, sys
from decimal import Decimal
rows = {r["id"]: r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))}
lines = [json.loads(l, parse_float=Decimal, parse_int=Decimal) for l in open(sys.argv[2], encoding="utf-8")]  # exact
fails = []
if [e["id"] for e in lines] != list(rows):
    fails.append("entities %r, scores %r" % ([e["id"] for e in lines][:5], list(rows)[:5]))
D = lambda v: None if v is None else Decimal(str(v))
for e in lines:
    row = rows.get(e["id"])
    if row is None:
        continue
    if D(e["total"]) != (Decimal(row["total"]) if row["total"] else None):
        fails.append("%s: total %r, scores %r" % (e["id"], e["total"], row["total"]))
    last = None
    for p in e["parts"]:
        where = "%s %s" % (e["id"], p["part"])
        want = Decimal(row[p["part"]]) if row[p["part"]] else None
        if D(p["score"]) != want:
            fails.append("%s: score %r, scores %r" % (where, p["score"], row[p["part"]]))
        if p["score"] is not None and D(p["lost"]) not in (D(p["points"]) - D(p["score"]), D(p["score"]), Decimal(0)):
            fails.append("%s: lost %r of %r points, score %r" % (where, p["lost"], p["points"], p["score"]))
        if last is not None and D(p["lost"]) > last:
            fails.append("%s: not largest loss first" % where)
        last = D(p["lost"])
        tiers = p["tiers"]
        if len(tiers) == 1 and isinstance(tiers[0]["taken"], int) and tiers[0]["taken"] > 0:
            m = re.match(r"^(\d+(?:\.\d+)?) if ", tiers[0]["text"])
            if m and p["score"] is not None and D(p["score"]) != min(Decimal(m.group(1)), D(p["points"])):
                fails.append("%s: took %r yet scored %r" % (where, tiers[0]["text"], p["score"]))
        for t in tiers:
            nx = t.get("next")
            if nx and p["score"] is not None and D(nx["points"]) - D(p["score"]) != D(nx["more"]):
                fails.append("%s: next tier %r gives %r more" % (where, nx, nx["more"]))
    # Gaoqing's grades, from its comment: 诚信守法 85 or more, 轻微失信 70, 一般失信 60
    lows = {"诚信守法": 85, "轻微失信": 70, "一般失信": 60, "严重失信": None}
    for g in e["grades"]:
        if sys.argv[3] != "gaoqing_2021_firms":
            break
        up = {"轻微失信": "诚信守法", "一般失信": "轻微失信", "严重失信": "一般失信"}.get(g["band"])
        nx = g.get("next")
        if (up is None) != (nx is None) or (nx and (nx["band"] != up or D(nx["more"]) != lows[up] - D(e["total"]))):
            fails.append("%s: grade %r, next %r, total %r" % (e["id"], g["band"], nx, e["total"]))
for f in fails[:10]:
    print("FAIL:", sys.argv[3], f)
sys.exit(1 if fails else 0)
PY
done <<< "$jobs"
[ $n = 6 ] || bad "ran $n jobs, not 6"

# an incomplete department: explained, with its reason
d=$ex/departments
"$rubric" explain "$d/departments_2024.rubric" --entities "$d/departments.csv" --id jyj > jyj.txt 2> err.txt || bad "jyj: exit $?"
grep -q "^jyj 县教育和体育局: incomplete" jyj.txt && grep -q "细则未规定无归集数据时如何计分" jyj.txt || bad "jyj: $(head -3 jyj.txt)"

# score --explain: the same explanations beside the scores, and the same scores
explain -o all.jsonl
"$rubric" score "$c/chengwu_2022.rubric" --entities "$c/heze_counties.csv" --periods "$c/heze_months.csv" \
  -o with.csv --explain with.jsonl || bad "score --explain: exit $?"
"$rubric" score "$c/chengwu_2022.rubric" --entities "$c/heze_counties.csv" --periods "$c/heze_months.csv" -o without.csv
cmp -s all.jsonl with.jsonl || bad "score --explain writes other explanations than explain"
cmp -s with.csv without.csv || bad "score --explain changed the scores"
"$rubric" score "$c/chengwu_2022.rubric" --entities "$c/heze_counties.csv" --periods "$c/heze_months.csv" \
  -o same.csv --explain same.csv 2> err.txt
[ $? = 2 ] && [ ! -e same.csv ] || bad "--explain onto -o: $(cat err.txt)"

# bad requests
explain --id 999999 > /dev/null 2> err.txt
[ $? = 2 ] && grep -q "no entity of .*heze_counties.csv has the id '999999'" err.txt || bad "an unknown id: $(cat err.txt)"
explain --format text > /dev/null 2> err.txt
[ $? = 2 ] || bad "text without --id: accepted"
explain --id 371728 -o nowhere/x.txt 2> /dev/null
[ $? = 2 ] && [ ! -e nowhere ] || bad "an output in a missing folder"
exit $fail
