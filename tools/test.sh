#!/usr/bin/env bash
# test.sh [--sanitize]: builds Rubric with warnings as errors and runs every
# test (unit, end to end, tests in Rubric, the oracle comparison).
# --sanitize builds in build-asan with -fsanitize=address,undefined.
set -eu
cd "$(dirname "$0")/.."
bash tools/deps.sh
dir=build flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
if [ "${1:-}" = "--sanitize" ]; then
  dir=build-asan flags=(-DCMAKE_BUILD_TYPE=Debug -DRUBRIC_SANITIZE=ON)
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
fi
cmake -S . -B "$dir" -DRUBRIC_WERROR=ON "${flags[@]}" > "$dir.log" 2>&1 || { cat "$dir.log"; exit 1; }
cmake --build "$dir" -j"$(nproc)" >> "$dir.log" 2>&1 || { cat "$dir.log"; exit 1; }
ctest --test-dir "$dir" -j"$(nproc)" --output-on-failure
