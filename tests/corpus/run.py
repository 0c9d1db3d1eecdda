#!/usr/bin/env python3
"""run.py RUBRIC CORPUS_DIR: the diagnostics corpus.

Runs `RUBRIC check --format=json` on every *.rubric file of CORPUS_DIR and
compares what it reports with the expectations written in the file:

  ...  # CHECK: R0501                a diagnostic R0501 on this line
  ...  # CHECK: R0401 R0405          several on one line (a code twice: two)
  ...  # CHECK: R0501 "short by 0.2" the message must contain the quoted text
  # CHECK-FILE: R0002                a diagnostic about the whole file (no line)

The expectations are read from the text of each line, wherever `# CHECK:`
stands on it (also after an unterminated string, which the tool reads as part
of that string). Every error and warning the tool prints must be expected and
every expectation met: a multiset match on (line, code). Notes are not
diagnostics. The exit status must be 1 when an error is expected, else 0.
Each file must also carry `# MISTAKE: ...` (one sentence) in its leading
comment lines, and may carry `# SEED: 00N` naming the seed document.

Prints one line per failing file, then `N passed, M failed`; exits 0 iff
M == 0. Python 3 standard library only.
"""
import json
import os
import re
import subprocess
import sys

# Codes the tool reports as warnings (compiler/check/, the range proof);
# every other code is an error.
WARNINGS = {
    "R0352", "R0405", "R0409", "R0603", "R0607", "R0901", "R0902", "R0903", "R0904", "R0905",
    "R1001", "R1002", "R1003", "R1004", "R1005", "R1006", "R1007",
}

CHECK_RE = re.compile(r"#\s*CHECK:(.*)$")
CHECK_FILE_RE = re.compile(r"#\s*CHECK-FILE:(.*)$")
ITEM_RE = re.compile(r'\s*(R\d{4})(?:\s+"([^"]*)")?')
MISTAKE_RE = re.compile(r"^\s*#\s*MISTAKE:\s*\S")
SEED_RE = re.compile(r"^\s*#\s*SEED:(.*)$")
HEADER_LINES = 10  # MISTAKE must stand in the leading comments, within these lines


class Expect:
    def __init__(self, line, code, text):
        self.line, self.code, self.text = line, code, text

    def describe(self):
        where = "for the file" if self.line is None else "at line %d" % self.line
        pin = ' "%s"' % self.text if self.text is not None else ""
        return "%s%s %s" % (self.code, pin, where)


def parse_items(spec, line, problems):
    """`R0401 "text" R0405` -> [Expect]; anything else is a malformed CHECK."""
    items, pos = [], 0
    spec = spec.rstrip()
    while pos < len(spec):
        m = ITEM_RE.match(spec, pos)
        if not m or m.end() == pos:
            problems.append("malformed CHECK on line %d: %r" % (line, spec[pos:].strip()))
            return items
        items.append(Expect(None, m.group(1), m.group(2)))
        pos = m.end()
    if not items:
        problems.append("CHECK without a code on line %d" % line)
    return items


def read_expectations(path):
    """Returns (expectations, problems with the file's annotations)."""
    problems = []
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
    except (OSError, UnicodeDecodeError) as e:
        return [], ["cannot read the file: %s" % e]
    expects = []
    header_done, has_mistake = False, False
    for n, text in enumerate(lines, start=1):
        stripped = text.strip()
        if not header_done:
            if stripped and not stripped.startswith("#"):
                header_done = True
            elif n <= HEADER_LINES and MISTAKE_RE.match(text):
                has_mistake = True
        m = CHECK_FILE_RE.search(text)
        if m:
            for e in parse_items(m.group(1), n, problems):
                expects.append(e)  # line stays None: about the whole file
            continue
        m = CHECK_RE.search(text)
        if m:
            for e in parse_items(m.group(1), n, problems):
                e.line = n
                expects.append(e)
        m = SEED_RE.match(text)
        if m and not re.fullmatch(r"\s*\d{3}\s*", m.group(1)):
            problems.append("malformed SEED on line %d (write '# SEED: 00N')" % n)
    if not has_mistake:
        problems.append("no '# MISTAKE: ...' in the leading comment lines")
    if not expects:
        problems.append("no CHECK: a corpus file shows at least one diagnostic")
    return expects, problems


def run_rubric(rubric, path):
    """Returns (diagnostics, exit status, problem or None)."""
    # Messages in English whatever the caller's locale: the quoted texts are English.
    env = dict(os.environ, LC_ALL="C", LANG="C")
    env.pop("LC_MESSAGES", None)
    try:
        proc = subprocess.run([rubric, "check", "--format=json", path], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=120, env=env)
    except (OSError, subprocess.TimeoutExpired) as e:
        return [], None, "cannot run %s: %s" % (rubric, e)
    try:
        out = proc.stdout.decode("utf-8")
    except UnicodeDecodeError as e:
        return [], proc.returncode, "the JSON output is not valid UTF-8 (%s)" % e
    try:
        doc = json.loads(out)
        diags = doc["diagnostics"]
    except (ValueError, KeyError, TypeError) as e:
        return [], proc.returncode, "no JSON document on stdout (%s); stderr: %s" % (
            e, proc.stderr.decode("utf-8", "replace").strip()[:200])
    return diags, proc.returncode, None


def match(expects, diags):
    """Bipartite matching of expectations to diagnostics with the same
    (line, code) whose message contains the pinned text. Returns the
    unmatched expectations and the unmatched diagnostics."""
    def fits(e, d):
        if d.get("code") != e.code or d.get("line") != e.line:
            return False
        return e.text is None or e.text in d.get("message", "")

    owner = [None] * len(diags)  # diagnostic index -> expectation index

    def augment(i, seen):
        for j, d in enumerate(diags):
            if j in seen or not fits(expects[i], d):
                continue
            seen.add(j)
            if owner[j] is None or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(expects)):
        augment(i, set())
    matched = {o for o in owner if o is not None}
    missing = [e for i, e in enumerate(expects) if i not in matched]
    unexpected = [d for j, d in enumerate(diags) if owner[j] is None]
    return missing, unexpected


def describe_diag(d):
    where = "for the file" if d.get("line") is None else "at line %s" % d.get("line")
    return "%s %s %s: %s" % (d.get("code"), d.get("severity"), where, d.get("message"))


def check_file(rubric, path):
    """Returns a list of failures (empty when the file passes)."""
    expects, failures = read_expectations(path)
    diags, status, problem = run_rubric(rubric, path)
    if problem:
        return failures + [problem]
    missing, unexpected = match(expects, diags)
    failures += ["missing " + e.describe() for e in missing]
    failures += ["unexpected " + describe_diag(d) for d in unexpected]
    for d in diags:
        code = d.get("code")
        want = "warning" if code in WARNINGS else "error"
        if d.get("severity") != want:
            failures.append("%s is reported as %s, not %s" % (code, d.get("severity"), want))
    want_status = 1 if any(e.code not in WARNINGS for e in expects) else 0
    if status != want_status:
        failures.append("exit status %s, expected %d" % (status, want_status))
    return failures


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: run.py RUBRIC CORPUS_DIR\n")
        return 2
    rubric, corpus = argv[1], argv[2]
    files = sorted(f for f in os.listdir(corpus) if f.endswith(".rubric"))
    passed = failed = 0
    for name in files:
        failures = check_file(rubric, os.path.join(corpus, name))
        if failures:
            failed += 1
            print("%s: %s" % (name, "; ".join(failures)))
        else:
            passed += 1
    if not files:
        print("no *.rubric files in %s" % corpus)
        failed += 1
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
