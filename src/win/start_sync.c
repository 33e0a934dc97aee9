/* wbemsink_start_sync: a synchronous WMI call run on a library thread and
   fed into the sink as if WMI had called it asynchronously (Indicate of the
   one result object, then SetStatus(COMPLETE)). For what an implementation
   lacks asynchronously (Wine's ExecMethodAsync, PutInstanceAsync...).

   The thread (ws_thread_start: it keeps the DLL loaded until it has
   returned) holds a reference on the sink's interface and on the services
   until it is done. Nothing is bound for cancel: a synchronous call cannot
   be cancelled at WMI, so a cancel, a deadline or a release ends the sink
   at once and the sink refuses the thread's late calls; the thread then
   only gives back what it got. */
#include "core.h"

typedef struct sync_job {
    IWbemObjectSink *sink;        /* a reference */
    IWbemServices *services;      /* a reference */
    wbemsink_sync_fn call;
    void *arg;
    wbemsink_free_fn free_arg;
} sync_job;

/* The error object of a failed synchronous call, where WMI set one (COM's
   error info, answering IWbemClassObject); NULL otherwise. */
static IWbemClassObject *take_error_object(void)
{
    IErrorInfo *info = NULL;
    IWbemClassObject *err = NULL;
    if (GetErrorInfo(0, &info) == S_OK && info) {
        if (FAILED(IErrorInfo_QueryInterface(info, &IID_IWbemClassObject, (void **)&err))) err = NULL;
        IErrorInfo_Release(info);
    }
    return err;
}

static void sync_worker(void *p)
{
    sync_job *j = p;
    HRESULT init = CoInitializeEx(NULL, COINIT_MULTITHREADED);
    IWbemClassObject *object = NULL, *err = NULL;
    BSTR param = NULL;
    HRESULT hr = j->call(j->arg, j->services, &object, &param);
    if (FAILED(hr)) err = take_error_object();
    /* After a cancel, deadline or release the sink refuses these: what the
       call gave is Released below all the same. */
    if (object) IWbemObjectSink_Indicate(j->sink, 1, &object);
    IWbemObjectSink_SetStatus(j->sink, WBEM_STATUS_COMPLETE, hr, param, err);
    if (object) IWbemClassObject_Release(object);
    if (err) IWbemClassObject_Release(err);
    SysFreeString(param);
    if (j->free_arg) j->free_arg(j->arg);
    IWbemServices_Release(j->services);
    IWbemObjectSink_Release(j->sink);
    free(j);
    if (SUCCEEDED(init)) CoUninitialize();
}

HRESULT wbemsink_start_sync(wbemsink *s, IWbemServices *services, wbemsink_sync_fn call, void *arg,
                            wbemsink_free_fn free_arg)
{
    if (!s || !services || !call) {
        if (free_arg) free_arg(arg);
        return E_POINTER;
    }
    sync_job *j = malloc(sizeof(*j));
    if (!j) {
        if (free_arg) free_arg(arg);
        ws_end(s, WBEM_E_OUT_OF_MEMORY, NULL, 0);
        return S_OK;
    }
    j->sink = wbemsink_interface(s);
    IWbemObjectSink_AddRef(j->sink);
    IWbemServices_AddRef(services);
    j->services = services;
    j->call = call;
    j->arg = arg;
    j->free_arg = free_arg;
    ws_thread t;
    if (ws_thread_start(&t, sync_worker, j) != 0) {
        IWbemServices_Release(services);
        IWbemObjectSink_Release(j->sink);
        free(j);
        if (free_arg) free_arg(arg);
        ws_end(s, WBEM_E_OUT_OF_MEMORY, NULL, 0);
        return S_OK;
    }
    ws_thread_detach(t);
    return S_OK;
}
