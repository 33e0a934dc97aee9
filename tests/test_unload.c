/* Regression test for issue 11: unloading wbemsink.dll after the last
   wbemsink_release must not crash. Threads and work items of the library
   (the shared dispatcher, a deadline's watch thread, a deferred
   CancelAsyncCall) used to run on after FreeLibrary unmapped their code.

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
#include "fake_object.h"
#include "fake_services.h"
#include "rec_services.h"

typedef HRESULT (*create_fn)(const wbemsink_callbacks *, const wbemsink_options *, wbemsink **);
typedef void (*release_fn)(wbemsink *);
typedef IWbemObjectSink *(*interface_fn)(wbemsink *);
typedef HRESULT (*wait_fn)(wbemsink *, DWORD, HRESULT *);
typedef HRESULT (*exec_fn)(wbemsink *, IWbemServices *, const wchar_t *, LONG, IWbemContext *);

typedef struct api {
    HMODULE dll;
    create_fn create;
    release_fn release;
    interface_fn iface;
    wait_fn wait;
    exec_fn exec_notification;
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
        cmocka_unit_test_setup(unload_after_semisync_call, fresh),
    };
    return cmocka_run_group_tests_name("unload", tests, NULL, NULL);
}
