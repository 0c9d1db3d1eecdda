/*
** texts.h — strings that live and die together, in large blocks.
**
** A table's ids and names, two strings a row, were a malloc each: for a
** million rows, 2,000,000 calls and 80 MB of malloc's 4 KB pages, each a
** fault when first written (pages.h). Here they are written one after
** another into blocks of up to 4 MB (on huge pages once large), and freed
** with them. One texts is written by one thread at a time.
*/
#ifndef RUBRIC_TEXTS_H
#define RUBRIC_TEXTS_H

#include <stddef.h>

typedef struct texts {
  struct texts_block *last; /* the block written into; each links to the one before */
  size_t grow;              /* the next block's size */
} texts;

/* Room for LEN bytes and a NUL at the end of T, for the caller to write;
   it stays T's. Aborts when out of memory, as malloc's callers here do. */
char *texts_room(texts *t, size_t len);
/* Moves every block of FROM into INTO; FROM is empty after. */
void texts_take(texts *into, texts *from);
/* Frees every string of T; T is empty after. */
void texts_free(texts *t);

#endif /* RUBRIC_TEXTS_H */
