#!/usr/bin/env bash
# i18n.sh RUBRIC SRC_DIR: the Chinese catalogue translates every message the
# sources can print, and rubric speaks Chinese with --lang zh or a Chinese LANG.
set -u
rubric=$1 src=$2
fail=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
po=$src/compiler/po/zh_CN.po
stats=$(msgfmt --check-format --statistics -o /dev/null "$po" 2>&1) || { echo "FAIL: msgfmt: $stats"; fail=1; }
case "$stats" in *untranslated*|*fuzzy*) echo "FAIL: the catalogue is incomplete: $stats"; fail=1 ;; esac
# every message in the sources has its translation (the catalogue is not stale)
bash "$src/tools/update-po.sh" --pot "$work/now.pot" 2>/dev/null
msgcmp "$po" "$work/now.pot" 2> "$work/msgcmp" || { echo "FAIL: messages without a translation:"; head -20 "$work/msgcmp"; fail=1; }

scheme=$src/tests/e2e/check/tiers.rubric
zh=$("$rubric" --lang zh check "$scheme" 2>&1)
echo "$zh" | grep -q '错误\[R0601\]' || { echo "FAIL: --lang zh did not give Chinese: $zh"; fail=1; }
echo "$zh" | grep -q 'error\[' && { echo "FAIL: English severity in Chinese output"; fail=1; }
lang=$(LANG=zh_CN.UTF-8 "$rubric" check "$scheme" 2>&1)
[ "$lang" = "$zh" ] || { echo "FAIL: LANG=zh_CN.UTF-8 does not give the same Chinese output"; fail=1; }
en=$(LANG=zh_CN.UTF-8 "$rubric" --lang en check "$scheme" 2>&1)
echo "$en" | grep -q 'error\[R0601\]: these tiers leave values' || { echo "FAIL: --lang en under a Chinese LANG"; fail=1; }
"$rubric" --lang fr check "$scheme" > /dev/null 2>&1; [ $? -eq 2 ] || { echo "FAIL: --lang fr is not a usage error"; fail=1; }
# data errors too
data=$(cd "$src/tests/e2e/data" && "$rubric" --lang zh score mini.rubric --entities non_numeric.csv --periods good_months.csv 2>&1)
echo "$data" | grep -q "non_numeric.csv:3: 错误" || { echo "FAIL: data errors are not in Chinese: $data"; fail=1; }
[ $fail = 0 ] && echo "Chinese messages: $stats"
exit $fail
