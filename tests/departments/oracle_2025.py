#!/usr/bin/env python3
"""Independent reference (test oracle) for examples/departments/departments_2025.rubric.

Written from the 2025 考核细则 (the scheme quotes it in its comments; the
rules it keeps from 2024 are those of oracle.py's docstring) in plain
Python, without the compiler, and with its own working-day count from the
calendar file (Python's datetime):

    基础工作 (60): as in 2024 (归集 30, 合规 10, 双公示 20)
    综合评价 (40) = 纳税信用 (A级 20, B级 15, C级 8, D级 0) + 个性指标 20 by 部门类别:
      执法部门 公示: every decision the department made this year (a row
        of the decisions table, any number per department): it is late
        when more than 7 working days pass after the day of the decision
        up to and including the day it was published (Monday to Friday,
        less the calendar's 休, plus its 班); 20 less 2 for each late
        decision, down to 0; no decision this year: 20
      服务部门 承诺: 20 less 1 per percentage point under 100%, down to 0
      a department's other kind's indicator is empty, not 0
    加分项 (at most 5) = 表彰 (国家级 5, 省级 3, 市级 1) + 创新 2 + 综合排名 3:
      each department's 归集率 and 双公示及时率, each divided by the highest
      among all departments, added; ranked (the largest first, ties sharing
      the better place); 3 * (count - place + 1) / count
    扣分项 (at most 10) = 失信事件 5 each
    等次: 90 or more 优秀, [80, 90) 良好, [60, 80) 合格, under 60 不合格;
      一票否决 makes any department 不合格, with the treatment
      取消年度评先评优资格
    rank: 1 + the departments with a strictly greater total

Arithmetic as spec/semantics.md#numbers says (tests/common/exact.py).
The generated data holds no open case and breaks no requirement: every
department is complete.

Usage: python3 oracle_2025.py DEPARTMENTS.csv DECISIONS.csv CALENDAR.csv > expected.csv
"""

import csv
import datetime
import os
import sys
from fractions import Fraction

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from exact import ZERO, round18, div36, mul36, fmt, read_cell  # noqa: E402

D = Fraction
TAX = {"A级": D(20), "B级": D(15), "C级": D(8), "D级": D(0)}
HONOUR = {"国家级": D(5), "省级": D(3), "市级": D(1), "无": D(0)}
YES = {"1", "yes", "true", "是"}
PARTS = ["基础", "归集", "合规", "双公示", "评价", "纳税", "公示", "承诺", "加分", "获表彰", "创新举措", "综合排名", "扣分", "失信"]


def calendar(path):
    days = {}
    with open(path, newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            days[datetime.date.fromisoformat(row["date"].strip())] = row["kind"].strip()
    return days


def working(day, cal):
    kind = cal.get(day)
    if kind in ("休", "holiday"):
        return False
    if kind in ("班", "workday"):
        return True
    return day.weekday() < 5


def working_days(start, end, cal):
    """The working days after START up to and including END."""
    n, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        n += working(day, cal)
    return n


def hold(x, lo, hi):
    return min(max(x, lo), hi)


def cell(row, key):
    return row.get(key, "").strip()


def late_decisions(path, cal):
    """The decisions of each department published more than 7 working days after."""
    late = {}
    with open(path, newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            decided = datetime.date.fromisoformat(cell(row, "作出决定日期"))
            published = datetime.date.fromisoformat(cell(row, "上网公示日期"))
            dept = cell(row, "id")
            late[dept] = late.get(dept, 0) + (working_days(decided, published, cal) > 7)
    return late


def score_row(row, cal, late):
    a, due, ok = read_cell(cell(row, "信用信息归集条数")), read_cell(cell(row, "应归集条数")), read_cell(cell(row, "合规条数"))
    rate = read_cell(cell(row, "双公示上报及时率"))
    kind = cell(row, "部门类别")
    p = {}
    share = div36(a, due)
    if share >= D(95, 100):
        p["归集"] = D(30)
    elif share < D(60, 100):
        p["归集"] = ZERO
    else:
        p["归集"] = div36(mul36(D(30), share - D(60, 100)), D(35, 100))
    p["合规"] = hold(mul36(10, div36(ok, a)), 0, 10)
    p["双公示"] = D(20) if rate >= 1 else D(15) if rate >= D(90, 100) else ZERO
    p["基础"] = hold(p["归集"] + p["合规"] + p["双公示"], 0, 60)
    p["纳税"] = TAX[cell(row, "纳税信用等级")]
    p["公示"] = p["承诺"] = None
    if kind == "执法部门":
        p["公示"] = max(D(20) - 2 * late.get(cell(row, "id"), 0), ZERO)
        own = p["公示"]
    else:
        promised = read_cell(cell(row, "信用承诺办理率") or "0")
        p["承诺"] = hold(D(20) - mul36(1 - promised, 100), 0, 20)
        own = p["承诺"]
    p["评价"] = hold(p["纳税"] + own, 0, 40)
    p["获表彰"] = HONOUR[cell(row, "获得表彰") or "无"]
    p["创新举措"] = D(2) if cell(row, "创新举措").lower() in YES else ZERO
    events = read_cell(cell(row, "失信事件数") or "0")
    p["失信"] = hold(min(D(10), 5 * events), 0, 10)
    p["扣分"] = p["失信"]
    veto = cell(row, "发生一票否决事项").lower() in YES
    return p, share, rate, veto


def main(path, decisions_path, cal_path):
    cal = calendar(cal_path)
    late = late_decisions(decisions_path, cal)
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    scored = [(row, *score_row(row, cal, late)) for row in rows]
    # 综合排名: the two ratios to the highest, added, ranked among all departments
    top_share = max(round18(s) for _, _, s, _, _ in scored)
    top_rate = max(round18(r) for _, _, _, r, _ in scored)
    ratio = lambda x, top: div36(round18(x), top) if top > 0 else ZERO
    sums = [round18(ratio(s, top_share) + ratio(r, top_rate)) for _, _, s, r, _ in scored]
    n = len(scored)
    totals = []
    for k, (row, p, _, _, _) in enumerate(scored):
        place = 1 + sum(1 for x in sums if x > sums[k])
        p["综合排名"] = hold(mul36(3, div36(n - place + 1, n)), 0, 3)
        p["加分"] = hold(p["获表彰"] + p["创新举措"] + p["综合排名"], 0, 5)
        totals.append(round18(p["基础"] + p["评价"] + p["加分"] - p["扣分"]))
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["id", "name", "total", "rank", "等次", "等次_treatment"] + PARTS)
    for k, (row, p, _, _, veto) in enumerate(scored):
        total = totals[k]
        grade = "不合格" if veto or total < 60 else "优秀" if total >= 90 else "良好" if total >= 80 else "合格"
        line = [cell(row, "id"), row["name"], fmt(total), str(1 + sum(1 for t in totals if t > total)), grade,
                "取消年度评先评优资格" if grade == "不合格" else ""]
        line += ["" if p[q] is None else fmt(round18(p[q])) for q in PARTS]
        out.writerow(line)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])
