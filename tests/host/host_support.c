/* The callback recorder shared by the host tests: counts every callback,
   notices callbacks that run at once or after wbemsink_release returned,
   checks per-producer order, and can act on the sink from inside. */
#include "host_port.h"
#include <string.h>
#include <wchar.h>

void host_rec_init(host_rec *r)
{
    memset(r, 0, sizeof(*r));
    r->complete_hr = (HRESULT)0x7fffffff;   /* "never ran" */
    r->inner_wait_hr = r->inner_next_hr = r->inner_cancel_hr = (HRESULT)0x7fffffff;
}

static void enter(host_rec *r)
{
    if (__atomic_add_fetch(&r->inside, 1, __ATOMIC_ACQ_REL) > 1)
        __atomic_add_fetch(&r->concurrent, 1, __ATOMIC_ACQ_REL);
    r->cb_thread = ws_thread_self();
    if (__atomic_load_n(&r->released, __ATOMIC_ACQUIRE))
        __atomic_add_fetch(&r->after_release, 1, __ATOMIC_ACQ_REL);
}

static void leave(host_rec *r) { __atomic_sub_fetch(&r->inside, 1, __ATOMIC_ACQ_REL); }

static HRESULT on_objects(void *ctx, IWbemClassObject *const *objs, LONG n)
{
    host_rec *r = ctx;
    enter(r);
    long calls = __atomic_add_fetch(&r->object_calls, 1, __ATOMIC_ACQ_REL);
    __atomic_add_fetch(&r->objects, n, __ATOMIC_ACQ_REL);
    for (LONG i = 0; i < n; i++) {
        IWbemClassObject *o = objs[i];
        __atomic_add_fetch(&o->delivered, 1, __ATOMIC_ACQ_REL);
        if (__atomic_load_n(&o->ref, __ATOMIC_ACQUIRE) < 1)
            __atomic_add_fetch(&r->out_of_order, 1000000, __ATOMIC_ACQ_REL);   /* unheld */
        if (r->check_order && o->producer < 16) {
            if (o->seq < r->next_seq[o->producer]) __atomic_add_fetch(&r->out_of_order, 1, __ATOMIC_ACQ_REL);
            r->next_seq[o->producer] = o->seq + 1;
        }
    }
    if (r->slow_every && calls % r->slow_every == 0) host_sleep_us(r->slow_us);
    if (r->cancel_in_objects && r->sink) {
        r->inner_wait_hr = wbemsink_wait(r->sink, 0, NULL);
        r->inner_cancel_hr = wbemsink_cancel(r->sink, r->cancel_svc);
        r->cancel_in_objects = 0;
    }
    HRESULT hr = r->objects_result;
    if (r->fail_at_call && calls == r->fail_at_call) hr = E_FAIL;   /* a stop request */
    leave(r);
    return hr;
}

static void on_progress(void *ctx, unsigned current, unsigned total, const wchar_t *msg)
{
    host_rec *r = ctx;
    (void)msg;
    enter(r);
    r->last_current = current;
    r->last_total = total;
    r->progress_seen_objects = __atomic_load_n(&r->objects, __ATOMIC_ACQUIRE);
    __atomic_add_fetch(&r->progress, 1, __ATOMIC_ACQ_REL);
    leave(r);
}

static void on_requirements(void *ctx, HRESULT hr, const wchar_t *param, IWbemClassObject *obj)
{
    host_rec *r = ctx;
    (void)hr;
    (void)param;
    enter(r);
    if (obj && __atomic_load_n(&obj->ref, __ATOMIC_ACQUIRE) < 1)
        __atomic_add_fetch(&r->out_of_order, 1000000, __ATOMIC_ACQ_REL);
    __atomic_add_fetch(&r->requirements, 1, __ATOMIC_ACQ_REL);
    leave(r);
}

static void on_other(void *ctx, LONG flags, HRESULT hr, const wchar_t *param, IWbemClassObject *obj)
{
    host_rec *r = ctx;
    (void)hr;
    (void)param;
    (void)obj;
    enter(r);
    r->last_other_flags = flags;
    __atomic_add_fetch(&r->other, 1, __ATOMIC_ACQ_REL);
    leave(r);
}

static void on_complete(void *ctx, HRESULT hr, const wchar_t *param, IWbemClassObject *err)
{
    host_rec *r = ctx;
    enter(r);
    r->complete_hr = hr;
    r->complete_seen_objects = __atomic_load_n(&r->objects, __ATOMIC_ACQUIRE);
    r->complete_had_param = param != NULL;
    if (param) wcsncpy(r->complete_param, param, 63);
    r->complete_had_obj = err != NULL;
    if (err && __atomic_load_n(&err->ref, __ATOMIC_ACQUIRE) < 1)
        __atomic_add_fetch(&r->out_of_order, 1000000, __ATOMIC_ACQ_REL);
    if (r->sink) {
        r->inner_wait_hr = wbemsink_wait(r->sink, 0, NULL);
        IWbemClassObject *o = NULL;
        r->inner_next_hr = wbemsink_next(r->sink, 0, &o);
    }
    __atomic_add_fetch(&r->completes, 1, __ATOMIC_ACQ_REL);
    if (r->release_in_complete && r->sink) {
        wbemsink *s = r->sink;
        r->sink = NULL;
        wbemsink_release(s);
        __atomic_store_n(&r->released, 1, __ATOMIC_RELEASE);
    }
    leave(r);
}

wbemsink_callbacks host_rec_callbacks(host_rec *r)
{
    wbemsink_callbacks cb;
    memset(&cb, 0, sizeof(cb));
    cb.context = r;
    cb.on_objects = on_objects;
    cb.on_progress = on_progress;
    cb.on_requirements = on_requirements;
    cb.on_other_status = on_other;
    cb.on_complete = on_complete;
    return cb;
}

void host_release(host_rec *r, wbemsink *s)
{
    wbemsink_release(s);
    if (r) __atomic_store_n(&r->released, 1, __ATOMIC_RELEASE);
}
