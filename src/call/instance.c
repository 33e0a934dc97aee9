/* wbemsink_put_instance and wbemsink_delete_instance: PutInstanceAsync and
   DeleteInstanceAsync (or their synchronous calls on a library thread)
   through a sink. */
#include "call.h"
#include <stdlib.h>

typedef struct instance_job {
    IWbemClassObject *instance;   /* put: a reference */
    BSTR path;                    /* delete */
    IWbemContext *context;        /* a reference, or NULL */
    LONG flags;
} instance_job;

static void instance_free(void *p)
{
    instance_job *j = p;
    if (j->instance) IWbemClassObject_Release(j->instance);
    SysFreeString(j->path);
    if (j->context) IWbemContext_Release(j->context);
    free(j);
}

static HRESULT put_async(void *p, IWbemServices *services, IWbemObjectSink *sink)
{
    instance_job *j = p;
    return IWbemServices_PutInstanceAsync(services, j->instance, j->flags, j->context, sink);
}

/* The synchronous PutInstance gives the new object's path through its
   IWbemCallResult. */
static HRESULT put_sync(void *p, IWbemServices *services, IWbemClassObject **object, BSTR *param)
{
    instance_job *j = p;
    IWbemCallResult *result = NULL;
    (void)object;
    HRESULT hr = IWbemServices_PutInstance(services, j->instance,
                                           j->flags & ~(LONG)WBEM_FLAG_SEND_STATUS, j->context,
                                           &result);
    if (result) {
        if (SUCCEEDED(hr) && FAILED(IWbemCallResult_GetResultString(result, 0, param))) *param = NULL;
        IWbemCallResult_Release(result);
    }
    return hr;
}

static HRESULT delete_async(void *p, IWbemServices *services, IWbemObjectSink *sink)
{
    instance_job *j = p;
    return IWbemServices_DeleteInstanceAsync(services, j->path, j->flags, j->context, sink);
}

static HRESULT delete_sync(void *p, IWbemServices *services, IWbemClassObject **object, BSTR *param)
{
    instance_job *j = p;
    (void)object;
    (void)param;
    return IWbemServices_DeleteInstance(services, j->path, 0, j->context, NULL);
}

static const wc_call put_call = { put_async, put_sync, instance_free };
static const wc_call delete_call = { delete_async, delete_sync, instance_free };

static HRESULT run(wbemsink *s, IWbemServices *services, IWbemClassObject *instance,
                   const wchar_t *path, LONG flags, IWbemContext *context, wbemsink_call_mode mode,
                   const wc_call *call)
{
    instance_job *j = calloc(1, sizeof(*j));
    if (!j) return E_OUTOFMEMORY;
    if (path && !(j->path = SysAllocString(path))) {
        free(j);
        return E_OUTOFMEMORY;
    }
    if (instance) IWbemClassObject_AddRef(instance);
    j->instance = instance;
    if (context) IWbemContext_AddRef(context);
    j->context = context;
    j->flags = flags;
    return wc_run(s, services, mode, call, j);
}

HRESULT wbemsink_put_instance(wbemsink *s, IWbemServices *services, IWbemClassObject *instance,
                              LONG flags, IWbemContext *context, wbemsink_call_mode mode)
{
    if (!s || !services || !instance) return E_POINTER;
    return run(s, services, instance, NULL, flags, context, mode, &put_call);
}

HRESULT wbemsink_delete_instance(wbemsink *s, IWbemServices *services, const wchar_t *object_path,
                                 LONG flags, IWbemContext *context, wbemsink_call_mode mode)
{
    if (!s || !services || !object_path) return E_POINTER;
    return run(s, services, NULL, object_path, flags, context, mode, &delete_call);
}
