/*
** outbuf.c — text gathered in one large buffer and written in big blocks.
*/
#include "outbuf.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>

void out_buf_open(out_buf *b, FILE *fp, char *fallback, size_t fallback_len) {
  assert(fp != NULL && fallback != NULL && fallback_len >= OUT_BUF_ROOM);
  *b = (out_buf){.fp = fp};
  b->data = malloc(OUT_BUF_BLOCK);
  if (b->data != NULL) {
    b->cap = OUT_BUF_BLOCK;
    b->owned = true;
  } else { /* no memory for a block: the same bytes, in smaller writes */
    b->data = fallback;
    b->cap = fallback_len;
  }
}

/* Caller owns b->data (released by out_buf_free); without memory even for
   CAP bytes, B starts out lost with a small scratch array of its own. */
void out_buf_open_mem(out_buf *b, size_t cap) {
  *b = (out_buf){0};
  if (cap < OUT_BUF_ROOM) cap = OUT_BUF_ROOM;
  b->data = malloc(cap);
  if (b->data == NULL) {
    static _Thread_local char scratch[OUT_BUF_ROOM];
    b->data = scratch;
    b->cap = sizeof scratch;
    b->lost = true;
    return;
  }
  b->cap = cap;
  b->owned = true;
}

void out_buf_flush(out_buf *b) {
  if (b->fp == NULL || b->len == 0) return;
  /* A short write leaves the stream's error flag set: file.h's commit
     reports it and the target stays as it was. */
  (void)fwrite(b->data, 1, b->len, b->fp);
  b->len = 0;
}

void out_buf_close(out_buf *b) {
  out_buf_flush(b);
  if (b->owned) free(b->data);
  *b = (out_buf){0};
}

void out_buf_free(out_buf *b) {
  if (b->owned) free(b->data);
  *b = (out_buf){0};
}

void out_buf_clear(out_buf *b) {
  b->len = 0;
  b->lost = false;
}

/* A memory buffer grows to hold at least N more bytes; false (and B lost,
   emptied to scratch) when memory runs out. */
static bool grow(out_buf *b, size_t n) {
  if (!b->lost && b->owned) {
    size_t cap = b->cap;
    while (cap - b->len < n) {
      if (cap > SIZE_MAX / 2) {
        cap = 0;
        break;
      }
      cap *= 2;
    }
    char *data = cap ? realloc(b->data, cap) : NULL;
    if (data != NULL) {
      b->data = data;
      b->cap = cap;
      return true;
    }
  }
  b->lost = true; /* the content is void from now on: write over it */
  b->len = 0;
  return false;
}

char *out_buf_make_room(out_buf *b, size_t n) {
  assert(n <= OUT_BUF_ROOM);
  if (b->fp != NULL) out_buf_flush(b); /* the block is full: out it goes */
  else (void)grow(b, n);               /* lost: len is 0 and cap >= OUT_BUF_ROOM */
  return b->data + b->len;
}

void out_buf_put_long(out_buf *b, const char *s, size_t n) {
  if (b->fp != NULL) {
    out_buf_flush(b);
    if (n >= b->cap) { /* more than a block (a huge name): straight out */
      (void)fwrite(s, 1, n, b->fp);
      return;
    }
  } else if (!grow(b, n) && n > b->cap) {
    return; /* lost anyway: nothing to keep */
  }
  memcpy(b->data + b->len, s, n);
  b->len += n;
}

void out_buf_int(out_buf *b, int v) {
  char *p = out_buf_room(b, 12), *end = p + 12, *q = end;
  unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;
  do {
    *--q = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  if (v < 0) *--q = '-';
  size_t k = (size_t)(end - q);
  memmove(p, q, k);
  b->len += k;
}
