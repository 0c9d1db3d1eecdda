#!/usr/bin/env python3
"""Check the document of `rubric score --format json` against the CSV tables
of the same run.

Usage:
    python3 check_json.py DOC.json --scheme ID [--targets TARGETS.csv]
                          [--scores SCORES.csv --grades G1,G2 --parts P1,P2]

The document must parse with the json module and be
  {"scheme": ID, "title": ..., "entities": [{"id", "name", ["parent"],
   ["total", "rank"], "grades": {gid: {"band", "treatment"}},
   "scores": {path: x}, "targets": {tid: {"value", "goal", "met", "margin"}}}]}
with the entities in the order of the CSV tables.  Numbers must agree with
the CSV to 1e-9 (relative to the larger of |x| and 1), `met` must be true
exactly where the CSV says yes, and bands and treatments must be the CSV's
text.  Exit status 0 iff everything agrees.
"""

import argparse
import csv
import json
import sys

TOL = 1e-9


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def close(a, b):
    return (isinstance(a, (int, float)) and not isinstance(a, bool)
            and abs(float(a) - float(b)) <= TOL * max(1.0, abs(float(b))))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("doc")
    ap.add_argument("--scheme", required=True)
    ap.add_argument("--targets")
    ap.add_argument("--scores")
    ap.add_argument("--grades", default="")
    ap.add_argument("--parts", default="")
    args = ap.parse_args()

    errors = []

    def err(msg):
        errors.append(msg)

    with open(args.doc, encoding="utf-8") as f:
        try:
            doc = json.load(f)
        except json.JSONDecodeError as e:
            print("FAIL: %s does not parse as JSON: %s" % (args.doc, e))
            return 1
    if not isinstance(doc, dict):
        print("FAIL: the document is not an object")
        return 1
    if doc.get("scheme") != args.scheme:
        err("scheme is %r, not %r" % (doc.get("scheme"), args.scheme))
    if not isinstance(doc.get("title"), str):
        err("no title")
    ents = doc.get("entities")
    if not isinstance(ents, list):
        print("FAIL: no entities list")
        return 1

    if args.targets:
        rows = read_csv(args.targets)
        by_id = {}
        order = []
        for r in rows:
            if r["id"] not in by_id:
                by_id[r["id"]] = []
                order.append(r["id"])
            by_id[r["id"]].append(r)
        if [e.get("id") for e in ents] != order:
            err("entity ids or order differ from the targets table")
        for e in ents:
            rs = by_id.get(e.get("id"), [])
            t = e.get("targets")
            if not isinstance(t, dict):
                err("entity %s: no targets object" % e.get("id"))
                continue
            if list(t.keys()) != [r["target"] for r in rs]:
                err("entity %s: targets %s, CSV has %s"
                    % (e.get("id"), list(t.keys()), [r["target"] for r in rs]))
                continue
            if rs and e.get("name", "") != rs[0]["name"]:
                err("entity %s: name %r, CSV %r" % (e["id"], e.get("name"), rs[0]["name"]))
            for r in rs:
                j = t[r["target"]]
                for c in ("value", "goal", "margin"):
                    if not close(j.get(c), r[c]):
                        err("entity %s target %s: %s %r, CSV %s"
                            % (e["id"], r["target"], c, j.get(c), r[c]))
                if j.get("met") is not (r["met"] == "yes") or r["met"] not in ("yes", "no"):
                    err("entity %s target %s: met %r, CSV %s"
                        % (e["id"], r["target"], j.get("met"), r["met"]))

    if args.scores:
        rows = read_csv(args.scores)
        grades = [g for g in args.grades.split(",") if g]
        parts = [p for p in args.parts.split(",") if p]
        if [e.get("id") for e in ents] != [r["id"] for r in rows]:
            err("entity ids or order differ from the scores table")
        for e, r in zip(ents, rows):
            rid = r["id"]
            if e.get("name", "") != r["name"]:
                err("entity %s: name %r, CSV %r" % (rid, e.get("name"), r["name"]))
            if not close(e.get("total"), r["total"]):
                err("entity %s: total %r, CSV %s" % (rid, e.get("total"), r["total"]))
            if not close(e.get("rank"), r["rank"]) or int(r["rank"]) != e.get("rank"):
                err("entity %s: rank %r, CSV %s" % (rid, e.get("rank"), r["rank"]))
            g = e.get("grades", {})
            if list(g.keys()) != grades:
                err("entity %s: grades %s, expected %s" % (rid, list(g.keys()), grades))
            for gid in grades:
                band = g.get(gid, {})
                if band.get("band") != r[gid]:
                    err("entity %s: %s band %r, CSV %r" % (rid, gid, band.get("band"), r[gid]))
                if band.get("treatment") != r[gid + "_treatment"]:
                    err("entity %s: %s treatment %r, CSV %r"
                        % (rid, gid, band.get("treatment"), r[gid + "_treatment"]))
            s = e.get("scores", {})
            if list(s.keys()) != parts:
                err("entity %s: scores %s, expected %s" % (rid, list(s.keys()), parts))
            for p in parts:
                if not close(s.get(p), r[p]):
                    err("entity %s: score %s %r, CSV %s" % (rid, p, s.get(p), r[p]))

    for m in errors[:20]:
        print("FAIL: " + m)
    if len(errors) > 20:
        print("... and %d more" % (len(errors) - 20))
    print("json: %d entities, %d problems" % (len(ents), len(errors)))
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main())
