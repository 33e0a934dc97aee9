/*
 * The scalar getters: each names its kind and leaves the reading to
 * ws_value_get; the datetime getters then parse the DMTF text (dmtf.c).
 */
#include "value_internal.h"

HRESULT wbemsink_get_int64(IWbemClassObject *o, const wchar_t *name, LONGLONG *out)
{
    return ws_value_get(o, name, WS_KIND_INT64, out);
}

HRESULT wbemsink_get_uint64(IWbemClassObject *o, const wchar_t *name, ULONGLONG *out)
{
    return ws_value_get(o, name, WS_KIND_UINT64, out);
}

HRESULT wbemsink_get_int32(IWbemClassObject *o, const wchar_t *name, LONG *out)
{
    return ws_value_get(o, name, WS_KIND_INT32, out);
}

HRESULT wbemsink_get_uint32(IWbemClassObject *o, const wchar_t *name, ULONG *out)
{
    return ws_value_get(o, name, WS_KIND_UINT32, out);
}

HRESULT wbemsink_get_bool(IWbemClassObject *o, const wchar_t *name, int *out)
{
    return ws_value_get(o, name, WS_KIND_BOOL, out);
}

HRESULT wbemsink_get_double(IWbemClassObject *o, const wchar_t *name, double *out)
{
    return ws_value_get(o, name, WS_KIND_DOUBLE, out);
}

HRESULT wbemsink_get_char16(IWbemClassObject *o, const wchar_t *name, wchar_t *out)
{
    return ws_value_get(o, name, WS_KIND_CHAR16, out);
}

HRESULT wbemsink_get_string(IWbemClassObject *o, const wchar_t *name, BSTR *out)
{
    return ws_value_get(o, name, WS_KIND_TEXT, out);
}

HRESULT wbemsink_get_object(IWbemClassObject *o, const wchar_t *name, IWbemClassObject **out)
{
    return ws_value_get(o, name, WS_KIND_OBJECT, out);
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
    hr = ws_value_get(o, name, WS_KIND_DMTF, &s);
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
    hr = ws_value_get(o, name, WS_KIND_DMTF, &s);
    if (hr != S_OK)
        return hr;
    hr = wbemsink_parse_interval(s, hundred_ns);
    SysFreeString(s);
    return hr;
}
