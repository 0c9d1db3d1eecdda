#!/usr/bin/env python3
"""Independent reference scorer (test oracle) for the two Pingyin 2022 schemes.

Written separately from the Rubric compiler on purpose: it encodes the
document (seed 003, 平信用办〔2022〕2号, appendices 1 and 2) and the readings
stated in the comments of examples/pingyin/pingyin_2022.rubric directly in
plain Python (standard library only), so the compiler's scores can be checked
against it.

Usage:
    python3 oracle.py towns ENTITIES.csv MONTHS.csv > expected.csv
    python3 oracle.py departments ENTITIES.csv MONTHS.csv > expected.csv
    python3 oracle.py compare EXPECTED.csv ACTUAL.csv [--tol T]

Output: the layout of `rubric score`: id, name, [parent,] total, rank, then
one column per part, depth-first in the document's order: a category, then
each of its indicators followed by that indicator's items. A category and an
indicator are named by their id, an item by indicator.item.  rank is the
competition rank (1 + the number of strictly greater totals) within the peer
group (every scored entity), computed from the exact totals, so equal
totals share a rank (1, 1, 3).  Numbers are printed as exact decimal text:
no exponent, no trailing zeros, "0" for zero (6.5, 0.000001).

Numbers (spec/semantics.md, "Numbers"): every value is an exact decimal
(fractions.Fraction here), read exactly from the cell's text (9.2%, 0.68,
"1,000,000"); + - and comparisons are exact.  Inside a rule a quotient, and
a product with more than 36 decimals, is rounded half up (away from zero) to
36 decimals, once per operation, in the order the rule is written:
proportional(full, actual, target) = min(full, full * actual / target)
multiplies, then divides once; a share n / d is one rounded division;
mean(...) is the exact sum divided once by the count; every peer ratio
(x / max, (x - min) / (max - min), (count - rank + 1) / count) is one
rounded division.  A peer statistic is taken over each entity's value
rounded to 18 decimals (its own value too, where a ratio or rank reads it).
A result is rounded half up to 18 decimals: a leaf's score after it is held
within its points; a part with children is the sum of its children's held
scores as computed (36 decimals), held, then rounded; the total likewise.

`compare` matches rows by id and columns by name (every column of EXPECTED
but name/rank must be in ACTUAL), compares the numbers as exact decimals
(each cell's text read as a Fraction; --tol T, default 0, allows an absolute
difference of at most T, read exactly; the tests pass none), checks that
ACTUAL's rank is the oracle's rank (the competition rank of the exact
total), prints the mismatches and a line "N passed, M failed", and exits 0
iff M is 0.

The readings (the document prints only category totals; see the scheme file):
  towns (100): system 10 = documents 5 + articles 5 (submitted 2, adopted 3);
    business 80 = xyd_share 20 + xyd_scale 20 (demand 10, credit 10)
    + xyd_plus 10 + arrears 10 + village 10 + campaigns 10;
    supervision 10 = serious_events 10.
  departments (170): system 60 = documents 15 + double_publicity 15
    (compliance 5, timeliness 5, concealment 5) + records 10 + articles 10
    (submitted 5, adopted 5) + usc_codes 10; business 15 = xyd_registered 2
    + xyd_scale 4 (demand 2, credit 2) + xyd_plus 3 + arrears 2 + honesty 2
    + campaigns 2; supervision 90 = tiered 40 + credit_check 20
    + serious_events 30; rights 5 = objections 5 (valid 2, handling 3).
Every indicator and item is held within [0, its points]; a category or an
indicator with items is the sum of its parts held within [0, its points]; the
total is the sum of the categories.
"""

import csv
import os
import sys
from fractions import Fraction

# The number semantics every oracle shares (spec/semantics.md#numbers, the
# cell grammar of spec/data.md): tests/common/exact.py.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
import exact  # noqa: E402
from exact import (ZERO, CellError, round18, mul36, mean36, fmt,  # noqa: E402
                   read_cell, table_number as number)

MONTHS = list(range(1, 13))
ONE = Fraction(1)
D = Fraction                         # D("0.1"): a decimal written in the document


class DataError(Exception):
    pass


# ---------------------------------------------------------------- numbers
# round18, mul36, mean36 (the exact sum divided once by the count) and fmt
# come from tests/common/exact.py; the oracle reports a divisor of 0 as a
# data error.

def div36(a, b):
    """a / b inside a rule: the quotient rounded half up to 36 decimals."""
    if b == 0:
        raise DataError("division by zero")
    return exact.div36(a, b)


# ---------------------------------------------------------------- helpers

def hold(x, points):
    return min(max(x, ZERO), Fraction(points))


def proportional(full, actual, target):
    """出台3件及以上的得满分，按比例计分: full * actual / target, at most full
    (the product, then one rounded division)."""
    return min(Fraction(full), div36(mul36(full, actual), target))


def deduct(full, each, n):
    """每出现一例扣 each 分，扣完为止."""
    return max(ZERO, full - mul36(each, n))


def deduct_capped(full, each, n, cap):
    """每出现一例扣 each 分，最多扣 cap 分."""
    return full - min(Fraction(cap), mul36(each, n))


def position(full, place, last):
    """位次计分: first place full, the last place full/last:
    full * (last - place + 1) / last (the product, then one rounded
    division), held within [0, full]."""
    return min(max(div36(mul36(full, last - place + 1), last), ZERO), Fraction(full))


def competition_rank(x, values):
    return 1 + sum(1 for v in values if v > x)


def cell_number(row, col, where):
    """A number cell (spec/data.md, "Cell values": sign, digits with optional
    thousands groups, fraction, exponent, %) as its exact value: 9.2% is
    exactly 92/1000. None for an empty cell."""
    text = (row.get(col) or "").strip(" \t")
    if text == "":
        return None
    try:
        return read_cell(text)
    except CellError as err:
        raise DataError("%s: column %s: %s" % (where, col, err)) from None


def cell_yesno(row, col, where):
    text = (row.get(col) or "").strip().lower()
    if text in ("1", "yes", "true", "是"):
        return True
    if text in ("0", "no", "false", "否"):
        return False
    raise DataError("%s: column %s: %r is not yes/no" % (where, col, text))


def need(value, col, where):
    if value is None:
        raise DataError("%s: column %s: missing value" % (where, col))
    return value


def month_values(months, col, where, missing_ok=False):
    """The 12 monthly values of col, in month order; None for an empty cell
    or an absent month (only when missing_ok)."""
    out = []
    for m in MONTHS:
        row = months.get(m)
        v = None if row is None else cell_number(row, col, where)
        if v is None and not missing_ok:
            raise DataError("%s: month %d: column %s: missing value" % (where, m, col))
        out.append(v)
    return out


def total_of(values):
    """sum(...): exact."""
    return sum(values, ZERO)


# ---------------------------------------------------------------- towns

def towns_parts():
    """(path, points, children) in depth-first order; children of a leaf is
    the name of its scorer."""
    return [
        ("system", 10, [
            ("documents", 5, "t_documents"),
            ("articles", 5, [("articles.submitted", 2, "t_submitted"),
                             ("articles.adopted", 3, "t_adopted")]),
        ]),
        ("business", 80, [
            ("xyd_share", 20, "t_xyd_share"),
            ("xyd_scale", 20, [("xyd_scale.demand", 10, "t_demand"),
                               ("xyd_scale.credit", 10, "t_credit")]),
            ("xyd_plus", 10, "t_xyd_plus"),
            ("arrears", 10, "t_arrears"),
            ("village", 10, "t_village"),
            ("campaigns", 10, "t_campaigns"),
        ]),
        ("supervision", 10, [
            ("serious_events", 10, "t_serious"),
        ]),
    ]


def town_values(row, months, where):
    v = {}
    for c in ("documents", "xyd_firms", "registered_firms", "scenarios",
              "arrears_unpaid", "campaigns", "serious_unhandled"):
        v[c] = need(cell_number(row, c, where), c, where)
    v["village_cases"] = cell_number(row, "village_cases", where)   # None: full
    for c in ("articles_submitted", "articles_adopted", "demand_yuan",
              "credit_yuan"):
        v[c] = month_values(months, c, where)
    v["share"] = div36(v["xyd_firms"], v["registered_firms"])
    v["demand_sum"] = total_of(v["demand_yuan"])
    v["credit_sum"] = total_of(v["credit_yuan"])
    return v


def town_peers(all_values):
    """The peer statistics, over each town's value rounded to 18 decimals."""
    shares = [round18(v["share"]) for v in all_values]
    return {"max_share": max(shares),
            "demand": [round18(v["demand_sum"]) for v in all_values],
            "credit": [round18(v["credit_sum"]) for v in all_values],
            "count": len(all_values)}


def rank_ratio(x, values):
    """排名第一的得满分，其他的按比例计分: (count - rank + 1) / count, the
    rank of the town's own value rounded to 18 decimals."""
    n = len(values)
    return div36(n - competition_rank(round18(x), values) + 1, n)


def ratio_to_max(x, top):
    """比例最高的得满分，其他的按比例计分: x / max, 0 when max is 0 or less
    (the town's own x rounded to 18 decimals, as the max is taken over)."""
    return ZERO if top <= 0 else div36(round18(x), top)


TOWN_SCORERS = {
    "t_documents": lambda v, p: proportional(5, v["documents"], 3),
    "t_submitted": lambda v, p: proportional(
        2, sum(1 for x in v["articles_submitted"] if x >= 1), 12),
    "t_adopted": lambda v, p: proportional(3, total_of(v["articles_adopted"]), 6),
    "t_xyd_share": lambda v, p: mul36(20, ratio_to_max(v["share"], p["max_share"])),
    "t_demand": lambda v, p: mul36(10, rank_ratio(v["demand_sum"], p["demand"])),
    "t_credit": lambda v, p: mul36(10, rank_ratio(v["credit_sum"], p["credit"])),
    "t_xyd_plus": lambda v, p: D(10) if v["scenarios"] >= 1 else D(0),
    "t_arrears": lambda v, p: deduct(10, 1, v["arrears_unpaid"]),
    # The development zone has no villages: empty cell, full marks.
    "t_village": lambda v, p: (D(10) if v["village_cases"] is None
                               else deduct(10, 1, v["village_cases"])),
    "t_campaigns": lambda v, p: proportional(10, v["campaigns"], 2),
    "t_serious": lambda v, p: deduct(10, 2, v["serious_unhandled"]),
}


# ---------------------------------------------------------------- departments

def departments_parts():
    return [
        ("system", 60, [
            ("documents", 15, "d_documents"),
            ("double_publicity", 15, [
                ("double_publicity.compliance", 5, "d_compliance"),
                ("double_publicity.timeliness", 5, "d_timeliness"),
                ("double_publicity.concealment", 5, "d_concealment")]),
            ("records", 10, "d_records"),
            ("articles", 10, [("articles.submitted", 5, "d_submitted"),
                              ("articles.adopted", 5, "d_adopted")]),
            ("usc_codes", 10, "d_usc_codes"),
        ]),
        ("business", 15, [
            ("xyd_registered", 2, "d_xyd_registered"),
            ("xyd_scale", 4, [("xyd_scale.demand", 2, "d_demand"),
                              ("xyd_scale.credit", 2, "d_credit")]),
            ("xyd_plus", 3, "d_xyd_plus"),
            ("arrears", 2, "d_arrears"),
            ("honesty", 2, "d_honesty"),
            ("campaigns", 2, "d_campaigns"),
        ]),
        ("supervision", 90, [
            ("tiered", 40, "d_tiered"),
            ("credit_check", 20, "d_credit_check"),
            ("serious_events", 30, "d_serious"),
        ]),
        ("rights", 5, [
            ("objections", 5, [("objections.valid", 2, "d_valid"),
                               ("objections.handling", 3, "d_handling")]),
        ]),
    ]


PARENT_ENTITY = ("city_districts", "a_level_taxpayers", "customs_aeo_firms",
                 "legal_firms", "city_honest_share", "county_checks",
                 "county_entities", "city_check_ratio")
PARENT_MONTHLY = ("xyd_firms_rank", "xyd_demand_rank", "xyd_credit_rank")


def department_values(row, months, parent_row, parent_months, where):
    v = {}
    for c in ("documents", "other_records", "dup_codes", "scenarios",
              "arrears_unpaid", "campaigns", "supervision_domains",
              "serious_unhandled"):
        v[c] = need(cell_number(row, c, where), c, where)
    # “信用中国” lists only accepted objections: empty means none.
    vo = cell_number(row, "valid_objections", where)
    v["valid_objections"] = ZERO if vo is None else vo
    v["objection_days"] = cell_number(row, "objection_days", where)   # None: full
    for c in ("xyd_duty", "honesty_duty", "check_duty"):
        v[c] = cell_yesno(row, c, where)
    pwhere = where + " (parent %s)" % parent_row["id"]
    for c in PARENT_ENTITY:
        v[c] = need(cell_number(parent_row, c, pwhere), c, pwhere)
    for c in PARENT_MONTHLY:
        v[c] = month_values(parent_months, c, pwhere)
    # 双公示 records: an empty month (or a department outside the list) scores full.
    for c in ("wrong_records", "late_records", "hidden_records"):
        v[c] = month_values(months, c, where, missing_ok=True)
    for c in ("articles_submitted", "articles_adopted"):
        v[c] = month_values(months, c, where)
    return v


def department_peers(all_values):
    recs = [round18(v["other_records"]) for v in all_values]
    return {"min_records": min(recs), "max_records": max(recs)}


def records_score(v, p):
    """数量最多的得满分，最少的得0分，其他的按比例计分: 10 * (x - min) /
    (max - min) (one rounded division, then the product); all equal: 1."""
    lo, hi = p["min_records"], p["max_records"]
    scaled = ONE if hi == lo else div36(round18(v["other_records"]) - lo, hi - lo)
    return mul36(10, scaled)


def double_publicity_item(col):
    def score(v, p):
        values = v[col]
        if any(x is None for x in values):
            return D(5)
        return deduct(5, D("0.1"), total_of(values))
    return score


def mean_rank(values):
    """The monthly positions averaged: the exact sum divided once by 12."""
    return mean36(values)


def d_position(duty, col):
    def score(v, p):
        if not v[duty]:
            return D(2)
        return position(2, mean_rank(v[col]), v["city_districts"])
    return score


def d_honesty(v, p):
    if not v["honesty_duty"]:
        return D(2)
    share = div36(v["a_level_taxpayers"] + v["customs_aeo_firms"], v["legal_firms"])
    return proportional(2, share, v["city_honest_share"])


def d_credit_check(v, p):
    # 应用比例（应用次数/市场主体数量）不得低于全市平均水平.
    if not v["check_duty"]:
        return D(20)
    if div36(v["county_checks"], v["county_entities"]) >= v["city_check_ratio"]:
        return D(20)
    return D(0)


def d_adopted(v, p):
    if total_of(v["articles_submitted"]) == 0:
        return D(0)
    return proportional(5, total_of(v["articles_adopted"]), 6)


def d_handling(v, p):
    days = v["objection_days"]
    if days is None:          # 未出现异议处理的部门得满分
        return D(3)
    if days <= 1:
        return D(3)
    if days == 2:
        return D(2)
    return D(0)


DEPT_SCORERS = {
    "d_documents": lambda v, p: proportional(15, v["documents"], 3),
    "d_compliance": double_publicity_item("wrong_records"),
    "d_timeliness": double_publicity_item("late_records"),
    "d_concealment": double_publicity_item("hidden_records"),
    "d_records": records_score,
    "d_submitted": lambda v, p: proportional(5, total_of(v["articles_submitted"]), 12),
    "d_adopted": d_adopted,
    "d_usc_codes": lambda v, p: deduct_capped(10, D("0.5"), v["dup_codes"], 2),
    "d_xyd_registered": d_position("xyd_duty", "xyd_firms_rank"),
    "d_demand": d_position("xyd_duty", "xyd_demand_rank"),
    "d_credit": d_position("xyd_duty", "xyd_credit_rank"),
    "d_xyd_plus": lambda v, p: D(3) if v["scenarios"] >= 1 else D(0),
    "d_arrears": lambda v, p: deduct(2, 1, v["arrears_unpaid"]),
    "d_honesty": d_honesty,
    "d_campaigns": lambda v, p: proportional(2, v["campaigns"], 4),
    "d_tiered": lambda v, p: D(40) if v["supervision_domains"] >= 1 else D(0),
    "d_credit_check": d_credit_check,
    "d_serious": lambda v, p: deduct_capped(30, 2, v["serious_unhandled"], 4),
    "d_valid": lambda v, p: deduct(2, D("0.1"), v["valid_objections"]),
    "d_handling": d_handling,
}


# ---------------------------------------------------------------- scoring

def score_part(part, v, peers, scorers, out):
    """Score one part into out[path] (the result, rounded to 18 decimals);
    returns the held score as computed (36 decimals), which a parent adds."""
    path, points, children = part
    points = Fraction(points)
    if isinstance(children, str):
        s = hold(scorers[children](v, peers), points)
    else:
        s = ZERO
        for child in children:
            s += score_part(child, v, peers, scorers, out)
        s = hold(s, points)
    out[path] = round18(s)
    return s


def column_names(parts):
    names = []

    def walk(part):
        names.append(part[0])
        if not isinstance(part[2], str):
            for c in part[2]:
                walk(c)
    for p in parts:
        walk(p)
    return names


def read_table(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        return list(reader)


def group_months(rows, path):
    by_id = {}
    for r in rows:
        rid = r["id"].strip()
        month = cell_number(r, "month", path)
        if month is None or month.denominator != 1:
            raise DataError("%s: month %r" % (path, r.get("month")))
        m = int(month)
        if m in by_id.setdefault(rid, {}):
            raise DataError("%s: second row for %s month %d" % (path, rid, m))
        by_id[rid][m] = r
    return by_id


def score_file(kind, entities_path, months_path):
    rows = read_table(entities_path)
    months = group_months(read_table(months_path), months_path)
    if kind == "towns":
        parts, scorers, with_parent = towns_parts(), TOWN_SCORERS, False
    else:
        parts, scorers, with_parent = departments_parts(), DEPT_SCORERS, True
    by_id = {r["id"].strip(): r for r in rows}
    parent_ids = set()
    if with_parent:
        parent_ids = {r["parent"].strip() for r in rows if r.get("parent", "").strip()}
    scored = [r for r in rows if r["id"].strip() not in parent_ids]
    values = []
    for line, r in enumerate(rows, start=2):
        rid = r["id"].strip()
        if rid in parent_ids:
            continue
        where = "%s:%d (id %s)" % (entities_path, line, rid)
        if with_parent:
            pid = r["parent"].strip()
            if pid not in by_id:
                raise DataError("%s: parent %s has no row" % (where, pid))
            v = department_values(r, months.get(rid, {}), by_id[pid],
                                  months.get(pid, {}), where)
        else:
            v = town_values(r, months.get(rid, {}), where)
        values.append(v)
    peers = (town_peers if kind == "towns" else department_peers)(values)
    results = []
    for r, v in zip(scored, values):
        out = {}
        total = ZERO
        for part in parts:
            total += score_part(part, v, peers, scorers, out)
        results.append((r, round18(total), out))
    totals = [t for _, t, _ in results]
    header = ["id", "name"] + (["parent"] if with_parent else []) + ["total", "rank"]
    names = column_names(parts)
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(header + names)
    for r, total, out in results:
        row = [r["id"].strip(), r.get("name", "")]
        if with_parent:
            row.append(r["parent"].strip())
        row += [fmt(total), str(competition_rank(total, totals))]
        row += [fmt(out[n]) for n in names]
        w.writerow(row)


# ---------------------------------------------------------------- compare

def compare(expected_path, actual_path, tol=ZERO):
    exp = read_table(expected_path)
    act = read_table(actual_path)
    with open(expected_path, newline="", encoding="utf-8") as f:
        exp_header = next(csv.reader(f))
    with open(actual_path, newline="", encoding="utf-8") as f:
        act_header = next(csv.reader(f), [])
    problems = ["%s: missing column %s" % (actual_path, c)
                for c in exp_header if c not in act_header]
    if exp_header != [c for c in act_header if c in exp_header]:
        problems.append("columns in another order: expected %s, actual %s"
                        % (exp_header, act_header))
    extra = [c for c in act_header if c not in exp_header]
    if extra:
        problems.append("%s: unexpected columns %s" % (actual_path, extra))
    actual = {}
    dup = set()
    for r in act:
        if r["id"] in actual:
            dup.add(r["id"])
        actual[r["id"]] = r
    # Expected ranks: from the oracle's exact totals (equal totals share one).
    totals = [t for t in (number(r.get("total")) for r in exp) if t is not None]
    failed, mismatches = set(), []
    compared = 0
    ids = [r["id"] for r in exp] + [r["id"] for r in act
                                    if r["id"] not in {e["id"] for e in exp}]
    expected = {r["id"]: r for r in exp}
    for rid in dict.fromkeys(ids):
        e, a = expected.get(rid), actual.get(rid)
        if rid in dup:
            mismatches.append((rid, "id", "one row", "several rows"))
        if e is None:
            mismatches.append((rid, "id", "(no such id)", "extra row"))
            continue
        if a is None:
            mismatches.append((rid, "id", "row", "missing row"))
            continue
        for c in exp_header:
            if c in ("id", "rank"):
                continue
            if c in ("name", "parent"):
                if e.get(c, "") != a.get(c, ""):
                    mismatches.append((rid, c, e.get(c), a.get(c)))
                continue
            want, got = number(e.get(c)), number(a.get(c))
            compared += 1
            if want is None or got is None or abs(want - got) > tol:
                mismatches.append((rid, c, e.get(c), a.get(c, "(missing)")))
        want_rank = competition_rank(number(e.get("total")), totals)
        if str(want_rank) != e.get("rank") or number(a.get("rank")) != want_rank:
            mismatches.append((rid, "rank", want_rank, a.get("rank")))
    for m in mismatches:
        failed.add(m[0])
    for p in problems:
        print(p)
    for rid, col, want, got in mismatches[:20]:
        print("id=%s column=%s expected=%s actual=%s" % (rid, col, want, got))
    if len(mismatches) > 20:
        print("... and %d more mismatches" % (len(mismatches) - 20))
    n = len(dict.fromkeys(ids))
    print("%d passed, %d failed (%d numbers compared %s)"
          % (n - len(failed), len(failed) + (1 if problems else 0), compared,
             "exactly" if tol == 0 else "within %s" % fmt(tol)))
    return 0 if not failed and not problems else 1


def main(argv):
    if len(argv) >= 4 and argv[1] == "compare":
        tol = ZERO
        if len(argv) == 6 and argv[4] == "--tol":
            tol = Fraction(argv[5])
        elif len(argv) != 4:
            sys.stderr.write(__doc__.split("\n\n")[1] + "\n")
            return 2
        return compare(argv[2], argv[3], tol)
    if len(argv) != 4 or argv[1] not in ("towns", "departments"):
        sys.stderr.write(__doc__.split("\n\n")[1] + "\n")
        return 2
    try:
        score_file(argv[1], argv[2], argv[3])
    except DataError as err:
        sys.stderr.write("oracle: %s\n" % err)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
