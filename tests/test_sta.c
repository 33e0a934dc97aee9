/* Waiting in a single-threaded apartment, and the sink between apartments
   (issue 12, item 3).

   On Windows, WMI's calls to a sink created in an STA reach it through the
   STA thread's message queue. Wine's WMI is in-process and never does that,
   so the test does what COM would: a "WMI" thread hands every Indicate and
   SetStatus to a message-only window of the STA thread with SendMessage,
   so that each call runs on the STA thread, and only while that thread
   dispatches messages. Meanwhile the STA thread blocks in wbemsink_wait or
   wbemsink_next: a wait that does not dispatch them never ends (every wait
   here has a bound, so a deadlock shows as a timeout, not a hung test).

   cmocka's assertions are made on the main thread only: the STA and WMI
   threads record what happened. */
#include "test_support.h"
#include <objbase.h>
#include <stdlib.h>
#include <string.h>

#define OBJECTS 40
#define BOUND_MS 10000        /* each wait of the scenario */
#define WM_WMI_CALL (WM_APP + 1)

static const wchar_t window_class[] = L"wbemsink_test_sta";

/* One call of "WMI", run by the window procedure on the STA thread. */
typedef struct wmi_call {
    IWbemObjectSink *sink;
    int indicate;             /* 1: Indicate(1, &obj); 0: SetStatus(flags, hr) */
    IWbemClassObject *obj;
    LONG flags;
    HRESULT hr;
    HRESULT result;
    DWORD thread;             /* where the call ran */
} wmi_call;

static LRESULT CALLBACK window_proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    if (msg != WM_WMI_CALL) return DefWindowProcW(hwnd, msg, wp, lp);
    wmi_call *c = (wmi_call *)lp;
    c->thread = GetCurrentThreadId();
    c->result = c->indicate ? IWbemObjectSink_Indicate(c->sink, 1, &c->obj)
                            : IWbemObjectSink_SetStatus(c->sink, c->flags, c->hr, NULL, NULL);
    return 0;
}

static void register_class(void)
{
    static LONG done;
    if (InterlockedExchange(&done, 1)) return;
    WNDCLASSW wc;
    memset(&wc, 0, sizeof(wc));
    wc.lpfnWndProc = window_proc;
    wc.hInstance = GetModuleHandleW(NULL);
    wc.lpszClassName = window_class;
    RegisterClassW(&wc);
}

typedef struct scenario {
    wbemsink_mode mode;
    int batch;                  /* PULL: wbemsink_next_batch rather than next */
    /* Set up by the STA thread for the WMI thread. */
    HWND hwnd;
    IWbemObjectSink *sink;      /* WMI's reference, released by the WMI thread */
    IWbemClassObject *objs[OBJECTS];
    DWORD sta_thread;
    /* Recorded by the WMI thread. */
    int sent;                   /* calls the STA thread took */
    int undelivered;            /* calls it did not take within the bound */
    int wrong_thread;           /* calls that ran elsewhere than on the STA thread */
    int failed_calls;           /* calls that did not return WBEM_S_NO_ERROR */
    /* Recorded by the STA thread. */
    HRESULT init_hr, wait_hr, final_hr, last_next_hr;
    int window_made;
    long long pulled;           /* PULL: objects handed out by next */
    int pulled_out_of_order;
    LONG last_index;
    int inline_elsewhere;       /* INLINE: on_objects on another thread */
    ULONG refs_before_release;
    DWORD elapsed_ms;
    recorder r;
} scenario;

/* Sends one call to the STA thread's window and waits for it to run. */
static int send_call(scenario *sc, wmi_call *c)
{
    DWORD_PTR ignored;
    c->sink = sc->sink;
    c->thread = 0;
    c->result = E_FAIL;
    if (!SendMessageTimeoutW(sc->hwnd, WM_WMI_CALL, 0, (LPARAM)c, SMTO_NORMAL, BOUND_MS, &ignored)) {
        sc->undelivered++;
        return 0;
    }
    sc->sent++;
    if (c->thread != sc->sta_thread) sc->wrong_thread++;
    if (c->result != WBEM_S_NO_ERROR) sc->failed_calls++;
    return 1;
}

/* "WMI": the objects one call each, a progress call half-way, then the
   completion; it gives up at the first call the STA thread does not take. */
static DWORD WINAPI wmi_thread(void *p)
{
    scenario *sc = p;
    int i = 0, ok = 1;
    for (; ok && i < OBJECTS; i++) {
        wmi_call c;
        memset(&c, 0, sizeof(c));
        c.indicate = 1;
        c.obj = sc->objs[i];
        ok = send_call(sc, &c);
        IWbemClassObject_Release(sc->objs[i]);   /* WMI's own, after the call */
        if (ok && i == OBJECTS / 2 - 1) {
            memset(&c, 0, sizeof(c));
            c.flags = WBEM_STATUS_PROGRESS;
            c.hr = MAKELONG(OBJECTS / 2, OBJECTS);
            ok = send_call(sc, &c);
        }
    }
    for (; i < OBJECTS; i++) IWbemClassObject_Release(sc->objs[i]);
    if (ok) {
        wmi_call c;
        memset(&c, 0, sizeof(c));
        c.flags = WBEM_STATUS_COMPLETE;
        c.hr = WBEM_S_NO_ERROR;
        send_call(sc, &c);
    }
    IWbemObjectSink_Release(sc->sink);
    return 0;
}

/* The consumer in PULL mode: every object in order, until the end. */
static void pull_all(scenario *sc, wbemsink *s)
{
    for (;;) {
        IWbemClassObject *got[8];
        ULONG n = 0;
        HRESULT hr;
        if (sc->batch) {
            hr = wbemsink_next_batch(s, BOUND_MS, got, 8, &n);
        } else {
            hr = wbemsink_next(s, BOUND_MS, &got[0]);
            n = hr == S_OK;
        }
        sc->last_next_hr = hr;
        if (hr != S_OK) break;
        for (ULONG i = 0; i < n; i++) {
            LONG idx = fake_object_index(got[i]);
            if (idx <= sc->last_index) sc->pulled_out_of_order++;
            sc->last_index = idx;
            sc->pulled++;
            IWbemClassObject_Release(got[i]);
        }
    }
}

static DWORD WINAPI sta_thread(void *p)
{
    scenario *sc = p;
    sc->sta_thread = GetCurrentThreadId();
    sc->init_hr = CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
    register_class();
    sc->hwnd = CreateWindowExW(0, window_class, NULL, 0, 0, 0, 0, 0, HWND_MESSAGE, NULL,
                               GetModuleHandleW(NULL), NULL);
    sc->window_made = sc->hwnd != NULL;
    wbemsink *s = NULL;
    wbemsink_callbacks cb = recorder_callbacks(&sc->r);
    wbemsink_options o = opts(sc->mode, 0, WBEMSINK_FULL_WAIT, 0);
    sc->wait_hr = wbemsink_create(&cb, &o, &s);
    if (FAILED(sc->wait_hr) || !sc->hwnd) goto out;
    sc->sink = wbemsink_interface(s);
    IWbemObjectSink_AddRef(sc->sink);           /* WMI's */
    for (int i = 0; i < OBJECTS; i++) sc->objs[i] = fake_object_create(L"sta");

    DWORD start = GetTickCount();
    HANDLE wmi = CreateThread(NULL, 0, wmi_thread, sc, 0, NULL);
    if (sc->mode == WBEMSINK_MODE_PULL) pull_all(sc, s);
    sc->wait_hr = wbemsink_wait(s, BOUND_MS, &sc->final_hr);
    sc->elapsed_ms = GetTickCount() - start;
    /* "WMI" may still be in its last SendMessage: keep the queue moving. */
    DWORD index;
    CoWaitForMultipleHandles(COWAIT_DEFAULT, 2 * BOUND_MS, 1, &wmi, &index);
    CloseHandle(wmi);

    if (sc->mode == WBEMSINK_MODE_INLINE)
        for (int i = 0; i < sc->r.n; i++)
            sc->inline_elsewhere += sc->r.events[i].kind == EV_OBJECTS &&
                                    sc->r.events[i].thread != sc->sta_thread;
    sc->refs_before_release = settled_sink_refs(s);
    wbemsink_release(s);
out:
    if (sc->hwnd) DestroyWindow(sc->hwnd);
    if (SUCCEEDED(sc->init_hr)) CoUninitialize();
    return 0;
}

static void run_scenario(wbemsink_mode mode, int batch)
{
    scenario *sc = calloc(1, sizeof(*sc));
    assert_non_null(sc);
    sc->mode = mode;
    sc->batch = batch;
    sc->last_index = -1;
    recorder_init(&sc->r);
    HANDLE t = CreateThread(NULL, 0, sta_thread, sc, 0, NULL);
    assert_non_null(t);
    /* The scenario's own waits are bounded; this one only catches a hang. */
    DWORD w = WaitForSingleObject(t, 6 * BOUND_MS);
    CloseHandle(t);
    assert_int_equal(w, WAIT_OBJECT_0);

    assert_hr(sc->init_hr, S_OK);
    assert_true(sc->window_made);
    /* The waits ended with the operation, well within the bound (a wait
       that does not dispatch the STA's messages times out here). */
    if (mode == WBEMSINK_MODE_PULL) assert_hr(sc->last_next_hr, WBEM_S_NO_MORE_DATA);
    assert_hr(sc->wait_hr, S_OK);
    assert_hr(sc->final_hr, S_OK);
    assert_true(sc->elapsed_ms < BOUND_MS);
    /* Every call of "WMI" was taken, on the STA thread, and accepted. */
    assert_int_equal(sc->undelivered, 0);
    assert_int_equal(sc->sent, OBJECTS + 2);
    assert_int_equal(sc->wrong_thread, 0);
    assert_int_equal(sc->failed_calls, 0);
    /* Every object, in order, and the progress call in its place. */
    int progress = recorder_find(&sc->r, EV_PROGRESS);
    assert_true(progress >= 0);
    assert_int_equal(sc->r.events[progress].current, OBJECTS / 2);
    assert_int_equal(sc->r.events[progress].total, OBJECTS);
    if (mode == WBEMSINK_MODE_PULL) {
        assert_int_equal(sc->pulled, OBJECTS);
        assert_int_equal(sc->pulled_out_of_order, 0);
    } else {
        assert_int_equal(sc->r.objects, OBJECTS);
        assert_int_equal(sc->r.out_of_order, 0);
        assert_int_equal(sc->r.unheld, 0);
        long long before = 0;
        for (int i = 0; i < progress; i++)
            if (sc->r.events[i].kind == EV_OBJECTS) before += sc->r.events[i].count;
        assert_int_equal(before, OBJECTS / 2);
    }
    assert_int_equal(sc->r.completes, 1);
    assert_int_equal(sc->r.events[sc->r.n - 1].kind, EV_COMPLETE);
    /* INLINE runs callbacks on the thread that delivers: the STA thread. */
    assert_int_equal(sc->inline_elsewhere, 0);
    /* Only the caller's reference was left. */
    assert_int_equal(sc->refs_before_release, 1);
    recorder_free(&sc->r);
    free(sc);
}

static void sta_wait_thread_mode(void **state)
{
    (void)state;
    run_scenario(WBEMSINK_MODE_THREAD, 0);
}

static void sta_wait_inline_mode(void **state)
{
    (void)state;
    run_scenario(WBEMSINK_MODE_INLINE, 0);
}

static void sta_next_pull_mode(void **state)
{
    (void)state;
    run_scenario(WBEMSINK_MODE_PULL, 0);
}

static void sta_next_batch_pull_mode(void **state)
{
    (void)state;
    run_scenario(WBEMSINK_MODE_PULL, 1);
}

/* ---- timeouts in an STA: the apartment wait still times out ---- */

typedef struct timeout_case {
    HRESULT init_hr, wait_hr, next_hr;
    DWORD wait_ms, next_ms;
} timeout_case;

static DWORD WINAPI sta_timeouts(void *p)
{
    timeout_case *tc = p;
    tc->init_hr = CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
    wbemsink *s;
    wbemsink_options o = opts(WBEMSINK_MODE_PULL, 0, WBEMSINK_FULL_WAIT, 0);
    if (SUCCEEDED(wbemsink_create(NULL, &o, &s))) {
        IWbemClassObject *obj = (IWbemClassObject *)0x1;
        DWORD t0 = GetTickCount();
        tc->next_hr = wbemsink_next(s, 100, &obj);
        tc->next_ms = GetTickCount() - t0;
        t0 = GetTickCount();
        tc->wait_hr = wbemsink_wait(s, 100, NULL);
        tc->wait_ms = GetTickCount() - t0;
        wbemsink_release(s);
    }
    if (SUCCEEDED(tc->init_hr)) CoUninitialize();
    return 0;
}

static void sta_waits_time_out(void **state)
{
    (void)state;
    timeout_case tc;
    memset(&tc, 0, sizeof(tc));
    HANDLE t = CreateThread(NULL, 0, sta_timeouts, &tc, 0, NULL);
    assert_int_equal(WaitForSingleObject(t, BOUND_MS), WAIT_OBJECT_0);
    CloseHandle(t);
    assert_hr(tc.init_hr, S_OK);
    assert_hr(tc.next_hr, WBEM_S_TIMEDOUT);
    assert_hr(tc.wait_hr, WBEM_S_TIMEDOUT);
    assert_true(tc.next_ms >= 90 && tc.next_ms < 5000);
    assert_true(tc.wait_ms >= 90 && tc.wait_ms < 5000);
}

/* ---- the sink between apartments ---- */

typedef struct cross {
    wbemsink *s;
    IWbemObjectSink *sink;        /* the STA's pointer */
    IStream *to_mta, *to_sta;
    HRESULT init_hr, unmarshal_hr, indicate_hr, marshal_back_hr;
    IWbemObjectSink *in_mta;      /* what the MTA got (compared only) */
    IWbemClassObject *obj;
    DWORD mta_thread;
} cross;

static DWORD WINAPI mta_side(void *p)
{
    cross *x = p;
    x->mta_thread = GetCurrentThreadId();
    x->init_hr = CoInitializeEx(NULL, COINIT_MULTITHREADED);
    IWbemObjectSink *sink = NULL;
    x->unmarshal_hr = CoGetInterfaceAndReleaseStream(x->to_mta, &IID_IWbemObjectSink, (void **)&sink);
    x->to_mta = NULL;
    x->in_mta = sink;
    if (sink) {
        /* Calls on it work here, on the MTA thread (INLINE: the callback too). */
        x->indicate_hr = IWbemObjectSink_Indicate(sink, 1, &x->obj);
        x->marshal_back_hr = CoMarshalInterThreadInterfaceInStream(&IID_IWbemObjectSink, (IUnknown *)sink,
                                                                   &x->to_sta);
        IWbemObjectSink_Release(sink);
    }
    if (SUCCEEDED(x->init_hr)) CoUninitialize();
    return 0;
}

static void sink_crosses_apartments(void **state)
{
    (void)state;
    /* This thread is the STA. */
    assert_hr(CoInitializeEx(NULL, COINIT_APARTMENTTHREADED), S_OK);
    cross x;
    memset(&x, 0, sizeof(x));
    recorder r;
    recorder_init(&r);
    wbemsink_callbacks cb = recorder_callbacks(&r);
    wbemsink_options o = opts(WBEMSINK_MODE_INLINE, 0, WBEMSINK_FULL_WAIT, 0);
    assert_hr(wbemsink_create(&cb, &o, &x.s), S_OK);
    x.sink = wbemsink_interface(x.s);
    x.obj = fake_object_create(L"crossing");

    /* STA -> MTA: the same object, not a proxy (none exists for it). */
    assert_hr(CoMarshalInterThreadInterfaceInStream(&IID_IWbemObjectSink, (IUnknown *)x.sink, &x.to_mta),
              S_OK);
    HANDLE t = CreateThread(NULL, 0, mta_side, &x, 0, NULL);
    DWORD index;
    assert_hr(CoWaitForMultipleHandles(COWAIT_DEFAULT, BOUND_MS, 1, &t, &index), S_OK);
    CloseHandle(t);
    assert_hr(x.init_hr, S_OK);
    assert_hr(x.unmarshal_hr, S_OK);
    assert_ptr_equal(x.in_mta, x.sink);
    assert_hr(x.indicate_hr, WBEM_S_NO_ERROR);
    assert_int_equal(r.objects, 1);
    assert_int_equal(r.events[0].thread, x.mta_thread);

    /* MTA -> STA: back to the same object; a call on it ends the operation. */
    assert_hr(x.marshal_back_hr, S_OK);
    IWbemObjectSink *back = NULL;
    assert_hr(CoGetInterfaceAndReleaseStream(x.to_sta, &IID_IWbemObjectSink, (void **)&back), S_OK);
    assert_ptr_equal(back, x.sink);
    assert_hr(IWbemObjectSink_SetStatus(back, WBEM_STATUS_COMPLETE, WBEM_S_NO_ERROR, NULL, NULL),
              WBEM_S_NO_ERROR);
    IWbemObjectSink_Release(back);
    HRESULT final_hr = E_FAIL;
    assert_hr(wbemsink_wait(x.s, BOUND_MS, &final_hr), S_OK);
    assert_hr(final_hr, S_OK);
    assert_int_equal(r.completes, 1);

    /* Marshaling took no reference it did not give back. */
    assert_int_equal(sink_refs(x.s), 1);
    wbemsink_release(x.s);
    IWbemClassObject_Release(x.obj);
    recorder_free(&r);
    CoUninitialize();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(sta_wait_thread_mode, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(sta_wait_inline_mode, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(sta_next_pull_mode, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(sta_next_batch_pull_mode, fakes_setup, fakes_teardown),
        cmocka_unit_test(sta_waits_time_out),
        cmocka_unit_test_setup_teardown(sink_crosses_apartments, fakes_setup, fakes_teardown),
    };
    return cmocka_run_group_tests_name("sta", tests, NULL, NULL);
}
