#!/usr/bin/env bash
# data_case.sh RUBRIC CASE ENTITIES [PERIODS]
# Scores tests/e2e/data/mini.rubric with bad input and checks that:
# the messages match data/CASE.expected, the exit status is 1, no output
# file appears, and an output file that already existed is left untouched.
# A CASE named *_strict is scored with --strict (all or nothing).
set -u
rubric=$1 case=$2 entities=$3 periods=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here"/data/* "$work"/
args=(score mini.rubric --entities "$entities" -o out/scores.csv)
[ -n "$periods" ] && args+=(--periods "$periods")
case $case in *_strict) args+=(--strict) ;; esac
mkdir "$work/out"
bash "$here/expect.sh" "$work" "$here/data/$case.expected" -- "$rubric" "${args[@]}" || exit 1
if [ -n "$(ls -A "$work/out")" ]; then echo "FAIL: $case left files in the output folder: $(ls -A "$work/out")" >&2; exit 1; fi
# Again over an existing output file: it must come out byte for byte the same.
echo "previous scores" > "$work/out/scores.csv"
(cd "$work" && "$rubric" "${args[@]}" >/dev/null 2>&1)
if [ "$(cat "$work/out/scores.csv")" != "previous scores" ] || [ "$(ls -A "$work/out")" != "scores.csv" ]; then
  echo "FAIL: $case changed or added to an existing output file" >&2; exit 1
fi
