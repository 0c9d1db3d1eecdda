/* narrow.c: input columns of 4- or 8-byte cells, the values that do not
 * fit kept aside in chunks (narrow.h).
 *
 * The header sits just before the cells, so a column's cells find it with
 * no table of columns; its last 4 bytes are the column's abi_cell. A
 * chunk is made by whichever thread first needs it (compare and swap: the
 * loser frees its own); its values are read after the threads that put
 * them have been joined. The figures in the comments below were measured
 * when every cell took 8 bytes; the reasons hold for cells of either
 * width.
 */
#include "narrow.h"

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "pages.h"

enum {
  HEAD = 64,        /* bytes before the cells: the header, and the cells aligned */
  CHUNK_BITS = 12,  /* cells a chunk serves: 4,096 */
  HUGE_PAGE = 2 << 20,
};
/* The most the small columns of a table share (narrow_columns): beyond,
   each has its own block, which goes back as soon as its rows are scored,
   not with the batch */
#define SHARED_MOST ((size_t)16 << 20)
/* A shared block from half a megabyte on is asked for as PAGES_HUGE_FROM,
   on huge pages (pages.h): one fault for it, not up to 256 (2,850
   counties' columns, in cells of 4 bytes, come to 0.97 MB) */
#define SHARED_HUGE_FROM ((size_t)PAGES_HUGE_FROM / 2)
/* Under ASan, bytes poisoned after each shared column's cells: a write
   past a column's end is still caught, as between blocks of their own */
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
enum { REDZONE = 64 };
#else
enum { REDZONE = 0 };
#define ASAN_POISON_MEMORY_REGION(p, n) ((void)(p), (void)(n))
#define ASAN_UNPOISON_MEMORY_REGION(p, n) ((void)(p), (void)(n))
#endif

typedef struct narrow_head {
  size_t len;       /* cells */
  rb_fixed **chunk; /* owned: (len >> CHUNK_BITS) + 1 of them, each NULL until a value of its cells is kept aside */
  void *block;      /* owned: the memory the header and cells lie in */
  char pad[HEAD - 3 * sizeof(void *) - sizeof(int32_t)];
  int32_t cell;     /* abi_cell, where narrow_cell reads it: the 4 bytes before the cells */
} narrow_head;
_Static_assert(sizeof(narrow_head) == HEAD, "the header lies just before the cells");

static narrow_head *head_of(const rb_cells *col) { return (narrow_head *)(void *)((char *)col - HEAD); }
static size_t cell_size(const narrow_head *h) { return abi_cell_bytes((abi_cell)h->cell); }

/* Whether a block of BYTES lies on huge pages (column_block). */
static bool huge(size_t bytes) { return bytes >= HUGE_PAGE; }

/* pages.h: a large block is a mapping of its own on huge pages, from a
   2 MB boundary (posix_memalign put some on malloc's heap, where the huge
   page a block ends in, or more, was 4 KB ones). */
void *column_block(size_t bytes) {
  void *p = pages_calloc(1, bytes ? bytes : 1);
  if (!p) abort();
  return p;
}

/* Where a large column starts in its huge pages, column K of the process
   being the Kth: K mod 31 pages and K mod 61 cache lines off a huge page
   boundary (at most 124 KB), or for an input column (SPREAD) K mod 31
   times 64 KB and K mod 61 cache lines before one (at most 1.9 MB).
   Blocks start on huge pages, so row R of every column would lie at the
   same place in its 2 MB, and so in the same few sets of the processor's
   caches (a huge page's physical address is as aligned as its virtual
   one): the scoring loop reads a hundred columns at once, and they
   evicted each other (Chengwu's kernel, rubric-bench: 1.82 s against
   1.35 s). The input columns' huge pages end, and go back as they are
   scored (narrow_release), at rows spread over 2 MB of cells, not all at
   once: every 262,144 rows the scores would have grown 109 MB for
   Chengwu before the inputs' pages went (peak 944 MB against 918). */
static size_t column_lead(bool spread) {
  static unsigned next;
  unsigned k = __atomic_fetch_add(&next, 1, __ATOMIC_RELAXED);
  return (size_t)(k % 31) * (spread ? 65536 : 4096) + (size_t)(k % 61) * 64;
}

void *column_blocks(int n, size_t bytes, void **column) {
  /* a large column starts a huge page of its own, so that no page of its
     is touched before its rows are written: one shared with the end of
     the column before would be */
  size_t most = 31 * 4096 + 61 * 64, each = bytes;
  if (huge(bytes)) each = (bytes + most + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
  char *block = column_block(each * (size_t)(n > 0 ? n : 1));
  for (int k = 0; k < n; k++) column[k] = block + (size_t)k * each + (huge(bytes) ? column_lead(false) : 0);
  return block;
}

/* The column of cells C whose header is at AT, of N cells: BLOCK is the
   memory it owns (narrow_free frees it), NULL for a share of another's. */
static rb_cells *column_at(char *at, size_t n, abi_cell c, void *block) {
  narrow_head *h = (narrow_head *)(void *)at;
  h->block = block;
  h->len = n;
  h->cell = (int32_t)c;
  h->chunk = calloc((n >> CHUNK_BITS) + 1, sizeof *h->chunk);
  if (!h->chunk) abort();
  return (rb_cells *)(void *)(at + HEAD);
}

rb_cells *narrow_column(size_t len, abi_cell c) {
  size_t n = len ? len : 1, cells = n * abi_cell_bytes(c);
  char *block, *at;
  if (huge(HEAD + cells)) {
    /* The first huge page holds cells only, the header lying on the 4 KB
       pages before it with the lead's cells: so every huge page of
       the cells can go back once its rows are scored (narrow_release),
       the first too (Chengwu: 34 of them, 68 MB). A huge page there would
       be resident whole from the first row to the 2 MB boundary (for
       Chengwu, 42 MB more at the peak). */
    size_t lead = column_lead(true), bytes = HUGE_PAGE - lead + cells;
    block = column_block(bytes);
    at = block + HUGE_PAGE - lead - HEAD;
#ifdef MADV_NOHUGEPAGE
    /* advice, before anything is written; so is the part of a huge page
       the cells end in: whole, it was resident from the first cell written
       there (36 MB more for Chengwu) */
    madvise(block, HUGE_PAGE, MADV_NOHUGEPAGE);
    size_t tail = bytes & (HUGE_PAGE - 1);
    if (tail) madvise(block + bytes - tail, HUGE_PAGE, MADV_NOHUGEPAGE);
#endif
  } else {
    block = column_block(HEAD + cells);
    at = block;
  }
  return column_at(at, n, c, block);
}

/* The bytes of a small column's cells, and what it takes in a shared
   block: its header and cells to the next cache line (so that the next
   header starts one), and the red zone. */
static size_t cell_bytes(size_t len, abi_cell c) { return (len ? len : 1) * abi_cell_bytes(c); }
static size_t shared_bytes(size_t len, abi_cell c) { return ((HEAD + cell_bytes(len, c) + 63) & ~(size_t)63) + REDZONE; }

/* A shared block starts with its length (a cache line), for narrow_columns_free. */
void *narrow_columns(int n, const size_t *len, const abi_cell *cell, rb_cells **col) {
  size_t shared = 64;
  for (int k = 0; k < n; k++)
    if (!huge(HEAD + cell_bytes(len[k], cell[k]))) shared += shared_bytes(len[k], cell[k]);
  if (shared == 64 || shared > SHARED_MOST) shared = 0; /* each its own: each goes back when scored */
  size_t ask = shared >= SHARED_HUGE_FROM && shared < PAGES_HUGE_FROM ? PAGES_HUGE_FROM : shared;
  char *block = shared ? column_block(ask) : NULL, *at = block + 64;
  if (block) memcpy(block, &shared, sizeof shared);
  for (int k = 0; k < n; k++) {
    if (!shared || huge(HEAD + cell_bytes(len[k], cell[k]))) {
      col[k] = narrow_column(len[k], cell[k]);
    } else {
      col[k] = column_at(at, len[k] ? len[k] : 1, cell[k], NULL);
      size_t end = HEAD + cell_bytes(len[k], cell[k]);
      ASAN_POISON_MEMORY_REGION(at + end, shared_bytes(len[k], cell[k]) - end);
      at += shared_bytes(len[k], cell[k]);
    }
  }
  return block;
}

void narrow_columns_free(void *block) {
  if (!block) return;
  size_t bytes;
  memcpy(&bytes, block, sizeof bytes);
  ASAN_UNPOISON_MEMORY_REGION(block, bytes); /* a later block at this address starts clean */
  pages_free(block);
}

void narrow_free(rb_cells *col) {
  if (!col) return;
  narrow_head *h = head_of(col);
  for (size_t k = 0; k <= h->len >> CHUNK_BITS; k++) free(h->chunk[k]);
  free(h->chunk);
  pages_free(h->block); /* NULL for a share of a block (narrow_columns) */
}

void narrow_release(rb_cells *col, size_t first, size_t from, size_t to) {
  const narrow_head *h = head_of(col);
  assert(first <= from && from <= to && to <= h->len);
  /* Only a column on huge pages gives back, and only whole ones: giving
     back part of one splits it into 4 KB pages, and the reads of the rest
     of it then miss the TLB (Chengwu over 1,000,000 counties: scoring
     2.2-2.6 s against 1.2-1.5 s). A smaller column keeps its cells: each
     call costs a TLB flush on every core, more than its few pages are
     worth. The 4 KB pages before the first huge page (the header's, the
     lead's cells) go once TO reaches it, in one call. */
  size_t w = cell_size(h);
  if (!huge(HEAD + h->len * w)) return;
  uintptr_t huge_from = (uintptr_t)h->block + HUGE_PAGE, small = 4096, cells = (uintptr_t)col;
  uintptr_t lo = cells + first * w, at = cells + from * w, hi = cells + to * w;
  if (hi < huge_from) return;
  lo = lo < huge_from ? (lo + small - 1) & ~(small - 1) : (lo + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
  if (at >= huge_from) { /* the call for FIRST..FROM-1 stopped at FROM's huge page */
    uintptr_t done = at & ~(uintptr_t)(HUGE_PAGE - 1);
    if (done > lo) lo = done;
  }
  /* with the last cells go the 4 KB pages after the last huge page: the
     block's, to the next 2 MB boundary (pages.h); else they stayed to the
     end (Chengwu: 36 MB) */
  if (to == h->len) hi = (hi + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
  else hi &= ~(uintptr_t)(HUGE_PAGE - 1);
  if (hi > lo) madvise((void *)lo, hi - lo, MADV_DONTNEED); /* advice: a failure keeps the memory, nothing else */
}

void narrow_put_aside(rb_cells *col, size_t at, rb_fixed v) {
  narrow_head *h = head_of(col);
  if (at >= h->len) abort(); /* not a cell of the column */
  rb_fixed **slot = &h->chunk[at >> CHUNK_BITS];
  rb_fixed *chunk = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
  if (!chunk) {
    rb_fixed *fresh = malloc(sizeof(rb_fixed) << CHUNK_BITS);
    if (!fresh) abort();
    if (__atomic_compare_exchange_n(slot, &chunk, fresh, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) chunk = fresh;
    else free(fresh); /* another thread's came first: CHUNK is it */
  }
  chunk[at & ((1u << CHUNK_BITS) - 1)] = v;
  abi_cell c = (abi_cell)h->cell;
  narrow_set(col, c, at, abi_cell_aside(c));
}

rb_fixed rubric_narrow_value(const rb_cells *col, int64_t at) {
  abi_cell c = narrow_cell(col);
  int64_t x = narrow_raw(col, c, (size_t)at);
  if (x >= abi_cell_least(c)) return abi_narrow_number(c, x);
  if (x == abi_cell_empty(c)) return FIXED_EMPTY;
  if (x == abi_cell_error(c)) return FIXED_ERROR;
  return head_of(col)->chunk[(size_t)at >> CHUNK_BITS][(size_t)at & ((1u << CHUNK_BITS) - 1)];
}
