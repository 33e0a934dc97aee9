/* The COM shell: struct wbemsink seen as an IWbemObjectSink. Windows only;
   everything it does beyond COM's rules is in the core. */
#include "core.h"
#include <stdlib.h>

/* The object implements IWbemObjectSinkEx, whose vtable begins with
   IWbemObjectSink's: one vtable serves both interfaces. */
static inline wbemsink *impl_from_IWbemObjectSinkEx(IWbemObjectSinkEx *iface)
{
    return (wbemsink *)((char *)iface - offsetof(wbemsink, iface));
}

static HRESULT STDMETHODCALLTYPE sink_QueryInterface(IWbemObjectSinkEx *iface, REFIID riid, void **ppv)
{
    if (!ppv) return E_POINTER;
    if (!riid) {
        *ppv = NULL;
        return E_INVALIDARG;
    }
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IWbemObjectSink) ||
        IsEqualIID(riid, &IID_IWbemObjectSinkEx)) {
        *ppv = iface;
        IWbemObjectSinkEx_AddRef(iface);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE sink_AddRef(IWbemObjectSinkEx *iface)
{
    return (ULONG)ws_addref(impl_from_IWbemObjectSinkEx(iface));
}

static ULONG STDMETHODCALLTYPE sink_Release(IWbemObjectSinkEx *iface)
{
    return (ULONG)ws_unref(impl_from_IWbemObjectSinkEx(iface));
}

static HRESULT STDMETHODCALLTYPE sink_Indicate(IWbemObjectSinkEx *iface, LONG count,
                                               IWbemClassObject **objects)
{
    return ws_indicate(impl_from_IWbemObjectSinkEx(iface), count, objects);
}

static HRESULT STDMETHODCALLTYPE sink_SetStatus(IWbemObjectSinkEx *iface, LONG flags, HRESULT hr,
                                                BSTR param, IWbemClassObject *obj)
{
    return ws_set_status(impl_from_IWbemObjectSinkEx(iface), flags, hr, param, obj);
}

/* The Ex methods run their callback at once (see the header); after
   wbemsink_release they are refused like every other call. */
static const wbemsink_callbacks *open_callbacks(IWbemObjectSinkEx *iface)
{
    wbemsink *s = impl_from_IWbemObjectSinkEx(iface);
    ws_lock(&s->lock);
    int closed = s->closed;
    s->sealed = 1;
    ws_unlock(&s->lock);
    return closed ? NULL : &s->cb;
}

static HRESULT STDMETHODCALLTYPE sink_WriteMessage(IWbemObjectSinkEx *iface, ULONG channel,
                                                   const BSTR message)
{
    const wbemsink_callbacks *cb = open_callbacks(iface);
    if (!cb) return WBEM_E_CALL_CANCELLED;
    if (cb->on_write_message) cb->on_write_message(cb->context, channel, message);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE sink_WriteError(IWbemObjectSinkEx *iface, IWbemClassObject *error,
                                                 unsigned char *returned)
{
    if (!returned) return WBEM_E_INVALID_PARAMETER;
    *returned = WBEMSINK_ANSWER_NO;
    const wbemsink_callbacks *cb = open_callbacks(iface);
    if (!cb) return WBEM_E_CALL_CANCELLED;
    *returned = cb->on_write_error ? cb->on_write_error(cb->context, error) : WBEMSINK_ANSWER_YES;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE sink_PromptUser(IWbemObjectSinkEx *iface, const BSTR message,
                                                 unsigned char type, unsigned char *returned)
{
    if (!returned) return WBEM_E_INVALID_PARAMETER;
    *returned = WBEMSINK_ANSWER_NO;
    const wbemsink_callbacks *cb = open_callbacks(iface);
    if (!cb) return WBEM_E_CALL_CANCELLED;
    if (cb->on_prompt_user) *returned = cb->on_prompt_user(cb->context, message, type);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE sink_WriteProgress(IWbemObjectSinkEx *iface, const BSTR activity,
                                                    const BSTR operation, const BSTR status,
                                                    ULONG percent, ULONG seconds_remaining)
{
    const wbemsink_callbacks *cb = open_callbacks(iface);
    if (!cb) return WBEM_E_CALL_CANCELLED;
    if (cb->on_write_progress)
        cb->on_write_progress(cb->context, activity, operation, status, percent, seconds_remaining);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE sink_WriteStreamParameter(IWbemObjectSinkEx *iface, const BSTR name,
                                                           VARIANT *value, ULONG type, ULONG flags)
{
    (void)iface;
    (void)name;
    (void)value;
    (void)type;
    (void)flags;
    return WBEM_E_NOT_SUPPORTED;    /* streamed parameters are not offered */
}

static const IWbemObjectSinkExVtbl sink_vtbl = {
    sink_QueryInterface,
    sink_AddRef,
    sink_Release,
    sink_Indicate,
    sink_SetStatus,
    sink_WriteMessage,
    sink_WriteError,
    sink_PromptUser,
    sink_WriteProgress,
    sink_WriteStreamParameter,
};

void ws_shell_init(wbemsink *s)
{
    s->iface.lpVtbl = (IWbemObjectSinkVtbl *)&sink_vtbl;
}

IWbemObjectSink *wbemsink_interface(wbemsink *s)
{
    if (!s) return NULL;
    ws_lock(&s->lock);
    s->sealed = 1;
    ws_unlock(&s->lock);
    return &s->iface;
}

HANDLE wbemsink_completion_event(wbemsink *s)
{
    return s ? s->done.h : NULL;
}

void ws_shell_services_addref(IWbemServices *services)
{
    IWbemServices_AddRef(services);
}

void ws_shell_services_release(IWbemServices *services)
{
    IWbemServices_Release(services);
}

/* A deferred CancelAsyncCall: holds the sink and the services until done. */
typedef struct cancel_job {
    wbemsink *sink;
    IWbemServices *services;
} cancel_job;

static DWORD WINAPI cancel_job_run(void *arg)
{
    cancel_job *job = arg;
    /* Thread-pool threads have no apartment; calls on a proxy need one. */
    HRESULT init = CoInitializeEx(NULL, COINIT_MULTITHREADED);
    IWbemServices_CancelAsyncCall(job->services, &job->sink->iface);
    IWbemServices_Release(job->services);
    if (SUCCEEDED(init)) CoUninitialize();
    ws_unref(job->sink);
    free(job);
    return 0;
}

HRESULT ws_shell_cancel_async(wbemsink *s, IWbemServices *services, int defer)
{
    if (!defer) {
        HRESULT hr = IWbemServices_CancelAsyncCall(services, &s->iface);
        IWbemServices_Release(services);
        return hr;
    }
    cancel_job *job = malloc(sizeof(*job));
    if (job) {
        job->sink = s;
        job->services = services;
        ws_addref(s);
        if (QueueUserWorkItem(cancel_job_run, job, WT_EXECUTEDEFAULT)) return S_OK;
        ws_unref(s);
        free(job);
    }
    /* Could not defer: calling from here might deadlock, so give up the
       call into WMI; the sink itself is cancelled already. */
    IWbemServices_Release(services);
    return E_OUTOFMEMORY;
}

/* ---- starting operations ---- */

typedef struct query_args {
    const wchar_t *query;
    LONG flags;
    IWbemContext *context;
    int notification;
} query_args;

static HRESULT start_query(void *arg, IWbemServices *services, IWbemObjectSink *sink)
{
    const query_args *a = arg;
    BSTR lang = SysAllocString(L"WQL"), query = SysAllocString(a->query);
    HRESULT hr = WBEM_E_OUT_OF_MEMORY;
    if (lang && query)
        hr = a->notification
                 ? IWbemServices_ExecNotificationQueryAsync(services, lang, query, a->flags,
                                                            a->context, sink)
                 : IWbemServices_ExecQueryAsync(services, lang, query, a->flags, a->context, sink);
    SysFreeString(lang);
    SysFreeString(query);
    return hr;
}

static HRESULT exec(wbemsink *s, IWbemServices *services, const wchar_t *query, LONG flags,
                    IWbemContext *context, int notification)
{
    if (!s || !services || !query) return E_POINTER;
    query_args a = { query, flags, context, notification };
    return wbemsink_start(s, services, start_query, &a);
}

HRESULT wbemsink_exec_query(wbemsink *s, IWbemServices *services, const wchar_t *query, LONG flags,
                            IWbemContext *context)
{
    return exec(s, services, query, flags, context, 0);
}

HRESULT wbemsink_exec_notification_query(wbemsink *s, IWbemServices *services, const wchar_t *query,
                                         LONG flags, IWbemContext *context)
{
    return exec(s, services, query, flags, context, 1);
}

HRESULT wbemsink_unsecured_interface(wbemsink *s, IWbemObjectSink **out)
{
    if (out) *out = NULL;
    if (!s || !out) return E_POINTER;
    IWbemUnsecuredApartment *apartment;
    HRESULT hr = CoCreateInstance(&CLSID_UnsecuredApartment, NULL, CLSCTX_LOCAL_SERVER,
                                  &IID_IWbemUnsecuredApartment, (void **)&apartment);
    if (FAILED(hr)) return hr;
    IUnknown *stub = NULL;
    hr = IWbemUnsecuredApartment_CreateObjectStub(apartment, (IUnknown *)wbemsink_interface(s), &stub);
    IWbemUnsecuredApartment_Release(apartment);
    if (FAILED(hr)) return hr;
    hr = IUnknown_QueryInterface(stub, &IID_IWbemObjectSink, (void **)out);
    IUnknown_Release(stub);
    return hr;
}
