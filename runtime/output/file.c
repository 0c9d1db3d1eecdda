/*
** file.c — output files that appear whole or not at all.
*/
#include "file.h"

#include <assert.h>
#include <stdbool.h>
#include <errno.h>

#include "diag.h"
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errlen, const char *fmt, ...) {
  if (err == NULL || errlen == 0) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errlen, diag_tr(fmt), ap); /* the message in the chosen language */
  va_end(ap);
}

/* ------------------------------------------------------------ out files */

/* Three kinds: stdout (path NULL) and devices (tmp NULL) are buffered in
   memory and written at commit; files are written to a temp file beside
   the target and renamed over it. */
struct out_file {
  FILE *fp;
  char *path;   /* the name given, for messages; NULL for stdout */
  char *target; /* path with its final symlinks followed: what the temp file replaces */
  char *tmp;    /* temp file beside target; NULL for stdout and devices */
  char *mem;    /* the memory stream's buffer (stdout and devices) */
  size_t memlen;
  bool broken;  /* out_prepare failed: out_commit must not rename */
};

static void free_out(out_file *f) {
  free(f->path);
  free(f->target);
  free(f->tmp);
  free(f->mem);
  free(f);
}

/* Buffers F in memory; returns 0, or -1 with a message. */
static int open_mem(out_file *f, const char *name, char *err, size_t errlen) {
  f->fp = open_memstream(&f->mem, &f->memlen);
  if (f->fp == NULL) {
    set_err(err, errlen, "%s: cannot buffer the output: %s", name, strerror(errno));
    return -1;
  }
  return 0;
}

/* PATH with the symlinks of its last component followed, as open(2) would,
   down to a name that is not a link (a regular file, or nothing yet: a
   dangling link's target). Links in the folders above need no following:
   rename(2) goes through them. Caller frees the result; NULL with errno set
   on failure (ELOOP for a loop). */
static char *follow_links(const char *path) {
  char *p = strdup(path);
  for (int hops = 0; p != NULL; hops++) {
    struct stat st;
    if (lstat(p, &st) != 0 || !S_ISLNK(st.st_mode)) return p;
    char link[PATH_MAX];
    ssize_t n = -1;
    if (hops == 40) /* the kernel's own limit */
      errno = ELOOP;
    else if ((n = readlink(p, link, sizeof link)) >= (ssize_t)sizeof link) {
      n = -1;
      errno = ENAMETOOLONG;
    }
    if (n < 0) {
      int e = errno;
      free(p);
      errno = e;
      return NULL;
    }
    /* A relative link is relative to the folder holding it. */
    const char *slash = strrchr(p, '/');
    size_t dirlen = link[0] == '/' || slash == NULL ? 0 : (size_t)(slash - p) + 1;
    char *next = malloc(dirlen + (size_t)n + 1);
    if (next != NULL) {
      memcpy(next, p, dirlen);
      memcpy(next + dirlen, link, (size_t)n);
      next[dirlen + (size_t)n] = '\0';
    }
    free(p);
    p = next;
  }
  errno = ENOMEM;
  return NULL;
}

out_file *out_open(const char *path, char *err, size_t errlen) {
  if (err != NULL && errlen > 0) err[0] = '\0';
  out_file *f = calloc(1, sizeof *f);
  if (f == NULL) {
    set_err(err, errlen, "%s: out of memory", path ? path : "stdout");
    return NULL;
  }
  if (path == NULL || strcmp(path, "-") == 0) {
    /* Held back until commit, so a failed run writes nothing at all. */
    if (open_mem(f, "stdout", err, errlen) != 0) goto fail;
    return f;
  }

  const char *slash = strrchr(path, '/');
  const char *base = slash ? slash + 1 : path;
  if (*base == '\0' || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
    set_err(err, errlen, "%s: is a directory, not an output file name", path);
    goto fail;
  }
  f->path = strdup(path);
  if (f->path == NULL) {
    set_err(err, errlen, "%s: out of memory", path);
    goto fail;
  }

  struct stat st;
  mode_t mode = 0644; /* a new file: outputs are meant to be shared like any file */
  if (stat(path, &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      set_err(err, errlen, "%s: is a directory", path);
      goto fail;
    }
    if (!S_ISREG(st.st_mode)) {
      /* A device, FIFO or socket is written, never replaced: renaming over
         /dev/full would swap the device node for a file. Opening it waits
         for commit (a FIFO's open blocks until a reader comes); access()
         only catches a plain lack of permission early. */
      if (access(path, W_OK) != 0) {
        set_err(err, errlen, "%s: %s", path, strerror(errno));
        goto fail;
      }
      if (open_mem(f, path, err, errlen) != 0) goto fail;
      return f;
    }
    /* Keep the permission bits but not set-id bits: the new file is ours. */
    mode = st.st_mode & 0777;
  } else if (errno != ENOENT) { /* ENOENT: a new file or a dangling link */
    set_err(err, errlen, "%s: %s", path, strerror(errno));
    goto fail;
  }

  /* A symlink stays a link: its target is what gets replaced. */
  f->target = follow_links(path);
  if (f->target == NULL) {
    set_err(err, errlen, "%s: %s", path, strerror(errno));
    goto fail;
  }
  /* The temp file must be in the target's directory: rename(2) is atomic
     only within one file system. The leading dot hides it from globs. */
  const char *t = f->target;
  slash = strrchr(t, '/');
  base = slash ? slash + 1 : t;
  size_t dirlen = (size_t)(base - t);
  size_t tmplen = dirlen + 1 + strlen(base) + sizeof ".XXXXXX";
  f->tmp = malloc(tmplen);
  if (f->tmp == NULL) {
    set_err(err, errlen, "%s: out of memory", path);
    goto fail;
  }
  memcpy(f->tmp, t, dirlen);
  snprintf(f->tmp + dirlen, tmplen - dirlen, ".%s.XXXXXX", base);

  int fd = mkstemp(f->tmp);
  if (fd < 0) {
    int e = errno;
    if (dirlen > 0)
      set_err(err, errlen, "%s: cannot create a temporary file in %.*s: %s", path,
              (int)(dirlen > 1 ? dirlen - 1 : dirlen), t, strerror(e));
    else
      set_err(err, errlen, "%s: cannot create a temporary file in .: %s", path, strerror(e));
    goto fail;
  }
  /* mkstemp makes 0600. A failure here is harmless (the content is still
     right), so ignore it. */
  (void)fchmod(fd, mode);
  f->fp = fdopen(fd, "w");
  if (f->fp == NULL) {
    set_err(err, errlen, "%s: cannot open the temporary file: %s", path, strerror(errno));
    close(fd);
    unlink(f->tmp);
    goto fail;
  }
  return f;

fail:
  if (f->fp != NULL) fclose(f->fp);
  free_out(f);
  return NULL;
}

FILE *out_stream(out_file *f) {
  assert(f != NULL && f->fp != NULL);
  return f->fp;
}

/* Best effort: makes the rename itself durable. Errors are ignored since
   the data is already safely in place for every reader. */
static void sync_dir(const char *path) {
  const char *slash = strrchr(path, '/');
  char *dir;
  if (slash == NULL) {
    dir = NULL;
  } else {
    size_t n = slash == path ? 1 : (size_t)(slash - path);
    dir = malloc(n + 1);
    if (dir == NULL) return;
    memcpy(dir, path, n);
    dir[n] = '\0';
  }
  int fd = open(dir ? dir : ".", O_RDONLY);
  if (fd >= 0) {
    (void)fsync(fd);
    close(fd);
  }
  free(dir);
}

/* write(2) until all N bytes are out. Returns 0, or -1 with errno set. */
static int write_all(int fd, const char *buf, size_t n) {
  while (n > 0) {
    ssize_t k = write(fd, buf, n);
    if (k < 0 && errno == EINTR) continue;
    if (k < 0) return -1;
    buf += k;
    n -= (size_t)k;
  }
  return 0;
}

/* Commit of a memory-buffered output: copies the buffer to stdout or the
   device. Returns 0, or -1 with a message. */
static int commit_mem(out_file *f, char *err, size_t errlen) {
  const char *name = f->path ? f->path : "stdout";
  int bad = ferror(f->fp);
  /* fclose sets mem and memlen; it fails only for want of memory. */
  if (fclose(f->fp) != 0 || bad) {
    set_err(err, errlen, "%s: cannot buffer the output: out of memory", name);
    return -1;
  }
  if (f->path == NULL) {
    /* Anything printed to stdout before goes out first. The copy then
       bypasses stdio, so a failed write leaves no buffered rest behind
       to be retried at exit. */
    if (fflush(stdout) != 0 || write_all(fileno(stdout), f->mem, f->memlen) != 0) {
      set_err(err, errlen, "stdout: write failed: %s", strerror(errno));
      return -1;
    }
    return 0;
  }
  int fd = open(f->path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) {
    set_err(err, errlen, "%s: cannot open: %s", f->path, strerror(errno));
    return -1;
  }
  /* It was a device at out_open; writing into a regular file that took
     its place would be neither atomic nor truncated. */
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    set_err(err, errlen, "%s: was replaced by a regular file while writing", f->path);
    close(fd);
    return -1;
  }
  int rc = 0;
  if (write_all(fd, f->mem, f->memlen) != 0) {
    set_err(err, errlen, "%s: write failed: %s", f->path, strerror(errno));
    rc = -1;
  }
  if (close(fd) != 0 && rc == 0) {
    set_err(err, errlen, "%s: write failed on close: %s", f->path, strerror(errno));
    rc = -1;
  }
  return rc;
}

bool out_renames(const out_file *f) { return f->tmp != NULL; }
bool out_is_stdout(const out_file *f) { return f->path == NULL; }

int out_prepare(out_file *f, char *err, size_t errlen) {
  assert(f != NULL);
  if (err != NULL && errlen > 0) err[0] = '\0';
  if (f->broken) return -1;
  if (f->tmp == NULL || f->fp == NULL) return 0; /* stdout or a device, or prepared already */
  int rc = 0;
  if (fflush(f->fp) != 0) {
    set_err(err, errlen, "%s: write failed: %s", f->path, strerror(errno));
    rc = -1;
  } else if (ferror(f->fp)) { /* an earlier write failed; errno is long gone */
    set_err(err, errlen, "%s: write failed", f->path);
    rc = -1;
  } else if (fsync(fileno(f->fp)) != 0 && errno != EINVAL && errno != ENOTSUP) {
    /* EINVAL/ENOTSUP: the file system cannot sync; nothing to report. */
    set_err(err, errlen, "%s: cannot sync to disk: %s", f->path, strerror(errno));
    rc = -1;
  }
  if (fclose(f->fp) != 0 && rc == 0) {
    set_err(err, errlen, "%s: write failed on close: %s", f->path, strerror(errno));
    rc = -1;
  }
  f->fp = NULL; /* the temp file is complete on disk; out_commit renames it */
  f->broken = rc != 0;
  return rc;
}

int out_commit(out_file *f, char *err, size_t errlen) {
  assert(f != NULL);
  if (err != NULL && errlen > 0) err[0] = '\0';
  int rc = 0;

  if (f->tmp == NULL) { /* stdout or a device: nothing to rename */
    rc = commit_mem(f, err, errlen);
    free_out(f);
    return rc;
  }

  rc = out_prepare(f, err, errlen);
  if (rc == 0 && rename(f->tmp, f->target) != 0) {
    set_err(err, errlen, "%s: cannot replace the file: %s", f->path, strerror(errno));
    rc = -1;
  }
  if (rc != 0)
    unlink(f->tmp);
  else
    sync_dir(f->target);

  free_out(f);
  return rc;
}

void out_abort(out_file *f) {
  if (f == NULL) return;
  /* The device or stdout was never touched: dropping the buffer is all. */
  if (f->fp) fclose(f->fp);
  if (f->tmp != NULL) unlink(f->tmp);
  free_out(f);
}

