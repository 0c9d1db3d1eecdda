#!/usr/bin/env python3
"""run.py: `rubric score` against the reference interpreter (rubric-ref).

    python3 run.py random RUBRIC REF [--count N] [--seed S] [--procs P]
    python3 run.py replay RUBRIC REF DIR...
    python3 run.py seeds RUBRIC REF SRC_DIR [--rows N]

random: N generated schemes (gen_scheme.py; seeds S, S+1, ...) with their
data. Each is checked (`rubric check`; schemes that do not check are
counted and skipped), then scored by both in batches of 16 schemes (one
`rubric score` run with 16 --scheme jobs; rubric stops at the first job
with failing entities, so the jobs before and after it are scored again
without it). For every job: the output tables must
be the same bytes, or, when entities cannot be scored, both must report the
same set of (entity, part or target, code, place); then the failing entities
are left out and the rest scored again, which must give the same bytes.

replay: the same for kept cases, folders holding scheme.rubric, job.txt
(the options of the job, with table names relative to the folder) and the
tables. A folder with a file KNOWN_BUG is a disagreement that is reported
(the file says what is wrong); it passes while it still disagrees and fails
once rubric agrees with the reference (remove KNOWN_BUG then).

seeds: the five seed schemes of examples/ with thousands of rows from
their generators (tests/<seed>/gen_data.py).

A disagreement is kept: with KEEP_FAILURES=1 in
tests/reference/regressions/<name>/, else in a temporary folder whose path
is printed. Environment: REF_COUNT overrides --count (lower it under
sanitizers), REF_SEED overrides --seed.
Exit status 0 when everything agrees; the last line is 'N passed, M failed'.
"""

import argparse
import json
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import gen_scheme  # noqa: E402

BATCH = 16  # rubric score takes at most 16 jobs
ARGS = None


class Case:
    """One scheme, its tables and its job, in its own folder."""

    def __init__(self, name, folder, sid, job, scheme_file="scheme.rubric", known=None):
        self.name, self.dir, self.sid, self.job = name, folder, sid, job
        self.scheme_file = scheme_file
        self.known = known          # the KNOWN_BUG text of a kept case
        self.problems = []          # what disagrees
        self.scored = 0             # jobs compared byte for byte
        self.failed_sets = 0        # jobs compared by their failures

    def path(self, name):
        return os.path.join(self.dir, name)

    def opts(self, out_prefix, entities=None, periods=None, records=None):
        """The job's options for one run, with outputs OUT_PREFIX.csv."""
        o = []
        for k, v in self.job:
            if k == "--entities" and entities:
                v = entities
            if k == "--periods" and periods:
                v = periods
            if k in ("--targets",):
                continue
            if k == "--records":   # NAME=FILE
                name, _, v = v.partition("=")
                if records and name in records:
                    v = records[name]
                o += [k, name + "=" + self.path(v)]
                continue
            o += [k, self.path(v) if k != "--scheme" else v]
        o += ["-o", self.path(out_prefix + ".csv")]
        if dict(self.job).get("--targets"):
            o += ["--targets", self.path(out_prefix + "_targets.csv")]
        return o

    def outputs(self, prefix):
        names = [prefix + ".csv"]
        if dict(self.job).get("--targets"):
            names.append(prefix + "_targets.csv")
        return names


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


ENTITY_RE = re.compile(r": (indicator|item|target) (\S+): (?:.* \(([^()]*:\d+:\d+)\)|[^()]*)$")


def native_failures(stderr):
    """(entities table, entity, what, code, place) of every R12 diagnostic, and
    the other errors."""
    try:
        doc = json.loads(stderr)
    except ValueError:
        return set(), ["rubric printed no JSON document: " + stderr[-500:]]
    fails, other = set(), []
    for d in doc["diagnostics"]:
        if d["severity"] != "error":
            continue
        m = ENTITY_RE.search(d["message"])
        if d["code"].startswith("R12") and m and d.get("entity") is not None:
            fails.add((d["file"], d["entity"], m.group(1) + " " + m.group(2), d["code"], m.group(3) or "-"))
        else:
            other.append("%s: %s" % (d["code"], d["message"]))
    return fails, other


def ref_failures(path):
    out = set()
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                out.add(tuple(line.rstrip("\n").split("\t")))
    return out


def same_files(case, a, b):
    for x, y in zip(case.outputs(a), case.outputs(b)):
        px, py = case.path(x), case.path(y)
        if not os.path.exists(px) or not os.path.exists(py):
            return "%s or %s was not written" % (x, y)
        with open(px, "rb") as f, open(py, "rb") as g:
            if f.read() != g.read():
                return "%s and %s differ:\n%s" % (x, y, diff(px, py))
    return None


def diff(a, b):
    p = run(["diff", a, b])
    return "\n".join(p.stdout.splitlines()[:12])


def entities_of(c, variant):
    return os.path.abspath(c.path(variant.get(c, (None, None))[0] or dict(c.job)["--entities"]))


def reference(scheme_path, cases, variant, tag):
    """Scores the jobs of CASES (their VARIANT: {case: (entities, periods)})
    with rubric-ref: {case: its failures}, None for a case it cannot score."""
    jobs = []
    for c in cases:
        jobs += c.opts("ref" + tag, *variant.get(c, (None, None)))
        for name in c.outputs("ref" + tag):
            if os.path.exists(c.path(name)):
                os.remove(c.path(name))
    fails_path = os.path.join(os.path.dirname(scheme_path), "ref_failures%s.txt" % tag)
    q = run([ARGS.ref, scheme_path, "--failures", fails_path] + jobs)
    if q.returncode not in (0, 1):
        if len(cases) > 1:   # find the job: each on its own
            return {c: reference(scheme_path, [c], variant, tag)[c] for c in cases}
        cases[0].problems.append("rubric-ref failed (status %d): %s" % (q.returncode, q.stderr[-800:]))
        return {cases[0]: None}
    ours = ref_failures(fails_path)
    return {c: {tuple(f[1:]) for f in ours if os.path.abspath(f[0]) == entities_of(c, variant)} for c in cases}


def score_jobs(scheme_path, cases, variant, tag, ours):
    """Scores the jobs of CASES with rubric and compares with OURS, the
    reference's failures of each. rubric stops at the first job with failing
    entities and writes nothing, so the jobs before it are scored again
    without it, and the jobs after it on their own. Returns the cases whose
    jobs failed in both the same way, with the ids of the failing entities."""
    if not cases:
        return []
    jobs = []
    for c in cases:
        jobs += c.opts("native" + tag, *variant.get(c, (None, None)))
        for name in c.outputs("native" + tag):
            if os.path.exists(c.path(name)):
                os.remove(c.path(name))
    # --strict: all or nothing, the failure sets compared (tests/e2e/partial.sh
    # and chengwu.oracle check what is written without it)
    p = run([ARGS.rubric, "score", scheme_path, "--strict", "--diagnostics", "json"] + jobs)
    theirs, other = native_failures(p.stderr) if p.returncode else (set(), [])
    if p.returncode not in (0, 1) or other:
        if len(cases) > 1:   # find the job: each on its own
            return [d for c in cases for d in score_jobs(scheme_path, [c], variant, tag, ours)]
        cases[0].problems.append("rubric score failed (status %d): %s" % (p.returncode, "; ".join(other)[:800] or p.stderr[-800:]))
        return []
    if p.returncode == 0:
        for c in cases:
            problem = same_files(c, "native" + tag, "ref" + tag) if not ours[c] else \
                "rubric scored every entity; the reference reports:\n  " + "\n  ".join("\t".join(f) for f in sorted(ours[c])[:10])
            if problem:
                c.problems.append(problem)
            else:
                c.scored += 1
        return []
    first = next((k for k, c in enumerate(cases)
                  if any(os.path.abspath(f[0]) == entities_of(c, variant) for f in theirs)), None)
    if first is None:
        for c in cases:
            c.problems.append("rubric score failed, naming no entity: " + p.stderr[-400:])
        return []
    c = cases[first]
    mine, them = ours[c], {tuple(f[1:]) for f in theirs if os.path.abspath(f[0]) == entities_of(c, variant)}
    dropped = []
    if mine != them:
        lines = ["  rubric only: " + "\t".join(f) for f in sorted(them - mine)][:10]
        lines += ["  reference only: " + "\t".join(f) for f in sorted(mine - them)][:10]
        c.problems.append("the failures differ%s:\n%s" % (" (failing entities left out)" if tag else "", "\n".join(lines)))
    else:
        c.failed_sets += 1
        dropped.append((c, {f[0] for f in mine}))
    dropped += score_jobs(scheme_path, cases[:first], variant, tag, ours)
    dropped += score_jobs(scheme_path, cases[first + 1:], variant, tag, ours)
    return dropped


def compare(scheme_path, cases, variant, tag):
    """Both tools on CASES: the jobs the reference scores in one rubric run,
    each of the others alone."""
    ours = reference(scheme_path, cases, variant, tag)
    cases = [c for c in cases if ours[c] is not None]
    dropped = score_jobs(scheme_path, [c for c in cases if not ours[c]], variant, tag, ours)
    for c in cases:
        if ours[c]:
            dropped += score_jobs(scheme_path, [c], variant, tag, ours)
    return dropped


def drop_entities(c, ids):
    """The job's tables without the entities IDS: (entities, periods, {record
    table: file}) names."""
    import csv
    job = dict(c.job)
    with open(c.path(job["--entities"]), newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    keep = [rows[0]] + [r for r in rows[1:] if r[0].strip() not in ids]
    if "parent" in rows[0]:   # parent rows: those still named by an entity
        col = rows[0].index("parent")
        before = {r[col].strip() for r in rows[1:]}
        named = {r[col].strip() for r in keep[1:] if r[0].strip() not in before}
        keep = [keep[0]] + [r for r in keep[1:] if r[0].strip() not in before or r[0].strip() in named]
        if not any(r[0].strip() not in before for r in keep[1:]):
            return None
    elif len(keep) < 2:
        return None
    ids = set(ids) | ({r[0].strip() for r in rows[1:]} - {r[0].strip() for r in keep[1:]})
    with open(c.path("entities_v.csv"), "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(keep)
    periods = None
    if "--periods" in job:
        with open(c.path(job["--periods"]), newline="", encoding="utf-8") as f:
            prow = list(csv.reader(f))
        left = {r[0].strip() for r in keep[1:]}
        if "parent" in rows[0]:   # and the parents they name (in --parents, say)
            left |= {r[rows[0].index("parent")].strip() for r in keep[1:]}
        with open(c.path("periods_v.csv"), "w", newline="", encoding="utf-8") as f:
            csv.writer(f, lineterminator="\n").writerows([prow[0]] + [r for r in prow[1:] if r[0].strip() in left])
        periods = "periods_v.csv"
    records = {}
    for k, v in c.job:   # and their records
        if k == "--records":
            name, _, fname = v.partition("=")
            with open(c.path(fname), newline="", encoding="utf-8") as f:
                rrows = list(csv.reader(f))
            left = {r[0].strip() for r in keep[1:]}
            records[name] = fname[:-4] + "_v.csv"
            with open(c.path(records[name]), "w", newline="", encoding="utf-8") as f:
                csv.writer(f, lineterminator="\n").writerows([rrows[0]] + [r for r in rrows[1:] if r[0].strip() in left])
    return "entities_v.csv", periods, records


def process(cases, work, merged=True):
    """Checks, scores and compares CASES; returns them with their problems."""
    paths = [c.path(c.scheme_file) for c in cases]
    p = run([ARGS.rubric, "check", "--format=json"] + paths)
    try:
        doc = json.loads(p.stdout)
    except ValueError:
        doc = {"diagnostics": [{"severity": "error", "file": x, "message": p.stderr[-300:]} for x in paths]}
    bad = {d["file"]: d.get("message") for d in doc["diagnostics"] if d["severity"] == "error"}
    ok = []
    for c in cases:
        if c.path(c.scheme_file) in bad:
            c.rejected = bad[c.path(c.scheme_file)]
        else:
            c.rejected = None
            ok.append(c)
    groups = [ok] if merged else [[c] for c in ok]
    for group in groups:
        if not group:
            continue
        if merged:
            scheme_path = os.path.join(work, "batch.rubric")
            with open(scheme_path, "w", encoding="utf-8") as f:
                for c in group:
                    with open(c.path(c.scheme_file), encoding="utf-8") as g:
                        f.write(g.read())
        else:
            scheme_path = group[0].path(group[0].scheme_file)
        dropped = compare(scheme_path, group, {}, "")
        variant = {}
        for c, ids in dropped:
            v = drop_entities(c, ids)
            if v:
                variant[c] = v
        if variant:
            compare(scheme_path, list(variant), variant, "v")
    return cases


def random_batch(seeds):
    work = tempfile.mkdtemp(prefix="rubric-ref-")
    cases = []
    for s in seeds:
        text, sid, files, job, meta = gen_scheme.generate(s)
        d = os.path.join(work, str(s))
        os.makedirs(d)
        with open(os.path.join(d, "scheme.rubric"), "w", encoding="utf-8") as f:
            f.write(text)
        for name, t in files.items():
            with open(os.path.join(d, name), "w", encoding="utf-8") as f:
                f.write(t)
        if meta["targets"]:
            job.append(("--targets", "targets.csv"))
        cases.append(Case("random-%d" % s, d, sid, job))
    process(cases, work)
    out = [summary(c) for c in cases]
    for c in cases:
        if c.problems:
            keep(c)
    shutil.rmtree(work, ignore_errors=True)
    return out


def summary(c):
    return {"name": c.name, "rejected": c.rejected, "problems": c.problems, "scored": c.scored,
            "failed_sets": c.failed_sets, "known": c.known, "dir": getattr(c, "kept", None)}


def keep(c):
    """Copies a disagreeing case (scheme, tables, job) where it can be replayed."""
    if os.environ.get("KEEP_FAILURES") == "1":
        dest = os.path.join(HERE, "regressions", c.name)
    else:
        dest = os.path.join(tempfile.gettempdir(), "rubric-ref-failures", c.name)
    shutil.rmtree(dest, ignore_errors=True)
    os.makedirs(dest)
    for name in [c.scheme_file] + [v.partition("=")[2] if k == "--records" else v
                                   for k, v in c.job if k not in ("--scheme", "--targets")]:
        shutil.copy(c.path(name), os.path.join(dest, name if name != c.scheme_file else "scheme.rubric"))
    with open(os.path.join(dest, "job.txt"), "w", encoding="utf-8") as f:
        f.write(" ".join("%s %s" % kv for kv in c.job) + "\n")
    with open(os.path.join(dest, "problem.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(c.problems) + "\n")
    c.kept = dest


def load_case(folder):
    with open(os.path.join(folder, "job.txt"), encoding="utf-8") as f:
        words = f.read().split()
    job = list(zip(words[0::2], words[1::2]))
    known = None
    if os.path.exists(os.path.join(folder, "KNOWN_BUG")):
        with open(os.path.join(folder, "KNOWN_BUG"), encoding="utf-8") as f:
            known = f.read().strip()
    return Case(os.path.basename(folder.rstrip("/")), folder, dict(job).get("--scheme"), job, known=known)


def report(results, label, t0):
    passed = failed = rejected = scored = sets = 0
    for r in results:
        if r["rejected"]:
            rejected += 1
            if ARGS.verbose:
                print("rejected by rubric check: %s: %s" % (r["name"], r["rejected"]))
            continue
        scored += r["scored"]
        sets += r["failed_sets"]
        if r["known"]:
            if r["problems"]:
                passed += 1
                print("known bug (still disagrees): %s: %s" % (r["name"], r["known"].splitlines()[0]))
            else:
                failed += 1
                print("FAIL: %s agrees now: remove its KNOWN_BUG file" % r["name"])
            continue
        if r["problems"]:
            failed += 1
            print("FAIL: %s%s" % (r["name"], " (kept in %s)" % r["dir"] if r["dir"] else ""))
            for p in r["problems"]:
                print("  " + p.replace("\n", "\n  "))
        else:
            passed += 1
    print("%s: %d schemes (%d rejected by rubric check), %d jobs equal byte for byte, %d equal failure sets, "
          "%.1f s"
          % (label, len(results), rejected, scored, sets, time.time() - t0))
    print("%d passed, %d failed" % (passed, failed))
    return failed == 0


def main():
    global ARGS
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("mode", choices=["random", "replay", "seeds"])
    ap.add_argument("rubric")
    ap.add_argument("ref")
    ap.add_argument("dirs", nargs="*")
    ap.add_argument("--count", type=int, default=1500)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--procs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--rows", type=int, default=2000)
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--only", help="random: these seeds (comma-separated) instead")
    ARGS = ap.parse_args()
    ARGS.rubric, ARGS.ref = os.path.abspath(ARGS.rubric), os.path.abspath(ARGS.ref)
    t0 = time.time()
    if ARGS.mode == "random":
        count = int(os.environ.get("REF_COUNT", ARGS.count))
        seed = int(os.environ.get("REF_SEED", ARGS.seed))
        seeds = [int(s) for s in ARGS.only.split(",")] if ARGS.only else list(range(seed, seed + count))
        batches = [seeds[k:k + BATCH] for k in range(0, len(seeds), BATCH)]
        with multiprocessing.Pool(ARGS.procs, initializer=init, initargs=(ARGS,)) as pool:
            results = [r for rs in pool.imap(random_batch, batches) for r in rs]
        ok = report(results, "random schemes %d..%d" % (seed, seed + count - 1), t0)
    elif ARGS.mode == "replay":
        folders = []
        for d in ARGS.dirs:
            if os.path.exists(os.path.join(d, "job.txt")):
                folders.append(d)
            elif os.path.isdir(d):
                folders += sorted(os.path.join(d, x) for x in os.listdir(d) if os.path.exists(os.path.join(d, x, "job.txt")))
        cases = [load_case(f) for f in folders]
        work = tempfile.mkdtemp(prefix="rubric-ref-")
        copies = []
        for c in cases:  # scored in a copy: the kept folder stays as it is
            d = os.path.join(work, c.name)
            shutil.copytree(c.dir, d)
            copies.append(Case(c.name, d, c.sid, c.job, known=c.known))
        process(copies, work, merged=False)
        for c in copies:
            if c.rejected:
                c.problems.append("rejected by rubric check: %s" % c.rejected)
                c.rejected = None
        ok = report([summary(c) for c in copies], "kept cases", t0)
        shutil.rmtree(work, ignore_errors=True)
    else:
        import seeds
        ok = seeds.main(ARGS, Case, process, report, t0)
    sys.exit(0 if ok else 1)


def init(args):
    global ARGS
    ARGS = args


if __name__ == "__main__":
    main()
