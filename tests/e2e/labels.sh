#!/usr/bin/env bash
# labels.sh RUBRIC ROOT: the scheme of tests/lang/labels.rubric scores a
# table whose label columns are headed by the inputs' titles (values worked
# by hand below); a cell that is none of its input's labels is a located
# error, and nothing is written.
set -u
rubric=$1 root=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail=0
bad() { echo "FAIL: $*" >&2; fail=1; }
scheme=$root/tests/lang/labels.rubric
cat > counties.csv <<'CSV'
id,name,纳税信用等级,获得表彰级别
e1,甲,A级,国家级
e2,乙, B级 ,
e3,丙,C级,市级
e4,丁,D级,无
CSV
i=0
{
  echo "id,month,月度评价"
  for m in 优 优 良 差; do echo "e1,$((++i)),$m"; done; i=0
  for m in 中 中 中 优; do echo "e2,$((++i)),$m"; done; i=0
  for m in 优 优 优 优; do echo "e3,$((++i)),$m"; done; i=0
  for m in 差 良 差 良; do echo "e4,$((++i)),$m"; done
} > months.csv
"$rubric" score "$scheme" --entities counties.csv --periods months.csv -o out.csv 2> err.txt || bad "exit $?: $(cat err.txt)"
# 纳税 by level 5/3/1/0; 表彰 3/2/1/0 (an empty cell is 无); 月评 0.5 per 优 or 良, at most 2
# e1: 5 + 3 + 1.5 = 9.5; e2: 3 + 0 + 0.5 = 3.5; e3: 1 + 1 + 2 = 4; e4: 0 + 0 + 1 = 1
cat > want.csv <<'CSV'
id,name,total,rank,纳税,表彰,月评
e1,甲,9.5,1,5,3,1.5
e2,乙,3.5,3,3,0,0.5
e3,丙,4,2,1,1,2
e4,丁,1,4,0,0,1
CSV
diff -u want.csv out.csv || bad "the scores differ"
# labels are matched exactly: a lower-case level and a label of another input
sed -i 's/^e3,丙,C级/e3,丙,c级/; s/^e4,丁,D级,无/e4,丁,D级,县级/' counties.csv
rm -f out.csv
"$rubric" score "$scheme" --entities counties.csv --periods months.csv -o out.csv 2> err.txt
status=$?
[ $status = 1 ] || bad "a bad label: exit $status, not 1"
[ ! -e out.csv ] || bad "a bad label: out.csv was written"
grep -qF "counties.csv:4: error[R1104]: entity 'e3', column '信用等级': 'c级' is not one of its labels (A级, B级, C级, D级)" err.txt ||
  bad "no located message for c级: $(cat err.txt)"
grep -qF "counties.csv:5: error[R1104]: entity 'e4', column '荣誉': '县级' is not one of its labels (国家级, 省级, 市级, 无)" err.txt ||
  bad "no located message for 县级: $(cat err.txt)"
exit $fail
