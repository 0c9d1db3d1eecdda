#!/usr/bin/env bash
# output_targets.sh RUBRIC SRC_DIR: `score -o X` for X that is not a plain
# file: a symlink is followed (the link stays), a device or FIFO is written
# and never replaced, a directory or a missing folder is refused with exit 2,
# a full device or a full stdout fails the run; no temp file is left behind.
set -u
rubric=$1 src=$2
work=$(mktemp -d)
reader=
trap '[ -n "$reader" ] && kill "$reader" 2>/dev/null; rm -rf "$work"' EXIT
fail=0
die() { echo "FAIL: $*"; fail=1; }
ex=$src/examples/chengwu
score() { "$rubric" score "$ex/chengwu_2022.rubric" --entities "$ex/heze_counties.csv" --periods "$ex/heze_months.csv" "$@"; }
# no_temp DIR NAME: no ".NAME.XXXXXX" temp file is left in DIR
no_temp() {
  local left
  left=$(find "$1" -maxdepth 1 -name ".$2.??????" 2>/dev/null)
  [ -z "$left" ] || die "temp file left behind: $left"
}

score -o "$work/ref.csv" 2>"$work/err" || { echo "FAIL: the plain run failed: $(cat "$work/err")"; exit 1; }
[ -s "$work/ref.csv" ] || { echo "FAIL: the plain run wrote nothing"; exit 1; }

# First on a private copy of /dev/full (when mknod is allowed, i.e. as root):
# a binary that renames over device nodes must not get near the real one.
if mknod "$work/full" c 1 7 2>/dev/null; then
  score -o "$work/full" 2>/dev/null
  if [ ! -c "$work/full" ]; then
    echo "FAIL: -o DEVICE replaced the device node with a file; not trying /dev/full"
    exit 1
  fi
  no_temp "$work" full
fi

# A symlink into a scratch folder: the target gets the table, the link stays.
mkdir "$work/sub"
echo old > "$work/sub/table.csv"
ln -s sub/table.csv "$work/link.csv"
score -o "$work/link.csv" 2>"$work/err" || die "-o LINK failed: $(cat "$work/err")"
[ -L "$work/link.csv" ] || die "-o LINK: the link is no longer a link"
[ "$(readlink "$work/link.csv")" = sub/table.csv ] || die "-o LINK: the link was changed"
cmp -s "$work/ref.csv" "$work/sub/table.csv" || die "-o LINK: the target does not hold the table"
# ... and a dangling one: its target is created.
ln -s "$work/sub/new.csv" "$work/dangling.csv"
score -o "$work/dangling.csv" 2>"$work/err" || die "-o DANGLING_LINK failed: $(cat "$work/err")"
[ -L "$work/dangling.csv" ] || die "-o DANGLING_LINK: the link is no longer a link"
cmp -s "$work/ref.csv" "$work/sub/new.csv" || die "-o DANGLING_LINK: the target does not hold the table"
no_temp "$work/sub" table.csv
no_temp "$work/sub" new.csv

# A FIFO: written through to its reader, still a FIFO afterwards.
mkfifo "$work/pipe"
timeout 60 cat "$work/pipe" > "$work/piped.csv" &
reader=$!
score -o "$work/pipe" 2>"$work/err" || die "-o FIFO failed: $(cat "$work/err")"
[ -p "$work/pipe" ] || { die "-o FIFO: no longer a FIFO"; kill "$reader" 2>/dev/null; }
wait "$reader"
reader=
cmp -s "$work/ref.csv" "$work/piped.csv" || die "-o FIFO: the reader did not get the table"

# /dev/null takes it.
score -o /dev/null 2>"$work/err" || die "-o /dev/null failed: $(cat "$work/err")"
[ -c /dev/null ] || die "/dev/null is no longer a character device"

# A directory: exit 2 with a message, nothing in or beside it.
mkdir "$work/adir"
score -o "$work/adir" 2>"$work/err"
rc=$?
[ $rc -eq 2 ] || die "-o DIRECTORY exited $rc, expected 2"
grep -qF "$work/adir: is a directory" "$work/err" || die "-o DIRECTORY message: $(cat "$work/err")"
[ -z "$(ls -A "$work/adir")" ] || die "-o DIRECTORY wrote into the directory"
no_temp "$work" adir

# A missing folder: exit 2 with a message naming the path, nothing created.
score -o "$work/missing/out.csv" 2>"$work/err"
rc=$?
[ $rc -eq 2 ] || die "-o MISSING/out.csv exited $rc, expected 2"
grep -qF "$work/missing/out.csv" "$work/err" || die "-o MISSING/out.csv message: $(cat "$work/err")"
[ ! -e "$work/missing" ] || die "-o MISSING/out.csv created the folder"

# /dev/full: the failed write is an error naming it; it stays a device.
if [ -w /dev/full ]; then
  score -o /dev/full 2>"$work/err"
  rc=$?
  [ $rc -eq 2 ] || die "-o /dev/full exited $rc, expected 2"
  grep -qF "/dev/full: " "$work/err" || die "-o /dev/full message: $(cat "$work/err")"
  test -c /dev/full || die "/dev/full is no longer a character device"
  no_temp /dev full

  # stdout to a full device fails too.
  score > /dev/full 2>"$work/err"
  rc=$?
  [ $rc -eq 2 ] || die "score > /dev/full exited $rc, expected 2"
  grep -qF "stdout: write failed" "$work/err" || die "score > /dev/full message: $(cat "$work/err")"
fi

# stdout gets the same table.
score > "$work/stdout.csv" 2>"$work/err" || die "score > FILE failed: $(cat "$work/err")"
cmp -s "$work/ref.csv" "$work/stdout.csv" || die "stdout does not hold the table"

no_temp "$work" ref.csv
exit $fail
