#!/usr/bin/env bash
# periods.sh RUBRIC: a reduction over the periods (mean, max, count and sum
# of a per-period argument that divides) scores as the document computes
# it, reports the same failure as the rule reads in order, and compiles to
# code that does not grow with the periods (codegen/periods.c):
#   1. three months of four inputs; every expected value below is worked out
#      by hand from the rules;
#   2. a division by zero in 'c / d' in month 1 and in 'a / b' in month 3:
#      the part fails at 'a / b', the first division of the rule, whatever
#      the month (spec/semantics.md, "Run-time errors");
#   3. the same scheme over 36 months: its IR is no larger than over 3;
#   4. each period row finds its entity, whatever the rows' order, with ids
#      that are prefixes of one another (C1, C10, C100): rows in the
#      entities' order are matched to the holder after the one before
#      (load/periods.c), others through the id map;
#   5. tables large enough to be read in blocks the threads take in turn
#      (split.h, rb_split_blocks): one bad cell, in the first block of the
#      periods or of the entities, is still reported with its line, with
#      one thread or two, and nothing is written;
#   6. months written 01, 2.0, 1e0, 0002, 00001, " 2 " or +1: the periods of
#      1 and 2 (most are read on the cells' fast path, the rest by the full
#      grammar); months 3 and 0 of 1 to 2, written so or otherwise, are
#      reported.
set -u
rubric=$(realpath "$1")
work=$(mktemp -d "${TMPDIR:-/tmp}/rubric-periods.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
fail=0
die() { echo "FAIL: $*"; fail=1; }

cat > m.rubric <<'EOF'
scheme monthly "月度" {
  total 30
  period month 1 to 3
  input a: number per month at least 0
  input b: number per month at least 0
  input c: number per month at least 0
  input d: number per month at least 0
  indicator ratio "比率" points 10 {
    let r = mean(a / b + c / d)
    10 if r >= 2, 5 * r otherwise
  }
  indicator peak "峰值" points 10 { min(10, 4 * max(a / b)) }
  indicator months "达标月数" points 10 { 3 * count(a / b >= 0.5) + min(1, sum(c / d)) }
}
EOF
printf 'id,name\nX,甲\nY,乙\nZ,丙\nW,丁\nV,戊\n' > e.csv
# X: c/d fails in month 1, a/b in month 3; W: a/b in month 1, c/d in month 3;
# V: only c/d, in month 1
printf 'id,month,a,b,c,d\nX,1,1,2,1,0\nX,2,1,2,1,1\nX,3,1,0,1,1\nY,1,1,4,1,4\nY,2,1,2,1,2\nY,3,3,4,1,8\nZ,1,1,1,1,1\nZ,2,1,1,1,1\nZ,3,1,1,1,1\nW,1,1,0,1,1\nW,2,1,1,1,1\nW,3,1,1,1,0\nV,1,1,1,1,0\nV,2,1,1,1,1\nV,3,1,1,1,1\n' > p.csv
"$rubric" score m.rubric --entities e.csv --periods p.csv -o out.csv 2> err.txt
rc=$?
[ "$rc" = 3 ] || die "score exits $rc with three incomplete entities (want 3)"
# Y: ratio 5 * mean(1/4+1/4, 1/2+1/2, 3/4+1/8) = 5 * 2.375 / 3 = 3.958333333333333333 (18 decimals);
#    peak 4 * max(1/4, 1/2, 3/4) = 3; months 3 * 2 (1/2 and 3/4 reach 0.5) + min(1, 1/4+1/2+1/8) = 6.875
# Z: ratio mean(2) = 2 -> 10; peak 4 * 1 = 4; months 3 * 3 + min(1, 3) = 10
cat > want.csv <<'EOF'
id,name,total,rank,ratio,peak,months,status,reason
X,甲,,,,,,incomplete,indicator ratio: division by zero in 'a / b' (m.rubric:9:18); indicator peak: division by zero in 'a / b' (m.rubric:12:51); indicator months: division by zero in 'a / b' (m.rubric:13:49)
Y,乙,13.833333333333333333,2,3.958333333333333333,3,6.875,ok,
Z,丙,24,1,10,4,10,ok,
W,丁,,,,,,incomplete,indicator ratio: division by zero in 'a / b' (m.rubric:9:18); indicator peak: division by zero in 'a / b' (m.rubric:12:51); indicator months: division by zero in 'a / b' (m.rubric:13:49)
V,戊,,,,4,,incomplete,indicator ratio: division by zero in 'c / d' (m.rubric:9:26); indicator months: division by zero in 'c / d' (m.rubric:13:76)
EOF
cmp -s want.csv out.csv || { die "the monthly scores"; diff want.csv out.csv; }
grep -q "entity X (甲): indicator ratio: division by zero in 'a / b' (m.rubric:9:18)" err.txt ||
  { die "X's failure on standard error"; cat err.txt; }

# 3. the IR does not grow with the periods
sed 's/period month 1 to 3/period month 1 to 36/' m.rubric > m36.rubric
n3=$("$rubric" emit-llvm m.rubric | wc -l) n36=$("$rubric" emit-llvm m36.rubric | wc -l)
[ "$n36" -le "$n3" ] || die "36 months make $n36 lines of IR, 3 months $n3 (want no more)"
# 4. the rows' order: each entity's months are its own (a = 100 * entity + month)
cat > s.rubric <<'EOF'
scheme sums "合计" {
  total 1000000
  period month 1 to 2
  input a: number per month at least 0 missing 0
  indicator sum_a "合计" points 1000000 { sum(a) }
}
EOF
printf 'id,name\nC1,一\nC10,十\nC100,百\nC2,二\nC20,廿\n' > se.csv
printf 'C1 1\nC10 2\nC100 3\nC2 4\nC20 5\n' > ids.txt
in_order() { echo "id,month,a"; while read -r id k; do for m in 1 2; do echo "$id,$m,$((100 * k + m))"; done; done < ids.txt; }
in_order > p1.csv
{ echo "id,month,a"; tail -n +2 p1.csv | tac; } > p2.csv # reversed
{ echo "id,month,a"; tail -n +2 p1.csv | awk 'NR % 2 == 1'; tail -n +2 p1.csv | awk 'NR % 2 == 0'; } > p3.csv # months 1, then 2
{ echo "id,month,a"; grep -E '^C(10|1|2),' p1.csv; grep -E '^C(100|20),' p1.csv; } > p4.csv # C100's rows after C2's
printf 'id,name,total,rank,sum_a\nC1,一,203,5,203\nC10,十,403,4,403\nC100,百,603,3,603\nC2,二,803,2,803\nC20,廿,1003,1,1003\n' > swant.csv
# C1's rows after C10's, and C100 with none (so 0): the holder after C10 is
# C100, whose id begins with C1's
{ echo "id,month,a"; grep -E '^C10,' p1.csv; grep -E '^C1,' p1.csv; grep -E '^C2,|^C20,' p1.csv; } > p5.csv
sed 's/^C1,一,203,5,203$/C1,一,203,4,203/; s/^C100,百,603,3,603$/C100,百,0,5,0/; s/^C10,十,403,4,403$/C10,十,403,3,403/' swant.csv > swant5.csv
for k in 1 2 3 4 5; do
  want=swant.csv
  [ "$k" = 5 ] && want=swant5.csv
  "$rubric" score s.rubric --entities se.csv --periods p$k.csv -o s$k.csv 2> serr.txt || { die "order $k: score failed"; cat serr.txt; }
  cmp -s "$want" s$k.csv || { die "order $k: the sums"; diff "$want" s$k.csv; }
done

# ---- 5. a bad cell in the first of many blocks ------------------------------------
cat > b.rubric <<'EOF'
scheme blocks "分块" {
  total 10
  period month 1 to 12
  input c: count
  input a: number per month at least 0
  indicator x "x" points 10 { 10 if mean(a) + c >= 10, 0 if mean(a) + c <= 0, linear between }
}
EOF
# 3,000 entities and 36,000 period rows: blocks of 1,024 and 4,096 rows
awk 'BEGIN { print "id,name,c"; for (i = 0; i < 3000; i++) printf "E%d,县%d,%d\n", i, i, i % 3 }' > be.csv
awk 'BEGIN { print "id,month,a"; for (i = 0; i < 3000; i++) for (m = 1; m <= 12; m++) printf "E%d,%d,%d\n", i, m, (i * 7 + m) % 11 }' > bp.csv
sed '4s/^E0,3,.*/E0,3,x5/' bp.csv > bp_bad.csv      # line 4: E0's month 3
sed '3s/^E1,县1,1$/E1,县1,y/' be.csv > be_bad.csv  # line 3: E1's count
for threads in 1 2; do
  for bad in periods entities; do
    if [ $bad = periods ]; then args=(--entities be.csv --periods bp_bad.csv) want="bp_bad.csv:4: error[R1104]: entity 'E0', column 'a': 'x5' is not a number"
    else args=(--entities be_bad.csv --periods bp.csv) want="be_bad.csv:3: error[R1104]: entity 'E1', column 'c': 'y' is not a number"; fi
    RUBRIC_THREADS=$threads "$rubric" score b.rubric "${args[@]}" -o b.out 2> berr.txt
    st=$?
    [ $st = 1 ] || die "blocks, bad $bad, $threads threads: exit $st, not 1"
    grep -qF "$want" berr.txt || { die "blocks, bad $bad, $threads threads: the cell is not reported"; cat berr.txt; }
    [ ! -e b.out ] || { die "blocks, bad $bad, $threads threads: an output was written"; rm -f b.out; }
  done
done
RUBRIC_THREADS=2 "$rubric" score b.rubric --entities be.csv --periods bp.csv -o b2.out || die "blocks: the clean tables"
RUBRIC_THREADS=1 "$rubric" score b.rubric --entities be.csv --periods bp.csv -o b1.out || die "blocks: the clean tables, 1 thread"
cmp -s b1.out b2.out || die "blocks: one thread and two wrote different tables"

# ---- 6. a period written otherwise --------------------------------------------------
# the rows of p1.csv with their months as 01, 2.0, 1e0, 0002, 00001 (five
# digits), " 2 " and +1: the same periods, the same sums (swant.csv)
{ echo "id,month,a"; tail -n +2 p1.csv | awk -F, 'BEGIN { split("01|2.0|1e0|0002|00001| 2 |+1|02|1|2", form, "|") }
    { m = form[NR]; if ((m + 0) != $2) { print "bad form " m " for " $2 > "/dev/stderr"; exit 1 }; print $1 "," m "," $3 }'; } > p6.csv
"$rubric" score s.rubric --entities se.csv --periods p6.csv -o s6.csv 2> serr.txt || { die "months written otherwise: score failed"; cat serr.txt; }
cmp -s swant.csv s6.csv || { die "months written otherwise: the sums"; diff swant.csv s6.csv; }
# and just outside 1 to 2, as written and otherwise: reported at its line
for m in 3 0 03 00 3.0 +3 +0; do
  { head -4 p1.csv; echo "C20,$m,7"; tail -n +5 p1.csv; } > p7.csv
  "$rubric" score s.rubric --entities se.csv --periods p7.csv -o s7.csv 2> serr.txt
  st=$?
  [ $st = 1 ] || die "month $m of 1 to 2: exit $st, not 1"
  grep -qF "p7.csv:5: error[R1104]: column 'month': '$m' is not a month from 1 to 2" serr.txt ||
    { die "month $m of 1 to 2: not reported"; cat serr.txt; }
  [ ! -e s7.csv ] || { die "month $m of 1 to 2: an output was written"; rm -f s7.csv; }
done

[ "$fail" = 0 ] && echo "periods: 5 entities as worked out by hand; IR $n3 lines for 3 months, $n36 for 36; rows in 5 orders; a bad cell among blocks"
exit "$fail"
