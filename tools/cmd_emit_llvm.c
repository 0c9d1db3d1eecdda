/* cmd_emit_llvm.c: `rubric emit-llvm`: the optimised LLVM IR a scheme
 * compiles to, for reading.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "native.h"
#include "options.h"

static const char *usage =
    "usage: rubric emit-llvm SCHEME [--scheme ID]\n"
    "\n"
    "Prints the scheme's scoring function as optimised LLVM IR (default<O2> for this host).\n";

int emit_llvm(const sc_file *f, const char *id, rb_diags *d) {
  const sc_scheme *s = pick_scheme(f, id, d);
  if (!s) return EXIT_USAGE;
  char *ir = native_ir(s, d);
  if (!ir) return EXIT_ERRORS;
  fputs(ir, stdout);
  free(ir);
  return EXIT_OK;
}

int cmd_emit_llvm(int argc, char **argv, rb_diags *d) {
  static const struct option opts[] = {{"help", no_argument, 0, 'h'}, {"scheme", required_argument, 0, 's'}, {0}};
  const char *id = NULL;
  int c;
  while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    switch (c) {
    case 'h': fputs(usage, stdout); return EXIT_OK;
    case 's': id = optarg; break;
    default: return unknown_option(d, usage, argv);
    }
  }
  if (optind != argc - 1) return usage_error(d, usage, "give exactly one scheme file");
  const char *path = argv[optind];
  d->quiet = true;
  sc_file *f = compile_file(path, d);
  if (!f) return EXIT_USAGE;
  int code;
  if (f->errors) {
    if (f->errors == 1) diag_summary(d, "%s: not scored: %d error in the scheme", path, f->errors);
    else diag_summary(d, "%s: not scored: %d errors in the scheme", path, f->errors);
    code = EXIT_ERRORS;
  } else {
    code = emit_llvm(f, id, d);
  }
  compile_free(f);
  return code;
}
