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
scores.  Numbers are printed as exact decimal text: no exponent, no trailing
zeros, "0" for zero (89.1, 6.5, 0.000001).

As a module:
    from oracle import score_row
    score_row(entity_dict, months_list) -> dict
entity_dict maps the contract's entity columns to values (the cells' text,
ints or Fractions; not floats);
months_list is a list of dicts with month, city_rank, usc_error_rate,
pub_compliance, pub_timeliness.  The result maps "id", "status", "total" and
each indicator id to its value (fractions.Fraction; None for an error row's
scores and total).

Python standard library only.  All arithmetic is exact, in exact decimals
(fractions.Fraction), as spec/semantics.md ("Numbers") says: a cell is read
as the exact decimal it is written as (1e-05, 0.35, 30%); + - and comparisons
are exact.  Inside a rule a quotient, and a product with more than 36
decimals, is rounded half up (away from zero) to 36 decimals, once per
operation, in the order the rule is written: a share n / d is one rounded
division; a linear segment multiplies, then divides once; a mean is the
exact sum divided once.  A result is rounded half up to 18 decimals: each
indicator's score after it is held within its points, and the total, the
sum of the indicators' held scores as computed (36 decimals), once.
"""

import csv
import math
import os
import sys
from fractions import Fraction

# The number semantics every oracle shares (spec/semantics.md#numbers, the
# cell grammar of spec/data.md): tests/common/exact.py.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from exact import (ZERO, NOT_A_NUMBER, CellError, round18, div36, mul36,  # noqa: E402
                   read_cell)
from exact import fmt as fmt_number  # noqa: E402

D = Fraction                         # D("0.003"): a decimal written in the document

# (indicator id, points) in the table's order.
INDICATORS = [
    ("city_rank", D(20)),
    ("gov_dishonest", D(10)),
    ("blacklist", D(4)),
    ("usc_code", D("2.4")),
    ("double_publicity", D("4.8")),
    ("info_collection", D(10)),
    ("special_info", D(4)),
    ("credit_check_use", D(4)),
    ("benefit_apps", D(4)),
    ("xyd_registered", D(6)),
    ("xyd_loans", D(6)),
    ("tiered_supervision", D(4)),
    ("commitments", D(6)),
    ("system_building", D("2.8")),
    ("innovation", D(2)),
    ("finance_risk", D(10)),
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


class DataError(Exception):
    """A cell that is not a number of the data contract."""


# ---------------------------------------------------------------- numbers
# round18, div36, mul36 and fmt_number come from tests/common/exact.py.

def cell_value(v):
    """The exact value of a cell's text (spec/data.md, "Cell values": sign,
    digits with optional thousands groups, fraction, exponent, %), or of an
    int or Fraction given by a caller of score_row.  A binary float is
    refused: pass the text the cell is written as."""
    if isinstance(v, (Fraction, int)):
        return Fraction(v)
    if not isinstance(v, str):
        raise DataError("not a cell's text: %r" % (v,))
    try:
        return read_cell(v)
    except CellError as err:
        raise DataError(("not a number: %r" if err.kind == NOT_A_NUMBER
                         else "more than 18 decimals or too large: %r") % (v,)) from None


def hold(x, lo, hi):
    """Hold x within [lo, hi]."""
    return min(max(x, lo), hi)


def linear(x, x0, y0, x1, y1):
    """The straight line through (x0, y0) and (x1, y1), evaluated at x:
    y0 + (y1 - y0) * (x - x0) / (x1 - x0), the product exact (rounded only
    past 36 decimals), then one division rounded half up to 36 decimals."""
    return y0 + div36(mul36(y1 - y0, x - x0), x1 - x0)


def share(numerator, denominator, indicator):
    """numerator / denominator, one rounded division."""
    if denominator == 0:
        raise RowError(indicator)
    return div36(numerator, denominator)


# ---------------------------------------------------------------- indicators
# Each function returns the raw score as computed inside the rule (36
# decimals); score_row holds it within [0, points] and rounds the result.

def score_city_rank(e, months):
    # 国家城市信用监测排名月均前 10 名（含），得 20 分；每后 10 名，扣 2 分；
    # 月均低于 100 名，该指标不得分。
    # r = mean of the monthly ranks (the exact sum divided once by 12);
    # r <= 10: 20; r > 100: 0; otherwise 20 - 2*ceil((r - 10)/10).
    r = div36(sum((m["city_rank"] for m in months), ZERO), len(months))
    if r <= 10:
        return D(20)
    if r > 100:
        return D(0)
    return 20 - mul36(2, math.ceil(div36(r - 10, 10)))


def score_gov_dishonest(e, months):
    # 每出现 1 家，扣 1 分，扣完为止: max(0, 10 - gov_defaulters).
    return max(D(0), 10 - mul36(1, e["gov_defaulters"]))


def score_blacklist(e, months):
    # 严重失信名单主体数量占在营市场主体数量的比例低于 0.3%，得 4 分，高于 0.5%
    # 不得分。介于两者之间的按比例计分。
    s = share(e["serious_dishonest"], e["market_entities"], "blacklist")
    if s < D("0.003"):
        return D(4)
    if s > D("0.005"):
        return D(0)
    return linear(s, D("0.003"), D(4), D("0.005"), D(0))


def score_usc_code(e, months):
    # 重错率为 0 的得 0.2 分，不为 0 的，扣 0.2 分 (per month, summed).
    total = ZERO
    for m in months:
        total += D("0.2") if m["usc_error_rate"] == 0 else D("-0.2")
    return total


def score_double_publicity(e, months):
    # 每个单项达到 100% 的得 0.2 分，出现一次未达到 100% 的，扣 0.2 分.
    total = ZERO
    for m in months:
        total += D("0.2") if m["pub_compliance"] >= 1 else D("-0.2")
        total += D("0.2") if m["pub_timeliness"] >= 1 else D("-0.2")
    return total


def score_info_collection(e, months):
    # 常住人口数量少于 100 万人的县，数据量超过 7000 万的，得 10 分；超过 4000 万
    # 的，得 5 分；不足 4000 万的，该项指标不得分。
    # The document only covers counties under 1 million residents; a larger
    # county is an error, never a silent 0.
    if e["population"] >= 1000000:
        raise RowError("info_collection")
    records = e["platform_records"]
    if records > 70000000:
        return D(10)
    if records > 40000000:
        return D(5)
    return D(0)


def score_special_info(e, months):
    # 每类分别不少于 20 万条，每归集一类信息得 0.5 分，最高 4 分。
    kinds = sum(1 for c in SPECIAL_RECORD_COLUMNS if e[c] >= 200000)
    return min(mul36(D("0.5"), kinds), D(4))


def score_credit_check_use(e, months):
    # 应用比例（应用次数/市场主体数量）超过 100% 的，得 4 分。
    s = share(e["credit_checks"], e["market_entities"], "credit_check_use")
    return D(4) if s > 1 else D(0)


def shortfall_score(domains):
    # 达到 20 个，得 4 分，缺少一个领域扣 0.2 分: 4 - 0.2*max(0, 20 - domains).
    return 4 - mul36(D("0.2"), max(D(0), 20 - domains))


def score_benefit_apps(e, months):
    return shortfall_score(e["benefit_domains"])


def score_xyd_registered(e, months):
    # 注册企业占在营企业数量的比例超过 3%，得 6 分；低于 1%，不得分。介于两者
    # 之间的按比例计分。
    s = share(e["xyd_registered"], e["operating_firms"], "xyd_registered")
    if s > D("0.03"):
        return D(6)
    if s < D("0.01"):
        return D(0)
    return linear(s, D("0.01"), D(0), D("0.03"), D(6))


def score_xyd_loans(e, months):
    # 授信金额或放款金额达到 10 亿元，得 6 分；低于 3 亿元，不得分。介于两者之间
    # 的按比例计分: 6*(a - 3e8)/7e8, the product first, then one division.
    a = e["xyd_credit_yuan"]
    if a >= 1000000000:
        return D(6)
    if a < 300000000:
        return D(0)
    return div36(mul36(6, a - 300000000), 700000000)


def score_tiered_supervision(e, months):
    return shortfall_score(e["supervision_domains"])


def score_commitments(e, months):
    # 信用承诺信息数量与辖区内企业总数的比值，达到 80% 的，得 6 分；低于 50% 的
    # 不得分；介于两者之间的按比例计分。
    s = share(e["commitments"], e["operating_firms"], "commitments")
    if s >= D("0.8"):
        return D(6)
    if s < D("0.5"):
        return D(0)
    return linear(s, D("0.5"), D(0), D("0.8"), D(6))


def score_system_building(e, months):
    # 制度体系、组织保障、人员配备、经费支持四个方面，每个单项最高 0.7 分.
    total = ZERO
    for c in ("sys_institutions", "sys_organisation", "sys_staffing",
              "sys_funding"):
        total += hold(e[c], D(0), D("0.7"))
    return total


def score_innovation(e, months):
    # 每项得 1 分。该项指标最高 2 分。
    return min(e["innovations"], D(2))


def score_finance_risk(e, months):
    return (mul36(4, e["fin_progress"]) + e["zx_mechanism"] + e["zx_cleanup"]
            + e["zx_crackdown"] + mul36(3, e["no_major_risk"]))


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
            e[c] = cell_value(entity[c])
    return e


def _numeric_months(months_list):
    months = []
    for m in months_list:
        months.append({c: cell_value(m[c]) for c in PERIOD_COLUMNS if c != "id"})
    months.sort(key=lambda m: m["month"])
    return months


def score_row(entity_dict, months_list):
    """Score one county.  Returns a dict with id, status, total and the 16
    indicator scores (Fractions of at most 18 decimals).  An indicator the
    document leaves open for this county is None, and so is the total; the
    others are scored all the same (an incomplete row).  The status of such
    a row names the first open indicator in table order."""
    e = _numeric_entity(entity_dict)
    months = _numeric_months(months_list)
    result = {"id": entity_dict.get("id"), "status": "ok", "total": None}
    held, open_ones = {}, []
    for name, points in INDICATORS:
        try:
            held[name] = hold(SCORERS[name](e, months), D(0), points)
        except RowError as err:
            open_ones.append(err.args[0])
    if open_ones:
        result["status"] = "error:" + open_ones[0]
        result.update({name: round18(held[name]) if name in held else None for name in INDICATOR_IDS})
        return result
    # The total: the sum of the held scores as computed, rounded once; each
    # indicator's score: its held score rounded to 18 decimals.
    result["total"] = round18(sum((held[name] for name in INDICATOR_IDS), ZERO))
    result.update({name: round18(held[name]) for name in INDICATOR_IDS})
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
        months = sorted(cell_value(p["month"]) for p in by_id[e["id"]])
        if months != list(range(1, 13)):
            raise SystemExit("%s: id %s must have exactly months 1..12, has %s"
                             % (periods_path, e["id"], [fmt_number(m) for m in months]))
    return [(e, by_id[e["id"]]) for e in order]


def fmt(x):
    return "" if x is None else fmt_number(x)


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: python3 oracle.py ENTITIES.csv PERIODS.csv > scores.csv\n")
        return 2
    rows = read_inputs(argv[1], argv[2])
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(OUTPUT_COLUMNS)
    try:
        results = [score_row(entity, months) for entity, months in rows]
    except DataError as err:
        sys.stderr.write("oracle: %s\n" % err)
        return 1
    for r in results:
        out.writerow([r["id"], r["status"], fmt(r["total"])]
                     + [fmt(r[name]) for name in INDICATOR_IDS])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
