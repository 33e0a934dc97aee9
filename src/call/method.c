/* wbemsink_exec_method: ExecMethodAsync (or ExecMethod on a library
   thread) through a sink. */
#include "call.h"
#include <stdlib.h>

typedef struct method_job {
    BSTR path, method;
    IWbemClassObject *in;     /* a reference, or NULL */
    IWbemContext *context;    /* a reference, or NULL */
    LONG flags;
} method_job;

static void method_free(void *p)
{
    method_job *j = p;
    SysFreeString(j->path);
    SysFreeString(j->method);
    if (j->in) IWbemClassObject_Release(j->in);
    if (j->context) IWbemContext_Release(j->context);
    free(j);
}

static HRESULT method_async(void *p, IWbemServices *services, IWbemObjectSink *sink)
{
    method_job *j = p;
    return IWbemServices_ExecMethodAsync(services, j->path, j->method, j->flags, j->context, j->in,
                                         sink);
}

static HRESULT method_sync(void *p, IWbemServices *services, IWbemClassObject **object, BSTR *param)
{
    method_job *j = p;
    (void)param;
    return IWbemServices_ExecMethod(services, j->path, j->method, 0, j->context, j->in, object, NULL);
}

static const wc_call method_call = { method_async, method_sync, method_free };

HRESULT wbemsink_exec_method(wbemsink *s, IWbemServices *services, const wchar_t *object_path,
                             const wchar_t *method, IWbemClassObject *in_params, LONG flags,
                             IWbemContext *context, wbemsink_call_mode mode)
{
    if (!s || !services || !object_path || !method) return E_POINTER;
    method_job *j = calloc(1, sizeof(*j));
    if (!j) return E_OUTOFMEMORY;
    j->path = SysAllocString(object_path);
    j->method = SysAllocString(method);
    if (!j->path || !j->method) {
        method_free(j);
        return E_OUTOFMEMORY;
    }
    if (in_params) IWbemClassObject_AddRef(in_params);
    j->in = in_params;
    if (context) IWbemContext_AddRef(context);
    j->context = context;
    j->flags = flags;
    return wc_run(s, services, mode, &method_call, j);
}
