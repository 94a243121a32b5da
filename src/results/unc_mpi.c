/*
 * unc_mpi.c — the draw runner across MPI processes (build with `make MPI=1`,
 * which compiles with mpicc and defines CP_HAVE_MPI).
 *
 * Every rank holds the same draw matrix X (it is regenerated from the seed,
 * which is cheap, or broadcast by the caller), evaluates the contiguous
 * block cp_unc_split gives it on its own threads, and MPI_Allgatherv puts
 * the blocks back in draw order on every rank.  Because a draw's result
 * depends only on its row of X, Y is bit-identical to a single-process run,
 * and so is everything computed from it (percentiles, indices).  Without
 * MPI the function refuses with a hint, so callers need no #ifdef.
 */
#include "chokepoint.h"

#include <limits.h>
#include <stdlib.h>

#ifdef CP_HAVE_MPI
#include <mpi.h>

/* Evaluate this rank's block and gather all blocks in draw order. */
int cp_unc_run_mpi(const cp_unc_model *m, size_t n, const double *X, double *Y,
                   const cp_unc_run_opts *o, const void *comm_p, cp_error *err)
{
    MPI_Comm comm = comm_p ? *(const MPI_Comm *)comm_p : MPI_COMM_WORLD;
    int rank = 0, size = 1;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    if (!m || m->ny == 0 || m->ny > INT_MAX || n > INT_MAX)
        return cp_error_set(err, CP_EUSAGE,
                            "mpi run: %zu draws of %zu outputs; hint: at most %d of each",
                            n, m ? m->ny : 0, INT_MAX);
    size_t lo, hi;
    cp_unc_split(n, size, rank, &lo, &hi);
    int rc = cp_unc_run(m, X, Y, lo, hi, o, err);
    /* agree on failure first, so no rank waits in the gather forever */
    int any = 0;
    MPI_Allreduce(&rc, &any, 1, MPI_INT, MPI_MAX, comm);
    if (any) {
        if (!rc) rc = cp_error_set(err, CP_ERUN, "mpi run: another rank failed (code %d)", any);
        return rc;
    }
    int *counts = malloc((size_t)size * sizeof *counts), *displs = malloc((size_t)size * sizeof *displs);
    if (!counts || !displs) {
        free(counts); free(displs);
        return cp_error_set(err, CP_ENOMEM, "mpi run: out of memory for %d ranks", size);
    }
    for (int r = 0; r < size; r++) {
        size_t a, b;
        cp_unc_split(n, size, r, &a, &b);
        counts[r] = (int)(b - a);
        displs[r] = (int)a;
    }
    MPI_Datatype row;
    MPI_Type_contiguous((int)m->ny, MPI_DOUBLE, &row);
    MPI_Type_commit(&row);
    int mrc = MPI_Allgatherv(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, Y, counts, displs, row, comm);
    MPI_Type_free(&row);
    free(counts); free(displs);
    if (mrc != MPI_SUCCESS)
        return cp_error_set(err, CP_ERUN, "mpi run: gathering the results failed (MPI error %d)", mrc);
    return 0;
}

#else

/* Built without MPI: say how to get it. */
int cp_unc_run_mpi(const cp_unc_model *m, size_t n, const double *X, double *Y,
                   const cp_unc_run_opts *o, const void *comm_p, cp_error *err)
{
    (void)m; (void)n; (void)X; (void)Y; (void)o; (void)comm_p;
    return cp_error_set(err, CP_EUSAGE,
                        "this chokepoint was built without MPI; hint: apt-get install "
                        "libopenmpi-dev openmpi-bin, then make MPI=1");
}

#endif
