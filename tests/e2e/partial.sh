#!/usr/bin/env bash
# partial.sh RUBRIC ROOT: entities whose rules fail are written as
# incomplete (spec/cli.md, "Incomplete entities"): every other part scored,
# the failed parts, total and rank empty, status and reason columns, exit
# status 3; --strict writes nothing (exit 1); JSON and the targets table
# say the same; Chinese reasons with --lang zh.
set -u
rubric=$1 root=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$root"/tests/e2e/data/* "$work"/
cd "$work"
fail=0
bad() { echo "FAIL: $*" >&2; fail=1; }

# 1. mini.rubric: entities 2 and 3 divide by zero in 'share' (b = 0).
"$rubric" score mini.rubric --entities division_by_zero.csv --periods good_months.csv -o out.csv 2> err.txt
rc=$?
[ $rc = 3 ] || bad "exit status $rc, not 3, for incomplete entities"
# by hand: 1: share 5/10 = 50% -> 4, ok -> 3, mean(1, .5, 0) * 3 = 1.5;
# 2: no -> 0, mean(1, 1, 1) * 3 = 3; 3: yes -> 3, mean(.25 x3) * 3 = 0.75
cat > want.csv <<'CSV'
id,name,total,rank,share,flag,monthly,status,reason
1,甲镇,8.5,1,4,3,1.5,ok,
2,乙镇,,,,0,3,incomplete,indicator share: division by zero in 'a / b' (mini.rubric:10:13)
3,丙镇,,,,3,0.75,incomplete,indicator share: division by zero in 'a / b' (mini.rubric:10:13)
CSV
diff -u want.csv out.csv || bad "the incomplete table differs"
grep -q "^division_by_zero.csv:3: error\[R1202\]: entity 2 (乙镇): indicator share" err.txt || bad "no located error for entity 2: $(cat err.txt)"
grep -q "rubric: written; 2 entities are incomplete" err.txt || bad "no summary line: $(cat err.txt)"

# 2. --strict: all or nothing, as before
rm -f out.csv
"$rubric" score mini.rubric --entities division_by_zero.csv --periods good_months.csv -o out.csv --strict 2> err.txt
rc=$?
[ $rc = 1 ] || bad "--strict: exit status $rc, not 1"
[ ! -e out.csv ] || bad "--strict wrote out.csv"
grep -q "nothing written: 2 entities could not be scored" err.txt || bad "--strict: no summary: $(cat err.txt)"

# 3. a complete run has neither column and exits 0
"$rubric" score mini.rubric --entities good.csv --periods good_months.csv -o out.csv 2> err.txt || bad "good.csv: exit $?"
head -1 out.csv | grep -q "status" && bad "a complete table has a status column"

# 4. JSON, in Chinese: null total and rank, the status and the reason
"$rubric" score mini.rubric --entities division_by_zero.csv --periods good_months.csv --format json --lang zh \
  > out.json 2> err.txt
rc=$?
[ $rc = 3 ] || bad "JSON: exit status $rc, not 3"
"${PYTHON:-python3}" - out.json <<'PY' || fail=1
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
e = {x["id"]: x for x in doc["entities"]}
assert e["1"]["total"] == 8.5 and e["1"]["rank"] == 1 and "status" not in e["1"], e["1"]
for i in ("2", "3"):
    x = e[i]
    assert x["total"] is None and x["rank"] is None and x["scores"]["share"] is None, x
    assert x["status"] == "incomplete", x
    assert x["reason"].startswith("指标 share：") and "mini.rubric:10:13" in x["reason"], x["reason"]
assert e["2"]["scores"]["monthly"] == 3 and e["3"]["scores"]["flag"] == 3
PY

# 5. a target that fails: neither met nor missed, with the reason
cat > tgt.rubric <<'R'
scheme tgt "目标" {
  input a: count "甲"
  input b: count "乙"
  target share "占比过半" { a / b >= 50% }
}
R
printf 'id,name,a,b\n1,甲镇,5,10\n2,乙镇,1,0\n' > tgt.csv
"$rubric" score tgt.rubric --entities tgt.csv -o tgt_out.csv 2> err.txt
rc=$?
[ $rc = 3 ] || bad "targets: exit status $rc, not 3"
cat > want_tgt.csv <<'CSV'
id,name,target,title,value,goal,met,margin,status,reason
1,甲镇,share,占比过半,0.5,0.5,yes,0,ok,
2,乙镇,share,占比过半,,,,,incomplete,target share: division by zero in 'a / b' (tgt.rubric:4:25)
CSV
diff -u want_tgt.csv tgt_out.csv || bad "the targets table differs"

# 6. a requirement the data breaks: that entity incomplete, the others scored;
# --strict writes nothing; a requirement that cannot be computed fails too
cat > req.rubric <<'R'
scheme req "数据合规" {
  total 10
  input ok_n: count "合规数据量"
  input all_n: count "报送数据量"
  input months: count "月数"
  require ok_n <= all_n "合规数据量不能超过报送数据量"
  require 12 / months >= 1 "月数不超过 12"
  indicator rate "合规率" points 10 { 10 if all_n == 0, min(10, 10 * ok_n / all_n) otherwise }
}
R
printf 'id,name,ok_n,all_n,months\n1,甲,8,10,12\n2,乙,12,10,12\n3,丙,0,0,0\n' > req.csv
"$rubric" score req.rubric --entities req.csv -o req_out.csv 2> err.txt
rc=$?
[ $rc = 3 ] || bad "require: exit status $rc, not 3"
cat > want_req.csv <<'CSV'
id,name,total,rank,rate,status,reason
1,甲,8,1,8,ok,
2,乙,,,10,incomplete,the data does not meet the requirement: 合规数据量不能超过报送数据量 (req.rubric:6:3)
3,丙,,,10,incomplete,division by zero in '12 / months' (req.rubric:7:11)
CSV
diff -u want_req.csv req_out.csv || bad "the requirement table differs"
grep -q "^req.csv:3: error\[R1114\]: entity 2 (乙): the data does not meet the requirement: 合规数据量不能超过报送数据量" err.txt ||
  bad "no located R1114: $(cat err.txt)"
rm -f req_out.csv
"$rubric" score req.rubric --entities req.csv -o req_out.csv --strict 2> /dev/null
rc=$?
[ $rc = 1 ] && [ ! -e req_out.csv ] || bad "require --strict: exit $rc, or a table was written"

# 7. Chengwu's full Heze table: two counties of over a million residents,
# which the document does not score, and every other county as always
cd "$root/examples/chengwu"
"$rubric" score chengwu_2022.rubric --entities heze_counties_all.csv --periods heze_months_all.csv \
  -o "$work/heze.csv" 2> "$work/err.txt"
rc=$?
[ $rc = 3 ] || bad "Heze: exit status $rc, not 3"
n=$(grep -c ",incomplete,indicator info_collection: the scheme leaves this case undefined" "$work/heze.csv")
[ "$n" = 2 ] || bad "Heze: $n incomplete counties, not 2"
"$rubric" score chengwu_2022.rubric --entities heze_counties.csv --periods heze_months.csv -o "$work/some.csv" \
  || bad "heze_counties.csv does not score"
"${PYTHON:-python3}" - "$work/heze.csv" "$work/some.csv" <<'PY' || fail=1
import csv, sys
full = {r["id"]: r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))}
some = list(csv.DictReader(open(sys.argv[2], encoding="utf-8")))
assert some, "no rows"
for r in some:  # the complete counties score as they do alone (ranks may differ)
    f = full[r["id"]]
    assert f["status"] == "ok" and f["reason"] == "", f
    for k, v in r.items():
        if k != "rank":
            assert f[k] == v, (r["id"], k, f[k], v)
PY
exit $fail
