/*
 * cmd_import.c — `chokepoint import FORMAT SRC... -o DIR`: convert a
 * published input–output table into chokepoint's own table format, with a
 * provenance note saying where every number came from and what was done
 * to it.  The shipped tables in data/ are made this way
 * (scripts/make-data.sh).
 */
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static const char help[] =
    "usage: chokepoint import FORMAT SRC... -o DIR [options]\n"
    "\n"
    "Convert a published input-output table into a chokepoint table directory\n"
    "(docs/table-format.md) with a generated provenance.md: publisher, table, year,\n"
    "units, the source files with their size and SHA-256, every transformation\n"
    "the importer made, and how well the table balances.  The written table is\n"
    "loaded back and validated before the command succeeds.\n"
    "\n"
    "FORMAT and SRC:\n"
    "  pymrio DIR             a pymrio text folder: pymrio's test-MRIO layout\n"
    "                         (trade_flows_Z.txt, finald_demand_Y.txt,\n"
    "                         factor_input.txt) or the layout of IOSystem.save_all\n"
    "                         (file_parameters.json, Z.txt, Y.txt, unit.txt,\n"
    "                         factor_inputs/).  Only rows are validated (see\n"
    "                         docs/data.md).\n"
    "  mic TABLE.csv [NAMES.csv]\n"
    "                         Japan's MIC input-output table (2015 layout, bn JPY);\n"
    "                         NAMES.csv has columns code,name_en (e.g.\n"
    "                         data/src/mic2015_185_names_en.csv).\n"
    "  oecd NIOT.csv          an OECD national input-output table, 2021 edition\n"
    "                         (M USD); country and year from a file name like\n"
    "                         oecd2021_niot_JPN_2018_musd.csv, or --region/--year.\n"
    "  wiod WIOT.csv          a WIOD 2013-release world table aggregated to regions\n"
    "                         (M USD); year from the file name or --year.\n"
    "\n"
    "options:\n"
    "  -o, --output DIR    table directory to write (created; files replaced)\n"
    "  --name N            table name (default: japan-2015-37, oecd-2018-jpn, ...)\n"
    "  --region R          country code for oecd (default: from the file name)\n"
    "  --year Y            reference year for oecd and wiod (default: file name)\n"
    "  --balance-tol X     relative balance tolerance (default 1e-6; OECD and WIOD\n"
    "                      sources are validated at the looser tolerance they are\n"
    "                      known to need, recorded in table.json)\n"
    "  --no-validate       import even if the table does not balance\n"
    "  --max-file-mb N     refuse input files larger than N MiB (default 2048)\n"
    "\n"
    "examples:\n"
    "  chokepoint import mic ../shared/data/japan_io_2015_37sector_bnJPY.csv \\\n"
    "      ../shared/data/japan_io_2015_37sector_names.csv -o data/japan-2015-37\n"
    "  chokepoint import oecd ../shared/data/oecd2021_niot_JPN_2018_musd.csv -o /tmp/jpn\n"
    "\n"
    "exit status: 0 written, 2 bad usage or bad input (message names file:line:col),\n"
    "1 the table could not be written.\n";

/* What the provenance says about each publisher's table. */
typedef struct fmt_info {
    const char *format;
    const char *publisher;
    const char *table;
    const char *cite;
    int min_src, max_src;
} fmt_info;

static const fmt_info formats[] = {
    {"pymrio", "pymrio (K. Stadler) text format",
     "a pymrio IOSystem (Z, Y, factor inputs) as written to text by pymrio",
     "Stadler, K. (2021). Pymrio - A Python Based Multi-Regional Input-Output Analysis Toolbox. "
     "Journal of Open Research Software 9(1):8.",
     1, 1},
    {"mic", "Ministry of Internal Affairs and Communications (MIC), Japan",
     "平成27年(2015年)産業連関表 取引基本表 (2015 Input-Output Tables for Japan, basic transactions table), "
     "producer prices, competitive-import type",
     "MIC (2019), 2015 Input-Output Tables for Japan; English sector names: data/src/mic2015_185_names_en.csv "
     "for 185 sectors (chokepoint's translation after MIC's English classification) or the names file given.",
     1, 2},
    {"oecd", "OECD",
     "OECD Input-Output Tables, 2021 edition: national input-output table (total flows, 45 ISIC rev.4 industries)",
     "OECD (2021), OECD Input-Output Tables (IOTs), 2021 edition, http://oe.cd/i-o.", 1, 1},
    {"wiod", "World Input-Output Database (WIOD), University of Groningen",
     "World Input-Output Table, 2013 release, aggregated to regions (35 sectors each)",
     "Timmer, M. P., Dietzenbacher, E., Los, B., Stehrer, R. and de Vries, G. J. (2015), "
     "An Illustrated User Guide to the World Input-Output Database: the Case of Global Automotive "
     "Production, Review of International Economics 23:575-605.",
     1, 1},
};

/* Growable text buffer for the provenance note. */
typedef struct sbuf {
    char *s;
    size_t len, cap;
    int oom;
} sbuf;

static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append formatted text; remembers out-of-memory instead of failing. */
static void sb_printf(sbuf *b, const char *fmt, ...)
{
    if (b->oom) return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int k = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? b->cap - b->len : 0, fmt, ap);
        va_end(ap);
        if (k < 0) { b->oom = 1; return; }
        if (b->s && b->len + (size_t)k < b->cap) { b->len += (size_t)k; return; }
        size_t cap = (b->cap ? b->cap : 4096);
        while (cap <= b->len + (size_t)k) cap *= 2;
        char *ns = realloc(b->s, cap);
        if (!ns) { b->oom = 1; return; }
        b->s = ns;
        b->cap = cap;
    }
}

/* Describe one source file (or every regular file of a pymrio folder):
 * name, size in bytes, SHA-256. */
static int describe_source(sbuf *b, const char *path, cp_error *err)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return cp_error_at(err, CP_EINPUT, path, 0, 0, "cannot stat the source");
    if (S_ISDIR(st.st_mode)) {
        static const char *const files[] = {
            "trade_flows_Z.txt", "finald_demand_Y.txt", "factor_input.txt", "metadata.json",
            "file_parameters.json", "Z.txt", "Y.txt", "unit.txt", "factor_inputs/F.txt",
            "factor_inputs/unit.txt", "factor_inputs/file_parameters.json"};
        for (size_t k = 0; k < sizeof files / sizeof *files; k++) {
            char p[4096];
            snprintf(p, sizeof p, "%s/%s", path, files[k]);
            if (stat(p, &st) == 0) {
                int rc = describe_source(b, p, err);
                if (rc) return rc;
            }
        }
        return 0;
    }
    char hex[65];
    int rc = cp_store_sha256_file(path, hex, err);
    if (rc) return rc;
    const char *base = strrchr(path, '/');
    const char *pb = path;
    /* show pymrio files with their folder, other files by base name */
    if (base && base > path) {
        const char *q = base - 1;
        while (q > path && q[-1] != '/') q--;
        pb = strstr(path, "pymrio") ? q : base + 1;
    }
    sb_printf(b, "| `%s` | %lld | `%s` |\n", pb, (long long)st.st_size, hex);
    return 0;
}

/* Compose provenance.md for an imported table. */
static char *provenance(const cp_table *t, const fmt_info *fi, char **src, int nsrc,
                        const cp_import_report *rep, cp_error *err)
{
    sbuf b = {0};
    cp_balance_report bal;
    cp_table_balance(t, &bal);
    double fd = 0;
    for (size_t i = 0; i < t->n * t->nfd; i++) fd += t->Y[i];
    sb_printf(&b, "# %s\n\n", t->title ? t->title : t->name);
    sb_printf(&b, "Table `%s`, written by `chokepoint import %s` (chokepoint %s).\n\n", t->name,
              fi->format, CP_VERSION);
    sb_printf(&b, "## Source\n\n");
    sb_printf(&b, "- Publisher: %s\n", fi->publisher);
    sb_printf(&b, "- Table: %s\n", fi->table);
    if (t->year > 0) sb_printf(&b, "- Reference year: %d\n", t->year);
    else sb_printf(&b, "- Reference year: not stated in the source (recorded as 0)\n");
    sb_printf(&b, "- Units: %s, annual flows; price basis: %s; import treatment: %s\n",
              t->unit, t->price_basis ? t->price_basis : "not stated",
              t->import_type ? t->import_type : "not stated");
    sb_printf(&b, "- Shape: %zu industries (%zu region%s), %zu final-demand columns, %zu value-added rows\n",
              t->n, t->nreg, t->nreg == 1 ? "" : "s", t->nfd, t->nva);
    sb_printf(&b, "- Cite: %s\n\n", fi->cite);
    sb_printf(&b, "## Source files\n\n| file | bytes | SHA-256 |\n|---|---|---|\n");
    for (int k = 0; k < nsrc; k++)
        if (describe_source(&b, src[k], err)) { free(b.s); return NULL; }
    sb_printf(&b, "\n## Transformations\n\n");
    if (rep && rep->notes[0]) sb_printf(&b, "%s", rep->notes);
    sb_printf(&b, "- Written in chokepoint's table format (docs/table-format.md); numbers with 17 significant digits, so they round-trip exactly; no value was rescaled, rounded or rebalanced.\n");
    if (rep && rep->balance_tol > 0)
        sb_printf(&b, "- table.json records \"balance_tol\": %g, the tolerance this source balances to; loading validates at that tolerance.\n",
                  rep->balance_tol);
    if (rep && rep->rows_only)
        sb_printf(&b, "- table.json records \"check_columns\": false: the source's value added does not close the columns, so only rows are validated.\n");
    sb_printf(&b, "\n## Totals and balance (as imported)\n\n");
    sb_printf(&b, "- Total output: %.1f %s\n", cp_table_total_output(t), t->unit);
    sb_printf(&b, "- Value added incl. net taxes (GDP at the table's prices): %.1f %s\n",
              cp_table_gdp(t), t->unit);
    sb_printf(&b, "- Final demand incl. negative imports: %.1f %s\n", fd, t->unit);
    sb_printf(&b, "- Worst row: %s/%s, %.3g relative (%.4g %s); worst column: %s/%s, %.3g relative (%.4g %s)\n",
              t->region[bal.worst_row], t->sector[bal.worst_row], bal.worst_row_rel,
              bal.worst_row_abs, t->unit, t->region[bal.worst_col], t->sector[bal.worst_col],
              bal.worst_col_rel, bal.worst_col_abs, t->unit);
    if (b.oom) { free(b.s); cp_error_set(err, CP_ENOMEM, "out of memory"); return NULL; }
    return b.s;
}

/* Parse a positive integer option value. */
static int int_arg(const char *s, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v <= 0 || v > 9999) return -1;
    *out = (int)v;
    return 0;
}

/* Parse the arguments, run the importer for FORMAT, write the table with
 * its provenance, record the source's balance tolerance, and load the
 * result back so that nothing unreadable is ever left behind as success. */
static int run(int argc, char **argv)
{
    cp_load_opts opts = cp_load_opts_default();
    const char *outdir = NULL, *name = NULL, *region = NULL, *format = NULL;
    int year = 0, nsrc = 0;
    char *src[8];
    for (int i = 1; i < argc; i++) {
        int f = cli_load_flag("import", argc, argv, &i, &opts);
        if (f < 0) return EXIT_INPUT;
        if (f) continue;
        const char *a = argv[i];
        if (!strcmp(a, "-o") || !strcmp(a, "--output") || !strcmp(a, "--name") ||
            !strcmp(a, "--region") || !strcmp(a, "--year")) {
            if (i + 1 >= argc) return cli_usage("import", "%s needs a value", a);
            const char *v = argv[++i];
            if (a[1] == 'o' || a[2] == 'o') outdir = v;
            else if (a[2] == 'n') name = v;
            else if (a[2] == 'r') region = v;
            else if (int_arg(v, &year)) return cli_usage("import", "--year needs a year, got '%s'", v);
            continue;
        }
        if (a[0] == '-' && a[1]) return cli_usage("import", "unknown option '%s'", a);
        if (!format) { format = a; continue; }
        if (nsrc == (int)(sizeof src / sizeof *src)) return cli_usage("import", "too many sources");
        src[nsrc++] = argv[i];
    }
    if (!format) return cli_usage("import", "missing FORMAT (pymrio, mic, oecd or wiod)");
    const fmt_info *fi = NULL;
    for (size_t k = 0; k < sizeof formats / sizeof *formats; k++)
        if (!strcmp(formats[k].format, format)) fi = &formats[k];
    if (!fi) return cli_usage("import", "unknown FORMAT '%s'; one of pymrio, mic, oecd, wiod", format);
    if (nsrc < fi->min_src || nsrc > fi->max_src)
        return cli_usage("import", "%s takes %d%s source%s, got %d", format, fi->min_src,
                         fi->max_src > fi->min_src ? " or 2" : "", fi->max_src > 1 ? "s" : "", nsrc);
    if (!outdir) return cli_usage("import", "missing -o DIR (the table directory to write)");
    if (region && strcmp(format, "oecd"))
        return cli_usage("import", "--region is for oecd only");
    if (year && strcmp(format, "oecd") && strcmp(format, "wiod"))
        return cli_usage("import", "--year is for oecd and wiod only");

    cp_error err;
    cp_error_clear(&err);
    cp_import_report rep;
    memset(&rep, 0, sizeof rep);
    cp_table *t = NULL;
    int rc;
    if (!strcmp(format, "pymrio")) {
        rc = cp_import_pymrio(&t, src[0], &opts, &err);
        rep.rows_only = 1;
        snprintf(rep.notes, sizeof rep.notes,
                 "- Regions and sectors in file order; sector names are the sector labels.\n"
                 "- Total output x = Z·1 + Y·1 (row sums of Z plus final demand), pymrio's definition; rows balance by construction.\n"
                 "- Final-demand kinds from the category names (consumption, capital formation = investment, inventories/valuables = inventory, export, import); value-added kinds from the factor-input names.\n"
                 "- Only rows are validated: the factor inputs of pymrio's fictional test MRIO are not the residual of the columns (docs/data.md).\n");
    } else if (!strcmp(format, "mic")) {
        rc = cp_import_mic(&t, src[0], nsrc > 1 ? src[1] : NULL, &opts, &rep, &err);
        if (!rc && nsrc > 1) {
            const char *b = strrchr(src[1], '/');
            size_t l = strlen(rep.notes);
            snprintf(rep.notes + l, sizeof rep.notes - l,
                     "- English sector names from `%s`.\n", b ? b + 1 : src[1]);
        }
    } else if (!strcmp(format, "oecd")) {
        rc = cp_import_oecd(&t, src[0], region, year, &opts, &rep, &err);
    } else {
        rc = cp_import_wiod(&t, src[0], year, &opts, &rep, &err);
    }
    if (rc) return cli_fail(&err);
    if (name && cp_table_set_str(&t->name, name)) { cp_table_free(t); return EXIT_RUN; }
    char *prov = provenance(t, fi, src, nsrc, &rep, &err);
    if (!prov) { cp_table_free(t); return cli_fail(&err); }
    rc = cp_table_save(t, outdir, prov, &err);
    free(prov);
    if (!rc && (rep.balance_tol > 0 || rep.rows_only))
        rc = cp_table_set_balance_tol(outdir, rep.balance_tol, !rep.rows_only, &err);
    if (rc) { cp_table_free(t); return cli_fail(&err); }
    /* read it back: what was written must load and validate */
    cp_table *back = NULL;
    if ((rc = cp_table_load(&back, outdir, &opts, &err))) { cp_table_free(t); return cli_fail(&err); }
    printf("wrote %s: %s, %zu industries, %s, %d; total output %.1f %s\n", outdir, t->name, t->n,
           t->unit, t->year, cp_table_total_output(t), t->unit);
    cp_table_free(back);
    cp_table_free(t);
    return EXIT_OK;
}

const cli_cmd cmd_import_def = {"import", "convert a published table (pymrio, MIC, OECD, WIOD) into a table directory",
                                help, run};
