/*
** test_cache.c: the disk cache of objects (runtime/cache.h): keys that
** follow every field, entries that come back whole, and entries that do not
** check out (cut short, damaged, another key) reported as bad, never
** returned. Each test has a cache folder of its own under a temporary
** XDG_CACHE_HOME.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"

static char root[64];

/* A new, empty XDG_CACHE_HOME for the test. */
static int setup(void **state) {
  (void)state;
  snprintf(root, sizeof root, "/tmp/rubric-test-cache.XXXXXX");
  if (!mkdtemp(root)) return -1;
  setenv("XDG_CACHE_HOME", root, 1);
  cache_shutdown(); /* forget the previous test's folder */
  return 0;
}

static int teardown(void **state) {
  (void)state;
  cache_shutdown();
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
  return system(cmd) == 0 ? 0 : -1;
}

static cache_key key(const char *ir) { return cache_key_of(ir, strlen(ir), "x86_64 znver3", "rubric 0.1.0"); }

static bool same(cache_key a, cache_key b) { return !memcmp(a.bytes, b.bytes, sizeof a.bytes); }

/* The path of K's entry. */
static void path_of(const cache_key *k, char *buf, size_t len) {
  char hex[33];
  cache_key_hex(k, hex);
  snprintf(buf, len, "%s/rubric/%s.o", root, hex);
}

static void write_file(const char *path, const void *p, size_t len) {
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(p, 1, len, f), len);
  assert_int_equal(fclose(f), 0);
}

/* The bytes of PATH, malloc'd, length in *LEN. */
static uint8_t *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  fseek(f, 0, SEEK_END);
  *len = (size_t)ftell(f);
  rewind(f);
  uint8_t *p = malloc(*len + 1);
  assert_non_null(p);
  assert_int_equal(fread(p, 1, *len, f), *len);
  fclose(f);
  return p;
}

static void test_key_follows_every_field(void **state) {
  (void)state;
  cache_key k = key("define void @f() {}");
  assert_true(same(k, key("define void @f() {}")));
  assert_false(same(k, key("define void @g() {}")));
  assert_false(same(k, cache_key_of("define void @f() {}", 19, "x86_64 znver2", "rubric 0.1.0")));
  assert_false(same(k, cache_key_of("define void @f() {}", 19, "x86_64 znver3", "rubric 0.1.1")));
  /* each field with its length: moving a byte from one field to the next is another key */
  assert_false(same(cache_key_of("ab", 2, "c", "b"), cache_key_of("b", 1, "ac", "b")));
  assert_false(same(cache_key_of("x", 1, "ab", "c"), cache_key_of("x", 1, "a", "bc")));
  char hex[33];
  cache_key_hex(&k, hex);
  assert_int_equal(strlen(hex), 32);
  assert_int_equal(strspn(hex, "0123456789abcdef"), 32);
}

static void test_store_then_load(void **state) {
  (void)state;
  char why[512];
  cache_key k = key("module a");
  void *obj;
  size_t len;
  assert_int_equal(cache_load(&k, &obj, &len, why, sizeof why), CACHE_MISS);
  static const char object[] = "\x7f" "ELF and the rest of an object";
  assert_true(cache_store(&k, object, sizeof object, why, sizeof why));
  assert_int_equal(cache_load(&k, &obj, &len, why, sizeof why), CACHE_HIT);
  assert_int_equal(len, sizeof object);
  assert_memory_equal(obj, object, sizeof object);
  free(obj);
  /* the folder is the user's only */
  char dir[128];
  snprintf(dir, sizeof dir, "%s/rubric", root);
  struct stat st;
  assert_int_equal(stat(dir, &st), 0);
  assert_int_equal(st.st_mode & 0777, 0700);
  /* another key misses */
  cache_key other = key("module b");
  assert_int_equal(cache_load(&other, &obj, &len, why, sizeof why), CACHE_MISS);
  assert_null(obj);
}

/* Damages K's entry with DAMAGE, then expects it reported bad (WORD in the
   reason) and a store to make it good again. */
static void expect_bad(const cache_key *k, const uint8_t *good, size_t glen, const uint8_t *damaged, size_t dlen,
                       const char *word) {
  char path[256], why[512] = "";
  path_of(k, path, sizeof path);
  write_file(path, damaged, dlen);
  void *obj = (void *)1;
  size_t len = 1;
  assert_int_equal(cache_load(k, &obj, &len, why, sizeof why), CACHE_BAD);
  assert_null(obj);
  assert_int_equal(len, 0);
  if (!strstr(why, word)) fail_msg("expected '%s' in: %s", word, why);
  assert_true(cache_store(k, good + 48, glen - 48, why, sizeof why));
  assert_int_equal(cache_load(k, &obj, &len, why, sizeof why), CACHE_HIT);
  assert_int_equal(len, glen - 48);
  free(obj);
}

static void test_bad_entries(void **state) {
  (void)state;
  char why[512], path[256];
  cache_key k = key("module c");
  uint8_t object[300];
  for (size_t i = 0; i < sizeof object; i++) object[i] = (uint8_t)(i * 7);
  assert_true(cache_store(&k, object, sizeof object, why, sizeof why));
  path_of(&k, path, sizeof path);
  size_t glen;
  uint8_t *good = read_file(path, &glen);
  assert_int_equal(glen, 48 + sizeof object);
  uint8_t *bad = malloc(glen + 8);
  assert_non_null(bad);

  expect_bad(&k, good, glen, good, glen / 2, "cut short");
  expect_bad(&k, good, glen, good, 20, "not an entry");
  expect_bad(&k, good, glen, good, 0, "not an entry");
  memcpy(bad, good, glen);
  memcpy(bad + glen, "trailing", 8);
  expect_bad(&k, good, glen, bad, glen + 8, "too long");
  memcpy(bad, good, glen);
  bad[0] ^= 1; /* the magic */
  expect_bad(&k, good, glen, bad, glen, "format");
  memcpy(bad, good, glen);
  bad[8] = 99; /* the format */
  expect_bad(&k, good, glen, bad, glen, "format");
  memcpy(bad, good, glen);
  bad[20] ^= 0x40; /* the key */
  expect_bad(&k, good, glen, bad, glen, "another key");
  memcpy(bad, good, glen);
  bad[48 + 100] ^= 1; /* the object */
  expect_bad(&k, good, glen, bad, glen, "checksum");
  memcpy(bad, good, glen);
  bad[32] ^= 1; /* the length */
  expect_bad(&k, good, glen, bad, glen, "cut short");

  /* another key's whole, good entry under this key's name */
  cache_key other = key("module d");
  assert_true(cache_store(&other, object, sizeof object, why, sizeof why));
  char other_path[256];
  path_of(&other, other_path, sizeof other_path);
  size_t olen;
  uint8_t *o = read_file(other_path, &olen);
  expect_bad(&k, good, glen, o, olen, "another key");
  free(o);
  free(bad);
  free(good);
}

static void test_unusable_folder(void **state) {
  (void)state;
  char file[128], why[512] = "";
  snprintf(file, sizeof file, "%s/a_file", root);
  write_file(file, "x", 1);
  char below[160];
  snprintf(below, sizeof below, "%s/cache", file);
  setenv("XDG_CACHE_HOME", below, 1);
  cache_shutdown();
  cache_key k = key("module e");
  void *obj;
  size_t len;
  assert_int_equal(cache_load(&k, &obj, &len, why, sizeof why), CACHE_OFF);
  assert_non_null(strstr(why, "cannot make"));
  assert_false(cache_store(&k, "x", 1, why, sizeof why));
  /* a folder others can write to is not trusted */
  char shared[128];
  snprintf(shared, sizeof shared, "%s/shared", root);
  assert_int_equal(mkdir(shared, 0700), 0);
  char dir[160];
  snprintf(dir, sizeof dir, "%s/rubric", shared);
  assert_int_equal(mkdir(dir, 0700), 0);
  assert_int_equal(chmod(dir, 0777), 0);
  setenv("XDG_CACHE_HOME", shared, 1);
  cache_shutdown();
  assert_int_equal(cache_load(&k, &obj, &len, why, sizeof why), CACHE_OFF);
  assert_non_null(strstr(why, "others can write"));
  assert_false(cache_store(&k, "x", 1, why, sizeof why));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_key_follows_every_field),
      cmocka_unit_test_setup_teardown(test_store_then_load, setup, teardown),
      cmocka_unit_test_setup_teardown(test_bad_entries, setup, teardown),
      cmocka_unit_test_setup_teardown(test_unusable_folder, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
