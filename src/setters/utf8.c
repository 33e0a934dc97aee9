/*
 * UTF-8 text into UTF-16 for the setters (wbemsink_set_utf8,
 * wbemsink_fill's UTF-8 fields).
 */
#include "setters.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

HRESULT wss_utf8_to_wide(const char *s, wchar_t **out)
{
    size_t bytes = strlen(s);
    int n = 0;
    *out = NULL;
    if (bytes > INT_MAX - 1)
        return E_OUTOFMEMORY;
    /* Invalid sequences become U+FFFD (no MB_ERR_INVALID_CHARS). */
    if (bytes && (n = MultiByteToWideChar(CP_UTF8, 0, s, (int)bytes, NULL, 0)) <= 0)
        return HRESULT_FROM_WIN32(GetLastError());
    *out = malloc(((size_t)n + 1) * sizeof(wchar_t));
    if (!*out)
        return E_OUTOFMEMORY;
    if (n && MultiByteToWideChar(CP_UTF8, 0, s, (int)bytes, *out, n) != n) {
        HRESULT hr = HRESULT_FROM_WIN32(GetLastError());
        free(*out);
        *out = NULL;
        return FAILED(hr) ? hr : E_FAIL;
    }
    (*out)[n] = L'\0';
    return S_OK;
}
