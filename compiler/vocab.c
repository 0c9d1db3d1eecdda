/* vocab.c: the words of vocab.h as a scheme writes them. */
#include "vocab.h"

#include "diag.h"

const char *vocab_op_text(ex_op op) {
  static const char *text[] = {"+", "-", "*", "/", "<", "<=", ">", ">=", "==", "!=", "and", "or"};
  return text[op];
}

const char *vocab_builtin_name(bi_kind b) {
  static const char *names[BI__COUNT] = {
      "min", "max", "clamp", "ceil", "floor", "abs", "sum", "mean", "count", "best",
      "latest", "previous", "growth",
      "peers.max", "peers.min", "peers.mean", "peers.sum", "peers.count", "peers.rank",
      "peers.ratio_to_max", "peers.minmax", "peers.share", "peers.rank_ratio",
      "days_between", "workdays"};
  return names[b];
}

const char *vocab_part_kind_name(part_kind k) {
  /* the words are translated where messages use them (diag_tr) */
  return k == PART_CATEGORY ? N_("category") : k == PART_INDICATOR ? N_("indicator") : k == PART_ITEM ? N_("item") : N_("target");
}

const char *vocab_input_type_name(input_type t) {
  static const char *names[] = {"count", "number", "fraction", "money", "rank", "yesno", "assessed", "one of", "date"};
  return names[t];
}

const char *vocab_stat_name(stat_kind k) {
  static const char *names[] = {"peers.max", "peers.min", "peers.sum", "peers.mean", "peers.count", "peers.rank"};
  return names[k];
}
