/*
 * The array setters: each element through the same encoding as a scalar
 * (wss_encode, so the same type and range checks), into a one-dimensional
 * SAFEARRAY of the element type WMI wants, Put once. An element that does
 * not fit fails the whole call before anything is Put.
 */
#include "setters.h"

#include <string.h>

/* Element i of the caller's values as a wss_value. */
typedef wss_value (*element_fn)(const void *values, ULONG i);

/* Where SafeArrayPutElement takes an element of an encoded VARIANT: the
   BSTR or interface pointer itself, else the address of the number. */
static void *element_data(VARIANT *e)
{
    switch (V_VT(e)) {
    case VT_BSTR: return V_BSTR(e);
    case VT_UNKNOWN: return V_UNKNOWN(e);
    default: return &V_UI1(e);
    }
}

static HRESULT set_array(IWbemClassObject *o, const wchar_t *name, const void *values, ULONG count,
                         element_fn element)
{
    CIMTYPE type, base;
    SAFEARRAY *sa;
    VARIANT array;
    HRESULT hr;
    ULONG i;
    if (!values && count)
        return E_POINTER;
    hr = wss_lookup(o, name, 1, &type);
    if (FAILED(hr))
        return hr;
    base = type & ~CIM_FLAG_ARRAY;
    if (wss_vartype(base) == VT_EMPTY)
        return WBEM_E_TYPE_MISMATCH;
    /* The element kind is checked against the type even for an empty
       array: a string array into a uint32[] is a bug whatever its length. */
    if (!count) {
        wss_value probe = element(NULL, 0);
        VARIANT e;
        hr = wss_encode(&probe, base, &e);
        VariantClear(&e);
        if (hr == (HRESULT)WBEM_E_TYPE_MISMATCH)
            return hr;
        hr = S_OK;   /* a sample's value may not fit; an empty array does */
    }
    sa = SafeArrayCreateVector(wss_vartype(base), 0, count);
    if (!sa)
        return E_OUTOFMEMORY;
    for (i = 0; i < count; i++) {
        wss_value v = element(values, i);
        VARIANT e;
        LONG at = (LONG)i;
        hr = wss_encode(&v, base, &e);
        if (FAILED(hr))
            break;
        hr = SafeArrayPutElement(sa, &at, element_data(&e));   /* copies BSTRs, AddRefs */
        VariantClear(&e);
        if (FAILED(hr))
            break;
    }
    if (FAILED(hr)) {
        SafeArrayDestroy(sa);
        return hr;
    }
    VariantInit(&array);
    V_VT(&array) = VT_ARRAY | wss_vartype(base);
    V_ARRAY(&array) = sa;
    return wss_put_typed(o, name, &array, type);
}

/* The element readers. With values NULL they give a sample of their kind
   (the empty array's type check). */
static wss_value int64_element(const void *values, ULONG i)
{
    return wss_signed(values ? ((const LONGLONG *)values)[i] : 0);
}

static wss_value uint64_element(const void *values, ULONG i)
{
    return wss_unsigned(values ? ((const ULONGLONG *)values)[i] : 0);
}

static wss_value double_element(const void *values, ULONG i)
{
    wss_value v;
    memset(&v, 0, sizeof(v));
    v.kind = WSS_DOUBLE;
    v.real = values ? ((const double *)values)[i] : 0.0;
    return v;
}

static wss_value bool_element(const void *values, ULONG i)
{
    wss_value v;
    memset(&v, 0, sizeof(v));
    v.kind = WSS_BOOL;
    v.flag = values ? ((const int *)values)[i] != 0 : 0;
    return v;
}

static wss_value string_element(const void *values, ULONG i)
{
    wss_value v;
    memset(&v, 0, sizeof(v));
    v.kind = WSS_TEXT;
    v.text = values ? ((const wchar_t *const *)values)[i] : L"";
    return v;
}

static wss_value object_element(const void *values, ULONG i)
{
    wss_value v;
    memset(&v, 0, sizeof(v));
    v.kind = WSS_OBJECT;
    v.object = values ? ((IWbemClassObject *const *)values)[i] : NULL;
    return v;
}

/* Pointer elements may not be NULL (wbemsink_set_null makes the whole
   property NULL; WMI has no NULL element). */
static int has_null_pointer(const void *const *values, ULONG count)
{
    ULONG i;
    for (i = 0; values && i < count; i++)
        if (!values[i])
            return 1;
    return 0;
}

HRESULT wbemsink_set_int64_array(IWbemClassObject *o, const wchar_t *name, const LONGLONG *values,
                                 ULONG count)
{
    return set_array(o, name, values, count, int64_element);
}

HRESULT wbemsink_set_uint64_array(IWbemClassObject *o, const wchar_t *name, const ULONGLONG *values,
                                  ULONG count)
{
    return set_array(o, name, values, count, uint64_element);
}

HRESULT wbemsink_set_double_array(IWbemClassObject *o, const wchar_t *name, const double *values,
                                  ULONG count)
{
    return set_array(o, name, values, count, double_element);
}

HRESULT wbemsink_set_bool_array(IWbemClassObject *o, const wchar_t *name, const int *values,
                                ULONG count)
{
    return set_array(o, name, values, count, bool_element);
}

HRESULT wbemsink_set_string_array(IWbemClassObject *o, const wchar_t *name,
                                  const wchar_t *const *values, ULONG count)
{
    if (has_null_pointer((const void *const *)values, count))
        return E_POINTER;
    return set_array(o, name, values, count, string_element);
}

HRESULT wbemsink_set_object_array(IWbemClassObject *o, const wchar_t *name,
                                  IWbemClassObject *const *values, ULONG count)
{
    if (has_null_pointer((const void *const *)values, count))
        return E_POINTER;
    return set_array(o, name, values, count, object_element);
}
