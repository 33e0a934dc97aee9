/*
 * Shared by the src/setters/ files (the setters of wbemsink.h, section
 * "Typed setters"); nothing here is exported. Built on the public API
 * only (wbemsink.h and COM).
 *
 * A setter describes its value (a wss_value), asks the property's CIM type
 * (wss_lookup), encodes the value as the VARIANT WMI wants for that type
 * (wss_encode: the type and range checks live there, in one place), then
 * Puts it (wss_put). wbemsink_fill runs the same steps, all the encodes
 * before any Put.
 */
#ifndef WBEMSINK_SETTERS_H
#define WBEMSINK_SETTERS_H

#ifndef COBJMACROS
#define COBJMACROS
#endif
#include "wbemsink.h"

/* What a setter takes, one value. */
typedef enum wss_kind {
    WSS_INTEGER,     /* negative, magnitude: any integer CIM type or CHAR16 */
    WSS_DOUBLE,      /* real32, real64 */
    WSS_BOOL,        /* boolean */
    WSS_CHAR16,      /* char16 */
    WSS_TEXT,        /* string, reference, datetime (checked DMTF text) */
    WSS_DATETIME,    /* datetime, from utc and offset */
    WSS_INTERVAL,    /* datetime, from ticks */
    WSS_OBJECT       /* object */
} wss_kind;

typedef struct wss_value {
    wss_kind kind;
    int negative;            /* WSS_INTEGER: value = negative ? -magnitude : magnitude */
    ULONGLONG magnitude;     /* WSS_INTEGER; WSS_INTERVAL: the ticks */
    double real;             /* WSS_DOUBLE */
    int flag;                /* WSS_BOOL */
    wchar_t ch;              /* WSS_CHAR16 */
    const wchar_t *text;     /* WSS_TEXT, borrowed */
    FILETIME utc;            /* WSS_DATETIME */
    LONG offset;             /* WSS_DATETIME */
    IWbemClassObject *object;/* WSS_OBJECT, borrowed */
} wss_value;

/* The constructors the setters use (encode.c). */
wss_value wss_signed(LONGLONG x);
wss_value wss_unsigned(ULONGLONG x);

/* The property's CIM type: E_POINTER for a NULL o or name, Get's failure
   as is (WBEM_E_NOT_FOUND), WBEM_E_TYPE_MISMATCH when it is an array and
   `array` is 0 or the reverse (array < 0: either). S_OK: *type with
   CIM_FLAG_ARRAY as Get gave it. */
HRESULT wss_lookup(IWbemClassObject *o, const wchar_t *name, int array, CIMTYPE *type);

/* v as the VARIANT WMI wants for a property (or array element) of CIM type
   base (without CIM_FLAG_ARRAY): WBEM_E_TYPE_MISMATCH when v's kind cannot
   be written to base, WBEM_E_VALUE_OUT_OF_RANGE when v does not fit,
   E_OUTOFMEMORY. S_OK: *out owns what it holds (VariantClear it);
   otherwise *out is empty. */
HRESULT wss_encode(const wss_value *v, CIMTYPE base, VARIANT *out);

/* The VARTYPE of an encoded value of CIM type base (VT_EMPTY for an
   unknown type). */
VARTYPE wss_vartype(CIMTYPE base);

/* Puts *v as the property's value, then clears *v (whatever the result).
   Put's result as is. */
HRESULT wss_put(IWbemClassObject *o, const wchar_t *name, VARIANT *v);

/* UTF-8 (terminated) as UTF-16 in a new block (free), invalid sequences
   as U+FFFD (utf8.c). */
HRESULT wss_utf8_to_wide(const char *s, wchar_t **out);

/* wss_put for a value of CIM type `type` (an array too): when Put refuses
   WMI's VARIANT type with WBEM_E_TYPE_MISMATCH and another one names the
   CIM type exactly (uint16 VT_UI2, uint32 VT_UI4, or arrays of them), Put
   is tried once more with that (Wine's in-parameter objects take only
   those). Clears *v. */
HRESULT wss_put_typed(IWbemClassObject *o, const wchar_t *name, VARIANT *v, CIMTYPE type);

/* A scalar setter whole: lookup, encode, put. */
HRESULT wss_set(IWbemClassObject *o, const wchar_t *name, const wss_value *v);

#endif /* WBEMSINK_SETTERS_H */
