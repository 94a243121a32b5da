/*
 * cmd_main.c — `chokepoint main`: the job `make run` runs on the shipped
 * data.  Until the rare-earth case exists it summarises the default Japan
 * table.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>

static const char help[] =
    "usage: chokepoint main\n"
    "\n"
    "The main job, run by `make run`: on the embedded default data (Japan 2015,\n"
    "MIC, 37 sectors) print a summary of the economy and its ten largest output\n"
    "multipliers (output in the whole economy per unit of final demand).\n";

/* The k largest output multipliers (column sums of L: output everywhere
 * per unit of final demand for the sector), by partial selection. */
static int print_top_multipliers(const cp_table *t, size_t k)
{
    cp_error err;
    cp_io_multipliers m;
    cp_error_clear(&err);
    if (cp_io_multipliers_compute(t, &m, &err)) return cli_fail(&err);
    unsigned char *used = calloc(t->n ? t->n : 1, 1);
    if (!used) {
        cp_io_multipliers_free(&m);
        cp_error_set(&err, CP_ENOMEM, "out of memory");
        return cli_fail(&err);
    }
    if (k > t->n) k = t->n;
    printf("\nlargest output multipliers (output per unit of final demand, column sums of L)\n");
    for (size_t r = 0; r < k; r++) {
        size_t best = 0;
        int found = 0;
        for (size_t j = 0; j < t->n; j++)
            if (!used[j] && (!found || m.output[j] > m.output[best])) best = j, found = 1;
        used[best] = 1;
        const char *name = t->sector_name[best] ? t->sector_name[best] : t->sector[best];
        char label[256];
        snprintf(label, sizeof label, "%s%s%s", t->nreg > 1 ? t->region[best] : "",
                 t->nreg > 1 ? "/" : "", name ? name : "");
        printf("  %2zu. %-50s %.4f\n", r + 1, label, m.output[best]);
    }
    free(used);
    cp_io_multipliers_free(&m);
    return EXIT_OK;
}

static int run(int argc, char **argv)
{
    (void)argv;
    if (argc > 1) return cli_usage("main", "takes no arguments");
    cp_load_opts opts = cp_load_opts_default();
    cp_table *t;
    int rc = cli_open_table(&t, "japan-2015-37", &opts);
    if (rc) return rc;
    printf("chokepoint %s — default economy\n\n", CP_VERSION);
    char *argv2[] = {"info", "japan-2015-37", NULL};
    rc = cmd_info_def.run(2, argv2);
    if (rc == EXIT_OK) rc = print_top_multipliers(t, 10);
    cp_table_free(t);
    return rc;
}

const cli_cmd cmd_main_def = {"main", "the default job (make run)", help, run};
