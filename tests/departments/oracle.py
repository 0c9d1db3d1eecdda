#!/usr/bin/env python3
"""Independent reference (test oracle) for examples/departments/departments_2024.rubric.

Written from the 考核细则 the scheme quotes in its comments, in plain Python,
without the compiler: it reads the departments table (headed by the inputs'
titles, as the office keeps it) and prints the scores table rubric writes,
with the `reason` column left empty (run.sh checks reasons apart: their text
names source locations).

    基础工作 (60) = 信用信息归集 (30) + 数据合规率 (10) + 双公示上报 (20)
      归集: rate = 归集条数 / 应归集条数; 30 at 95% or more, 0 under 60%,
            linear between (30 * (rate - 60%) / 35%)
      合规: 10 * 合规条数 / 归集条数; with no 归集条数 the 细则 says nothing
            (the entity is incomplete)
      双公示: 20 at 100%, 15 at 90% or more, else 0
    综合评价 (40) = 纳税信用 (A级 20, B级 15, C级 8, D级 0) + 诚信宣传 (the
      centre's points; the self-score is only shown)
    加分项 (at most 5) = 表彰 (国家级 5, 省级 3, 市级 1, 无/empty 0) + 创新 2
    扣分项 (at most 10) = 失信事件 5 each, at most 10 (empty: 0)
    total = 基础 + 评价 + 加分 - 扣分; 合规条数 above 归集条数 makes the
      entity incomplete (its parts still shown, no total)
    等次: 90 or more 优秀, [80, 90) 良好, [60, 80) 合格, under 60 不合格
    rank: 1 + the complete entities with a strictly greater total

Arithmetic as spec/semantics.md#numbers says (tests/common/exact.py):
quotients inside a rule rounded half up to 36 decimals; a category, a
section and the total add their parts' scores as computed (36 decimals),
and every score is written rounded half up to 18.

Usage: python3 oracle.py DEPARTMENTS.csv > expected.csv
"""

import csv
import os
import sys
from fractions import Fraction

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from exact import ZERO, round18, div36, mul36, fmt, read_cell  # noqa: E402

D = Fraction
TAX = {"A级": D(20), "B级": D(15), "C级": D(8), "D级": D(0)}
HONOUR = {"国家级": D(5), "省级": D(3), "市级": D(1), "无": D(0)}
YES = {"1", "yes", "true", "是"}
NO = {"0", "no", "false", "否"}
PARTS = ["基础", "归集", "合规", "双公示", "评价", "纳税", "宣传", "加分", "获表彰", "创新举措", "扣分", "失信"]


class Undefined(Exception):
    """A case the 细则 leaves open."""


def hold(x, lo, hi):
    return min(max(x, lo), hi)


def whole(text, least=0):
    x = read_cell(text)
    if x.denominator != 1 or x < least:
        raise ValueError("%r is not a whole number of %d or more" % (text, least))
    return x


def score_row(row):
    a = whole(row["信用信息归集条数"])
    due = whole(row["应归集条数"], least=1)
    ok = whole(row["合规条数"])
    rate = read_cell(row["双公示上报及时率"])
    assert 0 <= rate <= 1, rate
    tax = TAX[row["纳税信用等级"].strip()]
    self_score = read_cell(row["诚信宣传自评分"])
    centre = read_cell(row["诚信宣传中心评分"])
    assert 0 <= self_score <= 20 and 0 <= centre <= 20
    honour = HONOUR[row["获得表彰"].strip() or "无"]
    innov_text = row["创新举措"].strip().lower()
    innov = innov_text in YES
    assert innov or innov_text in NO or innov_text == ""
    events = whole(row["失信事件数"]) if row["失信事件数"].strip() else ZERO

    parts = {}
    share = div36(a, due)
    if share >= D(95, 100):
        v = D(30)
    elif share < D(60, 100):
        v = ZERO
    else:
        v = D(0) + div36(mul36(D(30), share - D(60, 100)), D(95, 100) - D(60, 100))
    parts["归集"] = hold(v, 0, 30)  # as computed: written rounded, added exact
    parts["合规"] = None if a == 0 else hold(mul36(10, div36(ok, a)), 0, 10)
    parts["双公示"] = D(20) if rate >= 1 else D(15) if rate >= D(90, 100) else ZERO
    base = [parts["归集"], parts["合规"], parts["双公示"]]
    parts["基础"] = None if None in base else hold(sum(base, ZERO), 0, 60)
    parts["纳税"] = tax
    parts["宣传"] = centre
    parts["评价"] = hold(tax + centre, 0, 40)
    parts["获表彰"] = honour
    parts["创新举措"] = D(2) if innov else ZERO
    parts["加分"] = hold(honour + parts["创新举措"], 0, 5)
    parts["失信"] = hold(min(D(10), 5 * events), 0, 10)
    parts["扣分"] = hold(parts["失信"], 0, 10)
    complete = parts["基础"] is not None and ok <= a
    total = parts["基础"] + parts["评价"] + parts["加分"] - parts["扣分"] if complete else None
    return parts, total, self_score, centre


def band(total):
    if total >= 90:
        return "优秀"
    if total >= 80:
        return "良好"
    if total >= 60:
        return "合格"
    return "不合格"


def main(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    scored = [(row, *score_row(row)) for row in rows]
    totals = [t for _, _, t, _, _ in scored if t is not None]
    incomplete = any(t is None for _, _, t, _, _ in scored)
    out = csv.writer(sys.stdout, lineterminator="\n")
    head = ["id", "name", "total", "rank", "等次"] + PARTS + ["宣传自评", "宣传中心"]
    out.writerow(head + (["status", "reason"] if incomplete else []))
    for row, parts, total, self_score, centre in scored:
        line = [row["id"].strip(), row["name"]]
        if total is None:
            line += ["", "", ""]
        else:
            total = round18(total)
            line += [fmt(total), str(1 + sum(1 for t in totals if round18(t) > total)), band(total)]
        line += ["" if parts[p] is None else fmt(round18(parts[p])) for p in PARTS]
        line += [fmt(self_score), fmt(centre)]
        if incomplete:
            line += ["ok" if total is not None else "incomplete", ""]
        out.writerow(line)


if __name__ == "__main__":
    main(sys.argv[1])
