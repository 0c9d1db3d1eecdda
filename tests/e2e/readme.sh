#!/usr/bin/env bash
# readme.sh RUBRIC README: the README's tour scheme checks clean and its examples
# pass, and the data-error example of its "Commands" section (a ```console block:
# a "$ ./build/tools/rubric ..." line, then its exact output, standard error then
# standard output) prints what the README shows and exits 3 (incomplete
# entities), run in a scratch folder that sees the project's examples/.
set -eu
rubric=$1 readme=$2
root=$(cd "$(dirname "$readme")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
awk '/^## A tour/ {tour=1} tour && /^```$/ {n++; if (n == 2) exit; next} tour && n == 1 {print}' "$readme" > "$work/tour.rubric"
grep -q '^scheme ' "$work/tour.rubric" || { echo "FAIL: no scheme found in the README's tour"; exit 1; }
"$rubric" check "$work/tour.rubric"
"$rubric" test "$work/tour.rubric"

awk '/^## Commands/ {on=1; next} on && /^## / {exit} on && /^```console$/ {c=1; next} c && /^```$/ {exit} c {print}' \
  "$readme" > "$work/block"
grep -q '^\$ \./build/tools/rubric ' "$work/block" || { echo "FAIL: no console example in the README's Commands"; exit 1; }
[ "$(grep -c '^\$ ' "$work/block")" -eq 1 ] || { echo "FAIL: expected one command in the README's console example"; exit 1; }
cmd=$(sed -n 's/^\$ \.\/build\/tools\/rubric //p' "$work/block")
sed '1d' "$work/block" > "$work/expected"
eval "set -- $cmd"
status=0
mkdir "$work/run" && ln -s "$root/examples" "$work/run/examples"
(cd "$work/run" && "$rubric" "$@") > "$work/out" 2> "$work/err" || status=$?
cat "$work/err" "$work/out" > "$work/actual"
if ! cmp -s "$work/expected" "$work/actual"; then
  echo "FAIL: the README's console example prints something else:"
  diff "$work/expected" "$work/actual" || true
  exit 1
fi
[ $status -eq 3 ] || { echo "FAIL: the README's example exited $status, not 3"; exit 1; }
grep -q ',incomplete,indicator info_collection' "$work/run/heze.csv" || { echo "FAIL: the README's example wrote no incomplete rows"; exit 1; }
echo "README: the tour checks clean, and the incomplete-entities example prints what it shows"
