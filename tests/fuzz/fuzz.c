/* fuzz.c: see fuzz.h. */
#include "fuzz.h"

#include <stdlib.h>

const char *fuzz_source_dir(void) {
  const char *dir = getenv("RUBRIC_SOURCE_DIR");
  return dir && *dir ? dir : RUBRIC_FUZZ_SOURCE_DIR;
}

const char *fuzz_locale_dir(void) {
  const char *dir = getenv("RUBRIC_LOCALEDIR");
  return dir && *dir ? dir : RUBRIC_FUZZ_LOCALE_DIR;
}

void fuzz_sink_open(fuzz_sink *s) {
  s->buf = NULL;
  s->len = 0;
  s->f = open_memstream(&s->buf, &s->len);
  if (!s->f) abort();
}

void fuzz_sink_close(fuzz_sink *s) {
  fclose(s->f);
  free(s->buf);
  s->f = NULL;
  s->buf = NULL;
}
