/* texts.c: strings in large blocks (texts.h). */
#include "texts.h"

#include <stdlib.h>

#include "pages.h"

enum { FIRST = 16 << 10, MOST = 4 << 20 }; /* blocks, header included: 16 KB, doubling to 4 MB (2 huge pages) */

typedef struct texts_block {
  struct texts_block *before;
  size_t used, size; /* bytes of text[] */
  char text[];
} texts_block;

char *texts_room(texts *t, size_t len) {
  texts_block *b = t->last;
  if (!b || b->size - b->used < len + 1) {
    size_t whole = t->grow ? t->grow : FIRST;
    t->grow = whole < MOST ? 2 * whole : MOST;
    size_t size = whole - sizeof *b;
    if (size < len + 1) size = len + 1; /* a string longer than a block: one of its own */
    b = pages_calloc(1, sizeof *b + size);
    if (!b) abort();
    b->size = size;
    b->before = t->last;
    t->last = b;
  }
  char *p = b->text + b->used;
  b->used += len + 1;
  return p;
}

void texts_take(texts *into, texts *from) {
  texts_block *first = from->last;
  if (!first) return;
  while (first->before) first = first->before;
  first->before = into->last;
  into->last = from->last;
  if (from->grow > into->grow) into->grow = from->grow;
  from->last = NULL;
  from->grow = 0;
}

void texts_free(texts *t) {
  for (texts_block *b = t->last, *before; b; b = before) {
    before = b->before;
    pages_free(b);
  }
  t->last = NULL;
  t->grow = 0;
}
