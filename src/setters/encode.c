/*
 * One value as the VARIANT WMI wants for a CIM type, with the checks every
 * setter makes: whether the value's kind can be written to that type
 * (WBEM_E_TYPE_MISMATCH) and whether it fits (WBEM_E_VALUE_OUT_OF_RANGE).
 *
 * The VARIANT types are WMI's convention (the getters read the same ones
 * back): uint8 VT_UI1; sint8, sint16 and char16 VT_I2; uint16, sint32 and
 * uint32 VT_I4 (uint32's upper half as negative numbers); 64-bit integers
 * as decimal text in a VT_BSTR; real32 VT_R4; real64 VT_R8; boolean
 * VT_BOOL; string, reference and datetime VT_BSTR; object VT_UNKNOWN.
 */
#include "setters.h"

#include <float.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

wss_value wss_signed(LONGLONG x)
{
    wss_value v;
    memset(&v, 0, sizeof(v));
    v.kind = WSS_INTEGER;
    v.negative = x < 0;
    v.magnitude = x < 0 ? 0ull - (ULONGLONG)x : (ULONGLONG)x;
    return v;
}

wss_value wss_unsigned(ULONGLONG x)
{
    wss_value v;
    memset(&v, 0, sizeof(v));
    v.kind = WSS_INTEGER;
    v.magnitude = x;
    return v;
}

VARTYPE wss_vartype(CIMTYPE base)
{
    switch (base) {
    case CIM_UINT8: return VT_UI1;
    case CIM_SINT8: case CIM_SINT16: case CIM_CHAR16: return VT_I2;
    case CIM_UINT16: case CIM_SINT32: case CIM_UINT32: return VT_I4;
    case CIM_SINT64: case CIM_UINT64: return VT_BSTR;
    case CIM_REAL32: return VT_R4;
    case CIM_REAL64: return VT_R8;
    case CIM_BOOLEAN: return VT_BOOL;
    case CIM_STRING: case CIM_REFERENCE: case CIM_DATETIME: return VT_BSTR;
    case CIM_OBJECT: return VT_UNKNOWN;
    default: return VT_EMPTY;
    }
}

/* The range of an integer CIM type: the most negative magnitude allowed
   (0 for unsigned types) and the largest value. 0 for other types. */
static int integer_range(CIMTYPE base, ULONGLONG *neg_max, ULONGLONG *pos_max)
{
    switch (base) {
    case CIM_SINT8: *neg_max = 128; *pos_max = 127; return 1;
    case CIM_UINT8: *neg_max = 0; *pos_max = 255; return 1;
    case CIM_SINT16: *neg_max = 32768; *pos_max = 32767; return 1;
    case CIM_UINT16: case CIM_CHAR16: *neg_max = 0; *pos_max = 65535; return 1;
    case CIM_SINT32: *neg_max = 2147483648ull; *pos_max = 2147483647; return 1;
    case CIM_UINT32: *neg_max = 0; *pos_max = 4294967295ull; return 1;
    case CIM_SINT64: *neg_max = (ULONGLONG)LLONG_MAX + 1; *pos_max = LLONG_MAX; return 1;
    case CIM_UINT64: *neg_max = 0; *pos_max = ULLONG_MAX; return 1;
    default: return 0;
    }
}

/* A decimal number in a new BSTR. */
static HRESULT decimal_text(int negative, ULONGLONG magnitude, VARIANT *out)
{
    wchar_t digits[24];
    int at = (int)(sizeof(digits) / sizeof(digits[0])) - 1;
    digits[at] = L'\0';
    do {
        digits[--at] = (wchar_t)(L'0' + magnitude % 10);
        magnitude /= 10;
    } while (magnitude);
    if (negative)
        digits[--at] = L'-';
    V_BSTR(out) = SysAllocString(digits + at);
    if (!V_BSTR(out))
        return E_OUTOFMEMORY;
    V_VT(out) = VT_BSTR;
    return S_OK;
}

static HRESULT encode_integer(const wss_value *v, CIMTYPE base, VARIANT *out)
{
    ULONGLONG neg_max, pos_max, bits;
    if (!integer_range(base, &neg_max, &pos_max))
        return WBEM_E_TYPE_MISMATCH;
    if (v->negative ? v->magnitude > neg_max : v->magnitude > pos_max)
        return WBEM_E_VALUE_OUT_OF_RANGE;
    if (wss_vartype(base) == VT_BSTR)
        return decimal_text(v->negative && v->magnitude, v->magnitude, out);
    /* The two's complement bits, cut to the VARIANT's width below. */
    bits = v->negative ? 0ull - v->magnitude : v->magnitude;
    V_VT(out) = wss_vartype(base);
    switch (V_VT(out)) {
    case VT_UI1: V_UI1(out) = (BYTE)bits; break;
    case VT_I2: V_I2(out) = (SHORT)(USHORT)(bits & 0xFFFFu); break;
    default: V_I4(out) = (LONG)(ULONG)(bits & 0xFFFFFFFFu); break;
    }
    return S_OK;
}

static HRESULT encode_double(double d, CIMTYPE base, VARIANT *out)
{
    if (base == CIM_REAL64) {
        V_VT(out) = VT_R8;
        V_R8(out) = d;
        return S_OK;
    }
    if (base != CIM_REAL32)
        return WBEM_E_TYPE_MISMATCH;
    /* NaN and the infinities are floats too; a finite double beyond
       float's range would become one of them. */
    if (d == d && d - d == 0.0 && (d > FLT_MAX || d < -FLT_MAX))
        return WBEM_E_VALUE_OUT_OF_RANGE;
    V_VT(out) = VT_R4;
    V_R4(out) = (float)d;
    return S_OK;
}

static HRESULT text_variant(const wchar_t *s, VARIANT *out)
{
    V_BSTR(out) = SysAllocString(s);
    if (!V_BSTR(out))
        return E_OUTOFMEMORY;
    V_VT(out) = VT_BSTR;
    return S_OK;
}

static HRESULT encode_text(const wchar_t *s, CIMTYPE base, VARIANT *out)
{
    if (base == CIM_DATETIME) {   /* only what the datetime getters read back */
        FILETIME ft;
        ULONGLONG ticks;
        if (wbemsink_parse_datetime(s, &ft, NULL) != S_OK && wbemsink_parse_interval(s, &ticks) != S_OK)
            return WBEM_E_VALUE_OUT_OF_RANGE;
    } else if (base != CIM_STRING && base != CIM_REFERENCE) {
        return WBEM_E_TYPE_MISMATCH;
    }
    return text_variant(s, out);
}

HRESULT wss_encode(const wss_value *v, CIMTYPE base, VARIANT *out)
{
    wchar_t dmtf[WBEMSINK_DMTF_SIZE];
    HRESULT hr = WBEM_E_TYPE_MISMATCH;
    VariantInit(out);
    switch (v->kind) {
    case WSS_INTEGER:
        hr = encode_integer(v, base, out);
        break;
    case WSS_DOUBLE:
        hr = encode_double(v->real, base, out);
        break;
    case WSS_BOOL:
        if (base != CIM_BOOLEAN)
            break;
        V_VT(out) = VT_BOOL;
        V_BOOL(out) = v->flag ? VARIANT_TRUE : VARIANT_FALSE;
        hr = S_OK;
        break;
    case WSS_CHAR16:
        if (base != CIM_CHAR16)
            break;
        V_VT(out) = VT_I2;
        V_I2(out) = (SHORT)(USHORT)v->ch;
        hr = S_OK;
        break;
    case WSS_TEXT:
        hr = encode_text(v->text, base, out);
        break;
    case WSS_DATETIME:
    case WSS_INTERVAL:
        if (base != CIM_DATETIME)
            break;
        hr = v->kind == WSS_DATETIME
                 ? wbemsink_format_datetime(&v->utc, v->offset, dmtf, WBEMSINK_DMTF_SIZE)
                 : wbemsink_format_interval(v->magnitude, dmtf, WBEMSINK_DMTF_SIZE);
        if (hr == S_OK)
            hr = text_variant(dmtf, out);
        break;
    case WSS_OBJECT:
        if (base != CIM_OBJECT)
            break;
        if (!v->object) {
            hr = E_POINTER;
            break;
        }
        IWbemClassObject_AddRef(v->object);
        V_VT(out) = VT_UNKNOWN;
        V_UNKNOWN(out) = (IUnknown *)v->object;
        hr = S_OK;
        break;
    }
    if (FAILED(hr))
        VariantInit(out);
    return hr;
}
