/*
 * mc.h — what `mc` and `sensitivity` share (cli/mc_common.c): a scenario
 * with its table, opened and scaled once, its Monte Carlo model, and the
 * draw runner with a progress bar (terminal only, as `run`'s).
 */
#ifndef CP_CLI_MC_H
#define CP_CLI_MC_H

#include "run.h"

/* A scenario ready for draws. */
typedef struct cli_mc {
    cp_scn s;
    int have_s;
    cp_table *t;
    cp_scn_mc *mc;
    cp_scn_unc defs;
    const cp_scn_unc *u;        /* the uncertainty: section or defaults */
    char name[256];
} cli_mc;

/* Load the scenario, open and scale its table, resolve the parameters.
 * Prints any error; returns the exit status. */
int cli_mc_open(cli_mc *k, const char *scn_path, const cp_load_opts *lo);
void cli_mc_close(cli_mc *k);
/* Threads to use: the option if >= 0 (0: one per core), else the
 * section's. */
size_t cli_mc_threads(const cli_mc *k, long opt);
/* Evaluate rows lo..hi-1 of X into Y on threads (rows of the model's ny),
 * with a progress bar when progress is set; label names the bar.  Under
 * MPI (make MPI=1, more than one rank) the rows 0..hi-1 are split over the
 * ranks and gathered (lo must be 0).  Prints any error; returns the exit
 * status. */
int cli_mc_eval(cli_mc *k, const double *X, double *Y, size_t lo, size_t hi, size_t threads,
                int progress, const char *label);
/* MPI rank (0 without MPI) and whether this process should print/write. */
int cli_mc_rank(void);
/* Start / stop MPI when built with it (no-ops otherwise). */
void cli_mc_mpi_init(int *argc, char ***argv);
void cli_mc_mpi_finalize(void);

#endif
