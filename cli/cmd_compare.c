/*
 * cmd_compare.c — `chokepoint compare A.yaml B.yaml ...`: run several
 * scenarios through the same path as `run` (cli_run_scenario) and print
 * their headline figures side by side: GDP loss where the run has one,
 * else production and value-added loss, the worst industries and the
 * step (and month) of the deepest shortfall.
 */
#include "run.h"

#include <ftw.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char help[] =
    "usage: chokepoint compare A.yaml B.yaml [C.yaml ...] [--out DIR] [--top K]\n"
    "                          [--table TABLE] [--steps N] [--store PATH | --no-store]\n"
    "                          [--format table|csv|json]\n"
    "                          [--balance-tol X] [--no-validate] [--max-file-mb N]\n"
    "\n"
    "Run several scenarios (each exactly as `chokepoint run` would) and print them\n"
    "side by side: GDP loss where the run has a GDP basis, production loss, value\n"
    "added loss and final demand unmet (in the table's unit), the lowest ratio of\n"
    "total production to its baseline and the step (and month, when the scenario\n"
    "has a start_date) where it falls lowest, and the K industries (default 3)\n"
    "with the largest value-added loss.\n"
    "\n"
    "Every scenario is checked before any runs; all errors of all files are\n"
    "printed at once.  Each run is recorded in the run store unless --no-store.\n"
    "\n"
    "  --out DIR         keep each run's outputs in DIR/N-NAME (N = position,\n"
    "                    NAME = the file name without .yaml); default: a\n"
    "                    temporary directory, removed afterwards\n"
    "  --top K           worst industries to show (default 3, 0 for none)\n"
    "  --table TABLE     use this table for every scenario\n"
    "  --steps N         override the number of steps of every scenario\n"
    "  --store PATH      record the runs in this store; --no-store: do not record\n"
    "  --format F        table (default), csv (figure,unit,one column per scenario)\n"
    "                    or json (one object per scenario)\n"
    "  --balance-tol X, --no-validate, --max-file-mb N   as for `info`\n"
    "\n"
    "exit status: 0 ok, 1 model or run failure, 2 usage or input error\n";

/* One compared run, read back from its summary.json. */
typedef struct cmp_run {
    const char *path;
    char dir[4200];
    cli_run_result res;
    json_t *sum;
} cmp_run;

/* Remove one entry of a temporary output tree (nftw callback). */
static int rm_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st; (void)flag; (void)ftw;
    return remove(p);
}

/* A number member (NaN when missing). */
static double jnum(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* The table unit of a run. */
static const char *unit_of(const cmp_run *r)
{
    const char *u = json_string_value(json_object_get(json_object_get(r->sum, "table"), "unit"));
    return u ? u : "";
}

/* GDP loss of a run (value, unit) when its summary has one. */
static int gdp_of(const cmp_run *r, double *v, const char **u)
{
    json_t *g = json_object_get(r->sum, "gdp_loss");
    if (json_is_object(g) && json_is_number(json_object_get(g, "value"))) {
        *v = jnum(g, "value");
        *u = json_string_value(json_object_get(g, "unit"));
        if (!*u) *u = unit_of(r);
        return 1;
    }
    if (json_is_number(g)) { *v = json_number_value(g); *u = unit_of(r); return 1; }
    return 0;
}

/* "YYYY-MM" of the step's date, or "" without a start date. */
static void month_of(const cmp_run *r, long step, char *buf, size_t cap)
{
    buf[0] = 0;
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (!r->res.start_date[0] || sscanf(r->res.start_date, "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3) return;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    tm.tm_mday += (int)(step * (r->res.step_days > 0 ? r->res.step_days : 1));
    time_t t = timegm(&tm);
    struct tm o;
    gmtime_r(&t, &o);
    snprintf(buf, cap, "%04d-%02d", o.tm_year + 1900, o.tm_mon + 1);
}

/* Indices of by_sector entries sorted by value-added loss, largest first
 * (selection of the top k; returns how many). */
static size_t worst(json_t *bs, size_t k, size_t *out)
{
    size_t n = json_array_size(bs), got = 0;
    for (; got < k && got < n; got++) {
        long best = -1;
        double bv = -INFINITY;
        for (size_t i = 0; i < n; i++) {
            int used = 0;
            for (size_t j = 0; j < got; j++) if (out[j] == i) used = 1;
            double v = jnum(json_array_get(bs, i), "value_added_loss");
            if (!used && v > bv) { bv = v; best = (long)i; }
        }
        if (best < 0) break;
        out[got] = (size_t)best;
    }
    return got;
}

/* The side-by-side grid: rows of figures, one column per run. */
typedef struct grid { size_t nr, nc; char (*label)[96]; char (*unit)[64]; char (*cell)[128]; } grid;

/* Fill the grid from the runs. */
static int build_grid(grid *g, cmp_run *r, size_t nr, size_t top)
{
    size_t rows = 10 + top;
    g->nc = nr;
    g->nr = 0;
    g->label = calloc(rows, sizeof *g->label);
    g->unit = calloc(rows, sizeof *g->unit);
    g->cell = calloc(rows * nr, sizeof *g->cell);
    if (!g->label || !g->unit || !g->cell) return -1;
    int any_gdp = 0, any_date = 0;
    double v;
    const char *gu = NULL;
    for (size_t i = 0; i < nr; i++) {
        if (gdp_of(&r[i], &v, &gu)) any_gdp = 1;
        if (r[i].res.start_date[0]) any_date = 1;
    }
#define ROW(lab, un) (snprintf(g->label[g->nr], 96, "%s", lab), snprintf(g->unit[g->nr], 64, "%s", un), g->nr++)
#define CELL(i) g->cell[(g->nr - 1) * nr + (i)]
    if (any_gdp) {
        ROW("GDP loss", "");
        for (size_t i = 0; i < nr; i++)
            if (gdp_of(&r[i], &v, &gu)) { snprintf(CELL(i), 128, "%.6g", v); snprintf(g->unit[g->nr - 1], 64, "%s", gu); }
            else snprintf(CELL(i), 128, "-");
        ROW("GDP loss", "% of GDP");
        for (size_t i = 0; i < nr; i++) {
            double p = jnum(r[i].sum, "gdp_loss_pct");
            if (isnan(p)) snprintf(CELL(i), 128, "-"); else snprintf(CELL(i), 128, "%.4g", p);
        }
    }
    static const struct { const char *lab, *key, *fmt; } money[] = {
        {"production loss", "production_loss", "%.6g"},
        {"value added loss", "value_added_loss", "%.6g"},
        {"final demand unmet", "final_demand_unmet_total", "%.6g"}};
    for (size_t m = 0; m < 3; m++) {
        ROW(money[m].lab, unit_of(&r[0]));
        for (size_t i = 0; i < nr; i++) {
            snprintf(CELL(i), 128, money[m].fmt, jnum(r[i].sum, money[m].key));
            if (strcmp(unit_of(&r[i]), unit_of(&r[0]))) {
                size_t l = strlen(CELL(i));
                snprintf(CELL(i) + l, 128 - l, " %s", unit_of(&r[i]));
                g->unit[g->nr - 1][0] = 0;
            }
        }
    }
    ROW("min total production ratio", "");
    for (size_t i = 0; i < nr; i++) snprintf(CELL(i), 128, "%.6f", jnum(r[i].sum, "min_total_production_ratio"));
    ROW("peak shortfall", "step");
    for (size_t i = 0; i < nr; i++) snprintf(CELL(i), 128, "%lld", (long long)jnum(r[i].sum, "min_total_production_step"));
    if (any_date) {
        ROW("peak shortfall", "month");
        for (size_t i = 0; i < nr; i++) {
            month_of(&r[i], (long)jnum(r[i].sum, "min_total_production_step"), CELL(i), 128);
            if (!CELL(i)[0]) snprintf(CELL(i), 128, "-");
        }
    }
    size_t *w = calloc(top ? top : 1, sizeof *w);
    if (!w) return -1;
    for (size_t k = 0; k < top; k++) {
        char lab[96];
        snprintf(lab, sizeof lab, "worst industry %zu", k + 1);
        char vu[64];
        snprintf(vu, sizeof vu, "VA loss, %s", unit_of(&r[0]));
        ROW(lab, vu);
        for (size_t i = 0; i < nr; i++) {
            json_t *bs = json_object_get(r[i].sum, "by_sector");
            size_t got = worst(bs, top, w);
            if (k >= got) { snprintf(CELL(i), 128, "-"); continue; }
            json_t *e = json_array_get(bs, w[k]);
            const char *rg = json_string_value(json_object_get(e, "region"));
            const char *sc = json_string_value(json_object_get(e, "sector"));
            snprintf(CELL(i), 128, "%s/%s %.4g", rg ? rg : "", sc ? sc : "", jnum(e, "value_added_loss"));
        }
    }
    free(w);
#undef ROW
#undef CELL
    return 0;
}

/* Free the grid. */
static void free_grid(grid *g)
{
    free(g->label); free(g->unit); free(g->cell);
}

/* Print the grid as an aligned table, units in the figure column. */
static void print_table(const grid *g, const cmp_run *r)
{
    size_t nc = g->nc;
    char lab[200];
    size_t w0 = strlen("FIGURE (UNIT)");
    size_t *w = calloc(nc, sizeof *w);
    if (!w) return;
    for (size_t i = 0; i < g->nr; i++) {
        size_t l = strlen(g->label[i]) + (g->unit[i][0] ? strlen(g->unit[i]) + 3 : 0);
        if (l > w0) w0 = l;
    }
    for (size_t c = 0; c < nc; c++) {
        w[c] = strlen(r[c].res.name);
        for (size_t i = 0; i < g->nr; i++) if (strlen(g->cell[i * nc + c]) > w[c]) w[c] = strlen(g->cell[i * nc + c]);
    }
    printf("%-*s", (int)w0, "FIGURE (UNIT)");
    for (size_t c = 0; c < nc; c++) printf("  %*s", (int)w[c], r[c].res.name);
    putchar('\n');
    for (size_t i = 0; i < g->nr; i++) {
        if (g->unit[i][0]) snprintf(lab, sizeof lab, "%s (%s)", g->label[i], g->unit[i]);
        else snprintf(lab, sizeof lab, "%s", g->label[i]);
        printf("%-*s", (int)w0, lab);
        for (size_t c = 0; c < nc; c++) printf("  %*s", (int)w[c], g->cell[i * nc + c]);
        putchar('\n');
    }
    free(w);
}

/* Print the grid as CSV: figure,unit, then one column per scenario. */
static void print_csv(const grid *g, const cmp_run *r)
{
    fputs("figure,unit", stdout);
    for (size_t c = 0; c < g->nc; c++) { putchar(','); cli_csv_field(stdout, r[c].res.name); }
    putchar('\n');
    for (size_t i = 0; i < g->nr; i++) {
        cli_csv_field(stdout, g->label[i]); putchar(',');
        cli_csv_field(stdout, g->unit[i]);
        for (size_t c = 0; c < g->nc; c++) { putchar(','); cli_csv_field(stdout, g->cell[i * g->nc + c]); }
        putchar('\n');
    }
}

/* Print one JSON object per run: its headline figures and worst
 * industries, straight from the summaries. */
static void print_json(cmp_run *r, size_t nr, size_t top, int keep)
{
    json_t *arr = json_array();
    size_t *w = calloc(top ? top : 1, sizeof *w);
    for (size_t i = 0; i < nr && w; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "scenario", json_string(r[i].path));
        json_object_set_new(o, "name", json_string(r[i].res.name));
        json_object_set_new(o, "outputs", keep ? json_string(r[i].dir) : json_null());
        json_object_set_new(o, "store_run", r[i].res.store_id ? json_integer(r[i].res.store_id) : json_null());
        json_object_set_new(o, "unit", json_string(unit_of(&r[i])));
        double v;
        const char *gu;
        if (gdp_of(&r[i], &v, &gu)) {
            json_t *g = json_object();
            json_object_set_new(g, "value", json_real(v));
            json_object_set_new(g, "unit", json_string(gu));
            json_object_set_new(o, "gdp_loss", g);
            if (!isnan(jnum(r[i].sum, "gdp_loss_pct"))) json_object_set_new(o, "gdp_loss_pct", json_real(jnum(r[i].sum, "gdp_loss_pct")));
        }
        static const char *const keys[] = {"production_loss", "value_added_loss", "final_demand_unmet_total", "min_total_production_ratio"};
        for (size_t k = 0; k < 4; k++) json_object_set_new(o, keys[k], json_real(jnum(r[i].sum, keys[k])));
        long st = (long)jnum(r[i].sum, "min_total_production_step");
        json_object_set_new(o, "peak_shortfall_step", json_integer(st));
        char mo[16];
        month_of(&r[i], st, mo, sizeof mo);
        json_object_set_new(o, "peak_shortfall_month", mo[0] ? json_string(mo) : json_null());
        json_t *bs = json_object_get(r[i].sum, "by_sector"), *wa = json_array();
        size_t got = worst(bs, top, w);
        for (size_t k = 0; k < got; k++) json_array_append(wa, json_array_get(bs, w[k]));
        json_object_set_new(o, "worst_industries", wa);
        json_array_append_new(arr, o);
    }
    free(w);
    char *s = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    if (s) { puts(s); free(s); }
    json_decref(arr);
}

/* Parse arguments, check every scenario, run each, print side by side. */
static int run(int argc, char **argv)
{
    cli_run_opts o = {.cmd = "compare", .steps = -1, .store = 1, .load = cp_load_opts_default()};
    const char *outdir = NULL;
    int format = CLI_FMT_TABLE;
    long top = 3;
    const char **paths = calloc((size_t)argc, sizeof *paths);
    size_t np = 0;
    if (!paths) return EXIT_RUN;
    int rc = EXIT_OK;
    for (int i = 1; i < argc; i++) {
        int f = cli_load_flag("compare", argc, argv, &i, &o.load);
        if (f < 0) { free(paths); return EXIT_INPUT; }
        if (f) continue;
        const char *a = argv[i];
        if (!strcmp(a, "--out") || !strcmp(a, "--table") || !strcmp(a, "--store") || !strcmp(a, "--format") ||
            !strcmp(a, "--steps") || !strcmp(a, "--top")) {
            if (i + 1 >= argc) { free(paths); return cli_usage("compare", "%s needs a value", a); }
            const char *v = argv[++i];
            double d;
            if (!strcmp(a, "--out")) outdir = v;
            else if (!strcmp(a, "--table")) o.table = v;
            else if (!strcmp(a, "--store")) { o.store = 1; o.store_path = v; }
            else if (!strcmp(a, "--format")) { if ((format = cli_format_parse("compare", v)) < 0) { free(paths); return EXIT_INPUT; } }
            else if (!strcmp(a, "--steps")) {
                if (cp_parse_double(v, &d) || d < 1 || d > 1e8 || d != (long)d) { free(paths); return cli_usage("compare", "--steps needs a whole number >= 1"); }
                o.steps = (long)d;
            } else {
                if (cp_parse_double(v, &d) || d < 0 || d > 100 || d != (long)d) { free(paths); return cli_usage("compare", "--top needs a whole number from 0 to 100"); }
                top = (long)d;
            }
        } else if (!strcmp(a, "--no-store")) o.store = 0;
        else if (a[0] == '-') { free(paths); return cli_usage("compare", "unknown option '%s'", a); }
        else paths[np++] = a;
    }
    if (np < 2) { free(paths); return cli_usage("compare", "needs at least two scenarios (got %zu); hint: `chokepoint run` runs one", np); }

    /* Validation before anything runs: every error of every file. */
    int bad = 0;
    for (size_t i = 0; i < np; i++) {
        cp_scn s;
        cp_error err;
        cp_error_clear(&err);
        if (cp_scn_load(&s, paths[i], &err)) { cli_fail(&err); bad = 1; }
        else cp_scn_free(&s);
    }
    if (bad) { free(paths); return EXIT_INPUT; }

    char tmpl[4096] = "";
    if (!outdir) {
        const char *td = getenv("TMPDIR");
        snprintf(tmpl, sizeof tmpl, "%s/chokepoint-compare-XXXXXX", td && *td ? td : "/tmp");
        if (!mkdtemp(tmpl)) {
            cp_error err;
            cp_error_at(&err, CP_EIO, tmpl, 0, 0, "cannot make a temporary directory; hint: set TMPDIR or give --out DIR");
            free(paths);
            return cli_fail(&err);
        }
    }
    cmp_run *r = calloc(np, sizeof *r);
    if (!r) { free(paths); return EXIT_RUN; }
    o.progress = cli_progress_wanted();
    for (size_t i = 0; i < np && rc == EXIT_OK; i++) {
        const char *b = strrchr(paths[i], '/');
        b = b ? b + 1 : paths[i];
        size_t bl = strlen(b);
        if (bl > 5 && !strcmp(b + bl - 5, ".yaml")) bl -= 5;
        else if (bl > 4 && !strcmp(b + bl - 4, ".yml")) bl -= 4;
        snprintf(r[i].dir, sizeof r[i].dir, "%s/%zu-%.*s", outdir ? outdir : tmpl, i + 1, (int)bl, b);
        r[i].path = paths[i];
        o.out = r[i].dir;
        rc = cli_run_scenario(paths[i], &o, &r[i].res);
        if (rc) break;
        char sp[4300];
        snprintf(sp, sizeof sp, "%s/summary.json", r[i].dir);
        json_error_t je;
        if (!(r[i].sum = json_load_file(sp, 0, &je))) {
            cp_error err;
            cp_error_at(&err, CP_EIO, sp, je.line, je.column, "cannot read the summary back: %s", je.text);
            rc = cli_fail(&err);
        }
    }
    if (rc == EXIT_OK) {
        if (format == CLI_FMT_JSON) print_json(r, np, (size_t)top, outdir != NULL);
        else {
            grid g;
            memset(&g, 0, sizeof g);
            if (build_grid(&g, r, np, (size_t)top)) rc = EXIT_RUN;
            else if (format == CLI_FMT_CSV) print_csv(&g, r);
            else print_table(&g, r);
            free_grid(&g);
        }
        if (format == CLI_FMT_TABLE) {
            if (outdir) printf("\noutputs  %s/1-... %s/%zu-...\n", outdir, outdir, np);
            if (o.store) {
                printf("%sstored   runs", outdir ? "" : "\n");
                for (size_t i = 0; i < np; i++) printf("%s%lld", i ? ", " : " ", r[i].res.store_id);
                printf(" in %s\n", r[0].res.store_path);
            }
        }
    }
    for (size_t i = 0; i < np; i++) json_decref(r[i].sum);
    free(r);
    if (!outdir && tmpl[0]) nftw(tmpl, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(paths);
    return rc;
}

const cli_cmd cmd_compare_def = {"compare", "run several scenarios and compare them side by side", help, run};
