#!/usr/bin/env bash
# readme.sh RUBRIC README: the README's tour scheme checks clean and its examples pass.
set -eu
rubric=$1 readme=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
awk '/^## A tour/ {tour=1} tour && /^```$/ {n++; if (n == 2) exit; next} tour && n == 1 {print}' "$readme" > "$work/tour.rubric"
grep -q '^scheme ' "$work/tour.rubric" || { echo "FAIL: no scheme found in the README's tour"; exit 1; }
"$rubric" check "$work/tour.rubric"
"$rubric" test "$work/tour.rubric"
