#!/usr/bin/env bash
# threads.sh RUBRIC SRC_DIR: the scores are the same bytes whatever the
# number of threads that score the rows (RUBRIC_THREADS, runtime/score.c)
# and whatever the order of the rows: Chengwu (per-period inputs) on 3000
# generated counties and Linyi (peer statistics, ties) on 600, each scored
# with 1, 2, 3 and 7 threads and with its rows shuffled.
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

"$py" "$src/tests/chengwu/gen_data.py" --counties 3000 --seed 7 --out "$work/cw" >/dev/null
run chengwu "$src/examples/chengwu/chengwu_2022.rubric" "$work/cw/entities.csv" "$work/cw/periods.csv"
"$py" "$src/tests/linyi/gen_data.py" --counties 600 --seed 7 --profile ties --out "$work/ly" >/dev/null
run linyi "$src/examples/linyi/linyi_2019.rubric" "$work/ly/entities.csv" "$work/ly/periods.csv"
exit $fail
