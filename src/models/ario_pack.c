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
 * Starting point.  At step 0 every O_fj = Z_fj, so the demand is the
 * table's row sum plus final demand: the baseline production x0 that the
 * general engine computed.  The packed engine takes D = x0 at step 0
 * exactly (summing again in another order would miss it by an ulp and set
 * the economy drifting before any shock), and from step 1 sums the orders
 * of each row in column order.
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
    /* structure: non-zeros by buying column j and kind (pk_kind):
     * [cptr[j], ck1[j]) kind 0, [ck1[j], ck2[j]) kind 1, then kind 2 */
    size_t *cptr, *ck1, *ck2;   /* [n+1] */
    size_t *scratch;        /* [3n] pk_place's counts */
    uint32_t *rowi;         /* [nnz] supplying industry f */
    double *kc;             /* [3 nnz] A, s A, 1/(psi s A) (0: does not constrain) */
    /* state, [nnz][2][L]: orders O then inventory S */
    double *st;
    double *st0, *cover0;   /* [nnz][2], [n]: one lane at step 0 (pk_constants) */
    double *dsum;           /* [n][L] row sums of the orders placed (next step's demand less FD) */
    /* per industry and lane, [n][L] */
    double *alpha, *xprev, *xa, *xopt, *cap, *D, *r, *cover, *fdun, *krow;
    int *limit;
    double *fdcols;         /* [nfd][L] */
    int *shortage;          /* [L] */
    /* inputs of the batch API (unused by the one-lane engine of cp_ario) */
    /* capacity caps per lane, on a few industries: kncol[l] industries
     * kcol[l*n + c], series kser[l*steps*n + t*kncol[l] + c] for t <
     * ksteps[l]; every other industry, and every later step, uncapped */
    double *kser;
    size_t *kcol, *kncol, *ksteps;
    double *loss, *loss_prev; /* [n] */
    double rtinv;
    int avx512;             /* the CPU runs the AVX-512 pass */
    int lean;               /* skip the limiting product and final demand by column (cp_ario_batch_set_lean) */
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
    free(b->cptr); free(b->ck1); free(b->ck2); free(b->scratch); free(b->rowi); free(b->kc); free(b->st); free(b->st0); free(b->cover0); free(b->dsum);
    free(b->alpha); free(b->xprev); free(b->xa); free(b->xopt); free(b->cap);
    free(b->D); free(b->r); free(b->cover); free(b->fdun); free(b->krow); free(b->limit);
    free(b->fdcols); free(b->shortage); free(b->kser); free(b->kcol); free(b->kncol); free(b->ksteps); free(b->loss); free(b->loss_prev);
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

/* Calls f(ctx, f_row, j) for every non-zero (f, j) of Z as the model
 * stores it, rows in the model's step order, columns ascending. */
#define PK_FOR_NZ(m, F, J, BODY)                                                        \
    for (size_t k_ = 0; k_ < (m)->n; k_++) {                                             \
        size_t F = (m)->order[k_];                                                       \
        size_t q0_ = (m)->sparse ? (m)->rp[k_] : 0, q1_ = (m)->sparse ? (m)->rp[k_ + 1] : (m)->n; \
        for (size_t q_ = q0_; q_ < q1_; q_++) {                                          \
            size_t J = (m)->sparse ? ((m)->ci ? (m)->ci[q_] : (m)->ci16[q_]) : q_;       \
            double z_ = (m)->sparse ? (m)->cv[q_] : (m)->Zd[k_ * (m)->n + q_];           \
            if (z_ == 0) continue;                                                       \
            BODY                                                                         \
        }                                                                                \
    }

/* Kind of a non-zero, by the model's inventory target and cover
 * coefficient now: 0 finite target that constrains (inventory, orders and
 * cover), 1 finite target that cannot constrain (1/(psi s A) underflowed:
 * no cover), 2 no target (inventory 0, orders = use).  The pass runs
 * each kind as its own loop, without a branch per non-zero. */
static int pk_kind(const cp_ario *m, size_t f, size_t j)
{
    size_t p = m->pof[f];
    if (isinf(m->sdur[p])) return 2;
    return m->rcov[p * m->n + j] > 0 ? 0 : 1;
}

/* Place the non-zeros by column and, within a column, by kind (rows in
 * step order within a kind): cptr, ck1 (end of kind 0), ck2 (end of kind
 * 1), rowi.  Kinds depend on the inventory targets, which may change
 * after the engine is attached, so this runs at every load; it allocates
 * nothing (the counts go to b->scratch). */
static void pk_place(cp_ario_batch *b)
{
    const cp_ario *m = b->m;
    size_t n = b->n, *c = b->scratch;   /* [3n]: counts, then next places, per kind */
    memset(c, 0, 3 * n * sizeof *c);
    PK_FOR_NZ(m, f, j, { c[3 * j + (size_t)pk_kind(m, f, j)]++; })
    for (size_t j = 0; j < n; j++) {
        b->ck1[j] = b->cptr[j] + c[3 * j];
        b->ck2[j] = b->ck1[j] + c[3 * j + 1];
        c[3 * j] = b->cptr[j];
        c[3 * j + 1] = b->ck1[j];
        c[3 * j + 2] = b->ck2[j];
    }
    PK_FOR_NZ(m, f, j, { b->rowi[c[3 * j + (size_t)pk_kind(m, f, j)]++] = (uint32_t)f; })
}

/* The column structure's arrays: non-zeros counted per column. */
static int pk_structure(cp_ario_batch *b, const cp_ario *m)
{
    size_t n = m->n, nnz = 0;
    b->cptr = calloc(n + 1, sizeof *b->cptr);
    b->ck1 = calloc(n + 1, sizeof *b->ck1);
    b->ck2 = calloc(n + 1, sizeof *b->ck2);
    b->scratch = calloc(3 * n + 1, sizeof *b->scratch);
    if (!b->cptr || !b->ck1 || !b->ck2 || !b->scratch) return -1;
    PK_FOR_NZ(m, f, j, { (void)f; b->cptr[j + 1]++; nnz++; })
    for (size_t j = 0; j < n; j++) b->cptr[j + 1] += b->cptr[j];
    b->nnz = nnz;
    b->rowi = pk_alloc(nnz, sizeof *b->rowi);
    return b->rowi ? 0 : -1;
}

/* A batch of lanes for model m (structure and buffers; constants and
 * state are set by pk_load / cp_ario_batch_reset). */
static int pk_new(cp_ario_batch **out, const cp_ario *m, size_t L, int api, cp_error *err)
{
    *out = NULL;
    cp_ario_batch *b = calloc(1, sizeof *b);
    if (!b) return cp_error_set(err, CP_ENOMEM, "ario: out of memory");
    b->m = m; b->n = m->n; b->nfd = m->nfd; b->L = L; b->nl = 1;
#ifdef CP_HAVE_AVX512_PASS
    b->avx512 = __builtin_cpu_supports("avx512f") && !getenv("CHOKEPOINT_NO_AVX512");
#endif
    size_t n = m->n, nL = n * L;
    if (pk_structure(b, m)) goto oom;
    b->kc = pk_alloc(3 * b->nnz, sizeof(double));
    b->st = pk_alloc(2 * b->nnz * L, sizeof(double));
    b->st0 = pk_alloc(2 * b->nnz, sizeof(double));
    b->cover0 = pk_alloc(n, sizeof(double));
    b->dsum = pk_alloc(nL, sizeof(double));
    b->alpha = pk_alloc(nL, sizeof(double));
    b->xprev = pk_alloc(nL, sizeof(double)); b->xa = pk_alloc(nL, sizeof(double));
    b->xopt = pk_alloc(nL, sizeof(double)); b->cap = pk_alloc(nL, sizeof(double));
    b->D = pk_alloc(nL, sizeof(double)); b->r = pk_alloc(nL, sizeof(double));
    b->cover = pk_alloc(nL, sizeof(double)); b->fdun = pk_alloc(nL, sizeof(double));
    b->krow = pk_alloc(nL, sizeof(double)); b->limit = pk_alloc(nL, sizeof(int));
    b->fdcols = pk_alloc(m->nfd * L, sizeof(double)); b->shortage = pk_alloc(L, sizeof(int));
    if (!b->kc || !b->st || !b->st0 || !b->cover0 || !b->dsum || !b->alpha || !b->xprev || !b->xa || !b->xopt ||
        !b->cap || !b->D || !b->r || !b->cover || !b->fdun || !b->krow || !b->limit || !b->fdcols || !b->shortage)
        goto oom;
    if (api) {
        b->kser = pk_alloc(L * m->p.steps * n, sizeof(double));
        b->kcol = pk_alloc(L * n, sizeof(size_t));
        b->kncol = pk_alloc(L, sizeof(size_t));
        b->ksteps = pk_alloc(L, sizeof(size_t));
        b->loss = pk_alloc(n, sizeof(double));
        b->loss_prev = pk_alloc(n, sizeof(double));
        if (!b->kser || !b->kcol || !b->kncol || !b->ksteps || !b->loss || !b->loss_prev) goto oom;
    }
    *out = b;
    return 0;
oom:
    cp_ario_batch_free(b);
    return cp_error_set(err, CP_ENOMEM, "ario: out of memory for the packed engine (%zu industries, %zu lanes)", n, L);
}

/* Constants from the model as configured now (inventory targets may have
 * changed since the engine was attached): the kinds and places of the
 * non-zeros, their coefficients, and the one-lane image of step 0 (orders
 * = Z, inventories = s Z, and the cover those give), which pk_state
 * copies into every lane. */
static void pk_constants(cp_ario_batch *b)
{
    const cp_ario *m = b->m;
    size_t n = b->n;
    b->rtinv = m->rtinv;
    pk_place(b);
    for (size_t j = 0; j < n; j++)
        for (size_t q = b->cptr[j]; q < b->cptr[j + 1]; q++) {
            size_t f = b->rowi[q], p = m->pof[f];
            double z = m->ZS[p * n + j], sd = m->sdur[p];
            double *k = b->kc + 3 * q;
            k[0] = m->AS[p * n + j];
            k[1] = isinf(sd) ? 0 : sd * k[0];
            k[2] = m->rcov[p * n + j];
            b->st0[2 * q] = z;
            b->st0[2 * q + 1] = isinf(sd) ? 0 : sd * z;
        }
    for (size_t i = 0; i < n; i++) {
        double c = INFINITY;
        for (size_t q = b->cptr[i]; q < b->ck1[i]; q++) {
            double v = b->st0[2 * q + 1] * b->kc[3 * q + 2];
            if (v < c) c = v;
        }
        b->cover0[i] = c;
    }
}

/* Every lane at the table equilibrium of step 0 (pk_constants' image):
 * orders = Z, inventories = s Z, production = x0, alpha = alpha_base. */
static void pk_state(cp_ario_batch *b)
{
    const cp_ario *m = b->m;
    size_t n = b->n, L = b->L;
    for (size_t q = 0; q < b->nnz; q++) {
        double *st = b->st + 2 * q * L, o = b->st0[2 * q], v = b->st0[2 * q + 1];
        for (size_t l = 0; l < L; l++) { st[l] = o; st[L + l] = v; }
    }
    memset(b->dsum, 0, n * L * sizeof(double));   /* step 0 takes D = x0 (pk_rows) */
    for (size_t i = 0; i < n; i++)
        for (size_t l = 0; l < L; l++) {
            size_t il = i * L + l;
            b->alpha[il] = m->p.alpha_base;
            b->xprev[il] = b->xa[il] = m->x0[i];
            b->cap[il] = m->p.alpha_base * m->x0[i];
            b->xopt[il] = 0; b->D[il] = 0; b->r[il] = 1.0; b->fdun[il] = 0;
            b->limit[il] = -1; b->krow[il] = 1.0;
            b->cover[il] = b->cover0[i];
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
    for (size_t q = b->cptr[j]; q < b->ck1[j]; q++) {
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
#define PK_BODY pk_body1
#define PK_BATTR CP_INLINE_HOT
#define PK_ROWS pk_rows1
#define PK_V pk_v1
#define PK_M pk_m1
#include "ario_pack_pass.h"

#define PK_L PACK_WIDE
#define PK_VL 4
#define PK_ATTR CP_HOT
#define PK_NAME pk_pass_wide
#define PK_BODY pk_body_wide
#define PK_BATTR CP_INLINE_HOT
#define PK_ROWS pk_rows_wide
#define PK_V pk_vw
#define PK_M pk_mw
#include "ario_pack_pass.h"

#ifdef CP_HAVE_AVX512_PASS
#define PK_L PACK_WIDE
#define PK_VL (PACK_WIDE < 8 ? PACK_WIDE : 8)
#define PK_ATTR __attribute__((target("avx512f"), optimize("O3", "no-trapping-math")))
#define PK_NAME pk_pass_wide512
#define PK_BODY pk_body_wide512
#define PK_BATTR __attribute__((always_inline, target("avx512f"), optimize("O3", "no-trapping-math")))
#define PK_MAX0(x) ((PK_V)_mm512_max_pd((__m512d)(x), (__m512d)zero))
#define PK_MIN(a, b) ((PK_V)_mm512_min_pd((__m512d)(a), (__m512d)(b)))
#define PK_ANY(m) (_mm512_test_epi64_mask((__m512i)(m), (__m512i)(m)) != 0)
#define PK_ROWS pk_rows_wide512
#define PK_V pk_vz
#define PK_M pk_mz
#include "ario_pack_pass.h"
#endif

/* Demand, production and rationing of every industry in every lane, from
 * last step's orders and cover (the rows functions of ario_pack_pass.h),
 * then the limiting product where the inventories constrain, if wanted. */
static uint64_t pk_rows(cp_ario_batch *b, const double *loss)
{
    int *lim = b->lean ? NULL : b->limit;   /* lean: the limiting outputs are not read */
    uint64_t chg;
    if (b->L == 1) chg = pk_rows1(b, loss, lim);
#ifdef CP_HAVE_AVX512_PASS
    else if (b->avx512) chg = pk_rows_wide512(b, loss, lim);
#endif
    else chg = pk_rows_wide(b, loss, lim);
    if (lim)
        for (size_t il = 0; il < b->n * b->L; il++)
            lim[il] = !lim[il] ? -1 : pk_limiting(b, il / b->L, il % b->L);
    return chg;
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
    int chk = !pk_rows(b, loss) && b->tdone > 0;   /* alpha and production as before the step */
    uint64_t ch = L == 1 ? pk_pass1(b, chk) : pk_pass_w(b, chk);
    b->fixed = chk && !ch;
    if (!b->lean) pk_fd_cols(b);
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
    if (m->tdone == 0) { pk_constants(b); pk_state(b); }   /* targets may have changed */
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
    if (!rc) pk_constants(*out);   /* the model must not change while the batch lives */
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
    pk_state(b);
    memset(b->ksteps, 0, b->L * sizeof(size_t));
    memset(b->kncol, 0, b->L * sizeof(size_t));
}

/* Capacity caps of one lane: frac[s*n + i] in [0, 1] for nsteps steps
 * (later steps uncapped); set after cp_ario_batch_reset.  Kept as the
 * industries whose cap is ever below 1 and their series (the others are
 * exactly 1.0 either way). */
int cp_ario_batch_set_capacity_cap(cp_ario_batch *b, size_t lane, const double *frac, size_t nsteps,
                                   cp_error *err)
{
    size_t n = b->n, T = b->m->p.steps, nc = 0;
    if (lane >= b->nl) return cp_error_set(err, CP_EUSAGE, "ario: lane %zu of a batch with %zu active lanes", lane, b->nl);
    if (nsteps > T) nsteps = T;
    size_t *col = b->kcol + lane * n;
    for (size_t i = 0; i < n; i++) {
        int capped = 0;
        for (size_t t = 0; t < nsteps; t++) {
            double v = frac[t * n + i];
            if (!(v >= 0 && v <= 1))
                return cp_error_set(err, CP_EINPUT, "ario: capacity cap must be in [0, 1] (step %zu, industry %zu: %g)", t, i, v);
            capped |= v != 1.0;
        }
        if (capped) col[nc++] = i;
    }
    double *ser = b->kser + lane * T * n;
    for (size_t t = 0; t < nsteps; t++)
        for (size_t c = 0; c < nc; c++) ser[t * nc + c] = frac[t * n + col[c]];
    b->kncol[lane] = nc;
    b->ksteps[lane] = nsteps;
    return 0;
}

/* Capacity caps of one lane on listed industries only (the others
 * uncapped): industry cols[c] gets cap[t*stride + c] at step t < nsteps
 * (each in [0, 1]; an industry listed twice takes its last column).  The
 * same as cp_ario_batch_set_capacity_cap with the dense series, without
 * writing or scanning the uncapped industries.  Copied. */
int cp_ario_batch_set_capacity_cols(cp_ario_batch *b, size_t lane, const size_t *cols, size_t ncols,
                                    const double *cap, size_t stride, size_t nsteps, cp_error *err)
{
    size_t n = b->n, T = b->m->p.steps;
    if (lane >= b->nl) return cp_error_set(err, CP_EUSAGE, "ario: lane %zu of a batch with %zu active lanes", lane, b->nl);
    if (ncols > n || stride < ncols)
        return cp_error_set(err, CP_EUSAGE, "ario: %zu capped industries with a row stride of %zu (table of %zu)", ncols, stride, n);
    if (nsteps > T) nsteps = T;
    size_t *col = b->kcol + lane * n, nc = 0;
    size_t *last = b->scratch;   /* [n]: the last column listing each industry */
    for (size_t c = 0; c < ncols; c++) {
        if (cols[c] >= n) return cp_error_set(err, CP_EINPUT, "ario: capped industry %zu out of range (%zu)", cols[c], n);
        last[cols[c]] = c;
    }
    for (size_t c = 0; c < ncols; c++)
        if (last[cols[c]] == c) col[nc++] = c;   /* source columns for now */
    double *ser = b->kser + lane * T * n;
    for (size_t t = 0; t < nsteps; t++)
        for (size_t k = 0; k < nc; k++) {
            double v = cap[t * stride + col[k]];
            if (!(v >= 0 && v <= 1))
                return cp_error_set(err, CP_EINPUT, "ario: capacity cap must be in [0, 1] (step %zu, industry %zu: %g)", t, cols[col[k]], v);
            ser[t * nc + k] = v;
        }
    for (size_t k = 0; k < nc; k++) col[k] = cols[col[k]];
    b->kncol[lane] = nc;
    b->ksteps[lane] = nsteps;
    return 0;
}

/* Advance every lane one step: the step's capacity losses and each lane's
 * caps (only its capped industries change; the others stay 1.0 from the
 * reset), then pk_step. */
int cp_ario_batch_step(cp_ario_batch *b, cp_error *err)
{
    (void)err;
    size_t n = b->n, L = b->L, T = b->m->p.steps, t = b->tdone;
    memcpy(b->loss_prev, b->loss, n * sizeof(double));
    ario_losses_at(b->m, (long)t, b->loss);
    int same = !memcmp(b->loss_prev, b->loss, n * sizeof(double));
    uint64_t diff = 0;
    for (size_t l = 0; l < L; l++) {
        size_t src = l < b->nl ? l : 0, nc = b->kncol[src];
        const size_t *col = b->kcol + src * n;
        const double *row = t < b->ksteps[src] ? b->kser + src * T * n + t * nc : NULL;
        for (size_t c = 0; c < nc; c++) {   /* bits compared, as memcmp */
            double k = row ? row[c] : 1.0, *x = b->krow + col[c] * L + l;
            uint64_t u, w;
            memcpy(&u, x, sizeof u);
            memcpy(&w, &k, sizeof w);
            diff |= u ^ w;
            *x = k;
        }
    }
    pk_step(b, b->loss, same && !diff);
    return 0;
}

/* Lean steps (off by default) skip what a Monte Carlo draw does not read:
 * the product that limits a constrained industry (a scan of its inputs;
 * the limiting outputs are then not written) and final demand unmet by
 * column (left at 0). */
void cp_ario_batch_set_lean(cp_ario_batch *b, int on) { b->lean = on != 0; }

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
