#!/usr/bin/env python3
"""Generate test data for the two Pingyin 2022 schemes
(examples/pingyin/pingyin_2022.rubric: pingyin_towns, pingyin_departments).

Usage:
    python3 gen_data.py --towns N --departments M --seed S --out DIR
                        [--all-equal] [--sparse]

Writes, in DIR:
  towns.csv, towns_months.csv              (N towns, months 1..12)
  departments.csv, departments_months.csv  (M departments and their parent
                                            row 平阴县, months 1..12)
The output depends only on the arguments.

What the data exercises:
- peer statistics with ties: two towns share the highest 信易贷 share (equal
  fractions written with different numbers: 6/100 and 12/200), two share the
  lowest (0); equal yearly demand / credit sums at the top and at the bottom;
  departments with equal other_records at the maximum and at the minimum;
- --all-equal: every peer column is the same for every entity (min = max,
  all ranks 1; the 信易贷 shares all 0 or all equal, chosen by the seed);
- threshold values: documents 0..4, campaigns at the targets, deductions at
  and past their floors and caps, objection days 0..4, the county's shares
  exactly at the city averages or just below;
- missing values with a meaning: the development zone's village_cases (empty:
  full marks), departments outside the 双公示 list (empty monthly records:
  full marks), empty valid_objections (0) and objection_days (full marks);
- --sparse: every empty cell the schemes allow (plus, now and then, a single
  empty month of 双公示 records for a responsible department, which the
  `missing scores full` rule also scores full).
With N = 1 or M = 1 the peer group is a single entity.
"""

import argparse
import csv
import os
import random

TOWN_NAMES = ["榆山街道", "锦水街道", "东阿镇", "玫瑰镇", "洪范池镇", "孔村镇",
              "孝直镇", "安城镇", "平阴经济开发区"]

# (id, name, 双公示 and 异议 responsible, xyd_duty, honesty_duty, check_duty)
DEPARTMENTS = [
    ("fgj", "发改局", True, True, False, False),
    ("cgj", "城管局", True, False, False, False),
    ("scjgj", "市场监管局", True, False, False, False),
    ("wjj", "卫健局", True, False, False, False),
    ("yjj", "应急局", True, False, False, False),
    ("nyncj", "农业农村局", True, False, False, False),
    ("wlj", "文旅局", True, False, False, False),
    ("rsj", "人社局", True, False, False, False),
    ("mzj", "民政局", True, False, False, False),
    ("jtj", "教体局", True, False, False, False),
    ("qxj", "气象局", True, False, False, False),
    ("ybj", "医保局", True, False, False, False),
    ("gxj", "工信局", True, False, True, False),
    ("xzspj", "行政审批局", True, False, False, True),
    ("swj", "税务局", True, False, True, False),
    ("sthjj", "市生态环境局平阴分局", True, False, False, False),
    ("jrzx", "金融事业发展中心", False, True, False, False),
]
PARENT_ID, PARENT_NAME = "370124", "平阴县"

TOWN_COLUMNS = ["id", "name", "documents", "xyd_firms", "registered_firms",
                "scenarios", "arrears_unpaid", "village_cases", "campaigns",
                "serious_unhandled"]
TOWN_MONTH_COLUMNS = ["id", "month", "articles_submitted", "articles_adopted",
                      "demand_yuan", "credit_yuan"]
DEPT_COLUMNS = ["id", "name", "parent", "documents", "other_records",
                "dup_codes", "scenarios", "arrears_unpaid", "campaigns",
                "supervision_domains", "serious_unhandled", "valid_objections",
                "objection_days", "xyd_duty", "honesty_duty", "check_duty",
                "city_districts", "a_level_taxpayers", "customs_aeo_firms",
                "legal_firms", "city_honest_share", "county_checks",
                "county_entities", "city_check_ratio"]
DEPT_MONTH_COLUMNS = ["id", "month", "wrong_records", "late_records",
                      "hidden_records", "articles_submitted",
                      "articles_adopted", "xyd_firms_rank", "xyd_demand_rank",
                      "xyd_credit_rank"]
MONTHS = range(1, 13)


def articles(rng):
    """Twelve months of (submitted, adopted): adopted <= submitted, except
    rarely (a record of an adoption with nothing submitted that year)."""
    kind = rng.choice(["every", "every", "some", "none", "many", "random"])
    sub = []
    for _ in MONTHS:
        if kind == "every":
            sub.append(1)
        elif kind == "some":
            sub.append(rng.choice([0, 1]))
        elif kind == "none":
            sub.append(0)
        elif kind == "many":
            sub.append(rng.randint(1, 3))
        else:
            sub.append(rng.randint(0, 2))
    target = rng.choice([0, 3, 5, 6, 7, 12, None])
    ad = [0] * 12
    if target is None:
        ad = [rng.randint(0, s) for s in sub]
    else:
        slots = [m for m in range(12) for _ in range(sub[m])]
        for m in rng.sample(slots, min(target, len(slots))):
            ad[m] += 1
    if sum(sub) == 0 and rng.random() < 0.3:
        ad[rng.randrange(12)] = 1
    return sub, ad


def monthly_amounts(rng, scale):
    return [rng.choice([0, rng.randint(1, scale)]) for _ in MONTHS]


def gen_towns(rng, n, all_equal, sparse):
    ids = ["370124%03d" % (i + 1) for i in range(n)]
    towns, months = [], []
    share_kind = rng.choice(["zero", "equal"])
    equal_demand = monthly_amounts(rng, 5000000)
    equal_credit = monthly_amounts(rng, 3000000)
    top_demand = [9000000] * 12
    for i, tid in enumerate(ids):
        name = TOWN_NAMES[i] if i < len(TOWN_NAMES) else "镇%03d" % (i + 1)
        zone = "开发区" in name or (i >= len(TOWN_NAMES) and rng.random() < 0.1)
        if zone and i >= len(TOWN_NAMES):
            name += "开发区"
        reg = rng.randint(200, 5000)
        if all_equal:
            if share_kind == "zero":
                xyd = 0
            else:
                reg = 100 * rng.randint(2, 40)
                xyd = 3 * reg // 100
        elif i in (0, 1):          # tied highest share, 6%
            k = i + 1
            reg, xyd = 100 * k, 6 * k
        elif i in (2, 3):          # tied lowest share, 0
            xyd = 0
        else:
            xyd = int(reg * rng.uniform(0.0, 0.05))
        village = rng.choice([0, 1, 3, 9, 10, 11, 14])
        if zone or (sparse and rng.random() < 0.2):
            village = ""
        towns.append({
            "id": tid, "name": name,
            "documents": rng.choice([0, 1, 2, 3, 4, 7]),
            "xyd_firms": xyd, "registered_firms": reg,
            "scenarios": rng.choice([0, 0, 1, 2, 5]),
            "arrears_unpaid": rng.choice([0, 1, 2, 9, 10, 11, 15]),
            "village_cases": village,
            "campaigns": rng.choice([0, 1, 2, 3, 6]),
            "serious_unhandled": rng.choice([0, 1, 2, 4, 5, 6]),
        })
        sub, ad = articles(rng)
        if all_equal:
            demand, credit = equal_demand, equal_credit
        elif i in (4, 5):          # tied highest demand
            demand, credit = top_demand, monthly_amounts(rng, 3000000)
        elif i in (6, 7):          # tied lowest demand and credit: nothing
            demand, credit = [0] * 12, [0] * 12
        else:
            demand = monthly_amounts(rng, 5000000)
            credit = (list(equal_credit) if rng.random() < 0.3
                      else monthly_amounts(rng, 3000000))
        for m in MONTHS:
            months.append({"id": tid, "month": m,
                           "articles_submitted": sub[m - 1],
                           "articles_adopted": ad[m - 1],
                           "demand_yuan": demand[m - 1],
                           "credit_yuan": credit[m - 1]})
    return towns, months


def yn(b):
    return "是" if b else "否"


def gen_departments(rng, n, all_equal, sparse):
    depts, months = [], []
    districts = rng.choice([12, 12, 15, 10])
    # The county's figures: at the city averages, just below or above them.
    legal = 100 * rng.randint(50, 200)
    honest_case = rng.choice(["equal", "below", "above", "half"])
    city_share_pct = rng.choice([5, 8, 10, 12])
    good = legal * city_share_pct // 100
    honest = {"equal": good, "below": good - 1, "above": good + 7,
              "half": good // 2}[honest_case]
    aeo = rng.randint(0, min(30, honest))
    entities = 4 * rng.randint(5000, 12000)
    ratio_q = rng.choice([0.5, 0.75, 1.25])
    checks_case = rng.choice(["equal", "below", "above"])
    checks = int(entities * ratio_q) + {"equal": 0, "below": -1,
                                        "above": 1}[checks_case]
    parent = {c: "" for c in DEPT_COLUMNS}
    parent.update({
        "id": PARENT_ID, "name": PARENT_NAME, "parent": "",
        "city_districts": districts, "a_level_taxpayers": honest - aeo,
        "customs_aeo_firms": aeo, "legal_firms": legal,
        "city_honest_share": "%d%%" % city_share_pct,
        "county_checks": checks, "county_entities": entities,
        "city_check_ratio": repr(ratio_q),
    })
    rank_kind = rng.choice(["first", "last", "spread", "steady"])
    for m in MONTHS:
        row = {c: "" for c in DEPT_MONTH_COLUMNS}
        row["id"], row["month"] = PARENT_ID, m
        for c in ("xyd_firms_rank", "xyd_demand_rank", "xyd_credit_rank"):
            row[c] = {"first": 1, "last": districts,
                      "spread": rng.randint(1, districts),
                      "steady": 3 + m % 2}[rank_kind]
        months.append(row)

    equal_records = rng.randint(0, 3000)
    parent_first = rng.random() < 0.5
    if parent_first:
        depts.append(parent)
    for i in range(n):
        if i < len(DEPARTMENTS):
            did, name, dp, xyd_duty, honesty_duty, check_duty = DEPARTMENTS[i]
        else:
            did, name = "d%03d" % (i + 1), "部门%03d" % (i + 1)
            dp = rng.random() < 0.75
            xyd_duty = rng.random() < 0.15
            honesty_duty = rng.random() < 0.15
            check_duty = rng.random() < 0.1
        if all_equal:
            records = equal_records
        elif i in (0, 1):
            records = 8000          # tied maximum
        elif i in (2, 3):
            records = 50            # tied minimum
        else:
            records = rng.randint(50, 8000)
        objections = rng.choice([0, 1, 3, 19, 20, 21, 25, ""])
        if not dp or (sparse and rng.random() < 0.3):
            objections = ""
        days = rng.choice([0, 1, 2, 3, 4])
        if objections in ("", 0):
            days = ""
        d = {c: "" for c in DEPT_COLUMNS}
        d.update({
            "id": did, "name": name, "parent": PARENT_ID,
            "documents": rng.choice([0, 1, 2, 3, 5]),
            "other_records": records,
            "dup_codes": rng.choice([0, 1, 3, 4, 5, 9]),
            "scenarios": rng.choice([0, 1, 2]),
            "arrears_unpaid": rng.choice([0, 0, 1, 2, 3]),
            "campaigns": rng.choice([0, 1, 3, 4, 6]),
            "supervision_domains": rng.choice([0, 1, 2, 5]),
            "serious_unhandled": rng.choice([0, 1, 2, 3, 5]),
            "valid_objections": objections, "objection_days": days,
            "xyd_duty": yn(xyd_duty), "honesty_duty": yn(honesty_duty),
            "check_duty": yn(check_duty),
        })
        depts.append(d)
        sub, ad = articles(rng)
        blank_month = None
        if dp and sparse and rng.random() < 0.2:
            blank_month = rng.randint(1, 12)
        record_kind = rng.choice(["clean", "few", "many", "floor"])
        for m in MONTHS:
            row = {c: "" for c in DEPT_MONTH_COLUMNS}
            row.update({"id": did, "month": m,
                        "articles_submitted": sub[m - 1],
                        "articles_adopted": ad[m - 1]})
            if dp:
                for c in ("wrong_records", "late_records", "hidden_records"):
                    row[c] = {"clean": 0,
                              "few": rng.choice([0, 0, 0, 1, 2]),
                              "many": rng.randint(0, 9),
                              "floor": 50 if m == 1 else (1 if m == 12 and c == "late_records" else 0),
                              }[record_kind]
                if blank_month == m:
                    row[rng.choice(["wrong_records", "late_records",
                                    "hidden_records"])] = ""
            months.append(row)
    if not parent_first:
        depts.append(parent)
    return depts, months


def write_csv(path, columns, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(columns)
        for r in rows:
            w.writerow([str(r[c]) for c in columns])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--towns", type=int, required=True)
    ap.add_argument("--departments", type=int, required=True)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--all-equal", action="store_true",
                    help="every peer column equal across the entities")
    ap.add_argument("--sparse", action="store_true",
                    help="more of the empty cells the schemes allow")
    args = ap.parse_args()
    if args.towns < 1 or args.departments < 1:
        ap.error("--towns and --departments must be at least 1")
    rng = random.Random(args.seed)
    towns, tmonths = gen_towns(rng, args.towns, args.all_equal, args.sparse)
    depts, dmonths = gen_departments(rng, args.departments, args.all_equal,
                                     args.sparse)
    os.makedirs(args.out, exist_ok=True)
    write_csv(os.path.join(args.out, "towns.csv"), TOWN_COLUMNS, towns)
    write_csv(os.path.join(args.out, "towns_months.csv"), TOWN_MONTH_COLUMNS, tmonths)
    write_csv(os.path.join(args.out, "departments.csv"), DEPT_COLUMNS, depts)
    write_csv(os.path.join(args.out, "departments_months.csv"), DEPT_MONTH_COLUMNS, dmonths)


if __name__ == "__main__":
    main()
