/* One property value as text (table and CSV cells) or as JSON, read with
   the library's typed getters (wbemsink.h): the property's CIM type picks
   the getter, so wbemq and the library's users decode values alike.

   integers (every width)  the number (64-bit ones too: JSON numbers)
   CIM_CHAR16              its code, a number
   CIM_REAL32, CIM_REAL64  the number (JSON: null for NaN and infinities)
   CIM_BOOLEAN             true / false
   CIM_STRING, REFERENCE   the string
   CIM_DATETIME            ISO 8601 (2024-01-31T13:05:00.123456+01:00);
                           intervals and wildcarded DMTF text as they are
   CIM_OBJECT              {Name=value, ...} ; nested JSON object
   arrays                  [a, b] ; JSON array
   NULL                    the caller's null text; JSON null
   anything else, or a value the getters refuse   "?" ; JSON null */
#include "wbemq.h"
#include <math.h>
#include <wchar.h>

#define MAX_DEPTH 8

/* A point in time as ISO 8601 in the offset it was written with. */
static int iso_datetime(wbuf *b, FILETIME utc, LONG offset)
{
    ULONGLONG t = ((ULONGLONG)utc.dwHighDateTime << 32) | utc.dwLowDateTime;
    ULONGLONG shift = (ULONGLONG)(offset < 0 ? -offset : offset) * 600000000ull;
    FILETIME local;
    SYSTEMTIME st;
    wchar_t tmp[48];
    if (offset < 0 && t < shift) return 0;
    t = offset < 0 ? t - shift : t + shift;
    local.dwLowDateTime = (DWORD)t;
    local.dwHighDateTime = (DWORD)(t >> 32);
    if (!FileTimeToSystemTime(&local, &st)) return 0;
    swprintf(tmp, sizeof tmp / sizeof tmp[0], L"%04u-%02u-%02uT%02u:%02u:%02u", st.wYear, st.wMonth,
             st.wDay, st.wHour, st.wMinute, st.wSecond);
    wb_puts(b, tmp);
    unsigned us = (unsigned)(t % 10000000ull / 10);
    if (us) {
        swprintf(tmp, sizeof tmp / sizeof tmp[0], L".%06u", us);
        wb_puts(b, tmp);
    }
    if (offset == 0) {
        wb_putc(b, L'Z');
    } else {
        LONG m = offset < 0 ? -offset : offset;
        swprintf(tmp, sizeof tmp / sizeof tmp[0], L"%lc%02ld:%02ld", offset < 0 ? L'-' : L'+',
                 (long)(m / 60), (long)(m % 60));
        wb_puts(b, tmp);
    }
    return 1;
}

static void json_string(wbuf *b, const wchar_t *s, size_t n)
{
    static const wchar_t hex[] = L"0123456789abcdef";
    wb_putc(b, L'"');
    for (size_t i = 0; i < n; i++) {
        wchar_t c = s[i];
        switch (c) {
        case L'"': wb_puts(b, L"\\\""); break;
        case L'\\': wb_puts(b, L"\\\\"); break;
        case L'\n': wb_puts(b, L"\\n"); break;
        case L'\r': wb_puts(b, L"\\r"); break;
        case L'\t': wb_puts(b, L"\\t"); break;
        default:
            if (c < 0x20) {
                wchar_t esc[7] = {L'\\', L'u', L'0', L'0', hex[(c >> 4) & 15], hex[c & 15], 0};
                wb_puts(b, esc);
            } else {
                wb_putc(b, c);
            }
        }
    }
    wb_putc(b, L'"');
}

static void text(wbuf *b, const wchar_t *s, size_t n, wbemq_style style)
{
    if (style == WBEMQ_JSON) json_string(b, s, n);
    else wb_putn(b, s, n);
}

void wbemq_text(wbuf *b, const wchar_t *s, size_t n, wbemq_style style) { text(b, s, n, style); }

/* DMTF text: ISO 8601 for a point in time, else the text as it is. */
static void dmtf(wbuf *b, BSTR s, wbemq_style style)
{
    FILETIME utc;
    LONG offset;
    wbuf iso = {0};
    if (SUCCEEDED(wbemsink_parse_datetime(s, &utc, &offset)) && iso_datetime(&iso, utc, offset) &&
        !iso.oom)
        text(b, iso.p, iso.len, style);
    else
        text(b, s, SysStringLen(s), style);
    wb_free(&iso);
}

static void real(wbuf *b, double d, CIMTYPE base, wbemq_style style)
{
    if (isnan(d) || isinf(d)) {
        wb_puts(b, style == WBEMQ_JSON ? L"null" : (isnan(d) ? L"NaN" : d > 0 ? L"Infinity" : L"-Infinity"));
        return;
    }
    wchar_t tmp[64];
    swprintf(tmp, sizeof tmp / sizeof tmp[0], L"%.*g", base == CIM_REAL32 ? 9 : 17, d);
    wb_puts(b, tmp);
}

static int is_signed(CIMTYPE base)
{
    return base == CIM_SINT8 || base == CIM_SINT16 || base == CIM_SINT32 || base == CIM_SINT64;
}

static int is_unsigned(CIMTYPE base)
{
    return base == CIM_UINT8 || base == CIM_UINT16 || base == CIM_UINT32 || base == CIM_UINT64 ||
           base == CIM_CHAR16;
}

static void object_at(wbuf *b, IWbemClassObject *obj, wbemq_style style, int depth);

/* An array property: the library's array getter for its CIM type. */
static HRESULT array(wbuf *b, IWbemClassObject *o, const wchar_t *name, CIMTYPE base,
                     wbemq_style style, int depth)
{
    const wchar_t *sep = style == WBEMQ_JSON ? L"," : L", ";
    void *p = NULL;
    ULONG n = 0;
    HRESULT hr;
    if (is_signed(base)) hr = wbemsink_get_int64_array(o, name, (LONGLONG **)&p, &n);
    else if (is_unsigned(base)) hr = wbemsink_get_uint64_array(o, name, (ULONGLONG **)&p, &n);
    else if (base == CIM_REAL32 || base == CIM_REAL64) hr = wbemsink_get_double_array(o, name, (double **)&p, &n);
    else if (base == CIM_BOOLEAN) hr = wbemsink_get_bool_array(o, name, (int **)&p, &n);
    else if (base == CIM_STRING || base == CIM_REFERENCE || base == CIM_DATETIME)
        hr = wbemsink_get_string_array(o, name, (BSTR **)&p, &n);
    else if (base == CIM_OBJECT) hr = wbemsink_get_object_array(o, name, (IWbemClassObject ***)&p, &n);
    else return WBEM_E_TYPE_MISMATCH;
    if (hr != S_OK) return hr;
    wb_putc(b, L'[');
    for (ULONG i = 0; i < n; i++) {
        if (i) wb_puts(b, sep);
        if (is_signed(base)) wb_put_i64(b, ((LONGLONG *)p)[i]);
        else if (is_unsigned(base)) wb_put_u64(b, ((ULONGLONG *)p)[i]);
        else if (base == CIM_REAL32 || base == CIM_REAL64) real(b, ((double *)p)[i], base, style);
        else if (base == CIM_BOOLEAN) wb_puts(b, ((int *)p)[i] ? L"true" : L"false");
        else if (base == CIM_DATETIME) dmtf(b, ((BSTR *)p)[i], style);
        else if (base == CIM_OBJECT) {
            IWbemClassObject *e = ((IWbemClassObject **)p)[i];
            if (e) object_at(b, e, style, depth + 1);
            else wb_puts(b, style == WBEMQ_JSON ? L"null" : L"NULL");
        } else {
            BSTR s = ((BSTR *)p)[i];
            text(b, s, SysStringLen(s), style);
        }
    }
    wb_putc(b, L']');
    if (base == CIM_STRING || base == CIM_REFERENCE || base == CIM_DATETIME) {
        wbemsink_free_strings(p, n);
        return S_OK;
    }
    if (base == CIM_OBJECT)
        for (ULONG i = 0; i < n; i++)
            if (((IWbemClassObject **)p)[i]) IWbemClassObject_Release(((IWbemClassObject **)p)[i]);
    wbemsink_free(p);
    return S_OK;
}

/* A scalar property: the getter for its CIM type. */
static HRESULT scalar(wbuf *b, IWbemClassObject *o, const wchar_t *name, CIMTYPE base,
                      wbemq_style style, int depth)
{
    HRESULT hr;
    if (is_signed(base)) {
        LONGLONG x;
        if ((hr = wbemsink_get_int64(o, name, &x)) == S_OK) wb_put_i64(b, x);
    } else if (is_unsigned(base)) {
        ULONGLONG x;
        if ((hr = wbemsink_get_uint64(o, name, &x)) == S_OK) wb_put_u64(b, x);
    } else if (base == CIM_REAL32 || base == CIM_REAL64) {
        double d;
        if ((hr = wbemsink_get_double(o, name, &d)) == S_OK) real(b, d, base, style);
    } else if (base == CIM_BOOLEAN) {
        int v;
        if ((hr = wbemsink_get_bool(o, name, &v)) == S_OK) wb_puts(b, v ? L"true" : L"false");
    } else if (base == CIM_STRING || base == CIM_REFERENCE || base == CIM_DATETIME) {
        BSTR s;
        if ((hr = wbemsink_get_string(o, name, &s)) == S_OK) {
            if (base == CIM_DATETIME) dmtf(b, s, style);
            else text(b, s, SysStringLen(s), style);
            SysFreeString(s);
        }
    } else if (base == CIM_OBJECT) {
        IWbemClassObject *e;
        if ((hr = wbemsink_get_object(o, name, &e)) == S_OK) {
            object_at(b, e, style, depth + 1);
            IWbemClassObject_Release(e);
        }
    } else {
        hr = WBEM_E_TYPE_MISMATCH;
    }
    return hr;
}

/* 1 when the value was NULL (null_text / null appended), else 0. */
static int value_at(wbuf *b, IWbemClassObject *o, const wchar_t *name, CIMTYPE type,
                    wbemq_style style, const wchar_t *null_text, int depth)
{
    int json = style == WBEMQ_JSON;
    CIMTYPE base = type & ~CIM_FLAG_ARRAY;
    /* Nothing is appended unless the getter succeeded. */
    HRESULT hr = (type & CIM_FLAG_ARRAY) ? array(b, o, name, base, style, depth)
                                         : scalar(b, o, name, base, style, depth);
    if (hr == WBEMSINK_S_NULL || hr == (HRESULT)WBEM_E_NOT_FOUND) {
        wb_puts(b, json ? L"null" : null_text ? null_text : L"");
        return 1;
    }
    if (hr != S_OK) wb_puts(b, json ? L"null" : L"?");
    return 0;
}

/* obj's non-system properties: {Name=value, ...} or a JSON object. */
static void object_at(wbuf *b, IWbemClassObject *obj, wbemq_style style, int depth)
{
    int json = style == WBEMQ_JSON, first = 1;
    BSTR name;
    VARIANT v;
    CIMTYPE type;
    wb_putc(b, L'{');
    if (depth < MAX_DEPTH && SUCCEEDED(IWbemClassObject_BeginEnumeration(obj, WBEM_FLAG_NONSYSTEM_ONLY))) {
        /* The enumeration gives names and CIM types; the values are read
           again by the getters (the VARIANT is not looked at). */
        while (IWbemClassObject_Next(obj, 0, &name, &v, &type, NULL) == WBEM_S_NO_ERROR) {
            VariantClear(&v);
            if (!first) wb_puts(b, json ? L"," : L", ");
            first = 0;
            if (json) json_string(b, name, SysStringLen(name));
            else wb_puts(b, name);
            wb_putc(b, json ? L':' : L'=');
            value_at(b, obj, name, type, style, L"NULL", depth);
            SysFreeString(name);
        }
        IWbemClassObject_EndEnumeration(obj);
    }
    wb_putc(b, L'}');
}

int wbemq_value(wbuf *b, IWbemClassObject *obj, const wchar_t *name, wbemq_style style,
                const wchar_t *null_text)
{
    VARIANT v;
    CIMTYPE type = CIM_EMPTY;
    VariantInit(&v);
    /* The CIM type picks the getter; a property this object lacks is null. */
    if (FAILED(IWbemClassObject_Get(obj, name, 0, &v, &type, NULL))) {
        wb_puts(b, style == WBEMQ_JSON ? L"null" : null_text ? null_text : L"");
        return 1;
    }
    VariantClear(&v);
    return value_at(b, obj, name, type, style, null_text, 0);
}
