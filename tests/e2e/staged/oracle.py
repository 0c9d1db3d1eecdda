#!/usr/bin/env python3
"""oracle.py ENTITIES.csv: the scores of staged.rubric,
worked from the document's words (its comment), not from rubric's code:

1. 注册企业比例（注册企业数 / 注册企业总数）最高的得 10 分，其他的按比例计分;
   授信金额按占全县的比重计 10 分; 两项得分合计排名，第一名得 20 分，其他的按
   名次比例计分: (镇街数 - 名次 + 1) / 镇街数 of 20, where a town's place is
   1 + the number of towns of its county with a greater sum (ties share it).
2. 归集量比重与授信比重之和，最高的得 10 分，其他的按比例计分.
3. 按归集量比重排名，名次最前的得 10 分，最后的不得分，其他的按名次比例计分:
   (最后名次 - 名次) / (最后名次 - 最前名次) of 10, all 10 when every town ties.

Towns are compared within their county (the parent column). A town with no
registered firms has no ratio: item 1 cannot be computed for any town of its
county. A records cell that is not a number (scored with --partial-data) makes item 2
and 3 fail for every town of its county. Prints id,total,combined,shares,places
with exact fractions ('-' where a value cannot be computed), one line per town,
and the county rank of each complete total.
"""
import csv
import sys
from fractions import Fraction as F


def q18(x):
    """A value compared among the towns, as the scheme states it: to 18 decimals, half up."""
    scaled = x * 10**18
    n = scaled.numerator // scaled.denominator
    if scaled - n >= F(1, 2):
        n += 1
    return F(n, 10**18)


def cell(text):
    return F(text.strip())


def main():
    rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
    counties = {}
    for r in rows:
        counties.setdefault(r["parent"], []).append(r)
    out = {}
    for towns in counties.values():
        n = len(towns)
        # item 1: the two scores, then the place of their sum
        broken1 = any(cell(t["registered"]) == 0 for t in towns)
        combined = {}
        if not broken1:
            ratio = {t["id"]: q18(cell(t["xyd_firms"]) / cell(t["registered"])) for t in towns}
            best = max(ratio.values())
            credit_total = sum(cell(t["credit_yuan"]) for t in towns)
            score_sum = {}
            for t in towns:
                firms = 10 * (ratio[t["id"]] / best if best > 0 else 0)
                credit = 10 * (cell(t["credit_yuan"]) / credit_total if credit_total > 0 else 0)
                score_sum[t["id"]] = q18(firms + credit)
            for t in towns:
                place = 1 + sum(1 for v in score_sum.values() if v > score_sum[t["id"]])
                combined[t["id"]] = F(20 * (n - place + 1), n)
        # items 2 and 3: shares of the county's records and credit
        broken23 = any(not t["records"].strip().isdigit() for t in towns)
        shares, places = {}, {}
        if not broken23:
            records_total = sum(cell(t["records"]) for t in towns)
            credit_total = sum(cell(t["credit_yuan"]) for t in towns)
            rec_share = {t["id"]: q18(cell(t["records"]) / records_total if records_total > 0 else F(0)) for t in towns}
            both = {t["id"]: q18(rec_share[t["id"]] + (cell(t["credit_yuan"]) / credit_total if credit_total > 0 else 0))
                    for t in towns}
            top = max(both.values())
            for t in towns:
                shares[t["id"]] = 10 * (both[t["id"]] / top) if top > 0 else F(0)
            place = {i: 1 + sum(1 for v in rec_share.values() if v > s) for i, s in rec_share.items()}
            first, last = min(place.values()), max(place.values())
            for t in towns:
                places[t["id"]] = F(10) if first == last else F(10 * (last - place[t["id"]]), last - first)
        totals = {}
        for t in towns:
            parts = [combined.get(t["id"]), shares.get(t["id"]), places.get(t["id"])]
            totals[t["id"]] = None if any(p is None for p in parts) else sum(parts)
        for t in towns:
            i = t["id"]
            tot = totals[i]
            rank = None if tot is None else 1 + sum(1 for v in totals.values() if v is not None and v > tot)
            out[i] = (tot, rank, combined.get(i), shares.get(i), places.get(i))
    for r in rows:
        tot, rank, *parts = out[r["id"]]
        show = lambda v: "-" if v is None else "%d/%d" % (v.numerator, v.denominator)
        print(",".join([r["id"], show(tot), "-" if rank is None else str(rank)] + [show(p) for p in parts]))


if __name__ == "__main__":
    main()
