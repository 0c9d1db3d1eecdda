/* jit.h: native code for generated modules, through ORC LLJIT.
 *
 * One LLJIT per process (as PostgreSQL's llvmjit.c does). Modules are built
 * in the JIT's thread-safe context, so codegen gets its context from here.
 */
#ifndef RUBRIC_JIT_H
#define RUBRIC_JIT_H
#include <stddef.h>

#include <llvm-c/Core.h>

typedef struct rb_jit rb_jit;

/* Caller owns the result; free with jit_free. NULL with a message on failure. */
rb_jit *jit_create(char *err, size_t errlen);
void jit_free(rb_jit *j);
/* The context modules for this JIT must be created in. Owned by the JIT. */
LLVMContextRef jit_context(rb_jit *j);
/* Hands MODULE to the JIT (ownership passes even on failure). 0 or -1. */
int jit_add_module(rb_jit *j, LLVMModuleRef module, char *err, size_t errlen);
/* Compiles (on first use) and returns the address of NAME, or NULL. */
void *jit_lookup(rb_jit *j, const char *name, char *err, size_t errlen);

#endif
