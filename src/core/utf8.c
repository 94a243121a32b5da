/*
 * utf8.c — is this text UTF-8?  See utf8.h.
 *
 * The rules are those of RFC 3629: a lead byte 0xC2..0xF4 followed by the
 * right number of continuation bytes 0x80..0xBF, shortest form only, no
 * UTF-16 surrogates (U+D800..U+DFFF), nothing above U+10FFFF.
 */
#include "core/utf8.h"

/* Length of the well-formed UTF-8 sequence at s[0..len), or 0 if the
 * bytes there do not form one. */
static size_t seq_len(const unsigned char *s, size_t len)
{
    unsigned c = s[0];
    if (c < 0x80) return 1;
    size_t n = (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || n > len) return 0;
    unsigned long cp = c & (0x7Fu >> n);
    for (size_t k = 1; k < n; k++) {
        if ((s[k] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (s[k] & 0x3Fu);
    }
    static const unsigned long minv[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < minv[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return n;
}

/* First offset that is not well-formed UTF-8, or len. */
size_t cp_utf8_bad(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        size_t n = seq_len(u + i, len - i);
        if (n == 0) return i;
        i += n;
    }
    return len;
}

/* Scan for the first byte that is not UTF-8, or a NUL, counting lines
 * (LF) and characters so that the position is the one an editor shows. */
int cp_text_find_bad(const char *text, size_t len, long *line, long *col, unsigned *byte)
{
    const unsigned char *u = (const unsigned char *)text;
    long l = 1, c = 1;
    for (size_t i = 0; i < len;) {
        size_t n = seq_len(u + i, len - i);
        if (n == 0 || u[i] == 0) {
            *line = l;
            *col = c;
            *byte = u[i];
            return n == 0 ? 1 : 2;
        }
        if (u[i] == '\n') {
            l++;
            c = 1;
        } else {
            c++;
        }
        i += n;
    }
    return 0;
}

/* The readers' check before a parser sees the text. */
int cp_text_check(const char *name, const char *text, size_t len, cp_error *err)
{
    long line, col;
    unsigned b;
    int k = cp_text_find_bad(text, len, &line, &col, &b);
    if (k == 1)
        return cp_error_at(err, CP_EINPUT, name, line, col,
                           "byte 0x%02X is not UTF-8 text; hint: save the file as UTF-8", b);
    if (k == 2)
        return cp_error_at(err, CP_EINPUT, name, line, col,
                           "contains a NUL byte; hint: is it a text file?");
    return 0;
}
