/* A growable wide-char buffer; rows are built in one and written as UTF-8. */
#include "wbemq.h"
#include <stdlib.h>
#include <string.h>

static int grow(wbuf *b, size_t more)
{
    if (b->oom) return 0;
    if (b->len + more + 1 <= b->cap) return 1;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + more + 1) cap *= 2;
    wchar_t *p = realloc(b->p, cap * sizeof(wchar_t));
    if (!p) {
        b->oom = 1;
        return 0;
    }
    b->p = p;
    b->cap = cap;
    return 1;
}

void wb_putn(wbuf *b, const wchar_t *s, size_t n)
{
    if (!grow(b, n)) return;
    memcpy(b->p + b->len, s, n * sizeof(wchar_t));
    b->len += n;
    b->p[b->len] = L'\0';
}

void wb_puts(wbuf *b, const wchar_t *s) { wb_putn(b, s, wcslen(s)); }
void wb_putc(wbuf *b, wchar_t c) { wb_putn(b, &c, 1); }

void wb_put_u64(wbuf *b, unsigned long long v)
{
    wchar_t tmp[24];
    size_t i = sizeof tmp / sizeof tmp[0];
    do {
        tmp[--i] = (wchar_t)(L'0' + v % 10);
        v /= 10;
    } while (v);
    wb_putn(b, tmp + i, sizeof tmp / sizeof tmp[0] - i);
}

void wb_put_i64(wbuf *b, long long v)
{
    if (v < 0) {
        wb_putc(b, L'-');
        wb_put_u64(b, 0ull - (unsigned long long)v);
    } else {
        wb_put_u64(b, (unsigned long long)v);
    }
}

void wb_pad(wbuf *b, size_t n)
{
    while (n--) wb_putc(b, L' ');
}

void wb_clear(wbuf *b)
{
    b->len = 0;
    b->oom = 0;
    if (b->p) b->p[0] = L'\0';
}

void wb_free(wbuf *b)
{
    free(b->p);
    memset(b, 0, sizeof(*b));
}

DWORD wb_write_utf8(const wbuf *b, HANDLE out)
{
    if (b->len == 0) return 0;
    if (b->len > 0x7FFFFFFF / 3) return ERROR_NOT_ENOUGH_MEMORY;
    int n = WideCharToMultiByte(CP_UTF8, 0, b->p, (int)b->len, NULL, 0, NULL, NULL);
    if (n <= 0) return GetLastError();
    char *u = malloc((size_t)n);
    if (!u) return ERROR_NOT_ENOUGH_MEMORY;
    WideCharToMultiByte(CP_UTF8, 0, b->p, (int)b->len, u, n, NULL, NULL);
    /* WriteFile, not stdio: its error says whether the reader went away
       (ERROR_BROKEN_PIPE, ERROR_NO_DATA), which main treats as the end. */
    DWORD error = 0;
    for (int done = 0; done < n;) {
        DWORD wrote = 0;
        if (!WriteFile(out, u + done, (DWORD)(n - done), &wrote, NULL)) {
            error = GetLastError();
            if (!error) error = ERROR_WRITE_FAULT;
            break;
        }
        if (wrote == 0) {
            error = ERROR_WRITE_FAULT;
            break;
        }
        done += (int)wrote;
    }
    free(u);
    return error;
}

const char *wbemq_plural(unsigned long long n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}
