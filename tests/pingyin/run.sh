#!/usr/bin/env bash
# run.sh RUBRIC SRC_DIR
# The Pingyin 2022 schemes (examples/pingyin/pingyin_2022.rubric) against the
# independent oracle (tests/pingyin/oracle.py), on generated towns and
# departments (tests/pingyin/gen_data.py):
#   1. check --werror and the examples (rubric test);
#   2. for several data sets (the example tables of examples/pingyin/, ties,
#      all-equal peer columns, empty cells with a meaning, a peer group of
#      one): both schemes scored in one run (two
#      --scheme groups) and in two separate runs, outputs identical, each
#      compared with the oracle exactly (every score and total equal as an
#      exact decimal, no tolerance; ranks from the exact totals);
#   3. entity and month rows shuffled: the same text, byte for byte, per id;
#   4. an empty cell in an input without a missing rule: exit 1, an error
#      naming file, line and column, and no output file (neither scheme's).
# Exits non-zero on any failure.
set -u
rubric=$1 src=$2
py=${PYTHON:-python3}
scheme=$src/examples/pingyin/pingyin_2022.rubric
here=$src/tests/pingyin
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0 passes=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { passes=$((passes + 1)); }

# Compare with the oracle, with its own comparer: rows by id, every column of
# the oracle's table, numbers as exact decimals (tolerance 0), ranks equal to
# the oracle's (the competition rank of the exact total).
# (This used to try tests/chengwu/compare.py first, which refuses any table
# but Chengwu's: that branch could never pass, so only the fallback compared.)
compare() {   # compare EXPECTED ACTUAL LABEL
  local out status
  out=$($py "$here/oracle.py" compare "$1" "$2" 2>&1)
  status=$?
  if [ $status -eq 0 ]; then pass; echo "ok: $3: $(echo "$out" | tail -1)"
  else fail "$3: scores differ from the oracle"; echo "$out" | tail -25; fi
}

# 1. check and examples
if "$rubric" check --werror "$scheme"; then pass; else fail "rubric check --werror"; fi
if "$rubric" test "$scheme" > "$work/test.out" 2>&1; then pass
else fail "rubric test"; cat "$work/test.out"; fi

# Score one data set DIR: one run with two scheme groups, two separate runs.
score_set() {   # score_set DIR LABEL
  local d=$1 label=$2
  $py "$here/oracle.py" towns "$d/towns.csv" "$d/towns_months.csv" > "$d/towns_expected.csv" \
    || { fail "$label: oracle (towns)"; return; }
  $py "$here/oracle.py" departments "$d/departments.csv" "$d/departments_months.csv" \
    > "$d/departments_expected.csv" || { fail "$label: oracle (departments)"; return; }
  if ! "$rubric" score "$scheme" \
      --scheme pingyin_towns --entities "$d/towns.csv" --periods "$d/towns_months.csv" -o "$d/towns_both.csv" \
      --scheme pingyin_departments --entities "$d/departments.csv" --periods "$d/departments_months.csv" \
      -o "$d/departments_both.csv" 2> "$d/both.err"; then
    fail "$label: scoring both schemes in one run"; head -20 "$d/both.err"; return
  fi
  "$rubric" score "$scheme" --scheme pingyin_towns --entities "$d/towns.csv" \
    --periods "$d/towns_months.csv" -o "$d/towns_alone.csv" 2> "$d/towns.err" \
    || { fail "$label: scoring pingyin_towns"; head -20 "$d/towns.err"; return; }
  "$rubric" score "$scheme" --scheme pingyin_departments --entities "$d/departments.csv" \
    --periods "$d/departments_months.csv" -o "$d/departments_alone.csv" 2> "$d/departments.err" \
    || { fail "$label: scoring pingyin_departments"; head -20 "$d/departments.err"; return; }
  for s in towns departments; do
    if cmp -s "$d/${s}_both.csv" "$d/${s}_alone.csv"; then pass
    else fail "$label: $s: one run with two schemes differs from a separate run"
      diff "$d/${s}_both.csv" "$d/${s}_alone.csv" | head -10; fi
    compare "$d/${s}_expected.csv" "$d/${s}_alone.csv" "$label: $s"
  done
}

# 2. data sets
gen() {   # gen DIR ARGS...
  local d=$1; shift
  mkdir -p "$d"
  $py "$here/gen_data.py" --out "$d" "$@" || fail "gen_data.py $*"
}
mkdir -p "$work/example"
cp "$src/examples/pingyin/towns.csv" "$src/examples/pingyin/towns_months.csv" \
  "$src/examples/pingyin/departments.csv" "$src/examples/pingyin/departments_months.csv" "$work/example/"
score_set "$work/example" "the example data"
gen "$work/real" --towns 9 --departments 17 --seed 2022
score_set "$work/real" "9 towns, 17 departments"
for seed in 1 2 3; do
  gen "$work/big$seed" --towns 60 --departments 80 --seed $seed --sparse
  score_set "$work/big$seed" "seed $seed, sparse"
done
for seed in 4 5; do
  gen "$work/equal$seed" --towns 9 --departments 17 --seed $seed --all-equal
  score_set "$work/equal$seed" "seed $seed, all peer columns equal"
done
for seed in 6 7 8; do
  gen "$work/one$seed" --towns 1 --departments 1 --seed $seed
  score_set "$work/one$seed" "seed $seed, a peer group of one"
done

# The parent row in its own table (--parents, only the `from parent` columns):
# the same scores as with the parent row inside the departments table.
$py - "$work/real/departments.csv" "$work/real/depts_only.csv" "$work/real/parents.csv" <<'EOF'
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f))
h = rows[0]
parents = {r[h.index("parent")] for r in rows[1:] if r[h.index("parent")]}
keep = ["id", "name", "city_districts", "a_level_taxpayers", "customs_aeo_firms", "legal_firms",
        "city_honest_share", "county_checks", "county_entities", "city_check_ratio"]
with open(sys.argv[2], "w", newline="", encoding="utf-8") as f:
    csv.writer(f, lineterminator="\n").writerows([h] + [r for r in rows[1:] if r[0] not in parents])
with open(sys.argv[3], "w", newline="", encoding="utf-8") as f:
    csv.writer(f, lineterminator="\n").writerows(
        [keep] + [[r[h.index(k)] for k in keep] for r in rows[1:] if r[0] in parents])
EOF
if "$rubric" score "$scheme" --scheme pingyin_departments --entities "$work/real/depts_only.csv" \
    --parents "$work/real/parents.csv" --periods "$work/real/departments_months.csv" \
    -o "$work/real/departments_parents.csv" 2> "$work/real/parents.err" \
  && cmp -s "$work/real/departments_parents.csv" "$work/real/departments_alone.csv"; then pass
else fail "departments with --parents differ from the parent row in the table"; head -10 "$work/real/parents.err"; fi

# 3. shuffled rows: the same scores, byte for byte, for every id
shuffle() {   # shuffle IN OUT SEED: data rows in a random order, header first
  $py - "$1" "$2" "$3" <<'EOF'
import random, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines(True)
rows = lines[1:]
random.Random(int(sys.argv[3])).shuffle(rows)
open(sys.argv[2], "w", encoding="utf-8").writelines(lines[:1] + rows)
EOF
}
same_by_id() {   # same_by_id A B: equal rows, matched by id
  $py - "$1" "$2" <<'EOF'
import csv, sys
def rows(p):
    with open(p, newline="", encoding="utf-8") as f:
        r = list(csv.reader(f))
    return r[0], {row[0]: row for row in r[1:]}
(ha, a), (hb, b) = rows(sys.argv[1]), rows(sys.argv[2])
bad = [k for k in a if a[k] != b.get(k)] + [k for k in b if k not in a]
if ha != hb or bad:
    print("header differs" if ha != hb else "rows differ for ids: %s" % bad[:10])
    sys.exit(1)
EOF
}
for seed in 1 2; do
  d=$work/big$seed s=$work/shuffled$seed
  mkdir -p "$s"
  for f in towns towns_months departments departments_months; do
    shuffle "$d/$f.csv" "$s/$f.csv" $((seed * 31 + ${#f}))
  done
  if "$rubric" score "$scheme" \
      --scheme pingyin_towns --entities "$s/towns.csv" --periods "$s/towns_months.csv" -o "$s/towns_out.csv" \
      --scheme pingyin_departments --entities "$s/departments.csv" --periods "$s/departments_months.csv" \
      -o "$s/departments_out.csv" 2> "$s/err"; then
    for t in towns departments; do
      if same_by_id "$d/${t}_both.csv" "$s/${t}_out.csv"; then pass
      else fail "seed $seed: $t: shuffled rows change the scores"; fi
    done
  else
    fail "seed $seed: scoring the shuffled tables"; head -10 "$s/err"
  fi
done

# 4. an empty cell in an input with no missing rule (documents, line 4)
bad=$work/bad
mkdir -p "$bad"
cp "$work/real/"*.csv "$bad/"
$py - "$work/real/towns.csv" "$bad/towns_bad.csv" <<'EOF'
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f))
col = rows[0].index("documents")
rows[3][col] = ""
with open(sys.argv[2], "w", newline="", encoding="utf-8") as f:
    csv.writer(f, lineterminator="\n").writerows(rows)
EOF
"$rubric" --lang en score "$scheme" \
  --scheme pingyin_towns --entities "$bad/towns_bad.csv" --periods "$bad/towns_months.csv" -o "$bad/towns_out.csv" \
  --scheme pingyin_departments --entities "$bad/departments.csv" --periods "$bad/departments_months.csv" \
  -o "$bad/departments_out.csv" 2> "$bad/err"
status=$?
if [ $status -eq 1 ]; then pass; else fail "empty 'documents' cell: exit status $status, not 1"; fi
if grep -q "towns_bad.csv:4: .*'documents'" "$bad/err"; then pass
else fail "empty 'documents' cell: no error naming towns_bad.csv:4 and column 'documents'"; cat "$bad/err"; fi
if [ ! -e "$bad/towns_out.csv" ] && [ ! -e "$bad/departments_out.csv" ]; then pass
else fail "empty 'documents' cell: an output file was written"; fi

echo "pingyin: $passes passed, $failures failed"
[ $failures -eq 0 ]
