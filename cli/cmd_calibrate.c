/*
 * cmd_calibrate.c — `chokepoint calibrate SCENARIO --target-pct P`: find
 * the controls.criticality_scale for which the scenario's GDP loss is P %
 * of annual GDP, by bisection on the logarithm of the multiplier.  Used to
 * turn a published estimate into the one parameter it implies
 * (scripts/calibrate-presets.sh, docs/japan-case.md).
 */
#include "case.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: chokepoint calibrate SCENARIO.yaml --target-pct P [--lo X] [--hi Y] [--rtol R]\n"
    "\n"
    "Find the multiplier of every use's criticality (controls.criticality_scale)\n"
    "for which the scenario's GDP loss is P % of annual GDP, by bisection on\n"
    "log(multiplier) between --lo (default 0.01) and --hi (default 100) until the\n"
    "loss is within --rtol (default 1e-3, relative) of the target.  Criticalities\n"
    "are capped at 1, so a target may be out of reach; the message says so.\n"
    "Prints the multiplier and the loss it gives.  Nothing is written.\n"
    "\n"
    "exit status: 0 found, 1 run failure or target out of reach, 2 usage or input error\n";

/* GDP loss (% of GDP) of the scenario at multiplier k. */
static int loss_at(const char *path, double k, double *pct, cp_error *err)
{
    cli_case c;
    int rc = cli_case_eval(&c, path, k, err);
    if (!rc && !cp_scn_has_controls(&c.s))
        rc = cp_error_at(err, CP_EINPUT, path, 0, 0, "the scenario has no controls: section; hint: calibrate needs one");
    if (!rc) *pct = c.res.gdp_loss_pct;
    cli_case_free(&c);
    return rc;
}

/* Parse the arguments and bisect. */
static int run(int argc, char **argv)
{
    const char *path = NULL;
    double target = NAN, lo = 0.01, hi = 100, rtol = 1e-3;
    for (int i = 1; i < argc; i++) {
        double *dst = !strcmp(argv[i], "--target-pct") ? &target : !strcmp(argv[i], "--lo") ? &lo
                    : !strcmp(argv[i], "--hi") ? &hi : !strcmp(argv[i], "--rtol") ? &rtol : NULL;
        if (dst) {
            if (i + 1 >= argc || cp_parse_double(argv[i + 1], dst) || !(*dst > 0))
                return cli_usage("calibrate", "%s needs a positive number", argv[i]);
            i++;
        } else if (argv[i][0] == '-') return cli_usage("calibrate", "unknown option '%s'", argv[i]);
        else if (path) return cli_usage("calibrate", "one SCENARIO only");
        else path = argv[i];
    }
    if (!path) return cli_usage("calibrate", "missing SCENARIO.yaml");
    if (isnan(target)) return cli_usage("calibrate", "missing --target-pct P (GDP loss, %% of annual GDP)");
    if (!(lo < hi)) return cli_usage("calibrate", "--lo must be below --hi");
    cp_error err;
    cp_error_clear(&err);
    double flo, fhi, f = NAN, mid = NAN;
    if (loss_at(path, lo, &flo, &err) || loss_at(path, hi, &fhi, &err)) return cli_fail(&err);
    if (!(flo <= target && target <= fhi)) {
        cp_error_set(&err, CP_ERUN,
                     "calibrate: the loss runs from %.4g %% (multiplier %g) to %.4g %% (multiplier %g) and cannot reach %.4g %%; hint: widen --lo/--hi or calibrate another parameter (criticalities are capped at 1)",
                     flo, lo, fhi, hi, target);
        return cli_fail(&err);
    }
    int it;
    for (it = 0; it < 60; it++) {
        mid = sqrt(lo * hi);
        if (loss_at(path, mid, &f, &err)) return cli_fail(&err);
        if (fabs(f - target) <= rtol * target) break;
        if (f < target) lo = mid; else hi = mid;
    }
    printf("scenario           %s\n", path);
    printf("criticality_scale  %.4f\n", mid);
    printf("gdp_loss_pct       %.4f %% of annual GDP (target %.4g %%, %d bisection steps)\n", f, target, it + 1);
    return EXIT_OK;
}

const cli_cmd cmd_calibrate_def = {"calibrate", "find the criticality multiplier that reproduces a GDP loss", help, run};
