/* The fan-out object itself, below every other file of the folder: its
   reference count (the last holder frees it), waking its monitor, and
   whether the calling thread is inside one of its callbacks. */
#include "fanout_internal.h"

#include <stdlib.h>

void fanout_addref(struct wbemsink_fanout *f)
{
    InterlockedIncrement(&f->refs);
}

void fanout_free(struct wbemsink_fanout *f)
{
    if (f->dispatcher) wbemsink_dispatcher_release(f->dispatcher);
    if (f->cancel_event) CloseHandle(f->cancel_event);
    if (f->done_event) CloseHandle(f->done_event);
    if (f->wake) CloseHandle(f->wake);
    DeleteCriticalSection(&f->lock);
    DeleteCriticalSection(&f->cb_lock);
    free(f->slots);
    free(f->late);
    free(f->late_hr);
    free(f->query);
    free(f);
}

void fanout_unref(struct wbemsink_fanout *f)
{
    if (InterlockedDecrement(&f->refs) == 0) fanout_free(f);
}

void fanout_wake(struct wbemsink_fanout *f)
{
    SetEvent(f->wake);
}

int fanout_in_callback(struct wbemsink_fanout *f)
{
    /* Only this thread ever stores its own id there. */
    return f->cb_thread == GetCurrentThreadId();
}
