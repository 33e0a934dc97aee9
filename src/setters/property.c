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
        return hr;
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
    return wss_put(o, name, &encoded);
}
