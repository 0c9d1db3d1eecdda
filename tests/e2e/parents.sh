#!/usr/bin/env bash
# parents.sh RUBRIC SRC_DIR: parents from the entities table or a parents
# table, `missing` rules for empty cells and absent period rows, targets and
# grades in CSV and JSON, and several schemes in one run (all or nothing).
set -u
rubric=$1 src=$2
here=$src/tests/e2e/parents
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here"/* "$work"/
cd "$work"
fail=0
die() { echo "FAIL: $*"; fail=1; }
same() { # expected actual what
  if ! cmp -s "$1" "$2"; then die "$3"; diff "$1" "$2" | head -20; fi
}

# 1. Parent rows in the entities table: they supply city_rank and are not scored.
"$rubric" score county.rubric --scheme towns --entities towns.csv --periods towns_months.csv \
  -o got_towns.csv --targets got_targets.csv 2>err || die "towns did not score: $(cat err)"
same expected_towns.csv got_towns.csv "scores with parents in the entities table"
same expected_targets.csv got_targets.csv "targets table"

# 2. The same parents from a parents table give the same bytes.
"$rubric" score county.rubric --scheme towns --entities towns_only.csv --parents parents.csv \
  --periods towns_months.csv -o got2.csv --targets got2_targets.csv 2>err || die "--parents run failed: $(cat err)"
same expected_towns.csv got2.csv "scores with a parents table"

# 3. Rows in another order: the same scores per id (peer groups do not depend on order).
{ head -1 towns.csv; tail -n +2 towns.csv | tac; } > towns_rev.csv
{ head -1 towns_months.csv; tail -n +2 towns_months.csv | tac; } > months_rev.csv
"$rubric" score county.rubric --scheme towns --entities towns_rev.csv --periods months_rev.csv \
  -o got3.csv --targets got3_t.csv 2>err || die "reversed run failed"
same <(sort expected_towns.csv) <(sort got3.csv) "scores of rows in reverse order"

# 4. A parent with no period rows: city_rank has no missing rule.
grep -v '^370181,' towns_months.csv > months_noparent.csv
"$rubric" score county.rubric --scheme towns --entities towns.csv --periods months_noparent.csv \
  -o out4.csv --targets out4_t.csv 2>err4
[ $? -eq 1 ] || die "absent parent period rows: expected exit 1"
grep -q "months_noparent.csv: error\[R1109\]: parent '370181' (towns.csv line 3) has no row for month 1 and other periods" err4 ||
  { die "absent parent period rows: message"; cat err4; }
[ ! -e out4.csv ] && [ ! -e out4_t.csv ] || die "absent parent period rows: a file was written"

# 5. A parent id with no row.
sed 's/^370181001,明水街道,370181,/370181001,明水街道,370199,/' towns.csv > towns_orphan.csv
"$rubric" score county.rubric --scheme towns --entities towns_orphan.csv --periods towns_months.csv \
  -o out5.csv --targets out5_t.csv 2>err5
[ $? -eq 1 ] || die "unknown parent: expected exit 1"
grep -q "towns_orphan.csv:7: error\[R1108\]: column 'parent': '370199' has no row in towns_orphan.csv" err5 ||
  { die "unknown parent: message"; cat err5; }

# 6. An empty cell without a missing rule is an error; with `missing scores full` it scores.
sed 's/^370124100,东阿镇,370124,5,3/370124100,东阿镇,370124,,3/' towns.csv > towns_empty.csv
"$rubric" score county.rubric --scheme towns --entities towns_empty.csv --periods towns_months.csv \
  -o out6.csv --targets out6_t.csv 2>err6
[ $? -eq 1 ] || die "empty cases cell: expected exit 1"
grep -q "towns_empty.csv:6: error\[R1106\]: entity '370124100', column 'cases': missing value" err6 || { die "empty cell: message"; cat err6; }

# 7. Points and targets written with -o need --targets; JSON holds both.
"$rubric" score county.rubric --scheme towns --entities towns.csv --periods towns_months.csv -o x.csv 2>err7
[ $? -eq 2 ] || die "-o without --targets: expected exit 2"
[ ! -e x.csv ] || die "-o without --targets wrote a file"
"$rubric" score county.rubric --scheme towns --entities towns.csv --periods towns_months.csv --format json -o got.json ||
  die "json run failed"
python3 - got.json got_towns.csv got_targets.csv <<'PY' || fail=1
import csv, json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
rows = {r["id"]: r for r in csv.DictReader(open(sys.argv[2], encoding="utf-8"))}
targets = {r["id"]: r for r in csv.DictReader(open(sys.argv[3], encoding="utf-8"))}
assert doc["scheme"] == "towns", doc["scheme"]
assert [e["id"] for e in doc["entities"]] == list(rows), "entity order"
for e in doc["entities"]:
    r = rows[e["id"]]
    assert e["parent"] == r["parent"] and e["rank"] == int(r["rank"]), e["id"]
    assert float(r["total"]) == e["total"], e["id"]
    for k, v in e["scores"].items():
        assert float(r[k]) == v, (e["id"], k)
    assert e["grades"]["level"]["band"] == r["level"], e["id"]
    assert e["grades"]["level"].get("treatment", "") == r["level_treatment"], e["id"]
    t = e["targets"]["no_cases"]
    assert (t["met"] and targets[e["id"]]["met"] == "yes") or (not t["met"] and targets[e["id"]]["met"] == "no")
    assert float(targets[e["id"]]["margin"]) == t["margin"], e["id"]
print("json agrees with csv:", len(doc["entities"]), "entities")
PY

# 8. Two schemes in one run: both written, equal to separate runs ...
"$rubric" score county.rubric --scheme towns --entities towns.csv --periods towns_months.csv -o one_t.csv \
  --targets one_tt.csv --scheme depts --entities depts.csv -o one_d.csv 2>err8 || die "two jobs: $(cat err8)"
"$rubric" score county.rubric --scheme depts --entities depts.csv -o sep_d.csv || die "depts alone"
same expected_towns.csv one_t.csv "first job of two"
same sep_d.csv one_d.csv "second job of two"
# ... and when the second fails, nothing at all is written.
rm -f one_t.csv one_tt.csv one_d.csv
"$rubric" score county.rubric --scheme towns --entities towns.csv --periods towns_months.csv -o one_t.csv \
  --targets one_tt.csv --scheme depts --entities depts_bad.csv -o one_d.csv 2>err9
[ $? -eq 1 ] || die "second job failing: expected exit 1"
[ ! -e one_t.csv ] && [ ! -e one_tt.csv ] && [ ! -e one_d.csv ] || die "a job's output was written though another failed"
grep -q "depts_bad.csv:3: error\[R1106\]: entity 'cgj', column 'docs': missing value" err9 || { die "second job: message"; cat err9; }

# 10. Every row another row's parent (a cycle of two): the cycle and the lack of
#     rows to score are reported, and nothing is written.
printf 'id,name,parent,cases,objections\nA,甲,B,1,1\nB,乙,A,1,1\n' > cycle.csv
"$rubric" score county.rubric --scheme towns --entities cycle.csv --periods towns_months.csv \
  -o out10.csv --targets out10_t.csv 2>err10
[ $? -eq 1 ] || die "every row a parent: expected exit 1"
[ ! -e out10.csv ] && [ ! -e out10_t.csv ] || die "every row a parent: an output was written"
printf '%s\n' "cycle.csv:2: error[R1113]: the parents of entity 'A' lead back to it (its parent 'B' is on line 3)" \
  "cycle.csv:3: error[R1113]: the parents of entity 'B' lead back to it (its parent 'A' is on line 2)" \
  "cycle.csv: error[R1110]: no entity rows to score: every row is another row's parent" > want10
grep -F 'error[' err10 | diff want10 - > /dev/null || { die "every row a parent: messages"; cat err10; }

[ $fail -eq 0 ] && echo "parents, missing data, targets, grades, two jobs: ok"
exit $fail
