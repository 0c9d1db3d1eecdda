#!/usr/bin/env bash
# update-po.sh [--pot FILE]: extracts every message from the sources into
# compiler/po/rubric.pot and merges it into the Chinese catalogue
# compiler/po/zh_CN.po (new messages appear untranslated; translate them).
# With --pot FILE it only extracts, into FILE (tests/e2e/i18n.sh compares
# that with the catalogue).
set -eu
cd "$(dirname "$0")/.."
pot=compiler/po/rubric.pot
[ "${1:-}" = "--pot" ] && pot=$2
sources=$(ls grammar/lexer.l grammar/parser.y compiler/*.c compiler/check/*.c compiler/codegen/*.c \
  runtime/*.c runtime/load/*.c runtime/output/*.c tools/*.c)
xgettext --from-code=UTF-8 --language=C --no-wrap --sort-by-file --add-comments=TRANSLATORS: \
  --package-name=rubric --msgid-bugs-address=- \
  --keyword=diag_error:4 --keyword=diag_warning:4 --keyword=diag_note:3 --keyword=diag_plain:5 \
  --keyword=diag_data:5 --keyword=diag_report:5 --keyword=diag_summary:2 --keyword=load_problem:7 \
  --keyword=usage_error:3 --keyword=set_err:3 --keyword=diag_tr --keyword=N_ \
  -o "$pot" $sources
[ "${1:-}" = "--pot" ] && exit 0
if [ -f compiler/po/zh_CN.po ]; then
  msgmerge --quiet --no-wrap --update --backup=none compiler/po/zh_CN.po compiler/po/rubric.pot
else
  msginit --no-translator --no-wrap --locale=zh_CN.UTF-8 -i compiler/po/rubric.pot -o compiler/po/zh_CN.po
fi
msgfmt --statistics --check-format -o /dev/null compiler/po/zh_CN.po
