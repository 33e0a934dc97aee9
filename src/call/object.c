/* wbemsink_get_object_async: GetObjectAsync (or GetObject on a library
   thread) through a sink: the class or instance arrives as the one
   object. */
#include "call.h"
#include <stdlib.h>

typedef struct object_job {
    BSTR path;
    IWbemContext *context;    /* a reference, or NULL */
    LONG flags;
} object_job;

static void object_free(void *p)
{
    object_job *j = p;
    SysFreeString(j->path);
    if (j->context) IWbemContext_Release(j->context);
    free(j);
}

static HRESULT object_async(void *p, IWbemServices *services, IWbemObjectSink *sink)
{
    object_job *j = p;
    return IWbemServices_GetObjectAsync(services, j->path, j->flags, j->context, sink);
}

static HRESULT object_sync(void *p, IWbemServices *services, IWbemClassObject **object, BSTR *param)
{
    object_job *j = p;
    (void)param;
    return IWbemServices_GetObject(services, j->path, j->flags & ~(LONG)WBEM_FLAG_SEND_STATUS, j->context,
                                   object, NULL);
}

static const wc_call object_call = { object_async, object_sync, object_free };

HRESULT wbemsink_get_object_async(wbemsink *s, IWbemServices *services, const wchar_t *object_path,
                                  LONG flags, IWbemContext *context, wbemsink_call_mode mode)
{
    if (!s || !services || !object_path) return E_POINTER;
    object_job *j = calloc(1, sizeof(*j));
    if (!j) return E_OUTOFMEMORY;
    if (!(j->path = SysAllocString(object_path))) {
        free(j);
        return E_OUTOFMEMORY;
    }
    if (context) IWbemContext_AddRef(context);
    j->context = context;
    j->flags = flags;
    return wc_run(s, services, mode, &object_call, j);
}
