/*
 * The kinds of value a getter hands out: which CIM types each reads and how
 * one VARIANT becomes its C type (the conversion shared by a scalar and the
 * elements of an array).
 *
 * The property's CIM type decides, never the VARIANT's alone: WMI sends
 * sint64/uint64 as BSTRs, uint32 and uint16 as VT_I4, sint8 as VT_I2, and
 * Wine fills only the low bytes of the elements of small-integer arrays.
 * So every integer is first read exactly from whatever VARIANT type came,
 * then cut to the width of its CIM type (where a wider VARIANT carried it)
 * or range checked (64-bit text), then checked against the C type asked.
 */
#include "value_internal.h"

#include <limits.h>

/* ---- which CIM types a getter reads ---------------------------------- */

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
static HRESULT conv_double(const VARIANT *v, CIMTYPE base, void *out)
{
    double *d = out;
    cim_int n;
    HRESULT hr;
    if (base == CIM_REAL32 || base == CIM_REAL64) {
        if (V_VT(v) == VT_R4)
            *d = V_R4(v);
        else if (V_VT(v) == VT_R8)
            *d = V_R8(v);
        else
            return WBEM_E_TYPE_MISMATCH;
        return S_OK;
    }
    hr = to_integer(v, base, &n);
    if (SUCCEEDED(hr))
        *d = to_double_int(n);
    return hr;
}

/* ---- the conversions, one a kind ------------------------------------ */

static HRESULT conv_int64(const VARIANT *v, CIMTYPE base, void *out)
{
    cim_int n;
    HRESULT hr = to_integer(v, base, &n);
    return FAILED(hr) ? hr : fit_int64(n, out);
}

static HRESULT conv_uint64(const VARIANT *v, CIMTYPE base, void *out)
{
    cim_int n;
    HRESULT hr = to_integer(v, base, &n);
    return FAILED(hr) ? hr : fit_uint64(n, out);
}

static HRESULT conv_int32(const VARIANT *v, CIMTYPE base, void *out)
{
    LONGLONG x;
    HRESULT hr = conv_int64(v, base, &x);
    if (FAILED(hr))
        return hr;
    if (x < LONG_MIN || x > LONG_MAX)
        return WBEM_E_TYPE_MISMATCH;
    *(LONG *)out = (LONG)x;
    return S_OK;
}

static HRESULT conv_uint32(const VARIANT *v, CIMTYPE base, void *out)
{
    ULONGLONG x;
    HRESULT hr = conv_uint64(v, base, &x);
    if (FAILED(hr))
        return hr;
    if (x > ULONG_MAX)
        return WBEM_E_TYPE_MISMATCH;
    *(ULONG *)out = (ULONG)x;
    return S_OK;
}

static HRESULT conv_bool(const VARIANT *v, CIMTYPE base, void *out)
{
    (void)base;
    if (V_VT(v) != VT_BOOL)
        return WBEM_E_TYPE_MISMATCH;
    *(int *)out = V_BOOL(v) != VARIANT_FALSE;
    return S_OK;
}

static HRESULT conv_char16(const VARIANT *v, CIMTYPE base, void *out)
{
    cim_int n;
    HRESULT hr = to_integer(v, base, &n);
    if (hr == S_OK)
        *(wchar_t *)out = (wchar_t)n.magnitude;   /* cut to 16 bits, unsigned */
    return hr;
}

/* A copy of the BSTR; a NULL BSTR is an empty string. */
static HRESULT conv_text(const VARIANT *v, CIMTYPE base, void *out)
{
    BSTR s;
    (void)base;
    if (V_VT(v) != VT_BSTR)
        return WBEM_E_TYPE_MISMATCH;
    s = SysAllocStringLen(V_BSTR(v), SysStringLen(V_BSTR(v)));
    if (!s)
        return E_OUTOFMEMORY;
    *(BSTR *)out = s;
    return S_OK;
}

/* An object property's value (VT_UNKNOWN or VT_DISPATCH) as a new reference. */
static HRESULT conv_object(const VARIANT *v, CIMTYPE base, void *out)
{
    IWbemClassObject **obj = out;
    IUnknown *u;
    (void)base;
    if (V_VT(v) != VT_UNKNOWN && V_VT(v) != VT_DISPATCH)
        return WBEM_E_TYPE_MISMATCH;
    u = V_UNKNOWN(v);
    if (!u) {
        *obj = NULL;
        return S_OK;
    }
    if (FAILED(IUnknown_QueryInterface(u, &IID_IWbemClassObject, (void **)obj))) {
        *obj = NULL;
        return WBEM_E_TYPE_MISMATCH;
    }
    return S_OK;
}

static void release_text(void *value)
{
    SysFreeString(*(BSTR *)value);
}

static void release_object(void *value)
{
    IWbemClassObject *obj = *(IWbemClassObject **)value;
    if (obj)
        IWbemClassObject_Release(obj);
}

const ws_value_kind ws_value_kinds[] = {
    [WS_KIND_INT64] = { is_integer_or_char16, conv_int64, sizeof(LONGLONG), NULL },
    [WS_KIND_UINT64] = { is_integer_or_char16, conv_uint64, sizeof(ULONGLONG), NULL },
    [WS_KIND_INT32] = { is_integer_or_char16, conv_int32, sizeof(LONG), NULL },
    [WS_KIND_UINT32] = { is_integer_or_char16, conv_uint32, sizeof(ULONG), NULL },
    [WS_KIND_BOOL] = { is_boolean, conv_bool, sizeof(int), NULL },
    [WS_KIND_DOUBLE] = { is_number, conv_double, sizeof(double), NULL },
    [WS_KIND_CHAR16] = { is_char16, conv_char16, sizeof(wchar_t), NULL },
    [WS_KIND_TEXT] = { is_text, conv_text, sizeof(BSTR), release_text },
    [WS_KIND_DMTF] = { is_datetime, conv_text, sizeof(BSTR), release_text },
    [WS_KIND_OBJECT] = { is_object, conv_object, sizeof(IWbemClassObject *), release_object },
};
