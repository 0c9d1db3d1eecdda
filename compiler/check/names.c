/* names.c: what a name means: inputs, lets, forms, built-ins, parts,
 * targets and grades; reserved and dotted names; did-you-mean (ck.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ck.h"

static const char *reserved_columns[] = {"id", "name", "total", "rank"};

static void *name_get(const name_table *t, const char *key);

void *ck_regrow(ck *c, void *arr, size_t size, int n, int cap) {
  void *grown = arena_alloc(c->arena, size * (size_t)cap);
  if (n) memcpy(grown, arr, size * (size_t)n);
  return grown;
}

static int edit_distance(const char *a, const char *b) {
  size_t n = strlen(a), m = strlen(b);
  if (n > 40 || m > 40) return 99;
  int d[41][41];
  for (size_t i = 0; i <= n; i++) d[i][0] = (int)i;
  for (size_t j = 0; j <= m; j++) d[0][j] = (int)j;
  for (size_t i = 1; i <= n; i++)
    for (size_t j = 1; j <= m; j++) {
      int best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
      if (d[i - 1][j] + 1 < best) best = d[i - 1][j] + 1;
      if (d[i][j - 1] + 1 < best) best = d[i][j - 1] + 1;
      d[i][j] = best;
    }
  return d[n][m];
}

void names_suggest(suggestion *s, const char *candidate) {
  /* a name that differs only in ASCII case is the one meant: c级 for C级 */
  int d = strcasecmp(s->want, candidate) ? edit_distance(s->want, candidate) : 0;
  int limit = (int)strlen(s->want) / 3 + 1;
  if (d <= limit && d < s->dist) {
    s->dist = d;
    s->best = candidate;
  }
}

const char *names_did_you_mean(ck *c, suggestion *s) {
  return s->best ? arena_printf(c->arena, diag_tr("; did you mean '%s'?"), s->best) : "";
}

ast_input *names_input(ast_scheme *s, const char *name) { return s ? name_get(s->input_names, name) : NULL; }

ast_stmt *names_let(scope *sc, const char *name) {
  for (; sc; sc = sc->next)
    if (!strcmp(sc->let->name, name)) return sc->let;
  return NULL;
}

ast_form *names_form_in(ast_form *list, const char *name) {
  for (ast_form *f = list; f; f = f->next)
    if (!strcmp(f->name, name)) return f;
  return NULL;
}

ast_form *names_form(ck *c, const char *name) {
  ast_form *f = c->scheme ? names_form_in(c->scheme->forms, name) : NULL;
  if (!f) f = names_form_in(c->file->forms, name);
  if (!f && c->prelude) f = names_form_in(c->prelude->forms, name);
  return f;
}

int names_builtin(const char *name) {
  for (int i = 0; i < BI__COUNT; i++)
    if (!strcmp(vocab_builtin_name((bi_kind)i), name)) return i;
  return -1;
}

bool names_reserved(const char *id) {
  for (size_t i = 0; i < sizeof reserved_columns / sizeof *reserved_columns; i++)
    if (!strcmp(reserved_columns[i], id)) return true;
  return false;
}

/* Dotted names only address items in examples (expect finance_risk.cultivation). */
void names_dotted(rb_diags *diags, const char *name, rb_loc loc) {
  diag_error(diags, R0305, loc, "'%s': a name cannot contain '.' (dotted names address items in examples)", name);
}

void names_plain(ck *c, const char *name, rb_loc loc) {
  if (strchr(name, '.')) names_dotted(c->diags, name, loc);
}

/* ---- parts and targets by name ------------------------------------------------ */

/* Open addressing from a name to what it names; grows by doubling. */
struct name_table {
  size_t cap, n;
  const char **key;
  void **val;
};

static size_t name_hash(const char *s) {
  size_t h = 1469598103934665603ULL;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
  return h;
}

static size_t name_slot(const name_table *t, const char *key) {
  size_t i = name_hash(key) & (t->cap - 1);
  while (t->key[i] && strcmp(t->key[i], key)) i = (i + 1) & (t->cap - 1);
  return i;
}

static void *name_get(const name_table *t, const char *key) {
  if (!t) return NULL;
  size_t i = name_slot(t, key);
  return t->key[i] ? t->val[i] : NULL;
}

/* Stores KEY -> P unless KEY is there; returns what was there, or NULL. */
void *names_table_put(ck *c, name_table **tp, const char *key, void *p) {
  name_table *t = *tp;
  if (!t) {
    t = *tp = arena_alloc(c->arena, sizeof *t);
    t->cap = 16;
    t->key = arena_alloc(c->arena, sizeof *t->key * t->cap);
    t->val = arena_alloc(c->arena, sizeof *t->val * t->cap);
  }
  size_t i = name_slot(t, key);
  if (t->key[i]) return t->val[i];
  if (2 * (t->n + 1) > t->cap) {
    name_table grown = {2 * t->cap, 0, arena_alloc(c->arena, sizeof(char *) * 2 * t->cap),
                        arena_alloc(c->arena, sizeof(void *) * 2 * t->cap)};
    for (size_t k = 0; k < t->cap; k++)
      if (t->key[k]) {
        size_t j = name_slot(&grown, t->key[k]);
        grown.key[j] = t->key[k];
        grown.val[j] = t->val[k];
        grown.n++;
      }
    *t = grown;
    i = name_slot(t, key);
  }
  t->key[i] = key;
  t->val[i] = p;
  t->n++;
  return NULL;
}

void *names_table_get(const name_table *t, const char *key) { return name_get(t, key); }

ast_records *names_records(const ast_scheme *s, const char *name) {
  for (ast_records *t = s ? s->records : NULL; t; t = t->next)
    if (!strcmp(t->name, name)) return t;
  return NULL;
}

ast_input *names_field(const ast_scheme *s, const char *name) {
  for (ast_records *t = s ? s->records : NULL; t; t = t->next) {
    ast_input *in = name_get(t->field_names, name);
    if (in) return in;
  }
  return NULL;
}

ast_part *names_part(ast_scheme *s, const char *path) { return name_get(s->part_names, path); }
ast_part *names_target(ast_scheme *s, const char *id) { return name_get(s->target_names, id); }

ast_input *names_add_input(ck *c, ast_input *in) { return names_table_put(c, &c->scheme->input_names, in->name, in); }

ast_part *names_add_part(ck *c, ast_part *p) {
  ast_scheme *s = c->scheme;
  return names_table_put(c, p->kind == PART_TARGET ? &s->target_names : &s->part_names, p->path, p);
}

ast_grade *names_grade(ast_scheme *s, const char *id) {
  for (ast_grade *g = s->grades; g; g = g->next)
    if (!strcmp(g->id, id)) return g;
  return NULL;
}

const char *names_a_an(const char *word) { return strchr("aeiou", word[0]) ? "an" : "a"; }

const char *names_points(ck *c, rb_decimal d) {
  char t[64];
  dec_format(d, t, sizeof t);
  return arena_strdup(c->arena, t);
}

char *names_expr_text(ck *c, const ast_expr *e) {
  return arena_strndup(c->arena, e->loc.src->text + e->loc.start, e->loc.end - e->loc.start);
}

/* ---- sets of inputs ------------------------------------------------------------ */

typedef struct int_list {
  int n, cap;
  int *at;
} int_list;

static bool collect_input(const ast_expr *e, void *list) {
  if (e->kind != EX_NAME || e->name.ref != REF_INPUT) return false;
  int_list *l = list;
  if (l->n == l->cap) {
    l->cap = l->cap ? 2 * l->cap : 16;
    l->at = realloc(l->at, sizeof *l->at * (size_t)l->cap);
    if (!l->at) abort();
  }
  l->at[l->n++] = e->name.input->index;
  return false;
}

static int by_index(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }

void names_union(ck *c, int **ids, int *n, const int *b, int nb) {
  if (!nb) return;
  int *out = arena_alloc(c->arena, sizeof *out * (size_t)(*n + nb));
  int i = 0, j = 0, k = 0;
  while (i < *n || j < nb) {
    int x = j >= nb || (i < *n && (*ids)[i] <= b[j]) ? (*ids)[i] : b[j];
    if (i < *n && (*ids)[i] == x) i++;
    if (j < nb && b[j] == x) j++;
    out[k++] = x;
  }
  *ids = out;
  *n = k;
}

void names_add_reads(ck *c, int **ids, int *n, const ast_expr *e) {
  int_list l = {0};
  ast_any(e, collect_input, &l);
  if (l.n) {
    qsort(l.at, (size_t)l.n, sizeof *l.at, by_index);
    int k = 0;
    for (int i = 0; i < l.n; i++)
      if (!k || l.at[k - 1] != l.at[i]) l.at[k++] = l.at[i];
    names_union(c, ids, n, l.at, k);
  }
  free(l.at);
}

unsigned char *names_inputs_read(ck *c, ast_scheme *s) {
  unsigned char *used = arena_alloc(c->arena, (size_t)(s->ninputs ? s->ninputs : 1));
  for (int p = 0; p < s->nparts; p++)
    for (int k = 0; k < s->part_at[p]->nuses; k++) used[s->part_at[p]->uses[k]] = 1;
  for (int t = 0; t < s->ntargets; t++)
    for (int k = 0; k < s->target_at[t]->nuses; k++) used[s->target_at[t]->uses[k]] = 1;
  for (int r = 0; r < s->nrequires; r++)
    for (int k = 0; k < s->nrequire_uses[r]; k++) used[s->require_uses[r][k]] = 1;
  for (int g = 0; g < s->ngrades; g++)
    for (int k = 0; k < s->grade_at[g]->nreads; k++) used[s->grade_at[g]->reads[k]] = 1;
  return used;
}

int names_label(const ast_input *in, const char *name) {
  int i = 0;
  for (const ast_arg *l = in->labels; l; l = l->next, i++)
    if (!strcmp(l->name, name)) return i;
  return -1;
}

const char *names_labels_text(ck *c, const ast_input *in) {
  const char *text = "";
  for (const ast_arg *l = in->labels; l; l = l->next)
    text = arena_printf(c->arena, "%s%s%s", text, *text ? ", " : "", l->name);
  return text;
}
