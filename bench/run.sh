#!/usr/bin/env bash
# run.sh [--build DIR] [--dir DIR] [--seed S] [N]: the end-to-end benchmark.
#
# Generates N Chengwu-shaped counties once (rubric-bench-gen; default N
# 200000, the README's figures use 1000000), then scores them, one after
# the other, in the same run:
#   - `rubric score --stats`, the real command, timed as a whole process,
#     twice (a cache of compiled schemes, if rubric keeps one, is this run's
#     own: cold for the first run, warm for the second);
#   - the hand-written C baseline (rubric-bench-c, -O3 -march=native);
#   - DuckDB, the scheme in SQL (bench/duckdb.mjs, through DuckDB's npm
#     package), where node and the package are installed (`npm ci --prefix
#     bench`, which tools/setup.sh runs); otherwise the table says
#     "DuckDB: not installed" and goes on without its row.
# Prints one table: each implementation's phases (its own report), its whole
# process's wall time, rows/s, input MB/s and peak resident memory, and each
# figure's ratio to the C baseline's, and rubric's whole process's ratio to
# DuckDB's; then checks every county's scores, rubric's and DuckDB's,
# against the baseline's (rubric-bench-compare, within 1e-9). Exits 1 if a
# program fails or a score differs. Nothing is asserted about time.
#
# --build DIR: the CMake build folder (default: build beside bench/), whose
# tools/rubric and bench/rubric-bench-* are run. --dir DIR: where the tables
# and outputs go (default: a temporary folder); they are deleted at the end
# either way. --seed S: the generator's seed (default 1).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=$root/build dir= seed=1 n=200000
while [ $# -gt 0 ]; do
  case $1 in
  --build) build=$2; shift 2 ;;
  --dir) dir=$2; shift 2 ;;
  --seed) seed=$2; shift 2 ;;
  -h | --help) sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  -*) echo "run.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  *) n=$1; shift ;;
  esac
done
case $n in '' | *[!0-9]*) echo "run.sh: N must be a whole number, not '$n'" >&2; exit 2 ;; esac
rubric=$build/tools/rubric
gen=$build/bench/rubric-bench-gen cbase=$build/bench/rubric-bench-c
compare=$build/bench/rubric-bench-compare timed=$build/bench/rubric-bench-timed
for b in "$rubric" "$gen" "$cbase" "$compare" "$timed"; do
  [ -x "$b" ] || { echo "run.sh: $b is missing: build first (cmake --build $build)" >&2; exit 2; }
done
scheme=$root/examples/chengwu/chengwu_2022.rubric

if [ -n "$dir" ]; then
  mkdir -p "$dir"
  work=$(mktemp -d "$dir/rubric-bench.XXXXXX")
else
  work=$(mktemp -d "${TMPDIR:-/tmp}/rubric-bench.XXXXXX")
fi
trap 'rm -rf "$work"' EXIT # the data is never kept

commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -n "$(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null)" ] && commit="$commit (with uncommitted changes)"
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -1)
echo "rubric end-to-end benchmark: $n counties, seed $seed; $(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit"
echo "machine: ${cpu:-unknown CPU}, $(nproc) cores; $(uname -sr); load average $(cut -d' ' -f1-3 /proc/loadavg) (other work slows every row alike)"
# DuckDB's row: node and the npm package of bench/package-lock.json
duckdb_package=$here/node_modules/@duckdb/node-api/package.json duckdb=
if ! command -v node > /dev/null; then
  duckdb_absent="DuckDB: not installed (no node; then npm ci --prefix bench)"
elif [ ! -f "$duckdb_package" ]; then
  duckdb_absent="DuckDB: not installed (npm ci --prefix bench)"
else
  duckdb=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$duckdb_package" | head -1)
  echo "DuckDB: @duckdb/node-api ${duckdb:-unknown version} on node $(node --version)"
  duckdb=${duckdb:-installed}
fi

"$gen" "$n" "$work" "$seed" 2> "$work/gen.err" || { cat "$work/gen.err" >&2; exit 1; }
sed 's/^rubric-bench-gen: /generated: /' "$work/gen.err"
# the tables are written back to disk before the first timed run, so that no
# implementation reads them while the kernel is still writing them
sync
entities=$work/entities.csv periods=$work/periods.csv
input_bytes=$(($(stat -c %s "$entities") + $(stat -c %s "$periods")))

# run NAME COMMAND...: runs it timed; its standard error goes to NAME.err.
run() {
  local name=$1; shift
  if ! "$timed" "$work/$name.time" "$@" 2> "$work/$name.err"; then
    echo "run.sh: $name failed:" >&2
    cat "$work/$name.err" >&2
    exit 1
  fi
}
# field TEXT WORD: the number before " s" after WORD in TEXT ("load 1.2 s" -> 1.2).
field() { sed -n "s/.*[ ,]$2 \([0-9.e+-]*\) s.*/\1/p" <<< "$1" | head -1; }

rows=() # "name|load|compile|score|write|total|peak KB|cpu"

run c "$cbase" "$entities" "$periods" "$work/c.csv"
c_err=$(cat "$work/c.err")
read -r c_total c_rss _ c_cpu < "$work/c.time"
rows+=("C baseline (-O3, doubles)|$(field "$c_err" load)|0|$(field "$c_err" score)|$(field "$c_err" write)|$c_total|$c_rss|$c_cpu")

# rubric twice, with a cache folder of this run's own: the first run
# compiles the scheme, the second may find its native code in the cache
# (where rubric keeps one); both outputs are cross-checked.
export XDG_CACHE_HOME=$work/cache
for pass in 1 2; do
  run rubric$pass "$rubric" score "$scheme" --entities "$entities" --periods "$periods" -o "$work/rubric$pass.csv" --stats
  r_err=$(cat "$work/rubric$pass.err")
  read -r r_total r_rss _ r_cpu < "$work/rubric$pass.time"
  for w in load compile score write; do
    [ -n "$(field "$r_err" $w)" ] || { echo "run.sh: 'rubric score --stats' did not report its $w time:" >&2; echo "$r_err" >&2; exit 1; }
  done
  label="rubric score, 1st run" && [ $pass = 2 ] && label="rubric score, 2nd run"
  rows+=("$label|$(field "$r_err" load)|$(field "$r_err" compile)|$(field "$r_err" score)|$(field "$r_err" write)|$r_total|$r_rss|$r_cpu")
done

# DuckDB: the scheme in SQL over the same files (bench/duckdb.mjs), a whole
# node process; it reports load, score, write and total as the baseline does.
if [ -n "$duckdb" ]; then
  run duckdb node "$here/duckdb.mjs" "$entities" "$periods" "$work/duckdb.csv"
  d_err=$(cat "$work/duckdb.err")
  read -r d_total d_rss _ d_cpu < "$work/duckdb.time"
  for w in load score write; do
    [ -n "$(field "$d_err" $w)" ] || { echo "run.sh: bench/duckdb.mjs did not report its $w time:" >&2; echo "$d_err" >&2; exit 1; }
  done
  rows+=("DuckDB (SQL, doubles)|$(field "$d_err" load)|0|$(field "$d_err" score)|$(field "$d_err" write)|$d_total|$d_rss|$d_cpu")
fi

echo
printf '%s\n' "${rows[@]}" | awk -F'|' -v n="$n" -v bytes="$input_bytes" '
  function ratio(a, b) { return (b > 0 && a > 0) ? sprintf("%.2fx", a / b) : "-" }
  {
    name[NR] = $1; load[NR] = $2; comp[NR] = $3; score[NR] = $4; write[NR] = $5; total[NR] = $6
    rss[NR] = $7 / 1024; other[NR] = $6 - $2 - $3 - $4 - $5; if (other[NR] < 0) other[NR] = 0
    rps[NR] = n / $6; mbs[NR] = bytes / 1e6 / $6; cpu[NR] = $8
  }
  END {
    for (i = 1; i <= NR; i++) if (name[i] ~ /^DuckDB/) duck = i
    fmt = "%-28s %8s %9s %9s %8s %8s %8s %8s %11s %10s %11s\n"
    printf fmt, "implementation", "load s", "compile s", "score s", "write s", "other s", "total s", "cpu s", "rows/s", "input MB/s", "peak RSS MB"
    for (i = 1; i <= NR; i++) {
      printf fmt, name[i], sprintf("%.3f", load[i]), sprintf("%.3f", comp[i]), sprintf("%.4f", score[i]), \
        sprintf("%.3f", write[i]), sprintf("%.3f", other[i]), sprintf("%.3f", total[i]), sprintf("%.3f", cpu[i]), sprintf("%.0f", rps[i]), \
        sprintf("%.1f", mbs[i]), sprintf("%.1f", rss[i])
      if (i > 1)
        printf fmt, "  ratio to the C baseline", ratio(load[i], load[1]), "-", ratio(score[i], score[1]), \
          ratio(write[i], write[1]), ratio(other[i], other[1]), ratio(total[i], total[1]), ratio(cpu[i], cpu[1]), ratio(rps[i], rps[1]), \
          ratio(mbs[i], mbs[1]), ratio(rss[i], rss[1])
    }
    if (duck) {
      line = ""
      for (i = 1; i <= NR; i++)
        if (name[i] ~ /^rubric/)
          line = line sprintf("%s%s %s (cpu %s)", line == "" ? "" : ", ", substr(name[i], 15), ratio(total[i], total[duck]), ratio(cpu[i], cpu[duck]))
      printf "rubric score'"'"'s whole process, ratio to DuckDB'"'"'s total (issue 12: at most 0.50x): %s\n", line
    }
    printf "input: %.1f MB (entities and periods tables); total s, rows/s and MB/s are the whole process, wall clock;\n", bytes / 1e6
    printf "cpu s is its user and system time (all threads): on a busy machine it moves less than the wall clock.\n"
    printf "load, compile, score and write are each program'"'"'s own report; other s is the rest (start, scheme check, exit).\n"
  }'
echo
for pass in 1 2; do
  echo "rubric --stats, run $pass:"
  sed 's/^/  /' "$work/rubric$pass.err"
done
if [ -n "$duckdb" ]; then
  echo "DuckDB:"
  sed 's/^/  /' "$work/duckdb.err"
else
  echo "$duckdb_absent"
fi
echo

status=0
"$compare" "$work/rubric1.csv" "$work/c.csv" || status=1
cmp -s "$work/rubric1.csv" "$work/rubric2.csv" || { echo "run.sh: rubric's two runs wrote different tables" >&2; status=1; }
if [ -n "$duckdb" ]; then # DuckDB's table against the baseline's, the same way
  d_check=$("$compare" "$work/duckdb.csv" "$work/c.csv") || status=1
  sed "s/^cross-check:/DuckDB cross-check:/; s/rubric's/DuckDB's/g" <<< "$d_check"
fi
[ $status = 0 ] && echo "bench: ok" || echo "bench: the scores differ" >&2
exit $status
