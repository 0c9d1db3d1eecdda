#!/usr/bin/env bash
# bad_inputs.sh RUBRIC SRC_DIR: the bad-input matrix, end to end.
#
# Every case runs the real binary in a fresh scratch folder on a bad scheme,
# table, option or output target and checks ALL of:
#   1. the exit status (1: errors in a scheme or the data; 2: usage or I/O);
#   2. a located message: `error[Rxxxx]` and the place (file:line:col in a
#      scheme, file:line for a table row, the file or path for a whole file
#      or an output), matched by the case's patterns (grep -E, each must
#      match a line of standard error);
#   3. nothing was written: every output named by -o/--targets is as it was
#      before the run (absent stays absent, an existing file keeps its bytes,
#      a device stays a device, a link stays the same link), no temporary
#      file `.NAME.XXXXXX` is left, no other file of the scratch folder
#      appeared or changed, and no byte went to standard output.
# Every run must finish within 60 s. A few cases feed huge but valid tables
# (a 5 MB field, 100,000 columns, a 10 MB line) under `ulimit -v` 2 GB: they
# must be scored correctly, or refused by a limit of the reader with a
# message at their line (and then, as above, nothing written).
#
# One line per case (ok, FAIL, skip, KNOWN FAILURE) and a final count; exit
# status 1 if any case fails. Cases the tool does not pass yet are listed in
# KNOWN_FAILURES below: they still check the correct behaviour, print
# "KNOWN FAILURE: ..." and do not fail the run (one that passes does, until
# it is taken off the list). KEEP=1 keeps the scratch folders; ONLY=REGEX
# runs the cases whose id matches.
#
# Cases are the functions `t_ID() { # description` below, run in the order
# they are written. Small schemes and tables: tests/e2e/bad_inputs/; big
# inputs are generated at run time.
set -u
if [ $# -ne 2 ]; then
  echo "usage: $0 RUBRIC SRC_DIR" >&2
  exit 2
fi
rubric=$1 src=$2
case $rubric in /*) ;; *) rubric=$PWD/$rubric ;; esac
case $src in /*) ;; *) src=$PWD/$src ;; esac
self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
fixtures=$src/tests/e2e/bad_inputs
examples=$src/examples

# ---- KNOWN FAILURES ----------------------------------------------------------
# id, then what the tool does instead of what the case expects. Keep in step
# with the report in the case's comment.
KNOWN_FAILURES='
'

# ---- the harness -------------------------------------------------------------
root=$(mktemp -d)
chmod 755 "$root" # a case may run the binary as nobody
if [ -n "${KEEP:-}" ]; then
  echo "note: KEEP is set: the scratch folders stay in $root"
else
  trap 'chmod -R u+rwX "$root" 2>/dev/null; rm -rf "$root"' EXIT
fi
MEM_KB=2000000 # ulimit -v for the huge inputs: 2 GB
TIME_LIMIT=60  # seconds, every run

is_root() { [ "$(id -u)" = 0 ]; }

# AddressSanitizer reserves terabytes of address space: no ulimit -v then.
if (ulimit -v $MEM_KB && "$rubric" --version) >/dev/null 2>&1; then
  memlimit=$MEM_KB
else
  memlimit=
  echo "note: the binary does not start under ulimit -v $MEM_KB (sanitizers?): huge inputs run with the time limit only"
fi

# The case's own helpers. W is the scratch folder (the current directory).
FAILED=0
fail() { echo "    $*"; FAILED=1; }
skip() { echo "    $*"; exit 77; }
# put FILE LINE...: FILE holds the lines, each ended by LF (no printf escapes).
put() { local f=$1; shift; printf '%s\n' "$@" > "$f"; }
# bytes FILE FORMAT [ARG...]: FILE holds printf's output (escapes such as
# \x80 and \000 in FORMAT; text with % in the ARGs, through %s).
bytes() { local f=$1; shift; printf "$@" > "$f"; }
# pre FILE: an output that exists before the run; it must keep its bytes.
pre() { mkdir -p "$(dirname "$1")"; echo "previous table" > "$1"; }

# abs PATH: PATH from W, made absolute (in ABS).
abs() { case $1 in /*) ABS=$1 ;; *) ABS=$W/$1 ;; esac; }
# state_of PATH: what is at PATH (from W), in STATE, to compare before and
# after a run. (Few forks: the machine may be loaded and a case runs it often.)
state_of() {
  local p
  abs "$1"
  p=$ABS
  if [ -L "$p" ]; then
    local l
    l=$(readlink "$p")
    state_of "$(readlink -m "$p")"
    STATE="link:$l->$STATE"
  elif [ -c "$p" ]; then STATE="char device"
  elif [ -p "$p" ]; then STATE="fifo"
  elif [ -d "$p" ]; then STATE="directory:$(ls -A "$p")"
  elif [ -f "$p" ]; then STATE="file:$(cksum < "$p")"
  elif [ -e "$p" ]; then STATE="other"
  else STATE="absent"
  fi
}
# The scratch folder's files, sizes and times (directories by name only: a
# temporary file made and removed changes its folder's time).
snapshot() { find "$W" \( -type d -printf '%p d\n' \) -o -printf '%p %y %s %T@ %l\n' | sort; }

# run ARG...: the binary in W, stdout to $CASE/stdout (or to $STDOUT, or
# closed if STDOUT=closed), stderr to $CASE/stderr, exit status in RC. Remembers the state of every
# output it names (-o, --output, --targets) and of the scratch folder.
# $AS, if set, is a command prefix (setpriv ...); $LIMIT a ulimit -v.
run() {
  OUTS=() BEFORE=()
  local a prev=
  for a in "$@"; do
    case $prev in -o | --output | --targets) [ "$a" = - ] || OUTS+=("$a") ;; esac
    prev=$a
  done
  for a in "${OUTS[@]}"; do
    state_of "$a"
    BEFORE+=("$STATE")
  done
  snapshot > "$CASE/snap.before"
  local out=${STDOUT:-$CASE/stdout}
  if [ "$out" = closed ]; then
    (
      cd "$W" || exit 99
      exec timeout -k 5 $TIME_LIMIT "$rubric" "$@"
    ) >&- 2> "$CASE/stderr"
  else
    (
      cd "$W" || exit 99
      if [ -n "${LIMIT:-}" ]; then ulimit -v "$LIMIT" || exit 99; fi
      exec timeout -k 5 $TIME_LIMIT ${AS:-} "$rubric" "$@"
    ) > "$out" 2> "$CASE/stderr"
  fi
  RC=$?
  echo "\$ rubric $*" > "$CASE/command"
  [ $RC -eq 124 ] && fail "did not finish within ${TIME_LIMIT}s"
  [ $RC -ge 128 ] && fail "killed by signal $((RC - 128)) (crash or out of memory)"
  return 0
}

# want STATUS PATTERN...: after run, the whole contract of a refused run.
want() {
  local status=$1 p i
  shift
  [ "$RC" = "$status" ] || fail "exit status $RC, expected $status"
  for p in "$@"; do
    has_line "$p" || fail "no line of stderr matches: $p"
  done
  has_line 'error\[R[0-9]{4}\]|错误\[R[0-9]{4}\]' || fail "no error[Rxxxx] on stderr"
  if [ -z "${STDOUT:-}" ] && [ -s "$CASE/stdout" ]; then
    fail "$(wc -c < "$CASE/stdout") bytes on stdout: $(head -c 120 "$CASE/stdout" | tr '\n' '|')"
  fi
  for i in "${!OUTS[@]}"; do
    state_of "${OUTS[$i]}"
    [ "$STATE" = "${BEFORE[$i]}" ] || fail "output ${OUTS[$i]} was ${BEFORE[$i]}, is now $STATE"
    no_temp "${OUTS[$i]}"
  done
  snapshot > "$CASE/snap.after"
  # Any file that appeared, went or changed, temporary files included.
  local changed
  changed=$(diff "$CASE/snap.before" "$CASE/snap.after")
  [ -z "$changed" ] || fail "the scratch folder changed: ${changed//$'\n'/ | }"
  [ "$FAILED" = 0 ] || { echo "    stderr:"; head -c 1500 "$CASE/stderr" | sed 's/^/      /'; }
}
# has_line ERE: some line of the run's stderr matches (as grep -E would).
has_line() {
  local line
  while IFS= read -r line || [ -n "$line" ]; do
    [[ $line =~ $1 ]] && return 0
  done < "$CASE/stderr"
  return 1
}
# no_temp OUT: no ".BASENAME.XXXXXX" beside OUT (nor beside a link's target).
no_temp() {
  local p t left=()
  abs "$1"
  p=$ABS
  local targets=("$p")
  [ -L "$p" ] && targets+=("$(readlink -m "$p")")
  for t in "${targets[@]}"; do
    shopt -s nullglob
    left=("${t%/*}/.${t##*/}".??????)
    shopt -u nullglob
    [ ${#left[@]} = 0 ] || fail "temporary file left: ${left[*]}"
  done
}
# want_ok OUT: an accepted run: exit 0, nothing on stderr or stdout, OUT exists.
want_ok() {
  [ "$RC" = 0 ] || fail "exit status $RC, expected 0: $(head -c 300 "$CASE/stderr")"
  [ -s "$CASE/stderr" ] && fail "stderr: $(head -c 300 "$CASE/stderr")"
  [ -s "$CASE/stdout" ] && fail "$(wc -c < "$CASE/stdout") bytes on stdout"
  [ -f "$1" ] || fail "$1 was not written"
  local left
  left=$(find "$W" -name '.*.??????' | head -3)
  [ -z "$left" ] || fail "temporary file left: $left"
}

# A private copy of /dev/full (root only), or /dev/full itself when the
# tool cannot replace it (not root); empty when neither can be had.
full_device() {
  if is_root; then
    if [ -f "$root/devcopy_ok" ] && mknod "$W/full" c 1 7 2>/dev/null; then echo full; fi
  elif [ -c /dev/full ] && [ -w /dev/full ]; then
    echo /dev/full
  fi
}

# ---- scheme and tables --------------------------------------------------------
# bad.rubric (tests/e2e/bad_inputs/): flat (one row per entity), monthly (per
# month), kids (from parent, peers by parent), divide (a division, an
# undefined case), spoiled (a peer aggregate over a division), goals (targets).
FH='id,name,a,b,share,r,ok,m'     # flat.csv's header
FR='1,甲镇,5,10,30%,2,是,150'     # a good row of it
FR2='2,乙镇,1,10,0.5,4,否,50'
KH='id,name,parent,city,n'        # kids.csv's header
PH='id,month,f'                   # monthly_months.csv's header

# flat ENTITIES [ARG...]: score flat, to out/scores.csv unless the ARGs say -o.
flat() {
  local e=$1 o=(-o out/scores.csv)
  shift
  [[ " $* " == *" -o "* ]] && o=()
  run score bad.rubric --scheme flat --entities "$e" "${o[@]}" "$@"
}
# row_with COLUMN VALUE: FR with one cell replaced (a, b, share, r, ok or m).
row_with() {
  local -A at=([a]=2 [b]=3 [share]=4 [r]=5 [ok]=6 [m]=7)
  local f IFS=,
  read -ra f <<< "$FR"
  f[${at[$1]}]=$2
  echo "${f[*]}"
}
# cellfile COLUMN VALUE: e.csv with one bad cell on line 2 (VALUE as written);
# cell COLUMN VALUE: and flat run on it.
cellfile() { put e.csv "$FH" "$(row_with "$1" "$2")" "$FR2"; }
cell() { cellfile "$1" "$2"; flat e.csv; }
monthly() { put pm.csv "$PH" "$@"; run score bad.rubric --scheme monthly --entities monthly.csv --periods pm.csv -o out/scores.csv; }
M_GOOD=('1,1,0.5' '1,2,0.6' '1,3,0.7' '2,1,1' '2,2,0' '2,3,20%')
kids() { run score bad.rubric --scheme kids --entities e.csv -o out/scores.csv "$@"; }

# ==== malformed CSV ============================================================
t_csv_unterminated_quote() { # CSV: a quoted field that never closes
  put e.csv "$FH" "$FR" '2,"乙镇,1,10,0.5,4,否,50'
  flat e.csv
  want 1 '^e\.csv:3: error\[R1102\]: unterminated quoted field \(the quote opens on line 3\)'
}
t_csv_quote_in_unquoted() { # CSV: a quote inside an unquoted field
  put e.csv "$FH" '1,甲"镇,5,10,30%,2,是,150'
  flat e.csv
  want 1 "^e\.csv:2: error\[R1102\]: stray quote in an unquoted field \(column 'name'\)"
}
t_csv_text_after_quote() { # CSV: text after the closing quote
  put e.csv "$FH" '1,"甲镇"x,5,10,30%,2,是,150'
  flat e.csv
  want 1 "^e\.csv:2: error\[R1102\]: unexpected text after the closing quote \(column 'name'\)"
}
t_csv_too_many_fields() { # CSV: a row with one field too many
  put e.csv "$FH" "$FR" "$FR2,9"
  flat e.csv
  want 1 '^e\.csv:3: error\[R1102\]: row has 9 fields, the header has 8'
}
t_csv_too_few_fields() { # CSV: a row with one field too few
  put e.csv "$FH" "$FR" '2,乙镇,1,10,0.5,4,否'
  flat e.csv
  want 1 '^e\.csv:3: error\[R1102\]: row has 7 fields, the header has 8'
}
t_csv_empty_file() { # CSV: an empty entities file
  : > e.csv
  pre out/scores.csv
  flat e.csv
  want 1 '^e\.csv: error\[R1102\]: file is empty'
}
t_csv_header_only() { # CSV: a header and no rows
  put e.csv "$FH"
  flat e.csv
  want 1 '^e\.csv: error\[R1110\]: no entity rows'
}
t_csv_blank_header_name() { # CSV: a header name of only spaces
  put e.csv 'id,name,  ,b,share,r,ok,m' "$FR"
  flat e.csv
  want 1 '^e\.csv:1: error\[R1102\]: column 3 of the header has an empty name'
}
t_csv_duplicate_header() { # CSV: a header name twice
  put e.csv "$FH,a" "$FR,1"
  flat e.csv
  want 1 "^e\.csv:1: error\[R1102\]: column 'a' appears twice"
}
t_csv_duplicate_header_trimmed() { # CSV: a header name twice once trimmed (' a ')
  put e.csv "$FH, a " "$FR,1"
  flat e.csv
  want 1 "^e\.csv:1: error\[R1102\]: column 'a' appears twice"
}
t_csv_nul_byte() { # CSV: a NUL byte in a cell
  bytes e.csv '%s\n%s\n2,乙\000镇,1,10,0.5,4,否,50\n' "$FH" "$FR"
  flat e.csv
  want 1 '^e\.csv:3: error\[R1102\]: file contains a NUL byte'
}
t_csv_utf16_bom() { # CSV: UTF-16LE with its byte order mark
  put e.csv "$FH" "$FR"
  iconv -f UTF-8 -t UTF-16 < e.csv > e16.csv && mv e16.csv e.csv
  pre out/scores.csv
  flat e.csv
  want 1 '^e\.csv:1: error\[R11(02|12)\]: (file contains a NUL byte|the table is not UTF-8)'
}
t_csv_cr_only() { # CSV: CR-only line ends (a lone CR is data: one long header row)
  bytes e.csv '%s\r%s\r%s\r' "$FH" "$FR" "$FR2"
  flat e.csv
  want 1 '^e\.csv(:1)?: error\[R11[0-9]{2}\]'
}
t_csv_trailing_comma_everywhere() { # CSV: a trailing comma on every line: an extra column with no name
  put e.csv "$FH," "$FR," "$FR2,"
  flat e.csv
  want 1 '^e\.csv:1: error\[R1102\]: column 9 of the header has an empty name'
}
t_csv_trailing_comma_row() { # CSV: a trailing comma on one row: an extra empty field
  put e.csv "$FH" "$FR," "$FR2"
  flat e.csv
  want 1 '^e\.csv:2: error\[R1102\]: row has 9 fields, the header has 8'
}
t_csv_periods_malformed() { # CSV: the periods table has a stray quote
  monthly '1,1,0.5' '1,2,0"6' '1,3,0.7' '2,1,1' '2,2,0' '2,3,20%'
  want 1 "^pm\.csv:3: error\[R1102\]: stray quote in an unquoted field \(column 'f'\)"
}
t_csv_parents_malformed() { # CSV: the parents table has a row too short
  put e.csv "$KH" 'k1,甲县,C1,,1' 'k2,乙县,C2,,0'
  put p.csv 'id,city' 'C1,5' 'C2'
  kids --parents p.csv
  want 1 '^p\.csv:3: error\[R1102\]: row has 1 field, the header has 2'
}

# ==== encodings ================================================================
t_enc_gbk_name() { # encoding: a name in GBK (WPS, Chinese Excel) read as UTF-8
  put u.csv "$FH" "$FR" "$FR2"
  iconv -f UTF-8 -t GBK < u.csv > e.csv && rm u.csv
  pre out/scores.csv
  flat e.csv --encoding utf-8
  want 1 '^e\.csv:2: error\[R1112\]: the table is not UTF-8 text'
}
t_enc_gbk_yesno() { # encoding: a yes/no cell 否 in GBK, the rest ASCII, read as UTF-8
  put u.csv "$FH" '1,a,5,10,30%,2,否,150'
  iconv -f UTF-8 -t GBK < u.csv > e.csv && rm u.csv
  flat e.csv --encoding utf-8
  want 1 '^e\.csv:2: error\[R1112\]: the table is not UTF-8 text \(byte 0xB7\)'
}
t_enc_neither() { # encoding: a byte that is neither UTF-8 nor GB18030 (0x80 alone)
  bytes e.csv '%s\n%s\n2,x\x80y,1,10,0.5,4,否,50\n' "$FH" "$FR"
  flat e.csv
  want 1 '^e\.csv:3: error\[R1112\]: the table is neither UTF-8 nor GB18030 \(GBK\) text \(byte 0x80\)'
}
t_enc_gbk_cut() { # encoding: a GBK character cut short at the end of the file
  bytes e.csv '%s\n1,a,5,10,30%%,2,no,150\n2,x,1,10,0.5,4,no,\xb7' "$FH"
  flat e.csv --encoding gbk
  want 1 '^e\.csv:3: error\[R1112\]: the table is not GB18030 \(GBK\) text \(byte 0xB7\)'
}
t_enc_lone_continuation() { # encoding: a lone continuation byte 0x80
  bytes e.csv '%s\n%s\n2,x\x80y,1,10,0.5,4,否,50\n' "$FH" "$FR"
  flat e.csv --encoding utf-8
  want 1 '^e\.csv:3: error\[R1112\]: the table is not UTF-8 text \(byte 0x80\)'
}
t_enc_overlong() { # encoding: an overlong UTF-8 sequence (C0 AF for '/')
  bytes e.csv '%s\n1,\xc0\xafx,5,10,30%%,2,yes,150\n' "$FH"
  flat e.csv --encoding utf-8
  want 1 '^e\.csv:2: error\[R1112\]: the table is not UTF-8 text \(byte 0xC0\)'
}
t_enc_surrogate() { # encoding: a UTF-16 surrogate encoded in UTF-8 (ED A0 80)
  bytes e.csv '%s\n1,\xed\xa0\x80,5,10,30%%,2,yes,150\n' "$FH"
  flat e.csv --encoding utf-8
  want 1 '^e\.csv:2: error\[R1112\]: the table is not UTF-8 text \(byte 0xED\)'
}
t_enc_truncated_at_end() { # encoding: a sequence cut short at the end of the file
  bytes e.csv '%s\n%s\n2,x,1,10,0.5,4,no,\xe4\xb8' "$FH" "$FR"
  flat e.csv --encoding utf-8
  want 1 '^e\.csv:3: error\[R1112\]: the table is not UTF-8 text \(byte 0xE4\)'
}
t_enc_periods_gbk() { # encoding: the periods table in GBK, read as UTF-8
  put u.csv 'id,month,f' '1,1,0.5 # 甲'
  iconv -f UTF-8 -t GBK < u.csv > pm.csv && rm u.csv
  run score bad.rubric --scheme monthly --entities monthly.csv --periods pm.csv -o out/scores.csv --encoding utf-8
  want 1 '^pm\.csv:2: error\[R1112\]'
}

# ==== huge fields, headers and lines ===========================================
# Valid but huge: either scored correctly or refused by a limit of the reader
# with a located message (and then nothing written); in both cases within
# ulimit -v and the time limit.
big_text() { head -c "$1" /dev/zero | tr '\0' "$2"; }
# scored_or_limit LINE: after run, 0 if the table was scored (exit 0, nothing
# on stderr or stdout, out/scores.csv written): the case then checks the
# scores; else the refusal must be located at LINE of e.csv (R1102).
scored_or_limit() {
  if [ "$RC" = 0 ]; then
    echo "    note: accepted and scored"
    want_ok out/scores.csv
    return 0
  fi
  echo "    note: refused by a limit"
  want 1 "^e\.csv:$1: error\[R1102\]"
  return 1
}
t_huge_field_5mb() { # huge: a 5 MB name, copied through and scored, or refused at its line
  { echo "$FH"; printf '1,'; big_text 5000000 x; echo ',5,10,0.3,2,yes,1'; echo "$FR2"; } > e.csv
  LIMIT=$memlimit flat e.csv
  scored_or_limit 2 || return 0
  [ "$(sed -n 2p out/scores.csv | cut -d, -f2 | wc -c)" = 5000001 ] || fail "the 5 MB name was not copied whole"
  [ "$(sed -n 2p out/scores.csv | cut -d, -f3-)" = "7.6,1,4,2,0.6,1,0" ] || fail "row 1 scored $(sed -n 2p out/scores.csv | cut -d, -f3-)"
  [ "$(sed -n 3p out/scores.csv)" = "2,乙镇,1,2,0,0,1,0,0" ] || fail "row 2: $(sed -n 3p out/scores.csv)"
}
t_huge_header_100k_columns() { # huge: a header of 100,000 columns, scored or refused at line 1
  { printf '%s,' "$FH"; seq -f 'c%.0f' 1 100000 | paste -sd, -; printf '1,x,5,10,0.3,2,yes,1,'; seq 1 100000 | paste -sd, -; } > e.csv
  LIMIT=$memlimit flat e.csv
  scored_or_limit 1 || return 0
  [ "$(cat out/scores.csv)" = "$(printf 'id,name,total,rank,ratio,flag,part,place,cash\n1,x,7.6,1,4,2,0.6,1,0')" ] ||
    fail "scores: $(head -c 200 out/scores.csv)"
}
t_huge_line_10mb() { # huge: a 10 MB line (a quoted name full of commas), scored or refused at its line
  { echo "$FH"; printf '1,"'; big_text 10000000 , | sed 's/,,,,,,,,,,/yyyyyyyyy,/g'; echo '",5,10,0.3,2,yes,1'; } > e.csv
  LIMIT=$memlimit flat e.csv
  scored_or_limit 2 || return 0
  [ "$(wc -c < out/scores.csv)" -gt 10000000 ] || fail "the 10 MB name is not in the output"
  tail -n 1 out/scores.csv | grep -q '",7\.6,1,4,2,0\.6,1,0$' || fail "the row was not scored right"
}
# Huge and bad: the message still names the line (of the bad cell, or of
# the huge field if a limit refuses it first).
t_huge_field_then_bad_cell() { # huge: a 5 MB field, then a bad cell on the next line
  { echo "$FH"; printf '1,'; big_text 5000000 x; echo ',5,10,0.3,2,yes,1'; row_with a abc | sed 's/^1,/2,/'; } > e.csv
  LIMIT=$memlimit flat e.csv
  want 1 "^e\.csv:(3: error\[R1104\]: entity '2', column 'a': 'abc' is not a number|2: error\[R1102\])"
}
t_huge_header_duplicate() { # huge: 100,000 columns, the last a second 'c1'
  { printf '%s,' "$FH"; seq -f 'c%.0f' 1 99999 | paste -sd, - | tr -d '\n'; echo ,c1; printf '1,x,5,10,0.3,2,yes,1,'; seq 1 100000 | paste -sd, -; } > e.csv
  LIMIT=$memlimit flat e.csv
  want 1 "^e\.csv:1: error\[R1102\]"
}
t_huge_line_unterminated() { # huge: a 10 MB quoted field that never closes
  { echo "$FH"; echo "$FR"; printf '2,"'; big_text 10000000 y; echo; } > e.csv
  LIMIT=$memlimit flat e.csv
  want 1 '^e\.csv:3: error\[R1102\]'
}

# ==== numbers ====================================================================
t_num_1e400() { # numbers: 1e400 (far beyond 10^20)
  cell a 1e400
  want 1 "^e\.csv:2: error\[R1104\]: entity '1', column 'a': '1e400' is too large: numbers are under 10\^20"
}
t_num_minus_1e400() { # numbers: -1e400 (money)
  cell m -1e400
  want 1 "^e\.csv:2: error\[R1104\]: entity '1', column 'm': '-1e400' is too large: numbers are under 10\^20"
}
t_num_1e_minus_400() { # numbers: 1e-400 (never read as 0)
  cell m 1e-400
  want 1 "^e\.csv:2: error\[R1104\]: entity '1', column 'm': '1e-400' has more than 18 decimals"
}
t_num_19_decimals() { # numbers: 19 decimals, one more than a number holds
  cell m 0.0000000000000000001
  want 1 "^e\.csv:2: error\[R1104\]: entity '1', column 'm': '0\.0000000000000000001' has more than 18 decimals"
}
t_num_percent_19_decimals() { # numbers: 17 decimals and %, so 19 decimals
  cell share 0.00000000000000001%
  want 1 "^e\.csv:2: error\[R1104\]: entity '1', column 'share': '0\.00000000000000001%' has more than 18 decimals"
}
t_num_1e20() { # numbers: exactly 10^20, the first number too large
  cell m 100000000000000000000
  want 1 "^e\.csv:2: error\[R1104\]: entity '1', column 'm': '100000000000000000000' is too large: numbers are under 10\^20"
}
t_num_percent_money() { # numbers: 85% in a money column (only a fraction reads a percentage)
  cell m 85%
  want 1 "^e\.csv:2: error\[R1104\]: entity '1', column 'm': '85%' is a percentage, but 'm' is of type money, not fraction"
}
t_num_percent_count() { # numbers: 100% in a count column
  cell a 100%
  want 1 "^e\.csv:2: error\[R1104\]: entity '1', column 'a': '100%' is a percentage, but 'a' is of type count, not fraction"
}
t_num_percent_fraction() { # numbers: 85% in a fraction column is 0.85
  cell share 85%
  want_ok out/scores.csv
}
t_num_hex() { # numbers: 0x10
  cell a 0x10
  want 1 "^e\.csv:2: error\[R1104\]: entity '1', column 'a': '0x10' is not a number"
}
t_num_inf() { # numbers: inf
  cell m inf
  want 1 "^e\.csv:2: error\[R1104\]: entity '1', column 'm': 'inf' is not a number"
}
t_num_nan() { # numbers: nan
  cell share nan
  want 1 "^e\.csv:2: error\[R1104\]: entity '1', column 'share': 'nan' is not a number"
}
t_num_bad_grouping() { # numbers: "1,0000" (a group of four digits)
  cell m '"1,0000"'
  want 1 "^e\.csv:2: error\[R1104\]: entity '1', column 'm': '1,0000' is not a number"
}
t_num_two_points() { # numbers: 1.2.3
  cell m 1.2.3
  want 1 "^e\.csv:2: error\[R1104\]: entity '1', column 'm': '1\.2\.3' is not a number"
}
t_num_double_percent() { # numbers: 50%%
  cell share 50%%
  want 1 "^e\.csv:2: error\[R1104\]: entity '1', column 'share': '50%%' is not a number"
}
t_num_spaces_only() { # numbers: a cell of two spaces is empty, and 'a' has no default
  cell a '  '
  want 1 "^e\.csv:2: error\[R1106\]: entity '1', column 'a': missing value"
}
t_num_count_fraction() { # numbers: a count of 1.5
  cell a 1.5
  want 1 "^e\.csv:2: error\[R1105\]: entity '1', column 'a': '1\.5' is not a count"
}
t_num_count_negative() { # numbers: a negative count
  cell a -3
  want 1 "^e\.csv:2: error\[R1105\]: entity '1', column 'a': '-3' is not a count"
}
t_num_fraction_150() { # numbers: a fraction of 150%
  cell share 150%
  want 1 "^e\.csv:2: error\[R1105\]: entity '1', column 'share': '150%' is not a fraction from 0 to 1"
}
t_num_rank_0() { # numbers: a rank of 0
  cell r 0
  want 1 "^e\.csv:2: error\[R1105\]: entity '1', column 'r': '0' is not a rank"
}
t_num_at_least_1() { # numbers: 0 for an input declared 'at least 1'
  cell b 0
  want 1 "^e\.csv:2: error\[R1105\]: entity '1', column 'b': '0' must be at least 1"
}
t_num_yesno_word() { # numbers: 'maybe' in a yes/no column
  cell ok maybe
  want 1 "^e\.csv:2: error\[R1104\]: entity '1', column 'ok': 'maybe' is not yes/no"
}
t_num_fullwidth_digit() { # numbers: a full-width digit ５
  cell m ５
  want 1 "^e\.csv:2: error\[R1104\]: entity '1', column 'm': '５' is not a number"
}

# ==== ids and parents ==========================================================
t_id_duplicate() { # ids: two rows with one id
  put e.csv "$FH" "$FR" "$FR2" '1,丙镇,3,5,0,1,yes,0'
  pre out/scores.csv
  flat e.csv
  want 1 "^e\.csv:4: error\[R1107\]: duplicate id '1' \(first on line 2\)"
}
t_id_duplicate_trimmed() { # ids: ' 2 ' and '2' are one id once trimmed
  put e.csv "$FH" "$FR" "$FR2" ' 2 ,丙镇,3,5,0,1,yes,0'
  flat e.csv
  want 1 "^e\.csv:4: error\[R1107\]: duplicate id '2' \(first on line 3\)"
}
t_id_blank() { # ids: an id of only spaces
  put e.csv "$FH" "$FR" '   ,乙镇,1,10,0.5,4,否,50'
  flat e.csv
  want 1 "^e\.csv:3: error\[R1106\]: column 'id': missing value"
}
t_id_period_row_unknown() { # ids: a period row for an id the entities table lacks
  monthly "${M_GOOD[@]}" '9,1,0.5'
  want 1 "^pm\.csv:8: error\[R1108\]: id '9' has no row in monthly\.csv"
}
t_parent_unknown() { # parents: an entity's parent has no row
  put e.csv "$KH" 'C1,甲市,,5,' 'k1,甲县,C9,,1' 'k2,乙县,C1,,0'
  kids
  want 1 "^e\.csv:3: error\[R1108\]: column 'parent': 'C9' has no row in e\.csv"
}
t_parent_missing_value() { # parents: an entity with an empty parent cell
  put e.csv "$KH" 'C1,甲市,,5,' 'k1,甲县,,,1' 'k2,乙县,C1,,0'
  kids
  want 1 "^e\.csv:3: error\[R1106\]: column 'parent': missing value \(entity 'k1'\)"
}
t_parent_also_entity() { # parents: a --parents row whose id is also an entity's
  put e.csv "$KH" 'k1,甲县,C1,,1' 'k2,乙县,C1,,0'
  put p.csv 'id,city' 'C1,5' 'k1,3'
  kids --parents p.csv
  want 1 "^p\.csv:3: error\[R1107\]: duplicate id 'k1' \(first on e\.csv line 2\)"
}
t_parent_duplicate_in_parents() { # parents: one id twice in --parents
  put e.csv "$KH" 'k1,甲县,C1,,1' 'k2,乙县,C1,,0'
  put p.csv 'id,city' 'C1,5' 'C1,3'
  kids --parents p.csv
  want 1 "^p\.csv:3: error\[R1107\]: duplicate id 'C1' \(first on line 2\)"
}
t_parent_bad_cell() { # parents: the parent row's cell is not a number
  put e.csv "$KH" 'C1,甲市,,abc,' 'k1,甲县,C1,,1'
  kids
  want 1 "^e\.csv:2: error\[R1104\]: entity 'C1', column 'city': 'abc' is not a number"
}
# k1 (its own parent) was taken for a parent row and dropped (exit 0).
t_parent_self() { # parents: a row whose parent is itself
  put e.csv "$KH" 'C1,甲市,,5,' 'k1,甲县,k1,3,1' 'k2,乙县,C1,,0'
  pre out/scores.csv
  kids
  want 1 "^e\.csv:3: error\[R1113\]: entity 'k1' is its own parent"
}
# k1 and k2 were set apart as parent rows and dropped (exit 0, k3 alone scored).
t_parent_cycle() { # parents: two rows each other's parent
  put e.csv "$KH" 'C1,甲市,,5,' 'k1,甲县,k2,3,1' 'k2,乙县,k1,4,0' 'k3,丙县,C1,,0'
  kids
  want 1 "^e\.csv:3: error\[R1113\]: the parents of entity 'k1' lead back to it"
}
t_parent_cycle_only() { # parents: two rows each other's parent and nothing else
  put e.csv "$KH" 'k1,甲县,k2,3,1' 'k2,乙县,k1,4,0'
  kids
  want 1 "^e\.csv(:[23])?: error\[R11[0-9]{2}\]: .*parent"
}
# Was refused only for fgj's empty rank cells, never naming the self-parent.
t_parent_self_pingyin() { # parents: Pingyin's 发改局 made its own parent
  cp "$examples"/pingyin/pingyin_2022.rubric "$examples"/pingyin/departments_months.csv .
  sed 's/^fgj,发改局,370124,/fgj,发改局,fgj,/' "$examples"/pingyin/departments.csv > departments.csv
  grep -q '^fgj,发改局,fgj,' departments.csv || skip "examples/pingyin/departments.csv has no fgj row"
  run score pingyin_2022.rubric --scheme pingyin_departments --entities departments.csv \
    --periods departments_months.csv -o out/departments.csv
  want 1 "^departments\.csv:3: error\[R11[0-9]{2}\]: .*parent"
}

# ==== periods ====================================================================
t_period_missing_month() { # periods: an entity without a row for month 2
  monthly '1,1,0.5' '1,3,0.7' '2,1,1' '2,2,0' '2,3,20%'
  want 1 "^pm\.csv: error\[R1109\]: entity '1' \(monthly\.csv line 2\) has no row for month 2"
}
t_period_duplicate_month() { # periods: month 2 twice for one entity
  monthly "${M_GOOD[@]}" '1,2,0.7'
  want 1 "^pm\.csv:8: error\[R1109\]: entity '1' has a second row for month 2 \(the first is on line 3\)"
}
t_period_month_13() { # periods: month 13 of 1 to 3
  monthly "${M_GOOD[@]}" '1,13,0.7'
  want 1 "^pm\.csv:8: error\[R1104\]: column 'month': '13' is not a month from 1 to 3"
}
t_period_month_0() { # periods: month 0
  monthly "${M_GOOD[@]}" '2,0,0.7'
  want 1 "^pm\.csv:8: error\[R1104\]: column 'month': '0' is not a month from 1 to 3"
}
t_period_month_1_5() { # periods: month 1.5
  monthly '1,1,0.5' '1,2,0.6' '1,1.5,0.7' '2,1,1' '2,2,0' '2,3,20%'
  want 1 "^pm\.csv:4: error\[R1104\]: column 'month': '1\.5' is not a month from 1 to 3"
}
t_period_month_blank() { # periods: an empty month cell
  monthly "${M_GOOD[@]}" '2,,0.7'
  want 1 "^pm\.csv:8: error\[R1104\]: column 'month': '' is not a month"
}
t_period_column_missing() { # periods: no month column
  put pm.csv 'id,f' '1,0.5' '2,0.5'
  run score bad.rubric --scheme monthly --entities monthly.csv --periods pm.csv -o out/scores.csv
  want 1 "^pm\.csv:1: error\[R1103\]: missing column 'month'"
}
t_period_value_out_of_range() { # periods: a monthly fraction of 2
  monthly '1,1,0.5' '1,2,0.6' '1,3,0.7' '2,1,1' '2,2,2' '2,3,20%'
  want 1 "^pm\.csv:6: error\[R1105\]: entity '2', column 'f': '2' is not a fraction"
}

# ==== columns ====================================================================
t_col_missing_input() { # columns: the entities table lacks input 'm'
  put e.csv 'id,name,a,b,share,r,ok' '1,甲镇,5,10,30%,2,是'
  flat e.csv
  want 1 "^e\.csv:1: error\[R1103\]: missing column 'm'"
}
t_col_missing_id() { # columns: no id column
  put e.csv 'name,a,b,share,r,ok,m' '甲镇,5,10,30%,2,是,150'
  flat e.csv
  want 1 "^e\.csv:1: error\[R1103\]: missing column 'id'"
}
t_col_missing_parent() { # columns: no parent column for a 'from parent' input
  put e.csv 'id,name,city,n' 'C1,甲市,5,' 'k1,甲县,,1'
  kids
  want 1 "^e\.csv:1: error\[R1103\]: missing column 'parent'"
}
t_col_missing_parents_input() { # columns: --parents without the 'from parent' input's column
  put e.csv "$KH" 'k1,甲县,C1,,1'
  put p.csv 'id,name' 'C1,甲市'
  kids --parents p.csv
  want 1 "^p\.csv:1: error\[R1103\]: missing column 'city'"
}
t_col_missing_period_input() { # columns: the periods table lacks per-month input 'f'
  put pm.csv 'id,month' '1,1' '1,2'
  run score bad.rubric --scheme monthly --entities monthly.csv --periods pm.csv -o out/scores.csv
  want 1 "^pm\.csv:1: error\[R1103\]: missing column 'f'"
}
t_col_missing_period_id() { # columns: the periods table has no id column
  put pm.csv 'month,f' '1,0.5'
  run score bad.rubric --scheme monthly --entities monthly.csv --periods pm.csv -o out/scores.csv
  want 1 "^pm\.csv:1: error\[R1103\]: missing column 'id'"
}

# ==== schemes ======================================================================
t_scheme_missing_file() { # schemes: the scheme file does not exist
  run score nosuch.rubric --entities flat.csv -o out/scores.csv
  want 2 '^nosuch\.rubric: error\[R0001\]: cannot open'
}
t_scheme_empty_file() { # schemes: an empty scheme file
  : > empty.rubric
  run score empty.rubric --entities flat.csv -o out/scores.csv
  want 1 '^empty\.rubric: error\[R0002\]: the file is empty' 'not scored'
}
t_scheme_with_errors() { # schemes: points that do not add up (nothing scored)
  put broken.rubric 'scheme broken "坏" {' '  total 10' '  input a: count' \
    '  indicator x "x" points 4 { 4 if a > 1, 0 otherwise }' '}'
  pre out/scores.csv
  run score broken.rubric --entities flat.csv -o out/scores.csv
  want 1 '^broken\.rubric:2:9: error\[R0501\]' '^broken\.rubric: not scored: 1 error'
}
t_scheme_syntax_error() { # schemes: a block that never closes
  put broken.rubric 'scheme broken "坏" {' '  total 4' '  input a: count'
  run score broken.rubric --entities flat.csv -o out/scores.csv
  want 1 '^broken\.rubric:[0-9]+:[0-9]+: error\[R02[0-9]{2}\]'
}
t_scheme_unknown_id() { # schemes: --scheme names no scheme of the file
  run score bad.rubric --scheme nosuch --entities flat.csv -o out/scores.csv
  want 2 "^bad\.rubric: error\[R1402\]: has no scheme 'nosuch'"
}
t_scheme_several_no_id() { # schemes: several schemes and no --scheme
  run score bad.rubric --entities flat.csv -o out/scores.csv
  want 2 '^bad\.rubric: error\[R1402\]: holds several schemes; say which with --scheme'
}
t_scheme_forms_only() { # schemes: a file of forms alone
  put forms.rubric 'form f(x) = x + 1'
  run score forms.rubric --entities flat.csv -o out/scores.csv
  want 2 '^forms\.rubric: error\[R1402\]: holds no scheme, only forms'
}
t_scheme_directory() { # schemes: the scheme path is a directory
  mkdir adir.rubric
  run score adir.rubric --entities flat.csv -o out/scores.csv
  want 2 '^adir\.rubric: error\[R0001\]'
}

# ==== input files ====================================================================
t_file_entities_missing() { # files: the entities file does not exist
  run score bad.rubric --scheme flat --entities nosuch.csv -o out/scores.csv
  want 2 '^nosuch\.csv: error\[R1101\]: cannot open'
}
t_file_periods_missing() { # files: the periods file does not exist
  run score bad.rubric --scheme monthly --entities monthly.csv --periods nosuch.csv -o out/scores.csv
  want 2 '^nosuch\.csv: error\[R1101\]: cannot open'
}
t_file_parents_missing() { # files: the parents file does not exist
  put e.csv "$KH" 'k1,甲县,C1,,1'
  kids --parents nosuch.csv
  want 2 '^nosuch\.csv: error\[R1101\]: cannot open'
}
t_file_entities_directory() { # files: the entities path is a directory (opens, cannot be read)
  mkdir adir.csv
  flat adir.csv
  want 1 '^adir\.csv: error\[R1101\]: cannot read'
}

# ==== options ==========================================================================
t_opt_unknown() { # options: an option that does not exist
  flat flat.csv --bogus
  want 2 "error\\[R1401\\]: option '--bogus' is not known or needs a value"
}
t_opt_decimals_99() { # options: --decimals 99
  flat flat.csv --decimals 99
  want 2 "^rubric: error\[R1401\]: --decimals takes a whole number from 0 to 18, not '99'"
}
t_opt_decimals_negative() { # options: --decimals -1
  flat flat.csv --decimals -1
  want 2 "^rubric: error\[R1401\]: --decimals takes a whole number from 0 to 18, not '-1'"
}
t_opt_format_xml() { # options: --format xml
  flat flat.csv --format xml
  want 2 "^rubric: error\[R1401\]: --format is csv, json or xlsx, not 'xml'"
}
t_opt_targets_with_json() { # options: --targets with --format json
  run score bad.rubric --scheme goals --entities divide.csv -o out/scores.json --targets out/targets.csv --format json
  want 2 '^rubric: error\[R1401\]: --targets is for CSV'
}
t_opt_targets_missing() { # options: a scheme with points and targets, -o and no --targets
  run score bad.rubric --scheme goals --entities divide.csv -o out/scores.csv
  want 2 "^rubric: error\[R1401\]: scheme 'goals' has points and targets"
}
t_opt_targets_unneeded() { # options: --targets for a scheme without targets
  flat flat.csv --targets out/targets.csv
  want 2 "^rubric: error\[R1401\]: scheme 'flat' has no targets; --targets is not used"
}
t_opt_same_output() { # options: two jobs write to the same -o
  pre out/same.csv
  run score bad.rubric --scheme flat --entities flat.csv -o out/same.csv --scheme divide --entities divide.csv -o out/same.csv
  want 2 '^rubric: error\[R1401\]: two --scheme jobs write to the same output'
}
# Was accepted (exit 0): out/same.csv held the divide table only.
t_opt_same_output_spelled() { # options: two jobs write to out/same.csv and ./out/same.csv
  run score bad.rubric --scheme flat --entities flat.csv -o out/same.csv --scheme divide --entities divide.csv -o ./out/same.csv
  want 2 '^rubric: error\[R1401\]: two --scheme jobs write to the same output'
}
# Was accepted (exit 0): out/same.csv held the targets table only.
t_opt_same_output_targets() { # options: -o and --targets of one job name one file
  run score bad.rubric --scheme goals --entities divide.csv -o out/same.csv --targets out/same.csv
  want 2 '^rubric: error\[R1401\]: .*same output'
}
t_opt_two_jobs_stdout() { # options: two jobs both on standard output
  run score bad.rubric --scheme flat --entities flat.csv --scheme divide --entities divide.csv
  want 2 '^rubric: error\[R1401\]: two --scheme jobs write to the same output'
}
t_opt_job_without_entities() { # options: a second job without --entities
  run score bad.rubric --scheme flat --entities flat.csv -o out/one.csv --scheme divide -o out/two.csv
  want 2 "^rubric: error\[R1401\]: each --scheme needs its --entities FILE \(missing for 'divide'\)"
}
t_opt_no_entities() { # options: no --entities at all
  run score bad.rubric --scheme flat -o out/scores.csv
  want 2 '^rubric: error\[R1401\]: .*--entities'
}
t_opt_periods_missing() { # options: a scheme with per-period inputs and no --periods
  run score bad.rubric --scheme monthly --entities monthly.csv -o out/scores.csv
  want 2 "^rubric: error\[R1401\]: scheme 'monthly' has per-period inputs: give their table with --periods FILE"
}
t_opt_periods_unneeded() { # options: --periods for a scheme without periods
  flat flat.csv --periods monthly_months.csv
  want 1 "^monthly_months\.csv: error\[R1111\]: scheme 'flat' has no per-period inputs; this table is not used"
}
t_opt_parents_unneeded() { # options: --parents for a scheme without parents
  flat flat.csv --parents kids.csv
  want 1 "^kids\.csv: error\[R1111\]: scheme 'flat' reads nothing from parents"
}
t_opt_lang_fr() { # options: --lang fr
  flat flat.csv --lang fr
  want 2 "^rubric: error\[R1401\]: --lang takes zh or en, not 'fr'"
}
t_opt_diagnostics_xml() { # options: --diagnostics xml
  flat flat.csv --diagnostics xml
  want 2 "^rubric: error\[R1401\]: --diagnostics takes text, json or sarif, not 'xml'"
}
t_opt_lang_zh_data_error() { # options: --lang zh keeps the code and the place of a data error
  cellfile a abc
  flat e.csv --lang zh
  # Without the catalogue it warns and speaks English: the code and place stay.
  want 1 "^e\.csv:2: (错误|error)\[R1104\]"
}

# ==== output targets ===================================================================
t_out_missing_folder() { # outputs: -o into a folder that does not exist
  flat flat.csv -o nodir/scores.csv
  want 2 '^rubric: error\[R1501\]: nodir/scores\.csv: cannot create a temporary file in nodir'
  [ -e nodir ] && fail "the folder was created"
}
t_out_readonly_folder() { # outputs: -o into a read-only folder
  mkdir ro
  if is_root; then
    # root writes anywhere: run as nobody if setpriv can, else skip.
    local as="setpriv --reuid=65534 --regid=65534 --clear-groups"
    chmod -R a+rX "$W" && chmod 755 "$CASE"
    $as "$rubric" --version >/dev/null 2>&1 || skip "running as root and cannot run the binary as nobody: read-only folder not tested"
    echo "    note: root, so run as nobody through setpriv"
    chmod 555 ro
    AS=$as flat flat.csv -o ro/scores.csv
  else
    chmod 555 ro
    flat flat.csv -o ro/scores.csv
  fi
  want 2 '^rubric: error\[R1501\]: ro/scores\.csv: .*Permission denied'
  chmod 755 ro # so that the folder can be removed
}
t_out_directory() { # outputs: -o names a directory
  mkdir adir
  flat flat.csv -o adir
  want 2 '^rubric: error\[R1501\]: adir: is a directory'
}
t_out_symlink_missing_folder() { # outputs: -o names a symlink into a missing folder
  ln -s missing/scores.csv link.csv
  flat flat.csv -o link.csv
  want 2 '^rubric: error\[R1501\]: link\.csv: .*missing'
}
# Root: a private copy of /dev/full first; /dev/full only if the copy stays a device.
t_out_device_copy() { # outputs: -o a private copy of /dev/full (root: mknod)
  is_root || skip "not root: no mknod; /dev/full itself is tested next"
  mknod full c 1 7 2>/dev/null || skip "mknod refused: /dev/full will not be tested either"
  flat flat.csv -o full
  want 2 '^rubric: error\[R1501\]: full: write failed'
  if [ -c full ] && [ "$FAILED" = 0 ]; then touch "$root/devcopy_ok"; fi
}
t_out_dev_full() { # outputs: -o /dev/full exits non-zero and leaves it a device
  [ -c /dev/full ] || skip "no /dev/full"
  if is_root && [ ! -f "$root/devcopy_ok" ]; then skip "the private copy did not pass: not touching /dev/full"; fi
  flat flat.csv -o /dev/full
  want 2 '^rubric: error\[R1501\]: /dev/full: write failed'
  [ -c /dev/full ] || fail "/dev/full is no longer a character device"
}
t_out_stdout_full() { # outputs: standard output to a full device (> /dev/full)
  [ -c /dev/full ] && [ -w /dev/full ] || skip "no writable /dev/full"
  STDOUT=/dev/full run score bad.rubric --scheme flat --entities flat.csv
  STDOUT=/dev/full want 2 '^rubric: error\[R1501\]: stdout: write failed'
}
t_out_stdout_closed() { # outputs: standard output closed
  STDOUT=closed run score bad.rubric --scheme flat --entities flat.csv
  STDOUT=closed want 2 '^rubric: error\[R1501\]: stdout: write failed'
}

# ==== several jobs ======================================================================
two_jobs() { # two_jobs ENT1 ENT2 [OUT1 [OUT2]]: flat then divide (STRICT=1: --strict)
  local o1=() o2=() strict=()
  [ -n "${STRICT:-}" ] && strict=(--strict)
  [ -n "${3:-}" ] && o1=(-o "$3")
  [ -n "${4:-}" ] && o2=(-o "$4")
  run score "${strict[@]}" bad.rubric --scheme flat --entities "$1" "${o1[@]}" --scheme divide --entities "$2" "${o2[@]}"
}
t_jobs_first_data_bad() { # jobs: the first job's data is bad
  cellfile a abc && mv e.csv bad1.csv
  pre out/two.csv
  two_jobs bad1.csv divide.csv out/one.csv out/two.csv
  want 1 "^bad1\.csv:2: error\[R1104\]: entity '1', column 'a'" 'nothing scored'
}
t_jobs_second_data_bad() { # jobs: the second job's data is bad
  put bad2.csv 'id,name,a,b,big' '1,甲,1,2,否' '2,乙,x,4,否'
  pre out/one.csv
  two_jobs flat.csv bad2.csv out/one.csv out/two.csv
  want 1 "^bad2\.csv:3: error\[R1104\]: entity '2', column 'a': 'x' is not a number" 'nothing scored'
}
t_jobs_second_scoring_fails_stdout() { # jobs: the second job's entities fail to score, the first to stdout
  put bad2.csv 'id,name,a,b,big' '1,甲,1,2,是' '2,乙,3,0,否'
  STRICT=1 two_jobs flat.csv bad2.csv '' out/two.csv
  want 1 "^bad2\.csv:2: error\[R1201\]: entity 1 \(甲\): indicator special" "^bad2\.csv:3: error\[R1202\]: entity 2 \(乙\): indicator share: division by zero"
}
t_jobs_second_scheme_unknown() { # jobs: the second job's scheme id is unknown
  run score bad.rubric --scheme flat --entities flat.csv -o out/one.csv --scheme nosuch --entities divide.csv -o out/two.csv
  want 2 "^bad\.rubric: error\[R1402\]: has no scheme 'nosuch'"
}
t_jobs_second_periods_missing() { # jobs: the second job lacks its --periods
  run score bad.rubric --scheme flat --entities flat.csv -o out/one.csv --scheme monthly --entities monthly.csv -o out/two.csv
  want 2 "^rubric: error\[R1401\]: scheme 'monthly' has per-period inputs"
}
t_jobs_second_folder_missing() { # jobs: the second job's output folder is missing
  two_jobs flat.csv divide.csv out/one.csv nodir/two.csv
  want 2 '^rubric: error\[R1501\]: nodir/two\.csv: cannot create a temporary file'
}
t_jobs_second_folder_missing_stdout() { # jobs: the second job's folder is missing, the first to stdout
  two_jobs flat.csv divide.csv '' nodir/two.csv
  want 2 '^rubric: error\[R1501\]: nodir/two\.csv: cannot create a temporary file'
}
t_jobs_second_scoring_fails() { # jobs: scores and targets of job 1 not written when job 2 fails to score
  put d.csv 'id,name,a,b,big' '1,甲,1,0,否'
  run score --strict bad.rubric --scheme goals --entities divide.csv -o out/scores.csv --targets out/targets.csv \
    --scheme divide --entities d.csv -o out/divide.csv
  want 1 "^d\.csv:2: error\[R1202\]: entity 1 \(甲\): indicator share: division by zero"
}
# Commits went file by file: job 1's file was renamed into place before the
# device write of job 2 failed. Now files go into place only after devices.
t_jobs_second_commit_fails() { # jobs: both to files, the second's commit fails (a full device)
  local dev
  dev=$(full_device)
  [ -n "$dev" ] || skip "no full device to write to (root without a private copy)"
  two_jobs flat.csv divide.csv out/one.csv "$dev"
  want 2 "^rubric: error\[R1501\]: $dev: write failed"
}
# Likewise, with an existing out/one.csv (it was replaced).
t_jobs_second_commit_fails_existing() { # jobs: the second's commit fails, the first's file existed
  local dev
  dev=$(full_device)
  [ -n "$dev" ] || skip "no full device to write to (root without a private copy)"
  pre out/one.csv
  two_jobs flat.csv divide.csv out/one.csv "$dev"
  want 2 "^rubric: error\[R1501\]: $dev: write failed"
}
t_jobs_first_commit_fails() { # jobs: the first's commit fails (a full device), the second to a file
  local dev
  dev=$(full_device)
  [ -n "$dev" ] || skip "no full device to write to (root without a private copy)"
  two_jobs flat.csv divide.csv "$dev" out/two.csv
  want 2 "^rubric: error\[R1501\]: $dev: write failed"
}
# Files were committed before standard output: out/two.csv was created,
# then the write to the full stdout failed (exit 2).
t_jobs_stdout_full_and_file() { # jobs: the first to a full stdout, the second to a file
  [ -c /dev/full ] && [ -w /dev/full ] || skip "no writable /dev/full"
  STDOUT=/dev/full two_jobs flat.csv divide.csv '' out/two.csv
  STDOUT=/dev/full want 2 '^rubric: error\[R1501\]: stdout: write failed'
}

# ==== scoring failures ===================================================================
# (--strict: all or nothing; tests/e2e/partial.sh checks what is written without it)
t_score_division_by_zero() { # scoring: a division by zero
  put d.csv 'id,name,a,b,big' '1,甲,1,2,否' '2,乙,3,0,否'
  pre out/scores.csv
  run score --strict bad.rubric --scheme divide --entities d.csv -o out/scores.csv
  want 1 "^d\.csv:3: error\[R1202\]: entity 2 \(乙\): indicator share: division by zero in 'a / b' \(bad\.rubric:[0-9]+:[0-9]+\)" \
    '^rubric: nothing written: 1 entity could not be scored'
}
t_score_overflow() { # scoring: a product of 10^20 is an error at its entity, never a wrong number
  put d.csv 'id,name,a' '1,甲,9999999999' '2,乙,10000000000'
  pre out/scores.csv
  run score --strict bad.rubric --scheme overflow --entities d.csv -o out/scores.csv
  want 1 "^d\.csv:3: error\[R1203\]: entity 2 \(乙\): indicator sq: 'a \* a' overflows: numbers are under 10\^20 \(bad\.rubric:[0-9]+:[0-9]+\)" \
    '^rubric: nothing written: 1 entity could not be scored'
  ! has_line 'entity 1 ' || fail "entity 1 (9999999999², under 10^20) was reported"
}
t_score_margin_overflow() { # scoring: a target's margin of 1.8 × 10^20 is an error, not an empty or wrong cell
  put d.csv 'id,name,a,b' '1,甲,90000000000000000000,-90000000000000000000' '2,乙,5,3'
  pre out/targets.csv
  run score --strict bad.rubric --scheme margin --entities d.csv -o out/targets.csv
  want 1 "^d\.csv:2: error\[R1203\]: entity 1 \(甲\): target reach: the margin overflows: numbers are under 10\^20" \
    '^rubric: nothing written: 1 entity could not be scored'
}
t_score_undefined_case() { # scoring: a case the scheme leaves undefined
  put d.csv 'id,name,a,b,big' '1,甲,1,2,是' '2,乙,3,4,否'
  run score --strict bad.rubric --scheme divide --entities d.csv -o out/scores.csv
  want 1 "^d\.csv:2: error\[R1201\]: entity 1 \(甲\): indicator special: the scheme leaves this case undefined: 文件未规定特殊情况如何计分 \(bad\.rubric:[0-9]+:[0-9]+\)"
}
t_score_undefined_chengwu() { # scoring: Chengwu's two counties of a million people (undefined)
  cp "$examples"/chengwu/chengwu_2022.rubric "$examples"/chengwu/heze_counties_all.csv "$examples"/chengwu/heze_months_all.csv .
  run score --strict chengwu_2022.rubric --entities heze_counties_all.csv --periods heze_months_all.csv -o out/chengwu.csv
  want 1 "^heze_counties_all\.csv:4: error\[R1201\]: entity 371721 \(曹县\): indicator info_collection: the scheme leaves this case undefined: .*\(chengwu_2022\.rubric:[0-9]+:[0-9]+\)" \
    "^heze_counties_all\.csv:8: error\[R1201\]: entity 371725 \(郓城县\)" \
    '^rubric: nothing written: 2 entities could not be scored'
}
t_score_peer_spoiled() { # scoring: a peer group spoiled by one failing peer
  put d.csv 'id,name,a,b' '1,甲,1,2' '2,乙,3,0' '3,丙,3,4'
  run score --strict bad.rubric --scheme spoiled --entities d.csv -o out/scores.csv
  want 1 "^d\.csv:3: error\[R1202\]: entity 2 \(乙\): indicator best: division by zero" \
    "^d\.csv:2: error\[R1204\]: entity 1 \(甲\): indicator best: 'peers\.ratio_to_max\(a / b\)' cannot be computed" \
    "^d\.csv:4: error\[R1204\]: entity 3 \(丙\)" \
    '^rubric: nothing written: 3 entities could not be scored'
}
t_score_peer_spoiled_json_stdout() { # scoring: the spoiled peer group, JSON to standard output
  put d.csv 'id,name,a,b' '1,甲,1,2' '2,乙,3,0'
  run score --strict bad.rubric --scheme spoiled --entities d.csv --format json
  want 1 "^d\.csv:3: error\[R1202\]: entity 2 \(乙\)" "^d\.csv:2: error\[R1204\]: entity 1 \(甲\)"
}

# ---- the runner ------------------------------------------------------------------
declare -A known_reason=()
while read -r kid kreason; do
  [ -n "$kid" ] && known_reason[$kid]=$kreason
done <<< "$KNOWN_FAILURES"
n=0 ok=0 bad=0 known=0 skipped=0 fixed=0
# Every case starts from a copy of this: the fixtures and an empty out/.
mkdir -p "$root/template/w/out" && cp "$fixtures"/* "$root/template/w/" || exit 1
while IFS= read -r line; do
  id=${line%%()*}
  id=${id#t_}
  desc=${line#*# }
  if [ -n "${ONLY:-}" ] && ! [[ $id =~ $ONLY ]]; then continue; fi
  n=$((n + 1))
  CASE=$root/$id
  W=$CASE/w
  cp -r "$root/template" "$CASE"
  (
    cd "$W" || exit 99
    FAILED=0
    "t_$id"
    exit $FAILED
  ) > "$CASE/log" 2>&1
  status=$?
  reason=${known_reason[$id]:-}
  if [ $status = 77 ]; then
    skipped=$((skipped + 1))
    echo "skip $id: $desc ($(sed 's/^ *//' "$CASE/log" | paste -sd' ' -))"
  elif [ $status = 0 ] && [ -z "$reason" ]; then
    ok=$((ok + 1))
    notes=
    [ -s "$CASE/log" ] && notes=$(sed -n 's/^ *note: //p' "$CASE/log" | paste -sd';' -)
    echo "ok   $id: $desc${notes:+ ($notes)}"
  elif [ $status = 0 ]; then
    bad=$((bad + 1)) fixed=$((fixed + 1))
    echo "FAIL $id: $desc: listed in KNOWN_FAILURES but passes now: take it off the list"
  elif [ -n "$reason" ]; then
    known=$((known + 1))
    echo "KNOWN FAILURE: $id: $desc: $reason"
    cat "$CASE/command" 2>/dev/null | sed 's/^/    /'
  else
    bad=$((bad + 1))
    echo "FAIL $id: $desc"
    cat "$CASE/command" 2>/dev/null | sed 's/^/    /'
    cat "$CASE/log"
  fi
  [ -n "${KEEP:-}" ] || rm -rf "$CASE"
done < <(grep -E '^t_[a-z0-9_]+\(\) \{ # ' "$self")

echo "$n cases: $ok ok, $bad failed, $known known failures, $skipped skipped"
[ $bad -eq 0 ] || exit 1
exit 0
