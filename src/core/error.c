/*
 * error.c — the error value every fallible function fills.
 *
 * chokepoint never prints from the library and never exits: a function
 * that fails returns a CP_E* code and leaves a message in a caller-owned
 * cp_error.  The message is meant for the user, so it names the file,
 * line and column where it can, says what is wrong, and gives a hint.
 */
#include "chokepoint.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Format into err->msg; shared by cp_error_set and cp_error_at. */
static void vset(cp_error *err, int code, const char *prefix, const char *fmt,
                 va_list ap)
{
    size_t off = 0;
    err->code = code;
    err->msg[0] = '\0';
    if (prefix) {
        off = strlen(prefix);
        if (off >= sizeof err->msg) off = sizeof err->msg - 1;
        memcpy(err->msg, prefix, off);
        err->msg[off] = '\0';
    }
    vsnprintf(err->msg + off, sizeof err->msg - off, fmt, ap);
}

/* Record code and a message; returns code so callers can `return set(...)`. */
int cp_error_set(cp_error *err, int code, const char *fmt, ...)
{
    if (!err) return code;
    va_list ap;
    va_start(ap, fmt);
    vset(err, code, NULL, fmt, ap);
    va_end(ap);
    return code;
}

/* Record code and a message located at file:line:col (line/col <= 0 are
 * left out, so the same call serves whole-file and per-cell errors). */
int cp_error_at(cp_error *err, int code, const char *file, long line,
                long col, const char *fmt, ...)
{
    if (!err) return code;
    char prefix[1024];
    if (line > 0 && col > 0)
        snprintf(prefix, sizeof prefix, "%s:%ld:%ld: ", file ? file : "?", line, col);
    else if (line > 0)
        snprintf(prefix, sizeof prefix, "%s:%ld: ", file ? file : "?", line);
    else
        snprintf(prefix, sizeof prefix, "%s: ", file ? file : "?");
    va_list ap;
    va_start(ap, fmt);
    vset(err, code, prefix, fmt, ap);
    va_end(ap);
    return code;
}

/* Reset err to "no error". */
void cp_error_clear(cp_error *err)
{
    if (!err) return;
    err->code = CP_OK;
    err->msg[0] = '\0';
}
