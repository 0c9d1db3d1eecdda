#!/usr/bin/env bash
# setup.sh: installs what is missing, builds Rubric, and scores the bundled
# Chengwu 2022 example (the counties of Heze) to build/chengwu_scores.csv.
set -eu
cd "$(dirname "$0")/.."
bash tools/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo > build.log 2>&1 || { cat build.log; exit 1; }
cmake --build build -j"$(nproc)" >> build.log 2>&1 || { cat build.log; exit 1; }
# DuckDB, a test-only peer: the DuckDB row of bench/run.sh (bench/README.md), its
# npm package at the version bench/package-lock.json pins, in bench/node_modules.
# Optional: without node and npm, or offline, the benchmark runs without that row.
if command -v npm > /dev/null && command -v node > /dev/null; then
  node -e 'const want = require("./bench/package-lock.json").packages["node_modules/@duckdb/node-api"].version;
           process.exit(require("./bench/node_modules/@duckdb/node-api/package.json").version === want ? 0 : 1)' 2> /dev/null ||
    npm ci --prefix bench --no-audit --no-fund >> build.log 2>&1 ||
    echo "rubric: could not install DuckDB (npm ci --prefix bench, see build.log); bench/run.sh will leave out its row" >&2
else
  echo "rubric: no node and npm: DuckDB (npm ci --prefix bench) is not installed; bench/run.sh will leave out its row" >&2
fi
./build/tools/rubric check examples/chengwu/chengwu_2022.rubric
./build/tools/rubric score examples/chengwu/chengwu_2022.rubric \
  --entities examples/chengwu/heze_counties.csv --periods examples/chengwu/heze_months.csv \
  --decimals 4 -o build/chengwu_scores.csv
echo "rubric: scores written to build/chengwu_scores.csv"
column -s, -t < build/chengwu_scores.csv 2>/dev/null || cat build/chengwu_scores.csv
