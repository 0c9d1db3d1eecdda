#!/usr/bin/env python3
"""Independent reference scorer (test oracle) for the Linyi 2019 scheme.

Written from the document (临信用办〔2019〕6号, 附件 临沂市“信用县”创建基础评价
指标) and the combination that examples/linyi/linyi_2019.rubric states in its
comments, in plain Python, without reading the compiler, so the compiler's
scores can be checked against it.

Usage:
    python3 oracle.py ENTITIES.csv PERIODS.csv > expected.csv
    python3 oracle.py --compare EXPECTED.csv ACTUAL.csv [--tol T]

The first form writes the layout of `rubric score`: id, name, total, rank,
then one column per part in source order, depth first (category, its
indicators, each indicator's items: `indicator.item`, `indicator.item.sub`).
Every county of the table is one peer group (`peers all`).

The second form compares two such tables (rows matched by id; the headers
must be equal): every score and total as an exact decimal (the text read as
a Fraction), equal exactly (--tol T, default 0, allows an absolute difference
of at most T, itself read exactly; the seed tests pass none), names equal,
and each rank equal to the expected rank (the competition rank of the exact
total: equal totals share a rank).
Prints the first 20 mismatches and "N passed, M failed"; exit status 0 iff
nothing failed.

Numbers (spec/semantics.md, "Numbers"): every value is an exact decimal
(fractions.Fraction here), a cell read exactly from its text (`%` and
thousands groups included); + - and comparisons are exact.  Inside a rule,
a product with more than 36 decimals and every quotient are rounded half up
(away from zero) to 36 decimals, once per operation, in the order the rule
is written: `3 * finance_cleared / finance_listed` multiplies, then divides
once; a `linear between` is y0 + (y1 - y0) * (x - x0) / (x1 - x0): multiply,
then one rounded division; mean(...) is the exact sum divided once by the
count.  A rule's result is rounded half up to 18 decimals: a leaf's score
after it is held within its points; a part with children is the sum of its
children's held scores as computed (36 decimals), held within its points,
then rounded; the total is the sum of the categories as computed, then
rounded.  A peer statistic is taken over each county's value rounded to 18
decimals, and ratio_to_max, minmax, share and rank read the county's own
value rounded the same way.  Output numbers are exact decimal text without
trailing zeros (89.1, 0.5).

Peer rules (spec/semantics.md, "Peer aggregates"), over the values rounded
to 18 decimals:
  ratio_to_max(x) = x / max, 0 when max is 0 or less;
  minmax(x)       = (x - min) / (max - min), 1 when max = min;
  share(x)        = x / sum, 0 when sum is 0 or less;
  rank(x)         = 1 + number of peers with a strictly greater x;
  rank_ratio(x)   = (count - rank + 1) / count;
each a division rounded to 36 decimals; mean(x) = sum / count, rounded to
18 decimals once.
Every score is held within [0, its points]; a part with children is the sum
of its (held) children, held within its points; the total is the sum of the
categories; rank is the competition rank of the total (as given, 18
decimals), largest first.
"""

import csv
import os
import sys
from fractions import Fraction

# The number semantics every oracle shares (spec/semantics.md#numbers, the
# cell grammar of spec/data.md): tests/common/exact.py.  div36 raises
# ZeroDivisionError for a divisor of 0; fmt refuses more than 18 decimals.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from exact import (ZERO, NOT_A_NUMBER, CellError, round18, div36, mul36,  # noqa: E402
                   mean36, fmt, read_cell, table_number)

ONE = Fraction(1)


MONTHS = list(range(1, 13))

# (path, points) in source order, depth first.
PARTS = [
    ("incentives", 85),
    ("honor_cases", 6), ("honor_cases.people", 3), ("honor_cases.firms", 3),
    ("dishonesty", 10), ("dishonesty.city_share", 2),
    ("dishonesty.firm_share", 2), ("dishonesty.monthly_new", 2),
    ("dishonesty.monthly_exits", 2), ("dishonesty.violations", 2),
    ("industry", 10), ("industry.poor_share", 5), ("industry.supervision", 5),
    ("governance", 12), ("governance.gov_debtors", 3),
    ("governance.finance", 3), ("governance.ecommerce", 3),
    ("governance.campaigns", 3),
    ("joint_rewards", 26), ("joint_rewards.joint", 14),
    ("joint_rewards.joint.coverage", 2), ("joint_rewards.joint.cases", 2),
    ("joint_rewards.joint.rate", 2), ("joint_rewards.joint.domains", 2),
    ("joint_rewards.joint.departments", 2),
    ("joint_rewards.joint.automated", 2),
    ("joint_rewards.joint.auto_domains", 2),
    ("joint_rewards.repair", 12), ("joint_rewards.repair.approvals", 2),
    ("joint_rewards.repair.training", 2),
    ("joint_rewards.repair.commitments", 2),
    ("joint_rewards.repair.reports", 2), ("joint_rewards.repair.talks", 2),
    ("joint_rewards.repair.repaired_share", 2),
    ("serious_events", 21), ("serious_events.government", 3),
    ("serious_events.business", 3), ("serious_events.procurement", 3),
    ("serious_events.social", 3), ("serious_events.judicial", 3),
    ("serious_events.response", 3), ("serious_events.disclosure", 3),
    ("basis", 15),
    ("institutions", 6), ("institutions.detailing", 2),
    ("institutions.coverage", 2), ("institutions.innovation", 2),
    ("publicity", 4), ("publicity.rate", 2), ("publicity.volume", 2),
    ("info_sharing", 3), ("info_sharing.records", 1),
    ("info_sharing.platform", 1), ("info_sharing.column", 1),
    ("usc_code", 2), ("usc_code.conversion", 1), ("usc_code.correction", 1),
    ("culture", 10),
    ("promotion", 5),
    ("commitments", 5), ("commitments.coverage", 3), ("commitments.volume", 2),
    ("services", 10),
    ("credit_apps", 8), ("credit_apps.scenarios", 4), ("credit_apps.loans", 4),
    ("case_checks", 2),
    ("rural", 22),
    ("rural_credit", 16), ("rural_credit.archives", 4),
    ("rural_credit.rating", 4), ("rural_credit.lending", 4),
    ("rural_credit.village_credit", 4),
    ("policy_platform", 6), ("policy_platform.published", 3),
    ("policy_platform.applications", 3),
    ("environment", 8),
    ("business_env", 8), ("business_env.tolerant", 2),
    ("business_env.online", 2), ("business_env.contracts", 2),
    ("business_env.a_taxpayers", 2),
]
POINTS = dict(PARTS)
PATHS = [p for p, _ in PARTS]

# Category -> its indicators, in order.
CATEGORIES = {
    "incentives": ["honor_cases", "dishonesty", "industry", "governance",
                   "joint_rewards", "serious_events"],
    "basis": ["institutions", "publicity", "info_sharing", "usc_code"],
    "culture": ["promotion", "commitments"],
    "services": ["credit_apps", "case_checks"],
    "rural": ["rural_credit", "policy_platform"],
    "environment": ["business_env"],
}

YESNO = ["ecommerce_done", "jr_auto", "sharing_platform", "credit_column"]
# Inputs whose blank cell means "the part that reads it scores full marks".
BLANK_FULL = ["event_disclosure", "usc_correction"]
NUMBERS = [
    "honest_people", "honest_firms", "legal_firms", "violations",
    "rated_firms", "rated_poor", "supervised_domains", "gov_defaulters",
    "finance_listed", "finance_cleared", "campaigns_done", "jr_coverage",
    "jr_cases", "jr_rate", "jr_domains", "jr_departments", "jr_auto_domains",
    "repair_approved", "repair_trained", "repair_committed", "repair_reports",
    "warning_talks", "repaired", "gov_events", "business_events",
    "procurement_events", "social_events", "judicial_events",
    "events_resolved", "event_disclosure", "rules_detailed",
    "integrity_coverage", "innovative_rules", "pub_rate", "pub_records",
    "shared_records", "usc_conversion", "usc_correction", "promo_media",
    "promo_schools", "promo_firms", "promo_communities", "promo_villages",
    "market_entities", "commitments", "xy_scenarios", "xyd_loans",
    "case_checks", "rural_entities", "archived", "rural_rated",
    "rural_borrowers", "villages", "villages_credited", "agri_depts",
    "agri_depts_published", "policy_applications", "approval_depts",
    "tolerant_depts", "online_days", "contract_disputes", "a_taxpayers",
]
MONTHLY = ["listed", "listed_new", "listed_exits"]
# Ranges of the inputs (the scheme's types and bounds): (low, high, whole).
FRACTIONS = ["jr_coverage", "jr_rate", "event_disclosure", "integrity_coverage",
             "pub_rate", "usc_conversion", "usc_correction"]
AT_LEAST_1 = ["legal_firms", "rated_firms", "market_entities", "rural_entities",
              "villages", "agri_depts", "approval_depts", "listed"]



def input_range(c):
    """(low, high or None, whole) of an input: the scheme's types and bounds."""
    if c in FRACTIONS:
        return ZERO, ONE, False
    if c in ("online_days", "xyd_loans"):
        return ZERO, None, False
    if c == "campaigns_done":
        return ZERO, Fraction(19), True
    if c in AT_LEAST_1:
        return ONE, None, True
    return ZERO, None, True


class DataError(Exception):
    pass


# ------------------------------------------------------------ cells

def parse_number(text, where):
    """A number cell (spec/data.md, "Cell values"): optional sign, digits
    with optional thousands groups, optional fraction and exponent, optional
    %; its exact value (0.3% is exactly 3/1000), at most 18 decimals and
    below 10^20 in magnitude."""
    try:
        return read_cell(text)
    except CellError as err:
        raise DataError("%s: %s %r" % (where, "not a number" if err.kind == NOT_A_NUMBER
                                       else "bad number", text)) from None


def checked(c, x, where):
    lo, hi, whole = input_range(c)
    if x < lo or (hi is not None and x > hi) or (whole and x.denominator != 1):
        raise DataError("%s: column %s: %s out of range" % (where, c, fmt(x)))
    return x


def parse_yesno(text, where):
    t = text.strip(" \t")
    if t.lower() in ("1", "yes", "true") or t == "是":
        return True
    if t.lower() in ("0", "no", "false") or t == "否":
        return False
    raise DataError("%s: not yes/no %r" % (where, text))


def read_tables(entities_path, periods_path):
    with open(entities_path, newline="", encoding="utf-8-sig") as f:
        ents = list(csv.DictReader(f))
    with open(periods_path, newline="", encoding="utf-8-sig") as f:
        pers = list(csv.DictReader(f))
    rows = []
    by_id = {}
    for line, r in enumerate(ents, start=2):
        where = "%s:%d" % (entities_path, line)
        e = {"id": r["id"].strip(" \t"), "name": r.get("name", "") or ""}
        if e["id"] in by_id:
            raise DataError("%s: duplicate id %s" % (where, e["id"]))
        for c in YESNO:
            e[c] = parse_yesno(r[c], where)
        for c in NUMBERS:
            if r[c].strip(" \t") == "":
                if c not in BLANK_FULL:
                    raise DataError("%s: column %s is empty" % (where, c))
                e[c] = None
            else:
                e[c] = checked(c, parse_number(r[c], where), where)
        for c in MONTHLY:
            e[c] = {}
        by_id[e["id"]] = e
        rows.append(e)
    for line, r in enumerate(pers, start=2):
        where = "%s:%d" % (periods_path, line)
        e = by_id.get(r["id"].strip(" \t"))
        if e is None:
            raise DataError("%s: unknown id %s" % (where, r["id"]))
        month = parse_number(r["month"], where)
        if month.denominator != 1:
            raise DataError("%s: month %s" % (where, r["month"]))
        m = int(month)
        for c in MONTHLY:
            if m in e[c]:
                raise DataError("%s: second row for month %d" % (where, m))
            e[c][m] = checked(c, parse_number(r[c], where), where)
    for e in rows:
        for c in MONTHLY:
            if sorted(e[c]) != MONTHS:
                raise DataError("id %s: months %s" % (e["id"], sorted(e[c])))
            e[c] = [e[c][m] for m in MONTHS]
    return rows


# ------------------------------------------------------------ rule helpers

def hold(x, points):
    return min(max(x, ZERO), Fraction(points))


class Peers:
    """Aggregates of one value per county over the whole table, taken over
    the values rounded to 18 decimals; a county's own value is rounded the
    same way where a ratio or a rank reads it.  Every ratio is one division
    rounded to 36 decimals; the mean is rounded to 18 decimals once."""

    def __init__(self, values):
        self.v = [round18(x) for x in values]
        self.n = len(values)
        self.max = max(self.v)
        self.min = min(self.v)
        self.sum = sum(self.v, ZERO)

    def ratio_to_max(self, x):
        return ZERO if self.max <= 0 else div36(round18(x), self.max)

    def minmax(self, x):
        if self.max == self.min:
            return ONE
        return div36(round18(x) - self.min, self.max - self.min)

    def share(self, x):
        return ZERO if self.sum <= 0 else div36(round18(x), self.sum)

    def rank(self, x):
        x = round18(x)
        return 1 + sum(1 for y in self.v if y > x)

    def rank_ratio(self, x):
        return div36(self.n - self.rank(x) + 1, self.n)

    def mean(self):
        return round18(Fraction(self.sum, self.n))


def interpolate(x, x0, y0, x1, y1):
    """`linear between`: y0 + (y1 - y0) * (clamp(x, x0, x1) - x0) / (x1 - x0),
    the product first, then one rounded division."""
    x0, y0, x1, y1 = (Fraction(v) for v in (x0, y0, x1, y1))
    t = min(max(x, x0), x1) - x0
    return y0 + div36(mul36(y1 - y0, t), x1 - x0)


def proportional(full, actual, target):
    """达到目标得满分，否则按比例计分: min(full, full * actual / target)."""
    return min(Fraction(full), div36(mul36(full, actual), target))


# ------------------------------------------------------------ the scheme

def derived(e):
    """Per-county values that peer rules compare, as computed inside a rule
    (each ratio one division rounded to 36 decimals; a monthly mean is the
    exact sum of the rounded monthly ratios divided once by 12)."""
    d = {}
    d["listed_now"] = e["listed"][-1]                      # December
    d["per_firm"] = div36(d["listed_now"], e["legal_firms"])
    d["new_rate"] = mean36([div36(n, e["legal_firms"]) for n in e["listed_new"]])
    d["exit_rate"] = mean36([div36(x, l) for x, l in zip(e["listed_exits"], e["listed"])])
    d["poor"] = div36(e["rated_poor"], e["rated_firms"])
    d["repair_share"] = div36(e["repaired"], d["listed_now"])
    d["rated_share"] = div36(e["rural_rated"], e["rural_entities"])
    d["borrower_share"] = div36(e["rural_borrowers"], e["rural_entities"])
    d["village_share"] = div36(e["villages_credited"], e["villages"])
    d["tolerant_share"] = div36(e["tolerant_depts"], e["approval_depts"])
    d["a_share"] = div36(e["a_taxpayers"], e["legal_firms"])
    return d


PEER_KEYS = [
    # (name, function of (entity, derived))
    ("honest_people", lambda e, d: e["honest_people"]),
    ("honest_firms", lambda e, d: e["honest_firms"]),
    ("listed_now", lambda e, d: d["listed_now"]),
    ("-per_firm", lambda e, d: -d["per_firm"]),
    ("-new_rate", lambda e, d: -d["new_rate"]),
    ("exit_rate", lambda e, d: d["exit_rate"]),
    ("-violations", lambda e, d: -e["violations"]),
    ("-poor", lambda e, d: -d["poor"]),
    ("supervised_domains", lambda e, d: e["supervised_domains"]),
    ("jr_cases", lambda e, d: e["jr_cases"]),
    ("jr_domains", lambda e, d: e["jr_domains"]),
    ("jr_departments", lambda e, d: e["jr_departments"]),
    ("jr_auto_domains", lambda e, d: e["jr_auto_domains"]),
    ("repair_approved", lambda e, d: e["repair_approved"]),
    ("repair_trained", lambda e, d: e["repair_trained"]),
    ("repair_committed", lambda e, d: e["repair_committed"]),
    ("repair_reports", lambda e, d: e["repair_reports"]),
    ("warning_talks", lambda e, d: e["warning_talks"]),
    ("repair_share", lambda e, d: d["repair_share"]),
    ("pub_records", lambda e, d: e["pub_records"]),
    ("shared_records", lambda e, d: e["shared_records"]),
    ("commitments", lambda e, d: e["commitments"]),
    ("xy_scenarios", lambda e, d: e["xy_scenarios"]),
    ("xyd_loans", lambda e, d: e["xyd_loans"]),
    ("case_checks", lambda e, d: e["case_checks"]),
    ("rated_share", lambda e, d: d["rated_share"]),
    ("borrower_share", lambda e, d: d["borrower_share"]),
    ("village_share", lambda e, d: d["village_share"]),
    ("policy_applications", lambda e, d: e["policy_applications"]),
    ("tolerant_share", lambda e, d: d["tolerant_share"]),
    ("-online_days", lambda e, d: -e["online_days"]),
    ("-contract_disputes", lambda e, d: -e["contract_disputes"]),
    ("a_share", lambda e, d: d["a_share"]),
]




def leaf_scores(e, d, P):
    """The rule of every item (and of the two indicators without items)."""
    s = {}
    v = {k: f(e, d) for k, f in PEER_KEYS}
    F = Fraction

    # 重大诚信案例确认与弘扬
    s["honor_cases.people"] = mul36(3, P["honest_people"].ratio_to_max(v["honest_people"]))
    s["honor_cases.firms"] = mul36(3, P["honest_firms"].ratio_to_max(v["honest_firms"]))

    # 综合失信状况量化测评: 5 × 2 points
    # 1. 名单总量占全市的比重, against an equal share: rel = share × count;
    #    at or below 1: 2; 2 or more: 0; linear between.
    rel = mul36(P["listed_now"].share(v["listed_now"]), P["listed_now"].n)
    if rel <= 1:
        s["dishonesty.city_share"] = F(2)
    elif rel >= 2:
        s["dishonesty.city_share"] = F(0)
    else:
        s["dishonesty.city_share"] = interpolate(rel, 1, 2, 2, 0)
    s["dishonesty.firm_share"] = mul36(2, P["-per_firm"].minmax(v["-per_firm"]))
    s["dishonesty.monthly_new"] = mul36(2, P["-new_rate"].minmax(v["-new_rate"]))
    s["dishonesty.monthly_exits"] = mul36(2, P["exit_rate"].minmax(v["exit_rate"]))
    s["dishonesty.violations"] = mul36(2, P["-violations"].minmax(v["-violations"]))

    # 行业信用评价及监管
    s["industry.poor_share"] = mul36(5, P["-poor"].minmax(v["-poor"]))
    s["industry.supervision"] = mul36(5, P["supervised_domains"].ratio_to_max(v["supervised_domains"]))

    # 失信治理绩效测评
    # 政府失信被执行人: 1 point off each, 扣完为止.
    s["governance.gov_debtors"] = max(F(0), 3 - mul36(1, e["gov_defaulters"]))
    # 涉金融领域黑名单: in proportion to the cases dealt with; none listed: 3.
    if e["finance_listed"] == 0:
        s["governance.finance"] = F(3)
    else:
        s["governance.finance"] = min(F(3), div36(mul36(3, e["finance_cleared"]), e["finance_listed"]))
    s["governance.ecommerce"] = F(3) if e["ecommerce_done"] else F(0)
    # 中央文明委19个专项治理: in proportion, 3 × done / 19.
    s["governance.campaigns"] = div36(mul36(3, e["campaigns_done"]), 19)

    # 联合奖惩绩效测评
    j = "joint_rewards.joint."
    s[j + "coverage"] = mul36(2, e["jr_coverage"])
    s[j + "cases"] = mul36(2, P["jr_cases"].ratio_to_max(v["jr_cases"]))
    s[j + "rate"] = mul36(2, e["jr_rate"])
    s[j + "domains"] = mul36(2, P["jr_domains"].ratio_to_max(v["jr_domains"]))
    s[j + "departments"] = mul36(2, P["jr_departments"].ratio_to_max(v["jr_departments"]))
    s[j + "automated"] = F(2) if e["jr_auto"] else F(0)
    s[j + "auto_domains"] = mul36(2, P["jr_auto_domains"].ratio_to_max(v["jr_auto_domains"]))
    r = "joint_rewards.repair."
    s[r + "approvals"] = mul36(2, P["repair_approved"].ratio_to_max(v["repair_approved"]))
    s[r + "training"] = mul36(2, P["repair_trained"].ratio_to_max(v["repair_trained"]))
    s[r + "commitments"] = mul36(2, P["repair_committed"].ratio_to_max(v["repair_committed"]))
    s[r + "reports"] = mul36(2, P["repair_reports"].ratio_to_max(v["repair_reports"]))
    s[r + "talks"] = mul36(2, P["warning_talks"].rank_ratio(v["warning_talks"]))
    s[r + "repaired_share"] = mul36(2, P["repair_share"].ratio_to_max(v["repair_share"]))

    # 严重失信事件监测评价: 1 point off for each event, 扣完为止.
    for part, col in [("government", "gov_events"), ("business", "business_events"),
                      ("procurement", "procurement_events"),
                      ("social", "social_events"), ("judicial", "judicial_events")]:
        s["serious_events." + part] = max(F(0), 3 - mul36(1, e[col]))
    events = (e["gov_events"] + e["business_events"] + e["procurement_events"]
              + e["social_events"] + e["judicial_events"])
    # 重大失信事件以及治理反馈: the share dealt with; no event: full marks.
    if events < 1:
        s["serious_events.response"] = F(3)
    else:
        s["serious_events.response"] = min(F(3), div36(mul36(3, e["events_resolved"]), events))
    # 信用事件公开程度: in proportion; a blank (nothing to disclose): full.
    if e["event_disclosure"] is None:
        s["serious_events.disclosure"] = F(3)
    else:
        s["serious_events.disclosure"] = mul36(3, e["event_disclosure"])

    # 信用制度完善程度
    s["institutions.detailing"] = min(F(2), mul36(F("0.5"), e["rules_detailed"]))
    s["institutions.coverage"] = mul36(2, e["integrity_coverage"])
    s["institutions.innovation"] = min(F(2), mul36(1, e["innovative_rules"]))

    # 信用信息公示情况: 双公示率 100%: 2; 90% or less: 0; linear between.
    pr = e["pub_rate"]
    if pr >= 1:
        s["publicity.rate"] = F(2)
    elif pr <= F("0.9"):
        s["publicity.rate"] = F(0)
    else:
        s["publicity.rate"] = interpolate(pr, F("0.9"), 0, 1, 2)
    s["publicity.volume"] = mul36(2, P["pub_records"].ratio_to_max(v["pub_records"]))

    # 信用信息归集共享
    s["info_sharing.records"] = P["shared_records"].ratio_to_max(v["shared_records"])
    s["info_sharing.platform"] = F(1) if e["sharing_platform"] else F(0)
    s["info_sharing.column"] = F(1) if e["credit_column"] else F(0)

    # 统一社会信用代码转换: 转码率 100%: 1; below 95%: 0; linear between.
    c = e["usc_conversion"]
    if c >= 1:
        s["usc_code.conversion"] = F(1)
    elif c < F("0.95"):
        s["usc_code.conversion"] = F(0)
    else:
        s["usc_code.conversion"] = interpolate(c, F("0.95"), 0, 1, 1)
    # 纠正率: in proportion; a blank (nothing to correct): full marks.
    s["usc_code.correction"] = F(1) if e["usc_correction"] is None else e["usc_correction"]

    # 诚信文化、宣传和教育情况: 1 per channel with an activity, at most 5
    channels = sum(1 for col in ["promo_media", "promo_schools", "promo_firms",
                                 "promo_communities", "promo_villages"]
                   if e[col] >= 1)
    s["promotion"] = min(F(5), mul36(1, channels))

    # 诚信建设情况: 覆盖面 80% or more: 3; under 50%: 0; linear between.
    cover = div36(e["commitments"], e["market_entities"])
    if cover >= F("0.8"):
        s["commitments.coverage"] = F(3)
    elif cover < F("0.5"):
        s["commitments.coverage"] = F(0)
    else:
        s["commitments.coverage"] = interpolate(cover, F("0.5"), 0, F("0.8"), 3)
    s["commitments.volume"] = mul36(2, P["commitments"].ratio_to_max(v["commitments"]))

    # 信用服务及应用
    s["credit_apps.scenarios"] = mul36(4, P["xy_scenarios"].rank_ratio(v["xy_scenarios"]))
    s["credit_apps.loans"] = mul36(4, P["xyd_loans"].ratio_to_max(v["xyd_loans"]))

    # 失信案例调查: none: 0; at least the city's average (全市平均水平): 2;
    # some, but fewer: 1.
    if e["case_checks"] == 0:
        s["case_checks"] = F(0)
    elif e["case_checks"] >= P["case_checks"].mean():
        s["case_checks"] = F(2)
    else:
        s["case_checks"] = F(1)

    # 小微和农村信用体系建设: 建档率达 50%以上: 4; below, in proportion.
    rate = div36(e["archived"], e["rural_entities"])
    s["rural_credit.archives"] = proportional(4, rate, F("0.5"))
    s["rural_credit.rating"] = mul36(4, P["rated_share"].ratio_to_max(v["rated_share"]))
    s["rural_credit.lending"] = mul36(4, P["borrower_share"].minmax(v["borrower_share"]))
    s["rural_credit.village_credit"] = mul36(4, P["village_share"].ratio_to_max(v["village_share"]))

    # 涉农政府部门政策公布及申办
    s["policy_platform.published"] = proportional(3, e["agri_depts_published"], e["agri_depts"])
    s["policy_platform.applications"] = mul36(3, P["policy_applications"].ratio_to_max(v["policy_applications"]))

    # 营商环境建设情况
    s["business_env.tolerant"] = mul36(2, P["tolerant_share"].ratio_to_max(v["tolerant_share"]))
    s["business_env.online"] = mul36(2, P["-online_days"].minmax(v["-online_days"]))
    s["business_env.contracts"] = mul36(2, P["-contract_disputes"].minmax(v["-contract_disputes"]))
    s["business_env.a_taxpayers"] = mul36(2, P["a_share"].ratio_to_max(v["a_share"]))
    return s


def children(path):
    if path in CATEGORIES:
        return CATEGORIES[path]
    depth = path.count(".") + 1
    return [p for p in PATHS
            if p.startswith(path + ".") and p.count(".") == depth]


def score_all(rows):
    ds = [derived(e) for e in rows]
    P = {k: Peers([f(e, d) for e, d in zip(rows, ds)]) for k, f in PEER_KEYS}
    out = []
    for e, d in zip(rows, ds):
        leaves = leaf_scores(e, d, P)
        sc = {}

        def score(path):
            """The held score as computed (36 decimals); sc[path] gets the
            result, rounded to 18 decimals."""
            kids = children(path)
            if not kids:
                held = hold(leaves[path], POINTS[path])
            else:
                held = hold(sum((score(k) for k in kids), ZERO), POINTS[path])
            sc[path] = round18(held)
            return held

        total = round18(sum((score(cat) for cat in CATEGORIES), ZERO))
        out.append({"id": e["id"], "name": e["name"], "total": total,
                    "scores": sc})
    totals = [r["total"] for r in out]
    for r in out:
        r["rank"] = 1 + sum(1 for t in totals if t > r["total"])
    return out


def write_scores(rows, f):
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["id", "name", "total", "rank"] + PATHS)
    for r in rows:
        w.writerow([r["id"], r["name"], fmt(r["total"]), r["rank"]]
                   + [fmt(r["scores"][p]) for p in PATHS])


# ------------------------------------------------------------ compare

def compare(expected_path, actual_path, tol=ZERO):
    with open(expected_path, newline="", encoding="utf-8") as f:
        er = csv.reader(f)
        eh = next(er)
        erows = list(er)
    with open(actual_path, newline="", encoding="utf-8") as f:
        ar = csv.reader(f)
        ah = next(ar)
        arows = list(ar)
    problems = []
    if eh != ah:
        problems.append("header differs:\n  expected %s\n  actual   %s"
                        % (",".join(eh), ",".join(ah)))
        print(problems[0])
        print("0 passed, %d failed" % len(erows))
        return 1
    col = {c: i for i, c in enumerate(eh)}
    exp = {r[0]: r for r in erows}
    act = {}
    for r in arows:
        if r[0] in act:
            problems.append("id=%s: several rows" % r[0])
        act[r[0]] = r
    # Expected ranks from the exact expected totals: equal totals share one.
    ex_tot = [table_number(r[col["total"]]) for r in erows]
    failed = set()
    compared = 0
    for rid, e in exp.items():
        a = act.get(rid)
        if a is None:
            problems.append("id=%s: missing row" % rid)
            failed.add(rid)
            continue
        if e[col["name"]] != a[col["name"]]:
            problems.append("id=%s column=name expected=%s actual=%s"
                            % (rid, e[col["name"]], a[col["name"]]))
            failed.add(rid)
        for c in eh[2:]:
            if c == "rank":
                continue
            x, y = table_number(e[col[c]]), table_number(a[col[c]])
            compared += 1
            if x is None or y is None or abs(x - y) > tol:
                problems.append("id=%s column=%s expected=%s actual=%s"
                                % (rid, c, e[col[c]], a[col[c]]))
                failed.add(rid)
        t_e = table_number(e[col["total"]])
        want = 1 + sum(1 for t in ex_tot if t > t_e)
        got = a[col["rank"]].strip()
        if str(want) != got or e[col["rank"]].strip() != got:
            problems.append("id=%s column=rank expected=%d actual=%s"
                            % (rid, want, got))
            failed.add(rid)
    for rid in act:
        if rid not in exp:
            problems.append("id=%s: extra row" % rid)
            failed.add(rid)
    for p in problems[:20]:
        print(p)
    if len(problems) > 20:
        print("... and %d more mismatches" % (len(problems) - 20))
    print("%d passed, %d failed (%d numbers compared %s)"
          % (len(exp) - len(failed & set(exp)), len(failed), compared,
             "exactly" if tol == 0 else "within %s" % fmt(tol)))
    return 0 if not failed and not problems else 1


def main(argv):
    if len(argv) >= 2 and argv[1] == "--compare":
        args = argv[2:]
        tol = ZERO
        if "--tol" in args:
            k = args.index("--tol")
            tol = Fraction(args[k + 1])
            del args[k:k + 2]
        if len(args) != 2:
            sys.stderr.write(__doc__)
            return 2
        return compare(args[0], args[1], tol)
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    try:
        rows = read_tables(argv[1], argv[2])
        write_scores(score_all(rows), sys.stdout)
    except DataError as err:
        sys.stderr.write("oracle: %s\n" % err)
        return 1
    except ZeroDivisionError as err:
        sys.stderr.write("oracle: %s\n" % err)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
