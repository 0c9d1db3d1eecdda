#!/usr/bin/env bash
# exact.sh RUBRIC SRC_DIR: scores as the document computes them
# (spec/semantics.md#numbers), end to end through `rubric score`:
#   1. rate 96.5% on "10 points at 100%, 0 below 90%, linear between" is 6.5,
#      as is a county assessed at 6.5: one rank, in CSV, JSON and rounded text;
#   2. the Chengwu example's totals are 89.1 and 88.4;
#   3. --decimals rounds half up (四舍五入): 2.5 → 3, -2.5 → -3, 0.125 → 0.13;
#   4. `round 2` makes the table add up; `round total 2` rounds the total only;
#   5. equal totals reached by different rules share a rank, whatever the row order;
#   6. values past what a cell of 4 bytes holds (runtime/narrow.h: a count over
#      2,147,483,645, a rate with 10 decimals), per entity and per month, are read
#      exactly (kept aside), next to values at the edge that fit.
# Each expected table is written out here, from the document's arithmetic.
set -u
rubric=$(realpath "$1") src=$(realpath "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
fail=0
die() { echo "FAIL: $*"; fail=1; }
same() { # same NAME EXPECTED-FILE ACTUAL-FILE
  if ! cmp -s "$2" "$3"; then die "$1"; diff "$2" "$3" | head -20; fi
}

# ---- 1. the 6.5 case ------------------------------------------------------------
cat > six.rubric <<'EOF'
scheme six "办结率" {
  total 20
  input rate: fraction "按时办结率"
  input assessed: number in [0, 10] "评估得分"
  indicator speed "按时办结率" points 10 { 10 if rate >= 100%, 0 if rate < 90%, linear between }
  indicator review "评估" points 10 { assessed }
}
EOF
printf 'id,name,rate,assessed\nA,甲县,96.5%%,0\nB,乙县,80%%,6.5\nC,丙县,90%%,6.4\n' > six.csv
"$rubric" score six.rubric --entities six.csv -o six.out.csv || die "six: score failed"
cat > six.want.csv <<'EOF'
id,name,total,rank,speed,review
A,甲县,6.5,1,6.5,0
B,乙县,6.5,1,0,6.5
C,丙县,6.4,3,0,6.4
EOF
same "96.5% and an assessed 6.5 are both 6.5, rank 1" six.want.csv six.out.csv
"$rubric" score six.rubric --entities six.csv --decimals 2 -o six2.out.csv || die "six: --decimals 2 failed"
same "--decimals 2 shows 6.5 twice with one rank" six.want.csv six2.out.csv
"$rubric" score six.rubric --entities six.csv --decimals 0 -o six0.out.csv || die "six: --decimals 0 failed"
cat > six0.want.csv <<'EOF'
id,name,total,rank,speed,review
A,甲县,7,1,7,0
B,乙县,7,1,0,7
C,丙县,6,3,0,6
EOF
same "--decimals 0 rounds 6.5 half up to 7" six0.want.csv six0.out.csv
"$rubric" score six.rubric --entities six.csv --format json -o six.json || die "six: json failed"
grep -q '{"id": "A", "name": "甲县", "total": 6.5, "rank": 1, "scores": {"speed": 6.5, "review": 0}}' six.json ||
  die "JSON: A is not 6.5, rank 1"
grep -q '{"id": "B", "name": "乙县", "total": 6.5, "rank": 1, "scores": {"speed": 0, "review": 6.5}}' six.json ||
  die "JSON: B is not 6.5, rank 1"

# ---- 2. Chengwu's example --------------------------------------------------------
cw=$src/examples/chengwu
"$rubric" score "$cw/chengwu_2022.rubric" --entities "$cw/heze_counties.csv" --periods "$cw/heze_months.csv" \
  -o cw.csv || die "chengwu: score failed"
grep -q '^371702,牡丹区,89.1,1,' cw.csv || die "牡丹区 is not 89.1, rank 1: $(grep 371702 cw.csv)"
grep -q '^371723,成武县,88.4,2,' cw.csv || die "成武县 is not 88.4, rank 2: $(grep 371723 cw.csv)"
if grep -qE '[0-9]\.[0-9]*(0000000000|9999999999)[0-9]*(,|$)' cw.csv; then die "a binary artefact in Chengwu's table"; fi

# ---- 3. --decimals rounds half up ----------------------------------------------------
cat > half.rubric <<'EOF'
scheme half "四舍五入" {
  total 100
  input v: number in [-100, 100] "数值"
  indicator x "x" points 100 { v }
  target t "目标" { v >= 0 }
}
EOF
printf 'id,name,v\n1,a,2.5\n2,b,0.125\n3,c,57.635\n4,d,-2.5\n5,e,0.124999999999999999\n6,f,99.995\n' > half.csv
"$rubric" score half.rubric --entities half.csv --targets half.t0.csv --decimals 0 -o half0.csv || die "half: score failed"
"$rubric" score half.rubric --entities half.csv --targets half.t2.csv --decimals 2 -o half2.csv || die "half: score failed"
# ranks come from the scores, not the rounded text: f 99.995, c 57.635, a 2.5, b 0.125, e, d held at 0
cat > half0.want <<'EOF'
id,name,total,rank,x
1,a,3,3,3
2,b,0,4,0
3,c,58,2,58
4,d,0,6,0
5,e,0,5,0
6,f,100,1,100
EOF
cat > half2.want <<'EOF'
id,name,total,rank,x
1,a,2.5,3,2.5
2,b,0.13,4,0.13
3,c,57.64,2,57.64
4,d,0,6,0
5,e,0.12,5,0.12
6,f,100,1,100
EOF
same "--decimals 0 is half up" half0.want half0.csv
same "--decimals 2 is half up" half2.want half2.csv
grep -q '^4,d,t,目标,-3,0,no,-3$' half.t0.csv || { die "target: -2.5 is not -3 with --decimals 0"; cat half.t0.csv; }
grep -q '^4,d,t,目标,-2.5,0,no,-2.5$' half.t2.csv || { die "target: -2.5 with --decimals 2"; cat half.t2.csv; }

# ---- 4. round 2 and round total 2 ----------------------------------------------------
for decl in "round 2" "round total 2" "# none"; do
  cat > r.rubric <<EOF
scheme r "保留两位小数" {
  $decl
  total 30
  input a: count "甲"
  input b: count "乙"
  input c: count "丙"
  indicator x "x" points 10 { min(10, a / 3) }
  indicator y "y" points 10 { min(10, b / 3) }
  indicator z "z" points 10 { min(10, c / 3) }
}
EOF
  printf 'id,name,a,b,c\n1,甲,1,1,1\n2,乙,2,2,2\n3,丙,1,1,2\n' > r.csv
  "$rubric" score r.rubric --entities r.csv -o "out_$(echo "$decl" | tr -dc 'a-z0-9').csv" || die "$decl: score failed"
done
cat > round2.want <<'EOF'
id,name,total,rank,x,y,z
1,甲,0.99,3,0.33,0.33,0.33
2,乙,2.01,1,0.67,0.67,0.67
3,丙,1.33,2,0.33,0.33,0.67
EOF
same "round 2: the parts are rounded and the total is their sum" round2.want out_round2.csv
cat > roundtotal2.want <<'EOF'
id,name,total,rank,x,y,z
1,甲,1,3,0.333333333333333333,0.333333333333333333,0.333333333333333333
2,乙,2,1,0.666666666666666667,0.666666666666666667,0.666666666666666667
3,丙,1.33,2,0.333333333333333333,0.333333333333333333,0.666666666666666667
EOF
same "round total 2: only the total" roundtotal2.want out_roundtotal2.csv
cat > none.want <<'EOF'
id,name,total,rank,x,y,z
1,甲,1,3,0.333333333333333333,0.333333333333333333,0.333333333333333333
2,乙,2,1,0.666666666666666667,0.666666666666666667,0.666666666666666667
3,丙,1.333333333333333333,2,0.333333333333333333,0.333333333333333333,0.666666666666666667
EOF
same "no rounding declared: 1/3 three times is 1" none.want out_none.csv

# ---- 5. equal totals by different rules, any row order --------------------------------
cat > tie.rubric <<'EOF'
scheme tie "并列" {
  total 30
  input a: number in [0, 10] "甲"
  input b: number in [0, 10] "乙"
  indicator p "p" points 10 { a / 3 }
  indicator q "q" points 10 { a / 3 * 2 }
  indicator r "r" points 10 { b }
}
EOF
# a third and two thirds of 1 make 1, as do 0.1 + 0.2 + 0.7 and 0 + 0 + 1
printf 'id,name,a,b\n1,一,1,0\n2,二,0,1\n3,三,0,0\n4,四,0.3,0.7\n' > tie.csv
"$rubric" score tie.rubric --entities tie.csv -o tie.out || die "tie: score failed"
cat > tie.want <<'EOF'
id,name,total,rank,p,q,r
1,一,1,1,0.333333333333333333,0.666666666666666667,0
2,二,1,1,0,0,1
3,三,0,4,0,0,0
4,四,1,1,0.1,0.2,0.7
EOF
same "1 three ways is one rank" tie.want tie.out
{ head -1 tie.csv; tail -n +2 tie.csv | tac; } > tie.rev.csv
"$rubric" score tie.rubric --entities tie.rev.csv -o tie.rev.out || die "tie: reversed failed"
[ "$(tail -n +2 tie.rev.out | sort)" = "$(tail -n +2 tie.out | sort)" ] || die "row order changed the rows"

# ---- 6. values past a cell of 4 bytes --------------------------------------------
cat > big.rubric <<'EOF'
scheme big "大数" {
  total 40
  period month 1 to 2
  input firms: count "企业数"
  input growth: fraction "增长率"
  input monthly: count per month "月度"
  input share: fraction per month "占比"
  indicator a "规模" points 10 { 10 if firms >= 4000000000, 0 if firms <= 2000000000, linear between }
  indicator g "增长" points 10 { 10 if growth >= 1, 0 if growth <= 0, linear between }
  indicator m "月度" points 10 {
    let x = mean(monthly)
    10 if x >= 2147483647, 0 if x <= 2147483643, linear between
  }
  indicator s "占比" points 10 {
    let x = mean(share)
    10 if x >= 1, 0 if x <= 0, linear between
  }
}
EOF
printf 'id,name,firms,growth\nA,甲,3000000001,0.1234567891\nB,乙,2000000000,20%%\nC,丙,10000000000,1\n' > big.csv
printf 'id,month,monthly,share\nA,1,2147483646,0.1234567891\nA,2,2147483647,98.76543211%%\n' > big.m.csv
printf 'B,1,2147483644,0.5\nB,2,2147483645,0.25\nC,1,2147483647,1\nC,2,2147483647,100%%\n' >> big.m.csv
"$rubric" score big.rubric --entities big.csv --periods big.m.csv -o big.out || die "big: score failed"
# A: 10 * 1000000001 / 2e9; 10 * 0.1234567891; mean 2147483646.5: 10 * 3.5 / 4;
#    mean 0.5555555551: 10 * 0.5555555551.  B: 0; 10 * 0.2; 10 * 1.5 / 4; 10 * 0.375.
# C: every rule at its top
cat > big.want <<'EOF'
id,name,total,rank,a,g,m,s
A,甲,20.540123447,2,5.000000005,1.234567891,8.75,5.555555551
B,乙,9.5,3,0,2,3.75,3.75
C,丙,40,1,10,10,10,10
EOF
same "values past a 4-byte cell are read exactly" big.want big.out

[ $fail = 0 ] && echo "exact: 6 groups hold"
exit $fail
