#!/usr/bin/env python3
"""Independent oracle and data generator for tests/e2e/records_oracle.sh.

Written from the document the scheme quotes (records.rubric), not from the
compiler or the runtime, with its own working-day count (Python's datetime,
day by day) over the generated holiday calendar:

  一、公示时效 (10): a decision is late when more than 7 working days pass
     after the day of the decision up to and including the day it is
     published (the day of the decision is not counted; a working day is
     Monday to Friday unless the calendar says 休, and any day the calendar
     says 班, 调休上班); 0.5 off for each late decision, down to 0.
  二、严重超期 (5): a decision under 一般程序 published more than 20
     calendar days after it was made; 2 off for each, down to 0.
  三、公示数量 (5): 0.5 for each decision, at most 5.
  A department with no decision: 10, 5 and 0.
  total: the sum; rank: 1 + the departments with a greater total.

Usage:
  oracle.py gen DIR N SEED       writes DIR/calendar.csv, depts.csv, decisions.csv
  oracle.py score CAL DEPTS DECISIONS > expected.csv
"""

import csv
import datetime
import os
import random
import re
import sys
from decimal import Decimal

DAY = datetime.timedelta(days=1)
YEARS = (2024, 2025)


# ---------------------------------------------------------------- dates

def parse_day(text):
    text = text.strip()
    m = (re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text) or re.fullmatch(r"(\d{4})/(\d{1,2})/(\d{1,2})", text)
         or re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", text))
    if not m:
        raise ValueError("not a date: %r" % text)
    return datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def write_day(day, r):
    """A day written one of the three ways a cell may write it."""
    return r.choice([day.isoformat(), "%d/%d/%d" % (day.year, day.month, day.day),
                     "%d年%d月%d日" % (day.year, day.month, day.day)])


def read_calendar(path):
    kinds = {}
    with open(path, newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            kinds[parse_day(row["date"])] = row["kind"].strip()
    return kinds


def is_working(day, kinds):
    k = kinds.get(day)
    if k in ("休", "holiday"):
        return False
    if k in ("班", "workday"):
        return True
    return day.weekday() < 5


def working_days_after(start, end, kinds):
    """自作出决定之日起: the days after START up to and including END that are working days."""
    n, day = 0, start
    while day < end:
        day += DAY
        if is_working(day, kinds):
            n += 1
    return n


# ---------------------------------------------------------------- generation

def holidays(year, r):
    """(first day, length) of each holiday block of a year, shaped like the State Council's notices."""
    spring = datetime.date(year, 1, 21) + datetime.timedelta(days=r.randint(0, 25))
    return [(datetime.date(year, 1, 1), 1), (spring, 8), (datetime.date(year, 4, 4), 3),
            (datetime.date(year, 5, 1), 5), (datetime.date(year, 6, 8) + datetime.timedelta(days=r.randint(0, 14)), 3),
            (datetime.date(year, 9, 14) + datetime.timedelta(days=r.randint(0, 10)), 2), (datetime.date(year, 10, 1), 7)]


def gen_calendar(r):
    rows = {}
    for year in YEARS:
        for first, length in holidays(year, r):
            for k in range(length):
                day = first + k * DAY
                if day.weekday() < 5 or r.random() < 0.5:  # weekend days of a holiday: listed or not
                    rows[day] = r.choice(["休", "休", "holiday"])
            if length >= 5:  # 调休: a weekend day before and one after are worked
                for step in (-DAY, DAY):
                    day = first - DAY if step < datetime.timedelta(0) else first + length * DAY
                    while day.weekday() < 5:
                        day += step
                    if day.year == year and day not in rows:
                        rows[day] = r.choice(["班", "班", "workday"])
    out = [(write_day(d, r), k) for d, k in rows.items()]
    r.shuffle(out)
    return out, rows


def gen(folder, n, seed):
    r = random.Random(seed)
    cal_rows, kinds = gen_calendar(r)
    with open(os.path.join(folder, "calendar.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["date", "kind"])
        w.writerows(cal_rows)
    near = sorted(d for d in kinds)  # decisions close before holidays and 调休 days
    first, last = datetime.date(2024, 1, 1), datetime.date(2025, 11, 30)
    depts, decisions = [], []
    for i in range(n):
        dept = "Z%04d" % i
        depts.append([dept, "部门%d" % i])
        many = r.choice([0, 0, 1, 2, 3, 5, 8, 10, 11, 12, r.randint(0, 12)])
        for _ in range(many):
            if r.random() < 0.5:
                made = r.choice(near) - datetime.timedelta(days=r.randint(0, 9))
            else:
                made = first + datetime.timedelta(days=r.randint(0, (last - first).days))
            made = max(made, first)
            wait = r.choice([r.randint(0, 12), r.randint(0, 12), r.randint(5, 14), r.randint(15, 30)])
            published = made + datetime.timedelta(days=wait)
            decisions.append([dept, write_day(made, r), write_day(published, r),
                              r.choice(["简易程序", "一般程序", "一般程序"])])
    r.shuffle(decisions)
    with open(os.path.join(folder, "depts.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "name"])
        w.writerows(depts)
    with open(os.path.join(folder, "decisions.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        # the three ways a field's column is found: its title, its name, its column "..."
        w.writerow(["id", "作出决定日期", "公示日期", "程序类型"])
        w.writerows(decisions)


# ---------------------------------------------------------------- scoring

def number(x):
    """As the scores table writes a number: no trailing zeros, no exponent."""
    text = format(Decimal(x).normalize(), "f")
    return "0" if text in ("0", "-0") else text


def score(cal_path, depts_path, decisions_path):
    kinds = read_calendar(cal_path)
    with open(depts_path, newline="", encoding="utf-8-sig") as f:
        depts = list(csv.DictReader(f))
    late, serious, made = {}, {}, {}
    with open(decisions_path, newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            dept = row["id"].strip()
            a, b = parse_day(row["作出决定日期"]), parse_day(row["公示日期"])
            made[dept] = made.get(dept, 0) + 1
            if working_days_after(a, b, kinds) > 7:
                late[dept] = late.get(dept, 0) + 1
            if row["程序类型"].strip() == "一般程序" and (b - a).days > 20:
                serious[dept] = serious.get(dept, 0) + 1
    rows = []
    for d in depts:
        dept = d["id"].strip()
        timely = max(Decimal(10) - Decimal("0.5") * late.get(dept, 0), Decimal(0))
        overdue = max(Decimal(5) - 2 * serious.get(dept, 0), Decimal(0))
        count = min(Decimal("0.5") * made.get(dept, 0), Decimal(5))
        rows.append((dept, d["name"], timely + overdue + count, timely, overdue, count))
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["id", "name", "total", "rank", "公示时效", "严重超期", "公示数量"])
    for dept, name, total, timely, overdue, count in rows:
        rank = 1 + sum(1 for other in rows if other[2] > total)
        out.writerow([dept, name, number(total), rank, number(timely), number(overdue), number(count)])


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "gen":
        gen(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif len(sys.argv) == 5 and sys.argv[1] == "score":
        score(*sys.argv[2:])
    else:
        sys.exit(__doc__)
