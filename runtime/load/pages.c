/* pages.c: large arrays on huge pages (pages.h).
 *
 * Every array has a header just before it: a small one is malloc'd with
 * its header, a large one is a mapping of its own whose header lies in the
 * 4 KB page before its first huge page.
 */
#include "pages.h"

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

enum { HUGE_PAGE = 2 << 20, SMALL_PAGE = 4096, LARGE = PAGES_HUGE_FROM /* pages.h */ };

typedef struct pages_head {
  void *base;    /* the malloc'd block, or the mapping */
  size_t mapped; /* the mapping's length; 0: malloc'd */
} pages_head;

static pages_head *head_of(void *p) { return (pages_head *)p - 1; }

/* BYTES, cleared when CLEAR (a mapping always is, by the kernel); NULL
   when out of memory. */
static void *array(size_t bytes, bool clear) {
  if (bytes < LARGE) { /* calloc: fresh memory it knows is clear is not written */
    pages_head *h = clear ? calloc(1, sizeof *h + bytes) : malloc(sizeof *h + bytes);
    if (!h) return NULL;
    *h = (pages_head){h, 0};
    return h + 1;
  }
  /* room for the header's page before a 2 MB boundary, and whole huge
     pages after it: a last huge page the mapping ends inside is 4 KB ones */
  if (bytes > SIZE_MAX - 3 * HUGE_PAGE) return NULL;
  size_t whole = (bytes + HUGE_PAGE - 1) & ~(size_t)(HUGE_PAGE - 1), len = whole + HUGE_PAGE + SMALL_PAGE;
  char *base = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED) return NULL;
  char *at = (char *)(((uintptr_t)base + SMALL_PAGE + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
#ifdef MADV_HUGEPAGE
  madvise(at, whole, MADV_HUGEPAGE); /* advice: 4 KB pages work too */
#endif
  pages_head *h = head_of(at);
  *h = (pages_head){base, len};
  return at;
}

void *pages_calloc(size_t n, size_t size) {
  if (size && n > SIZE_MAX / size) return NULL;
  return array(n * size, true);
}

void *pages_grow(void *p, size_t old, size_t bytes) {
  assert(bytes >= old);
  if (bytes < LARGE && (!p || !head_of(p)->mapped)) { /* realloc: a mapped block of malloc's grows in place */
    pages_head *h = realloc(p ? head_of(p) : NULL, sizeof *h + bytes);
    if (!h) return NULL;
    *h = (pages_head){h, 0};
    return h + 1;
  }
  void *q = array(bytes, false);
  if (!q) return NULL;
  if (p) memcpy(q, p, old);
  pages_free(p);
  return q;
}

void pages_free(void *p) {
  if (!p) return;
  pages_head *h = head_of(p);
  if (h->mapped) munmap(h->base, h->mapped);
  else free(h->base);
}
