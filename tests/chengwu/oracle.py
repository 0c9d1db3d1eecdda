#!/usr/bin/env python3
"""Independent reference scorer (test oracle) for the Chengwu 2022 scheme.

This file is written separately from the Rubric compiler on purpose: it encodes
the scheme of /work/shared/domain.md ("Seed 000 - Chengwu" and "Data contract
for the Chengwu 2022 example", including the "Readings of the ambiguous rules")
directly in plain Python, so the compiler's output can be checked against it.

Usage:
    python3 oracle.py ENTITIES.csv PERIODS.csv > scores.csv

Output CSV columns: id, status, total, then the 16 indicator ids in the
table's order.  status is "ok" or "error:<indicator id>" (the first indicator
in table order that cannot be scored); an error row has empty total and
scores.  Numbers are printed with repr() (shortest round-trip form).

As a module:
    from oracle import score_row
    score_row(entity_dict, months_list) -> dict
entity_dict maps the contract's entity columns to values (strings or numbers);
months_list is a list of dicts with month, city_rank, usc_error_rate,
pub_compliance, pub_timeliness.  The result maps "id", "status", "total" and
each indicator id to its value (None for an error row's scores and total).

Python standard library only; all arithmetic in IEEE doubles (Python floats).
"""

import csv
import math
import sys

# (indicator id, points) in the table's order.
INDICATORS = [
    ("city_rank", 20.0),
    ("gov_dishonest", 10.0),
    ("blacklist", 4.0),
    ("usc_code", 2.4),
    ("double_publicity", 4.8),
    ("info_collection", 10.0),
    ("special_info", 4.0),
    ("credit_check_use", 4.0),
    ("benefit_apps", 4.0),
    ("xyd_registered", 6.0),
    ("xyd_loans", 6.0),
    ("tiered_supervision", 4.0),
    ("commitments", 6.0),
    ("system_building", 2.8),
    ("innovation", 2.0),
    ("finance_risk", 10.0),
]
INDICATOR_IDS = [name for name, _ in INDICATORS]
POINTS = dict(INDICATORS)

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
OUTPUT_COLUMNS = ["id", "status", "total"] + INDICATOR_IDS


class RowError(Exception):
    """The row cannot be scored; args[0] is the indicator id that fails."""


def hold(x, lo, hi):
    """Hold x within [lo, hi]."""
    return min(max(x, lo), hi)


def linear(x, x0, y0, x1, y1):
    """The straight line through (x0, y0) and (x1, y1), evaluated at x."""
    return y0 + (y1 - y0) * (x - x0) / (x1 - x0)


def share(numerator, denominator, indicator):
    if denominator == 0:
        raise RowError(indicator)
    return numerator / denominator


# ---------------------------------------------------------------- indicators
# Each function returns the raw score; score_row holds it within [0, points].

def score_city_rank(e, months):
    # r = mean of the monthly ranks; r <= 10: 20; r > 100: 0;
    # otherwise 20 - 2*ceil((r - 10)/10).
    r = sum(m["city_rank"] for m in months) / len(months)
    if r <= 10:
        return 20.0
    if r > 100:
        return 0.0
    return 20.0 - 2.0 * math.ceil((r - 10.0) / 10.0)


def score_gov_dishonest(e, months):
    return max(0.0, 10.0 - e["gov_defaulters"])


def score_blacklist(e, months):
    s = share(e["serious_dishonest"], e["market_entities"], "blacklist")
    if s < 0.003:
        return 4.0
    if s > 0.005:
        return 0.0
    return linear(s, 0.003, 4.0, 0.005, 0.0)


def score_usc_code(e, months):
    total = 0.0
    for m in months:
        total += 0.2 if m["usc_error_rate"] == 0 else -0.2
    return total


def score_double_publicity(e, months):
    total = 0.0
    for m in months:
        total += 0.2 if m["pub_compliance"] >= 1 else -0.2
        total += 0.2 if m["pub_timeliness"] >= 1 else -0.2
    return total


def score_info_collection(e, months):
    # The document only covers counties under 1 million residents; a larger
    # county is an error, never a silent 0.
    if e["population"] >= 1000000:
        raise RowError("info_collection")
    records = e["platform_records"]
    if records > 70000000:
        return 10.0
    if records > 40000000:
        return 5.0
    return 0.0


def score_special_info(e, months):
    kinds = sum(1 for c in SPECIAL_RECORD_COLUMNS if e[c] >= 200000)
    return min(0.5 * kinds, 4.0)


def score_credit_check_use(e, months):
    s = share(e["credit_checks"], e["market_entities"], "credit_check_use")
    return 4.0 if s > 1 else 0.0


def shortfall_score(domains):
    return 4.0 - 0.2 * max(0.0, 20.0 - domains)


def score_benefit_apps(e, months):
    return shortfall_score(e["benefit_domains"])


def score_xyd_registered(e, months):
    s = share(e["xyd_registered"], e["operating_firms"], "xyd_registered")
    if s > 0.03:
        return 6.0
    if s < 0.01:
        return 0.0
    return linear(s, 0.01, 0.0, 0.03, 6.0)


def score_xyd_loans(e, months):
    a = e["xyd_credit_yuan"]
    if a >= 1e9:
        return 6.0
    if a < 3e8:
        return 0.0
    return 6.0 * (a - 3e8) / 7e8


def score_tiered_supervision(e, months):
    return shortfall_score(e["supervision_domains"])


def score_commitments(e, months):
    s = share(e["commitments"], e["operating_firms"], "commitments")
    if s >= 0.8:
        return 6.0
    if s < 0.5:
        return 0.0
    return linear(s, 0.5, 0.0, 0.8, 6.0)


def score_system_building(e, months):
    total = 0.0
    for c in ("sys_institutions", "sys_organisation", "sys_staffing",
              "sys_funding"):
        total += hold(e[c], 0.0, 0.7)
    return total


def score_innovation(e, months):
    return min(e["innovations"], 2.0)


def score_finance_risk(e, months):
    return (4.0 * e["fin_progress"] + e["zx_mechanism"] + e["zx_cleanup"]
            + e["zx_crackdown"] + 3.0 * e["no_major_risk"])


SCORERS = {
    "city_rank": score_city_rank,
    "gov_dishonest": score_gov_dishonest,
    "blacklist": score_blacklist,
    "usc_code": score_usc_code,
    "double_publicity": score_double_publicity,
    "info_collection": score_info_collection,
    "special_info": score_special_info,
    "credit_check_use": score_credit_check_use,
    "benefit_apps": score_benefit_apps,
    "xyd_registered": score_xyd_registered,
    "xyd_loans": score_xyd_loans,
    "tiered_supervision": score_tiered_supervision,
    "commitments": score_commitments,
    "system_building": score_system_building,
    "innovation": score_innovation,
    "finance_risk": score_finance_risk,
}


# ---------------------------------------------------------------- rows

def _numeric_entity(entity):
    e = {}
    for c in ENTITY_COLUMNS:
        if c in ("id", "name"):
            e[c] = entity.get(c)
        else:
            e[c] = float(entity[c])
    return e


def _numeric_months(months_list):
    months = []
    for m in months_list:
        months.append({c: float(m[c]) for c in PERIOD_COLUMNS if c != "id"})
    months.sort(key=lambda m: m["month"])
    return months


def score_row(entity_dict, months_list):
    """Score one county.  Returns a dict with id, status, total and the 16
    indicator scores (floats; None for every score and total of an error
    row).  The error row names the first indicator in table order that
    cannot be scored."""
    e = _numeric_entity(entity_dict)
    months = _numeric_months(months_list)
    result = {"id": entity_dict.get("id"), "status": "ok", "total": None}
    scores = {}
    try:
        for name, points in INDICATORS:
            scores[name] = hold(SCORERS[name](e, months), 0.0, points)
    except RowError as err:
        result["status"] = "error:" + err.args[0]
        for name in INDICATOR_IDS:
            result[name] = None
        return result
    total = 0.0
    for name in INDICATOR_IDS:
        total += scores[name]
    result["total"] = total
    result.update(scores)
    return result


# ---------------------------------------------------------------- CLI

def read_inputs(entities_path, periods_path):
    """Read both CSV files and check them against the data contract.
    Returns a list of (entity_dict, months_list) in the entity file's order."""
    with open(entities_path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        missing = [c for c in ENTITY_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise SystemExit("%s: missing columns %s" % (entities_path, missing))
        entities = list(reader)
    with open(periods_path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        missing = [c for c in PERIOD_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise SystemExit("%s: missing columns %s" % (periods_path, missing))
        periods = list(reader)

    order = []
    by_id = {}
    for e in entities:
        if e["id"] in by_id:
            raise SystemExit("%s: duplicate id %s" % (entities_path, e["id"]))
        by_id[e["id"]] = []
        order.append(e)
    for p in periods:
        if p["id"] not in by_id:
            raise SystemExit("%s: month row for unknown id %s" % (periods_path, p["id"]))
        by_id[p["id"]].append(p)
    for e in order:
        months = sorted(float(p["month"]) for p in by_id[e["id"]])
        if months != [float(m) for m in range(1, 13)]:
            raise SystemExit("%s: id %s must have exactly months 1..12, has %s"
                             % (periods_path, e["id"], months))
    return [(e, by_id[e["id"]]) for e in order]


def fmt(x):
    return "" if x is None else repr(float(x))


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: python3 oracle.py ENTITIES.csv PERIODS.csv > scores.csv\n")
        return 2
    rows = read_inputs(argv[1], argv[2])
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(OUTPUT_COLUMNS)
    for entity, months in rows:
        r = score_row(entity, months)
        out.writerow([r["id"], r["status"], fmt(r["total"])]
                     + [fmt(r[name]) for name in INDICATOR_IDS])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
