#!/usr/bin/env bash
# check_scale.sh RUBRIC [SIZES...]: time and peak memory of `rubric check` on
# generated schemes of n indicators, each with an input of its own, a tier
# list and a title (default sizes 1000 10000 100000), and the ratio of each
# to the one before: the checker is linear when time and memory grow like n.
# Prints a table; asserts nothing (bench.check_scale runs it small so it
# cannot rot).
set -eu
rubric=$1; shift
sizes=${*:-1000 10000 100000}
py=${PYTHON:-python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%10s %10s %10s %10s %12s %12s\n' parts "scheme MB" seconds "peak MB" "x time" "x memory"
prev_t= prev_m= prev_n=
for n in $sizes; do
  "$py" - "$n" > "$work/s.rubric" <<'PY'
import sys
n = int(sys.argv[1])
print('scheme scale "规模" {')
print('  total %d' % n)
for i in range(n):
    print('  input a%d: count "输入 %d"' % (i, i))
for i in range(n):
    print('  indicator i%d "指标 %d" points 1 {\n    1 if a%d >= %d, 0.5 if a%d >= 1, 0 otherwise\n  }' % (i, i, i, i + 2, i))
print('}')
PY
  read -r t m < <("$py" - "$rubric" "$work/s.rubric" <<'PY'
import resource, subprocess, sys, time
t0 = time.perf_counter()
r = subprocess.run([sys.argv[1], 'check', '--quiet', sys.argv[2]])
t = time.perf_counter() - t0
if r.returncode != 0:
    sys.exit('check failed')
print('%.3f %.1f' % (t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024))
PY
)
  mb=$(du -m "$work/s.rubric" | cut -f1)
  if [ -n "$prev_n" ]; then
    xt=$("$py" -c "print('%.1f (n x%.0f)' % ($t / max($prev_t, 1e-3), $n / $prev_n))")
    xm=$("$py" -c "print('%.1f' % ($m / $prev_m))")
  else xt=- xm=-; fi
  printf '%10s %10s %10s %10s %12s %12s\n' "$n" "$mb" "$t" "$m" "$xt" "$xm"
  prev_t=$t prev_m=$m prev_n=$n
done
