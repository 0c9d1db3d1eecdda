/* diag.h: diagnostics, accumulated on a context and counted.
 *
 * In text form each is printed as it is reported:
 *   file:line:col: error[R0301]: message
 *     source line
 *     ^~~~~~
 * with any notes after it. For --format=json and --format=sarif the
 * diagnostics are kept and written as one document by diag_finish. Stages
 * report and go on; the driver looks at the counts once at the end
 * (SQLite style).
 */
#ifndef RUBRIC_DIAG_H
#define RUBRIC_DIAG_H
#include <stdbool.h>
#include <stdio.h>

#include "diag_codes.h"
#include "source.h"

typedef enum { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE } diag_severity;
typedef enum { DIAG_TEXT, DIAG_JSON, DIAG_SARIF } diag_format;

/* A kept diagnostic (JSON and SARIF); notes hang off the one before them. */
typedef struct diag_record {
  diag_code code;
  diag_severity severity;
  char *path;       /* NULL when about no file */
  char *entity;     /* data: the entity's id, or NULL */
  char *column_name;/* data: the table's column, or NULL */
  int line, column, end_line, end_column; /* 0 when about a whole file; end inclusive */
  char *message;
  int parent;       /* notes: index of the diagnostic they belong to; else -1 */
} diag_record;

typedef struct rb_diags {
  FILE *out;        /* where messages go (stderr by default) */
  int errors, warnings;
  int max_errors;   /* text: stop printing after this many errors (0: no limit) */
  int muted;        /* > 0: report nothing (re-checking code already reported) */
  diag_format format;
  bool quiet;       /* text: errors only, no warnings or their notes */
  diag_record *kept;
  int nkept, cap;
  int last;         /* the last diagnostic that was not a note, for notes */
  bool last_shown;  /* whether it was printed (a note follows its diagnostic) */
} rb_diags;

void diag_init(rb_diags *d, FILE *out);
void diag_report(rb_diags *d, diag_severity sev, diag_code code, rb_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
#define diag_error(d, code, loc, ...) diag_report((d), DIAG_ERROR, (code), (loc), __VA_ARGS__)
#define diag_warning(d, code, loc, ...) diag_report((d), DIAG_WARNING, (code), (loc), __VA_ARGS__)
#define diag_note(d, loc, ...) diag_report((d), DIAG_NOTE, DIAG_NO_CODE, (loc), __VA_ARGS__)
/* A message about a whole file (WHERE is its path) or about no file (NULL). */
void diag_plain(rb_diags *d, diag_severity sev, diag_code code, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* A place in a data table: the file, the line a row starts on (0: the whole
   table), and the entity's id and the column when known (NULL if not). */
typedef struct rb_data_loc {
  const char *path;
  long line;
  const char *entity;
  const char *column;
} rb_data_loc;
/* A message about data: text "path:line: error[R1104]: message"; JSON and
   SARIF also carry the entity and the column. */
void diag_data(rb_diags *d, diag_severity sev, diag_code code, rb_data_loc at, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Writes the kept diagnostics as a JSON or SARIF document (nothing for
   text) and frees them. Call once, at the end of a command. */
void diag_finish(rb_diags *d);

/* Messages in Chinese: looks the catalogue up under LOCALE_DIR (gettext's
   rubric.mo for zh_CN) and translates every message from then on. LANG is
   "zh" or "en". Returns false if the catalogue cannot be used. */
bool diag_set_language(const char *lang, const char *locale_dir);
/* The text of S in the chosen language (S itself in English). Message
   fragments passed as arguments go through this; formats are translated
   by diag_report itself. */
const char *diag_tr(const char *s);
/* A line that sums up what was reported ("nothing written: ..."): text
   form only (the documents hold the counts), translated, on d->out. */
void diag_summary(const rb_diags *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "2 errors, 1 warning" (English plurals, or the catalogue's wording). */
void diag_print_summary(const rb_diags *d, FILE *out);
/* "N entities could not be scored", likewise (text form only). */
void diag_print_unscored(const rb_diags *d, int n);
/* "rubric: written; N entities are incomplete ..." (text format only). */
void diag_print_incomplete(const rb_diags *d, int n);
/* FN (NULL: none) is called before any text diagnostic or summary line is
   written: a command's progress line erases itself there, so a message
   never lands after it on its line. */
void diag_before_text(void (*fn)(void));

/* Marks a string for the catalogue without translating it here. */
#define N_(s) s

const char *diag_code_text(diag_code code);   /* "R0301", or "" */
const char *diag_code_name(diag_code code);   /* "unknown-name" */
const char *diag_code_summary(diag_code code);

/* Terminal columns taken by the UTF-8 text [s, s+n): CJK and full-width
   characters take two, so carets line up under Chinese text. */
int diag_display_width(const char *s, size_t n);

#endif
