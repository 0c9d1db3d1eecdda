#!/usr/bin/env bash
# mutants.sh RUBRIC SCHEME GOLDEN_DIR
# Makes broken copies of the Chengwu scheme, the way a policy writer might
# break it, and checks each against its golden diagnostics.
set -eu
rubric=$1 scheme=$2 golden=$3
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
mutate() { # name sed-expression
  sed -e "$2" "$scheme" > "$work/$1.rubric"
  if cmp -s "$scheme" "$work/$1.rubric"; then echo "FAIL: mutant $1 changed nothing" >&2; fail=1; return; fi
  bash "$here/expect.sh" "$work" "$golden/$1.expected" -- "$rubric" check "$1.rubric" || fail=1
}
# usc_code written as 2.2 points: the indicators add up to 99.8
mutate points_99_8 's/indicator usc_code "统一社会信用代码情况" points 2.4/indicator usc_code "统一社会信用代码情况" points 2.2/'
# an input name misspelt in a rule
mutate unknown_input 's/let share = serious_dishonest \/ market_entities/let share = serious_dishonest \/ market_entity/'
# a tier written without its 'if'
mutate syntax_error 's/    10 if platform_records > 7000万,/    10 platform_records > 7000万,/'
# a tier line without its trailing comma: the line break ends the rule
mutate missing_comma 's/    10 if platform_records > 7000万,/    10 if platform_records > 7000万/'
# the closing brace of an indicator forgotten
mutate unterminated_block '/^    deduct(full: 10, each: 1, count: gov_defaulters)$/{n;d}'
# 0.3 written for 0.3%: a warning, not an error
mutate bare_fraction 's/4 if share < 0.3%, 0 if share > 0.5%/4 if share < 0.3, 0 if share > 0.5%/'
exit $fail
