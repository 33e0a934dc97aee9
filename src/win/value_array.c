/*
 * The array getters: one walk of a SAFEARRAY into a new block of the
 * kind's C type, each element through the same conversion as a scalar.
 */
#include "value_internal.h"

#include <stdlib.h>
#include <string.h>

/* A one-dimensional SAFEARRAY, its data locked for reading. */
typedef struct array_view {
    VARIANT v;              /* owns the SAFEARRAY */
    CIMTYPE base;
    VARTYPE vt;             /* of the elements */
    const BYTE *data;
    ULONG size;             /* of one element */
    ULONG count;
} array_view;

static HRESULT open_array(IWbemClassObject *o, const wchar_t *name, ws_accept_fn accept,
                          array_view *a)
{
    SAFEARRAY *sa;
    LONG lo = 0, hi = -1;
    void *data = NULL;
    HRESULT hr = ws_value_fetch(o, name, accept, 1, &a->v, &a->base);
    a->data = NULL;
    a->count = 0;
    if (hr != S_OK)
        return hr;
    sa = V_ARRAY(&a->v);
    a->vt = V_VT(&a->v) & VT_TYPEMASK;
    if (!sa || SafeArrayGetDim(sa) != 1 || FAILED(SafeArrayGetLBound(sa, 1, &lo)) ||
        FAILED(SafeArrayGetUBound(sa, 1, &hi)) || hi < lo - 1) {
        VariantClear(&a->v);
        return WBEM_E_TYPE_MISMATCH;
    }
    a->size = SafeArrayGetElemsize(sa);
    a->count = (ULONG)(hi - lo + 1);
    if (a->count && FAILED(SafeArrayAccessData(sa, &data))) {
        VariantClear(&a->v);
        a->count = 0;
        return WBEM_E_TYPE_MISMATCH;
    }
    a->data = data;
    return S_OK;
}

static void close_array(array_view *a)
{
    if (a->data)
        SafeArrayUnaccessData(V_ARRAY(&a->v));
    a->data = NULL;
    VariantClear(&a->v);
}

/* Element i as a VARIANT that borrows it (never cleared). */
static void element(const array_view *a, ULONG i, VARIANT *e)
{
    const BYTE *p = a->data + (size_t)i * a->size;
    if (a->vt == VT_VARIANT) {
        *e = *(const VARIANT *)p;
        return;
    }
    VariantInit(e);
    V_VT(e) = a->vt;
    memcpy(&V_UI1(e), p, a->size < sizeof(V_UI8(e)) ? a->size : sizeof(V_UI8(e)));
}

HRESULT ws_value_get_array(IWbemClassObject *o, const wchar_t *name, ws_kind kind, void **out,
                           ULONG *count)
{
    const ws_value_kind *k = &ws_value_kinds[kind];
    array_view a;
    BYTE *block = NULL;
    HRESULT hr;
    ULONG i;
    if (!out || !count)
        return E_POINTER;
    *out = NULL;
    *count = 0;
    hr = open_array(o, name, k->accept, &a);
    if (hr != S_OK)
        return hr;
    if (a.count && !(block = calloc(a.count, k->size))) {
        close_array(&a);
        return E_OUTOFMEMORY;
    }
    for (i = 0; i < a.count; i++) {
        VARIANT e;
        element(&a, i, &e);
        hr = k->convert(&e, a.base, block + (size_t)i * k->size);
        if (FAILED(hr))
            break;
    }
    close_array(&a);
    if (FAILED(hr)) {   /* undo the elements converted before the failure */
        while (k->release && i-- > 0)
            k->release(block + (size_t)i * k->size);
        free(block);
        return hr;
    }
    *out = block;
    *count = i;
    return S_OK;
}

HRESULT wbemsink_get_int64_array(IWbemClassObject *o, const wchar_t *name, LONGLONG **out,
                                 ULONG *count)
{
    return ws_value_get_array(o, name, WS_KIND_INT64, (void **)out, count);
}

HRESULT wbemsink_get_uint64_array(IWbemClassObject *o, const wchar_t *name, ULONGLONG **out,
                                  ULONG *count)
{
    return ws_value_get_array(o, name, WS_KIND_UINT64, (void **)out, count);
}

HRESULT wbemsink_get_double_array(IWbemClassObject *o, const wchar_t *name, double **out,
                                  ULONG *count)
{
    return ws_value_get_array(o, name, WS_KIND_DOUBLE, (void **)out, count);
}

HRESULT wbemsink_get_bool_array(IWbemClassObject *o, const wchar_t *name, int **out, ULONG *count)
{
    return ws_value_get_array(o, name, WS_KIND_BOOL, (void **)out, count);
}

HRESULT wbemsink_get_string_array(IWbemClassObject *o, const wchar_t *name, BSTR **out,
                                  ULONG *count)
{
    return ws_value_get_array(o, name, WS_KIND_TEXT, (void **)out, count);
}

HRESULT wbemsink_get_object_array(IWbemClassObject *o, const wchar_t *name,
                                  IWbemClassObject ***out, ULONG *count)
{
    return ws_value_get_array(o, name, WS_KIND_OBJECT, (void **)out, count);
}

void wbemsink_free_strings(BSTR *strings, ULONG count)
{
    ULONG i;
    if (!strings)
        return;
    for (i = 0; i < count; i++)
        SysFreeString(strings[i]);
    free(strings);
}
