#!/usr/bin/env bash
# expect.sh DIR EXPECTED -- COMMAND...
# Runs COMMAND in DIR and compares what it prints on stderr, then a line
# "exit: N", with the golden file EXPECTED. Set UPDATE_GOLDEN=1 to rewrite it.
set -u
dir=$1 expected=$2
shift 2
[ "$1" = "--" ] && shift
actual=$(mktemp)
trap 'rm -f "$actual"' EXIT
(cd "$dir" && "$@" 2>&1 >/dev/null; echo "exit: $?") > "$actual"
if [ "${UPDATE_GOLDEN:-}" = 1 ]; then cp "$actual" "$expected"; exit 0; fi
if ! diff -u "$expected" "$actual"; then
  echo "FAIL: output of '$*' in $dir differs from $expected" >&2
  exit 1
fi
