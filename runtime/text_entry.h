/* text_entry.h: what the cache keeps under a scheme's text (native.c), so
 * that a run with a warm cache links the scheme's code without building its
 * IR: the names of the functions to look up, how many places a score can
 * fail at (codegen.h, cg_site: the sites themselves are learnt only when a
 * score fails, native_site), and the object.
 *
 * The bytes are little-endian whatever the host: a magic and format word,
 * then the number of sites, flags (peers pass, records passes), the number
 * of later passes and of record tables, the names each ending in a NUL,
 * the object's length in 8 bytes, and the object. The cache's checksum
 * catches damage; decoding still checks every length, so that bytes that
 * check out yet are not an entry (another format) are refused, never read
 * past.
 */
#ifndef RUBRIC_TEXT_ENTRY_H
#define RUBRIC_TEXT_ENTRY_H
#include <stdbool.h>
#include <stddef.h>

#include "codegen.h"

/* R's names and number of sites, then the LEN bytes of OBJ, as one block:
   malloc'd (the caller frees it), its length in *OUT_LEN. */
void *text_entry_encode(const cg_result *r, const void *obj, size_t len, size_t *out_len);

/* BYTES (LEN of them) back into OUT's names and nsites (malloc'd, as
   cg_build's: cg_result_free frees them), OUT's module and sites NULL; the
   object is the *OBJ_LEN bytes at BYTES + *OBJ_AT. False, OUT all zero,
   when BYTES are not such an entry. */
bool text_entry_decode(const void *bytes, size_t len, cg_result *out, size_t *obj_at, size_t *obj_len);

#endif
