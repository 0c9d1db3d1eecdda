/* fuzz.h: what the libFuzzer harnesses of tests/fuzz/ share.
 *
 * Each harness defines LLVMFuzzerTestOneInput (and fuzz_score also
 * LLVMFuzzerInitialize). Linked with -fsanitize=fuzzer it is a libFuzzer
 * target (the fuzz configuration, tools/fuzz.sh); linked with replay.c it
 * is a plain program that runs every file of a corpus folder once (the
 * fuzz.replay.* tests of the normal and the sanitizer builds).
 */
#ifndef RUBRIC_FUZZ_H
#define RUBRIC_FUZZ_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* The project's source folder: $RUBRIC_SOURCE_DIR, else the one the
   harness was built from. */
const char *fuzz_source_dir(void);
/* The build's message catalogues (build/locale): $RUBRIC_LOCALEDIR, else
   the build folder's. */
const char *fuzz_locale_dir(void);

/* A stream whose text is kept in memory and thrown away: what diagnostics
   and outputs are written to. */
typedef struct fuzz_sink {
  FILE *f;
  char *buf;
  size_t len;
} fuzz_sink;
void fuzz_sink_open(fuzz_sink *s);
void fuzz_sink_close(fuzz_sink *s);

#endif
