/* cmd_explain.c: `rubric explain`: why an entity scored what it did. The
 * scheme is compiled with probes (codegen.h), so the explanation is what
 * the native code computed, not a second evaluation of the rules.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "explain.h"
#include "file.h"
#include "native.h"
#include "options.h"

static const char *usage =
    "usage: rubric explain SCHEME [--scheme ID] --entities FILE [--periods FILE] [--parents FILE]\n"
    "                      [--records NAME=FILE ...] [--id ID] [--format text|json] [-o OUT] [options]\n"
    "\n"
    "Scores every entity as `rubric score` does and explains the scores: each\n"
    "part with a rule, largest loss first, with its points, score and loss, the\n"
    "scheme's line and the document's words, the inputs it read, the values of\n"
    "its lets, the tier each tier list took and what the next better tier needs;\n"
    "each grade's band and the points the next band needs.\n"
    "\n"
    "  --id ID           the entity to explain (text; --format json: one JSON line);\n"
    "                    without it, every entity as JSON lines\n"
    "  --format F        text or json\n"
    "  --decimals N      round the numbers shown half up to N decimals\n"
    "  -o, --output OUT  where it goes (default: standard output)\n"
    "  --entities, --periods, --parents, --calendar, --records, --scheme, --encoding,\n"
    "  --partial-data, --no-cache: as for `rubric score`\n"
    "exit status: 0 explained (an incomplete entity too: its reason is shown), 1 errors\n"
    "in the scheme or the data, 2 usage or I/O error (an id no row has)\n";

int cmd_explain(int argc, char **argv, rb_diags *d) {
  static const struct option opts[] = {
      {"help", no_argument, 0, 'h'},          {"entities", required_argument, 0, 'e'},
      {"periods", required_argument, 0, 'p'}, {"parents", required_argument, 0, 'P'},
      {"scheme", required_argument, 0, 's'},  {"id", required_argument, 0, 'i'},
      {"format", required_argument, 0, 'F'},  {"decimals", required_argument, 0, 'D'},
      {"output", required_argument, 0, 'o'},  {"encoding", required_argument, 0, 'N'},
      {"no-cache", no_argument, 0, 'C'},      {"partial-data", no_argument, 0, 'B'},
      {"calendar", required_argument, 0, 'K'}, {"records", required_argument, 0, 'G'}, {0}};
  rb_tables tables = {0};
  records_opt records = {0};
  const char *scheme_id = NULL, *id = NULL, *output = NULL;
  int decimals = -1, json = -1;
  bool no_cache = false;
  int c;
  while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
    switch (c) {
    case 'h': fputs(usage, stdout); return EXIT_OK;
    case 'e': tables.entities = optarg; break;
    case 'p': tables.periods = optarg; break;
    case 'P': tables.parents = optarg; break;
    case 'K': tables.calendar = optarg; break;
    case 'G':
      if (option_records(optarg, &records, d, usage)) return EXIT_USAGE;
      break;
    case 's': scheme_id = optarg; break;
    case 'i': id = optarg; break;
    case 'o': output = optarg; break;
    case 'C': no_cache = true; break;
    case 'B': tables.partial = true; break;
    case 'N':
      if (!csv_encoding_named(optarg, &tables.encoding))
        return usage_error(d, usage, "--encoding is auto, utf-8, gbk or gb18030, not '%s'", optarg);
      break;
    case 'F':
      if (!strcmp(optarg, "json")) json = 1;
      else if (!strcmp(optarg, "text")) json = 0;
      else return usage_error(d, usage, "--format is text or json, not '%s'", optarg);
      break;
    case 'D': {
      long v;
      if (!option_int(optarg, 0, 18, &v))
        return usage_error(d, usage, "--decimals takes a whole number from 0 to 18, not '%s'", optarg);
      decimals = (int)v;
      break;
    }
    default: return unknown_option(d, usage, argv);
    }
  }
  if (optind != argc - 1) return usage_error(d, usage, "give exactly one scheme file");
  if (!tables.entities) return usage_error(d, usage, "explain needs --entities FILE");
  tables.records = records.given;
  tables.nrecords = records.n;
  if (json == 0 && !id) return usage_error(d, usage, "text explains one entity: give --id ID (or --format json)");
  if (json < 0) json = id == NULL;
  native_use_cache(!no_cache, false);
  d->quiet = true; /* warnings are for `rubric check` */
  const char *path = argv[optind];
  sc_file *f = compile_file(path, d);
  if (!f) return EXIT_USAGE;
  int code = EXIT_OK;
  const sc_scheme *s = NULL;
  rb_batch *b = NULL;
  native_scheme *nat = NULL;
  rb_scores *sc = NULL;
  cg_probe *probes = NULL;
  int nprobes = 0;
  if (f->errors) {
    diag_summary(d, "%s: not explained: the scheme has errors", path);
    code = EXIT_ERRORS;
    goto done;
  }
  s = pick_scheme(f, scheme_id, d);
  if (!s) {
    code = EXIT_USAGE;
    goto done;
  }
  if (scheme_has_periods(s) && !tables.periods) {
    code = usage_error(d, usage, "scheme '%s' has per-period inputs: give their table with --periods FILE", s->id);
    goto done;
  }
  b = batch_load(s, &tables, d);
  if (!b) {
    diag_summary(d, "rubric: %s", diag_tr("nothing explained: the data has errors"));
    code = EXIT_ERRORS;
    goto done;
  }
  size_t row = 0;
  if (id) {
    while (row < b->n && strcmp(b->id[row], id)) row++;
    if (row == b->n) {
      code = usage_error(d, usage, "no entity of %s has the id '%s'", b->entities_path, id);
      goto done;
    }
  }
  nprobes = cg_probes(s, &probes);
  nat = native_compile_probed(s, probes, nprobes, d);
  if (!nat) {
    code = EXIT_ERRORS;
    goto done;
  }
  sc = scores_run(nat, b, false); /* explained with its inputs */
  scores_explain_incomplete(sc, nat); /* an incomplete entity's reason is part of its explanation */
  char err[1024];
  out_file *out = out_open(output, err, sizeof err);
  if (!out) {
    diag_plain(d, DIAG_ERROR, R1501, NULL, "%s", err);
    code = EXIT_USAGE;
    goto done;
  }
  explain_ctx x = {nat, sc, b, probes, nprobes, decimals, NULL};
  explain_prepare(&x);
  FILE *fp = out_stream(out);
  if (id && !json) explain_text(fp, &x, row);
  else if (id) explain_json(fp, &x, row);
  else
    for (size_t r = 0; r < b->n; r++) explain_json(fp, &x, r);
  explain_release(&x);
  if (out_commit(out, err, sizeof err)) {
    diag_plain(d, DIAG_ERROR, R1501, NULL, "%s", err);
    code = EXIT_USAGE;
  }
done:
  scores_free(sc);
  native_release(nat);
  free(probes);
  batch_free(b);
  compile_free(f);
  return code;
}
