/* arena.h: bump allocation for one compilation.
 *
 * The AST, names and checked types of a compilation all live in one arena and
 * are freed together; that is why parser error recovery never leaks.
 */
#ifndef RUBRIC_ARENA_H
#define RUBRIC_ARENA_H
#include <stddef.h>

typedef struct rb_arena rb_arena;

rb_arena *arena_new(void);                 /* caller owns; free with arena_free */
void arena_free(rb_arena *a);              /* NULL-safe; frees every block */
void *arena_alloc(rb_arena *a, size_t n);  /* zeroed, 16-aligned; aborts on OOM */
char *arena_strndup(rb_arena *a, const char *s, size_t n);
char *arena_strdup(rb_arena *a, const char *s);
char *arena_printf(rb_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
