/*
 * Reading one property: Get, then the checks every getter makes, in this
 * order: the arguments (E_POINTER), Get's own failure (WBEM_E_NOT_FOUND...),
 * the CIM type against the getter (WBEM_E_TYPE_MISMATCH, even for a NULL
 * value: reading a string property as an integer is a bug whatever the
 * value), NULL (WBEMSINK_S_NULL), then the value (the kind's conversion).
 */
#include "value_internal.h"

#include <string.h>

HRESULT ws_value_fetch(IWbemClassObject *o, const wchar_t *name, ws_accept_fn accept, int array,
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

HRESULT ws_value_get(IWbemClassObject *o, const wchar_t *name, ws_kind kind, void *out)
{
    const ws_value_kind *k = &ws_value_kinds[kind];
    VARIANT v;
    CIMTYPE base;
    HRESULT hr;
    if (!out)
        return E_POINTER;
    memset(out, 0, k->size);   /* the conversions leave it so on failure */
    hr = ws_value_fetch(o, name, k->accept, 0, &v, &base);
    if (hr != S_OK)
        return hr;
    hr = k->convert(&v, base, out);
    VariantClear(&v);
    return hr;
}
