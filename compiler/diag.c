/* diag.c: printing and keeping diagnostics; see diag.h. */
#include "diag.h"

#include <libintl.h>
#include <locale.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *code_text[] = {
#define X(code, name, summary) #code,
    RUBRIC_DIAG_CODES(X)
#undef X
};
static const char *code_name[] = {
#define X(code, name, summary) name,
    RUBRIC_DIAG_CODES(X)
#undef X
};
static const char *code_summary[] = {
#define X(code, name, summary) summary,
    RUBRIC_DIAG_CODES(X)
#undef X
};

const char *diag_code_text(diag_code c) { return c < DIAG_CODE_COUNT ? code_text[c] : ""; }
const char *diag_code_name(diag_code c) { return c < DIAG_CODE_COUNT ? code_name[c] : ""; }
const char *diag_code_summary(diag_code c) { return c < DIAG_CODE_COUNT ? code_summary[c] : ""; }

static bool translating;

bool diag_set_language(const char *lang, const char *locale_dir) {
  translating = false;
  if (strcmp(lang, "zh") != 0) return true;
  /* gettext ignores LANGUAGE under the "C" locale; C.UTF-8 is always there
     on Debian, so Chinese works without a Chinese locale installed. */
  if (!setlocale(LC_ALL, "C.UTF-8")) return false;
  setenv("LANGUAGE", "zh_CN", 1);
  if (!bindtextdomain("rubric", locale_dir) || !bind_textdomain_codeset("rubric", "UTF-8")) return false;
  translating = true;
  return true;
}

const char *diag_tr(const char *s) { return translating ? dgettext("rubric", s) : s; }

void diag_print_summary(const rb_diags *d, FILE *out) {
  if (translating)
    fprintf(out, diag_tr("%d error(s), %d warning(s)\n"), d->errors, d->warnings);
  else
    fprintf(out, "%d error%s, %d warning%s\n", d->errors, d->errors == 1 ? "" : "s", d->warnings,
            d->warnings == 1 ? "" : "s");
}

/* Called before any text is written (diag_before_text). */
static void (*before_text)(void);

void diag_before_text(void (*fn)(void)) { before_text = fn; }

static void text_begins(void) {
  if (before_text) before_text();
}

void diag_print_unscored(const rb_diags *d, int n) {
  if (d->format != DIAG_TEXT) return;
  text_begins();
  if (translating)
    fprintf(d->out, diag_tr("rubric: nothing written: %d entities could not be scored\n"), n);
  else
    fprintf(d->out, "rubric: nothing written: %d entit%s could not be scored\n", n, n == 1 ? "y" : "ies");
}

void diag_print_incomplete(const rb_diags *d, int n) {
  if (d->format != DIAG_TEXT) return;
  text_begins();
  if (translating)
    fprintf(d->out, diag_tr("rubric: written; %d entities are incomplete: their rows have status 'incomplete' and the reason\n"), n);
  else
    fprintf(d->out, "rubric: written; %d entit%s incomplete: %s status 'incomplete' and the reason\n", n,
            n == 1 ? "y is" : "ies are", n == 1 ? "its row has" : "their rows have");
}

void diag_summary(const rb_diags *d, const char *fmt, ...) {
  if (d->format != DIAG_TEXT) return;
  text_begins();
  va_list ap;
  va_start(ap, fmt);
  vfprintf(d->out, diag_tr(fmt), ap);
  va_end(ap);
  fputc('\n', d->out);
}

void diag_init(rb_diags *d, FILE *out) {
  memset(d, 0, sizeof *d);
  d->out = out ? out : stderr;
  d->max_errors = 100;
  d->last = -1;
}

static const char *severity_name(diag_severity s) {
  return s == DIAG_ERROR ? "error" : s == DIAG_WARNING ? "warning" : "note";
}

/* The word shown in text output, in the chosen language. */
static const char *severity_word(diag_severity s) {
  static const char *words[] = {N_("error"), N_("warning"), N_("note")};
  return diag_tr(words[s]);
}

/* Decodes one UTF-8 sequence at s (n bytes left); returns its length. */
static size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp) {
  if (s[0] < 0x80 || n < 2) {
    *cp = s[0];
    return 1;
  }
  if ((s[0] & 0xE0) == 0xC0) {
    *cp = ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
    return 2;
  }
  if ((s[0] & 0xF0) == 0xE0 && n >= 3) {
    *cp = ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
    return 3;
  }
  if ((s[0] & 0xF8) == 0xF0 && n >= 4) {
    *cp = ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
          ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
    return 4;
  }
  *cp = 0xFFFD;
  return 1;
}

static int char_width(uint32_t cp) {
  if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
      (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
      (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
      (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD))
    return 2;
  return 1;
}

int diag_display_width(const char *s, size_t n) {
  int w = 0;
  const unsigned char *p = (const unsigned char *)s;
  while (n) {
    uint32_t cp;
    size_t k = utf8_next(p, n, &cp);
    w += cp == '\t' ? 1 : char_width(cp);
    p += k;
    n -= k;
  }
  return w;
}

static void print_snippet(FILE *out, rb_loc loc) {
  size_t len;
  const char *line = source_line(loc.src, loc.first_line, &len);
  size_t begin = loc.src->line_start[loc.first_line - 1];
  size_t from = loc.start >= begin ? loc.start - begin : 0;
  if (from > len) from = len;
  size_t to = loc.end > loc.start ? loc.end - begin : from + 1;
  if (to > len) to = len > from ? len : from + 1;
  fprintf(out, "  ");
  /* Tabs are echoed as spaces so the caret line stays aligned. */
  for (size_t i = 0; i < len; i++) fputc(line[i] == '\t' ? ' ' : line[i], out);
  fputc('\n', out);
  int pad = diag_display_width(line, from);
  int width = to > from ? diag_display_width(line + from, (to <= len ? to : len) - from) : 1;
  if (width < 1) width = 1;
  fprintf(out, "  %*s^", pad, "");
  for (int i = 1; i < width; i++) fputc('~', out);
  fputc('\n', out);
}

static char *xstrdup(const char *s) {
  char *p = strdup(s);
  if (!p) abort();
  return p;
}

static void keep(rb_diags *d, diag_severity sev, diag_code code, const char *path, int line, int col, int end_line,
                 int end_col, const char *msg) {
  if (d->nkept == d->cap) {
    d->cap = d->cap ? d->cap * 2 : 32;
    d->kept = realloc(d->kept, sizeof *d->kept * (size_t)d->cap);
    if (!d->kept) abort();
  }
  d->kept[d->nkept++] = (diag_record){code, sev, path ? xstrdup(path) : NULL, NULL, NULL, line, col, end_line, end_col,
                                      xstrdup(msg), sev == DIAG_NOTE ? d->last : -1};
}

/* Counts, then decides whether a text diagnostic is shown. */
static bool admit(rb_diags *d, diag_severity sev) {
  if (d->muted) return false;
  if (sev == DIAG_ERROR) d->errors++;
  if (sev == DIAG_WARNING) d->warnings++;
  if (sev == DIAG_NOTE) return d->last_shown;
  /* --quiet and the error limit shorten text for people; documents keep all */
  bool text = d->format == DIAG_TEXT;
  bool shown = !(text && d->quiet && sev == DIAG_WARNING);
  if (text && sev == DIAG_ERROR && d->max_errors && d->errors > d->max_errors) {
    if (d->errors == d->max_errors + 1) {
      text_begins();
      fprintf(d->out, "rubric: %s\n", diag_tr("too many errors; stopping here"));
    }
    shown = false;
  }
  d->last_shown = shown;
  return shown;
}

void diag_report(rb_diags *d, diag_severity sev, diag_code code, rb_loc loc, const char *fmt, ...) {
  if (!admit(d, sev)) return;
  char msg[2048];
  fmt = diag_tr(fmt);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (d->format != DIAG_TEXT) {
    if (sev != DIAG_NOTE) d->last = d->nkept;
    keep(d, sev, code, loc.src ? loc.src->path : NULL, loc.first_line, loc.first_column, loc.last_line,
         loc.last_column, msg);
    return;
  }
  const char *cname = diag_code_text(code);
  text_begins();
  if (loc.src)
    fprintf(d->out, "%s:%d:%d: %s%s%s%s: %s\n", loc.src->path, loc.first_line, loc.first_column,
            severity_word(sev), *cname ? "[" : "", cname, *cname ? "]" : "", msg);
  else
    fprintf(d->out, "rubric: %s: %s\n", severity_word(sev), msg);
  if (loc.src && loc.first_line >= 1) print_snippet(d->out, loc);
}

void diag_plain(rb_diags *d, diag_severity sev, diag_code code, const char *where, const char *fmt, ...) {
  if (!admit(d, sev)) return;
  char msg[2048];
  fmt = diag_tr(fmt);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (d->format != DIAG_TEXT) {
    if (sev != DIAG_NOTE) d->last = d->nkept;
    keep(d, sev, code, where, 0, 0, 0, 0, msg);
    return;
  }
  const char *cname = diag_code_text(code);
  text_begins();
  fprintf(d->out, "%s: %s%s%s%s: %s\n", where ? where : "rubric", severity_word(sev), *cname ? "[" : "", cname,
          *cname ? "]" : "", msg);
}

void diag_data(rb_diags *d, diag_severity sev, diag_code code, rb_data_loc at, const char *fmt, ...) {
  if (!admit(d, sev)) return;
  char msg[2048];
  fmt = diag_tr(fmt);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (d->format != DIAG_TEXT) {
    if (sev != DIAG_NOTE) d->last = d->nkept;
    keep(d, sev, code, at.path, at.line > 0 ? (int)at.line : 0, 0, 0, 0, msg);
    diag_record *r = &d->kept[d->nkept - 1];
    r->entity = at.entity ? xstrdup(at.entity) : NULL;
    r->column_name = at.column ? xstrdup(at.column) : NULL;
    return;
  }
  const char *cname = diag_code_text(code);
  text_begins();
  if (at.path && at.line > 0)
    fprintf(d->out, "%s:%ld: %s%s%s%s: %s\n", at.path, at.line, severity_word(sev), *cname ? "[" : "", cname,
            *cname ? "]" : "", msg);
  else
    fprintf(d->out, "%s: %s%s%s%s: %s\n", at.path ? at.path : "rubric", severity_word(sev), *cname ? "[" : "", cname,
            *cname ? "]" : "", msg);
}

/* ---- JSON and SARIF ------------------------------------------------------ */

static void json_string(FILE *out, const char *s) {
  fputc('"', out);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    switch (*p) {
    case '"': fputs("\\\"", out); break;
    case '\\': fputs("\\\\", out); break;
    case '\n': fputs("\\n", out); break;
    case '\r': fputs("\\r", out); break;
    case '\t': fputs("\\t", out); break;
    default:
      if (*p < 0x20) fprintf(out, "\\u%04x", *p);
      else fputc(*p, out);
    }
  }
  fputc('"', out);
}

static void json_location(FILE *out, const diag_record *r) {
  fputs("\"file\": ", out);
  if (r->path) json_string(out, r->path);
  else fputs("null", out);
  if (r->line && r->column)
    fprintf(out, ", \"line\": %d, \"column\": %d, \"end_line\": %d, \"end_column\": %d", r->line, r->column,
            r->end_line, r->end_column);
  else if (r->line) /* a row of a data table */
    fprintf(out, ", \"line\": %d", r->line);
  if (r->entity) {
    fputs(", \"entity\": ", out);
    json_string(out, r->entity);
  }
  if (r->column_name) {
    fputs(", \"column_name\": ", out);
    json_string(out, r->column_name);
  }
}

static void write_json(rb_diags *d) {
  FILE *out = d->out;
  fputs("{\n  \"diagnostics\": [", out);
  bool first = true;
  for (int i = 0; i < d->nkept; i++) {
    const diag_record *r = &d->kept[i];
    if (r->severity == DIAG_NOTE) continue;
    fprintf(out, "%s\n    {\"code\": ", first ? "" : ",");
    first = false;
    json_string(out, diag_code_text(r->code));
    fprintf(out, ", \"severity\": \"%s\", \"message\": ", severity_name(r->severity));
    json_string(out, r->message);
    fputs(", ", out);
    json_location(out, r);
    fputs(", \"notes\": [", out);
    bool nfirst = true;
    for (int j = i + 1; j < d->nkept && d->kept[j].severity == DIAG_NOTE; j++) {
      if (d->kept[j].parent != i) continue;
      fputs(nfirst ? "{\"message\": " : ", {\"message\": ", out);
      nfirst = false;
      json_string(out, d->kept[j].message);
      fputs(", ", out);
      json_location(out, &d->kept[j]);
      fputc('}', out);
    }
    fputs("]}", out);
  }
  fprintf(out, "%s],\n  \"errors\": %d,\n  \"warnings\": %d\n}\n", first ? "" : "\n  ", d->errors, d->warnings);
}

/* A path as a URI reference: bytes other than unreserved ones and '/' are
   percent-encoded (Chinese file names, spaces). */
static void json_uri(FILE *out, const char *path) {
  fputc('"', out);
  for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
    if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || strchr("-._~/", *p))
      fputc(*p, out);
    else
      fprintf(out, "%%%02X", *p);
  }
  fputc('"', out);
}

/* "physicalLocation": {...}; SARIF's endColumn is one past the last character */
static void sarif_physical(FILE *out, const diag_record *r) {
  fputs("\"physicalLocation\": {\"artifactLocation\": {\"uri\": ", out);
  json_uri(out, r->path ? r->path : "");
  fputc('}', out);
  if (r->line && r->column)
    fprintf(out, ", \"region\": {\"startLine\": %d, \"startColumn\": %d, \"endLine\": %d, \"endColumn\": %d}",
            r->line, r->column, r->end_line, r->end_column + 1);
  else if (r->line) /* a row of a data table */
    fprintf(out, ", \"region\": {\"startLine\": %d}", r->line);
  fputc('}', out);
}

/* The entity and column of a data diagnostic, as SARIF logical locations. */
static void sarif_logical(FILE *out, const diag_record *r) {
  if (!r->entity && !r->column_name) return;
  fputs(", \"logicalLocations\": [", out);
  if (r->entity) {
    fputs("{\"name\": ", out);
    json_string(out, r->entity);
    fputs(", \"kind\": \"object\"}", out);
  }
  if (r->column_name) {
    fputs(r->entity ? ", {\"name\": " : "{\"name\": ", out);
    json_string(out, r->column_name);
    fputs(", \"kind\": \"member\"}", out);
  }
  fputc(']', out);
}

static void write_sarif(rb_diags *d) {
  FILE *out = d->out;
  fputs("{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"version\": \"2.1.0\",\n"
        "  \"runs\": [{\n    \"tool\": {\"driver\": {\"name\": \"rubric\", \"version\": \"" RUBRIC_VERSION_TEXT "\",\n"
        "      \"rules\": [",
        out);
  for (int c = 0; c < DIAG_CODE_COUNT; c++) {
    fprintf(out, "%s\n        {\"id\": \"%s\", \"name\": ", c ? "," : "", code_text[c]);
    json_string(out, code_name[c]);
    fputs(", \"shortDescription\": {\"text\": ", out);
    json_string(out, code_summary[c]);
    fputs("}}", out);
  }
  fputs("]}},\n    \"columnKind\": \"unicodeCodePoints\",\n    \"results\": [", out);
  bool first = true;
  for (int i = 0; i < d->nkept; i++) {
    const diag_record *r = &d->kept[i];
    if (r->severity == DIAG_NOTE) continue;
    fprintf(out, "%s\n      {\"ruleId\": \"%s\", \"ruleIndex\": %d, \"level\": \"%s\", \"message\": {\"text\": ",
            first ? "" : ",", r->code < DIAG_CODE_COUNT ? code_text[r->code] : "R0000",
            r->code < DIAG_CODE_COUNT ? (int)r->code : 0, r->severity == DIAG_ERROR ? "error" : "warning");
    first = false;
    json_string(out, r->message);
    fputs("},\n       \"locations\": [{", out);
    if (r->path) sarif_physical(out, r);
    else fputs("\"message\": {\"text\": \"no file\"}", out);
    sarif_logical(out, r);
    fputs("}]", out);
    bool rfirst = true;
    for (int j = i + 1; j < d->nkept && d->kept[j].severity == DIAG_NOTE; j++) {
      if (d->kept[j].parent != i || !d->kept[j].path) continue;
      fputs(rfirst ? ",\n       \"relatedLocations\": [" : ", ", out);
      rfirst = false;
      fprintf(out, "{\"id\": %d, \"message\": {\"text\": ", j - i);
      json_string(out, d->kept[j].message);
      fputs("}, ", out);
      sarif_physical(out, &d->kept[j]); /* a related location: a location with an id and a message */
      fputc('}', out);
    }
    if (!rfirst) fputc(']', out);
    fputc('}', out);
  }
  fprintf(out, "%s]\n  }]\n}\n", first ? "" : "\n    ");
}

void diag_finish(rb_diags *d) {
  if (d->format == DIAG_JSON) write_json(d);
  if (d->format == DIAG_SARIF) write_sarif(d);
  for (int i = 0; i < d->nkept; i++) {
    free(d->kept[i].path);
    free(d->kept[i].entity);
    free(d->kept[i].column_name);
    free(d->kept[i].message);
  }
  free(d->kept);
  d->kept = NULL;
  d->nkept = d->cap = 0;
}
