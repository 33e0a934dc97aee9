/*
 * Shared by the value_*.c files (the getters of wbemsink.h, section "Typed
 * property values"); nothing here is exported from the DLL.
 *
 * A getter is a kind (which CIM types it reads, how one VARIANT becomes its
 * C type) handed to one of two readers: ws_value_get for a scalar property,
 * ws_value_get_array for an array property.
 */
#ifndef WBEMSINK_VALUE_INTERNAL_H
#define WBEMSINK_VALUE_INTERNAL_H

#ifndef COBJMACROS
#define COBJMACROS
#endif
#include "wbemsink.h"

#include <stddef.h>

/* Whether a getter reads a CIM type (given without CIM_FLAG_ARRAY). */
typedef int (*ws_accept_fn)(CIMTYPE base);

/* One value held in v (a property of CIM type base, or an array element)
   into *out, the kind's C type. Fails with WBEM_E_TYPE_MISMATCH (or
   E_OUTOFMEMORY) and leaves *out as it was when it cannot. */
typedef HRESULT (*ws_convert_fn)(const VARIANT *v, CIMTYPE base, void *out);

/* Frees one converted value (a BSTR, an object); NULL when nothing to free. */
typedef void (*ws_release_fn)(void *value);

typedef struct ws_value_kind {
    ws_accept_fn accept;
    ws_convert_fn convert;
    size_t size;              /* of the C type */
    ws_release_fn release;
} ws_value_kind;

/* The kinds, one a C type the getters hand out (value_kinds.c). */
typedef enum ws_kind {
    WS_KIND_INT64,      /* LONGLONG from any integer or CHAR16 */
    WS_KIND_UINT64,     /* ULONGLONG from any integer or CHAR16 */
    WS_KIND_INT32,      /* LONG from any integer or CHAR16 */
    WS_KIND_UINT32,     /* ULONG from any integer or CHAR16 */
    WS_KIND_BOOL,       /* int 0 or 1 from CIM_BOOLEAN */
    WS_KIND_DOUBLE,     /* double from a real or an integer */
    WS_KIND_CHAR16,     /* wchar_t from CIM_CHAR16 */
    WS_KIND_TEXT,       /* a new BSTR from a string, reference or datetime */
    WS_KIND_DMTF,       /* a new BSTR from a datetime only */
    WS_KIND_OBJECT      /* an IWbemClassObject reference from CIM_OBJECT */
} ws_kind;

extern const ws_value_kind ws_value_kinds[];

/* Get, then the checks every getter makes (value_read.c). `array` says
   whether the getter reads an array. S_OK: *v holds a non-NULL value (the
   caller clears it) and *base the CIM type without CIM_FLAG_ARRAY.
   Otherwise *v is empty. */
HRESULT ws_value_fetch(IWbemClassObject *o, const wchar_t *name, ws_accept_fn accept, int array,
                       VARIANT *v, CIMTYPE *base);

/* A scalar property as the kind's C type in *out (value_read.c): E_POINTER
   for a NULL out, else *out zeroed, then ws_value_fetch, then the kind's
   conversion. */
HRESULT ws_value_get(IWbemClassObject *o, const wchar_t *name, ws_kind kind, void *out);

/* An array property as a new block of the kind's C type (value_array.c):
   E_POINTER for a NULL out or count, else *out NULL and *count 0 unless
   S_OK; an empty array is S_OK with *out NULL. */
HRESULT ws_value_get_array(IWbemClassObject *o, const wchar_t *name, ws_kind kind, void **out,
                           ULONG *count);

#endif /* WBEMSINK_VALUE_INTERNAL_H */
