/*
 * yaml_diag.c — capture libfyaml's first error (position and message) for
 * the YAML readers; see yaml_diag.h.
 */
#include "core/yaml_diag.h"

#include <libfyaml.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Read 1 to 9 decimal digits at *p into *v and move *p past them; 0 if
 * there are none or more than 9 (a position that large is not
 * libfyaml's: controls files are at most 16 MiB, scenarios 64 MiB, and
 * the bound keeps a long from overflowing). */
static int read_pos_digits(const char **p, long *v)
{
    const char *s = *p;
    long x = 0;
    int nd = 0;
    while (*s >= '0' && *s <= '9') {
        if (++nd > 9) return 0;
        x = x * 10 + (*s++ - '0');
    }
    if (nd == 0) return 0;
    *v = x;
    *p = s;
    return 1;
}

/* libfyaml's diagnostic output hook.  A diagnostic arrives as a header
 * "<input>:LINE:COL: TYPE: MESSAGE\n" in one call, then (even with
 * show_source off, in 0.7.12) the offending source line without its line
 * break and a caret line starting with '\n'.  The source line is input
 * text, so it can read like a header ("%12:34: error: " in the file);
 * only a single line ending in '\n' whose input name (up to the first
 * ':') is followed by LINE:COL: error: is taken as the error, and its
 * digits are bounded (a wrong position, and docs/fuzzing.md's overflow in
 * the controls reader, otherwise).  Keeps the first error's position and
 * message (libfyaml 0.7's collect mode leaks, so text is captured). */
static void diag_out(struct fy_diag *diag, void *user, const char *buf, size_t len)
{
    (void)diag;
    cp_yaml_diag *dc = user;
    if (dc->have || !buf || len < 2 || buf[len - 1] != '\n' || buf[0] == '\n') return;
    if (memchr(buf, '\n', len - 1) || memchr(buf, '\0', len)) return;
    char tmp[1024];
    size_t n = len < sizeof tmp - 1 ? len : sizeof tmp - 1;
    memcpy(tmp, buf, n);
    tmp[n] = '\0';
    const char *q = strchr(tmp, ':');
    long line = 0, col = 0;
    if (!q || q == tmp) return;
    q++;
    if (!read_pos_digits(&q, &line) || *q++ != ':' || !read_pos_digits(&q, &col)) return;
    if (strncmp(q, ": error: ", 9) != 0) return;
    dc->have = 1;
    snprintf(dc->msg, sizeof dc->msg, "%s", q + 9);
    size_t l = strlen(dc->msg);
    while (l && (dc->msg[l - 1] == '\n' || dc->msg[l - 1] == ' ')) dc->msg[--l] = '\0';
    dc->line = line;
    dc->col = col;
}

/* A diagnostic object that prints nothing and hands every line of
 * output to diag_out, with positions on and source, type, module and
 * colour off (the header format diag_out reads). */
struct fy_diag *cp_yaml_diag_create(cp_yaml_diag *d)
{
    memset(d, 0, sizeof *d);
    struct fy_diag_cfg dcfg;
    fy_diag_cfg_default(&dcfg);
    dcfg.fp = NULL;
    dcfg.output_fn = diag_out;
    dcfg.user = d;
    dcfg.colorize = false;
    dcfg.show_source = false;
    dcfg.show_position = true;
    dcfg.show_type = false;
    dcfg.show_module = false;
    return fy_diag_create(&dcfg);
}
