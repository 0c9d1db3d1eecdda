#!/usr/bin/env python3
"""Compare the Rubric compiler's Chengwu scores with the oracle's.

Usage:
    python3 compare.py EXPECTED.csv ACTUAL.csv [--tol T]

EXPECTED is the output of oracle.py (id, status, total, 16 indicator ids).
ACTUAL is the compiler's output (id, name, total, rank, 16 indicator ids);
columns are matched by header name, rows by id, in any order.

A row passes when:
- the oracle scored it ("ok"): ACTUAL has exactly one row with that id, whose
  total and 16 indicator scores are each equal to the oracle's as exact
  decimals (each cell's text read as a Fraction: 6.5 = 6.50, and 1e-18 apart
  is a difference; --tol T, default 0, allows an absolute difference of at
  most T, read exactly; the tests pass none), and whose rank is the expected
  rank: the competition rank of the oracle's exact total among the oracle's
  totals of scored rows (1 + the number strictly greater, so equal totals
  share a rank: 1, 1, 3);
- the oracle reported an error: ACTUAL either leaves the id out or gives it
  no numeric total (a row that should be an error must never be scored); if
  ACTUAL has a "status" column, it must equal the oracle's status, or be
  "incomplete" with a reason naming the oracle's indicator ("indicator
  info_collection: ..."), and then every indicator the oracle still scored
  must be equal and every one it left open empty.
An id present in ACTUAL but not in EXPECTED fails (extra row); an id scored by
the oracle but missing from ACTUAL fails (missing row).

Prints each mismatch (id, column, expected, actual), the first 20 of them,
then a final line "N passed, M failed".  Exit status 0 iff M == 0.
"""

import argparse
import csv
import os
import sys
from fractions import Fraction

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
# number(text): a cell's exact value (a decimal, optionally with an exponent)
# as a Fraction, None for an empty, missing or non-numeric cell.
from exact import table_number as number  # noqa: E402

INDICATOR_IDS = [
    "city_rank", "gov_dishonest", "blacklist", "usc_code", "double_publicity",
    "info_collection", "special_info", "credit_check_use", "benefit_apps",
    "xyd_registered", "xyd_loans", "tiered_supervision", "commitments",
    "system_building", "innovation", "finance_risk",
]
SCORE_COLUMNS = ["total"] + INDICATOR_IDS
MAX_PRINTED = 20


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def main():
    ap = argparse.ArgumentParser(
        description="Compare compiler scores (ACTUAL) with the oracle's (EXPECTED).")
    ap.add_argument("expected")
    ap.add_argument("actual")
    ap.add_argument("--tol", type=Fraction, default=Fraction(0),
                    help="absolute tolerance for scores and totals, read "
                         "exactly (default 0: equal as exact decimals)")
    args = ap.parse_args()

    exp_header, exp_rows = read_csv(args.expected)
    act_header, act_rows = read_csv(args.actual)
    for col in ["id", "status"] + SCORE_COLUMNS:
        if col not in exp_header:
            sys.exit("%s: missing column %s (is it the oracle's output?)"
                     % (args.expected, col))
    problems = []    # header-level problems, printed before row mismatches
    for col in ["id", "rank"] + SCORE_COLUMNS:
        if col not in act_header:
            problems.append("%s: missing column %s" % (args.actual, col))
    if "id" not in act_header:
        for p in problems:
            print(p)
        print("0 passed, %d failed" % len(exp_rows))
        return 1
    has_status = "status" in act_header

    expected = {}
    for r in exp_rows:
        expected[r["id"]] = r
    actual = {}
    duplicates = set()
    for r in act_rows:
        if r["id"] in actual:
            duplicates.add(r["id"])
        actual[r["id"]] = r

    # Expected ranks: the competition rank among the oracle's exact totals
    # of the rows it scored (the peer group is every county scored).
    totals = [t for t in (number(r.get("total")) for r in exp_rows
                          if r["status"] == "ok") if t is not None]

    def competition_rank(t):
        return 1 + sum(1 for u in totals if u > t)

    mismatches = []   # (id, column, expected, actual)
    failed_ids = set()
    compared = ranks = 0

    def mismatch(rid, col, exp, act):
        mismatches.append((rid, col, exp, act))
        failed_ids.add(rid)

    all_ids = [r["id"] for r in exp_rows]
    all_ids += [r["id"] for r in act_rows if r["id"] not in expected]
    seen = set()
    ordered_ids = []
    for rid in all_ids:
        if rid not in seen:
            seen.add(rid)
            ordered_ids.append(rid)

    for rid in ordered_ids:
        e = expected.get(rid)
        a = actual.get(rid)
        if rid in duplicates:
            mismatch(rid, "id", "one row", "several rows")
        if e is None:
            mismatch(rid, "id", "(no such id)", "extra row")
            continue
        status = e["status"]
        if status != "ok":
            if a is None:
                continue
            # rubric writes such a row as incomplete, naming the indicator
            named = status.startswith("error:") and a.get("status") == "incomplete" and \
                ("indicator %s:" % status[6:]) in a.get("reason", "")
            if has_status and a.get("status") != status and not named:
                mismatch(rid, "status", status, "%s (%s)" % (a.get("status"), a.get("reason", "")))
            if number(a.get("total")) is not None:
                mismatch(rid, "total", status, a.get("total"))
            # the indicators the oracle scored, exactly; the open ones empty
            for col in SCORE_COLUMNS[1:] if has_status else []:
                want, got = number(e[col]), number(a.get(col))
                if (want is None) != (got is None) or (want is not None and abs(got - want) > args.tol):
                    mismatch(rid, col, e[col], a.get(col, "(missing)"))
            continue
        if a is None:
            mismatch(rid, "id", "row", "missing row")
            continue
        if has_status and a.get("status") != "ok":
            mismatch(rid, "status", "ok", a.get("status"))
        for col in SCORE_COLUMNS:
            want = number(e[col])
            got = number(a.get(col))
            if got is None or want is None or abs(got - want) > args.tol:
                mismatch(rid, col, e[col], a.get(col, "(missing)"))
        compared += len(SCORE_COLUMNS)
        want_rank = competition_rank(number(e["total"]))
        r = number(a.get("rank"))
        if r is None or r != want_rank:
            mismatch(rid, "rank", str(want_rank), a.get("rank", "(missing)"))
        else:
            ranks += 1

    for p in problems:
        print(p)
    # Missing, extra and duplicate rows first: they explain the rest.
    mismatches.sort(key=lambda m: m[1] != "id")
    for rid, col, exp, act in mismatches[:MAX_PRINTED]:
        print("id=%s column=%s expected=%s actual=%s" % (rid, col, exp, act))
    if len(mismatches) > MAX_PRINTED:
        print("... and %d more mismatches" % (len(mismatches) - MAX_PRINTED))
    failed = len(failed_ids)
    passed = len(ordered_ids) - failed
    print("%d passed, %d failed (%d scores and totals compared %s, %d ranks equal)"
          % (passed, failed, compared,
             "exactly" if args.tol == 0 else "within %s" % args.tol, ranks))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
