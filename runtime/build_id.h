/* build_id.h: which build of Rubric this process is, from the GNU build ID
 * its linker wrote (`-Wl,--build-id`, a SHA-1 of the linked program): a
 * change to any code, the embedded prelude's included, gives another. The
 * cache keys an entry found by a scheme's text on it (native.c): only the
 * very build that made it may trust what the text compiled to.
 */
#ifndef RUBRIC_BUILD_ID_H
#define RUBRIC_BUILD_ID_H

/* The running program's build ID in lowercase hex; NULL when it has none
   (linked without one). Owned here, the same for the whole process. */
const char *build_id(void);

#endif
