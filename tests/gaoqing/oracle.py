#!/usr/bin/env python3
"""Independent reference (test oracle) for the Gaoqing 2021 schemes.

Written from the document (高政办字〔2021〕17号, 高青县关于进一步推进社会信用
体系建设的实施意见, /work/shared/seeds/004_d0bf121ec2a8c2b8.txt) and the choices
stated in examples/gaoqing/gaoqing_2021.rubric, in plain Python, without the
compiler.

Usage:
    python3 oracle.py departments DEPARTMENTS.csv > targets.csv
    python3 oracle.py firms FIRMS.csv > scores.csv

departments: the targets table (id,name,target,title,value,goal,met,margin)
  for the one target: rate = records_realtime / records_due >= 90%;
  margin = rate - 0.9.
firms: the scores table id,name,total,rank,credit,credit_treatment,composite,
  penalties, where
    composite = composite_score / 1000 * 80      (0..80)
    penalties = max(0, 20 - 5 * penalty_records) (an empty cell is 0 records)
    total     = composite + penalties
    rank      = 1 + the number of firms with a strictly greater total
    credit    = the band of the total (spec/semantics.md#numbers: inside a rule
                a quotient is rounded half up to 36 decimals; each score, and
                the total from the parts as computed, half up to 18):
                >= 85 诚信守法; [70, 85) 轻微失信; [60, 70) 一般失信; < 60 严重失信
  with each band's treatment quoted from the document (分级分类监管).
"""

import csv
import os
import sys
from fractions import Fraction

# The number semantics every oracle shares (spec/semantics.md#numbers: a
# quotient inside a rule rounded half up to 36 decimals, a result half up to
# 18; the cell grammar of spec/data.md; fmt prints a number as Rubric does):
# tests/common/exact.py.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from exact import ZERO, CellError, round18, div36, mul36, fmt, read_cell  # noqa: E402

SHARING_TITLE = "2021年底社会信用信息部门实时共享率达到90%"

BANDS = [
    # (name, low end (inclusive) or None, treatment)
    ("诚信守法", 85.0, "除疫苗、药品、特种设备、危险化学品等重点特殊领域及依法依规确需进行现场检查的情形外，实行“非请勿扰”"),
    ("轻微失信", 70.0, "除上级安排部署和每年进行一次随机性联合检查外，一般不再安排其他检查"),
    ("一般失信", 60.0, "除上级安排部署和每年进行一次随机性联合检查外，一般不再安排其他检查"),
    ("严重失信", None, "加大抽查检查力度和频次，依法依规处罚管控"),
]


class DataError(Exception):
    pass


def number(row, col, optional=False):
    """A number cell (spec/data.md, "Cell values") as its exact value; an
    empty cell is 0 where the input says `missing 0` (optional)."""
    text = (row.get(col) or "").strip()
    if text == "":
        if optional:
            return ZERO
        raise DataError("%s: missing value in column %s" % (row.get("id"), col))
    try:
        return read_cell(text)
    except CellError as err:
        raise DataError("%s: column %s: %s" % (row.get("id"), col, err)) from None


def band(total):
    t = total
    for name, low, treatment in BANDS:
        if low is None or t >= low:
            return name, treatment
    raise AssertionError(total)


def departments(rows, out):
    out.writerow(["id", "name", "target", "title", "value", "goal", "met", "margin"])
    for r in rows:
        due = number(r, "records_due")
        if due < 1:
            raise DataError("%s: records_due must be at least 1" % r["id"])
        rate = round18(div36(number(r, "records_realtime"), due))
        goal = Fraction(9, 10)
        out.writerow([r["id"].strip(), r.get("name", ""), "realtime_sharing",
                      SHARING_TITLE, fmt(rate), fmt(goal),
                      "yes" if rate >= goal else "no", fmt(rate - goal)])


def firms(rows, out):
    scored = []
    for r in rows:
        x = number(r, "composite_score")
        if not 0 <= x <= 1000:
            raise DataError("%s: composite_score outside [0, 1000]" % r["id"])
        p = number(r, "penalty_records", optional=True)
        composite = min(Fraction(80), max(ZERO, mul36(div36(x, 1000), 80)))
        penalties = min(Fraction(20), max(ZERO, 20 - 5 * p))
        # the total adds the parts as computed, then is rounded like them
        scored.append((r, round18(composite + penalties), round18(composite), round18(penalties)))
    totals = [s[1] for s in scored]
    out.writerow(["id", "name", "total", "rank", "credit", "credit_treatment",
                  "composite", "penalties"])
    for r, total, composite, penalties in scored:
        rank = 1 + sum(1 for t in totals if t > total)
        name, treatment = band(total)
        out.writerow([r["id"].strip(), r.get("name", ""), fmt(total), rank,
                      name, treatment, fmt(composite), fmt(penalties)])


def main(argv):
    if len(argv) != 3 or argv[1] not in ("departments", "firms"):
        sys.stderr.write(__doc__.split("\n\n")[1] + "\n")
        return 2
    with open(argv[2], newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    out = csv.writer(sys.stdout, lineterminator="\n")
    try:
        (departments if argv[1] == "departments" else firms)(rows, out)
    except DataError as err:
        sys.stderr.write("oracle: %s\n" % err)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
