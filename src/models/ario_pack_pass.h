/*
 * ario_pack_pass.h — the packed engine's pass over the non-zeros of Z for
 * PK_L lanes, written once with GCC/Clang vector types and included by
 * ario_pack.c once per lane count (a C stand-in for a template).  Before
 * including, define PK_L (lanes), PK_VL (lanes per vector: PK_L is a
 * multiple), PK_ATTR and PK_BATTR (the attributes of the functions and
 * of the inlined pass body), PK_NAME, PK_BODY and PK_ROWS (the pass, its
 * body and the rows functions), PK_V and PK_M (names for the vector
 * of PK_VL doubles and its mask type).  Vectors of four doubles: wider
 * ones made GCC split the comparisons into scalar code under AVX2.
 *
 * Why vector types: every lane must perform exactly the scalar formula of
 * ario_pack.c's head comment, in the same order, so that a draw's numbers
 * do not depend on its lane or batch; element-wise vector operations are
 * exactly that, and they compile to SIMD instructions whatever the
 * auto-vectorizer decides (it did not vectorize the plain lane loops).
 * Selections are done with masks: "v > 0 ? v : 0" is v & (v > 0), which
 * gives +0 where the scalar select gives the literal 0 (+0).  PK_MAX0(x)
 * (x > 0 ? x : +0) and PK_MIN(a, b) (a < b ? a : b) may be defined as one
 * instruction where the CPU has one with exactly that definition (x86's
 * max/min: the second operand unless the comparison holds); otherwise
 * the mask forms below are used.  "gap > 0 ? gap rt : 0" is written
 * PK_MAX0(gap) rt: +0 rt = +0 gives the same bits as the select.
 */
#ifndef PK_MAX0
#define PK_MAX0(x) ((PK_V)((PK_M)(x) & ((x) > zero)))
#endif
/* PK_ANY(m): is any lane of mask m set (AVX-512: one instruction). */
#ifndef PK_ANY
#define PK_ANY(m) __extension__({ int64_t a_ = 0; for (size_t l_ = 0; l_ < PK_VL; l_++) a_ |= (m)[l_]; a_ != 0; })
#endif
#ifndef PK_MIN
#define PK_MIN(a, b) ((PK_V)(((PK_M)(a) & ((a) < (b))) | ((PK_M)(b) & ~((a) < (b)))))
#endif
typedef double PK_V __attribute__((vector_size(8 * PK_VL)));
typedef int64_t PK_M __attribute__((vector_size(8 * PK_VL)));

/* One kind-0 or kind-1 non-zero q, all lanes (COVER: 1 for kind 0, which
 * also lowers the buyer's cover cm): received = orders x served share,
 * inventory, orders for the next step and their row sum. */
#define PK_NZ(COVER)                                                                      \
    do {                                                                                  \
        const double a = kc[3 * q], ta = kc[3 * q + 1], rc = kc[3 * q + 2];              \
        double *po = st + 2 * q * L, *pd = ds + (size_t)rowi[q] * L;                      \
        const double *pr = R + (size_t)rowi[q] * L;                                       \
        for (size_t h = 0; h < NV; h++) {                                                 \
            PK_V o, s, r, d;                                                              \
            memcpy(&o, po + h * VL, sizeof o);                                            \
            memcpy(&s, po + L + h * VL, sizeof s);                                        \
            memcpy(&r, pr + h * VL, sizeof r);                                            \
            memcpy(&d, pd + h * VL, sizeof d);                                            \
            PK_V recv = o * r;                    /* received */                          \
            PK_V use = xa[h] * a;                 /* used by this step's production */    \
            PK_V v = PK_MAX0(s + recv - use);     /* stock: v > 0 ? v : 0 */              \
            PK_V gap = xo[h] * ta - v;            /* target less stock */                 \
            PK_V os = use + PK_MAX0(gap) * rt;    /* gap > 0 ? gap rt : +0 */             \
            d += os;                                                                      \
            if (COVER) cm[h] = PK_MIN(v * rc, cm[h]); /* cov < cm ? cov : cm */           \
            if (CHK) ch |= ((PK_M)o ^ (PK_M)os) | ((PK_M)s ^ (PK_M)v);                    \
            memcpy(po + h * VL, &os, sizeof os);                                          \
            memcpy(po + L + h * VL, &v, sizeof v);                                        \
            memcpy(pd + h * VL, &d, sizeof d);                                            \
        }                                                                                 \
    } while (0)

/* Inventories, orders for the next step and their row sums (dsum), and each
 * buyer's cover, for every lane; with CHK the OR of old ^ new over the
 * bits of every orders and inventory value (0: no lane's state changed),
 * else 0.  Kinds (pk_kind) in their own loops: no branch per non-zero. */
PK_BATTR
static inline uint64_t PK_BODY(cp_ario_batch *b, const int CHK)
{
    const size_t L = PK_L, VL = PK_VL, NV = PK_L / PK_VL, n = b->n;
    const double *restrict kc = b->kc, *restrict R = b->r;
    const uint32_t *restrict rowi = b->rowi;
    double *restrict st = b->st, *restrict ds = b->dsum;
    PK_V zero = {0}, inf = zero + INFINITY, rt = zero + b->rtinv;
    PK_M ch = {0};
    memset(ds, 0, n * L * sizeof(double));
    for (size_t j = 0; j < n; j++) {
        PK_V xa[PK_L / PK_VL], xo[PK_L / PK_VL], cm[PK_L / PK_VL];
        for (size_t h = 0; h < NV; h++) {
            memcpy(&xa[h], b->xa + j * L + h * VL, sizeof xa[h]);
            memcpy(&xo[h], b->xopt + j * L + h * VL, sizeof xo[h]);
            cm[h] = inf;
        }
        size_t q = b->cptr[j], k1 = b->ck1[j], k2 = b->ck2[j], q1 = b->cptr[j + 1];
        for (; q < k1; q++) PK_NZ(1);
        for (; q < k2; q++) PK_NZ(0);
        for (; q < q1; q++) {   /* kind 2, no inventory target: orders = use */
            const double a = kc[3 * q];
            double *po = st + 2 * q * L, *pd = ds + (size_t)rowi[q] * L;
            for (size_t h = 0; h < NV; h++) {
                PK_V o, d;
                memcpy(&o, po + h * VL, sizeof o);
                memcpy(&d, pd + h * VL, sizeof d);
                PK_V os = xa[h] * a;
                d += os;
                if (CHK) ch |= (PK_M)o ^ (PK_M)os;
                memcpy(po + h * VL, &os, sizeof os);
                memcpy(pd + h * VL, &d, sizeof d);
            }
        }
        for (size_t h = 0; h < NV; h++) memcpy(b->cover + j * L + h * VL, &cm[h], sizeof cm[h]);
    }
    uint64_t all = 0;
    for (size_t l = 0; l < VL; l++) all |= (uint64_t)ch[l];
    return all;
}

/* The pass, with the fixed-point check (chk) or without. */
PK_ATTR
static uint64_t PK_NAME(cp_ario_batch *b, int chk)
{
    return chk ? PK_BODY(b, 1) : PK_BODY(b, 0);
}

#undef PK_NZ

/* The rows of a step for every lane (ario_pack.c, pk_rows): demand from
 * last step's orders, then ario_produce_one's formula in lane vectors —
 * overproduction, capacity, optimal production, the inventory
 * constraint — the served share and the final demand unmet.  Divisions:
 * one reciprocal of the demand serves zeta and the served share, the
 * overproduction time is a multiplication by 1/tau, and cover / xopt is
 * divided only when a lane is constrained (other roundings than
 * ario_produce_one's: the packed engine's own, the same in every lane).
 * Lanes where the scalar formula would not divide are masked (they never
 * reach a result).  lim[i * L + l] is set to 1 where the inventories
 * constrain (unless lim is NULL: lean batches do not use it).  Returns the OR of old ^ new over the bits of every alpha
 * and of production against last step's (0: neither moved, a candidate
 * for the fixed-point check). */
PK_ATTR
static uint64_t PK_ROWS(cp_ario_batch *b, const double *loss, int *lim)
{
    const cp_ario *m = b->m;
    const cp_ario_params *p = &m->p;
    const size_t L = PK_L, VL = PK_VL, NV = PK_L / PK_VL, n = b->n;
    const PK_V zero = {0}, one = zero + 1.0, amax = zero + p->alpha_max, abase = zero + p->alpha_base,
               rtau = zero + 1.0 / m->tau_alpha;
    const int boario = p->overprod == CP_ARIO_OVERPROD_BOARIO;
    PK_M chg = {0}, shv[PK_L / PK_VL];
    for (size_t h = 0; h < NV; h++) shv[h] = chg;
    for (size_t i = 0; i < n; i++) {
        const PK_V yd = zero + m->ysum0[i], x0 = zero + m->x0[i], ls = one - loss[i];
        for (size_t h = 0; h < NV; h++) {
            size_t o = i * L + h * VL;
            PK_V ds, xp, a, k, cv;
            memcpy(&ds, b->dsum + o, sizeof ds);
            memcpy(&xp, b->xprev + o, sizeof xp); memcpy(&a, b->alpha + o, sizeof a);
            memcpy(&k, b->krow + o, sizeof k); memcpy(&cv, b->cover + o, sizeof cv);
            PK_V D = b->tdone ? ds + yd : x0;            /* step 0: the baseline (file head) */
            PK_V a0 = a;
            PK_M dpos = D > zero;
            PK_V rD = one / D;
            PK_V zeta = (PK_V)((PK_M)((D - xp) * rD) & dpos);
            if (boario) {
                a = a + (amax - a) * zeta * rtau;
                PK_M lo = a < abase, hi = a > amax;
                a = (PK_V)(((PK_M)abase & lo) | ((PK_M)a & ~lo));
                a = (PK_V)(((PK_M)amax & hi) | ((PK_M)a & ~hi));
            } else {
                PK_V up = a + (amax - a) * zeta * rtau, down = a + (abase - a) * rtau;
                PK_M zp = zeta > zero;
                a = (PK_V)(((PK_M)up & zp) | ((PK_M)down & ~zp));
            }
            PK_V c = a * ls * k * x0;
            PK_M dl = D < c;
            PK_V xo = (PK_V)(((PK_M)D & dl) | ((PK_M)c & ~dl));
            xo = (PK_V)((PK_M)xo & (xo > zero));                 /* !(xo > 0): 0 */
            PK_M lm = (xo > zero) & (cv < xo);
            PK_V ratio = one;
            if (PK_ANY(lm)) ratio = (PK_V)(((PK_M)(cv / xo) & lm) | ((PK_M)one & ~lm));
            ratio = (PK_V)((PK_M)ratio & ~(ratio < zero));       /* ratio < 0: 0 */
            PK_V xa = xo * ratio;
            PK_V r = (PK_V)(((PK_M)(xa * rD) & dpos) | ((PK_M)one & ~dpos));
            PK_M gt = r > one;
            r = (PK_V)(((PK_M)one & gt) | ((PK_M)r & ~gt));
            PK_V fu = yd - yd * r;
            chg |= ((PK_M)a0 ^ (PK_M)a) | ((PK_M)xa ^ (PK_M)xp);
            shv[h] |= (fu > zero) & (fu > yd * 1e-9);
            memcpy(b->alpha + o, &a, sizeof a); memcpy(b->cap + o, &c, sizeof c);
            memcpy(b->xopt + o, &xo, sizeof xo); memcpy(b->xa + o, &xa, sizeof xa);
            memcpy(b->D + o, &D, sizeof D); memcpy(b->r + o, &r, sizeof r);
            memcpy(b->fdun + o, &fu, sizeof fu);
            if (lim)
                for (size_t l = 0; l < VL; l++) lim[o + l] = lm[l] != 0;
        }
    }
    for (size_t h = 0; h < NV; h++)   /* final demand short in any industry */
        for (size_t l = 0; l < VL; l++)
            if (shv[h][l]) b->shortage[h * VL + l] = 1;
    uint64_t all = 0;
    for (size_t l = 0; l < VL; l++) all |= (uint64_t)chg[l];
    return all;
}

#undef PK_ROWS
#undef PK_MAX0
#undef PK_MIN
#undef PK_ANY
#undef PK_L
#undef PK_ATTR
#undef PK_BATTR
#undef PK_BODY
#undef PK_VL
#undef PK_NAME
#undef PK_V
#undef PK_M
