/* lazy_lib.c: shared libraries opened when first needed (lazy_lib.h). */
#include "lazy_lib.h"

#include <assert.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* Opens and fills LIB; the state says how it went. Called under the lock. */
static void open_lib(lazy_lib *lib) {
  size_t n = 0;
  while (lib->names[n]) n++;
  /* every entry a function pointer, nothing between them */
  assert(lib->table_size == n * sizeof(void (*)(void)));
  void *h = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    const char *e = dlerror();
    snprintf(lib->why, sizeof lib->why, "%s", e ? e : "dlopen failed");
    lib->state = -1;
    return;
  }
  void *found[64];
  assert(n <= sizeof found / sizeof found[0]);
  for (size_t k = 0; k < n; k++) {
    found[k] = dlsym(h, lib->names[k]);
    if (!found[k]) {
      snprintf(lib->why, sizeof lib->why, "no function %s in it", lib->names[k]);
      dlclose(h);
      lib->state = -1;
      return;
    }
  }
  /* POSIX: a function's address from dlsym, copied bit for bit into a
     pointer of its type (C forbids the cast from void *) */
  for (size_t k = 0; k < n; k++) memcpy((char *)lib->table + k * sizeof(void (*)(void)), &found[k], sizeof found[k]);
  lib->state = 1; /* the handle stays open for the process: its code is called until exit */
}

bool lazy_lib_open(lazy_lib *lib, char *err, size_t errlen) {
  pthread_mutex_lock(&lock);
  if (lib->state == 0) open_lib(lib);
  int state = lib->state;
  pthread_mutex_unlock(&lock);
  if (state < 0 && err && errlen) snprintf(err, errlen, diag_tr("%s cannot be loaded: %s"), lib->soname, lib->why);
  return state > 0;
}
