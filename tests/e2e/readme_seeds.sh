#!/usr/bin/env bash
# readme_seeds.sh RUBRIC SRC_DIR: every `rubric score` command of the README's
# "The seed schemes" section runs as written (with this build's binary) and
# writes its outputs.
set -u
rubric=$1 src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ln -s "$src/examples" "$work/examples"
awk '/^## The seed schemes/ {on=1} on && /^## / && !/seed schemes/ {exit} on' "$src/README.md" |
  grep '^\./build/tools/rubric score ' > "$work/commands"
n=$(wc -l < "$work/commands")
[ "$n" -eq 5 ] || { echo "FAIL: expected 5 score commands in the README, found $n"; exit 1; }
cd "$work" && mkdir out
fail=0
while read -r line; do
  eval "set -- ${line#./build/tools/rubric }"
  if ! "$rubric" "$@" 2> err; then echo "FAIL: $line"; cat err; fail=1; fi
  for o in $(echo "$line" | grep -o 'out/[a-z_]*\.csv'); do
    [ -s "$o" ] || { echo "FAIL: $line did not write $o"; fail=1; }
  done
done < commands
[ $fail -eq 0 ] && echo "README seed commands: $n ran, $(ls out | wc -l) outputs"
exit $fail
