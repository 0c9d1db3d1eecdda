/*
** xlsx.c — the first sheet of an Excel workbook as CSV text (xlsx.h).
**
** A workbook is a zip of XML parts: libzip (Debian libzip-dev) opens the
** zip and expat (libexpat1-dev) parses the XML, both maintained libraries,
** so only the mapping of cells to fields is ours; both are opened when the
** first workbook is read, not at every start (lazy_lib.h). The shared
** strings are read first, then the sheet row by row: each sheet row becomes
** one CSV line, and a row the sheet skips an empty line, so the lines of the
** text are the sheet's row numbers and every message names the row Excel
** shows.
*/
#include "xlsx.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <expat.h>
#include <zip.h>

#include "diag.h"
#include "lazy_lib.h"

/* The functions of libzip and expat called here, through pointers typed by
   their headers, filled when the first workbook is read (lazy_lib.h). */
#define ZIP_FUNCTIONS(X)                                                                                        \
  X(zip_error_init) X(zip_error_fini) X(zip_error_strerror) X(zip_source_buffer_create) X(zip_source_free)     \
  X(zip_open_from_source) X(zip_discard) X(zip_stat) X(zip_fopen) X(zip_fread) X(zip_fclose)
#define XML_FUNCTIONS(X)                                                                                        \
  X(XML_ParserCreate) X(XML_ParserFree) X(XML_SetUserData) X(XML_SetElementHandler)                            \
  X(XML_SetCharacterDataHandler) X(XML_Parse) X(XML_GetErrorCode) X(XML_GetCurrentLineNumber) X(XML_ErrorString)
static struct {
  ZIP_FUNCTIONS(LAZY_POINTER)
} zipf;
static struct {
  XML_FUNCTIONS(LAZY_POINTER)
} expatf;
static const char *const zip_names[] = {ZIP_FUNCTIONS(LAZY_NAME) NULL};
static const char *const xml_names[] = {XML_FUNCTIONS(LAZY_NAME) NULL};
static lazy_lib libzip = {RUBRIC_LIBZIP_SONAME, zip_names, &zipf, sizeof zipf, 0, ""};
static lazy_lib expat = {RUBRIC_EXPAT_SONAME, xml_names, &expatf, sizeof expatf, 0, ""};

/* A growing text. */
typedef struct text {
  char *p;
  size_t len, cap;
} text;

static void put(text *t, const char *s, size_t n) {
  if (t->len + n + 1 > t->cap) {
    size_t cap = t->cap ? t->cap : 4096;
    while (t->len + n + 1 > cap) cap *= 2;
    char *p = realloc(t->p, cap);
    if (!p) abort();
    t->p = p, t->cap = cap;
  }
  memcpy(t->p + t->len, s, n);
  t->len += n;
  t->p[t->len] = '\0';
}

static void set_err(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t errlen, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errlen, diag_tr(fmt), ap);
  va_end(ap);
}

/* The part NAME of the zip, NUL-terminated, or NULL when there is none. */
static char *read_part(zip_t *z, const char *name, size_t *lenp) {
  zip_stat_t st;
  if (zipf.zip_stat(z, name, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE)) return NULL;
  zip_file_t *f = zipf.zip_fopen(z, name, 0);
  if (!f) return NULL;
  char *buf = malloc(st.size + 1);
  if (!buf) abort();
  zip_int64_t n = zipf.zip_fread(f, buf, st.size);
  zipf.zip_fclose(f);
  if (n < 0 || (zip_uint64_t)n != st.size) {
    free(buf);
    return NULL;
  }
  buf[st.size] = '\0';
  *lenp = (size_t)st.size;
  return buf;
}

/* ---- shared strings ----------------------------------------------------------- */

typedef struct strings {
  text all;       /* every string, NUL-separated */
  size_t *at, n, cap;
  int in_si, in_t, in_rph; /* inside <si>, <t>, <rPh> (phonetic runs: not text) */
} strings;

static void XMLCALL ss_start(void *u, const XML_Char *name, const XML_Char **attr) {
  (void)attr;
  strings *s = u;
  if (!strcmp(name, "si")) {
    if (s->n == s->cap) {
      s->cap = s->cap ? 2 * s->cap : 256;
      s->at = realloc(s->at, s->cap * sizeof *s->at);
      if (!s->at) abort();
    }
    s->at[s->n++] = s->all.len;
    s->in_si = 1;
  } else if (!strcmp(name, "t")) s->in_t = 1;
  else if (!strcmp(name, "rPh")) s->in_rph = 1;
}

static void XMLCALL ss_end(void *u, const XML_Char *name) {
  strings *s = u;
  if (!strcmp(name, "si")) {
    put(&s->all, "", 1); /* the NUL that ends it */
    s->in_si = 0;
  } else if (!strcmp(name, "t")) s->in_t = 0;
  else if (!strcmp(name, "rPh")) s->in_rph = 0;
}

static void XMLCALL ss_text(void *u, const XML_Char *data, int len) {
  strings *s = u;
  if (s->in_si && s->in_t && !s->in_rph) put(&s->all, data, (size_t)len);
}

/* ---- the sheet ------------------------------------------------------------------ */

typedef struct sheet {
  const strings *ss;
  text csv;
  long row;        /* the sheet row being read (1-based); 0 before the first */
  long lines;      /* CSV lines written */
  long col;        /* the next column to write in this row (0-based) */
  long width;      /* fields of the header row: every row gets as many */
  char type[16];   /* the cell's t attribute */
  long cell_col;
  text value;      /* <v> or the inline string's <t> */
  int in_value;
  const char *bad; /* what is wrong, or NULL */
  long bad_row;
} sheet;

/* The 0-based column of a cell reference "AB12", or -1. */
static long column_of(const char *ref) {
  long c = 0;
  int n = 0;
  for (; *ref >= 'A' && *ref <= 'Z'; ref++, n++) c = c * 26 + (*ref - 'A' + 1);
  return n && n <= 3 ? c - 1 : -1;
}

static const char *attr_of(const XML_Char **attr, const char *name) {
  for (int i = 0; attr[i]; i += 2)
    if (!strcmp(attr[i], name)) return attr[i + 1];
  return NULL;
}

/* A field, quoted when CSV needs it. */
static void put_field(text *t, const char *s, size_t n) {
  bool quote = n && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t');
  for (size_t i = 0; i < n && !quote; i++) quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
  if (!quote) {
    put(t, s, n);
    return;
  }
  put(t, "\"", 1);
  for (size_t i = 0; i < n; i++) put(t, s + i, 1), s[i] == '"' ? put(t, "\"", 1) : (void)0;
  put(t, "\"", 1);
}

/* The end of a sheet row: its fields padded to the header's (the first row
   with a value); a row without a value is an empty line, which CSV skips. */
static void end_row(sheet *sh) {
  if (!sh->width) sh->width = sh->col;
  if (sh->col)
    for (; sh->col < sh->width; sh->col++) put(&sh->csv, ",", 1);
  put(&sh->csv, "\n", 1);
  sh->lines++;
}

static void XMLCALL sh_start(void *u, const XML_Char *name, const XML_Char **attr) {
  sheet *sh = u;
  if (!strcmp(name, "row")) {
    const char *r = attr_of(attr, "r");
    long row = r ? strtol(r, NULL, 10) : sh->row + 1;
    if (row <= sh->row) row = sh->row + 1;
    for (long k = sh->row + 1; k < row; k++) put(&sh->csv, "\n", 1), sh->lines++; /* rows the sheet skips */
    sh->row = row;
    sh->col = 0;
  } else if (!strcmp(name, "c")) {
    const char *t = attr_of(attr, "t"), *r = attr_of(attr, "r");
    snprintf(sh->type, sizeof sh->type, "%s", t ? t : "n");
    sh->cell_col = r ? column_of(r) : sh->col;
    if (sh->cell_col < sh->col) sh->cell_col = sh->col;
    sh->value.len = 0;
    if (sh->value.p) sh->value.p[0] = '\0';
  } else if (!strcmp(name, "v") || !strcmp(name, "t")) {
    sh->in_value = 1;
  }
}

static void XMLCALL sh_end(void *u, const XML_Char *name) {
  sheet *sh = u;
  if (!strcmp(name, "v") || !strcmp(name, "t")) {
    sh->in_value = 0;
  } else if (!strcmp(name, "c")) {
    const char *v = sh->value.p ? sh->value.p : "";
    size_t n = sh->value.len;
    if (!strcmp(sh->type, "s")) { /* a shared string, by index */
      char *end;
      long k = strtol(v, &end, 10);
      if (end == v || k < 0 || (size_t)k >= sh->ss->n) {
        if (!sh->bad) sh->bad = N_("a cell names a shared string the workbook does not have"), sh->bad_row = sh->row;
        return;
      }
      v = sh->ss->all.p + sh->ss->at[k];
      n = strlen(v);
    } else if (!strcmp(sh->type, "b")) {
      v = n && v[0] == '1' ? "yes" : "no";
      n = strlen(v);
    }
    if (!n) return; /* a cell with a format and no value: as if absent */
    for (; sh->col < sh->cell_col; sh->col++) put(&sh->csv, ",", sh->col ? 1 : 0);
    if (sh->col) put(&sh->csv, ",", 1);
    put_field(&sh->csv, v, n);
    sh->col++;
  } else if (!strcmp(name, "row")) {
    end_row(sh);
  }
}

static void XMLCALL sh_text(void *u, const XML_Char *data, int len) {
  sheet *sh = u;
  if (sh->in_value) put(&sh->value, data, (size_t)len);
}

/* Parses XML with the handlers; false with the parser's message. */
static bool parse(const char *xml, size_t len, void *u, XML_StartElementHandler start, XML_EndElementHandler end,
                  XML_CharacterDataHandler chars, char *why, size_t whylen) {
  XML_Parser p = expatf.XML_ParserCreate("UTF-8");
  if (!p) abort();
  expatf.XML_SetUserData(p, u);
  expatf.XML_SetElementHandler(p, start, end);
  expatf.XML_SetCharacterDataHandler(p, chars);
  bool ok = expatf.XML_Parse(p, xml, (int)len, 1) == XML_STATUS_OK;
  if (!ok)
    snprintf(why, whylen, "%s at line %lu", expatf.XML_ErrorString(expatf.XML_GetErrorCode(p)),
             (unsigned long)expatf.XML_GetCurrentLineNumber(p));
  expatf.XML_ParserFree(p);
  return ok;
}

/* The part of the first sheet: the target of the first <sheet>'s r:id in the
   workbook's relationships, else the usual name. Caller frees. */
static char *first_sheet(zip_t *z) {
  size_t n;
  char *wb = read_part(z, "xl/workbook.xml", &n), *rels = read_part(z, "xl/_rels/workbook.xml.rels", &n);
  char *found = NULL;
  const char *sheet = wb ? strstr(wb, "<sheet ") : NULL;
  const char *rid = sheet ? strstr(sheet, "r:id=\"") : NULL;
  if (rid && rels) {
    rid += 6;
    size_t idlen = strcspn(rid, "\"");
    for (const char *rel = strstr(rels, "<Relationship "); rel && !found; rel = strstr(rel + 1, "<Relationship ")) {
      const char *id = strstr(rel, "Id=\""), *target = strstr(rel, "Target=\""), *close = strchr(rel, '>');
      if (!id || !target || !close || id > close || target > close) continue;
      if (strncmp(id + 4, rid, idlen) || id[4 + idlen] != '"') continue;
      target += 8;
      size_t tlen = strcspn(target, "\"");
      found = malloc(tlen + 4);
      if (!found) abort();
      if (target[0] == '/') snprintf(found, tlen + 4, "%.*s", (int)tlen - 1, target + 1);
      else snprintf(found, tlen + 4, "xl/%.*s", (int)tlen, target);
    }
  }
  free(wb);
  free(rels);
  if (!found) found = strdup("xl/worksheets/sheet1.xml");
  if (!found) abort();
  return found;
}

bool xlsx_is_workbook(const char *bytes, size_t len) { return len >= 4 && !memcmp(bytes, "PK\x03\x04", 4); }

char *xlsx_to_csv(const char *path, const char *bytes, size_t len, size_t *outlen, char *err, size_t errlen) {
  char why[320];
  if (!lazy_lib_open(&libzip, why, sizeof why) || !lazy_lib_open(&expat, why, sizeof why)) {
    set_err(err, errlen, "%s: cannot read the workbook: %s", path, why);
    return NULL;
  }
  zip_error_t ze;
  zipf.zip_error_init(&ze);
  zip_source_t *src = zipf.zip_source_buffer_create(bytes, len, 0, &ze);
  zip_t *z = src ? zipf.zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
  if (!z) {
    set_err(err, errlen, "%s: not a readable .xlsx workbook: %s", path, zipf.zip_error_strerror(&ze));
    if (src) zipf.zip_source_free(src);
    zipf.zip_error_fini(&ze);
    return NULL;
  }
  zipf.zip_error_fini(&ze);
  strings ss = {0};
  sheet sh = {.ss = &ss};
  char *sheet_name = first_sheet(z), *result = NULL;
  why[0] = '\0';
  size_t n;
  char *xml = read_part(z, "xl/sharedStrings.xml", &n); /* absent when every cell is a number */
  if (xml && !parse(xml, n, &ss, ss_start, ss_end, ss_text, why, sizeof why)) {
    set_err(err, errlen, "%s: the workbook's shared strings are not well-formed XML: %s", path, why);
    goto done;
  }
  free(xml);
  xml = read_part(z, sheet_name, &n);
  if (!xml) {
    set_err(err, errlen, "%s: the workbook has no sheet %s", path, sheet_name);
    goto done;
  }
  if (!parse(xml, n, &sh, sh_start, sh_end, sh_text, why, sizeof why)) {
    set_err(err, errlen, "%s: the first sheet is not well-formed XML: %s", path, why);
    goto done;
  }
  if (sh.bad) {
    set_err(err, errlen, "%s:%ld: %s", path, sh.bad_row, diag_tr(sh.bad));
    goto done;
  }
  put(&sh.csv, "", 0);
  result = sh.csv.p;
  *outlen = sh.csv.len;
  sh.csv.p = NULL;
done:
  free(xml);
  free(sheet_name);
  free(ss.all.p);
  free(ss.at);
  free(sh.csv.p);
  free(sh.value.p);
  zipf.zip_discard(z);
  return result;
}
