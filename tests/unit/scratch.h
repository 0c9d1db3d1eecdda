/* scratch.h: a temporary folder for a unit test's files. */
#ifndef RUBRIC_TEST_SCRATCH_H
#define RUBRIC_TEST_SCRATCH_H
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Removes DIR with its files and empty subfolders. 0 on success. */
static inline int scratch_remove(const char *dir) {
  DIR *d = opendir(dir);
  if (d == NULL) return -1;
  struct dirent *e;
  char p[512];
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
    if (unlink(p) != 0) rmdir(p);
  }
  closedir(d);
  return rmdir(dir);
}

#endif
