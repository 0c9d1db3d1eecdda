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
exit $fail
