#!/usr/bin/env bash
# deps.sh: installs the Debian 12 packages Rubric needs, if any are missing.
# Runs apt-get only when something is absent, as root or through sudo.
set -eu
packages=(build-essential cmake pkg-config flex bison llvm-19-dev libcmocka-dev libgmp-dev python3 gettext zlib1g-dev libzstd-dev libxxhash-dev libunistring-dev libxlsxwriter-dev libzip-dev libexpat1-dev strace
          python3-openpyxl chromium fonts-wqy-microhei python3-websocket # tests: workbooks, the HTML report
          clang-14 libclang-rt-14-dev) # clang and libFuzzer: tools/fuzz.sh
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "rubric: installing ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
"${sudo[@]}" apt-get update -q
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
