/*
 * cmd_io.c — `chokepoint io TABLE --matrix M`: the static input–output
 * matrices of a table (x, A, L, B, G, multipliers) as labelled CSV on
 * stdout, in the layout pymrio writes, so the two can be compared cell by
 * cell (pandas: read_csv(f, header=[0, 1], index_col=[0, 1])).
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: chokepoint io TABLE --matrix x|A|L|B|G|multipliers [--format csv]\n"
    "                         [--balance-tol X] [--no-validate] [--max-file-mb N]\n"
    "\n"
    "Print one matrix of the static input-output model of TABLE as labelled CSV\n"
    "on stdout (numbers at full precision, %.17g).  With n industries:\n"
    "\n"
    "  x            total output per industry (table unit per year); n rows,\n"
    "               one column 'indout'\n"
    "  A            technical coefficients A = Z diag(x)^-1: input from the row\n"
    "               industry per unit of the column industry's output (n x n)\n"
    "  L            Leontief inverse (I - A)^-1: output of the row industry per\n"
    "               unit of final demand for the column industry (n x n)\n"
    "  B            Ghosh allocation coefficients B = diag(x)^-1 Z: share of the\n"
    "               row industry's output sold to the column industry (n x n)\n"
    "  G            Ghosh inverse (I - B)^-1: output of the column industry per\n"
    "               unit of primary input of the row industry (n x n)\n"
    "  multipliers  per industry: output (column sums of L), value_added (v'L,\n"
    "               v = value added / x), imports (import content of a unit of\n"
    "               final demand; the header names the basis: rows, ratio,\n"
    "               mrio or none; see docs/static-models.md),\n"
    "               backward and forward linkages (normalised Rasmussen indices,\n"
    "               forward via G; mean 1), then the same four from domestic\n"
    "               flows only (differ for competitive-import tables, where A\n"
    "               mixes domestic and imported goods: A_d = (I - diag(m)) A)\n"
    "\n"
    "Industries with zero output get zero coefficients (never NaN).  The CSV has\n"
    "pymrio's layout: matrices start with three header rows (region, sector,\n"
    "then 'region,sector'), vectors with one; the first two columns are the row\n"
    "industry's region and sector.  Equations: docs/static-models.md.\n"
    "\n"
    "TABLE is a chokepoint table directory, a pymrio text folder, or the name of a\n"
    "shipped table (see `chokepoint info --help`).\n"
    "\n"
    "  --matrix M        which matrix (required): x, A, L, B, G or multipliers\n"
    "  --format csv      output format; csv is the only one (default)\n"
    "  --balance-tol X   relative tolerance for the balance check (default 1e-6)\n"
    "  --no-validate     load even if the table does not balance\n"
    "  --max-file-mb N   refuse input files larger than N MiB (default 2048)\n"
    "\n"
    "examples:\n"
    "  chokepoint io japan-2015-37 --matrix multipliers\n"
    "  chokepoint io ../shared/data/pymrio_test_mrio --matrix L > L.csv\n";

/* Print s as one CSV field, quoted when it holds a delimiter or quote. */
static void field(const char *s)
{
    s = s ? s : "";
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, stdout);
        return;
    }
    putchar('"');
    for (; *s; s++) {
        if (*s == '"') putchar('"');
        putchar(*s);
    }
    putchar('"');
}

/* Row labels region,sector of industry i. */
static void labels(const cp_table *t, size_t i)
{
    field(t->region[i]);
    putchar(',');
    field(t->sector[i]);
}

/* An n×n matrix with pymrio's three header rows. */
static void print_matrix(const cp_table *t, const double *M)
{
    size_t n = t->n;
    fputs("region,", stdout);
    for (size_t j = 0; j < n; j++) putchar(','), field(t->region[j]);
    fputs("\nsector,", stdout);
    for (size_t j = 0; j < n; j++) putchar(','), field(t->sector[j]);
    fputs("\nregion,sector", stdout);
    for (size_t j = 0; j < n; j++) putchar(',');
    putchar('\n');
    for (size_t i = 0; i < n; i++) {
        labels(t, i);
        for (size_t j = 0; j < n; j++) printf(",%.17g", M[i * n + j]);
        putchar('\n');
    }
}

/* Name of an import basis, for the multipliers' header. */
static const char *basis_name(cp_import_basis b)
{
    switch (b) {
    case CP_IMPORTS_ROWS: return "imports(rows)";
    case CP_IMPORTS_RATIO: return "imports(ratio)";
    case CP_IMPORTS_MRIO: return "imports(mrio)";
    default: return "imports(none)";
    }
}

/* Compute and print the requested matrix; returns an exit status. */
static int emit(const cp_table *t, const char *what)
{
    size_t n = t->n;
    cp_error err;
    cp_error_clear(&err);
    if (strcmp(what, "x") == 0) {
        fputs("region,sector,indout\n", stdout);
        for (size_t i = 0; i < n; i++) labels(t, i), printf(",%.17g\n", t->x[i]);
        return EXIT_OK;
    }
    if (strcmp(what, "multipliers") == 0) {
        cp_io_multipliers m;
        if (cp_io_multipliers_compute(t, &m, &err)) return cli_fail(&err);
        printf("region,sector,output,value_added,%s,backward_linkage,forward_linkage,"
               "output_domestic,value_added_domestic,backward_linkage_domestic,"
               "forward_linkage_domestic\n", basis_name(m.import_basis));
        for (size_t i = 0; i < n; i++) {
            labels(t, i);
            printf(",%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g\n", m.output[i],
                   m.value_added[i], m.imports[i], m.backward[i], m.forward[i],
                   m.output_domestic[i], m.value_added_domestic[i], m.backward_domestic[i],
                   m.forward_domestic[i]);
        }
        cp_io_multipliers_free(&m);
        return EXIT_OK;
    }
    double *M = malloc(n * n * sizeof *M);
    if (!M) {
        cp_error_set(&err, CP_ENOMEM, "out of memory for a %zu x %zu matrix", n, n);
        return cli_fail(&err);
    }
    int ghosh = what[0] == 'B' || what[0] == 'G';
    if (ghosh) cp_io_coef_B(n, t->Z, t->x, M);
    else cp_io_coef_A(n, t->Z, t->x, M);
    if ((what[0] == 'L' || what[0] == 'G') && cp_io_inverse(n, M, M, &err)) {
        free(M);
        return cli_fail(&err);
    }
    print_matrix(t, M);
    free(M);
    return EXIT_OK;
}

/* Parse TABLE, --matrix, --format and the load flags; open; print. */
static int run(int argc, char **argv)
{
    cp_load_opts opts = cp_load_opts_default();
    const char *table = NULL, *matrix = NULL;
    for (int i = 1; i < argc; i++) {
        int f = cli_load_flag("io", argc, argv, &i, &opts);
        if (f < 0) return EXIT_INPUT;
        if (f) continue;
        if (strcmp(argv[i], "--matrix") == 0 || strcmp(argv[i], "--format") == 0) {
            if (i + 1 >= argc) return cli_usage("io", "%s needs a value", argv[i]);
            if (argv[i][2] == 'm') matrix = argv[++i];
            else if (strcmp(argv[++i], "csv") != 0)
                return cli_usage("io", "unknown format '%s'; csv is the only format", argv[i]);
            continue;
        }
        if (argv[i][0] == '-') return cli_usage("io", "unknown option '%s'", argv[i]);
        if (table) return cli_usage("io", "one TABLE only");
        table = argv[i];
    }
    if (!table) return cli_usage("io", "missing TABLE");
    if (!matrix) return cli_usage("io", "missing --matrix (x, A, L, B, G or multipliers)");
    static const char *const known[] = {"x", "A", "L", "B", "G", "multipliers"};
    int ok = 0;
    for (size_t k = 0; k < sizeof known / sizeof *known; k++) ok |= strcmp(matrix, known[k]) == 0;
    if (!ok)
        return cli_usage("io", "unknown matrix '%s'; choose x, A, L, B, G or multipliers", matrix);
    cp_table *t;
    int rc = cli_open_table(&t, table, &opts);
    if (rc) return rc;
    rc = emit(t, matrix);
    cp_table_free(t);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fputs("chokepoint io: cannot write to stdout\n", stderr);
        return EXIT_RUN;
    }
    return rc;
}

const cli_cmd cmd_io_def = {"io", "static IO matrices (x, A, L, B, G, multipliers) as CSV", help, run};
