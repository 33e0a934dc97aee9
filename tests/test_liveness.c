/*
 * Liveness: an object Indicate accepts is delivered promptly, on its own,
 * without a later Indicate, SetStatus or cancel to kick the sink.
 *
 * Every other test ends its scenario with a COMPLETE, which kicks delivery
 * and so hides an object stranded in the queue (the dispatcher clearing its
 * "scheduled" mark after draining instead of before is such a bug: an
 * object arriving in between is never delivered). Here a producer thread,
 * standing for WMI, sends ONE object and waits (bounded) until the consumer
 * has it before sending the next, many thousands of times: a stranded object
 * is then a timeout naming the mode and the index, not a lucky pass.
 *
 * Modes: THREAD on the shared dispatcher, THREAD on a private one, INLINE,
 * PULL (a consumer thread in wbemsink_next). Only the public API and the
 * COM interface, through the DLL.
 */
#include "test_support.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Round trips per mode. Enough to hit the window between "queue looked
   empty" and "mark cleared" many times (with that break the THREAD modes
   failed within a few thousand rounds on two loaded cores; on ONE core the
   window is only reached through preemption, and the test rarely sees it);
   small enough that the four modes take a few seconds under Wine.
   WBEMSINK_LIVENESS_ROUNDS overrides it for a longer soak. */
#define DEFAULT_ROUNDS 100000
/* How long one object may take to arrive. Far above any honest delivery
   (microseconds), so only a stranded object reaches it. */
#define ARRIVAL_MS 5000
/* Spin-waits before the producer sleeps on the event (a millisecond or so). */
#define POLL_ROUNDS 20000
/* Longest pause before an Indicate, in spin-waits (see pause_before_next). */
#define SWEEP 64

typedef struct live {
    const char *mode_name;
    wbemsink *sink;
    IWbemObjectSink *wmi;       /* the interface, with "WMI's" reference */
    IWbemClassObject *obj;      /* the one object sent over and over */
    long rounds;
    volatile LONG arrived;      /* objects the consumer got */
    volatile LONG producer_asleep;   /* the producer waits on `arrival` */
    HANDLE arrival;             /* auto-reset: set on an arrival while the
                                   producer sleeps */
    /* the producer's verdict (cmocka may only fail on the test's thread) */
    long stuck_at;              /* index that did not arrive in time, or -1 */
    HRESULT bad_hr;             /* an Indicate that failed */
    long bad_hr_at;
    /* PULL's consumer */
    long pull_stuck_at;
    HRESULT pull_bad_hr;
    HRESULT pull_end_hr;        /* the wbemsink_next after COMPLETE */
    int completes;
    HRESULT complete_hr;
} live;

/* The consumer's side: counts, and wakes the producer only if it sleeps
   (an event per object would make every callback a trip to wineserver). */
static void arrived(live *l, LONG n)
{
    InterlockedExchangeAdd(&l->arrived, n);
    if (InterlockedCompareExchange(&l->producer_asleep, 0, 0)) SetEvent(l->arrival);
}

static HRESULT on_objects(void *ctx, IWbemClassObject *const *objects, LONG count)
{
    live *l = ctx;
    (void)objects;
    arrived(l, count);
    return S_OK;
}

static void on_complete(void *ctx, HRESULT hr, const wchar_t *param, IWbemClassObject *err)
{
    live *l = ctx;
    (void)param;
    (void)err;
    l->completes++;
    l->complete_hr = hr;
}

/* Waits until `want` objects have arrived, ARRIVAL_MS at most. Polls first,
   so the next Indicate can follow the arrival within a fraction of a
   microsecond (a producer woken through an event would come back long after
   the consumer went idle, and never reach the moment a scheduling bug needs);
   then sleeps on the event, which the consumer sets only when told that the
   producer sleeps. */
static int wait_arrived(live *l, LONG want)
{
    for (int i = 0; i < POLL_ROUNDS; i++) {
        if (InterlockedCompareExchange(&l->arrived, 0, 0) >= want) return 1;
        YieldProcessor();
    }
    DWORD start = GetTickCount();
    InterlockedExchange(&l->producer_asleep, 1);
    int ok = 0;
    for (;;) {
        /* Checked after announcing the sleep: an arrival before it is seen
           here, one after it sets the event. */
        if (InterlockedCompareExchange(&l->arrived, 0, 0) >= want) {
            ok = 1;
            break;
        }
        DWORD spent = GetTickCount() - start;
        if (spent >= ARRIVAL_MS) break;
        WaitForSingleObject(l->arrival, ARRIVAL_MS - spent);
    }
    InterlockedExchange(&l->producer_asleep, 0);
    return ok;
}

/* A pause before the next Indicate. The consumer's way back to idle after a
   callback (return, Release, a last look at the queue, clearing its marks)
   takes well under a microsecond, and a scheduling race lives at one point
   of it. Every other round sends at once (where the dispatcher race of
   issue 16 is hit most); the rounds between sweep a pause of 0 to SWEEP-1
   spin-waits, so the next Indicate lands at every point of that way
   hundreds of times, whatever the machine's speed, not only where timing
   happens to put it. */
static void pause_before_next(long round)
{
    long n = round & 1 ? (round / 2) % SWEEP : 0;
    for (long i = n; i > 0; i--) YieldProcessor();
}

/* "WMI": one object per Indicate, the next only once the last arrived; no
   SetStatus until the end (the test thread sends it after the check). */
static DWORD WINAPI producer(void *arg)
{
    live *l = arg;
    for (long i = 0; i < l->rounds; i++) {
        pause_before_next(i);
        HRESULT hr = IWbemObjectSink_Indicate(l->wmi, 1, &l->obj);
        if (FAILED(hr)) {
            l->bad_hr = hr;
            l->bad_hr_at = i;
            return 0;
        }
        if (!wait_arrived(l, (LONG)(i + 1))) {
            l->stuck_at = i;
            return 0;
        }
    }
    return 0;
}

/* PULL's consumer: takes each object as soon as it is there. */
static DWORD WINAPI puller(void *arg)
{
    live *l = arg;
    for (long i = 0; i < l->rounds; i++) {
        IWbemClassObject *o = NULL;
        HRESULT hr = wbemsink_next(l->sink, ARRIVAL_MS, &o);
        if (hr == WBEM_S_TIMEDOUT) {
            l->pull_stuck_at = i;
            return 0;
        }
        if (hr != S_OK || o == NULL) {
            l->pull_bad_hr = hr;
            l->pull_stuck_at = i;
            return 0;
        }
        IWbemClassObject_Release(o);
        arrived(l, 1);
    }
    /* Only the COMPLETE is left; on_complete runs in here. */
    IWbemClassObject *o = NULL;
    l->pull_end_hr = wbemsink_next(l->sink, 10000, &o);
    if (o) IWbemClassObject_Release(o);
    return 0;
}

static long rounds_wanted(void)
{
    const char *env = getenv("WBEMSINK_LIVENESS_ROUNDS");
    long n = env ? strtol(env, NULL, 10) : 0;
    return n > 0 ? n : DEFAULT_ROUNDS;
}

/* Joins a thread that must end on its own; a bound, not INFINITE, so a bug
   is a failure and not a hung test. */
static void join(HANDLE t, const char *what, const char *mode_name)
{
    DWORD w = WaitForSingleObject(t, 120000);
    if (w != WAIT_OBJECT_0) fail_msg("%s: the %s thread did not end", mode_name, what);
    CloseHandle(t);
}

static void run_mode(const char *mode_name, wbemsink_mode mode, int private_dispatcher)
{
    live l;
    memset(&l, 0, sizeof(l));
    l.mode_name = mode_name;
    l.rounds = rounds_wanted();
    l.stuck_at = l.pull_stuck_at = l.bad_hr_at = -1;
    l.arrival = CreateEventW(NULL, FALSE, FALSE, NULL);
    assert_non_null(l.arrival);
    l.obj = fake_object_create(L"live");

    wbemsink_dispatcher *d = NULL;
    wbemsink_options o = opts(mode, 0, WBEMSINK_FULL_WAIT, 0);
    if (private_dispatcher) {
        assert_hr(wbemsink_dispatcher_create(&d), S_OK);
        o.dispatcher = d;
    }
    wbemsink_callbacks cb;
    memset(&cb, 0, sizeof(cb));
    cb.context = &l;
    cb.on_objects = on_objects;
    cb.on_complete = on_complete;
    assert_hr(wbemsink_create(&cb, &o, &l.sink), S_OK);
    /* The sink holds its own reference on the dispatcher. */
    if (d) wbemsink_dispatcher_release(d);
    l.wmi = wbemsink_interface(l.sink);
    IWbemObjectSink_AddRef(l.wmi);     /* WMI's, as the *Async call takes */

    DWORD t0 = GetTickCount();
    HANDLE pull = NULL;
    if (mode == WBEMSINK_MODE_PULL) {
        pull = CreateThread(NULL, 0, puller, &l, 0, NULL);
        assert_non_null(pull);
    }
    HANDLE prod = CreateThread(NULL, 0, producer, &l, 0, NULL);
    assert_non_null(prod);
    join(prod, "producer", mode_name);

    if (l.bad_hr_at >= 0 || l.stuck_at >= 0) {
        /* Say what was stuck, then let go of everything before failing, so
           no thread or callback is left with this frame's `l`. */
        char msg[320];
        wbemsink_stats st;
        if (pull) join(pull, "consumer", mode_name);   /* its wait is bounded too */
        wbemsink_get_stats(l.sink, &st);
        if (l.bad_hr_at >= 0)
            snprintf(msg, sizeof msg, "%s: Indicate of object %ld failed: 0x%08lX", mode_name,
                     l.bad_hr_at, (unsigned long)l.bad_hr);
        else
            snprintf(msg, sizeof msg,
                     "%s: object %ld of %ld did not arrive within %d ms with nothing sent "
                     "after it (received %llu, delivered %llu, queued %u)",
                     mode_name, l.stuck_at, l.rounds, ARRIVAL_MS,
                     (unsigned long long)st.received, (unsigned long long)st.delivered, st.queued);
        if (l.pull_bad_hr)
            snprintf(msg + strlen(msg), sizeof msg - strlen(msg),
                     "; wbemsink_next failed at %ld: 0x%08lX", l.pull_stuck_at,
                     (unsigned long)l.pull_bad_hr);
        wbemsink_release(l.sink);
        IWbemObjectSink_Release(l.wmi);
        CloseHandle(l.arrival);
        fail_msg("%s", msg);
    }
    assert_int_equal(l.arrived, l.rounds);

    /* Only now the end, and everything must balance. */
    assert_hr(IWbemObjectSink_SetStatus(l.wmi, WBEM_STATUS_COMPLETE, S_OK, NULL, NULL), S_OK);
    if (pull) {
        join(pull, "consumer", mode_name);
        assert_hr(l.pull_end_hr, WBEM_S_NO_MORE_DATA);
    }
    HRESULT final = E_FAIL;
    assert_hr(wbemsink_wait(l.sink, 10000, &final), S_OK);
    assert_hr(final, S_OK);
    DWORD ms = GetTickCount() - t0;
    assert_int_equal(l.completes, 1);
    assert_hr(l.complete_hr, S_OK);
    wbemsink_stats st;
    assert_hr(wbemsink_get_stats(l.sink, &st), S_OK);
    assert_int_equal(st.received, (unsigned long long)l.rounds);
    assert_int_equal(st.delivered, (unsigned long long)l.rounds);
    assert_int_equal(st.dropped, 0);
    assert_int_equal(st.queued, 0);
    /* WMI lets go; then only the caller's reference is left, and the one
       object is back to the producer's single reference. */
    IWbemObjectSink_Release(l.wmi);
    assert_int_equal(settled_sink_refs(l.sink), 1);
    assert_int_equal(fake_object_refs(l.obj), 1);
    wbemsink_release(l.sink);
    IWbemClassObject_Release(l.obj);
    CloseHandle(l.arrival);
    print_message("    %s: %ld objects one at a time in %lu ms\n", mode_name, l.rounds,
                  (unsigned long)ms);
}

static void liveness_thread_shared(void **state)
{
    (void)state;
    run_mode("THREAD (shared dispatcher)", WBEMSINK_MODE_THREAD, 0);
}

static void liveness_thread_private(void **state)
{
    (void)state;
    run_mode("THREAD (private dispatcher)", WBEMSINK_MODE_THREAD, 1);
}

static void liveness_inline(void **state)
{
    (void)state;
    run_mode("INLINE", WBEMSINK_MODE_INLINE, 0);
}

static void liveness_pull(void **state)
{
    (void)state;
    run_mode("PULL", WBEMSINK_MODE_PULL, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(liveness_thread_shared, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(liveness_thread_private, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(liveness_inline, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(liveness_pull, fakes_setup, fakes_teardown),
    };
    return cmocka_run_group_tests_name("liveness", tests, NULL, NULL);
}
