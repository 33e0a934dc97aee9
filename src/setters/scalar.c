/*
 * The scalar setters: each describes its value and leaves the checks and
 * the VARIANT to wss_set (encode.c, property.c).
 */
#include "setters.h"

#include <stdlib.h>
#include <string.h>

HRESULT wbemsink_set_int64(IWbemClassObject *o, const wchar_t *name, LONGLONG value)
{
    wss_value v = wss_signed(value);
    return wss_set(o, name, &v);
}

HRESULT wbemsink_set_uint64(IWbemClassObject *o, const wchar_t *name, ULONGLONG value)
{
    wss_value v = wss_unsigned(value);
    return wss_set(o, name, &v);
}

HRESULT wbemsink_set_int32(IWbemClassObject *o, const wchar_t *name, LONG value)
{
    wss_value v = wss_signed(value);
    return wss_set(o, name, &v);
}

HRESULT wbemsink_set_uint32(IWbemClassObject *o, const wchar_t *name, ULONG value)
{
    wss_value v = wss_unsigned(value);
    return wss_set(o, name, &v);
}

HRESULT wbemsink_set_bool(IWbemClassObject *o, const wchar_t *name, int value)
{
    wss_value v;
    memset(&v, 0, sizeof(v));
    v.kind = WSS_BOOL;
    v.flag = value != 0;
    return wss_set(o, name, &v);
}

HRESULT wbemsink_set_double(IWbemClassObject *o, const wchar_t *name, double value)
{
    wss_value v;
    memset(&v, 0, sizeof(v));
    v.kind = WSS_DOUBLE;
    v.real = value;
    return wss_set(o, name, &v);
}

HRESULT wbemsink_set_char16(IWbemClassObject *o, const wchar_t *name, wchar_t value)
{
    wss_value v;
    memset(&v, 0, sizeof(v));
    v.kind = WSS_CHAR16;
    v.ch = value;
    return wss_set(o, name, &v);
}

HRESULT wbemsink_set_string(IWbemClassObject *o, const wchar_t *name, const wchar_t *value)
{
    wss_value v;
    if (!value)
        return E_POINTER;
    memset(&v, 0, sizeof(v));
    v.kind = WSS_TEXT;
    v.text = value;
    return wss_set(o, name, &v);
}

HRESULT wbemsink_set_utf8(IWbemClassObject *o, const wchar_t *name, const char *value)
{
    wchar_t *wide;
    HRESULT hr;
    if (!o || !name || !value)
        return E_POINTER;
    hr = wss_utf8_to_wide(value, &wide);
    if (FAILED(hr))
        return hr;
    hr = wbemsink_set_string(o, name, wide);
    free(wide);
    return hr;
}

HRESULT wbemsink_set_datetime(IWbemClassObject *o, const wchar_t *name, const FILETIME *utc,
                              LONG offset_minutes)
{
    wss_value v;
    if (!utc)
        return E_POINTER;
    memset(&v, 0, sizeof(v));
    v.kind = WSS_DATETIME;
    v.utc = *utc;
    v.offset = offset_minutes;
    return wss_set(o, name, &v);
}

HRESULT wbemsink_set_interval(IWbemClassObject *o, const wchar_t *name, ULONGLONG hundred_ns)
{
    wss_value v;
    memset(&v, 0, sizeof(v));
    v.kind = WSS_INTERVAL;
    v.magnitude = hundred_ns;
    return wss_set(o, name, &v);
}

HRESULT wbemsink_set_object(IWbemClassObject *o, const wchar_t *name, IWbemClassObject *value)
{
    wss_value v;
    if (!value)
        return E_POINTER;
    memset(&v, 0, sizeof(v));
    v.kind = WSS_OBJECT;
    v.object = value;
    return wss_set(o, name, &v);
}

HRESULT wbemsink_set_null(IWbemClassObject *o, const wchar_t *name)
{
    CIMTYPE type;
    VARIANT null;
    HRESULT hr = wss_lookup(o, name, -1, &type);
    if (FAILED(hr))
        return hr;
    VariantInit(&null);
    V_VT(&null) = VT_NULL;
    return wss_put(o, name, &null);
}
