/*
** encoding.c — the text encodings of input tables (encoding.h): UTF-8
** checked, GB18030 (GBK, GB2312) converted to UTF-8 through glibc's iconv,
** a maintained converter rather than tables of our own.
*/
#include "encoding.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

size_t enc_utf8_invalid(const char *s, size_t len) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0;
  while (i < len) {
    while (i + 8 <= len) {
      uint64_t w;
      memcpy(&w, p + i, 8);
      if (w & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= len) break;
    unsigned char c = p[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    size_t n;
    unsigned lo = 0x80, hi = 0xBF; /* the allowed range of the second byte */
    if (c >= 0xC2 && c <= 0xDF) n = 2;
    else if (c == 0xE0) n = 3, lo = 0xA0;
    else if (c == 0xED) n = 3, hi = 0x9F;
    else if (c >= 0xE1 && c <= 0xEF) n = 3;
    else if (c == 0xF0) n = 4, lo = 0x90;
    else if (c == 0xF4) n = 4, hi = 0x8F;
    else if (c >= 0xF1 && c <= 0xF3) n = 4;
    else return i;
    if (i + n > len || p[i + 1] < lo || p[i + 1] > hi) return i;
    for (size_t k = 2; k < n; k++)
      if ((p[i + k] & 0xC0) != 0x80) return i;
    i += n;
  }
  return len;
}

bool csv_encoding_named(const char *name, csv_encoding *enc) {
  static const struct {
    const char *name;
    csv_encoding enc;
  } names[] = {{"auto", CSV_ENC_AUTO},   {"utf-8", CSV_ENC_UTF8},    {"utf8", CSV_ENC_UTF8},
               {"gbk", CSV_ENC_GB18030}, {"gb2312", CSV_ENC_GB18030}, {"gb18030", CSV_ENC_GB18030},
               {"cp936", CSV_ENC_GB18030}};
  for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
    if (!strcasecmp(name, names[k].name)) {
      *enc = names[k].enc;
      return true;
    }
  return false;
}

char *enc_gb18030_to_utf8(const char *text, size_t len, size_t *outlen, size_t *badp) {
  iconv_t cd = iconv_open("UTF-8", "GB18030");
  if (cd == (iconv_t)-1) abort(); /* glibc always has it */
  size_t cap = len + len / 2 + 16; /* two bytes become three at most */
  char *out = malloc(cap);
  if (!out) abort();
  char *in = (char *)text, *o = out;
  size_t inleft = len, outleft = cap;
  while (inleft > 0) {
    if (iconv(cd, &in, &inleft, &o, &outleft) != (size_t)-1) break;
    if (errno == E2BIG) { /* cannot happen by the bound above; grow anyway */
      size_t used = (size_t)(o - out);
      cap *= 2;
      out = realloc(out, cap);
      if (!out) abort();
      o = out + used, outleft = cap - used;
      continue;
    }
    /* EILSEQ, or EINVAL: a character cut short at the end */
    iconv_close(cd);
    free(out);
    *badp = (size_t)(in - text);
    return NULL;
  }
  iconv_close(cd);
  *outlen = (size_t)(o - out);
  return out;
}
