#!/usr/bin/env bash
# threads.sh RUBRIC SRC_DIR: the scores are the same bytes whatever the
# number of threads that score the rows (RUBRIC_THREADS, runtime/score.c)
# and whatever the order of the rows: Chengwu (per-period inputs) on 3000
# generated counties and Linyi (peer statistics, ties) on 600, each scored
# with 1, 2, 3 and 7 threads and with its rows shuffled; and with the inputs
# given back as scored, or kept.
set -u
rubric=$(realpath "$1") src=$(realpath "$2")
py=${PYTHON:-python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
die() { echo "FAIL: $*"; fail=1; }

# run NAME SCHEME ENTITIES PERIODS: every thread count writes what one thread writes
run() {
  local name=$1 scheme=$2 ents=$3 pers=$4 t
  RUBRIC_THREADS=1 "$rubric" score "$scheme" --entities "$ents" --periods "$pers" -o "$work/$name.1.csv" \
    || { die "$name: scoring failed"; return; }
  [ "$(wc -l < "$work/$name.1.csv")" -gt 100 ] || die "$name: too few rows scored"
  for t in 2 3 7; do
    RUBRIC_THREADS=$t "$rubric" score "$scheme" --entities "$ents" --periods "$pers" -o "$work/$name.$t.csv" \
      || { die "$name: scoring with $t threads failed"; continue; }
    cmp -s "$work/$name.1.csv" "$work/$name.$t.csv" || die "$name: $t threads differ from 1"
  done
  # the rows shuffled (header first): the same rows, sorted alike
  { head -1 "$ents"; tail -n +2 "$ents" | shuf --random-source=<(yes); } > "$work/$name.shuffled.csv"
  RUBRIC_THREADS=2 "$rubric" score "$scheme" --entities "$work/$name.shuffled.csv" --periods "$pers" \
    -o "$work/$name.s.csv" || { die "$name: scoring the shuffled rows failed"; return; }
  cmp -s <(tail -n +2 "$work/$name.1.csv" | sort) <(tail -n +2 "$work/$name.s.csv" | sort) \
    || die "$name: shuffling the rows changed the scores"
  echo "ok: $name ($(($(wc -l < "$work/$name.1.csv") - 1)) rows): 1, 2, 3, 7 threads and shuffled rows agree"
}

# Inputs given back as their rows are scored (runtime/score.c: blocks of
# 5,000 rows here, taken in turn by the threads; the monthly column, 3.8 MB,
# lies on huge pages and gives back 2 MB at a time): 40,000 entities write
# what a run that keeps every input (--explain) writes. Some values have 18
# decimals (kept aside, runtime/narrow.h).
cat > "$work/release.rubric" <<'EOF'
scheme release "逐行释放" {
  total 20
  period month 1 to 12
  input a: number "数"
  input r: fraction per month "率"
  indicator x "均率" points 10 { 10 * mean(r) }
  indicator y "数" points 10 { min(10, max(0, a)) }
}
EOF
"$py" - "$work" <<'EOF'
import random, sys
rnd, n, work = random.Random(7), 40000, sys.argv[1]
def number():
    k = rnd.randrange(4)
    if k == 0: return str(rnd.randrange(-5, 15))
    if k == 1: return "%d.%018d" % (rnd.randrange(0, 12), rnd.randrange(10**18))
    return "%.3f" % rnd.uniform(-2, 14)
def fraction():
    return "0.%018d" % rnd.randrange(10**18) if rnd.randrange(5) == 0 else "%.4f" % rnd.random()
with open(work + "/release_e.csv", "w") as f:
    f.write("id,a\n" + "".join("e%05d,%s\n" % (i, number()) for i in range(n)))
with open(work + "/release_p.csv", "w") as f:
    f.write("id,month,r\n" + "".join("e%05d,%d,%s\n" % (i, m, fraction()) for i in range(n) for m in range(1, 13)))
EOF
release() { "$rubric" score "$work/release.rubric" --entities "$work/release_e.csv" --periods "$work/release_p.csv" "$@"; }
release -o "$work/kept.csv" --explain "$work/release.jsonl" || die "release: scoring with --explain failed"
[ "$(wc -l < "$work/kept.csv")" = 40001 ] || die "release: not 40,000 rows scored"
for t in 1 2 3; do
  RUBRIC_THREADS=$t release -o "$work/released.$t.csv" || { die "release: scoring with $t threads failed"; continue; }
  cmp -s "$work/kept.csv" "$work/released.$t.csv" || die "release: $t threads, inputs given back, differ from them kept"
done
echo "ok: inputs given back as scored: 1, 2, 3 threads write what keeping them writes"

"$py" "$src/tests/chengwu/gen_data.py" --counties 3000 --seed 7 --out "$work/cw" >/dev/null
run chengwu "$src/examples/chengwu/chengwu_2022.rubric" "$work/cw/entities.csv" "$work/cw/periods.csv"
"$py" "$src/tests/linyi/gen_data.py" --counties 600 --seed 7 --profile ties --out "$work/ly" >/dev/null
run linyi "$src/examples/linyi/linyi_2019.rubric" "$work/ly/entities.csv" "$work/ly/periods.csv"
exit $fail
