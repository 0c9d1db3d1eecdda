#!/usr/bin/env bash
# limits.sh RUBRIC SRC_DIR: every limit of the tool is a located error, not a
# crash, a silent truncation or unbounded memory (spec/guarantees.md).
set -u
rubric=$1 src=$2
py=${PYTHON:-python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail=0 n=0
die() { echo "FAIL: $*"; fail=1; }

# expect NAME STATUS PATTERN COMMAND...: the exit status, and PATTERN in what it printed
expect() {
  local name=$1 want=$2 pat=$3; shift 3
  n=$((n + 1))
  "$@" > out 2> err
  local got=$?
  [ "$got" = "$want" ] || { die "$name: exit $got, expected $want"; head -3 err; return; }
  if [ -z "$pat" ]; then [ ! -s err ] || { die "$name: printed"; head -3 err | cut -c1-200; }; return; fi
  grep -q -- "$pat" err || { die "$name: no '$pat' in:"; head -3 err | cut -c1-200; }
}

# A scheme around one rule: scheme RULE [DECLARATIONS]
scheme() {
  printf 'scheme s "s" {\n  total 4\n  input a: count\n%s\n  indicator x "x" points 4 { %s }\n}\n' "${2:-}" "$1"
}

# nesting depth (200)
"$py" -c "print('min(4, ' + ' + '.join(['a'] * 210) + ')')" > rule
scheme "$(cat rule)" > deep.rubric
expect "nesting 210" 1 "^deep.rubric:5:37: error\[R0203\]: this expression nests more than 200 levels deep" \
  "$rubric" check deep.rubric
"$py" -c "print('min(4, ' + ' + '.join(['a'] * 190) + ')')" > rule
scheme "$(cat rule)" > deep_ok.rubric
expect "nesting 190" 0 "" "$rubric" check --quiet deep_ok.rubric

# tiers in one list (30)
"$py" -c "print(', '.join('%d if a == %d' % (i % 5, i) for i in range(31)) + ', 0 otherwise')" > rule
scheme "$(cat rule)" > tiers.rubric
expect "31 tiers" 1 "^tiers.rubric:5:30: error\[R0204\]: 31 tiers in one list: at most 30" "$rubric" check tiers.rubric

# arguments in one call (64)
"$py" -c "print('min(4, ' + ', '.join(['a'] * 64) + ')')" > rule
scheme "$(cat rule)" > args.rubric
expect "65 arguments" 1 "^args.rubric:5:30: error\[R0204\]: 65 arguments in one call: at most 64" "$rubric" check args.rubric

# blocks nested in one another (64)
"$py" -c "
print('scheme s \"s\" {\n  total 4\n  input a: count')
print('  indicator x \"x\" points 4 {' + ' item i \"i\" points 4 {' * 64 + ' min(4, a) ' + '}' * 64 + '}')
print('}')" > blocks.rubric
expect "65 blocks" 1 "^blocks.rubric:4:.*error\[R0204\]: more than 64 blocks nested in one another" "$rubric" check blocks.rubric

# periods (1000), and values in one example list (1000)
scheme "4" "  period day 1 to 1001" > periods.rubric
expect "1001 periods" 1 "^periods.rubric:4:3: error\[R0204\]: 1001 periods: at most 1000" "$rubric" check periods.rubric
"$py" -c "print('[' + ', '.join(['1'] * 1001) + ']')" > list
printf 'scheme s "s" {\n  total 4\n  period day 1 to 1000\n  input a: count per day\n  indicator x "x" points 4 { min(4, sum(a)) }\n  example "e" { a = %s; expect x = 4 }\n}\n' "$(cat list)" > list.rubric
expect "1001 values" 1 "^list.rubric:6:.*error\[R0204\]: more than 1000 values in one list" "$rubric" check list.rubric

# inputs and parts in one scheme (200,000 each)
"$py" -c "
print('scheme big \"big\" {\n  total 1')
for i in range(200001): print('  input a%d: count' % i)
print('  indicator x \"x\" points 1 { 1 if a0 > 0, 0 otherwise }\n}')" > inputs.rubric
expect "200,001 inputs" 1 "^inputs.rubric:200003:3: error\[R0204\]: more than 200000 inputs in one scheme" \
  "$rubric" check --quiet inputs.rubric
"$py" -c "
print('scheme big \"big\" {\n  total 200001\n  input a: count')
for i in range(200001): print('  indicator i%d \"\" points 1 { 1 if a > %d, 0 otherwise }' % (i, i))
print('}')" > parts.rubric
expect "200,001 parts" 1 "^parts.rubric:200004:3: error\[R0204\]: more than 200000 parts" "$rubric" check --quiet parts.rubric

# a scheme file of more than 64 MB
"$py" -c "
import sys
sys.stdout.write('# ' + 'x' * (65 << 20) + '\n')" > huge.rubric
expect "65 MB scheme" 2 "^huge.rubric: error\[R0001\]: larger than 64 MB: not a scheme" "$rubric" check huge.rubric

# CSV: a field of more than 1 MB, a row of more than 10,000 fields
m=$src/tests/e2e/data
"$py" -c "
print('id,name,a,b,ok')
print('1,' + 'x' * ((1 << 20) + 1) + ',1,2,1')" > field.csv
expect "1 MB field" 1 "^field.csv:2: error\[R1102\]: a field longer than 1 MB (column 'name')" \
  "$rubric" score "$m/mini.rubric" --entities field.csv --periods "$m/good_months.csv" -o o.csv
"$py" -c "print(','.join(['id', 'name', 'a', 'b', 'ok'] + ['c%d' % i for i in range(10000)]))" > wide.csv
expect "10,001 columns" 1 "^wide.csv:1: error\[R1102\]: more than 10000 fields in a row" \
  "$rubric" score "$m/mini.rubric" --entities wide.csv --periods "$m/good_months.csv" -o o.csv
[ ! -e o.csv ] || die "a limit wrote an output"

[ $fail = 0 ] && echo "limits: $n cases hold"
exit $fail
