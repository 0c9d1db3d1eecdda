/* scratch.h: a temporary folder for a unit test's files. */
#ifndef RUBRIC_TEST_SCRATCH_H
#define RUBRIC_TEST_SCRATCH_H
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Removes DIR with its files and empty subfolders. 0 on success. */
static inline int scratch_remove(const char *dir) {
  DIR *d = opendir(dir);
  if (d == NULL) return -1;
  struct dirent *e;
  char p[1024];
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    if (snprintf(p, sizeof p, "%s/%s", dir, e->d_name) >= (int)sizeof p) continue; /* too long to be ours */
    if (unlink(p) != 0) rmdir(p);
  }
  closedir(d);
  return rmdir(dir);
}

/* Removes the "[R0301]" codes from captured diagnostics, in place: unit
   tests pin the messages; the end-to-end goldens pin the codes. */
static inline void strip_codes(char *s) {
  char *w = s;
  for (char *r = s; *r;) {
    bool code = r > s && (r[-1] == 'r' || r[-1] == 'g') && r[0] == '[' && r[1] == 'R'; /* after error/warning */
    for (int i = 2; code && i < 6; i++) code = r[i] >= '0' && r[i] <= '9'; /* stops at the NUL */
    if (code && r[6] == ']') {
      r += 7;
      continue;
    }
    *w++ = *r++;
  }
  *w = 0;
}

#endif
