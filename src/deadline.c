/* Deadlines: a watch thread per sink that has one, ending the operation
   through the normal single completion when a deadline passes. */
#include "core.h"

/* The next deadline and the HRESULT it ends with; UINT64_MAX if none. */
static uint64_t next_due_locked(const wbemsink *s, HRESULT *why)
{
    uint64_t due = UINT64_MAX;
    if (s->opt.timeout_ms) {
        due = s->created_ms + s->opt.timeout_ms;
        *why = WBEM_E_TIMED_OUT;
    }
    if (s->opt.idle_timeout_ms && s->last_activity_ms + s->opt.idle_timeout_ms < due) {
        due = s->last_activity_ms + s->opt.idle_timeout_ms;
        *why = WBEMSINK_E_IDLE_TIMEOUT;
    }
    return due;
}

static void watch(void *arg)
{
    wbemsink *s = arg;     /* holds a reference, given back on the way out */
    ws_lock(&s->lock);
    while (!s->completing && !s->closed) {
        HRESULT why = S_OK;
        uint64_t due = next_due_locked(s, &why), now = ws_now_ms();
        if (now < due) {
            ws_cond_wait_ms(&s->changed, &s->lock, (uint32_t)(due - now));
            continue;
        }
        ws_dropped d;
        IWbemServices *svc;
        ws_end_locked(s, why, &d, &svc);
        ws_unlock(&s->lock);
        ws_dropped_release(&d);
        /* Not WMI's thread and not inside a callback: call directly. */
        if (svc) ws_shell_cancel_async(s, svc, 0);
        ws_kick(s);
        ws_unref(s);
        return;
    }
    ws_unlock(&s->lock);
    ws_unref(s);
}

HRESULT ws_deadline_start(wbemsink *s)
{
    ws_thread t;
    ws_addref(s);
    if (ws_thread_start(&t, watch, s) != 0) {
        ws_unref(s);
        return E_OUTOFMEMORY;
    }
    ws_thread_detach(t);
    return S_OK;
}
