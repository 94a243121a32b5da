/*
 * figs.c — terminal output shared by run, compare and info: the --format
 * flag, lists of headline figures printed as an aligned table, CSV or
 * JSON, and the test for whether a progress bar belongs on stderr.
 */
#include "run.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* --format table|csv|json. */
int cli_format_parse(const char *cmd, const char *s)
{
    if (s && !strcmp(s, "table")) return CLI_FMT_TABLE;
    if (s && !strcmp(s, "csv")) return CLI_FMT_CSV;
    if (s && !strcmp(s, "json")) return CLI_FMT_JSON;
    cli_usage(cmd, "--format must be table, csv or json (got '%s')", s ? s : "");
    return -1;
}

/* A bar only on a terminal, and never under CI. */
int cli_progress_wanted(void)
{
    const char *ci = getenv("CI");
    if (ci && *ci && strcmp(ci, "false") && strcmp(ci, "0")) return 0;
    return isatty(2);
}

/* Redraw the bar after `done` of `total` units (steps of `run`, draws of
 * `mc` and `sensitivity`); the percentage is drawn only when it changes. */
int cli_bar_update(void *ctx, size_t done, size_t total)
{
    cli_bar *b = ctx;
    int pct = total ? (int)(done * 100 / total) : 100;
    if (pct == b->last) return 0;
    b->last = pct;
    char fill[31];
    int k = pct * 30 / 100;
    for (int i = 0; i < 30; i++) fill[i] = i < k ? '#' : '.';
    fill[30] = 0;
    fprintf(stderr, "\r%.40s [%s] %3d%%  %s %zu/%zu", b->label, fill, pct, b->unit, done, total);
    if (done >= total) fputs("\r\033[K", stderr);
    fflush(stderr);
    return 0;
}

/* Append a figure. */
int cli_figs_add(cli_figs *f, const char *name, const char *unit, const char *fmt, ...)
{
    if (f->n == f->cap) {
        size_t nc = f->cap ? f->cap * 2 : 16;
        cli_fig *nv = realloc(f->v, nc * sizeof *nv);
        if (!nv) return -1;
        f->v = nv;
        f->cap = nc;
    }
    cli_fig *g = &f->v[f->n++];
    snprintf(g->name, sizeof g->name, "%s", name);
    snprintf(g->unit, sizeof g->unit, "%s", unit ? unit : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(g->value, sizeof g->value, fmt, ap);
    va_end(ap);
    return 0;
}

/* Release a figure list. */
void cli_figs_free(cli_figs *f)
{
    free(f->v);
    memset(f, 0, sizeof *f);
}

/* JSON string literal. */
void cli_json_str(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\') { fputc('\\', out); fputc(*p, out); }
        else if (*p == '\n') fputs("\\n", out);
        else if (*p < 0x20) fprintf(out, "\\u%04x", *p);
        else fputc(*p, out);
    }
    fputc('"', out);
}

/* One CSV field, RFC 4180 quoting when needed. */
void cli_csv_field(FILE *out, const char *s)
{
    if (!s) s = "";
    if (!strpbrk(s, ",\"\n\r")) { fputs(s, out); return; }
    fputc('"', out);
    for (; *s; s++) { if (*s == '"') fputc('"', out); fputc(*s, out); }
    fputc('"', out);
}

/* Is the text a JSON-compatible number? */
static int is_number(const char *s)
{
    double v;
    return *s && cp_parse_double(s, &v) == 0 && strspn(s, "0123456789+-.eE") == strlen(s);
}

/* Print the figures in the chosen format. */
void cli_figs_print(const cli_figs *f, int format, FILE *out)
{
    if (format == CLI_FMT_CSV) {
        fputs("figure,value,unit\n", out);
        for (size_t i = 0; i < f->n; i++) {
            cli_csv_field(out, f->v[i].name); fputc(',', out);
            cli_csv_field(out, f->v[i].value); fputc(',', out);
            cli_csv_field(out, f->v[i].unit); fputc('\n', out);
        }
        return;
    }
    if (format == CLI_FMT_JSON) {
        fputs("{\n", out);
        for (size_t i = 0; i < f->n; i++) {
            char key[64];
            size_t k = 0;
            for (const char *p = f->v[i].name; *p && k + 1 < sizeof key; p++)
                key[k++] = isalnum((unsigned char)*p) ? *p : '_';
            key[k] = 0;
            fputs("  ", out);
            cli_json_str(out, key);
            fputs(": ", out);
            const char *v = f->v[i].value;
            if (is_number(v) || !strcmp(v, "true") || !strcmp(v, "false")) fputs(v, out);
            else cli_json_str(out, v);
            fputs(i + 1 < f->n ? ",\n" : "\n", out);
        }
        fputs("}\n", out);
        return;
    }
    size_t wn = strlen("FIGURE"), wv = strlen("VALUE");
    for (size_t i = 0; i < f->n; i++) {
        if (strlen(f->v[i].name) > wn) wn = strlen(f->v[i].name);
        if (strlen(f->v[i].value) > wv) wv = strlen(f->v[i].value);
    }
    fprintf(out, "%-*s  %*s  %s\n", (int)wn, "FIGURE", (int)wv, "VALUE", "UNIT");
    for (size_t i = 0; i < f->n; i++) {
        const char *v = f->v[i].value;
        const char *u = f->v[i].unit, *gap = *u ? "  " : "";
        if (is_number(v)) fprintf(out, "%-*s  %*s%s%s\n", (int)wn, f->v[i].name, (int)wv, v, gap, u);
        else if (*u) fprintf(out, "%-*s  %-*s%s%s\n", (int)wn, f->v[i].name, (int)wv, v, gap, u);
        else fprintf(out, "%-*s  %s\n", (int)wn, f->v[i].name, v);
    }
}
