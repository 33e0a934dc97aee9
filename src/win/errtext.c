/*
 * wbemsink_hresult_text: a readable text for an HRESULT (Windows only).
 *
 * Order of preference:
 *   0. the library's own description of the WBEMSINK_* codes that have one:
 *      WMI cannot know them, and Windows' system table gives 0x800402xx
 *      to unrelated COM+ event codes (0x80040204 is EVENT_E_QUERYFIELD);
 *   1. WMI's own description, from IWbemStatusCodeText::GetErrorCodeText,
 *      when COM is initialised on the calling thread (this function never
 *      initialises COM itself) and the call succeeds with a text that says
 *      more than the number (Wine's only repeats it);
 *   2. the symbolic name from wbemsink_hresult_name;
 *   3. the code in hex, "0x%08lX" style ("0x8FFF1234").
 * The text is truncated to fit and always NUL-terminated. S_OK says the
 * text is a description (0 or 1), S_FALSE that it is only the name or the
 * number (2 or 3), so callers can add their own words without comparing
 * strings. A buffer of one char gets an empty text and S_FALSE.
 */
#ifndef COBJMACROS
#define COBJMACROS
#endif
#include "wbemsink.h"

#include <objbase.h>
#include <oleauto.h>
#include <wchar.h>
#include <wctype.h>

/* True when text says no more than the number: Wine answers every code
   with "Error code: 0x8004...", which the name beats. */
static int only_repeats_number(const wchar_t *text, size_t len, HRESULT hr)
{
    static const wchar_t hex[] = L"0123456789abcdef";
    wchar_t num[9];
    unsigned long v = (unsigned long)hr;
    int i;
    size_t j;
    for (i = 7; i >= 0; i--, v >>= 4)
        num[i] = hex[v & 0xF];
    num[8] = L'\0';
    for (j = 0; j + 8 <= len; j++) {
        for (i = 0; i < 8 && towlower(text[j + i]) == num[i]; i++)
            ;
        if (i == 8 && len <= 32)
            return 1;
    }
    return 0;
}

/* Copies the first len chars of src into buf (size > 0), truncating to
   size - 1 chars, never leaving half of a surrogate pair at the cut, and
   NUL-terminates. */
static void copy_truncated(wchar_t *buf, size_t size, const wchar_t *src, size_t len)
{
    size_t n = len < size - 1 ? len : size - 1;
    size_t i;

    if (n < len && n > 0 && src[n - 1] >= 0xD800 && src[n - 1] <= 0xDBFF)
        n--; /* the cut would separate a high surrogate from its pair */
    for (i = 0; i < n; i++)
        buf[i] = src[i];
    buf[n] = L'\0';
}

static int is_trailing_space(wchar_t c)
{
    return c == L' ' || c == L'\t' || c == L'\r' || c == L'\n';
}

/* The library's description of its own codes, or NULL. Only codes whose
   name alone does not say what to do have one. */
static const wchar_t *library_text(HRESULT hr)
{
    switch ((unsigned long)(ULONG)hr) {
    case 0x00040204UL: /* WBEMSINK_S_OBJECTS_DROPPED */
        return L"The operation succeeded, but objects were dropped because the sink's queue "
               L"was full (WBEMSINK_FULL_DROP_NEWEST); wbemsink_get_stats counts them.";
    case 0x00040205UL: /* WBEMSINK_S_NULL */
        return L"The property exists and its value is NULL (the output was zeroed).";
    case 0x80040204UL: /* WBEMSINK_E_OBJECTS_DROPPED */
        return L"The result set is incomplete: objects were dropped because the sink's queue "
               L"was full; wbemsink_get_stats counts them.";
    case 0x80040206UL: /* WBEMSINK_E_OBJECTS_REFUSED */
        return L"The result set is incomplete: the provider broke the rules (a NULL object, "
               L"a count larger than what it wrote) and objects were refused; "
               L"wbemsink_get_stats counts the refused calls.";
    default:
        return NULL;
    }
}

/* WMI's description of hr into buf. Nonzero on success (a non-empty text
   was written); zero when WMI is not reachable or has nothing to say. */
static int wmi_text(HRESULT hr, wchar_t *buf, size_t size)
{
    IWbemStatusCodeText *sct = NULL;
    BSTR text = NULL;
    HRESULT r;
    size_t len;
    int ok = 0;

    /* Fails with CO_E_NOTINITIALIZED on a thread without COM (unless the
       process has a multithreaded apartment it may implicitly join). */
    r = CoCreateInstance(&CLSID_WbemStatusCodeText, NULL, CLSCTX_INPROC_SERVER,
                         &IID_IWbemStatusCodeText, (void **)&sct);
    if (FAILED(r) || sct == NULL)
        return 0;

    /* LocaleId and lFlags are reserved, 0. Windows then ends the text with
       a line break, which is trimmed below. */
    r = IWbemStatusCodeText_GetErrorCodeText(sct, hr, 0, 0, &text);
    if (SUCCEEDED(r) && text != NULL) {
        len = SysStringLen(text);
        while (len > 0 && is_trailing_space(text[len - 1]))
            len--;
        if (len > 0 && !only_repeats_number(text, len, hr)) {
            copy_truncated(buf, size, text, len);
            ok = 1;
        }
    }
    if (text != NULL)
        SysFreeString(text);
    IWbemStatusCodeText_Release(sct);
    return ok;
}

HRESULT wbemsink_hresult_text(HRESULT hr, wchar_t *buf, size_t size)
{
    static const wchar_t hex_digits[] = L"0123456789ABCDEF";
    wchar_t tmp[64];
    const char *name;
    const wchar_t *own;
    unsigned long v;
    size_t len;
    int i;

    if (buf == NULL)
        return E_POINTER;
    if (size == 0)
        return E_INVALIDARG;
    buf[0] = L'\0';
    if (size == 1)
        return S_FALSE; /* room for no description at all */

    own = library_text(hr);
    if (own != NULL) {
        copy_truncated(buf, size, own, wcslen(own));
        return S_OK;
    }

    if (wmi_text(hr, buf, size))
        return S_OK;

    name = wbemsink_hresult_name(hr);
    if (name != NULL) {
        /* Names are plain ASCII: widen char by char. */
        for (len = 0; name[len] != '\0' && len < sizeof tmp / sizeof tmp[0]; len++)
            tmp[len] = (wchar_t)(unsigned char)name[len];
        copy_truncated(buf, size, tmp, len);
        return S_FALSE;
    }

    /* "0x" and 8 upper-case hex digits, as printf's "0x%08lX". */
    v = (unsigned long)(ULONG)hr;
    tmp[0] = L'0';
    tmp[1] = L'x';
    for (i = 0; i < 8; i++)
        tmp[2 + i] = hex_digits[(v >> (28 - 4 * i)) & 0xFu];
    copy_truncated(buf, size, tmp, 10);
    return S_FALSE;
}
