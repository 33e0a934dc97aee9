/*
 * Typed property values: the getters of wbemsink.h.
 *
 * The property's CIM type decides, never the VARIANT's alone: WMI sends
 * sint64/uint64 as BSTRs, uint32 and uint16 as VT_I4, sint8 as VT_I2, and
 * Wine fills only the low bytes of the elements of small-integer arrays.
 * So every integer is first read exactly from whatever VARIANT type came,
 * then cut to the width of its CIM type (where a wider VARIANT carried it)
 * or range checked (64-bit text), then checked against the C type asked.
 *
 * Order of the checks, the same in every getter: the arguments (E_POINTER),
 * Get's own failure (WBEM_E_NOT_FOUND...), the CIM type against the getter
 * (WBEM_E_TYPE_MISMATCH, even for a NULL value: reading a string property as
 * an integer is a bug whatever the value), NULL (WBEMSINK_S_NULL), the value.
 */
#ifndef COBJMACROS
#define COBJMACROS
#endif
#include "wbemsink.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* ---- which CIM types a getter reads ---------------------------------- */

typedef int (*accept_fn)(CIMTYPE base);

static int is_integer(CIMTYPE t)
{
    switch (t) {
    case CIM_SINT8: case CIM_UINT8: case CIM_SINT16: case CIM_UINT16:
    case CIM_SINT32: case CIM_UINT32: case CIM_SINT64: case CIM_UINT64:
        return 1;
    default:
        return 0;
    }
}
static int is_integer_or_char16(CIMTYPE t) { return is_integer(t) || t == CIM_CHAR16; }
static int is_number(CIMTYPE t) { return is_integer(t) || t == CIM_REAL32 || t == CIM_REAL64; }
static int is_boolean(CIMTYPE t) { return t == CIM_BOOLEAN; }
static int is_char16(CIMTYPE t) { return t == CIM_CHAR16; }
static int is_text(CIMTYPE t) { return t == CIM_STRING || t == CIM_REFERENCE || t == CIM_DATETIME; }
static int is_datetime(CIMTYPE t) { return t == CIM_DATETIME; }
static int is_object(CIMTYPE t) { return t == CIM_OBJECT; }

/* ---- fetching -------------------------------------------------------- */

/* Get, then the checks every getter makes. `array` says whether the getter
   reads an array. S_OK: *v holds a non-NULL value (the caller clears it)
   and *base the CIM type without CIM_FLAG_ARRAY. Otherwise *v is empty. */
static HRESULT fetch(IWbemClassObject *o, const wchar_t *name, accept_fn accept, int array,
                     VARIANT *v, CIMTYPE *base)
{
    CIMTYPE type = CIM_EMPTY;
    HRESULT hr;
    VariantInit(v);
    *base = CIM_EMPTY;
    if (!o || !name)
        return E_POINTER;
    hr = IWbemClassObject_Get(o, name, 0, v, &type, NULL);
    if (FAILED(hr)) {
        VariantInit(v);      /* a failed Get promises nothing about *v */
        return hr;
    }
    if (!(type & CIM_FLAG_ARRAY) != !array || !accept(type & ~CIM_FLAG_ARRAY)) {
        VariantClear(v);
        return WBEM_E_TYPE_MISMATCH;
    }
    if (V_VT(v) == VT_NULL || V_VT(v) == VT_EMPTY ||
        ((V_VT(v) == VT_UNKNOWN || V_VT(v) == VT_DISPATCH) && !V_UNKNOWN(v))) {
        VariantClear(v);
        return WBEMSINK_S_NULL;
    }
    if (!(V_VT(v) & VT_ARRAY) != !array) {   /* the VARIANT contradicts the CIM type */
        VariantClear(v);
        return WBEM_E_TYPE_MISMATCH;
    }
    *base = type & ~CIM_FLAG_ARRAY;
    return S_OK;
}

/* ---- integers -------------------------------------------------------- */

/* An integer of any CIM width, exactly: value = negative ? -magnitude : magnitude. */
typedef struct cim_int {
    int negative;
    ULONGLONG magnitude;
} cim_int;

static cim_int from_signed(LONGLONG x)
{
    cim_int n;
    n.negative = x < 0;
    n.magnitude = x < 0 ? 0ull - (ULONGLONG)x : (ULONGLONG)x;
    return n;
}

static cim_int from_unsigned(ULONGLONG x)
{
    cim_int n;
    n.negative = 0;
    n.magnitude = x;
    return n;
}

/* Decimal text, as WMI sends 64-bit integers: an optional '-', 1 to 20
   digits, nothing else, at most 2^64 - 1 in magnitude. */
static HRESULT parse_decimal(const wchar_t *s, UINT len, cim_int *out)
{
    UINT i = 0;
    ULONGLONG m = 0;
    if (!s || len == 0)
        return WBEM_E_TYPE_MISMATCH;
    out->negative = s[0] == L'-';
    i = (UINT)out->negative;
    if (i == len)
        return WBEM_E_TYPE_MISMATCH;
    for (; i < len; i++) {
        unsigned d;
        if (s[i] < L'0' || s[i] > L'9')
            return WBEM_E_TYPE_MISMATCH;
        d = (unsigned)(s[i] - L'0');
        if (m > (~0ull - d) / 10)
            return WBEM_E_TYPE_MISMATCH;
        m = m * 10 + d;
    }
    out->magnitude = m;
    if (m == 0)
        out->negative = 0;   /* "-0" is 0 */
    return S_OK;
}

/* The two's complement of n cut to `bits` and read back as signed or not:
   what a narrow CIM integer carried in a wider VARIANT means. */
static cim_int cut(cim_int n, unsigned bits, int is_signed)
{
    ULONGLONG raw = n.negative ? 0ull - n.magnitude : n.magnitude;
    ULONGLONG mask = (1ull << bits) - 1, sign = 1ull << (bits - 1);
    raw &= mask;
    if (is_signed && (raw & sign))
        return from_signed(-(LONGLONG)((mask - raw) + 1));
    return from_unsigned(raw);
}

/* The value of an integer (or CHAR16) property held in v. */
static HRESULT to_integer(const VARIANT *v, CIMTYPE base, cim_int *out)
{
    cim_int n;
    HRESULT hr;
    switch (V_VT(v)) {
    case VT_I1: n = from_signed((signed char)V_I1(v)); break;
    case VT_I2: n = from_signed(V_I2(v)); break;
    case VT_I4: n = from_signed(V_I4(v)); break;
    case VT_INT: n = from_signed(V_INT(v)); break;
    case VT_I8: n = from_signed(V_I8(v)); break;
    case VT_UI1: n = from_unsigned(V_UI1(v)); break;
    case VT_UI2: n = from_unsigned(V_UI2(v)); break;
    case VT_UI4: n = from_unsigned(V_UI4(v)); break;
    case VT_UINT: n = from_unsigned(V_UINT(v)); break;
    case VT_UI8: n = from_unsigned(V_UI8(v)); break;
    case VT_BSTR:
        hr = parse_decimal(V_BSTR(v), SysStringLen(V_BSTR(v)), &n);
        if (FAILED(hr))
            return hr;
        break;
    default:
        return WBEM_E_TYPE_MISMATCH;
    }
    switch (base) {
    case CIM_SINT8: *out = cut(n, 8, 1); return S_OK;
    case CIM_UINT8: *out = cut(n, 8, 0); return S_OK;
    case CIM_SINT16: *out = cut(n, 16, 1); return S_OK;
    case CIM_UINT16: case CIM_CHAR16: *out = cut(n, 16, 0); return S_OK;
    case CIM_SINT32: *out = cut(n, 32, 1); return S_OK;
    case CIM_UINT32: *out = cut(n, 32, 0); return S_OK;
    case CIM_SINT64:   /* text out of the type's own range is not a value of it */
        if (n.negative ? n.magnitude > (ULONGLONG)LLONG_MAX + 1 : n.magnitude > (ULONGLONG)LLONG_MAX)
            return WBEM_E_TYPE_MISMATCH;
        break;
    case CIM_UINT64:
        if (n.negative)
            return WBEM_E_TYPE_MISMATCH;
        break;
    default:
        return WBEM_E_TYPE_MISMATCH;
    }
    *out = n;
    return S_OK;
}

/* n into the C type, or WBEM_E_TYPE_MISMATCH when it does not fit. */
static HRESULT fit_int64(cim_int n, LONGLONG *out)
{
    if (n.negative ? n.magnitude > (ULONGLONG)LLONG_MAX + 1 : n.magnitude > (ULONGLONG)LLONG_MAX)
        return WBEM_E_TYPE_MISMATCH;
    *out = n.negative ? (LONGLONG)(0ull - n.magnitude) : (LONGLONG)n.magnitude;
    return S_OK;
}

static HRESULT fit_uint64(cim_int n, ULONGLONG *out)
{
    if (n.negative)
        return WBEM_E_TYPE_MISMATCH;
    *out = n.magnitude;
    return S_OK;
}

static double to_double_int(cim_int n)
{
    double d = (double)n.magnitude;
    return n.negative ? -d : d;
}

/* A real (or integer) property held in v as a double. */
static HRESULT to_double(const VARIANT *v, CIMTYPE base, double *out)
{
    cim_int n;
    HRESULT hr;
    if (base == CIM_REAL32 || base == CIM_REAL64) {
        if (V_VT(v) == VT_R4)
            *out = V_R4(v);
        else if (V_VT(v) == VT_R8)
            *out = V_R8(v);
        else
            return WBEM_E_TYPE_MISMATCH;
        return S_OK;
    }
    hr = to_integer(v, base, &n);
    if (SUCCEEDED(hr))
        *out = to_double_int(n);
    return hr;
}

static HRESULT to_bool(const VARIANT *v, int *out)
{
    if (V_VT(v) != VT_BOOL)
        return WBEM_E_TYPE_MISMATCH;
    *out = V_BOOL(v) != VARIANT_FALSE;
    return S_OK;
}

/* An object property's value (VT_UNKNOWN or VT_DISPATCH) as a new reference. */
static HRESULT to_object(const VARIANT *v, IWbemClassObject **out)
{
    IUnknown *u;
    if (V_VT(v) != VT_UNKNOWN && V_VT(v) != VT_DISPATCH)
        return WBEM_E_TYPE_MISMATCH;
    u = V_UNKNOWN(v);
    if (!u) {
        *out = NULL;
        return S_OK;
    }
    if (FAILED(IUnknown_QueryInterface(u, &IID_IWbemClassObject, (void **)out))) {
        *out = NULL;
        return WBEM_E_TYPE_MISMATCH;
    }
    return S_OK;
}

/* ---- scalar getters -------------------------------------------------- */

static HRESULT get_integer(IWbemClassObject *o, const wchar_t *name, cim_int *n)
{
    VARIANT v;
    CIMTYPE base;
    HRESULT hr = fetch(o, name, is_integer_or_char16, 0, &v, &base);
    if (hr != S_OK)
        return hr;
    hr = to_integer(&v, base, n);
    VariantClear(&v);
    return hr;
}

HRESULT wbemsink_get_int64(IWbemClassObject *o, const wchar_t *name, LONGLONG *out)
{
    cim_int n;
    HRESULT hr;
    if (!out)
        return E_POINTER;
    *out = 0;
    hr = get_integer(o, name, &n);
    return hr == S_OK ? fit_int64(n, out) : hr;
}

HRESULT wbemsink_get_uint64(IWbemClassObject *o, const wchar_t *name, ULONGLONG *out)
{
    cim_int n;
    HRESULT hr;
    if (!out)
        return E_POINTER;
    *out = 0;
    hr = get_integer(o, name, &n);
    return hr == S_OK ? fit_uint64(n, out) : hr;
}

HRESULT wbemsink_get_int32(IWbemClassObject *o, const wchar_t *name, LONG *out)
{
    LONGLONG x = 0;
    HRESULT hr;
    if (!out)
        return E_POINTER;
    *out = 0;
    hr = wbemsink_get_int64(o, name, &x);
    if (hr != S_OK)
        return hr;
    if (x < LONG_MIN || x > LONG_MAX)
        return WBEM_E_TYPE_MISMATCH;
    *out = (LONG)x;
    return S_OK;
}

HRESULT wbemsink_get_uint32(IWbemClassObject *o, const wchar_t *name, ULONG *out)
{
    ULONGLONG x = 0;
    HRESULT hr;
    if (!out)
        return E_POINTER;
    *out = 0;
    hr = wbemsink_get_uint64(o, name, &x);
    if (hr != S_OK)
        return hr;
    if (x > ULONG_MAX)
        return WBEM_E_TYPE_MISMATCH;
    *out = (ULONG)x;
    return S_OK;
}

HRESULT wbemsink_get_bool(IWbemClassObject *o, const wchar_t *name, int *out)
{
    VARIANT v;
    CIMTYPE base;
    HRESULT hr;
    if (!out)
        return E_POINTER;
    *out = 0;
    hr = fetch(o, name, is_boolean, 0, &v, &base);
    if (hr != S_OK)
        return hr;
    hr = to_bool(&v, out);
    VariantClear(&v);
    return hr;
}

HRESULT wbemsink_get_double(IWbemClassObject *o, const wchar_t *name, double *out)
{
    VARIANT v;
    CIMTYPE base;
    HRESULT hr;
    if (!out)
        return E_POINTER;
    *out = 0;
    hr = fetch(o, name, is_number, 0, &v, &base);
    if (hr != S_OK)
        return hr;
    hr = to_double(&v, base, out);
    VariantClear(&v);
    if (FAILED(hr))
        *out = 0;
    return hr;
}

HRESULT wbemsink_get_char16(IWbemClassObject *o, const wchar_t *name, wchar_t *out)
{
    VARIANT v;
    CIMTYPE base;
    cim_int n;
    HRESULT hr;
    if (!out)
        return E_POINTER;
    *out = 0;
    hr = fetch(o, name, is_char16, 0, &v, &base);
    if (hr != S_OK)
        return hr;
    hr = to_integer(&v, base, &n);
    VariantClear(&v);
    if (hr == S_OK)
        *out = (wchar_t)n.magnitude;   /* cut to 16 bits, unsigned */
    return hr;
}

/* A text property's BSTR, taken out of the VARIANT (no copy). */
static HRESULT get_text(IWbemClassObject *o, const wchar_t *name, accept_fn accept, BSTR *out)
{
    VARIANT v;
    CIMTYPE base;
    HRESULT hr = fetch(o, name, accept, 0, &v, &base);
    *out = NULL;
    if (hr != S_OK)
        return hr;
    if (V_VT(&v) != VT_BSTR) {
        VariantClear(&v);
        return WBEM_E_TYPE_MISMATCH;
    }
    *out = V_BSTR(&v);
    if (!*out && !(*out = SysAllocStringLen(NULL, 0)))
        return E_OUTOFMEMORY;   /* a NULL BSTR is an empty string */
    return S_OK;
}

HRESULT wbemsink_get_string(IWbemClassObject *o, const wchar_t *name, BSTR *out)
{
    if (!out)
        return E_POINTER;
    return get_text(o, name, is_text, out);
}

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

HRESULT wbemsink_get_utf8(IWbemClassObject *o, const wchar_t *name, char *buf, size_t size,
                          size_t *needed)
{
    BSTR s;
    char *u;
    size_t n, keep;
    HRESULT hr;
    if (needed)
        *needed = 0;
    if (!buf && size)
        return E_POINTER;
    if (size)
        buf[0] = '\0';
    hr = get_text(o, name, is_text, &s);
    if (hr != S_OK)
        return hr;
    hr = to_utf8(s, SysStringLen(s), &u, &n);
    SysFreeString(s);
    if (FAILED(hr))
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
    BSTR s;
    size_t n;
    HRESULT hr;
    if (!out)
        return E_POINTER;
    *out = NULL;
    hr = get_text(o, name, is_text, &s);
    if (hr != S_OK)
        return hr;
    hr = to_utf8(s, SysStringLen(s), out, &n);
    SysFreeString(s);
    return hr;
}

void wbemsink_free(void *p)
{
    free(p);
}

HRESULT wbemsink_get_datetime(IWbemClassObject *o, const wchar_t *name, FILETIME *utc,
                              LONG *offset_minutes)
{
    BSTR s;
    HRESULT hr;
    if (offset_minutes)
        *offset_minutes = 0;
    if (!utc)
        return E_POINTER;
    utc->dwLowDateTime = utc->dwHighDateTime = 0;
    hr = get_text(o, name, is_datetime, &s);
    if (hr != S_OK)
        return hr;
    hr = wbemsink_parse_datetime(s, utc, offset_minutes);
    SysFreeString(s);
    return hr;
}

HRESULT wbemsink_get_interval(IWbemClassObject *o, const wchar_t *name, ULONGLONG *hundred_ns)
{
    BSTR s;
    HRESULT hr;
    if (!hundred_ns)
        return E_POINTER;
    *hundred_ns = 0;
    hr = get_text(o, name, is_datetime, &s);
    if (hr != S_OK)
        return hr;
    hr = wbemsink_parse_interval(s, hundred_ns);
    SysFreeString(s);
    return hr;
}

HRESULT wbemsink_get_object(IWbemClassObject *o, const wchar_t *name, IWbemClassObject **out)
{
    VARIANT v;
    CIMTYPE base;
    HRESULT hr;
    if (!out)
        return E_POINTER;
    *out = NULL;
    hr = fetch(o, name, is_object, 0, &v, &base);
    if (hr != S_OK)
        return hr;
    hr = to_object(&v, out);
    VariantClear(&v);
    return hr;
}

/* ---- arrays ---------------------------------------------------------- */

/* A one-dimensional SAFEARRAY, its data locked for reading. */
typedef struct array_view {
    VARIANT v;              /* owns the SAFEARRAY */
    CIMTYPE base;
    VARTYPE vt;             /* of the elements */
    const BYTE *data;
    ULONG size;             /* of one element */
    ULONG count;
} array_view;

static HRESULT open_array(IWbemClassObject *o, const wchar_t *name, accept_fn accept,
                          array_view *a)
{
    SAFEARRAY *sa;
    LONG lo = 0, hi = -1;
    void *data = NULL;
    HRESULT hr = fetch(o, name, accept, 1, &a->v, &a->base);
    a->data = NULL;
    a->count = 0;
    if (hr != S_OK)
        return hr;
    sa = V_ARRAY(&a->v);
    a->vt = V_VT(&a->v) & VT_TYPEMASK;
    if (!sa || SafeArrayGetDim(sa) != 1 || FAILED(SafeArrayGetLBound(sa, 1, &lo)) ||
        FAILED(SafeArrayGetUBound(sa, 1, &hi)) || hi < lo - 1) {
        VariantClear(&a->v);
        return WBEM_E_TYPE_MISMATCH;
    }
    a->size = SafeArrayGetElemsize(sa);
    a->count = (ULONG)(hi - lo + 1);
    if (a->count && FAILED(SafeArrayAccessData(sa, &data))) {
        VariantClear(&a->v);
        a->count = 0;
        return WBEM_E_TYPE_MISMATCH;
    }
    a->data = data;
    return S_OK;
}

static void close_array(array_view *a)
{
    if (a->data)
        SafeArrayUnaccessData(V_ARRAY(&a->v));
    a->data = NULL;
    VariantClear(&a->v);
}

/* Element i as a VARIANT that borrows it (never cleared). */
static void element(const array_view *a, ULONG i, VARIANT *e)
{
    const BYTE *p = a->data + (size_t)i * a->size;
    if (a->vt == VT_VARIANT) {
        *e = *(const VARIANT *)p;
        return;
    }
    VariantInit(e);
    V_VT(e) = a->vt;
    memcpy(&V_UI1(e), p, a->size < sizeof(V_UI8(e)) ? a->size : sizeof(V_UI8(e)));
}

/* Opens the array and allocates count elements of elem_size for *out
   (NULL for an empty array). S_OK leaves the view open. */
static HRESULT begin_array(IWbemClassObject *o, const wchar_t *name, accept_fn accept,
                           size_t elem_size, array_view *a, void **out)
{
    HRESULT hr = open_array(o, name, accept, a);
    *out = NULL;
    if (hr != S_OK)
        return hr;
    if (a->count) {
        *out = calloc(a->count, elem_size);
        if (!*out) {
            close_array(a);
            return E_OUTOFMEMORY;
        }
    }
    return S_OK;
}

/* Integer arrays, signed or not: one loop, the fit decides. */
static HRESULT integer_array(IWbemClassObject *o, const wchar_t *name, int is_signed,
                             void **out, ULONG *count)
{
    array_view a;
    void *block;
    HRESULT hr;
    ULONG i;
    if (!out || !count)
        return E_POINTER;
    *out = NULL;
    *count = 0;
    hr = begin_array(o, name, is_integer_or_char16, sizeof(ULONGLONG), &a, &block);
    if (hr != S_OK)
        return hr;
    for (i = 0; i < a.count && SUCCEEDED(hr); i++) {
        VARIANT e;
        cim_int n;
        element(&a, i, &e);
        hr = to_integer(&e, a.base, &n);
        if (SUCCEEDED(hr))
            hr = is_signed ? fit_int64(n, (LONGLONG *)block + i) : fit_uint64(n, (ULONGLONG *)block + i);
    }
    close_array(&a);
    if (FAILED(hr)) {
        free(block);
        return hr;
    }
    *out = block;
    *count = i;
    return S_OK;
}

HRESULT wbemsink_get_int64_array(IWbemClassObject *o, const wchar_t *name, LONGLONG **out,
                                 ULONG *count)
{
    return integer_array(o, name, 1, (void **)out, count);
}

HRESULT wbemsink_get_uint64_array(IWbemClassObject *o, const wchar_t *name, ULONGLONG **out,
                                  ULONG *count)
{
    return integer_array(o, name, 0, (void **)out, count);
}

HRESULT wbemsink_get_double_array(IWbemClassObject *o, const wchar_t *name, double **out,
                                  ULONG *count)
{
    array_view a;
    double *block;
    HRESULT hr;
    ULONG i;
    if (!out || !count)
        return E_POINTER;
    *out = NULL;
    *count = 0;
    hr = begin_array(o, name, is_number, sizeof(double), &a, (void **)&block);
    if (hr != S_OK)
        return hr;
    for (i = 0; i < a.count && SUCCEEDED(hr); i++) {
        VARIANT e;
        element(&a, i, &e);
        hr = to_double(&e, a.base, &block[i]);
    }
    close_array(&a);
    if (FAILED(hr)) {
        free(block);
        return hr;
    }
    *out = block;
    *count = i;
    return S_OK;
}

HRESULT wbemsink_get_bool_array(IWbemClassObject *o, const wchar_t *name, int **out, ULONG *count)
{
    array_view a;
    int *block;
    HRESULT hr;
    ULONG i;
    if (!out || !count)
        return E_POINTER;
    *out = NULL;
    *count = 0;
    hr = begin_array(o, name, is_boolean, sizeof(int), &a, (void **)&block);
    if (hr != S_OK)
        return hr;
    for (i = 0; i < a.count && SUCCEEDED(hr); i++) {
        VARIANT e;
        element(&a, i, &e);
        hr = to_bool(&e, &block[i]);
    }
    close_array(&a);
    if (FAILED(hr)) {
        free(block);
        return hr;
    }
    *out = block;
    *count = i;
    return S_OK;
}

void wbemsink_free_strings(BSTR *strings, ULONG count)
{
    ULONG i;
    if (!strings)
        return;
    for (i = 0; i < count; i++)
        SysFreeString(strings[i]);
    free(strings);
}

HRESULT wbemsink_get_string_array(IWbemClassObject *o, const wchar_t *name, BSTR **out,
                                  ULONG *count)
{
    array_view a;
    BSTR *block;
    HRESULT hr;
    ULONG i;
    if (!out || !count)
        return E_POINTER;
    *out = NULL;
    *count = 0;
    hr = begin_array(o, name, is_text, sizeof(BSTR), &a, (void **)&block);
    if (hr != S_OK)
        return hr;
    for (i = 0; i < a.count; i++) {
        VARIANT e;
        element(&a, i, &e);
        if (V_VT(&e) != VT_BSTR) {
            hr = WBEM_E_TYPE_MISMATCH;
            break;
        }
        block[i] = SysAllocStringLen(V_BSTR(&e), SysStringLen(V_BSTR(&e)));
        if (!block[i]) {
            hr = E_OUTOFMEMORY;
            break;
        }
    }
    close_array(&a);
    if (FAILED(hr)) {
        wbemsink_free_strings(block, i);
        return hr;
    }
    *out = block;
    *count = i;
    return S_OK;
}

HRESULT wbemsink_get_object_array(IWbemClassObject *o, const wchar_t *name,
                                  IWbemClassObject ***out, ULONG *count)
{
    array_view a;
    IWbemClassObject **block;
    HRESULT hr;
    ULONG i;
    if (!out || !count)
        return E_POINTER;
    *out = NULL;
    *count = 0;
    hr = begin_array(o, name, is_object, sizeof(IWbemClassObject *), &a, (void **)&block);
    if (hr != S_OK)
        return hr;
    for (i = 0; i < a.count && SUCCEEDED(hr); i++) {
        VARIANT e;
        element(&a, i, &e);
        hr = to_object(&e, &block[i]);
    }
    close_array(&a);
    if (FAILED(hr)) {
        ULONG j;
        for (j = 0; j < i; j++)
            if (block[j])
                IWbemClassObject_Release(block[j]);
        free(block);
        return hr;
    }
    *out = block;
    *count = i;
    return S_OK;
}
