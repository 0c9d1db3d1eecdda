/* progress.h: a progress line on a terminal for runs that take a while.
 *
 * When standard error is a terminal and the run is still going after a
 * second (RUBRIC_PROGRESS_AFTER seconds, for tests), a line says what the
 * run is doing and for how long ("rubric: scoring … 2.5 s"), redrawn in
 * place twice a second, erased before any message is written (diag.h) and
 * when the run ends. Nothing is printed otherwise, so logs and pipes stay
 * clean.
 */
#ifndef RUBRIC_TOOLS_PROGRESS_H
#define RUBRIC_TOOLS_PROGRESS_H

/* Starts the line's thread, if standard error is a terminal. */
void progress_start(void);
/* What the run does now (a message id, translated when shown). */
void progress_phase(const char *what);
/* Erases the line and stops the thread. Safe without progress_start. */
void progress_stop(void);

#endif
