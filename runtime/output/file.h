/*
** file.h — output files that appear whole or not at all.
*/
#ifndef RUBRIC_OUTPUT_FILE_H
#define RUBRIC_OUTPUT_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Output that appears whole or not at all, by what PATH is:
   - NULL or "-": stdout. Everything is held in memory and written to stdout at
     out_commit only, so out_abort writes nothing; a failed write (>/dev/full) is
     an error at commit ("stdout: write failed: ...").
   - A regular file, or nothing yet: out_open creates a temp file in the same folder
     (mkstemp, named ".<basename>.XXXXXX"); out_commit flushes, fsyncs, closes and
     renames it over PATH; out_abort and any failure remove it, leaving an existing
     file untouched. A replaced file keeps its permission bits (rwx only, never
     set-id or sticky bits); a new file gets exactly 0644, whatever the umask.
     Owner and group become the writer's, and hard links to the old file keep the old
     content, as with any rename.
   - A symlink (or a chain of them): followed, and its final target written as above,
     in the target's folder; a dangling link's target is created. The link stays.
   - A character or block device, FIFO or socket: never replaced. The output is held
     in memory, and out_commit opens PATH and writes it there (a FIFO's open waits for
     a reader then); a write error is a failure ("/dev/full: write failed: No space
     left on device"). out_abort never opens it.
   - A directory, a missing folder, a folder the temp file cannot be created in, or a
     device without write permission: out_open fails, naming PATH.
   Both commit and abort free the handle. On failure return NULL / nonzero with a
   message "PATH: what went wrong". */
typedef struct out_file out_file;

/* Caller owns the result; release it with exactly one of out_commit / out_abort. */
out_file *out_open(const char *path, char *err, size_t errlen);

/* The stream to write to (a temp file or a memory buffer, never stdout itself);
   owned by F, valid until out_commit / out_abort. */
FILE *out_stream(out_file *f);

/* Whether F is a file replaced by rename at commit (else stdout or a
   device, written at commit), and whether it is standard output. */
bool out_renames(const out_file *f);
bool out_is_stdout(const out_file *f);

/* The first half of out_commit for a file: everything written, flushed,
   synced and closed, but not yet renamed over the target (a no-op for stdout
   and devices). Lets a caller with several outputs finish every file, then
   write devices and stdout, before it replaces any file: a failure in
   between leaves every file as it was (out_abort). 0, or -1 with a message. */
int out_prepare(out_file *f, char *err, size_t errlen);

/* Returns 0 on success. On failure the temp file is removed, a file target is
   left as it was (a device or stdout may have taken part of the output before the
   write failed), and err gets "PATH: what went wrong". Frees F either way. */
int out_commit(out_file *f, char *err, size_t errlen);

/* Discards everything written; the target is left as it was. NULL-safe. Frees F. */
void out_abort(out_file *f);

#endif /* RUBRIC_OUTPUT_FILE_H */
