#!/usr/bin/env bash
# cli.sh RUBRIC SRC_DIR: the command line's promises: help, version, exit codes.
set -u
rubric=$1 src=$2
fail=0
expect_status() { # want command...
  local want=$1; shift
  "$@" >/dev/null 2>&1
  local got=$?
  if [ "$got" != "$want" ]; then echo "FAIL: '$*' exited $got, expected $want"; fail=1; fi
}
expect_out() { # pattern command...
  local pat=$1; shift
  if ! "$@" 2>&1 | grep -q -- "$pat"; then echo "FAIL: '$*' does not print '$pat'"; fail=1; fi
}
scheme=$src/examples/chengwu/chengwu_2022.rubric
expect_status 0 "$rubric" --version
expect_out "rubric 0.1.0 (LLVM 19" "$rubric" --version
expect_status 0 "$rubric" --help
for cmd in check test score emit-llvm; do
  expect_status 0 "$rubric" $cmd --help
  expect_out "usage: rubric $cmd" "$rubric" $cmd --help
done
expect_status 2 "$rubric"
expect_status 2 "$rubric" frobnicate
expect_status 2 "$rubric" check
expect_status 2 "$rubric" check --no-such-option "$scheme"
expect_status 2 "$rubric" check /no/such/file.rubric
expect_out "/no/such/file.rubric: error\[R0001\]: cannot open: No such file or directory" "$rubric" check /no/such/file.rubric
expect_status 2 "$rubric" score "$scheme"
expect_status 0 "$rubric" check "$scheme"
expect_status 0 "$rubric" check --werror "$scheme"
expect_status 1 "$rubric" check --werror "$src/tests/e2e/check/clean_warning.rubric"
expect_status 0 "$rubric" check "$src/tests/e2e/check/clean_warning.rubric"
expect_status 0 "$rubric" test "$scheme"
expect_out "65 passed, 0 failed" "$rubric" test "$scheme"
# score writes to stdout without -o
expect_out "^id,name,total,rank,city_rank,gov_dishonest,blacklist," "$rubric" score "$scheme" \
  --entities "$src/examples/chengwu/heze_counties.csv" --periods "$src/examples/chengwu/heze_months.csv"
# --decimals 4 rounds for reading: every row equals the oracle's exact scores
# (tests/chengwu/oracle.py) rounded as --decimals does (half up, 四舍五入,
# trailing zeros and point removed, -0 as 0), the ranks from the oracle's
# exact totals; e.g. 定陶区's xyd_loans 1.817142857142857143 -> 1.8171.
decimals_4() {
  local out
  out=$(mktemp) || return 1
  "$rubric" score "$scheme" --decimals 4 --entities "$src/examples/chengwu/heze_counties.csv" \
    --periods "$src/examples/chengwu/heze_months.csv" > "$out" || { rm -f "$out"; return 1; }
  "${PYTHON:-python3}" - "$src/tests/chengwu" "$src/examples/chengwu/heze_counties.csv" \
    "$src/examples/chengwu/heze_months.csv" "$out" <<'PY'
import csv, sys
from fractions import Fraction
sys.path.insert(0, sys.argv[1])
import oracle
def dec4(x):
    x = Fraction(x)
    n = abs(x) * 10 ** 4
    q = n.numerator // n.denominator
    if n - q >= Fraction(1, 2):
        q += 1  # half up, away from zero
    t = "%d.%04d" % divmod(q, 10 ** 4)
    t = t.rstrip("0").rstrip(".")
    return ("-" + t) if x < 0 and t != "0" else t
items = {  # the items of the two indicators that have them, as the oracle reads them
    "system_building": [(c[4:], lambda e, c=c: oracle.hold(e[c], Fraction(0), Fraction(7, 10)))
                        for c in ("sys_institutions", "sys_organisation", "sys_staffing", "sys_funding")],
    "finance_risk": [("cultivation", lambda e: 4 * e["fin_progress"]),
                     ("zx_mechanism", lambda e: e["zx_mechanism"]),
                     ("zx_cleanup", lambda e: e["zx_cleanup"]),
                     ("zx_crackdown", lambda e: e["zx_crackdown"]),
                     ("no_major_risk", lambda e: 3 * e["no_major_risk"])],
}
header = ["id", "name", "total", "rank"]
for ind in oracle.INDICATOR_IDS:
    header += [ind] + ["%s.%s" % (ind, name) for name, _ in items.get(ind, [])]
scored = [(e, oracle.score_row(e, m)) for e, m in oracle.read_inputs(sys.argv[2], sys.argv[3])]
if any(r["status"] != "ok" for _, r in scored):
    sys.exit("the oracle cannot score every county of the example data")
totals = [r["total"] for _, r in scored]
want = [header]
for e, r in scored:
    num = {c: Fraction(e[c]) for c in oracle.ENTITY_COLUMNS if c not in ("id", "name")}
    row = [e["id"], e["name"], dec4(r["total"]), str(1 + sum(t > r["total"] for t in totals))]
    for ind in oracle.INDICATOR_IDS:
        row += [dec4(r[ind])] + [dec4(f(num)) for _, f in items.get(ind, [])]
    want.append(row)
with open(sys.argv[4], newline="", encoding="utf-8") as f:
    got = list(csv.reader(f))
bad = [(w, g) for w, g in zip(want, got) if w != g]
for w, g in bad[:5]:
    print("expected %s\nactual   %s" % (",".join(w), ",".join(g)))
if len(want) != len(got):
    print("expected %d lines, got %d" % (len(want), len(got)))
sys.exit(1 if bad or len(want) != len(got) else 0)
PY
  local status=$?
  rm -f "$out"
  return $status
}
if ! decimals_4; then echo "FAIL: score --decimals 4 differs from the oracle's scores rounded to 4 decimals"; fail=1; fi
expect_status 2 "$rubric" score "$scheme" --decimals x --entities "$src/examples/chengwu/heze_counties.csv"
# --stats names the JIT-compiled native function that scored the rows
expect_out "with native function rubric_score_chengwu_2022 at 0x[0-9a-f]* (LLVM ORC JIT)" "$rubric" score "$scheme" --stats \
  --entities "$src/examples/chengwu/heze_counties.csv" --periods "$src/examples/chengwu/heze_months.csv"
# an output folder that does not exist is an I/O error, with the path named
expect_status 2 "$rubric" score "$scheme" -o /no/such/dir/out.csv \
  --entities "$src/examples/chengwu/heze_counties.csv" --periods "$src/examples/chengwu/heze_months.csv"
expect_out "^rubric: error\[R1501\]: /no/such/dir/out.csv: cannot create a temporary file in /no/such/dir: " \
  "$rubric" score "$scheme" -o /no/such/dir/out.csv \
  --entities "$src/examples/chengwu/heze_counties.csv" --periods "$src/examples/chengwu/heze_months.csv"
exit $fail
