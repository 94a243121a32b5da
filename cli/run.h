/*
 * run.h — what `run` and `compare` share (cli/cmd_run.c, cli/figs.c):
 * one scenario run from file to output directory and run store, the
 * terminal formats (table, csv, json) and the progress bar.
 */
#ifndef CP_CLI_RUN_H
#define CP_CLI_RUN_H

#include "cli.h"

/* Terminal output formats (--format). */
enum { CLI_FMT_TABLE = 0, CLI_FMT_CSV, CLI_FMT_JSON };

/* Parse --format's value; prints a usage error for cmd and returns -1 on
 * an unknown one. */
int cli_format_parse(const char *cmd, const char *s);

/* How to run one scenario. */
typedef struct cli_run_opts {
    const char *cmd;          /* "run" or "compare", for messages */
    const char *out;          /* output directory (created) */
    const char *table;        /* table override or NULL */
    long steps;               /* steps override, or -1 */
    int store;                /* record the run in the run store */
    const char *store_path;   /* NULL: the default store */
    cp_load_opts load;        /* table loading options */
    int progress;             /* draw a progress bar on stderr */
} cli_run_opts;

/* What a run left behind, beside its output directory. */
typedef struct cli_run_result {
    long long store_id;       /* 0 when not stored */
    char store_path[4096];
    char start_date[16];      /* "" when the scenario has none */
    int step_days;            /* days per step (for dates) */
    char name[256];           /* the scenario's name, else its file name */
} cli_run_result;

/* Load the scenario, open its table, run it (with a progress bar when
 * asked), write o->out and record it in the store.  Prints any error and
 * returns the exit status (0, 1 or 2). */
int cli_run_scenario(const char *scn_path, const cli_run_opts *o, cli_run_result *res);

/* Should a progress bar be drawn?  Only when stderr is a terminal and CI
 * is unset (or "false"/"0"). */
int cli_progress_wanted(void);

/* Progress bar state (one line on stderr, redrawn when the percentage
 * changes); unit names what is counted ("step", "draw"). */
typedef struct cli_bar { const char *label; const char *unit; int last; } cli_bar;

/* Redraw the bar (a cli_bar *ctx) after `done` of `total` units; shaped as
 * the library's progress callbacks (cp_res_run_ario, cp_unc_run).  Always
 * returns 0 (never cancels). */
int cli_bar_update(void *ctx, size_t done, size_t total);

/* A list of headline figures: name, value (as text) and unit. */
typedef struct cli_fig { char name[64], value[256], unit[64]; } cli_fig;
typedef struct cli_figs { cli_fig *v; size_t n, cap; } cli_figs;

/* Append one figure, the value printf-formatted.  Returns 0 or -1 (no
 * memory). */
int cli_figs_add(cli_figs *f, const char *name, const char *unit, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void cli_figs_free(cli_figs *f);
/* Print: table (aligned FIGURE/VALUE/UNIT columns), csv (figure,value,unit)
 * or json (one object, snake_case keys, numbers as numbers). */
void cli_figs_print(const cli_figs *f, int format, FILE *out);
/* Write s as a JSON string literal. */
void cli_json_str(FILE *out, const char *s);
/* Write s as one CSV field (quoted when needed). */
void cli_csv_field(FILE *out, const char *s);

#endif
