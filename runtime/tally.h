/* tally.h: the records pass (codegen/abi.h): every record of each record
 * table tested against its table's tallies by the native code, then
 * counted up per entity into the tally inputs' columns, before any other
 * pass reads them.
 */
#ifndef RUBRIC_TALLY_H
#define RUBRIC_TALLY_H
#include "batch.h"
#include "native.h"

/* Fills the column of every tally input of B with each entity's count
   (count * FIXED_ONE; 0 for an entity with no records), from the record
   tables B holds (nothing when it holds none: an example gives its counts).
   A record whose condition fails (a date outside the calendar) is not
   counted and makes its entity incomplete: the tally's input is marked bad
   in B (rb_batch.bad, allocated when NULL) with the record named,
   "FILE:LINE: record of entity 'x' in 处罚: why". The same bytes whatever
   the number of threads or the order of the records. */
void tally_records(const native_scheme *nat, rb_batch *b);

/* The fold alone, for tests: the tally K of S (its input's column of B)
   counted from the pass's results OUT (one per record of table T of B).
   Marks failed records as tally_records does (when READ: some rule reads
   the count; a count no rule reads cannot fail its entity); the sites of
   NAT (NULL: none) word them. */
void tally_fold(const sc_scheme *s, const native_scheme *nat, rb_batch *b, const rb_record_table *t, int k,
                const rb_fixed *out, bool read);

#endif
