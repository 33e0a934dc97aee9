/* The columns of a query: the names between SELECT and FROM, as the user
   wrote them (WMI's property names are case-insensitive, so they read the
   values whatever case the class uses, and the header shows the user's
   spelling). Anything wbemq cannot read as a plain list of names (a "*",
   a query that is no SELECT) leaves the choice to the objects. */
#include "wbemq.h"
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

static int is_space(wchar_t c)
{
    return c == L' ' || c == L'\t' || c == L'\r' || c == L'\n' || c == L'\f' || c == L'\v';
}

static int is_name_char(wchar_t c)
{
    return (c >= L'a' && c <= L'z') || (c >= L'A' && c <= L'Z') || (c >= L'0' && c <= L'9') ||
           c == L'_' || c >= 0x80;   /* WMI allows non-ASCII letters in names */
}

static const wchar_t *skip_space(const wchar_t *p)
{
    while (is_space(*p)) p++;
    return p;
}

/* The keyword kw (upper case) at p, followed by a non-name character. */
static const wchar_t *keyword(const wchar_t *p, const wchar_t *kw)
{
    size_t n = wcslen(kw);
    for (size_t i = 0; i < n; i++) {
        wchar_t c = p[i];
        if (c >= L'a' && c <= L'z') c = (wchar_t)(c - L'a' + L'A');
        if (c != kw[i]) return NULL;
    }
    return is_name_char(p[n]) ? NULL : p + n;
}

static wchar_t *copy(const wchar_t *s, size_t n)
{
    wchar_t *c = malloc((n + 1) * sizeof(wchar_t));
    if (!c) return NULL;
    memcpy(c, s, n * sizeof(wchar_t));
    c[n] = 0;
    return c;
}

void wbemq_select_free(wbemq_select *s)
{
    if (!s) return;
    for (size_t i = 0; i < s->count; i++) free(s->names[i]);
    free(s->names);
    free(s->class_name);
    memset(s, 0, sizeof(*s));
}

HRESULT wbemq_select_parse(const wchar_t *query, wbemq_select *out)
{
    memset(out, 0, sizeof(*out));
    if (!query) return S_OK;
    const wchar_t *p = keyword(skip_space(query), L"SELECT");
    if (!p) return S_OK;                       /* ASSOCIATORS OF, REFERENCES OF... */
    p = skip_space(p);
    int star = 0;
    size_t cap = 0;
    for (;;) {
        const wchar_t *start = p;
        if (*p == L'*') {
            star = 1;
            p++;
        } else {
            while (is_name_char(*p)) p++;
            if (p == start) goto unreadable;   /* e.g. a function: not WQL */
            if (out->count == cap) {
                size_t ncap = cap ? cap * 2 : 8;
                wchar_t **names = realloc(out->names, ncap * sizeof(*names));
                if (!names) goto oom;
                out->names = names;
                cap = ncap;
            }
            if (!(out->names[out->count] = copy(start, (size_t)(p - start)))) goto oom;
            out->count++;
        }
        p = skip_space(p);
        if (*p != L',') break;
        p = skip_space(p + 1);
    }
    if (!(p = keyword(p, L"FROM"))) goto unreadable;
    p = skip_space(p);
    const wchar_t *cls = p;
    while (is_name_char(*p)) p++;
    if (p > cls && !(out->class_name = copy(cls, (size_t)(p - cls)))) goto oom;
    if (star) {                                /* "*" anywhere: the objects' own */
        for (size_t i = 0; i < out->count; i++) free(out->names[i]);
        free(out->names);
        out->names = NULL;
        out->count = 0;
    }
    return S_OK;

unreadable:
    wbemq_select_free(out);
    return S_OK;
oom:
    wbemq_select_free(out);
    return E_OUTOFMEMORY;
}
