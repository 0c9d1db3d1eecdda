/*
** lazy_lib.h — a shared library opened the first time a run needs it.
**
** The libraries of .xlsx files (libzip, which brings libcrypto, libbz2
** and libminizip along; expat; libxlsxwriter) cost every process about
** 4 ms to load and relocate at start (of the 17 `rubric --version` took),
** for workbooks most runs never see. They are not linked: the reader and the
** writer open them here, by the SONAME the build found (CMake, readelf),
** and call them through a table of pointers typed by the library's own
** header, so a call is checked as if it were linked.
*/
#ifndef RUBRIC_LAZY_LIB_H
#define RUBRIC_LAZY_LIB_H

#include <stdbool.h>
#include <stddef.h>

/* A library and the functions wanted from it. TABLE is a struct of
   function pointers, one per name in NAMES (NULL-terminated), in the same
   order, filled by lazy_lib_open. The rest is lazy_lib_open's. */
typedef struct lazy_lib {
  const char *soname;      /* "libzip.so.4" */
  const char *const *names;
  void *table;
  size_t table_size;       /* sizeof the struct: checked against the names */
  int state;               /* 0 not tried, 1 open, -1 failed */
  char why[320];           /* when failed: what dlopen or dlsym said */
} lazy_lib;

/* For a library's functions listed as an X-macro, LIST(X) = X(f) X(g) ...:
   the table is struct { LIST(LAZY_POINTER) }, each entry typed by the
   function's declaration in the library's header, and the names are
   { LIST(LAZY_NAME) NULL }. */
#define LAZY_POINTER(f) __typeof__(f) *f;
#define LAZY_NAME(f) #f,

/* Opens LIB once per process, whatever the thread (under a lock), and
   fills its table. True when every function was found; else false, the
   table untouched (a half-filled table is never used), and ERR holds
   "SONAME cannot be loaded: why" (translated), the same on every call. */
bool lazy_lib_open(lazy_lib *lib, char *err, size_t errlen);

#endif /* RUBRIC_LAZY_LIB_H */
