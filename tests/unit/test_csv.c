/*
** test_csv.c — unit tests for runtime/csv.c.
** Fixtures are written into a fresh mkdtemp directory under /tmp.
*/
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "scratch.h"

#include "csv.h"

static char g_dir[64];

static int setup_dir(void **state) {
  (void)state;
  strcpy(g_dir, "/tmp/rubric_test_csv_XXXXXX");
  return mkdtemp(g_dir) ? 0 : -1;
}

static int remove_dir(void **state) {
  (void)state;
  return scratch_remove(g_dir);
}

/* Writes LEN bytes to g_dir/NAME; returns the path in a static buffer. */
static const char *fixture_n(const char *name, const char *bytes, size_t len) {
  static char path[512];
  snprintf(path, sizeof path, "%s/%s", g_dir, name);
  FILE *fp = fopen(path, "wb");
  assert_non_null(fp);
  assert_int_equal(fwrite(bytes, 1, len, fp), len);
  assert_int_equal(fclose(fp), 0);
  return path;
}

static const char *fixture(const char *name, const char *text) {
  return fixture_n(name, text, strlen(text));
}

/* Reads PATH and returns the table, failing the test with the message if it fails. */
static csv_table *read_ok(const char *path) {
  char err[512] = "";
  csv_table *t = csv_read(path, err, sizeof err);
  if (t == NULL) fail_msg("csv_read failed: %s", err);
  return t;
}

/* Expects csv_read(PATH) to fail with exactly PATH followed by WANT_SUFFIX. */
static void expect_error(const char *path, const char *want_suffix) {
  char err[512] = "";
  char want[1024];
  csv_table *t = csv_read(path, err, sizeof err);
  if (t != NULL) {
    csv_free(t);
    fail_msg("csv_read(%s) succeeded, expected: %s", path, want_suffix);
  }
  snprintf(want, sizeof want, "%s%s", path, want_suffix);
  assert_string_equal(err, want);
}

static void test_basic(void **state) {
  (void)state;
  char path[512];
  snprintf(path, sizeof path, "%s", fixture("basic.csv", "id,name,score\n1,Ann,90\n2,Bob,85.5\n"));
  csv_table *t = read_ok(path);
  assert_int_equal(t->ncols, 3);
  assert_int_equal(t->nrows, 2);
  assert_string_equal(t->header[0], "id");
  assert_string_equal(t->header[1], "name");
  assert_string_equal(t->header[2], "score");
  assert_string_equal(csv_cell(t, 0, 0), "1");
  assert_string_equal(csv_cell(t, 0, 1), "Ann");
  assert_string_equal(csv_cell(t, 1, 1), "Bob");
  assert_string_equal(csv_cell(t, 1, 2), "85.5");
  assert_string_equal(t->cells[1 * 3 + 2], "85.5");
  assert_int_equal(t->line[0], 2);
  assert_int_equal(t->line[1], 3);
  assert_int_equal(csv_column(t, "id"), 0);
  assert_int_equal(csv_column(t, "score"), 2);
  assert_int_equal(csv_column(t, "Score"), -1);
  assert_int_equal(csv_column(t, ""), -1);
  assert_string_equal(t->path, path); /* an owned copy of the path as given */
  assert_ptr_not_equal(t->path, path);
  csv_free(t);
}

static void test_header_trimmed_cells_not(void **state) {
  (void)state;
  csv_table *t = read_ok(fixture("trim.csv", "  id , name\t\n 1 ,\tAnn \n"));
  assert_string_equal(t->header[0], "id");
  assert_string_equal(t->header[1], "name");
  assert_string_equal(csv_cell(t, 0, 0), " 1 ");
  assert_string_equal(csv_cell(t, 0, 1), "\tAnn ");
  assert_int_equal(csv_column(t, "name"), 1);
  csv_free(t);
}

static void test_crlf_and_multiline_quotes(void **state) {
  (void)state;
  const char *text =
      "id,note\r\n"                          /* line 1 */
      "1,\"line one\r\nline two\"\r\n"       /* lines 2-3 */
      "2,\"say \"\"hi\"\", ok\"\r\n"         /* line 4 */
      "\r\n"                                 /* line 5: empty, skipped */
      "3,plain\r\n"                          /* line 6 */
      "\"4\",\"a\nb\nc\"\r\n"                /* lines 7-9, LF inside quotes */
      "5,\"\"\r\n";                          /* line 10 */
  csv_table *t = read_ok(fixture("crlf.csv", text));
  assert_int_equal(t->ncols, 2);
  assert_int_equal(t->nrows, 5);
  assert_string_equal(t->header[1], "note");
  assert_string_equal(csv_cell(t, 0, 1), "line one\r\nline two");
  assert_string_equal(csv_cell(t, 1, 1), "say \"hi\", ok");
  assert_string_equal(csv_cell(t, 2, 0), "3");
  assert_string_equal(csv_cell(t, 2, 1), "plain");
  assert_string_equal(csv_cell(t, 3, 0), "4");
  assert_string_equal(csv_cell(t, 3, 1), "a\nb\nc");
  assert_string_equal(csv_cell(t, 4, 1), "");
  assert_int_equal(t->line[0], 2);
  assert_int_equal(t->line[1], 4);
  assert_int_equal(t->line[2], 6);
  assert_int_equal(t->line[3], 7);
  assert_int_equal(t->line[4], 10);
  csv_free(t);
}

static void test_bom_and_no_final_newline(void **state) {
  (void)state;
  csv_table *t = read_ok(fixture("bom.csv", "\xEF\xBB\xBFid,x\r\n1,2"));
  assert_int_equal(t->ncols, 2);
  assert_string_equal(t->header[0], "id"); /* no BOM bytes left in the name */
  assert_int_equal(csv_column(t, "id"), 0);
  assert_int_equal(t->nrows, 1);
  assert_string_equal(csv_cell(t, 0, 1), "2");
  assert_int_equal(t->line[0], 2);
  csv_free(t);

  /* A BOM only at the very start is special; UTF-8 text elsewhere is data. */
  t = read_ok(fixture("utf8.csv", "名字,分数\n张三,90\n"));
  assert_string_equal(t->header[0], "名字");
  assert_string_equal(csv_cell(t, 0, 0), "张三");
  csv_free(t);
}

static void test_empty_lines_skipped_but_counted(void **state) {
  (void)state;
  csv_table *t = read_ok(fixture("blank.csv", "\n\r\nid,v\n\n1,a\n\n\n2,b\n\n"));
  assert_string_equal(t->header[0], "id");
  assert_int_equal(t->nrows, 2);
  assert_int_equal(t->line[0], 5);
  assert_int_equal(t->line[1], 8);
  assert_string_equal(csv_cell(t, 1, 1), "b");
  csv_free(t);
}

static void test_empty_fields(void **state) {
  (void)state;
  csv_table *t = read_ok(fixture("emptyf.csv", "a,b,c\n,,\n\"\",x,\n1,"
                                               "\"\",\"\""));
  assert_int_equal(t->nrows, 3);
  for (size_t c = 0; c < 3; c++) assert_string_equal(csv_cell(t, 0, c), "");
  assert_string_equal(csv_cell(t, 1, 0), "");
  assert_string_equal(csv_cell(t, 1, 1), "x");
  assert_string_equal(csv_cell(t, 1, 2), "");
  assert_string_equal(csv_cell(t, 2, 0), "1");
  assert_string_equal(csv_cell(t, 2, 2), "");
  csv_free(t);

  /* Trailing comma on the last line, no newline after it. */
  t = read_ok(fixture("trailing.csv", "a,b\n1,"));
  assert_int_equal(t->nrows, 1);
  assert_string_equal(csv_cell(t, 0, 0), "1");
  assert_string_equal(csv_cell(t, 0, 1), "");
  csv_free(t);
}

static void test_quoted_edge_cases(void **state) {
  (void)state;
  /* Quoted header names may hold commas; a quoted field may end the file. */
  csv_table *t = read_ok(fixture("q.csv", "\"a,b\",\"c\"\"d\"\n\"x\",\"\"\"\""));
  assert_string_equal(t->header[0], "a,b");
  assert_string_equal(t->header[1], "c\"d");
  assert_string_equal(csv_cell(t, 0, 0), "x");
  assert_string_equal(csv_cell(t, 0, 1), "\"");
  csv_free(t);

  /* A single-column row of "" is a row (an empty line would be skipped). */
  t = read_ok(fixture("one.csv", "v\n\"\"\n\n7\n"));
  assert_int_equal(t->nrows, 2);
  assert_string_equal(csv_cell(t, 0, 0), "");
  assert_string_equal(csv_cell(t, 1, 0), "7");
  assert_int_equal(t->line[1], 4);
  csv_free(t);

  /* A lone CR (not before LF) is data, not a line end. */
  t = read_ok(fixture("cr.csv", "a,b\n1\r2,3\r"));
  assert_int_equal(t->nrows, 1);
  assert_string_equal(csv_cell(t, 0, 0), "1\r2");
  assert_string_equal(csv_cell(t, 0, 1), "3");
  csv_free(t);
}

static void test_header_only(void **state) {
  (void)state;
  csv_table *t = read_ok(fixture("hdr.csv", "a,b\n"));
  assert_int_equal(t->ncols, 2);
  assert_int_equal(t->nrows, 0);
  csv_free(t);
  csv_free(NULL);
}

static void test_error_cannot_open(void **state) {
  (void)state;
  char path[512];
  snprintf(path, sizeof path, "%s/missing.csv", g_dir);
  expect_error(path, ": cannot open: No such file or directory");
  /* A directory opens but cannot be read. */
  expect_error(g_dir, ": cannot read: Is a directory");
}

static void test_error_empty(void **state) {
  (void)state;
  expect_error(fixture_n("zero.csv", "", 0), ": file is empty (expected a header row)");
  expect_error(fixture("bomonly.csv", "\xEF\xBB\xBF"), ": file is empty (expected a header row)");
  expect_error(fixture("blanks.csv", "\n\r\n\n"), ": file is empty (expected a header row)");
  expect_error(fixture("bomblank.csv", "\xEF\xBB\xBF\r\n"),
               ": file is empty (expected a header row)");
}

static void test_error_field_count(void **state) {
  (void)state;
  expect_error(fixture("count.csv", "a,b,c,d,e,f\n"
                                    "1,2,3,4,5,6\n"
                                    "\n"
                                    "1,2,3,4,5,6\n"
                                    "1,2,3,4,5,\"6\n"
                                    "six\"\n"
                                    "1,2,3,4,5\n"),
               ":7: row has 5 fields, the header has 6");
  expect_error(fixture("count2.csv", "a,b\n1,2,3\n"), ":2: row has 3 fields, the header has 2");
  expect_error(fixture("count3.csv", "a,b\n1\n"), ":2: row has 1 field, the header has 2");
  /* A line of spaces is not empty: it is one field. */
  expect_error(fixture("count4.csv", "a,b\n  \n"), ":2: row has 1 field, the header has 2");
}

static void test_error_unterminated(void **state) {
  (void)state;
  expect_error(fixture("unterm.csv", "id,v\n1,a\n2,a\n3,a\n4,a\n5,a\n6,a\n7,a\n8,a\n9,a\n10,a\n"
                                     "11,\"abc\nmore\n"),
               ":12: unterminated quoted field (the quote opens on line 12)");
  /* The row starts on line 2; its second quoted field opens on line 3. */
  expect_error(fixture("unterm2.csv", "a,b,c\n\"multi\nline\",2,\"open\nnever closed\n"),
               ":2: unterminated quoted field (the quote opens on line 3)");
  /* A lone quote at the very end of the file. */
  expect_error(fixture("unterm3.csv", "a\n\""),
               ":2: unterminated quoted field (the quote opens on line 2)");
  /* An escaped quote does not close the field. */
  expect_error(fixture("unterm4.csv", "a\n\"x\"\""),
               ":2: unterminated quoted field (the quote opens on line 2)");
}

static void test_error_stray_quote(void **state) {
  (void)state;
  expect_error(fixture("stray.csv", "id,name\n1,ab\"c\n"),
               ":2: stray quote in an unquoted field (column 'name'); "
               "quote the whole field and double any quote inside it");
  expect_error(fixture("stray2.csv", "id,na\"me\n"),
               ":1: stray quote in an unquoted field (field 2); "
               "quote the whole field and double any quote inside it");
  /* Beyond the header's width there is no column name to give. */
  expect_error(fixture("stray3.csv", "id\n1,x\"\n"),
               ":2: stray quote in an unquoted field (field 2); "
               "quote the whole field and double any quote inside it");
  /* Spaces before an opening quote make the field unquoted. */
  expect_error(fixture("stray4.csv", "id,name\n1, \"Ann\"\n"),
               ":2: stray quote in an unquoted field (column 'name'); "
               "quote the whole field and double any quote inside it");
  expect_error(fixture("after.csv", "id,name\n1,\"ab\"c\n"),
               ":2: unexpected text after the closing quote (column 'name'); "
               "a quoted field must end at a comma or the end of the line");
  expect_error(fixture("after2.csv", "id,name\n\"1\n\" ,x\n"),
               ":3: unexpected text after the closing quote (column 'id'); "
               "a quoted field must end at a comma or the end of the line");
}

static void test_error_header_names(void **state) {
  (void)state;
  expect_error(fixture("emptyh.csv", "id,,x\n1,2,3\n"),
               ":1: column 2 of the header has an empty name");
  expect_error(fixture("emptyh2.csv", "\n id ,  ,x\n"),
               ":2: column 2 of the header has an empty name");
  expect_error(fixture("emptyh3.csv", "a,\n"), ":1: column 2 of the header has an empty name");
  expect_error(fixture("dup.csv", "id,name,id\n1,2,3\n"), ":1: column 'id' appears twice");
  expect_error(fixture("dup2.csv", "\r\n id,x,\"id \"\r\n"), ":2: column 'id' appears twice");
  /* With two duplicates, the one completed first (left to right) is named. */
  expect_error(fixture("dup3.csv", "b,a,c,a,b\n"), ":1: column 'a' appears twice");
  /* Names are case-sensitive. */
  csv_table *t = read_ok(fixture("case.csv", "id,ID\n1,2\n"));
  assert_int_equal(csv_column(t, "ID"), 1);
  csv_free(t);
}

static void test_error_nul(void **state) {
  (void)state;
  expect_error(fixture_n("nul.csv", "id\n1\n2\0\n", 8),
               ":3: file contains a NUL byte (is it UTF-16 or binary?)");
  /* UTF-16LE with BOM: the NUL shows up on line 1. */
  expect_error(fixture_n("utf16.csv", "\xFF\xFEi\0d\0\n\0", 8),
               ":1: file contains a NUL byte (is it UTF-16 or binary?)");
}

static void test_error_buffer_handling(void **state) {
  (void)state;
  const char *path = fixture("dupx.csv", "id,id\n");
  assert_null(csv_read(path, NULL, 0)); /* no message wanted: must not crash */
  char small[8];
  memset(small, 'x', sizeof small);
  assert_null(csv_read(path, small, sizeof small));
  assert_int_equal(strlen(small), sizeof small - 1); /* truncated, terminated */
  char err[256] = "stale";
  csv_table *t = csv_read(fixture("fine.csv", "a\n1\n"), err, sizeof err);
  assert_non_null(t);
  assert_string_equal(err, ""); /* success clears the message */
  csv_free(t);
}

/* A new table NAME in the test folder, its path into PATH, with the
   header c0,c1,... of COLS columns ended by EOL written. */
static FILE *new_table(const char *name, int cols, const char *eol, char *path, size_t len) {
  snprintf(path, len, "%s/%s", g_dir, name);
  FILE *fp = fopen(path, "wb");
  assert_non_null(fp);
  for (int c = 0; c < cols; c++) fprintf(fp, "%sc%d", c ? "," : "", c);
  fputs(eol, fp);
  return fp;
}

static void test_large(void **state) {
  (void)state;
  enum { ROWS = 100000, COLS = 40 };
  char path[512];
  FILE *fp = new_table("large.csv", COLS, "\r\n", path, sizeof path);
  for (int r = 0; r < ROWS; r++) {
    for (int c = 0; c < COLS; c++) {
      if (c == 7)
        fprintf(fp, ",\"q,%d\"", r); /* some quoted cells with commas */
      else
        fprintf(fp, "%s%d", c ? "," : "", r * COLS + c);
    }
    fputs("\r\n", fp);
  }
  assert_int_equal(fclose(fp), 0);

  csv_table *t = read_ok(path);
  assert_int_equal(t->ncols, COLS);
  assert_int_equal(t->nrows, ROWS);
  assert_string_equal(t->header[39], "c39");
  assert_string_equal(csv_cell(t, 0, 0), "0");
  assert_string_equal(csv_cell(t, 0, 7), "q,0");
  assert_string_equal(csv_cell(t, ROWS - 1, COLS - 1), "3999999");
  assert_string_equal(csv_cell(t, 54321, 7), "q,54321");
  assert_int_equal(t->line[ROWS - 1], ROWS + 1);
  char want[32];
  for (size_t r = 0; r < ROWS; r += 997) {
    snprintf(want, sizeof want, "%zu", r * COLS + 13);
    assert_string_equal(csv_cell(t, r, 13), want);
    assert_int_equal(t->line[r], (long)r + 2);
  }
  csv_free(t);
  unlink(path);
}

/* Resident kilobytes of this process (VmRSS), or -1. */
static long rss_kb(void) {
  FILE *fp = fopen("/proc/self/status", "r");
  char line[256];
  long kb = -1;
  while (fp && fgets(line, sizeof line, fp))
    if (!strncmp(line, "VmRSS:", 6)) kb = strtol(line + 6, NULL, 10);
  if (fp) fclose(fp);
  return kb;
}

/* A table checked is not held in memory until its rows are read: csv_open
   gives its text back behind the scan (8 MB at most stays), and the rows
   read afterwards come back from the file, each as written. */
static void test_open_forgets_text(void **state) {
  (void)state;
  enum { ROWS = 400000, COLS = 10 }; /* about 40 MB */
  char path[512];
  FILE *fp = new_table("forget.csv", COLS, "\n", path, sizeof path);
  for (long r = 0; r < ROWS; r++) {
    for (int c = 0; c < COLS; c++) fprintf(fp, "%s%09ld", c ? "," : "", r * COLS + c + 1);
    fputc('\n', fp);
  }
  assert_int_equal(fclose(fp), 0);
  char err[512] = "";
  long before = rss_kb();
  csv_file *f = csv_open(path, err, sizeof err, NULL);
  long grew = rss_kb() - before;
  if (!f) fail_msg("csv_open failed: %s", err);
  assert_int_equal(f->nrows, ROWS);
  if (before < 0 || grew > 24 * 1024) fail_msg("checking a 40 MB table kept %ld KB", grew);
  /* rows of 100 bytes: 4 MB (4,194,304 bytes) of them are worth forgetting */
  assert_false(csv_worth_forgetting(f, 0, 41943));
  assert_true(csv_worth_forgetting(f, 0, 41944));
  assert_true(csv_worth_forgetting(f, 100, 42044));
  assert_false(csv_worth_forgetting(f, 5, 5));
  assert_false(csv_worth_forgetting(f, 41944, 0));
  /* read as the loaders read, forgetting what was read behind them */
  csv_field row[COLS];
  char want[16];
  size_t forgot = 0, forgets = 0;
  for (size_t r = 0; r < ROWS; r++) {
    if (csv_worth_forgetting(f, forgot, r)) {
      csv_forget(f, forgot, r);
      forgot = r;
      forgets++;
    }
    csv_row(f, r, row);
    for (int c = 0; c < COLS; c++) {
      snprintf(want, sizeof want, "%09ld", (long)r * COLS + c + 1);
      if (row[c].len != 9 || memcmp(row[c].p, want, 9)) fail_msg("row %zu, column %d", r, c);
    }
  }
  assert_int_equal(forgets, 9); /* 40 MB in steps of 4 MB */
  grew = rss_kb() - before;
  if (grew > 24 * 1024) fail_msg("reading a 40 MB table kept %ld KB", grew);
  csv_close(f);
  unlink(path);
}

/* The line of every row, counted here as the text is written: blank lines
   (LF and CRLF) before some rows, line breaks inside quotes in others, runs
   of plain rows between; csv_line keeps only the breaks and must still
   give each row's own line, the end's too. */
static void test_open_lines_of_rows(void **state) {
  (void)state;
  enum { ROWS = 3000 };
  size_t cap = ROWS * 64 + 64, len = 0;
  char *text = malloc(cap);
  long *want = malloc((ROWS + 1) * sizeof *want);
  assert_non_null(text);
  assert_non_null(want);
  long line = 1;
  len += (size_t)snprintf(text + len, cap - len, "id,v\n");
  line++;
  for (int r = 0; r < ROWS; r++) {
    if (r % 11 == 3) len += (size_t)snprintf(text + len, cap - len, "\n"), line++;
    if (r % 13 == 5) len += (size_t)snprintf(text + len, cap - len, "\r\n\r\n"), line += 2;
    want[r] = line;
    if (r % 7 == 0) len += (size_t)snprintf(text + len, cap - len, "%d,\"a\nb\r\nc\"\n", r), line += 3;
    else len += (size_t)snprintf(text + len, cap - len, "%d,%d\r\n", r, r * 3), line++;
  }
  want[ROWS] = line; /* the end: the line after the last row */
  char err[512] = "";
  csv_file *f = csv_open(fixture_n("lines.csv", text, len), err, sizeof err, NULL);
  if (!f) fail_msg("csv_open failed: %s", err);
  assert_int_equal(f->nrows, ROWS);
  for (size_t r = 0; r <= ROWS; r++)
    if (csv_line(f, r) != want[r]) fail_msg("row %zu: line %ld, want %ld", r, csv_line(f, r), want[r]);
  assert_true(f->lines.n < ROWS / 2); /* breaks only, not a line per row */
  csv_close(f);
  free(text);
  free(want);
}

/* csv_open keeps the rows in the file: csv_row splits one into fields as
   they lie there (quotes off, "" still doubled until csv_field_text), and
   a row read after csv_forget is the same. */
static void test_open_rows_in_place(void **state) {
  (void)state;
  const char *text = "\xEF\xBB\xBFid, v \r\n\n 1 ,\"a\"\"b\"\r\n2,\"x,\ny\"\n3,\rz\n4,";
  char err[512] = "";
  csv_fault fault = CSV_FAULT_IO;
  csv_file *f = csv_open(fixture("inplace.csv", text), err, sizeof err, &fault);
  if (!f) fail_msg("csv_open failed: %s", err);
  assert_int_equal(f->ncols, 2);
  assert_string_equal(f->header[1], "v");
  assert_int_equal(csv_file_column(f, "v"), 1);
  assert_int_equal(csv_file_column(f, "w"), -1);
  assert_int_equal(f->nrows, 4);
  long lines[] = {3, 4, 6, 7};
  for (size_t r = 0; r < 4; r++) assert_int_equal(csv_line(f, r), lines[r]);
  csv_field row[2];
  csv_row(f, 0, row);
  assert_int_equal(row[0].len, 3);
  assert_memory_equal(row[0].p, " 1 ", 3);
  assert_true(row[1].escaped);
  char *s1 = csv_field_text(&row[1]);
  assert_string_equal(s1, "a\"b");
  free(s1);
  csv_row(f, 1, row);
  assert_false(row[1].escaped);
  assert_int_equal(row[1].len, 4);
  assert_memory_equal(row[1].p, "x,\ny", 4);
  csv_row(f, 2, row);
  assert_int_equal(row[1].len, 2); /* a lone CR is data */
  assert_memory_equal(row[1].p, "\rz", 2);
  csv_forget(f, 0, f->nrows);
  csv_row(f, 3, row);
  assert_int_equal(row[0].len, 1);
  assert_memory_equal(row[0].p, "4", 1);
  assert_int_equal(row[1].len, 0); /* empty last field at end of file */
  csv_close(f);
}

/* Where each row starts (csv_row_at, five bytes a row): the byte after
   the line end before it, the header's BOM and a quoted line break
   included, and the end of the text after the last; and the fifth byte
   counts, as for a row 5 GB into a file. */
static void test_row_at(void **state) {
  (void)state;
  const char *text = "\xEF\xBB\xBFid,v\r\n1,\"a\nb\"\n22,c\r\n333,d";
  char err[512] = "";
  csv_file *f = csv_open(fixture("row_at.csv", text), err, sizeof err, NULL);
  if (!f) fail_msg("csv_open failed: %s", err);
  assert_int_equal(f->nrows, 3);
  size_t want[] = {9, 17, 23, 28}; /* after the BOM and header, "1,...\n", "22,c\r\n"; the end */
  for (size_t r = 0; r <= 3; r++) assert_int_equal(csv_row_at(f, r), want[r]);
  assert_int_equal(csv_row_at(f, 3), f->len);
  csv_close(f);

  unsigned char at[2 * CSV_ROW_AT_BYTES] = {0x00, 0xf2, 0x05, 0x2a, 0x01, 0xff, 0xff, 0xff, 0xff, 0xfe};
  csv_file far = {.row_at = at};
  assert_int_equal(csv_row_at(&far, 0), 5000000000ULL); /* 0x012a05f200 */
  assert_int_equal(csv_row_at(&far, 1), 0xfeffffffffULL);
}

/* Fields of every length from 0 to 40 (the splitter compares 16 bytes at a
   time, and its byte loop takes the tail), some with a lone CR inside,
   rows ending in LF or CRLF, the last without a line end: each field comes
   back as it was written, whole or the first K of a row; and a stray quote
   at any place is found, in its column. */
static void test_fields_every_length(void **state) {
  (void)state;
  enum { NCOLS = 3, NROWS = 41 };
  char want[NROWS][NCOLS][48];
  size_t cap = 1 << 16, len = 0;
  char *text = malloc(cap);
  assert_non_null(text);
  len += (size_t)sprintf(text, "a,b,c\n");
  for (int r = 0; r < NROWS; r++) {
    for (int c = 0; c < NCOLS; c++) {
      int n = (r + 13 * c) % 41; /* each length in each column */
      for (int k = 0; k < n; k++) want[r][c][k] = (char)('a' + (k + r) % 26);
      if (n > 1 && (r + c) % 3 == 0) want[r][c][(r * 7 + c) % (n - 1)] = '\r'; /* never last: a lone CR */
      want[r][c][n] = '\0';
      len += (size_t)sprintf(text + len, "%s%s", want[r][c], c + 1 < NCOLS ? "," : "");
    }
    if (r + 1 < NROWS) len += (size_t)sprintf(text + len, "%s", r % 2 ? "\r\n" : "\n");
  }
  char err[512] = "";
  csv_fault fault;
  csv_file *f = csv_open(fixture_n("lengths.csv", text, len), err, sizeof err, &fault);
  if (!f) fail_msg("csv_open failed: %s", err);
  assert_int_equal(f->nrows, NROWS);
  csv_field row[NCOLS];
  for (int r = 0; r < NROWS; r++) {
    csv_row(f, (size_t)r, row);
    for (int c = 0; c < NCOLS; c++) {
      assert_int_equal(row[c].len, strlen(want[r][c]));
      assert_memory_equal(row[c].p, want[r][c], row[c].len);
    }
    csv_field first[NCOLS];
    csv_row_first(f, (size_t)r, 2, first);
    assert_ptr_equal(first[1].p, row[1].p);
    assert_int_equal(first[1].len, row[1].len);
  }
  csv_close(f);
  /* a stray quote anywhere in a long unquoted field of column b */
  for (int at = 1; at < 40; at++) { /* at 0 it would open a quoted field */
    char bad[128];
    int n = sprintf(bad, "a,b,c\n1,");
    for (int k = 0; k < 40; k++) bad[n++] = k == at ? '"' : 'x';
    n += sprintf(bad + n, ",3\n");
    csv_file *g = csv_open(fixture_n("stray.csv", bad, (size_t)n), err, sizeof err, &fault);
    assert_null(g);
    assert_non_null(strstr(err, ":2: stray quote in an unquoted field (column 'b')"));
  }
  free(text);
}

/* Runs of empty fields: csv_open's scan counts a row's commas 16 bytes at
   a time (csv.c, plain_row), so a run of commas is put at every offset
   from its row's start and made 1 to 40 long. A header of as many fields
   takes the row, every field in place; a header of one field less or
   more, or of 16 less (one block of 16 commas not counted), is told the
   row's true count. */
static void test_comma_runs(void **state) {
  (void)state;
  char text[512], want[96], err[512];
  csv_fault fault;
  csv_field row[48];
  for (int at = 0; at < 16; at++) {
    for (int run = 1; run <= 40; run++) {
      int nf = run + 1; /* the row: AT bytes of a first field, RUN commas, an empty last field */
      int header_of[4] = {nf, nf - 1, nf + 1, nf - 16};
      for (int h = 0; h < 4; h++) {
        int hf = header_of[h];
        if (hf < 1) continue;
        size_t len = 0;
        for (int c = 0; c < hf; c++) len += (size_t)sprintf(text + len, "%sh%d", c ? "," : "", c);
        text[len++] = '\n';
        size_t row_at = len;
        for (int k = 0; k < at; k++) text[len++] = (char)('a' + k);
        for (int k = 0; k < run; k++) text[len++] = ',';
        text[len++] = '\n';
        for (int pad = 0; pad < 40; pad++) text[len++] = '\n'; /* blank lines: the row is not near the end */
        csv_file *f = csv_open(fixture_n("runs.csv", text, len), err, sizeof err, &fault);
        if (hf == nf) {
          if (!f) fail_msg("offset %d, %d commas: %s", at, run, err);
          assert_int_equal(f->nrows, 1);
          csv_row(f, 0, row);
          if (row[0].p != f->text + row_at || row[0].len != (size_t)at)
            fail_msg("offset %d, %d commas: the first field", at, run);
          for (int c = 1; c < nf; c++)
            if (row[c].len != 0 || row[c].p != f->text + row_at + at + c)
              fail_msg("offset %d, %d commas: field %d", at, run, c);
          csv_close(f);
        } else {
          if (f) {
            csv_close(f);
            fail_msg("offset %d, %d commas, a header of %d: taken", at, run, hf);
          }
          snprintf(want, sizeof want, ":2: row has %d fields, the header has %d", nf, hf);
          if (!strstr(err, want)) fail_msg("offset %d, %d commas: '%s' does not say '%s'", at, run, err, want);
        }
      }
    }
  }
}

/* 4,000 random rows against what was written: plain fields of 0 to 40
   bytes (split 16 bytes at a time), quoted ones (with "", commas, line
   breaks), lone CRs, LF and CRLF ends, blank lines, the last row near
   the end of the file. Every field, every row's line, and the first K
   fields alone come back as written; then one row with a field too many,
   anywhere, is found on its line. */
enum { RAND_COLS = 5, RAND_ROWS = 4000 };
typedef struct rand_field {
  size_t at, len; /* where its text lies in the file (inside its quotes) */
  bool escaped;
} rand_field;

static uint64_t rand_next(uint64_t *x) {
  *x ^= *x << 13, *x ^= *x >> 7, *x ^= *x << 17;
  return *x;
}

/* Appends one field to TEXT at *LEN; its place into F; the lines it spans to *LINE. */
static void rand_field_write(char *text, size_t *len, uint64_t *seed, rand_field *f, long *line) {
  int kind = (int)(rand_next(seed) % 8), n = (int)(rand_next(seed) % 41);
  bool quoted = kind == 0;
  if (quoted) text[(*len)++] = '"';
  f->at = *len;
  f->escaped = false;
  for (int k = 0; k < n; k++) {
    uint64_t c = rand_next(seed) % 64;
    if (quoted && c == 0) {
      text[(*len)++] = '"', text[(*len)++] = '"', f->escaped = true;
    } else if (quoted && c == 1) {
      text[(*len)++] = '\n', ++*line;
    } else if (quoted && c == 2) {
      text[(*len)++] = ',';
    } else if (kind == 1 && c < 3 && k + 1 < n) {
      text[(*len)++] = '\r'; /* a lone CR, never last: data */
    } else {
      text[(*len)++] = (char)('0' + c % 10);
    }
  }
  f->len = *len - f->at;
  if (quoted) text[(*len)++] = '"';
}

static void test_rows_random(void **state) {
  (void)state;
  size_t cap = (size_t)RAND_ROWS * RAND_COLS * 90 + 64, len = 0;
  char *text = malloc(cap);
  rand_field(*want)[RAND_COLS] = malloc(sizeof *want * RAND_ROWS);
  long *line_of = malloc(sizeof *line_of * RAND_ROWS);
  size_t *row_end = malloc(sizeof *row_end * RAND_ROWS);
  assert_non_null(text);
  assert_non_null(want);
  assert_non_null(line_of);
  assert_non_null(row_end);
  uint64_t seed = 0x9E3779B97F4A7C15ULL;
  long line = 2;
  len += (size_t)sprintf(text, "a,b,c,d,e\n");
  for (int r = 0; r < RAND_ROWS; r++) {
    if (rand_next(&seed) % 50 == 0) len += (size_t)sprintf(text + len, "%s", r % 2 ? "\n" : "\r\n"), line++;
    line_of[r] = line;
    for (int c = 0; c < RAND_COLS; c++) {
      rand_field_write(text, &len, &seed, &want[r][c], &line);
      if (c + 1 < RAND_COLS) text[len++] = ',';
    }
    row_end[r] = len;
    if (r + 1 < RAND_ROWS || rand_next(&seed) % 2) /* the last row may end the file */
      len += (size_t)sprintf(text + len, "%s", rand_next(&seed) % 2 ? "\r\n" : "\n");
    line++;
  }
  char err[512] = "";
  csv_fault fault;
  csv_file *f = csv_open(fixture_n("random.csv", text, len), err, sizeof err, &fault);
  if (!f) fail_msg("csv_open failed: %s", err);
  assert_int_equal(f->nrows, RAND_ROWS);
  csv_field row[RAND_COLS], first[RAND_COLS];
  for (int r = 0; r < RAND_ROWS; r++) {
    if (csv_line(f, (size_t)r) != line_of[r])
      fail_msg("row %d: line %ld, want %ld", r, csv_line(f, (size_t)r), line_of[r]);
    csv_row(f, (size_t)r, row);
    size_t k = (size_t)r % RAND_COLS + 1;
    csv_row_first(f, (size_t)r, k, first);
    for (int c = 0; c < RAND_COLS; c++) {
      const rand_field *w = &want[r][c];
      if (row[c].p != f->text + w->at || row[c].len != w->len || row[c].escaped != w->escaped)
        fail_msg("row %d field %d: at %td len %zu escaped %d, want at %zu len %zu escaped %d", r, c, row[c].p - f->text,
                 row[c].len, row[c].escaped, w->at, w->len, w->escaped);
      if ((size_t)c < k && (first[c].p != row[c].p || first[c].len != row[c].len || first[c].escaped != row[c].escaped))
        fail_msg("row %d: the first %zu fields differ at %d", r, k, c);
    }
  }
  csv_close(f);
  /* a field too many at the end of row R: reported on R's line, whatever the row */
  for (int r = 0; r < RAND_ROWS; r += 397) {
    char *bad = malloc(len + 8);
    assert_non_null(bad);
    memcpy(bad, text, row_end[r]);
    memcpy(bad + row_end[r], ",x", 2);
    memcpy(bad + row_end[r] + 2, text + row_end[r], len - row_end[r]);
    assert_null(csv_open(fixture_n("toomany.csv", bad, len + 2), err, sizeof err, &fault));
    char expect[64];
    snprintf(expect, sizeof expect, ":%ld: row has 6 fields, the header has 5", line_of[r]);
    if (!strstr(err, expect)) fail_msg("row %d: '%s' does not say '%s'", r, err, expect);
    free(bad);
  }
  free(text);
  free(want);
  free(line_of);
  free(row_end);
}

/* csv_open says what kind of failure it was. */
static void test_open_faults(void **state) {
  (void)state;
  char err[512];
  csv_fault fault;
  assert_null(csv_open(fixture("bytes.csv", "id,name\n1,\xFF\xFE\n"), err, sizeof err, &fault));
  assert_int_equal(fault, CSV_FAULT_ENCODING);
  assert_null(csv_open(fixture("fmt.csv", "id,name\n1\n"), err, sizeof err, &fault));
  assert_int_equal(fault, CSV_FAULT_FORMAT);
  char missing[600];
  snprintf(missing, sizeof missing, "%s/none.csv", g_dir);
  assert_null(csv_open(missing, err, sizeof err, &fault));
  assert_int_equal(fault, CSV_FAULT_IO);
}

/* Opens PATH in ENC, failing the test if it cannot; the caller closes. */
static csv_file *open_as_ok(const char *path, csv_encoding enc) {
  char err[512] = "";
  csv_file *f = csv_open_as(path, enc, err, sizeof err, NULL);
  if (!f) fail_msg("csv_open_as(%s) failed: %s", path, err);
  return f;
}

/* Expects csv_open_as(PATH, ENC) to fail for the encoding with PATH + WANT. */
static void expect_encoding_error(const char *path, csv_encoding enc, const char *want_suffix) {
  char err[512] = "", want[1024];
  csv_fault fault;
  csv_file *f = csv_open_as(path, enc, err, sizeof err, &fault);
  if (f) {
    csv_close(f);
    fail_msg("csv_open_as(%s) succeeded, expected: %s", path, want_suffix);
  }
  assert_int_equal(fault, CSV_FAULT_ENCODING);
  snprintf(want, sizeof want, "%s%s", path, want_suffix);
  assert_string_equal(err, want);
}

/* GBK and GB18030 tables are read as UTF-8: found by themselves, or named. */
static void test_encodings(void **state) {
  (void)state;
  /* 你好 in GBK; a four-byte GB18030 character (U+00A5 is 0x81 0x30 0x84 0x36) */
  char gbk[512], neither[512], bom[512]; /* fixture's buffer is reused */
  strcpy(gbk, fixture("gbk.csv", "id,name\n1,\xC4\xE3\xBA\xC3\n2,\x81\x30\x84\x36\n"));
  for (int k = 0; k < 2; k++) {
    csv_file *f = open_as_ok(gbk, k ? CSV_ENC_GB18030 : CSV_ENC_AUTO);
    assert_string_equal(f->encoding, "GB18030");
    csv_field row[2];
    csv_row(f, 0, row);
    assert_int_equal(row[1].len, 6);
    assert_memory_equal(row[1].p, "你好", 6);
    csv_row(f, 1, row);
    assert_int_equal(row[1].len, 2);
    assert_memory_equal(row[1].p, "\xC2\xA5", 2);
    assert_int_equal(csv_line(f, 1), 3);
    csv_close(f);
  }
  csv_file *u = open_as_ok(fixture("utf8.csv", "id,name\n1,你好\n"), CSV_ENC_AUTO);
  assert_string_equal(u->encoding, "UTF-8");
  csv_close(u);
  expect_encoding_error(gbk, CSV_ENC_UTF8,
                        ":2: the table is not UTF-8 text (byte 0xC4): save it as UTF-8 (in Excel: \"CSV UTF-8\")");
  /* the first bad byte's line, in either reading */
  strcpy(neither, fixture("neither.csv", "id,name\n1,\xC4\xE3\n2,x\xFF\n"));
  expect_encoding_error(neither, CSV_ENC_AUTO,
                        ":2: the table is neither UTF-8 nor GB18030 (GBK) text (byte 0xC4): save it as UTF-8 (in "
                        "Excel: \"CSV UTF-8\") or name its encoding with --encoding");
  expect_encoding_error(neither, CSV_ENC_GB18030, ":3: the table is not GB18030 (GBK) text (byte 0xFF)");
  /* a character cut short at the end of the file */
  expect_encoding_error(fixture("cut.csv", "id,name\n1,\xC4"), CSV_ENC_GB18030,
                        ":2: the table is not GB18030 (GBK) text (byte 0xC4)");
  /* a byte order mark says UTF-8 */
  strcpy(bom, fixture("bom.csv", "\xEF\xBB\xBFid,name\n1,\xC4\xE3\n"));
  expect_encoding_error(bom, CSV_ENC_AUTO,
                        ":2: the table is not UTF-8 text (byte 0xC4): save it as UTF-8 (in Excel: \"CSV UTF-8\")");
  expect_encoding_error(bom, CSV_ENC_GB18030,
                        ":1: the table starts with a UTF-8 byte order mark, but --encoding says GB18030");
  csv_encoding e;
  assert_true(csv_encoding_named("GBK", &e) && e == CSV_ENC_GB18030);
  assert_true(csv_encoding_named("utf-8", &e) && e == CSV_ENC_UTF8);
  assert_false(csv_encoding_named("big5", &e));
  assert_string_equal(csv_shown_path("-"), "<stdin>");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_basic),
      cmocka_unit_test(test_row_at),
      cmocka_unit_test(test_header_trimmed_cells_not),
      cmocka_unit_test(test_crlf_and_multiline_quotes),
      cmocka_unit_test(test_bom_and_no_final_newline),
      cmocka_unit_test(test_empty_lines_skipped_but_counted),
      cmocka_unit_test(test_empty_fields),
      cmocka_unit_test(test_quoted_edge_cases),
      cmocka_unit_test(test_header_only),
      cmocka_unit_test(test_error_cannot_open),
      cmocka_unit_test(test_error_empty),
      cmocka_unit_test(test_error_field_count),
      cmocka_unit_test(test_error_unterminated),
      cmocka_unit_test(test_error_stray_quote),
      cmocka_unit_test(test_error_header_names),
      cmocka_unit_test(test_error_nul),
      cmocka_unit_test(test_error_buffer_handling),
      cmocka_unit_test(test_large),
      cmocka_unit_test(test_open_rows_in_place),
      cmocka_unit_test(test_open_forgets_text),
      cmocka_unit_test(test_open_lines_of_rows),
      cmocka_unit_test(test_fields_every_length),
      cmocka_unit_test(test_comma_runs),
      cmocka_unit_test(test_rows_random),
      cmocka_unit_test(test_open_faults),
      cmocka_unit_test(test_encodings),
  };
  return cmocka_run_group_tests(tests, setup_dir, remove_dir);
}
