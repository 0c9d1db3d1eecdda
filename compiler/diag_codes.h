/* diag_codes.h: every diagnostic's stable code (spec/diagnostics.md).
 *
 * X(code, name, summary): the code never changes once released; the name
 * and summary describe the rule for SARIF readers. Groups: R00 files,
 * R01 lexical, R02 syntax, R03 declarations, R04 types and units, R05
 * points, R06 tiers, R07 forms, R08 examples, R09 hygiene, R10 ranges.
 */
#define RUBRIC_DIAG_CODES(X)                                                                          \
  X(R0001, "unreadable-file", "a scheme file cannot be read")                                        \
  X(R0002, "empty-file", "a scheme file is empty or holds no scheme")                                \
  X(R0101, "bad-number", "a number literal is malformed or too large")                               \
  X(R0102, "exponent-notation", "numbers are written in full or with 万 and 亿, not 1e6")            \
  X(R0103, "bad-escape", "unknown escape sequence in a string")                                      \
  X(R0104, "unterminated-string", "a string does not close on its line")                             \
  X(R0105, "curly-quotes", "strings use straight quotes")                                            \
  X(R0106, "unexpected-character", "a character that is not part of Rubric")                         \
  X(R0107, "full-width-punctuation", "full-width punctuation instead of ASCII")                      \
  X(R0108, "bad-name", "a character that cannot be part of a name, or a unit word after a number")   \
  X(R0201, "syntax-error", "the text does not follow the grammar")                                   \
  X(R0202, "unterminated-block", "a '{' without its '}'")                                            \
  X(R0203, "too-deep", "an expression nested too deeply")                                             \
  X(R0204, "too-large", "a scheme, list or call beyond Rubric's limits")                              \
  X(R0301, "unknown-name", "a name that is not an input, a let or a parameter")                      \
  X(R0302, "unknown-function", "a call of a function or form that does not exist")                   \
  X(R0303, "duplicate", "something declared twice")                                                  \
  X(R0304, "reserved-name", "a name taken by a data column, an output column or a built-in")         \
  X(R0305, "dotted-name", "a declared name with a '.'")                                              \
  X(R0306, "misplaced", "a declaration where it cannot stand")                                       \
  X(R0307, "score-rule", "a part with no score rule, two, or both items and a rule")                 \
  X(R0308, "unknown-input-type", "an input type that does not exist")                                \
  X(R0309, "period", "a per-period input or period declaration that does not fit")                   \
  X(R0310, "input-range", "a declared input range that cannot hold")                                 \
  X(R0311, "no-total", "a scheme without a total or without indicators")                             \
  X(R0312, "peers", "a peer group or peer aggregate that does not fit")                              \
  X(R0313, "input-clause", "a 'from' or 'missing' clause of an input that does not fit")             \
  X(R0314, "target", "a target whose rule is not one comparison, or that stands in the wrong place") \
  X(R0315, "round", "a 'round' declaration that does not fit")                                       \
  X(R0316, "requirement", "a 'require' that is not a condition of an entity's own data, or has no message") \
  X(R0317, "labels", "a 'one of' input, a label or a 'by' lookup that does not fit")               \
  X(R0318, "extends", "an 'extends' clause that names no scheme to extend")                         \
  X(R0319, "extends-cycle", "a scheme that extends itself, directly or through others")              \
  X(R0320, "unreadable-base", "the file of a base scheme cannot be read")                           \
  X(R0321, "replacement", "a part that replaces or drops one of the base scheme's and does not fit") \
  X(R0340, "kind-input", "'for' that names no 'one of' input giving each entity's kind")            \
  X(R0341, "kind-label", "a kind in 'for' that is not one of the kind input's labels, or named twice") \
  X(R0342, "kind-missing", "a kind input with a 'missing' clause: every entity must have a kind")   \
  X(R0343, "kind-budget", "parts that do not add up for one kind of entity")                        \
  X(R0344, "kind-inputs", "parts that apply by two different kind inputs")                          \
  X(R0345, "kind-place", "'for' where it cannot stand")                                             \
  X(R0346, "kind-grade", "a grade on a part that applies to some kinds of entity only")              \
  X(R0347, "kind-example", "an example that expects a part that does not apply to its kind")         \
  X(R0330, "date", "a date input used as a number, compared with one, or given a range or a default") \
  X(R0350, "records", "a record table declared where it cannot stand, or with a field it cannot have") \
  X(R0351, "record-count", "a record table or its fields read other than in count(table where condition)") \
  X(R0352, "unused-records", "a record table no rule counts")                                         \
  X(R0401, "unit-mismatch", "values of different units added, compared or mixed")                    \
  X(R0402, "yes-no-as-number", "a yes/no value where a number is needed")                            \
  X(R0403, "number-as-condition", "a number where a yes/no condition is needed")                     \
  X(R0404, "per-period", "a per-period value where one value is needed")                             \
  X(R0405, "bare-fraction", "a fraction compared with a bare number: was a percentage meant?")       \
  X(R0406, "call-arguments", "a built-in function called with the wrong arguments")                  \
  X(R0407, "list-outside-example", "a [...] list outside an example")                                \
  X(R0408, "fraction-above-one", "a fraction compared with a bare number above 1")                  \
  X(R0409, "threshold-scale", "a tier's threshold a hundred times off its neighbours")               \
  X(R0410, "label-as-number", "a 'one of' input's label where a number or a condition is needed")     \
  X(R0501, "points-sum", "points that do not add up exactly")                                        \
  X(R0502, "missing-points", "'missing scores N' above the points of a part that reads the input")    \
  X(R0601, "tier-gap", "tiers that leave values without a score")                                    \
  X(R0602, "unreachable-tier", "a tier no value can reach")                                          \
  X(R0603, "dead-otherwise", "an 'otherwise' no value can reach")                                    \
  X(R0604, "linear-between-shape", "'linear between' without one tier below and one above")          \
  X(R0605, "tiers-out-of-order", "tier thresholds in the wrong order")                               \
  X(R0606, "no-interpolate", "the prelude lacks interpolate (internal)")                             \
  X(R0607, "shared-threshold", "two tiers that both include one threshold value")                   \
  X(R0608, "grade-gap", "grade bands that leave scores without a grade")                             \
  X(R0609, "grade-overlap", "grade bands that overlap")                                              \
  X(R0610, "grade-band", "a grade band whose condition is not a range of its subject (or a veto), or never applies") \
  X(R0701, "form-arguments", "a form called with the wrong arguments")                               \
  X(R0702, "recursive-form", "a form that calls itself")                                             \
  X(R0703, "form-scope", "a form that uses a name it cannot see, or a file-level form that uses 'undefined'") \
  X(R0801, "example-input", "an example gives an unknown input, or one twice")                       \
  X(R0802, "example-value", "an example value that does not fit its input")                          \
  X(R0803, "example-expect", "an example expects an unknown part, or one twice")                     \
  X(R0804, "example-missing-input", "an example does not give an input its expected scores read")    \
  X(R0805, "example-peers", "an example does not give a peer statistic its rules read, or gives an unknown one") \
  X(R0901, "unused-input", "an input no rule reads")                                                 \
  X(R0902, "grouped-argument", "an argument that reads as one number with a thousands separator")         \
  X(R0903, "input-not-in-examples", "an input no example gives")                                    \
  X(R0904, "part-not-in-examples", "an indicator no example checks")                                \
  X(R0905, "duplicate-title", "two parts with one title")                                           \
  X(R1001, "above-points", "a rule that can give more than its points")                             \
  X(R1002, "below-zero", "a rule that can give less than 0")                                        \
  X(R1003, "dead-points", "points no entity can earn")                                              \
  X(R1004, "zero-denominator", "a division whose denominator can be 0")                             \
  X(R1005, "never-positive", "a rule that can never give more than 0")                              \
  X(R1006, "budget", "proved maxima that do not add up to the declared total")                      \
  X(R1007, "never-scored", "a rule that is undefined whatever the inputs")                          \
  X(R1101, "unreadable-table", "a data table cannot be read")                                       \
  X(R1102, "malformed-table", "a data table that is not well-formed CSV")                           \
  X(R1103, "missing-column", "a column the scheme needs is not in the table")                       \
  X(R1104, "bad-cell", "a cell that is not a number, a yes/no, one of its labels or a period")                         \
  X(R1105, "out-of-range", "a value outside its input's range")                                     \
  X(R1106, "missing-value", "an empty cell where the scheme gives no default")                      \
  X(R1107, "duplicate-id", "an id on two rows")                                                     \
  X(R1108, "unknown-id", "a row that names an entity or parent with no row")                        \
  X(R1109, "period-rows", "a period given twice for an entity, or not at all")                      \
  X(R1110, "no-rows", "a table with no rows to score")                                              \
  X(R1111, "unused-table", "a table the scheme does not read, or one it needs and was not given")   \
  X(R1112, "encoding", "a table that is not UTF-8 text")                                            \
  X(R1113, "parent-cycle", "an entity that is its own parent, directly or through others")          \
  X(R1114, "requirement-unmet", "an entity whose data does not meet a 'require' of the scheme")      \
  X(R1180, "calendar", "a holiday calendar that cannot be read, is malformed, or is needed and not given") \
  X(R1181, "outside-calendar", "a date outside the range the holiday calendar covers")               \
  X(R1201, "undefined-case", "an entity in a case the scheme leaves undefined")                     \
  X(R1202, "division-by-zero", "a rule divides by zero for an entity")                              \
  X(R1203, "overflow", "a value that overflows: 10^20 or more in magnitude")                       \
  X(R1204, "peer-failed", "a peer statistic that cannot be computed because a peer's value fails")  \
  X(R1301, "example-failed", "an example whose expected result the native code does not give")      \
  X(R1401, "usage", "a command line that does not fit the command")                                 \
  X(R1402, "no-such-scheme", "a scheme id the file does not hold, or several schemes and no id")    \
  X(R1501, "cannot-write", "an output that cannot be written")                                      \
  X(R1601, "native-code", "the scheme cannot be compiled to native code (internal)")

typedef enum {
#define RUBRIC_DIAG_ENUM(code, name, summary) code,
  RUBRIC_DIAG_CODES(RUBRIC_DIAG_ENUM)
#undef RUBRIC_DIAG_ENUM
  DIAG_CODE_COUNT,
  DIAG_NO_CODE = DIAG_CODE_COUNT /* notes and data errors */
} diag_code;
