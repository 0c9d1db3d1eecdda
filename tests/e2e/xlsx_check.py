"""xlsx_check.py BOOK.xlsx SCORES.csv [TARGETS.csv]: the workbook `rubric score
--format xlsx` wrote, read by an independent reader (openpyxl, Debian's
python3-openpyxl), holds the same values as the CSV tables rubric wrote with
--titles --sort rank and the same --decimals: every cell, in the same order;
numbers stored as numbers (16 significant digits); the header row frozen with the names beside it.
The points-lost sheet agrees with the scores sheet: each row's score is the
entity's score for that indicator, its loss is points - score (or, in a
deduction, the score itself), largest first."""
import csv
import sys
from decimal import Decimal

import openpyxl

book, scores_csv = sys.argv[1], sys.argv[2]
targets_csv = sys.argv[3] if len(sys.argv) > 3 else None
wb = openpyxl.load_workbook(book)
fails = []


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def close(text, cell):
    """A workbook number is a double written with 16 significant digits
    (Excel shows 15): exactly the CSV's decimal when that has 15 or fewer,
    else within a unit of the 16th digit."""
    d = Decimal(text)
    digits = len(d.as_tuple().digits)
    if digits <= 15:
        return float(d) == float(cell)
    return abs(float(cell) - float(d)) <= abs(float(d)) * 1e-15


def same(sheet, rows, what):
    got = [list(r) for r in sheet.iter_rows(values_only=True)]
    if len(got) != len(rows):
        fails.append("%s: %d rows in the sheet, %d in the CSV" % (what, len(got), len(rows)))
        return
    for i, (g, want) in enumerate(zip(got, rows)):
        g = g + [None] * (len(want) - len(g))
        if len(g) != len(want):
            fails.append("%s row %d: %d cells, CSV has %d" % (what, i + 1, len(g), len(want)))
            continue
        for j, (cell, text) in enumerate(zip(g, want)):
            where = "%s %s%d" % (what, openpyxl.utils.get_column_letter(j + 1), i + 1)
            if text == "":
                if cell not in (None, ""):
                    fails.append("%s: %r where the CSV is empty" % (where, cell))
            elif i > 0 and isinstance(cell, (int, float)) and not isinstance(cell, bool):
                if not close(text, cell):
                    fails.append("%s: %r, CSV %s" % (where, cell, text))
            elif str(cell) != text:
                try:
                    Decimal(text)
                    fails.append("%s: %r is not stored as a number (CSV %s)" % (where, cell, text))
                except Exception:
                    fails.append("%s: %r, CSV %r" % (where, cell, text))


scores = read_csv(scores_csv)
ws = wb[wb.sheetnames[0]]
same(ws, scores, "scores")
if ws.freeze_panes != "C2":
    fails.append("scores: frozen at %r, not C2 (header row, id and name)" % ws.freeze_panes)
if not ws["A1"].font.b:
    fails.append("scores: the header row is not bold")
numbers = [c for c in ws[2] if isinstance(c.value, float) and c.value != int(c.value)]
for c in numbers:
    if c.number_format in ("General", "0"):
        fails.append("scores %s: %r shown as %r" % (c.coordinate, c.value, c.number_format))

if targets_csv:
    same(wb["targets"], read_csv(targets_csv), "targets")

if "points lost" in wb.sheetnames:
    head = scores[0]
    by_id = {r[0]: r for r in scores[1:]}
    lost = list(wb["points lost"].iter_rows(values_only=True))
    if list(lost[0]) != ["id", "name", "indicator", "points", "score", "lost"]:
        fails.append("points lost: header %r" % (lost[0],))
    order = [r[0] for r in scores[1:]]
    last = {}
    for k, (eid, name, title, points, score, loss) in enumerate(lost[1:], 2):
        row = by_id.get(eid)
        if row is None or title not in head:
            fails.append("points lost row %d: %r / %r not in the scores" % (k, eid, title))
            continue
        if not close(row[head.index(title)], score):
            fails.append("points lost row %d: score %r, the scores sheet has %s" % (k, score, row[head.index(title)]))
        if abs(loss - (points - score)) > 1e-9 and abs(loss - score) > 1e-9:
            fails.append("points lost row %d: lost %r is neither %r - %r nor the deduction" % (k, loss, points, score))
        if loss <= 0:
            fails.append("points lost row %d: a loss of %r" % (k, loss))
        if eid in last and last[eid] < loss:
            fails.append("points lost row %d: not largest first for %s" % (k, eid))
        last[eid] = loss
    seen = []
    for r in lost[1:]:
        if not seen or seen[-1] != r[0]:
            seen.append(r[0])
    if seen != [e for e in order if e in seen]:
        fails.append("points lost: entities not in the scores sheet's order")
    if not lost[1:]:
        fails.append("points lost: no row (every seed entity loses points somewhere)")

for f in fails[:20]:
    print("FAIL: %s: %s" % (book, f))
sys.exit(1 if fails else 0)
