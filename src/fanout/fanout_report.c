/* The fan-out's callbacks: each under the callback lock (they never
   overlap, and none runs once the fan-out is released), every target
   reported once, the counts, and on_complete after the last report. */
#include "fanout_internal.h"

int fanout_callback(struct wbemsink_fanout *f, void (*fn)(void *), void *arg)
{
    DWORD outer;
    EnterCriticalSection(&f->cb_lock);
    if (f->released) {
        LeaveCriticalSection(&f->cb_lock);
        return 0;
    }
    outer = f->cb_thread;        /* a callback may nest (cancel from inside) */
    f->cb_thread = GetCurrentThreadId();
    fn(arg);
    f->cb_thread = outer;
    LeaveCriticalSection(&f->cb_lock);
    return 1;
}

typedef struct done_args {
    struct wbemsink_fanout *f;
    size_t index;
    const wchar_t *name;
    HRESULT hr;
    wchar_t text[256];
} done_args;

static void call_target_done(void *p)
{
    done_args *a = p;
    const wbemsink_target *t = &a->f->targets[a->index];
    /* Without a copy of its own the caller's array is read: under the
       callback lock, so never after wbemsink_fanout_release. */
    const wchar_t *name = a->name ? a->name : t->host ? t->host : t->namespace_path;
    a->f->cb.on_target_done(a->f->cb.context, a->index, name, a->hr, a->text);
}

static void call_complete(void *p)
{
    struct wbemsink_fanout *f = p;
    wbemsink_fanout_counts counts;
    EnterCriticalSection(&f->lock);
    counts = f->counts;
    LeaveCriticalSection(&f->lock);
    f->cb.on_complete(f->cb.context, &counts);
}

void fanout_report(struct wbemsink_fanout *f, size_t index, const wchar_t *name, HRESULT hr,
                   ULONGLONG objects)
{
    int last;
    if (f->cb.on_target_done) {
        done_args a;
        a.f = f;
        a.index = index;
        a.name = name;
        a.hr = hr;
        wbemsink_hresult_text(hr, a.text, sizeof a.text / sizeof a.text[0]);
        fanout_callback(f, call_target_done, &a);
    }
    EnterCriticalSection(&f->lock);
    if (SUCCEEDED(hr)) f->counts.succeeded++;
    else if (hr == (HRESULT)WBEM_E_TIMED_OUT) f->counts.timed_out++;
    else if (hr == (HRESULT)WBEM_E_CALL_CANCELLED) f->counts.cancelled++;
    else f->counts.failed++;
    f->counts.objects += objects;
    last = ++f->reported == f->count;
    LeaveCriticalSection(&f->lock);
    if (last) fanout_complete(f);
}

void fanout_complete(struct wbemsink_fanout *f)
{
    if (f->cb.on_complete) fanout_callback(f, call_complete, f);
    SetEvent(f->done_event);
    fanout_wake(f);     /* the monitor ends now */
}
