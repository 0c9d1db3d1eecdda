#!/usr/bin/env bash
# staged_peers.sh RUBRIC SRC_DIR: peer statistics over other statistics
# (spec/semantics.md#staged-passes), on generated towns compared by county
# (peers by parent): every score, total and rank of staged/staged.rubric
# against staged/oracle.py, written from the document's words; a county
# whose stage-1 ratio cannot be computed fails its stage-2 rank; a bad cell
# (--partial-data) spoils the stage-2 and stage-3 statistics of its county;
# 1 and 2 threads write the same bytes, and reversed rows the same rows;
# explain names who set a stage-3 maximum.
set -u
rubric=$(realpath "$1") src=$(realpath "$2")
py=${PYTHON:-python3}
here=$src/tests/e2e/staged
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail=0
die() { echo "FAIL: $*"; fail=1; }

cp "$here/staged.rubric" .
"$rubric" check staged.rubric 2> check.err || die "check: exit $?"
grep -q "warning\[R1004\]: 'registered' can be 0" check.err || die "check: the zero denominator inside the stage-1 argument is not warned about"
"$rubric" test staged.rubric > test.out 2>&1 || { die "test: the example fails"; cat test.out; }
"$rubric" emit-llvm staged.rubric | grep '^define' | grep -o '@rubric_[a-z0-9_]*' > fns.txt
printf '%s\n' @rubric_peers_staged @rubric_peers2_staged @rubric_peers3_staged @rubric_score_staged | cmp -s - fns.txt \
  || { die "emit-llvm: not one pass per stage"; cat fns.txt; }

# every town against the oracle; county C2 has a town with no registered firms
"$py" "$here/gen_data.py" --seed 11 --counties 300 --out towns.csv
RUBRIC_THREADS=1 "$rubric" score staged.rubric --entities towns.csv -o scores1.csv 2> err1.txt
[ $? -eq 3 ] || die "score: exit status, expected 3 (some towns incomplete)"
"$py" "$here/oracle.py" towns.csv > oracle.txt
"$py" "$here/compare.py" scores1.csv oracle.txt || die "score: rubric and the oracle differ"
grep -q "error\[R1202\]: .*indicator combined: division by zero in 'xyd_firms / registered'" err1.txt \
  || die "the town with no registered firms does not report its own division"
[ "$(grep -c "error\[R1204\]: .*indicator combined: 'peers.ratio_to_max(xyd_firms / registered)' cannot be computed" err1.txt)" -ge 1 ] \
  || die "its county's other towns do not report the spoiled statistic"
grep -v "indicator combined" err1.txt | grep -q "error" && die "a failure beyond item 1 of county C2"
[ "$(grep -c "error\[R1202\]" err1.txt)" -eq 1 ] || die "one division by zero expected"

# explain: a stage-3 maximum and who set it, among the towns of a county that scores
first=$(sed -n 2p towns.csv | cut -d, -f1)
"$rubric" explain staged.rubric --entities towns.csv --id "$first" > explain.txt 2>&1
grep -qE "^    peers.max\(-peers.rank\(peers.share\(records\)\)\) = -?[0-9]+; own value -?[0-9]+; set by " explain.txt \
  || { die "explain: no stage-3 maximum with the towns that set it"; cat explain.txt; }

# the same bytes with 2 threads, and the same rows in reversed order
RUBRIC_THREADS=2 "$rubric" score staged.rubric --entities towns.csv -o scores2.csv 2> err2.txt
cmp -s scores1.csv scores2.csv || die "2 threads write other scores than 1"
cmp -s err1.txt err2.txt || die "2 threads report otherwise than 1"
{ head -1 towns.csv; tail -n +2 towns.csv | tac; } > reversed.csv
RUBRIC_THREADS=2 "$rubric" score staged.rubric --entities reversed.csv -o scores_r.csv 2> /dev/null
cmp -s <(tail -n +2 scores1.csv | sort) <(tail -n +2 scores_r.csv | sort) || die "reversed rows change the scores"

# a bad records cell of county C1 with --partial-data: items 2 and 3 of C1 fail, item 1 does not
"$py" "$here/gen_data.py" --seed 11 --counties 300 --bad-records --out towns_bad.csv
"$rubric" score staged.rubric --entities towns_bad.csv --partial-data -o scores_bad.csv 2> err_bad.txt
[ $? -eq 3 ] || die "partial data: exit status, expected 3"
"$py" "$here/oracle.py" towns_bad.csv > oracle_bad.txt
"$py" "$here/compare.py" scores_bad.csv oracle_bad.txt || die "partial data: rubric and the oracle differ"
grep -q "indicator places: a peer statistic reads a bad cell of entity" err_bad.txt \
  || die "partial data: the stage-3 statistic is not spoiled by the bad cell"
RUBRIC_THREADS=2 "$rubric" score staged.rubric --entities towns_bad.csv --partial-data -o scores_bad2.csv 2> /dev/null
cmp -s scores_bad.csv scores_bad2.csv || die "partial data: 2 threads write other scores than 1"

[ $fail -eq 0 ] && echo "ok: staged statistics agree with the oracle on $(($(wc -l < towns.csv) - 1)) towns, also by 2 threads, reversed and with a bad cell"
exit $fail
