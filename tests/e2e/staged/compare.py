#!/usr/bin/env python3
"""compare.py SCORES.csv ORACLE.txt: every town's total, rank and three
scores in rubric's table agree with the oracle's exact values (within
1e-15; a value the oracle cannot compute must be empty, its row
'incomplete'). Prints one line of counts; exit 1 on any difference."""
import csv
import sys
from fractions import Fraction as F


def main():
    got = {r["id"]: r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))}
    bad = n = incomplete = 0
    for line in open(sys.argv[2], encoding="utf-8"):
        i, tot, rank, *parts = line.strip().split(",")
        row = got.pop(i, None)
        if row is None:
            print("town %s: not in rubric's table" % i)
            bad += 1
            continue
        n += 1
        for name, want in zip(["total", "combined", "shares", "places"], [tot] + parts):
            have = row[name]
            if want == "-":
                ok = have == ""
            else:
                ok = have != "" and abs(F(have) - F(want)) <= F(1, 10**15)
            if not ok:
                print("town %s: %s is %r, the document gives %s" % (i, name, have, want))
                bad += 1
        if row["rank"] != ("" if rank == "-" else rank):
            print("town %s: rank %r, the document gives %s" % (i, row["rank"], rank))
            bad += 1
        if tot == "-":
            incomplete += 1
            if row.get("status") != "incomplete":
                print("town %s: not marked incomplete" % i)
                bad += 1
    if got:
        print("rubric scored towns the oracle has not: %s" % ", ".join(sorted(got)))
        bad += 1
    print("%d towns compared, %d incomplete, %d differences" % (n, incomplete, bad))
    sys.exit(1 if bad or n == 0 else 0)


if __name__ == "__main__":
    main()
