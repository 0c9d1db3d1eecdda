#!/usr/bin/env bash
# seeds.sh RUBRIC RUBRIC_REF SRC_DIR [ROWS]
# The five seed schemes of examples/ (Chengwu, Linyi, Pingyin, Rushan,
# Gaoqing) on ROWS (default 2000; REF_ROWS overrides) generated rows per
# generator (tests/<seed>/gen_data.py): `rubric score` must write the same
# bytes as the reference interpreter, and tied totals must share a rank.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
exec "${PYTHON:-python3}" "$here/run.py" seeds "$1" "$2" "$3" --rows "${4:-${REF_ROWS:-2000}}"
