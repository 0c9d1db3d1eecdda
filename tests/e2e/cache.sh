#!/usr/bin/env bash
# cache.sh RUBRIC SRC_DIR: the disk cache of native code (runtime/cache.h,
# spec/data.md "The cache of native code"): a warm run gives the same bytes
# as a cold one; a bad entry (cut short, garbage, another key, a bad
# checksum, not a file) is found, compiled again and rewritten; runs at the
# same time on an empty cache all succeed with the same bytes; --no-cache
# writes nothing; a cache folder that cannot be made, written or trusted
# still scores, with nothing on stderr.
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
[ "$(entries "$dir" | wc -l)" = 1 ] || die "cold: not one entry: $(ls -la "$dir")"
entry=$(entries "$dir")
[ "$(stat -c %a "$dir")" = 700 ] || die "the cache folder is not the user's only: $(stat -c %a "$dir")"
before=$(stat -c '%i %Y %s' "$entry")
score warm.csv --stats || die "warm: exit $?"
cmp -s ref.csv warm.csv || die "warm run differs"
grep -q 'native code of chengwu_2022: loaded from the cache' warm.csv.err || die "warm: not from the cache: $(cat warm.csv.err)"
[ "$(stat -c '%i %Y %s' "$entry")" = "$before" ] || die "warm: the entry was rewritten"
"$rubric" test "$scheme" > test_cold.out && "$rubric" test "$scheme" > test_warm.out || die "test: failed"
cmp -s test_ref.out test_cold.out && cmp -s test_ref.out test_warm.out || die "rubric test: output differs with the cache"
no_temporaries "$dir" "cold and warm"

# a bad entry: found, compiled again, replaced by a good one
good=$work/good.o
cp "$entry" "$good"
size=$(stat -c %s "$good")
bad() { # NAME: the entry is bad now; the next run must say so, score the same and rewrite it
  local name=$1
  score "bad_$name.csv" --stats || die "$name: exit $?"
  cmp -s ref.csv "bad_$name.csv" || die "$name: output differs"
  grep -q 'compiled and cached, replacing a bad entry' "bad_$name.csv.err" || die "$name: not found bad: $(cat "bad_$name.csv.err")"
  cmp -s "$good" "$entry" || die "$name: the entry was not rewritten"
  score "again_$name.csv" --stats || die "$name, again: exit $?"
  grep -q 'loaded from the cache' "again_$name.csv.err" || die "$name: the rewritten entry is not used"
  cmp -s ref.csv "again_$name.csv" || die "$name: output differs after the rewrite"
  no_temporaries "$dir" "$name"
}
head -c $((size / 2)) "$good" > "$entry"; bad truncated
head -c 20 "$good" > "$entry"; bad header_cut
: > "$entry"; bad empty
head -c "$size" /dev/urandom > "$entry"; bad garbage
cp "$good" "$entry"; printf '\x5a' | dd of="$entry" bs=1 seek=20 conv=notrunc status=none; bad wrong_key
cp "$good" "$entry"; printf '\x5a' | dd of="$entry" bs=1 seek=$((size - 100)) conv=notrunc status=none; bad checksum
cp "$good" "$entry"; printf 'more' >> "$entry"; bad too_long
rm "$entry"; ln -s "$good" "$entry"; bad symlink
# a folder in the entry's place cannot be replaced: scored, not cached
rm "$entry"; mkdir "$entry"
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
[ "$(entries "$XDG_CACHE_HOME/rubric" | wc -l)" = 1 ] || die "concurrent: not one entry: $(ls -la "$XDG_CACHE_HOME/rubric")"
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
# a comment does not change the code: the same entry; a rule does: a new one
grep -q 'loaded from the cache' edited.err || die "a comment changed the key: $(cat edited.err)"
grep -q 'compiled and cached' changed.err || die "a changed rule did not change the key: $(cat changed.err)"
[ "$(entries "$XDG_CACHE_HOME/rubric" | wc -l)" = 2 ] || die "a changed rule did not get its own entry"

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
[ "$(entries "$work/home/.cache/rubric" | wc -l)" = 1 ] || die "relative XDG_CACHE_HOME: not in ~/.cache/rubric"
[ ! -e relative ] || die "relative XDG_CACHE_HOME was used"
cmp -s ref.csv home.csv || die "~/.cache: output differs"

[ $fail = 0 ] && echo "cache: $n runs hold (warm = cold, bad entries rewritten, concurrent runs, --no-cache, unusable folders)"
exit $fail
