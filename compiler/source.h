/* source.h: scheme text held in memory, and positions in it. */
#ifndef RUBRIC_SOURCE_H
#define RUBRIC_SOURCE_H
#include <stddef.h>

typedef struct rb_source {
  char *path;          /* owned; as given on the command line */
  char *text;          /* owned; NUL-terminated, BOM removed */
  size_t len;
  size_t *line_start;  /* owned; byte offset where each line begins */
  size_t nlines;
} rb_source;

/* A span of source text. Lines and columns are 1-based; columns count
   characters (UTF-8 code points), not bytes. `end` is one past the last byte.
   Field names follow bison's YYLTYPE so the parser can use it directly. */
typedef struct rb_loc {
  const rb_source *src;
  int first_line, first_column, last_line, last_column;
  size_t start, end;
} rb_loc;

/* A scheme file is text of at most this many bytes. */
#define SOURCE_MAX_BYTES (64 << 20)

/* Why a file could not be read as a scheme's text. The words are the
   driver's (compile.c), in the chosen language: this layer sits below the
   diagnostics and does not print. */
typedef enum {
  SOURCE_READ_OK,
  SOURCE_CANNOT_OPEN, /* *errnum says why */
  SOURCE_TOO_LARGE,   /* more than SOURCE_MAX_BYTES */
  SOURCE_READ_ERROR,
  SOURCE_NOT_TEXT,    /* a NUL byte */
} source_failure;

/* Reads PATH. On failure returns NULL with the reason in *WHY (and errno's
   value in *ERRNUM for SOURCE_CANNOT_OPEN). Caller owns the result; free
   with source_free. */
rb_source *source_read(const char *path, source_failure *why, int *errnum);
/* Wraps TEXT (copied) under the name PATH; used for the embedded prelude. */
rb_source *source_from_text(const char *path, const char *text, size_t len);
void source_free(rb_source *s);
/* The text of line LINE (1-based) without its line break. */
const char *source_line(const rb_source *s, int line, size_t *len);

#endif
