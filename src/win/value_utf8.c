/*
 * Text properties as UTF-8 (into the caller's buffer or a new block), and
 * wbemsink_free for every block the library hands out.
 */
#include "value_internal.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* s as UTF-8 in a new block (terminated); *bytes its length without the
   terminator. Unpaired surrogates become U+FFFD, as WideCharToMultiByte
   makes them. */
static HRESULT to_utf8(const wchar_t *s, UINT len, char **out, size_t *bytes)
{
    int n = 0;
    *out = NULL;
    *bytes = 0;
    if (len > INT_MAX / 4)
        return E_OUTOFMEMORY;
    if (len > 0) {
        n = WideCharToMultiByte(CP_UTF8, 0, s, (int)len, NULL, 0, NULL, NULL);
        if (n <= 0)
            return HRESULT_FROM_WIN32(GetLastError());
    }
    *out = malloc((size_t)n + 1);
    if (!*out)
        return E_OUTOFMEMORY;
    if (n > 0 && WideCharToMultiByte(CP_UTF8, 0, s, (int)len, *out, n, NULL, NULL) != n) {
        HRESULT hr = HRESULT_FROM_WIN32(GetLastError());
        free(*out);
        *out = NULL;
        return FAILED(hr) ? hr : E_FAIL;
    }
    (*out)[n] = '\0';
    *bytes = (size_t)n;
    return S_OK;
}

/* A text property as UTF-8 in a new block; *bytes without the terminator. */
static HRESULT get_utf8(IWbemClassObject *o, const wchar_t *name, char **out, size_t *bytes)
{
    BSTR s;
    HRESULT hr = ws_value_get(o, name, WS_KIND_TEXT, &s);
    *out = NULL;
    *bytes = 0;
    if (hr != S_OK)
        return hr;
    hr = to_utf8(s, SysStringLen(s), out, bytes);
    SysFreeString(s);
    return hr;
}

HRESULT wbemsink_get_utf8(IWbemClassObject *o, const wchar_t *name, char *buf, size_t size,
                          size_t *needed)
{
    char *u;
    size_t n, keep;
    HRESULT hr;
    if (needed)
        *needed = 0;
    if (!buf && size)
        return E_POINTER;
    if (size)
        buf[0] = '\0';
    hr = get_utf8(o, name, &u, &n);
    if (hr != S_OK)
        return hr;
    if (needed)
        *needed = n + 1;
    if (n < size) {
        memcpy(buf, u, n + 1);
        free(u);
        return S_OK;
    }
    if (size) {
        /* The longest prefix that fits and ends on a character: back up
           while the first byte left out continues a character. */
        keep = size - 1;
        while (keep > 0 && ((unsigned char)u[keep] & 0xC0) == 0x80)
            keep--;
        memcpy(buf, u, keep);
        buf[keep] = '\0';
    }
    free(u);
    return WBEM_E_BUFFER_TOO_SMALL;
}

HRESULT wbemsink_get_utf8_alloc(IWbemClassObject *o, const wchar_t *name, char **out)
{
    size_t n;
    if (!out)
        return E_POINTER;
    return get_utf8(o, name, out, &n);
}

void wbemsink_free(void *p)
{
    free(p);
}
