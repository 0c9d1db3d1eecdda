#!/usr/bin/env bash
# extends.sh RUBRIC ROOT: a scheme that extends another (`extends chengwu_2022
# in "chengwu_2022.rubric"`, tests/e2e/extends/chengwu_2023.rubric: two
# indicators replaced, one added with its input, inherited examples dropped)
# scores every Heze county exactly as the same scheme written out in full
# (made here from the 2022 text), in CSV and JSON; check, test, explain and
# report work on it, and a message about an inherited rule points into the
# base file.
set -u
rubric=$1 root=$2
py=${PYTHON:-python3}
c=$root/examples/chengwu
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/base"
cp "$c/chengwu_2022.rubric" "$work/base/"
cp "$root/tests/e2e/extends/chengwu_2023.rubric" "$work/"
cd "$work"
sed -i 's|in "chengwu_2022.rubric"|in "base/chengwu_2022.rubric"|' chengwu_2023.rubric
fail=0
bad() { echo "FAIL: $*" >&2; fail=1; }

# The full text: the 2022 scheme with the same two indicators replaced, the
# input and the indicator added (the indicator after the last part, the
# input after the last input), the same examples dropped and added.
"$py" - "$c/chengwu_2022.rubric" chengwu_2023.rubric > full.rubric <<'EOF' || bad "could not write the full scheme"
import re, sys
base = open(sys.argv[1], encoding="utf-8").read()
ext = open(sys.argv[2], encoding="utf-8").read()
body = ext[ext.index("{\n") + 2:ext.rindex("}")]
def block(text, head):
    i = text.index(head)
    j = text.index("\n  }\n", i) + len("\n  }\n")
    return i, j
out = base.replace('scheme chengwu_2022 "成武县社会信用体系建设典型城市创建监测指标" {',
                   'scheme chengwu_2023 "成武县社会信用体系建设典型城市创建监测指标（2023）" {')
for ind in ("blacklist", "innovation"):
    i, j = block(out, f"  indicator {ind} ")
    k, l = block(body, f"  indicator {ind} ")
    out = out[:i] + body[k:l] + out[j:]
k, l = block(body, "  indicator credit_repair ")
first_example = out.index("\n  example ") + 1
out = out[:first_example] + body[k:l] + out[first_example:]
inp = re.search(r"  input credit_repairs:.*\n", body).group(0)
last_input = out.index("\n", out.index("  input pub_timeliness")) + 1
out = out[:last_input] + inp + out[last_input:]
for title in re.findall(r'drop example "([^"]*)"', body):
    m = re.search(r'\n  example "' + re.escape(title) + r'" \{(?:[^{}]*)\}\n', out)
    out = out[:m.start() + 1] + out[m.end():]
for m in re.finditer(r'\n  example "([^"]*)" \{[^\n]*\}', body):
    title = m.group(1)
    old = re.search(r'\n  example "' + re.escape(title) + r'" \{[^\n]*\}', out)
    if old:
        out = out[:old.start()] + m.group(0) + out[old.end():]
    else:
        end = out.rindex("}")
        out = out[:end] + m.group(0).lstrip("\n") + "\n" + out[end:]
sys.stdout.write(out)
EOF

# A column for the new input.
awk -F, 'BEGIN{OFS=","} NR==1{print $0, "credit_repairs"; next} {print $0, (NR * 3) % 14}' \
  "$c/heze_counties.csv" > counties.csv

for s in chengwu_2023.rubric full.rubric; do
  "$rubric" check "$s" > "check_$s.txt" 2>&1 || bad "check $s: $(cat "check_$s.txt")"
  "$rubric" test "$s" > "test_$s.txt" 2>&1 || bad "test $s: $(cat "test_$s.txt")"
  "$rubric" score "$s" --entities counties.csv --periods "$c/heze_months.csv" -o "scores_$s.csv" 2> err.txt ||
    bad "score $s: $(cat err.txt)"
  "$rubric" score "$s" --entities counties.csv --periods "$c/heze_months.csv" -o "scores_$s.json" 2> err.txt ||
    bad "score --json $s: $(cat err.txt)"
  "$rubric" explain "$s" --entities counties.csv --periods "$c/heze_months.csv" > "explain_$s.jsonl" 2> err.txt ||
    bad "explain $s: $(cat err.txt)"
  "$rubric" report "$s" --entities counties.csv --periods "$c/heze_months.csv" -o "report_$s.html" 2> err.txt ||
    bad "report $s: $(cat err.txt)"
done
grep -q "63 examples passed, 0 failed" test_chengwu_2023.rubric.txt || bad "test: $(cat test_chengwu_2023.rubric.txt)"
cmp -s scores_chengwu_2023.rubric.csv scores_full.rubric.csv || { bad "CSV scores differ"; diff scores_full.rubric.csv scores_chengwu_2023.rubric.csv | head; }
cmp -s scores_chengwu_2023.rubric.json scores_full.rubric.json || bad "JSON scores differ"
head -1 scores_full.rubric.csv | grep -q ',blacklist,.*,innovation,finance_risk,.*,credit_repair$' ||
  bad "columns: $(head -1 scores_full.rubric.csv)"
# explain: the same scores, losses, values and tiers; only the lines and the
# comments above a replaced rule (which the full text does not carry) differ
strip() { sed -E 's/"line": [0-9]+, //g; s/"source": "[^"]*", //g; s/"document": "([^"\\]|\\.)*", //g' "$1"; }
cmp -s <(strip explain_chengwu_2023.rubric.jsonl) <(strip explain_full.rubric.jsonl) ||
  { bad "explain differs"; diff <(strip explain_full.rubric.jsonl) <(strip explain_chengwu_2023.rubric.jsonl) | cut -c1-300 | head -4; }
"$rubric" explain chengwu_2023.rubric --entities counties.csv --periods "$c/heze_months.csv" --id 371723 > one.txt 2>&1 ||
  bad "explain --id: $(cat one.txt)"
grep -qxF '  信用信息归集情况 (info_collection), chengwu_2022.rubric:89' one.txt ||
  bad "explain: an inherited part's place is not in the base file: $(grep info_collection one.txt)"
grep -qxF '  信用修复 (credit_repair), chengwu_2023.rubric:19' one.txt ||
  bad "explain: the added part's place: $(grep credit_repair one.txt)"
grep -q '信用修复' report_chengwu_2023.rubric.html || bad "report: no added indicator"

# A message about an inherited rule points into the base file; one about the
# extension's own declaration into the extending file.
sed 's/indicator credit_repair "信用修复" points 1/indicator credit_repair "信用修复" points 2/' chengwu_2023.rubric > over.rubric
"$rubric" check over.rubric > over.txt 2>&1 && bad "over budget: checked clean"
grep -q '^base/chengwu_2022.rubric:9:9: error\[R0501\]' over.txt || bad "budget error not at the base's total: $(cat over.txt)"
printf 'scheme a "甲" extends chengwu_2022 in "nowhere.rubric" {\n  total 1\n}\n' > lost.rubric
"$rubric" check lost.rubric > lost.txt 2>&1 && bad "unreadable base: checked clean"
grep -q '^lost.rubric:1:38: error\[R0320\]' lost.txt || bad "unreadable base: $(cat lost.txt)"

# A chain of 33 schemes extending one another is refused at the scheme that
# starts it; one of 32 (s0 to s31) checks clean.
"$py" -c '
print("scheme s0 \"0\" {\n  total 1\n  input a: count\n  indicator i \"i\" points 1 { min(1, a) }\n  example \"e\" { a = 1; expect i = 1 }\n}")
for k in range(1, 32): print("scheme s%d \"%d\" extends s%d { }" % (k, k, k - 1))
' > chain.rubric
"$rubric" check chain.rubric > chain.txt 2>&1 || bad "a chain of 32: $(head -3 chain.txt)"
echo 'scheme s32 "32" extends s31 { }' >> chain.rubric
"$rubric" check chain.rubric > chain.txt 2>&1 && bad "a chain of 33 checked clean"
grep -qxF 'chain.rubric:38:25: error[R0319]: more than 32 schemes extend one another in a chain' chain.txt ||
  bad "a chain of 33: $(cat chain.txt)"

exit $fail
