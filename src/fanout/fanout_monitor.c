/* The monitor thread: starts workers into vacant slots, keeps the connect
   deadlines (a worker past its deadline is let go: its target reported
   WBEM_E_TIMED_OUT, its slot given to a new worker), and on a cancel
   reports the connecting and the not-started targets. It ends when the
   fan-out has completed. */
#include "fanout_internal.h"

/* Workers for the vacant slots while targets wait (under f->lock). When
   not one worker can be started, the fan-out stops with E_OUTOFMEMORY
   rather than wait for ever. */
static void fill_slots(struct wbemsink_fanout *f)
{
    for (unsigned i = 0; i < f->opt.throttle; i++) {
        if (f->slots[i]) continue;
        if (f->cancelled || f->next >= f->count) return;
        if (f->threads >= f->opt.throttle + f->opt.max_stuck) return;
        if (fanout_worker_start(f, i) != 0) {
            if (f->threads == 0) {
                f->cancelled = 1;
                f->stop_hr = E_OUTOFMEMORY;
                SetEvent(f->cancel_event);
                fanout_wake(f);
            }
            return;
        }
    }
}

void fanout_monitor(void *arg)
{
    struct wbemsink_fanout *f = arg;
    HRESULT init = CoInitializeEx(NULL, COINIT_MULTITHREADED);   /* for WMI's error texts */

    if (f->count == 0) fanout_complete(f);
    while (WaitForSingleObject(f->done_event, 0) != WAIT_OBJECT_0) {
        unsigned nlate = 0;
        size_t first, last;
        DWORD wait = INFINITE;
        HRESULT stop_hr;
        ULONGLONG now = GetTickCount64();

        EnterCriticalSection(&f->lock);
        stop_hr = f->stop_hr;
        for (unsigned i = 0; i < f->opt.throttle; i++) {
            fanout_worker *w = f->slots[i];
            if (!w || w->phase != FANOUT_CONNECTING) continue;
            if (f->cancelled || now >= w->connect_due) {
                w->abandoned = 1;
                f->slots[i] = NULL;
                f->active--;
                f->stuck++;
                f->late[nlate] = w->target.index;
                f->late_hr[nlate] = f->cancelled ? stop_hr : (HRESULT)WBEM_E_TIMED_OUT;
                nlate++;
            } else if (w->connect_due - now < wait) {
                wait = (DWORD)(w->connect_due - now);
            }
        }
        first = last = f->next;
        if (f->cancelled) last = f->next = f->count;
        fill_slots(f);
        LeaveCriticalSection(&f->lock);

        /* Reported outside the lock; the name is read from the caller's
           array under the callback lock (the worker's copy is its own). */
        for (unsigned i = 0; i < nlate; i++) fanout_report(f, f->late[i], NULL, f->late_hr[i], 0);
        for (size_t i = first; i < last; i++) fanout_report(f, i, NULL, stop_hr, 0);
        if (nlate || first != last) continue;    /* look again at once */
        WaitForSingleObject(f->wake, wait);
    }
    if (SUCCEEDED(init)) CoUninitialize();
    fanout_unref(f);
}
