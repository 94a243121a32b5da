/*
 * cmd_main.c — `chokepoint main`: the job `make run` runs on the shipped
 * data.  Until the rare-earth case exists it summarises the default Japan
 * table.
 */
#include "cli.h"

#include <stdio.h>

static const char help[] =
    "usage: chokepoint main\n"
    "\n"
    "The main job, run by `make run`: on the embedded default data (Japan 2015,\n"
    "MIC, 37 sectors) print a summary of the economy.\n";

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
    cp_table_free(t);
    return cmd_info_def.run(2, argv2);
}

const cli_cmd cmd_main_def = {"main", "the default job (make run)", help, run};
