/*
 * cmd_info.c — `chokepoint info TABLE`: what is in a table, and does it
 * balance?
 */
#include "run.h"

#include <stdio.h>
#include <string.h>

static const char help[] =
    "usage: chokepoint info TABLE [--format table|csv|json] [--balance-tol X] [--no-validate]\n"
    "                       [--max-file-mb N]\n"
    "\n"
    "Summarise an input-output table: shape, unit and year, total output, value\n"
    "added (GDP at the table's prices), final demand, and how well its rows and\n"
    "columns balance.\n"
    "\n"
    "TABLE is a chokepoint table directory, a pymrio text folder, or the name of a\n"
    "shipped table (japan-2015-37, japan-2015-185, oecd-2018-jpn, oecd-2018-chn,\n"
    "wiod-2011-6r).\n"
    "\n"
    "  --format F        table (default), csv (figure,value,unit) or json\n"
    "  --balance-tol X   relative tolerance for the balance check (default 1e-6)\n"
    "  --no-validate     load even if the table does not balance\n"
    "  --max-file-mb N   refuse input files larger than N MiB (default 2048)\n"
    "\n"
    "exit status: 0 ok, 1 model or run failure, 2 usage or input error\n";

/* Final demand summed over its columns: the import columns (negative)
 * into *imp, every other column into *fd. */
static void fd_totals(const cp_table *t, double *fd, double *imp)
{
    *fd = 0;
    *imp = 0;
    for (size_t i = 0; i < t->n; i++)
        for (size_t k = 0; k < t->nfd; k++) {
            double v = t->Y[i * t->nfd + k];
            if (t->fd_kind[k] == CP_FD_IMPORT) *imp += v; else *fd += v;
        }
}

/* Print the summary of an opened table. */
static void summarise(const cp_table *t)
{
    const char *u = t->unit ? t->unit : "";
    cp_balance_report rep;
    cp_table_balance(t, &rep);
    double fd, imp;
    fd_totals(t, &fd, &imp);
    printf("table        %s\n", t->name ? t->name : "");
    if (t->title && *t->title) printf("title        %s\n", t->title);
    printf("unit, year   %s, %d (%s)\n", u, t->year, t->price_basis ? t->price_basis : "");
    printf("industries   %zu (%zu region%s x %zu sectors)\n", t->n, t->nreg,
           t->nreg == 1 ? "" : "s", t->nreg ? t->n / t->nreg : 0);
    printf("final demand %zu columns; value added %zu rows\n", t->nfd, t->nva);
    printf("total output %.1f %s\n", cp_table_total_output(t), u);
    printf("value added  %.1f %s (GDP at the table's prices)\n", cp_table_gdp(t), u);
    printf("final demand %.1f %s, imports %.1f %s\n", fd, u, imp, u);
    printf("balance      worst row %s/%s %.2g rel; worst column %s/%s %.2g rel\n",
           t->region[rep.worst_row], t->sector[rep.worst_row], rep.worst_row_rel,
           t->region[rep.worst_col], t->sector[rep.worst_col], rep.worst_col_rel);
    if (rep.zero_output) printf("note         %zu industries with zero output\n", rep.zero_output);
    if (rep.negative_cells)
        printf("note         %zu negative intermediate flows (by-products/scrap)\n", rep.negative_cells);
}

/* The same figures as a list, for --format csv and json. */
static void figures(const cp_table *t, int format)
{
    const char *u = t->unit ? t->unit : "";
    cp_balance_report rep;
    cp_table_balance(t, &rep);
    double fd, imp;
    fd_totals(t, &fd, &imp);
    cli_figs f = {0};
    cli_figs_add(&f, "table", "", "%s", t->name ? t->name : "");
    cli_figs_add(&f, "title", "", "%s", t->title ? t->title : "");
    cli_figs_add(&f, "unit", "", "%s", u);
    cli_figs_add(&f, "year", "", "%d", t->year);
    cli_figs_add(&f, "price basis", "", "%s", t->price_basis ? t->price_basis : "");
    cli_figs_add(&f, "industries", "", "%zu", t->n);
    cli_figs_add(&f, "regions", "", "%zu", t->nreg);
    cli_figs_add(&f, "final demand columns", "", "%zu", t->nfd);
    cli_figs_add(&f, "value added rows", "", "%zu", t->nva);
    cli_figs_add(&f, "total output", u, "%.17g", cp_table_total_output(t));
    cli_figs_add(&f, "value added", u, "%.17g", cp_table_gdp(t));
    cli_figs_add(&f, "final demand", u, "%.17g", fd);
    cli_figs_add(&f, "imports", u, "%.17g", imp);
    cli_figs_add(&f, "worst row balance", "relative", "%.3g", rep.worst_row_rel);
    cli_figs_add(&f, "worst column balance", "relative", "%.3g", rep.worst_col_rel);
    cli_figs_add(&f, "zero output industries", "", "%zu", rep.zero_output);
    cli_figs_add(&f, "negative cells", "", "%zu", rep.negative_cells);
    cli_figs_print(&f, format, stdout);
    cli_figs_free(&f);
}

static int run(int argc, char **argv)
{
    int format = CLI_FMT_TABLE;
    cp_load_opts opts = cp_load_opts_default();
    const char *table = NULL;
    for (int i = 1; i < argc; i++) {
        int f = cli_load_flag("info", argc, argv, &i, &opts);
        if (f < 0) return EXIT_INPUT;
        if (f) continue;
        if (!strcmp(argv[i], "--format")) {
            if (i + 1 >= argc) return cli_usage("info", "--format needs table, csv or json");
            if ((format = cli_format_parse("info", argv[++i])) < 0) return EXIT_INPUT;
            continue;
        }
        if (argv[i][0] == '-') return cli_usage("info", "unknown option '%s'", argv[i]);
        if (table) return cli_usage("info", "one TABLE only");
        table = argv[i];
    }
    if (!table) return cli_usage("info", "missing TABLE");
    cp_table *t;
    int rc = cli_open_table(&t, table, &opts);
    if (rc) return rc;
    if (format == CLI_FMT_TABLE) summarise(t);
    else figures(t, format);
    cp_table_free(t);
    return EXIT_OK;
}

const cli_cmd cmd_info_def = {"info", "summarise a table and check that it balances", help, run};
