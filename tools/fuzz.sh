#!/usr/bin/env bash
# fuzz.sh [--keep] [--jobs N] [SECONDS]: builds the libFuzzer targets with
# clang (build-fuzz, -DRUBRIC_FUZZ=ON) and runs each of fuzz_check,
# fuzz_score and fuzz_test for SECONDS (default 60) from its kept corpus
# (tests/fuzz/corpus/NAME) with its dictionary, ASan, UBSan and leak checks.
#
# New interesting inputs go to build-fuzz/fuzz-out/NAME/corpus, never into
# the repository, unless --keep: then they are merged (-merge=1, only those
# that add coverage) into tests/fuzz/corpus/NAME. A crash, a leak, a
# sanitizer report, a timeout or running out of memory fails the script; its
# input is kept in build-fuzz/fuzz-out/NAME/ and named in the output, with
# the command that replays it. --jobs N runs N targets at a time (default:
# one per core, at most 3). Installs missing Debian packages like test.sh
# (tools/deps.sh). FUZZ_TARGETS="check score" runs some targets only;
# FUZZ_FLAGS adds libFuzzer flags (e.g. "-rss_limit_mb=8192").
set -eu
cd "$(dirname "$0")/.."
keep=0 seconds=60 jobs=
while [ $# -gt 0 ]; do
  case $1 in
    --keep) keep=1 ;;
    --jobs) jobs=$2; shift ;;
    --jobs=*) jobs=${1#--jobs=} ;;
    -h|--help) sed -n '2,16s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *[!0-9]*|'') echo "usage: tools/fuzz.sh [--keep] [--jobs N] [SECONDS]" >&2; exit 2 ;;
    *) seconds=$1 ;;
  esac
  shift
done
[ -n "$jobs" ] || jobs=$(nproc)
[ "$jobs" -ge 1 ] 2>/dev/null || { echo "fuzz.sh: --jobs takes a number" >&2; exit 2; }
[ "$jobs" -le 3 ] || jobs=3
targets=${FUZZ_TARGETS:-check score test}

bash tools/deps.sh
dir=build-fuzz
mkdir -p "$dir"
log=$dir/build.log
cc=$(command -v clang-14 || command -v clang || true)
[ -n "$cc" ] || { echo "fuzz.sh: no clang (tools/deps.sh installs clang-14)" >&2; exit 1; }
cmake -S . -B "$dir" -DCMAKE_C_COMPILER="$cc" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRUBRIC_FUZZ=ON > "$log" 2>&1 ||
  { cat "$log"; exit 1; }
build_targets=()
for t in $targets; do build_targets+=(--target "fuzz_$t"); done
cmake --build "$dir" -j"$(nproc)" "${build_targets[@]}" >> "$log" 2>&1 || { cat "$log"; exit 1; }

# Reports with file:line: a symbolizer (llvm-19's is there with llvm-19-dev).
for s in "$(command -v llvm-symbolizer || true)" /usr/lib/llvm-14/bin/llvm-symbolizer /usr/lib/llvm-19/bin/llvm-symbolizer; do
  if [ -n "$s" ] && [ -x "$s" ]; then export ASAN_SYMBOLIZER_PATH=$s; break; fi
done
export ASAN_OPTIONS=detect_leaks=1:${ASAN_OPTIONS:-}
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}

out=$(pwd)/$dir/fuzz-out
rm -rf "$out"
mkdir -p "$out"

# Per target: dictionary, longest input, seconds one input may take, memory.
opts_check=(-dict=tests/fuzz/rubric.dict -max_len=65536 -timeout=30 -rss_limit_mb=2048)
opts_score=(-dict=tests/fuzz/csv.dict -max_len=262144 -timeout=30 -rss_limit_mb=4096)
opts_test=(-dict=tests/fuzz/rubric.dict -max_len=65536 -timeout=60 -rss_limit_mb=4096)

run_target() { # NAME: fuzzes it; its log is $out/NAME/fuzz.log
  local t=$1 o=$out/$1
  local -n opts=opts_$t
  mkdir -p "$o/corpus" "$o/tmp"
  # new inputs go to the first folder (the scratch one); the kept corpus is read only.
  # TMPDIR: where fuzz_score writes its tables.
  local status=0
  TMPDIR=$o/tmp "$dir/tests/fuzz/fuzz_$t" "$o/corpus" "tests/fuzz/corpus/$t" "${opts[@]}" \
    -max_total_time="$seconds" -artifact_prefix="$o/" -print_final_stats=1 ${FUZZ_FLAGS:-} \
    > "$o/fuzz.log" 2>&1 || status=$?
  echo "$status" > "$o/status"
  rm -rf "$o/tmp"
}

echo "fuzz.sh: running ${targets// /, } for ${seconds}s each, $jobs at a time (logs in $out)"
running=0
for t in $targets; do
  run_target "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then wait -n || true; running=$((running - 1)); fi
done
wait

failed=0
printf '%-12s %12s %8s %8s %8s %8s  %s\n' target executions exec/s cov ft new result
for t in $targets; do
  o=$out/$t
  status=$(cat "$o/status" 2>/dev/null || echo 1)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$o/fuzz.log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$o/fuzz.log" | tail -1)
  added=$(sed -n 's/^stat::new_units_added: *//p' "$o/fuzz.log" | tail -1)
  last=$(grep -E '^#[0-9]+.*cov: ' "$o/fuzz.log" | tail -1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<< "$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<< "$last")
  shopt -s nullglob
  found=("$o"/crash-* "$o"/leak-* "$o"/timeout-* "$o"/oom-*)
  shopt -u nullglob
  result=ok
  if [ "$status" != 0 ] || [ ${#found[@]} -gt 0 ]; then
    result="FAILED (exit $status, ${#found[@]} input(s))"
    failed=1
  fi
  printf '%-12s %12s %8s %8s %8s %8s  %s\n' "$t" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "${added:-?}" "$result"
  if [ "$result" != ok ]; then
    # the report: from the sanitizer's or libFuzzer's first line to the end
    grep -n -m1 -E '^==[0-9]+==ERROR|runtime error:|^==[0-9]+== ERROR: libFuzzer|deadly signal' "$o/fuzz.log" |
      cut -d: -f1 | { read -r n || n=1; tail -n +"$n" "$o/fuzz.log" | head -60 | sed 's/^/    /'; }
    for f in "${found[@]}"; do
      echo "  input: $f"
      echo "  replay: $dir/tests/fuzz/fuzz_$t $f   (or build/tests/fuzz/fuzz_${t}_replay $f)"
      echo "  minimise: $dir/tests/fuzz/fuzz_$t -minimize_crash=1 -runs=10000 -exact_artifact_path=$f.min $f"
    done
  fi
done

if [ "$keep" = 1 ]; then
  for t in $targets; do
    n=$(find "$out/$t/corpus" -type f | wc -l)
    [ "$n" -gt 0 ] || continue
    before=$(find "tests/fuzz/corpus/$t" -type f | wc -l)
    declare -n opts=opts_$t
    TMPDIR=$out/$t "$dir/tests/fuzz/fuzz_$t" -merge=1 "${opts[@]}" \
      "tests/fuzz/corpus/$t" "$out/$t/corpus" > "$out/$t/merge.log" 2>&1 ||
      { echo "fuzz.sh: merging $t failed (see $out/$t/merge.log)"; failed=1; continue; }
    after=$(find "tests/fuzz/corpus/$t" -type f | wc -l)
    echo "fuzz.sh: kept $((after - before)) of $n new $t inputs in tests/fuzz/corpus/$t"
  done
fi
[ "$failed" = 0 ] || { echo "fuzz.sh: FAILED: see the inputs above (keep them in tests/fuzz/crashes/)"; exit 1; }
echo "fuzz.sh: no crashes"
