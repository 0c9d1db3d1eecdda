"""seeds.py: the five seed schemes of examples/ on thousands of generated rows
(run.py seeds RUBRIC REF SRC_DIR [--rows N]).

Each seed's own generator (tests/<seed>/gen_data.py) writes the tables; every
scheme of the seed is scored by rubric and by rubric-ref, which must write
the same bytes. On rubric's output, entities with exactly equal totals must
share a rank (1 + the number of peers with a greater total).
"""

import csv
import os
import shutil
import subprocess
import sys
import tempfile
from fractions import Fraction


def datasets(src, rows):
    """(name, seed, generator arguments, [(scheme id, job options)])."""
    n = rows
    return [
        ("chengwu", "chengwu_2022", ["--counties", str(n), "--seed", "2022"],
         [("chengwu_2022", [("--entities", "entities.csv"), ("--periods", "periods.csv")])]),
        ("linyi", "linyi_2019", ["--counties", str(n), "--seed", "2019", "--profile", "ties"],
         [("linyi_2019", [("--entities", "entities.csv"), ("--periods", "periods.csv")])]),
        ("linyi", "linyi_2019", ["--counties", str(n), "--seed", "7", "--profile", "mixed"],
         [("linyi_2019", [("--entities", "entities.csv"), ("--periods", "periods.csv")])]),
        ("pingyin", "pingyin_2022", ["--towns", str(n // 2), "--departments", str(n // 2), "--seed", "2022", "--sparse"],
         [("pingyin_towns", [("--entities", "towns.csv"), ("--periods", "towns_months.csv")]),
          ("pingyin_departments", [("--entities", "departments.csv"), ("--periods", "departments_months.csv")])]),
        ("pingyin", "pingyin_2022", ["--towns", str(n // 4), "--departments", str(n // 4), "--seed", "5", "--all-equal"],
         [("pingyin_towns", [("--entities", "towns.csv"), ("--periods", "towns_months.csv")]),
          ("pingyin_departments", [("--entities", "departments.csv"), ("--periods", "departments_months.csv")])]),
        ("rushan", "rushan_2022", ["--cities", str(n), "--towns", str(n), "--seed", "2022"],
         [("rushan_2022", [("--entities", "city.csv"), ("--periods", "years.csv")]),
          ("rushan_2022_towns", [("--entities", "towns.csv")])]),
        ("gaoqing", "gaoqing_2021", ["--departments", str(n), "--firms", str(n), "--seed", "2021"],
         [("gaoqing_2021_sharing", [("--entities", "departments.csv")]),
          ("gaoqing_2021_firms", [("--entities", "firms.csv")])]),
    ]


def tied_ranks(path):
    """Problems with the ranks of a scores table: equal totals, one rank."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    if not rows or "rank" not in rows[0]:
        return []
    group = "parent" if "parent" in rows[0] else None
    out = []
    totals = {}
    for r in rows:
        totals.setdefault(r[group] if group else "", []).append(Fraction(r["total"]))
    for r in rows:
        mine = Fraction(r["total"])
        want = 1 + sum(1 for t in totals[r[group] if group else ""] if t > mine)
        if int(r["rank"]) != want:
            out.append("%s: total %s has rank %s, not %d" % (r["id"], r["total"], r["rank"], want))
    return out[:10]


def main(args, Case, process, report, t0):
    src = os.path.abspath(args.dirs[0]) if args.dirs else os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    rows = int(os.environ.get("REF_ROWS", args.rows))
    py = os.environ.get("PYTHON", sys.executable)
    work = tempfile.mkdtemp(prefix="rubric-ref-seeds-")
    cases = []
    for k, (seed, stem, gen_args, jobs) in enumerate(datasets(src, rows)):
        d = os.path.join(work, "%s-%d" % (seed, k))
        os.makedirs(d)
        subprocess.run([py, os.path.join(src, "tests", seed, "gen_data.py")] + gen_args + ["--out", d], check=True)
        shutil.copy(os.path.join(src, "examples", seed, stem + ".rubric"), os.path.join(d, "scheme.rubric"))
        for sid, opts in jobs:
            job = [("--scheme", sid)] + opts
            cases.append(Case("%s-%d-%s" % (seed, k, sid), d, sid, job))
    # each job writes native.csv / ref.csv in its folder: one folder per job
    for c in cases:
        d = os.path.join(work, c.name)
        os.makedirs(d)
        for name in ["scheme.rubric"] + [v for o, v in c.job if o != "--scheme"]:
            os.link(os.path.join(c.dir, name), os.path.join(d, name))
        c.dir = d
    targets_only = {"rushan_2022", "rushan_2022_towns", "gaoqing_2021_sharing"}
    process(cases, work, merged=False)
    nrows = 0
    for c in cases:
        if c.rejected or c.sid in targets_only:
            continue
        out = c.path("native.csv")
        if os.path.exists(out):
            with open(out, encoding="utf-8") as f:
                nrows += sum(1 for _ in f) - 1
            bad = tied_ranks(out)
            if bad:
                c.problems.append("ranks of tied totals:\n  " + "\n  ".join(bad))
            else:
                c.ties_checked = True
    ok = report([{"name": c.name, "rejected": None,
                  "problems": c.problems + (["the seed scheme does not check: %s" % c.rejected] if c.rejected else []),
                  "scored": c.scored, "failed_sets": c.failed_sets, "known": None, "dir": None}
                 for c in cases], "seed schemes (%d rows per generator, %d rows of scores checked for tied ranks)" % (rows, nrows), t0)
    shutil.rmtree(work, ignore_errors=True)
    return ok
