/* Regression tests for issue 11: IWbemObjectSinkEx callbacks that escaped
   the sink's callback bookkeeping, unbounded status calls, set_callbacks
   left open by paths that run callbacks, and a cancel through the unsecured
   apartment that named the sink instead of the stub WMI was given.
   (Unloading the DLL is tested apart, in test_unload.c: it must not link
   the DLL.)

   Tests that may hang on a broken core bound every wait and unblock the
   sink themselves, then assert; tests measure first, clean up, and assert
   last, so one failure does not leave threads that corrupt the next test. */
#include "test_support.h"
#include "rec_services.h"
#include <string.h>

/* What one registered run of a test function varies (CMocka's initial
   state), so that every variant passes or fails on its own. */
typedef struct variant {
    int action;            /* ACT_*: what an Ex callback does inside */
    int method;            /* EX_*: which Ex method WMI calls */
    int cancel;            /* ended by wbemsink_cancel (else WMI's COMPLETE) */
    int deadline;          /* ended by options.timeout_ms */
    wbemsink_mode mode;
} variant;

static const variant *variant_of(void **state)
{
    return *state;
}

/* ---------------------------------------------------------------------
 * A thread standing for WMI's: runs one call, joined with a bound.
 * ------------------------------------------------------------------- */

typedef struct wmi_call {
    void (*fn)(void *arg);
    void *arg;
    HANDLE thread;
    DWORD tid;
} wmi_call;

static DWORD WINAPI wmi_thread_main(void *p)
{
    wmi_call *c = p;
    c->fn(c->arg);
    return 0;
}

static void wmi_start(wmi_call *c, void (*fn)(void *), void *arg)
{
    c->fn = fn;
    c->arg = arg;
    c->thread = CreateThread(NULL, 0, wmi_thread_main, c, 0, &c->tid);
    assert_non_null(c->thread);
}

/* 1 when the thread ended within ms (its handle is then closed). */
static int wmi_join(wmi_call *c, DWORD ms)
{
    if (!c->thread) return 1;
    if (WaitForSingleObject(c->thread, ms) != WAIT_OBJECT_0) return 0;
    CloseHandle(c->thread);
    c->thread = NULL;
    return 1;
}

/* Polls cond(arg) every 5 ms for at most ms; returns its last value. */
static int poll_until(int (*cond)(void *), void *arg, DWORD ms)
{
    ULONGLONG end = GetTickCount64() + ms;
    int ok;
    while (!(ok = cond(arg)) && GetTickCount64() < end) Sleep(5);
    return ok;
}

/* The count of an interface, read by AddRef/Release. */
static ULONG refs_of(IUnknown *u)
{
    IUnknown_AddRef(u);
    return IUnknown_Release(u);
}

static int sink_settled(void *p)
{
    return refs_of((IUnknown *)p) <= 1;
}

/* rec_services.h records the thread and the sink pointer of CancelAsyncCall
   (the fake of fake_services.h counts re-entrant cancels from its own
   player threads only, and does not keep the pointer). */
static int rec_cancelled(void *p)
{
    return ((rec_services *)p)->cancel_calls > 0;
}

/* The sink gives its reference back after the (possibly deferred) cancel. */
static int rec_unheld(void *p)
{
    return ((rec_services *)p)->refs == 1;
}

/* ---------------------------------------------------------------------
 * 1. IWbemObjectSinkEx callbacks are callbacks like the others.
 * ------------------------------------------------------------------- */

enum { ACT_NONE, ACT_SLEEP, ACT_CANCEL, ACT_RELEASE, ACT_WAIT, ACT_NEXT };
enum { EX_MESSAGE, EX_PROGRESS, EX_ERROR, EX_PROMPT, EX_METHODS };

typedef struct ex_ctx {
    wbemsink *sink;            /* what the action works on */
    int action;
    volatile LONG calls;       /* Ex callbacks run */
    volatile LONG completes;   /* on_complete runs */
    volatile LONG returned;    /* an Ex callback is about to return */
    HANDLE entered;            /* set when an Ex callback starts */
    HRESULT inner_hr;          /* what the call made inside returned */
    ULONGLONG inner_ms;        /* and how long it took */
} ex_ctx;

static void ex_act(ex_ctx *c)
{
    InterlockedIncrement(&c->calls);
    if (c->entered) SetEvent(c->entered);
    ULONGLONG t0 = GetTickCount64();
    IWbemClassObject *o = NULL;
    switch (c->action) {
    case ACT_SLEEP:
        Sleep(300);      /* long enough for wbemsink_release to be called meanwhile */
        break;
    case ACT_CANCEL:
        c->inner_hr = wbemsink_cancel(c->sink, NULL);
        break;
    case ACT_RELEASE:
        wbemsink_release(c->sink);
        c->sink = NULL;
        break;
    case ACT_WAIT:
        c->inner_hr = wbemsink_wait(c->sink, INFINITE, NULL);
        break;
    case ACT_NEXT:
        c->inner_hr = wbemsink_next(c->sink, INFINITE, &o);
        if (o) IWbemClassObject_Release(o);
        break;
    }
    c->inner_ms = GetTickCount64() - t0;
    InterlockedExchange(&c->returned, 1);
}

static void ex_on_write_progress(void *ctx, const wchar_t *a, const wchar_t *o, const wchar_t *s,
                                 ULONG percent, ULONG seconds)
{
    (void)a; (void)o; (void)s; (void)percent; (void)seconds;
    ex_act(ctx);
}

static void ex_on_write_message(void *ctx, ULONG channel, const wchar_t *message)
{
    (void)channel; (void)message;
    ex_act(ctx);
}

static unsigned char ex_on_write_error(void *ctx, IWbemClassObject *error)
{
    (void)error;
    ex_act(ctx);
    return WBEMSINK_ANSWER_NO_TO_ALL;
}

static unsigned char ex_on_prompt_user(void *ctx, const wchar_t *message, unsigned char type)
{
    (void)message; (void)type;
    ex_act(ctx);
    return WBEMSINK_ANSWER_YES;     /* so a refused call (NO) is told apart */
}

static void ex_on_complete(void *ctx, HRESULT hr, const wchar_t *p, IWbemClassObject *e)
{
    (void)hr; (void)p; (void)e;
    InterlockedIncrement(&((ex_ctx *)ctx)->completes);
}

static wbemsink *ex_sink(ex_ctx *c, int action, wbemsink_mode mode)
{
    memset(c, 0, sizeof(*c));
    c->action = action;
    c->entered = CreateEventW(NULL, TRUE, FALSE, NULL);
    assert_non_null(c->entered);
    wbemsink_callbacks cb;
    memset(&cb, 0, sizeof(cb));
    cb.context = c;
    cb.on_write_progress = ex_on_write_progress;
    cb.on_write_message = ex_on_write_message;
    cb.on_write_error = ex_on_write_error;
    cb.on_prompt_user = ex_on_prompt_user;
    cb.on_complete = ex_on_complete;
    wbemsink_options o = opts(mode, 0, WBEMSINK_FULL_WAIT, 0);
    assert_hr(wbemsink_create(&cb, &o, &c->sink), S_OK);
    return c->sink;
}

static void ex_ctx_free(ex_ctx *c)
{
    CloseHandle(c->entered);
}

/* IWbemObjectSinkEx by QueryInterface, as WMI gets it: a reference. */
static IWbemObjectSinkEx *ex_of(wbemsink *s)
{
    IWbemObjectSinkEx *ex = NULL;
    assert_hr(IWbemObjectSink_QueryInterface(wbemsink_interface(s), &IID_IWbemObjectSinkEx,
                                             (void **)&ex), S_OK);
    assert_non_null(ex);
    return ex;
}

/* One Ex call as WMI would make it, with what it returned. */
typedef struct ex_call {
    IWbemObjectSinkEx *ex;
    int method;                /* EX_* */
    IWbemClassObject *error;   /* for WriteError, borrowed */
    HRESULT hr;
    unsigned char answer;
} ex_call;

static void ex_call_run(void *arg)
{
    ex_call *c = arg;
    BSTR text = SysAllocString(L"text");
    c->answer = 0xEE;
    switch (c->method) {
    case EX_MESSAGE:
        c->hr = IWbemObjectSinkEx_WriteMessage(c->ex, 1, text);
        break;
    case EX_PROGRESS:
        c->hr = IWbemObjectSinkEx_WriteProgress(c->ex, text, text, text, 50, 10);
        break;
    case EX_ERROR:
        c->hr = IWbemObjectSinkEx_WriteError(c->ex, c->error, &c->answer);
        break;
    case EX_PROMPT:
        c->hr = IWbemObjectSinkEx_PromptUser(c->ex, text, 1, &c->answer);
        break;
    }
    SysFreeString(text);
}

/* (a) wbemsink_release waits for a running Ex callback, like for any other. */
static void ex_release_waits_for_callback(void **state)
{
    (void)state;
    ex_ctx c;
    wbemsink *s = ex_sink(&c, ACT_SLEEP, WBEMSINK_MODE_INLINE);
    IWbemObjectSinkEx *ex = ex_of(s);
    ex_call call = { ex, EX_MESSAGE, NULL, E_FAIL, 0 };
    wmi_call t;
    wmi_start(&t, ex_call_run, &call);
    int entered = WaitForSingleObject(c.entered, 5000) == WAIT_OBJECT_0;
    wbemsink_release(s);
    LONG returned_before = c.returned;   /* must already be 1 */
    int joined = wmi_join(&t, 5000);
    ULONG left = joined ? IWbemObjectSinkEx_Release(ex) : 1;
    ex_ctx_free(&c);

    assert_true(entered);
    assert_true(joined);
    assert_hr(call.hr, S_OK);
    if (!returned_before)
        fail_msg("wbemsink_release returned while on_write_message was still running");
    assert_int_equal(left, 0);     /* WMI's reference was the last one */
}

/* (b) wbemsink_cancel / wbemsink_release from inside each Ex callback, with
   services bound: CancelAsyncCall is made, but not on WMI's thread. */
static void ex_stop_inside_callback_is_deferred(void **state)
{
    const variant *v = variant_of(state);
    int action = v->action, m = v->method;
    rec_services svc;
    rec_services_init(&svc);
    ex_ctx c;
    wbemsink *s = ex_sink(&c, action, WBEMSINK_MODE_INLINE);
    assert_hr(wbemsink_bind_services(s, &svc.iface), S_OK);
    IWbemObjectSinkEx *ex = ex_of(s);
    IWbemClassObject *err = fake_object_create(L"err");
    ex_call call = { ex, m, err, E_FAIL, 0 };
    wmi_call t;
    wmi_start(&t, ex_call_run, &call);
    int joined = wmi_join(&t, 10000);
    int cancelled = poll_until(rec_cancelled, &svc, 5000);
    int unheld = poll_until(rec_unheld, &svc, 5000);
    HRESULT final_hr = E_FAIL, wait_hr = E_FAIL;
    if (c.sink) {            /* ACT_CANCEL: the caller still holds it */
        wait_hr = wbemsink_wait(s, 5000, &final_hr);
        wbemsink_release(s);
    }
    int settled = poll_until(sink_settled, ex, 5000);   /* only WMI's reference left */
    ULONG left = joined ? IWbemObjectSinkEx_Release(ex) : 1;
    IWbemClassObject_Release(err);
    ex_ctx_free(&c);

    print_message("method %d: CancelAsyncCall on thread %lu, WMI's thread %lu\n", m,
                  (unsigned long)svc.cancel_thread, (unsigned long)t.tid);
    assert_true(joined);
    assert_true(cancelled);
    assert_int_equal(svc.cancel_calls, 1);
    if (svc.cancel_thread == t.tid)
        fail_msg("Ex method %d: CancelAsyncCall was made on WMI's calling thread, inside the callback", m);
    if (action == ACT_CANCEL) {
        assert_hr(c.inner_hr, S_OK);
        assert_hr(wait_hr, S_OK);
        assert_hr(final_hr, WBEM_E_CALL_CANCELLED);
    }
    assert_true(unheld);
    assert_true(settled);
    assert_int_equal(left, 0);
    assert_int_equal(svc.refs, 1);
    assert_fakes_balanced();
}

/* (b) wbemsink_wait and wbemsink_next inside on_prompt_user (PULL sink)
   refuse at once with WBEMSINK_E_IN_CALLBACK, even with INFINITE. If they
   block instead, the test completes the sink after 3 s to get its thread
   back, and fails. */
static void ex_inside_prompt_refused(void **state)
{
    const variant *v = variant_of(state);
    const char *name = v->action == ACT_WAIT ? "wbemsink_wait" : "wbemsink_next";
    ex_ctx c;
    wbemsink *s = ex_sink(&c, v->action, WBEMSINK_MODE_PULL);
    IWbemObjectSinkEx *ex = ex_of(s);
    ex_call call = { ex, EX_PROMPT, NULL, E_FAIL, 0 };
    wmi_call t;
    wmi_start(&t, ex_call_run, &call);
    int quick = wmi_join(&t, 3000);
    if (!quick)   /* blocked: end the operation so the call returns */
        IWbemObjectSinkEx_SetStatus(ex, WBEM_STATUS_COMPLETE, S_OK, NULL, NULL);
    int joined = wmi_join(&t, 10000);
    wbemsink_release(s);
    ULONG left = joined ? IWbemObjectSinkEx_Release(ex) : 1;
    ex_ctx_free(&c);

    assert_true(joined);
    if (!quick)
        fail_msg("%s(INFINITE) inside on_prompt_user blocked (returned %s after the test "
                 "completed the sink)", name,
                 wbemsink_hresult_name(c.inner_hr) ? wbemsink_hresult_name(c.inner_hr) : "?");
    assert_hr(c.inner_hr, WBEMSINK_E_IN_CALLBACK);
    assert_true(c.inner_ms < 1000);
    assert_hr(call.hr, S_OK);
    assert_int_equal(call.answer, WBEMSINK_ANSWER_YES);
    assert_int_equal(left, 0);
}

/* (c) After on_complete ran, the Ex methods run no callback: after WMI's
   COMPLETE they return WBEM_S_NO_ERROR, after a cancel
   WBEM_E_CALL_CANCELLED; PromptUser answers NO. */
static void ex_silent_after_complete(void **state)
{
    int cancel = variant_of(state)->cancel;
    ex_ctx c;
    wbemsink *s = ex_sink(&c, ACT_NONE, WBEMSINK_MODE_THREAD);
    IWbemObjectSinkEx *ex = ex_of(s);
    if (cancel) assert_hr(wbemsink_cancel(s, NULL), S_OK);
    else assert_hr(IWbemObjectSinkEx_SetStatus(ex, WBEM_STATUS_COMPLETE, S_OK, NULL, NULL), S_OK);
    assert_hr(wbemsink_wait(s, 10000, NULL), S_OK);    /* on_complete has returned */
    LONG completes = c.completes;

    IWbemClassObject *err = fake_object_create(L"err");
    ex_call calls[EX_METHODS];
    int joined = 1;
    for (int m = 0; m < EX_METHODS; m++) {
        calls[m] = (ex_call){ ex, m, err, E_FAIL, 0 };
        wmi_call t;
        wmi_start(&t, ex_call_run, &calls[m]);
        joined &= wmi_join(&t, 10000);
    }
    LONG ex_calls = c.calls;
    wbemsink_release(s);
    ULONG left = joined ? IWbemObjectSinkEx_Release(ex) : 1;
    IWbemClassObject_Release(err);
    ex_ctx_free(&c);

    print_message("after %s: %ld Ex callbacks ran; hr %08lX %08lX %08lX %08lX, prompt answer %u\n",
                  cancel ? "a cancel" : "WMI's COMPLETE", (long)ex_calls,
                  (unsigned long)calls[0].hr, (unsigned long)calls[1].hr,
                  (unsigned long)calls[2].hr, (unsigned long)calls[3].hr,
                  (unsigned)calls[EX_PROMPT].answer);
    assert_true(joined);
    assert_int_equal(completes, 1);
    if (ex_calls != 0) fail_msg("%ld Ex callbacks ran after on_complete", (long)ex_calls);
    HRESULT expected = cancel ? WBEM_E_CALL_CANCELLED : WBEM_S_NO_ERROR;
    for (int m = 0; m < EX_METHODS; m++) assert_hr(calls[m].hr, expected);
    assert_int_equal(calls[EX_PROMPT].answer, WBEMSINK_ANSWER_NO);
    assert_int_equal(left, 0);
}

/* ---------------------------------------------------------------------
 * 3. Status calls are bounded.
 * ------------------------------------------------------------------- */

#define PROGRESS_CALLS 100000

typedef struct status_log {
    volatile LONG progress, requirements, completes, objects;
    unsigned current, total;
    wchar_t message[16];
    HANDLE entered, unblock;    /* THREAD mode: the first on_objects stalls */
} status_log;

static HRESULT sl_on_objects(void *ctx, IWbemClassObject *const *objs, LONG n)
{
    (void)objs;
    status_log *l = ctx;
    if (InterlockedExchangeAdd(&l->objects, n) == 0 && l->unblock) {
        SetEvent(l->entered);
        WaitForSingleObject(l->unblock, 30000);
    }
    return S_OK;
}

static void sl_on_progress(void *ctx, unsigned current, unsigned total, const wchar_t *msg)
{
    status_log *l = ctx;
    InterlockedIncrement(&l->progress);
    l->current = current;
    l->total = total;
    wcsncpy(l->message, msg ? msg : L"", 15);
    l->message[15] = 0;
}

static void sl_on_requirements(void *ctx, HRESULT hr, const wchar_t *p, IWbemClassObject *o)
{
    (void)hr; (void)p; (void)o;
    InterlockedIncrement(&((status_log *)ctx)->requirements);
}

static void sl_on_complete(void *ctx, HRESULT hr, const wchar_t *p, IWbemClassObject *e)
{
    (void)hr; (void)p; (void)e;
    InterlockedIncrement(&((status_log *)ctx)->completes);
}

static wbemsink *status_sink(status_log *l, wbemsink_mode mode, wbemsink_dispatcher *d)
{
    wbemsink_callbacks cb;
    memset(&cb, 0, sizeof(cb));
    cb.context = l;
    cb.on_objects = sl_on_objects;
    cb.on_progress = sl_on_progress;
    cb.on_requirements = sl_on_requirements;
    cb.on_complete = sl_on_complete;
    wbemsink_options o = opts(mode, 16, WBEMSINK_FULL_FAIL, 0);
    o.dispatcher = d;
    wbemsink *s;
    assert_hr(wbemsink_create(&cb, &o, &s), S_OK);
    return s;
}

/* Takes every object of a PULL sink until it reports the end (bounded). */
static HRESULT drain_pull(wbemsink *s, LONG *taken)
{
    HRESULT hr = E_FAIL;
    for (int i = 0; i < 1000; i++) {
        IWbemClassObject *o = NULL;
        hr = wbemsink_next(s, 5000, &o);
        if (hr != S_OK) break;
        (*taken)++;
        IWbemClassObject_Release(o);
    }
    return hr;
}

typedef struct progress_result {
    HRESULT first_failure;     /* S_OK if every call succeeded */
    LONG max_obj_refs;
    unsigned max_status_queued, max_queued_total;
    wbemsink_stats after;      /* stats right after the calls */
} progress_result;

/* 100,000 PROGRESS calls with one status object while nobody consumes. */
static void flood_progress(wbemsink *s, IWbemClassObject *obj, progress_result *r)
{
    IWbemObjectSink *i = wbemsink_interface(s);
    BSTR msg = SysAllocString(L"working"), last = SysAllocString(L"last");
    memset(r, 0, sizeof(*r));
    for (LONG k = 0; k < PROGRESS_CALLS; k++) {
        HRESULT hr = IWbemObjectSink_SetStatus(i, WBEM_STATUS_PROGRESS,
                                               MAKELONG(k & 0xFFFF, PROGRESS_CALLS & 0xFFFF),
                                               k == PROGRESS_CALLS - 1 ? last : msg, obj);
        if (FAILED(hr) && r->first_failure == S_OK) r->first_failure = hr;
        if (k % 1000 == 999) {
            wbemsink_stats st;
            wbemsink_get_stats(s, &st);
            LONG refs = fake_object_refs(obj);
            if (refs > r->max_obj_refs) r->max_obj_refs = refs;
            if (st.status_queued > r->max_status_queued) r->max_status_queued = st.status_queued;
            if (st.status_queued + st.queued > r->max_queued_total)
                r->max_queued_total = st.status_queued + st.queued;
        }
    }
    wbemsink_get_stats(s, &r->after);
    SysFreeString(msg);
    SysFreeString(last);
}

static void assert_progress_bounded(const progress_result *r, const status_log *l)
{
    print_message("object refs peaked at %ld, status_queued at %u; coalesced %llu, on_progress ran "
                  "%ld times, last %u/%u\n", (long)r->max_obj_refs, r->max_status_queued,
                  (unsigned long long)r->after.status_coalesced, (long)l->progress, l->current,
                  l->total);
    assert_hr(r->first_failure, S_OK);
    if (r->max_obj_refs > 4)
        fail_msg("the status object was held %ld times: progress calls pile up", (long)r->max_obj_refs);
    assert_true(r->after.status_coalesced >= PROGRESS_CALLS - 10);
    assert_true(r->max_status_queued <= 16);
    assert_true(r->after.status_queued <= 16);
    assert_true(r->max_queued_total <= 16);
    assert_int_equal(l->completes, 1);
    assert_true(l->progress >= 1 && l->progress <= 16);
    /* the last call's values reached on_progress */
    assert_int_equal(l->current, (PROGRESS_CALLS - 1) & 0xFFFF);
    assert_int_equal(l->total, PROGRESS_CALLS & 0xFFFF);
    assert_true(wcscmp(l->message, L"last") == 0);
}

/* PULL mode, not pulled: one object queued, then the flood. */
static void status_progress_coalesces_pull(void **state)
{
    (void)state;
    status_log l;
    memset(&l, 0, sizeof(l));
    wbemsink *s = status_sink(&l, WBEMSINK_MODE_PULL, NULL);
    IWbemClassObject *obj = fake_object_create(L"__ExtendedStatus"), *one[1];
    make_objects(one, 1);
    assert_hr(IWbemObjectSink_Indicate(wbemsink_interface(s), 1, one), S_OK);
    progress_result r;
    flood_progress(s, obj, &r);
    assert_hr(IWbemObjectSink_SetStatus(wbemsink_interface(s), WBEM_STATUS_COMPLETE, S_OK, NULL, NULL),
              S_OK);
    LONG taken = 0;
    HRESULT end = drain_pull(s, &taken);
    wbemsink_release(s);
    LONG obj_refs = fake_object_refs(obj);
    release_objects(one, 1);
    IWbemClassObject_Release(obj);

    assert_hr(end, WBEM_S_NO_MORE_DATA);
    assert_int_equal(taken, 1);
    assert_int_equal(obj_refs, 1);     /* everything the sink kept was Released */
    assert_progress_bounded(&r, &l);
}

/* THREAD mode: on_objects stalls on the first object (own dispatcher, so
   the shared one is not blocked). */
static void status_progress_coalesces_thread(void **state)
{
    (void)state;
    status_log l;
    memset(&l, 0, sizeof(l));
    l.entered = CreateEventW(NULL, TRUE, FALSE, NULL);
    l.unblock = CreateEventW(NULL, TRUE, FALSE, NULL);
    wbemsink_dispatcher *d;
    assert_hr(wbemsink_dispatcher_create(&d), S_OK);
    wbemsink *s = status_sink(&l, WBEMSINK_MODE_THREAD, d);
    wbemsink_dispatcher_release(d);    /* the sink holds its own */
    IWbemClassObject *obj = fake_object_create(L"__ExtendedStatus"), *one[1];
    make_objects(one, 1);
    assert_hr(IWbemObjectSink_Indicate(wbemsink_interface(s), 1, one), S_OK);
    int stalled = WaitForSingleObject(l.entered, 10000) == WAIT_OBJECT_0;
    progress_result r;
    flood_progress(s, obj, &r);
    SetEvent(l.unblock);
    assert_hr(IWbemObjectSink_SetStatus(wbemsink_interface(s), WBEM_STATUS_COMPLETE, S_OK, NULL, NULL),
              S_OK);
    HRESULT waited = wbemsink_wait(s, 30000, NULL);
    wbemsink_release(s);
    LONG obj_refs = fake_object_refs(obj);
    release_objects(one, 1);
    IWbemClassObject_Release(obj);
    CloseHandle(l.entered);
    CloseHandle(l.unblock);

    assert_true(stalled);
    assert_hr(waited, S_OK);
    assert_int_equal(l.objects, 1);
    assert_int_equal(obj_refs, 1);
    assert_progress_bounded(&r, &l);
}

/* REQUIREMENTS calls (not coalesced) take slots of the capacity: under
   FAIL the ones beyond it return WBEM_E_OUT_OF_MEMORY and are counted;
   then objects find no room either. */
static void status_requirements_bounded_fail(void **state)
{
    (void)state;
    status_log l;
    memset(&l, 0, sizeof(l));
    wbemsink *s = status_sink(&l, WBEMSINK_MODE_PULL, NULL);
    IWbemObjectSink *i = wbemsink_interface(s);
    IWbemClassObject *obj = fake_object_create(L"__ExtendedStatus"), *four[4], *late[1];
    make_objects(four, 4);
    make_objects(late, 1);
    HRESULT first = IWbemObjectSink_Indicate(i, 4, four);
    HRESULT req[20];
    BSTR p = SysAllocString(L"req");
    for (int k = 0; k < 20; k++) req[k] = IWbemObjectSink_SetStatus(i, WBEM_STATUS_REQUIREMENTS, S_OK, p, obj);
    SysFreeString(p);
    wbemsink_stats full;
    wbemsink_get_stats(s, &full);
    LONG refs_full = fake_object_refs(obj);
    HRESULT late_hr = IWbemObjectSink_Indicate(i, 1, late);
    wbemsink_stats after;
    wbemsink_get_stats(s, &after);
    HRESULT complete = IWbemObjectSink_SetStatus(i, WBEM_STATUS_COMPLETE, S_OK, NULL, NULL);
    LONG taken = 0;
    HRESULT end = drain_pull(s, &taken);
    wbemsink_release(s);
    LONG obj_refs = fake_object_refs(obj), late_refs = fake_object_refs(late[0]);
    release_objects(four, 4);
    release_objects(late, 1);
    IWbemClassObject_Release(obj);

    int accepted = 0;
    for (int k = 0; k < 20; k++) accepted += SUCCEEDED(req[k]);
    print_message("REQUIREMENTS accepted %d of 20; status_queued %u, status_dropped %llu, object "
                  "refs %ld; Indicate when full: 0x%08lX\n", accepted, full.status_queued,
                  (unsigned long long)full.status_dropped, (long)refs_full, (unsigned long)late_hr);
    assert_hr(first, S_OK);
    for (int k = 0; k < 12; k++) assert_hr(req[k], WBEM_S_NO_ERROR);
    for (int k = 12; k < 20; k++) assert_hr(req[k], WBEM_E_OUT_OF_MEMORY);
    assert_int_equal(full.status_queued, 12);
    assert_int_equal(full.queued, 4);
    assert_int_equal(full.status_dropped, 8);
    assert_int_equal(refs_full, 1 + 12);          /* only the kept calls hold it */
    assert_hr(late_hr, WBEM_E_OUT_OF_MEMORY);      /* objects + status <= capacity */
    assert_int_equal(after.queued, 4);
    assert_int_equal(after.dropped, 1);
    assert_true(after.status_queued + after.queued <= 16);
    assert_hr(complete, WBEM_S_NO_ERROR);          /* completion is never refused */
    assert_hr(end, WBEMSINK_E_OBJECTS_DROPPED);    /* the drops are the result, also for the puller */
    assert_int_equal(taken, 4);
    assert_int_equal(l.requirements, 12);
    assert_int_equal(l.completes, 1);
    assert_int_equal(obj_refs, 1);
    assert_int_equal(late_refs, 1);
}

/* ---------------------------------------------------------------------
 * 4. set_callbacks is sealed by every path that may run a callback.
 * ------------------------------------------------------------------- */

typedef struct seal_log {
    volatile LONG calls;       /* any callback */
    volatile LONG completes;
    HRESULT final_hr;
} seal_log;

static void seal_on_complete(void *ctx, HRESULT hr, const wchar_t *p, IWbemClassObject *e)
{
    (void)p; (void)e;
    seal_log *l = ctx;
    l->final_hr = hr;
    InterlockedIncrement(&l->completes);
    InterlockedIncrement(&l->calls);
}

static HRESULT seal_on_objects(void *ctx, IWbemClassObject *const *o, LONG n)
{
    (void)o; (void)n;
    InterlockedIncrement(&((seal_log *)ctx)->calls);
    return S_OK;
}

static void seal_on_write_message(void *ctx, ULONG channel, const wchar_t *m)
{
    (void)channel; (void)m;
    InterlockedIncrement(&((seal_log *)ctx)->calls);
}

static wbemsink_callbacks seal_callbacks(seal_log *l)
{
    wbemsink_callbacks cb;
    memset(&cb, 0, sizeof(cb));
    cb.context = l;
    cb.on_objects = seal_on_objects;
    cb.on_complete = seal_on_complete;
    cb.on_write_message = seal_on_write_message;
    return cb;
}

static const char *mode_name(wbemsink_mode m)
{
    return m == WBEMSINK_MODE_THREAD ? "THREAD" : m == WBEMSINK_MODE_INLINE ? "INLINE" : "PULL";
}

/* Ends the operation the way the sink's mode needs so that on_complete has
   run (PULL: inside wbemsink_next). */
static HRESULT finish(wbemsink *s, wbemsink_mode mode)
{
    if (mode != WBEMSINK_MODE_PULL) return wbemsink_wait(s, 10000, NULL);
    IWbemClassObject *o = NULL;
    HRESULT hr = wbemsink_next(s, 10000, &o);
    if (o) IWbemClassObject_Release(o);
    if (hr == S_OK || hr == WBEM_S_TIMEDOUT) return hr == S_OK ? E_UNEXPECTED : hr;   /* not the end */
    /* The end: the operation's result (WBEM_S_NO_MORE_DATA when clean). */
    HRESULT final = E_FAIL;
    if (wbemsink_wait(s, 0, &final) != S_OK) return E_UNEXPECTED;
    return hr == (FAILED(final) || final == WBEMSINK_S_OBJECTS_DROPPED ? final : WBEM_S_NO_MORE_DATA) ? S_OK : hr;
}

static void assert_sealed_result(const char *what, wbemsink_mode mode, HRESULT set_hr,
                                 const seal_log *old_cb, const seal_log *new_cb, HRESULT expected_final)
{
    print_message("%s (%s): set_callbacks 0x%08lX; old callbacks %ld (%ld on_complete), new %ld\n",
                  what, mode_name(mode), (unsigned long)set_hr, (long)old_cb->calls,
                  (long)old_cb->completes, (long)new_cb->calls);
    if (set_hr != WBEMSINK_E_SEALED)
        fail_msg("%s (%s): wbemsink_set_callbacks returned 0x%08lX, not WBEMSINK_E_SEALED", what,
                 mode_name(mode), (unsigned long)set_hr);
    assert_int_equal(new_cb->calls, 0);
    assert_int_equal(old_cb->completes, 1);
    assert_hr(old_cb->final_hr, expected_final);
}

/* A sink never handed out, cancelled: set_callbacks right after the cancel
   (PULL: before on_complete runs, INLINE: after it ran inside the cancel,
   THREAD: racing the dispatcher). */
static void set_callbacks_sealed_by_cancel(void **state)
{
    wbemsink_mode mode = variant_of(state)->mode;
    seal_log o = { 0 }, n = { 0 };
    wbemsink_callbacks ocb = seal_callbacks(&o), ncb = seal_callbacks(&n);
    wbemsink_options opt = opts(mode, 0, WBEMSINK_FULL_WAIT, 0);
    wbemsink *s;
    assert_hr(wbemsink_create(&ocb, &opt, &s), S_OK);
    HRESULT cancel_hr = wbemsink_cancel(s, NULL);
    HRESULT set_hr = wbemsink_set_callbacks(s, &ncb);
    HRESULT fin = finish(s, mode);
    wbemsink_release(s);

    assert_hr(cancel_hr, S_OK);
    assert_hr(fin, S_OK);
    assert_sealed_result("after wbemsink_cancel", mode, set_hr, &o, &n, WBEM_E_CALL_CANCELLED);
}

/* A sink never handed out whose timeout_ms passed. PULL: the deadline
   completed it, on_complete has not run yet; THREAD: it has. */
static void set_callbacks_sealed_by_deadline(void **state)
{
    wbemsink_mode mode = variant_of(state)->mode;
    seal_log o = { 0 }, n = { 0 };
    wbemsink_callbacks ocb = seal_callbacks(&o), ncb = seal_callbacks(&n);
    wbemsink_options opt = opts(mode, 0, WBEMSINK_FULL_WAIT, 0);
    opt.timeout_ms = 50;
    wbemsink *s;
    assert_hr(wbemsink_create(&ocb, &opt, &s), S_OK);
    HRESULT final_hr = E_FAIL;
    HRESULT waited = wbemsink_wait(s, 10000, &final_hr);
    HRESULT set_hr = wbemsink_set_callbacks(s, &ncb);
    HRESULT fin = finish(s, mode);
    wbemsink_release(s);

    assert_hr(waited, S_OK);
    assert_hr(final_hr, WBEM_E_TIMED_OUT);
    assert_hr(fin, S_OK);
    assert_sealed_result("after the deadline", mode, set_hr, &o, &n, WBEM_E_TIMED_OUT);
}

/* Once on_complete ran, set_callbacks is refused, and nothing later (a
   late Ex call, a second cancel) reaches the would-be new callbacks. */
static void set_callbacks_sealed_after_complete(void **state)
{
    wbemsink_mode mode = variant_of(state)->mode;
    seal_log o = { 0 }, n = { 0 };
    wbemsink_callbacks ocb = seal_callbacks(&o), ncb = seal_callbacks(&n);
    wbemsink_options opt = opts(mode, 0, WBEMSINK_FULL_WAIT, 0);
    wbemsink *s;
    assert_hr(wbemsink_create(&ocb, &opt, &s), S_OK);
    wbemsink_cancel(s, NULL);
    HRESULT fin = finish(s, mode);
    LONG completes_before = o.completes;
    HRESULT set_hr = wbemsink_set_callbacks(s, &ncb);
    HRESULT again = wbemsink_cancel(s, NULL);
    IWbemObjectSinkEx *ex = ex_of(s);
    BSTR text = SysAllocString(L"late");
    IWbemObjectSinkEx_WriteMessage(ex, 0, text);
    SysFreeString(text);
    IWbemObjectSinkEx_Release(ex);
    wbemsink_release(s);

    assert_hr(fin, S_OK);
    assert_int_equal(completes_before, 1);
    assert_hr(again, S_FALSE);
    assert_sealed_result("after on_complete", mode, set_hr, &o, &n, WBEM_E_CALL_CANCELLED);
}

/* ---------------------------------------------------------------------
 * 5. Cancel through the unsecured apartment names the stub.
 *
 * Wine registers no CLSID_UnsecuredApartment: the test registers a class
 * object of its own whose CreateObjectStub returns a distinct forwarding
 * stub, as WMI's does.
 * ------------------------------------------------------------------- */

typedef struct stub_sink {
    IWbemObjectSink iface;
    volatile LONG refs;
    IWbemObjectSink *inner;    /* owned reference to the wrapped sink */
} stub_sink;

static volatile LONG stubs_alive;

static stub_sink *stub_from(IWbemObjectSink *i)
{
    return (stub_sink *)((char *)i - offsetof(stub_sink, iface));
}

static HRESULT STDMETHODCALLTYPE stub_QueryInterface(IWbemObjectSink *This, REFIID riid, void **ppv)
{
    if (!ppv) return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IWbemObjectSink)) {
        *ppv = This;
        IWbemObjectSink_AddRef(This);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE stub_AddRef(IWbemObjectSink *This)
{
    return (ULONG)InterlockedIncrement(&stub_from(This)->refs);
}

static ULONG STDMETHODCALLTYPE stub_Release(IWbemObjectSink *This)
{
    stub_sink *st = stub_from(This);
    LONG r = InterlockedDecrement(&st->refs);
    if (r == 0) {
        IWbemObjectSink_Release(st->inner);
        HeapFree(GetProcessHeap(), 0, st);
        InterlockedDecrement(&stubs_alive);
    }
    return (ULONG)r;
}

static HRESULT STDMETHODCALLTYPE stub_Indicate(IWbemObjectSink *This, LONG n, IWbemClassObject **objs)
{
    return IWbemObjectSink_Indicate(stub_from(This)->inner, n, objs);
}

static HRESULT STDMETHODCALLTYPE stub_SetStatus(IWbemObjectSink *This, LONG f, HRESULT hr, BSTR p,
                                                IWbemClassObject *o)
{
    return IWbemObjectSink_SetStatus(stub_from(This)->inner, f, hr, p, o);
}

static const IWbemObjectSinkVtbl stub_vtbl = {
    stub_QueryInterface, stub_AddRef, stub_Release, stub_Indicate, stub_SetStatus,
};

static HRESULT stub_create(IUnknown *object, IUnknown **out)
{
    if (!object || !out) return E_POINTER;
    *out = NULL;
    stub_sink *st = HeapAlloc(GetProcessHeap(), 0, sizeof(*st));
    if (!st) return E_OUTOFMEMORY;
    HRESULT hr = IUnknown_QueryInterface(object, &IID_IWbemObjectSink, (void **)&st->inner);
    if (FAILED(hr)) {
        HeapFree(GetProcessHeap(), 0, st);
        return hr;
    }
    st->iface.lpVtbl = (IWbemObjectSinkVtbl *)&stub_vtbl;
    st->refs = 1;
    InterlockedIncrement(&stubs_alive);
    *out = (IUnknown *)&st->iface;
    return S_OK;
}

/* The apartment: a static object, counted. */
static volatile LONG apartment_refs, stubs_made;

static HRESULT STDMETHODCALLTYPE ua_QueryInterface(IWbemUnsecuredApartment *This, REFIID riid, void **ppv)
{
    if (!ppv) return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IUnsecuredApartment) ||
        IsEqualIID(riid, &IID_IWbemUnsecuredApartment)) {
        *ppv = This;
        IWbemUnsecuredApartment_AddRef(This);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE ua_AddRef(IWbemUnsecuredApartment *This)
{
    (void)This;
    return (ULONG)InterlockedIncrement(&apartment_refs);
}

static ULONG STDMETHODCALLTYPE ua_Release(IWbemUnsecuredApartment *This)
{
    (void)This;
    return (ULONG)InterlockedDecrement(&apartment_refs);
}

static HRESULT STDMETHODCALLTYPE ua_CreateObjectStub(IWbemUnsecuredApartment *This, IUnknown *object,
                                                     IUnknown **stub)
{
    (void)This;
    InterlockedIncrement(&stubs_made);
    return stub_create(object, stub);
}

static HRESULT STDMETHODCALLTYPE ua_CreateSinkStub(IWbemUnsecuredApartment *This, IWbemObjectSink *sink,
                                                   DWORD flags, LPCWSTR reserved, IWbemObjectSink **stub)
{
    (void)This; (void)flags; (void)reserved;
    InterlockedIncrement(&stubs_made);
    return stub_create((IUnknown *)sink, (IUnknown **)stub);
}

static const IWbemUnsecuredApartmentVtbl apartment_vtbl = {
    ua_QueryInterface, ua_AddRef, ua_Release, ua_CreateObjectStub, ua_CreateSinkStub,
};
static IWbemUnsecuredApartment apartment = { (IWbemUnsecuredApartmentVtbl *)&apartment_vtbl };

/* The class factory: static too. */
static volatile LONG factory_refs;

static HRESULT STDMETHODCALLTYPE cf_QueryInterface(IClassFactory *This, REFIID riid, void **ppv)
{
    if (!ppv) return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IClassFactory)) {
        *ppv = This;
        IClassFactory_AddRef(This);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE cf_AddRef(IClassFactory *This)
{
    (void)This;
    return (ULONG)InterlockedIncrement(&factory_refs);
}

static ULONG STDMETHODCALLTYPE cf_Release(IClassFactory *This)
{
    (void)This;
    return (ULONG)InterlockedDecrement(&factory_refs);
}

static HRESULT STDMETHODCALLTYPE cf_CreateInstance(IClassFactory *This, IUnknown *outer, REFIID riid,
                                                   void **ppv)
{
    (void)This;
    if (!ppv) return E_POINTER;
    *ppv = NULL;
    if (outer) return CLASS_E_NOAGGREGATION;
    return IWbemUnsecuredApartment_QueryInterface(&apartment, riid, ppv);
}

static HRESULT STDMETHODCALLTYPE cf_LockServer(IClassFactory *This, BOOL lock)
{
    (void)This; (void)lock;
    return S_OK;
}

static const IClassFactoryVtbl factory_vtbl = {
    cf_QueryInterface, cf_AddRef, cf_Release, cf_CreateInstance, cf_LockServer,
};
static IClassFactory factory = { (IClassFactoryVtbl *)&factory_vtbl };

/* Registers the factory as a LOCAL_SERVER class (what the library asks
   CoCreateInstance for); reports what Wine does with it. */
static DWORD register_apartment(void)
{
    DWORD cookie = 0;
    assert_hr(CoRegisterClassObject(&CLSID_UnsecuredApartment, (IUnknown *)&factory, CLSCTX_LOCAL_SERVER,
                                    REGCLS_MULTIPLEUSE, &cookie), S_OK);
    IWbemUnsecuredApartment *probe = NULL;
    HRESULT hr = CoCreateInstance(&CLSID_UnsecuredApartment, NULL, CLSCTX_LOCAL_SERVER,
                                  &IID_IWbemUnsecuredApartment, (void **)&probe);
    print_message("CoCreateInstance(LOCAL_SERVER) of the registered class: 0x%08lX\n", (unsigned long)hr);
    assert_hr(hr, S_OK);
    assert_ptr_equal(probe, &apartment);
    IWbemUnsecuredApartment_Release(probe);
    return cookie;
}

/* wbemsink_cancel(s, NULL), and the deadline's cancel, name the stub that
   was handed to WMI, not the sink behind it. */
static void unsecured_cancel_names_stub(void **state)
{
    int deadline = variant_of(state)->deadline;
    assert_true(SUCCEEDED(CoInitializeEx(NULL, COINIT_MULTITHREADED)));
    LONG factory_base = factory_refs, made_base = stubs_made;
    DWORD cookie = register_apartment();
    rec_services svc;
    rec_services_init(&svc);
    wbemsink_options o = opts(WBEMSINK_MODE_THREAD, 0, WBEMSINK_FULL_WAIT, 0);
    o.timeout_ms = deadline ? 300 : 0;
    wbemsink *s;
    assert_hr(wbemsink_create(NULL, &o, &s), S_OK);
    IWbemObjectSink *stub = NULL;
    HRESULT hr = wbemsink_unsecured_interface(s, &stub);
    assert_hr(hr, S_OK);
    assert_non_null(stub);
    assert_ptr_not_equal(stub, wbemsink_interface(s));
    assert_hr(wbemsink_bind_services(s, &svc.iface), S_OK);
    HRESULT cancel_hr = deadline ? S_OK : wbemsink_cancel(s, NULL);
    int cancelled = poll_until(rec_cancelled, &svc, 5000);
    HRESULT final_hr = E_FAIL;
    HRESULT waited = wbemsink_wait(s, 5000, &final_hr);
    int unheld = poll_until(rec_unheld, &svc, 5000);
    IWbemObjectSink *named = svc.cancel_sink, *own = wbemsink_interface(s);
    IWbemObjectSink_Release(stub);
    wbemsink_release(s);
    /* The stub (and with it the sink) is freed once both are given back,
       whether or not the sink kept a reference to the stub to name it. */
    LONG stubs_left = stubs_alive;

    print_message("%s: CancelAsyncCall got %p; the stub is %p, the sink %p\n",
                  deadline ? "deadline" : "wbemsink_cancel", (void *)named, (void *)stub,
                  (void *)own);
    assert_hr(cancel_hr, S_OK);
    assert_true(cancelled);
    assert_int_equal(svc.cancel_calls, 1);
    if (named != stub)
        fail_msg("CancelAsyncCall was given %s, not the stub handed to WMI",
                 named == own ? "the sink's own interface" : "an unknown pointer");
    assert_hr(waited, S_OK);
    assert_hr(final_hr, deadline ? WBEM_E_TIMED_OUT : WBEM_E_CALL_CANCELLED);
    assert_true(unheld);
    assert_int_equal(svc.refs, 1);
    assert_int_equal(stubs_left, 0);
    assert_hr(CoRevokeClassObject(cookie), S_OK);
    CoUninitialize();
    assert_int_equal(stubs_alive, 0);
    assert_int_equal(apartment_refs, 0);
    assert_int_equal(factory_refs, factory_base);
    assert_int_equal(stubs_made - made_base, 1);
}

/* A registered run of fn with its variant, named for CMocka's report. */
#define RUN(name, fn, ...) \
    { name, fn, fakes_setup, fakes_teardown, (void *)&(const variant){ __VA_ARGS__ } }
#define RUN1(fn) cmocka_unit_test_setup_teardown(fn, fakes_setup, fakes_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        /* 1. IWbemObjectSinkEx callbacks */
        RUN("ex_release_waits_for_write_message", ex_release_waits_for_callback, 0),
        RUN("ex_cancel_inside_write_message_is_deferred", ex_stop_inside_callback_is_deferred,
            .action = ACT_CANCEL, .method = EX_MESSAGE),
        RUN("ex_cancel_inside_write_progress_is_deferred", ex_stop_inside_callback_is_deferred,
            .action = ACT_CANCEL, .method = EX_PROGRESS),
        RUN("ex_cancel_inside_write_error_is_deferred", ex_stop_inside_callback_is_deferred,
            .action = ACT_CANCEL, .method = EX_ERROR),
        RUN("ex_cancel_inside_prompt_user_is_deferred", ex_stop_inside_callback_is_deferred,
            .action = ACT_CANCEL, .method = EX_PROMPT),
        RUN("ex_release_inside_write_message_is_deferred", ex_stop_inside_callback_is_deferred,
            .action = ACT_RELEASE, .method = EX_MESSAGE),
        RUN("ex_release_inside_write_progress_is_deferred", ex_stop_inside_callback_is_deferred,
            .action = ACT_RELEASE, .method = EX_PROGRESS),
        RUN("ex_release_inside_write_error_is_deferred", ex_stop_inside_callback_is_deferred,
            .action = ACT_RELEASE, .method = EX_ERROR),
        RUN("ex_release_inside_prompt_user_is_deferred", ex_stop_inside_callback_is_deferred,
            .action = ACT_RELEASE, .method = EX_PROMPT),
        RUN("ex_wait_inside_prompt_user_refused", ex_inside_prompt_refused, .action = ACT_WAIT),
        RUN("ex_next_inside_prompt_user_refused", ex_inside_prompt_refused, .action = ACT_NEXT),
        RUN("ex_silent_after_wmi_complete", ex_silent_after_complete, .cancel = 0),
        RUN("ex_silent_after_cancel", ex_silent_after_complete, .cancel = 1),
        /* 3. bounded status calls */
        RUN1(status_progress_coalesces_pull),
        RUN1(status_progress_coalesces_thread),
        RUN1(status_requirements_bounded_fail),
        /* 4. sealing */
        RUN("set_callbacks_sealed_by_cancel_pull", set_callbacks_sealed_by_cancel,
            .mode = WBEMSINK_MODE_PULL),
        RUN("set_callbacks_sealed_by_cancel_inline", set_callbacks_sealed_by_cancel,
            .mode = WBEMSINK_MODE_INLINE),
        RUN("set_callbacks_sealed_by_cancel_thread", set_callbacks_sealed_by_cancel,
            .mode = WBEMSINK_MODE_THREAD),
        RUN("set_callbacks_sealed_by_deadline_pull", set_callbacks_sealed_by_deadline,
            .mode = WBEMSINK_MODE_PULL),
        RUN("set_callbacks_sealed_by_deadline_thread", set_callbacks_sealed_by_deadline,
            .mode = WBEMSINK_MODE_THREAD),
        RUN("set_callbacks_sealed_after_complete_thread", set_callbacks_sealed_after_complete,
            .mode = WBEMSINK_MODE_THREAD),
        RUN("set_callbacks_sealed_after_complete_inline", set_callbacks_sealed_after_complete,
            .mode = WBEMSINK_MODE_INLINE),
        RUN("set_callbacks_sealed_after_complete_pull", set_callbacks_sealed_after_complete,
            .mode = WBEMSINK_MODE_PULL),
        /* 5. the unsecured apartment's stub */
        RUN("unsecured_cancel_names_stub", unsecured_cancel_names_stub, .deadline = 0),
        RUN("unsecured_deadline_cancel_names_stub", unsecured_cancel_names_stub, .deadline = 1),
    };
    return cmocka_run_group_tests_name("regress-core", tests, NULL, NULL);
}
