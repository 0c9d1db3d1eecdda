#!/usr/bin/env bash
# cli.sh RUBRIC SRC_DIR: the command line's promises: help, version, exit codes.
set -u
rubric=$1 src=$2
fail=0
expect_status() { # want command...
  local want=$1; shift
  "$@" >/dev/null 2>&1
  local got=$?
  if [ "$got" != "$want" ]; then echo "FAIL: '$*' exited $got, expected $want"; fail=1; fi
}
expect_out() { # pattern command...
  local pat=$1; shift
  if ! "$@" 2>&1 | grep -q -- "$pat"; then echo "FAIL: '$*' does not print '$pat'"; fail=1; fi
}
scheme=$src/examples/chengwu/chengwu_2022.rubric
expect_status 0 "$rubric" --version
expect_out "rubric 0.1.0 (LLVM 19" "$rubric" --version
expect_status 0 "$rubric" --help
for cmd in check test score emit-llvm; do
  expect_status 0 "$rubric" $cmd --help
  expect_out "usage: rubric $cmd" "$rubric" $cmd --help
done
expect_status 2 "$rubric"
expect_status 2 "$rubric" frobnicate
expect_status 2 "$rubric" check
expect_status 2 "$rubric" check --no-such-option "$scheme"
expect_status 2 "$rubric" check /no/such/file.rubric
expect_out "/no/such/file.rubric: error\[R0001\]: cannot open: No such file or directory" "$rubric" check /no/such/file.rubric
expect_status 2 "$rubric" score "$scheme"
expect_status 0 "$rubric" check "$scheme"
expect_status 0 "$rubric" check --werror "$scheme"
expect_status 1 "$rubric" check --werror "$src/tests/e2e/check/clean_warning.rubric"
expect_status 0 "$rubric" check "$src/tests/e2e/check/clean_warning.rubric"
expect_status 0 "$rubric" test "$scheme"
expect_out "65 passed, 0 failed" "$rubric" test "$scheme"
# score writes to stdout without -o
expect_out "^id,name,total,rank,city_rank,gov_dishonest,blacklist," "$rubric" score "$scheme" \
  --entities "$src/examples/chengwu/heze_counties.csv" --periods "$src/examples/chengwu/heze_months.csv"
# --decimals rounds for reading: 定陶区's xyd_loans 1.8171428571428572 -> 1.8171, 16 stays 16
expect_out "^371703,定陶区,66.2662,6,16,8,1.7888,1.2,2.4,5,2,0,3.6,5.4615,1.8171," "$rubric" score "$scheme" --decimals 4 \
  --entities "$src/examples/chengwu/heze_counties.csv" --periods "$src/examples/chengwu/heze_months.csv"
expect_status 2 "$rubric" score "$scheme" --decimals x --entities "$src/examples/chengwu/heze_counties.csv"
# --stats names the JIT-compiled native function that scored the rows
expect_out "with native function rubric_score_chengwu_2022 at 0x[0-9a-f]* (LLVM ORC JIT)" "$rubric" score "$scheme" --stats \
  --entities "$src/examples/chengwu/heze_counties.csv" --periods "$src/examples/chengwu/heze_months.csv"
# an output folder that does not exist is an I/O error, with the path named
expect_status 2 "$rubric" score "$scheme" -o /no/such/dir/out.csv \
  --entities "$src/examples/chengwu/heze_counties.csv" --periods "$src/examples/chengwu/heze_months.csv"
exit $fail
