#!/usr/bin/env python3
"""Generate test data for the Chengwu 2022 scheme (data contract in
/work/shared/domain.md, "Data contract for the Chengwu 2022 example").

Usage:
    python3 gen_data.py --counties N --seed S --out DIR
                        [--with-large K] [--with-zero Z]

Writes DIR/entities.csv (one row per county) and DIR/periods.csv (months
1..12 for every county).  The output depends only on the arguments.

Besides plausible random values, many counties get values placed EXACTLY ON
or JUST AROUND the thresholds of the scheme (0.3% / 0.5% blacklist share,
1% / 3% Xinyidai share, 50% / 80% commitments, 3e8 / 1e9 yuan, 40 / 70
million records, 200,000 records, checks == entities, 20 domains, mean ranks
of exactly 10, 20, 100, 100.0833, ...).  For every indicator, each county
takes one of that indicator's edge cases with probability 1/2 (the edge
cases are taken in turn, so all of them occur as soon as N is a few dozen),
otherwise a random value spread over all of the indicator's tiers.

--with-large K: K counties get population >= 1,000,000 (one of them exactly
1,000,000); the scheme must report those rows as errors (info_collection).
--with-zero Z: Z counties get market_entities == 0 or operating_firms == 0
(alternately); the scheme must report those rows as errors.
By default every county has population < 1,000,000 and non-zero
denominators, so the whole set scores without errors.
"""

import argparse
import csv
import os
import random

ENTITY_COLUMNS = [
    "id", "name", "population", "gov_defaulters", "serious_dishonest",
    "market_entities", "platform_records", "records_social_security",
    "records_tax", "records_housing_fund", "records_water",
    "records_electricity", "records_gas", "records_logistics", "records_ip",
    "credit_checks", "benefit_domains", "xyd_registered", "operating_firms",
    "xyd_credit_yuan", "supervision_domains", "commitments",
    "sys_institutions", "sys_organisation", "sys_staffing", "sys_funding",
    "innovations", "fin_progress", "zx_mechanism", "zx_cleanup",
    "zx_crackdown", "no_major_risk",
]
PERIOD_COLUMNS = [
    "id", "month", "city_rank", "usc_error_rate", "pub_compliance",
    "pub_timeliness",
]
SPECIAL_RECORD_COLUMNS = [
    "records_social_security", "records_tax", "records_housing_fund",
    "records_water", "records_electricity", "records_gas",
    "records_logistics", "records_ip",
]

# Province-level division codes used as the first two digits of the ids.
PROVINCES = [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41,
             42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65]


class Picker:
    """Hands out one indicator's edge cases in turn."""

    def __init__(self, rng, cases):
        self.rng = rng
        self.cases = cases
        self.next = 0

    def edge(self, county_index):
        """An edge case (always for the first counties, so every case
        occurs), or None (take a random value) half of the time."""
        if county_index >= len(self.cases) and self.rng.random() < 0.5:
            return None
        case = self.cases[self.next % len(self.cases)]
        self.next += 1
        return case


def division_codes(rng, n):
    """n unique 6-digit division-code-like ids: province, city 01-70,
    county 01-99; sorted."""
    space = len(PROVINCES) * 70 * 99
    if n > space:
        raise SystemExit("at most %d counties" % space)
    picks = rng.sample(range(space), n)
    codes = []
    for k in picks:
        p, rest = divmod(k, 70 * 99)
        c, d = divmod(rest, 99)
        codes.append("%02d%02d%02d" % (PROVINCES[p], c + 1, d + 1))
    return sorted(codes)


def ranks_with_sum(rng, total, spread):
    """12 positive integer ranks that add up to total (so their mean is
    exactly total/12), scattered by up to about `spread` around the mean."""
    base, extra = divmod(total, 12)
    ranks = [base + (1 if i < extra else 0) for i in range(12)]
    for _ in range(12):
        i, j = rng.sample(range(12), 2)
        d = rng.randint(0, spread)
        if ranks[j] - d >= 1:
            ranks[i] += d
            ranks[j] -= d
    rng.shuffle(ranks)
    assert sum(ranks) == total and min(ranks) >= 1
    return ranks


def fraction(x):
    """A rate written as a float, rounded for readability."""
    return round(x, 6)


# Edge cases per indicator.  Each is a small tag interpreted below.
RANK_SUMS = [
    12 * 10,      # mean exactly 10 -> 20
    12 * 10,      # (again, with a wide spread of months)
    12 * 10 + 1,  # 10.0833 -> 18
    12 * 20,      # exactly 20 -> 18
    12 * 20 + 1,  # 20.0833 -> 16
    12 * 20 - 1,  # 19.9167 -> 18
    12 * 30,      # exactly 30 -> 16
    12 * 55 + 6,  # 55.5 -> 10
    12 * 90,      # exactly 90 -> 4
    12 * 90 + 1,  # 90.0833 -> 2
    12 * 100,     # exactly 100 -> 2
    12 * 100 + 1,  # 100.0833 -> 0
    12 * 100 - 1,  # 99.9167 -> 2
    12 * 1,       # all first -> 20
    12 * 200,     # far below -> 0
]
BLACKLIST_CASES = ["0.3%", "0.3%-1", "0.3%+1", "0.5%", "0.5%-1", "0.5%+1",
                   "0.4%", "zero"]
USC_CASES = [12, 0, 6, 7, 9, 11, 1]          # months with rate exactly 0
PUB_CASES = [24, 23, 12, 13, 18, 0, 1]       # rates reaching 100%
RECORDS_CASES = [40000000, 40000001, 39999999, 70000000, 70000001,
                 69999999, 0, 120000000]
SPECIAL_CASES = ["all-200000", "all-199999", "mixed-edge", "none", "all"]
CHECK_CASES = ["equal", "plus1", "minus1", "double", "zero"]
DOMAIN_CASES = [0, 19, 20, 25, 1, 10, 21]
XYD_SHARE_CASES = ["1%", "1%-1", "1%+1", "3%", "3%-1", "3%+1", "2%", "zero"]
LOAN_CASES = [300000000, 299999999, 300000001, 1000000000, 999999999,
              1000000001, 0, 650000000]
COMMIT_CASES = ["50%", "50%-1", "50%+1", "80%", "80%-1", "80%+1", "65%",
                "zero", "120%"]
SYS_CASES = [0.0, 0.7, 0.35, "mixed"]   # for all four aspects
DEFAULTER_CASES = [0, 10, 11, 9, 15]
INNOVATION_CASES = [0, 1, 2, 3, 4]


def generate(n, seed, with_large=0, with_zero=0):
    rng = random.Random(seed)
    ids = division_codes(rng, n)
    pick = {name: Picker(rng, cases) for name, cases in [
        ("rank", RANK_SUMS), ("blacklist", BLACKLIST_CASES),
        ("usc", USC_CASES), ("pub", PUB_CASES), ("records", RECORDS_CASES),
        ("special", SPECIAL_CASES), ("checks", CHECK_CASES),
        ("benefit", DOMAIN_CASES), ("supervision", DOMAIN_CASES),
        ("xyd", XYD_SHARE_CASES), ("loans", LOAN_CASES),
        ("commit", COMMIT_CASES), ("sys", SYS_CASES),
        ("defaulters", DEFAULTER_CASES), ("innovations", INNOVATION_CASES),
    ]}
    large = set(rng.sample(range(n), min(with_large, n)))
    zero = sorted(rng.sample(sorted(set(range(n)) - large),
                             min(with_zero, n - len(large))))
    zero_kind = {i: ("market_entities" if k % 2 == 0 else "operating_firms")
                 for k, i in enumerate(zero)}

    entities, periods = [], []
    first_large = min(large) if large else None
    for i, cid in enumerate(ids):
        e = {"id": cid, "name": "县%04d" % (i + 1)}

        # population: under 1 million unless chosen as large
        if i in large:
            e["population"] = (1000000 if i == first_large
                               else rng.randint(1000000, 2000000))
        else:
            e["population"] = (999999 if rng.random() < 0.1
                               else rng.randint(150000, 999999))

        case = pick["defaulters"].edge(i)
        e["gov_defaulters"] = case if case is not None else rng.randint(0, 15)

        # market entities and the blacklist share
        case = pick["blacklist"].edge(i)
        if case is None:
            m = rng.randint(20000, 200000)
            d = int(m * rng.uniform(0.0, 0.008))
        else:
            k = rng.randint(20, 200)
            m = 1000 * k
            d = {"0.3%": 3 * k, "0.3%-1": 3 * k - 1, "0.3%+1": 3 * k + 1,
                 "0.5%": 5 * k, "0.5%-1": 5 * k - 1, "0.5%+1": 5 * k + 1,
                 "0.4%": 4 * k, "zero": 0}[case]
        e["serious_dishonest"] = d
        e["market_entities"] = m

        case = pick["records"].edge(i)
        e["platform_records"] = (case if case is not None
                                 else rng.randint(10000000, 100000000))

        case = pick["special"].edge(i)
        if case is None:
            above = set(rng.sample(SPECIAL_RECORD_COLUMNS, rng.randint(0, 8)))
            for c in SPECIAL_RECORD_COLUMNS:
                e[c] = (rng.randint(200000, 3000000) if c in above
                        else rng.randint(0, 199999))
        else:
            for j, c in enumerate(SPECIAL_RECORD_COLUMNS):
                e[c] = {"all-200000": 200000, "all-199999": 199999,
                        "mixed-edge": 200000 if j % 2 == 0 else 199999,
                        "none": 0, "all": 200001 + j}[case]

        case = pick["checks"].edge(i)
        if case is None:
            e["credit_checks"] = int(m * rng.uniform(0.5, 2.0))
        else:
            e["credit_checks"] = {"equal": m, "plus1": m + 1, "minus1": m - 1,
                                  "double": 2 * m, "zero": 0}[case]

        case = pick["benefit"].edge(i)
        e["benefit_domains"] = case if case is not None else rng.randint(0, 30)

        # operating firms; a multiple of 100 whenever an edge share is used
        xyd_case = pick["xyd"].edge(i)
        commit_case = pick["commit"].edge(i)
        f = int(m * rng.uniform(0.15, 0.5))
        if xyd_case is not None or commit_case is not None:
            f = max(100, f - f % 100)
        f = max(f, 1)
        k = f // 100
        if xyd_case is None:
            e["xyd_registered"] = int(f * rng.uniform(0.0, 0.05))
        else:
            e["xyd_registered"] = {"1%": k, "1%-1": k - 1, "1%+1": k + 1,
                                   "3%": 3 * k, "3%-1": 3 * k - 1,
                                   "3%+1": 3 * k + 1, "2%": 2 * k,
                                   "zero": 0}[xyd_case]
        e["operating_firms"] = f

        case = pick["loans"].edge(i)
        e["xyd_credit_yuan"] = (case if case is not None
                                else rng.randint(0, 1500000000))

        case = pick["supervision"].edge(i)
        e["supervision_domains"] = (case if case is not None
                                    else rng.randint(0, 30))

        if commit_case is None:
            e["commitments"] = int(f * rng.uniform(0.2, 1.2))
        else:
            e["commitments"] = {"50%": f // 2, "50%-1": f // 2 - 1,
                                "50%+1": f // 2 + 1, "80%": 4 * f // 5,
                                "80%-1": 4 * f // 5 - 1,
                                "80%+1": 4 * f // 5 + 1,
                                "65%": 65 * f // 100, "zero": 0,
                                "120%": 6 * f // 5}[commit_case]

        case = pick["sys"].edge(i)
        for c in ("sys_institutions", "sys_organisation", "sys_staffing",
                  "sys_funding"):
            if case == "mixed":
                e[c] = rng.choice([0.0, 0.7, 0.35])
            elif case is not None:
                e[c] = case
            else:
                e[c] = round(rng.uniform(0, 0.7), 2)

        case = pick["innovations"].edge(i)
        e["innovations"] = case if case is not None else rng.randint(0, 4)
        for c in ("fin_progress", "zx_mechanism", "zx_cleanup",
                  "zx_crackdown", "no_major_risk"):
            e[c] = 1 if rng.random() < 0.7 else 0

        if i in zero_kind:
            e[zero_kind[i]] = 0
            if zero_kind[i] == "market_entities":
                e["serious_dishonest"] = 0
        entities.append(e)

        # ---- the twelve months
        case = pick["rank"].edge(i)
        if case is None:
            total = rng.randint(12, 12 * 150)
        else:
            total = case
        spread = rng.choice([0, 3, 10, 40])
        ranks = ranks_with_sum(rng, total, spread)

        case = pick["usc"].edge(i)
        zero_months = case if case is not None else rng.randint(0, 12)
        usc_zero = set(rng.sample(range(12), zero_months))

        case = pick["pub"].edge(i)
        hits = case if case is not None else rng.randint(0, 24)
        pub_hit = set(rng.sample(range(24), hits))

        def pub_rate(slot):
            if slot in pub_hit:
                return 1.0
            return rng.choice([0.999, fraction(rng.uniform(0.8, 0.999))])

        for mo in range(12):
            if mo in usc_zero:
                usc = 0.0
            else:
                usc = rng.choice([1e-05, fraction(rng.uniform(0.000001, 0.01))])
            periods.append({
                "id": cid, "month": mo + 1, "city_rank": ranks[mo],
                "usc_error_rate": usc,
                "pub_compliance": pub_rate(2 * mo),
                "pub_timeliness": pub_rate(2 * mo + 1),
            })
    return entities, periods


def cell(v):
    return repr(v) if isinstance(v, float) else str(v)


def write_csv(path, columns, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(columns)
        for r in rows:
            w.writerow([cell(r[c]) for c in columns])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--counties", type=int, required=True)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--with-large", type=int, default=0, metavar="K",
                    help="K counties with population >= 1,000,000")
    ap.add_argument("--with-zero", type=int, default=0, metavar="Z",
                    help="Z counties with a zero denominator")
    args = ap.parse_args()
    if args.counties < 1:
        ap.error("--counties must be at least 1")
    entities, periods = generate(args.counties, args.seed, args.with_large,
                                 args.with_zero)
    os.makedirs(args.out, exist_ok=True)
    write_csv(os.path.join(args.out, "entities.csv"), ENTITY_COLUMNS, entities)
    write_csv(os.path.join(args.out, "periods.csv"), PERIOD_COLUMNS, periods)


if __name__ == "__main__":
    main()
