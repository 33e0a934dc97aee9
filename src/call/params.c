/* wbemsink_method_params: a method's in-parameters object, by class and
   method name. */
#include "call.h"

HRESULT wbemsink_method_params(IWbemServices *services, const wchar_t *class_name,
                               const wchar_t *method, IWbemClassObject **out)
{
    if (out) *out = NULL;
    if (!services || !class_name || !method || !out) return E_POINTER;
    BSTR name = SysAllocString(class_name);
    if (!name) return E_OUTOFMEMORY;
    IWbemClassObject *cls = NULL, *in_sig = NULL;
    HRESULT hr = IWbemServices_GetObject(services, name, 0, NULL, &cls, NULL);
    SysFreeString(name);
    if (FAILED(hr)) return hr;
    if (!cls) return WBEM_E_NOT_FOUND;   /* a success without an object */
    hr = IWbemClassObject_GetMethod(cls, method, 0, &in_sig, NULL);
    IWbemClassObject_Release(cls);
    if (FAILED(hr)) {
        if (in_sig) IWbemClassObject_Release(in_sig);
        return hr;
    }
    if (!in_sig) return S_FALSE;   /* no in-parameters */
    IWbemClassObject *params = NULL;
    hr = IWbemClassObject_SpawnInstance(in_sig, 0, &params);
    IWbemClassObject_Release(in_sig);
    if (FAILED(hr)) {
        if (params) IWbemClassObject_Release(params);
        return hr;
    }
    if (!params) return E_OUTOFMEMORY;
    *out = params;
    return S_OK;
}
