#!/usr/bin/env python3
"""Deterministic departments for examples/departments/departments_2025.rubric,
headed by the inputs' titles: both kinds, 归集率 at 60% and 95% and either
side, 双公示 rates at 89.9%, 90% and 100%, 承诺办理率 with fractions of a
point, decisions dated around the 2025 holidays (春节, 五一, 国庆 and their
调休 working days) and published 0 to 20 days later, written to a table of
decisions of their own (0 to 10 per enforcement department, a few for service
departments, whose score does not read them; rows shuffled), departments with
no decision, vetoes, and ties in the ranking. Every department is complete (no
open case, no broken requirement).

Usage: python3 gen_data_2025.py N SEED DECISIONS.csv > departments.csv
"""

import csv
import datetime
import random
import sys


def main(n, seed, decisions_path):
    r = random.Random(seed)
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["id", "name", "部门类别", "信用信息归集条数", "应归集条数", "合规条数", "双公示上报及时率", "纳税信用等级",
                  "信用承诺办理率", "获得表彰", "创新举措", "失信事件数", "发生一票否决事项"])
    decisions = []
    near = [datetime.date(2025, 1, 24), datetime.date(2025, 1, 27), datetime.date(2025, 4, 30),
            datetime.date(2025, 9, 26), datetime.date(2025, 9, 30), datetime.date(2025, 6, 3)]
    for i in range(n):
        kind = r.choice(["执法部门", "服务部门"])
        due = r.choice([100, 200, 1000, 1200, 3000])
        pick = r.random()
        got = due * 60 // 100 + r.choice([-1, 0, 1]) if pick < 0.15 else \
            due * 95 // 100 + r.choice([-1, 0, 1]) if pick < 0.3 else r.randint(1, due + due // 10)
        ok = r.randint(0, got)
        rate = r.choice(["89.9%", "90%", "100%", "0.9", "1", "75%"])
        promised = r.choice(["100%", "99.5%", "95%", "80%", "0.5", "1", ""]) if kind == "服务部门" else ""
        many = (r.randint(1, 10) if r.random() < 0.85 else 0) if kind == "执法部门" else \
            (r.randint(1, 2) if r.random() < 0.1 else 0)
        for _ in range(many):
            d = r.choice(near) if r.random() < 0.6 else datetime.date(2025, 1, 2) + datetime.timedelta(days=r.randint(0, 330))
            decisions.append(["B%04d" % i, d.isoformat(), (d + datetime.timedelta(days=r.randint(0, 20))).isoformat()])
        out.writerow(["B%04d" % i, "部门%d" % i, kind, got, due, ok, rate, r.choice(["A级", "B级", "C级", "D级"]), promised,
                      r.choice(["国家级", "省级", "市级", "无", ""]), r.choice(["是", "否", ""]), r.choice(["0", "1", "3", ""]),
                      r.choice(["否", "否", "否", "是", ""])])
    r.shuffle(decisions)
    with open(decisions_path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "作出决定日期", "上网公示日期"])
        w.writerows(decisions)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3])
