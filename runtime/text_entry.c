/* text_entry.c: a scheme's names and object as one block (text_entry.h). */
#include "text_entry.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum {
  MAGIC = 0x31585452,    /* "RTX1" */
  HAS_PEERS = 1,         /* flags: a peers pass */
  HAS_RECORDS = 2,       /* records passes, one per record table */
  MOST = 1 << 16,        /* sites, later passes, record tables: more is not an entry */
};

static void put32(unsigned char *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (unsigned char)(v >> (8 * i));
}
static uint32_t get32(const unsigned char *p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; i++) v |= (uint32_t)p[i] << (8 * i);
  return v;
}

/* The names of R in order: score, peers, later passes, records passes. */
static int names_of(const cg_result *r, const char **name) {
  int n = 0;
  name[n++] = r->fn_name;
  if (r->peers_name) name[n++] = r->peers_name;
  for (int k = 0; k < r->nlater; k++) name[n++] = r->later_names[k];
  for (int t = 0; r->records_names && t < r->nrecords; t++) name[n++] = r->records_names[t];
  return n;
}

void *text_entry_encode(const cg_result *r, const void *obj, size_t len, size_t *out_len) {
  const char **name = malloc(((size_t)r->nlater + (size_t)r->nrecords + 2) * sizeof *name);
  if (!name) abort();
  int n = names_of(r, name);
  size_t bytes = 24 + 8 + len;
  for (int k = 0; k < n; k++) bytes += strlen(name[k]) + 1;
  unsigned char *p = malloc(bytes), *at = p; /* the caller's */
  if (!p) abort();
  put32(at, MAGIC);
  put32(at + 4, 1); /* the format */
  put32(at + 8, (uint32_t)r->nsites);
  put32(at + 12, (r->peers_name ? HAS_PEERS : 0) | (r->records_names ? HAS_RECORDS : 0));
  put32(at + 16, (uint32_t)r->nlater);
  put32(at + 20, (uint32_t)(r->records_names ? r->nrecords : 0));
  at += 24;
  for (int k = 0; k < n; k++) {
    size_t m = strlen(name[k]) + 1;
    memcpy(at, name[k], m);
    at += m;
  }
  put32(at, (uint32_t)len);
  put32(at + 4, (uint32_t)((uint64_t)len >> 32));
  memcpy(at + 8, obj, len);
  free(name);
  *out_len = bytes;
  return p;
}

/* The name at *AT (of LEN bytes at P), malloc'd, *AT moved past its NUL;
   NULL when it is empty or has no NUL before LEN. */
static char *name_at(const unsigned char *p, size_t len, size_t *at) {
  const unsigned char *end = memchr(p + *at, '\0', len - *at);
  if (!end || end == p + *at) return NULL;
  size_t m = (size_t)(end - (p + *at)) + 1;
  char *s = malloc(m); /* OUT's */
  if (!s) abort();
  memcpy(s, p + *at, m);
  *at += m;
  return s;
}

bool text_entry_decode(const void *bytes, size_t len, cg_result *out, size_t *obj_at, size_t *obj_len) {
  const unsigned char *p = bytes;
  memset(out, 0, sizeof *out);
  if (len < 24 || get32(p) != MAGIC || get32(p + 4) != 1) return false;
  uint32_t nsites = get32(p + 8), flags = get32(p + 12), nlater = get32(p + 16), nrecords = get32(p + 20);
  if (nsites > MOST || nlater > MOST || nrecords > MOST || (flags & ~(uint32_t)(HAS_PEERS | HAS_RECORDS)) ||
      (!(flags & HAS_RECORDS) && nrecords))
    return false;
  size_t at = 24;
  bool ok = (out->fn_name = name_at(p, len, &at)) != NULL;
  if (ok && (flags & HAS_PEERS)) ok = (out->peers_name = name_at(p, len, &at)) != NULL;
  if (ok && nlater) {
    out->later_names = calloc(nlater, sizeof *out->later_names);
    if (!out->later_names) abort();
    out->nlater = (int)nlater;
    for (uint32_t k = 0; ok && k < nlater; k++) ok = (out->later_names[k] = name_at(p, len, &at)) != NULL;
  }
  if (ok && (flags & HAS_RECORDS)) {
    out->records_names = calloc((size_t)nrecords + 1, sizeof *out->records_names);
    if (!out->records_names) abort();
    out->nrecords = (int)nrecords;
    for (uint32_t t = 0; ok && t < nrecords; t++) ok = (out->records_names[t] = name_at(p, len, &at)) != NULL;
  }
  if (ok && len - at >= 8) {
    uint64_t n = (uint64_t)get32(p + at) | (uint64_t)get32(p + at + 4) << 32;
    at += 8;
    ok = n == len - at; /* the object, to the last byte */
    *obj_at = at;
    *obj_len = (size_t)n;
  } else {
    ok = false;
  }
  out->nsites = (int)nsites;
  if (!ok) cg_result_free(out); /* frees what was made; all zero again */
  return ok;
}
