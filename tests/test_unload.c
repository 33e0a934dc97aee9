/* Regression test for issue 11: unloading wbemsink.dll after the last
   wbemsink_release must not crash. Threads and work items of the library
   (the shared dispatcher, a deadline's watch thread, a deferred
   CancelAsyncCall) used to run on after FreeLibrary unmapped their code.
   Issue 22: so did the COM objects it hands out, Released (or returned
   from) by a provider's thread after the program's FreeLibrary: the
   paced_* scenarios, against the fake enumerator.

   This program does NOT link the DLL (a linked DLL would never unload): it
   loads it with LoadLibraryW and takes the functions with GetProcAddress.
   A fixed library may keep itself loaded while its threads finish, so the
   module is given a few seconds to go away. */
#define COBJMACROS
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "wbemsink.h"      /* types only: no function of it is referenced */
#include "fake_enum.h"
#include "fake_object.h"
#include "fake_services.h"
#include "rec_services.h"
#include "fake_locator.h"

typedef HRESULT (*create_fn)(const wbemsink_callbacks *, const wbemsink_options *, wbemsink **);
typedef void (*release_fn)(wbemsink *);
typedef IWbemObjectSink *(*interface_fn)(wbemsink *);
typedef HRESULT (*wait_fn)(wbemsink *, DWORD, HRESULT *);
typedef HRESULT (*exec_fn)(wbemsink *, IWbemServices *, const wchar_t *, LONG, IWbemContext *);
typedef HRESULT (*start_paced_fn)(wbemsink *, IEnumWbemClassObject *, ULONG);

typedef struct api {
    HMODULE dll;
    create_fn create;
    release_fn release;
    interface_fn iface;
    wait_fn wait;
    exec_fn exec_notification;
    start_paced_fn start_paced;
} api;

/* Where the DLL was mapped, and whether it was given back. */
static uintptr_t dll_base, dll_end;
static volatile LONG freed;

/* Code of the freed DLL running on some thread: say so before the process
   dies (CMocka's own filter sees nothing of other threads, and Wine ends
   the process with a bare exit code). A vectored handler runs first; it
   leaves every other exception alone. */
static LONG WINAPI on_crash(EXCEPTION_POINTERS *e)
{
    uintptr_t at = (uintptr_t)e->ExceptionRecord->ExceptionAddress;
    if (!freed || at < dll_base || at >= dll_end) return EXCEPTION_CONTINUE_SEARCH;
    fprintf(stderr, "CRASH: exception 0x%08lX at %p (wbemsink.dll+0x%lx) on thread %lu, after the "
            "last FreeLibrary: library code ran in the unloaded DLL\n",
            (unsigned long)e->ExceptionRecord->ExceptionCode, (void *)at,
            (unsigned long)(at - dll_base), (unsigned long)GetCurrentThreadId());
    fflush(stderr);
    TerminateProcess(GetCurrentProcess(), 3);
    return EXCEPTION_CONTINUE_SEARCH;
}

/* GetProcAddress's FARPROC goes through void (*)(void), the type GCC lets
   convert to any function pointer. */
static void (*proc(HMODULE m, const char *name))(void)
{
    void (*p)(void) = (void (*)(void))GetProcAddress(m, name);
    if (!p) fail_msg("wbemsink.dll does not export %s", name);
    return p;
}

static void load(api *a)
{
    assert_null(GetModuleHandleW(L"wbemsink.dll"));    /* not linked, not left over */
    a->dll = LoadLibraryW(L"wbemsink.dll");
    assert_non_null(a->dll);
    /* A second load only counts: both are given back below. */
    assert_ptr_equal(LoadLibraryW(L"wbemsink.dll"), a->dll);
    const IMAGE_DOS_HEADER *dos = (const IMAGE_DOS_HEADER *)a->dll;
    const IMAGE_NT_HEADERS *nt = (const IMAGE_NT_HEADERS *)((const char *)a->dll + dos->e_lfanew);
    dll_base = (uintptr_t)a->dll;
    dll_end = dll_base + nt->OptionalHeader.SizeOfImage;
    InterlockedExchange(&freed, 0);
    a->create = (create_fn)proc(a->dll, "wbemsink_create");
    a->release = (release_fn)proc(a->dll, "wbemsink_release");
    a->iface = (interface_fn)proc(a->dll, "wbemsink_interface");
    a->wait = (wait_fn)proc(a->dll, "wbemsink_wait");
    a->exec_notification = (exec_fn)proc(a->dll, "wbemsink_exec_notification_query");
    a->start_paced = (start_paced_fn)proc(a->dll, "wbemsink_start_paced");
}

/* Gives back both loads, then waits (5 s at most) for the module to be
   unmapped, and 1 s more for anything that would still run in it. */
static void unload(api *a)
{
    assert_true(FreeLibrary(a->dll));
    InterlockedExchange(&freed, 1);
    assert_true(FreeLibrary(a->dll));
    a->dll = NULL;
    int gone = 0;
    for (int i = 0; i < 500 && !(gone = GetModuleHandleW(L"wbemsink.dll") == NULL); i++) Sleep(10);
    Sleep(1000);
    if (!gone) fail_msg("wbemsink.dll was still loaded 5 s after its last FreeLibrary");
    assert_null(GetModuleHandleW(L"wbemsink.dll"));
}

typedef struct ctx {
    api *a;
    wbemsink *release_in_objects;    /* released from inside on_objects, once */
    wbemsink *release_in_complete;   /* released from inside on_complete */
    IWbemServices *fake;             /* on_complete first joins its players */
    HANDLE released;                 /* set once on_complete released it */
    volatile LONG objects, completes;
} ctx;

static HRESULT on_objects(void *p, IWbemClassObject *const *objs, LONG n)
{
    (void)objs;
    ctx *c = p;
    InterlockedExchangeAdd(&c->objects, n);
    wbemsink *s = c->release_in_objects;
    c->release_in_objects = NULL;
    if (s) c->a->release(s);   /* deferred CancelAsyncCall on a library work item */
    return S_OK;
}

/* Releases the sink from its last callback, as fire-and-forget users do:
   the dispatcher thread then ends the sink, and the shared dispatcher with
   it, after the test has been told it may unload. */
static void on_complete(void *p, HRESULT hr, const wchar_t *param, IWbemClassObject *err)
{
    (void)hr; (void)param; (void)err;
    ctx *c = p;
    InterlockedIncrement(&c->completes);
    if (!c->release_in_complete) return;
    if (c->fake) fake_services_wait_idle(c->fake);   /* "WMI" let go of the sink */
    c->a->release(c->release_in_complete);
    c->release_in_complete = NULL;
    SetEvent(c->released);
}

static wbemsink *sink(api *a, ctx *c, unsigned timeout_ms)
{
    wbemsink_callbacks cb;
    memset(&cb, 0, sizeof(cb));
    cb.context = c;
    cb.on_objects = on_objects;
    cb.on_complete = on_complete;
    wbemsink_options o;
    memset(&o, 0, sizeof(o));
    o.mode = WBEMSINK_MODE_THREAD;     /* the shared dispatcher */
    o.timeout_ms = timeout_ms;
    wbemsink *s = NULL;
    assert_int_equal(a->create(&cb, &o, &s), S_OK);
    return s;
}

/* (i) a THREAD-mode sink on the shared dispatcher through a short query,
   released inside on_complete. Returns when that release returned. */
static IWbemServices *run_thread_sink(api *a, ctx *c)
{
    static const fake_step query[] = { FAKE_STEP_INDICATE(2), FAKE_STEP_COMPLETE(S_OK), FAKE_STEP_END };
    wbemsink *s = sink(a, c, 0);
    IWbemServices *svc = fake_services_create();
    fake_services_script(svc, query, 1);
    c->release_in_complete = s;
    c->fake = svc;
    c->released = CreateEventW(NULL, TRUE, FALSE, NULL);
    assert_non_null(c->released);
    BSTR lang = SysAllocString(L"WQL"), q = SysAllocString(L"SELECT * FROM Fake");
    assert_int_equal(IWbemServices_ExecQueryAsync(svc, lang, q, 0, NULL, a->iface(s)), S_OK);
    SysFreeString(lang);
    SysFreeString(q);
    assert_int_equal(WaitForSingleObject(c->released, 10000), WAIT_OBJECT_0);
    CloseHandle(c->released);
    c->released = NULL;
    return svc;
}

/* (ii) a sink with a deadline, never completed, released at once: its
   watch thread is still about to wake when the library is freed. */
static void run_deadline_sink(api *a, ctx *c)
{
    a->release(sink(a, c, 50));
}

/* (iii) services bound, wbemsink_release inside on_objects: the
   CancelAsyncCall runs later on a library work item. The services (see
   rec_services.h) let go of the sink, tell the test, and stay 300 ms in
   CancelAsyncCall, so the work item is still running when the test unloads.
   The test plays WMI: one Indicate. */
static void run_deferred_cancel(api *a, ctx *c, rec_services *svc)
{
    rec_services_init(svc);
    svc->cancel_entered = CreateEventW(NULL, TRUE, FALSE, NULL);
    assert_non_null(svc->cancel_entered);
    svc->cancel_delay_ms = 300;
    wbemsink *s = sink(a, c, 0);
    c->release_in_objects = s;
    assert_int_equal(a->exec_notification(s, &svc->iface, L"SELECT * FROM __InstanceCreationEvent", 0,
                                          NULL), S_OK);
    IWbemClassObject *obj = fake_object_create(L"event");
    assert_int_equal(IWbemObjectSink_Indicate(a->iface(s), 1, &obj), WBEM_S_NO_ERROR);
    IWbemClassObject_Release(obj);
    assert_int_equal(WaitForSingleObject(svc->cancel_entered, 10000), WAIT_OBJECT_0);
}

/* After the unload: the work item gave the services back, once. */
static void finish_deferred_cancel(rec_services *svc)
{
    for (int i = 0; i < 500 && svc->refs != 1; i++) Sleep(10);
    assert_int_equal(svc->refs, 1);
    assert_int_equal(svc->cancel_calls, 1);
    assert_null(svc->held_sink);
    CloseHandle(svc->cancel_entered);
}

static void finish(IWbemServices **svcs, int n)
{
    for (int i = 0; i < n; i++) {
        assert_int_equal(fake_services_refs(svcs[i]), 1);    /* the sinks let go of it */
        assert_int_equal(fake_services_over_released(svcs[i]), 0);
        fake_services_destroy(svcs[i]);
    }
    assert_int_equal(fake_objects_live(), 0);
    assert_int_equal(fake_objects_over_released(), 0);
    assert_int_equal(fake_objects_resurrected(), 0);
}

/* The races are short: each scenario runs a few rounds, FreeLibrary right
   after the last release. */
#define ROUNDS 5

static void unload_after_thread_sink(void **state)
{
    (void)state;
    for (int r = 0; r < ROUNDS; r++) {
        api a;
        ctx c = { .a = &a };
        load(&a);
        IWbemServices *svc = run_thread_sink(&a, &c);
        unload(&a);
        assert_int_equal(c.objects, 2);
        assert_int_equal(c.completes, 1);
        finish(&svc, 1);
    }
}

static void unload_after_deadline_sink(void **state)
{
    (void)state;
    for (int r = 0; r < ROUNDS; r++) {
        api a;
        ctx c = { .a = &a };
        load(&a);
        run_deadline_sink(&a, &c);
        unload(&a);
        finish(NULL, 0);
    }
}

static void unload_after_deferred_cancel(void **state)
{
    (void)state;
    for (int r = 0; r < ROUNDS; r++) {
        api a;
        ctx c = { .a = &a };
        rec_services svc;
        load(&a);
        run_deferred_cancel(&a, &c, &svc);
        unload(&a);
        finish_deferred_cancel(&svc);
        assert_int_equal(c.objects, 1);
        finish(NULL, 0);
    }
}

/* All three in one life of the DLL, as the issue describes. */
static void unload_after_all_three(void **state)
{
    (void)state;
    for (int r = 0; r < ROUNDS; r++) {
        api a;
        ctx c1 = { .a = &a }, c2 = c1, c3 = c1;
        rec_services rec;
        load(&a);
        IWbemServices *svc = run_thread_sink(&a, &c1);
        run_deferred_cancel(&a, &c3, &rec);
        run_deadline_sink(&a, &c2);
        unload(&a);
        finish_deferred_cancel(&rec);
        finish(&svc, 1);
    }
}

/* ---- paced delivery (issue 22 section 1): the per-batch sinks that the
   library hands to the provider outlive the operation. The provider is
   the fake enumerator (NextAsync on a thread of its own). ---- */

static wbemsink *paced_sink(api *a, ctx *c, wbemsink_mode mode, size_t capacity)
{
    wbemsink_callbacks cb;
    memset(&cb, 0, sizeof(cb));
    cb.context = c;
    cb.on_objects = on_objects;
    cb.on_complete = on_complete;
    wbemsink_options o;
    memset(&o, 0, sizeof(o));
    o.mode = mode;
    o.capacity = capacity;
    wbemsink *s = NULL;
    assert_int_equal(a->create(&cb, &o, &s), S_OK);
    return s;
}

/* Waits (10 s at most) until the worker gave the enumerator back. */
static void wait_enum_given_back(IEnumWbemClassObject *e)
{
    for (int i = 0; i < 1000 && fake_enum_refs(e) != 1; i++) Sleep(10);
    assert_int_equal(fake_enum_refs(e), 1);
}

/* After the unload: the provider let go of every batch sink, nothing was
   Released twice, every row was given back. */
static void finish_paced(IEnumWbemClassObject *e)
{
    fake_enum_wait_idle(e);
    assert_int_equal(fake_enum_sinks_held(e), 0);
    assert_int_equal(fake_enum_refs(e), 1);
    assert_int_equal(fake_enum_over_released(e), 0);
    fake_enum_destroy(e);
    finish(NULL, 0);
}

/* The races below are short: each round runs PACED_OPS operations at once
   (as many provider threads on their way out of the library's code when
   it is freed). */
#define PACED_OPS 8

/* Paced operations run to their end, the sinks released, the enumerators
   given back by the workers; then FreeLibrary. The provider gives back its
   last batch sink release_delay_ms after that batch's SetStatus. */
static void unload_after_paced_run(DWORD release_delay_ms, int rounds)
{
    for (int r = 0; r < rounds; r++) {
        api a;
        ctx c = { .a = &a };
        IEnumWbemClassObject *e[PACED_OPS];
        wbemsink *s[PACED_OPS];
        load(&a);
        fake_enum_options eo = { .total = 40, .release_delay_ms = release_delay_ms };
        for (int i = 0; i < PACED_OPS; i++) {
            e[i] = fake_enum_create(&eo);
            assert_non_null(e[i]);
            s[i] = paced_sink(&a, &c, WBEMSINK_MODE_INLINE, 64);
            assert_int_equal(a.start_paced(s[i], e[i], 16), S_OK);
        }
        for (int i = 0; i < PACED_OPS; i++) {
            HRESULT final = E_FAIL;
            assert_int_equal(a.wait(s[i], 10000, &final), S_OK);
            assert_int_equal(final, S_OK);
            a.release(s[i]);
        }
        for (int i = 0; i < PACED_OPS; i++) wait_enum_given_back(e[i]);
        unload(&a);
        assert_int_equal(c.objects, 40 * PACED_OPS);
        assert_int_equal(c.completes, PACED_OPS);
        for (int i = 0; i < PACED_OPS; i++) {
            assert_int_equal(fake_enum_next_async_calls(e[i]), 3);
            finish_paced(e[i]);
        }
    }
}

/* The provider Releases its per-batch sink 300 ms after the SetStatus. */
static void unload_after_paced_late_release(void **state)
{
    (void)state;
    unload_after_paced_run(300, ROUNDS);
}

/* A normal provider: Release right after SetStatus returned. */
static void unload_after_paced_prompt_release(void **state)
{
    (void)state;
    /* On one processor a provider thread that woke the worker from inside
       SetStatus is more often preempted before it left the library's code. */
    DWORD_PTR mine = 0, system = 0;
    assert_true(GetProcessAffinityMask(GetCurrentProcess(), &mine, &system));
    DWORD_PTR one = mine & (~mine + 1);
    assert_true(SetProcessAffinityMask(GetCurrentProcess(), one));
    /* The window is a few instructions wide: twice the rounds. */
    unload_after_paced_run(0, 2 * ROUNDS);
    assert_true(SetProcessAffinityMask(GetCurrentProcess(), mine));
}

/* wbemsink_release while the workers wait for room (PULL sinks nobody
   pulls, capacity 8, batches of 4), then FreeLibrary at once: the workers
   and the providers let go of the sinks after the program gave the DLL
   back, and a provider's Release of a batch sink frees the sink. */
static void unload_after_paced_release_waiting(void **state)
{
    (void)state;
    for (int r = 0; r < ROUNDS; r++) {
        api a;
        ctx c = { .a = &a };
        IEnumWbemClassObject *e[PACED_OPS];
        wbemsink *s[PACED_OPS];
        load(&a);
        /* The provider gives its last batch sink back a little later: that
           Release is then the sink's last, and frees it. */
        fake_enum_options eo = { .total = 200, .release_delay_ms = 200 };
        for (int i = 0; i < PACED_OPS; i++) {
            e[i] = fake_enum_create(&eo);
            assert_non_null(e[i]);
            s[i] = paced_sink(&a, &c, WBEMSINK_MODE_PULL, 8);
            assert_int_equal(a.start_paced(s[i], e[i], 4), S_OK);
        }
        for (int i = 0; i < PACED_OPS; i++) {
            for (int w = 0; w < 1000 && fake_enum_rows_out(e[i]) < 8; w++) Sleep(1);
            assert_int_equal(fake_enum_rows_out(e[i]), 8);   /* full: the worker waits */
            a.release(s[i]);   /* its provider may still be returning from the batch */
        }
        unload(&a);
        for (int i = 0; i < PACED_OPS; i++) {
            wait_enum_given_back(e[i]);
            assert_int_equal(fake_enum_rows_out(e[i]), 8);
            finish_paced(e[i]);
        }
        assert_int_equal(c.objects, 0);   /* PULL: nobody pulled */
    }
}

/* Issue 21: a fan-out whose worker is stuck in a dead host's ConnectServer
   when the program lets go of the fan-out and of the DLL. The worker keeps
   the module loaded while it waits, and runs the library's code again when
   ConnectServer returns (closing what it got, ending its thread): the DLL
   must still be there then, and go away after. */
typedef HRESULT (*fanout_start_fn)(const wbemsink_target *, size_t, const wbemsink_fanout_options *,
                                   const wbemsink_fanout_callbacks *, wbemsink_fanout **);
typedef HRESULT (*fanout_wait_fn)(wbemsink_fanout *, DWORD, wbemsink_fanout_counts *);
typedef void (*fanout_release_fn)(wbemsink_fanout *);

static void unload_after_fanout_stuck(void **state)
{
    (void)state;
    static const fake_host hosts[] = {
        {L"live", 1, 1, 2, S_OK, S_OK, FAKE_HOST_ANSWERS, 0},
        {L"dead", 0, 0, 0, S_OK, S_OK, FAKE_HOST_HANG_CONNECT, 0},
    };
    wbemsink_target targets[2] = {{L"live", NULL, NULL}, {L"dead", NULL, NULL}};
    assert_true(SUCCEEDED(CoInitializeEx(NULL, COINIT_MULTITHREADED)));
    for (int r = 0; r < 2; r++) {
        api a;
        fake_locator *l = NULL;
        wbemsink_fanout *f = NULL;
        wbemsink_fanout_counts c;
        wbemsink_fanout_options o = {0};
        load(&a);
        fanout_start_fn start = (fanout_start_fn)proc(a.dll, "wbemsink_fanout_start");
        fanout_wait_fn wait = (fanout_wait_fn)proc(a.dll, "wbemsink_fanout_wait");
        fanout_release_fn release = (fanout_release_fn)proc(a.dll, "wbemsink_fanout_release");
        assert_int_equal(fake_locator_register(hosts, 2, &l), S_OK);
        o.connect_timeout_ms = 200;
        o.query = L"SELECT * FROM Win32_Process";
        assert_int_equal(start(targets, 2, &o, NULL, &f), S_OK);
        assert_int_equal(wait(f, 10000, &c), S_OK);
        assert_int_equal(c.succeeded, 1);
        assert_int_equal(c.timed_out, 1);
        release(f);
        assert_int_equal(fake_locator_connecting(l), 1);   /* the dead host's worker waits on */

        assert_true(FreeLibrary(a.dll));
        InterlockedExchange(&freed, 1);
        assert_true(FreeLibrary(a.dll));
        Sleep(300);
        /* Still loaded: the stuck worker holds the fan-out, and both it
           and the fan-out's dispatcher thread hold the module. */
        assert_non_null(GetModuleHandleW(L"wbemsink.dll"));
        fake_locator_unhang(l);                             /* ConnectServer returns now */
        int gone = 0;
        for (int i = 0; i < 500 && !(gone = GetModuleHandleW(L"wbemsink.dll") == NULL); i++) Sleep(10);
        Sleep(1000);
        if (!gone) fail_msg("wbemsink.dll was still loaded 5 s after the stuck worker returned");
        assert_int_equal(fake_locator_connecting(l), 0);
        assert_int_equal(fake_locator_services_alive(l), 0);
        fake_locator_destroy(l);
    }
    CoUninitialize();
}

/* (iv) a semisynchronous method call (src/call, wbemsink_start_sync): its
   library thread is inside a synchronous ExecMethod that hangs when the
   sink is released and both FreeLibrary calls are made. The thread keeps
   the DLL loaded; once the call returns, it feeds the released sink
   (refused), lets go of everything and ends, and the DLL goes. */
typedef HRESULT (*exec_method_fn)(wbemsink *, IWbemServices *, const wchar_t *, const wchar_t *,
                                  IWbemClassObject *, LONG, IWbemContext *, wbemsink_call_mode);

static void unload_after_semisync_call(void **state)
{
    (void)state;
    for (int r = 0; r < ROUNDS; r++) {
        api a;
        ctx c = { .a = &a };
        load(&a);
        exec_method_fn exec = (exec_method_fn)proc(a.dll, "wbemsink_exec_method");
        IWbemServices *svc = fake_services_create();
        IWbemClassObject *out = fake_object_create(L"__PARAMETERS");
        fake_services_result(svc, out);
        fake_services_sync(svc, S_OK, INFINITE);
        wbemsink *s = sink(&a, &c, 0);
        assert_int_equal(exec(s, svc, L"Win32_Process", L"Create", NULL, 0, NULL, WBEMSINK_CALL_SEMISYNC),
                         S_OK);
        for (int i = 0; i < 500 && fake_services_sync_calls(svc) < 1; i++) Sleep(5);
        assert_int_equal(fake_services_sync_calls(svc), 1);
        a.release(s);
        assert_true(FreeLibrary(a.dll));
        InterlockedExchange(&freed, 1);
        assert_true(FreeLibrary(a.dll));
        Sleep(100);
        assert_non_null(GetModuleHandleW(L"wbemsink.dll"));   /* pinned by the call's thread */
        fake_services_sync_open(svc);                            /* the call returns */
        int gone = 0;
        for (int i = 0; i < 500 && !(gone = GetModuleHandleW(L"wbemsink.dll") == NULL); i++) Sleep(10);
        Sleep(1000);
        if (!gone) fail_msg("wbemsink.dll was still loaded 5 s after the call's thread could end");
        assert_int_equal(c.objects, 0);
        assert_int_equal(c.completes, 0);
        assert_int_equal(fake_object_refs(out), 2);   /* ours and the fake's */
        IWbemClassObject_Release(out);
        finish(&svc, 1);
    }
}

static int fresh(void **state)
{
    (void)state;
    fake_objects_reset();
    return 0;
}

/* With an argument, runs only the tests it names (a CMocka pattern): CTest
   runs each scenario as a process of its own, so that a crash in one does
   not hide the others. */
int main(int argc, char **argv)
{
    AddVectoredExceptionHandler(1, on_crash);
    if (argc > 1) cmocka_set_test_filter(argv[1]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(unload_after_thread_sink, fresh),
        cmocka_unit_test_setup(unload_after_deadline_sink, fresh),
        cmocka_unit_test_setup(unload_after_deferred_cancel, fresh),
        cmocka_unit_test_setup(unload_after_all_three, fresh),
        cmocka_unit_test_setup(unload_after_paced_late_release, fresh),
        cmocka_unit_test_setup(unload_after_paced_prompt_release, fresh),
        cmocka_unit_test_setup(unload_after_paced_release_waiting, fresh),
        cmocka_unit_test_setup(unload_after_fanout_stuck, fresh),
        cmocka_unit_test_setup(unload_after_semisync_call, fresh),
    };
    return cmocka_run_group_tests_name("unload", tests, NULL, NULL);
}
