/*
 * ario_impl.h — the ARIO model's private state, shared by the two step
 * engines of the models layer: the general one (ario.c: any table, flow
 * caps, rationing tiers, worker threads) and the packed one
 * (ario_pack.c: single-supplier tables, several draws in SIMD lanes).
 * Nothing outside src/models includes this header.
 */
#ifndef CP_ARIO_IMPL_H
#define CP_ARIO_IMPL_H

#include "chokepoint.h"

#include <pthread.h>
#include <stdint.h>

/* GCC on x86-64: compile the hot kernels for AVX2 too and pick at load
 * time (the default build targets plain x86-64).  no-trapping-math only
 * lets selects replace branches; results are unchanged. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__)
#define CP_HOT __attribute__((target_clones("avx2", "default"), optimize("O3", "no-trapping-math")))
/* a kernel body inlined into CP_HOT callers (same optimisation options,
 * so GCC inlines it into each clone) */
#define CP_INLINE_HOT __attribute__((always_inline, optimize("O3", "no-trapping-math")))
#else
#define CP_HOT
#define CP_INLINE_HOT
#endif

typedef struct cp_ario cp_ario_;

/* One worker of the step: a contiguous range of products (and so of
 * rows in product order), its own scratch and its own inventory cover. */
typedef struct ario_worker {
    cp_ario_ *m;
    size_t k0, k1;          /* rows order[k0..k1) */
    size_t q0, q1;          /* products [q0, q1) */
    double *dt, *rt;        /* [np+2] rationing tiers scratch */
    double *cover;          /* [n] (worker 0 uses the model's) */
    int64_t *cover_p;
    pthread_t th;
} ario_worker;

/* A capacity-loss event. */
typedef struct ario_loss {
    size_t *ind, nind;
    double share;
    long occ, dur;
    double tau;
} ario_loss;

/* A flow cap: supplier row, buyers, fd columns, series from start. */
typedef struct ario_cap {
    size_t supplier;
    size_t *buyers, nbuyers;
    size_t *fd, nfd;
    long start;
    double *cap;
    size_t ncap;
} ario_cap;

/* A final-demand change. */
typedef struct ario_fdc {
    size_t *ind, nind;   /* nind == 0: all */
    size_t *fd, nfd;     /* nfd == 0: all */
    long start, dur;
    double factor;
} ario_fdc;

struct cp_ario {
    const cp_table *t;
    cp_ario_params p;
    size_t n, nfd, np;
    const char **prod;      /* [np] labels (owned by the table) */
    size_t *pof;            /* [n] product of industry */
    size_t *order;          /* [n] industries grouped by product (ascending within) */
    double scale;           /* annual flow -> per-step flow */
    double tau_alpha, tau_inv; /* in steps */
    double *sdur;           /* [np] inventory target in steps (INFINITY allowed) */

    /* baseline, per step */
    double *x0, *ysum0, *va0, *Y; /* Y: [n*nfd] */
    double *AS;             /* [np*n] technical coefficients by product */
    double *rcov;           /* [np*n] 1/(psi*s_p*AS) where the input constrains, else 0 */
    double *cover, *ones;   /* [n] min_p inv/(psi*s_p*AS): production the stocks allow; [n] 1.0 */
    int64_t *cover_p;       /* [n] the product that sets cover (64-bit: the orders kernel
                               selects it with the same lane mask as the double cover) */
    double *ZS;             /* [np*n] Z aggregated by product */

    /* Z storage */
    int sparse;
    double *Zd;             /* [n*n] dense, rows in step order like the CSR (row k: order[k]) */
    size_t *rp;             /* [n+1] CSR, rows in step order: row k is industry order[k] */
    uint32_t *ci;           /* column indices, n > 65536 */
    uint16_t *ci16;         /* column indices, n <= 65536 (exactly one of ci, ci16 is set) */
    double *cv;
    size_t *pos;            /* [n] position of industry f in order (its CSR row) */
    size_t *pstart;         /* [np+1] first position of each product's rows in order */
    double *c12;            /* [2n] scatter coefficients of row k (row_demand -> row_scatter) */
    size_t *pseg, *pcol;    /* product q's live column segments: [pcol[2s], pcol[2s+1]) for
                               s in [pseg[q], pseg[q+1]) (live_ranges) */
    size_t *rseg, *rcol;    /* dense storage: row k's, the same way */
    size_t *rlo, *rhi;      /* [n] dense storage: row k's non-zeros lie in [rlo, rhi) */

    /* state */
    double *inv;            /* [np*n] */
    double *M;              /* [np*n] */
    double *w, *wnew;       /* [n] */
    /* accumulators of the row pass, zero between steps; a product's row
     * is read (and cleared) by the orders pass only if a scatter dirtied it */
    double *und;            /* [np*n] undelivered part of the orders (w/o M) */
    double *dzw;            /* [np*n] change of the weighted sums (alt orders) */
    double *zws;            /* [np*n] sum_{f in p} Z_fj w_f c_fj: denominators of M */
    double *acc_s;          /* [np*n] received, general rows (with M) */
    unsigned char *dirty;   /* [np] DIRTY_* bits: which accumulators of a product are non-zero */
    double rtinv;           /* 1 / inventory restoration tau in steps */
    double *alpha, *xprev, *xa, *xopt, *cap, *D, *yd, *ywant, *rfd, *fdun, *fdun_cols;
    double *loss, *kappa_row;
    int *limit;
    int any_shortage;

    /* rationing tiers */
    int ntier;              /* 1 = proportional */
    int *tier_of;           /* [n] tier of a buyer industry */
    int tier_fd;
    int nthreads;
    ario_worker *wk;        /* [nthreads] */
    pthread_barrier_t bar;
    int bar_ok, stop, started;

    /* shocks */
    ario_loss *losses; size_t nlosses;
    ario_cap *caps; size_t ncaps;
    long *caprow;           /* [n] index into capel rows or -1 */
    size_t ncaprows;
    double *capel;          /* [ncaprows*n] current cap factor per buyer */
    double *capel_prev;     /* [ncaprows*n] the factors the current orders were placed with */
    double *capfd;          /* [ncaprows*nfd] */
    ario_fdc *fdcs; size_t nfdcs;
    double *fdfac;          /* [n*nfd] or NULL */
    double *kappa;          /* [kappa_steps*n] or NULL */
    size_t kappa_steps;
    size_t kappa_alloc;     /* doubles allocated at kappa (reused by later calls) */
    int fd_dynamic;

    /* exact fixed-point skip (docs/ario.md, "Steps at a fixed point") */
    double *loss_prev, *alpha_prev, *cover_prev; /* [n] copies from before the step */
    int64_t *cover_p_prev;  /* [n] */
    int fixed;              /* the last step left the whole state bit for bit as it was */
    int check;              /* this step's orders pass reports whether inv or M changed */
    uint64_t changed;       /* OR of (old ^ new) bits of inv and M in a checked orders pass */
    size_t skipped;         /* steps skipped since the last reset */

    size_t tdone;

    /* the packed engine (ario_pack.c): allocated for single-supplier
     * tables, used from step 0 when ario_pack_usable */
    struct cp_ario_batch *pk;
    int pk_on;
};


/* Production of one industry from its demand D (the overproduction
 * update, capacity, optimal production, the inventory constraint); the
 * one formula both engines use.  alpha is updated in place; *lim is set
 * to 1 when the inventories constrain, else 0. */
void ario_produce_one(const cp_ario_params *p, double tau_alpha, double D, double xprev,
                      double x0, double loss, double kappa, double cover, double *alpha,
                      double *cap, double *xopt, double *xa, int *lim);

/* Capacity loss of every industry at step t from the registered events
 * (loss[n], each in [0, 1]). */
void ario_losses_at(const cp_ario *m, long t, double *loss);

/* The packed engine used by cp_ario_step for one draw (ario_pack.c). */
int ario_pack_usable(const cp_ario *m);
int ario_pack_attach(cp_ario *m, cp_error *err);
void ario_pack_detach(cp_ario *m);
void ario_pack_step1(cp_ario *m, int same);

#endif
