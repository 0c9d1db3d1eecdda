/* cache.c: compiled schemes on disk; see cache.h. */
#include "cache.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

/* An entry: HEADER_SIZE bytes, then the object. Numbers little-endian,
   whatever the host, so that a header reads the same everywhere. */
static const char MAGIC[8] = {'R', 'U', 'B', 'R', 'I', 'C', 'O', 'B'};
enum {
  FORMAT = 1,       /* of the entry; bump it when the header changes */
  HEADER_SIZE = 48, /* magic 8, format 4, header size 4, key 16, length 8, checksum 8 */
};
#define MAX_OBJECT ((uint64_t)1 << 30) /* more than any scheme's object; a bigger "entry" is garbage */

static struct {
  char *dir;  /* the folder, once found; malloc'd */
  bool tried; /* looked for it already: when it failed, it is not looked for again */
  char why[256];
} cache;

static void put64(uint8_t *p, uint64_t v) {
  for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static uint64_t get64(const uint8_t *p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; i++) v |= (uint64_t)p[i] << (8 * i);
  return v;
}
static void put32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static uint32_t get32(const uint8_t *p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; i++) v |= (uint32_t)p[i] << (8 * i);
  return v;
}

static void field(XXH3_state_t *st, const void *p, size_t len) {
  uint8_t n[8];
  put64(n, len);
  XXH3_128bits_update(st, n, sizeof n);
  XXH3_128bits_update(st, p, len);
}

cache_key cache_key_of(const char *ir, size_t len, const char *target, const char *build) {
  XXH3_state_t *st = XXH3_createState(); /* freed below */
  if (!st) abort();
  XXH3_128bits_reset(st);
  field(st, build, strlen(build));
  field(st, target, strlen(target));
  field(st, ir, len);
  XXH128_hash_t h = XXH3_128bits_digest(st);
  XXH3_freeState(st);
  XXH128_canonical_t c; /* big-endian bytes: the same file name on every host */
  XXH128_canonicalFromHash(&c, h);
  cache_key k;
  memcpy(k.bytes, c.digest, sizeof k.bytes);
  return k;
}

void cache_key_hex(const cache_key *k, char out[33]) {
  static const char hex[] = "0123456789abcdef";
  for (int i = 0; i < 16; i++) {
    out[2 * i] = hex[k->bytes[i] >> 4];
    out[2 * i + 1] = hex[k->bytes[i] & 15];
  }
  out[32] = 0;
}

/* The XDG base folder: $XDG_CACHE_HOME when it is an absolute path (the
   XDG specification ignores a relative one), else ~/.cache. malloc'd;
   NULL when there is no home. */
static char *base_dir(void) {
  const char *x = getenv("XDG_CACHE_HOME");
  if (x && x[0] == '/') return strdup(x);
  const char *home = getenv("HOME");
  if (!home || home[0] != '/') {
    struct passwd *pw = getpwuid(geteuid());
    home = pw && pw->pw_dir && pw->pw_dir[0] == '/' ? pw->pw_dir : NULL;
  }
  if (!home) return NULL;
  size_t n = strlen(home) + sizeof "/.cache";
  char *p = malloc(n);
  if (p) snprintf(p, n, "%s/.cache", home);
  return p;
}

/* mkdir -p PATH: folders it makes are the user's only (0700), as the XDG
   specification asks. The folder itself is tried first and its parents only
   when it has none, so a run with a cache in place touches nothing above it
   (the one mkdir fails with EEXIST). False with errno set. */
static bool make_dirs(char *path) {
  if (mkdir(path, 0700) == 0 || errno == EEXIST) return true;
  if (errno != ENOENT) return false;
  char *slash = strrchr(path, '/');
  if (!slash || slash == path) return false; /* ENOENT at the root: errno stands */
  *slash = 0;
  bool made = make_dirs(path);
  *slash = '/';
  return made && (mkdir(path, 0700) == 0 || errno == EEXIST);
}

const char *cache_dir(char *why, size_t whylen) {
  if (!cache.tried) {
    cache.tried = true;
    char *base = base_dir();
    if (!base) {
      snprintf(cache.why, sizeof cache.why, "no home folder for the cache (set XDG_CACHE_HOME)");
    } else {
      size_t n = strlen(base) + sizeof "/rubric";
      char *dir = malloc(n);
      if (!dir) abort();
      snprintf(dir, n, "%s/rubric", base);
      free(base);
      struct stat st;
      if (!make_dirs(dir)) {
        snprintf(cache.why, sizeof cache.why, "cannot make %s: %s", dir, strerror(errno));
        free(dir);
      } else if (lstat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(cache.why, sizeof cache.why, "%s is not a folder", dir);
        free(dir);
      } else if (st.st_uid != geteuid() || (st.st_mode & (S_IWGRP | S_IWOTH))) {
        /* code loaded from here runs in this process: only a folder no one
           else can write to is trusted */
        snprintf(cache.why, sizeof cache.why, "%s is not the user's own or others can write to it", dir);
        free(dir);
      } else {
        cache.dir = dir; /* owned here until cache_shutdown */
      }
    }
  }
  if (!cache.dir) snprintf(why, whylen, "%s", cache.why);
  return cache.dir;
}

/* DIR/NAME into BUF; false when it does not fit. */
static bool entry_path(char *buf, size_t len, const char *dir, const cache_key *k) {
  char hex[33];
  cache_key_hex(k, hex);
  return (size_t)snprintf(buf, len, "%s/%s.o", dir, hex) < len;
}

/* Reads exactly LEN bytes of FD into P; false on an error or an early end. */
static bool read_all(int fd, void *p, size_t len) {
  uint8_t *b = p;
  while (len) {
    ssize_t r = read(fd, b, len);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    b += r;
    len -= (size_t)r;
  }
  return true;
}

static bool write_all(int fd, const void *p, size_t len) {
  const uint8_t *b = p;
  while (len) {
    ssize_t r = write(fd, b, len);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    b += r;
    len -= (size_t)r;
  }
  return true;
}

cache_status cache_load(const cache_key *k, void **obj, size_t *len, char *why, size_t whylen) {
  *obj = NULL;
  *len = 0;
  const char *dir = cache_dir(why, whylen);
  if (!dir) return CACHE_OFF;
  char path[4200];
  if (!entry_path(path, sizeof path, dir, k)) {
    snprintf(why, whylen, "the cache folder's path is too long");
    return CACHE_OFF;
  }
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    if (errno == ENOENT) return CACHE_MISS;
    snprintf(why, whylen, "cannot open %s: %s", path, strerror(errno));
    return CACHE_BAD;
  }
  struct stat st;
  uint8_t h[HEADER_SIZE];
  cache_status status = CACHE_BAD;
  void *body = NULL;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    snprintf(why, whylen, "%s is not a regular file", path);
  } else if ((uint64_t)st.st_size < HEADER_SIZE || (uint64_t)st.st_size > HEADER_SIZE + MAX_OBJECT) {
    snprintf(why, whylen, "%s: %lld bytes, not an entry", path, (long long)st.st_size);
  } else if (!read_all(fd, h, sizeof h)) {
    snprintf(why, whylen, "cannot read %s", path);
  } else if (memcmp(h, MAGIC, sizeof MAGIC) || get32(h + 8) != FORMAT || get32(h + 12) != HEADER_SIZE) {
    snprintf(why, whylen, "%s: not an entry of this format", path);
  } else if (memcmp(h + 16, k->bytes, sizeof k->bytes)) {
    snprintf(why, whylen, "%s: the entry of another key", path);
  } else if (get64(h + 32) != (uint64_t)st.st_size - HEADER_SIZE) {
    snprintf(why, whylen, "%s: cut short or too long", path);
  } else {
    size_t n = (size_t)get64(h + 32);
    body = malloc(n ? n : 1); /* the caller's on success */
    if (!body) abort();
    if (!read_all(fd, body, n)) {
      snprintf(why, whylen, "cannot read %s", path);
    } else if (XXH3_64bits(body, n) != get64(h + 40)) {
      snprintf(why, whylen, "%s: the checksum does not match", path);
    } else {
      *obj = body;
      *len = n;
      body = NULL;
      status = CACHE_HIT;
    }
  }
  free(body);
  close(fd);
  return status;
}

bool cache_store(const cache_key *k, const void *obj, size_t len, char *why, size_t whylen) {
  const char *dir = cache_dir(why, whylen);
  if (!dir) return false;
  char path[4200], tmp[4200];
  char hex[33];
  cache_key_hex(k, hex);
  /* a dot file: a reader looks only for <key>.o, never at a temporary */
  if (!entry_path(path, sizeof path, dir, k) ||
      (size_t)snprintf(tmp, sizeof tmp, "%s/.%s.XXXXXX", dir, hex) >= sizeof tmp) {
    snprintf(why, whylen, "the cache folder's path is too long");
    return false;
  }
  int fd = mkstemp(tmp); /* 0600, O_EXCL: this run's own file */
  if (fd < 0) {
    snprintf(why, whylen, "cannot write into %s: %s", dir, strerror(errno));
    return false;
  }
  uint8_t h[HEADER_SIZE] = {0};
  memcpy(h, MAGIC, sizeof MAGIC);
  put32(h + 8, FORMAT);
  put32(h + 12, HEADER_SIZE);
  memcpy(h + 16, k->bytes, sizeof k->bytes);
  put64(h + 32, len);
  put64(h + 40, XXH3_64bits(obj, len));
  /* No fsync: after a crash an entry may be cut short, and the length and
     checksum catch that on the next read, which rewrites it. */
  bool ok = write_all(fd, h, sizeof h) && write_all(fd, obj, len);
  int e = errno;
  if (close(fd) != 0 && ok) {
    ok = false;
    e = errno;
  }
  /* rename replaces an entry another run wrote at the same time with the
     same bytes, or a bad one, in one step */
  if (ok && rename(tmp, path) != 0) {
    ok = false;
    e = errno;
  }
  if (!ok) {
    unlink(tmp);
    snprintf(why, whylen, "cannot write %s: %s", path, strerror(e));
  }
  return ok;
}

void cache_shutdown(void) {
  free(cache.dir);
  memset(&cache, 0, sizeof cache);
}
