/*
** encoding.h — the text encodings of input tables: UTF-8, or GB18030 read
** as UTF-8 (csv.c decides which; this module only checks and converts).
*/
#ifndef RUBRIC_LOAD_ENCODING_H
#define RUBRIC_LOAD_ENCODING_H

#include <stdbool.h>
#include <stddef.h>

/* The encoding of a table: UTF-8 with or without a BOM, or GB18030 (which
   holds GBK and GB2312: what WPS and Chinese Excel save as "CSV"), read as
   UTF-8. AUTO takes UTF-8 when the bytes are that, else GB18030 when they
   are that; a table that is neither is an error at its first bad byte. */
typedef enum { CSV_ENC_AUTO, CSV_ENC_UTF8, CSV_ENC_GB18030 } csv_encoding;

/* The encoding called NAME (auto, utf-8, gbk, gb2312, gb18030, cp936; any
   case) into *ENC; false if there is none. */
bool csv_encoding_named(const char *name, csv_encoding *enc);

/* The offset of the first byte of S[0..len) that is not part of a
   well-formed UTF-8 sequence (no overlongs, surrogates or code points past
   U+10FFFF), or LEN if there is none. */
size_t enc_utf8_invalid(const char *s, size_t len);

/* TEXT[0..len), GB18030, as UTF-8 in a new buffer (caller frees) of
   *OUTLEN bytes; NULL with *BADP the offset of the first byte that is not
   GB18030 text (a character cut short at the end included). */
char *enc_gb18030_to_utf8(const char *text, size_t len, size_t *outlen, size_t *badp);

#endif /* RUBRIC_LOAD_ENCODING_H */
