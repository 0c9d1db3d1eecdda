/*
** test_output.c — unit tests for runtime/output.c (with a csv.c round trip),
** the fast number text (fixed_format, against the digit-at-a-time oracle it
** replaced), the block buffer (outbuf.c) and rows formatted on several
** threads (rows.c): the same bytes however they are produced.
*/
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "scratch.h"

#include "csv.h"
#include "file.h"
#include "fixed.h"
#include "outbuf.h"
#include "rows.h"
#include "text.h"

static char g_dir[64];

static int setup_dir(void **state) {
  (void)state;
  strcpy(g_dir, "/tmp/rubric_test_output_XXXXXX");
  return mkdtemp(g_dir) ? 0 : -1;
}

/* Removes g_dir and what is in it (one level of subdirectories). */
static int remove_dir(void **state) {
  (void)state;
  return scratch_remove(g_dir);
}

/* Number of entries in DIR other than . and ..; the first name goes to FIRST. */
static int count_entries(const char *dir, char *first, size_t n) {
  DIR *d = opendir(dir);
  assert_non_null(d);
  int count = 0;
  struct dirent *e;
  if (first) first[0] = '\0';
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    if (count++ == 0 && first) snprintf(first, n, "%s", e->d_name);
  }
  closedir(d);
  return count;
}

/* Makes a fresh empty subdirectory of g_dir for one test; path in BUF. */
static void subdir(const char *name, char *buf, size_t n) {
  snprintf(buf, n, "%s/%s", g_dir, name);
  assert_int_equal(mkdir(buf, 0755), 0);
}

/* Reads a whole small file into a static buffer ("" if missing -> NULL). */
static const char *slurp(const char *path) {
  static char buf[4096];
  FILE *fp = fopen(path, "rb");
  if (fp == NULL) return NULL;
  size_t n = fread(buf, 1, sizeof buf - 1, fp);
  buf[n] = '\0';
  fclose(fp);
  return buf;
}

static void write_file(const char *path, const char *text) {
  FILE *fp = fopen(path, "wb");
  assert_non_null(fp);
  fputs(text, fp);
  assert_int_equal(fclose(fp), 0);
}

static void rm_subdir(const char *dir) { assert_int_equal(scratch_remove(dir), 0); }

/* ------------------------------------------------------------- CSV fields */

static void expect_field(const char *s, const char *want) {
  char *mem = NULL;
  size_t n = 0;
  FILE *fp = open_memstream(&mem, &n);
  assert_non_null(fp);
  out_csv_field(fp, s);
  assert_int_equal(fclose(fp), 0);
  if (strcmp(mem, want) != 0) fail_msg("out_csv_field(\"%s\") wrote [%s], want [%s]", s ? s : "(null)", mem, want);
  free(mem);
  /* The buffered writer's field is the same bytes. */
  out_buf b;
  out_buf_open_mem(&b, 1);
  out_buf_csv_field(&b, s);
  out_buf_putc(&b, '\0');
  if (strcmp(b.data, want) != 0) fail_msg("out_buf_csv_field(\"%s\") wrote [%s], want [%s]", s ? s : "(null)", b.data, want);
  out_buf_free(&b);
}

static void test_csv_field(void **state) {
  (void)state;
  expect_field("plain", "plain");
  expect_field("", "");
  expect_field(NULL, "");
  expect_field("4.8", "4.8");
  expect_field("in side", "in side");
  expect_field("张三", "张三");
  expect_field("a,b", "\"a,b\"");
  expect_field("say \"hi\"", "\"say \"\"hi\"\"\"");
  expect_field("\"", "\"\"\"\"");
  expect_field("\"\"", "\"\"\"\"\"\"");
  expect_field("x\ny", "\"x\ny\"");
  expect_field("x\r", "\"x\r\"");
  expect_field("x\r\ny", "\"x\r\ny\"");
  expect_field(" lead", "\" lead\"");
  expect_field("trail ", "\"trail \"");
  expect_field("\tx", "\"\tx\"");
  expect_field(" ", "\" \"");
}

/* What out_csv_field writes, csv_read reads back unchanged. */
static void test_csv_field_round_trip(void **state) {
  (void)state;
  const char *vals[] = {"id", "note", "x", "1", "a,b", " pad ", "2", "say \"hi\"", "multi\nline",
                        "3", "", "\r\n"};
  char path[512];
  snprintf(path, sizeof path, "%s/rt.csv", g_dir);
  char err[512];
  out_file *f = out_open(path, err, sizeof err);
  assert_non_null(f);
  for (size_t i = 0; i < 12; i++) {
    out_csv_field(out_stream(f), vals[i]);
    fputs(i % 2 ? "\n" : ",", out_stream(f));
  }
  assert_int_equal(out_commit(f, err, sizeof err), 0);
  csv_table *t = csv_read(path, err, sizeof err);
  if (t == NULL) fail_msg("%s", err);
  assert_int_equal(t->ncols, 2);
  assert_int_equal(t->nrows, 5);
  for (size_t r = 0; r < 5; r++)
    for (size_t c = 0; c < 2; c++) assert_string_equal(csv_cell(t, r, c), vals[2 + r * 2 + c]);
  csv_free(t);
  unlink(path);
}

/* ------------------------------------------------------------ atomic files */

static void test_commit_writes_atomically(void **state) {
  (void)state;
  char dir[512], path[600], name[256], err[512] = "";
  subdir("commit", dir, sizeof dir);
  snprintf(path, sizeof path, "%s/res.csv", dir);

  out_file *f = out_open(path, err, sizeof err);
  if (f == NULL) fail_msg("%s", err);
  fputs("id,score\n1,4.8\n", out_stream(f));
  /* Before commit only the hidden temp file exists, next to the target. */
  assert_null(slurp(path));
  assert_int_equal(count_entries(dir, name, sizeof name), 1);
  assert_int_equal(strncmp(name, ".res.csv.", 9), 0);
  assert_int_equal(strlen(name), strlen(".res.csv.XXXXXX"));

  assert_int_equal(out_commit(f, err, sizeof err), 0);
  assert_string_equal(err, "");
  assert_string_equal(slurp(path), "id,score\n1,4.8\n");
  assert_int_equal(count_entries(dir, name, sizeof name), 1);
  assert_string_equal(name, "res.csv");
  struct stat st;
  assert_int_equal(stat(path, &st), 0);
  assert_int_equal(st.st_mode & 07777, 0644);
  rm_subdir(dir);
}

static void test_abort_leaves_nothing(void **state) {
  (void)state;
  char dir[512], path[600], err[512];
  subdir("abort", dir, sizeof dir);
  snprintf(path, sizeof path, "%s/res.csv", dir);
  out_file *f = out_open(path, err, sizeof err);
  assert_non_null(f);
  fputs("half a fi", out_stream(f));
  out_abort(f);
  assert_null(slurp(path));
  assert_int_equal(count_entries(dir, NULL, 0), 0);
  out_abort(NULL);
  rm_subdir(dir);
}

static void test_abort_keeps_existing_target(void **state) {
  (void)state;
  char dir[512], path[600], err[512];
  subdir("keep", dir, sizeof dir);
  snprintf(path, sizeof path, "%s/res.csv", dir);
  write_file(path, "old content\n");

  out_file *f = out_open(path, err, sizeof err);
  assert_non_null(f);
  fputs("new content\n", out_stream(f));
  fflush(out_stream(f));
  assert_string_equal(slurp(path), "old content\n"); /* untouched while writing */
  out_abort(f);
  assert_string_equal(slurp(path), "old content\n");
  assert_int_equal(count_entries(dir, NULL, 0), 1);

  /* ... and a committed write replaces it. */
  f = out_open(path, err, sizeof err);
  assert_non_null(f);
  fputs("new content\n", out_stream(f));
  assert_int_equal(out_commit(f, err, sizeof err), 0);
  assert_string_equal(slurp(path), "new content\n");
  assert_int_equal(count_entries(dir, NULL, 0), 1);
  rm_subdir(dir);
}

static void test_relative_path(void **state) {
  (void)state;
  char dir[512], cwd[1024], err[512];
  subdir("rel", dir, sizeof dir);
  assert_non_null(getcwd(cwd, sizeof cwd));
  assert_int_equal(chdir(dir), 0);
  out_file *f = out_open("out.csv", err, sizeof err);
  assert_non_null(f);
  fputs("x\n", out_stream(f));
  int rc = out_commit(f, err, sizeof err);
  assert_int_equal(chdir(cwd), 0);
  assert_int_equal(rc, 0);
  char path[600];
  snprintf(path, sizeof path, "%s/out.csv", dir);
  assert_string_equal(slurp(path), "x\n");
  assert_int_equal(count_entries(dir, NULL, 0), 1);
  rm_subdir(dir);
}

static void test_open_errors(void **state) {
  (void)state;
  char path[600], want[1200], err[512];
  snprintf(path, sizeof path, "%s/no/such/dir/x.csv", g_dir);
  assert_null(out_open(path, err, sizeof err));
  snprintf(want, sizeof want,
           "%s: cannot create a temporary file in %s/no/such/dir: No such file or directory", path,
           g_dir);
  assert_string_equal(err, want);

  snprintf(path, sizeof path, "%s/", g_dir);
  assert_null(out_open(path, err, sizeof err));
  snprintf(want, sizeof want, "%s: is a directory, not an output file name", path);
  assert_string_equal(err, want);

  assert_null(out_open("..", NULL, 0)); /* no message wanted: must not crash */
}

static void test_commit_error_removes_temp(void **state) {
  (void)state;
  char dir[512], path[600], want[1200], err[512];
  subdir("fail", dir, sizeof dir);
  snprintf(path, sizeof path, "%s/target", dir);
  out_file *f = out_open(path, err, sizeof err);
  assert_non_null(f);
  fputs("data\n", out_stream(f));
  /* A directory appears while writing: a file cannot be renamed over it. */
  assert_int_equal(mkdir(path, 0755), 0);
  assert_int_not_equal(out_commit(f, err, sizeof err), 0);
  snprintf(want, sizeof want, "%s: cannot replace the file: Is a directory", path);
  assert_string_equal(err, want);
  assert_int_equal(count_entries(dir, NULL, 0), 1); /* just the directory */
  rm_subdir(dir);
}

/* Replacing a file keeps its permission bits; a new file gets 0644. */
static void test_keeps_mode(void **state) {
  (void)state;
  char dir[512], path[600], err[512];
  subdir("mode", dir, sizeof dir);
  snprintf(path, sizeof path, "%s/res.csv", dir);
  write_file(path, "old\n");
  assert_int_equal(chmod(path, 0640), 0);
  out_file *f = out_open(path, err, sizeof err);
  if (f == NULL) fail_msg("%s", err);
  fputs("new\n", out_stream(f));
  assert_int_equal(out_commit(f, err, sizeof err), 0);
  assert_string_equal(slurp(path), "new\n");
  struct stat st;
  assert_int_equal(stat(path, &st), 0);
  assert_int_equal(st.st_mode & 07777, 0640);

  /* Only the permission bits: never set-id bits on a file we now own. */
  assert_int_equal(chmod(path, 04755), 0);
  f = out_open(path, err, sizeof err);
  assert_non_null(f);
  assert_int_equal(out_commit(f, err, sizeof err), 0);
  assert_int_equal(stat(path, &st), 0);
  assert_int_equal(st.st_mode & 07777, 0755);
  rm_subdir(dir);
}

static int is_link_to(const char *link, const char *want) {
  char buf[600];
  ssize_t n = readlink(link, buf, sizeof buf - 1);
  if (n < 0) return 0;
  buf[n] = '\0';
  return strcmp(buf, want) == 0;
}

/* -o LINK writes the link's target (atomically, beside the target); the
   link stays a link. */
static void test_symlink_existing(void **state) {
  (void)state;
  char dir[512], sub[600], target[700], link[600], chain[600], name[256], err[512];
  subdir("sym", dir, sizeof dir);
  snprintf(sub, sizeof sub, "%s/real", dir);
  assert_int_equal(mkdir(sub, 0755), 0);
  snprintf(target, sizeof target, "%s/res.csv", sub);
  write_file(target, "old\n");
  assert_int_equal(chmod(target, 0600), 0);
  snprintf(link, sizeof link, "%s/link.csv", dir);
  assert_int_equal(symlink("real/res.csv", link), 0); /* relative to the link's folder */

  out_file *f = out_open(link, err, sizeof err);
  if (f == NULL) fail_msg("%s", err);
  fputs("new\n", out_stream(f));
  /* The temp file is beside the target, not beside the link. */
  assert_int_equal(count_entries(sub, NULL, 0), 2);
  assert_int_equal(count_entries(dir, NULL, 0), 2); /* real/ and link.csv */
  assert_int_equal(out_commit(f, err, sizeof err), 0);
  assert_string_equal(err, "");

  struct stat st;
  assert_int_equal(lstat(link, &st), 0);
  assert_true(S_ISLNK(st.st_mode));
  assert_true(is_link_to(link, "real/res.csv"));
  assert_string_equal(slurp(target), "new\n");
  assert_int_equal(stat(target, &st), 0);
  assert_int_equal(st.st_mode & 07777, 0600);
  assert_int_equal(count_entries(sub, name, sizeof name), 1);
  assert_string_equal(name, "res.csv");

  /* A chain of links, the last one absolute, is followed to its end. */
  snprintf(chain, sizeof chain, "%s/chain.csv", dir);
  assert_int_equal(symlink(link, chain), 0);
  f = out_open(chain, err, sizeof err);
  if (f == NULL) fail_msg("%s", err);
  fputs("newer\n", out_stream(f));
  assert_int_equal(out_commit(f, err, sizeof err), 0);
  assert_string_equal(slurp(target), "newer\n");
  assert_true(is_link_to(chain, link));
  assert_true(is_link_to(link, "real/res.csv"));

  /* An aborted write through a link leaves both as they were. */
  f = out_open(link, err, sizeof err);
  assert_non_null(f);
  fputs("lost\n", out_stream(f));
  out_abort(f);
  assert_string_equal(slurp(target), "newer\n");
  assert_int_equal(count_entries(sub, NULL, 0), 1);
  assert_int_equal(count_entries(dir, NULL, 0), 3);

  assert_int_equal(unlink(target), 0);
  assert_int_equal(rmdir(sub), 0);
  rm_subdir(dir);
}

/* A dangling link whose target's folder exists: the target is created. */
static void test_symlink_dangling(void **state) {
  (void)state;
  char dir[512], target[600], link[600], loop[600], want[1400], err[1024];
  subdir("dangle", dir, sizeof dir);
  snprintf(target, sizeof target, "%s/made.csv", dir);
  snprintf(link, sizeof link, "%s/link.csv", dir);
  assert_int_equal(symlink(target, link), 0);

  out_file *f = out_open(link, err, sizeof err);
  if (f == NULL) fail_msg("%s", err);
  fputs("made\n", out_stream(f));
  assert_int_equal(out_commit(f, err, sizeof err), 0);
  struct stat st;
  assert_int_equal(lstat(link, &st), 0);
  assert_true(S_ISLNK(st.st_mode));
  assert_string_equal(slurp(target), "made\n");
  assert_int_equal(lstat(target, &st), 0);
  assert_true(S_ISREG(st.st_mode));
  assert_int_equal(st.st_mode & 07777, 0644);
  assert_int_equal(count_entries(dir, NULL, 0), 2);
  assert_int_equal(unlink(target), 0);

  /* Dangling into a missing folder: refused at open, naming the link. */
  char far[600];
  snprintf(far, sizeof far, "%s/no/such/dir/x.csv", dir);
  assert_int_equal(unlink(link), 0);
  assert_int_equal(symlink(far, link), 0);
  assert_null(out_open(link, err, sizeof err));
  snprintf(want, sizeof want, "%s: cannot create a temporary file in %s/no/such/dir: No such file or directory",
           link, dir);
  assert_string_equal(err, want);

  /* A loop of links: refused at open. */
  snprintf(loop, sizeof loop, "%s/loop", dir);
  assert_int_equal(symlink("loop", loop), 0);
  assert_null(out_open(loop, err, sizeof err));
  snprintf(want, sizeof want, "%s: Too many levels of symbolic links", loop);
  assert_string_equal(err, want);
  assert_int_equal(count_entries(dir, NULL, 0), 2);
  rm_subdir(dir);
}

/* 0 if the whole of FD reads as N bytes of the pattern byte i = 'a' + i % 23. */
static int read_pattern(int fd, size_t n) {
  char buf[8192];
  size_t at = 0;
  for (;;) {
    ssize_t k = read(fd, buf, sizeof buf);
    if (k < 0 && errno == EINTR) continue;
    if (k < 0) return 1;
    if (k == 0) break;
    for (ssize_t i = 0; i < k; i++, at++)
      if (buf[i] != (char)('a' + at % 23)) return 1;
  }
  return at == n ? 0 : 1;
}

static void write_pattern(FILE *fp, size_t n) {
  for (size_t i = 0; i < n; i++) putc('a' + (int)(i % 23), fp);
}

/* A FIFO is written, not replaced: all of it, and only at commit. The
   output is larger than a pipe's buffer, so the writes must go on while a
   forked reader drains it. */
static void test_fifo(void **state) {
  (void)state;
  enum { N = 300000 };
  char dir[512], fifo[600], err[512];
  subdir("fifo", dir, sizeof dir);
  snprintf(fifo, sizeof fifo, "%s/pipe", dir);
  assert_int_equal(mkfifo(fifo, 0600), 0);

  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) { /* the reader */
    int fd = open(fifo, O_RDONLY);
    _exit(fd < 0 ? 2 : read_pattern(fd, N));
  }
  out_file *f = out_open(fifo, err, sizeof err);
  int rc = -1;
  if (f != NULL) {
    write_pattern(out_stream(f), N);
    rc = out_commit(f, err, sizeof err);
  }
  struct stat st;
  int still_fifo = lstat(fifo, &st) == 0 && S_ISFIFO(st.st_mode);
  if (rc != 0 || !still_fifo) kill(pid, SIGKILL); /* it would wait for a writer forever */
  int status = 0;
  assert_int_equal(waitpid(pid, &status, 0), pid);
  if (f == NULL || rc != 0) fail_msg("%s", err);
  assert_true(still_fifo);
  assert_true(WIFEXITED(status));
  assert_int_equal(WEXITSTATUS(status), 0);
  assert_int_equal(count_entries(dir, NULL, 0), 1); /* no temp file */

  /* Aborted: the FIFO is never opened for writing, so nothing reaches a
     reader (whose read sees no writer: end of file, no data). */
  int rd = open(fifo, O_RDONLY | O_NONBLOCK);
  assert_true(rd >= 0);
  f = out_open(fifo, err, sizeof err);
  assert_non_null(f);
  fputs("never\n", out_stream(f));
  fflush(out_stream(f));
  char buf[16];
  assert_int_equal(read(rd, buf, sizeof buf), 0);
  out_abort(f);
  assert_int_equal(read(rd, buf, sizeof buf), 0);
  close(rd);
  assert_int_equal(lstat(fifo, &st), 0);
  assert_true(S_ISFIFO(st.st_mode));
  assert_int_equal(count_entries(dir, NULL, 0), 1);
  rm_subdir(dir);
}

/* Writes "x\n" to the character device DEV (a null or a full one): a null
   one takes it, a full one fails with "DEV: ... No space left on device".
   Either way DEV stays the same device and no temp file is left in DIR. */
static void check_device(const char *dev, const char *dir, int full) {
  char err[1024], want[1200];
  struct stat before, after;
  assert_int_equal(stat(dev, &before), 0);
  assert_true(S_ISCHR(before.st_mode));
  int nbefore = count_entries(dir, NULL, 0);

  out_file *f = out_open(dev, err, sizeof err);
  if (f == NULL) fail_msg("%s", err);
  fputs("x\n", out_stream(f));
  int rc = out_commit(f, err, sizeof err);
  if (full) {
    assert_int_not_equal(rc, 0);
    snprintf(want, sizeof want, "%s: write failed: %s", dev, strerror(ENOSPC));
    assert_string_equal(err, want);
  } else {
    if (rc != 0) fail_msg("%s", err);
  }
  assert_int_equal(lstat(dev, &after), 0);
  assert_true(S_ISCHR(after.st_mode));
  assert_int_equal(after.st_rdev, before.st_rdev);
  assert_int_equal(after.st_ino, before.st_ino);

  f = out_open(dev, err, sizeof err); /* aborted: not even opened */
  assert_non_null(f);
  fputs("x\n", out_stream(f));
  out_abort(f);
  assert_int_equal(count_entries(dir, NULL, 0), nbefore);
}

/* Set once private copies of /dev/null and /dev/full survived being
   written: only then are the real ones used. As root a regression would
   otherwise replace the real device nodes with regular files. */
static int g_devices_safe = -1; /* -1 unknown, 0 no, 1 yes */

/* Private device nodes (mknod needs root): checked like the real ones. */
static void test_device_copies(void **state) {
  (void)state;
  char dir[512], null_dev[600], full_dev[600];
  subdir("dev", dir, sizeof dir);
  snprintf(null_dev, sizeof null_dev, "%s/null", dir);
  snprintf(full_dev, sizeof full_dev, "%s/full", dir);
  if (mknod(null_dev, S_IFCHR | 0666, makedev(1, 3)) != 0 ||
      mknod(full_dev, S_IFCHR | 0666, makedev(1, 7)) != 0) {
    rm_subdir(dir);
    skip(); /* no CAP_MKNOD: not root, or a restricted container */
  }
  g_devices_safe = 0;
  check_device(null_dev, dir, 0);
  check_device(full_dev, dir, 1);
  g_devices_safe = 1;
  rm_subdir(dir);
}

/* The real devices, when they can be written and it is safe to try. */
static void real_device(const char *dev, int full) {
  if (g_devices_safe == 0 || (g_devices_safe < 0 && geteuid() == 0)) skip();
  int fd = open(dev, O_WRONLY);
  if (fd < 0) skip();
  close(fd);
  check_device(dev, "/dev", full);
}

static void test_dev_null(void **state) {
  (void)state;
  real_device("/dev/null", 0);
}

static void test_dev_full(void **state) {
  (void)state;
  real_device("/dev/full", 1);
}

static void test_directory(void **state) {
  (void)state;
  char dir[512], path[600], link[600], want[1400], err[1024];
  subdir("isdir", dir, sizeof dir);
  snprintf(path, sizeof path, "%s/out", dir);
  assert_int_equal(mkdir(path, 0755), 0);
  assert_null(out_open(path, err, sizeof err));
  snprintf(want, sizeof want, "%s: is a directory", path);
  assert_string_equal(err, want);

  snprintf(link, sizeof link, "%s/link", dir);
  assert_int_equal(symlink("out", link), 0);
  assert_null(out_open(link, err, sizeof err));
  snprintf(want, sizeof want, "%s: is a directory", link);
  assert_string_equal(err, want);
  assert_int_equal(count_entries(dir, NULL, 0), 2);
  assert_int_equal(count_entries(path, NULL, 0), 0);
  assert_int_equal(rmdir(path), 0);
  rm_subdir(dir);
}

static void test_read_only_folder(void **state) {
  (void)state;
  if (geteuid() == 0) skip(); /* root writes into any folder: nothing to test */
  char dir[512], path[600], want[1400], err[1024];
  subdir("ro", dir, sizeof dir);
  snprintf(path, sizeof path, "%s/res.csv", dir);
  assert_int_equal(chmod(dir, 0555), 0);
  out_file *f = out_open(path, err, sizeof err);
  assert_int_equal(chmod(dir, 0755), 0);
  assert_null(f);
  snprintf(want, sizeof want, "%s: cannot create a temporary file in %s: Permission denied", path, dir);
  assert_string_equal(err, want);
  assert_int_equal(count_entries(dir, NULL, 0), 0);
  rm_subdir(dir);
}

/* Points file descriptor 1 at PATH (or back at SAVED when PATH is NULL). */
static void point_stdout(const char *path, int *saved) {
  fflush(stdout);
  if (path == NULL) {
    dup2(*saved, STDOUT_FILENO);
    close(*saved);
    clearerr(stdout);
    return;
  }
  *saved = dup(STDOUT_FILENO);
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0 || *saved < 0) fail_msg("cannot redirect stdout to %s", path);
  dup2(fd, STDOUT_FILENO);
  close(fd);
}

/* stdout gets nothing until commit, and nothing at all on abort. */
static void test_stdout(void **state) {
  (void)state;
  char dir[512], path[600], err[256] = "x";
  subdir("stdout", dir, sizeof dir);
  snprintf(path, sizeof path, "%s/captured", dir);
  int saved;
  point_stdout(path, &saved);
  /* No assertions while stdout is redirected: cmocka reports there. */
  out_file *f = out_open(NULL, err, sizeof err);
  int open1 = f != NULL;
  if (f) fputs("first\n", out_stream(f));
  if (f) fflush(out_stream(f));
  fflush(stdout);
  char before[4096];
  snprintf(before, sizeof before, "%s", slurp(path) ? slurp(path) : "(none)");
  int rc = f ? out_commit(f, err, sizeof err) : -1;
  char after[4096];
  snprintf(after, sizeof after, "%s", slurp(path) ? slurp(path) : "(none)");

  f = out_open("-", err, sizeof err);
  int open2 = f != NULL;
  if (f) fputs("aborted\n", out_stream(f));
  out_abort(f);
  fflush(stdout);
  char aborted[4096];
  snprintf(aborted, sizeof aborted, "%s", slurp(path) ? slurp(path) : "(none)");
  point_stdout(NULL, &saved);

  assert_true(open1);
  assert_string_equal(before, "");
  assert_int_equal(rc, 0);
  assert_string_equal(err, "");
  assert_string_equal(after, "first\n");
  assert_true(open2);
  assert_string_equal(aborted, "first\n");
  assert_int_equal(fflush(stdout), 0); /* stdout is still usable afterwards */
  rm_subdir(dir);
}

/* A failed write of stdout (>/dev/full) is an error, reported at commit. */
static void test_stdout_full(void **state) {
  (void)state;
  int fd = open("/dev/full", O_WRONLY);
  if (fd < 0) skip();
  close(fd);
  char err[256] = "", want[256];
  int saved;
  point_stdout("/dev/full", &saved);
  out_file *f = out_open(NULL, err, sizeof err);
  int opened = f != NULL;
  if (f) fputs("lost\n", out_stream(f));
  int rc = f ? out_commit(f, err, sizeof err) : 0;
  point_stdout(NULL, &saved);
  assert_true(opened);
  assert_int_not_equal(rc, 0);
  snprintf(want, sizeof want, "stdout: write failed: %s", strerror(ENOSPC));
  assert_string_equal(err, want);
}

/* ------------------------------------------------------------ number text */

/* The oracle: fixed_format as it was before it was made fast, a digit at a
   time by 128-bit division, kept verbatim (but for its name) so the fast one
   is held to the very same bytes. */
static size_t oracle_format(rb_fixed v, int decimals, char *buf, size_t len) {
  if (!fixed_is_number(v)) { /* an empty cell or a failed score: no text */
    if (len) buf[0] = 0;
    return 0;
  }
  if (decimals >= 0) v = fixed_round(v, decimals);
  bool neg = v < 0;
  unsigned __int128 m = neg ? (unsigned __int128)(-v) : (unsigned __int128)v;
  char digits[48];
  int n = 0;
  do {
    digits[n++] = (char)('0' + (int)(m % 10));
    m /= 10;
  } while (m);
  while (n <= FIXED_DECIMALS) digits[n++] = '0'; /* at least one digit before the point */
  int frac = FIXED_DECIMALS, skip = 0;
  while (frac > 0 && digits[skip] == '0') skip++, frac--; /* trailing zeros of the fraction */
  char text[64];
  size_t o = 0;
  bool zero = true;
  for (int i = n - 1; i >= skip; i--) zero &= digits[i] == '0';
  if (neg && !zero) text[o++] = '-';
  for (int i = n - 1; i >= FIXED_DECIMALS; i--) text[o++] = digits[i];
  if (frac > 0) {
    text[o++] = '.';
    for (int i = FIXED_DECIMALS - 1; i >= skip; i--) text[o++] = digits[i];
  }
  text[o] = 0;
  if (len) snprintf(buf, len, "%s", text);
  return o;
}

static uint64_t g_rng = 0x9E3779B97F4A7C15ull;

static uint64_t rnd(void) { /* xorshift64*: reproducible, no libc state */
  g_rng ^= g_rng >> 12;
  g_rng ^= g_rng << 25;
  g_rng ^= g_rng >> 27;
  return g_rng * 0x2545F4914F6CDD1Dull;
}

static rb_fixed pow10_fixed(int k) {
  rb_fixed p = 1;
  while (k-- > 0) p *= 10;
  return p;
}

/* V formatted both ways, with DECIMALS, into buffers of LEN bytes. */
static void expect_same_text(rb_fixed v, int decimals, size_t len) {
  char got[64], want[64];
  memset(got, 'x', sizeof got);
  memset(want, 'x', sizeof want);
  size_t ng = fixed_format(v, decimals, got, len), nw = oracle_format(v, decimals, want, len);
  if (ng != nw || memcmp(got, want, sizeof got) != 0) {
    char full[64];
    oracle_format(v, decimals, full, sizeof full);
    fail_msg("fixed_format(%s, %d, len %zu): got %zu [%.*s], want %zu [%.*s]", full, decimals, len, ng,
             (int)(len < 64 ? len : 64), got, nw, (int)(len < 64 ? len : 64), want);
  }
}

/* A value of one of the shapes scores take, or that test the edges. */
static rb_fixed random_value(void) {
  rb_fixed v;
  switch (rnd() % 8) {
  case 0: /* anywhere in the range */
    v = (rb_fixed)((((unsigned __int128)rnd() << 64) | rnd()) % (unsigned __int128)FIXED_MAX);
    break;
  case 1: /* under 2^64 counts: |v| < 18.45, the short path */
    v = (rb_fixed)(rnd() >> (rnd() % 64));
    break;
  case 2: /* a score: a few digits and a few decimals */
    v = (rb_fixed)(rnd() % 1000000) * pow10_fixed(12 + (int)(rnd() % 7));
    break;
  case 3: /* around 2^64 counts, where the paths meet */
    v = (rb_fixed)(((unsigned __int128)1 << 64) + (rb_fixed)(rnd() % 2001) - 1000);
    break;
  case 4: { /* a tie or next to one, for rounding to some decimals */
    rb_fixed unit = pow10_fixed(1 + (int)(rnd() % 18));
    v = (rb_fixed)(rnd() % 100000000) * unit + unit / 2 + (rb_fixed)(rnd() % 3) - 1;
    break;
  }
  case 5: /* next to a whole number */
    v = (rb_fixed)(rnd() % 100000) * FIXED_ONE + (rb_fixed)(rnd() % 5) - 2;
    break;
  case 6: /* next to the largest number: rounding may reach 10^20 */
    v = FIXED_MAX - (rb_fixed)(rnd() >> (rnd() % 64));
    break;
  default: /* a run of nines: carries all the way up */
    v = pow10_fixed((int)(rnd() % 38) + 1) - 1 - (rb_fixed)(rnd() % 3);
    break;
  }
  return rnd() % 2 ? -v : v;
}

static void test_number_text_pinned(void **state) {
  (void)state;
  char b[64];
  struct {
    rb_fixed v;
    int decimals;
    const char *want;
  } cases[] = {
      {0, -1, "0"},
      {1, -1, "0.000000000000000001"},
      {-1, -1, "-0.000000000000000001"},
      {-1, 6, "0"}, /* never "-0" */
      {-FIXED_ONE / 2, 0, "-1"},
      {FIXED_ONE / 2 - 1, 0, "0"},
      {89 * FIXED_ONE + FIXED_ONE / 10, -1, "89.1"},
      {48 * FIXED_ONE / 10 + 49 * FIXED_ONE / 1000, 1, "4.8"},
      {100 * FIXED_ONE, -1, "100"},
      {FIXED_MAX, -1, "99999999999999999999.999999999999999999"},
      {-FIXED_MAX, -1, "-99999999999999999999.999999999999999999"},
      {FIXED_MAX, 3, "100000000000000000000"}, /* rounded past the range: as before */
      {-FIXED_MAX, 0, "-100000000000000000000"},
      {FIXED_MAX, 18, "99999999999999999999.999999999999999999"},
      {FIXED_MAX, 40, "99999999999999999999.999999999999999999"},
      {(rb_fixed)1 << 64, -1, "18.446744073709551616"},
      {((rb_fixed)1 << 64) - 1, -1, "18.446744073709551615"},
      {FIXED_ONE * 10000000000000000000ull, -1, "10000000000000000000"},
      {12345 * FIXED_ONE / 10000, 2, "1.23"},
      {12355 * FIXED_ONE / 10000, 3, "1.236"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    size_t n = fixed_format(cases[i].v, cases[i].decimals, b, sizeof b);
    assert_string_equal(b, cases[i].want);
    assert_int_equal(n, strlen(cases[i].want));
  }
  /* What is not a number has no text. */
  rb_fixed none[] = {FIXED_EMPTY, FIXED_ERROR, fixed_error(41), FIXED_MAX + 1, -FIXED_MAX - 1};
  for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
    strcpy(b, "junk");
    assert_int_equal(fixed_format(none[i], -1, b, sizeof b), 0);
    assert_string_equal(b, "");
  }
}

/* Millions of values of every shape, every decimals setting and short
   buffers: the same bytes and length as the oracle. */
static void test_number_text_matches_oracle(void **state) {
  (void)state;
  static const size_t lens[] = {0, 1, 2, 7, 21, 40, 47, 48, 64};
  for (long i = 0; i < 3000000; i++) {
    rb_fixed v = random_value();
    int decimals = (int)(rnd() % 22) - 2; /* -2 .. 19: exact, each rounding, beyond 18 */
    expect_same_text(v, decimals, 64);
    if (i % 16 == 0) expect_same_text(v, decimals, lens[rnd() % (sizeof lens / sizeof lens[0])]);
  }
  for (int k = 0; k <= 38; k++) /* every power of ten, and next to it */
    for (int d = -1; d <= 18; d++)
      for (int delta = -1; delta <= 1; delta++) {
        rb_fixed v = pow10_fixed(k) + delta;
        if (!fixed_is_number(v)) continue;
        expect_same_text(v, d, 64);
        expect_same_text(-v, d, 64);
      }
}

/* ----------------------------------------------------------- block buffer */

/* What B wrote to its memory stream, after closing both. */
static char *finish(out_buf *b, FILE *fp, char **mem, size_t *n) {
  out_buf_close(b);
  assert_int_equal(fclose(fp), 0);
  (void)n;
  return *mem;
}

static void test_out_buf(void **state) {
  (void)state;
  /* Numbers, integers and text, through a block and through a 64-byte one
     (the fallback without memory): the bytes stdio would have written. */
  char *want = NULL, *got = NULL, *small = NULL;
  size_t nwant = 0, ngot = 0, nsmall = 0;
  FILE *fw = open_memstream(&want, &nwant), *fg = open_memstream(&got, &ngot), *fs = open_memstream(&small, &nsmall);
  assert_true(fw && fg && fs);
  out_buf bg, bs;
  char fallback[OUT_BUF_ROOM];
  out_buf_open(&bg, fg, fallback, sizeof fallback);
  bs = (out_buf){.data = fallback, .cap = sizeof fallback, .fp = fs};
  int ints[] = {0, 1, -1, 9, 10, -10, 99, 100, 2147483647, -2147483647 - 1, 123456789};
  for (int i = 0; i < 200000; i++) {
    rb_fixed v = random_value();
    int d = (int)(rnd() % 8) - 1, k = ints[i % 11];
    char text[64];
    fixed_format(v, d, text, sizeof text);
    fprintf(fw, "%s,%d;", text, k);
    out_buf *bufs[] = {&bg, &bs};
    for (int j = 0; j < 2; j++) {
      out_buf_fixed(bufs[j], v, d);
      out_buf_putc(bufs[j], ',');
      out_buf_int(bufs[j], k);
      out_buf_put(bufs[j], ";", 1);
    }
  }
  /* A piece longer than a block goes straight out, in its place. */
  size_t huge = OUT_BUF_BLOCK * 2 + 3;
  char *big = malloc(huge + 1);
  assert_non_null(big);
  for (size_t i = 0; i < huge; i++) big[i] = (char)('a' + i % 26);
  big[huge] = 0;
  fputs(big, fw);
  fputs("end\n", fw);
  out_buf_puts(&bg, big);
  out_buf_puts(&bg, "end\n");
  out_buf_puts(&bs, big);
  out_buf_puts(&bs, "end\n");
  free(big);
  assert_int_equal(fclose(fw), 0);
  out_buf_flush(&bs);
  assert_int_equal(fclose(fs), 0);
  finish(&bg, fg, &got, &ngot);
  assert_int_equal(ngot, nwant);
  assert_int_equal(nsmall, nwant);
  assert_memory_equal(got, want, nwant);
  assert_memory_equal(small, want, nwant);
  free(want);
  free(got);
  free(small);

  /* A memory buffer grows to hold everything. */
  out_buf m;
  out_buf_open_mem(&m, 1);
  for (int i = 0; i < 100000; i++) out_buf_int(&m, i);
  assert_false(m.lost);
  assert_int_equal(m.len, 488890);
  assert_memory_equal(m.data, "0123456789101112", 16);
  out_buf_clear(&m);
  assert_int_equal(m.len, 0);
  out_buf_free(&m);
}

/* ------------------------------------------------------- rows on threads */

/* Row R's text: its number, then a payload whose length varies with R;
   row 4000 is longer than a block. */
static void sample_rows(out_buf *b, const void *ctx, size_t from, size_t to) {
  (void)ctx;
  for (size_t r = from; r < to; r++) {
    out_buf_int(b, (int)r);
    out_buf_putc(b, ':');
    size_t len = r == 4000 ? OUT_BUF_BLOCK + 77 : (r * 7919) % 300;
    for (size_t i = 0; i < len; i++) out_buf_putc(b, (char)('A' + (r + i) % 26));
    out_buf_fixed(b, (rb_fixed)r * FIXED_ONE / 7, 4);
    out_buf_putc(b, '\n');
  }
}

/* The bytes of N rows written by out_rows with THREADS and CHUNK (0: the
   caller alone, by one call). Caller frees the result. */
static char *rows_text(size_t n, int threads, size_t chunk, size_t *len) {
  char *mem = NULL;
  FILE *fp = open_memstream(&mem, len);
  assert_non_null(fp);
  char fallback[OUT_BUF_ROOM];
  out_buf b;
  out_buf_open(&b, fp, fallback, sizeof fallback);
  out_buf_puts(&b, "header\n");
  if (chunk == 0) sample_rows(&b, NULL, 0, n);
  else out_rows(&b, sample_rows, NULL, n, chunk, threads);
  out_buf_puts(&b, "end\n");
  out_buf_close(&b);
  assert_int_equal(fclose(fp), 0);
  return mem;
}

/* The same bytes whatever the thread count and piece size. */
static void test_rows_any_threads(void **state) {
  (void)state;
  size_t sizes[] = {0, 1, 2, 5, 4001, 20000};
  int threads[] = {1, 2, 3, 8, 0};
  size_t chunks[] = {1, 3, 64, 1000, 100000};
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
    size_t nwant;
    char *want = rows_text(sizes[i], 1, 0, &nwant);
    for (size_t t = 0; t < sizeof threads / sizeof threads[0]; t++)
      for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
        if (sizes[i] > 5000 && chunks[c] == 1) continue; /* slow, and nothing new */
        size_t ngot;
        char *got = rows_text(sizes[i], threads[t], chunks[c], &ngot);
        if (ngot != nwant || memcmp(got, want, nwant) != 0)
          fail_msg("%zu rows, %d threads, pieces of %zu: %zu bytes differ from one thread's %zu", sizes[i], threads[t],
                   chunks[c], ngot, nwant);
        free(got);
      }
    free(want);
  }
  assert_int_equal(out_rows_chunk(0), OUT_BUF_BLOCK);
  assert_int_equal(out_rows_chunk(OUT_BUF_BLOCK * 2), 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_csv_field),
      cmocka_unit_test(test_csv_field_round_trip),
      cmocka_unit_test(test_commit_writes_atomically),
      cmocka_unit_test(test_abort_leaves_nothing),
      cmocka_unit_test(test_abort_keeps_existing_target),
      cmocka_unit_test(test_relative_path),
      cmocka_unit_test(test_open_errors),
      cmocka_unit_test(test_commit_error_removes_temp),
      cmocka_unit_test(test_keeps_mode),
      cmocka_unit_test(test_symlink_existing),
      cmocka_unit_test(test_symlink_dangling),
      cmocka_unit_test(test_fifo),
      cmocka_unit_test(test_device_copies), /* before the real devices: see g_devices_safe */
      cmocka_unit_test(test_dev_null),
      cmocka_unit_test(test_dev_full),
      cmocka_unit_test(test_directory),
      cmocka_unit_test(test_read_only_folder),
      cmocka_unit_test(test_stdout),
      cmocka_unit_test(test_stdout_full),
      cmocka_unit_test(test_number_text_pinned),
      cmocka_unit_test(test_number_text_matches_oracle),
      cmocka_unit_test(test_out_buf),
      cmocka_unit_test(test_rows_any_threads),
  };
  return cmocka_run_group_tests(tests, setup_dir, remove_dir);
}
