/* Ending an operation early: cancel from the caller, dropping what waits. */
#include "core.h"
#include <stdlib.h>

void ws_drop_pending_locked(wbemsink *s, ws_dropped *d)
{
    d->queue = s->queue;
    d->status = s->status_head;
    s->stats.dropped += d->queue.count;
    s->popped += d->queue.count;
    ws_queue_init(&s->queue, s->opt.capacity);
    s->status_head = s->status_tail = NULL;
    ws_broadcast(&s->not_full);
}

void ws_dropped_release(ws_dropped *d)
{
    IWbemClassObject *batch[64];
    size_t k;
    while ((k = ws_queue_pop(&d->queue, (void **)batch, 64)) > 0)
        for (size_t i = 0; i < k; i++) IWbemClassObject_Release(batch[i]);
    ws_queue_free(&d->queue);
    while (d->status) {
        ws_status_node *n = d->status;
        d->status = n->next;
        ws_status_free(n);
    }
}

int ws_end_locked(wbemsink *s, HRESULT hr, ws_dropped *d, IWbemServices **services)
{
    *services = NULL;
    if (s->completing) return 0;
    s->cancelled = 1;
    ws_drop_pending_locked(s, d);
    ws_complete_locked(s, hr, NULL, NULL);
    *services = s->services;
    s->services = NULL;
    return 1;
}

HRESULT wbemsink_cancel(wbemsink *s, IWbemServices *services)
{
    if (!s) return E_POINTER;
    ws_dropped d;
    IWbemServices *bound;
    ws_lock(&s->lock);
    int in_cb = ws_in_callback_locked(s);
    int cancelled = ws_end_locked(s, WBEM_E_CALL_CANCELLED, &d, &bound);
    ws_unlock(&s->lock);
    if (!cancelled) return S_FALSE;
    ws_dropped_release(&d);
    HRESULT hr = S_OK;
    if (services) {
        ws_shell_services_addref(services);
        if (bound) ws_shell_services_release(bound);
        bound = services;
    }
    if (bound) hr = ws_shell_cancel_async(s, bound, in_cb);
    ws_kick(s);
    return hr;
}

HRESULT wbemsink_start(wbemsink *s, IWbemServices *services, wbemsink_start_fn start, void *arg)
{
    if (!s || !services || !start) return E_POINTER;
    HRESULT hr = wbemsink_bind_services(s, services);
    if (FAILED(hr)) return hr;
    hr = start(arg, services, wbemsink_interface(s));
    if (SUCCEEDED(hr)) return S_OK;
    /* The call failed before WMI took the sink: complete through the same
       path as any other failure. Nothing was started, so nothing to cancel. */
    ws_dropped d;
    IWbemServices *bound;
    ws_lock(&s->lock);
    int ended = ws_end_locked(s, hr, &d, &bound);
    ws_unlock(&s->lock);
    if (ended) {
        ws_dropped_release(&d);
        if (bound) ws_shell_services_release(bound);
        ws_kick(s);
    }
    return S_OK;
}
