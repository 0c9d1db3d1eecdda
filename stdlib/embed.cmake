# Writes the file IN as a C byte array named rubric_prelude into OUT.
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" n)
math(EXPR len "${n} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE ${OUT} "/* generated from stdlib/prelude.rubric; do not edit */\n#include <stddef.h>\n"
  "const unsigned char rubric_prelude[] = {${bytes}0};\nconst size_t rubric_prelude_len = ${len};\n")
