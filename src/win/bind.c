/*
 * The struct binder: wbemsink_bind fills a caller's struct from an object,
 * one getter per described field; wbemsink_unbind frees what it put there.
 * All or nothing: a failure undoes the fields already filled, so the caller
 * has nothing to free on any error path.
 */
#ifndef COBJMACROS
#define COBJMACROS
#endif
#include "wbemsink.h"

#include <string.h>

size_t wbemsink_field_size(wbemsink_field_type t)
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

/* One field's getter, into `value` (a buffer of wbemsink_field_size bytes, aligned
   for any of the types: the struct's member may not be). */
static HRESULT get_field(IWbemClassObject *o, const wbemsink_field *f, void *value)
{
    switch (f->type) {
    case WBEMSINK_FIELD_INT64: return wbemsink_get_int64(o, f->property, value);
    case WBEMSINK_FIELD_UINT64: return wbemsink_get_uint64(o, f->property, value);
    case WBEMSINK_FIELD_INT32: return wbemsink_get_int32(o, f->property, value);
    case WBEMSINK_FIELD_UINT32: return wbemsink_get_uint32(o, f->property, value);
    case WBEMSINK_FIELD_BOOL: return wbemsink_get_bool(o, f->property, value);
    case WBEMSINK_FIELD_DOUBLE: return wbemsink_get_double(o, f->property, value);
    case WBEMSINK_FIELD_CHAR16: return wbemsink_get_char16(o, f->property, value);
    case WBEMSINK_FIELD_BSTR: return wbemsink_get_string(o, f->property, value);
    case WBEMSINK_FIELD_UTF8: return wbemsink_get_utf8_alloc(o, f->property, value);
    case WBEMSINK_FIELD_DATETIME: return wbemsink_get_datetime(o, f->property, value, NULL);
    case WBEMSINK_FIELD_INTERVAL: return wbemsink_get_interval(o, f->property, value);
    case WBEMSINK_FIELD_OBJECT: return wbemsink_get_object(o, f->property, value);
    default: return E_INVALIDARG;
    }
}

/* Frees what one bound member holds and zeroes it. */
static void unbind_field(const wbemsink_field *f, void *out)
{
    char *member = (char *)out + f->offset;
    void *p = NULL;
    size_t size = wbemsink_field_size(f->type);
    if (!size)
        return;
    switch (f->type) {
    case WBEMSINK_FIELD_BSTR:
        memcpy(&p, member, sizeof(p));
        SysFreeString(p);
        break;
    case WBEMSINK_FIELD_UTF8:
        memcpy(&p, member, sizeof(p));
        wbemsink_free(p);
        break;
    case WBEMSINK_FIELD_OBJECT:
        memcpy(&p, member, sizeof(p));
        if (p)
            IWbemClassObject_Release((IWbemClassObject *)p);
        break;
    default:
        break;
    }
    memset(member, 0, size);
}

HRESULT wbemsink_bind(IWbemClassObject *o, const wbemsink_field *fields, size_t count, void *out,
                      unsigned char *present, size_t *failed_field)
{
    size_t i;
    HRESULT hr = S_OK;
    if (failed_field)
        *failed_field = count;
    if (present && count)
        memset(present, 0, count);
    if (!o || !out || (!fields && count))
        return E_POINTER;
    /* Every member zeroed first, so that a failure leaves no stale data
       and unbind may run on any of them. Unknown types fail here, before
       anything is allocated. */
    for (i = 0; i < count; i++) {
        size_t size = wbemsink_field_size(fields[i].type);
        if (!size || !fields[i].property) {
            if (failed_field)
                *failed_field = i;
            return !size ? E_INVALIDARG : E_POINTER;
        }
        memset((char *)out + fields[i].offset, 0, size);
    }
    for (i = 0; i < count; i++) {
        union {
            LONGLONG i64;
            double d;
            FILETIME ft;
            void *p;
        } value;
        memset(&value, 0, sizeof(value));
        hr = get_field(o, &fields[i], &value);
        if (hr == S_OK) {
            memcpy((char *)out + fields[i].offset, &value, wbemsink_field_size(fields[i].type));
            if (present)
                present[i] = 1;
            continue;
        }
        if ((hr == WBEMSINK_S_NULL || hr == (HRESULT)WBEM_E_NOT_FOUND) && fields[i].optional)
            continue;
        /* A NULL where a value is required is a failure, not WBEMSINK_S_NULL:
           the caller's FAILED() check must see that the struct is empty. */
        if (hr == WBEMSINK_S_NULL)
            hr = (HRESULT)WBEM_E_ILLEGAL_NULL;
        break;
    }
    if (i == count)
        return S_OK;
    if (failed_field)
        *failed_field = i;
    wbemsink_unbind(fields, i, out);
    if (present)
        memset(present, 0, count);
    return hr;
}

void wbemsink_unbind(const wbemsink_field *fields, size_t count, void *out)
{
    size_t i;
    if (!fields || !out)
        return;
    for (i = 0; i < count; i++)
        unbind_field(&fields[i], out);
}
