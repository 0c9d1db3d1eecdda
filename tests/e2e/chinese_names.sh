#!/usr/bin/env bash
# chinese_names.sh RUBRIC ROOT: a scheme whose names are Chinese
# (tests/lang/chinese_names.rubric) scores a table whose headers are those
# names, one of them typed in another Unicode form (NFD), and writes them
# as its output headers; the values by hand.
set -u
rubric=$1 root=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail=0
bad() { echo "FAIL: $*" >&2; fail=1; }
scheme=$root/tests/lang/chinese_names.rubric
printf 'id,name,失信主体数,市场主体数,报送条数,达标\n1,甲县,10,10000,20000,是\n2,乙县,40,10000,40000,否\n' > counties.csv
"$rubric" score "$scheme" --scheme 信用县 --entities counties.csv -o out.csv --targets targets.csv 2> err.txt || bad "exit $?: $(cat err.txt)"
# 1: 占比 0.1% -> 6; 报送 6 * 2万/4万 = 3; 机制 4; rank 2 -> 名次 4; 17, 一般
# 2: 0.4% -> 3; 6; 机制 0; rank 1 -> 4; 13, 一般
cat > want.csv <<'CSV'
id,name,total,rank,等级,失信占比,报送,制度,制度.机制,制度.名次
1,甲县,17,1,一般,6,3,8,4,4
2,乙县,13,2,一般,3,6,4,0,4
CSV
diff -u want.csv out.csv || bad "the scores differ"
cat > want_targets.csv <<'CSV'
id,name,target,title,value,goal,met,margin
1,甲县,报送目标,报送不少于1万条,20000,10000,yes,10000
2,乙县,报送目标,报送不少于1万条,40000,10000,yes,30000
CSV
diff -u want_targets.csv targets.csv || bad "the targets differ"
# a header typed as t-a-u-x-e + U+0301 (NFD) names the input tauxé (NFC)
printf 'id,name,taux\x65\xcc\x81\n1,甲,50%%\n' > nfd.csv
"$rubric" score "$scheme" --scheme café --entities nfd.csv -o nfd_out.csv 2> err.txt || bad "NFD header: exit $?: $(cat err.txt)"
printf 'id,name,total,rank,x\n1,甲,0.5,1,0.5\n' > want_nfd.csv
diff -u want_nfd.csv nfd_out.csv || bad "the NFD header's table differs"

# headers: the id, else the column "...", else the title; the id first
cat > cols.rubric <<'R'
scheme s "s" {
  total 10
  input done: count "配合件数"
  input asked: count at least 1 "需配合件数" column "应配合数"
  input ok: yesno "是否达标"
  indicator rate "配合率" points 6 { 6 * min(1, done / asked) if ok, 0 otherwise }
  indicator base "基础" points 4 {
    item a "完成情况" points 2 { 2 if ok, 0 otherwise }
    item b "完成情况" points 2 { 2 }
  }
}
R
printf 'id,name,配合件数,应配合数,ok\n1,甲,3,4,是\n2,乙,5,4,否\n' > t1.csv        # title, column, id
printf 'id,name,done,配合件数,需配合件数,ok\n1,甲,3,9,4,是\n2,乙,5,9,4,否\n' > t2.csv # id before title
for f in t1 t2; do
  "$rubric" score cols.rubric --entities $f.csv -o $f.out 2> err.txt || bad "$f: exit $?: $(cat err.txt)"
  printf 'id,name,total,rank,rate,base,base.a,base.b\n1,甲,8.5,1,4.5,4,2,2\n2,乙,2,2,0,2,0,2\n' > want.csv
  diff -u want.csv $f.out || bad "$f: the scores differ"
done
printf 'id,name,done,ok\n1,甲,3,是\n' > t3.csv
"$rubric" score cols.rubric --entities t3.csv -o t3.out 2> err.txt
grep -q "t3.csv:1: error\[R1103\]: missing column 'asked' (应配合数)" err.txt || bad "no missing-column error naming the column: $(cat err.txt)"
[ ! -e t3.out ] || bad "a table with a missing column was written"
# --titles: the parts' titles, a shared one with its path
"$rubric" score cols.rubric --entities t1.csv --titles -o titles.out || bad "--titles: exit $?"
[ "$(head -1 titles.out)" = "id,name,total,rank,配合率,基础,完成情况 (base.a),完成情况 (base.b)" ] ||
  bad "--titles header: $(head -1 titles.out)"
# a misspelt `column`
printf 'scheme s "s" {\n  total 1\n  input a: count "甲" colum "乙"\n  indicator x "x" points 1 { min(1, a) }\n}\n' > bad.rubric
"$rubric" check bad.rubric 2> err.txt
grep -q "bad.rubric:3:22: error\[R0313\]: 'colum \"乙\"': write 'column" err.txt || bad "no R0313 for 'colum': $(cat err.txt)"
exit $fail
