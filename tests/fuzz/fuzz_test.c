/* fuzz_test.c: `rubric test` on scheme text: each scheme that checks clean
 * is compiled to native code through the JIT and its example blocks are run
 * through it, then its code is released. Native compilation takes
 * milliseconds, so this target runs far fewer inputs than fuzz_check; its
 * inputs are small schemes with examples (corpus/test/).
 */
#include <stdio.h>

#include "compile.h"
#include "examples.h"
#include "fuzz.h"
#include "native.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_sink out;
  fuzz_sink_open(&out);
  rb_diags d;
  diag_init(&d, out.f);
  d.quiet = true; /* as `rubric test`: warnings are for check */
  sc_file *f = compile_text("fuzz.rubric", (const char *)data, size, &d);
  for (int k = 0; f && k < f->nschemes; k++) {
    native_scheme *nat = native_compile(f->schemes[k], &d);
    if (!nat) {
      /* a scheme that checked clean must compile: LLVM refused what codegen
         made of it (R1601); show why, and stop here */
      fflush(out.f);
      fprintf(stderr, "fuzz_test: a clean scheme did not compile to native code:\n%.*s\n", (int)out.len, out.buf);
      __builtin_trap();
    }
    int passed = 0, failed = examples_run(nat, NULL, &d, &passed);
    if (failed < 0 || passed < 0 || passed + failed != f->schemes[k]->nexamples) __builtin_trap();
    native_release(nat);
  }
  compile_free(f);
  diag_finish(&d);
  fuzz_sink_close(&out);
  return 0;
}
