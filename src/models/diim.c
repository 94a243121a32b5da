/*
 * diim.c — the dynamic inoperability input-output model (Lian & Haimes
 * 2006, Systems Engineering 9(3):241-258), discrete form:
 *     q(t+1) = q(t) + K [A* q(t) + c*(t) - q(t)],   K = diag(k),
 * whose fixed point for constant c* is the static IIM q = (I - A*)^-1 c*.
 * The resilience coefficients k come from recovery times:
 *     k_i = -ln(lambda) / (T_i (1 - a*_ii)).
 */
#include "chokepoint.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Resilience coefficients from recovery times (steps) and lambda. */
int cp_diim_calibrate(size_t n, const double *Astar, const double *T, double lambda,
                      double *k, cp_error *err)
{
    if (!(lambda > 0 && lambda < 1))
        return cp_error_set(err, CP_EINPUT, "diim: lambda must be in (0, 1) (got %g); hint: 0.01 is customary", lambda);
    for (size_t i = 0; i < n; i++) {
        double a = Astar[i * n + i];
        if (!(T[i] > 0) || !isfinite(T[i]))
            return cp_error_set(err, CP_EINPUT, "diim: recovery time of sector %zu must be > 0 (got %g)", i, T[i]);
        if (!(a < 1))
            return cp_error_set(err, CP_EINPUT, "diim: a*_%zu%zu = %g >= 1 leaves k undefined", i, i, a);
        k[i] = -log(lambda) / (T[i] * (1 - a));
    }
    return 0;
}

/* Iterate the discrete DIIM for nsteps; q holds q0 then every step. */
int cp_diim_run(size_t n, const double *Astar, const double *k, const double *cstar,
                int c_per_step, const double *q0, size_t nsteps, int clip, double *q,
                cp_error *err)
{
    for (size_t i = 0; i < n; i++) {
        if (!(k[i] >= 0) || !isfinite(k[i]))
            return cp_error_set(err, CP_EINPUT, "diim: k_%zu must be finite and >= 0 (got %g)", i, k[i]);
        if (k[i] > 2)
            return cp_error_set(err, CP_EINPUT, "diim: k_%zu = %g > 2 makes the discrete model oscillate; hint: use a shorter step or longer recovery time", i, k[i]);
    }
    for (size_t i = 0; i < n; i++) q[i] = q0 ? q0[i] : 0;
    for (size_t s = 0; s < nsteps; s++) {
        const double *qt = q + s * n;
        double *qn = q + (s + 1) * n;
        const double *c = cstar ? (c_per_step ? cstar + s * n : cstar) : NULL;
        for (size_t i = 0; i < n; i++) {
            double aq = 0;
            for (size_t j = 0; j < n; j++) aq += Astar[i * n + j] * qt[j];
            double v = qt[i] + k[i] * (aq + (c ? c[i] : 0) - qt[i]);
            if (clip) v = v < 0 ? 0 : (v > 1 ? 1 : v);
            qn[i] = v;
        }
    }
    return 0;
}

/* Steps until max q falls below lambda * max q0 with c* = 0. */
size_t cp_diim_recovery_steps(size_t n, const double *Astar, const double *k, const double *q0,
                              double lambda, size_t nsteps)
{
    double *a = malloc(2 * n * sizeof(double));
    if (!a) return nsteps + 1;
    double *cur = a, *nxt = a + n, m0 = 0;
    for (size_t i = 0; i < n; i++) { cur[i] = q0[i]; m0 = fmax(m0, fabs(q0[i])); }
    size_t s;
    for (s = 1; s <= nsteps; s++) {
        double mx = 0;
        for (size_t i = 0; i < n; i++) {
            double aq = 0;
            for (size_t j = 0; j < n; j++) aq += Astar[i * n + j] * cur[j];
            nxt[i] = cur[i] + k[i] * (aq - cur[i]);
            mx = fmax(mx, fabs(nxt[i]));
        }
        double *tmp = cur; cur = nxt; nxt = tmp;
        if (mx <= lambda * m0) break;
    }
    free(a);
    return s;
}
