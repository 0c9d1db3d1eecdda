#!/usr/bin/env bash
# readme_seeds.sh RUBRIC SRC_DIR: every `rubric score` command of the README's
# "The seed schemes" section runs as written (with this build's binary), and
# every output it writes is compared with that seed's independent oracle
# (tests/<seed>/oracle.py), as tests/<seed>/run.sh compares them: a wrong
# score, a missing row or column, or an output not written fails.
set -u
rubric=$1 src=$2
py=${PYTHON:-python3}
t=$src/tests
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ln -s "$src/examples" "$work/examples"
awk '/^## The seed schemes/ {on=1} on && /^## / && !/seed schemes/ {exit} on' "$src/README.md" |
  grep '^\./build/tools/rubric score ' > "$work/commands"
n=$(wc -l < "$work/commands")
[ "$n" -eq 5 ] || { echo "FAIL: expected 5 score commands in the README, found $n"; exit 1; }
cd "$work" && mkdir out exp
fail=0 compared=0

# The jobs of one `score` command line, one per line: SCHEME ENTITIES PERIODS OUT
# ("-" where there is none). As rubric reads them: options before the first
# --scheme belong to the first job, each later --scheme starts a job, and a
# job without --scheme scores the file's only scheme.
jobs_of() {
  "$py" - "$@" <<'EOF'
import re, sys
args = sys.argv[1:]
assert args[0] == "score", args
path = args[1]
ids = re.findall(r"^scheme\s+(\w+)", open(path, encoding="utf-8").read(), re.M)
jobs, seen, i = [{}], False, 2
keys = {"--scheme": "scheme", "--entities": "entities", "--periods": "periods", "-o": "out", "--output": "out"}
while i < len(args):
    a = args[i]
    if a not in keys:
        sys.exit("readme_seeds.sh: option %s not understood" % a)
    if a == "--scheme":
        if seen:
            jobs.append({})
        seen = True
    jobs[-1][keys[a]] = args[i + 1]
    i += 2
for j in jobs:
    s = j.get("scheme") or (ids[0] if len(ids) == 1 else "?")
    print(s, j.get("entities", "-"), j.get("periods", "-"), j.get("out", "-"))
EOF
}

# compare_job SCHEME ENTITIES PERIODS OUT: the oracle's table for the job's
# data, compared with what rubric wrote to OUT.
compare_job() {
  local id=$1 e=$2 p=$3 o=$4 x=exp/$1.csv
  local targets=("$py" "$t/common/compare.py" "$x" "$o" --key id,target --text name,title,met)
  case $id in
  chengwu_2022) "$py" "$t/chengwu/oracle.py" "$e" "$p" > "$x" &&
    "$py" "$t/chengwu/compare.py" "$x" "$o" ;;
  linyi_2019) "$py" "$t/linyi/oracle.py" "$e" "$p" > "$x" &&
    "$py" "$t/linyi/oracle.py" --compare "$x" "$o" ;;
  pingyin_towns) "$py" "$t/pingyin/oracle.py" towns "$e" "$p" > "$x" &&
    "$py" "$t/pingyin/oracle.py" compare "$x" "$o" ;;
  pingyin_departments) "$py" "$t/pingyin/oracle.py" departments "$e" "$p" > "$x" &&
    "$py" "$t/pingyin/oracle.py" compare "$x" "$o" ;;
  rushan_2022) "$py" "$t/rushan/oracle.py" city "$e" "$p" > "$x" && "${targets[@]}" ;;
  rushan_2022_towns) "$py" "$t/rushan/oracle.py" towns "$e" > "$x" && "${targets[@]}" ;;
  gaoqing_2021_sharing) "$py" "$t/gaoqing/oracle.py" departments "$e" > "$x" && "${targets[@]}" ;;
  gaoqing_2021_firms) "$py" "$t/gaoqing/oracle.py" firms "$e" > "$x" &&
    "$py" "$t/common/compare.py" "$x" "$o" --key id --text name,credit,credit_treatment ;;
  *) echo "no oracle for scheme '$id'"; return 1 ;;
  esac
}

while read -r line; do
  eval "set -- ${line#./build/tools/rubric }"
  if ! "$rubric" "$@" 2> err; then echo "FAIL: $line"; cat err; fail=1; continue; fi
  jobs_of "$@" > jobs || { echo "FAIL: cannot read the jobs of: $line"; fail=1; continue; }
  while read -r id e p o; do
    if [ "$o" = - ] || [ ! -s "$o" ]; then echo "FAIL: $line: scheme $id wrote no output file"; fail=1; continue; fi
    if compare_job "$id" "$e" "$p" "$o" > cmp 2>&1; then compared=$((compared + 1))
    else echo "FAIL: $id: $o differs from the oracle ($line)"; tail -25 cmp; fail=1; fi
  done < jobs
done < commands
[ $fail -eq 0 ] && echo "README seed commands: $n ran, $compared outputs equal to their oracles"
exit $fail
