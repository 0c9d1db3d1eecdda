#!/usr/bin/env python3
"""Compare a table written by `rubric score` with the oracle's.

Usage:
    python3 compare.py EXPECTED.csv ACTUAL.csv --key id[,target] [--text COLS]
                       [--tol 1e-9]

Both files must have the same header, column for column, and the same rows
in the same order, matched by the key columns (`id` for a scores table,
`id,target` for a targets table).  Columns named in --text (comma-separated)
are compared as text, exactly; every other column as a number, within --tol
relative to the larger of |expected| and 1.  An empty expected cell wants an
empty actual cell.

Prints each mismatch (key, column, expected, actual), the first 20 of them,
then "N rows passed, M failed".  Exit status 0 iff nothing failed.
"""

import argparse
import csv
import math
import sys

MAX_PRINTED = 20


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        rows = list(reader)
    if not rows:
        sys.exit("%s: empty file" % path)
    return rows[0], rows[1:]


def number(text):
    try:
        x = float(text)
    except ValueError:
        return None
    return None if math.isnan(x) else x


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("expected")
    ap.add_argument("actual")
    ap.add_argument("--key", required=True)
    ap.add_argument("--text", default="")
    ap.add_argument("--tol", type=float, default=1e-9)
    args = ap.parse_args()
    key = args.key.split(",")
    text = set(c for c in args.text.split(",") if c)

    eh, erows = read(args.expected)
    ah, arows = read(args.actual)
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

    failed = 0
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
                ok = (w is not None and g is not None
                      and abs(w - g) <= args.tol * max(1.0, abs(w)))
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
    print("%d rows passed, %d failed" % (len(erows) - failed, failed))
    return 0 if failed == 0 and not problems else 1


if __name__ == "__main__":
    sys.exit(main())
