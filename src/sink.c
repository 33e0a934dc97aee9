/* The COM shell: struct wbemsink seen as an IWbemObjectSink. Windows only;
   everything it does beyond COM's rules is in the core. */
#include "core.h"
#include <stdlib.h>

static inline wbemsink *impl_from_IWbemObjectSink(IWbemObjectSink *iface)
{
    return (wbemsink *)((char *)iface - offsetof(wbemsink, iface));
}

static HRESULT STDMETHODCALLTYPE sink_QueryInterface(IWbemObjectSink *iface, REFIID riid, void **ppv)
{
    if (!ppv) return E_POINTER;
    if (!riid) {
        *ppv = NULL;
        return E_INVALIDARG;
    }
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IWbemObjectSink)) {
        *ppv = iface;
        IWbemObjectSink_AddRef(iface);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE sink_AddRef(IWbemObjectSink *iface)
{
    return (ULONG)ws_addref(impl_from_IWbemObjectSink(iface));
}

static ULONG STDMETHODCALLTYPE sink_Release(IWbemObjectSink *iface)
{
    return (ULONG)ws_unref(impl_from_IWbemObjectSink(iface));
}

static HRESULT STDMETHODCALLTYPE sink_Indicate(IWbemObjectSink *iface, LONG count,
                                               IWbemClassObject **objects)
{
    return ws_indicate(impl_from_IWbemObjectSink(iface), count, objects);
}

static HRESULT STDMETHODCALLTYPE sink_SetStatus(IWbemObjectSink *iface, LONG flags, HRESULT hr,
                                                BSTR param, IWbemClassObject *obj)
{
    return ws_set_status(impl_from_IWbemObjectSink(iface), flags, hr, param, obj);
}

static const IWbemObjectSinkVtbl sink_vtbl = {
    sink_QueryInterface,
    sink_AddRef,
    sink_Release,
    sink_Indicate,
    sink_SetStatus,
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
