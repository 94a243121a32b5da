/*
 * ario_pack_pass.h — the packed engine's pass over the non-zeros of Z for
 * PK_L lanes, written once with GCC/Clang vector types and included by
 * ario_pack.c once per lane count (a C stand-in for a template).  Before
 * including, define PK_L (lanes), PK_VL (lanes per vector: PK_L is a
 * multiple), PK_ATTR (their attributes), PK_NAME and PK_ROWS (the pass
 * and the rows functions), PK_V and PK_M (names for the vector
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
#ifndef PK_MIN
#define PK_MIN(a, b) ((PK_V)(((PK_M)(a) & ((a) < (b))) | ((PK_M)(b) & ~((a) < (b)))))
#endif
typedef double PK_V __attribute__((vector_size(8 * PK_VL)));
typedef int64_t PK_M __attribute__((vector_size(8 * PK_VL)));

/* Inventories, orders for the next step and their row sums (d4), and each
 * buyer's cover, for every lane; with chk the OR of old ^ new over the
 * bits of every orders and inventory value (0: no lane's state changed),
 * else 0. */
PK_ATTR
static uint64_t PK_NAME(cp_ario_batch *b, int chk)
{
    const size_t L = PK_L, VL = PK_VL, NV = PK_L / PK_VL, n = b->n;
    const double *restrict kc = b->kc, *restrict R = b->r;
    const uint32_t *restrict rowi = b->rowi, *restrict dix = b->dix;
    double *restrict st = b->st, *restrict d4 = b->d4;
    PK_V zero = {0}, inf = zero + INFINITY, rt = zero + b->rtinv;
    PK_M ch = {0};
    memset(d4, 0, 4 * n * L * sizeof(double));
    for (size_t j = 0; j < n; j++) {
        PK_V xa[PK_L / PK_VL], xo[PK_L / PK_VL], cm[PK_L / PK_VL];
        for (size_t h = 0; h < NV; h++) {
            memcpy(&xa[h], b->xa + j * L + h * VL, sizeof xa[h]);
            memcpy(&xo[h], b->xopt + j * L + h * VL, sizeof xo[h]);
            cm[h] = inf;
        }
        size_t q = b->cptr[j], qf = b->cfin[j], q1 = b->cptr[j + 1];
        for (; q < qf; q++) {
            const double a = kc[3 * q], ta = kc[3 * q + 1], rc = kc[3 * q + 2];
            double *po = st + 2 * q * L, *pd = d4 + (size_t)dix[q] * L;
            const double *pr = R + (size_t)rowi[q] * L;
            for (size_t h = 0; h < NV; h++) {
                PK_V o, s, r, d;
                memcpy(&o, po + h * VL, sizeof o);
                memcpy(&s, po + L + h * VL, sizeof s);
                memcpy(&r, pr + h * VL, sizeof r);
                memcpy(&d, pd + h * VL, sizeof d);
                PK_V recv = o * r;                       /* received: orders x served share */
                PK_V use = xa[h] * a;                    /* used by this step's production */
                PK_V v = s + recv - use;
                v = PK_MAX0(v);                          /* v > 0 ? v : 0 */
                PK_V gap = xo[h] * ta - v;               /* target less stock */
                PK_V os = use + PK_MAX0(gap) * rt;       /* gap > 0 ? gap rt : +0 */
                d += os;
                if (rc > 0) {                            /* cover: min over suppliers */
                    PK_V cov = v * rc;
                    cm[h] = PK_MIN(cov, cm[h]);          /* cov < cm ? cov : cm */
                }
                if (chk) ch |= ((PK_M)o ^ (PK_M)os) | ((PK_M)s ^ (PK_M)v);
                memcpy(po + h * VL, &os, sizeof os);
                memcpy(po + L + h * VL, &v, sizeof v);
                memcpy(pd + h * VL, &d, sizeof d);
            }
        }
        for (; q < q1; q++) {   /* suppliers without an inventory target: orders = use */
            const double a = kc[3 * q];
            double *po = st + 2 * q * L, *pd = d4 + (size_t)dix[q] * L;
            for (size_t h = 0; h < NV; h++) {
                PK_V o, d;
                memcpy(&o, po + h * VL, sizeof o);
                memcpy(&d, pd + h * VL, sizeof d);
                PK_V os = xa[h] * a;
                d += os;
                if (chk) ch |= (PK_M)o ^ (PK_M)os;
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

/* The rows of a step for every lane (ario_pack.c, pk_rows): demand from
 * last step's orders, then ario_produce_one's formula in lane vectors —
 * overproduction, capacity, optimal production, the inventory
 * constraint — the served share and the final demand unmet.  The
 * divisions of the scalar formula are done in every lane and masked
 * where the scalar code would not divide (the masked lanes never reach a
 * result).  lim[i * L + l] is set to 1 where the inventories constrain. */
PK_ATTR
static void PK_ROWS(cp_ario_batch *b, const double *loss, int *lim)
{
    const cp_ario *m = b->m;
    const cp_ario_params *p = &m->p;
    const size_t L = PK_L, VL = PK_VL, NV = PK_L / PK_VL, n = b->n;
    const PK_V zero = {0}, one = zero + 1.0, amax = zero + p->alpha_max, abase = zero + p->alpha_base,
               tau = zero + m->tau_alpha;
    const int boario = p->overprod == CP_ARIO_OVERPROD_BOARIO;
    for (size_t i = 0; i < n; i++) {
        const PK_V yd = zero + m->ysum0[i], x0 = zero + m->x0[i], ls = one - loss[i];
        for (size_t h = 0; h < NV; h++) {
            size_t o = i * L + h * VL;
            const double *d = b->d4 + 4 * i * L + h * VL;
            PK_V d0, d1, d2, d3, xp, a, k, cv;
            memcpy(&d0, d, sizeof d0); memcpy(&d1, d + L, sizeof d1);
            memcpy(&d2, d + 2 * L, sizeof d2); memcpy(&d3, d + 3 * L, sizeof d3);
            memcpy(&xp, b->xprev + o, sizeof xp); memcpy(&a, b->alpha + o, sizeof a);
            memcpy(&k, b->krow + o, sizeof k); memcpy(&cv, b->cover + o, sizeof cv);
            PK_V D = ((d0 + d1) + (d2 + d3)) + yd;
            PK_M dpos = D > zero;
            PK_V zeta = (PK_V)((PK_M)((D - xp) / D) & dpos);
            if (boario) {
                a = a + (amax - a) * zeta / tau;
                PK_M lo = a < abase, hi = a > amax;
                a = (PK_V)(((PK_M)abase & lo) | ((PK_M)a & ~lo));
                a = (PK_V)(((PK_M)amax & hi) | ((PK_M)a & ~hi));
            } else {
                PK_V up = a + (amax - a) * zeta / tau, down = a + (abase - a) / tau;
                PK_M zp = zeta > zero;
                a = (PK_V)(((PK_M)up & zp) | ((PK_M)down & ~zp));
            }
            PK_V c = a * ls * k * x0;
            PK_M dl = D < c;
            PK_V xo = (PK_V)(((PK_M)D & dl) | ((PK_M)c & ~dl));
            xo = (PK_V)((PK_M)xo & (xo > zero));                 /* !(xo > 0): 0 */
            PK_M lm = (xo > zero) & (cv < xo);
            PK_V ratio = (PK_V)(((PK_M)(cv / xo) & lm) | ((PK_M)one & ~lm));
            ratio = (PK_V)((PK_M)ratio & ~(ratio < zero));       /* ratio < 0: 0 */
            PK_V xa = xo * ratio;
            PK_V r = (PK_V)(((PK_M)(xa / D) & dpos) | ((PK_M)one & ~dpos));
            PK_M gt = r > one;
            r = (PK_V)(((PK_M)one & gt) | ((PK_M)r & ~gt));
            PK_V fu = yd - yd * r;
            PK_M sh = (fu > zero) & (fu > yd * 1e-9);
            memcpy(b->alpha + o, &a, sizeof a); memcpy(b->cap + o, &c, sizeof c);
            memcpy(b->xopt + o, &xo, sizeof xo); memcpy(b->xa + o, &xa, sizeof xa);
            memcpy(b->D + o, &D, sizeof D); memcpy(b->r + o, &r, sizeof r);
            memcpy(b->fdun + o, &fu, sizeof fu);
            for (size_t l = 0; l < VL; l++) {
                lim[o + l] = lm[l] != 0;
                if (sh[l]) b->shortage[h * VL + l] = 1;
            }
        }
    }
}

#undef PK_ROWS
#undef PK_MAX0
#undef PK_MIN
#undef PK_L
#undef PK_ATTR
#undef PK_VL
#undef PK_NAME
#undef PK_V
#undef PK_M
