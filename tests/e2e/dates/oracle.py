#!/usr/bin/env python3
"""Independent oracle for tests/e2e/dates.sh, written from the documents' words
with Python's datetime, not from the C code.

    oracle.py gen OUT_DIR N SEED   the 2024-2025 calendar, N entities, the scheme's expected scores
    oracle.py score CALENDAR ENTITIES   expected id,total,时效,迟报 per entity (CSV)

The scheme (dates.sh) reads:
  行政处罚信息应自作出决定之日起 7 个工作日内上网公示 (10 points; 5 when not, but
  within 30 calendar days); 上报时间超过决定之日起 20 个工作日的，扣 4 分 (a
  deduction section of 4 points).
"自…之日起 N 个工作日": the day of the decision is not counted (期间开始之日不计算在
内); a working day is Monday to Friday unless the State Council's notice makes it
a holiday, or a Saturday or Sunday the notice makes a working day (调休上班).
"""
import csv
import datetime as dt
import random
import sys

# 国务院办公厅关于 2024 年、2025 年部分节假日安排的通知 (元旦, 春节, 清明, 劳动节, 端午, 中秋, 国庆)
HOLIDAYS_2024 = [("2024-01-01", "2024-01-01"), ("2024-02-10", "2024-02-17"), ("2024-04-04", "2024-04-06"),
                 ("2024-05-01", "2024-05-05"), ("2024-06-10", "2024-06-10"), ("2024-09-15", "2024-09-17"),
                 ("2024-10-01", "2024-10-07")]
SWAPPED_2024 = ["2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14", "2024-09-29",
                "2024-10-12"]
HOLIDAYS_2025 = [("2025-01-01", "2025-01-01"), ("2025-01-28", "2025-02-04"), ("2025-04-04", "2025-04-06"),
                 ("2025-05-01", "2025-05-05"), ("2025-05-31", "2025-06-02"), ("2025-10-01", "2025-10-08")]
SWAPPED_2025 = ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"]


def day(s):
    return dt.date.fromisoformat(s)


def calendar_rows():
    rows = []
    for a, b in HOLIDAYS_2024 + HOLIDAYS_2025:
        d = day(a)
        while d <= day(b):
            rows.append((d, "休" if d.year == 2024 else "holiday"))
            d += dt.timedelta(days=1)
    rows += [(day(s), "班" if s < "2025" else "workday") for s in SWAPPED_2024 + SWAPPED_2025]
    return rows


def read_calendar(path):
    off, on = set(), set()
    with open(path, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            d = parse(r["date"])
            (off if r["kind"] in ("休", "holiday") else on).add(d)
    return off, on


def parse(text):
    t = text.strip()
    if "年" in t:
        y, rest = t.split("年")
        m, rest = rest.split("月")
        return dt.date(int(y), int(m), int(rest.rstrip("日")))
    y, m, d = t.replace("/", "-").split("-")
    return dt.date(int(y), int(m), int(d))


def working(d, off, on):
    if d in on:
        return True
    return d.weekday() < 5 and d not in off


def workdays(a, b, off, on):
    """The working days after a up to and including b; negative when b is before a."""
    if b < a:
        return -workdays(b, a, off, on)
    n, d = 0, a + dt.timedelta(days=1)
    while d <= b:
        n += working(d, off, on)
        d += dt.timedelta(days=1)
    return n


def written(d, k):
    return [d.isoformat(), f"{d.year}/{d.month}/{d.day}", f"{d.year}年{d.month}月{d.day}日"][k % 3]


def gen(out, n, seed):
    rnd = random.Random(seed)
    with open(f"{out}/calendar.csv", "w", encoding="utf-8") as f:
        f.write("date,kind\n")
        rows = calendar_rows()
        rnd.shuffle(rows)  # any order
        for d, k in rows:
            f.write(f"{d.isoformat() if rnd.random() < 0.8 else written(d, 2)},{k}\n")
    start = dt.date(2024, 1, 1)
    with open(f"{out}/entities.csv", "w", encoding="utf-8") as f:
        f.write("id,name,决定日期,公示日期\n")
        for i in range(n):
            a = start + dt.timedelta(days=rnd.randrange(0, 640))
            # near the holidays more often: the cases where 调休 matters
            if rnd.random() < 0.3:
                a = rnd.choice([day("2024-02-08"), day("2024-09-27"), day("2024-09-30"), day("2024-04-30"),
                                day("2025-01-24"), day("2024-12-31"), day("2025-09-26")]) + dt.timedelta(days=rnd.randrange(-3, 4))
            b = a + dt.timedelta(days=rnd.randrange(-2, 50))
            if b.year > 2025:
                b = dt.date(2025, 12, 31)
            f.write(f"E{i:05d},对象{i},{written(a, rnd.randrange(3))},{written(b, rnd.randrange(3))}\n")


def fmt(x):
    return str(x)


def score(cal, ents):
    off, on = read_calendar(cal)
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["id", "total", "时效", "迟报"])
    with open(ents, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            a, b = parse(r["决定日期"]), parse(r["公示日期"])
            n = workdays(a, b, off, on)
            timely = 10 if n <= 7 else 5 if (b - a).days <= 30 else 0
            late = 4 if n > 20 else 0
            w.writerow([r["id"], fmt(timely - late), fmt(timely), fmt(late)])


if __name__ == "__main__":
    if sys.argv[1] == "gen":
        gen(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        score(sys.argv[2], sys.argv[3])
