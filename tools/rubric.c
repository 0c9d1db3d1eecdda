/* rubric.c: the command-line driver: the language of messages, the format
 * of diagnostics, and the command (one file each: cmd_*.c).
 *
 *   rubric check FILE...                  names, units, points, tiers, examples
 *   rubric test FILE...                   run every example block natively
 *   rubric score SCHEME --entities F ...  score a table, write CSV or JSON
 *   rubric emit-llvm SCHEME               print the optimised LLVM IR
 *
 * Exit status: 0 success, 1 errors in a scheme, the data or a test, 2 usage
 * or I/O errors (a file that cannot be read or written).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <llvm-c/Core.h>

#include "native.h"
#include "options.h"

#define RUBRIC_VERSION RUBRIC_VERSION_TEXT

static const char *usage_main =
    "usage: rubric COMMAND [OPTIONS] FILE...\n"
    "\n"
    "Rubric compiles scoring schemes (indicators, points, rules) to native code.\n"
    "\n"
    "commands:\n"
    "  check FILE...        check schemes: syntax, names, units, points, tiers, examples\n"
    "  test FILE...         run the example blocks of each scheme\n"
    "  score SCHEME --entities FILE [--periods FILE] [-o OUT]\n"
    "                       score every entity of a table\n"
    "  report SCHEME --entities FILE [--periods FILE] [--previous OLD.csv] -o OUT.html\n"
    "                       the ranking as one HTML page: chart, heat map, points lost\n"
    "  explain SCHEME --entities FILE [--periods FILE] --id ID\n"
    "                       why an entity scored what it did (without --id: JSON lines)\n"
    "  emit-llvm SCHEME     print the optimised LLVM IR of a scheme\n"
    "\n"
    "options: --help (also after a command), --version, --lang zh|en (messages in\n"
    "         Chinese or English; a Chinese LANG or LC_MESSAGES chooses Chinese),\n"
    "         --diagnostics text|json|sarif (how errors are reported: check writes\n"
    "         the document on standard output, the other commands on standard error)\n"
    "exit status: 0 success; 1 errors in a scheme, the data or a test; 2 usage or I/O error;\n"
    "             3 scores written with some entities incomplete (score)\n";

static const struct {
  const char *name;
  int (*run)(int argc, char **argv, rb_diags *d);
} commands[] = {{"check", cmd_check}, {"test", cmd_test}, {"score", cmd_score}, {"report", cmd_report}, {"explain", cmd_explain}, {"emit-llvm", cmd_emit_llvm}};

/* Where the message catalogues are: beside the binary's folder (build tree:
   build/locale) or under share/locale (installed), or $RUBRIC_LOCALEDIR. */
static const char *locale_dir(void) {
  static char dir[4200];
  const char *env = getenv("RUBRIC_LOCALEDIR");
  if (env && *env) return env;
  char exe[4000];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0) return "/usr/share/locale";
  exe[n] = 0;
  char *slash = strrchr(exe, '/');
  if (slash) *slash = 0;
  static const char *tries[] = {"%s/../locale", "%s/../share/locale"};
  for (size_t i = 0; i < sizeof tries / sizeof *tries; i++) {
    snprintf(dir, sizeof dir, tries[i], exe);
    char mo[4300];
    snprintf(mo, sizeof mo, "%s/zh_CN/LC_MESSAGES/rubric.mo", dir);
    if (access(mo, R_OK) == 0) return dir;
  }
  snprintf(dir, sizeof dir, "/usr/share/locale/zh_CN/LC_MESSAGES/rubric.mo");
  return access(dir, R_OK) == 0 ? "/usr/share/locale" : NULL;
}

/* --lang zh|en anywhere on the line, else a Chinese LC_ALL / LC_MESSAGES /
   LANG picks Chinese. Removes the option from argv. Returns false on a bad value. */
static bool choose_language(int *argc, char **argv, rb_diags *d) {
  const char *lang = NULL;
  int w = 1;
  for (int i = 1; i < *argc; i++) {
    if (!strcmp(argv[i], "--lang")) {
      if (i + 1 >= *argc) {
        usage_error(d, NULL, "--lang takes zh or en");
        return false;
      }
      lang = argv[++i];
      continue;
    }
    if (!strncmp(argv[i], "--lang=", 7)) {
      lang = argv[i] + 7;
      continue;
    }
    argv[w++] = argv[i];
  }
  *argc = w;
  argv[w] = NULL;
  if (lang && strcmp(lang, "zh") && strcmp(lang, "en")) {
    usage_error(d, NULL, "--lang takes zh or en, not '%s'", lang);
    return false;
  }
  if (!lang) {
    const char *vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (int i = 0; i < 3 && !lang; i++) {
      const char *v = getenv(vars[i]);
      if (v && *v) lang = strncmp(v, "zh", 2) == 0 ? "zh" : "en";
    }
  }
  const char *dir = lang && !strcmp(lang, "zh") ? locale_dir() : NULL;
  if (lang && !strcmp(lang, "zh") && (!dir || !diag_set_language("zh", dir)))
    diag_summary(d, "rubric: Chinese messages are not available; using English"); /* not a warning of the run */
  return true;
}

/* --diagnostics FORMAT (or --diagnostics=FORMAT) anywhere on the line;
   removes it from argv. Returns false on a bad value. */
static bool choose_format(int *argc, char **argv, rb_diags *d) {
  int w = 1;
  const char *format = NULL;
  for (int i = 1; i < *argc; i++) {
    if (!strcmp(argv[i], "--diagnostics") && i + 1 < *argc) {
      format = argv[++i];
      continue;
    }
    if (!strncmp(argv[i], "--diagnostics=", 14)) {
      format = argv[i] + 14;
      continue;
    }
    argv[w++] = argv[i];
  }
  *argc = w;
  argv[w] = NULL;
  if (!format || !strcmp(format, "text")) return true;
  if (!strcmp(format, "json")) d->format = DIAG_JSON;
  else if (!strcmp(format, "sarif")) d->format = DIAG_SARIF;
  else {
    usage_error(d, NULL, "--diagnostics takes text, json or sarif, not '%s'", format);
    return false;
  }
  return true;
}

int main(int argc, char **argv) {
  rb_diags d;
  diag_init(&d, stderr);
  int code = EXIT_USAGE;
  if (!choose_format(&argc, argv, &d) || !choose_language(&argc, argv, &d)) goto done;
  if (argc < 2) {
    usage_error(&d, usage_main, "no command");
    goto done;
  }
  const char *cmd = argv[1];
  if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
    fputs(usage_main, stdout);
    code = EXIT_OK;
    goto done;
  }
  if (!strcmp(cmd, "--version")) {
    printf("rubric %s (LLVM %d.%d)\n", RUBRIC_VERSION, LLVM_VERSION_MAJOR, LLVM_VERSION_MINOR);
    code = EXIT_OK;
    goto done;
  }
  size_t k = 0;
  while (k < sizeof commands / sizeof *commands && strcmp(cmd, commands[k].name)) k++;
  if (k == sizeof commands / sizeof *commands) {
    usage_error(&d, usage_main, "unknown command '%s'", cmd);
    goto done;
  }
  optind = 1;
  opterr = 0; /* getopt's own messages bypass the diagnostics: unknown_option reports */
  code = commands[k].run(argc - 1, argv + 1, &d);
  native_shutdown(&d);
  LLVMShutdown();
done:
  diag_finish(&d); /* the JSON or SARIF document, at the end */
  return code;
}
