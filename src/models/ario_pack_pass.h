/*
 * ario_pack_pass.h — the packed engine's pass over the non-zeros of Z for
 * PK_L lanes, written once with GCC/Clang vector types and included by
 * ario_pack.c once per lane count (a C stand-in for a template).  Before
 * including, define PK_L (lanes), PK_VL (lanes per vector: PK_L is a
 * multiple), PK_ATTR (its attributes), PK_NAME (the function), PK_V and PK_M (names for the vector
 * of PK_VL doubles and its mask type).  Vectors of four doubles: wider
 * ones made GCC split the comparisons into scalar code under AVX2.
 *
 * Why vector types: every lane must perform exactly the scalar formula of
 * ario_pack.c's head comment, in the same order, so that a draw's numbers
 * do not depend on its lane or batch; element-wise vector operations are
 * exactly that, and they compile to SIMD instructions whatever the
 * auto-vectorizer decides (it did not vectorize the plain lane loops).
 * Selections are done with masks: "v > 0 ? v : 0" is v & (v > 0), which
 * gives +0 where the scalar select gives the literal 0 (+0).
 */
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
                v = (PK_V)((PK_M)v & (v > zero));        /* v > 0 ? v : 0 */
                PK_V gap = xo[h] * ta - v;               /* target less stock */
                PK_V add = gap * rt;
                PK_V os = use + (PK_V)((PK_M)add & (gap > zero));
                d += os;
                if (rc > 0) {                            /* cover: min over suppliers */
                    PK_V cov = v * rc;
                    PK_M lt = cov < cm[h];
                    cm[h] = (PK_V)(((PK_M)cov & lt) | ((PK_M)cm[h] & ~lt));
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

#undef PK_L
#undef PK_ATTR
#undef PK_VL
#undef PK_NAME
#undef PK_V
#undef PK_M
