/*
 * scn_run.c — checks a scenario needs once its horizon is final.  (The step
 * loop itself is cp_res_run_ario in the results layer.)
 */
#include "chokepoint.h"

#include <math.h>
#include <string.h>

/* Events that start after the run's last step do nothing: refuse them,
 * each at its file:line:col, once the number of steps is final (after
 * extends: and --steps). */
int cp_scn_check_horizon(const cp_scn *s, cp_error *err)
{
    char buf[CP_ERROR_MSG_MAX];
    size_t len = 0;
    int nerr = 0;
    buf[0] = 0;
    for (size_t k = 0; k < s->nevents; k++) {
        const cp_scn_event *e = &s->events[k];
        if (e->occurrence < 0 || (size_t)e->occurrence < s->ario.steps) continue;
        nerr++;
        int w = snprintf(buf + len, sizeof buf - len,
                         "%s%s:%ld:%ld: events[%zu]: starts at step %ld, after the last step (%zu) of a %zu-step run; hint: raise ario.steps or start the event earlier",
                         len ? "\n" : "", e->file ? e->file : s->path, e->line, e->col, k, e->occurrence,
                         s->ario.steps ? s->ario.steps - 1 : 0, s->ario.steps);
        if (w > 0 && len + (size_t)w < sizeof buf) len += (size_t)w;
    }
    if (!nerr) return 0;
    return cp_error_set(err, CP_EINPUT, "%d error%s in scenario:\n%s", nerr, nerr == 1 ? "" : "s", buf);
}
