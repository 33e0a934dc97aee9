/* wbemq call: one NAME=VALUE from the command line into an in-parameter,
   converted by the parameter's CIM type and written with the library's
   setters (which check the range against the type). */
#include "wbemq.h"
#include <errno.h>
#include <stdlib.h>
#include <wchar.h>

static HRESULT why_fail(HRESULT hr, wchar_t *why, size_t size, const wchar_t *text)
{
    swprintf(why, size, L"%ls", text);
    return hr;
}

/* Whole-text integers: decimal, or 0x hex. A hex literal of at most the
   type's width in digits gives the bits (0x80000001 into a sint32 is
   -2147483647: registry handles, flags). */
static int parse_i64(const wchar_t *t, CIMTYPE type, LONGLONG *out)
{
    wchar_t *end = NULL;
    errno = 0;
    if ((t[0] == L'0' && (t[1] == L'x' || t[1] == L'X'))) {
        size_t digits = wcslen(t + 2);
        ULONGLONG u = wcstoull(t + 2, &end, 16);
        if (!digits || *end || errno) return 0;
        unsigned width = type == CIM_SINT8 ? 2 : type == CIM_SINT16 ? 4 : type == CIM_SINT32 ? 8 : 16;
        if (digits > width && u >> (width * 4)) return 0;
        if (width < 16 && u >> (width * 4 - 1) && !(u >> (width * 4)))
            u |= ~0ull << (width * 4);   /* the sign bit of the type's width */
        *out = (LONGLONG)u;
        return 1;
    }
    LONGLONG v = wcstoll(t, &end, 10);
    if (!*t || *end || errno) return 0;
    *out = v;
    return 1;
}

static int parse_u64(const wchar_t *t, ULONGLONG *out)
{
    wchar_t *end = NULL;
    errno = 0;
    if (!*t || t[0] == L'-' || t[0] == L'+') return 0;
    int hex = t[0] == L'0' && (t[1] == L'x' || t[1] == L'X');
    ULONGLONG v = wcstoull(hex ? t + 2 : t, &end, hex ? 16 : 10);
    if (*end || errno || (hex && !t[2])) return 0;
    *out = v;
    return 1;
}

static int parse_bool(const wchar_t *t, int *out)
{
    static const wchar_t *const yes[] = { L"true", L"1", L"yes", L"on" };
    static const wchar_t *const no[] = { L"false", L"0", L"no", L"off" };
    for (size_t i = 0; i < 4; i++) {
        if (!_wcsicmp(t, yes[i])) return *out = 1, 1;
        if (!_wcsicmp(t, no[i])) return *out = 0, 1;
    }
    return 0;
}

/* Fixed-width decimal digits at *p. */
static int digits(const wchar_t **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if ((*p)[i] < L'0' || (*p)[i] > L'9') return 0;
        v = v * 10 + ((*p)[i] - L'0');
    }
    *p += n;
    *out = v;
    return 1;
}

/* ISO 8601: YYYY-MM-DD[(T| )HH:MM[:SS[.fraction]]][Z|(+|-)HH[:MM]].
   Without an offset the time is UTC. */
static int parse_iso8601(const wchar_t *t, FILETIME *utc, LONG *offset)
{
    SYSTEMTIME st = { 0 };
    int y, mo, d, h = 0, mi = 0, s = 0, oh = 0, om = 0;
    ULONGLONG frac = 0, scale = 10000000;   /* 100 ns units in a second */
    const wchar_t *p = t;
    if (!digits(&p, 4, &y) || *p++ != L'-' || !digits(&p, 2, &mo) || *p++ != L'-' || !digits(&p, 2, &d))
        return 0;
    if (*p == L'T' || *p == L't' || *p == L' ') {
        p++;
        if (!digits(&p, 2, &h) || *p++ != L':' || !digits(&p, 2, &mi)) return 0;
        if (*p == L':') {
            p++;
            if (!digits(&p, 2, &s)) return 0;
            if (*p == L'.' || *p == L',') {
                p++;
                if (*p < L'0' || *p > L'9') return 0;
                for (; *p >= L'0' && *p <= L'9'; p++)
                    if (scale > 1) { scale /= 10; frac += (ULONGLONG)(*p - L'0') * scale; }
            }
        }
    }
    *offset = 0;
    if (*p == L'Z' || *p == L'z') {
        p++;
    } else if (*p == L'+' || *p == L'-') {
        int sign = *p++ == L'-' ? -1 : 1;
        if (!digits(&p, 2, &oh)) return 0;
        if (*p == L':') p++;
        if (*p && !digits(&p, 2, &om)) return 0;
        if (oh > 23 || om > 59) return 0;
        *offset = sign * (oh * 60 + om);
    }
    if (*p || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return 0;
    st.wYear = (WORD)y;
    st.wMonth = (WORD)mo;
    st.wDay = (WORD)d;
    st.wHour = (WORD)h;
    st.wMinute = (WORD)mi;
    st.wSecond = (WORD)s;
    FILETIME local;
    if (!SystemTimeToFileTime(&st, &local)) return 0;   /* also rejects 31 February */
    ULARGE_INTEGER u;
    u.LowPart = local.dwLowDateTime;
    u.HighPart = local.dwHighDateTime;
    u.QuadPart += frac;
    LONGLONG shift = (LONGLONG)*offset * 60 * 10000000;   /* local = UTC + offset */
    if (shift > 0 && u.QuadPart < (ULONGLONG)shift) return 0;
    u.QuadPart -= (ULONGLONG)shift;
    utc->dwLowDateTime = u.LowPart;
    utc->dwHighDateTime = u.HighPart;
    return 1;
}

/* One scalar of CIM type `type` from text, through that type's setter. */
static HRESULT set_scalar(IWbemClassObject *in, const wchar_t *name, CIMTYPE type, const wchar_t *t,
                          wchar_t *why, size_t size)
{
    LONGLONG i;
    ULONGLONG u;
    int b;
    switch (type) {
    case CIM_SINT8: case CIM_SINT16: case CIM_SINT32: case CIM_SINT64:
        if (!parse_i64(t, type, &i)) return why_fail(WBEM_E_TYPE_MISMATCH, why, size, L"not an integer");
        return wbemsink_set_int64(in, name, i);
    case CIM_UINT8: case CIM_UINT16: case CIM_UINT32: case CIM_UINT64:
        if (!parse_u64(t, &u)) return why_fail(WBEM_E_TYPE_MISMATCH, why, size, L"not an unsigned integer");
        return wbemsink_set_uint64(in, name, u);
    case CIM_BOOLEAN:
        if (!parse_bool(t, &b)) return why_fail(WBEM_E_TYPE_MISMATCH, why, size, L"not true or false");
        return wbemsink_set_bool(in, name, b);
    case CIM_REAL32: case CIM_REAL64: {
        wchar_t *end = NULL;
        double d = wcstod(t, &end);
        if (!*t || *end) return why_fail(WBEM_E_TYPE_MISMATCH, why, size, L"not a number");
        return wbemsink_set_double(in, name, d);
    }
    case CIM_CHAR16:
        if (!t[0] || t[1]) return why_fail(WBEM_E_TYPE_MISMATCH, why, size, L"not one character");
        return wbemsink_set_char16(in, name, t[0]);
    case CIM_DATETIME: {
        FILETIME ft;
        LONG offset;
        if (parse_iso8601(t, &ft, &offset)) return wbemsink_set_datetime(in, name, &ft, offset);
        /* DMTF text (a point in time or an interval) as WMI writes it. */
        HRESULT hr = wbemsink_set_string(in, name, t);
        if (hr == (HRESULT)WBEM_E_VALUE_OUT_OF_RANGE)
            return why_fail(WBEM_E_TYPE_MISMATCH, why, size, L"not an ISO 8601 date (YYYY-MM-DDTHH:MM:SS[Z|+HH:MM]) nor DMTF text");
        return hr;
    }
    case CIM_STRING: case CIM_REFERENCE:
        return wbemsink_set_string(in, name, t);
    default:
        return why_fail(WBEM_E_TYPE_MISMATCH, why, size, L"this CIM type cannot be given on the command line");
    }
}

/* Arrays: elements separated by commas (`\,` is a comma inside one, `\\`
   a backslash). The elements are parsed here by the element type and
   written at once with the array setter, which checks each against the
   type's range (nothing is written if one does not fit). */
static HRESULT set_array(IWbemClassObject *in, const wchar_t *name, CIMTYPE type, const wchar_t *t,
                         wchar_t *why, size_t size)
{
    size_t n = 1, len = wcslen(t);
    for (size_t k = 0; k < len; k++)
        if (t[k] == L'\\' && t[k + 1]) k++;
        else if (t[k] == L',') n++;
    wchar_t *copy = malloc((len + 1) * sizeof(wchar_t));
    wchar_t **items = calloc(n, sizeof(*items));
    void *values = calloc(n, sizeof(ULONGLONG) > sizeof(BSTR) ? sizeof(ULONGLONG) : sizeof(BSTR));
    HRESULT hr = E_OUTOFMEMORY;
    if (!copy || !items || !values) goto done;
    /* Split in place, unescaping `\,` and `\\`. */
    size_t count = 0, w = 0;
    items[count++] = copy;
    for (size_t k = 0; k < len; k++) {
        if (t[k] == L'\\' && (t[k + 1] == L',' || t[k + 1] == L'\\')) copy[w++] = t[++k];
        else if (t[k] == L',') { copy[w++] = 0; items[count++] = copy + w; }
        else copy[w++] = t[k];
    }
    copy[w] = 0;
    CIMTYPE elem = type & ~CIM_FLAG_ARRAY;
    hr = S_OK;
    for (size_t k = 0; k < count && SUCCEEDED(hr); k++) {
        int ok = 1, b;
        switch (elem) {
        case CIM_SINT8: case CIM_SINT16: case CIM_SINT32: case CIM_SINT64:
            ok = parse_i64(items[k], elem, &((LONGLONG *)values)[k]); break;
        case CIM_UINT8: case CIM_UINT16: case CIM_UINT32: case CIM_UINT64:
            ok = parse_u64(items[k], &((ULONGLONG *)values)[k]); break;
        case CIM_BOOLEAN:
            ok = parse_bool(items[k], &b);
            ((int *)values)[k] = b;
            break;
        case CIM_REAL32: case CIM_REAL64: {
            wchar_t *end = NULL;
            ((double *)values)[k] = wcstod(items[k], &end);
            ok = items[k][0] && !*end;
            break;
        }
        case CIM_STRING: case CIM_REFERENCE: case CIM_DATETIME:
            ((const wchar_t **)values)[k] = items[k];
            break;
        default:
            ok = 0;
        }
        if (!ok) {
            swprintf(why, size, L"element %u (%ls) is not a value of the element type", (unsigned)k + 1,
                     items[k]);
            hr = WBEM_E_TYPE_MISMATCH;
        }
    }
    if (FAILED(hr)) goto done;
    ULONG c = (ULONG)count;
    switch (elem) {
    case CIM_SINT8: case CIM_SINT16: case CIM_SINT32: case CIM_SINT64:
        hr = wbemsink_set_int64_array(in, name, values, c); break;
    case CIM_UINT8: case CIM_UINT16: case CIM_UINT32: case CIM_UINT64:
        hr = wbemsink_set_uint64_array(in, name, values, c); break;
    case CIM_BOOLEAN:
        hr = wbemsink_set_bool_array(in, name, values, c); break;
    case CIM_REAL32: case CIM_REAL64:
        hr = wbemsink_set_double_array(in, name, values, c); break;
    default:
        hr = wbemsink_set_string_array(in, name, values, c); break;
    }
done:
    free(copy);
    free(items);
    free(values);
    return hr;
}

HRESULT wbemq_call_set(IWbemClassObject *in, const wchar_t *name, const wchar_t *text, wchar_t *why,
                       size_t size)
{
    CIMTYPE type = 0;
    why[0] = 0;
    HRESULT hr = IWbemClassObject_Get(in, name, 0, NULL, &type, NULL);
    /* Wine 8's in-parameter objects answer an unknown name with
       WBEM_E_INVALID_QUERY. */
    if (hr == (HRESULT)WBEM_E_NOT_FOUND || hr == (HRESULT)WBEM_E_INVALID_QUERY)
        return why_fail(WBEM_E_NOT_FOUND, why, size, L"no such parameter");
    if (FAILED(hr)) return hr;
    /* An empty value: NULL, but an empty string for a string. */
    if (!text[0] && type != CIM_STRING) return wbemsink_set_null(in, name);
    hr = (type & CIM_FLAG_ARRAY) ? set_array(in, name, type, text, why, size)
                                 : set_scalar(in, name, type, text, why, size);
    if (hr == (HRESULT)WBEM_E_VALUE_OUT_OF_RANGE && !why[0])
        swprintf(why, size, L"out of range for the parameter's type");
    return hr;
}
