/*
** bytes.h — the bytes of an input table: a regular file is mapped (its
** pages come and go with the page cache, so a large table costs no heap),
** anything else (a pipe; "-", standard input) is read into a buffer.
*/
#ifndef RUBRIC_LOAD_BYTES_H
#define RUBRIC_LOAD_BYTES_H

#include <stdbool.h>
#include <stddef.h>

typedef struct table_bytes {
  const char *text; /* the bytes (read-only) */
  size_t len;
  char *buf;        /* owned, when read (or replaced) rather than mapped */
  void *map;        /* owned, when mapped */
  size_t maplen;
} table_bytes;

/* The bytes of PATH ("-": standard input) into T. False with "PATH: what"
   in ERR ("<stdin>: ..."). Free with bytes_free. */
bool bytes_load(table_bytes *t, const char *path, char *err, size_t errlen);
/* T's bytes become BUF[0..len) (malloc'd, taken over): the text converted. */
void bytes_replace(table_bytes *t, char *buf, size_t len);
/* Bytes [FROM, TO) of a mapped table will not be read soon: their pages
   leave memory (a later read brings them back). Thread-safe. */
void bytes_forget(const table_bytes *t, size_t from, size_t to);
void bytes_free(table_bytes *t);

#endif
