#!/usr/bin/env bash
# setup.sh: installs what is missing, builds Rubric, and scores the bundled
# Chengwu 2022 example (the counties of Heze) to build/chengwu_scores.csv.
set -eu
cd "$(dirname "$0")/.."
bash tools/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo > build.log 2>&1 || { cat build.log; exit 1; }
cmake --build build -j"$(nproc)" >> build.log 2>&1 || { cat build.log; exit 1; }
./build/tools/rubric check examples/chengwu/chengwu_2022.rubric
./build/tools/rubric score examples/chengwu/chengwu_2022.rubric \
  --entities examples/chengwu/heze_counties.csv --periods examples/chengwu/heze_months.csv \
  --decimals 4 -o build/chengwu_scores.csv
echo "rubric: scores written to build/chengwu_scores.csv"
column -s, -t < build/chengwu_scores.csv 2>/dev/null || cat build/chengwu_scores.csv
