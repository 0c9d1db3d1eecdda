# steps.sh: sourced by the seed test scripts. step NAME COMMAND... runs the
# command, prints "ok NAME" or "FAIL NAME" with its output, and counts
# failures in $failures. Needs $work (a scratch folder).
failures=0

step() {
  local name=$1; shift
  if "$@" > "$work/log" 2>&1; then
    echo "ok   $name"
  else
    echo "FAIL $name"; sed 's/^/     /' "$work/log" | head -40
    failures=$((failures + 1))
  fi
}
