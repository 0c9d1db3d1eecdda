#!/usr/bin/env python3
"""Deterministic departments for examples/departments/departments_2024.rubric,
headed by the inputs' titles: 归集率 exactly at 60% and 95% and one record
either side, 双公示 rates at 89.9%, 90% and 100% (written as percentages and
as fractions), every 纳税 level, empty 表彰, 创新 and 失信 cells, departments
with no records (an open case), and some whose 合规条数 exceeds 归集条数 (a
requirement the data breaks).

Usage: python3 gen_data.py N SEED > departments.csv
"""

import csv
import random
import sys


def main(n, seed):
    r = random.Random(seed)
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["id", "name", "信用信息归集条数", "应归集条数", "合规条数", "双公示上报及时率", "纳税信用等级",
                  "诚信宣传自评分", "诚信宣传中心评分", "获得表彰", "创新举措", "失信事件数"])
    for i in range(n):
        due = r.choice([100, 200, 700, 1000, 2000, 3000, 12345])
        kind = r.random()
        if kind < 0.15:
            got = due * 60 // 100 + r.choice([-1, 0, 0, 1])
        elif kind < 0.3:
            got = due * 95 // 100 + r.choice([-1, 0, 0, 1])
        elif kind < 0.35:
            got = 0
        else:
            got = r.randint(0, due + due // 10)
        ok = got if r.random() < 0.1 else r.randint(0, got) if got else 0
        if r.random() < 0.05:
            ok = got + r.randint(1, 5)  # breaks the requirement
        rate = r.choice(["89.9%", "90%", "100%", "0.9", "1", "0.95", "75%", "0.899"])
        level = r.choice(["A级", "B级", "C级", "D级"])
        centre = r.choice(["0", "20", "19.5", "12.25", "8", "16"])
        self_score = r.choice(["20", "18", "15.5", "0"])
        honour = r.choice(["国家级", "省级", "市级", "无", ""])
        innov = r.choice(["是", "否", "yes", "no", ""])
        events = r.choice(["0", "1", "2", "3", ""])
        out.writerow(["d%05d" % i, "部门%d" % i, got, due, ok, rate, level, self_score, centre, honour, innov, events])


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
