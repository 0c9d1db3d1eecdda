/* score.h: a batch scored by a scheme's native code, and the entities whose
 * score failed, reported by entity and rule.
 */
#ifndef RUBRIC_SCORE_H
#define RUBRIC_SCORE_H
#include "batch.h"
#include "diag.h"
#include "native.h"

typedef struct rb_scores {
  size_t n;
  int ncolumns;
  rb_fixed **column; /* owned: abi_out_count(s) columns of n numbers (abi.h: parts, total, targets, grades) */
  void *block;       /* owned: the memory of every column */
  int *rank;       /* owned (pages.h): competition rank by total within the peer group */
  /* scores_explain_incomplete: why each incomplete row is (owned text, NULL
     for a complete row; NULL itself when every row is complete) */
  char **reason;
  size_t nincomplete;
  /* bad_cells_apply: for each row whose scores read a bad cell, which cells
     (owned text), its own (ABI_DATA_ERROR) and a peer's (ABI_PEER_DATA_ERROR);
     NULL themselves when no row does */
  char **data_error, **peer_data_error;
  diag_code *data_error_code;  /* the code of the row's first bad cell */
  /* for a score that reads a count of records whose condition failed
     (ABI_TALLY_ERROR(k)): the count's reason for the row, [k * n + r] (owned
     copies; NULL when none failed) */
  char **tally_error;
  diag_code *tally_error_code;
  size_t ntally_error;
} rb_scores;

/* Runs the records pass (tally.h: it writes B's tally columns, and may
   mark rows of B bad), the passes of the peer statistics, stage by stage
   (when the scheme has them), and then the scoring function of N over the
   batch B. RELEASE, for a caller that reads no input after but the
   assessed ones (IN_ASSESSED, which the writers print): every other
   input's cells go back to the system as their rows are scored, and its
   column is NULL after (batch.h), so the outputs take the inputs' memory
   instead of adding to it. Caller owns the result; free with scores_free. */
rb_scores *scores_run(const native_scheme *n, rb_batch *b, bool release);

/* The passes before scoring alone, stage by stage, for tables of N rows
   (abi.h): STATS[k] gets statistic k of every row's group (GROUP[r] in [0, NGROUPS)); nothing
   when N's scheme reads no peer statistic. */
void scores_peer_stats(const native_scheme *nat, const void *const *inputs, size_t n, const int64_t *group,
                       size_t ngroups, rb_fixed *const *stats);
void scores_free(rb_scores *sc);

/* Reports every entity whose score failed ("entity 371721 (曹县):
   indicator info_collection: ..."), naming the rule's source location.
   Returns the number of failed entities. */
int scores_report_errors(const rb_scores *sc, const native_scheme *n, const rb_batch *b, rb_diags *d);

/* Whether row R scored whole: its total and every target's margin are numbers. */
bool scores_row_complete(const rb_scores *sc, const sc_scheme *s, size_t r);

/* Fills SC's reasons: for each incomplete row, what failed and why, e.g.
   "indicator risk.share: the scheme leaves this case undefined: ...
   (f.rubric:12:5)", several joined by "; ", in the messages' language.
   Returns the number of incomplete rows. */
size_t scores_explain_incomplete(rb_scores *sc, const native_scheme *n);

#endif
