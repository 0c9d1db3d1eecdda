#!/usr/bin/env bash
# guarantees.sh RUBRIC SRC_DIR: what spec/guarantees.md promises about every
# run, checked on the real binary with strace: no network, no file written
# but the outputs named on the command line (each through a temporary file
# in its own folder) and the cache of native code (with --no-cache, not
# even that), and the same bytes from run to run.
set -u
rubric=$1 src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export XDG_CACHE_HOME=$work/cache # the cache of native code: $XDG_CACHE_HOME/rubric only
fail=0 n=0
die() { echo "FAIL: $*"; fail=1; }
command -v strace > /dev/null || { echo "FAIL: strace is not installed (tools/deps.sh installs it)"; exit 1; }

c=$src/examples/chengwu
p=$src/examples/pingyin
mkdir out
# traced NAME COMMAND...: runs COMMAND under strace, then checks the trace;
# with CACHE=no, not even the cache may be touched.
traced() {
  local name=$1; shift
  local cache='"'"$work"'/cache(/rubric(/[^"]*)?)?"'
  [ "${CACHE:-yes}" = yes ] || cache='^$'
  # a workbook is written in temporary files of $TMPDIR first (libxlsxwriter
  # writes to a file name): with TMPDIR set, that folder is allowed too
  [ -z "${TMPDIR:-}" ] || cache="$cache|\"$TMPDIR/[^\"]*\""
  n=$((n + 1))
  # LeakSanitizer cannot run under ptrace: under ASan, the traced runs skip only it
  ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
    strace -f -qq -e trace=%network,%file -o "trace.$name" "$@" > "stdout.$name" 2> "stderr.$name"
  # any socket, connect, bind, send or receive: the tool must not touch a network
  if grep -E '^[0-9]+ +(socket|connect|bind|listen|accept|sendto|sendmsg|recvfrom|recvmsg)\(' "trace.$name" | grep -q .; then
    die "$name: network calls:"; grep -E '(socket|connect|bind)\(' "trace.$name" | head -3
  fi
  # with threads, strace may split a call in two: "PID call(args <unfinished ...>"
  # and later "PID <... call resumed>) = result"; join them again, so that a
  # call's path and its result (a failed call, "= -1", changed nothing) are on one line
  awk '/ <unfinished \.\.\.>$/ { sub(/ <unfinished \.\.\.>$/, ""); held[$1] = $0; next }
       /^[0-9]+ +<\.\.\. [a-z0-9_]+ resumed>/ { pid = $1; sub(/^[0-9]+ +<\.\.\. [a-z0-9_]+ resumed>/, ""); print held[pid] $0; delete held[pid]; next }
       { print }
       END { for (pid in held) print held[pid] }' "trace.$name" > "joined.$name"
  # files opened for writing, created, renamed, removed, linked or changed: only out/
  grep -E 'O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|rename|unlink|mkdir|rmdir|[^d]link\(|chmod|chown|truncate|utime' "joined.$name" |
    grep -v ' = -1 ' > "writes.$name"
  local bad
  bad=$(grep -vE '"(out/|\./out/|'"$work"'/out/)[^"]*"' "writes.$name" | grep -vE '"/dev/(null|tty)"' | grep -vE "$cache" || true)
  [ -z "$bad" ] || { die "$name: touched a file outside the outputs:"; echo "$bad" | head -5; }
}

traced check "$rubric" check "$c/chengwu_2022.rubric"
traced test "$rubric" test "$c/chengwu_2022.rubric"
traced score "$rubric" score "$c/chengwu_2022.rubric" --entities "$c/heze_counties.csv" \
  --periods "$c/heze_months.csv" -o out/chengwu.csv
traced jobs "$rubric" score "$p/pingyin_2022.rubric" \
  --scheme pingyin_towns --entities "$p/towns.csv" --periods "$p/towns_months.csv" -o out/towns.csv \
  --scheme pingyin_departments --entities "$p/departments.csv" --periods "$p/departments_months.csv" -o out/departments.json \
  --format json
CACHE=no traced no_cache "$rubric" score --no-cache "$c/chengwu_2022.rubric" --entities "$c/heze_counties.csv" \
  --periods "$c/heze_months.csv" -o out/no_cache.csv
CACHE=no traced test_no_cache "$rubric" test --no-cache "$c/chengwu_2022.rubric"
traced failing "$rubric" score --strict "$c/chengwu_2022.rubric" --entities "$c/heze_counties_all.csv" \
  --periods "$c/heze_months_all.csv" -o out/none.csv
mkdir tmp
TMPDIR=$work/tmp traced workbook "$rubric" score "$c/chengwu_2022.rubric" --entities "$c/heze_counties.csv" \
  --periods "$c/heze_months.csv" -o out/chengwu.xlsx
# the libraries of .xlsx files are opened only by a run that reads or writes
# one (runtime/lazy_lib.h): not linked, so a run of CSV never loads them
for name in check test score jobs no_cache test_no_cache failing; do
  ! grep -E '"[^"]*/(libzip|libexpat|libxlsxwriter|libcrypto)\.so[^"]*"' "trace.$name" | grep -v ' = -1 ' | grep -q . ||
    die "$name: a run of CSV loads the libraries of workbooks: $(grep -oE '(libzip|libexpat|libxlsxwriter|libcrypto)\.so[.0-9]*' "trace.$name" | sort -u | tr '\n' ' ')"
done
[ -z "$(ls -A tmp)" ] || die "workbook: temporary files left in TMPDIR: $(ls -A tmp)"
grep -E 'open.*"[^"]*/libxlsxwriter\.so[^"]*".* = [0-9]' "trace.workbook" | grep -q . || die "workbook: libxlsxwriter was not opened"
cmp -s out/chengwu.csv out/no_cache.csv || die "--no-cache gave other bytes"
[ -n "$(find cache/rubric -name '*.o')" ] || die "no entry in the cache"
[ -s out/chengwu.csv ] && [ -s out/towns.csv ] && [ -s out/departments.json ] && [ -s out/chengwu.xlsx ] ||
  die "an output is missing"
[ ! -e out/none.csv ] || die "a failing run wrote its output"
[ "$(ls -A out | grep -c '^\.')" = 0 ] || die "a temporary file was left in out/: $(ls -A out)"
# the outputs were written through a temporary file renamed over them
grep -q 'rename(".*out/\.chengwu\.csv\.[A-Za-z0-9]*", ".*out/chengwu\.csv")' trace.score || die "score: no atomic rename"

# the same bytes, run after run
"$rubric" score "$c/chengwu_2022.rubric" --entities "$c/heze_counties.csv" --periods "$c/heze_months.csv" -o again.csv
cmp -s out/chengwu.csv again.csv || die "two runs of the same job gave different bytes"
n=$((n + 1))

[ $fail = 0 ] && echo "guarantees: $n runs hold (no network, no file but the outputs and the cache, the same bytes)"
exit $fail
