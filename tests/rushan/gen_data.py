#!/usr/bin/env python3
"""Generate test data for the Rushan 2022 target schemes.

Usage:
    python3 gen_data.py --cities N --towns M --seed S --out DIR

Writes DIR/city.csv and DIR/years.csv (N synthetic cities, years 2021 and
2022, for rushan_2022) and DIR/towns.csv (M synthetic towns, for
rushan_2022_towns).  The output depends only on the arguments.

For every target, each entity takes one of the target's edge cases in turn
with probability 1/2 (always for the first entities, so every case occurs):
exactly at the goal, one unit under and one unit over; ratios are built from
multiples so that the exact goal (20%, 10%, growth of 30%, 30%, 1 in 10,000)
is hit exactly.  zx_cases and zx_resolved (`missing 0`) are left empty in
some rows: both, or one of them.
"""

import argparse
import csv
import os
import random


class Picker:
    def __init__(self, rng, cases):
        self.rng, self.cases, self.next = rng, cases, 0

    def edge(self, i):
        if i >= len(self.cases) and self.rng.random() < 0.5:
            return None
        case = self.cases[self.next % len(self.cases)]
        self.next += 1
        return case


AT_LEAST = ["at", "under", "over", "zero", "far"]
ZX = ["equal", "short", "extra", "none-empty", "none-zero", "cases-empty",
      "resolved-empty", "zero-empty"]


def count_around(rng, case, goal):
    if case is None:
        return rng.randint(0, 2 * goal)
    return {"at": goal, "under": goal - 1, "over": goal + 1, "zero": 0,
            "far": goal * rng.randint(2, 5)}[case]


def zx_cells(rng, case):
    """zx_cases, zx_resolved as written in the table ('' = empty)."""
    n = rng.randint(1, 40)
    if case is None:
        r = rng.randint(0, n)
        return str(n), str(r)
    return {"equal": (str(n), str(n)), "short": (str(n), str(n - 1)),
            "extra": (str(n), str(n + 1)), "none-empty": ("", ""),
            "none-zero": ("0", "0"), "cases-empty": ("", str(n)),
            "resolved-empty": (str(n), ""), "zero-empty": ("0", "")}[case]


def generate_cities(rng, n):
    p = {k: Picker(rng, c) for k, c in [
        ("documents", AT_LEAST), ("lists", AT_LEAST), ("school", AT_LEAST),
        ("scenarios", AT_LEAST), ("domains", AT_LEAST), ("repair", AT_LEAST),
        ("zx", ZX), ("platform", ["at", "under", "over", "zero"]),
        ("gdp", ["at", "under", "over"]), ("growth", ["at", "under", "over", "fall"]),
        ("credit", ["at", "under", "over", "zero"]),
        ("codes", ["at", "under", "over", "zero"]),
    ]}
    cities, years = [], []
    for i in range(n):
        cid = "C%05d" % (i + 1)
        e = {"id": cid, "name": "城市%05d" % (i + 1)}
        e["documents_revised"] = count_around(rng, p["documents"].edge(i), 2)
        e["lists_issued"] = count_around(rng, p["lists"].edge(i), 2)
        e["min_school_events"] = count_around(rng, p["school"].edge(i), 2)
        e["new_scenarios"] = count_around(rng, p["scenarios"].edge(i), 20)
        e["supervised_domains"] = count_around(rng, p["domains"].edge(i), 60)
        e["repair_guided"] = count_around(rng, p["repair"].edge(i), 100)
        e["zx_cases"], e["zx_resolved"] = zx_cells(rng, p["zx"].edge(i))

        k = rng.randint(2000, 30000)
        case = p["platform"].edge(i)
        e["market_firms"] = 5 * k
        e["platform_firms"] = ({"at": k, "under": k - 1, "over": k + 1, "zero": 0}[case]
                               if case else rng.randint(0, 2 * k))

        k = rng.randint(1, 20)
        case = p["codes"].edge(i)
        e["codes_issued"] = 10000 * k + (0 if case else rng.randint(0, 9999))
        e["codes_faulty"] = ({"at": k, "under": k - 1, "over": k + 1, "zero": 0}[case]
                             if case else rng.randint(0, 3 * k))
        cities.append(e)

        # loans: 2021 = 10 m, 2022 = 13 m for exactly 30% growth
        m = rng.randint(10**7, 10**9)
        case = p["growth"].edge(i)
        prev = 10 * m
        last = ({"at": 13 * m, "under": 13 * m - 1, "over": 13 * m + 1,
                 "fall": 9 * m}[case] if case else rng.randint(8 * m, 16 * m))
        case = p["gdp"].edge(i)
        gdp_last = ({"at": 10 * last, "under": 10 * last + 1,
                     "over": 10 * last - 1}[case] if case
                    else rng.randint(6 * last, 14 * last))
        gdp_prev = rng.randint(gdp_last * 9 // 10, gdp_last)
        s = rng.randint(10**8, 10**10)
        case = p["credit"].edge(i)
        sme_last = 10 * s
        credit_last = ({"at": 3 * s, "under": 3 * s - 1, "over": 3 * s + 1,
                        "zero": 0}[case] if case else rng.randint(0, 6 * s))
        sme_prev = rng.randint(sme_last * 8 // 10, sme_last)
        credit_prev = rng.randint(0, sme_prev // 2)
        rows = [
            {"id": cid, "year": 2021, "gdp": gdp_prev, "inclusive_loans": prev,
             "sme_loans": sme_prev, "sme_credit_loans": credit_prev},
            {"id": cid, "year": 2022, "gdp": gdp_last, "inclusive_loans": last,
             "sme_loans": sme_last, "sme_credit_loans": credit_last},
        ]
        years.extend(rows)
    rng.shuffle(years)    # period rows may come in any order
    return cities, years


def generate_towns(rng, n):
    school = Picker(rng, AT_LEAST)
    zx = Picker(rng, ZX)
    towns = []
    for i in range(n):
        t = {"id": "T%05d" % (i + 1), "name": "镇%05d" % (i + 1)}
        t["zx_cases"], t["zx_resolved"] = zx_cells(rng, zx.edge(i))
        t["min_school_events"] = count_around(rng, school.edge(i), 2)
        towns.append(t)
    return towns


def write_csv(path, columns, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(columns)
        for r in rows:
            w.writerow([str(r[c]) for c in columns])


CITY_COLUMNS = ["id", "name", "documents_revised", "lists_issued",
                "min_school_events", "new_scenarios", "supervised_domains",
                "zx_cases", "zx_resolved", "market_firms", "platform_firms",
                "codes_issued", "codes_faulty", "repair_guided"]
YEAR_COLUMNS = ["id", "year", "gdp", "inclusive_loans", "sme_loans",
                "sme_credit_loans"]
TOWN_COLUMNS = ["id", "name", "zx_cases", "zx_resolved", "min_school_events"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cities", type=int, required=True)
    ap.add_argument("--towns", type=int, required=True)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    cities, years = generate_cities(rng, a.cities)
    towns = generate_towns(rng, a.towns)
    os.makedirs(a.out, exist_ok=True)
    write_csv(os.path.join(a.out, "city.csv"), CITY_COLUMNS, cities)
    write_csv(os.path.join(a.out, "years.csv"), YEAR_COLUMNS, years)
    write_csv(os.path.join(a.out, "towns.csv"), TOWN_COLUMNS, towns)


if __name__ == "__main__":
    main()
