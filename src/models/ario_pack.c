/*
 * ario_pack.c — the packed ARIO engine: the same model as ario.c for
 * tables where every product has exactly one supplying industry (every
 * single-region table), with the state stored per non-zero of Z and
 * several draws ("lanes") advanced by one pass.  docs/ario.md, "The
 * packed engine", has the equations and the measurements.
 *
 * Why a second engine.  With one supplier per product the order
 * multiplier of the general engine (orders of product p by j, divided
 * by the supplier-weighted sum of Z) only ever multiplies back what it
 * divided: the orders industry j places with its single supplier f are
 * the orders it wants of the product, O_fj.  So a step needs no
 * division, no weighted sums, no scatters of shortfalls:
 *
 *     D_f   = sum_j O_fj + FD_f                  (demand, row sums)
 *     x_f   = production from D_f (ario_produce_one), r_f = min(x_f/D_f, 1)
 *     recv  = O_fj r_f                           (proportional rationing)
 *     use   = x_j A_fj
 *     S_fj <- max(S_fj + recv - use, 0)           (inventory)
 *     gap   = xopt_j s_f A_fj - S_fj
 *     O_fj <- use + max(gap, 0) / tau_inv         (orders for next step)
 *     cover_j = min_f S_fj / (psi s_f A_fj)       (production stocks allow)
 *
 * which is one pass over the non-zeros (stored by buying column, so the
 * buyer's production and its cover stay in registers).  The general
 * engine computes the same quantities with other roundings (O = Z w M),
 * so the two agree to rounding (test_ario checks 1e-12), and a table
 * always runs the same engine: cp_ario_step uses this one whenever the
 * table is single-supplier and the model has no flow caps, no rationing
 * tiers and no final-demand changes (ario_pack_usable), unless the
 * scenario forces `storage: dense|sparse`.
 *
 * Lanes.  A batch advances L lanes (one draw each) with the state laid
 * out [non-zero][lane], so the constant arrays are read once for all
 * lanes and every lane operation is a SIMD lane of the same instruction.
 * Each lane performs exactly the operations of a one-lane run in the same
 * order (sums by column order, never across lanes), so a draw's result
 * does not depend on the batch it ran in: a lane of a batch is bit for bit
 * a cp_ario run of the same model with the same capacity caps (tested).
 *
 * Starting point.  Demand at step 0 must equal the baseline production x0
 * bit for bit (else the economy drifts before any shock), and x0 was
 * summed by the general engine's dot product with four accumulators.  So
 * the row sums here keep four partial sums per row, each non-zero added
 * to the accumulator the general dot product gives its column (dense
 * storage) or its position in the row (CSR), and combine them the same
 * way: at step 0 every O_fj = Z_fj and D_f = x0_f exactly.
 *
 * Everything is allocated by ario_pack_attach / cp_ario_batch_new; a step
 * allocates nothing.
 */
#include "ario_impl.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Lanes of the wide kernel (one AVX-512 register, two AVX2 registers). */
#define PACK_WIDE CP_ARIO_BATCH_LANES

/* GCC on x86-64 (not under the sanitizers): an AVX-512 variant of the wide
 * pass, used when the CPU has it. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__)
#define CP_HAVE_AVX512_PASS 1
#include <immintrin.h>
#endif

struct cp_ario_batch {
    const cp_ario *m;
    size_t n, nfd, nnz;
    size_t L;               /* lanes stored (1 or PACK_WIDE) */
    size_t nl;              /* lanes holding draws (the rest mirror lane 0) */
    /* structure: non-zeros by buying column j, finite-target suppliers
     * first: [cptr[j], cfin[j]) then [cfin[j], cptr[j+1]) */
    size_t *cptr, *cfin;    /* [n+1], [n] */
    uint32_t *rowi;         /* [nnz] supplying industry f */
    uint32_t *dix;          /* [nnz] f*4 + accumulator slot */
    double *kc;             /* [3 nnz] A, s A, 1/(psi s A) (0: does not constrain) */
    /* state, [nnz][2][L]: orders O then inventory S */
    double *st;
    double *d4;             /* [n*4][L] partial row sums of the orders */
    /* per industry and lane, [n][L] */
    double *alpha, *alpha_prev, *xprev, *xa, *xopt, *cap, *D, *r, *cover, *fdun, *krow;
    int *limit;
    double *fdcols;         /* [nfd][L] */
    int *shortage;          /* [L] */
    /* inputs of the batch API (unused by the one-lane engine of cp_ario) */
    double *kap;            /* [L][steps*n] capacity-cap series per lane */
    size_t *ksteps;         /* [L] */
    double *loss, *loss_prev; /* [n] */
    double rtinv;
    int avx512;             /* the CPU runs the AVX-512 pass */
    int want_limit;         /* find the limiting product (cp_ario_batch_track_limiting) */
    int fixed;              /* the last step changed no bit of any lane's state */
    size_t skipped, tdone;
};

/* 64-byte aligned, zeroed array of nmemb elements (never zero bytes). */
static void *pk_alloc(size_t nmemb, size_t size)
{
    size_t bytes = (nmemb ? nmemb : 1) * size;
    bytes = (bytes + 63) & ~(size_t)63;
    void *p = aligned_alloc(64, bytes);
    if (p) memset(p, 0, bytes);
    return p;
}

/* Free a batch. */
void cp_ario_batch_free(cp_ario_batch *b)
{
    if (!b) return;
    free(b->cptr); free(b->cfin); free(b->rowi); free(b->dix); free(b->kc); free(b->st); free(b->d4);
    free(b->alpha); free(b->alpha_prev); free(b->xprev); free(b->xa); free(b->xopt); free(b->cap);
    free(b->D); free(b->r); free(b->cover); free(b->fdun); free(b->krow); free(b->limit);
    free(b->fdcols); free(b->shortage); free(b->kap); free(b->ksteps); free(b->loss); free(b->loss_prev);
    free(b);
}

/* Can the packed engine run this model?  One supplier per product, and
 * nothing the packed step does not model: flow caps, rationing tiers
 * (priority, final-demand-first, intermediate-first), final-demand
 * changes.  Forced dense or sparse storage keeps the general engine. */
int ario_pack_usable(const cp_ario *m)
{
    return m->np == m->n && m->ncaprows == 0 && !m->fd_dynamic &&
           m->p.rationing == CP_ARIO_RATION_PROPORTIONAL && m->ntier == 1 &&
           m->p.storage == CP_ARIO_STORAGE_AUTO;
}

/* The non-zero (f, j) of Z at row position k, column j, as the general
 * engine stores it (scaled to a step), and the accumulator its column
 * or position has in the general engine's dot product (dot_dense,
 * dot_sparse_body): j mod 4 / position mod 4 in whole groups of four,
 * the tail in accumulator 0. */
static size_t pk_slot(const cp_ario *m, size_t k, size_t j, size_t pos)
{
    if (!m->sparse) return j < (m->n & ~(size_t)3) ? (j & 3) : 0;
    size_t len = m->rp[k + 1] - m->rp[k];
    return pos < (len & ~(size_t)3) ? (pos & 3) : 0;
}

/* Build the column structure from the model's Z storage: count the
 * non-zeros per column, then place them by column, finite-target
 * suppliers first, rows ascending within each part. */
static int pk_structure(cp_ario_batch *b, const cp_ario *m)
{
    size_t n = m->n, nnz = 0;
    size_t *cnt = calloc(n + 1, sizeof *cnt), *cfin = calloc(n + 1, sizeof *cfin);
    if (!cnt || !cfin) { free(cnt); free(cfin); return -1; }
    for (int pass = 0; pass < 2; pass++) {
        for (size_t k = 0; k < n; k++) {
            size_t f = m->order[k];
            int fin = !isinf(m->sdur[m->pof[f]]);
            size_t q0 = m->sparse ? m->rp[k] : 0, q1 = m->sparse ? m->rp[k + 1] : n;
            for (size_t q = q0; q < q1; q++) {
                size_t j = m->sparse ? (m->ci ? m->ci[q] : m->ci16[q]) : q;
                double z = m->sparse ? m->cv[q] : m->Zd[k * n + q];
                if (z == 0) continue;
                if (pass == 0) { cnt[j]++; if (fin) cfin[j]++; nnz++; continue; }
                /* pass 1: cnt[j] is the next free place of the finite part,
                 * cfin[j] of the infinite part */
                size_t at = fin ? cnt[j]++ : cfin[j]++;
                b->rowi[at] = (uint32_t)f;
                b->dix[at] = (uint32_t)(f * 4 + pk_slot(m, k, j, q - q0));
            }
        }
        if (pass == 0) {
            b->nnz = nnz;
            b->cptr = calloc(n + 1, sizeof *b->cptr);
            b->cfin = calloc(n + 1, sizeof *b->cfin);
            b->rowi = pk_alloc(nnz, sizeof *b->rowi);
            b->dix = pk_alloc(nnz, sizeof *b->dix);
            if (!b->cptr || !b->cfin || !b->rowi || !b->dix) { free(cnt); free(cfin); return -1; }
            for (size_t j = 0; j < n; j++) {
                b->cptr[j + 1] = b->cptr[j] + cnt[j];
                b->cfin[j] = b->cptr[j] + cfin[j];
                size_t nfin = cfin[j];
                cnt[j] = b->cptr[j];          /* next place, finite part */
                cfin[j] = b->cptr[j] + nfin;  /* next place, infinite part */
            }
        }
    }
    free(cnt); free(cfin);
    return 0;
}

/* A batch of lanes for model m (structure and buffers; constants and
 * state are set by pk_load / cp_ario_batch_reset). */
static int pk_new(cp_ario_batch **out, const cp_ario *m, size_t L, int api, cp_error *err)
{
    *out = NULL;
    cp_ario_batch *b = calloc(1, sizeof *b);
    if (!b) return cp_error_set(err, CP_ENOMEM, "ario: out of memory");
    b->m = m; b->n = m->n; b->nfd = m->nfd; b->L = L; b->nl = 1; b->want_limit = 1;
#ifdef CP_HAVE_AVX512_PASS
    b->avx512 = __builtin_cpu_supports("avx512f") && !getenv("CHOKEPOINT_NO_AVX512");
#endif
    size_t n = m->n, nL = n * L;
    if (pk_structure(b, m)) goto oom;
    b->kc = pk_alloc(3 * b->nnz, sizeof(double));
    b->st = pk_alloc(2 * b->nnz * L, sizeof(double));
    b->d4 = pk_alloc(4 * nL, sizeof(double));
    b->alpha = pk_alloc(nL, sizeof(double)); b->alpha_prev = pk_alloc(nL, sizeof(double));
    b->xprev = pk_alloc(nL, sizeof(double)); b->xa = pk_alloc(nL, sizeof(double));
    b->xopt = pk_alloc(nL, sizeof(double)); b->cap = pk_alloc(nL, sizeof(double));
    b->D = pk_alloc(nL, sizeof(double)); b->r = pk_alloc(nL, sizeof(double));
    b->cover = pk_alloc(nL, sizeof(double)); b->fdun = pk_alloc(nL, sizeof(double));
    b->krow = pk_alloc(nL, sizeof(double)); b->limit = pk_alloc(nL, sizeof(int));
    b->fdcols = pk_alloc(m->nfd * L, sizeof(double)); b->shortage = pk_alloc(L, sizeof(int));
    if (!b->kc || !b->st || !b->d4 || !b->alpha || !b->alpha_prev || !b->xprev || !b->xa || !b->xopt ||
        !b->cap || !b->D || !b->r || !b->cover || !b->fdun || !b->krow || !b->limit || !b->fdcols || !b->shortage)
        goto oom;
    if (api) {
        b->kap = pk_alloc(L * m->p.steps * n, sizeof(double));
        b->ksteps = pk_alloc(L, sizeof(size_t));
        b->loss = pk_alloc(n, sizeof(double));
        b->loss_prev = pk_alloc(n, sizeof(double));
        if (!b->kap || !b->ksteps || !b->loss || !b->loss_prev) goto oom;
    }
    *out = b;
    return 0;
oom:
    cp_ario_batch_free(b);
    return cp_error_set(err, CP_ENOMEM, "ario: out of memory for the packed engine (%zu industries, %zu lanes)", n, L);
}

/* Constants from the model as configured now (inventory targets may have
 * changed since the model was built), and every lane at the table
 * equilibrium of step 0: orders = Z, inventories = s Z, production = x0,
 * and the cover those inventories give. */
static void pk_load(cp_ario_batch *b)
{
    const cp_ario *m = b->m;
    size_t n = b->n, L = b->L;
    b->rtinv = m->rtinv;
    for (size_t j = 0; j < n; j++)
        for (size_t q = b->cptr[j]; q < b->cptr[j + 1]; q++) {
            size_t f = b->rowi[q], p = m->pof[f];
            double z = m->ZS[p * n + j], sd = m->sdur[p];
            double *k = b->kc + 3 * q;
            k[0] = m->AS[p * n + j];
            k[1] = isinf(sd) ? 0 : sd * k[0];
            k[2] = m->rcov[p * n + j];
            double *s = b->st + 2 * q * L;
            for (size_t l = 0; l < L; l++) {
                s[l] = z;
                s[L + l] = isinf(sd) ? 0 : sd * z;
            }
        }
    memset(b->d4, 0, 4 * n * L * sizeof(double));
    for (size_t j = 0; j < n; j++)
        for (size_t q = b->cptr[j]; q < b->cptr[j + 1]; q++)
            for (size_t l = 0; l < L; l++) b->d4[b->dix[q] * L + l] += b->st[2 * q * L + l];
    for (size_t i = 0; i < n; i++)
        for (size_t l = 0; l < L; l++) {
            size_t il = i * L + l;
            b->alpha[il] = m->p.alpha_base;
            b->xprev[il] = b->xa[il] = m->x0[i];
            b->cap[il] = m->p.alpha_base * m->x0[i];
            b->xopt[il] = 0; b->D[il] = 0; b->r[il] = 1.0; b->fdun[il] = 0;
            b->limit[il] = -1; b->krow[il] = 1.0;
            double c = INFINITY;
            for (size_t q = b->cptr[i]; q < b->cfin[i]; q++) {
                double rc = b->kc[3 * q + 2];
                double v = rc > 0 ? b->st[(2 * q + 1) * L + l] * rc : INFINITY;
                if (v < c) c = v;
            }
            b->cover[il] = c;
        }
    memset(b->fdcols, 0, b->nfd * L * sizeof(double));
    memset(b->shortage, 0, L * sizeof(int));
    if (b->loss) { memset(b->loss, 0, n * sizeof(double)); memset(b->loss_prev, 0, n * sizeof(double)); }
    b->fixed = 0;
    b->skipped = 0;
    b->tdone = 0;
}

/* The product that limits industry j's production in lane l: the
 * supplier with the least cover, ties to the lowest product (as the
 * general engine's scan in product order). */
static int pk_limiting(const cp_ario_batch *b, size_t j, size_t l)
{
    const cp_ario *m = b->m;
    size_t L = b->L;
    double best = INFINITY;
    long bp = -1;
    for (size_t q = b->cptr[j]; q < b->cfin[j]; q++) {
        double rc = b->kc[3 * q + 2];
        if (!(rc > 0)) continue;
        double v = b->st[(2 * q + 1) * L + l] * rc;
        long p = (long)m->pof[b->rowi[q]];
        if (v < best || (v == best && bp >= 0 && p < bp)) { best = v; bp = p; }
    }
    return (int)bp;
}

/* The pass over the non-zeros (ario_pack_pass.h), for one lane and for
 * PACK_WIDE lanes in vectors of four (AVX2 or plain x86-64, chosen at
 * load time) or, where the CPU has AVX-512, of eight.  Every variant does
 * the same IEEE operations per lane, so they give the same bits. */
#define PK_L 1
#define PK_VL 1
#define PK_ATTR CP_HOT
#define PK_NAME pk_pass1
#define PK_ROWS pk_rows1
#define PK_V pk_v1
#define PK_M pk_m1
#include "ario_pack_pass.h"

#define PK_L PACK_WIDE
#define PK_VL 4
#define PK_ATTR CP_HOT
#define PK_NAME pk_pass_wide
#define PK_ROWS pk_rows_wide
#define PK_V pk_vw
#define PK_M pk_mw
#include "ario_pack_pass.h"

#ifdef CP_HAVE_AVX512_PASS
#define PK_L PACK_WIDE
#define PK_VL 8
#define PK_ATTR __attribute__((target("avx512f"), optimize("O3", "no-trapping-math")))
#define PK_NAME pk_pass_wide512
#define PK_MAX0(x) ((PK_V)_mm512_max_pd((__m512d)(x), (__m512d)zero))
#define PK_MIN(a, b) ((PK_V)_mm512_min_pd((__m512d)(a), (__m512d)(b)))
#define PK_ROWS pk_rows_wide512
#define PK_V pk_vz
#define PK_M pk_mz
#include "ario_pack_pass.h"
#endif

/* Demand, production and rationing of every industry in every lane, from
 * last step's orders and cover (the rows functions of ario_pack_pass.h),
 * then the limiting product where the inventories constrain, if wanted. */
static void pk_rows(cp_ario_batch *b, const double *loss)
{
    int *lim = b->limit;
    if (b->L == 1) pk_rows1(b, loss, lim);
#ifdef CP_HAVE_AVX512_PASS
    else if (b->avx512) pk_rows_wide512(b, loss, lim);
#endif
    else pk_rows_wide(b, loss, lim);
    for (size_t il = 0; il < b->n * b->L; il++)
        lim[il] = !lim[il] ? -1 : b->want_limit ? pk_limiting(b, il / b->L, il % b->L) : -1;
}

/* The wide pass for this CPU. */
static uint64_t pk_pass_w(cp_ario_batch *b, int chk)
{
#ifdef CP_HAVE_AVX512_PASS
    if (b->avx512) return pk_pass_wide512(b, chk);
#endif
    return pk_pass_wide(b, chk);
}

/* Final demand unmet by column, per lane. */
static void pk_fd_cols(cp_ario_batch *b)
{
    const cp_ario *m = b->m;
    size_t n = b->n, nfd = b->nfd, L = b->L;
    memset(b->fdcols, 0, nfd * L * sizeof(double));
    for (size_t i = 0; i < n; i++) {
        const double *y = m->Y + i * nfd;
        for (size_t l = 0; l < L; l++) {
            double rf = b->r[i * L + l];
            if (rf < 1)
                for (size_t k = 0; k < nfd; k++)
                    if (y[k] > 0) b->fdcols[k * L + l] += y[k] * (1 - rf);
        }
    }
}

/* One step of every lane, with the step's capacity losses (loss[n]) and
 * capacity caps (b->krow) in place.  same: the inputs are bit for bit
 * those of the step before; then a step after one that changed nothing
 * is skipped (the same state and outputs would come out again). */
static void pk_step(cp_ario_batch *b, const double *loss, int same)
{
    size_t n = b->n, L = b->L;
    if (b->tdone > 0 && same && b->fixed) {
        b->skipped++;
        b->tdone++;
        return;
    }
    b->fixed = 0;
    memcpy(b->alpha_prev, b->alpha, n * L * sizeof(double));
    pk_rows(b, loss);
    int chk = b->tdone > 0 && !memcmp(b->alpha, b->alpha_prev, n * L * sizeof(double)) &&
              !memcmp(b->xa, b->xprev, n * L * sizeof(double));
    uint64_t ch = L == 1 ? pk_pass1(b, chk) : pk_pass_w(b, chk);
    b->fixed = chk && !ch;
    pk_fd_cols(b);
    memcpy(b->xprev, b->xa, n * L * sizeof(double));
    b->tdone++;
}

/* ---- the one-lane engine inside cp_ario -------------------------------- */

/* Give the model its one-lane packed engine (cp_ario_new, single-supplier
 * tables): allocated once, used from the first step if the model is then
 * still ario_pack_usable. */
int ario_pack_attach(cp_ario *m, cp_error *err)
{
    return pk_new(&m->pk, m, 1, 0, err);
}

/* Free the model's packed engine. */
void ario_pack_detach(cp_ario *m)
{
    cp_ario_batch_free(m->pk);
    m->pk = NULL;
}

/* One step of the model by the packed engine, its shock state for the
 * step (m->loss, m->kappa_row) already set; same as for pk_step.  Copies
 * what the accessors return into the model's arrays (production,
 * capacity, demand, final demand unmet, limiting product, alpha and the
 * inventories by product). */
void ario_pack_step1(cp_ario *m, int same)
{
    cp_ario_batch *b = m->pk;
    size_t n = m->n;
    if (m->tdone == 0) pk_load(b);
    memcpy(b->krow, m->kappa_row, n * sizeof(double));
    size_t skipped = b->skipped;
    pk_step(b, m->loss, same);
    m->skipped = b->skipped;
    if (b->skipped != skipped) return;   /* nothing changed */
    memcpy(m->xa, b->xa, n * sizeof(double));
    memcpy(m->cap, b->cap, n * sizeof(double));
    memcpy(m->D, b->D, n * sizeof(double));
    memcpy(m->xopt, b->xopt, n * sizeof(double));
    memcpy(m->alpha, b->alpha, n * sizeof(double));
    memcpy(m->limit, b->limit, n * sizeof(int));
    memcpy(m->rfd, b->r, n * sizeof(double));
    memcpy(m->fdun, b->fdun, n * sizeof(double));
    memcpy(m->fdun_cols, b->fdcols, m->nfd * sizeof(double));
    if (b->shortage[0]) m->any_shortage = 1;
    for (size_t j = 0; j < n; j++)
        for (size_t q = b->cptr[j]; q < b->cptr[j + 1]; q++)
            m->inv[m->pof[b->rowi[q]] * n + j] = b->st[2 * q + 1];
}

/* ---- batches of draws (public) ----------------------------------------- */

/* A batch of lanes running model m as configured (events, inventory
 * targets), each lane with its own capacity caps. */
int cp_ario_batch_new(cp_ario_batch **out, const cp_ario *m, cp_error *err)
{
    *out = NULL;
    if (!ario_pack_usable(m))
        return cp_error_set(err, CP_EUSAGE, "ario: batches need the packed engine: one supplying industry per "
                            "product, proportional rationing, no flow caps or final-demand changes, storage auto");
    int rc = pk_new(out, m, PACK_WIDE, 1, err);
    if (!rc) cp_ario_batch_reset(*out, 1);
    return rc;
}

/* Lanes a batch holds. */
size_t cp_ario_batch_lanes(const cp_ario_batch *b) { return b->L; }

/* The model a batch runs. */
const cp_ario *cp_ario_batch_model(const cp_ario_batch *b) { return b->m; }

/* Every lane back to step 0 with no capacity caps; lanes >= active then
 * mirror lane 0 (same caps, so the same path: they never keep a step
 * that lane 0 could skip from being skipped). */
void cp_ario_batch_reset(cp_ario_batch *b, size_t active)
{
    if (active < 1) active = 1;
    if (active > b->L) active = b->L;
    b->nl = active;
    pk_load(b);
    memset(b->ksteps, 0, b->L * sizeof(size_t));
}

/* Capacity caps of one lane: frac[s*n + i] in [0, 1] for nsteps steps
 * (later steps uncapped); set after cp_ario_batch_reset.  Copied. */
int cp_ario_batch_set_capacity_cap(cp_ario_batch *b, size_t lane, const double *frac, size_t nsteps,
                                   cp_error *err)
{
    size_t n = b->n, T = b->m->p.steps;
    if (lane >= b->nl) return cp_error_set(err, CP_EUSAGE, "ario: lane %zu of a batch with %zu active lanes", lane, b->nl);
    if (nsteps > T) nsteps = T;
    for (size_t k = 0; k < nsteps * n; k++)
        if (!(frac[k] >= 0 && frac[k] <= 1))
            return cp_error_set(err, CP_EINPUT, "ario: capacity cap must be in [0, 1] (step %zu, industry %zu: %g)", k / n, k % n, frac[k]);
    if (nsteps) memcpy(b->kap + lane * T * n, frac, nsteps * n * sizeof(double));
    b->ksteps[lane] = nsteps;
    return 0;
}

/* Advance every lane one step. */
int cp_ario_batch_step(cp_ario_batch *b, cp_error *err)
{
    (void)err;
    size_t n = b->n, L = b->L, T = b->m->p.steps, t = b->tdone;
    memcpy(b->loss_prev, b->loss, n * sizeof(double));
    ario_losses_at(b->m, (long)t, b->loss);
    int same = !memcmp(b->loss_prev, b->loss, n * sizeof(double));
    for (size_t l = 0; l < L; l++) {
        size_t src = l < b->nl ? l : 0;
        const double *row = t < b->ksteps[src] ? b->kap + src * T * n + t * n : NULL;
        for (size_t i = 0; i < n; i++) {
            double k = row ? row[i] : 1.0;
            double *x = &b->krow[i * L + l];
            if (memcmp(x, &k, sizeof k)) same = 0;
            *x = k;
        }
    }
    pk_step(b, b->loss, same);
    return 0;
}

/* Whether steps find the product that limits a constrained industry
 * (on by default; off saves a scan of the industry's inputs, and the
 * lanes' limiting outputs are then -1). */
void cp_ario_batch_track_limiting(cp_ario_batch *b, int on) { b->want_limit = on != 0; }

/* Interleaved production and final demand unmet ([i * L + lane]). */
const double *cp_ario_batch_production(const cp_ario_batch *b) { return b->xa; }
const double *cp_ario_batch_fd_unmet(const cp_ario_batch *b) { return b->fdun; }

/* Steps done and steps skipped at an exact fixed point since the reset. */
size_t cp_ario_batch_steps_done(const cp_ario_batch *b) { return b->tdone; }
size_t cp_ario_batch_steps_skipped(const cp_ario_batch *b) { return b->skipped; }

/* One lane's state after the last step, copied out (each output may be
 * NULL): production, capacity, demand, final demand unmet by industry [n],
 * by final-demand column [nfd], and the limiting product per industry. */
void cp_ario_batch_lane(const cp_ario_batch *b, size_t lane, double *production, double *capacity,
                        double *demand, double *fd_unmet, double *fd_unmet_cols, int *limiting)
{
    size_t n = b->n, L = b->L;
    for (size_t i = 0; i < n; i++) {
        size_t il = i * L + lane;
        if (production) production[i] = b->xa[il];
        if (capacity) capacity[i] = b->cap[il];
        if (demand) demand[i] = b->D[il];
        if (fd_unmet) fd_unmet[i] = b->fdun[il];
        if (limiting) limiting[i] = b->limit[il];
    }
    if (fd_unmet_cols)
        for (size_t k = 0; k < b->nfd; k++) fd_unmet_cols[k] = b->fdcols[k * L + lane];
}
