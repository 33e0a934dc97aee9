/*
 * wbemsink_fill: the binder the other way, a C struct's fields written to
 * an object with the setters' encoding. Every field is looked up and
 * encoded before the first Put, so a missing property, a type mismatch or
 * a value out of range writes nothing; only Put's own failure can leave
 * the fields before it written.
 */
#include "setters.h"

#include <stdlib.h>
#include <string.h>

/* Bytes of the member a field type describes; 0 for an unknown type. */
static size_t member_size(wbemsink_field_type t)
{
    switch (t) {
    case WBEMSINK_FIELD_INT64: return sizeof(LONGLONG);
    case WBEMSINK_FIELD_UINT64: return sizeof(ULONGLONG);
    case WBEMSINK_FIELD_INT32: return sizeof(LONG);
    case WBEMSINK_FIELD_UINT32: return sizeof(ULONG);
    case WBEMSINK_FIELD_BOOL: return sizeof(int);
    case WBEMSINK_FIELD_DOUBLE: return sizeof(double);
    case WBEMSINK_FIELD_CHAR16: return sizeof(wchar_t);
    case WBEMSINK_FIELD_BSTR: return sizeof(BSTR);
    case WBEMSINK_FIELD_UTF8: return sizeof(char *);
    case WBEMSINK_FIELD_DATETIME: return sizeof(FILETIME);
    case WBEMSINK_FIELD_INTERVAL: return sizeof(ULONGLONG);
    case WBEMSINK_FIELD_OBJECT: return sizeof(IWbemClassObject *);
    default: return 0;
    }
}

/* The member as the value a setter would take. *wide receives a block to
   free for a UTF-8 field. *is_null: a NULL pointer member (its property is
   written NULL). */
static HRESULT field_value(const wbemsink_field *f, const void *in, wss_value *v, wchar_t **wide,
                           int *is_null)
{
    union {
        LONGLONG i64;
        ULONGLONG u64;
        LONG i32;
        ULONG u32;
        int flag;
        double real;
        wchar_t ch;
        FILETIME ft;
        void *p;
    } m;
    memset(&m, 0, sizeof(m));
    memcpy(&m, (const char *)in + f->offset, member_size(f->type));   /* members may be unaligned */
    memset(v, 0, sizeof(*v));
    *wide = NULL;
    *is_null = 0;
    switch (f->type) {
    case WBEMSINK_FIELD_INT64: *v = wss_signed(m.i64); break;
    case WBEMSINK_FIELD_UINT64: *v = wss_unsigned(m.u64); break;
    case WBEMSINK_FIELD_INT32: *v = wss_signed(m.i32); break;
    case WBEMSINK_FIELD_UINT32: *v = wss_unsigned(m.u32); break;
    case WBEMSINK_FIELD_BOOL: v->kind = WSS_BOOL; v->flag = m.flag != 0; break;
    case WBEMSINK_FIELD_DOUBLE: v->kind = WSS_DOUBLE; v->real = m.real; break;
    case WBEMSINK_FIELD_CHAR16: v->kind = WSS_CHAR16; v->ch = m.ch; break;
    case WBEMSINK_FIELD_BSTR:
        v->kind = WSS_TEXT;
        v->text = m.p ? (const wchar_t *)m.p : L"";
        *is_null = !m.p;
        break;
    case WBEMSINK_FIELD_UTF8:
        v->kind = WSS_TEXT;
        v->text = L"";
        *is_null = !m.p;
        if (m.p) {
            HRESULT hr = wss_utf8_to_wide((const char *)m.p, wide);
            if (FAILED(hr))
                return hr;
            v->text = *wide;
        }
        break;
    case WBEMSINK_FIELD_DATETIME: v->kind = WSS_DATETIME; v->utc = m.ft; break;
    case WBEMSINK_FIELD_INTERVAL: v->kind = WSS_INTERVAL; v->magnitude = m.u64; break;
    case WBEMSINK_FIELD_OBJECT:
        v->kind = WSS_OBJECT;
        v->object = (IWbemClassObject *)m.p;
        *is_null = !m.p;
        break;
    default:
        return E_INVALIDARG;
    }
    return S_OK;
}

/* Field f's VARIANT for o: VT_EMPTY (and S_OK) when it is to be skipped. */
static HRESULT encode_field(IWbemClassObject *o, const wbemsink_field *f, const void *in,
                            VARIANT *out, CIMTYPE *cim)
{
    CIMTYPE type;
    wss_value v;
    wchar_t *wide;
    int is_null;
    HRESULT hr;
    VariantInit(out);
    hr = wss_lookup(o, f->property, 0, &type);
    if (hr == (HRESULT)WBEM_E_NOT_FOUND && f->optional)
        return S_OK;
    if (FAILED(hr))
        return hr;
    *cim = type;
    hr = field_value(f, in, &v, &wide, &is_null);
    if (FAILED(hr))
        return hr;
    if (is_null) {
        /* Still the setter's kind check: a NULL string member for an
           integer property is a wrong description, not a NULL. */
        VARIANT probe;
        if (v.kind == WSS_OBJECT)
            hr = type == CIM_OBJECT ? S_OK : WBEM_E_TYPE_MISMATCH;
        else
            hr = wss_encode(&v, type, &probe);
        if (SUCCEEDED(hr))
            VariantClear(&probe);
        if (hr == (HRESULT)WBEM_E_TYPE_MISMATCH)
            return hr;
        V_VT(out) = VT_NULL;
        return S_OK;
    }
    hr = wss_encode(&v, type, out);
    free(wide);
    return hr;
}

HRESULT wbemsink_fill(IWbemClassObject *o, const wbemsink_field *fields, size_t count,
                      const void *in, const unsigned char *present, size_t *failed_field)
{
    VARIANT *values;
    CIMTYPE *types;
    size_t i, failed = count;
    HRESULT hr = S_OK;
    if (failed_field)
        *failed_field = count;
    if (!o || !in || (!fields && count))
        return E_POINTER;
    for (i = 0; i < count; i++) {   /* the description first: nothing read if wrong */
        if (!member_size(fields[i].type) || !fields[i].property) {
            if (failed_field)
                *failed_field = i;
            return !member_size(fields[i].type) ? E_INVALIDARG : E_POINTER;
        }
    }
    if (!count)
        return S_OK;
    values = calloc(count, sizeof(*values));
    types = calloc(count, sizeof(*types));
    if (!values || !types) {
        free(values);
        free(types);
        return E_OUTOFMEMORY;
    }
    for (i = 0; i < count; i++) {
        VariantInit(&values[i]);
        if (present && !present[i])
            continue;
        hr = encode_field(o, &fields[i], in, &values[i], &types[i]);
        if (FAILED(hr)) {
            failed = i;
            break;
        }
    }
    for (i = 0; SUCCEEDED(hr) && i < count; i++) {
        if (V_VT(&values[i]) == VT_EMPTY)
            continue;
        hr = wss_put_typed(o, fields[i].property, &values[i], types[i]);
        if (FAILED(hr))
            failed = i;
    }
    for (i = 0; i < count; i++)   /* what was not Put (wss_put cleared the rest) */
        VariantClear(&values[i]);
    free(values);
    free(types);
    if (failed_field)
        *failed_field = failed;
    return hr;
}
