/*
** test_output.c — unit tests for runtime/output.c (with a csv.c round trip).
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
  };
  return cmocka_run_group_tests(tests, setup_dir, remove_dir);
}
