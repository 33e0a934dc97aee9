/*
 * The two calls into the object every setter makes: Get for the property's
 * CIM type (it decides the VARIANT), then Put.
 */
#include "setters.h"

HRESULT wss_lookup(IWbemClassObject *o, const wchar_t *name, int array, CIMTYPE *type)
{
    VARIANT current;
    HRESULT hr;
    *type = CIM_EMPTY;
    if (!o || !name)
        return E_POINTER;
    /* The value comes along (WMI gives no type without a Get); it is not
       needed. */
    VariantInit(&current);
    hr = IWbemClassObject_Get(o, name, 0, &current, type, NULL);
    if (FAILED(hr)) {
        *type = CIM_EMPTY;
        /* Wine 8's in-parameter objects answer a name they lack with their
           column lookup's WBEM_E_INVALID_QUERY: no such property, all the
           same (Get runs no query). */
        return hr == (HRESULT)WBEM_E_INVALID_QUERY ? (HRESULT)WBEM_E_NOT_FOUND : hr;
    }
    VariantClear(&current);
    if (array >= 0 && !(*type & CIM_FLAG_ARRAY) != !array)
        return WBEM_E_TYPE_MISMATCH;
    return S_OK;
}

HRESULT wss_put(IWbemClassObject *o, const wchar_t *name, VARIANT *v)
{
    /* Type 0: an instance's properties have theirs already (WMI takes 0
       or the same type; 0 is what every client passes). */
    HRESULT hr = IWbemClassObject_Put(o, name, 0, v, 0);
    VariantClear(v);
    return hr;
}

/* The VARIANT type that names CIM type `type` exactly where it differs
   from WMI's own convention (VT_EMPTY elsewhere). Wine 8's in-parameter
   objects derive a CIM type from the VARIANT type and take only an exact
   match: a uint32 in WMI's VT_I4 reads to them as a sint32. */
static VARTYPE exact_vartype(CIMTYPE type)
{
    switch (type) {
    case CIM_UINT16: return VT_UI2;
    case CIM_UINT32: return VT_UI4;
    default: return VT_EMPTY;
    }
}

/* *v (VT_I4, or an array of them) again in the exact type: values that
   were range checked for the CIM type, so they fit. */
static HRESULT to_exact(VARIANT *v, VARTYPE exact)
{
    SAFEARRAY *from, *to;
    LONG *src;
    BYTE *dst;
    ULONG n, i;
    if (V_VT(v) == VT_I4) {
        ULONG bits = (ULONG)V_I4(v);
        if (exact == VT_UI2)
            V_UI2(v) = (USHORT)bits;
        else
            V_UI4(v) = bits;
        V_VT(v) = exact;
        return S_OK;
    }
    from = V_ARRAY(v);   /* a vector from SafeArrayCreateVector (array.c) */
    n = from->rgsabound[0].cElements;
    to = SafeArrayCreateVector(exact, 0, n);
    if (!to)
        return E_OUTOFMEMORY;
    if (n) {
        if (FAILED(SafeArrayAccessData(from, (void **)&src))) {
            SafeArrayDestroy(to);
            return E_FAIL;
        }
        if (FAILED(SafeArrayAccessData(to, (void **)&dst))) {
            SafeArrayUnaccessData(from);
            SafeArrayDestroy(to);
            return E_FAIL;
        }
        for (i = 0; i < n; i++) {
            if (exact == VT_UI2)
                ((USHORT *)dst)[i] = (USHORT)(ULONG)src[i];
            else
                ((ULONG *)dst)[i] = (ULONG)src[i];
        }
        SafeArrayUnaccessData(to);
        SafeArrayUnaccessData(from);
    }
    SafeArrayDestroy(from);
    V_ARRAY(v) = to;
    V_VT(v) = VT_ARRAY | exact;
    return S_OK;
}

HRESULT wss_put_typed(IWbemClassObject *o, const wchar_t *name, VARIANT *v, CIMTYPE type)
{
    VARTYPE exact = exact_vartype(type & ~CIM_FLAG_ARRAY);
    HRESULT hr = IWbemClassObject_Put(o, name, 0, v, 0);
    if (hr == (HRESULT)WBEM_E_TYPE_MISMATCH && exact != VT_EMPTY &&
        (V_VT(v) & ~VT_ARRAY) == VT_I4 && SUCCEEDED(to_exact(v, exact)))
        hr = IWbemClassObject_Put(o, name, 0, v, 0);   /* once more, in the exact type */
    VariantClear(v);
    return hr;
}

HRESULT wss_set(IWbemClassObject *o, const wchar_t *name, const wss_value *v)
{
    CIMTYPE type;
    VARIANT encoded;
    HRESULT hr = wss_lookup(o, name, 0, &type);
    if (FAILED(hr))
        return hr;
    hr = wss_encode(v, type, &encoded);
    if (FAILED(hr))
        return hr;
    return wss_put_typed(o, name, &encoded, type);
}
