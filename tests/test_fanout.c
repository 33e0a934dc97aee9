/*
 * The fan-out (issue 21) against the fake locator (tests/fake/fake_locator.h):
 * simulated hosts with latencies, hangs and errors, each connection a fake
 * services. Proves: every live host's rows arrive once with their tag,
 * hanging hosts end WBEM_E_TIMED_OUT at their deadline, never more than
 * the throttle in flight (counted by the fake), a cancel (from the test's
 * thread or a callback) ends everything with references balanced, a host
 * hanging in ConnectServer gives its slot up at the connect deadline, and
 * the wall time is near the ideal schedule (a generous bound here; the
 * tight figure is bench figure 7).
 */
#define COBJMACROS
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>
#include <cmocka.h>

#include "wbemsink.h"
#include "wbemsink_fake.h"
#include "test_support.h"

#define MAX_HOSTS 256

typedef struct host_record {
    volatile LONG rows;          /* objects delivered for this target */
    volatile LONG wrong_tag;     /* objects whose Name is not the target's name, or a wrong name argument */
    volatile LONG done;          /* on_target_done calls */
    HRESULT hr;
    ULONGLONG done_tick;
} host_record;

typedef struct run_state {
    wchar_t names[MAX_HOSTS][16];
    fake_host hosts[MAX_HOSTS];
    wbemsink_target targets[MAX_HOSTS];
    host_record rec[MAX_HOSTS];
    size_t n;
    volatile LONG inside;        /* callbacks running now */
    volatile LONG overlaps;      /* a callback entered while another ran */
    volatile LONG wrong_tag_any; /* a target index or name that is not ours */
    volatile LONG completes;
    wbemsink_fanout_counts final;
    wbemsink_fanout *f;
    LONG cancel_after;           /* on_target_done cancels after that many (0: never) */
    volatile LONG reported;
    int release_in_callback;
    HRESULT cancel_hr, wait_hr;  /* what the callback's calls returned */
} run_state;

static void enter(run_state *r)
{
    if (InterlockedIncrement(&r->inside) != 1) InterlockedIncrement(&r->overlaps);
}

static void leave(run_state *r)
{
    InterlockedDecrement(&r->inside);
}

static HRESULT on_objects(void *context, size_t target, const wchar_t *name,
                          IWbemClassObject *const *objects, LONG count)
{
    run_state *r = context;
    enter(r);
    if (target >= r->n || wcscmp(name, r->names[target]) != 0) {
        InterlockedIncrement(&r->wrong_tag_any);
    } else {
        for (LONG i = 0; i < count; i++) {
            VARIANT v;
            VariantInit(&v);
            if (FAILED(IWbemClassObject_Get(objects[i], L"Name", 0, &v, NULL, NULL)) ||
                v.vt != VT_BSTR || wcscmp(v.bstrVal, r->names[target]) != 0)
                InterlockedIncrement(&r->rec[target].wrong_tag);
            VariantClear(&v);
        }
        InterlockedExchangeAdd(&r->rec[target].rows, count);
    }
    leave(r);
    return S_OK;
}

static void on_target_done(void *context, size_t target, const wchar_t *name, HRESULT hr,
                           const wchar_t *text)
{
    run_state *r = context;
    enter(r);
    if (target >= r->n || wcscmp(name, r->names[target]) != 0 || !text || !text[0]) {
        InterlockedIncrement(&r->wrong_tag_any);
    } else {
        r->rec[target].hr = hr;
        r->rec[target].done_tick = GetTickCount64();
        InterlockedIncrement(&r->rec[target].done);
    }
    LONG n = InterlockedIncrement(&r->reported);
    if (r->cancel_after && n == r->cancel_after) {
        /* Checked by the test's thread (CMocka asserts there only). */
        r->cancel_hr = wbemsink_fanout_cancel(r->f);
        if (r->release_in_callback) {
            /* wait would deadlock here: refused */
            r->wait_hr = wbemsink_fanout_wait(r->f, 0, NULL);
            wbemsink_fanout_release(r->f);
            r->f = NULL;
        }
    }
    leave(r);
}

static void on_complete(void *context, const wbemsink_fanout_counts *counts)
{
    run_state *r = context;
    enter(r);
    r->final = *counts;
    InterlockedIncrement(&r->completes);
    leave(r);
}

static wbemsink_fanout_callbacks callbacks(run_state *r)
{
    wbemsink_fanout_callbacks cb = {0};
    cb.context = r;
    cb.on_objects = on_objects;
    cb.on_target_done = on_target_done;
    cb.on_complete = on_complete;
    return cb;
}

/* A small deterministic generator: the same fleet every run. */
static unsigned lcg(unsigned *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return (*seed >> 16) & 0x7fff;
}

static run_state *new_run(size_t n)
{
    run_state *r = calloc(1, sizeof(*r));
    assert_non_null(r);
    r->n = n;
    for (size_t i = 0; i < n; i++) {
        swprintf(r->names[i], 16, L"host%03u", (unsigned)i);
        r->hosts[i].name = r->names[i];
        r->targets[i].host = r->names[i];
    }
    return r;
}

/* The makespan of K slots taking the targets in order, each as soon as a
   slot is free (what a perfect throttle does; the ideal max(sum / K,
   longest) ignores the tail this leaves). */
static ULONGLONG greedy_schedule(const ULONGLONG *cost, size_t n, unsigned k)
{
    ULONGLONG slot[64] = {0}, end = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned best = 0;
        for (unsigned j = 1; j < k; j++)
            if (slot[j] < slot[best]) best = j;
        slot[best] += cost[i];
        if (slot[best] > end) end = slot[best];
    }
    return end;
}

/* Polls up to 10 s until f() == want. */
static int settles(fake_locator *l, LONG (*f)(fake_locator *), LONG want)
{
    for (int i = 0; i < 1000 && f(l) != want; i++) Sleep(10);
    return f(l) == want;
}

/* Everything given back: no connection open, none released too often, the
   locator unreferenced. */
static void assert_balanced(fake_locator *l)
{
    assert_true(settles(l, fake_locator_services_alive, 0));
    assert_true(settles(l, fake_locator_in_flight, 0));
    assert_int_equal(fake_locator_services_over_released(l), 0);
    assert_true(settles(l, fake_locator_refs, 0));
}

/* 200 hosts, throttle 16, every tenth hanging in its answer. */
static void fleet_200(void **state)
{
    (void)state;
    const unsigned K = 16, deadline = 1000;
    run_state *r = new_run(200);
    unsigned seed = 21;
    ULONGLONG sum = 0, longest = 0, cost[200];
    for (size_t i = 0; i < r->n; i++) {
        fake_host *h = &r->hosts[i];
        h->connect_ms = 2 + lcg(&seed) % 19;
        h->answer_ms = 2 + lcg(&seed) % 29;
        h->rows = 1 + (LONG)(lcg(&seed) % 5);
        if (i % 10 == 3) h->hang = FAKE_HOST_HANG_ANSWER;
        ULONGLONG t = h->connect_ms + (h->hang ? deadline : h->answer_ms);
        sum += t;
        cost[i] = t;
        if (t > longest) longest = t;
    }
    fake_locator *l = NULL;
    assert_hr(fake_locator_register(r->hosts, r->n, &l), S_OK);

    wbemsink_fanout_options o = {0};
    o.throttle = K;
    o.timeout_ms = deadline;
    o.connect_timeout_ms = 5000;
    o.query = L"SELECT * FROM Win32_Process";
    wbemsink_fanout_callbacks cb = callbacks(r);
    ULONGLONG t0 = GetTickCount64();
    assert_hr(wbemsink_fanout_start(r->targets, r->n, &o, &cb, &r->f), S_OK);
    wbemsink_fanout_counts c;
    assert_hr(wbemsink_fanout_wait(r->f, 60000, &c), S_OK);
    ULONGLONG wall = GetTickCount64() - t0;
    ULONGLONG ideal = sum / K > longest ? sum / K : longest;
    ULONGLONG greedy = greedy_schedule(cost, r->n, K);
    print_message("    wall %llu ms, ideal %llu ms (%.2fx), in-order schedule %llu ms (%.2fx), "
                  "peak in flight %ld\n",
                  (unsigned long long)wall, (unsigned long long)ideal, (double)wall / (double)ideal,
                  (unsigned long long)greedy, (double)wall / (double)greedy,
                  (long)fake_locator_peak_in_flight(l));

    assert_int_equal(r->completes, 1);
    assert_int_equal(r->overlaps, 0);
    assert_int_equal(r->wrong_tag_any, 0);
    assert_int_equal(c.targets, 200);
    assert_int_equal(c.succeeded, 180);
    assert_int_equal(c.timed_out, 20);
    assert_int_equal(c.failed + c.cancelled, 0);
    assert_int_equal(r->final.succeeded, 180);
    ULONGLONG rows = 0;
    for (size_t i = 0; i < r->n; i++) {
        host_record *h = &r->rec[i];
        assert_int_equal(h->done, 1);
        assert_int_equal(h->wrong_tag, 0);
        if (r->hosts[i].hang) {
            assert_hr(h->hr, WBEM_E_TIMED_OUT);
            assert_int_equal(h->rows, 0);
            /* At its deadline: not before connect + deadline from the start. */
            assert_true(h->done_tick - t0 >= r->hosts[i].connect_ms + deadline - 20);
        } else {
            assert_hr(h->hr, S_OK);
            assert_int_equal(h->rows, r->hosts[i].rows);   /* exactly once each */
            rows += (ULONGLONG)h->rows;
        }
    }
    assert_int_equal(c.objects, rows);
    assert_true(fake_locator_peak_in_flight(l) <= (LONG)K);
    assert_true(fake_locator_peak_in_flight(l) >= 2);
    assert_int_equal(fake_locator_connect_calls(l), 200);
    assert_int_equal(fake_locator_cancel_calls(l), 20);   /* the hanging ones, at their deadline */
    /* Generous: catches a serial run (about 16x) or a stall, not a loaded
       machine (2x seen here at a load average of 60 on 2 cores). */
    assert_true(wall < 5 * ideal + 2000);

    wbemsink_fanout_release(r->f);
    assert_balanced(l);
    fake_locator_destroy(l);
    free(r);
}

/* A cancel mid-way from the test's thread: every target reported once,
   the counts add up, nothing left open. */
static void cancel_midway(void **state)
{
    (void)state;
    run_state *r = new_run(200);
    for (size_t i = 0; i < r->n; i++) {
        r->hosts[i].connect_ms = 5;
        r->hosts[i].answer_ms = 40;
        r->hosts[i].rows = 2;
        if (i % 7 == 0) r->hosts[i].hang = FAKE_HOST_HANG_ANSWER;
    }
    fake_locator *l = NULL;
    assert_hr(fake_locator_register(r->hosts, r->n, &l), S_OK);
    wbemsink_fanout_options o = {0};
    o.throttle = 16;
    o.query = L"SELECT * FROM Win32_Process";
    wbemsink_fanout_callbacks cb = callbacks(r);
    assert_hr(wbemsink_fanout_start(r->targets, r->n, &o, &cb, &r->f), S_OK);
    while (r->reported < 40) Sleep(1);
    assert_hr(wbemsink_fanout_cancel(r->f), S_OK);
    assert_hr(wbemsink_fanout_cancel(r->f), S_FALSE);
    wbemsink_fanout_counts c;
    assert_hr(wbemsink_fanout_wait(r->f, 20000, &c), S_OK);
    print_message("    ok %u, cancelled %u, failed %u, timed out %u\n", (unsigned)c.succeeded,
                  (unsigned)c.cancelled, (unsigned)c.failed, (unsigned)c.timed_out);
    assert_int_equal(r->completes, 1);
    assert_int_equal(r->overlaps, 0);
    assert_int_equal(c.succeeded + c.cancelled + c.failed + c.timed_out, 200);
    assert_true(c.succeeded >= 30);
    assert_true(c.cancelled >= 100);
    assert_int_equal(c.failed + c.timed_out, 0);
    for (size_t i = 0; i < r->n; i++) {
        assert_int_equal(r->rec[i].done, 1);
        if (r->rec[i].hr == S_OK) assert_int_equal(r->rec[i].rows, 2);
        else assert_hr(r->rec[i].hr, WBEM_E_CALL_CANCELLED);
    }
    /* The hanging hosts that had started were cancelled at WMI. */
    assert_true(fake_locator_cancel_calls(l) >= 1);
    assert_true(fake_locator_peak_in_flight(l) <= 16);
    wbemsink_fanout_release(r->f);
    assert_balanced(l);
    fake_locator_destroy(l);
    free(r);
}

/* The cancel from inside a callback, and the release there too: nothing
   runs after it, the library's threads finish and let go of everything. */
static void cancel_and_release_from_callback(void **state)
{
    (void)state;
    run_state *r = new_run(100);
    for (size_t i = 0; i < r->n; i++) {
        r->hosts[i].connect_ms = 3;
        r->hosts[i].answer_ms = 20;
        r->hosts[i].rows = 1;
    }
    fake_locator *l = NULL;
    assert_hr(fake_locator_register(r->hosts, r->n, &l), S_OK);
    wbemsink_fanout_options o = {0};
    o.throttle = 8;
    o.query = L"SELECT * FROM Win32_Process";
    wbemsink_fanout_callbacks cb = callbacks(r);
    r->cancel_after = 20;
    r->release_in_callback = 1;
    assert_hr(wbemsink_fanout_start(r->targets, r->n, &o, &cb, &r->f), S_OK);
    for (int i = 0; i < 1000 && r->f; i++) Sleep(10);
    assert_null(r->f);
    assert_hr(r->cancel_hr, S_OK);
    assert_hr(r->wait_hr, WBEMSINK_E_IN_CALLBACK);
    LONG seen = r->reported;
    assert_balanced(l);
    Sleep(100);
    /* Released inside the 20th report: no callback after it. */
    assert_int_equal(r->reported, seen);
    assert_int_equal(r->reported, 20);
    assert_int_equal(r->completes, 0);
    assert_int_equal(r->overlaps, 0);
    fake_locator_destroy(l);
    free(r);
}

/* Hosts that hang inside ConnectServer: each ends WBEM_E_TIMED_OUT at the
   connect deadline (not before it), its slot goes on to the next host, and its worker ends
   once ConnectServer returns. */
static void connect_hang(void **state)
{
    (void)state;
    run_state *r = new_run(12);
    for (size_t i = 0; i < r->n; i++) {
        r->hosts[i].connect_ms = 5;
        r->hosts[i].answer_ms = 5;
        r->hosts[i].rows = 3;
        if (i % 3 == 0) r->hosts[i].hang = FAKE_HOST_HANG_CONNECT;
    }
    fake_locator *l = NULL;
    assert_hr(fake_locator_register(r->hosts, r->n, &l), S_OK);
    wbemsink_fanout_options o = {0};
    o.throttle = 2;
    o.connect_timeout_ms = 1000;   /* live hosts connect in 5 ms: a loaded machine too */
    o.max_stuck = 8;
    o.query = L"SELECT * FROM Win32_Process";
    wbemsink_fanout_callbacks cb = callbacks(r);
    ULONGLONG t0 = GetTickCount64();
    assert_hr(wbemsink_fanout_start(r->targets, r->n, &o, &cb, &r->f), S_OK);
    wbemsink_fanout_counts c;
    assert_hr(wbemsink_fanout_wait(r->f, 20000, &c), S_OK);
    ULONGLONG wall = GetTickCount64() - t0;
    print_message("    wall %llu ms, still in ConnectServer %ld\n", (unsigned long long)wall,
                  (long)fake_locator_connecting(l));
    assert_int_equal(c.timed_out, 4);
    assert_int_equal(c.succeeded, 8);
    for (size_t i = 0; i < r->n; i++) {
        assert_int_equal(r->rec[i].done, 1);
        if (r->hosts[i].hang) {
            assert_hr(r->rec[i].hr, WBEM_E_TIMED_OUT);
            assert_true(r->rec[i].done_tick - t0 >= 1000 - 20);
        } else {
            assert_hr(r->rec[i].hr, S_OK);
            assert_int_equal(r->rec[i].rows, 3);
        }
    }
    /* The four hangs never held a slot past 1 s: with two slots, about
       2 s in all (not 4 x forever). */
    assert_true(wall < 8000);
    assert_int_equal(fake_locator_connecting(l), 4);   /* still stuck... */
    wbemsink_fanout_release(r->f);
    fake_locator_unhang(l);                            /* ...until the transport gives up */
    assert_true(settles(l, fake_locator_connecting, 0));
    assert_balanced(l);
    fake_locator_destroy(l);
    free(r);
}

/* Per-target failures keep their own codes; unknown hosts fail at once. */
static void errors_per_target(void **state)
{
    (void)state;
    run_state *r = new_run(4);
    r->hosts[0].rows = 2;
    r->hosts[1].connect_hr = E_ACCESSDENIED;
    r->hosts[2].answer_hr = WBEM_E_INVALID_QUERY;
    fake_locator *l = NULL;
    /* host003 is not simulated: an unknown name. */
    assert_hr(fake_locator_register(r->hosts, 3, &l), S_OK);
    wbemsink_fanout_options o = {0};
    o.query = L"SELECT * FROM Win32_Process";
    wbemsink_fanout_callbacks cb = callbacks(r);
    assert_hr(wbemsink_fanout_start(r->targets, r->n, &o, &cb, &r->f), S_OK);
    wbemsink_fanout_counts c;
    assert_hr(wbemsink_fanout_wait(r->f, 10000, &c), S_OK);
    assert_hr(r->rec[0].hr, S_OK);
    assert_int_equal(r->rec[0].rows, 2);
    assert_hr(r->rec[1].hr, E_ACCESSDENIED);
    assert_hr(r->rec[2].hr, WBEM_E_INVALID_QUERY);
    assert_hr(r->rec[3].hr, WBEM_E_TRANSPORT_FAILURE);
    assert_int_equal(c.succeeded, 1);
    assert_int_equal(c.failed, 3);
    wbemsink_fanout_release(r->f);
    assert_balanced(l);
    fake_locator_destroy(l);
    free(r);
}

/* A start function per target instead of a query (how methods fan out). */
static LONG start_calls;
static HRESULT start_method(void *context, size_t target, IWbemServices *services,
                            IWbemObjectSink *sink)
{
    (void)context;
    InterlockedIncrement(&start_calls);
    if (target == 1) return WBEM_E_ACCESS_DENIED;      /* refused before WMI */
    BSTR path = SysAllocString(L"Win32_Process");
    BSTR method = SysAllocString(L"Create");
    HRESULT hr = IWbemServices_ExecMethodAsync(services, path, method, 0, NULL, NULL, sink);
    SysFreeString(path);
    SysFreeString(method);
    return hr;
}

static void start_function(void **state)
{
    (void)state;
    run_state *r = new_run(3);
    for (size_t i = 0; i < r->n; i++) r->hosts[i].rows = 1;
    fake_locator *l = NULL;
    assert_hr(fake_locator_register(r->hosts, r->n, &l), S_OK);
    wbemsink_fanout_options o = {0};
    o.start = start_method;
    wbemsink_fanout_callbacks cb = callbacks(r);
    start_calls = 0;
    assert_hr(wbemsink_fanout_start(r->targets, r->n, &o, &cb, &r->f), S_OK);
    wbemsink_fanout_counts c;
    assert_hr(wbemsink_fanout_wait(r->f, 10000, &c), S_OK);
    assert_int_equal(start_calls, 3);
    assert_hr(r->rec[0].hr, S_OK);
    assert_int_equal(r->rec[0].rows, 1);
    assert_hr(r->rec[1].hr, WBEM_E_ACCESS_DENIED);
    assert_hr(r->rec[2].hr, S_OK);
    assert_int_equal(fake_locator_async_calls(l), 2);
    wbemsink_fanout_release(r->f);
    assert_balanced(l);
    fake_locator_destroy(l);
    free(r);
}

/* Targets by host with the fan-out's namespace or their own, and by whole
   path; shared credentials, and a target's own. */
static void paths_and_credentials(void **state)
{
    (void)state;
    run_state *r = new_run(3);
    wchar_t user[128], path[128];   /* n chars each, as fake_locator_last_connect is told */
    for (size_t i = 0; i < r->n; i++) r->hosts[i].rows = 1;
    r->hosts[2].name = L"host002";
    wcscpy(r->names[2], L"\\\\host002\\x");    /* its name is its path */
    r->targets[2].host = NULL;
    r->targets[2].namespace_path = r->names[2];
    r->targets[1].namespace_path = L"root\\default";
    wbemsink_connect_options shared = {0}, own = {0};
    shared.user = L"DOM\\shared";
    shared.password = L"pw1";
    own.user = L"DOM\\own";
    own.password = L"pw2";
    r->targets[1].connect = &own;
    fake_locator *l = NULL;
    assert_hr(fake_locator_register(r->hosts, r->n, &l), S_OK);
    wbemsink_fanout_options o = {0};
    o.query = L"SELECT * FROM Win32_Process";
    o.connect = &shared;
    wbemsink_fanout_callbacks cb = callbacks(r);
    assert_hr(wbemsink_fanout_start(r->targets, r->n, &o, &cb, &r->f), S_OK);
    wbemsink_fanout_counts c;
    assert_hr(wbemsink_fanout_wait(r->f, 10000, &c), S_OK);
    assert_int_equal(c.succeeded, 3);
    assert_int_equal(r->wrong_tag_any, 0);      /* target 2 reported under its path */
    for (size_t i = 0; i < r->n; i++) assert_int_equal(r->rec[i].rows, 1);
    assert_hr(fake_locator_last_connect(l, L"host000", user, path, 128), S_OK);
    assert_true(wcscmp(user, L"DOM\\shared") == 0);
    assert_true(wcscmp(path, L"\\\\host000\\root\\cimv2") == 0);
    assert_hr(fake_locator_last_connect(l, L"host001", user, path, 128), S_OK);
    assert_true(wcscmp(user, L"DOM\\own") == 0);
    assert_true(wcscmp(path, L"\\\\host001\\root\\default") == 0);
    assert_hr(fake_locator_last_connect(l, L"host002", user, path, 128), S_OK);
    assert_true(wcscmp(user, L"DOM\\shared") == 0);
    assert_true(wcscmp(path, L"\\\\host002\\x") == 0);
    wbemsink_fanout_release(r->f);
    assert_balanced(l);
    fake_locator_destroy(l);
    free(r);
}

static void bad_arguments(void **state)
{
    (void)state;
    wbemsink_fanout *f = (wbemsink_fanout *)(uintptr_t)1;
    wbemsink_fanout_options o = {0};
    wbemsink_target t = {0};
    assert_hr(wbemsink_fanout_start(NULL, 0, &o, NULL, NULL), E_POINTER);
    assert_hr(wbemsink_fanout_start(NULL, 0, NULL, NULL, &f), E_POINTER);
    assert_null(f);
    assert_hr(wbemsink_fanout_start(NULL, 1, &o, NULL, &f), E_POINTER);
    assert_hr(wbemsink_fanout_start(&t, 1, &o, NULL, &f), E_INVALIDARG);   /* no query */
    o.query = L"SELECT * FROM Win32_Process";
    assert_hr(wbemsink_fanout_start(&t, 1, &o, NULL, &f), E_INVALIDARG);   /* empty target */
    assert_hr(wbemsink_fanout_cancel(NULL), E_POINTER);
    assert_hr(wbemsink_fanout_wait(NULL, 0, NULL), E_POINTER);
    wbemsink_fanout_release(NULL);

    /* No targets: completes at once with zero counts. */
    run_state *r = new_run(0);
    wbemsink_fanout_callbacks cb = callbacks(r);
    wbemsink_fanout_counts c;
    assert_hr(wbemsink_fanout_start(NULL, 0, &o, &cb, &f), S_OK);
    assert_hr(wbemsink_fanout_wait(f, 5000, &c), S_OK);
    assert_int_equal(c.targets, 0);
    assert_int_equal(r->completes, 1);
    assert_hr(wbemsink_fanout_cancel(f), S_FALSE);
    wbemsink_fanout_release(f);
    free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(bad_arguments, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(errors_per_target, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(start_function, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(paths_and_credentials, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(fleet_200, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(cancel_midway, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(cancel_and_release_from_callback, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(connect_hang, fakes_setup, fakes_teardown),
    };
    if (FAILED(CoInitializeEx(NULL, COINIT_MULTITHREADED))) return 1;
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    CoUninitialize();
    return failed;
}
