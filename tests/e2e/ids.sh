#!/usr/bin/env bash
# ids.sh RUBRIC: tables with enough rows that the ids' work (each row's id,
# the id map, duplicates, parents) runs on a thread of its own while the
# entities' cells are parsed (load/entities.c, from 16,384 rows), with one
# loading thread and two:
#   1. missing and duplicate ids, near the top and near the bottom, and bad
#      cells, one of them in a duplicate row: every id problem is reported,
#      in row order, before any cell's, and the duplicate row's bad cell is
#      not (its row is not read); nothing is written;
#   2. parents: a parents table whose rows repeat an entity's id or their
#      own, and entities whose parent has no row or is left empty: reported
#      as with a few rows, ids first, then parents;
#   3. clean tables: every entity's total is what its cells give (worked out
#      here with awk), the peer groups by parent are right, and one thread
#      and two write the same bytes.
set -u
rubric=$(realpath "$1")
work=$(mktemp -d "${TMPDIR:-/tmp}/rubric-ids.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
fail=0
die() { echo "FAIL: $*"; fail=1; }
N=20000

# problems WHAT WANT ARG...: `score s.rubric ARG...`, with 1 thread and with 2,
# exits 1, writes nothing, and reports on its tables' lines exactly WANT's lines.
problems() {
  local what=$1 want=$2 threads st
  shift 2
  for threads in 1 2; do
    RUBRIC_THREADS=$threads "$rubric" score s.rubric "$@" -o o.csv 2> err.txt
    st=$?
    [ $st = 1 ] || die "$what, $threads threads: exit $st, not 1"
    grep -E '^[a-z_]+\.csv:[0-9]+: ' err.txt > got.txt
    cmp -s "$want" got.txt || { die "$what, $threads threads: the problems differ"; diff "$want" got.txt; }
    [ ! -e o.csv ] || { die "$what, $threads threads: an output was written"; rm -f o.csv; }
  done
}

cat > s.rubric <<'EOF'
scheme flat "平面" {
  total 10
  input c: count
  indicator x "x" points 10 { min(10, c) }
}
scheme kids "下级" {
  total 4
  peers by parent
  input city: rank from parent "所在市排名"
  input n: count "数量"
  indicator city_rank "所在市排名" points 2 { 2 if city <= 10, 0 otherwise }
  indicator level "数量" points 2 { 2 if n >= peers.max(n), 0 otherwise }
}
EOF

# ---- 1. missing and duplicate ids among 20,000 rows --------------------------------
# row i (0-based) is on line i + 2
awk -v n=$N 'BEGIN { print "id,name,c"; for (i = 0; i < n; i++) printf "E%d,县%d,%d\n", i, i, i % 13 }' > e.csv
# line 4: no id; line 9: E1 again (first on line 3, and E7 is gone); line
# 19000: E5 again, with a bad cell; line 19001: ' E8 ' (E8, first on line 10,
# once trimmed); line 20001: no id; line 100: a bad cell in a row of its own
awk -v n=$N 'NR == 4 { print " ,县2,1"; next }
             NR == 9 { print "E1,县7,1"; next }
             NR == 19000 { print "E5,县x,abc"; next }
             NR == 19001 { print " E8 ,县y,2"; next }
             NR == n + 1 { print ",县z,3"; next }
             NR == 100 { print "E98,县98,x9"; next }
             { print }' e.csv > e_bad.csv
cat > want1.txt <<'EOF'
e_bad.csv:4: error[R1106]: column 'id': missing value
e_bad.csv:9: error[R1107]: duplicate id 'E1' (first on line 3)
e_bad.csv:19000: error[R1107]: duplicate id 'E5' (first on line 7)
e_bad.csv:19001: error[R1107]: duplicate id 'E8' (first on line 10)
e_bad.csv:20001: error[R1106]: column 'id': missing value
e_bad.csv:100: error[R1104]: entity 'E98', column 'c': 'x9' is not a number
EOF
problems ids want1.txt --scheme flat --entities e_bad.csv

# ---- 2. parents among 20,000 rows ----------------------------------------------------
# 200 cities P0..P199, each the parent of 100 counties; the parents table ends
# with E3 (an entity's id) on line 202 and P7 again on line 203; county E10's
# parent is P999 (no row), county E19990's parent cell is empty
awk -v n=$N 'BEGIN { print "id,name,parent,n"; for (i = 0; i < n; i++) printf "E%d,县%d,P%d,%d\n", i, i, i % 200, i % 17 }' > k.csv
awk 'BEGIN { print "id,city"; for (p = 0; p < 200; p++) printf "P%d,%d\n", p, p % 20 + 1 }' > p.csv
awk 'NR == 12 { print "E10,县10,P999,3"; next } NR == 19992 { print "E19990,县19990,,3"; next } { print }' k.csv > k_bad.csv
{ cat p.csv; echo "E3,9"; echo "P7,4"; } > p_bad.csv
cat > want2.txt <<'EOF'
p_bad.csv:202: error[R1107]: duplicate id 'E3' (first on k_bad.csv line 5)
p_bad.csv:203: error[R1107]: duplicate id 'P7' (first on line 9)
k_bad.csv:12: error[R1108]: column 'parent': 'P999' has no row in p_bad.csv
k_bad.csv:19992: error[R1106]: column 'parent': missing value (entity 'E19990')
EOF
problems parents want2.txt --scheme kids --entities k_bad.csv --parents p_bad.csv

# ---- 3. clean tables: the totals, and the same bytes with one thread or two -------------
for threads in 1 2; do
  RUBRIC_THREADS=$threads "$rubric" score s.rubric --scheme flat --entities e.csv -o flat$threads.csv ||
    die "clean flat table, $threads threads"
  RUBRIC_THREADS=$threads "$rubric" score s.rubric --scheme kids --entities k.csv --parents p.csv -o kids$threads.csv ||
    die "clean kids table, $threads threads"
done
cmp -s flat1.csv flat2.csv || die "flat: one thread and two wrote different tables"
cmp -s kids1.csv kids2.csv || die "kids: one thread and two wrote different tables"
# flat: total = min(10, i % 13) for E<i>
bad=$(awk -F, 'NR == 1 { for (k = 1; k <= NF; k++) col[$k] = k; next }
               { i = substr($col["id"], 2) + 0; want = (i % 13 < 10 ? i % 13 : 10)
                 if ($col["total"] + 0 != want) { print $col["id"], $col["total"], want; exit } ; rows++ }
               END { if (rows != '$N') print "rows", rows }' flat1.csv)
[ -z "$bad" ] || die "flat totals: $bad"
# kids: the city's rank is (p % 20) + 1 <= 10 for p % 20 < 10; n = i % 17 is its
# group's max (16) for the counties with i % 17 == 16: 2 + 2, 2 + 0, 0 + 2, 0 + 0
bad=$(awk -F, 'NR == 1 { for (k = 1; k <= NF; k++) col[$k] = k; next }
               { i = substr($col["id"], 2) + 0; p = i % 200
                 want = (p % 20 < 10 ? 2 : 0) + (i % 17 == 16 ? 2 : 0)
                 if ($col["total"] + 0 != want) { print $col["id"], $col["total"], want; exit } ; rows++ }
               END { if (rows != '$N') print "rows", rows }' kids1.csv)
[ -z "$bad" ] || die "kids totals: $bad"

[ "$fail" = 0 ] && echo "ids: $N rows: ids and cells reported in order, parents, totals, one thread and two alike"
exit "$fail"
