/*
 * unc_dist.c — probability distributions for uncertain scenario parameters:
 * filled key by key from text (as a YAML mapping delivers them), validated
 * once, then drawn by inverse CDF so that every sampling scheme (Monte
 * Carlo, Iman–Conover, Sobol, Morris, tornado) maps probabilities u in
 * [0, 1] to values the same way.  See docs/uncertainty.md.
 */
#include "chokepoint.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

/* Keys, one bit each, in the order of the help text. */
enum {
    K_DIST, K_MIN, K_MAX, K_MODE, K_MEAN, K_SD, K_MU, K_MEDIAN, K_SIGMA,
    K_ALPHA, K_BETA, K_CENTRAL, K_VALUES, K_WEIGHTS, K_NKEYS
};
static const char *const key_names[K_NKEYS] = {
    "dist", "min", "max", "mode", "mean", "sd", "mu", "median", "sigma",
    "alpha", "beta", "central", "values", "weights"
};
#define BIT(k) (1u << (k))

/* Keys each kind accepts (dist and central are always accepted). */
static unsigned allowed_keys(cp_unc_kind k)
{
    unsigned base = BIT(K_DIST) | BIT(K_CENTRAL);
    switch (k) {
    case CP_UNC_UNIFORM: return base | BIT(K_MIN) | BIT(K_MAX);
    case CP_UNC_TRIANGULAR: return base | BIT(K_MIN) | BIT(K_MODE) | BIT(K_MAX);
    case CP_UNC_NORMAL: return base | BIT(K_MEAN) | BIT(K_SD) | BIT(K_MIN) | BIT(K_MAX);
    case CP_UNC_LOGNORMAL:
        return base | BIT(K_MU) | BIT(K_MEDIAN) | BIT(K_SIGMA) | BIT(K_MIN) | BIT(K_MAX);
    case CP_UNC_BETA: return base | BIT(K_ALPHA) | BIT(K_BETA) | BIT(K_MIN) | BIT(K_MAX);
    case CP_UNC_DISCRETE: return base | BIT(K_VALUES) | BIT(K_WEIGHTS);
    default: return base;
    }
}

/* Write the names of the keys in mask into buf, comma separated. */
static const char *key_list(unsigned mask, char *buf, size_t cap)
{
    size_t off = 0;
    buf[0] = '\0';
    for (int k = 0; k < K_NKEYS; k++)
        if (mask & BIT(k)) {
            int w = snprintf(buf + off, cap - off, "%s%s", off ? ", " : "", key_names[k]);
            if (w < 0 || (size_t)w >= cap - off) break;
            off += (size_t)w;
        }
    return buf;
}

/* Names of the kinds, indexed by cp_unc_kind. */
static const char *const kind_names[] = {
    "none", "uniform", "triangular", "normal", "lognormal", "beta", "discrete"
};

/* The name of kind k ("none" when out of range). */
const char *cp_unc_kind_name(cp_unc_kind k)
{
    return (unsigned)k < sizeof kind_names / sizeof *kind_names ? kind_names[k] : "none";
}

/* The kind called name (exact, lower case), CP_UNC_NONE when unknown. */
cp_unc_kind cp_unc_kind_of(const char *name)
{
    for (size_t k = 1; k < sizeof kind_names / sizeof *kind_names; k++)
        if (name && strcmp(name, kind_names[k]) == 0) return (cp_unc_kind)k;
    return CP_UNC_NONE;
}

/* An empty parameter called name: no kind, no keys, open bounds. */
void cp_unc_dist_init(cp_unc_dist *d, const char *name)
{
    memset(d, 0, sizeof *d);
    snprintf(d->name, sizeof d->name, "%s", name ? name : "?");
    d->min = -INFINITY;
    d->max = INFINITY;
    d->central = NAN;
    d->mode = d->mean = d->sd = d->mu = d->sigma = d->alpha = d->beta = NAN;
}

/* Index of key, or -1. */
static int key_index(const char *key)
{
    for (int k = 0; k < K_NKEYS; k++)
        if (strcmp(key, key_names[k]) == 0) return k;
    return -1;
}

/* Refuse an unknown key, naming the valid ones. */
static int unknown_key(const cp_unc_dist *d, const char *key, cp_error *err)
{
    char buf[256];
    unsigned mask = d->kind ? allowed_keys(d->kind) : (BIT(K_NKEYS) - 1);
    return cp_error_set(err, CP_EINPUT,
                        "parameter '%s': unknown key '%s'; hint: valid keys%s%s are %s",
                        d->name, key, d->kind ? " for " : "",
                        d->kind ? cp_unc_kind_name(d->kind) : "",
                        key_list(mask, buf, sizeof buf));
}

/* Store a number under key k (list keys append). */
static int store_num(cp_unc_dist *d, int k, double v, cp_error *err)
{
    if (!isfinite(v))
        return cp_error_set(err, CP_EINPUT, "parameter '%s': %s must be a finite number",
                            d->name, key_names[k]);
    if (k == K_VALUES || k == K_WEIGHTS) {
        double *arr = k == K_VALUES ? d->values : d->weights;
        size_t *cnt = k == K_VALUES ? &d->nvalues : &d->nweights;
        if (*cnt >= CP_UNC_DISCRETE_MAX)
            return cp_error_set(err, CP_EINPUT,
                                "parameter '%s': more than %d %s; hint: bin the values",
                                d->name, CP_UNC_DISCRETE_MAX, key_names[k]);
        arr[(*cnt)++] = v;
        d->keys |= BIT(k);
        d->checked = 0;
        return 0;
    }
    if (d->keys & BIT(k))
        return cp_error_set(err, CP_EINPUT, "parameter '%s': key '%s' given twice",
                            d->name, key_names[k]);
    switch (k) {
    case K_MIN: d->min = v; break;
    case K_MAX: d->max = v; break;
    case K_MODE: d->mode = v; break;
    case K_MEAN: d->mean = v; break;
    case K_SD: d->sd = v; break;
    case K_MU: d->mu = v; break;
    case K_MEDIAN: d->mu = v > 0 ? log(v) : NAN; break;
    case K_SIGMA: d->sigma = v; break;
    case K_ALPHA: d->alpha = v; break;
    case K_BETA: d->beta = v; break;
    case K_CENTRAL: d->central = v; break;
    default: break;
    }
    if (k == K_MEDIAN && !(v > 0))
        return cp_error_set(err, CP_EINPUT,
                            "parameter '%s': lognormal median %g must be > 0", d->name, v);
    d->keys |= BIT(k);
    d->checked = 0;
    return 0;
}

/* Set one key from a number. */
int cp_unc_dist_set_num(cp_unc_dist *d, const char *key, double value, cp_error *err)
{
    int k = key ? key_index(key) : -1;
    if (k == K_DIST)
        return cp_error_set(err, CP_EINPUT,
                            "parameter '%s': dist takes a name, not the number %g; hint: "
                            "uniform, triangular, normal, lognormal, beta or discrete", d->name, value);
    if (k < 0) return unknown_key(d, key ? key : "(null)", err);
    return store_num(d, k, value, err);
}

/* Set one key from its text (the YAML layer's entry point). */
int cp_unc_dist_set(cp_unc_dist *d, const char *key, const char *value, cp_error *err)
{
    if (!key) return unknown_key(d, "(null)", err);
    if (!value) value = "";
    int k = key_index(key);
    if (k < 0) return unknown_key(d, key, err);
    if (k == K_DIST) {
        if (d->keys & BIT(K_DIST))
            return cp_error_set(err, CP_EINPUT, "parameter '%s': key 'dist' given twice", d->name);
        cp_unc_kind kind = cp_unc_kind_of(value);
        if (kind == CP_UNC_NONE)
            return cp_error_set(err, CP_EINPUT,
                                "parameter '%s': unknown distribution '%s'; hint: use uniform, "
                                "triangular, normal, lognormal, beta or discrete",
                                d->name, value);
        d->kind = kind;
        d->keys |= BIT(K_DIST);
        d->checked = 0;
        return 0;
    }
    if (k == K_VALUES || k == K_WEIGHTS) {
        if (d->keys & BIT(k))
            return cp_error_set(err, CP_EINPUT, "parameter '%s': key '%s' given twice",
                                d->name, key);
        char buf[4096];
        snprintf(buf, sizeof buf, "%s", value);
        size_t count = 0;
        char *save = NULL;
        for (char *tok = strtok_r(buf, "[], \t", &save); tok; tok = strtok_r(NULL, "[], \t", &save)) {
            double v;
            if (cp_parse_double(tok, &v))
                return cp_error_set(err, CP_EINPUT,
                                    "parameter '%s': %s: '%s' is not a finite number",
                                    d->name, key, tok);
            int rc = cp_unc_dist_set_num(d, key, v, err);
            if (rc) return rc;
            count++;
        }
        if (count == 0)
            return cp_error_set(err, CP_EINPUT,
                                "parameter '%s': %s is empty; hint: give a list like [1, 2, 3]",
                                d->name, key);
        return 0;
    }
    double v;
    if (cp_parse_double(value, &v))
        return cp_error_set(err, CP_EINPUT,
                            "parameter '%s': %s: '%s' is not a finite number", d->name, key,
                            value);
    return cp_unc_dist_set_num(d, key, v, err);
}

/* Parse "kind k=v k=v ..." or "dist: kind, k: v, ..." into d. */
int cp_unc_dist_parse(cp_unc_dist *d, const char *name, const char *spec, cp_error *err)
{
    cp_unc_dist_init(d, name);
    if (!spec) spec = "";
    char buf[4096];
    if (strlen(spec) >= sizeof buf)
        return cp_error_set(err, CP_EINPUT, "parameter '%s': specification too long", d->name);
    snprintf(buf, sizeof buf, "%s", spec);
    char *p = buf;
    int first = 1;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == ',' || *p == '{' || *p == '}') p++;
        if (!*p) break;
        char *key = p;
        while (*p && *p != '=' && *p != ':' && *p != ' ' && *p != ',' && *p != '}') p++;
        char *kend = p;
        while (*p == ' ' || *p == '\t') p++;
        if (*p != '=' && *p != ':') {
            /* a bare word: only the kind, first */
            *kend = '\0';
            if (!first || d->kind)
                return cp_error_set(err, CP_EINPUT,
                                    "parameter '%s': '%s' has no value; hint: write key=value",
                                    d->name, key);
            int rc = cp_unc_dist_set(d, "dist", key, err);
            if (rc) return rc;
            first = 0;
            continue;
        }
        *kend = '\0';
        p++;
        while (*p == ' ' || *p == '\t') p++;
        char *val = p;
        if (*p == '[') {
            while (*p && *p != ']') p++;
            if (*p != ']')
                return cp_error_set(err, CP_EINPUT, "parameter '%s': unclosed '[' after %s",
                                    d->name, key);
            p++;
        } else {
            while (*p && *p != ',' && *p != ' ' && *p != '\t' && *p != '}') p++;
        }
        if (*p) *p++ = '\0';
        int rc = cp_unc_dist_set(d, key, val, err);
        if (rc) return rc;
        first = 0;
    }
    return cp_unc_dist_check(d, err);
}

/* A [low, central, high] range as triangular, beta-PERT or uniform. */
int cp_unc_dist_from_range(cp_unc_dist *d, const char *name, double low, double central,
                           double high, const char *shape, cp_error *err)
{
    cp_unc_dist_init(d, name);
    if (!shape) shape = "triangular";
    if (!(isfinite(low) && isfinite(central) && isfinite(high)) || !(low < high) ||
        central < low || central > high)
        return cp_error_set(err, CP_EINPUT,
                            "parameter '%s': range [%g, %g, %g] must have low < high and low <= central <= high",
                            d->name, low, central, high);
    int rc;
    if (strcmp(shape, "triangular") == 0) {
        if ((rc = cp_unc_dist_set(d, "dist", "triangular", err)) ||
            (rc = cp_unc_dist_set_num(d, "mode", central, err))) return rc;
    } else if (strcmp(shape, "pert") == 0) {
        double w = high - low;
        if ((rc = cp_unc_dist_set(d, "dist", "beta", err)) ||
            (rc = cp_unc_dist_set_num(d, "alpha", 1.0 + 4.0 * (central - low) / w, err)) ||
            (rc = cp_unc_dist_set_num(d, "beta", 1.0 + 4.0 * (high - central) / w, err)) ||
            (rc = cp_unc_dist_set_num(d, "central", central, err))) return rc;
    } else if (strcmp(shape, "uniform") == 0) {
        if ((rc = cp_unc_dist_set(d, "dist", "uniform", err)) ||
            (rc = cp_unc_dist_set_num(d, "central", central, err))) return rc;
    } else {
        return cp_error_set(err, CP_EINPUT,
                            "parameter '%s': unknown range shape '%s'; hint: triangular, pert or uniform",
                            d->name, shape);
    }
    if ((rc = cp_unc_dist_set_num(d, "min", low, err)) ||
        (rc = cp_unc_dist_set_num(d, "max", high, err))) return rc;
    return cp_unc_dist_check(d, err);
}

/* Require the keys in need (all of them). */
static int need(const cp_unc_dist *d, unsigned need_mask, cp_error *err)
{
    unsigned miss = need_mask & ~d->keys;
    if (!miss) return 0;
    char buf[256];
    return cp_error_set(err, CP_EINPUT, "parameter '%s': %s distribution needs %s",
                        d->name, cp_unc_kind_name(d->kind), key_list(miss, buf, sizeof buf));
}

/* Sort discrete values ascending, carrying their weights (insertion sort:
 * at most CP_UNC_DISCRETE_MAX elements, stable for equal values). */
static void sort_discrete(cp_unc_dist *d)
{
    for (size_t i = 1; i < d->nvalues; i++) {
        double v = d->values[i], w = d->weights[i];
        size_t j = i;
        while (j > 0 && d->values[j - 1] > v) {
            d->values[j] = d->values[j - 1];
            d->weights[j] = d->weights[j - 1];
            j--;
        }
        d->values[j] = v;
        d->weights[j] = w;
    }
}

/* Validate d and precompute the truncation probabilities / cumulative weights. */
int cp_unc_dist_check(cp_unc_dist *d, cp_error *err)
{
    char buf[256], buf2[256];
    if (d->kind == CP_UNC_NONE)
        return cp_error_set(err, CP_EINPUT,
                            "parameter '%s': no distribution; hint: add dist: uniform, "
                            "triangular, normal, lognormal, beta or discrete", d->name);
    unsigned extra = d->keys & ~allowed_keys(d->kind);
    if (extra)
        return cp_error_set(err, CP_EINPUT,
                            "parameter '%s': %s does not apply to a %s distribution; hint: its keys are %s",
                            d->name, key_list(extra, buf, sizeof buf), cp_unc_kind_name(d->kind),
                            key_list(allowed_keys(d->kind) & ~BIT(K_DIST), buf2, sizeof buf2));
    int rc = 0;
    const char *nm = d->name;
    switch (d->kind) {
    case CP_UNC_UNIFORM:
        if ((rc = need(d, BIT(K_MIN) | BIT(K_MAX), err))) return rc;
        break;
    case CP_UNC_TRIANGULAR:
        if ((rc = need(d, BIT(K_MIN) | BIT(K_MODE) | BIT(K_MAX), err))) return rc;
        if (d->mode < d->min || d->mode > d->max)
            return cp_error_set(err, CP_EINPUT,
                                "parameter '%s': triangular mode %g lies outside [min, max] = [%g, %g]",
                                nm, d->mode, d->min, d->max);
        break;
    case CP_UNC_NORMAL:
        if ((rc = need(d, BIT(K_MEAN) | BIT(K_SD), err))) return rc;
        if (!(d->sd > 0))
            return cp_error_set(err, CP_EINPUT, "parameter '%s': normal sd %g must be > 0", nm, d->sd);
        break;
    case CP_UNC_LOGNORMAL:
        if ((d->keys & BIT(K_MU)) && (d->keys & BIT(K_MEDIAN)))
            return cp_error_set(err, CP_EINPUT,
                                "parameter '%s': give mu or median, not both (median = e^mu)", nm);
        if (!(d->keys & (BIT(K_MU) | BIT(K_MEDIAN))))
            return cp_error_set(err, CP_EINPUT,
                                "parameter '%s': lognormal distribution needs mu or median", nm);
        if ((rc = need(d, BIT(K_SIGMA), err))) return rc;
        if (!(d->sigma > 0))
            return cp_error_set(err, CP_EINPUT, "parameter '%s': lognormal sigma %g must be > 0",
                                nm, d->sigma);
        if ((d->keys & BIT(K_MIN)) && d->min < 0)
            return cp_error_set(err, CP_EINPUT,
                                "parameter '%s': lognormal min %g must be >= 0 (the law is positive)",
                                nm, d->min);
        if (!(d->keys & BIT(K_MIN))) d->min = 0.0;
        break;
    case CP_UNC_BETA:
        if ((rc = need(d, BIT(K_ALPHA) | BIT(K_BETA), err))) return rc;
        if (!(d->alpha > 0) || !(d->beta > 0))
            return cp_error_set(err, CP_EINPUT,
                                "parameter '%s': beta shapes alpha %g and beta %g must be > 0",
                                nm, d->alpha, d->beta);
        if (((d->keys & BIT(K_MIN)) != 0) != ((d->keys & BIT(K_MAX)) != 0))
            return cp_error_set(err, CP_EINPUT,
                                "parameter '%s': beta needs both min and max, or neither (then [0, 1])", nm);
        if (!(d->keys & BIT(K_MIN))) { d->min = 0.0; d->max = 1.0; }
        break;
    case CP_UNC_DISCRETE: {
        if ((rc = need(d, BIT(K_VALUES), err))) return rc;
        size_t nw = d->nweights;
        if (d->keys & BIT(K_WEIGHTS)) {
            if (nw != d->nvalues)
                return cp_error_set(err, CP_EINPUT,
                                    "parameter '%s': %zu weights for %zu values", nm, nw, d->nvalues);
        } else {
            for (size_t i = 0; i < d->nvalues; i++) d->weights[i] = 1.0;
        }
        double sum = 0.0;
        for (size_t i = 0; i < d->nvalues; i++) {
            if (d->weights[i] < 0)
                return cp_error_set(err, CP_EINPUT,
                                    "parameter '%s': weight %zu is negative (%g)", nm, i + 1,
                                    d->weights[i]);
            sum += d->weights[i];
        }
        if (!(sum > 0))
            return cp_error_set(err, CP_EINPUT, "parameter '%s': the weights sum to 0", nm);
        sort_discrete(d);
        double c = 0.0;
        for (size_t i = 0; i < CP_UNC_DISCRETE_MAX; i++) d->cum[i] = 1.0;
        for (size_t i = 0; i < d->nvalues; i++) {
            c += d->weights[i];
            d->cum[i] = c / sum;
        }
        d->cum[d->nvalues - 1] = 1.0;
        d->min = d->values[0];
        d->max = d->values[d->nvalues - 1];
        break;
    }
    default:
        return cp_error_set(err, CP_EINPUT, "parameter '%s': unknown distribution kind", nm);
    }
    if (d->kind != CP_UNC_DISCRETE && !(d->min < d->max))
        return cp_error_set(err, CP_EINPUT,
                            "parameter '%s': min %g must be < max %g; hint: a fixed value needs no distribution",
                            nm, d->min, d->max);
    /* truncation probabilities of the untruncated law */
    d->p_lo = 0.0;
    d->p_hi = 1.0;
    if (d->kind == CP_UNC_NORMAL) {
        d->p_lo = isfinite(d->min) ? gsl_cdf_gaussian_P(d->min - d->mean, d->sd) : 0.0;
        d->p_hi = isfinite(d->max) ? gsl_cdf_gaussian_P(d->max - d->mean, d->sd) : 1.0;
    } else if (d->kind == CP_UNC_LOGNORMAL) {
        d->p_lo = d->min > 0 ? gsl_cdf_lognormal_P(d->min, d->mu, d->sigma) : 0.0;
        d->p_hi = isfinite(d->max) ? gsl_cdf_lognormal_P(d->max, d->mu, d->sigma) : 1.0;
    }
    if (d->kind == CP_UNC_NORMAL || d->kind == CP_UNC_LOGNORMAL) {
        double qlo = d->kind == CP_UNC_NORMAL
            ? (isfinite(d->min) ? gsl_cdf_gaussian_Q(d->min - d->mean, d->sd) : 1.0)
            : (d->min > 0 ? gsl_cdf_lognormal_Q(d->min, d->mu, d->sigma) : 1.0);
        double qhi = d->kind == CP_UNC_NORMAL
            ? (isfinite(d->max) ? gsl_cdf_gaussian_Q(d->max - d->mean, d->sd) : 0.0)
            : (isfinite(d->max) ? gsl_cdf_lognormal_Q(d->max, d->mu, d->sigma) : 0.0);
        if (!(d->p_hi - d->p_lo > 1e-12) && !(qlo - qhi > 1e-12))
            return cp_error_set(err, CP_EINPUT,
                                "parameter '%s': the truncation [%g, %g] keeps no probability of the %s law; "
                                "hint: widen min/max or move the %s",
                                nm, d->min, d->max, cp_unc_kind_name(d->kind),
                                d->kind == CP_UNC_NORMAL ? "mean" : "median");
    }
    if (!isnan(d->central) && (d->central < d->min || d->central > d->max))
        return cp_error_set(err, CP_EINPUT,
                            "parameter '%s': central %g lies outside [%g, %g]", nm, d->central,
                            d->min, d->max);
    d->checked = 1;
    return 0;
}

/* Inverse CDF of a standard normal truncated to the probabilities
 * [plo, phi] (plo from P, or via Q for upper tails: accurate when both
 * bounds are far in the upper tail, where P rounds to 1). */
static double trunc_std_normal(double u, double z_lo, double z_hi)
{
    if (z_lo > 0) {   /* upper tail: work with Q = 1 - P */
        double qlo = isfinite(z_lo) ? gsl_cdf_ugaussian_Q(z_lo) : 1.0;
        double qhi = isfinite(z_hi) ? gsl_cdf_ugaussian_Q(z_hi) : 0.0;
        double q = qlo - u * (qlo - qhi);
        if (q <= 0) return z_hi;
        if (q >= 1) return z_lo;
        return gsl_cdf_ugaussian_Qinv(q);
    }
    double plo = isfinite(z_lo) ? gsl_cdf_ugaussian_P(z_lo) : 0.0;
    double phi = isfinite(z_hi) ? gsl_cdf_ugaussian_P(z_hi) : 1.0;
    double p = plo + u * (phi - plo);
    if (p <= 0) return z_lo;
    if (p >= 1) return z_hi;
    return gsl_cdf_ugaussian_Pinv(p);
}

/* Quantile of Beta(a, b) at u: Newton's method safeguarded by bisection
 * on gsl_cdf_beta_P (bisection is geometric while the bracket spans
 * orders of magnitude).  (gsl_cdf_beta_Pinv reports "failed to converge" for
 * many shape/probability pairs, and GSL's default error handler aborts.)
 * About 6 CDF evaluations for moderate shapes. */
static double beta_quantile(double u, double a, double b)
{
    if (u <= 0) return 0.0;
    if (u >= 1) return 1.0;
    double lo = 0.0, hi = 1.0, x = a / (a + b);
    for (int it = 0; it < 400; it++) {
        double F = gsl_cdf_beta_P(x, a, b) - u;
        if (F == 0) return x;
        if (F < 0) lo = x; else hi = x;
        double f = gsl_ran_beta_pdf(x, a, b);
        double nx = x - F / f;
        if (!(f > 0) || !isfinite(nx) || nx <= lo || nx >= hi) {
            /* bisect geometrically while the bracket spans magnitudes, so
             * quantiles like 1e-180 (Beta(0.05, 1) at 1e-9) are reached */
            if (lo == 0) nx = hi / 1024.0;
            else if (hi > 2.0 * lo) nx = sqrt(lo * hi);
            else nx = 0.5 * (lo + hi);
        }
        if (fabs(nx - x) <= 4 * DBL_EPSILON * fmax(fabs(x), DBL_MIN) ||
            hi - lo <= 4 * DBL_EPSILON * fmax(lo, DBL_MIN))
            return nx;
        x = nx;
    }
    return x;
}

/* Inverse CDF of d at u (clamped to [0, 1]); the result lies in [min, max]. */
double cp_unc_dist_quantile(const cp_unc_dist *d, double u)
{
    if (!(u > 0)) u = 0.0;
    if (u > 1) u = 1.0;
    double x = NAN;
    switch (d->kind) {
    case CP_UNC_UNIFORM:
        x = u == 1.0 ? d->max : d->min + u * (d->max - d->min);
        break;
    case CP_UNC_TRIANGULAR: {
        double a = d->min, b = d->max, c = d->mode;
        double fc = (c - a) / (b - a);
        x = u < fc ? a + sqrt(u * (b - a) * (c - a)) : b - sqrt((1.0 - u) * (b - a) * (b - c));
        break;
    }
    case CP_UNC_NORMAL: {
        double z = trunc_std_normal(u, (d->min - d->mean) / d->sd, (d->max - d->mean) / d->sd);
        x = d->mean + d->sd * z;
        break;
    }
    case CP_UNC_LOGNORMAL: {
        double zlo = d->min > 0 ? (log(d->min) - d->mu) / d->sigma : -INFINITY;
        double zhi = isfinite(d->max) ? (log(d->max) - d->mu) / d->sigma : INFINITY;
        x = exp(d->mu + d->sigma * trunc_std_normal(u, zlo, zhi));
        break;
    }
    case CP_UNC_BETA: {
        double t = beta_quantile(u, d->alpha, d->beta);
        x = d->min + t * (d->max - d->min);
        break;
    }
    case CP_UNC_DISCRETE: {
        size_t i = 0;
        while (i + 1 < d->nvalues && d->cum[i] < u) i++;
        x = d->values[i];
        break;
    }
    default:
        return NAN;
    }
    if (x < d->min) x = d->min;
    if (x > d->max) x = d->max;
    return x;
}

/* Central value for the tornado and for "all others at central". */
double cp_unc_dist_central(const cp_unc_dist *d)
{
    if (!isnan(d->central)) return d->central;
    if (d->kind == CP_UNC_TRIANGULAR) return d->mode;
    if (d->kind == CP_UNC_NORMAL && !isfinite(d->min) && !isfinite(d->max)) return d->mean;
    return cp_unc_dist_quantile(d, 0.5);
}
