/* extends.c: `scheme b "..." extends a { changes }`: the statements of the
 * base scheme merged into the extending one before any pass runs, so every
 * later stage sees an ordinary scheme (spec/semantics.md, "Extending a
 * scheme").
 *
 * The base's statements are always a fresh parse of its text (the checker
 * writes into the nodes it checks, and the base may be checked itself), so
 * inherited declarations keep their own locations: a message about one
 * points into the base's file. The extending scheme's own statements then
 * replace the base's of the same id in place, or are added at the end.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ck.h"

/* A chain longer than this is refused as if it were a cycle. */
#define EXTENDS_MAX_CHAIN 32

/* A base file read for `extends a in "path"`, parsed once to find its
   schemes (fresh copies are parsed again from the same text). */
typedef struct base_file {
  char *path; /* as joined from the extending file's directory (malloc) */
  ast_file *ast;
} base_file;

typedef struct merge {
  rb_arena *arena;
  rb_diags *diags;
  check_sources *read;
  base_file *files;
  int nfiles, cap_files;
  /* the schemes of the chain being merged, by their text and offset */
  struct link {
    const rb_source *src;
    size_t at;
    const char *id;
  } chain[EXTENDS_MAX_CHAIN + 1];
  int depth;
  const ast_scheme *top; /* the scheme of the file whose chain this is */
  /* errors already reported, by place: a base in the same file is merged
     once for itself and once for each scheme that extends it */
  struct said {
    const rb_source *src;
    size_t at;
  } *said;
  int nsaid, cap_said;
} merge;

/* Whether an error at LOC was already reported; records it if not. */
static bool already_said(merge *m, rb_loc loc) {
  for (int i = 0; i < m->nsaid; i++)
    if (m->said[i].src == loc.src && m->said[i].at == loc.start) return true;
  if (m->nsaid == m->cap_said) {
    m->cap_said = m->cap_said ? 2 * m->cap_said : 8;
    m->said = realloc(m->said, sizeof *m->said * (size_t)m->cap_said);
    if (!m->said) abort();
  }
  m->said[m->nsaid++] = (struct said){loc.src, loc.start};
  return false;
}

/* BASE joined to the directory of the file FROM (BASE itself when absolute
   or when FROM has no directory). Caller frees. */
static char *join_path(const char *from, const char *base) {
  const char *slash = strrchr(from, '/');
  size_t dir = base[0] == '/' || !slash ? 0 : (size_t)(slash - from) + 1;
  char *out = malloc(dir + strlen(base) + 1);
  if (!out) abort();
  memcpy(out, from, dir);
  strcpy(out + dir, base);
  return out;
}

/* The base file that S names with `in "path"`, read and parsed once; NULL
   (reported) when it cannot be read, NULL (its syntax errors reported) when
   it does not parse. */
static ast_file *base_file_of(merge *m, const ast_scheme *s) {
  char *path = join_path(s->loc.src->path, s->base_path);
  for (int i = 0; i < m->nfiles; i++)
    if (!strcmp(m->files[i].path, path)) {
      free(path);
      return m->files[i].ast && m->files[i].ast->syntax_errors == 0 ? m->files[i].ast : NULL;
    }
  /* only a regular file: a FIFO or /dev/stdin would wait for input forever */
  struct stat st;
  rb_source *src = NULL;
  const char *reason;
  if (stat(path, &st) != 0) {
    reason = strerror(errno);
  } else if (!S_ISREG(st.st_mode)) {
    reason = diag_tr("not a regular file");
  } else {
    source_failure why;
    int errnum = 0;
    src = source_read(path, &why, &errnum);
    reason = why == SOURCE_CANNOT_OPEN ? strerror(errnum)
             : why == SOURCE_TOO_LARGE ? diag_tr("too large to be a scheme")
             : why == SOURCE_NOT_TEXT  ? diag_tr("not a text file (contains a NUL byte)")
                                       : diag_tr("read error");
  }
  if (m->nfiles == m->cap_files) {
    m->cap_files = m->cap_files ? 2 * m->cap_files : 4;
    m->files = realloc(m->files, sizeof *m->files * (size_t)m->cap_files);
    if (!m->files) abort();
  }
  base_file *bf = &m->files[m->nfiles++];
  *bf = (base_file){path, NULL};
  if (!src) {
    if (!already_said(m, s->base_path_loc))
      diag_error(m->diags, R0320, s->base_path_loc, "cannot read the base file '%s': %s", path, reason);
    return NULL;
  }
  if (m->read->n == m->read->cap) {
    m->read->cap = m->read->cap ? 2 * m->read->cap : 4;
    m->read->at = realloc(m->read->at, sizeof *m->read->at * (size_t)m->read->cap);
    if (!m->read->at) abort();
  }
  m->read->at[m->read->n++] = src;
  bf->ast = parse_source(src, m->arena, m->diags); /* its syntax errors, once */
  return bf->ast->syntax_errors == 0 ? bf->ast : NULL;
}

/* A fresh parse of scheme S of FILE (same text, new nodes), silently. */
static ast_scheme *fresh_copy(merge *m, const ast_file *file, const ast_scheme *s) {
  m->diags->muted++;
  ast_file *again = parse_source(file->src, m->arena, m->diags);
  m->diags->muted--;
  for (ast_scheme *t = again->schemes; t; t = t->next)
    if (t->id_loc.start == s->id_loc.start) return t;
  return NULL; /* cannot happen: the same text parses the same way */
}

/* ---- the overlay: the extension's statements onto the base's ------------ */

/* Where a statement hangs in the merged tree: the pointer that holds it,
   and the pointer that holds its top-level statement. */
typedef struct place {
  ast_stmt **at, **top;
} place;

/* The part (category, indicator, section or target) with id ID among LIST
   and the categories in it; TOP is the top-level slot LIST hangs under
   (NULL for the scheme's own list). */
static bool find_part(ast_stmt **list, ast_stmt **top, const char *id, place *out) {
  for (ast_stmt **at = list; *at; at = &(*at)->next) {
    ast_stmt *st = *at;
    if (st->kind != ST_PART) continue;
    ast_stmt **t = top ? top : at;
    if (!strcmp(st->part->id, id)) {
      *out = (place){at, t};
      return true;
    }
    if (st->part->kind == PART_CATEGORY && find_part(&st->part->body, t, id, out)) return true;
  }
  return false;
}

/* The key a statement replaces its base's by: what names it in its kind. */
static const char *key_of(const ast_stmt *st) {
  switch (st->kind) {
  case ST_LET: return st->name;
  case ST_INPUT: return st->input->name;
  case ST_GRADE: return st->grade->id;
  case ST_EXAMPLE: return st->example->title;
  case ST_FORM: return st->form->name;
  case ST_REQUIRE: return st->name;
  case ST_RECORDS: return st->name;
  case ST_ROUND: return st->name ? "total" : "";
  case ST_TOTAL: case ST_PERIOD: case ST_PEERS: return "";
  default: return NULL; /* never replaces: added */
  }
}

/* The top-level statement of the base that EXT replaces (not a part). */
static bool find_same(ast_stmt **list, const ast_stmt *ext, place *out) {
  const char *key = key_of(ext);
  if (!key) return false;
  for (ast_stmt **at = list; *at; at = &(*at)->next) {
    const char *k = (*at)->kind == ext->kind ? key_of(*at) : NULL;
    if (k && !strcmp(k, key)) {
      *out = (place){at, at};
      return true;
    }
  }
  return false;
}

static bool is_own(ast_stmt *const *own, int n, const ast_stmt *st) {
  for (int i = 0; i < n; i++)
    if (own[i] == st) return true;
  return false;
}

/* Inherited examples forget what they expect of a dropped part (ID, or an
   item of it): the extension has no such column. */
static void forget_expects(ast_stmt *list, const char *id) {
  size_t n = strlen(id);
  for (ast_stmt *st = list; st; st = st->next) {
    if (st->kind != ST_EXAMPLE) continue;
    for (ast_given **g = &st->example->items; *g;) {
      const char *name = (*g)->name;
      if ((*g)->expect && !strncmp(name, id, n) && (name[n] == 0 || name[n] == '.')) {
        *g = (*g)->next;
      } else {
        g = &(*g)->next;
      }
    }
  }
}

/* Inherited examples forget what they expect of the dropped statement
   GONE and of the parts in it. */
static void forget_part(ast_stmt *list, const ast_stmt *gone) {
  if (gone->kind == ST_GRADE) {
    forget_expects(list, gone->grade->id);
    return;
  }
  forget_expects(list, gone->part->id);
  if (gone->part->kind == PART_CATEGORY)
    for (const ast_stmt *st = gone->part->body; st; st = st->next)
      if (st->kind == ST_PART) forget_part(list, st);
}

/* Inherited examples forget what they give a dropped input. */
static void forget_givens(ast_stmt *list, const char *input) {
  for (ast_stmt *st = list; st; st = st->next) {
    if (st->kind != ST_EXAMPLE) continue;
    for (ast_given **g = &st->example->items; *g;) {
      if (!(*g)->expect && !(*g)->stat && !strcmp((*g)->name, input)) {
        *g = (*g)->next;
      } else {
        g = &(*g)->next;
      }
    }
  }
}

/* `drop example "title"` and `drop input NAME`: the base's example of that
   title, or its input of that name, is left out. */
static bool drop_example_or_input(merge *m, ast_stmt **head, ast_stmt *const *own, int nown, const ast_stmt *st,
                                  const ast_scheme *s) {
  bool input = !strcmp(st->name2, "input");
  for (ast_stmt **at = head; *at; at = &(*at)->next) {
    if (is_own(own, nown, *at)) continue;
    if (input ? (*at)->kind == ST_INPUT && !strcmp((*at)->input->name, st->name)
              : (*at)->kind == ST_EXAMPLE && !strcmp((*at)->example->title, st->name)) {
      *at = (*at)->next;
      if (input) forget_givens(*head, st->name);
      return true;
    }
  }
  if (!already_said(m, st->name_loc))
    diag_error(m->diags, R0321, st->name_loc,
               input ? N_("the base scheme '%s' has no input '%s' to drop")
                     : N_("the base scheme '%s' has no example \"%s\" to drop"),
               s->base, st->name);
  return false;
}

/* `drop ID`: the base's part, target or grade ID is left out. */
static bool drop(merge *m, ast_stmt **head, ast_stmt *const *own, int nown, const ast_stmt *st,
                 const ast_scheme *s) {
  if (st->name2) return drop_example_or_input(m, head, own, nown, st, s);
  place p;
  bool found = find_part(head, NULL, st->name, &p) && !is_own(own, nown, *p.at);
  if (!found) {
    for (ast_stmt **at = head; *at && !found; at = &(*at)->next)
      if ((*at)->kind == ST_GRADE && !strcmp((*at)->grade->id, st->name) && !is_own(own, nown, *at)) {
        p.at = at;
        found = true;
      }
  }
  if (!found) {
    suggestion sg = {.want = st->name, .dist = 1 << 30};
    for (ast_stmt *t = *head; t; t = t->next) {
      if (t->kind == ST_PART) names_suggest(&sg, t->part->id);
      if (t->kind == ST_PART && t->part->kind == PART_CATEGORY)
        for (ast_stmt *u = t->part->body; u; u = u->next)
          if (u->kind == ST_PART) names_suggest(&sg, u->part->id);
      if (t->kind == ST_GRADE) names_suggest(&sg, t->grade->id);
    }
    if (!already_said(m, st->name_loc))
      diag_error(m->diags, R0321, st->name_loc, "the base scheme '%s' has no part, target or grade '%s' to drop%s",
                 s->base, st->name, sg.best ? arena_printf(m->arena, diag_tr("; did you mean '%s'?"), sg.best) : "");
    return false;
  }
  ast_stmt *gone = *p.at;
  *p.at = gone->next;
  forget_part(*head, gone);
  return true;
}

/* Splices the pending new lets and requirements [*FIRST, *LAST] in before
   the statement *AT. */
static void flush_before(ast_stmt **at, ast_stmt **first, ast_stmt **last) {
  if (!*first) return;
  (*last)->next = *at;
  *at = *first;
  *first = *last = NULL;
}

static void append(ast_stmt ***tail, ast_stmt *st) {
  st->next = NULL;
  **tail = st;
  *tail = &st->next;
}

/* S's body becomes the merged statements (false, reported, after a
   replacement or a drop that does not fit): BASE's, with each statement of S (the extension)
   that shares a base statement's id replacing it in its place (a part at any
   depth of the categories), and the others added at the end in their order;
   a new `let` or `require` goes before the first replacement that follows it
   in S, so that the replacement may read it. */
static bool overlay(merge *m, ast_scheme *s, ast_stmt *base) {
  ast_stmt *ext = s->body;
  bool fits = true;
  int nown = 0;
  for (ast_stmt *st = ext; st; st = st->next) nown++;
  ast_stmt **own = arena_alloc(m->arena, sizeof *own * (size_t)(nown ? nown : 1));
  nown = 0;
  for (ast_stmt *st = ext; st; st = st->next) own[nown++] = st;
  ast_stmt *head = base, **tail = &head;
  while (*tail) tail = &(*tail)->next;
  ast_stmt *pend_first = NULL, *pend_last = NULL;
  for (int i = 0; i < nown; i++) {
    ast_stmt *st = own[i];
    st->last = NULL;
    if (st->kind == ST_DROP) {
      fits &= drop(m, &head, own, i, st, s);
      tail = &head; /* the last statement may have been dropped */
      while (*tail) tail = &(*tail)->next;
      continue;
    }
    place p;
    bool found = st->kind == ST_PART ? find_part(&head, NULL, st->part->id, &p) : find_same(&head, st, &p);
    if (found && is_own(own, i, *p.at)) found = false; /* twice in the extension: the checker says so */
    if (found && st->kind == ST_PART) {
      const ast_part *was = (*p.at)->part, *now = st->part;
      if (was->kind != now->kind || was->section != now->section) {
        fits = false;
        if (!already_said(m, now->id_loc))
          diag_error(m->diags, R0321, now->id_loc,
                     "'%s' is %s in the base scheme '%s'; a replacement is of the same kind", now->id,
                     diag_tr(was->section == SECTION_BONUS       ? N_("a bonus section")
                             : was->section == SECTION_DEDUCTION ? N_("a deduction section")
                             : was->kind == PART_CATEGORY        ? N_("a category")
                             : was->kind == PART_TARGET          ? N_("a target")
                                                                 : N_("an indicator")),
                     s->base);
        continue;
      }
    }
    if (found) {
      st->next = (*p.at)->next;
      *p.at = st;
      flush_before(p.top, &pend_first, &pend_last);
      tail = &head;
      while (*tail) tail = &(*tail)->next;
      continue;
    }
    if (st->kind == ST_LET || st->kind == ST_REQUIRE) {
      st->next = NULL;
      if (pend_last) pend_last->next = st;
      else pend_first = st;
      pend_last = st;
      continue;
    }
    flush_before(tail, &pend_first, &pend_last);
    while (*tail) tail = &(*tail)->next;
    append(&tail, st);
  }
  flush_before(tail, &pend_first, &pend_last);
  if (fits) s->body = head;
  return fits;
}

/* ---- the chain -------------------------------------------------------------- */

/* Merges the statements of S's base (and of the base's base) into S's body.
   FILE holds S. Returns false, reported (each error once), when a base
   cannot be found, read or parsed, or the chain comes back to a scheme. */
static bool merge_scheme(merge *m, ast_file *file, ast_scheme *s) {
  if (!s->base) return true;
  if (strcmp(s->extends_word, "extends")) {
    if (!already_said(m, s->extends_loc))
      diag_error(m->diags, R0318, s->extends_loc,
                 "write 'extends BASE' (or 'extends BASE in \"file.rubric\"') after the title");
    return false;
  }
  ast_file *bfile = s->base_path ? base_file_of(m, s) : file;
  if (!bfile) return false;
  ast_scheme *b = NULL;
  suggestion sg = {.want = s->base, .dist = 1 << 30};
  for (ast_scheme *t = bfile->schemes; t && !b; t = t->next) {
    if (!strcmp(t->id, s->base)) b = t;
    else if (strcmp(t->id, s->id)) names_suggest(&sg, t->id);
  }
  if (!b) {
    if (!already_said(m, s->base_loc))
      diag_error(m->diags, R0318, s->base_loc, "no scheme '%s' in %s to extend%s", s->base,
                 s->base_path ? arena_printf(m->arena, "'%s'", s->base_path) : diag_tr("this file"),
                 sg.best ? arena_printf(m->arena, diag_tr("; did you mean '%s'?"), sg.best) : "");
    return false;
  }
  for (int i = 0; i < m->depth; i++)
    if (m->chain[i].src == bfile->src && m->chain[i].at == b->id_loc.start) {
      if (!already_said(m, s->base_loc)) {
        char *path = arena_strdup(m->arena, m->chain[i].id);
        for (int k = i + 1; k < m->depth; k++) path = arena_printf(m->arena, "%s → %s", path, m->chain[k].id);
        diag_error(m->diags, R0319, s->base_loc, "scheme '%s' extends itself: %s → %s", b->id, path, b->id);
      }
      return false;
    }
  if (m->depth == EXTENDS_MAX_CHAIN) { /* said where the chain starts, the scheme being checked */
    if (!already_said(m, m->top->base_loc))
      diag_error(m->diags, R0319, m->top->base_loc, "more than %d schemes extend one another in a chain",
                 EXTENDS_MAX_CHAIN);
    return false;
  }
  ast_scheme *copy = fresh_copy(m, bfile, b);
  if (!copy) return false;
  m->chain[m->depth++] = (struct link){bfile->src, b->id_loc.start, b->id};
  bool ok = merge_scheme(m, bfile, copy);
  m->depth--;
  if (!ok) return false;
  ast_stmt *base = copy->body;
  if (bfile != file) { /* the base file's own forms come along, unless the base declares its own */
    ast_stmt **tail = &base;
    while (*tail) tail = &(*tail)->next;
    m->diags->muted++;
    ast_file *again = parse_source(bfile->src, m->arena, m->diags);
    m->diags->muted--;
    for (ast_form *f = again->forms; f; f = f->next) {
      bool declared = false;
      for (ast_stmt *st = base; st && !declared; st = st->next)
        declared = st->kind == ST_FORM && !strcmp(st->form->name, f->name);
      if (declared) continue;
      ast_stmt *st = arena_alloc(m->arena, sizeof *st);
      st->kind = ST_FORM;
      st->loc = f->loc;
      st->form = f;
      f->last = NULL;
      *tail = st;
      tail = &st->next;
    }
  }
  return overlay(m, s, base);
}

void check_extends(ast_file *file, rb_arena *arena, rb_diags *diags, check_sources *read) {
  merge m = {.arena = arena, .diags = diags, .read = read};
  for (ast_scheme *s = file->schemes; s; s = s->next) {
    if (!s->base) continue;
    m.depth = 0;
    m.top = s;
    m.chain[m.depth++] = (struct link){file->src, s->id_loc.start, s->id};
    if (!merge_scheme(&m, file, s)) s->base_failed = true;
  }
  for (int i = 0; i < m.nfiles; i++) free(m.files[i].path);
  free(m.files);
  free(m.said);
}
