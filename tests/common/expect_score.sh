# expect_score.sh: sourced by end-to-end scripts that check `rubric score`'s
# refusals. expect NAME STATUS PATTERN ARGS...: `$rubric score $scheme -o
# out.csv ARGS...` exits STATUS, its messages hold PATTERN, and out.csv is
# not written; otherwise `die` (the script's own) says which and why.
# Needs $rubric, $scheme and die; runs in the current folder.
expect() {
  local name=$1 status=$2 pattern=$3; shift 3
  rm -f out.csv
  "$rubric" score "$scheme" -o out.csv "$@" > msg.txt 2>&1
  local s=$?
  [ "$s" -eq "$status" ] || die "$name: exit status $s, not $status: $(cat msg.txt)"
  grep -qF -- "$pattern" msg.txt || die "$name: no '$pattern' in: $(cat msg.txt)"
  [ ! -e out.csv ] || die "$name: an output file was written"
}
