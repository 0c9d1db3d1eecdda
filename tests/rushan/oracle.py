#!/usr/bin/env python3
"""Independent reference (test oracle) for the Rushan 2022 target schemes.

Written from the document (乳信用办〔2022〕3号, 乳山市社会信用体系建设2022年工作
要点, /work/shared/seeds/002_6a3aebb6abe2be6b.txt) and the choices stated in
examples/rushan/rushan_2022.rubric, in plain Python, without the compiler.

Usage:
    python3 oracle.py city ENTITIES.csv YEARS.csv > targets.csv
    python3 oracle.py towns ENTITIES.csv > targets.csv
    python3 oracle.py compare EXPECTED.csv ACTUAL.csv [--tol T]

Output: the targets table, columns id,name,target,title,value,goal,met,margin,
one row per entity and target, in entity order then target order.  met is
yes/no; margin = value - goal for >= and >, goal - value for <=.  Numbers
are exact decimal text: no exponent, no trailing zeros, "0" for zero.

Numbers (spec/semantics.md, "Numbers"): every value is an exact decimal
(fractions.Fraction here), read exactly from the cell's text; - and the
comparisons are exact.  Inside a rule every share is one division rounded
half up (away from zero) to 36 decimals; the growth on last year is
latest / previous - 1, one rounding (of the division).  A target's value and
its goal are results, rounded half up to 18 decimals, and the target is met
or not on these two numbers, as the table prints them; the margin is their
exact difference.

`compare` checks a table written by `rubric score` against this oracle's,
with tests/common/compare.py: the same header and the same rows in the same
order (matched by id and target), name, title and met equal as text, value,
goal and margin equal as exact decimals (each cell's text read as a
Fraction; --tol T, default 0, allows an absolute difference of at most T,
read exactly; the tests pass none).  Prints the first 20 mismatches and
"N rows passed, M failed"; exit status 0 iff nothing failed.

The readings:
- counts against their goal: documents 2, lists 2, the fewest events held by
  a school 2, “信易+” scenarios 20, supervised domains 60, firms given credit
  repair guidance 100 (all "at least");
- 征信修复治理率 = resolved / cases, 100% when there is no case; an empty
  cases or resolved cell is 0; the rate must reach 100%;
- platform share = platform_firms / market_firms >= 20%;
- 2022 inclusive loans / 2022 GDP >= 10%;
- growth = loans 2022 / loans 2021 - 1 >= 30%;
- 2022 SME credit loans / 2022 SME loans > 30% (strictly);
- code error rate = faulty / issued <= 0.01% (1 in 10,000, inclusive).
"""

import csv
import os
import sys
from fractions import Fraction

# The number semantics every oracle shares (spec/semantics.md#numbers, the
# cell grammar of spec/data.md), and the table comparison: tests/common.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
import exact  # noqa: E402
import compare as table_compare  # noqa: E402
from exact import CellError, round18, fmt, read_cell  # noqa: E402

GE, GT, LE = ">=", ">", "<="
D = Fraction                         # D("0.0001"): a decimal written in the document

CITY_TARGETS = [
    ("documents", "修订完善两个文件", GE, D(2)),
    ("lists", "制定出台两张清单", GE, D(2)),
    ("school_events", "各类学校开展诚信主题教育活动不少于2次", GE, D(2)),
    ("scenarios", "拓展“信易+”应用场景20处", GE, D(20)),
    ("supervision_domains", "年内开展行业信用监管领域达到60个", GE, D(60)),
    ("zx_repair", "征信修复专项治理治理率达到100%", GE, D(1)),
    ("platform_share", "融资服务平台注册并实名认证的企业和个体工商户占比达到20%", GE, D("0.2")),
    ("inclusive_to_gdp", "普惠型小微企业贷款余额占全市国内生产总值比重达到10%", GE, D("0.1")),
    ("inclusive_growth", "普惠型小微企业贷款余额比上年增长30%", GE, D("0.3")),
    ("credit_loan_share", "中小微企业信用贷款余额占中小微企业贷款余额的比例超过30%", GT, D("0.3")),
    ("code_errors", "全市统一信用代码重错码率控制在万分之一内", LE, D("0.0001")),
    ("repair_guidance", "年内为100家次企业完成信用修复指导", GE, D(100)),
]
TOWN_TARGETS = [
    ("school_events", "辖区各类学校开展诚信主题教育活动不少于2次", GE, D(2)),
    ("zx_repair", "征信修复专项治理治理率达到100%", GE, D(1)),
]
CITY_COUNTS = ["documents_revised", "lists_issued", "min_school_events",
               "new_scenarios", "supervised_domains", "market_firms",
               "platform_firms", "codes_issued", "codes_faulty",
               "repair_guided"]
OPTIONAL = ["zx_cases", "zx_resolved"]          # empty means 0
YEAR_MONEY = ["gdp", "inclusive_loans", "sme_loans", "sme_credit_loans"]
YEARS = (2021, 2022)


class DataError(Exception):
    pass


# ---------------------------------------------------------------- numbers
# round18 and fmt come from tests/common/exact.py; a divisor of 0 is a data
# error here.

def div36(a, b):
    """a / b inside a rule: the quotient rounded half up to 36 decimals."""
    if b == 0:
        raise DataError("division by zero: %s / 0" % fmt(a))
    return exact.div36(a, b)


def cell(row, col, optional=False):
    """A number cell (spec/data.md, "Cell values": sign, digits with optional
    thousands groups, fraction, exponent, %) as its exact value; an empty
    cell is 0 where the input says `missing 0` (optional)."""
    text = (row.get(col) or "").strip(" \t")
    if text == "":
        if optional:
            return Fraction(0)
        raise DataError("%s: missing value in column %s" % (row.get("id"), col))
    try:
        return read_cell(text)
    except CellError as err:
        raise DataError("%s: column %s: %s" % (row.get("id"), col, err)) from None


# ---------------------------------------------------------------- targets

def zx_rate(e):
    # 治理率 = 已治理 / 排查出的问题; no case at all: 100% (动态清零).
    cases = cell(e, "zx_cases", optional=True)
    resolved = cell(e, "zx_resolved", optional=True)
    return D(1) if cases == 0 else div36(resolved, cases)


def city_values(e, years):
    c = {k: cell(e, k) for k in CITY_COUNTS}
    y = {yr: {k: cell(years[yr], k) for k in YEAR_MONEY} for yr in YEARS}
    last, prev = y[2022], y[2021]
    return {
        "documents": c["documents_revised"],
        "lists": c["lists_issued"],
        "school_events": c["min_school_events"],
        "scenarios": c["new_scenarios"],
        "supervision_domains": c["supervised_domains"],
        "zx_repair": zx_rate(e),
        # 占比: one rounded division each
        "platform_share": div36(c["platform_firms"], c["market_firms"]),
        "inclusive_to_gdp": div36(last["inclusive_loans"], last["gdp"]),
        # 比上年增长: latest / previous - 1, one rounding
        "inclusive_growth": div36(last["inclusive_loans"], prev["inclusive_loans"]) - 1,
        "credit_loan_share": div36(last["sme_credit_loans"], last["sme_loans"]),
        "code_errors": div36(c["codes_faulty"], c["codes_issued"]),
        "repair_guidance": c["repair_guided"],
    }


def town_values(e):
    return {"school_events": cell(e, "min_school_events"),
            "zx_repair": zx_rate(e)}


def judge(op, value, goal):
    if op == GE:
        return value >= goal, value - goal
    if op == GT:
        return value > goal, value - goal
    return value <= goal, goal - value


def rows_for(e, values, targets):
    out = []
    for tid, title, op, goal in targets:
        # the value and the goal as results (18 decimals); met on these two
        v, goal = round18(values[tid]), round18(goal)
        met, margin = judge(op, v, goal)
        out.append([e["id"].strip(), e.get("name", ""), tid, title, fmt(v),
                    fmt(goal), "yes" if met else "no", fmt(margin)])
    return out


def read(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


# ---------------------------------------------------------------- compare

KEY_COLUMNS = ["id", "target"]
TEXT_COLUMNS = ["name", "title", "met"]


def main(argv):
    if len(argv) >= 2 and argv[1] == "compare":
        # id and target as the key, name/title/met as text, value, goal and
        # margin as exact decimals; --tol an absolute difference.
        return table_compare.main(argv[2:], key=KEY_COLUMNS, text=TEXT_COLUMNS,
                                  relative=False, prog="oracle.py compare")
    if len(argv) < 3 or argv[1] not in ("city", "towns") or \
            (argv[1] == "city") != (len(argv) == 4):
        sys.stderr.write(__doc__.split("\n\n")[1] + "\n")
        return 2
    entities = read(argv[2])
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["id", "name", "target", "title", "value", "goal", "met", "margin"])
    try:
        if argv[1] == "city":
            years = {}
            for r in read(argv[3]):
                years.setdefault(r["id"].strip(), {})[int(r["year"])] = r
            for e in entities:
                ys = years.get(e["id"].strip(), {})
                if sorted(ys) != list(YEARS):
                    raise DataError("%s: needs rows for 2021 and 2022" % e["id"])
                for row in rows_for(e, city_values(e, ys), CITY_TARGETS):
                    out.writerow(row)
        else:
            for e in entities:
                for row in rows_for(e, town_values(e), TOWN_TARGETS):
                    out.writerow(row)
    except DataError as err:
        sys.stderr.write("oracle: %s\n" % err)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
