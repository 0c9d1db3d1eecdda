/*
** rows.c — a table's rows formatted on every core, written in order.
**
** Pieces (chunks of rows) are claimed in order by whichever thread is free.
** A piece is formatted into one of a ring of slots, each slot reused only
** once the piece before it in that slot has been written, so memory stays a
** few blocks per thread. The calling thread alone writes, in piece order:
** when the next piece to write is still unclaimed it formats it straight
** into the stream's block, otherwise it writes pieces as they become ready
** and, while waiting, formats pieces ahead itself.
*/
#include "rows.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

enum { MAX_THREADS = 8, SLOTS_PER_THREAD = 2 };

typedef enum { SLOT_FREE, SLOT_BUSY, SLOT_READY } slot_state;

typedef struct {
  out_buf buf; /* a memory buffer, opened on first use */
  slot_state state;
} piece_slot;

typedef struct {
  pthread_mutex_t mu;
  pthread_cond_t changed; /* a piece became ready, or one was written */
  out_rows_fn *format;
  const void *ctx;
  size_t n, chunk, npieces;
  size_t next;    /* the first piece nobody has claimed */
  size_t written; /* pieces written so far: the slots of those are free */
  piece_slot *slots;
  size_t nslots;
} rows_job;

/* Formats piece K into its slot (called without the lock). */
static void format_piece(rows_job *j, size_t k) {
  piece_slot *s = &j->slots[k % j->nslots];
  if (s->buf.data == NULL) out_buf_open_mem(&s->buf, OUT_BUF_BLOCK + OUT_BUF_BLOCK / 4);
  else out_buf_clear(&s->buf);
  size_t from = k * j->chunk, to = from + j->chunk < j->n ? from + j->chunk : j->n;
  j->format(&s->buf, j->ctx, from, to);
}

static void *worker(void *arg) {
  rows_job *j = arg;
  pthread_mutex_lock(&j->mu);
  while (j->next < j->npieces) {
    size_t k = j->next++;
    while (k >= j->written + j->nslots) pthread_cond_wait(&j->changed, &j->mu); /* its slot is in use */
    j->slots[k % j->nslots].state = SLOT_BUSY;
    pthread_mutex_unlock(&j->mu);
    format_piece(j, k);
    pthread_mutex_lock(&j->mu);
    j->slots[k % j->nslots].state = SLOT_READY;
    pthread_cond_broadcast(&j->changed);
  }
  pthread_mutex_unlock(&j->mu);
  return NULL;
}

size_t out_rows_chunk(size_t row_bytes) {
  size_t rows = OUT_BUF_BLOCK / (row_bytes ? row_bytes : 1);
  return rows ? rows : 1;
}

/* The threads that pay: one per core, no more than there are pieces. */
static int threads_for(int threads, size_t npieces) {
  if (threads <= 0) {
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    threads = cores < 1 ? 1 : cores > MAX_THREADS ? MAX_THREADS : (int)cores;
  }
  if (threads > MAX_THREADS) threads = MAX_THREADS;
  if ((size_t)threads > npieces) threads = (int)npieces;
  return threads;
}

/* The calling thread's part: writes every piece in order (see the top). */
static void write_pieces(rows_job *j, out_buf *b) {
  pthread_mutex_lock(&j->mu);
  for (size_t w = 0; w < j->npieces; w++) {
    piece_slot *s = &j->slots[w % j->nslots];
    bool direct = false;
    for (;;) {
      if (j->next == w) { /* nobody took it: format it straight into the stream's block */
        j->next++;
        direct = true;
        break;
      }
      if (s->state == SLOT_READY) break;
      if (j->next < j->npieces && j->next < j->written + j->nslots) { /* help while waiting */
        size_t k = j->next++;
        j->slots[k % j->nslots].state = SLOT_BUSY;
        pthread_mutex_unlock(&j->mu);
        format_piece(j, k);
        pthread_mutex_lock(&j->mu);
        j->slots[k % j->nslots].state = SLOT_READY;
        continue;
      }
      pthread_cond_wait(&j->changed, &j->mu);
    }
    pthread_mutex_unlock(&j->mu);
    size_t from = w * j->chunk, to = from + j->chunk < j->n ? from + j->chunk : j->n;
    if (direct || s->buf.lost) { /* a piece that ran out of memory is formatted again, here */
      j->format(b, j->ctx, from, to);
    } else {
      out_buf_flush(b);
      (void)fwrite(s->buf.data, 1, s->buf.len, b->fp); /* a failure is the stream's error */
    }
    pthread_mutex_lock(&j->mu);
    if (!direct) s->state = SLOT_FREE;
    j->written++;
    pthread_cond_broadcast(&j->changed);
  }
  pthread_mutex_unlock(&j->mu);
}

void out_rows(out_buf *b, out_rows_fn *format, const void *ctx, size_t n, size_t chunk, int threads) {
  if (chunk == 0) chunk = 1;
  size_t npieces = n / chunk + (n % chunk != 0);
  threads = threads_for(threads, npieces);
  rows_job j = {.format = format, .ctx = ctx, .n = n, .chunk = chunk, .npieces = npieces};
  j.nslots = (size_t)threads * SLOTS_PER_THREAD;
  j.slots = threads > 1 ? calloc(j.nslots, sizeof *j.slots) : NULL;
  if (j.slots == NULL) { /* one thread, or no memory for more */
    format(b, ctx, 0, n);
    return;
  }
  pthread_mutex_init(&j.mu, NULL);
  pthread_cond_init(&j.changed, NULL);
  pthread_t tid[MAX_THREADS];
  int started = 0;
  while (started < threads - 1 && pthread_create(&tid[started], NULL, worker, &j) == 0) started++;
  write_pieces(&j, b); /* with no worker started, the caller formats every piece */
  for (int t = 0; t < started; t++) pthread_join(tid[t], NULL);
  for (size_t k = 0; k < j.nslots; k++) out_buf_free(&j.slots[k].buf);
  free(j.slots);
  pthread_cond_destroy(&j.changed);
  pthread_mutex_destroy(&j.mu);
}
