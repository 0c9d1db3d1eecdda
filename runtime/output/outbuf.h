/*
** outbuf.h — text gathered in one large buffer and written in big blocks.
**
** A table of millions of numbers written a field at a time through stdio
** spends its time in per-call overhead; gathered here, it reaches the
** output file a megabyte per fwrite (which glibc hands straight to
** write(2)), or the memory stream of file.h for stdout and devices.
*/
#ifndef RUBRIC_OUTPUT_OUTBUF_H
#define RUBRIC_OUTPUT_OUTBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "fixed.h"

/* How much a buffer bound to a stream gathers before writing it out. */
#define OUT_BUF_BLOCK ((size_t)1 << 20)
/* The most any single reservation (out_buf_room) asks for: a number's text
   (fixed_format's 48 bytes) or a small piece of syntax. */
#define OUT_BUF_ROOM 64

/* Two kinds, one interface. Bound to a stream (out_buf_open): full blocks go
   to the stream, so memory stays one block whatever the table's size. Not
   bound (out_buf_open_mem): everything stays in memory, growing as needed,
   for a piece formatted ahead of its turn (rows.h); when growing fails,
   `lost` is set and what is written from then on overwrites scratch space,
   so callers need no checks, and the piece is formatted again. */
typedef struct out_buf {
  char *data;
  size_t len, cap;
  FILE *fp;    /* where full blocks go; NULL: held in memory */
  bool owned;  /* data was allocated here (else the caller's fallback array) */
  bool lost;   /* memory ran out: the content is void (memory buffers only) */
} out_buf;

/* Bound to FP. Allocates OUT_BUF_BLOCK bytes, or, without memory for that,
   uses the caller's FALLBACK array (at least OUT_BUF_ROOM bytes; smaller
   blocks, the same bytes). Release with out_buf_close, which writes the rest. */
void out_buf_open(out_buf *b, FILE *fp, char *fallback, size_t fallback_len);
/* In memory, starting with CAP bytes (allocated as needed). Release with
   out_buf_free. */
void out_buf_open_mem(out_buf *b, size_t cap);
/* Writes what is gathered to the stream (a no-op for a memory buffer).
   A failed write is the stream's error (ferror), which file.h reports. */
void out_buf_flush(out_buf *b);
/* Flushes, then frees what out_buf_open allocated. */
void out_buf_close(out_buf *b);
/* Frees a memory buffer's data. */
void out_buf_free(out_buf *b);
/* Empties B for reuse (keeping its memory) and clears `lost`. */
void out_buf_clear(out_buf *b);

/* The slow halves of the inline calls below: making room. */
char *out_buf_make_room(out_buf *b, size_t n);
void out_buf_put_long(out_buf *b, const char *s, size_t n);

/* At least N (<= OUT_BUF_ROOM) writable bytes at the end of B; mark what is
   used with b->len += k. */
static inline char *out_buf_room(out_buf *b, size_t n) {
  if (b->cap - b->len >= n) return b->data + b->len;
  return out_buf_make_room(b, n);
}

static inline void out_buf_put(out_buf *b, const char *s, size_t n) {
  if (b->cap - b->len >= n) {
    memcpy(b->data + b->len, s, n);
    b->len += n;
  } else {
    out_buf_put_long(b, s, n);
  }
}

static inline void out_buf_puts(out_buf *b, const char *s) { out_buf_put(b, s, strlen(s)); }

static inline void out_buf_putc(out_buf *b, char c) {
  char *p = out_buf_room(b, 1);
  *p = c;
  b->len++;
}

/* V's text as fixed_format writes it (nothing for what is not a number). */
static inline void out_buf_fixed(out_buf *b, rb_fixed v, int decimals) {
  char *p = out_buf_room(b, 48);
  b->len += fixed_format(v, decimals, p, 48);
}

/* V in decimal, as printf's %d writes it. */
void out_buf_int(out_buf *b, int v);

#endif /* RUBRIC_OUTPUT_OUTBUF_H */
