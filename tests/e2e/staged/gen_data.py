#!/usr/bin/env python3
"""gen_data.py --seed S --counties N --out FILE [--bad-records]: towns for
staged.rubric. Each county (parent) has 1 to 12 towns; small figures, so
that ties are common: copies of a town, and equal sums from different
figures. County C2 has a town with no registered firms (item 1 cannot be
computed there); the last county has a single town. With --bad-records,
one town of county C1 has 'n/a' for its records."""
import argparse
import random


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--counties", type=int, default=40)
    ap.add_argument("--out", required=True)
    ap.add_argument("--bad-records", action="store_true")
    a = ap.parse_args()
    r = random.Random(a.seed)
    lines = ["id,name,parent,xyd_firms,registered,credit_yuan,records"]
    town = 0
    for c in range(1, a.counties + 1):
        n = 1 if c == a.counties else r.randint(2, 12)
        rows = []
        for k in range(n):
            if rows and r.random() < 0.2:
                row = list(rows[r.randrange(len(rows))])  # a copy: a tie everywhere
            else:
                row = [r.randint(0, 50), r.choice([100, 200, 400, 500, 1000]),
                       r.randint(0, 20) * 10000, r.randint(0, 1000)]
            rows.append(row)
        if c == 2:
            rows[r.randrange(n)][1] = 0
        if c == 1 and a.bad_records:
            rows[0][3] = "n/a"  # no draw: the same towns as without it
        for row in rows:
            town += 1
            lines.append("%d,镇街%d,C%d,%s" % (370100000 + town, town, c, ",".join(str(v) for v in row)))
    with open(a.out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
