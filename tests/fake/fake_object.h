/*
 * fake_object.h - a counting fake IWbemClassObject for the wbemsink tests.
 *
 * Every fake object lives in a process-wide registry until
 * fake_objects_reset(): reaching a reference count of 0 does NOT free it, so
 * a Release too many is detected (counted, the count stays at 0) instead of
 * corrupting the heap, and a test can check at the end that every object
 * came back to 0.
 *
 * Properties of every fake object:
 *   "Name"  VT_BSTR / CIM_STRING  the name given at creation ("" for NULL)
 *   "Index" VT_I4   / CIM_SINT32  creation sequence number, 0 for the first
 *                                 object created since the last reset
 * and any property added with fake_object_put (of any CIM type and value:
 * NULL, arrays, embedded objects). Get() matches names case-insensitively,
 * like WMI, and returns a copy of the value (embedded objects AddRef'd).
 * BeginEnumeration / Next / EndEnumeration enumerate Name then Index (unless
 * a put property of the same name replaced them), then the put properties in
 * the order they were first put (the cursor is per object and not
 * thread-safe, as in WMI). GetObjectText returns MOF-like text with the
 * creation name. When its count reaches 0 a fake object lets go of its put
 * values (Releasing embedded objects), as a real one would.
 * Put writes a property added with fake_object_put, as WMI's Put writes
 * an instance's: the VARIANT must be exactly the type WMI gives for the
 * property's CIM type (uint8 VT_UI1; sint8, sint16, char16 VT_I2; uint16,
 * sint32, uint32 VT_I4; sint64, uint64, string, datetime, reference
 * VT_BSTR; real32 VT_R4; real64 VT_R8; boolean VT_BOOL; object a non-NULL
 * VT_UNKNOWN; arrays a one-dimensional VT_ARRAY of those), or VT_NULL /
 * VT_EMPTY / a NULL VARIANT (the property becomes NULL); the type argument
 * 0 or the property's. Otherwise WBEM_E_TYPE_MISMATCH; an unknown name
 * WBEM_E_NOT_FOUND; "Name" or "Index" not put with fake_object_put
 * WBEM_E_READ_ONLY. (Real WMI converts more VARIANT types; the fake is
 * strict so that tests see what a writer sends.)
 * QueryInterface answers IUnknown and IWbemClassObject. Every other method
 * returns WBEM_E_NOT_SUPPORTED and sets its out pointers to NULL.
 *
 * All functions are thread-safe. AddRef/Release are lock-free.
 */
#ifndef WBEMSINK_FAKE_OBJECT_H
#define WBEMSINK_FAKE_OBJECT_H

#include <stddef.h>
#include <wchar.h>
#include <windows.h>
#include <wbemcli.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Creates a fake object with a reference count of 1; the caller owns that
   reference. name is copied (NULL means ""). Returns NULL only when out of
   memory. The memory stays valid until fake_objects_reset(), whatever the
   count. */
IWbemClassObject *fake_object_create(const wchar_t *name);

/* Adds a property to a fake object, or replaces the one of that name
   (case-insensitive; "Name" and "Index" may be replaced too). `type` is
   the CIMTYPE Get reports (CIM_FLAG_ARRAY for arrays); `value` is copied
   with VariantCopy (BSTRs and SAFEARRAYs duplicated, objects AddRef'd: the
   fake holds its own reference until it is replaced, the fake's count
   reaches 0, or fake_objects_reset). NULL value: the property is NULL
   (VT_NULL). Neither the type nor the VARIANT is checked against the other,
   so a test can build what WMI sends (CIM_UINT64 as VT_BSTR, CIM_UINT32 as
   VT_I4) or deliberately inconsistent objects.
   S_OK; E_POINTER for a NULL object or name; E_OUTOFMEMORY; VariantCopy's
   failure. Thread-safe. */
HRESULT fake_object_put(IWbemClassObject *o, const wchar_t *name, CIMTYPE type, const VARIANT *value);

/* Adds a method to a fake object (a class): GetMethod(name) then answers
   in_sig and out_sig, AddRef'd (either may be NULL: a method without in-
   or out-parameters); other names WBEM_E_NOT_FOUND. The object holds its
   own references until its count reaches 0 or fake_objects_reset. A name
   put twice: the first wins. SpawnInstance on any fake object gives a new
   fake of the same name with copies of the put properties (the in-
   parameters object of a signature). S_OK; E_POINTER; E_OUTOFMEMORY. */
HRESULT fake_object_put_method(IWbemClassObject *o, const wchar_t *name, IWbemClassObject *in_sig,
                               IWbemClassObject *out_sig);

/* Makes every later Put on o return hr instead of writing (S_OK: Put
   works again): a provider's refusal, for tests of what a writer does
   with Put's failure. Thread-safe. */
void fake_object_fail_put(IWbemClassObject *o, HRESULT hr);

/* on != 0: Put behaves as on Wine 8's in-parameter objects, which derive
   a CIM type from the VARIANT type and take only an exact match: uint16
   only as VT_UI2, uint32 only as VT_UI4 (WMI's VT_I4 refused), and no
   NULL (WBEM_E_TYPE_MISMATCH); the other types as above. 0: WMI's Put
   again. Thread-safe. */
void fake_object_put_like_wine(IWbemClassObject *o, int on);

/* Current reference count of a fake object (o must come from
   fake_object_create). Borrowed, no reference taken. */
LONG fake_object_refs(IWbemClassObject *o);

/* Creation sequence number of a fake object (the "Index" property).
   Borrowed, no reference taken. */
LONG fake_object_index(IWbemClassObject *o);

/* Frees every registered fake object, whatever its count, and zeroes every
   counter and the sequence number. Call it at test setup and teardown, when
   nobody (no sink, no player thread) can touch a fake object any more:
   every IWbemClassObject pointer from before the call is dangling after. */
void fake_objects_reset(void);

/* Number of registered objects whose count is > 0 (leaked or still held). */
size_t fake_objects_live(void);

/* Number of Release calls made on an object whose count was already 0. */
size_t fake_objects_over_released(void);

/* Number of AddRef calls made on an object whose count was 0 (a use of an
   object after its last Release: a bug in whoever did it). */
size_t fake_objects_resurrected(void);

/* Number of objects created since the last reset. */
size_t fake_objects_created(void);

#ifdef __cplusplus
}
#endif

#endif /* WBEMSINK_FAKE_OBJECT_H */
