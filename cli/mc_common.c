/*
 * mc_common.c — shared by `mc` and `sensitivity`: open a scenario for
 * draws, evaluate a design on threads (or MPI ranks) with a progress bar.
 */
#include "mc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef CP_HAVE_MPI
#include <mpi.h>
#endif

/* Open a scenario for draws; see mc.h. */
int cli_mc_open(cli_mc *k, const char *scn_path, const cp_load_opts *lo)
{
    memset(k, 0, sizeof *k);
    cp_error err;
    cp_error_clear(&err);
    if (cp_scn_load(&k->s, scn_path, &err)) return cli_fail(&err);
    k->have_s = 1;
    if (cp_scn_check_horizon(&k->s, &err)) return cli_fail(&err);
    const char *base = strrchr(scn_path, '/');
    snprintf(k->name, sizeof k->name, "%s", k->s.name ? k->s.name : base ? base + 1 : scn_path);
    int rc = cli_open_table(&k->t, k->s.table_path, lo);
    if (rc) return rc;
    if (cp_scn_economy_apply(&k->s, k->t, &err) || cp_scn_mc_new(&k->mc, &k->s, k->t, &err)) return cli_fail(&err);
    k->u = cp_scn_uncertainty(&k->s, &k->defs);
    return EXIT_OK;
}

/* Release. */
void cli_mc_close(cli_mc *k)
{
    cp_scn_mc_free(k->mc);
    cp_table_free(k->t);
    if (k->have_s) cp_scn_free(&k->s);
    memset(k, 0, sizeof *k);
}

/* Threads: option, else section, 0 = one per core. */
size_t cli_mc_threads(const cli_mc *k, long opt)
{
    size_t t = opt >= 0 ? (size_t)opt : k->u->threads;
    if (t == 0) {
        long c = sysconf(_SC_NPROCESSORS_ONLN);
        t = c > 0 ? (size_t)c : 1;
    }
    return t;
}

/* MPI rank. */
int cli_mc_rank(void)
{
#ifdef CP_HAVE_MPI
    int init = 0, r = 0;
    MPI_Initialized(&init);
    if (init) MPI_Comm_rank(MPI_COMM_WORLD, &r);
    return r;
#else
    return 0;
#endif
}

/* Start MPI (when built with it). */
void cli_mc_mpi_init(int *argc, char ***argv)
{
#ifdef CP_HAVE_MPI
    int init = 0;
    MPI_Initialized(&init);
    if (!init) MPI_Init(argc, argv);
#else
    (void)argc;
    (void)argv;
#endif
}

/* Stop MPI (when built with it). */
void cli_mc_mpi_finalize(void)
{
#ifdef CP_HAVE_MPI
    int init = 0, fin = 0;
    MPI_Initialized(&init);
    MPI_Finalized(&fin);
    if (init && !fin) MPI_Finalize();
#endif
}

/* Evaluate a design; see mc.h. */
int cli_mc_eval(cli_mc *k, const double *X, double *Y, size_t lo, size_t hi, size_t threads,
                int progress, const char *label)
{
    cp_error err;
    cp_error_clear(&err);
    cp_unc_model m = cp_scn_mc_model(k->mc);
    cli_bar b = {label, "draw", -1};
    cp_unc_run_opts o = {.n_threads = threads, .progress = progress && cli_mc_rank() == 0 ? cli_bar_update : NULL,
                         .pctx = &b};
    int rc;
#ifdef CP_HAVE_MPI
    int size = 1;
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (size > 1 && lo == 0) rc = cp_unc_run_mpi(&m, hi, X, Y, &o, NULL, &err);
    else rc = cp_unc_run(&m, X, Y, lo, hi, &o, &err);
#else
    rc = cp_unc_run(&m, X, Y, lo, hi, &o, &err);
#endif
    if (rc) {
        if (b.last >= 0) fputs("\r\033[K", stderr);
        return cli_fail(&err);
    }
    return EXIT_OK;
}
