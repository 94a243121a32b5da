/*
 * cmd_mc.c — `chokepoint mc SCENARIO.yaml --out DIR`: Monte Carlo over the
 * scenario's uncertain parameters (its uncertainty: section and, by
 * default, the satellite account's [low, central, high] ranges), through
 * the statistical core's threaded runner (or MPI ranks), writing the
 * central run's outputs plus percentiles of every headline figure and
 * series, convergence diagnostics and the draws (docs/uncertainty.md).
 */
#include "mc.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char help[] =
    "usage: chokepoint mc SCENARIO.yaml --out DIR [--draws N] [--threads T] [--seed S]\n"
    "                     [--sampling mc|lhs] [--no-industry-monthly]\n"
    "                     [--store PATH | --no-store]\n"
    "                     [--balance-tol X] [--no-validate]\n"
    "\n"
    "Monte Carlo over a scenario's uncertain parameters (docs/uncertainty.md): the\n"
    "parameters of its `uncertainty:` section and, unless account_ranges: false,\n"
    "every [low, central, high] range of the satellite account that the scenario\n"
    "does not fix (triangular, mode = central).  Each draw runs the controls layer\n"
    "and ARIO exactly as `run` does.  Draw k uses its own random stream, so the\n"
    "results are bit-identical for any --threads and under `mpirun -np N` (a\n"
    "build with make MPI=1).\n"
    "\n"
    "DIR receives the central run's outputs (as `run`), and summary.json gains\n"
    "`percentiles` {figure: {\"5\": .., ..}}, flat `<figure>_pNN` keys and\n"
    "`monte_carlo` (draws, seed, parameters, mean and standard error);\n"
    "timeseries.csv gains production_realised_pNN, value_added_loss_pNN and\n"
    "final_demand_unmet_pNN rows (totals per day, empty sector: the report's fan\n"
    "charts); mc_draws.csv (parameters\n"
    "and headline figures per draw), mc_percentiles.csv, mc_monthly.csv,\n"
    "mc_convergence.csv (running mean and standard error of the GDP loss),\n"
    "mc_by_industry.csv (every industry's value-added and output loss over the\n"
    "horizon, ranked by median value-added loss; the top 10 also in\n"
    "summary.json's monte_carlo.by_industry) and mc_by_industry_monthly.csv\n"
    "(every industry's value-added loss per month).  The draws' outputs are held\n"
    "in memory (draws x outputs x 8 bytes); more than 2 GiB is refused.\n"
    "The run is recorded in the run store unless --no-store.\n"
    "\n"
    "  --out DIR       output directory (created)\n"
    "  --draws N       draws (default: uncertainty.draws, else 1000)\n"
    "  --threads T     threads (default: uncertainty.threads; 0 = one per core)\n"
    "  --seed S        master seed (default: uncertainty.seed, else 1)\n"
    "  --sampling mc|lhs   mc: independent draws (default: uncertainty.sampling,\n"
    "                  else mc); lhs: Latin hypercube, each parameter's\n"
    "                  probability cut in N equal strata with one draw in each\n"
    "                  (rank correlations still applied); the sample depends on\n"
    "                  the seed and N, never on threads or processes\n"
    "  --no-industry-monthly   no per-industry monthly losses (saves months x\n"
    "                  industries x 8 bytes a draw; mc_by_industry_monthly.csv\n"
    "                  is not written)\n"
    "  --store PATH, --no-store   as for `run`\n"
    "\n"
    "A progress bar is drawn on stderr when it is a terminal and CI is not set.\n"
    "\n"
    "exit status: 0 ok, 1 model or run failure, 2 usage or input error\n";

/* Headline figures of a draw: output index, summary key, label, unit kind. */
static const struct { size_t idx; const char *key, *label; int pct; } heads[] = {
    {CP_MC_GDP_LOSS, "gdp_loss", "GDP loss", 0},
    {CP_MC_GDP_LOSS_PCT, "gdp_loss_pct", "GDP loss share", 1},
    {CP_MC_PRODUCTION_LOSS, "production_loss", "production loss", 0},
    {CP_MC_FD_UNMET, "final_demand_unmet_total", "final demand unmet", 0},
};
#define NHEADS (sizeof heads / sizeof heads[0])

/* Seconds on the monotonic clock. */
static double mc_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Phase clock: with CP_MC_TIMES set in the environment, mc prints the wall
 * time of each phase after the draws to stderr (for benchmarks; off by
 * default). */
typedef struct mc_clock { int on; double t0, t; } mc_clock;

/* Start the phase clock (reads CP_MC_TIMES). */
static void mc_clock_start(mc_clock *c)
{
    const char *e = getenv("CP_MC_TIMES");
    c->on = e && *e && strcmp(e, "0") != 0;
    c->t0 = c->t = mc_now();
}

/* End a phase: print its wall time and the total so far when on. */
static void mc_clock_tick(mc_clock *c, const char *phase)
{
    if (!c->on) return;
    double t = mc_now();
    fprintf(stderr, "mc time  %-18s %8.3f s  (total %8.3f s)\n", phase, t - c->t, t - c->t0);
    c->t = t;
}

/* A double as JSON (null for NaN). */
static json_t *jr(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

/* Write a CSV number (shortest exact form). */
static void csvnum(FILE *f, double v)
{
    char b[40];
    cp_store_format_double(v, b, sizeof b);
    fputs(b, f);
}

/* Everything the outputs need. */
typedef struct mc_out {
    cli_mc *k;
    mc_clock *clk;                /* phase times (CP_MC_TIMES) */
    size_t n, d, ny, npct;
    size_t nt;                    /* threads for the statistics */
    const double *pct, *X, *Y;
    double *head_p;    /* [NHEADS * npct] */
    double *head_mean, *head_se;  /* [NHEADS] after n draws */
    double *run_mean, *run_se;    /* [n] GDP loss */
    uint64_t seed;
    cp_unc_sampling sampling;
    /* per industry (mc_industry_stats): v = 0 value-added loss, 1 output loss */
    size_t nind;                  /* industries (the table's n) */
    int ind_months;               /* per-industry monthly VA loss drawn */
    double *ind_p;                /* [np * 2 nind]: [j*2nind + v*nind + i] */
    double *ind_mean, *ind_se;    /* [2 nind]: [v*nind + i] */
    double *mind_p;               /* [np * NM nind]: [j*NM*nind + q*nind + i] */
    double *mind_mean, *mind_se;  /* [NM nind] */
    size_t *rank;                 /* [nind] industries by median VA loss, largest first */
} mc_out;

/* Largest Y (draws × outputs × 8 bytes) mc allocates: every MPI rank holds
 * all of it (docs/uncertainty.md). */
#define MC_Y_MAX_BYTES (2.0 * 1024 * 1024 * 1024)

/* (median, index) for ranking industries. */
typedef struct mc_rk { double v; size_t i; } mc_rk;

/* qsort: larger median first, ties by industry index. */
static int mc_rk_cmp(const void *a, const void *b)
{
    const mc_rk *x = a, *y = b;
    if (x->v != y->v) return x->v > y->v ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* Per-industry statistics of the draws (when the model has them):
 * percentiles, mean and standard error of each industry's value-added and
 * output loss over the horizon and of its monthly value-added loss, and
 * the ranking by median value-added loss (the median of each industry's
 * draws, whatever the percentiles asked for). */
static int mc_industry_stats(mc_out *o, cp_error *err)
{
    const cp_scn_mc *mc = o->k->mc;
    unsigned fl = cp_scn_mc_outputs(mc);
    if (!(fl & CP_MC_SECTORS)) return 0;
    size_t ni = cp_scn_mc_nsectors(mc), NM = cp_scn_mc_nmonths(mc), np = o->npct;
    o->nind = ni;
    o->ind_months = (fl & CP_MC_SECTOR_MONTHS) != 0;
    size_t nm = o->ind_months ? NM * ni : 0;
    o->ind_p = malloc((np * 2 * ni + 1) * sizeof *o->ind_p);
    o->ind_mean = malloc((2 * ni + 1) * sizeof(double));
    o->ind_se = malloc((2 * ni + 1) * sizeof(double));
    o->mind_p = malloc((np * nm + 1) * sizeof *o->mind_p);
    o->mind_mean = malloc((nm + 1) * sizeof(double));
    o->mind_se = malloc((nm + 1) * sizeof(double));
    o->rank = malloc((ni + 1) * sizeof *o->rank);
    double *med = malloc((ni + 1) * sizeof *med);
    mc_rk *rk = malloc((ni + 1) * sizeof *rk);
    int rc = 0;
    if (!o->ind_p || !o->ind_mean || !o->ind_se || !o->mind_p || !o->mind_mean || !o->mind_se || !o->rank || !med || !rk) {
        rc = cp_error_set(err, CP_ENOMEM, "out of memory for the per-industry percentiles");
        goto done;
    }
    size_t off = cp_scn_mc_off_sector_va(mc);   /* VA then output: 2 ni contiguous */
    static const double half[1] = {50};
    /* percentiles, means and standard errors on the threads (unc_stats.c:
     * each column on its own, sums in draw order) */
    if ((rc = cp_unc_series_stats(o->Y + off, o->n, 2 * ni, o->ny, o->pct, np, o->ind_p, o->ind_mean, o->ind_se,
                                  o->nt, err)))
        goto done;
    /* the median: p50 when asked for (the same bits: the same order
     * statistics and interpolation), else its own pass */
    size_t j50 = np;
    for (size_t j = 0; j < np && j50 == np; j++)
        if (o->pct[j] == 50) j50 = j;
    if (j50 < np) memcpy(med, o->ind_p + j50 * 2 * ni, ni * sizeof *med);
    else if ((rc = cp_unc_series_stats(o->Y + off, o->n, ni, o->ny, half, 1, med, NULL, NULL, o->nt, err)))
        goto done;
    if (nm) {
        size_t moff = cp_scn_mc_off_sector_month_va(mc);
        if ((rc = cp_unc_series_stats(o->Y + moff, o->n, nm, o->ny, o->pct, np, o->mind_p, o->mind_mean, o->mind_se,
                                      o->nt, err)))
            goto done;
    }
    for (size_t i = 0; i < ni; i++) { rk[i].v = med[i]; rk[i].i = i; }
    qsort(rk, ni, sizeof *rk, mc_rk_cmp);
    for (size_t i = 0; i < ni; i++) o->rank[i] = rk[i].i;
done:
    free(med);
    free(rk);
    return rc;
}

/* Free what mc_industry_stats allocated. */
static void mc_industry_free(mc_out *o)
{
    free(o->ind_p);
    free(o->ind_mean);
    free(o->ind_se);
    free(o->mind_p);
    free(o->mind_mean);
    free(o->mind_se);
    free(o->rank);
}

/* {"5": .., "25": .., ..}: the percentiles out[j * stride] as summary.json writes them. */
static json_t *mc_pct_obj(const mc_out *o, const double *out, size_t stride)
{
    json_t *f = json_object();
    for (size_t j = 0; j < o->npct; j++) {
        char k[16];
        snprintf(k, sizeof k, "%g", o->pct[j]);
        json_object_set_new(f, k, jr(out[j * stride]));
    }
    return f;
}

/* summary.json's monte_carlo.by_industry: the ten industries with the
 * largest median value-added loss, with the percentiles of their
 * value-added and output loss over the horizon (all industries are in
 * mc_by_industry.csv). */
static json_t *mc_summary_industries(const mc_out *o)
{
    json_t *a = json_array();
    const cp_table *t = o->k->t;
    size_t ni = o->nind;
    for (size_t r = 0; r < ni && r < 10; r++) {
        size_t i = o->rank[r];
        json_t *e = json_object();
        json_object_set_new(e, "rank", json_integer((json_int_t)(r + 1)));
        json_object_set_new(e, "region", json_string(t->region[i]));
        json_object_set_new(e, "sector", json_string(t->sector[i]));
        json_object_set_new(e, "name", json_string(t->sector_name && t->sector_name[i] ? t->sector_name[i] : t->sector[i]));
        json_object_set_new(e, "value_added_loss", mc_pct_obj(o, o->ind_p + i, 2 * ni));
        json_object_set_new(e, "output_loss", mc_pct_obj(o, o->ind_p + ni + i, 2 * ni));
        json_array_append_new(a, e);
    }
    return a;
}

/* Add the Monte Carlo figures to summary.json. */
static int mc_summary(const char *dir, const mc_out *o, cp_error *err)
{
    char p[4200];
    snprintf(p, sizeof p, "%s/summary.json", dir);
    json_error_t je;
    json_t *s = json_load_file(p, JSON_PRESERVE_ORDER, &je);
    if (!s) return cp_error_at(err, CP_EIO, p, je.line, je.column, "cannot read the summary back: %s", je.text);
    json_t *P = json_object();
    for (size_t h = 0; h < NHEADS; h++) {
        json_t *f = json_object();
        for (size_t j = 0; j < o->npct; j++) {
            char k[16], fk[96];
            snprintf(k, sizeof k, "%g", o->pct[j]);
            json_object_set_new(f, k, jr(o->head_p[h * o->npct + j]));
            snprintf(fk, sizeof fk, "%s_p%02d", heads[h].key, (int)o->pct[j]);
            json_object_set_new(s, fk, jr(o->head_p[h * o->npct + j]));
        }
        json_object_set_new(P, heads[h].key, f);
        if (h == 0) json_object_set(P, "value_added_loss", f);
    }
    json_object_set_new(s, "percentiles", P);
    json_t *mc = json_object(), *par = json_array(), *mean = json_object(), *se = json_object(), *pl = json_array();
    json_object_set_new(mc, "draws", json_integer((json_int_t)o->n));
    json_object_set_new(mc, "seed", json_integer((json_int_t)o->seed));
    json_object_set_new(mc, "sampling", json_string(cp_unc_sampling_name(o->sampling)));
    for (size_t j = 0; j < o->npct; j++) json_array_append_new(pl, json_real(o->pct[j]));
    json_object_set_new(mc, "percentiles", pl);
    json_object_set_new(mc, "range_shape", json_string(o->k->u->range_shape));
    const cp_unc_dist *dd = cp_scn_mc_dists(o->k->mc);
    for (size_t j = 0; j < o->d; j++) {
        const cp_unc_dist *q = &dd[j];
        json_t *e = json_object();
        json_object_set_new(e, "name", json_string(q->name));
        json_object_set_new(e, "dist", json_string(cp_unc_kind_name(q->kind)));
        json_object_set_new(e, "low", jr(cp_unc_dist_quantile(q, 0)));
        json_object_set_new(e, "central", jr(cp_unc_dist_central(q)));
        json_object_set_new(e, "high", jr(cp_unc_dist_quantile(q, 1)));
        json_array_append_new(par, e);
    }
    json_object_set_new(mc, "parameters", par);
    for (size_t h = 0; h < NHEADS; h++) {
        json_object_set_new(mean, heads[h].key, jr(o->head_mean[h]));
        json_object_set_new(se, heads[h].key, jr(o->head_se[h]));
    }
    json_object_set_new(mc, "mean", mean);
    json_object_set_new(mc, "standard_error", se);
    /* convergence: standard error of the mean GDP loss over the width of
     * the outer percentiles (converged when small, e.g. under 0.01) */
    double w = o->head_p[o->npct - 1] - o->head_p[0];
    json_object_set_new(mc, "gdp_loss_se_over_width", w > 0 ? jr(o->head_se[0] / w) : json_null());
    if (o->nind) json_object_set_new(mc, "by_industry", mc_summary_industries(o));
    json_object_set_new(s, "monte_carlo", mc);
    int rc = json_dump_file(s, p, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    json_decref(s);
    if (rc) return cp_error_at(err, CP_EIO, p, 0, 0, "cannot write: %s", strerror(errno));
    return 0;
}

/* Open dir/name for writing. */
static FILE *mc_open(const char *dir, const char *name, const char *mode, char *path, size_t cap,
                     cp_error *err)
{
    snprintf(path, cap, "%s/%s", dir, name);
    FILE *f = fopen(path, mode);
    if (!f) cp_error_at(err, CP_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
    return f;
}

/* Close f, reporting a write error. */
static int mc_close(FILE *f, const char *path, cp_error *err)
{
    int bad = ferror(f);
    if (fclose(f) || bad) return cp_error_at(err, CP_EIO, path, 0, 0, "write failed: %s", strerror(errno));
    return 0;
}

/* "mean,standard_error,pNN..." values of one series: mean, se, then
 * out[j * stride] for every percentile j. */
static void mc_csv_stats(FILE *f, const mc_out *o, double mean, double se, const double *out, size_t stride)
{
    fputc(',', f); csvnum(f, mean);
    fputc(',', f); csvnum(f, se);
    for (size_t j = 0; j < o->npct; j++) { fputc(',', f); csvnum(f, out[j * stride]); }
    fputc('\n', f);
}

/* mc_by_industry.csv (every industry's value-added and output loss over
 * the horizon, ranked by median value-added loss) and, when drawn,
 * mc_by_industry_monthly.csv (every industry's value-added loss per
 * month): long files, one row per industry (and month) and variable. */
static int mc_files_industry(const char *dir, const mc_out *o, cp_error *err)
{
    if (!o->nind) return 0;
    char p[4200];
    const cp_scn_mc *mc = o->k->mc;
    const cp_table *t = o->k->t;
    const char *unit = t->unit ? t->unit : "";
    size_t ni = o->nind, NM = cp_scn_mc_nmonths(mc), np = o->npct;
    static const char *const var[2] = {"value_added_loss", "output_loss"};
    FILE *f = mc_open(dir, "mc_by_industry.csv", "w", p, sizeof p, err);
    if (!f) return err->code;
    fputs("rank,region,sector,name,variable,unit,mean,standard_error", f);
    for (size_t j = 0; j < np; j++) fprintf(f, ",p%02d", (int)o->pct[j]);
    fputc('\n', f);
    for (size_t r = 0; r < ni; r++)
        for (size_t v = 0; v < 2; v++) {
            size_t i = o->rank[r];
            fprintf(f, "%zu,", r + 1);
            cli_csv_field(f, t->region[i]); fputc(',', f);
            cli_csv_field(f, t->sector[i]); fputc(',', f);
            cli_csv_field(f, t->sector_name && t->sector_name[i] ? t->sector_name[i] : t->sector[i]);
            fprintf(f, ",%s,", var[v]);
            cli_csv_field(f, unit);
            mc_csv_stats(f, o, o->ind_mean[v * ni + i], o->ind_se[v * ni + i], o->ind_p + v * ni + i, 2 * ni);
        }
    if (mc_close(f, p, err)) return err->code;
    if (!o->ind_months) return 0;
    if (!(f = mc_open(dir, "mc_by_industry_monthly.csv", "w", p, sizeof p, err))) return err->code;
    fputs("month,region,sector,variable,unit,mean,standard_error", f);
    for (size_t j = 0; j < np; j++) fprintf(f, ",p%02d", (int)o->pct[j]);
    fputc('\n', f);
    for (size_t r = 0; r < ni; r++)
        for (size_t q = 0; q < NM; q++) {
            size_t i = o->rank[r], c = q * ni + i;
            fprintf(f, "%s,", cp_scn_mc_month(mc, q));
            cli_csv_field(f, t->region[i]); fputc(',', f);
            cli_csv_field(f, t->sector[i]);
            fprintf(f, ",value_added_loss,");
            cli_csv_field(f, unit);
            mc_csv_stats(f, o, o->mind_mean[c], o->mind_se[c], o->mind_p + c, NM * ni);
        }
    return mc_close(f, p, err);
}

/* mc_draws.csv: the parameters and headline figures of every draw. */
static int mc_write_draws(const char *dir, const mc_out *o, cp_error *err)
{
    char p[4200];
    const cp_unc_dist *dd = cp_scn_mc_dists(o->k->mc);
    size_t n = o->n, ny = o->ny;
    FILE *f = mc_open(dir, "mc_draws.csv", "w", p, sizeof p, err);
    if (!f) return err->code;
    fputs("draw", f);
    for (size_t j = 0; j < o->d; j++) { fputc(',', f); cli_csv_field(f, dd[j].name); }
    for (size_t h = 0; h < NHEADS; h++) fprintf(f, ",%s", heads[h].key);
    fputc('\n', f);
    /* a row built in memory (numbers at most 24 characters) and written at once */
    char *line = malloc((o->d + NHEADS) * 26 + 80);
    if (!line) {
        fclose(f);
        return cp_error_set(err, CP_ENOMEM, "out of memory");
    }
    for (size_t r = 0; r < n; r++) {
        char *w = line + snprintf(line, 32, "%zu", r);
        for (size_t j = 0; j < o->d + NHEADS; j++) {
            *w++ = ',';
            cp_store_format_double(j < o->d ? o->X[r * o->d + j] : o->Y[r * ny + heads[j - o->d].idx], w, 40);
            w += strlen(w);
        }
        *w++ = '\n';
        fwrite(line, 1, (size_t)(w - line), f);
    }
    free(line);
    return mc_close(f, p, err);
}

/* mc_write_draws on a thread of its own (beside the central run). */
typedef struct mc_draws_job {
    const char *dir;
    const mc_out *o;
    cp_error err;
    int rc;
} mc_draws_job;

/* Thread body: write mc_draws.csv. */
static void *mc_draws_run(void *arg)
{
    mc_draws_job *J = arg;
    J->rc = mc_write_draws(J->dir, J->o, &J->err);
    return NULL;
}

/* The other files: percentiles, monthly, by industry, convergence,
 * percentile series. */
static int mc_files(const char *dir, const mc_out *o, cp_error *err)
{
    char p[4200];
    const cp_scn_mc *mc = o->k->mc;
    size_t T = cp_scn_mc_steps(mc), NM = cp_scn_mc_nmonths(mc), n = o->n, ny = o->ny, np = o->npct;
    FILE *f;
    if (mc_files_industry(dir, o, err)) return err->code;
    mc_clock_tick(o->clk, "mc_by_industry*");
    if (!(f = mc_open(dir, "mc_percentiles.csv", "w", p, sizeof p, err))) return err->code;
    fputs("figure,unit,mean,standard_error", f);
    for (size_t j = 0; j < np; j++) fprintf(f, ",p%02d", (int)o->pct[j]);
    fputc('\n', f);
    const char *unit = o->k->t->unit ? o->k->t->unit : "";
    for (size_t h = 0; h < NHEADS; h++) {
        fprintf(f, "%s,", heads[h].key);
        cli_csv_field(f, heads[h].pct ? "% of annual GDP" : unit);
        fputc(',', f); csvnum(f, o->head_mean[h]);
        fputc(',', f); csvnum(f, o->head_se[h]);
        for (size_t j = 0; j < np; j++) { fputc(',', f); csvnum(f, o->head_p[h * np + j]); }
        fputc('\n', f);
    }
    if (mc_close(f, p, err)) return err->code;
    mc_clock_tick(o->clk, "mc_percentiles.csv");
    /* monthly percentiles and daily percentile series */
    size_t K = cp_scn_mc_nmat(mc), tot = 2 * NM > 2 * T ? 2 * NM : 2 * T;
    if (NM * K > tot) tot = NM * K;
    double *out = malloc((tot * np + 1) * sizeof *out);
    if (!out) return cp_error_set(err, CP_ENOMEM, "out of memory");
    int rc = cp_unc_series_stats(o->Y + cp_scn_mc_off_month_va(mc), n, 2 * NM, ny, o->pct, np, out, NULL, NULL,
                                 o->nt, err);
    if (!rc && (f = mc_open(dir, "mc_monthly.csv", "w", p, sizeof p, err))) {
        fprintf(f, "month,variable,unit");
        for (size_t j = 0; j < np; j++) fprintf(f, ",p%02d", (int)o->pct[j]);
        fputc('\n', f);
        for (size_t v = 0; v < 2; v++)
            for (size_t q = 0; q < NM; q++) {
                fprintf(f, "%s,%s,", cp_scn_mc_month(mc, q), v ? "output_loss" : "value_added_loss");
                cli_csv_field(f, unit);
                for (size_t j = 0; j < np; j++) { fputc(',', f); csvnum(f, out[j * 2 * NM + v * NM + q]); }
                fputc('\n', f);
            }
        /* availability of each controlled material: used / need over the month */
        if (K && !(rc = cp_unc_series_stats(o->Y + cp_scn_mc_off_month_avail(mc), n, NM * K, ny, o->pct, np, out,
                                            NULL, NULL, o->nt, err)))
            for (size_t k = 0; k < K; k++) {
                if (!cp_scn_mc_material_controlled(mc, k)) continue;
                for (size_t q = 0; q < NM; q++) {
                    fprintf(f, "%s,availability_%s,share of need", cp_scn_mc_month(mc, q), cp_scn_mc_material(mc, k));
                    for (size_t j = 0; j < np; j++) { fputc(',', f); csvnum(f, out[j * NM * K + q * K + k]); }
                    fputc('\n', f);
                }
            }
        int rc2 = mc_close(f, p, err);
        if (!rc) rc = rc2;
    } else if (!rc) rc = err->code;
    mc_clock_tick(o->clk, "mc_monthly.csv");
    if (!rc)
        rc = cp_unc_series_stats(o->Y + cp_scn_mc_off_production(mc), n, 2 * T, ny, o->pct, np, out, NULL, NULL,
                                 o->nt, err);
    if (!rc && (f = mc_open(dir, "timeseries.csv", "a", p, sizeof p, err))) {
        long sd = 0;
        int dated = o->k->s.start_date && !cp_ctl_date_parse(o->k->s.start_date, &sd);
        for (size_t v = 0; v < 2; v++)
            for (size_t j = 0; j < np; j++)
                for (size_t t = 0; t < T; t++) {
                    char dt[16] = "";
                    if (dated) cp_ctl_date_format(sd + (long)t, dt, sizeof dt);
                    fprintf(f, "%zu,%s,,,%s_p%02d,", t, dt, v ? "value_added_loss" : "production_realised", (int)o->pct[j]);
                    csvnum(f, out[j * 2 * T + v * T + t]);
                    fputc('\n', f);
                }
        if (!rc)
            rc = cp_unc_series_stats(o->Y + cp_scn_mc_off_fd_unmet(mc), n, T, ny, o->pct, np, out, NULL, NULL, o->nt,
                                     err);
        for (size_t j = 0; !rc && j < np; j++)
            for (size_t t = 0; t < T; t++) {
                char dt[16] = "";
                if (dated) cp_ctl_date_format(sd + (long)t, dt, sizeof dt);
                fprintf(f, "%zu,%s,,,final_demand_unmet_p%02d,", t, dt, (int)o->pct[j]);
                csvnum(f, out[j * T + t]);
                fputc('\n', f);
            }
        int rc2 = mc_close(f, p, err);
        if (!rc) rc = rc2;
    } else if (!rc) rc = err->code;
    free(out);
    if (rc) return rc;
    mc_clock_tick(o->clk, "timeseries pNN");
    if (!(f = mc_open(dir, "mc_convergence.csv", "w", p, sizeof p, err))) return err->code;
    fprintf(f, "draws,gdp_loss_mean,gdp_loss_standard_error\n");
    for (size_t r = 0; r < n; r++) {
        fprintf(f, "%zu,", r + 1);
        csvnum(f, o->run_mean[r]);
        fputc(',', f);
        csvnum(f, o->run_se[r]);
        fputc('\n', f);
    }
    int rc2 = mc_close(f, p, err);
    mc_clock_tick(o->clk, "mc_convergence.csv");
    return rc2;
}

/* Rewrite DIR/scenario.resolved.yaml (written by the central run) with the
 * draws, seed and sampling this run used: the options override the section, and a
 * scenario without one gets the defaults written out, so the file alone
 * reproduces the Monte Carlo run (and the run store keeps them). */
static int mc_resolved(const char *dir, cli_mc *k, size_t draws, uint64_t seed, cp_unc_sampling how,
                       cp_error *err)
{
    if (!k->s.unc) {
        cp_scn_unc *u = malloc(sizeof *u);
        if (!u) return cp_error_set(err, CP_ENOMEM, "out of memory");
        *u = *k->u;   /* the defaults: no parameters, no correlations */
        u->par = NULL;
        u->corr = NULL;
        u->npar = u->ncorr = 0;
        k->s.unc = u;
        k->u = u;
    }
    k->s.unc->draws = draws;
    k->s.unc->seed = seed;
    k->s.unc->sampling = how;
    char *y = cp_scn_resolved_yaml(&k->s), p[4200];
    if (!y) return cp_error_set(err, CP_ENOMEM, "out of memory for the resolved scenario");
    FILE *f = mc_open(dir, "scenario.resolved.yaml", "w", p, sizeof p, err);
    if (f) fputs(y, f);
    free(y);
    return f ? mc_close(f, p, err) : err->code;
}

/* Parse, draw, run, write. */
static int mc_main(int argc, char **argv)
{
    cli_run_opts ro = {.cmd = "mc", .steps = -1, .store = 1, .load = cp_load_opts_default()};
    const char *scn_path = NULL;
    long draws = -1, threads = -1;
    double seed = -1;
    int ind_months = 1, sampling = -1;
    for (int i = 1; i < argc; i++) {
        int f = cli_load_flag("mc", argc, argv, &i, &ro.load);
        if (f < 0) return EXIT_INPUT;
        if (f) continue;
        double v;
        if (!strcmp(argv[i], "--out")) {
            if (i + 1 >= argc) return cli_usage("mc", "--out needs a directory");
            ro.out = argv[++i];
        } else if (!strcmp(argv[i], "--draws")) {
            if (i + 1 >= argc || cp_parse_double(argv[i + 1], &v) || v < 2 || v > 1e8 || v != floor(v))
                return cli_usage("mc", "--draws needs a whole number >= 2");
            draws = (long)v;
            i++;
        } else if (!strcmp(argv[i], "--threads")) {
            if (i + 1 >= argc || cp_parse_double(argv[i + 1], &v) || v < 0 || v > 1024 || v != floor(v))
                return cli_usage("mc", "--threads needs a whole number (0 = one per core)");
            threads = (long)v;
            i++;
        } else if (!strcmp(argv[i], "--seed")) {
            if (i + 1 >= argc || cp_parse_double(argv[i + 1], &v) || v < 0 || v > 9007199254740992.0 || v != floor(v))
                return cli_usage("mc", "--seed needs a whole number >= 0");
            seed = v;
            i++;
        } else if (!strcmp(argv[i], "--store")) {
            ro.store = 1;
            if (i + 1 < argc && argv[i + 1][0] != '-' && scn_path) ro.store_path = argv[++i];
        } else if (!strcmp(argv[i], "--no-store")) {
            ro.store = 0;
        } else if (!strcmp(argv[i], "--sampling")) {
            cp_unc_sampling how;
            if (i + 1 >= argc || cp_unc_sampling_of(argv[i + 1], &how))
                return cli_usage("mc", "--sampling needs mc (independent draws) or lhs (Latin hypercube)");
            sampling = (int)how;
            i++;
        } else if (!strcmp(argv[i], "--no-industry-monthly")) {
            ind_months = 0;
        } else if (argv[i][0] == '-') return cli_usage("mc", "unknown option '%s'", argv[i]);
        else if (scn_path) return cli_usage("mc", "one SCENARIO only (got '%s' and '%s')", scn_path, argv[i]);
        else scn_path = argv[i];
    }
    if (!scn_path) return cli_usage("mc", "missing SCENARIO.yaml");
    if (!ro.out) return cli_usage("mc", "missing --out DIR");
    cli_mc_mpi_init(&argc, &argv);
    int rank = cli_mc_rank();
    int progress = cli_progress_wanted();
    cli_mc k;
    mc_clock clk;
    mc_clock_start(&clk);
    int rc = cli_mc_open(&k, scn_path, &ro.load);
    double *X = NULL, *Y = NULL, *col = NULL;
    mc_out o;
    memset(&o, 0, sizeof o);
    cp_error err;
    cp_error_clear(&err);
    if (rc) goto done;
    size_t n = draws > 0 ? (size_t)draws : k.u->draws, d = cp_scn_mc_nparams(k.mc);
    uint64_t sd = seed >= 0 ? (uint64_t)seed : k.u->seed;
    cp_unc_sampling how = sampling >= 0 ? (cp_unc_sampling)sampling : k.u->sampling;
    size_t nt = cli_mc_threads(&k, threads);
    cp_scn_mc_set_outputs(k.mc, CP_MC_SECTORS | (ind_months ? CP_MC_SECTOR_MONTHS : 0));
    cp_unc_model m = cp_scn_mc_model(k.mc);
    if ((double)n * (double)m.ny * 8.0 > MC_Y_MAX_BYTES) {
        size_t nym = ind_months ? cp_scn_mc_nmonths(k.mc) * cp_scn_mc_nsectors(k.mc) : 0;
        double gib = (double)n * (double)m.ny * 8.0 / (1024.0 * 1024 * 1024);
        double gib2 = (double)n * (double)(m.ny - nym) * 8.0 / (1024.0 * 1024 * 1024);
        char hint[256];
        double most = floor(MC_Y_MAX_BYTES / 8.0 / (double)m.ny), most2 = floor(MC_Y_MAX_BYTES / 8.0 / (double)(m.ny - nym));
        if (nym && gib2 * 1024.0 * 1024 * 1024 <= MC_Y_MAX_BYTES)
            snprintf(hint, sizeof hint, "--no-industry-monthly drops the per-industry monthly losses (%.2f GiB), or use at most %.0f draws", gib2, most);
        else if (nym)
            snprintf(hint, sizeof hint, "use at most %.0f draws, or %.0f with --no-industry-monthly", most, most2);
        else
            snprintf(hint, sizeof hint, "use at most %.0f draws", most);
        const char *what = draws > 0 ? "--draws" : k.u->line > 0 ? "uncertainty.draws" : "the default draws";
        if (draws <= 0 && k.u->line > 0)
            cp_error_at(&err, CP_EINPUT, k.u->file, k.u->line, k.u->col,
                        "%s: %zu draws of %zu outputs each need %.2f GiB, above mc's 2 GiB limit; hint: %s", what, n, m.ny, gib, hint);
        else
            cp_error_set(&err, CP_EINPUT, "%s: %zu draws of %zu outputs each need %.2f GiB, above mc's 2 GiB limit; hint: %s",
                         what, n, m.ny, gib, hint);
        rc = cli_fail(&err);
        goto done;
    }
    o.k = &k; o.clk = &clk; o.nt = nt; o.n = n; o.d = d; o.ny = m.ny;
    o.pct = k.u->pct; o.npct = k.u->npct; o.seed = sd; o.sampling = how;
    X = malloc(n * d * sizeof *X);
    Y = malloc(n * m.ny * sizeof *Y);
    col = malloc(n * sizeof *col);
    o.head_p = malloc(NHEADS * o.npct * sizeof *o.head_p);
    o.head_mean = malloc(NHEADS * sizeof(double));
    o.head_se = malloc(NHEADS * sizeof(double));
    o.run_mean = malloc(n * sizeof(double));
    o.run_se = malloc(n * sizeof(double));
    if (!X || !Y || !col || !o.head_p || !o.head_mean || !o.head_se || !o.run_mean || !o.run_se) {
        cp_error_set(&err, CP_ENOMEM, "out of memory for %zu draws", n);
        rc = cli_fail(&err);
        goto done;
    }
    if (cp_unc_sample_design(cp_scn_mc_dists(k.mc), d, cp_scn_mc_corr(k.mc), sd, n, how, X, &err)) {
        rc = cli_fail(&err);
        goto done;
    }
    mc_clock_tick(&clk, "open+sample");
    double t0 = mc_now();
    if ((rc = cli_mc_eval(&k, X, Y, 0, n, nt, progress, k.name))) goto done;
    double wall = mc_now() - t0;
    mc_clock_tick(&clk, "draws");
    o.X = X;
    o.Y = Y;
    for (size_t h = 0; h < NHEADS; h++) {
        for (size_t r = 0; r < n; r++) col[r] = Y[r * m.ny + heads[h].idx];
        if (cp_unc_percentiles(col, n, o.pct, o.npct, o.head_p + h * o.npct, &err)) { rc = cli_fail(&err); goto done; }
        cp_unc_running(col, n, o.run_mean, o.run_se);
        o.head_mean[h] = o.run_mean[n - 1];
        o.head_se[h] = o.run_se[n - 1];
    }
    for (size_t r = 0; r < n; r++) col[r] = Y[r * m.ny + CP_MC_GDP_LOSS];
    cp_unc_running(col, n, o.run_mean, o.run_se);
    mc_clock_tick(&clk, "headline stats");
    if (mc_industry_stats(&o, &err)) { rc = cli_fail(&err); goto done; }
    mc_clock_tick(&clk, "industry stats");
    if (rank != 0) goto done;
    /* the central run: the same files as `run`, not stored yet; meanwhile
     * mc_draws.csv is written on another thread (both are one thread's
     * work, and neither reads what the other writes) */
    cli_run_opts co = ro;
    co.store = 0;
    co.progress = 0;
    cli_run_result res;
    if (cp_out_mkdirs(ro.out, &err)) { rc = cli_fail(&err); goto done; }
    mc_draws_job dj = {.dir = ro.out, .o = &o};
    cp_error_clear(&dj.err);
    pthread_t dth;
    int threaded = pthread_create(&dth, NULL, mc_draws_run, &dj) == 0;
    rc = cli_run_scenario(scn_path, &co, &res);
    if (threaded) pthread_join(dth, NULL);
    else mc_draws_run(&dj);
    if (rc) goto done;
    if (dj.rc) { rc = cli_fail(&dj.err); goto done; }
    mc_clock_tick(&clk, "central run+draws");
    if (mc_summary(ro.out, &o, &err)) { rc = cli_fail(&err); goto done; }
    mc_clock_tick(&clk, "summary.json");
    if (mc_files(ro.out, &o, &err) || mc_resolved(ro.out, &k, n, sd, how, &err)) {
        rc = cli_fail(&err);
        goto done;
    }
    mc_clock_tick(&clk, "resolved.yaml");
    long long sid = 0;
    char spath[4096] = "";
    if (ro.store) {
        cp_store *st = NULL;
        cp_store_run_info ri = {0};
        if (cp_store_open(&st, ro.store_path, 0, &err) || cp_store_record_dir(st, ro.out, scn_path, &ri, &sid, &err)) {
            cp_store_close(st);
            rc = cli_fail(&err);
            goto done;
        }
        snprintf(spath, sizeof spath, "%s", cp_store_path(st));
        cp_store_close(st);
        mc_clock_tick(&clk, "run store");
    }
    const char *u = k.t->unit ? k.t->unit : "";
    printf("== %s: Monte Carlo ==\n", k.name);
    printf("draws     %zu (seed %llu%s), %zu uncertain parameters, %zu thread%s: %.2f s, %.1f draws/s\n", n,
           (unsigned long long)sd, how == CP_UNC_SAMPLING_LHS ? ", Latin hypercube" : "", d, nt, nt == 1 ? "" : "s", wall,
           wall > 0 ? (double)n / wall : 0.0);
    {
        char sp[4200];
        snprintf(sp, sizeof sp, "%s/summary.json", ro.out);
        json_t *cs = json_load_file(sp, 0, NULL);
        json_t *g = cs ? json_object_get(json_object_get(cs, "gdp_loss"), "value") : NULL;
        json_t *gp = cs ? json_object_get(cs, "gdp_loss_pct") : NULL;
        if (json_is_number(g) && json_is_number(gp))
            printf("central   GDP loss %.6g %s = %.4g %% of annual GDP (every parameter at its scenario value, as `run`)\n",
                   json_number_value(g), u, json_number_value(gp));
        json_decref(cs);
    }
    printf("\n%-22s %-16s %12s %12s", "figure", "unit", "mean", "std. error");
    for (size_t j = 0; j < o.npct; j++) printf("  %9s%02d", "p", (int)o.pct[j]);
    printf("\n");
    for (size_t h = 0; h < NHEADS; h++) {
        printf("%-22s %-16s %12.6g %12.4g", heads[h].label, heads[h].pct ? "% of annual GDP" : u, o.head_mean[h], o.head_se[h]);
        for (size_t j = 0; j < o.npct; j++) printf("  %11.6g", o.head_p[h * o.npct + j]);
        printf("\n");
    }
    double wd = o.head_p[o.npct - 1] - o.head_p[0];
    if (wd > 0)
        printf("\nconvergence: standard error of the mean GDP loss = %.2g %% of the p%02d-p%02d width (mc_convergence.csv)\n",
               100 * o.head_se[0] / wd, (int)o.pct[0], (int)o.pct[o.npct - 1]);
    printf("\noutputs  %s\n", ro.out);
    if (sid) printf("stored   run %lld in %s\n", sid, spath);
    rc = EXIT_OK;
done:
    free(X);
    free(Y);
    free(col);
    free(o.head_p);
    free(o.head_mean);
    free(o.head_se);
    free(o.run_mean);
    free(o.run_se);
    mc_industry_free(&o);
    cli_mc_close(&k);
    cli_mc_mpi_finalize();
    return rc;
}

const cli_cmd cmd_mc_def = {"mc", "Monte Carlo over a scenario's uncertain parameters", help, mc_main};
