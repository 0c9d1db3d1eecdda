#!/usr/bin/env python3
"""Compare a table written by `rubric score` with the oracle's.

Usage:
    python3 compare.py EXPECTED.csv ACTUAL.csv --key id[,target] [--text COLS]
                       [--tol T]

Both files must have the same header, column for column, and the same rows
in the same order, matched by the key columns (`id` for a scores table,
`id,target` for a targets table).  Columns named in --text (comma-separated)
are compared as text, exactly; every other column as an exact decimal number
(spec/semantics.md#numbers: scores are exact; the text read by
tests/common/exact.py's table_number), equal unless --tol allows a
difference relative to the larger of |expected| and 1 (default 0: exactly
equal).  An empty expected cell wants an empty actual cell.

Prints each mismatch (key, column, expected, actual), the first 20 of them,
then "N rows passed, M failed (K numbers compared exactly)".  Exit status 0
iff nothing failed.

As a module (an oracle's own `compare` command, e.g. tests/rushan/oracle.py):
    compare.main(argv, key=[...], text=[...], relative=False, prog=...)
parses only EXPECTED ACTUAL [--tol T], with the key and text columns given,
and --tol an absolute difference when relative is False;
    compare.compare_tables(expected_path, actual_path, key, text, tol, relative)
compares and prints, and returns the exit status.
"""

import argparse
import csv
import sys
from fractions import Fraction

from exact import fmt, table_number as number

MAX_PRINTED = 20


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        rows = list(reader)
    if not rows:
        sys.exit("%s: empty file" % path)
    return rows[0], rows[1:]


def compare_tables(expected_path, actual_path, key, text=(), tol=Fraction(0),
                   relative=True):
    """Compare the two tables, print the mismatches and a summary line;
    return 0 iff nothing failed.  tol allows |expected - actual| up to
    tol * max(1, |expected|) (relative) or up to tol (not relative)."""
    text = set(text)
    eh, erows = read(expected_path)
    ah, arows = read(actual_path)
    problems = []
    if eh != ah:
        problems.append("header differs:\n  expected %s\n  actual   %s"
                        % (",".join(eh), ",".join(ah)))
        for p in problems:
            print(p)
        print("0 rows passed, %d failed" % len(erows))
        return 1
    for k in key:
        if k not in eh:
            sys.exit("key column %s is not in the header" % k)
    col = {c: i for i, c in enumerate(eh)}

    def keyof(r):
        return tuple(r[col[k]] for k in key)

    failed = compared = 0
    mismatches = []
    if len(erows) != len(arows):
        problems.append("expected %d rows, got %d" % (len(erows), len(arows)))
    for n, e in enumerate(erows):
        if n >= len(arows):
            mismatches.append((keyof(e), "row", "present", "missing"))
            failed += 1
            continue
        a = arows[n]
        bad = False
        if len(a) != len(eh):
            mismatches.append((keyof(e), "row", "%d fields" % len(eh),
                               "%d fields" % len(a)))
            failed += 1
            continue
        if keyof(a) != keyof(e):
            mismatches.append((keyof(e), "key/order", keyof(e), keyof(a)))
            failed += 1
            continue
        for c, i in col.items():
            want, got = e[i], a[i]
            if c in text or c in key:
                ok = want == got
            elif want.strip() == "":
                ok = got.strip() == ""
            else:
                w, g = number(want), number(got)
                compared += 1
                allowed = tol * max(Fraction(1), abs(w)) if relative and w is not None else tol
                ok = w is not None and g is not None and abs(w - g) <= allowed
            if not ok:
                mismatches.append((keyof(e), c, want, got))
                bad = True
        failed += bad
    for n in range(len(erows), len(arows)):
        mismatches.append((keyof(arows[n]), "row", "(none)", "extra row"))
        failed += 1

    for p in problems:
        print(p)
    for k, c, want, got in mismatches[:MAX_PRINTED]:
        print("%s column=%s expected=%r actual=%r" % ("/".join(k), c, want, got))
    if len(mismatches) > MAX_PRINTED:
        print("... and %d more mismatches" % (len(mismatches) - MAX_PRINTED))
    print("%d rows passed, %d failed (%d numbers compared %s)"
          % (max(0, len(erows) - failed), failed, compared,
             "exactly" if tol == 0 else "within %s%s"
             % (fmt(tol) if (tol * 10 ** 18).denominator == 1 else tol,
                " relative" if relative else "")))
    return 0 if failed == 0 and not problems else 1


def main(argv=None, key=None, text=None, relative=True, prog=None):
    ap = argparse.ArgumentParser(
        prog=prog,
        description="Compare a table of `rubric score` (ACTUAL) with the oracle's (EXPECTED).")
    ap.add_argument("expected")
    ap.add_argument("actual")
    if key is None:
        ap.add_argument("--key", required=True)
        ap.add_argument("--text", default="")
    ap.add_argument("--tol", type=Fraction, default=Fraction(0),
                    help="the difference allowed, read exactly (default 0)")
    args = ap.parse_args(argv)
    if key is None:
        key = args.key.split(",")
        text = [c for c in args.text.split(",") if c]
    return compare_tables(args.expected, args.actual, key, text or (), args.tol,
                          relative)


if __name__ == "__main__":
    sys.exit(main())
