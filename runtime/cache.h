/* cache.h: compiled schemes on disk, so that a scheme is compiled once
 * (issue 12): the object file of a scheme's optimised module, kept under
 * $XDG_CACHE_HOME/rubric (default ~/.cache/rubric) and found again by a
 * key.
 *
 * The key is a 128-bit XXH3 hash (libxxhash, Debian's libxxhash-dev) of all
 * that decides the machine code: the module's IR text before optimisation,
 * the target machine and LLVM (codegen.h, cg_target_description) and the
 * Rubric build. XXH3-128 rather than a 64-bit hash because a collision
 * would load another scheme's code: at 128 bits it does not happen by
 * accident; the cache defends against accidents, not against someone who
 * can write into the user's own cache folder.
 *
 * An entry is one file, <key in hex>.o: a header (magic, format, key,
 * length, XXH3-64 checksum of the object) then the object. It is written
 * to a temporary file in the same folder and renamed into place, so that a
 * reader sees a whole entry or none, whatever runs at the same time; an
 * entry that does not check out (cut short, garbage, another key) is
 * reported as bad and rewritten by the next store. The cache is best
 * effort: a folder that cannot be made, read or written turns it off for
 * the process, never an error. Nothing here knows LLVM.
 */
#ifndef RUBRIC_CACHE_H
#define RUBRIC_CACHE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct cache_key {
  uint8_t bytes[16];
} cache_key;

typedef enum {
  CACHE_HIT,  /* the object is in *OBJ */
  CACHE_MISS, /* no entry for the key */
  CACHE_BAD,  /* an entry that does not check out; the reason in WHY */
  CACHE_OFF,  /* no usable cache folder; the reason in WHY */
} cache_status;

/* The key of IR (LEN bytes: a module, as bitcode) compiled for TARGET by BUILD (two lines of
   text; each field hashed with its length, so no two splits collide). */
cache_key cache_key_of(const char *ir, size_t len, const char *target, const char *build);

/* The key as 32 lowercase hex digits and a NUL, into OUT. */
void cache_key_hex(const cache_key *k, char out[33]);

/* The cache folder, made if it is missing: malloc'd by the first call and
   owned here until cache_shutdown; NULL (with the reason in WHY) when there
   is none the process can use. */
const char *cache_dir(char *why, size_t whylen);

/* Looks K up. On CACHE_HIT *OBJ is the object, malloc'd (the caller frees
   it), and *LEN its length. */
cache_status cache_load(const cache_key *k, void **obj, size_t *len, char *why, size_t whylen);

/* Stores the LEN bytes of OBJ under K, replacing any entry (a bad one
   included) in one rename. False, with the reason in WHY, when the entry
   could not be written; nothing is left behind then. */
bool cache_store(const cache_key *k, const void *obj, size_t len, char *why, size_t whylen);

/* Forgets the folder (tests set another XDG_CACHE_HOME then call this). */
void cache_shutdown(void);

#endif
