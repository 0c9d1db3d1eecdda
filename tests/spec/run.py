#!/usr/bin/env python3
"""Run the transcripts of spec/*.md against the real rubric binary.

    run.py RUBRIC PROJECT_ROOT [--file spec/X.md]... [--jobs N] [-v]
    run.py RUBRIC PROJECT_ROOT --self-test

A *transcript* is a ```console block holding at least one line that starts with
"$ ". Every "$ " line is a command (a line ending in "\\" continues on the next
line); the lines after it, up to the next "$ " line or the end of the block, are
its exact output. Python 3 standard library only.

Files
-----
Each transcript runs in a fresh temporary directory. Before it runs, the
directory receives the *document files* declared so far in its markdown file:

* A ```rubric block is the file s.rubric, unless a comment just before it names
  it: <!-- file: blacklist.rubric -->. A block of another language (```csv,
  ```text, ...) is a file only when so named. A ```console block is never a
  file. A later block of the same name replaces the earlier one from there on.
* <!-- file: NAME          (a comment of several lines, invisible when rendered)
  LINE...
  -->                      declares NAME with the lines in between, as a block would.
* <!-- file: NAME from OTHER.md -->  declares NAME with its last definition in
  spec/OTHER.md (a block, a hidden file or a defining `cat`, below).
* `$ cat NAME` (NAME a plain file name) shows an input: unless an earlier command
  of the same transcript mentions NAME, NAME is written with the lines shown
  before the transcript runs (for that transcript only), so the command shows
  the file rather than tests it.
* examples/ is a symbolic link to the project's examples/ folder.

Running
-------
Each command runs with `bash -c` in that directory, `rubric` on the PATH being
the binary under test, with LANG=C.UTF-8 (and LC_ALL, LC_MESSAGES and LANGUAGE
unset). `$?` holds the exit status of the previous command of the transcript, so
`$ echo $?` shows it. Standard error and standard output are captured apart; the
shown output must equal **standard error followed by standard output** (the spec
never shows the two streams of one command interleaved; use `2>&1` in the
command for another order). Lines are compared exactly, except that an
expected line that is `...` (spaces around it allowed) stands for any number of
lines, none included. The exit status is checked only where `$ echo $?` shows
it.

Comments that steer the runner, each on its own line before the fenced block it
is about (blank lines and other such comments may stand between; any other text
there is an error):

* <!-- spec-test: skip (REASON) -->   the next transcript is not run (counted
                                      and listed with its reason);
* <!-- spec-test: setup COMMAND -->   COMMAND runs (bash, in the transcript's
                                      directory, must exit 0, output ignored)
                                      before the next transcript's commands;
* <!-- spec-test: check-clean -->     the next block (a complete scheme) must
                                      pass `rubric check` with no output and
                                      exit 0, and `rubric test` with exit 0
                                      (its example blocks, if any, pass).

A mismatch is reported as FILE:LINE of the command with a unified diff; the
exit status is 1 if any transcript or clean check fails, 2 for a usage error or
a malformed document.
"""

import argparse
import concurrent.futures
import difflib
import io
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

COMMAND_TIMEOUT = 120  # seconds per command

FENCE_RE = re.compile(r'^(\s*)(`{3,}|~{3,})\s*([\w+-]*)\s*$')
DIRECTIVE_RE = re.compile(r'^\s*<!--\s*(file|spec-test)\s*:\s*(.*?)\s*-->\s*$')
HIDDEN_FILE_RE = re.compile(r'^\s*<!--\s*file\s*:\s*(\S+)\s*$')
FROM_RE = re.compile(r'^(\S+)\s+from\s+(\S+\.md)$')
CAT_RE = re.compile(r'^cat\s+([A-Za-z0-9_.\-]+)\s*$')
ELISION_RE = re.compile(r'^\s*\.\.\.\s*$')


class SpecError(Exception):
    """A malformed document: a directive that cannot be understood."""


class Command:
    def __init__(self, line, text):
        self.line = line          # 1-based line of the "$ " in the markdown
        self.text = text          # the command, continuation lines joined with "\n"
        self.expected = []        # output lines


class Transcript:
    def __init__(self, doc, line):
        self.doc = doc            # path of the markdown, relative to the project
        self.line = line          # line of the ```console fence
        self.commands = []
        self.files = {}           # name -> text, written before the commands
        self.setup = []           # setup commands
        self.skip = None          # reason, or None


class CleanCheck:
    def __init__(self, doc, line, name, files):
        self.doc, self.line, self.name, self.files = doc, line, name, files


def text_of(lines):
    return ''.join(l + '\n' for l in lines)


def parse_document(root, rel, cache=None):
    """Parse spec markdown ROOT/REL into (transcripts, clean checks, last definitions)."""
    if cache is None:
        cache = {}
    if rel in cache:
        return cache[rel]
    cache[rel] = None  # guards against a cycle of "from" references
    path = os.path.join(root, rel)
    with open(path, encoding='utf-8') as f:
        lines = f.read().split('\n')
    transcripts, cleans = [], []
    files = {}          # the document files declared so far
    last_def = {}       # every definition, cat-defined files included
    pending = []        # (line, kind, argument) directives for the next block
    i = 0

    def where(n):
        return f'{rel}:{n}'

    while i < len(lines):
        line = lines[i]
        m = DIRECTIVE_RE.match(line)
        if m:
            kind, arg = m.group(1), m.group(2)
            if kind == 'file':
                fm = FROM_RE.match(arg)
                if fm:
                    name, other = fm.groups()
                    other_rel = os.path.join(os.path.dirname(rel), other)
                    parsed = parse_document(root, other_rel, cache)
                    if parsed is None or name not in parsed[2]:
                        raise SpecError(f'{where(i + 1)}: {other} defines no file {name}')
                    files[name] = last_def[name] = parsed[2][name]
                else:
                    if not re.fullmatch(r'[^\s/]+', arg):
                        raise SpecError(f'{where(i + 1)}: bad file name {arg!r}')
                    pending.append((i + 1, 'file', arg))
            else:
                word, _, rest = arg.partition(' ')
                if word not in ('skip', 'setup', 'check-clean'):
                    raise SpecError(f'{where(i + 1)}: unknown directive {arg!r}')
                if word == 'skip' and not rest.strip():
                    raise SpecError(f'{where(i + 1)}: a skip needs a reason')
                pending.append((i + 1, word, rest.strip()))
            i += 1
            continue
        m = HIDDEN_FILE_RE.match(line)
        if m:
            if pending:
                raise SpecError(f'{where(pending[0][0])}: directive not followed by a fenced block')
            name, start, body = m.group(1), i + 1, []
            i += 1
            while i < len(lines) and lines[i].strip() != '-->':
                body.append(lines[i])
                i += 1
            if i == len(lines):
                raise SpecError(f'{where(start)}: hidden file {name} is not closed by a line "-->"')
            files[name] = last_def[name] = text_of(body)
            i += 1
            continue
        m = FENCE_RE.match(line)
        if not m:
            if line.strip() and pending:
                raise SpecError(f'{where(pending[0][0])}: directive not followed by a fenced block')
            i += 1
            continue
        indent, fence, lang = m.group(1), m.group(2), m.group(3)
        start = i + 1
        body = []
        i += 1
        while i < len(lines):
            s = lines[i].strip()
            if s.startswith(fence[0] * len(fence)) and set(s) == {fence[0]}:
                break
            b = lines[i]
            body.append(b[len(indent):] if b.startswith(indent) else b.lstrip())
            i += 1
        if i == len(lines):
            raise SpecError(f'{where(start)}: fenced block is not closed')
        i += 1
        directives, pending = pending, []
        names = [a for (_, k, a) in directives if k == 'file']
        kinds = {k for (_, k, _) in directives}
        is_transcript = lang == 'console' and any(b.startswith('$ ') for b in body)
        if len(names) > 1:
            raise SpecError(f'{where(start)}: two file names for one block')
        if (kinds & {'skip', 'setup'}) and not is_transcript:
            raise SpecError(f'{where(start)}: skip and setup are for a console transcript')
        if names and is_transcript:
            raise SpecError(f'{where(start)}: a transcript is not a file')
        name = names[0] if names else ('s.rubric' if lang == 'rubric' else None)
        if name is not None and not is_transcript:
            files[name] = last_def[name] = text_of(body)
            if 'check-clean' in kinds:
                cleans.append(CleanCheck(rel, start, name, dict(files)))
        elif 'check-clean' in kinds:
            raise SpecError(f'{where(start)}: check-clean is for a block that is a file')
        if is_transcript:
            t = parse_transcript(rel, start, body, files, last_def)
            for (_, k, a) in directives:
                if k == 'skip':
                    t.skip = a
                elif k == 'setup':
                    t.setup.append(a)
            transcripts.append(t)
    if pending:
        raise SpecError(f'{where(pending[0][0])}: directive not followed by a fenced block')
    cache[rel] = (transcripts, cleans, last_def)
    return cache[rel]


def parse_transcript(rel, start, body, files, last_def):
    t = Transcript(rel, start)
    t.files = dict(files)
    cmd = None
    k = 0
    while k < len(body):
        b = body[k]
        if b.startswith('$ '):
            first = start + 1 + k
            text = b[2:]
            while text.endswith('\\') and k + 1 < len(body):
                k += 1
                text += '\n' + body[k]
            cmd = Command(first, text)
            t.commands.append(cmd)
        elif cmd is None:
            raise SpecError(f'{rel}:{start + 1 + k}: output before the first "$ " command')
        else:
            cmd.expected.append(b)
        k += 1
    # `$ cat NAME` shows an input file unless an earlier command mentions NAME.
    for n, c in enumerate(t.commands):
        m = CAT_RE.match(c.text)
        if not m:
            continue
        name = m.group(1)
        if any(re.search(r'(?<![\w.-])' + re.escape(name) + r'(?![\w.-])', p.text)
               for p in t.commands[:n]):
            continue
        if any(ELISION_RE.match(x) for x in c.expected):
            raise SpecError(f'{rel}:{c.line}: a defining `cat {name}` cannot elide lines')
        t.files[name] = last_def[name] = text_of(c.expected)
    return t


def matches(expected, actual):
    """Whether ACTUAL (lines) matches EXPECTED, where a `...` line matches any lines."""
    # reach[j]: the first j actual lines are matched by the expected lines so far
    reach = [True] + [False] * len(actual)
    for e in expected:
        if ELISION_RE.match(e):
            nxt, seen = [], False
            for j in range(len(actual) + 1):
                seen = seen or reach[j]
                nxt.append(seen)
        else:
            nxt = [False] + [reach[j] and actual[j] == e for j in range(len(actual))]
        reach = nxt
    return reach[len(actual)]


def split_lines(data):
    text = data.decode('utf-8', errors='backslashreplace')
    lines = text.split('\n')
    if lines and lines[-1] == '':
        lines.pop()
    elif lines:
        lines[-1] += '\\ (no newline at end)'
    return lines


class Runner:
    def __init__(self, rubric, root):
        self.rubric = os.path.abspath(rubric)
        self.root = os.path.abspath(root)
        self.bindir = tempfile.mkdtemp(prefix='rubric-spec-bin-')
        wrapper = os.path.join(self.bindir, 'rubric')
        with open(wrapper, 'w') as f:
            f.write('#!/bin/sh\nexec %s "$@"\n' % shlex.quote(self.rubric))
        os.chmod(wrapper, 0o755)
        os.symlink(sys.executable, os.path.join(self.bindir, 'python3'))
        env = {k: v for k, v in os.environ.items()
               if k not in ('LC_ALL', 'LC_MESSAGES', 'LANGUAGE', 'RUBRIC_LOCALEDIR')}
        env['LANG'] = 'C.UTF-8'
        env['PATH'] = self.bindir + os.pathsep + env.get('PATH', '/usr/bin:/bin')
        self.env = env

    def close(self):
        shutil.rmtree(self.bindir, ignore_errors=True)

    def workdir(self, files):
        d = tempfile.mkdtemp(prefix='rubric-spec-')
        os.symlink(os.path.join(self.root, 'examples'), os.path.join(d, 'examples'))
        for name, text in files.items():
            with open(os.path.join(d, name), 'w', encoding='utf-8') as f:
                f.write(text)
        return d

    def bash(self, cmd, cwd, status=0):
        script = '__status() { return %d; }; __status\n%s' % (status, cmd)
        try:
            p = subprocess.run(['bash', '-c', script], cwd=cwd, env=self.env,
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=COMMAND_TIMEOUT)
            return p.returncode, p.stdout, p.stderr
        except subprocess.TimeoutExpired:
            return None, b'', b'(timed out after %d s)\n' % COMMAND_TIMEOUT

    def run_transcript(self, t):
        """Returns (commands passed, report lines)."""
        report = []
        d = self.workdir(t.files)
        try:
            for s in t.setup:
                rc, out, err = self.bash(s, d)
                if rc != 0:
                    report.append(f'{t.doc}:{t.line}: setup command failed ({rc}): {s}')
                    report += ['    ' + x for x in split_lines(err + out)]
                    return 0, report
            passed, status = 0, 0
            for c in t.commands:
                rc, out, err = self.bash(c.text, d, status)
                status = rc if rc is not None else 124
                actual = split_lines(err + out)
                if rc is not None and matches(c.expected, actual):
                    passed += 1
                    continue
                first = c.text.split('\n')[0]
                report.append(f'{t.doc}:{c.line}: FAIL: $ {first}')
                report += difflib.unified_diff(c.expected, actual, 'expected (spec)',
                                               'actual (stderr, then stdout)', lineterm='')
            return passed, report
        finally:
            shutil.rmtree(d, ignore_errors=True)

    def run_clean(self, c):
        d = self.workdir(c.files)
        try:
            for cmd in ('check', 'test'):
                rc, out, err = self.bash(f'rubric {cmd} ' + shlex.quote(c.name), d)
                if rc == 0 and (cmd == 'test' or not (out or err)):
                    continue
                return [f'{c.doc}:{c.line}: FAIL: {c.name} is marked check-clean, but '
                        f'`rubric {cmd} {c.name}` exits {rc} and prints:'] + \
                       ['    ' + x for x in split_lines(err + out)]
            return []
        finally:
            shutil.rmtree(d, ignore_errors=True)


def run_documents(runner, root, docs, jobs, verbose, out=sys.stdout):
    """Runs every transcript and clean check of DOCS; returns True if all passed."""
    cache, work = {}, []
    for rel in docs:
        transcripts, cleans, _ = parse_document(root, rel, cache)
        work += [('t', t) for t in transcripts] + [('c', c) for c in cleans]
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        def one(item):
            kind, x = item
            if kind == 'c':
                return runner.run_clean(x)
            if x.skip is not None:
                return None
            return runner.run_transcript(x)
        results = list(pool.map(one, work))
    n_tr = n_cmd = n_pass = n_skip = n_clean = n_clean_ok = 0
    failed = 0
    skipped = []
    for (kind, x), r in zip(work, results):
        if kind == 'c':
            n_clean += 1
            if r:
                failed += 1
                print('\n'.join(r), file=out)
            else:
                n_clean_ok += 1
                if verbose:
                    print(f'{x.doc}:{x.line}: ok: {x.name} checks clean', file=out)
            continue
        n_tr += 1
        n_cmd += len(x.commands)
        if r is None:
            n_skip += 1
            skipped.append(f'{x.doc}:{x.line}: skipped: {x.skip}')
            continue
        passed, report = r
        n_pass += passed
        if report:
            failed += 1
            print('\n'.join(report), file=out)
        elif verbose:
            print(f'{x.doc}:{x.line}: ok ({len(x.commands)} commands)', file=out)
    for s in skipped:
        print(s, file=out)
    print(f'{n_tr} transcripts, {n_pass} commands passed (of {n_cmd}; '
          f'{n_skip} transcripts skipped); {n_clean_ok} of {n_clean} schemes checked clean; '
          f'{failed} failed', file=out)
    return failed == 0


SELF_TEST_DOC = '''\
# Self-test

```rubric
scheme s "s" { total 4; input a: count; indicator x "x" points 4 { 4 if a > 10, 0 if a < 5 } }
```

```console
$ rubric check s.rubric
s.rubric:1:68: error[R0601]: WRONG MESSAGE
...
1 error, 0 warnings
```
'''

SELF_TEST_GOOD = '''\
# Self-test, good

<!-- file: ok.rubric -->
<!-- spec-test: check-clean -->
```rubric
scheme s "s" { total 4; input a: count; indicator x "x" points 4 { 4 if a > 10, 0 otherwise }
  example "e" { a = 11; expect x = 4 } }
```

```rubric
scheme s "s" { total 4; input a: count; indicator x "x" points 4 { 4 if a > 10, 0 if a < 5 } }
```

```console
$ rubric check s.rubric
...
1 error, 0 warnings
$ echo $?
1
$ cat t.csv
id,a
1,12
$ rubric score ok.rubric --entities t.csv
id,name,total,rank,x
1,,4,1,4
```

<!-- file: u.csv
id,a
2,3
-->
<!-- spec-test: setup cp u.csv v.csv -->
```console
$ rubric score ok.rubric --entities v.csv
id,name,total,rank,x
2,,0,1,0
```

<!-- spec-test: skip (a skipped transcript is not run) -->
```console
$ rubric check ok.rubric
this is not what it prints
```
'''

SELF_TEST_BAD = [
    # a wrong line of output
    SELF_TEST_DOC,
    # a wrong exit status
    SELF_TEST_GOOD.replace('$ echo $?\n1\n', '$ echo $?\n0\n'),
    # a line missing at the end
    SELF_TEST_GOOD.replace('1,,4,1,4\n', ''),
    # a file that does not check clean
    SELF_TEST_GOOD.replace('0 otherwise }\n', '0 if a < 5 }\n'),
    # a wrong output after a setup command
    SELF_TEST_GOOD.replace('2,,0,1,0', '2,,4,1,4'),
    # an elision cannot stand for a changed line
    SELF_TEST_GOOD.replace('...\n1 error', '...\n2 errors'),
]


def self_test(runner):
    tmp = tempfile.mkdtemp(prefix='rubric-spec-selftest-')
    ok = True
    try:
        cases = [(SELF_TEST_GOOD, True)] + [(d, False) for d in SELF_TEST_BAD]
        for n, (doc, want) in enumerate(cases):
            rel = f'case{n}.md'
            with open(os.path.join(tmp, rel), 'w', encoding='utf-8') as f:
                f.write(doc)
            buf = io.StringIO()
            got = run_documents(runner, tmp, [rel], 1, False, buf)
            if got != want:
                ok = False
                print(f'self-test case {n}: run.py says {"pass" if got else "fail"}, '
                      f'expected {"pass" if want else "fail"}:\n{buf.getvalue()}')
            else:
                print(f'self-test case {n}: {"passes" if got else "fails"}, as it should')
        # the elision matcher on its own
        for exp, act, want in [(['a', '...', 'b'], ['a', 'b'], True),
                               (['a', '...', 'b'], ['a', 'x', 'y', 'b'], True),
                               (['a', '...'], ['a'], True),
                               (['...', 'b'], ['a', 'c'], False),
                               (['a'], ['a', 'b'], False),
                               (['a', 'b'], ['a'], False)]:
            if matches(exp, act) != want:
                ok = False
                print(f'self-test: matches({exp}, {act}) is not {want}')
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print('self-test ' + ('passed' if ok else 'FAILED'))
    return ok


def main():
    ap = argparse.ArgumentParser(description='Run the transcripts of spec/*.md.')
    ap.add_argument('rubric', help='the rubric binary')
    ap.add_argument('root', help='the project root (holding spec/ and examples/)')
    ap.add_argument('--file', action='append', default=[],
                    help='a markdown file, relative to the root (default: spec/*.md)')
    ap.add_argument('--self-test', action='store_true',
                    help='check that run.py fails on a wrong transcript')
    ap.add_argument('--jobs', '-j', type=int, default=os.cpu_count() or 2)
    ap.add_argument('--verbose', '-v', action='store_true')
    a = ap.parse_args()
    if not os.access(a.rubric, os.X_OK):
        print(f'run.py: {a.rubric}: not an executable', file=sys.stderr)
        return 2
    runner = Runner(a.rubric, a.root)
    try:
        if a.self_test:
            return 0 if self_test(runner) else 1
        docs = a.file or sorted(os.path.join('spec', f)
                                for f in os.listdir(os.path.join(a.root, 'spec'))
                                if f.endswith('.md'))
        try:
            ok = run_documents(runner, a.root, docs, max(1, a.jobs), a.verbose)
        except SpecError as e:
            print(f'run.py: {e}', file=sys.stderr)
            return 2
        return 0 if ok else 1
    finally:
        runner.close()


if __name__ == '__main__':
    sys.exit(main())
