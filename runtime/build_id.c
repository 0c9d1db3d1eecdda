/* build_id.c: the running program's GNU build ID (build_id.h). */
#include "build_id.h"

#include <elf.h>
#include <link.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

enum { MOST = 64 }; /* bytes of an ID: SHA-1 gives 20, a linker may give up to this */

static struct {
  pthread_once_t once;
  char hex[2 * MOST + 1]; /* "" when there is none */
} id = {PTHREAD_ONCE_INIT, ""};

/* The notes of one PT_NOTE segment (LEN bytes at P): the GNU build ID
   into id.hex; whether it was there. */
static bool from_notes(const char *p, size_t len) {
  size_t at = 0;
  while (at + sizeof(ElfW(Nhdr)) <= len) {
    ElfW(Nhdr) h;
    memcpy(&h, p + at, sizeof h);
    size_t name = at + sizeof h, desc = name + ((h.n_namesz + 3) & ~(size_t)3),
           next = desc + ((h.n_descsz + 3) & ~(size_t)3);
    if (next > len || next <= at) return false; /* cut short: no more notes */
    if (h.n_type == NT_GNU_BUILD_ID && h.n_namesz == 4 && !memcmp(p + name, "GNU", 4) && h.n_descsz > 0 &&
        h.n_descsz <= MOST) {
      const unsigned char *d = (const unsigned char *)p + desc;
      for (size_t i = 0; i < h.n_descsz; i++) snprintf(id.hex + 2 * i, 3, "%02x", d[i]);
      return true;
    }
    at = next;
  }
  return false;
}

/* dl_iterate_phdr's first object is the program itself */
static int first_object(struct dl_phdr_info *info, size_t size, void *unused) {
  (void)size, (void)unused;
  for (int i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    if (ph->p_type == PT_NOTE && from_notes((const char *)(info->dlpi_addr + ph->p_vaddr), ph->p_memsz)) break;
  }
  return 1; /* stop: the shared libraries are not this build */
}

static void find(void) { dl_iterate_phdr(first_object, NULL); }

const char *build_id(void) {
  pthread_once(&id.once, find);
  return id.hex[0] ? id.hex : NULL;
}
