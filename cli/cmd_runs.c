/*
 * cmd_runs.c — `chokepoint runs`: list, show, compare, export and remove
 * the runs kept in the run store (docs/run-store.md).
 */
#include "cli.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static const char help[] =
    "usage: chokepoint runs list              [--store PATH]\n"
    "       chokepoint runs show ID           [--store PATH] [--scenario|--summary|--params]\n"
    "       chokepoint runs diff ID1 ID2      [--store PATH]\n"
    "       chokepoint runs export ID [-o DIR] [--force] [--store PATH]\n"
    "       chokepoint runs rm ID             [--force] [--store PATH]\n"
    "       chokepoint runs add DIR [--scenario FILE] [--store PATH]\n"
    "\n"
    "Every `chokepoint run` is recorded in the run store, an SQLite file: the\n"
    "scenario text and its SHA-256, the resolved parameters, the chokepoint\n"
    "version, the data files' hashes, start and end time, status, the summary\n"
    "and the whole time series.\n"
    "\n"
    "  list      one line per run: id, status, start, duration, scenario, GDP and\n"
    "            production loss.  A run whose process died shows as failed.\n"
    "  show ID   everything recorded about a run and its headline figures;\n"
    "            --scenario prints the scenario text, --summary the summary JSON,\n"
    "            --params the resolved parameters (JSON), instead.\n"
    "  diff A B  headline figures of two runs side by side, with B - A and the\n"
    "            change in percent, and whether their scenarios and data differ.\n"
    "  export ID write the run's output directory again from the store:\n"
    "            summary.json, timeseries.csv (and scenario.yaml); -o DIR names\n"
    "            it (default run-ID); an existing summary.json there needs --force.\n"
    "  rm ID     delete a run and its series; a run still recording needs --force.\n"
    "  add DIR   record an output directory written by `chokepoint run --out DIR`\n"
    "            (summary.json, timeseries.csv); --scenario FILE keeps its scenario.\n"
    "\n"
    "ID is a run number from `runs list`, `last`, or `last~N` (N runs before last).\n"
    "\n"
    "  --store PATH  the store file (default: $CHOKEPOINT_STORE, else\n"
    "                $XDG_DATA_HOME/chokepoint/runs.sqlite, else\n"
    "                ~/.local/share/chokepoint/runs.sqlite)\n"
    "\n"
    "exit status: 0 ok, 1 store or I/O failure, 2 usage error, unknown run or\n"
    "missing store\n";

/* A headline figure: where it is in summary.json and how to label it. */
typedef struct figure {
    const char *key, *sub;  /* summary[key] or summary[key][sub] */
    const char *label;
    const char *unit_key;   /* "table" = table.unit, "gdp" = gdp_loss.unit, else literal */
} figure;

static const figure figures[] = {
    {"gdp_loss", "value", "GDP loss", "gdp"},
    {"gdp_loss_pct", NULL, "GDP loss", "% of annual GDP"},
    {"production_loss", NULL, "production loss", "table"},
    {"value_added_loss", NULL, "value-added loss", "table"},
    {"final_demand_unmet_total", NULL, "final demand unmet", "table"},
    {"min_total_production_ratio", NULL, "lowest total production", "ratio to pre-shock"},
    {"steps", NULL, "run length", "step"},
    {NULL, NULL, NULL, NULL}};

/* Look a figure up in a parsed summary; returns 1 and *v when numeric. */
static int figure_value(json_t *sum, const figure *f, double *v)
{
    json_t *j = json_object_get(sum, f->key);
    if (f->sub) j = json_object_get(j, f->sub);
    if (!json_is_number(j)) return 0;
    *v = json_number_value(j);
    return 1;
}

/* The unit of a figure for this summary ("" when unknown). */
static const char *figure_unit(json_t *sum, const figure *f)
{
    const char *u = NULL;
    if (strcmp(f->unit_key, "table") == 0)
        u = json_string_value(json_object_get(json_object_get(sum, "table"), "unit"));
    else if (strcmp(f->unit_key, "gdp") == 0)
        u = json_string_value(json_object_get(json_object_get(sum, "gdp_loss"), "unit"));
    else if (strcmp(f->unit_key, "step") == 0) {
        u = json_string_value(json_object_get(sum, "step_unit"));
        return u && !strcmp(u, "day") ? "days" : u && !strcmp(u, "month") ? "months" : "steps";
    } else
        u = f->unit_key;
    return u ? u : "";
}

/* Format a number for a table: few decimals for big numbers, significant
 * digits for small ones. */
static const char *fmt_num(double v, char *buf, size_t cap)
{
    double a = fabs(v);
    if (v == floor(v) && a < 1e15) snprintf(buf, cap, "%.0f", v);
    else if (a >= 1e5) snprintf(buf, cap, "%.0f", v);
    else if (a >= 1) snprintf(buf, cap, "%.3f", v);
    else if (v == 0) snprintf(buf, cap, "0");
    else snprintf(buf, cap, "%.4g", v);
    return buf;
}

/* Format Unix seconds as "YYYY-MM-DD HH:MM:SS" in UTC. */
static const char *fmt_time(long long t, char *buf, size_t cap)
{
    if (!t) { snprintf(buf, cap, "-"); return buf; }
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(buf, cap, "%Y-%m-%d %H:%M:%S", &tm);
    return buf;
}

/* Parse a summary (NULL or invalid gives an empty object). */
static json_t *parse_summary(const char *text)
{
    json_t *j = text ? json_loads(text, 0, NULL) : NULL;
    return j ? j : json_object();
}

/* Open the store named by --store (or the default), which must exist. */
static int open_store(cp_store **s, const char *path, int create)
{
    cp_error err;
    cp_error_clear(&err);
    if (cp_store_open(s, path, create ? 0 : CP_STORE_MUST_EXIST, &err)) return cli_fail(&err);
    return 0;
}

/* Resolve an ID argument, printing the error. */
static int resolve(cp_store *s, const char *arg, long long *id)
{
    cp_error err;
    cp_error_clear(&err);
    if (cp_store_resolve(s, arg, id, &err)) return cli_fail(&err);
    return 0;
}

/* Shorten a path from the left to at most w characters ("…" + tail). */
static const char *tail(const char *p, size_t w, char *buf, size_t cap)
{
    if (!p) return "-";
    size_t n = strlen(p);
    if (n <= w) return p;
    snprintf(buf, cap, "...%s", p + n - (w - 3));
    return buf;
}

/* `runs list`: one aligned line per run. */
static int do_list(cp_store *s)
{
    cp_error err;
    cp_error_clear(&err);
    cp_store_run *r;
    size_t n;
    if (cp_store_list(s, &r, &n, &err)) return cli_fail(&err);
    if (n == 0) {
        printf("no runs in %s\n", cp_store_path(s));
        return EXIT_OK;
    }
    printf("%4s  %-7s  %-19s  %12s  %-40s  %12s  %16s  %s\n", "ID", "STATUS", "STARTED (UTC)",
           "DURATION (s)", "SCENARIO", "GDP LOSS (%)", "PRODUCTION LOSS", "UNIT");
    for (size_t i = 0; i < n; i++) {
        char t[32], d[32], sc[64], g[32], p[32];
        json_t *sum = parse_summary(r[i].summary_json);
        double v;
        const figure *fpct = &figures[1], *fprod = &figures[2];
        snprintf(d, sizeof d, "%s", "-");
        if (r[i].ended_at) snprintf(d, sizeof d, "%lld", r[i].ended_at - r[i].started_at);
        printf("%4lld  %-7s  %-19s  %12s  %-40s  %12s  %16s  %s\n", r[i].id, r[i].status,
               fmt_time(r[i].started_at, t, sizeof t), d,
               tail(r[i].scenario_path ? r[i].scenario_path
                                       : json_string_value(json_object_get(sum, "scenario")),
                    40, sc, sizeof sc),
               figure_value(sum, fpct, &v) ? fmt_num(v, g, sizeof g) : "-",
               figure_value(sum, fprod, &v) ? fmt_num(v, p, sizeof p) : "-",
               figure_unit(sum, fprod)[0] ? figure_unit(sum, fprod) : "-");
        json_decref(sum);
    }
    cp_store_runs_free(r, n);
    return EXIT_OK;
}

/* Print the headline-figure table of one summary. */
static void print_figures(json_t *sum)
{
    printf("%-26s  %16s  %s\n", "FIGURE", "VALUE", "UNIT");
    for (const figure *f = figures; f->key; f++) {
        double v;
        char b[32];
        if (figure_value(sum, f, &v))
            printf("%-26s  %16s  %s\n", f->label, fmt_num(v, b, sizeof b), figure_unit(sum, f));
    }
    json_t *hs = json_object_get(sum, "had_shortage");
    if (json_is_boolean(hs))
        printf("%-26s  %16s  %s\n", "any shortage", json_is_true(hs) ? "yes" : "no", "");
}

/* Print the five industries with the largest production loss. */
static void print_worst(json_t *sum)
{
    json_t *bs = json_object_get(sum, "by_sector");
    size_t n = json_array_size(bs);
    if (!n) return;
    size_t idx[5], k = 0;
    double best[5];
    for (size_t i = 0; i < n; i++) {
        double v = json_number_value(json_object_get(json_array_get(bs, i), "production_loss"));
        size_t pos = k;
        while (pos > 0 && best[pos - 1] < v) pos--;
        if (pos >= 5) continue;
        size_t last = k < 5 ? k : 4;
        for (size_t j = last; j > pos; j--) { best[j] = best[j - 1]; idx[j] = idx[j - 1]; }
        best[pos] = v; idx[pos] = i;
        if (k < 5) k++;
    }
    const char *u = figure_unit(sum, &figures[2]);
    char hdr[64];
    snprintf(hdr, sizeof hdr, "PRODUCTION LOSS (%s)", u[0] ? u : "table unit");
    printf("\nworst industries\n%-12s  %-24s  %22s\n", "REGION", "SECTOR", hdr);
    for (size_t i = 0; i < k; i++) {
        json_t *e = json_array_get(bs, idx[i]);
        const char *rg = json_string_value(json_object_get(e, "region"));
        const char *sc = json_string_value(json_object_get(e, "sector"));
        char b[32];
        printf("%-12s  %-24s  %22s\n", rg ? rg : "", sc ? sc : "", fmt_num(best[i], b, sizeof b));
    }
}

/* Resolve an ID argument and read its record into *r, printing any
 * error; the exit status (0: *r is filled, cp_store_run_clear it). */
static int get_run(cp_store *s, const char *arg, long long *id, cp_store_run *r)
{
    int rc = resolve(s, arg, id);
    if (rc) return rc;
    cp_error err;
    cp_error_clear(&err);
    if (cp_store_get(s, *id, r, &err)) return cli_fail(&err);
    return 0;
}

/* `runs show ID`: the whole record, or one of its texts. */
static int do_show(cp_store *s, const char *arg, const char *what)
{
    long long id;
    cp_store_run r;
    int rc = get_run(s, arg, &id, &r);
    if (rc) return rc;
    if (what) {
        const char *t = strcmp(what, "--scenario") == 0 ? r.scenario_text
                      : strcmp(what, "--summary") == 0  ? r.summary_json
                                                        : r.params_json;
        if (!t) {
            fprintf(stderr, "chokepoint runs: run %lld has no %s recorded\n", id, what + 2);
            cp_store_run_clear(&r);
            return EXIT_INPUT;
        }
        size_t n = strlen(t);
        fputs(t, stdout);
        if (n && t[n - 1] != '\n') putchar('\n');
        cp_store_run_clear(&r);
        return EXIT_OK;
    }
    char t1[32], t2[32];
    printf("run          %lld\n", r.id);
    printf("status       %s\n", r.status);
    if (r.error) printf("error        %s\n", r.error);
    printf("started      %s UTC\n", fmt_time(r.started_at, t1, sizeof t1));
    if (r.ended_at)
        printf("ended        %s UTC (%lld s)\n", fmt_time(r.ended_at, t2, sizeof t2),
               r.ended_at - r.started_at);
    printf("scenario     %s\n", r.scenario_path ? r.scenario_path : "-");
    printf("sha256       %s\n", r.scenario_sha256 ? r.scenario_sha256 : "-");
    printf("version      chokepoint %s\n", r.version ? r.version : "?");
    printf("process      pid %lld on %s\n", r.pid, r.host ? r.host : "?");
    printf("series       %lld rows\n", r.nrows);
    json_t *files = r.data_files_json ? json_loads(r.data_files_json, 0, NULL) : NULL;
    for (size_t i = 0; i < json_array_size(files); i++) {
        json_t *e = json_array_get(files, i);
        printf("%-12s %s  %s\n", i ? "" : "data files",
               json_string_value(json_object_get(e, "sha256")),
               json_string_value(json_object_get(e, "path")));
    }
    json_decref(files);
    if (r.summary_json) {
        json_t *sum = parse_summary(r.summary_json);
        putchar('\n');
        print_figures(sum);
        print_worst(sum);
        json_decref(sum);
    }
    cp_store_run_clear(&r);
    return EXIT_OK;
}

/* `runs diff A B`: headline figures side by side with differences. */
static int do_diff(cp_store *s, const char *a, const char *b)
{
    long long ia, ib;
    int rc;
    if ((rc = resolve(s, a, &ia)) || (rc = resolve(s, b, &ib))) return rc;
    cp_error err;
    cp_error_clear(&err);
    cp_store_run ra, rb;
    if (cp_store_get(s, ia, &ra, &err)) return cli_fail(&err);
    if (cp_store_get(s, ib, &rb, &err)) { cp_store_run_clear(&ra); return cli_fail(&err); }
    json_t *sa = parse_summary(ra.summary_json), *sb = parse_summary(rb.summary_json);
    char ha[32], hb[32], hd[32];
    snprintf(ha, sizeof ha, "RUN %lld", ia);
    snprintf(hb, sizeof hb, "RUN %lld", ib);
    snprintf(hd, sizeof hd, "%lld - %lld", ib, ia);
    printf("%-24s  %-18s  %14s  %14s  %14s  %10s\n", "FIGURE", "UNIT", ha, hb, hd, "CHANGE (%)");
    int unit_clash = 0;
    for (const figure *f = figures; f->key; f++) {
        double va, vb;
        int ha_ = figure_value(sa, f, &va), hb_ = figure_value(sb, f, &vb);
        if (!ha_ && !hb_) continue;
        const char *ua = figure_unit(sa, f), *ub = figure_unit(sb, f);
        int same = strcmp(ua, ub) == 0;
        char unit[64], x[32], y[32], d[32], pc[32];
        if (same) snprintf(unit, sizeof unit, "%s", ua);
        else { snprintf(unit, sizeof unit, "%s | %s", ua, ub); unit_clash = 1; }
        snprintf(d, sizeof d, "-");
        snprintf(pc, sizeof pc, "-");
        if (ha_ && hb_ && same) {
            fmt_num(vb - va, d, sizeof d);
            if (va != 0) snprintf(pc, sizeof pc, "%+.2f", 100.0 * (vb - va) / fabs(va));
        }
        printf("%-24s  %-18s  %14s  %14s  %14s  %10s\n", f->label, unit,
               ha_ ? fmt_num(va, x, sizeof x) : "-", hb_ ? fmt_num(vb, y, sizeof y) : "-", d, pc);
    }
    putchar('\n');
    printf("status: run %lld %s, run %lld %s\n", ia, ra.status, ib, rb.status);
    int same_sc = ra.scenario_sha256 && rb.scenario_sha256 &&
                  strcmp(ra.scenario_sha256, rb.scenario_sha256) == 0;
    printf("scenario: %s\n", same_sc ? "same text (same SHA-256)"
                              : !ra.scenario_sha256 && !rb.scenario_sha256 ? "not recorded"
                                                                           : "different");
    int same_data = (!ra.data_files_json && !rb.data_files_json) ||
                    (ra.data_files_json && rb.data_files_json &&
                     strcmp(ra.data_files_json, rb.data_files_json) == 0);
    printf("data files: %s\n", same_data ? "same" : "different");
    if (ra.version && rb.version && strcmp(ra.version, rb.version) != 0)
        printf("chokepoint version: %s vs %s\n", ra.version, rb.version);
    if (unit_clash) printf("note: units differ, so no differences are shown for those figures\n");
    json_decref(sa);
    json_decref(sb);
    cp_store_run_clear(&ra);
    cp_store_run_clear(&rb);
    return EXIT_OK;
}

/* `runs export ID`: rewrite the output directory. */
static int do_export(cp_store *s, const char *arg, const char *dir, int force)
{
    long long id;
    int rc = resolve(s, arg, &id);
    if (rc) return rc;
    char def[64], probe[4200];
    if (!dir) { snprintf(def, sizeof def, "run-%lld", id); dir = def; }
    struct stat st;
    snprintf(probe, sizeof probe, "%s/summary.json", dir);
    if (!force && stat(probe, &st) == 0) {
        fprintf(stderr, "chokepoint runs: %s already holds a run's output; hint: choose another "
                "directory with -o DIR, or add --force to overwrite it\n", dir);
        return EXIT_INPUT;
    }
    cp_error err;
    cp_error_clear(&err);
    if (cp_store_export(s, id, dir, &err)) return cli_fail(&err);
    printf("exported run %lld to %s\n", id, dir);
    return EXIT_OK;
}

/* `runs rm ID`: delete unless it is still being recorded. */
static int do_rm(cp_store *s, const char *arg, int force)
{
    long long id;
    cp_store_run r;
    int rc = get_run(s, arg, &id, &r);
    if (rc) return rc;
    cp_error err;
    cp_error_clear(&err);
    int running = strcmp(r.status, "running") == 0;
    cp_store_run_clear(&r);
    if (running && !force) {
        fprintf(stderr, "chokepoint runs: run %lld is still being recorded; hint: wait for it, "
                "or add --force to remove it anyway\n", id);
        return EXIT_INPUT;
    }
    if (cp_store_remove(s, id, &err)) return cli_fail(&err);
    printf("removed run %lld\n", id);
    return EXIT_OK;
}

/* `runs add DIR`: record an existing output directory. */
static int do_add(cp_store *s, const char *dir, const char *scenario)
{
    cp_error err;
    cp_error_clear(&err);
    long long id;
    if (cp_store_record_dir(s, dir, scenario, NULL, &id, &err)) return cli_fail(&err);
    printf("recorded run %lld in %s\n", id, cp_store_path(s));
    return EXIT_OK;
}

/* Parse `runs ACTION ARGS... [options]` and dispatch. */
static int run(int argc, char **argv)
{
    const char *store = NULL, *out = NULL, *scenario = NULL, *what = NULL;
    const char *pos[4];
    int npos = 0, force = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--store") == 0 || strcmp(a, "-o") == 0 || strcmp(a, "--out") == 0) {
            if (i + 1 >= argc) return cli_usage("runs", "%s needs a value", a);
            if (strcmp(a, "--store") == 0) store = argv[++i];
            else out = argv[++i];
        } else if (strcmp(a, "--scenario") == 0 && i + 1 < argc && argv[i + 1][0] != '-' &&
                   npos >= 1 && strcmp(pos[0], "add") == 0) {
            scenario = argv[++i];
        } else if (strcmp(a, "--scenario") == 0 || strcmp(a, "--summary") == 0 ||
                   strcmp(a, "--params") == 0) {
            what = a;
        } else if (strcmp(a, "--force") == 0) {
            force = 1;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage("runs", "unknown option '%s'", a);
        } else {
            if (npos == 4) return cli_usage("runs", "too many arguments");
            pos[npos++] = a;
        }
    }
    if (npos == 0) return cli_usage("runs", "missing action: list, show, diff, export, rm or add");
    const char *act = pos[0];
    struct { const char *name; int nargs; } acts[] = {
        {"list", 0}, {"show", 1}, {"diff", 2}, {"export", 1}, {"rm", 1}, {"add", 1}};
    int want = -1;
    for (size_t k = 0; k < sizeof acts / sizeof acts[0]; k++)
        if (strcmp(act, acts[k].name) == 0) want = acts[k].nargs;
    if (want < 0)
        return cli_usage("runs", "unknown action '%s' (list, show, diff, export, rm, add)", act);
    if (npos - 1 != want)
        return cli_usage("runs", "%s takes %d argument%s, got %d", act, want, want == 1 ? "" : "s",
                         npos - 1);
    if (out && strcmp(act, "export") != 0) return cli_usage("runs", "-o is for export only");
    if (what && strcmp(act, "show") != 0) return cli_usage("runs", "%s is for show only", what);
    if (scenario && strcmp(act, "add") != 0) return cli_usage("runs", "--scenario FILE is for add");
    cp_store *s;
    int rc = open_store(&s, store, strcmp(act, "add") == 0);
    if (rc) return rc;
    if (strcmp(act, "list") == 0) rc = do_list(s);
    else if (strcmp(act, "show") == 0) rc = do_show(s, pos[1], what);
    else if (strcmp(act, "diff") == 0) rc = do_diff(s, pos[1], pos[2]);
    else if (strcmp(act, "export") == 0) rc = do_export(s, pos[1], out, force);
    else if (strcmp(act, "rm") == 0) rc = do_rm(s, pos[1], force);
    else rc = do_add(s, pos[1], scenario);
    cp_store_close(s);
    return rc;
}

const cli_cmd cmd_runs_def = {"runs", "list, show, compare, export and remove recorded runs", help,
                              run};
