#!/usr/bin/env bash
# defects.sh RUBRIC SRC_DIR: the defects found in reviewing the pipeline,
# each on the real binary, each failing before its fix.
set -u
rubric=$1 src=$2
py=${PYTHON:-python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail=0
die() { echo "FAIL: $*"; fail=1; }

# 1. A `from parent` input whose column is missing, the parent rows being in
# the entities table: the column was never required, and a missing one read
# the neighbouring cell (Pingyin's departments scored from another column).
p=$src/examples/pingyin
"$py" - "$p/departments.csv" nolegal.csv <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))
k = rows[0].index("legal_firms")
csv.writer(open(sys.argv[2], "w", newline="")).writerows([r[:k] + r[k + 1:] for r in rows])
EOF
"$rubric" score "$p/pingyin_2022.rubric" --scheme pingyin_departments --entities nolegal.csv \
  --periods "$p/departments_months.csv" -o out1.csv 2> err1
[ $? -eq 1 ] || die "missing 'from parent' column: expected exit 1"
grep -q "^nolegal.csv:1: error\[R1103\]: missing column 'legal_firms'" err1 || { die "missing 'from parent' column: message"; cat err1; }
[ ! -e out1.csv ] || die "missing 'from parent' column: a file was written"

# 2. A chain of 2,900 additions (6 KB) crashed the checker with a stack
# overflow; it is a located error now.
"$py" -c "
print('scheme s \"s\" {\n  total 4\n  input a: count\n  indicator x \"x\" points 4 { min(4, ' + ' + '.join(['a'] * 2900) + ') }\n}')" > chain.rubric
"$rubric" check chain.rubric > /dev/null 2> err2
status=$?
[ $status -eq 1 ] || die "2,900-term chain: expected exit 1, got $status"
grep -q "^chain.rubric:4:37: error\[R0203\]: this expression nests more than 200 levels deep" err2 || { die "chain: message"; head -3 err2; }

# 3. Checking 20,000 indicators took memory quadratic in their number
# (1.7 GB); now it is linear. Peak memory, not time, is asserted, and not
# under the sanitizers (their shadow memory is not the program's).
"$py" -c "
n = 20000
print('scheme big \"big\" {')
print('  total %d' % n)
print('  input a: count')
for i in range(n): print('  indicator i%d \"指标 %d\" points 1 { 1 if a > %d, 0 otherwise }' % (i, i, i))
print('}')" > big.rubric
rss=$("$py" -c "
import resource, subprocess, sys
r = subprocess.run([sys.argv[1], 'check', '--quiet', 'big.rubric'])
print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)" "$rubric")
set -- $rss
[ "$1" = 0 ] || die "20,000 indicators: check exited $1"
if [ -z "${ASAN_OPTIONS:-}" ] && [ "$2" -gt 300 ]; then die "20,000 indicators: peak memory $2 MB (expected well under 300)"; fi

# 4. A count cell `1e-400` was read as 0; a name cell in GBK was copied into
# UTF-8 output. The first is a located error, and nothing is written; the
# second is read as GBK and written as UTF-8 (as UTF-8 it is an error).
m=$src/tests/e2e/data
printf 'id,name,a,b,ok\n1,甲镇,1e-400,10,是\n' > tiny.csv
"$rubric" score "$m/mini.rubric" --entities tiny.csv --periods "$m/good_months.csv" -o out4.csv 2> err4
[ $? -eq 1 ] || die "1e-400: expected exit 1"
grep -q "^tiny.csv:2: error\[R1104\]: entity '1', column 'a': '1e-400' has more than 18 decimals" err4 || { die "1e-400: message"; cat err4; }
printf 'id,name,a,b,ok\n1,\xc3\xfb\xb5\xa4,1,2,1\n2,b,1,2,1\n3,c,1,2,1\n' > gbk.csv
"$rubric" score "$m/mini.rubric" --entities gbk.csv --periods "$m/good_months.csv" --encoding utf-8 -o out5.csv 2> err5
[ $? -eq 1 ] || die "GBK: expected exit 1"
grep -q "^gbk.csv:2: error\[R1112\]: the table is not UTF-8 text" err5 || { die "GBK: message"; cat err5; }
[ ! -e out4.csv ] && [ ! -e out5.csv ] || die "bad cells: a file was written"
"$rubric" score "$m/mini.rubric" --entities gbk.csv --periods "$m/good_months.csv" -o out6.csv 2> err6 || die "GBK read: $(cat err6)"
grep -q "^1,名丹," out6.csv || die "GBK: the name is not written as UTF-8: $(cat out6.csv)"

# 5. Two jobs, the first to standard output and the second to a folder that
# does not exist: the first job's table was printed before the second
# failed. Now every output is ready before any is written.
p=$src/examples/pingyin
"$rubric" score "$p/pingyin_2022.rubric" \
  --scheme pingyin_towns --entities "$p/towns.csv" --periods "$p/towns_months.csv" \
  --scheme pingyin_departments --entities "$p/departments.csv" --periods "$p/departments_months.csv" \
  -o "$work/no/such/folder/d.csv" > out6 2> err6
[ $? -eq 2 ] || die "two jobs: expected exit 2"
[ ! -s out6 ] || die "two jobs: $(wc -c < out6) bytes on standard output"
grep -q "error\[R1501\]: .*no/such/folder/d.csv" err6 || { die "two jobs: message"; cat err6; }

# 6. A rule undefined whatever its inputs passed `check --werror`.
cat > undef.rubric <<'EOF'
scheme s "s" {
  total 4
  input a: count
  indicator x "x" points 4 { undefined "文件未规定" if a >= 0, 4 otherwise }
}
EOF
"$rubric" check --werror undef.rubric 2> err7
[ $? -eq 1 ] || die "undefined whatever the inputs: check --werror passed"
grep -q "warning\[R1007\]: indicator 'x' is undefined whatever its inputs" err7 || { die "undefined: message"; cat err7; }

# 7. Points whose sum overflows the exact decimals stopped growing silently.
# Numbers are now under 10^20 (spec/semantics.md, "Numbers"): each such
# literal is an error at its place, and the sum is never formed.
cat > huge.rubric <<'EOF'
scheme s "s" {
  total 1000000000000000000000000000000000000
  input a: count
  indicator x "x" points 1000000000000000000000000000000000000 { 0 }
  indicator y "y" points 1000000000000000000000000000000000000 { 0 }
}
EOF
"$rubric" check huge.rubric 2> err8
[ $? -eq 1 ] || die "overflowing points: expected exit 1"
[ "$(grep -c "error\[R0101\]: number '1000000000000000000000000000000000000' is too large: numbers are under 10^20" err8)" = 3 ] &&
  grep -q "^huge.rubric:4:26: error" err8 ||
  { die "overflowing points: message"; cat err8; }

[ $fail = 0 ] && echo "defects: 7 cases hold"
exit $fail
