/*
** test_text_entry.c: what the cache keeps under a scheme's text
** (runtime/text_entry.h) comes back as it went in, names, counts and
** object, and bytes that are not such an entry (cut anywhere, a byte
** changed in the counts or names, garbage, one byte more) are refused,
** never read past (the suite runs under ASan too). And the program's build
** ID (runtime/build_id.h) is the one readelf finds in the file.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build_id.h"
#include "text_entry.h"

static char *copy(const char *s) {
  char *p = strdup(s);
  assert_non_null(p);
  return p;
}

/* A result with every kind of name: score, peers, two later passes, three
   records passes, 7 sites. */
static cg_result full(void) {
  cg_result r = {0};
  r.fn_name = copy("rubric_score_x.2");
  r.peers_name = copy("rubric_peers_x.2");
  r.nlater = 2;
  r.later_names = calloc(2, sizeof *r.later_names);
  assert_non_null(r.later_names);
  r.later_names[0] = copy("rubric_peers2_x.2");
  r.later_names[1] = copy("rubric_peers3_x.2");
  r.nrecords = 3;
  r.records_names = calloc(4, sizeof *r.records_names);
  assert_non_null(r.records_names);
  for (int t = 0; t < 3; t++) {
    char name[64];
    snprintf(name, sizeof name, "rubric_records%d_x.2", t);
    r.records_names[t] = copy(name);
  }
  r.nsites = 7;
  return r;
}

static const unsigned char object[] = "\177ELF and then the machine code, with a \0 in it";

static void expect_same(const cg_result *a, const cg_result *b) {
  assert_string_equal(a->fn_name, b->fn_name);
  if (a->peers_name) assert_string_equal(a->peers_name, b->peers_name);
  else assert_null(b->peers_name);
  assert_int_equal(a->nlater, b->nlater);
  for (int k = 0; k < a->nlater; k++) assert_string_equal(a->later_names[k], b->later_names[k]);
  if (a->records_names) {
    assert_non_null(b->records_names);
    assert_int_equal(a->nrecords, b->nrecords);
    for (int t = 0; t < a->nrecords; t++) assert_string_equal(a->records_names[t], b->records_names[t]);
  } else {
    assert_null(b->records_names);
  }
  assert_int_equal(a->nsites, b->nsites);
  assert_null(b->module);
  assert_null(b->sites);
}

static void round_trip(const cg_result *r) {
  size_t len, at, objlen;
  void *bytes = text_entry_encode(r, object, sizeof object, &len);
  cg_result back;
  assert_true(text_entry_decode(bytes, len, &back, &at, &objlen));
  expect_same(r, &back);
  assert_int_equal(objlen, sizeof object);
  assert_memory_equal((char *)bytes + at, object, sizeof object);
  cg_result_free(&back);
  free(bytes);
}

static void test_round_trip(void **state) {
  (void)state;
  cg_result r = full();
  round_trip(&r);
  cg_result_free(&r);
  /* the score function alone, no sites, an empty object */
  cg_result one = {.fn_name = copy("rubric_score_y")};
  round_trip(&one);
  size_t len, at, objlen;
  void *bytes = text_entry_encode(&one, "", 0, &len);
  cg_result back;
  assert_true(text_entry_decode(bytes, len, &back, &at, &objlen));
  assert_int_equal(objlen, 0);
  assert_int_equal(at, len);
  cg_result_free(&back);
  free(bytes);
  cg_result_free(&one);
}

/* BYTES (LEN) are refused, and OUT left all zero. */
static void expect_refused(const void *bytes, size_t len) {
  cg_result out;
  memset(&out, 0x5a, sizeof out);
  size_t at = 0, objlen = 0;
  assert_false(text_entry_decode(bytes, len, &out, &at, &objlen));
  cg_result zero;
  memset(&zero, 0, sizeof zero);
  assert_memory_equal(&out, &zero, sizeof out);
}

static void test_refuses_what_is_not_an_entry(void **state) {
  (void)state;
  cg_result r = full();
  size_t len;
  unsigned char *bytes = text_entry_encode(&r, object, sizeof object, &len);
  /* cut at every length: each a copy of its own, so that ASan sees a read past it */
  for (size_t cut = 0; cut < len; cut++) {
    unsigned char *p = malloc(cut ? cut : 1);
    assert_non_null(p);
    memcpy(p, bytes, cut);
    expect_refused(p, cut);
    free(p);
  }
  /* one byte more after the object */
  unsigned char *more = malloc(len + 1);
  assert_non_null(more);
  memcpy(more, bytes, len);
  more[len] = 0;
  expect_refused(more, len + 1);
  /* the magic, the format, a count, the flags, a name's end, the length */
  size_t names = 24, first_end = names + strlen(r.fn_name);
  const size_t spots[] = {0, 3, 4, 8, 11, 12, 16, 20, first_end, len - sizeof object - 8, len - sizeof object - 1};
  const unsigned char flips[] = {0x01, 0x80, 0xff};
  for (size_t i = 0; i < sizeof spots / sizeof *spots; i++)
    for (size_t f = 0; f < sizeof flips; f++) {
      memcpy(more, bytes, len);
      more[spots[i]] ^= flips[f];
      cg_result out;
      size_t at, objlen;
      bool ok = text_entry_decode(more, len, &out, &at, &objlen);
      /* a count changed within its bounds, or the sites' number, may still
         decode: then only to names that are the encoded bytes */
      if (ok) {
        assert_true(spots[i] == 8 || spots[i] == 11 || spots[i] == len - sizeof object - 1);
        cg_result_free(&out);
      }
      if (spots[i] == 0 || spots[i] == 3 || spots[i] == 4 || spots[i] == first_end) assert_false(ok);
    }
  /* an empty name */
  memcpy(more, bytes, len);
  more[names] = '\0';
  expect_refused(more, len);
  /* garbage, of many lengths */
  srand(7);
  for (size_t n = 0; n < 400; n++) {
    unsigned char *g = malloc(n + 1);
    assert_non_null(g);
    for (size_t k = 0; k < n; k++) g[k] = (unsigned char)rand();
    if (n >= 8 && n % 2) memcpy(g, bytes, 8); /* even with the magic and format right */
    cg_result out;
    size_t at, objlen;
    if (text_entry_decode(g, n, &out, &at, &objlen)) cg_result_free(&out);
    free(g);
  }
  free(more);
  free(bytes);
  cg_result_free(&r);
}

/* The build ID readelf reads from this program's file is build_id's. */
static void test_build_id_is_the_files(void **state) {
  (void)state;
  const char *id = build_id();
  assert_non_null(id);
  assert_int_equal(strlen(id), 40); /* SHA-1: -Wl,--build-id=sha1 */
  assert_int_equal(strspn(id, "0123456789abcdef"), 40);
  assert_ptr_equal(build_id(), id); /* found once */
  char cmd[256], line[512] = "";
  snprintf(cmd, sizeof cmd, "LC_ALL=C readelf -n /proc/%ld/exe", (long)getpid());
  FILE *p = popen(cmd, "r");
  assert_non_null(p);
  bool found = false;
  while (fgets(line, sizeof line, p)) {
    const char *at = strstr(line, "Build ID: ");
    if (at) {
      found = true;
      assert_int_equal(strncmp(at + 10, id, 40), 0);
    }
  }
  pclose(p);
  assert_true(found);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_round_trip),
      cmocka_unit_test(test_refuses_what_is_not_an_entry),
      cmocka_unit_test(test_build_id_is_the_files),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
