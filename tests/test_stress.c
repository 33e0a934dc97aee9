/* Stress under Wine, through the DLL: 8 producer threads Indicate batches
   of 1..64 objects, 2,000,000 objects in all over several rounds, while a
   slow consumer runs, a canceller strikes in some rounds, and the last
   references (the caller's and the producers') go in random order. After
   each round: every object Released exactly once (each pool object back
   to its one reference, none over-released), on_complete at most once and
   exactly once when the caller did not release first, no callback after
   wbemsink_release returned. */
#include "test_support.h"
#include <stdlib.h>

#define PRODUCERS 8
#define POOL 64
#define ROUNDS 8
#define TOTAL 2000000

typedef struct round_state {
    wbemsink *sink;
    IWbemObjectSink *iface;
    IWbemClassObject *pool[PRODUCERS][POOL];
    volatile LONG delivered, completes, late_callbacks, pushed;
    volatile LONG released;          /* wbemsink_release has returned */
    volatile LONG refused;           /* Indicate calls refused after cancel/release */
    LONG quota;                      /* objects per producer */
    unsigned seed;
    HANDLE start;
} round_state;

static void note_callback(round_state *r)
{
    if (r->released) InterlockedIncrement(&r->late_callbacks);
}

static HRESULT on_objects(void *ctx, IWbemClassObject *const *objs, LONG n)
{
    (void)objs;
    round_state *r = ctx;
    note_callback(r);
    LONG before = InterlockedExchangeAdd(&r->delivered, n);
    if ((before + n) / 20000 != before / 20000) Sleep(1);    /* a slow consumer, now and then */
    return S_OK;
}

static void on_complete(void *ctx, HRESULT hr, const wchar_t *p, IWbemClassObject *e)
{
    (void)hr;
    (void)p;
    (void)e;
    round_state *r = ctx;
    note_callback(r);
    InterlockedIncrement(&r->completes);
}

typedef struct producer { round_state *r; int id; } producer;

static DWORD WINAPI produce(void *arg)
{
    producer *p = arg;
    round_state *r = p->r;
    unsigned seed = r->seed * 31u + (unsigned)p->id;
    IWbemObjectSink *sink = r->iface;           /* AddRef'd for us by the starter */
    WaitForSingleObject(r->start, INFINITE);
    LONG sent = 0;
    while (sent < r->quota) {
        seed = seed * 1103515245u + 12345u;
        LONG n = 1 + (LONG)((seed >> 16) % POOL);
        if (n > r->quota - sent) n = r->quota - sent;
        /* after a cancel or release WMI may go on for a while: refused
           calls must leak nothing either */
        HRESULT hr = IWbemObjectSink_Indicate(sink, n, r->pool[p->id]);
        if (hr == (HRESULT)WBEM_E_CALL_CANCELLED) InterlockedIncrement(&r->refused);
        sent += n;
    }
    InterlockedExchangeAdd(&r->pushed, sent);
    if (p->id == 0) IWbemObjectSink_SetStatus(sink, WBEM_STATUS_COMPLETE, S_OK, NULL, NULL);
    IWbemObjectSink_Release(sink);              /* WMI's last reference, any order */
    return 0;
}

typedef struct puller { round_state *r; } puller;
static DWORD WINAPI pull(void *arg)
{
    round_state *r = ((puller *)arg)->r;
    IWbemClassObject *got[128];
    ULONG n;
    while (wbemsink_next_batch(r->sink, 10000, got, 128, &n) == S_OK) {
        InterlockedExchangeAdd(&r->delivered, (LONG)n);
        for (ULONG i = 0; i < n; i++) IWbemClassObject_Release(got[i]);
    }
    return 0;
}

static DWORD WINAPI cancel_later(void *arg)
{
    round_state *r = arg;
    Sleep(5 + r->seed % 30);
    wbemsink_cancel(r->sink, NULL);
    return 0;
}

static void one_round(int round, long long *pushed_total)
{
    static round_state r;
    memset((void *)&r, 0, sizeof(r));
    r.seed = 7919u * (unsigned)round + 13u;
    r.quota = TOTAL / ROUNDS / PRODUCERS;
    r.start = CreateEventW(NULL, TRUE, FALSE, NULL);
    for (int p = 0; p < PRODUCERS; p++) make_objects(r.pool[p], POOL);

    wbemsink_mode mode = (wbemsink_mode)(round % 3);
    wbemsink_options o = opts(mode, 4096, round % 2 ? WBEMSINK_FULL_DROP_NEWEST : WBEMSINK_FULL_WAIT, 20);
    wbemsink_callbacks cb = { 0 };
    cb.context = &r;
    cb.on_objects = on_objects;
    cb.on_complete = on_complete;
    assert_hr(wbemsink_create(&cb, &o, &r.sink), S_OK);
    r.iface = wbemsink_interface(r.sink);

    HANDLE t[PRODUCERS + 2];
    int nt = 0;
    producer ps[PRODUCERS];
    for (int p = 0; p < PRODUCERS; p++) {
        ps[p].r = &r;
        ps[p].id = p;
        IWbemObjectSink_AddRef(r.iface);
        t[nt++] = CreateThread(NULL, 0, produce, &ps[p], 0, NULL);
    }
    HANDLE puller_thread = NULL, canceller = NULL;
    puller pl = { &r };
    if (mode == WBEMSINK_MODE_PULL) puller_thread = CreateThread(NULL, 0, pull, &pl, 0, NULL);
    int cancels = round % 4 == 1 || round % 4 == 2;
    if (cancels) canceller = CreateThread(NULL, 0, cancel_later, &r, 0, NULL);
    int release_first = round % 2 == 0 && mode != WBEMSINK_MODE_PULL;  /* before the producers end */
    SetEvent(r.start);

    int completed_before_release = 0;
    if (release_first) {
        Sleep(10 + r.seed % 20);
        completed_before_release = wbemsink_wait(r.sink, 0, NULL) == S_OK;
        if (canceller) WaitForSingleObject(canceller, INFINITE);
        wbemsink_release(r.sink);
        InterlockedExchange(&r.released, 1);
    }
    WaitForMultipleObjects(nt, t, TRUE, INFINITE);
    if (canceller) WaitForSingleObject(canceller, INFINITE);
    if (puller_thread) WaitForSingleObject(puller_thread, INFINITE);
    if (!release_first) {
        assert_hr(wbemsink_wait(r.sink, 60000, NULL), S_OK);
        wbemsink_stats st;
        wbemsink_get_stats(r.sink, &st);
        assert_int_equal(st.received, st.delivered + st.dropped);
        assert_int_equal(st.delivered, (ULONGLONG)r.delivered);
        wbemsink_release(r.sink);
        InterlockedExchange(&r.released, 1);
        assert_int_equal(r.completes, 1);
    } else {
        assert_true(r.completes <= 1);
        if (completed_before_release) assert_int_equal(r.completes, 1);
    }
    assert_int_equal(r.late_callbacks, 0);
    /* every AddRef the sink made has been matched by one Release */
    for (int p = 0; p < PRODUCERS; p++)
        for (int i = 0; i < POOL; i++) assert_int_equal(fake_object_refs(r.pool[p][i]), 1);
    assert_int_equal(fake_objects_over_released(), 0);
    for (int p = 0; p < PRODUCERS; p++) release_objects(r.pool[p], POOL);
    for (int i = 0; i < nt; i++) CloseHandle(t[i]);
    if (puller_thread) CloseHandle(puller_thread);
    if (canceller) CloseHandle(canceller);
    CloseHandle(r.start);
    *pushed_total += r.pushed;
    print_message("round %d: mode %d, %s, %s%s, pushed %ld, delivered %ld, refused calls %ld\n",
                  round, (int)mode, round % 2 ? "drop-newest" : "wait", cancels ? "cancelled, " : "",
                  release_first ? "released early" : "released last", r.pushed, r.delivered,
                  r.refused);
}

static void stress(void **state)
{
    (void)state;
    long long pushed = 0;
    for (int round = 0; round < ROUNDS; round++) one_round(round, &pushed);
    print_message("stress: %lld objects offered by %d producers over %d rounds\n", pushed,
                  PRODUCERS, ROUNDS);
    assert_true(pushed >= TOTAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(stress, fakes_setup, fakes_teardown),
    };
    return cmocka_run_group_tests_name("stress", tests, NULL, NULL);
}
