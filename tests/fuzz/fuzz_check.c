/* fuzz_check.c: scheme text through the whole front end: parse, check,
 * lower and the range proof (`rubric check`), with the diagnostics written
 * to memory.
 *
 * An input whose first line is a comment "#!FLAGS" chooses how the
 * diagnostics are written; it is scheme text like the rest (a comment), so
 * any .rubric file is an input. FLAGS are letters: j JSON, s SARIF
 * (diag_finish writes the document), z messages in Chinese, q quiet (errors
 * only), 1 stop printing after one error.
 */
#include <stdbool.h>
#include <string.h>

#include "compile.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static int chinese = -1; /* the language set by the run before */
  diag_format format = DIAG_TEXT;
  bool zh = false, quiet = false, one = false;
  if (size >= 2 && data[0] == '#' && data[1] == '!')
    for (size_t i = 2; i < size && data[i] != '\n'; i++) switch (data[i]) {
      case 'j': format = DIAG_JSON; break;
      case 's': format = DIAG_SARIF; break;
      case 'z': zh = true; break;
      case 'q': quiet = true; break;
      case '1': one = true; break;
      default: break;
      }
  if (chinese != (int)zh) {
    diag_set_language(zh ? "zh" : "en", fuzz_locale_dir());
    chinese = zh;
  }
  fuzz_sink out;
  fuzz_sink_open(&out);
  rb_diags d;
  diag_init(&d, out.f);
  d.format = format;
  d.quiet = quiet;
  if (one) d.max_errors = 1;
  sc_file *f = compile_text("fuzz.rubric", (const char *)data, size, &d);
  /* what later stages ask first: a scheme by id (ids are unique in a file
     that checked clean), and the only one */
  for (int k = 0; f && !f->errors && k < f->nschemes; k++)
    if (compile_find_scheme(f, f->schemes[k]->id) != f->schemes[k]) __builtin_trap();
  if (f) (void)compile_find_scheme(f, NULL);
  compile_free(f);
  diag_finish(&d);
  fuzz_sink_close(&out);
  return 0;
}
