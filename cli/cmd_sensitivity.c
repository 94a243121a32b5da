/*
 * cmd_sensitivity.c — `chokepoint sensitivity SCENARIO.yaml`: which
 * uncertain parameters matter for the headline GDP loss.  tornado: one at
 * a time, each parameter to its low and high end with the others central;
 * sobol: first-order and total indices (Saltelli design on a Sobol
 * sequence, Jansen estimator, bootstrap intervals) of the K parameters
 * with the widest tornado swings, the others held central; morris:
 * elementary effects (mu*, sigma) of every parameter, on trajectories
 * chosen for spread out of --morris-candidates (docs/uncertainty.md).
 */
#include "mc.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: chokepoint sensitivity SCENARIO.yaml [--method sobol|morris|tornado]\n"
    "                              [--out DIR] [--samples N] [--top K] [--trajectories R]\n"
    "                              [--levels P] [--morris-candidates M] [--threads T] [--seed S]\n"
    "                              [--format table|csv|json]\n"
    "\n"
    "Rank the uncertain parameters of a scenario (those `chokepoint mc` draws,\n"
    "docs/uncertainty.md) by their effect on the headline GDP loss.\n"
    "\n"
    "  tornado  one at a time: each parameter at its low and high end (the\n"
    "           range's ends; 5th/95th percentile for an unbounded law), the\n"
    "           others central; 2d + 1 runs; bars sorted by swing\n"
    "  sobol    (default) the tornado, then Sobol first-order (S1) and total\n"
    "           (ST) indices with 95 % bootstrap intervals for the --top K\n"
    "           (default 6, at most 20) parameters with the largest swings, the\n"
    "           others central; Saltelli design on a Sobol sequence, N = --samples\n"
    "           (default 64, a power of two >= 8): N (K + 2) runs\n"
    "  morris   elementary effects of every parameter: mu* (mean |EE|, in GDP-loss\n"
    "           units per unit of probability), sigma, and a 95 % interval of mu*;\n"
    "           R = --trajectories (default 10) on a P-level grid (--levels, 4):\n"
    "           R (d + 1) runs.  The R are the best spread of M candidates\n"
    "           (Campolongo et al. 2007, Ruano et al. 2012 elimination):\n"
    "           --morris-candidates M, R to 5000, default 10 R but at most 1000\n"
    "           (and at least R); M = R keeps the R drawn.  Selection pushes\n"
    "           points to the grid's ends, which biases mu* in few dimensions\n"
    "           (docs/uncertainty.md)\n"
    "\n"
    "  --out DIR   write sensitivity.csv and sensitivity.json there, and add\n"
    "              `sensitivity` to DIR/summary.json when it exists (e.g. a\n"
    "              directory written by `chokepoint mc`), for the report\n"
    "  --threads T, --seed S   as for mc\n"
    "\n"
    "exit status: 0 ok, 1 model or run failure, 2 usage or input error\n";

/* Central values of every parameter into row. */
static void sens_central(const cp_unc_dist *dd, size_t d, double *row)
{
    for (size_t j = 0; j < d; j++) row[j] = cp_unc_dist_central(&dd[j]);
}

/* One result row for the table, CSV and JSON. */
typedef struct sens_row {
    size_t param;
    double a, b, c, d, e, f, g;   /* method-specific, see the headers below */
} sens_row;

/* Write the rows as CSV. */
static void sens_csv(FILE *f, const char *method, const char *const *cols, size_t nc,
                     const sens_row *r, size_t nr, const cp_unc_dist *dd)
{
    fputs("method,rank,parameter", f);
    for (size_t c = 0; c < nc; c++) fprintf(f, ",%s", cols[c]);
    fputc('\n', f);
    for (size_t i = 0; i < nr; i++) {
        fprintf(f, "%s,%zu,", method, i + 1);
        cli_csv_field(f, dd[r[i].param].name);
        const double v[7] = {r[i].a, r[i].b, r[i].c, r[i].d, r[i].e, r[i].f, r[i].g};
        for (size_t c = 0; c < nc; c++) {
            char b[40];
            cp_store_format_double(v[c], b, sizeof b);
            fprintf(f, ",%s", b);
        }
        fputc('\n', f);
    }
}

/* The rows as a JSON array of objects. */
static json_t *sens_json(const char *const *cols, size_t nc, const sens_row *r, size_t nr,
                         const cp_unc_dist *dd)
{
    json_t *a = json_array();
    for (size_t i = 0; i < nr; i++) {
        json_t *e = json_object();
        json_object_set_new(e, "rank", json_integer((json_int_t)(i + 1)));
        json_object_set_new(e, "parameter", json_string(dd[r[i].param].name));
        const double v[7] = {r[i].a, r[i].b, r[i].c, r[i].d, r[i].e, r[i].f, r[i].g};
        for (size_t c = 0; c < nc; c++) json_object_set_new(e, cols[c], isfinite(v[c]) ? json_real(v[c]) : json_null());
        json_array_append_new(a, e);
    }
    return a;
}

/* Print the rows as a table. */
static void sens_table(const char *title, const char *const *cols, size_t nc, const sens_row *r,
                       size_t nr, const cp_unc_dist *dd)
{
    printf("\n%s\n  #", title);
    for (size_t c = 0; c < nc; c++) printf(" %12s", cols[c]);
    printf("  parameter\n");
    for (size_t i = 0; i < nr; i++) {
        printf("%3zu", i + 1);
        const double v[7] = {r[i].a, r[i].b, r[i].c, r[i].d, r[i].e, r[i].f, r[i].g};
        for (size_t c = 0; c < nc; c++) printf(" %12.5g", v[c]);
        printf("  %s\n", dd[r[i].param].name);
    }
}

/* Descending by a (then by parameter index). */
static int sens_cmp(const void *x, const void *y)
{
    const sens_row *a = x, *b = y;
    if (a->a > b->a) return -1;
    if (a->a < b->a) return 1;
    return a->param < b->param ? -1 : a->param > b->param;
}

/* Parse, design, evaluate, analyse, print and write. */
static int sens_main(int argc, char **argv)
{
    cp_load_opts lo = cp_load_opts_default();
    const char *scn_path = NULL, *out = NULL, *method = "sobol";
    long threads = -1, samples = 64, top = 6, traj = 10, levels = 4, cand = -1;
    double seed = -1;
    int format = CLI_FMT_TABLE;
    for (int i = 1; i < argc; i++) {
        int f = cli_load_flag("sensitivity", argc, argv, &i, &lo);
        if (f < 0) return EXIT_INPUT;
        if (f) continue;
        double v;
        const char *a = argv[i];
        int num = !strcmp(a, "--samples") || !strcmp(a, "--top") || !strcmp(a, "--trajectories") ||
                  !strcmp(a, "--levels") || !strcmp(a, "--threads") || !strcmp(a, "--seed") ||
                  !strcmp(a, "--morris-candidates");
        if (num) {
            if (i + 1 >= argc || cp_parse_double(argv[i + 1], &v) || v < 0 || v != floor(v) || v > 9007199254740992.0) {
                if (!strcmp(a, "--morris-candidates"))
                    return cli_usage("sensitivity", "--morris-candidates needs a whole number of candidate "
                                     "trajectories; hint: e.g. 10 times --trajectories (100 for the default 10)");
                return cli_usage("sensitivity", "%s needs a whole number", a);
            }
            i++;
            if (!strcmp(a, "--samples")) {
                if (v < 8 || v > 1 << 20 || ((long)v & ((long)v - 1))) return cli_usage("sensitivity", "--samples needs a power of two, 8 to 1048576");
                samples = (long)v;
            } else if (!strcmp(a, "--top")) {
                if (v < 1 || v > 20) return cli_usage("sensitivity", "--top needs 1 to 20");
                top = (long)v;
            } else if (!strcmp(a, "--trajectories")) {
                if (v < 2 || v > 100000) return cli_usage("sensitivity", "--trajectories needs 2 to 100000");
                traj = (long)v;
            } else if (!strcmp(a, "--levels")) {
                if (v < 2 || v > 100 || (long)v % 2) return cli_usage("sensitivity", "--levels needs an even number 2 to 100");
                levels = (long)v;
            } else if (!strcmp(a, "--morris-candidates")) {
                if (v < 2 || v > 100000)
                    return cli_usage("sensitivity", "--morris-candidates needs at least --trajectories "
                                     "and at most 5000; hint: e.g. 10 times the trajectories, or equal "
                                     "to them for no selection");
                cand = (long)v;
            } else if (!strcmp(a, "--threads")) {
                if (v > 1024) return cli_usage("sensitivity", "--threads needs 0 to 1024");
                threads = (long)v;
            } else seed = v;
        } else if (!strcmp(a, "--method")) {
            if (i + 1 >= argc) return cli_usage("sensitivity", "--method needs sobol, morris or tornado");
            method = argv[++i];
            if (strcmp(method, "sobol") && strcmp(method, "morris") && strcmp(method, "tornado"))
                return cli_usage("sensitivity", "--method: unknown method '%s'; hint: sobol, morris or tornado", method);
        } else if (!strcmp(a, "--out")) {
            if (i + 1 >= argc) return cli_usage("sensitivity", "--out needs a directory");
            out = argv[++i];
        } else if (!strcmp(a, "--format")) {
            if (i + 1 >= argc) return cli_usage("sensitivity", "--format needs table, csv or json");
            if ((format = cli_format_parse("sensitivity", argv[++i])) < 0) return EXIT_INPUT;
        } else if (a[0] == '-') return cli_usage("sensitivity", "unknown option '%s'", a);
        else if (scn_path) return cli_usage("sensitivity", "one SCENARIO only (got '%s' and '%s')", scn_path, a);
        else scn_path = a;
    }
    if (!scn_path) return cli_usage("sensitivity", "missing SCENARIO.yaml");
    if (cand >= 0 && strcmp(method, "morris"))
        return cli_usage("sensitivity", "--morris-candidates applies to --method morris (not %s)", method);
    if (cand >= 0 && cand < traj)
        return cli_usage("sensitivity", "--morris-candidates %ld is fewer than the %ld trajectories kept; "
                         "hint: at least %ld (that many keeps them all), e.g. %ld", cand, traj, traj,
                         10 * traj < 5000 ? 10 * traj : 5000);
    if (cand > traj && cand > 5000)
        return cli_usage("sensitivity", "--morris-candidates %ld is above 5000 (their distances take M^2/2 "
                         "numbers); hint: 10 times the trajectories is usual, or --morris-candidates %ld "
                         "for no selection", cand, traj);
    if (cand < 0) cand = 10 * traj < 1000 ? 10 * traj : (traj > 1000 ? traj : 1000);
    cli_mc_mpi_init(&argc, &argv);
    int progress = cli_progress_wanted();
    if (cli_mc_rank() != 0) {   /* under MPI only rank 0 prints and writes */
        if (!freopen("/dev/null", "w", stdout)) return EXIT_RUN;
        out = NULL;
    }
    cli_mc k;
    cp_error err;
    cp_error_clear(&err);
    double *X = NULL, *Y = NULL, *y = NULL, *sub = NULL;
    sens_row *rows = NULL;
    cp_unc_tornado_bar *bars = NULL;
    cp_unc_dist *sd_ = NULL;
    size_t *sel = NULL;
    cp_unc_saltelli sal;
    memset(&sal, 0, sizeof sal);
    cp_unc_morris mor;
    memset(&mor, 0, sizeof mor);
    cp_unc_sobol ix;
    memset(&ix, 0, sizeof ix);
    json_t *J = json_object();
    FILE *csv = NULL;
    char cpath[4200];
    int rc = cli_mc_open(&k, scn_path, &lo);
    if (rc) goto done;
    const cp_unc_dist *dd = cp_scn_mc_dists(k.mc);
    size_t d = cp_scn_mc_nparams(k.mc), nt = cli_mc_threads(&k, threads);
    uint64_t sd = seed >= 0 ? (uint64_t)seed : k.u->seed;
    cp_unc_model m = cp_scn_mc_model(k.mc);
    size_t ny = m.ny;
    int bounded = 1;
    for (size_t j = 0; j < d; j++) bounded &= isfinite(cp_unc_dist_quantile(&dd[j], 0)) && isfinite(cp_unc_dist_quantile(&dd[j], 1));
    double plo = bounded ? 0.0 : 0.05, phi = bounded ? 1.0 : 0.95;
    if (format == CLI_FMT_TABLE) {
        printf("== %s: sensitivity of the GDP loss (%s) ==\n", k.name, k.t->unit ? k.t->unit : "");
        printf("%zu uncertain parameters, %zu thread%s, seed %llu\n", d, nt, nt == 1 ? "" : "s", (unsigned long long)sd);
    }
    json_object_set_new(J, "output", json_string("gdp_loss"));
    json_object_set_new(J, "unit", json_string(k.t->unit ? k.t->unit : ""));
    json_object_set_new(J, "parameters", json_integer((json_int_t)d));
    json_object_set_new(J, "seed", json_integer((json_int_t)sd));
    if (out) {
        if (cp_out_mkdirs(out, &err)) { rc = cli_fail(&err); goto done; }
        snprintf(cpath, sizeof cpath, "%s/sensitivity.csv", out);
        if (!(csv = fopen(cpath, "w"))) { cp_error_at(&err, CP_EIO, cpath, 0, 0, "cannot write: %s", strerror(errno)); rc = cli_fail(&err); goto done; }
    }
    /* tornado (also the screening step of sobol) */
    if (strcmp(method, "morris")) {
        size_t R = 2 * d + 1;
        X = malloc(R * d * sizeof *X);
        Y = malloc(R * ny * sizeof *Y);
        y = malloc(R * sizeof *y);
        bars = malloc(d * sizeof *bars);
        rows = malloc(d * sizeof *rows);
        if (!X || !Y || !y || !bars || !rows) { cp_error_set(&err, CP_ENOMEM, "out of memory"); rc = cli_fail(&err); goto done; }
        if (cp_unc_tornado_design(dd, d, plo, phi, X, &err)) { rc = cli_fail(&err); goto done; }
        if ((rc = cli_mc_eval(&k, X, Y, 0, R, nt, progress, "tornado"))) goto done;
        for (size_t r = 0; r < R; r++) y[r] = Y[r * ny + CP_MC_GDP_LOSS];
        double yc;
        if (cp_unc_tornado_bars(X, d, y, bars, &yc, &err)) { rc = cli_fail(&err); goto done; }
        for (size_t i = 0; i < d; i++)
            rows[i] = (sens_row){bars[i].param, bars[i].swing, bars[i].y_lo, bars[i].y_hi, bars[i].x_lo, bars[i].x_hi, 0, 0};
        static const char *const tc[] = {"swing", "gdp_loss_low", "gdp_loss_high", "value_low", "value_high"};
        char title[160];
        snprintf(title, sizeof title, "Tornado: GDP loss at each parameter's %s and %s, others central (central %.6g)",
                 bounded ? "low" : "p5", bounded ? "high" : "p95", yc);
        size_t show = !strcmp(method, "tornado") ? d : (d < 15 ? d : 15);
        if (format == CLI_FMT_TABLE) sens_table(title, tc, 5, rows, show, dd);
        else if (format == CLI_FMT_CSV) sens_csv(stdout, "tornado", tc, 5, rows, d, dd);
        if (csv) sens_csv(csv, "tornado", tc, 5, rows, d, dd);
        json_t *t = json_object();
        json_object_set_new(t, "central", json_real(yc));
        json_object_set_new(t, "p_low", json_real(plo));
        json_object_set_new(t, "p_high", json_real(phi));
        json_object_set_new(t, "bars", sens_json(tc, 5, rows, d, dd));
        json_object_set_new(J, "tornado", t);
        if (!strcmp(method, "sobol")) {
            size_t K = (size_t)top < d ? (size_t)top : d;
            sel = malloc(K * sizeof *sel);
            sd_ = malloc(K * sizeof *sd_);
            if (!sel || !sd_) { cp_error_set(&err, CP_ENOMEM, "out of memory"); rc = cli_fail(&err); goto done; }
            for (size_t i = 0; i < K; i++) { sel[i] = bars[i].param; sd_[i] = dd[sel[i]]; }
            if (cp_unc_saltelli_init(&sal, sd_, K, (size_t)samples, 1, sd, &err)) { rc = cli_fail(&err); goto done; }
            free(X); free(Y); free(y);
            X = malloc(sal.rows * d * sizeof *X);
            Y = malloc(sal.rows * ny * sizeof *Y);
            y = malloc(sal.rows * sizeof *y);
            if (!X || !Y || !y) { cp_error_set(&err, CP_ENOMEM, "out of memory"); rc = cli_fail(&err); goto done; }
            for (size_t r = 0; r < sal.rows; r++) {
                sens_central(dd, d, X + r * d);
                for (size_t i = 0; i < K; i++) X[r * d + sel[i]] = sal.X[r * K + i];
            }
            if ((rc = cli_mc_eval(&k, X, Y, 0, sal.rows, nt, progress, "sobol"))) goto done;
            for (size_t r = 0; r < sal.rows; r++) y[r] = Y[r * ny + CP_MC_GDP_LOSS];
            if (cp_unc_sobol_indices(&sal, y, 500, 0.95, sd, &ix, &err)) { rc = cli_fail(&err); goto done; }
            for (size_t i = 0; i < K; i++)
                rows[i] = (sens_row){sel[i], ix.ST[i], ix.ST_lo[i], ix.ST_hi[i], ix.S1[i], ix.S1_lo[i], ix.S1_hi[i], 0};
            qsort(rows, K, sizeof *rows, sens_cmp);
            static const char *const sc[] = {"ST", "ST_lo", "ST_hi", "S1", "S1_lo", "S1_hi"};
            snprintf(title, sizeof title, "Sobol indices of the GDP loss, top %zu by swing, N = %ld (%zu runs), 95 %% bootstrap intervals; variance %.4g",
                     K, samples, sal.rows, ix.var);
            if (format == CLI_FMT_TABLE) sens_table(title, sc, 6, rows, K, dd);
            else if (format == CLI_FMT_CSV) sens_csv(stdout, "sobol", sc, 6, rows, K, dd);
            if (csv) sens_csv(csv, "sobol", sc, 6, rows, K, dd);
            json_t *s = json_object();
            json_object_set_new(s, "N", json_integer(samples));
            json_object_set_new(s, "runs", json_integer((json_int_t)sal.rows));
            json_object_set_new(s, "mean", json_real(ix.mean));
            json_object_set_new(s, "variance", json_real(ix.var));
            json_object_set_new(s, "indices", sens_json(sc, 6, rows, K, dd));
            json_object_set_new(J, "sobol", s);
        }
    } else {
        if (cp_unc_morris_init(&mor, dd, d, (size_t)traj, cand > traj ? (size_t)cand : 0, (int)levels, sd, &err)) { rc = cli_fail(&err); goto done; }
        Y = malloc(mor.rows * ny * sizeof *Y);
        y = malloc(mor.rows * sizeof *y);
        sub = malloc(5 * d * sizeof *sub);
        rows = malloc(d * sizeof *rows);
        if (!Y || !y || !sub || !rows) { cp_error_set(&err, CP_ENOMEM, "out of memory"); rc = cli_fail(&err); goto done; }
        if ((rc = cli_mc_eval(&k, mor.X, Y, 0, mor.rows, nt, progress, "morris"))) goto done;
        for (size_t r = 0; r < mor.rows; r++) y[r] = Y[r * ny + CP_MC_GDP_LOSS];
        double *mu = sub, *mus = sub + d, *sg = sub + 2 * d, *lo2 = sub + 3 * d, *hi2 = sub + 4 * d;
        if (cp_unc_morris_effects(&mor, y, mu, mus, sg, &err) ||
            cp_unc_morris_ci(&mor, y, 500, 0.95, sd, lo2, hi2, &err)) { rc = cli_fail(&err); goto done; }
        for (size_t j = 0; j < d; j++) rows[j] = (sens_row){j, mus[j], lo2[j], hi2[j], mu[j], sg[j], 0, 0};
        qsort(rows, d, sizeof *rows, sens_cmp);
        static const char *const mcn[] = {"mu_star", "mu_star_lo", "mu_star_hi", "mu", "sigma"};
        char title[300];
        int tl = snprintf(title, sizeof title, "Morris elementary effects of the GDP loss, %ld trajectories, %ld levels (%zu runs)",
                          traj, levels, mor.rows);
        if (cand > traj && tl > 0 && (size_t)tl < sizeof title)
            snprintf(title + tl, sizeof title - (size_t)tl, "; the best spread of %ld candidates (spread %.4g)",
                     cand, mor.spread);
        if (format == CLI_FMT_TABLE) sens_table(title, mcn, 5, rows, d, dd);
        else if (format == CLI_FMT_CSV) sens_csv(stdout, "morris", mcn, 5, rows, d, dd);
        if (csv) sens_csv(csv, "morris", mcn, 5, rows, d, dd);
        json_t *s = json_object();
        json_object_set_new(s, "trajectories", json_integer(traj));
        json_object_set_new(s, "levels", json_integer(levels));
        json_object_set_new(s, "candidates", json_integer(cand));
        json_object_set_new(s, "spread", isfinite(mor.spread) ? json_real(mor.spread) : json_null());
        json_object_set_new(s, "runs", json_integer((json_int_t)mor.rows));
        json_object_set_new(s, "effects", sens_json(mcn, 5, rows, d, dd));
        json_object_set_new(J, "morris", s);
    }
    if (format == CLI_FMT_JSON) { json_dumpf(J, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(17)); printf("\n"); }
    if (csv && fclose(csv)) { csv = NULL; cp_error_at(&err, CP_EIO, cpath, 0, 0, "write failed"); rc = cli_fail(&err); goto done; }
    csv = NULL;
    if (out) {
        char p[4200];
        snprintf(p, sizeof p, "%s/sensitivity.json", out);
        if (json_dump_file(J, p, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17))) {
            cp_error_at(&err, CP_EIO, p, 0, 0, "cannot write: %s", strerror(errno));
            rc = cli_fail(&err);
            goto done;
        }
        snprintf(p, sizeof p, "%s/summary.json", out);
        json_error_t je;
        json_t *s = json_load_file(p, JSON_PRESERVE_ORDER, &je);
        if (s) {
            json_t *old = json_object_get(s, "sensitivity");
            if (json_is_object(old)) json_object_update(old, J);
            else json_object_set(s, "sensitivity", J);
            if (json_dump_file(s, p, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17))) {
                json_decref(s);
                cp_error_at(&err, CP_EIO, p, 0, 0, "cannot write: %s", strerror(errno));
                rc = cli_fail(&err);
                goto done;
            }
            json_decref(s);
        }
        if (format == CLI_FMT_TABLE) printf("\noutputs  %s/sensitivity.csv, %s/sensitivity.json%s\n", out, out, s ? " (and summary.json)" : "");
    }
    rc = EXIT_OK;
done:
    if (csv) fclose(csv);
    json_decref(J);
    free(X); free(Y); free(y); free(sub); free(rows); free(bars); free(sd_); free(sel);
    cp_unc_saltelli_free(&sal);
    cp_unc_morris_free(&mor);
    cp_unc_sobol_free(&ix);
    cli_mc_close(&k);
    cli_mc_mpi_finalize();
    return rc;
}

const cli_cmd cmd_sensitivity_def = {"sensitivity", "rank a scenario's uncertain parameters (Sobol, Morris, tornado)", help, sens_main};
