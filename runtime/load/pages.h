/*
** pages.h — large arrays on huge pages.
**
** A first touch of a 4 KB page is a fault: on the 2-core VM of the
** benchmark 10-15 us each (PVM traps every new mapping to the host), so the
** loader's arrays for a million entities (ids, their map, row offsets:
** 50,000 faults) cost a second of CPU. A 2 MB page takes one fault for 512
** of them. An array of 1 MB or more is mapped on its own, advised huge
** (MADV_HUGEPAGE, which the kernel's default "madvise" mode asks for)
** before it is first written: malloc would place it on its heap once a
** large free has raised its threshold for mapping, where no huge page fits.
** One of 1 to 2 MB takes a whole huge page, up to 1 MB more resident for
** a fault instead of up to 512 (2,850 counties, warm: 350 faults fewer,
** the scores' block of 1.8 MB among them, and 3 ms of 52). A smaller
** array is malloc's.
*/
#ifndef RUBRIC_PAGES_H
#define RUBRIC_PAGES_H

#include <stddef.h>

/* The size from which an array lies on huge pages (1 MB). */
enum { PAGES_HUGE_FROM = 1 << 20 };

/* N * SIZE bytes, cleared; NULL when out of memory or when N * SIZE
   overflows. An array of 1 MB or more starts a huge page and has the
   huge page it ends in to itself (madvise may give back all of that
   page). Caller frees with pages_free (never free). */
void *pages_calloc(size_t n, size_t size);

/* P (of OLD bytes, from pages_calloc or pages_grow, or NULL) grown to BYTES
   (at least OLD), its first OLD bytes kept, the rest not cleared. NULL when
   out of memory: P is then unchanged. Caller frees with pages_free. */
void *pages_grow(void *p, size_t old, size_t bytes);

/* Frees an array of pages_calloc or pages_grow. NULL-safe. */
void pages_free(void *p);

#endif /* RUBRIC_PAGES_H */
