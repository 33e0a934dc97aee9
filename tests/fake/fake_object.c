/*
 * fake_object.c - a counting fake IWbemClassObject (see fake_object.h).
 *
 * COM in C the Wine way: the interface is the first member of the
 * implementation struct, impl_from_IWbemClassObject() gets back to it, the
 * vtable is a static const table.
 */
#ifndef CONST_VTABLE
#define CONST_VTABLE   /* const vtables in the interface structs */
#endif
#include "fake_object.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A property added with fake_object_put. */
struct fake_prop {
    WCHAR *name;
    CIMTYPE type;
    VARIANT value;           /* owned: VariantClear'd when replaced or let go */
};

/* A method added with fake_object_put_method. */
struct fake_method {
    WCHAR *name;
    IWbemClassObject *in_sig, *out_sig;   /* references, or NULL */
};

struct fake_object {
    IWbemClassObject IWbemClassObject_iface;
    LONG refs;
    LONG index;
    LONG enum_pos;           /* -1: no enumeration in progress */
    HRESULT put_result;      /* fake_object_fail_put: what Put answers instead */
    LONG put_like_wine;      /* fake_object_put_like_wine */
    WCHAR *name;
    SRWLOCK props_lock;      /* guards props, nprops, cap */
    struct fake_prop *props;
    size_t nprops, cap;
    struct fake_method *methods;   /* under props_lock too */
    size_t nmethods;
};

/* The registry: every object since the last reset, in creation order. */
static SRWLOCK registry_lock = SRWLOCK_INIT;
static struct fake_object **registry;
static size_t registry_count;
static size_t registry_capacity;

static volatile LONG over_released;
static volatile LONG resurrected;

static const WCHAR prop_name[] = L"Name";
static const WCHAR prop_index[] = L"Index";

static inline struct fake_object *impl_from_IWbemClassObject(IWbemClassObject *iface)
{
    return (struct fake_object *)((char *)iface - offsetof(struct fake_object, IWbemClassObject_iface));
}

/* ---- put properties --------------------------------------------------- */

/* The index of the put property `name` (case-insensitive), or -1. Called
   with props_lock held. */
static long find_prop(struct fake_object *obj, const WCHAR *name)
{
    size_t i;
    for (i = 0; i < obj->nprops; i++)
        if (!lstrcmpiW(obj->props[i].name, name))
            return (long)i;
    return -1;
}

/* Lets go of every method's signatures, like the properties below. */
static void fake_object_clear_methods(struct fake_object *obj)
{
    struct fake_method *methods;
    size_t n, i;
    AcquireSRWLockExclusive(&obj->props_lock);
    methods = obj->methods;
    n = obj->nmethods;
    obj->methods = NULL;
    obj->nmethods = 0;
    ReleaseSRWLockExclusive(&obj->props_lock);
    for (i = 0; i < n; i++) {
        if (methods[i].in_sig)
            methods[i].in_sig->lpVtbl->Release(methods[i].in_sig);
        if (methods[i].out_sig)
            methods[i].out_sig->lpVtbl->Release(methods[i].out_sig);
        free(methods[i].name);
    }
    free(methods);
}

/* Lets go of every put property (Releasing embedded objects), as a real
   object does when its last reference goes. The list is taken out under
   the lock and cleared outside it: clearing may Release other fakes. */
static void fake_object_clear_props(struct fake_object *obj)
{
    struct fake_prop *props;
    size_t n, i;
    AcquireSRWLockExclusive(&obj->props_lock);
    props = obj->props;
    n = obj->nprops;
    obj->props = NULL;
    obj->nprops = obj->cap = 0;
    ReleaseSRWLockExclusive(&obj->props_lock);
    for (i = 0; i < n; i++) {
        VariantClear(&props[i].value);
        free(props[i].name);
    }
    free(props);
    fake_object_clear_methods(obj);
}

/* ---- IUnknown --------------------------------------------------------- */

static ULONG STDMETHODCALLTYPE fake_object_AddRef(IWbemClassObject *iface)
{
    struct fake_object *obj = impl_from_IWbemClassObject(iface);
    LONG refs = InterlockedIncrement(&obj->refs);
    if (refs == 1)
        InterlockedIncrement(&resurrected);
    return (ULONG)refs;
}

static ULONG STDMETHODCALLTYPE fake_object_Release(IWbemClassObject *iface)
{
    struct fake_object *obj = impl_from_IWbemClassObject(iface);
    LONG old = obj->refs;
    for (;;) {
        LONG seen;
        if (old <= 0) {
            InterlockedIncrement(&over_released);
            return 0;
        }
        seen = InterlockedCompareExchange(&obj->refs, old - 1, old);
        if (seen == old) {
            if (old == 1)
                fake_object_clear_props(obj);
            return (ULONG)(old - 1);
        }
        old = seen;
    }
}

static HRESULT STDMETHODCALLTYPE fake_object_QueryInterface(IWbemClassObject *iface, REFIID riid, void **ppv)
{
    if (!ppv)
        return E_POINTER;
    *ppv = NULL;
    if (!riid)
        return E_INVALIDARG;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IWbemClassObject)) {
        *ppv = iface;
        fake_object_AddRef(iface);
        return S_OK;
    }
    return E_NOINTERFACE;
}

/* ---- properties ------------------------------------------------------- */

/* Fills the outputs for property 0 (Name) or 1 (Index). */
static HRESULT fake_object_property(struct fake_object *obj, int which, VARIANT *val, CIMTYPE *type, LONG *flavor)
{
    if (val) {
        VariantInit(val);
        if (which == 0) {
            BSTR copy = SysAllocString(obj->name);
            if (!copy)
                return (HRESULT)WBEM_E_OUT_OF_MEMORY;
            V_VT(val) = VT_BSTR;
            V_BSTR(val) = copy;
        } else {
            V_VT(val) = VT_I4;
            V_I4(val) = obj->index;
        }
    }
    if (type)
        *type = which == 0 ? CIM_STRING : CIM_SINT32;
    if (flavor)
        *flavor = WBEM_FLAVOR_ORIGIN_LOCAL;
    return (HRESULT)WBEM_S_NO_ERROR;
}

static HRESULT STDMETHODCALLTYPE fake_object_GetQualifierSet(IWbemClassObject *iface, IWbemQualifierSet **set)
{
    (void)iface;
    if (set)
        *set = NULL;
    return (HRESULT)WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE fake_object_Get(IWbemClassObject *iface, LPCWSTR name, LONG flags,
                                                 VARIANT *val, CIMTYPE *type, LONG *flavor)
{
    struct fake_object *obj = impl_from_IWbemClassObject(iface);
    HRESULT hr = S_OK;
    long at;
    (void)flags;
    if (!name)
        return (HRESULT)WBEM_E_INVALID_PARAMETER;
    AcquireSRWLockShared(&obj->props_lock);
    at = find_prop(obj, name);
    if (at >= 0) {
        if (val) {
            VariantInit(val);
            hr = VariantCopy(val, &obj->props[at].value);   /* objects AddRef'd */
        }
        if (SUCCEEDED(hr) && type)
            *type = obj->props[at].type;
        if (SUCCEEDED(hr) && flavor)
            *flavor = WBEM_FLAVOR_ORIGIN_LOCAL;
    }
    ReleaseSRWLockShared(&obj->props_lock);
    if (at >= 0)
        return FAILED(hr) ? (HRESULT)WBEM_E_OUT_OF_MEMORY : (HRESULT)WBEM_S_NO_ERROR;
    if (!lstrcmpiW(name, prop_name))
        return fake_object_property(obj, 0, val, type, flavor);
    if (!lstrcmpiW(name, prop_index))
        return fake_object_property(obj, 1, val, type, flavor);
    return (HRESULT)WBEM_E_NOT_FOUND;
}

/* The VARTYPE WMI's Put takes for a CIM type (without CIM_FLAG_ARRAY),
   the one its Get gives back; VT_EMPTY for an unknown type. Written out
   here on its own, so the fake checks the setters rather than repeating
   them. */
static VARTYPE wmi_vartype(CIMTYPE base)
{
    switch (base) {
    case CIM_UINT8: return VT_UI1;
    case CIM_SINT8: case CIM_SINT16: case CIM_CHAR16: return VT_I2;
    case CIM_UINT16: case CIM_SINT32: case CIM_UINT32: return VT_I4;
    case CIM_SINT64: case CIM_UINT64: case CIM_STRING: case CIM_DATETIME:
    case CIM_REFERENCE: return VT_BSTR;
    case CIM_REAL32: return VT_R4;
    case CIM_REAL64: return VT_R8;
    case CIM_BOOLEAN: return VT_BOOL;
    case CIM_OBJECT: return VT_UNKNOWN;
    default: return VT_EMPTY;
    }
}

/* Put on a property added with fake_object_put (see fake_object.h). */
static HRESULT STDMETHODCALLTYPE fake_object_Put(IWbemClassObject *iface, LPCWSTR name, LONG flags,
                                                 VARIANT *val, CIMTYPE type)
{
    struct fake_object *obj = impl_from_IWbemClassObject(iface);
    CIMTYPE declared = CIM_EMPTY;
    HRESULT forced;
    LONG like_wine;
    long at;
    (void)flags;
    if (!name)
        return (HRESULT)WBEM_E_INVALID_PARAMETER;
    AcquireSRWLockShared(&obj->props_lock);
    forced = obj->put_result;
    like_wine = obj->put_like_wine;
    at = find_prop(obj, name);
    if (at >= 0)
        declared = obj->props[at].type;
    ReleaseSRWLockShared(&obj->props_lock);
    if (FAILED(forced))
        return forced;
    if (at < 0)   /* an instance has no property to add (Name, Index: read-only) */
        return !lstrcmpiW(name, prop_name) || !lstrcmpiW(name, prop_index) ? (HRESULT)WBEM_E_READ_ONLY
                                                                             : (HRESULT)WBEM_E_NOT_FOUND;
    if (type != 0 && type != declared)
        return (HRESULT)WBEM_E_TYPE_MISMATCH;
    if (like_wine && (!val || V_VT(val) == VT_NULL || V_VT(val) == VT_EMPTY))
        return (HRESULT)WBEM_E_TYPE_MISMATCH;
    if (val && V_VT(val) != VT_NULL && V_VT(val) != VT_EMPTY) {
        VARTYPE want = wmi_vartype(declared & ~CIM_FLAG_ARRAY);
        if (like_wine && (declared & ~CIM_FLAG_ARRAY) == CIM_UINT16)
            want = VT_UI2;
        else if (like_wine && (declared & ~CIM_FLAG_ARRAY) == CIM_UINT32)
            want = VT_UI4;
        if (declared & CIM_FLAG_ARRAY)
            want |= VT_ARRAY;
        if (V_VT(val) != want || ((want & VT_ARRAY) && (!V_ARRAY(val) || SafeArrayGetDim(V_ARRAY(val)) != 1)))
            return (HRESULT)WBEM_E_TYPE_MISMATCH;
        if (want == VT_UNKNOWN && !V_UNKNOWN(val))
            return (HRESULT)WBEM_E_TYPE_MISMATCH;
    } else {
        val = NULL;   /* stored as VT_NULL */
    }
    return fake_object_put(iface, name, declared, val);
}

static HRESULT STDMETHODCALLTYPE fake_object_Delete(IWbemClassObject *iface, LPCWSTR name)
{
    (void)iface; (void)name;
    return (HRESULT)WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE fake_object_GetNames(IWbemClassObject *iface, LPCWSTR qualifier, LONG flags,
                                                      VARIANT *qualifier_val, SAFEARRAY **names)
{
    (void)iface; (void)qualifier; (void)flags; (void)qualifier_val;
    if (names)
        *names = NULL;
    return (HRESULT)WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE fake_object_BeginEnumeration(IWbemClassObject *iface, LONG flags)
{
    struct fake_object *obj = impl_from_IWbemClassObject(iface);
    (void)flags;
    obj->enum_pos = 0;
    return (HRESULT)WBEM_S_NO_ERROR;
}

static HRESULT STDMETHODCALLTYPE fake_object_Next(IWbemClassObject *iface, LONG flags, BSTR *name,
                                                  VARIANT *val, CIMTYPE *type, LONG *flavor)
{
    struct fake_object *obj = impl_from_IWbemClassObject(iface);
    int which = (int)obj->enum_pos;
    HRESULT hr;
    (void)flags;
    if (name)
        *name = NULL;
    if (which < 0)
        return (HRESULT)WBEM_E_UNEXPECTED;
    /* Name and Index, unless a put property of that name replaces them,
       then the put properties in the order they were first put. */
    for (;;) {
        long overridden;
        if (which > 1) {
            const WCHAR *put_name = NULL;
            AcquireSRWLockShared(&obj->props_lock);
            if ((size_t)(which - 2) < obj->nprops)
                put_name = obj->props[which - 2].name;
            if (put_name && name && !(*name = SysAllocString(put_name))) {
                ReleaseSRWLockShared(&obj->props_lock);
                return (HRESULT)WBEM_E_OUT_OF_MEMORY;
            }
            ReleaseSRWLockShared(&obj->props_lock);
            if (!put_name)
                return (HRESULT)WBEM_S_NO_MORE_DATA;
            hr = fake_object_Get(iface, name ? *name : put_name, 0, val, type, flavor);
            if (FAILED(hr) && name) {
                SysFreeString(*name);
                *name = NULL;
            }
            if (SUCCEEDED(hr))
                obj->enum_pos = which + 1;
            return hr;
        }
        AcquireSRWLockShared(&obj->props_lock);
        overridden = find_prop(obj, which == 0 ? prop_name : prop_index);
        ReleaseSRWLockShared(&obj->props_lock);
        if (overridden < 0)
            break;
        obj->enum_pos = ++which;
    }
    hr = fake_object_property(obj, which, val, type, flavor);
    if (FAILED(hr))
        return hr;
    if (name) {
        *name = SysAllocString(which == 0 ? prop_name : prop_index);
        if (!*name) {
            if (val)
                VariantClear(val);
            return (HRESULT)WBEM_E_OUT_OF_MEMORY;
        }
    }
    obj->enum_pos++;
    return (HRESULT)WBEM_S_NO_ERROR;
}

static HRESULT STDMETHODCALLTYPE fake_object_EndEnumeration(IWbemClassObject *iface)
{
    struct fake_object *obj = impl_from_IWbemClassObject(iface);
    obj->enum_pos = -1;
    return (HRESULT)WBEM_S_NO_ERROR;
}

static HRESULT STDMETHODCALLTYPE fake_object_GetPropertyQualifierSet(IWbemClassObject *iface, LPCWSTR prop,
                                                                     IWbemQualifierSet **set)
{
    (void)iface; (void)prop;
    if (set)
        *set = NULL;
    return (HRESULT)WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE fake_object_Clone(IWbemClassObject *iface, IWbemClassObject **copy)
{
    (void)iface;
    if (copy)
        *copy = NULL;
    return (HRESULT)WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE fake_object_GetObjectText(IWbemClassObject *iface, LONG flags, BSTR *text)
{
    struct fake_object *obj = impl_from_IWbemClassObject(iface);
    static const WCHAR head[] = L"\ninstance of FakeObject\n{\n\tIndex = ";
    static const WCHAR mid[] = L";\n\tName = \"";
    static const WCHAR tail[] = L"\";\n};\n";
    WCHAR number[16];
    size_t len;
    BSTR out;
    (void)flags;
    if (!text)
        return (HRESULT)WBEM_E_INVALID_PARAMETER;
    *text = NULL;
    swprintf(number, sizeof(number) / sizeof(number[0]), L"%ld", (long)obj->index);
    len = wcslen(head) + wcslen(number) + wcslen(mid) + wcslen(obj->name) + wcslen(tail);
    out = SysAllocStringLen(NULL, (UINT)len);
    if (!out)
        return (HRESULT)WBEM_E_OUT_OF_MEMORY;
    out[0] = 0;
    wcscat(out, head);
    wcscat(out, number);
    wcscat(out, mid);
    wcscat(out, obj->name);
    wcscat(out, tail);
    *text = out;
    return (HRESULT)WBEM_S_NO_ERROR;
}

static HRESULT STDMETHODCALLTYPE fake_object_SpawnDerivedClass(IWbemClassObject *iface, LONG flags,
                                                               IWbemClassObject **out)
{
    (void)iface; (void)flags;
    if (out)
        *out = NULL;
    return (HRESULT)WBEM_E_NOT_SUPPORTED;
}

/* A new fake object of the same name with copies of the put properties
   (their types and values: what a real class's instance starts with). */
static HRESULT STDMETHODCALLTYPE fake_object_SpawnInstance(IWbemClassObject *iface, LONG flags,
                                                           IWbemClassObject **out)
{
    struct fake_object *obj = impl_from_IWbemClassObject(iface);
    IWbemClassObject *copy;
    HRESULT hr = S_OK;
    size_t i;
    (void)flags;
    if (!out)
        return (HRESULT)WBEM_E_INVALID_PARAMETER;
    *out = NULL;
    copy = fake_object_create(obj->name);
    if (!copy)
        return (HRESULT)WBEM_E_OUT_OF_MEMORY;
    AcquireSRWLockShared(&obj->props_lock);
    for (i = 0; i < obj->nprops && SUCCEEDED(hr); i++)
        hr = fake_object_put(copy, obj->props[i].name, obj->props[i].type, &obj->props[i].value);
    ReleaseSRWLockShared(&obj->props_lock);
    if (FAILED(hr)) {
        copy->lpVtbl->Release(copy);
        return (HRESULT)WBEM_E_OUT_OF_MEMORY;
    }
    *out = copy;
    return (HRESULT)WBEM_S_NO_ERROR;
}

static HRESULT STDMETHODCALLTYPE fake_object_CompareTo(IWbemClassObject *iface, LONG flags,
                                                       IWbemClassObject *other)
{
    (void)iface; (void)flags; (void)other;
    return (HRESULT)WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE fake_object_GetPropertyOrigin(IWbemClassObject *iface, LPCWSTR name,
                                                               BSTR *class_name)
{
    (void)iface; (void)name;
    if (class_name)
        *class_name = NULL;
    return (HRESULT)WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE fake_object_InheritsFrom(IWbemClassObject *iface, LPCWSTR ancestor)
{
    (void)iface; (void)ancestor;
    return (HRESULT)WBEM_E_NOT_SUPPORTED;
}

/* The signatures put with fake_object_put_method, AddRef'd;
   WBEM_E_NOT_FOUND for another name. */
static HRESULT STDMETHODCALLTYPE fake_object_GetMethod(IWbemClassObject *iface, LPCWSTR name, LONG flags,
                                                       IWbemClassObject **in_sig, IWbemClassObject **out_sig)
{
    struct fake_object *obj = impl_from_IWbemClassObject(iface);
    HRESULT hr = (HRESULT)WBEM_E_NOT_FOUND;
    size_t i;
    (void)flags;
    if (in_sig)
        *in_sig = NULL;
    if (out_sig)
        *out_sig = NULL;
    if (!name)
        return (HRESULT)WBEM_E_INVALID_PARAMETER;
    AcquireSRWLockShared(&obj->props_lock);
    for (i = 0; i < obj->nmethods; i++) {
        if (lstrcmpiW(obj->methods[i].name, name))
            continue;
        if (in_sig && (*in_sig = obj->methods[i].in_sig))
            (*in_sig)->lpVtbl->AddRef(*in_sig);
        if (out_sig && (*out_sig = obj->methods[i].out_sig))
            (*out_sig)->lpVtbl->AddRef(*out_sig);
        hr = (HRESULT)WBEM_S_NO_ERROR;
        break;
    }
    ReleaseSRWLockShared(&obj->props_lock);
    return hr;
}

static HRESULT STDMETHODCALLTYPE fake_object_PutMethod(IWbemClassObject *iface, LPCWSTR name, LONG flags,
                                                       IWbemClassObject *in_sig, IWbemClassObject *out_sig)
{
    (void)iface; (void)name; (void)flags; (void)in_sig; (void)out_sig;
    return (HRESULT)WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE fake_object_DeleteMethod(IWbemClassObject *iface, LPCWSTR name)
{
    (void)iface; (void)name;
    return (HRESULT)WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE fake_object_BeginMethodEnumeration(IWbemClassObject *iface, LONG flags)
{
    (void)iface; (void)flags;
    return (HRESULT)WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE fake_object_NextMethod(IWbemClassObject *iface, LONG flags, BSTR *name,
                                                        IWbemClassObject **in_sig, IWbemClassObject **out_sig)
{
    (void)iface; (void)flags;
    if (name)
        *name = NULL;
    if (in_sig)
        *in_sig = NULL;
    if (out_sig)
        *out_sig = NULL;
    return (HRESULT)WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE fake_object_EndMethodEnumeration(IWbemClassObject *iface)
{
    (void)iface;
    return (HRESULT)WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE fake_object_GetMethodQualifierSet(IWbemClassObject *iface, LPCWSTR method,
                                                                   IWbemQualifierSet **set)
{
    (void)iface; (void)method;
    if (set)
        *set = NULL;
    return (HRESULT)WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE fake_object_GetMethodOrigin(IWbemClassObject *iface, LPCWSTR method,
                                                             BSTR *class_name)
{
    (void)iface; (void)method;
    if (class_name)
        *class_name = NULL;
    return (HRESULT)WBEM_E_NOT_SUPPORTED;
}

static const IWbemClassObjectVtbl fake_object_vtbl = {
    fake_object_QueryInterface,
    fake_object_AddRef,
    fake_object_Release,
    fake_object_GetQualifierSet,
    fake_object_Get,
    fake_object_Put,
    fake_object_Delete,
    fake_object_GetNames,
    fake_object_BeginEnumeration,
    fake_object_Next,
    fake_object_EndEnumeration,
    fake_object_GetPropertyQualifierSet,
    fake_object_Clone,
    fake_object_GetObjectText,
    fake_object_SpawnDerivedClass,
    fake_object_SpawnInstance,
    fake_object_CompareTo,
    fake_object_GetPropertyOrigin,
    fake_object_InheritsFrom,
    fake_object_GetMethod,
    fake_object_PutMethod,
    fake_object_DeleteMethod,
    fake_object_BeginMethodEnumeration,
    fake_object_NextMethod,
    fake_object_EndMethodEnumeration,
    fake_object_GetMethodQualifierSet,
    fake_object_GetMethodOrigin,
};

/* ---- public API ------------------------------------------------------- */

IWbemClassObject *fake_object_create(const wchar_t *name)
{
    struct fake_object *obj;
    size_t len;

    if (!name)
        name = L"";
    len = wcslen(name) + 1;
    obj = malloc(sizeof(*obj));
    if (!obj)
        return NULL;
    obj->name = malloc(len * sizeof(WCHAR));
    if (!obj->name) {
        free(obj);
        return NULL;
    }
    memcpy(obj->name, name, len * sizeof(WCHAR));
    obj->IWbemClassObject_iface.lpVtbl = &fake_object_vtbl;
    obj->refs = 1;
    obj->enum_pos = -1;
    obj->put_result = S_OK;
    obj->put_like_wine = 0;
    InitializeSRWLock(&obj->props_lock);
    obj->props = NULL;
    obj->nprops = obj->cap = 0;
    obj->methods = NULL;
    obj->nmethods = 0;

    AcquireSRWLockExclusive(&registry_lock);
    if (registry_count == registry_capacity) {
        size_t cap = registry_capacity ? registry_capacity * 2 : 1024;
        struct fake_object **grown = realloc(registry, cap * sizeof(*grown));
        if (!grown) {
            ReleaseSRWLockExclusive(&registry_lock);
            free(obj->name);
            free(obj);
            return NULL;
        }
        registry = grown;
        registry_capacity = cap;
    }
    obj->index = (LONG)registry_count;
    registry[registry_count++] = obj;
    ReleaseSRWLockExclusive(&registry_lock);

    return &obj->IWbemClassObject_iface;
}

LONG fake_object_refs(IWbemClassObject *o)
{
    struct fake_object *obj = impl_from_IWbemClassObject(o);
    return InterlockedCompareExchange(&obj->refs, 0, 0);
}

LONG fake_object_index(IWbemClassObject *o)
{
    return impl_from_IWbemClassObject(o)->index;
}

void fake_objects_reset(void)
{
    size_t i;
    AcquireSRWLockExclusive(&registry_lock);
    /* Property values first, while every object is still there: they may
       hold (and now Release) other fakes. */
    for (i = 0; i < registry_count; i++)
        fake_object_clear_props(registry[i]);
    for (i = 0; i < registry_count; i++) {
        free(registry[i]->name);
        free(registry[i]);
    }
    free(registry);
    registry = NULL;
    registry_count = 0;
    registry_capacity = 0;
    InterlockedExchange(&over_released, 0);
    InterlockedExchange(&resurrected, 0);
    ReleaseSRWLockExclusive(&registry_lock);
}

size_t fake_objects_live(void)
{
    size_t i, live = 0;
    AcquireSRWLockShared(&registry_lock);
    for (i = 0; i < registry_count; i++)
        if (InterlockedCompareExchange(&registry[i]->refs, 0, 0) > 0)
            live++;
    ReleaseSRWLockShared(&registry_lock);
    return live;
}

size_t fake_objects_over_released(void)
{
    return (size_t)InterlockedCompareExchange(&over_released, 0, 0);
}

size_t fake_objects_resurrected(void)
{
    return (size_t)InterlockedCompareExchange(&resurrected, 0, 0);
}

size_t fake_objects_created(void)
{
    size_t n;
    AcquireSRWLockShared(&registry_lock);
    n = registry_count;
    ReleaseSRWLockShared(&registry_lock);
    return n;
}

HRESULT fake_object_put(IWbemClassObject *o, const wchar_t *name, CIMTYPE type, const VARIANT *value)
{
    struct fake_object *obj;
    VARIANT copy, old;
    WCHAR *name_copy = NULL;
    size_t len;
    long at;
    HRESULT hr;

    if (!o || !name)
        return E_POINTER;
    obj = impl_from_IWbemClassObject(o);
    VariantInit(&copy);
    VariantInit(&old);
    if (value) {
        hr = VariantCopy(&copy, (VARIANT *)value);   /* objects AddRef'd, arrays copied */
        if (FAILED(hr))
            return hr;
    } else {
        V_VT(&copy) = VT_NULL;
    }
    len = wcslen(name) + 1;

    AcquireSRWLockExclusive(&obj->props_lock);
    at = find_prop(obj, name);
    if (at >= 0) {
        old = obj->props[at].value;
        obj->props[at].value = copy;
        obj->props[at].type = type;
        ReleaseSRWLockExclusive(&obj->props_lock);
        VariantClear(&old);          /* outside the lock: it may Release a fake */
        return S_OK;
    }
    if (obj->nprops == obj->cap) {
        size_t cap = obj->cap ? obj->cap * 2 : 8;
        struct fake_prop *grown = realloc(obj->props, cap * sizeof(*grown));
        if (!grown)
            goto oom;
        obj->props = grown;
        obj->cap = cap;
    }
    name_copy = malloc(len * sizeof(WCHAR));
    if (!name_copy)
        goto oom;
    memcpy(name_copy, name, len * sizeof(WCHAR));
    obj->props[obj->nprops].name = name_copy;
    obj->props[obj->nprops].type = type;
    obj->props[obj->nprops].value = copy;
    obj->nprops++;
    ReleaseSRWLockExclusive(&obj->props_lock);
    return S_OK;

oom:
    ReleaseSRWLockExclusive(&obj->props_lock);
    VariantClear(&copy);
    return E_OUTOFMEMORY;
}

HRESULT fake_object_put_method(IWbemClassObject *o, const wchar_t *name, IWbemClassObject *in_sig,
                               IWbemClassObject *out_sig)
{
    struct fake_object *obj;
    struct fake_method *grown;
    WCHAR *name_copy;
    size_t len;

    if (!o || !name)
        return E_POINTER;
    obj = impl_from_IWbemClassObject(o);
    len = wcslen(name) + 1;
    name_copy = malloc(len * sizeof(WCHAR));
    if (!name_copy)
        return E_OUTOFMEMORY;
    memcpy(name_copy, name, len * sizeof(WCHAR));
    AcquireSRWLockExclusive(&obj->props_lock);
    grown = realloc(obj->methods, (obj->nmethods + 1) * sizeof(*grown));
    if (!grown) {
        ReleaseSRWLockExclusive(&obj->props_lock);
        free(name_copy);
        return E_OUTOFMEMORY;
    }
    obj->methods = grown;
    if (in_sig)
        in_sig->lpVtbl->AddRef(in_sig);
    if (out_sig)
        out_sig->lpVtbl->AddRef(out_sig);
    grown[obj->nmethods].name = name_copy;
    grown[obj->nmethods].in_sig = in_sig;
    grown[obj->nmethods].out_sig = out_sig;
    obj->nmethods++;
    ReleaseSRWLockExclusive(&obj->props_lock);
    return S_OK;
}

void fake_object_fail_put(IWbemClassObject *o, HRESULT hr)
{
    struct fake_object *obj = impl_from_IWbemClassObject(o);
    AcquireSRWLockExclusive(&obj->props_lock);
    obj->put_result = hr;
    ReleaseSRWLockExclusive(&obj->props_lock);
}

void fake_object_put_like_wine(IWbemClassObject *o, int on)
{
    struct fake_object *obj = impl_from_IWbemClassObject(o);
    InterlockedExchange(&obj->put_like_wine, on ? 1 : 0);
}
