#!/usr/bin/env python3
"""Generate test data for the Linyi 2019 scheme (examples/linyi/linyi_2019.rubric).

Usage:
    python3 gen_data.py --counties N --seed S --profile P --out DIR

Writes DIR/entities.csv (one row per county: id, name and every one-value
input of the scheme) and DIR/periods.csv (id, month, listed, listed_new,
listed_exits for months 1..12).  The output depends only on the arguments.

The scheme compares the counties with each other (peers all), so how a column
is spread over the whole table matters.  --profile chooses it for the columns
that enter a peer aggregate:

  spread  random values, with at least two rows on the column's maximum and
          two on its minimum (ties at both ends);
  const   every county has the same value in every peer column (min-max is 1,
          ratio_to_max is 1, or 0 where the common value is 0; share × count
          is 1; every rank is 1);
  ties    every peer column takes two or three values only (many ties, at the
          maximum and at the minimum), some columns all zero;
  mixed   each peer column picks one of the above, and some are all zero.

Whatever the profile, the columns read by absolute rules get values on and
around their thresholds (双公示率 90% / 100%, 转码率 95% / 100%, 承诺覆盖面
50% / 80%, 建档率 50%, deductions 0..4, caps of award, 19 campaigns, blank
cells meaning full marks), and the peer rules get their own edge cases where
the profile allows: the December list total at exactly the city average, at
twice it and one either side (rel = 1 and 2 in dishonesty.city_share), and
失信案例核查 counts at the city mean, one either side, and 0.

With --counties 1 the single county is its own peer group.
"""

import argparse
import csv
import os
import random

ENTITY_COLUMNS = [
    "id", "name", "honest_people", "honest_firms", "legal_firms", "violations",
    "rated_firms", "rated_poor", "supervised_domains", "gov_defaulters",
    "finance_listed", "finance_cleared", "ecommerce_done", "campaigns_done",
    "jr_coverage", "jr_cases", "jr_rate", "jr_domains", "jr_departments",
    "jr_auto", "jr_auto_domains", "repair_approved", "repair_trained",
    "repair_committed", "repair_reports", "warning_talks", "repaired",
    "gov_events", "business_events", "procurement_events", "social_events",
    "judicial_events", "events_resolved", "event_disclosure",
    "rules_detailed", "integrity_coverage", "innovative_rules", "pub_rate",
    "pub_records", "shared_records", "sharing_platform", "credit_column",
    "usc_conversion", "usc_correction", "promo_media", "promo_schools",
    "promo_firms", "promo_communities", "promo_villages", "market_entities",
    "commitments", "xy_scenarios", "xyd_loans", "case_checks",
    "rural_entities", "archived", "rural_rated", "rural_borrowers",
    "villages", "villages_credited", "agri_depts", "agri_depts_published",
    "policy_applications", "approval_depts", "tolerant_depts", "online_days",
    "contract_disputes", "a_taxpayers",
]
PERIOD_COLUMNS = ["id", "month", "listed", "listed_new", "listed_exits"]
PROFILES = ["spread", "const", "ties", "mixed"]

# Peer columns: name -> (low, high, may be all zero).  Denominators (at least
# 1 in the scheme) never take 0.
PEER_COUNTS = {
    "honest_people": (0, 30, True),
    "honest_firms": (0, 60, True),
    "violations": (0, 200, True),
    "supervised_domains": (0, 40, True),
    "jr_cases": (0, 300, True),
    "jr_domains": (0, 40, True),
    "jr_departments": (0, 50, True),
    "jr_auto_domains": (0, 20, True),
    "repair_approved": (0, 150, True),
    "repair_trained": (0, 400, True),
    "repair_committed": (0, 200, True),
    "repair_reports": (0, 100, True),
    "warning_talks": (0, 90, True),
    "repaired": (0, 80, True),
    "pub_records": (0, 80000, True),
    "shared_records": (0, 8000000, True),
    "xy_scenarios": (0, 12, True),
    "xyd_loans": (0, 1500000000, True),
    "policy_applications": (0, 500, True),
    "contract_disputes": (0, 3000, True),
    "a_taxpayers": (0, 3000, True),
    "rated_poor": (0, 2000, True),
    "rural_rated": (0, 20000, True),
    "rural_borrowers": (0, 10000, True),
    "villages_credited": (0, 300, True),
    "tolerant_depts": (0, 40, True),
    "commitments": (40, 100000, False),   # >= 40: coverage edges in every profile
    "legal_firms": (1, 40000, False),
    "rated_firms": (1, 30000, False),
    "rural_entities": (2, 40000, False),     # even in edge rows (建档率 50%)
    "villages": (1, 600, False),
    "approval_depts": (1, 45, False),
}
# online_days is a peer column too (a number, in tenths of a day).
ONLINE_RANGE = (0, 120)

# Absolute rules: edge cases, taken in turn by the first rows, then half the
# time.
GOV_DEFAULTER_CASES = [0, 1, 2, 3, 4, 7]
EVENT_CASES = [0, 1, 2, 3, 4]
CAMPAIGN_CASES = [0, 1, 18, 19, 10]
DETAIL_CASES = [0, 3, 4, 5, 9]
INNOVATIVE_CASES = [0, 1, 2, 3]
PUB_RATE_CASES = ["100%", "99.9%", "95%", "90.1%", "90%", "89.9%", "0%",
                  "90.0001%", "99.9999%"]
USC_CASES = ["100%", "99.99%", "97.5%", "95.01%", "95%", "94.99%", "0%",
             "95.0001%"]
COVER_CASES = ["80%", "80%-", "80%+", "50%", "50%-", "50%+", "over"]
ARCHIVE_CASES = ["50%", "50%-", "50%+", "zero", "all", "25%"]
FINANCE_CASES = ["none", "half", "all", "over", "none-listed-cleared0"]
PROMO_CASES = ["all1", "all0", "one0", "mixed"]


class Picker:
    """Hands out one rule's edge cases in turn: always for the first rows
    (so every case occurs once the table has a few dozen rows), then half of
    the time; None means "take a random value"."""

    def __init__(self, rng, cases):
        self.rng, self.cases, self.next = rng, cases, 0

    def edge(self, row):
        if row >= len(self.cases) and self.rng.random() < 0.5:
            return None
        case = self.cases[self.next % len(self.cases)]
        self.next += 1
        return case


def peer_column(rng, n, low, high, may_zero, mode):
    """n values for one peer column under one mode."""
    if mode == "zero" and may_zero:
        return [0] * n
    if mode == "zero":
        mode = "const"
    if mode == "const":
        v = rng.choice([low, high, rng.randint(low, high)])
        return [v] * n
    if mode == "ties":
        k = rng.choice([2, 3])
        vals = sorted(set(rng.randint(low, high) for _ in range(k)))
        if len(vals) == 1:
            vals.append(min(high, vals[0] + 1) if vals[0] < high else low)
        out = [rng.choice(vals) for _ in range(n)]
        if n >= 4:   # both ends occur at least twice
            out[0] = out[1] = min(vals)
            out[2] = out[3] = max(vals)
            rng.shuffle(out)
        return out
    # spread
    out = [rng.randint(low, high) for _ in range(n)]
    if n >= 6:      # two rows on the minimum and two on the maximum
        lo, hi = min(out), max(out)
        idx = rng.sample(range(n), 4)
        out[idx[0]] = out[idx[1]] = lo
        out[idx[2]] = out[idx[3]] = hi
    return out


def column_modes(rng, profile, names):
    modes = {}
    for name in names:
        if profile == "spread":
            modes[name] = "spread"
        elif profile == "const":
            modes[name] = "const"
        elif profile == "ties":
            modes[name] = "zero" if rng.random() < 0.15 else "ties"
        else:
            modes[name] = rng.choice(["spread", "const", "ties", "zero"])
    return modes


def december_totals(rng, n, mode):
    """The December list totals (at least 1).  Outside the const mode, rows
    come in groups whose mean is exactly m: singles at m, pairs m ± d and
    triples (2m ± e, m/2, m/2 ∓ e), so rows sit at exactly the city average
    (rel = 1), at twice it (rel = 2), and one either side of both."""
    m = 2 * rng.randint(20, 400)          # even, so m/2 is whole
    if mode == "const":
        return [m] * n
    groups = [[2 * m, m // 2, m // 2], [2 * m + 1, m // 2, m // 2 - 1],
              [2 * m - 1, m // 2, m // 2 + 1], [m + 1, m - 1], [m], [m],
              [m + rng.randint(1, m - 1)], [m - 1, m + 1]]
    out = []
    k = 0
    while len(out) < n:
        g = list(groups[k % len(groups)])
        k += 1
        if len(g) == 1 and g[0] != m:       # a pair with a random spread
            d = g[0] - m
            g = [m + d, m - d]
        if len(out) + len(g) > n:
            g = [m] * (n - len(out))
        out.extend(g)
    if n == 1:
        out = [rng.randint(1, 2 * m)]
    rng.shuffle(out)
    assert all(v >= 1 for v in out)
    return out


def case_check_values(rng, n, mode):
    """失信案例核查 counts whose mean is exactly a whole number m, with rows at
    m, m ± 1 and 0 (and 2m to balance it)."""
    if mode in ("const", "zero"):
        v = 0 if mode == "zero" else rng.randint(0, 40)
        return [v] * n
    m = rng.randint(3, 40)
    groups = [[m], [m - 1, m + 1], [0, 2 * m], [m - 3, m + 3], [m, m]]
    out = []
    k = 0
    while len(out) < n:
        g = groups[k % len(groups)]
        k += 1
        if len(out) + len(g) > n:
            g = [m] * (n - len(out))
        out.extend(g)
    if n == 1:
        out = [rng.choice([0, m])]
    rng.shuffle(out)
    return out


def pct(x):
    """A fraction as a percent cell, e.g. 0.4567 -> '45.67%'."""
    return "%s%%" % repr(round(x * 100, 4))


def yesno(rng, v):
    return rng.choice(["1", "是", "yes", "TRUE"]) if v else rng.choice(["0", "否", "no", "False"])


def division_codes(rng, n):
    """Unique 6-digit ids: Shandong (37), cities 01-17, counties 01-99."""
    picks = rng.sample(range(17 * 99), n) if n <= 17 * 99 else None
    if picks is None:
        picks = rng.sample(range(17 * 99 * 10), n)
        return sorted("37%02d%03d" % (k // 990 + 1, k % 990) for k in picks)
    return sorted("37%02d%02d" % (k // 99 + 1, k % 99 + 1) for k in picks)


def generate(n, seed, profile):
    rng = random.Random("%d/%s/%d" % (seed, profile, n))
    ids = division_codes(rng, n)
    names = list(PEER_COUNTS) + ["online_days", "listed", "case_checks",
                                 "monthly"]
    modes = column_modes(rng, profile, names)
    cols = {}
    for name, (low, high, may_zero) in PEER_COUNTS.items():
        cols[name] = peer_column(rng, n, low, high, may_zero, modes[name])
    cols["commitments"] = [v - v % 40 for v in cols["commitments"]]
    cols["rural_entities"] = [max(2, v - v % 2) for v in cols["rural_entities"]]
    cols["online_days"] = [v / 10 for v in peer_column(
        rng, n, ONLINE_RANGE[0], ONLINE_RANGE[1], True, modes["online_days"])]
    december = december_totals(rng, n, modes["listed"])
    checks = case_check_values(rng, n, modes["case_checks"])

    pick = {k: Picker(rng, v) for k, v in [
        ("gov", GOV_DEFAULTER_CASES), ("campaigns", CAMPAIGN_CASES),
        ("detail", DETAIL_CASES), ("innov", INNOVATIVE_CASES),
        ("pub", PUB_RATE_CASES), ("usc", USC_CASES), ("cover", COVER_CASES),
        ("archive", ARCHIVE_CASES), ("finance", FINANCE_CASES),
        ("promo", PROMO_CASES)]}
    event_pickers = [Picker(rng, EVENT_CASES[i:] + EVENT_CASES[:i])
                     for i in range(5)]

    const_monthly = None
    entities, periods = [], []
    for i, cid in enumerate(ids):
        e = {"id": cid, "name": "县区%04d" % (i + 1)}
        for name in PEER_COUNTS:
            e[name] = cols[name][i]
        e["online_days"] = cols["online_days"][i]
        e["case_checks"] = checks[i]

        c = pick["gov"].edge(i)
        e["gov_defaulters"] = c if c is not None else rng.randint(0, 5)
        ev = []
        for k, col in enumerate(["gov_events", "business_events",
                                 "procurement_events", "social_events",
                                 "judicial_events"]):
            c = event_pickers[k].edge(i)
            e[col] = c if c is not None else rng.choice([0, 0, 1, 2, 5])
            ev.append(e[col])
        total_events = sum(ev)
        e["events_resolved"] = rng.choice([0, total_events, total_events + 1,
                                           rng.randint(0, total_events)])
        e["event_disclosure"] = rng.choice(["", "", "0%", "100%", pct(rng.random())])

        c = pick["finance"].edge(i)
        if c == "none":
            e["finance_listed"], e["finance_cleared"] = 0, 0
        elif c == "none-listed-cleared0":
            e["finance_listed"], e["finance_cleared"] = 0, rng.randint(0, 3)
        else:
            fl = rng.randint(1, 40)
            fc = {"half": fl // 2, "all": fl, "over": fl + rng.randint(1, 5),
                  None: rng.randint(0, fl)}[c]
            e["finance_listed"], e["finance_cleared"] = fl, fc
        e["ecommerce_done"] = yesno(rng, rng.random() < 0.6)
        c = pick["campaigns"].edge(i)
        e["campaigns_done"] = c if c is not None else rng.randint(0, 19)

        e["jr_coverage"] = rng.choice(["0%", "100%", pct(rng.random())])
        e["jr_rate"] = rng.choice(["0%", "100%", pct(rng.random())])
        e["jr_auto"] = yesno(rng, rng.random() < 0.5)

        c = pick["detail"].edge(i)
        e["rules_detailed"] = c if c is not None else rng.randint(0, 8)
        c = pick["innov"].edge(i)
        e["innovative_rules"] = c if c is not None else rng.randint(0, 4)
        e["integrity_coverage"] = rng.choice(["0%", "100%", pct(rng.random())])
        c = pick["pub"].edge(i)
        e["pub_rate"] = c if c is not None else pct(rng.uniform(0.85, 1.0))
        e["sharing_platform"] = yesno(rng, rng.random() < 0.7)
        e["credit_column"] = yesno(rng, rng.random() < 0.7)
        c = pick["usc"].edge(i)
        e["usc_conversion"] = c if c is not None else pct(rng.uniform(0.9, 1.0))
        e["usc_correction"] = rng.choice(["", "100%", "0%", pct(rng.random())])

        c = pick["promo"].edge(i)
        promo = ["promo_media", "promo_schools", "promo_firms",
                 "promo_communities", "promo_villages"]
        for k, col in enumerate(promo):
            if c == "all1":
                e[col] = 1
            elif c == "all0":
                e[col] = 0
            elif c == "one0":
                e[col] = 0 if k == i % 5 else rng.randint(1, 3)
            else:
                e[col] = rng.choice([0, 1, 2, 6])

        # 承诺覆盖面: commitments is a peer column (样板量, a multiple of 40 in
        # every profile), so the edge cases move market_entities only:
        # 40k / 50k is exactly 80%, 40k / 80k exactly 50%, one more or one
        # fewer market entity is just under or just over.
        c = pick["cover"].edge(i)
        com = e["commitments"]
        k = com // 40
        if c is None or k == 0:
            base = max(com, 1)
            e["market_entities"] = rng.randint(base, 3 * base)
        elif c == "over":
            e["market_entities"] = max(1, com // 2)
        else:
            market = {"80%": 50 * k, "50%": 80 * k}[c[:3]]
            if c.endswith("-"):
                market += 1
            elif c.endswith("+"):
                market -= 1
            e["market_entities"] = market

        # 建档率: archived against rural_entities (a peer denominator, even in
        # every profile, so that half of it is whole).
        c = pick["archive"].edge(i)
        re_ = e["rural_entities"]
        half = re_ // 2
        if c is None:
            e["archived"] = rng.randint(0, re_)
        else:
            e["archived"] = {"50%": half, "50%-": half - 1, "50%+": half + 1,
                             "zero": 0, "all": re_, "25%": re_ // 4}[c]

        e["agri_depts"] = rng.randint(1, 20)
        e["agri_depts_published"] = rng.choice(
            [0, e["agri_depts"], e["agri_depts"] // 2, e["agri_depts"] + 2,
             rng.randint(0, e["agri_depts"])])
        entities.append(e)

        # ---- months: listed (>= 1), new and exits; December as chosen above
        if modes["monthly"] == "const" and const_monthly is not None:
            series = const_monthly
        else:
            listed = [max(1, december[i] + rng.randint(-50, 50)) for _ in range(11)]
            listed.append(december[i])
            new = [rng.randint(0, 60) for _ in range(12)]
            exits = [rng.randint(0, 60) for _ in range(12)]
            if modes["monthly"] == "zero":
                new = [0] * 12
                exits = [0] * 12
            series = (listed, new, exits)
            if modes["monthly"] == "const":
                const_monthly = series
        listed, new, exits = series
        if modes["monthly"] == "const":
            listed = listed[:11] + [december[i]]
        for mo in range(12):
            periods.append({"id": cid, "month": mo + 1, "listed": listed[mo],
                            "listed_new": new[mo], "listed_exits": exits[mo]})
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
    ap.add_argument("--profile", choices=PROFILES, default="mixed")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    if args.counties < 1:
        ap.error("--counties must be at least 1")
    entities, periods = generate(args.counties, args.seed, args.profile)
    os.makedirs(args.out, exist_ok=True)
    write_csv(os.path.join(args.out, "entities.csv"), ENTITY_COLUMNS, entities)
    write_csv(os.path.join(args.out, "periods.csv"), PERIOD_COLUMNS, periods)


if __name__ == "__main__":
    main()
