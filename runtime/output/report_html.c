/* report_html.c: a scored batch as one self-contained HTML page for the
 * people a ranking is handed to (scores.h): the ranking with changes
 * against a previous run, a bar chart of the totals, a heat map of the
 * share of points each entity earned on each indicator, each entity's
 * lost points, and the scheme's points table with its source lines.
 *
 * Everything is inline (CSS, SVG): the page makes no request, works
 * offline and prints on A4. No clock, no path of the machine: the same
 * scores give the same bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "scores.h"

/* TEXT with &, <, >, " escaped (NULL: nothing). */
static void html(FILE *out, const char *text) {
  for (const char *p = text ? text : ""; *p; p++) switch (*p) {
    case '&': fputs("&amp;", out); break;
    case '<': fputs("&lt;", out); break;
    case '>': fputs("&gt;", out); break;
    case '"': fputs("&quot;", out); break;
    default: fputc(*p, out);
    }
}

static void number(FILE *out, rb_fixed v, int decimals) {
  char buf[64];
  fixed_format(v, decimals, buf, sizeof buf);
  fputs(buf, out);
}

/* V as a signed change ("+1.5", "-2", "0"). */
static void change(FILE *out, rb_fixed v, int decimals) {
  if (v > 0) fputc('+', out);
  number(out, v, decimals);
}

static const char *style =
    "<style>\n"
    "@page { size: A4; margin: 12mm; }\n"
    "body { font-family: 'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'Microsoft YaHei', 'PingFang SC', sans-serif;\n"
    "  font-size: 13px; color: #222; margin: 16px; }\n"
    "h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 22px 0 8px; border-bottom: 1px solid #999; }\n"
    "h3 { font-size: 14px; margin: 14px 0 4px; }\n"
    "p.meta { color: #555; margin: 0 0 8px; }\n"
    "table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: 2px 6px; }\n"
    "th { background: #f0f0f0; font-weight: bold; } td.n { text-align: right; font-variant-numeric: tabular-nums; }\n"
    "tr.incomplete td { background: #fff3cd; } .up { color: #1a7f37; } .down { color: #c62828; }\n"
    "table.heat th.v { vertical-align: bottom; font-weight: normal; padding: 4px 2px; }\n"
    "table.heat th.v span { writing-mode: vertical-rl; display: inline-block; white-space: nowrap; }\n"
    "table.heat td { text-align: center; min-width: 2.2em; }\n"
    "td.doc { color: #444; max-width: 40em; } td.src { color: #777; white-space: nowrap; }\n"
    "section { page-break-inside: auto; } .entity { page-break-inside: avoid; }\n"
    "@media print { body { margin: 0; } h2 { page-break-after: avoid; } }\n"
    "</style>\n";

/* The previous total and rank of entity ID, or NULL. */
static const report_row *previous_of(const report_previous *prev, const char *id) {
  if (!prev) return NULL;
  size_t lo = 0, hi = prev->n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int c = strcmp(prev->rows[mid].id, id);
    if (!c) return &prev->rows[mid];
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return NULL;
}

static void ranking(FILE *out, const rb_scores *sc, const sc_scheme *s, const rb_batch *b, const write_opts *o,
                    const report_previous *prev) {
  const rb_fixed *total = sc->column[abi_out_total(s)];
  fprintf(out, "<section id=\"ranking\"><h2>%s</h2>\n<table>\n<tr><th>%s</th><th>%s</th><th>%s</th>",
          diag_tr("Ranking"), diag_tr("rank"), diag_tr("name"), diag_tr("total"));
  for (int i = 0; i < s->ngrades; i++) {
    fputs("<th>", out);
    html(out, s->grades[i].title && s->grades[i].title[0] ? s->grades[i].title : s->grades[i].id);
    fputs("</th>", out);
  }
  if (prev) fprintf(out, "<th>%s</th><th>%s</th>", diag_tr("rank change"), diag_tr("total change"));
  fprintf(out, "<th>%s</th></tr>\n", diag_tr("id"));
  for (size_t row = 0; row < sc->n; row++) {
    size_t r = o->order[row];
    bool complete = fixed_is_number(total[r]);
    fputs(complete ? "<tr>" : "<tr class=\"incomplete\">", out);
    if (complete) fprintf(out, "<td class=\"n\">%d</td><td>", sc->rank[r]);
    else fprintf(out, "<td>%s</td><td>", diag_tr("incomplete"));
    html(out, b->name[r] && b->name[r][0] ? b->name[r] : b->id[r]);
    fputs("</td><td class=\"n\">", out);
    if (complete) number(out, total[r], o->decimals);
    fputs("</td>", out);
    for (int i = 0; i < s->ngrades; i++) {
      const sc_band *band = write_band_of(sc, s, &s->grades[i], r);
      fputs("<td>", out);
      html(out, band ? band->name : NULL);
      fputs("</td>", out);
    }
    if (prev) {
      const report_row *p = previous_of(prev, b->id[r]);
      if (!p || !complete || !p->ranked) {
        fprintf(out, "<td>%s</td><td></td>", p ? "" : diag_tr("new"));
      } else {
        int moved = p->rank - sc->rank[r]; /* up the ranking is a smaller rank */
        fprintf(out, "<td class=\"n %s\">%s%d</td><td class=\"n\">", moved > 0 ? "up" : moved < 0 ? "down" : "",
                moved > 0 ? "▲" : moved < 0 ? "▼" : "", moved < 0 ? -moved : moved);
        change(out, fixed_round(total[r], o->decimals) - fixed_round(p->total, o->decimals), o->decimals);
        fputs("</td>", out);
      }
    }
    fputs("<td>", out);
    html(out, b->id[r]);
    fputs("</td></tr>\n", out);
    if (!complete && sc->reason && sc->reason[r]) {
      fprintf(out, "<tr class=\"incomplete\"><td></td><td colspan=\"%d\">", 3 + s->ngrades + (prev ? 2 : 0));
      html(out, sc->reason[r]);
      fputs("</td></tr>\n", out);
    }
  }
  fputs("</table></section>\n", out);
}

/* Horizontal bars of the totals, in ranking order, on the scale of the
   scheme's total points (or the largest total). */
static void bar_chart(FILE *out, const rb_scores *sc, const sc_scheme *s, const rb_batch *b, const write_opts *o) {
  const rb_fixed *total = sc->column[abi_out_total(s)];
  double scale = s->has_total ? dec_to_double(s->total) : 0;
  for (size_t r = 0; r < sc->n; r++)
    if (fixed_is_number(total[r]) && fixed_to_double(total[r]) > scale) scale = fixed_to_double(total[r]);
  if (scale <= 0) scale = 1;
  const int label = 170, width = 520, row_h = 22;
  fprintf(out,
          "<section id=\"chart\"><h2>%s</h2>\n"
          "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%zu\" role=\"img\">\n",
          diag_tr("Totals"), label + width + 80, (size_t)row_h * sc->n + 10);
  for (size_t row = 0; row < sc->n; row++) {
    size_t r = o->order[row];
    size_t y = (size_t)row_h * row + 4;
    fprintf(out, "<text x=\"%d\" y=\"%zu\" text-anchor=\"end\" font-size=\"13\">", label - 8, y + 14);
    html(out, b->name[r] && b->name[r][0] ? b->name[r] : b->id[r]);
    fputs("</text>", out);
    if (!fixed_is_number(total[r])) {
      fprintf(out, "<text x=\"%d\" y=\"%zu\" font-size=\"12\" fill=\"#a15c00\">%s</text>\n", label + 4, y + 14,
              diag_tr("incomplete"));
      continue;
    }
    double v = fixed_to_double(total[r]);
    int w = v > 0 ? (int)(v / scale * width + 0.5) : 0;
    fprintf(out, "<rect x=\"%d\" y=\"%zu\" width=\"%d\" height=\"%d\" fill=\"#3b78c4\"/>", label, y, w, row_h - 6);
    fprintf(out, "<text x=\"%d\" y=\"%zu\" font-size=\"12\">", label + w + 6, y + 13);
    number(out, total[r], o->decimals);
    fputs("</text>\n", out);
  }
  fputs("</svg></section>\n", out);
}

/* The share of its points entity R earned on part K, in [0, 1] (a
   deduction's indicator: 1 - taken / points); negative when there is none. */
static double earned(const rb_scores *sc, const sc_part *p, size_t r) {
  rb_fixed v = sc->column[p->index][r], points;
  if (!fixed_is_number(v) || !fixed_from_decimal(p->points, &points) || points <= 0) return -1;
  double share = fixed_to_double(v) / fixed_to_double(points);
  if (write_part_section(p) == SECTION_DEDUCTION) share = 1 - share;
  return share < 0 ? 0 : share > 1 ? 1 : share;
}

static void heat_map(FILE *out, const rb_scores *sc, const sc_scheme *s, const rb_batch *b, const write_opts *o) {
  fprintf(out, "<section id=\"heat\"><h2>%s</h2>\n<table class=\"heat\">\n<tr><th>%s</th>",
          diag_tr("Share of points earned, by indicator"), diag_tr("name"));
  for (int k = 0; k < s->nparts; k++) {
    if (s->parts[k]->kind != PART_INDICATOR) continue;
    char *head = write_part_head(s, k, true);
    fputs("<th class=\"v\"><span>", out);
    html(out, head);
    fputs("</span></th>", out);
    free(head);
  }
  fputs("</tr>\n", out);
  for (size_t row = 0; row < sc->n; row++) {
    size_t r = o->order[row];
    fputs("<tr><td>", out);
    html(out, b->name[r] && b->name[r][0] ? b->name[r] : b->id[r]);
    fputs("</td>", out);
    for (int k = 0; k < s->nparts; k++) {
      const sc_part *p = s->parts[k];
      if (p->kind != PART_INDICATOR) continue;
      double share = earned(sc, p, r);
      if (sc->column[k][r] == FIXED_EMPTY) { /* not for this entity's kind (`for`) */
        fputs("<td></td>", out);
        continue;
      }
      if (share < 0) {
        fputs("<td>–</td>", out);
        continue;
      }
      /* red (0) through yellow to green (all points) */
      fprintf(out, "<td style=\"background:hsl(%d,65%%,%d%%)\" title=\"", (int)(share * 120 + 0.5),
              78 - (int)(share * 8));
      html(out, p->title ? p->title : p->path);
      fputs("\">", out);
      number(out, sc->column[k][r], o->decimals);
      fputs("</td>", out);
    }
    fputs("</tr>\n", out);
  }
  fputs("</table></section>\n", out);
}

static void lost_points(FILE *out, const rb_scores *sc, const sc_scheme *s, const rb_batch *b, const write_opts *o) {
  const rb_fixed *total = sc->column[abi_out_total(s)];
  lost_point *lost = malloc(((size_t)s->nparts + 1) * sizeof *lost);
  if (!lost) abort();
  fprintf(out, "<section id=\"lost\"><h2>%s</h2>\n", diag_tr("Points lost"));
  for (size_t row = 0; row < sc->n; row++) {
    size_t r = o->order[row];
    int n = write_lost_points(sc, s, r, o->decimals, lost);
    fputs("<div class=\"entity\"><h3>", out);
    if (fixed_is_number(total[r])) fprintf(out, "%d. ", sc->rank[r]);
    html(out, b->name[r] && b->name[r][0] ? b->name[r] : b->id[r]);
    if (fixed_is_number(total[r])) {
      fprintf(out, " — %s ", diag_tr("total"));
      number(out, total[r], o->decimals);
    } else {
      fprintf(out, " — %s", diag_tr("incomplete"));
    }
    fputs("</h3>\n", out);
    if (!fixed_is_number(total[r]) && sc->reason && sc->reason[r]) {
      fputs("<p>", out);
      html(out, sc->reason[r]);
      fputs("</p>\n", out);
    }
    if (!n) {
      fprintf(out, "<p>%s</p></div>\n", diag_tr("No points lost."));
      continue;
    }
    fprintf(out, "<table><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>\n", diag_tr("indicator"),
            diag_tr("points"), diag_tr("score"), diag_tr("lost"));
    for (int i = 0; i < n; i++) {
      char *head = write_part_head(s, lost[i].part, true);
      fputs("<tr><td>", out);
      html(out, head);
      fputs("</td><td class=\"n\">", out);
      number(out, lost[i].points, -1);
      fputs("</td><td class=\"n\">", out);
      number(out, lost[i].score, o->decimals);
      fputs("</td><td class=\"n\">", out);
      number(out, lost[i].lost, o->decimals);
      fputs("</td></tr>\n", out);
      free(head);
    }
    fputs("</table></div>\n", out);
  }
  fputs("</section>\n", out);
  free(lost);
}

/* Each part with its points, where the scheme says it, and the document's
   words from the comment above it. */
static void points_table(FILE *out, const sc_scheme *s) {
  fprintf(out, "<section id=\"scheme\"><h2>%s</h2>\n<table>\n<tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>\n",
          diag_tr("The scheme"), diag_tr("part"), diag_tr("points"), diag_tr("source"), diag_tr("the document says"));
  for (int k = 0; k < s->nparts; k++) {
    const sc_part *p = s->parts[k];
    int depth = 0;
    for (const sc_part *q = p->parent; q; q = q->parent) depth++;
    char pts[64];
    dec_format(p->points, pts, sizeof pts);
    fprintf(out, "<tr><td style=\"padding-left:%dem\">", 1 + 2 * depth);
    if (p->kind == PART_CATEGORY) fputs("<b>", out);
    html(out, p->title && p->title[0] ? p->title : p->path);
    if (p->kind == PART_CATEGORY) fputs("</b>", out);
    const char *section = p->section == SECTION_BONUS ? diag_tr(" (bonus)") : p->section == SECTION_DEDUCTION ? diag_tr(" (deduction)") : "";
    fprintf(out, "%s</td><td class=\"n\">%s</td><td class=\"src\">", section, pts);
    if (p->loc.src) {
      const char *name = strrchr(p->loc.src->path, '/'); /* the file's name, not this machine's folders */
      html(out, name ? name + 1 : p->loc.src->path);
      fprintf(out, ":%d", p->loc.first_line);
    }
    fputs("</td><td class=\"doc\">", out);
    html(out, p->doc);
    fputs("</td></tr>\n", out);
  }
  fputs("</table></section>\n", out);
}

int write_report_html(FILE *out, const rb_scores *sc, const sc_scheme *s, const rb_batch *b, const write_opts *o,
                      const report_previous *prev, char *err, size_t errlen) {
  if (sc->n > REPORT_MAX_ENTITIES) {
    snprintf(err, errlen, diag_tr("a report shows at most %d entities, not %zu: write CSV or xlsx instead"),
             REPORT_MAX_ENTITIES, sc->n);
    return -1;
  }
  if (!s->nparts) {
    snprintf(err, errlen, "%s", diag_tr("a report is for a scheme with points; this one has only targets"));
    return -1;
  }
  size_t complete = 0;
  for (size_t r = 0; r < sc->n; r++) complete += fixed_is_number(sc->column[abi_out_total(s)][r]);
  /* TRANSLATORS: the language of the report page, as HTML names it (zh-CN) */
  fprintf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n<title>", diag_tr("en"));
  html(out, s->title ? s->title : s->id);
  fputs("</title>\n", out);
  fputs(style, out);
  fputs("</head>\n<body>\n<h1>", out);
  html(out, s->title ? s->title : s->id);
  fputs("</h1>\n<p class=\"meta\">", out);
  fprintf(out, diag_tr("%zu entities scored, %zu complete"), sc->n, complete);
  if (s->has_total) {
    char t[64];
    dec_format(s->total, t, sizeof t);
    fprintf(out, diag_tr("; total points %s"), t);
  }
  if (prev) fprintf(out, diag_tr("; changes against %s"), prev->name); /* a file's name, escaped by its reader */
  fputs("</p>\n", out);
  ranking(out, sc, s, b, o, prev);
  bar_chart(out, sc, s, b, o);
  heat_map(out, sc, s, b, o);
  lost_points(out, sc, s, b, o);
  points_table(out, s);
  fputs("</body>\n</html>\n", out);
  return 0;
}
