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
  pthread_mutex_t lock; /* the line on the terminal: drawn or erased whole */
  bool running, shown;
  double hold_until;    /* a message is being written: no drawing before then */
  _Atomic(const char *) phase;
  atomic_bool stop;
  double after; /* seconds before the line appears */
} progress = {.lock = PTHREAD_MUTEX_INITIALIZER};

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Erases the line, if it is on screen, and holds it off for a moment: a
   message is about to be written (diag_before_text), or the run ends. */
static void erase(void) {
  pthread_mutex_lock(&progress.lock);
  progress.hold_until = now() + 0.3;
  if (progress.shown) {
    fputs("\r\033[K", stderr);
    fflush(stderr);
    progress.shown = false;
  }
  pthread_mutex_unlock(&progress.lock);
}

static void *draw(void *arg) {
  (void)arg;
  double start = now();
  while (!atomic_load(&progress.stop)) {
    struct timespec tick = {0, 100 * 1000 * 1000};
    nanosleep(&tick, NULL);
    double t = now() - start;
    const char *phase = atomic_load(&progress.phase);
    if (t < progress.after || !phase) continue;
    /* \r and erase-to-end: one line, redrawn in place */
    pthread_mutex_lock(&progress.lock);
    if (now() >= progress.hold_until) {
      fprintf(stderr, "\r\033[Krubric: %s … %.1f s", diag_tr(phase), t);
      fflush(stderr);
      progress.shown = true;
    }
    pthread_mutex_unlock(&progress.lock);
    struct timespec half = {0, 400 * 1000 * 1000};
    nanosleep(&half, NULL);
  }
  erase();
  return NULL;
}

void progress_start(void) {
  if (progress.running || !isatty(STDERR_FILENO)) return;
  const char *after = getenv("RUBRIC_PROGRESS_AFTER");
  progress.after = after && *after ? atof(after) : 1.0;
  atomic_store(&progress.stop, false);
  progress.running = pthread_create(&progress.thread, NULL, draw, NULL) == 0;
  if (progress.running) diag_before_text(erase); /* a message never lands after the line */
}

void progress_phase(const char *what) { atomic_store(&progress.phase, what); }

void progress_stop(void) {
  if (!progress.running) return;
  atomic_store(&progress.stop, true);
  pthread_join(progress.thread, NULL);
  diag_before_text(NULL);
  progress.running = false;
}
