/* The host build's port (src/core/port.h), and what it acts on: counting
   objects and a fake IWbemServices that counts CancelAsyncCall calls, those
   made from a library thread (deferred), and those made from inside
   Indicate/SetStatus (where Wine's wbemprox deadlocks). Nothing here
   defines what the library exports. */
#include "host_port.h"
#include <stdlib.h>

/* ---- counting objects ---- */

static long long g_addrefs, g_releases, g_over, g_uaz, g_bad;

IWbemClassObject *host_objects_new(size_t n)
{
    IWbemClassObject *pool = host_raw_calloc(n ? n : 1, sizeof(*pool));
    for (size_t i = 0; i < n; i++) {
        pool[i].ref = 1;
        pool[i].magic = HOST_OBJECT_MAGIC;
    }
    return pool;
}

void host_objects_free(IWbemClassObject *pool) { host_raw_free(pool); }

unsigned long host_object_addref(IWbemClassObject *o)
{
    if (!o || o->magic != HOST_OBJECT_MAGIC) {
        __atomic_add_fetch(&g_bad, 1, __ATOMIC_RELAXED);
        return 0;
    }
    __atomic_add_fetch(&g_addrefs, 1, __ATOMIC_RELAXED);
    long r = __atomic_add_fetch(&o->ref, 1, __ATOMIC_ACQ_REL);
    if (r <= 1) __atomic_add_fetch(&g_uaz, 1, __ATOMIC_RELAXED);
    return (unsigned long)r;
}

unsigned long host_object_release(IWbemClassObject *o)
{
    if (!o || o->magic != HOST_OBJECT_MAGIC) {
        __atomic_add_fetch(&g_bad, 1, __ATOMIC_RELAXED);
        return 0;
    }
    __atomic_add_fetch(&g_releases, 1, __ATOMIC_RELAXED);
    long r = __atomic_sub_fetch(&o->ref, 1, __ATOMIC_ACQ_REL);
    if (r < 0) __atomic_add_fetch(&g_over, 1, __ATOMIC_RELAXED);
    return (unsigned long)(r < 0 ? 0 : r);
}

void host_object_counts_get(host_object_counts *out)
{
    out->addrefs = __atomic_load_n(&g_addrefs, __ATOMIC_ACQUIRE);
    out->releases = __atomic_load_n(&g_releases, __ATOMIC_ACQUIRE);
    out->over_release = __atomic_load_n(&g_over, __ATOMIC_ACQUIRE);
    out->use_after_zero = __atomic_load_n(&g_uaz, __ATOMIC_ACQUIRE);
    out->bad_object = __atomic_load_n(&g_bad, __ATOMIC_ACQUIRE);
}

long long host_object_errors(void)
{
    return __atomic_load_n(&g_over, __ATOMIC_ACQUIRE) + __atomic_load_n(&g_uaz, __ATOMIC_ACQUIRE) +
           __atomic_load_n(&g_bad, __ATOMIC_ACQUIRE);
}

/* ---- fake services ---- */

IWbemServices *host_services_new(HRESULT cancel_hr)
{
    IWbemServices *svc = host_raw_calloc(1, sizeof(*svc));
    svc->ref = 1;
    svc->cancel_hr = cancel_hr;
    return svc;
}

static long services_release(IWbemServices *svc)
{
    long r = __atomic_sub_fetch(&svc->ref, 1, __ATOMIC_ACQ_REL);
    if (r == 0) host_raw_free(svc);
    return r;
}

long host_services_release(IWbemServices *svc) { return services_release(svc); }
long host_services_refs(IWbemServices *svc) { return __atomic_load_n(&svc->ref, __ATOMIC_ACQUIRE); }


/* ---- WMI's calls ---- */

static _Thread_local int t_in_wmi_call;

HRESULT host_indicate(wbemsink *s, LONG n, IWbemClassObject **objs)
{
    t_in_wmi_call++;
    HRESULT hr = ws_indicate(s, n, objs);
    t_in_wmi_call--;
    return hr;
}

HRESULT host_set_status(wbemsink *s, LONG flags, HRESULT hr, const wchar_t *param,
                        IWbemClassObject *obj)
{
    t_in_wmi_call++;
    HRESULT ret = ws_set_status(s, flags, hr, param, obj);
    t_in_wmi_call--;
    return ret;
}

/* ---- the core's port (src/core/port.h) ---- */

void ws_port_services_addref(IWbemServices *svc) { __atomic_add_fetch(&svc->ref, 1, __ATOMIC_ACQ_REL); }
void ws_port_services_release(IWbemServices *svc) { services_release(svc); }

static long g_deferred_started;

HRESULT ws_port_cancel_call(IWbemServices *svc, IWbemObjectSink *sink, int library_thread)
{
    (void)sink;
    __atomic_add_fetch(&svc->cancels, 1, __ATOMIC_ACQ_REL);
    if (t_in_wmi_call) __atomic_add_fetch(&svc->cancels_in_wmi, 1, __ATOMIC_ACQ_REL);
    if (library_thread) {
        __atomic_add_fetch(&svc->deferred, 1, __ATOMIC_ACQ_REL);
        __atomic_add_fetch(&g_deferred_started, 1, __ATOMIC_ACQ_REL);
    }
    if (svc->cancel_hook) svc->cancel_hook(svc);
    return svc->cancel_hr;
}

int host_quiesce(unsigned timeout_ms)
{
    uint64_t deadline = ws_now_ms() + timeout_ms;
    while (ws_deferred_cancels_running() != 0) {
        if (ws_now_ms() >= deadline) return 0;
        host_sleep_us(200);
    }
    return 1;
}

long host_deferred_cancels(void) { return __atomic_load_n(&g_deferred_started, __ATOMIC_ACQUIRE); }

/* ---- event hook (src/core/event.h, host branch) ---- */

static void (*volatile g_event_hook)(ws_event *e, int point);

void host_set_event_hook(void (*hook)(ws_event *e, int point))
{
    __atomic_store_n(&g_event_hook, hook, __ATOMIC_SEQ_CST);
}

void ws_host_event_hook(ws_event *e, int point)
{
    void (*hook)(ws_event *, int) = __atomic_load_n(&g_event_hook, __ATOMIC_SEQ_CST);
    if (hook) hook(e, point);
}

/* ---- the shared dispatcher's idle hook (src/core/dispatch.c) ---- */

static void (*volatile g_idle_hook)(wbemsink_dispatcher *d);

void host_set_dispatcher_idle_hook(void (*hook)(wbemsink_dispatcher *d))
{
    __atomic_store_n(&g_idle_hook, hook, __ATOMIC_SEQ_CST);
}

void ws_host_dispatcher_idle_hook(wbemsink_dispatcher *d)
{
    void (*hook)(wbemsink_dispatcher *) = __atomic_load_n(&g_idle_hook, __ATOMIC_SEQ_CST);
    if (hook) hook(d);
}

/* The host shell attaches nothing to a sink. */
void ws_port_shell_free(void *shell) { (void)shell; }
