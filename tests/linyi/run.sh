#!/usr/bin/env bash
# run.sh RUBRIC SRC_DIR
# The Linyi 2019 scheme against its independent oracle (tests/linyi/oracle.py):
#   1. the example tables (examples/linyi/linyi_counties.csv, linyi_months.csv);
#   2. 300 generated counties in each profile of gen_data.py (spread, const,
#      ties, mixed: thresholds, ties at the maximum and minimum, all-equal
#      columns) and a peer group of one (two 1-row tables);
# each scored by `rubric score`, compared with the oracle exactly (every score
# and total as an exact decimal, no tolerance; ranks from the exact totals),
# then scored again with the entity rows and the month rows shuffled: every
# output row, matched by id, must be the same text as before.
# Exits non-zero on the first difference.
set -eu
rubric=$1 src=$2
py=${PYTHON:-python3}
here=$src/tests/linyi
scheme=$src/examples/linyi/linyi_2019.rubric
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export LC_ALL=C

shuffle() {  # shuffle IN OUT SEED: the data rows of a CSV table in random order
  "$py" - "$1" "$2" "$3" <<'EOF'
import random, sys
with open(sys.argv[1], encoding="utf-8") as f:
    lines = f.read().splitlines(True)
head, rows = lines[0], lines[1:]
random.Random(sys.argv[3]).shuffle(rows)
with open(sys.argv[2], "w", encoding="utf-8") as f:
    f.write(head)
    f.writelines(rows)
EOF
}

by_id() { tail -n +2 "$1" | sort; }

check() {  # check NAME ENTITIES PERIODS
  local name=$1 ents=$2 pers=$3 d=$work/$1
  mkdir -p "$d"
  "$py" "$here/oracle.py" "$ents" "$pers" > "$d/expected.csv"
  "$rubric" score "$scheme" --entities "$ents" --periods "$pers" -o "$d/actual.csv"
  if ! "$py" "$here/oracle.py" --compare "$d/expected.csv" "$d/actual.csv" > "$d/cmp.txt"; then
    echo "FAIL: $name: the scores differ from the oracle's"; cat "$d/cmp.txt"; exit 1
  fi
  shuffle "$ents" "$d/ents_shuffled.csv" "$name-e"
  shuffle "$pers" "$d/pers_shuffled.csv" "$name-p"
  "$rubric" score "$scheme" --entities "$d/ents_shuffled.csv" --periods "$d/pers_shuffled.csv" \
    -o "$d/shuffled.csv"
  if ! cmp -s <(by_id "$d/actual.csv") <(by_id "$d/shuffled.csv"); then
    echo "FAIL: $name: shuffling the rows changed some scores"
    diff <(by_id "$d/actual.csv") <(by_id "$d/shuffled.csv") | head -20
    exit 1
  fi
  if [ "$(head -1 "$d/actual.csv")" != "$(head -1 "$d/shuffled.csv")" ]; then
    echo "FAIL: $name: shuffling the rows changed the header"; exit 1
  fi
  echo "ok: $name ($(tail -n +2 "$ents" | wc -l | tr -d ' ') rows): $(tail -1 "$d/cmp.txt"), shuffle-stable"
}

check example "$src/examples/linyi/linyi_counties.csv" "$src/examples/linyi/linyi_months.csv"

for profile in spread const ties mixed; do
  "$py" "$here/gen_data.py" --counties 300 --seed 2019 --profile "$profile" --out "$work/gen_$profile"
  check "$profile" "$work/gen_$profile/entities.csv" "$work/gen_$profile/periods.csv"
done
for seed in 1 2; do
  "$py" "$here/gen_data.py" --counties 1 --seed "$seed" --profile mixed --out "$work/one_$seed"
  check "one_county_$seed" "$work/one_$seed/entities.csv" "$work/one_$seed/periods.csv"
done
echo "linyi: all runs agree with the oracle"
