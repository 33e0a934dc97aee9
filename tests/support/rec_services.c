#define COBJMACROS
#include "rec_services.h"
#include <stddef.h>
#include <string.h>

static rec_services *rec_from(IWbemServices *i)
{
    return (rec_services *)((char *)i - offsetof(rec_services, iface));
}

static HRESULT STDMETHODCALLTYPE rs_QueryInterface(IWbemServices *This, REFIID riid, void **ppv)
{
    if (!ppv) return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IWbemServices)) {
        *ppv = This;
        IWbemServices_AddRef(This);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE rs_AddRef(IWbemServices *This)
{
    return (ULONG)InterlockedIncrement(&rec_from(This)->refs);
}

static ULONG STDMETHODCALLTYPE rs_Release(IWbemServices *This)
{
    return (ULONG)InterlockedDecrement(&rec_from(This)->refs);
}

/* Lets go of the sink like WMI does on a cancel, then (optionally) tells
   the test and stalls, so that whoever called stays inside for a while. */
static HRESULT STDMETHODCALLTYPE rs_CancelAsyncCall(IWbemServices *This, IWbemObjectSink *sink)
{
    rec_services *r = rec_from(This);
    if (!sink) return WBEM_E_INVALID_PARAMETER;
    r->cancel_sink = sink;
    r->cancel_thread = GetCurrentThreadId();
    r->cancel_apartment_hr = CoGetApartmentType(&r->cancel_apartment, &r->cancel_apartment_qualifier);
    IWbemObjectSink *held = InterlockedExchangePointer((void *volatile *)&r->held_sink, NULL);
    if (held) IWbemObjectSink_Release(held);
    InterlockedIncrement(&r->cancel_calls);
    if (r->cancel_entered) SetEvent(r->cancel_entered);
    if (r->cancel_delay_ms) Sleep(r->cancel_delay_ms);
    return WBEM_S_NO_ERROR;
}

static HRESULT hold(rec_services *r, IWbemObjectSink *sink)
{
    if (!sink) return WBEM_E_INVALID_PARAMETER;
    IWbemObjectSink_AddRef(sink);
    if (InterlockedCompareExchangePointer((void *volatile *)&r->held_sink, sink, NULL) != NULL) {
        IWbemObjectSink_Release(sink);
        return WBEM_E_FAILED;     /* one pending call, like Wine */
    }
    return WBEM_S_NO_ERROR;
}

static HRESULT STDMETHODCALLTYPE rs_ExecQueryAsync(IWbemServices *This, const BSTR l, const BSTR q, LONG f,
                                                   IWbemContext *c, IWbemObjectSink *s)
{
    (void)l; (void)q; (void)f; (void)c;
    return hold(rec_from(This), s);
}

static HRESULT STDMETHODCALLTYPE rs_ExecNotificationQueryAsync(IWbemServices *This, const BSTR l,
                                                               const BSTR q, LONG f, IWbemContext *c,
                                                               IWbemObjectSink *s)
{
    (void)l; (void)q; (void)f; (void)c;
    return hold(rec_from(This), s);
}

/* The rest is not used by the tests. */
static HRESULT STDMETHODCALLTYPE rs_OpenNamespace(IWbemServices *This, const BSTR ns, LONG f,
                                                  IWbemContext *c, IWbemServices **out,
                                                  IWbemCallResult **res)
{
    (void)This; (void)ns; (void)f; (void)c; (void)out; (void)res;
    return E_NOTIMPL;
}
static HRESULT STDMETHODCALLTYPE rs_QueryObjectSink(IWbemServices *This, LONG f, IWbemObjectSink **out)
{
    (void)This; (void)f; (void)out;
    return E_NOTIMPL;
}
static HRESULT STDMETHODCALLTYPE rs_GetObject(IWbemServices *This, const BSTR p, LONG f, IWbemContext *c,
                                              IWbemClassObject **o, IWbemCallResult **res)
{
    (void)This; (void)p; (void)f; (void)c; (void)o; (void)res;
    return E_NOTIMPL;
}
static HRESULT STDMETHODCALLTYPE rs_GetObjectAsync(IWbemServices *This, const BSTR p, LONG f,
                                                   IWbemContext *c, IWbemObjectSink *s)
{
    (void)This; (void)p; (void)f; (void)c; (void)s;
    return E_NOTIMPL;
}
static HRESULT STDMETHODCALLTYPE rs_PutClass(IWbemServices *This, IWbemClassObject *o, LONG f,
                                             IWbemContext *c, IWbemCallResult **res)
{
    (void)This; (void)o; (void)f; (void)c; (void)res;
    return E_NOTIMPL;
}
static HRESULT STDMETHODCALLTYPE rs_PutClassAsync(IWbemServices *This, IWbemClassObject *o, LONG f,
                                                  IWbemContext *c, IWbemObjectSink *s)
{
    (void)This; (void)o; (void)f; (void)c; (void)s;
    return E_NOTIMPL;
}
static HRESULT STDMETHODCALLTYPE rs_DeleteClass(IWbemServices *This, const BSTR n, LONG f, IWbemContext *c,
                                                IWbemCallResult **res)
{
    (void)This; (void)n; (void)f; (void)c; (void)res;
    return E_NOTIMPL;
}
static HRESULT STDMETHODCALLTYPE rs_DeleteClassAsync(IWbemServices *This, const BSTR n, LONG f,
                                                     IWbemContext *c, IWbemObjectSink *s)
{
    (void)This; (void)n; (void)f; (void)c; (void)s;
    return E_NOTIMPL;
}
static HRESULT STDMETHODCALLTYPE rs_CreateClassEnum(IWbemServices *This, const BSTR n, LONG f,
                                                    IWbemContext *c, IEnumWbemClassObject **e)
{
    (void)This; (void)n; (void)f; (void)c; (void)e;
    return E_NOTIMPL;
}
static HRESULT STDMETHODCALLTYPE rs_CreateClassEnumAsync(IWbemServices *This, const BSTR n, LONG f,
                                                         IWbemContext *c, IWbemObjectSink *s)
{
    (void)This; (void)n; (void)f; (void)c; (void)s;
    return E_NOTIMPL;
}
static HRESULT STDMETHODCALLTYPE rs_PutInstance(IWbemServices *This, IWbemClassObject *o, LONG f,
                                                IWbemContext *c, IWbemCallResult **res)
{
    (void)This; (void)o; (void)f; (void)c; (void)res;
    return E_NOTIMPL;
}
static HRESULT STDMETHODCALLTYPE rs_PutInstanceAsync(IWbemServices *This, IWbemClassObject *o, LONG f,
                                                     IWbemContext *c, IWbemObjectSink *s)
{
    (void)This; (void)o; (void)f; (void)c; (void)s;
    return E_NOTIMPL;
}
static HRESULT STDMETHODCALLTYPE rs_DeleteInstance(IWbemServices *This, const BSTR p, LONG f,
                                                   IWbemContext *c, IWbemCallResult **res)
{
    (void)This; (void)p; (void)f; (void)c; (void)res;
    return E_NOTIMPL;
}
static HRESULT STDMETHODCALLTYPE rs_DeleteInstanceAsync(IWbemServices *This, const BSTR p, LONG f,
                                                        IWbemContext *c, IWbemObjectSink *s)
{
    (void)This; (void)p; (void)f; (void)c; (void)s;
    return E_NOTIMPL;
}
static HRESULT STDMETHODCALLTYPE rs_CreateInstanceEnum(IWbemServices *This, const BSTR n, LONG f,
                                                       IWbemContext *c, IEnumWbemClassObject **e)
{
    (void)This; (void)n; (void)f; (void)c; (void)e;
    return E_NOTIMPL;
}
static HRESULT STDMETHODCALLTYPE rs_CreateInstanceEnumAsync(IWbemServices *This, const BSTR n, LONG f,
                                                            IWbemContext *c, IWbemObjectSink *s)
{
    (void)This; (void)n; (void)f; (void)c; (void)s;
    return E_NOTIMPL;
}
static HRESULT STDMETHODCALLTYPE rs_ExecQuery(IWbemServices *This, const BSTR l, const BSTR q, LONG f,
                                              IWbemContext *c, IEnumWbemClassObject **e)
{
    (void)This; (void)l; (void)q; (void)f; (void)c; (void)e;
    return E_NOTIMPL;
}
static HRESULT STDMETHODCALLTYPE rs_ExecNotificationQuery(IWbemServices *This, const BSTR l, const BSTR q,
                                                          LONG f, IWbemContext *c,
                                                          IEnumWbemClassObject **e)
{
    (void)This; (void)l; (void)q; (void)f; (void)c; (void)e;
    return E_NOTIMPL;
}
static HRESULT STDMETHODCALLTYPE rs_ExecMethod(IWbemServices *This, const BSTR p, const BSTR m, LONG f,
                                               IWbemContext *c, IWbemClassObject *in,
                                               IWbemClassObject **out, IWbemCallResult **res)
{
    (void)This; (void)p; (void)m; (void)f; (void)c; (void)in; (void)out; (void)res;
    return E_NOTIMPL;
}
static HRESULT STDMETHODCALLTYPE rs_ExecMethodAsync(IWbemServices *This, const BSTR p, const BSTR m, LONG f,
                                                    IWbemContext *c, IWbemClassObject *in,
                                                    IWbemObjectSink *s)
{
    (void)This; (void)p; (void)m; (void)f; (void)c; (void)in; (void)s;
    return E_NOTIMPL;
}

static const IWbemServicesVtbl rec_services_vtbl = {
    rs_QueryInterface, rs_AddRef, rs_Release, rs_OpenNamespace, rs_CancelAsyncCall,
    rs_QueryObjectSink, rs_GetObject, rs_GetObjectAsync, rs_PutClass, rs_PutClassAsync,
    rs_DeleteClass, rs_DeleteClassAsync, rs_CreateClassEnum, rs_CreateClassEnumAsync,
    rs_PutInstance, rs_PutInstanceAsync, rs_DeleteInstance, rs_DeleteInstanceAsync,
    rs_CreateInstanceEnum, rs_CreateInstanceEnumAsync, rs_ExecQuery, rs_ExecQueryAsync,
    rs_ExecNotificationQuery, rs_ExecNotificationQueryAsync, rs_ExecMethod, rs_ExecMethodAsync,
};

void rec_services_init(rec_services *r)
{
    memset(r, 0, sizeof(*r));
    r->iface.lpVtbl = (IWbemServicesVtbl *)&rec_services_vtbl;
    r->refs = 1;
}
