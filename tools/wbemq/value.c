/* One property value as text (table and CSV cells) or as JSON.

   VT_BSTR               the string; CIM_DATETIME strings as ISO 8601
                         (2024-01-31T13:05:00.123456+01:00), intervals and
                         wildcarded DMTF strings kept as they are;
                         CIM_SINT64/CIM_UINT64 (WMI sends them as strings)
                         as JSON numbers
   VT_I1..VT_UI8         the integer, cut to the width of its CIM type
   VT_R4, VT_R8          the number (JSON: null for NaN and infinities)
   VT_BOOL               true / false
   VT_NULL, VT_EMPTY     the caller's null text; JSON null
   VT_ARRAY|t            [a, b] ; JSON array
   VT_UNKNOWN (objects)  {Name=value, ...} ; nested JSON object
   anything else         VariantChangeType to a string, else "?" */
#include "wbemq.h"
#include <math.h>
#include <wchar.h>

#define MAX_DEPTH 8

static int is_digits(const wchar_t *s, int n)
{
    for (int i = 0; i < n; i++)
        if (s[i] < L'0' || s[i] > L'9') return 0;
    return 1;
}

int wbemq_dmtf_to_iso(wbuf *b, const wchar_t *s)
{
    /* yyyymmddHHMMSS.mmmmmmsUUU: 25 chars, sign '+' or '-' (':' is an
       interval), UUU the offset from UTC in minutes. */
    if (!s || wcslen(s) != 25 || !is_digits(s, 14) || s[14] != L'.' || !is_digits(s + 15, 6) ||
        (s[21] != L'+' && s[21] != L'-') || !is_digits(s + 22, 3))
        return 0;
    wb_putn(b, s, 4);
    wb_putc(b, L'-');
    wb_putn(b, s + 4, 2);
    wb_putc(b, L'-');
    wb_putn(b, s + 6, 2);
    wb_putc(b, L'T');
    wb_putn(b, s + 8, 2);
    wb_putc(b, L':');
    wb_putn(b, s + 10, 2);
    wb_putc(b, L':');
    wb_putn(b, s + 12, 2);
    if (wcsncmp(s + 15, L"000000", 6) != 0) wb_putn(b, s + 14, 7);   /* .mmmmmm */
    int minutes = (s[22] - L'0') * 100 + (s[23] - L'0') * 10 + (s[24] - L'0');
    if (minutes == 0) {
        wb_putc(b, L'Z');
    } else {
        wchar_t tz[7] = {s[21], (wchar_t)(L'0' + minutes / 600), (wchar_t)(L'0' + minutes / 60 % 10),
                         L':', (wchar_t)(L'0' + minutes % 60 / 10), (wchar_t)(L'0' + minutes % 10), 0};
        wb_puts(b, tz);
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

/* An optional '-' then 1-20 digits: a whole number JSON can carry. */
static int is_integer_text(const wchar_t *s)
{
    size_t n = wcslen(s), i = s[0] == L'-';
    if (n == i || n - i > 20) return 0;
    return is_digits(s + i, (int)(n - i));
}

static void real(wbuf *b, double d, int digits, wbemq_style style)
{
    if (isnan(d) || isinf(d)) {
        wb_puts(b, style == WBEMQ_JSON ? L"null" : (isnan(d) ? L"NaN" : d > 0 ? L"Infinity" : L"-Infinity"));
        return;
    }
    wchar_t tmp[64];
    swprintf(tmp, sizeof tmp / sizeof tmp[0], L"%.*g", digits, d);
    wb_puts(b, tmp);
}

static void value_at(wbuf *b, const VARIANT *v, CIMTYPE type, wbemq_style style,
                     const wchar_t *null_text, int depth);

/* An integer of at most 32 bits, cut to the width of its CIM type: WMI
   carries CIM_UINT16 and smaller in wider VARIANTs (VT_I4, VT_UI1), and
   Wine 8 fills only the low bytes of the elements of such arrays (a
   CIM_UINT16 array in a VT_I4 SAFEARRAY), leaving the rest as garbage. */
static void integer(wbuf *b, long long v, CIMTYPE base)
{
    switch (base) {
    case CIM_UINT8: wb_put_u64(b, (unsigned long long)v & 0xFFu); return;
    case CIM_SINT8: wb_put_i64(b, (signed char)(v & 0xFF)); return;
    case CIM_UINT16: case CIM_CHAR16: wb_put_u64(b, (unsigned long long)v & 0xFFFFu); return;
    case CIM_SINT16: wb_put_i64(b, (short)(v & 0xFFFF)); return;
    case CIM_UINT32: wb_put_u64(b, (unsigned long long)v & 0xFFFFFFFFu); return;
    default: wb_put_i64(b, v); return;
    }
}

static void object_plain(wbuf *b, IWbemClassObject *obj, int depth)
{
    BSTR name;
    VARIANT v;
    CIMTYPE type;
    int first = 1;
    wb_putc(b, L'{');
    if (depth < MAX_DEPTH && SUCCEEDED(IWbemClassObject_BeginEnumeration(obj, WBEM_FLAG_NONSYSTEM_ONLY))) {
        while (IWbemClassObject_Next(obj, 0, &name, &v, &type, NULL) == WBEM_S_NO_ERROR) {
            if (!first) wb_puts(b, L", ");
            first = 0;
            wb_puts(b, name);
            wb_putc(b, L'=');
            value_at(b, &v, type, WBEMQ_PLAIN, L"NULL", depth + 1);
            VariantClear(&v);
            SysFreeString(name);
        }
        IWbemClassObject_EndEnumeration(obj);
    }
    wb_putc(b, L'}');
}

void wbemq_object_json(wbuf *b, IWbemClassObject *obj, int depth)
{
    BSTR name;
    VARIANT v;
    CIMTYPE type;
    int first = 1;
    wb_putc(b, L'{');
    if (depth < MAX_DEPTH && SUCCEEDED(IWbemClassObject_BeginEnumeration(obj, WBEM_FLAG_NONSYSTEM_ONLY))) {
        while (IWbemClassObject_Next(obj, 0, &name, &v, &type, NULL) == WBEM_S_NO_ERROR) {
            if (!first) wb_putc(b, L',');
            first = 0;
            json_string(b, name, SysStringLen(name));
            wb_putc(b, L':');
            value_at(b, &v, type, WBEMQ_JSON, NULL, depth + 1);
            VariantClear(&v);
            SysFreeString(name);
        }
        IWbemClassObject_EndEnumeration(obj);
    }
    wb_putc(b, L'}');
}

static void array(wbuf *b, SAFEARRAY *sa, VARTYPE elem_vt, CIMTYPE type, wbemq_style style,
                  int depth)
{
    LONG lo = 0, hi = -1;
    wb_putc(b, L'[');
    if (sa && SafeArrayGetDim(sa) == 1 && SUCCEEDED(SafeArrayGetLBound(sa, 1, &lo)) &&
        SUCCEEDED(SafeArrayGetUBound(sa, 1, &hi))) {
        for (LONG i = lo; i <= hi; i++) {
            VARIANT e;
            VariantInit(&e);
            if (i > lo) wb_puts(b, style == WBEMQ_JSON ? L"," : L", ");
            /* The element lands in the VARIANT's value union (every member
               starts at the same address); BSTRs come copied and objects
               AddRef'd, so VariantClear frees them. */
            if (elem_vt == VT_VARIANT || FAILED(SafeArrayGetElement(sa, &i, &e.llVal))) {
                wb_puts(b, style == WBEMQ_JSON ? L"null" : L"?");
                continue;
            }
            V_VT(&e) = elem_vt;
            value_at(b, &e, type & ~CIM_FLAG_ARRAY, style, L"NULL", depth + 1);
            VariantClear(&e);
        }
    }
    wb_putc(b, L']');
}

static void value_at(wbuf *b, const VARIANT *v, CIMTYPE type, wbemq_style style,
                     const wchar_t *null_text, int depth)
{
    int json = style == WBEMQ_JSON;
    CIMTYPE base = type & ~CIM_FLAG_ARRAY;
    if (V_VT(v) & VT_ARRAY) {
        array(b, V_ARRAY(v), V_VT(v) & VT_TYPEMASK, type, style, depth);
        return;
    }
    switch (V_VT(v)) {
    case VT_NULL:
    case VT_EMPTY:
        wb_puts(b, json ? L"null" : null_text ? null_text : L"");
        return;
    case VT_BSTR: {
        const wchar_t *s = V_BSTR(v) ? V_BSTR(v) : L"";
        if (base == CIM_DATETIME) {
            wbuf iso = {0};
            if (wbemq_dmtf_to_iso(&iso, s) && !iso.oom) {
                if (json) json_string(b, iso.p, iso.len);
                else wb_putn(b, iso.p, iso.len);
                wb_free(&iso);
                return;
            }
            wb_free(&iso);
        }
        if (json && (base == CIM_SINT64 || base == CIM_UINT64) && is_integer_text(s))
            wb_puts(b, s);
        else if (json)
            json_string(b, s, SysStringLen(V_BSTR(v)));
        else
            wb_puts(b, s);
        return;
    }
    case VT_BOOL: wb_puts(b, V_BOOL(v) ? L"true" : L"false"); return;
    case VT_I1: integer(b, V_I1(v), base); return;
    case VT_I2: integer(b, V_I2(v), base); return;
    case VT_I4: integer(b, V_I4(v), base); return;
    case VT_INT: integer(b, V_INT(v), base); return;
    case VT_I8: wb_put_i64(b, V_I8(v)); return;
    case VT_UI1: integer(b, V_UI1(v), base); return;
    case VT_UI2: integer(b, V_UI2(v), base); return;
    case VT_UI4: integer(b, V_UI4(v), base); return;
    case VT_UINT: integer(b, V_UINT(v), base); return;
    case VT_UI8: wb_put_u64(b, V_UI8(v)); return;
    case VT_R4: real(b, V_R4(v), 9, style); return;
    case VT_R8: real(b, V_R8(v), 17, style); return;
    case VT_UNKNOWN:
    case VT_DISPATCH: {
        IWbemClassObject *obj = NULL;
        IUnknown *u = V_UNKNOWN(v);
        if (u && SUCCEEDED(IUnknown_QueryInterface(u, &IID_IWbemClassObject, (void **)&obj))) {
            if (json) wbemq_object_json(b, obj, depth);
            else object_plain(b, obj, depth);
            IWbemClassObject_Release(obj);
            return;
        }
        break;
    }
    default: break;
    }
    VARIANT s;
    VariantInit(&s);
    if (SUCCEEDED(VariantChangeType(&s, (VARIANT *)v, 0, VT_BSTR)) && V_BSTR(&s)) {
        if (json) json_string(b, V_BSTR(&s), SysStringLen(V_BSTR(&s)));
        else wb_puts(b, V_BSTR(&s));
    } else {
        wb_puts(b, json ? L"null" : L"?");
    }
    VariantClear(&s);
}

void wbemq_value(wbuf *b, const VARIANT *v, CIMTYPE type, wbemq_style style,
                 const wchar_t *null_text)
{
    value_at(b, v, type, style, null_text, 0);
}
