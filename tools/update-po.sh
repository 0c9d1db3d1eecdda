#!/usr/bin/env bash
# update-po.sh: extracts every message from the sources into
# compiler/po/rubric.pot and merges it into the Chinese catalogue
# compiler/po/zh_CN.po (new messages appear untranslated; translate them).
set -eu
cd "$(dirname "$0")/.."
xgettext --from-code=UTF-8 --language=C --no-wrap --sort-by-file --add-comments=TRANSLATORS: \
  --package-name=rubric --msgid-bugs-address=- \
  --keyword=diag_error:4 --keyword=diag_warning:4 --keyword=diag_note:3 --keyword=diag_plain:5 \
  --keyword=diag_tr --keyword=N_ --keyword=problem:4 \
  -o compiler/po/rubric.pot \
  grammar/lexer.l grammar/parser.y compiler/*.c runtime/*.c tools/rubric.c
if [ -f compiler/po/zh_CN.po ]; then
  msgmerge --quiet --no-wrap --update --backup=none compiler/po/zh_CN.po compiler/po/rubric.pot
else
  msginit --no-translator --no-wrap --locale=zh_CN.UTF-8 -i compiler/po/rubric.pot -o compiler/po/zh_CN.po
fi
msgfmt --statistics --check-format -o /dev/null compiler/po/zh_CN.po
