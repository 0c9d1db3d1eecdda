#!/usr/bin/env python3
"""Generate data for the Gaoqing 2021 schemes.

Usage:
    python3 gen_data.py --departments N --firms M --seed S --out DIR
    python3 gen_data.py --example --firms M --seed S --out DIR

Writes DIR/departments.csv (unless --example) and DIR/firms.csv.  The output
depends only on the arguments.

Departments (gaoqing_2021_sharing): records_due and records_realtime; each
department takes, in turn with probability 1/2 (always for the first ones),
a rate of exactly 90%, one record under or over it, 0% or 100%.

Firms (gaoqing_2021_firms): composite_score (0 to 1000, one decimal) and
penalty_records (empty for none, now and then 0).  Edge cases, taken in turn
with probability 1/2 (always for the first ones): a total of exactly 85, 70
or 60 for every number of penalty records that allows it (the composite
score then being a multiple of 12.5), the composite score 0.1, 1e-8 or 1e-9
under or over it (bands compare the total rounded to 9 decimals), and the
ends 0 and 100.

--example: the firms of examples/gaoqing/firms.csv, with coded but plausible
names (高青县G001化工有限公司) and a realistic spread of scores, edges included
(but not the 1e-8 and 1e-9 offsets).
"""

import argparse
import csv
import os
import random

INDUSTRIES = ["化工", "纺织", "食品", "机械制造", "建材", "商贸", "物流", "建筑工程",
              "农业科技", "医药", "印刷包装", "电力设备", "汽车配件", "饲料", "家具"]
FORMS = ["有限公司", "有限公司", "有限公司", "有限责任公司", "股份有限公司"]


def firm_edges(fine):
    """(composite score, penalty records) pairs at and around the band edges."""
    cases = [(1000.0, 0), (0.0, 5), (0.0, 0), (1000.0, 4)]
    for edge in (85, 70, 60):
        for p in range(0, 6):
            x = (edge - max(0, 20 - 5 * p)) * 12.5
            for d in (0.0, -0.1, 0.1):
                if 0 <= x + d <= 1000:
                    cases.append((round(x + d, 1), p))
            # Bands compare the total rounded to 9 decimals: 1e-9 off the
            # edge's composite score moves the total by 8e-11 (rounded onto
            # the edge), 1e-8 by 8e-10 (not).
            for d in ((-1e-9, 1e-9, -1e-8, 1e-8) if fine else ()):
                if 0 <= x + d <= 1000:
                    cases.append((x + d, p))
    return cases


def penalty_cell(rng, p):
    if p == 0:
        return "" if rng.random() < 0.8 else "0"
    return str(p)


def score_cell(x):
    if x == round(x, 1):
        return ("%.1f" % x).rstrip("0").rstrip(".")
    return repr(x)


def random_firm(rng):
    x = round(min(1000.0, max(0.0, rng.gauss(760, 120))), 1)
    r = rng.random()
    p = 0 if r < 0.7 else (1 if r < 0.85 else rng.randint(2, 6))
    return x, p


def generate_firms(rng, n, example):
    edges = firm_edges(fine=not example)
    rng.shuffle(edges)
    pairs = []
    k = 0
    for i in range(n):
        if i < len(edges) or rng.random() < (0.15 if example else 0.5):
            pairs.append(edges[k % len(edges)])
            k += 1
        else:
            pairs.append(random_firm(rng))
    rng.shuffle(pairs)    # the edge cases among the others
    firms = []
    for i, (x, p) in enumerate(pairs):
        if example:
            fid = "G%03d" % (i + 1)
            name = "高青县%s%s%s" % (fid, rng.choice(INDUSTRIES), rng.choice(FORMS))
        else:
            fid = "F%06d" % (i + 1)
            name = "企业%06d" % (i + 1)
        firms.append({"id": fid, "name": name, "composite_score": score_cell(x),
                      "penalty_records": penalty_cell(rng, p)})
    return firms


def generate_departments(rng, n):
    cases = ["at", "under", "over", "zero", "all"]
    out, k = [], 0
    for i in range(n):
        m = rng.randint(10, 5000)
        if i < len(cases) or rng.random() < 0.5:
            case = cases[k % len(cases)]
            k += 1
            due = 10 * m
            rt = {"at": 9 * m, "under": 9 * m - 1, "over": 9 * m + 1,
                  "zero": 0, "all": due}[case]
        else:
            due = rng.randint(1, 50000)
            rt = rng.randint(int(due * 0.7), due)
        out.append({"id": "D%05d" % (i + 1), "name": "部门%05d" % (i + 1),
                    "records_due": due, "records_realtime": rt})
    return out


def write_csv(path, columns, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(columns)
        for r in rows:
            w.writerow([str(r[c]) for c in columns])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--departments", type=int, default=0)
    ap.add_argument("--firms", type=int, required=True)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--example", action="store_true")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    os.makedirs(a.out, exist_ok=True)
    if not a.example:
        write_csv(os.path.join(a.out, "departments.csv"),
                  ["id", "name", "records_due", "records_realtime"],
                  generate_departments(rng, a.departments))
    write_csv(os.path.join(a.out, "firms.csv"),
              ["id", "name", "composite_score", "penalty_records"],
              generate_firms(rng, a.firms, a.example))


if __name__ == "__main__":
    main()
