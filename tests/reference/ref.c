/* ref.c: the command line of rubric-ref, the reference interpreter.
 *
 *   rubric-ref SCHEME [--scheme ID] --entities FILE [--periods FILE]
 *              [--parents FILE] [--calendar FILE] [--records NAME=FILE]... [-o OUT] [--targets OUT2]
 *              [--scheme ID2 --entities FILE2 ...]... [--failures FILE]
 *
 * The options are those of `rubric score` (several jobs, each starting at
 * --scheme). Each job that scores writes its tables as `rubric score -o`
 * does; unlike rubric, a job that scores is written even when another job
 * fails. Each failing indicator, item or target is one line on standard
 * output (or --failures FILE):
 *
 *   ENTITIES <tab> ENTITY <tab> indicator|item|target PATH <tab> R12xx <tab> FILE:LINE:COL
 *
 * (ENTITIES: the job's --entities, as given).
 *
 * Exit status: 0 every job scored, 1 some entity failed, 2 usage, a scheme
 * that does not check, or tables that cannot be read.
 */
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "ref.h"

#define MAX_JOBS 64

static int usage(const char *why) {
  fprintf(stderr, "rubric-ref: %s\nusage: rubric-ref SCHEME [--scheme ID] --entities FILE [--periods FILE] "
                  "[--parents FILE] [--calendar FILE] [--records NAME=FILE] [-o OUT] [--targets OUT2] [--scheme ...]... [--failures FILE]\n", why);
  return 2;
}

int main(int argc, char **argv) {
  if (argc < 2) return usage("give a scheme file");
  job jobs[MAX_JOBS];
  const char *ids[MAX_JOBS] = {0}, *failures_path = NULL;
  memset(jobs, 0, sizeof jobs);
  int njobs = 1;
  for (int i = 2; i < argc; i++) {
    const char *opt = argv[i], *arg = i + 1 < argc ? argv[i + 1] : NULL;
    if (!arg) return usage("an option needs a value");
    i++;
    job *j = &jobs[njobs - 1];
    if (!strcmp(opt, "--scheme")) {
      if (ids[njobs - 1] || j->entities_path) {
        if (njobs == MAX_JOBS) return usage("too many jobs");
        j = &jobs[njobs++];
      }
      ids[njobs - 1] = arg;
    } else if (!strcmp(opt, "--entities")) j->entities_path = arg;
    else if (!strcmp(opt, "--periods")) j->periods_path = arg;
    else if (!strcmp(opt, "--parents")) j->parents_path = arg;
    else if (!strcmp(opt, "--calendar")) j->calendar_path = arg;
    else if (!strcmp(opt, "--records")) {
      const char *eq = strchr(arg, '=');
      if (!eq || j->nrecords == REF_MAX_RECORDS) return usage("--records takes NAME=FILE");
      argv[i][eq - arg] = 0; /* the name ends there; the text is ours to change */
      j->records_name[j->nrecords] = arg;
      j->records_path[j->nrecords++] = eq + 1;
    }
    else if (!strcmp(opt, "-o")) j->out_path = arg;
    else if (!strcmp(opt, "--targets")) j->targets_path = arg;
    else if (!strcmp(opt, "--failures")) failures_path = arg;
    else return usage("unknown option");
  }
  rb_diags diags;
  diag_init(&diags, stderr);
  diags.quiet = true; /* errors only */
  sc_file *file = compile_file(argv[1], &diags);
  if (!file || file->errors) {
    compile_free(file);
    return usage("the scheme file does not check");
  }
  FILE *failures = failures_path ? fopen(failures_path, "w") : stdout;
  if (!failures) return usage("cannot write the failures file");
  num_init();
  int status = 0;
  for (int k = 0; k < njobs && status < 2; k++) {
    job *j = &jobs[k];
    j->s = compile_find_scheme(file, ids[k]);
    if (!j->s || !j->entities_path) {
      status = usage("no such scheme, or no --entities");
      break;
    }
    if (!job_load(j)) status = 2;
    else if (job_score(j, failures)) status = 1;
    job_free(j);
  }
  num_done();
  if (failures != stdout) fclose(failures);
  compile_free(file);
  diag_finish(&diags);
  return status;
}
