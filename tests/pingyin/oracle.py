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
    python3 oracle.py compare EXPECTED.csv ACTUAL.csv [--tol 1e-9]

Output: the layout of `rubric score`: id, name, [parent,] total, rank, then
one column per part, depth-first in the document's order: a category, then
each of its indicators followed by that indicator's items. A category and an
indicator are named by their id, an item by indicator.item.  rank is the
competition rank (1 + the number of strictly greater totals) within the peer
group (every scored entity).  Numbers are printed with repr().

`compare` matches rows by id and columns by name (every column of EXPECTED
but name/rank must be in ACTUAL), compares the numbers to --tol (absolute),
checks that ACTUAL's rank is the competition rank of its own total among
ACTUAL's totals, prints the mismatches and a line "N passed, M failed", and
exits 0 iff M is 0.

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
import math
import sys

MONTHS = list(range(1, 13))


class DataError(Exception):
    pass


# ---------------------------------------------------------------- helpers

def hold(x, points):
    return min(max(x, 0.0), points)


def proportional(full, actual, target):
    """出台3件及以上的得满分，按比例计分: full * actual / target, at most full."""
    return min(full, full * actual / target)


def deduct(full, each, n):
    """每出现一例扣 each 分，扣完为止."""
    return max(0.0, full - each * n)


def deduct_capped(full, each, n, cap):
    """每出现一例扣 each 分，最多扣 cap 分."""
    return full - min(cap, each * n)


def position(full, place, last):
    """位次计分: first place full, the last place full/last."""
    return min(max(full * (last - place + 1) / last, 0.0), full)


def competition_rank(x, values):
    return 1 + sum(1 for v in values if v > x)


def cell_number(row, col, where):
    text = (row.get(col) or "").strip()
    if text == "":
        return None
    if text.endswith("%"):
        return float(text[:-1].replace(",", "")) / 100.0
    return float(text.replace(",", ""))


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
    s = 0.0
    for v in values:
        s += v
    return s


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
    v["share"] = v["xyd_firms"] / v["registered_firms"]
    v["demand_sum"] = total_of(v["demand_yuan"])
    v["credit_sum"] = total_of(v["credit_yuan"])
    return v


def town_peers(all_values):
    shares = [v["share"] for v in all_values]
    return {"max_share": max(shares),
            "demand": [v["demand_sum"] for v in all_values],
            "credit": [v["credit_sum"] for v in all_values],
            "count": len(all_values)}


def rank_ratio(x, values):
    n = len(values)
    return (n - competition_rank(x, values) + 1) / n


TOWN_SCORERS = {
    "t_documents": lambda v, p: proportional(5.0, v["documents"], 3.0),
    "t_submitted": lambda v, p: proportional(
        2.0, float(sum(1 for x in v["articles_submitted"] if x >= 1)), 12.0),
    "t_adopted": lambda v, p: proportional(3.0, total_of(v["articles_adopted"]), 6.0),
    "t_xyd_share": lambda v, p: 20.0 * (0.0 if p["max_share"] == 0
                                        else v["share"] / p["max_share"]),
    "t_demand": lambda v, p: 10.0 * rank_ratio(v["demand_sum"], p["demand"]),
    "t_credit": lambda v, p: 10.0 * rank_ratio(v["credit_sum"], p["credit"]),
    "t_xyd_plus": lambda v, p: 10.0 if v["scenarios"] >= 1 else 0.0,
    "t_arrears": lambda v, p: deduct(10.0, 1.0, v["arrears_unpaid"]),
    # The development zone has no villages: empty cell, full marks.
    "t_village": lambda v, p: (10.0 if v["village_cases"] is None
                               else deduct(10.0, 1.0, v["village_cases"])),
    "t_campaigns": lambda v, p: proportional(10.0, v["campaigns"], 2.0),
    "t_serious": lambda v, p: deduct(10.0, 2.0, v["serious_unhandled"]),
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
    v["valid_objections"] = 0.0 if vo is None else vo
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
    recs = [v["other_records"] for v in all_values]
    return {"min_records": min(recs), "max_records": max(recs)}


def records_score(v, p):
    lo, hi = p["min_records"], p["max_records"]
    scaled = 1.0 if hi == lo else (v["other_records"] - lo) / (hi - lo)
    return 10.0 * scaled


def double_publicity_item(col):
    def score(v, p):
        values = v[col]
        if any(x is None for x in values):
            return 5.0
        return deduct(5.0, 0.1, total_of(values))
    return score


def mean_rank(values):
    return total_of(values) / len(values)


def d_position(duty, col):
    def score(v, p):
        if not v[duty]:
            return 2.0
        return position(2.0, mean_rank(v[col]), v["city_districts"])
    return score


def d_honesty(v, p):
    if not v["honesty_duty"]:
        return 2.0
    share = (v["a_level_taxpayers"] + v["customs_aeo_firms"]) / v["legal_firms"]
    return proportional(2.0, share, v["city_honest_share"])


def d_credit_check(v, p):
    if not v["check_duty"]:
        return 20.0
    if v["county_checks"] / v["county_entities"] >= v["city_check_ratio"]:
        return 20.0
    return 0.0


def d_adopted(v, p):
    if total_of(v["articles_submitted"]) == 0:
        return 0.0
    return proportional(5.0, total_of(v["articles_adopted"]), 6.0)


def d_handling(v, p):
    days = v["objection_days"]
    if days is None:          # 未出现异议处理的部门得满分
        return 3.0
    if days <= 1:
        return 3.0
    if days == 2:
        return 2.0
    return 0.0


DEPT_SCORERS = {
    "d_documents": lambda v, p: proportional(15.0, v["documents"], 3.0),
    "d_compliance": double_publicity_item("wrong_records"),
    "d_timeliness": double_publicity_item("late_records"),
    "d_concealment": double_publicity_item("hidden_records"),
    "d_records": records_score,
    "d_submitted": lambda v, p: proportional(5.0, total_of(v["articles_submitted"]), 12.0),
    "d_adopted": d_adopted,
    "d_usc_codes": lambda v, p: deduct_capped(10.0, 0.5, v["dup_codes"], 2.0),
    "d_xyd_registered": d_position("xyd_duty", "xyd_firms_rank"),
    "d_demand": d_position("xyd_duty", "xyd_demand_rank"),
    "d_credit": d_position("xyd_duty", "xyd_credit_rank"),
    "d_xyd_plus": lambda v, p: 3.0 if v["scenarios"] >= 1 else 0.0,
    "d_arrears": lambda v, p: deduct(2.0, 1.0, v["arrears_unpaid"]),
    "d_honesty": d_honesty,
    "d_campaigns": lambda v, p: proportional(2.0, v["campaigns"], 4.0),
    "d_tiered": lambda v, p: 40.0 if v["supervision_domains"] >= 1 else 0.0,
    "d_credit_check": d_credit_check,
    "d_serious": lambda v, p: deduct_capped(30.0, 2.0, v["serious_unhandled"], 4.0),
    "d_valid": lambda v, p: deduct(2.0, 0.1, v["valid_objections"]),
    "d_handling": d_handling,
}


# ---------------------------------------------------------------- scoring

def score_part(part, v, peers, scorers, out):
    """Score one part into out[path]; returns the held score."""
    path, points, children = part
    points = float(points)
    if isinstance(children, str):
        s = hold(scorers[children](v, peers), points)
    else:
        s = 0.0
        for child in children:
            s += score_part(child, v, peers, scorers, out)
        s = hold(s, points)
    out[path] = s
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
        m = int(float(r["month"]))
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
        total = 0.0
        for part in parts:
            total += score_part(part, v, peers, scorers, out)
        results.append((r, total, out))
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


def fmt(x):
    if x == int(x) and abs(x) < 1e15:
        return str(int(x))
    return repr(x)


# ---------------------------------------------------------------- compare

def number(text):
    if text is None:
        return None
    text = text.strip()
    if not text:
        return None
    try:
        x = float(text)
    except ValueError:
        return None
    return None if math.isnan(x) else x


def compare(expected_path, actual_path, tol):
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
    totals = [t for t in (number(r.get("total")) for r in act) if t is not None]
    failed, mismatches = set(), []
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
            if want is None or got is None or abs(want - got) > tol:
                mismatches.append((rid, c, e.get(c), a.get(c, "(missing)")))
        t, rk = number(a.get("total")), number(a.get("rank"))
        if t is not None and rk != competition_rank(t, totals):
            mismatches.append((rid, "rank", competition_rank(t, totals), a.get("rank")))
    for m in mismatches:
        failed.add(m[0])
    for p in problems:
        print(p)
    for rid, col, want, got in mismatches[:20]:
        print("id=%s column=%s expected=%s actual=%s" % (rid, col, want, got))
    if len(mismatches) > 20:
        print("... and %d more mismatches" % (len(mismatches) - 20))
    n = len(dict.fromkeys(ids))
    print("%d passed, %d failed" % (n - len(failed), len(failed) + (1 if problems else 0)))
    return 0 if not failed and not problems else 1


def main(argv):
    if len(argv) >= 4 and argv[1] == "compare":
        tol = 1e-9
        if len(argv) == 6 and argv[4] == "--tol":
            tol = float(argv[5])
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
