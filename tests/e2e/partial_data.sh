#!/usr/bin/env bash
# partial_data.sh RUBRIC: `rubric score --partial-data` (spec/data.md, "Bad
# cells as incomplete entities"): a bad cell makes its entity incomplete, the
# cell's file:line in the reason, while the other entities and parts score
# (values worked by hand below); without the flag, or with --strict, nothing
# is written; a peer statistic spoiled by a bad cell fails its whole group;
# cells of period rows count; problems of the tables still fail the run.
set -u
rubric=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail=0
bad() { echo "FAIL: $*" >&2; fail=1; }

cat > towns.rubric <<'R'
scheme towns "镇街信用监测" {
  total 10
  input 失信数: count "失信主体数"
  input 主体数: count at least 1 "市场主体数"
  input 报送率: fraction "信息报送率"
  indicator 失信 "失信占比" points 6 {
    6 if 失信数 / 主体数 < 0.5%, 0 if 失信数 / 主体数 > 2%, linear between
  }
  indicator 报送 "信息报送" points 4 { 4 * 报送率 }
  grade 等级 "等级" on total { "好" if total >= 9; "中" if total < 9 }
}
R
cat > towns.csv <<'CSV'
id,name,失信数,主体数,报送率
1,榆山街道,3,1000,90%
2,锦水街道,十二,2000,80%
3,东阿镇,5,0,100%
4,孝直镇,4,800,
5,孔村镇,2,1000,70%
CSV
# 1: 0.3% < 0.5% -> 6; 4 * 0.9 = 3.6; 9.6 好.  5: 0.2% -> 6; 2.8; 8.8 中.
# 2: 十二 is no number: 失信 fails, 报送 4 * 0.8 = 3.2.  3: 主体数 0 is below its
# bound 1: 失信 fails, 报送 4.  4: 4 / 800 = 0.5% is the lower end of linear
# between: 6; an empty 报送率 (no default) fails 报送.
cat > want.csv <<'CSV'
id,name,total,rank,等级,失信,报送,status,reason
1,榆山街道,9.6,1,好,6,3.6,ok,
2,锦水街道,,,,,3.2,incomplete,"indicator 失信: towns.csv:3: entity '2', column '失信数': '十二' is not a number"
3,东阿镇,,,,,4,incomplete,"indicator 失信: towns.csv:4: entity '3', column '主体数': '0' must be at least 1"
4,孝直镇,,,,6,,incomplete,"indicator 报送: towns.csv:5: entity '4', column '报送率': missing value (the scheme gives no default for '报送率')"
5,孔村镇,8.8,2,中,6,2.8,ok,
CSV
for threads in 1 2; do
  rm -f out.csv
  RUBRIC_THREADS=$threads "$rubric" score towns.rubric --entities towns.csv -o out.csv --partial-data 2> err.txt
  status=$?
  [ $status = 3 ] || bad "--partial-data ($threads threads): exit $status, not 3: $(cat err.txt)"
  diff -u want.csv out.csv || bad "--partial-data ($threads threads): the scores differ"
done
grep -qF "towns.csv:4: error[R1105]: entity 3 (东阿镇): indicator 失信: towns.csv:4: entity '3', column '主体数': '0' must be at least 1" err.txt ||
  bad "no R1105 for entity 3 on stderr: $(cat err.txt)"
"$rubric" score towns.rubric --entities towns.csv --partial-data --format json > out.json 2> /dev/null
python3 - out.json <<'PY' || bad "the JSON document is not as expected"
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
rows = {e["id"]: e for e in doc["entities"]}
assert rows["2"]["total"] is None and rows["2"]["status"] == "incomplete", rows["2"]
assert rows["2"]["scores"] == {"失信": None, "报送": 3.2}, rows["2"]
assert "towns.csv:3:" in rows["2"]["reason"], rows["2"]["reason"]
assert "status" not in rows["1"], rows["1"]
PY

# without the flag, and with --strict: nothing written, an existing file untouched
echo "previous" > out.csv
"$rubric" score towns.rubric --entities towns.csv -o out.csv 2> err.txt
status=$?
[ $status = 1 ] || bad "without --partial-data: exit $status, not 1"
[ "$(cat out.csv)" = previous ] || bad "without --partial-data: out.csv changed"
"$rubric" score towns.rubric --entities towns.csv -o out.csv --partial-data --strict 2> err.txt
status=$?
[ $status = 1 ] || bad "--partial-data --strict: exit $status, not 1"
[ "$(cat out.csv)" = previous ] || bad "--partial-data --strict: out.csv changed"
tail -1 err.txt | grep -qF "rubric: nothing written: 3 entities could not be scored" || bad "--strict: $(tail -1 err.txt)"

# a table's own problem still fails the run
printf 'id,name,失信数,主体数,报送率\n1,a,1,100,50%%\n1,b,1,100,50%%\n' > dup.csv
"$rubric" score towns.rubric --entities dup.csv -o dup_out.csv --partial-data 2> err.txt
status=$?
[ $status = 1 ] && [ ! -e dup_out.csv ] || bad "a duplicate id with --partial-data: exit $status"

# a peer statistic: a bad cell of one town spoils peers.max for its whole group
cat > peers.rubric <<'R'
scheme peers "相对排名" {
  total 6
  period month 1 to 2
  input 报送数: count per month "月报送数"
  input 人口: count at least 1 "常住人口"
  indicator 报送 "报送" points 3 { 3 * peers.ratio_to_max(sum(报送数)) }
  indicator 人均 "人均" points 3 { min(3, sum(报送数) / 人口 * 1000) }
}
R
printf 'id,name,人口\n1,甲,1000\n2,乙,2000\n3,丙,4000\n' > peers.csv
printf 'id,month,报送数\n1,1,1\n1,2,1\n2,1,x\n2,2,2\n3,1,2\n3,2,2\n' > months.csv
# 2's month 1 is no number: every town's 报送 fails (its statistic reads 2's
# sum); 人均: 1: 2/1000*1000 = 2; 3: 4/4000*1000 = 1; 2's own fails.
cat > want.csv <<'CSV'
id,name,total,rank,报送,人均,status,reason
1,甲,,,,2,incomplete,"indicator 报送: a peer statistic reads a bad cell of entity '2': months.csv:4: entity '2', column '报送数': 'x' is not a number"
2,乙,,,,,incomplete,"indicator 报送: months.csv:4: entity '2', column '报送数': 'x' is not a number; indicator 人均: months.csv:4: entity '2', column '报送数': 'x' is not a number"
3,丙,,,,1,incomplete,"indicator 报送: a peer statistic reads a bad cell of entity '2': months.csv:4: entity '2', column '报送数': 'x' is not a number"
CSV
"$rubric" score peers.rubric --entities peers.csv --periods months.csv -o out.csv --partial-data 2> err.txt
status=$?
[ $status = 3 ] || bad "peers: exit $status, not 3: $(cat err.txt)"
diff -u want.csv out.csv || bad "peers: the scores differ"
grep -qF "peers.csv:2: error[R1204]: entity 1 (甲): indicator 报送: a peer statistic reads a bad cell of entity '2'" err.txt || bad "peers: no R1204 for the spoiled statistic: $(cat err.txt)"

# two bad cells of one entity: named in file order, the same on every run
printf 'id,month,报送数\n1,1,1\n1,2,1\n2,1,x\n2,2,y\n3,1,2\n3,2,2\n' > months2.csv
for run in 1 2 3; do
  "$rubric" score peers.rubric --entities peers.csv --periods months2.csv -o out$run.csv --partial-data 2> /dev/null
done
grep -qF "months2.csv:4: entity '2', column '报送数': 'x' is not a number; months2.csv:5: entity '2', column '报送数': 'y' is not a number" out1.csv ||
  bad "two bad cells of one entity: not both named in file order: $(cat out1.csv)"
cmp -s out1.csv out2.csv && cmp -s out1.csv out3.csv || bad "two bad cells: the output differs between runs"
exit $fail
