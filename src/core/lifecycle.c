/* The caller's handle: creating, configuring, cancelling and releasing a
   sink, and its statistics. */
#include "core.h"
#include <stdlib.h>
#include <string.h>

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
    if (!ws_ring_init(&s->ring, opt.capacity)) {
        free(s);
        return E_OUTOFMEMORY;
    }
    if (!ws_event_init(&s->done)) {
        ws_ring_free(&s->ring);
        free(s);
        return E_OUTOFMEMORY;
    }
    if (opt.mode == WBEMSINK_MODE_PULL && !ws_event_init(&s->pull_ready)) {
        ws_event_destroy(&s->done);
        ws_ring_free(&s->ring);
        free(s);
        return E_OUTOFMEMORY;
    }
    if (opt.mode == WBEMSINK_MODE_THREAD) {
        if (opt.dispatcher) {
            ws_dispatcher_addref(opt.dispatcher);
            s->dispatcher = opt.dispatcher;
        } else if (FAILED(hr = ws_dispatcher_shared(&s->dispatcher))) {
            ws_event_destroy(&s->done);
            ws_ring_free(&s->ring);
            free(s);
            return hr;
        }
    }
    opt.dispatcher = NULL;    /* the sink's own reference lives in s->dispatcher */
    s->ref = 1;
    if (callbacks) s->cb = *callbacks;
    s->opt = opt;
    s->state = WS_NEW;
    s->task.run = ws_task_run;
    s->last_mark = -1;
    s->cancel_name = (IWbemObjectSink *)&s->iface;
    ws_mutex_init(&s->lock);
    ws_cond_init(&s->not_full);
    ws_cond_init(&s->changed);
    s->created_ms = ws_now_ms();
    s->last_activity_ms = (int64_t)s->created_ms;
    if ((opt.timeout_ms || opt.idle_timeout_ms) && FAILED(hr = ws_deadline_start(s))) {
        ws_unref(s);
        return hr;
    }
    *out = s;
    return S_OK;
}

HRESULT wbemsink_set_callbacks(wbemsink *s, const wbemsink_callbacks *callbacks)
{
    if (!s || !callbacks) return E_POINTER;
    ws_lock(&s->lock);
    HRESULT hr = WBEMSINK_E_SEALED;
    if (s->state == WS_NEW && !s->released) {
        s->cb = *callbacks;
        hr = S_OK;
    }
    ws_unlock(&s->lock);
    return hr;
}

HRESULT wbemsink_bind_services(wbemsink *s, IWbemServices *services)
{
    if (!s) return E_POINTER;
    if (services) ws_port_services_addref(services);
    ws_lock(&s->lock);
    IWbemServices *old = s->services;
    s->services = NULL;
    if (s->state < WS_DELIVERED && !s->released) {
        s->services = services;
        services = NULL;
    }
    ws_unlock(&s->lock);
    if (old) ws_port_services_release(old);
    if (services) ws_port_services_release(services);   /* already over: not kept */
    return S_OK;
}

HRESULT wbemsink_get_stats(wbemsink *s, wbemsink_stats *out)
{
    if (!s || !out) return E_POINTER;
    ws_lock(&s->lock);
    size_t count = ws_ring_count(&s->ring);
    if (count > s->stats.high_water) s->stats.high_water = (unsigned)count;
    *out = s->stats;
    /* Objects stored in the ring were received without the lock: the
       ring's entries that are not status marks. */
    out->received += (ULONGLONG)(ws_ring_tail(&s->ring) - s->marks);
    out->queued = (unsigned)(count - s->stats.status_queued);
    ws_unlock(&s->lock);
    return S_OK;
}

HRESULT wbemsink_cancel(wbemsink *s, IWbemServices *services)
{
    if (!s) return E_POINTER;
    return ws_end(s, WBEM_E_CALL_CANCELLED, services, WS_END_CALL_WMI);
}

void wbemsink_release(wbemsink *s)
{
    if (!s) return;
    ws_lock(&s->lock);
    int twice = s->released;
    s->released = 1;
    ws_unlock(&s->lock);
    if (twice) return;    /* a second release: refused, nothing is freed twice */
    /* An operation still running is cancelled at WMI, so a forgotten
       cancel cannot leave a registration (and its reference on us) behind. */
    ws_end(s, WBEM_E_CALL_CANCELLED, NULL, WS_END_CALL_WMI | WS_END_RELEASE);
    ws_lock(&s->lock);
    /* No callback after we return: wait for those running on other threads
       (from inside a callback, that one is the last). */
    ws_wait_other_callbacks_locked(s);
    if (s->state != WS_DELIVERED && !s->draining) s->state = WS_DELIVERED;   /* nobody will */
    /* The completion's error object and param serve callbacks only, and
       none runs any more: given back now, not when the last reference
       (maybe a dispatcher's, a moment later) goes. Inside on_complete they
       stay until the sink's end, as that callback may still use them. */
    IWbemClassObject *final_obj = NULL;
    wchar_t *final_param = NULL;
    if (!ws_in_callback(s)) {
        final_obj = s->final_obj;
        final_param = s->final_param;
        s->final_obj = NULL;
        s->final_param = NULL;
    }
    ws_broadcast(&s->changed);
    if (s->opt.mode == WBEMSINK_MODE_PULL) ws_event_set(&s->pull_ready);
    ws_unlock(&s->lock);
    ws_event_set(&s->done);
    if (final_obj) IWbemClassObject_Release(final_obj);
    free(final_param);
    ws_unref(s);
}
