#!/usr/bin/env bash
# cache.sh RUBRIC SRC_DIR: the disk cache of native code (runtime/cache.h,
# spec/data.md "The cache of native code"): a warm run gives the same bytes
# as a cold one, found by the scheme's text with no IR built, the reasons of
# incomplete entities included; a bad entry of either kind (cut short,
# garbage, another key, a bad checksum, not a file) is found, compiled or
# loaded again and rewritten; runs at the same time on an empty cache all
# succeed with the same bytes; --no-cache writes nothing; a cache folder
# that cannot be made, written or trusted still scores, with nothing on
# stderr.
set -u
rubric=$1 src=$2
# ctest gives every test a cache in the build tree (tests/CMakeLists.txt)
[ -n "${XDG_CACHE_HOME:-}" ] || { echo "FAIL: ctest did not set XDG_CACHE_HOME"; exit 1; }
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
cd "$work"
fail=0 n=0
die() { echo "FAIL: $*"; fail=1; }
c=$src/examples/chengwu
scheme=$c/chengwu_2022.rubric
# score OUT [options]: scores Chengwu's counties into OUT, --stats on OUT.err
score() {
  local out=$1; shift
  n=$((n + 1))
  "$rubric" --lang en score "$scheme" --entities "$c/heze_counties.csv" --periods "$c/heze_months.csv" \
    -o "$out" "$@" 2> "$out.err"
}
entries() { find "$1" -name '*.o' -type f 2> /dev/null | sort; }
# the entry found by the scheme's text: after the cache's 48-byte header, "RTX1"
is_text() { [ "$(dd if="$1" bs=1 skip=48 count=4 status=none 2> /dev/null)" = RTX1 ]; }
text_entries() { for f in $(entries "$1"); do is_text "$f" && echo "$f"; done; }
ir_entries() { for f in $(entries "$1"); do is_text "$f" || echo "$f"; done; }
no_temporaries() { [ -z "$(find "$1" -name '.*' -type f 2> /dev/null)" ] || die "$2: a temporary file was left: $(find "$1" -name '.*')"; }

# the reference: compiled afresh, no cache
export XDG_CACHE_HOME=$work/none
score ref.csv --no-cache || die "--no-cache: exit $?"
[ -s ref.csv ] || die "--no-cache: no output"
[ ! -e "$work/none" ] || die "--no-cache made the cache folder: $(find "$work/none")"
[ ! -s ref.csv.err ] || die "--no-cache: stderr: $(cat ref.csv.err)"
"$rubric" test --no-cache "$scheme" > test_ref.out || die "test --no-cache: exit $?"
[ ! -e "$work/none" ] || die "test --no-cache made the cache folder"

# cold, then warm: the same bytes, and the warm run reads the entry
export XDG_CACHE_HOME=$work/xdg
dir=$XDG_CACHE_HOME/rubric
score cold.csv || die "cold: exit $?"
[ ! -s cold.csv.err ] || die "cold: stderr without --stats: $(cat cold.csv.err)"
cmp -s ref.csv cold.csv || die "cold run differs from --no-cache"
# two entries: one found by the IR, one by the scheme's text
[ "$(ir_entries "$dir" | wc -l)" = 1 ] && [ "$(text_entries "$dir" | wc -l)" = 1 ] ||
  die "cold: not one entry of each kind: $(ls -la "$dir")"
entry=$(ir_entries "$dir") tentry=$(text_entries "$dir")
[ "$(stat -c %a "$dir")" = 700 ] || die "the cache folder is not the user's only: $(stat -c %a "$dir")"
before=$(stat -c '%i %Y %s' "$entry" "$tentry")
score warm.csv --stats || die "warm: exit $?"
cmp -s ref.csv warm.csv || die "warm run differs"
grep -q "native code of chengwu_2022: loaded from the cache, found by the scheme's text (IR 0.000 s" warm.csv.err ||
  die "warm: not from the cache by its text: $(cat warm.csv.err)"
[ "$(stat -c '%i %Y %s' "$entry" "$tentry")" = "$before" ] || die "warm: an entry was rewritten"
"$rubric" test "$scheme" > test_cold.out && "$rubric" test "$scheme" > test_warm.out || die "test: failed"
cmp -s test_ref.out test_cold.out && cmp -s test_ref.out test_warm.out || die "rubric test: output differs with the cache"
no_temporaries "$dir" "cold and warm"

# a bad entry: found, compiled or loaded again, replaced by a good one.
# The one by the IR is read only when the one by the text is missing: each
# case removes that first. A bad one by the text is read first, and the
# code then comes from the one by the IR.
good=$work/good.o tgood=$work/tgood.o
cp "$entry" "$good"
cp "$tentry" "$tgood"
bad() { # NAME ENTRY GOOD SAID: ENTRY is bad now; the next run must say SAID, score the same and rewrite it as GOOD
  local name=$1 e=$2 g=$3 said=$4
  score "bad_$name.csv" --stats || die "$name: exit $?"
  cmp -s ref.csv "bad_$name.csv" || die "$name: output differs"
  grep -q "$said, replacing a bad entry" "bad_$name.csv.err" || die "$name: not found bad: $(cat "bad_$name.csv.err")"
  cmp -s "$g" "$e" || die "$name: the entry was not rewritten"
  cmp -s "$tgood" "$tentry" || die "$name: the entry by the text was not written again"
  score "again_$name.csv" --stats || die "$name, again: exit $?"
  grep -q "loaded from the cache, found by the scheme's text" "again_$name.csv.err" || die "$name: the rewritten entry is not used"
  cmp -s ref.csv "again_$name.csv" || die "$name: output differs after the rewrite"
  no_temporaries "$dir" "$name"
}
spoil() { # KIND ENTRY GOOD SAID: every way ENTRY can go bad
  local kind=$1 e=$2 g=$3 said=$4 size
  size=$(stat -c %s "$g")
  prep() { [ "$kind" = ir ] && rm -f "$tentry"; }
  prep; head -c $((size / 2)) "$g" > "$e"; bad "${kind}_truncated" "$e" "$g" "$said"
  prep; head -c 20 "$g" > "$e"; bad "${kind}_header_cut" "$e" "$g" "$said"
  prep; : > "$e"; bad "${kind}_empty" "$e" "$g" "$said"
  prep; head -c "$size" /dev/urandom > "$e"; bad "${kind}_garbage" "$e" "$g" "$said"
  prep; cp "$g" "$e"; printf '\x5a' | dd of="$e" bs=1 seek=20 conv=notrunc status=none; bad "${kind}_wrong_key" "$e" "$g" "$said"
  prep; cp "$g" "$e"; printf '\x5a' | dd of="$e" bs=1 seek=$((size - 100)) conv=notrunc status=none
  bad "${kind}_checksum" "$e" "$g" "$said"
  prep; cp "$g" "$e"; printf 'more' >> "$e"; bad "${kind}_too_long" "$e" "$g" "$said"
  prep; rm "$e"; ln -s "$g" "$e"; bad "${kind}_symlink" "$e" "$g" "$said"
}
spoil ir "$entry" "$good" 'compiled and cached'
spoil text "$tentry" "$tgood" 'loaded from the cache'
# the other kind's entry under the text's name: a good entry, not this key's
cp "$good" "$tentry"; bad text_other_kind "$tentry" "$tgood" 'loaded from the cache'
# a folder in the entry's place cannot be replaced: scored, not cached
rm "$entry" "$tentry"; mkdir "$entry"
score dir_entry.csv --stats || die "a folder as the entry: exit $?"
cmp -s ref.csv dir_entry.csv || die "a folder as the entry: output differs"
grep -q 'compiled, not cached' dir_entry.csv.err || die "a folder as the entry: $(cat dir_entry.csv.err)"
rmdir "$entry"

# 8 runs at once on an empty cache: all succeed, the same bytes, one entry
export XDG_CACHE_HOME=$work/racing
pids=()
for i in 1 2 3 4 5 6 7 8; do
  score "race$i.csv" & pids+=($!)
done
for i in 1 2 3 4 5 6 7 8; do wait "${pids[$((i - 1))]}" || die "concurrent run $i: exit status"; done
for i in 1 2 3 4 5 6 7 8; do
  cmp -s ref.csv "race$i.csv" || die "concurrent run $i: output differs"
  [ ! -s "race$i.csv.err" ] || die "concurrent run $i: stderr: $(cat "race$i.csv.err")"
done
[ "$(entries "$XDG_CACHE_HOME/rubric" | wc -l)" = 2 ] || die "concurrent: not two entries: $(ls -la "$XDG_CACHE_HOME/rubric")"
no_temporaries "$XDG_CACHE_HOME/rubric" "concurrent"
score race_warm.csv --stats && grep -q 'loaded from the cache' race_warm.csv.err || die "concurrent: the entry is not used"

# the key follows the code: another scheme's text, another entry
sed 's/total 100/total 100  # edited/' "$scheme" > edited.rubric
sed 's/> 7000万/> 6000万/' "$scheme" > changed.rubric
cmp -s "$scheme" changed.rubric && die "the rule to change is not in the scheme"
for s in edited changed; do
  n=$((n + 1))
  "$rubric" score "$s.rubric" --entities "$c/heze_counties.csv" --periods "$c/heze_months.csv" -o "$s.csv" --stats 2> "$s.err" ||
    die "$s: exit $?"
done
# a comment does not change the code: the same entry by the IR (and one by
# the new text); a rule does: a new one of each
grep -q 'native code of chengwu_2022: loaded from the cache (IR' edited.err || die "a comment changed the key: $(cat edited.err)"
grep -q 'compiled and cached' changed.err || die "a changed rule did not change the key: $(cat changed.err)"
[ "$(ir_entries "$XDG_CACHE_HOME/rubric" | wc -l)" = 2 ] || die "a changed rule did not get its own entry"
[ "$(text_entries "$XDG_CACHE_HOME/rubric" | wc -l)" = 3 ] || die "not one entry by the text for each text"

# where a score failed, on a warm run: the entry by the text holds only how
# many places there are; the run learns them when an entity is incomplete,
# and says the same as a cold one (exit status 3: scores with incomplete entities)
cat > div.rubric << 'EOF'
scheme cache_div "t" {
  total 8
  input a: count
  input b: count
  indicator ratio "r" points 4 { 4 if a / b > 100%, 0 otherwise }
  indicator also "u" points 4 { undefined "b is 7" if b == 7, min(4, a) otherwise }
}
EOF
printf 'id,name,a,b\nx1,X1,5,0\nx2,X2,10,4\nx3,X3,1,7\n' > div.csv
sites() { # OUT [options]
  local out=$1; shift
  n=$((n + 1))
  "$rubric" --lang en score div.rubric --entities div.csv -o "$out" "$@" 2> "$out.err"
}
export XDG_CACHE_HOME=$work/sites
sites div_ref.csv --no-cache; [ $? = 3 ] || die "sites: --no-cache: not exit status 3"
grep -q 'division by zero' div_ref.csv || die "sites: the reference names no division: $(cat div_ref.csv)"
grep -q 'b is 7' div_ref.csv || die "sites: the reference names no undefined case: $(cat div_ref.csv)"
sites div_cold.csv --stats; [ $? = 3 ] || die "sites: cold: not exit status 3"
sites div_warm.csv --stats; [ $? = 3 ] || die "sites: warm: not exit status 3"
grep -q "found by the scheme's text" div_warm.csv.err || die "sites: warm: not by the text: $(cat div_warm.csv.err)"
cmp -s div_ref.csv div_cold.csv && cmp -s div_ref.csv div_warm.csv || die "sites: the reasons differ with the cache"
diff <(grep -v 'native code\|scheme .* load\|write .* total\|scored' div_ref.csv.err) \
  <(grep -v 'native code\|scheme .* load\|write .* total\|scored' div_warm.csv.err) > /dev/null ||
  die "sites: the messages differ with the cache: $(cat div_warm.csv.err)"
# a scheme made from two files: a change to the base's file is another text
mkdir ext && cat > ext/base.rubric << 'EOF'
scheme cache_base "b" {
  total 4
  input a: count
  indicator fine "f" points 4 { min(4, a) }
}
EOF
cat > ext/child.rubric << 'EOF'
scheme cache_child "c" extends cache_base in "base.rubric" {
}
EOF
printf 'id,name,a\nx1,X1,3\n' > ext.csv
ext() { n=$((n + 1)); "$rubric" --lang en score ext/child.rubric --entities ext.csv -o "$1" --stats 2> "$1.err" || die "extends: exit $?"; }
ext ext1.csv
ext ext2.csv
grep -q "found by the scheme's text" ext2.csv.err || die "extends: warm: not by the text: $(cat ext2.csv.err)"
sed -i 's/min(4, a)/min(2, a)/' ext/base.rubric
ext ext3.csv
grep -q 'compiled and cached' ext3.csv.err || die "extends: a changed base file was not compiled: $(cat ext3.csv.err)"
grep -q '^x1,X1,2,' ext3.csv || die "extends: the changed base's rule is not used: $(cat ext3.csv)"

# a cache that cannot be made, written or trusted: scored, stderr clean
unusable() { # NAME XDG: the run scores the same bytes, says nothing, writes nothing
  local name=$1
  export XDG_CACHE_HOME=$2
  score "$name.csv" || die "$name: exit $?"
  cmp -s ref.csv "$name.csv" || die "$name: output differs"
  [ ! -s "$name.csv.err" ] || die "$name: stderr: $(cat "$name.csv.err")"
  score "${name}_stats.csv" --stats || die "$name: exit $?"
  grep -q 'compiled, not cached' "${name}_stats.csv.err" || die "$name: --stats does not say why: $(cat "${name}_stats.csv.err")"
}
touch a_file
unusable below_a_file "$work/a_file/cache"
mkdir -p rubric_is_a_file && touch rubric_is_a_file/rubric
unusable rubric_is_a_file "$work/rubric_is_a_file"
mkdir -p shared/rubric && chmod 777 shared/rubric
unusable group_writable "$work/shared"
[ -z "$(ls -A shared/rubric)" ] || die "wrote into a folder others can write to"
if [ "$(id -u)" != 0 ]; then # root writes anywhere
  mkdir -p readonly/rubric && chmod 500 readonly/rubric
  unusable read_only "$work/readonly"
fi
# a relative XDG_CACHE_HOME is ignored (the XDG specification): ~/.cache
mkdir home
HOME=$work/home XDG_CACHE_HOME=relative "$rubric" score "$scheme" --entities "$c/heze_counties.csv" \
  --periods "$c/heze_months.csv" -o home.csv 2> home.err || die "relative XDG_CACHE_HOME: exit $?"
n=$((n + 1))
[ "$(entries "$work/home/.cache/rubric" | wc -l)" = 2 ] || die "relative XDG_CACHE_HOME: not in ~/.cache/rubric"
[ ! -e relative ] || die "relative XDG_CACHE_HOME was used"
cmp -s ref.csv home.csv || die "~/.cache: output differs"

[ $fail = 0 ] && echo "cache: $n runs hold (warm = cold, bad entries rewritten, concurrent runs, --no-cache, unusable folders)"
exit $fail
