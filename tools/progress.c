/* progress.c: the progress line of a long run; see progress.h. */
#include "progress.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"

static struct {
  pthread_t thread;
  bool running;
  _Atomic(const char *) phase;
  atomic_bool stop;
  double after; /* seconds before the line appears */
} progress;

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void *draw(void *arg) {
  (void)arg;
  double start = now();
  bool shown = false;
  while (!atomic_load(&progress.stop)) {
    struct timespec tick = {0, 100 * 1000 * 1000};
    nanosleep(&tick, NULL);
    double t = now() - start;
    const char *phase = atomic_load(&progress.phase);
    if (t < progress.after || !phase) continue;
    /* \r and erase-to-end: one line, redrawn in place */
    fprintf(stderr, "\r\033[Krubric: %s … %.1f s", diag_tr(phase), t);
    fflush(stderr);
    shown = true;
    struct timespec half = {0, 400 * 1000 * 1000};
    nanosleep(&half, NULL);
  }
  if (shown) {
    fputs("\r\033[K", stderr);
    fflush(stderr);
  }
  return NULL;
}

void progress_start(void) {
  if (progress.running || !isatty(STDERR_FILENO)) return;
  const char *after = getenv("RUBRIC_PROGRESS_AFTER");
  progress.after = after && *after ? atof(after) : 1.0;
  atomic_store(&progress.stop, false);
  progress.running = pthread_create(&progress.thread, NULL, draw, NULL) == 0;
}

void progress_phase(const char *what) { atomic_store(&progress.phase, what); }

void progress_stop(void) {
  if (!progress.running) return;
  atomic_store(&progress.stop, true);
  pthread_join(progress.thread, NULL);
  progress.running = false;
}
