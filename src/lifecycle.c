/* Creation, reference counting, release and the small accessors. */
#include "core.h"
#include <stdlib.h>
#include <string.h>

wchar_t *ws_wcsdup(const wchar_t *w)
{
    if (!w) return NULL;
    size_t n = (wcslen(w) + 1) * sizeof(wchar_t);
    wchar_t *c = malloc(n);
    if (c) memcpy(c, w, n);
    return c;
}

void ws_status_free(ws_status_node *n)
{
    if (n->obj) IWbemClassObject_Release(n->obj);
    free(n->param);
    free(n);
}

static HRESULT check_options(const wbemsink_options *o)
{
    if (o->mode != WBEMSINK_MODE_THREAD && o->mode != WBEMSINK_MODE_INLINE &&
        o->mode != WBEMSINK_MODE_PULL)
        return E_INVALIDARG;
    if (o->full_policy != WBEMSINK_FULL_WAIT && o->full_policy != WBEMSINK_FULL_DROP_NEWEST &&
        o->full_policy != WBEMSINK_FULL_FAIL)
        return E_INVALIDARG;
    if (o->capacity > WBEMSINK_MAX_CAPACITY) return E_INVALIDARG;
    if (o->dispatcher && o->mode != WBEMSINK_MODE_THREAD) return E_INVALIDARG;
    return S_OK;
}

HRESULT wbemsink_create(const wbemsink_callbacks *callbacks, const wbemsink_options *options,
                        wbemsink **out)
{
    if (!out) return E_POINTER;
    *out = NULL;
    wbemsink_options opt;
    memset(&opt, 0, sizeof(opt));
    if (options) opt = *options;
    HRESULT hr = check_options(&opt);
    if (FAILED(hr)) return hr;
    if (!opt.capacity) opt.capacity = WBEMSINK_DEFAULT_CAPACITY;
    if (!opt.full_wait_ms) opt.full_wait_ms = WBEMSINK_DEFAULT_FULL_WAIT_MS;

    wbemsink *s = calloc(1, sizeof(*s));
    if (!s) return E_OUTOFMEMORY;
    if (!ws_event_init(&s->done)) {
        free(s);
        return E_OUTOFMEMORY;
    }
    if (opt.mode == WBEMSINK_MODE_THREAD) {
        if (opt.dispatcher) {
            ws_dispatcher_addref(opt.dispatcher);
            s->dispatcher = opt.dispatcher;
        } else if (FAILED(hr = ws_dispatcher_shared(&s->dispatcher))) {
            ws_event_destroy(&s->done);
            free(s);
            return hr;
        }
    }
    opt.dispatcher = NULL;    /* the sink's own reference lives in s->dispatcher */
    s->ref = 1;
    if (callbacks) s->cb = *callbacks;
    s->opt = opt;
    ws_mutex_init(&s->lock);
    ws_cond_init(&s->not_full);
    ws_cond_init(&s->changed);
    ws_queue_init(&s->queue, opt.capacity);
    s->created_ms = s->last_activity_ms = ws_now_ms();
    ws_shell_init(s);
    if ((opt.timeout_ms || opt.idle_timeout_ms) && FAILED(hr = ws_deadline_start(s))) {
        ws_unref(s);
        return hr;
    }
    *out = s;
    return S_OK;
}

unsigned long ws_addref(wbemsink *s)
{
    return (unsigned long)ws_atomic_inc(&s->ref);
}

static void destroy(wbemsink *s)
{
    ws_dropped d;
    ws_drop_pending_locked(s, &d);   /* last reference: nobody else can lock */
    ws_dropped_release(&d);
    if (s->final_obj) IWbemClassObject_Release(s->final_obj);
    free(s->final_param);
    if (s->services) ws_shell_services_release(s->services);
    if (s->dispatcher) wbemsink_dispatcher_release(s->dispatcher);
    ws_queue_free(&s->queue);
    ws_event_destroy(&s->done);
    ws_cond_destroy(&s->changed);
    ws_cond_destroy(&s->not_full);
    ws_mutex_destroy(&s->lock);
    free(s);
}

unsigned long ws_unref(wbemsink *s)
{
    long r = ws_atomic_dec(&s->ref);
    if (r == 0) destroy(s);
    return (unsigned long)r;
}

HRESULT wbemsink_set_callbacks(wbemsink *s, const wbemsink_callbacks *callbacks)
{
    if (!s || !callbacks) return E_POINTER;
    ws_lock(&s->lock);
    HRESULT hr = WBEMSINK_E_SEALED;
    if (!s->sealed) {
        s->cb = *callbacks;
        hr = S_OK;
    }
    ws_unlock(&s->lock);
    return hr;
}

HRESULT wbemsink_bind_services(wbemsink *s, IWbemServices *services)
{
    if (!s) return E_POINTER;
    if (services) ws_shell_services_addref(services);
    ws_lock(&s->lock);
    IWbemServices *old = s->services;
    s->services = NULL;
    if (!s->completed && !s->closed) {
        s->services = services;
        services = NULL;
    }
    ws_unlock(&s->lock);
    if (old) ws_shell_services_release(old);
    if (services) ws_shell_services_release(services);   /* already over: not kept */
    return S_OK;
}

HRESULT wbemsink_get_stats(wbemsink *s, wbemsink_stats *out)
{
    if (!s || !out) return E_POINTER;
    ws_lock(&s->lock);
    *out = s->stats;
    out->queued = (unsigned)s->queue.count;
    ws_unlock(&s->lock);
    return S_OK;
}

void wbemsink_release(wbemsink *s)
{
    if (!s) return;
    ws_dropped d;
    IWbemServices *cancel_svc = NULL;
    ws_lock(&s->lock);
    if (s->closed) {          /* a second release: refuse to free twice */
        ws_unlock(&s->lock);
        return;
    }
    s->closed = 1;
    s->sealed = 1;
    int in_cb = ws_in_callback_locked(s);
    /* An operation still running is cancelled at WMI, so a forgotten
       cancel cannot leave a registration (and its reference on us) behind. */
    if (!ws_end_locked(s, WBEM_E_CALL_CANCELLED, &d, &cancel_svc)) ws_drop_pending_locked(s, &d);
    IWbemServices *svc = s->services;
    s->services = NULL;
    ws_broadcast(&s->not_full);
    ws_broadcast(&s->changed);
    if (!in_cb)
        while (s->draining) ws_cond_wait_ms(&s->changed, &s->lock, WS_INFINITE);
    ws_unlock(&s->lock);
    ws_event_set(&s->done);
    ws_dropped_release(&d);
    if (cancel_svc) ws_shell_cancel_async(s, cancel_svc, in_cb);
    if (svc) ws_shell_services_release(svc);
    ws_unref(s);
}
