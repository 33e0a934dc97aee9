/*
 * fake_selftest.c - checks the fake WMI peer on its own, without CMocka and
 * without wbemsink: a minimal counting IWbemObjectSink plays against
 * fake_services. Exits non-zero on failure.
 */
#ifndef CONST_VTABLE
#define CONST_VTABLE   /* const vtables in the interface structs */
#endif
#include "fake_object.h"
#include "fake_services.h"
#include "fake_enum.h"
#include "fake_locator.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed;

#define CHECK(cond) do { \
        if (cond) passed++; \
        else { failed++; fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); } \
    } while (0)

/* ---- a minimal counting sink ------------------------------------------ */

struct test_sink {
    IWbemObjectSink IWbemObjectSink_iface;
    LONG refs;
    volatile LONG objects;       /* objects received by Indicate */
    volatile LONG indicates;
    volatile LONG statuses;
    volatile LONG progress;
    volatile LONG completes;
    volatile LONG good_params;   /* COMPLETE with the expected param and a fake object */
    volatile LONG bad_progress;
    volatile LONG after_cancel;  /* calls seen after the test's CancelAsyncCall returned */
    volatile LONG cancel_returned;
    HANDLE first_indicate;       /* set on the first Indicate */
    HRESULT indicate_result;     /* what Indicate returns */
    IWbemServices *cancel_from_indicate;  /* if set, Indicate calls CancelAsyncCall on it */
    SRWLOCK lock;
    IWbemClassObject **kept;     /* every object received, AddRef'd */
    size_t nkept, capkept;
};

static inline struct test_sink *impl_from_IWbemObjectSink(IWbemObjectSink *iface)
{
    return (struct test_sink *)((char *)iface - offsetof(struct test_sink, IWbemObjectSink_iface));
}

static HRESULT STDMETHODCALLTYPE test_sink_QueryInterface(IWbemObjectSink *iface, REFIID riid, void **ppv)
{
    if (!ppv)
        return E_POINTER;
    *ppv = NULL;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IWbemObjectSink)) {
        *ppv = iface;
        iface->lpVtbl->AddRef(iface);
        return S_OK;
    }
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE test_sink_AddRef(IWbemObjectSink *iface)
{
    return (ULONG)InterlockedIncrement(&impl_from_IWbemObjectSink(iface)->refs);
}

static ULONG STDMETHODCALLTYPE test_sink_Release(IWbemObjectSink *iface)
{
    /* Freed by the test, not here: the count is checked at the end. */
    return (ULONG)InterlockedDecrement(&impl_from_IWbemObjectSink(iface)->refs);
}

static HRESULT STDMETHODCALLTYPE test_sink_Indicate(IWbemObjectSink *iface, LONG count, IWbemClassObject **objs)
{
    struct test_sink *sink = impl_from_IWbemObjectSink(iface);
    LONG i;

    if (sink->cancel_returned)
        InterlockedIncrement(&sink->after_cancel);
    if (count < 0 || (count > 0 && !objs))
        return (HRESULT)WBEM_E_INVALID_PARAMETER;
    InterlockedIncrement(&sink->indicates);
    AcquireSRWLockExclusive(&sink->lock);
    for (i = 0; i < count; i++) {
        if (sink->nkept == sink->capkept) {
            size_t cap = sink->capkept ? sink->capkept * 2 : 64;
            IWbemClassObject **grown = realloc(sink->kept, cap * sizeof(*grown));
            if (!grown)
                break;
            sink->kept = grown;
            sink->capkept = cap;
        }
        objs[i]->lpVtbl->AddRef(objs[i]);
        sink->kept[sink->nkept++] = objs[i];
        InterlockedIncrement(&sink->objects);
    }
    ReleaseSRWLockExclusive(&sink->lock);
    SetEvent(sink->first_indicate);
    if (sink->cancel_from_indicate)
        sink->cancel_from_indicate->lpVtbl->CancelAsyncCall(sink->cancel_from_indicate, iface);
    return sink->indicate_result;
}

static HRESULT STDMETHODCALLTYPE test_sink_SetStatus(IWbemObjectSink *iface, LONG flags, HRESULT hr,
                                                     BSTR param, IWbemClassObject *obj)
{
    struct test_sink *sink = impl_from_IWbemObjectSink(iface);

    if (sink->cancel_returned)
        InterlockedIncrement(&sink->after_cancel);
    InterlockedIncrement(&sink->statuses);
    if (flags == WBEM_STATUS_PROGRESS) {
        InterlockedIncrement(&sink->progress);
        if (LOWORD(hr) != 3 || HIWORD(hr) != 10 || param || obj)
            InterlockedIncrement(&sink->bad_progress);
    } else if (flags == WBEM_STATUS_COMPLETE) {
        InterlockedIncrement(&sink->completes);
        if (hr == (HRESULT)WBEM_E_FAILED && param && !wcscmp(param, L"done") && SysStringLen(param) == 4
            && obj && fake_object_refs(obj) == 1) {
            VARIANT v;
            if (SUCCEEDED(obj->lpVtbl->Get(obj, L"Name", 0, &v, NULL, NULL))) {
                if (V_VT(&v) == VT_BSTR && !wcscmp(V_BSTR(&v), L"__ExtendedStatus"))
                    InterlockedIncrement(&sink->good_params);
                VariantClear(&v);
            }
        }
    }
    return WBEM_S_NO_ERROR;
}

static const IWbemObjectSinkVtbl test_sink_vtbl = {
    test_sink_QueryInterface,
    test_sink_AddRef,
    test_sink_Release,
    test_sink_Indicate,
    test_sink_SetStatus,
};

static void test_sink_init(struct test_sink *sink)
{
    memset(sink, 0, sizeof(*sink));
    sink->IWbemObjectSink_iface.lpVtbl = &test_sink_vtbl;
    sink->refs = 1;
    sink->indicate_result = WBEM_S_NO_ERROR;
    sink->first_indicate = CreateEventW(NULL, TRUE, FALSE, NULL);
    InitializeSRWLock(&sink->lock);
}

static void test_sink_drop_objects(struct test_sink *sink)
{
    size_t i;
    for (i = 0; i < sink->nkept; i++)
        sink->kept[i]->lpVtbl->Release(sink->kept[i]);
    free(sink->kept);
    sink->kept = NULL;
    sink->nkept = sink->capkept = 0;
    CloseHandle(sink->first_indicate);
}

/* ---- scenarios -------------------------------------------------------- */

static void test_objects(void)
{
    IWbemClassObject *o, *q;
    VARIANT v;
    CIMTYPE type;
    BSTR name, text;
    int props = 0;

    fake_objects_reset();
    o = fake_object_create(L"alpha");
    CHECK(o != NULL);
    CHECK(fake_object_refs(o) == 1);
    CHECK(SUCCEEDED(o->lpVtbl->Get(o, L"name", 0, &v, &type, NULL)));
    CHECK(V_VT(&v) == VT_BSTR && !wcscmp(V_BSTR(&v), L"alpha") && type == CIM_STRING);
    VariantClear(&v);
    CHECK(SUCCEEDED(o->lpVtbl->Get(o, L"Index", 0, &v, &type, NULL)));
    CHECK(V_VT(&v) == VT_I4 && V_I4(&v) == 0 && type == CIM_SINT32);
    CHECK(o->lpVtbl->Get(o, L"Nope", 0, &v, NULL, NULL) == (HRESULT)WBEM_E_NOT_FOUND);

    CHECK(o->lpVtbl->BeginEnumeration(o, 0) == WBEM_S_NO_ERROR);
    while (o->lpVtbl->Next(o, 0, &name, &v, NULL, NULL) == WBEM_S_NO_ERROR) {
        props++;
        SysFreeString(name);
        VariantClear(&v);
    }
    CHECK(props == 2);
    CHECK(o->lpVtbl->EndEnumeration(o) == WBEM_S_NO_ERROR);
    CHECK(o->lpVtbl->GetObjectText(o, 0, &text) == WBEM_S_NO_ERROR && wcsstr(text, L"alpha"));
    SysFreeString(text);

    CHECK(o->lpVtbl->QueryInterface(o, &IID_IWbemClassObject, (void **)&q) == S_OK && q == o);
    CHECK(fake_object_refs(o) == 2);
    q->lpVtbl->Release(q);
    CHECK(o->lpVtbl->QueryInterface(o, &IID_IWbemServices, (void **)&q) == E_NOINTERFACE && !q);
    CHECK(o->lpVtbl->Clone(o, &q) == (HRESULT)WBEM_E_NOT_SUPPORTED && !q);

    CHECK(fake_objects_live() == 1);
    CHECK(o->lpVtbl->Release(o) == 0);
    CHECK(fake_objects_live() == 0);
    CHECK(o->lpVtbl->Release(o) == 0);
    CHECK(fake_object_refs(o) == 0);
    CHECK(fake_objects_over_released() == 1);
    CHECK(fake_objects_created() == 1);
    fake_objects_reset();
    CHECK(fake_objects_created() == 0 && fake_objects_over_released() == 0);
}

static void test_batches(void)
{
    static const fake_step script[] = {
        FAKE_STEP_INDICATE(5),
        FAKE_STEP_INDICATE(1),
        FAKE_STEP_PROGRESS(3, 10, NULL),
        FAKE_STEP_INDICATE(100),
        FAKE_STEP_SLEEP(5),
        FAKE_STEP_STATUS(WBEM_STATUS_COMPLETE, WBEM_E_FAILED, L"done", 1),
        FAKE_STEP_INDICATE(2),      /* hostile: after COMPLETE, played anyway */
        FAKE_STEP_END,
    };
    struct test_sink sink;
    IWbemServices *svc;
    HRESULT hr;

    fake_objects_reset();
    test_sink_init(&sink);
    svc = fake_services_create();
    CHECK(svc && fake_services_refs(svc) == 1);
    fake_services_script(svc, script, 4);

    CHECK(svc->lpVtbl->ExecQueryAsync(svc, NULL, NULL, 0, NULL, NULL) == (HRESULT)WBEM_E_INVALID_PARAMETER);
    fake_services_fail_next(svc, (HRESULT)WBEM_E_ACCESS_DENIED);
    CHECK(svc->lpVtbl->ExecQueryAsync(svc, NULL, NULL, 0, NULL, &sink.IWbemObjectSink_iface)
          == (HRESULT)WBEM_E_ACCESS_DENIED);
    CHECK(sink.refs == 1 && sink.statuses == 0);

    hr = svc->lpVtbl->ExecQueryAsync(svc, NULL, NULL, 0, NULL, &sink.IWbemObjectSink_iface);
    CHECK(hr == WBEM_S_NO_ERROR);
    fake_services_wait_idle(svc);

    CHECK(sink.indicates == 4 * 4);
    CHECK(sink.objects == 4 * (5 + 1 + 100 + 2));
    CHECK(sink.progress == 4 && sink.bad_progress == 0);
    CHECK(sink.completes == 4 && sink.good_params == 4);
    CHECK(sink.statuses == 8);
    CHECK(sink.refs == 1);                       /* the fake holds no sink reference */
    CHECK(fake_services_pending(svc) == 0);
    CHECK(fake_services_async_calls(svc) == 1);
    CHECK(fake_services_last_indicate_hr(svc) == S_OK);
    CHECK(fake_services_indicate_failures(svc) == 0);
    CHECK(fake_objects_created() == (size_t)(4 * (5 + 1 + 100 + 2) + 4));
    CHECK(fake_objects_live() == (size_t)sink.objects);   /* only what the sink kept */

    test_sink_drop_objects(&sink);
    CHECK(fake_objects_live() == 0);
    CHECK(fake_objects_over_released() == 0);
    CHECK(fake_objects_resurrected() == 0);

    /* every other *Async entry point plays the script too; Indicate failures are recorded */
    {
        static const fake_step small[] = { FAKE_STEP_INDICATE(1), FAKE_STEP_COMPLETE(S_OK), FAKE_STEP_END };
        test_sink_init(&sink);
        sink.indicate_result = (HRESULT)WBEM_E_OUT_OF_MEMORY;
        fake_services_script(svc, small, 1);
        CHECK(svc->lpVtbl->ExecNotificationQueryAsync(svc, NULL, NULL, 0, NULL, &sink.IWbemObjectSink_iface) == S_OK);
        CHECK(svc->lpVtbl->PutInstanceAsync(svc, NULL, 0, NULL, &sink.IWbemObjectSink_iface) == S_OK);
        CHECK(svc->lpVtbl->ExecMethodAsync(svc, NULL, NULL, 0, NULL, NULL, &sink.IWbemObjectSink_iface) == S_OK);
        CHECK(svc->lpVtbl->CreateInstanceEnumAsync(svc, NULL, 0, NULL, &sink.IWbemObjectSink_iface) == S_OK);
        CHECK(svc->lpVtbl->GetObjectAsync(svc, NULL, 0, NULL, &sink.IWbemObjectSink_iface) == S_OK);
        CHECK(svc->lpVtbl->DeleteInstanceAsync(svc, NULL, 0, NULL, &sink.IWbemObjectSink_iface) == S_OK);
        CHECK(svc->lpVtbl->PutClassAsync(svc, NULL, 0, NULL, &sink.IWbemObjectSink_iface) == (HRESULT)WBEM_E_NOT_SUPPORTED);
        fake_services_wait_idle(svc);
        CHECK(sink.completes == 6 && sink.objects == 6);
        CHECK(fake_services_indicate_failures(svc) == 6);
        CHECK(fake_services_last_indicate_hr(svc) == (HRESULT)WBEM_E_OUT_OF_MEMORY);
        CHECK(sink.refs == 1 && fake_services_pending(svc) == 0);
        test_sink_drop_objects(&sink);
    }

    CHECK(svc->lpVtbl->Release(svc) == 0);
    CHECK(fake_services_over_released(svc) == 0);
    fake_services_destroy(svc);
    CHECK(fake_objects_live() == 0 && fake_objects_over_released() == 0);
    fake_objects_reset();
}

static void test_cancel(void)
{
    static const fake_step script[] = {
        FAKE_STEP_INDICATE(2),
        FAKE_STEP_WAIT_CANCEL,
        FAKE_STEP_INDICATE(7),              /* never played: cancelled */
        FAKE_STEP_COMPLETE(S_OK),
        FAKE_STEP_END,
    };
    struct test_sink sink;
    IWbemServices *svc;
    LONG objects;

    fake_objects_reset();
    test_sink_init(&sink);
    svc = fake_services_create();
    fake_services_script(svc, script, 4);

    CHECK(svc->lpVtbl->CancelAsyncCall(svc, NULL) == (HRESULT)WBEM_E_INVALID_PARAMETER);
    CHECK(svc->lpVtbl->CancelAsyncCall(svc, &sink.IWbemObjectSink_iface) == S_OK);  /* nothing running */
    CHECK(fake_services_cancel_calls(svc) == 1);

    CHECK(svc->lpVtbl->ExecNotificationQueryAsync(svc, NULL, NULL, 0, NULL, &sink.IWbemObjectSink_iface) == S_OK);
    CHECK(WaitForSingleObject(sink.first_indicate, 5000) == WAIT_OBJECT_0);
    Sleep(50);
    CHECK(fake_services_pending(svc) == 1);
    CHECK(sink.refs == 2);
    CHECK(sink.completes == 0);

    CHECK(svc->lpVtbl->CancelAsyncCall(svc, &sink.IWbemObjectSink_iface) == S_OK);
    InterlockedExchange(&sink.cancel_returned, 1);
    CHECK(fake_services_cancel_calls(svc) == 2);
    CHECK(fake_services_cancel_reentrant(svc) == 0);
    CHECK(fake_services_pending(svc) == 0);
    CHECK(sink.refs == 1);                  /* Released before CancelAsyncCall returned */
    objects = sink.objects;
    Sleep(50);
    fake_services_wait_idle(svc);
    CHECK(sink.after_cancel == 0);
    CHECK(sink.objects == objects && objects == 4 * 2);
    CHECK(sink.completes == 0);             /* the fake never sends SetStatus on cancel */

    test_sink_drop_objects(&sink);
    CHECK(fake_objects_live() == 0 && fake_objects_over_released() == 0);

    /* a CancelAsyncCall from inside Indicate (a deadlock on Wine) is counted, not waited for */
    test_sink_init(&sink);
    sink.cancel_from_indicate = svc;
    fake_services_script(svc, script, 1);
    CHECK(svc->lpVtbl->ExecNotificationQueryAsync(svc, NULL, NULL, 0, NULL, &sink.IWbemObjectSink_iface) == S_OK);
    fake_services_wait_idle(svc);
    CHECK(fake_services_cancel_reentrant(svc) == 1);
    CHECK(sink.objects == 2 && sink.completes == 0 && sink.refs == 1);
    test_sink_drop_objects(&sink);
    fake_services_script(svc, script, 4);

    /* destroy cancels a subscription nobody cancelled */
    test_sink_init(&sink);
    CHECK(svc->lpVtbl->ExecNotificationQueryAsync(svc, NULL, NULL, 0, NULL, &sink.IWbemObjectSink_iface) == S_OK);
    CHECK(WaitForSingleObject(sink.first_indicate, 5000) == WAIT_OBJECT_0);
    svc->lpVtbl->Release(svc);
    fake_services_destroy(svc);
    CHECK(sink.refs == 1);
    test_sink_drop_objects(&sink);
    CHECK(fake_objects_live() == 0 && fake_objects_over_released() == 0);
    fake_objects_reset();
}

static void test_many_objects(void)
{
    static const fake_step script[] = { FAKE_STEP_INDICATE(25000), FAKE_STEP_COMPLETE(S_OK), FAKE_STEP_END };
    struct test_sink sink;
    IWbemServices *svc;
    DWORD start = GetTickCount();

    fake_objects_reset();
    test_sink_init(&sink);
    svc = fake_services_create();
    fake_services_script(svc, script, 4);
    CHECK(svc->lpVtbl->ExecQueryAsync(svc, NULL, NULL, 0, NULL, &sink.IWbemObjectSink_iface) == S_OK);
    fake_services_wait_idle(svc);
    CHECK(sink.objects == 100000);
    CHECK(fake_objects_live() == 100000);
    test_sink_drop_objects(&sink);
    CHECK(fake_objects_live() == 0 && fake_objects_over_released() == 0);
    CHECK(GetTickCount() - start < 10000);
    fake_services_destroy(svc);
    fake_objects_reset();
}

/* The fake enumerator: NextAsync batches, the final WBEM_S_FALSE without a
   call, Next with its timeouts and a failure mid-way, E_NOTIMPL, and the
   fake services' ExecQuery handing one out. */
static void release_all(IWbemClassObject **objs, ULONG n)
{
    ULONG i;
    for (i = 0; i < n; i++)
        objs[i]->lpVtbl->Release(objs[i]);
}

static void test_enum(void)
{
    fake_enum_options o;
    IEnumWbemClassObject *e, *q;
    IWbemClassObject *objs[8];
    ULONG got;
    struct test_sink sink;
    IWbemObjectSink *si;
    IWbemServices *svc;
    BSTR lang, text;

    fake_objects_reset();
    memset(&o, 0, sizeof(o));
    o.total = 10;
    e = fake_enum_create(&o);
    test_sink_init(&sink);
    si = &sink.IWbemObjectSink_iface;
    CHECK(e->lpVtbl->NextAsync(e, 4, NULL) == (HRESULT)WBEM_E_INVALID_PARAMETER);
    CHECK(e->lpVtbl->NextAsync(e, 4, si) == WBEM_S_NO_ERROR);
    fake_enum_wait_idle(e);
    CHECK(sink.objects == 4 && sink.completes == 1);
    CHECK(e->lpVtbl->NextAsync(e, 4, si) == WBEM_S_NO_ERROR);
    fake_enum_wait_idle(e);
    CHECK(e->lpVtbl->NextAsync(e, 4, si) == WBEM_S_NO_ERROR);   /* the short last one */
    fake_enum_wait_idle(e);
    CHECK(sink.objects == 10 && sink.completes == 3);
    CHECK(e->lpVtbl->NextAsync(e, 4, si) == (HRESULT)WBEM_S_FALSE);
    CHECK(sink.statuses == 3 && sink.refs == 1 && fake_enum_sinks_held(e) == 0);
    CHECK(fake_enum_rows_out(e) == 10 && fake_enum_largest_request(e) == 4);
    fake_enum_destroy(e);
    test_sink_drop_objects(&sink);

    o.total = 5;
    e = fake_enum_create(&o);
    CHECK(e->lpVtbl->Next(e, WBEM_INFINITE, 3, objs, &got) == WBEM_S_NO_ERROR && got == 3);
    release_all(objs, got);
    CHECK(e->lpVtbl->Next(e, WBEM_INFINITE, 3, objs, &got) == (HRESULT)WBEM_S_FALSE && got == 2);
    release_all(objs, got);
    CHECK(e->lpVtbl->Next(e, 0, 3, objs, &got) == (HRESULT)WBEM_S_FALSE && got == 0);
    CHECK(e->lpVtbl->NextAsync(e, 3, si) == (HRESULT)WBEM_S_FALSE);
    fake_enum_destroy(e);

    o.batch_delay_ms = 200;
    e = fake_enum_create(&o);
    CHECK(e->lpVtbl->Next(e, 50, 1, objs, &got) == (HRESULT)WBEM_S_TIMEDOUT && got == 0);
    CHECK(e->lpVtbl->Next(e, WBEM_INFINITE, 1, objs, &got) == WBEM_S_NO_ERROR && got == 1);
    release_all(objs, got);
    fake_enum_destroy(e);

    memset(&o, 0, sizeof(o));
    o.total = 10;
    o.fail_at = 3;
    o.fail_hr = WBEM_E_FAILED;
    e = fake_enum_create(&o);
    CHECK(e->lpVtbl->Next(e, WBEM_INFINITE, 5, objs, &got) == (HRESULT)WBEM_S_TIMEDOUT && got == 3);
    release_all(objs, got);
    CHECK(e->lpVtbl->Next(e, WBEM_INFINITE, 5, objs, &got) == (HRESULT)WBEM_E_FAILED && got == 0);
    fake_enum_destroy(e);

    o.next_async = FAKE_ENUM_NOTIMPL;
    e = fake_enum_create(&o);
    CHECK(e->lpVtbl->NextAsync(e, 5, si) == E_NOTIMPL);
    CHECK(e->lpVtbl->QueryInterface(e, &IID_IEnumWbemClassObject, (void **)&q) == S_OK && q == e);
    q->lpVtbl->Release(q);
    CHECK(fake_enum_refs(e) == 1);
    fake_enum_destroy(e);

    svc = fake_services_create();
    lang = SysAllocString(L"WQL");
    text = SysAllocString(L"SELECT * FROM Fake");
    CHECK(svc->lpVtbl->ExecQuery(svc, lang, text, 0, NULL, &e) == (HRESULT)WBEM_E_NOT_SUPPORTED && !e);
    memset(&o, 0, sizeof(o));
    o.total = 2;
    fake_services_enum_options(svc, &o);
    CHECK(svc->lpVtbl->ExecQuery(svc, lang, text, 0, NULL, &e) == WBEM_S_NO_ERROR && e);
    CHECK(e == fake_services_last_enum(svc));
    CHECK(e->lpVtbl->Next(e, WBEM_INFINITE, 8, objs, &got) == (HRESULT)WBEM_S_FALSE && got == 2);
    release_all(objs, got);
    e->lpVtbl->Release(e);
    fake_services_fail_next(svc, WBEM_E_INVALID_QUERY);
    CHECK(svc->lpVtbl->ExecQuery(svc, lang, text, 0, NULL, &e) == (HRESULT)WBEM_E_INVALID_QUERY && !e);
    SysFreeString(lang);
    SysFreeString(text);
    fake_services_destroy(svc);   /* frees the enumerator it made */
    CHECK(fake_objects_live() == 0 && fake_objects_over_released() == 0);
}

/* The fake locator through COM: registered for CLSID_WbemLocator, hosts
   by name, rows named after their host, errors, in-flight counting. */
static void test_locator(void)
{
    static const fake_host hosts[] = {
        {L"alpha", 5, 5, 3, S_OK, S_OK, FAKE_HOST_ANSWERS, 0},
        {L"beta", 0, 0, 0, E_ACCESSDENIED, S_OK, FAKE_HOST_ANSWERS, 0},
        {L"gamma", 0, 0, 0, S_OK, S_OK, FAKE_HOST_HANG_CONNECT, 50},
    };
    fake_locator *l = NULL;
    IWbemLocator *loc = NULL;
    IWbemServices *svc = NULL;
    struct test_sink sink;
    BSTR ns, user, wql, query;
    wchar_t seen_user[64], seen_path[128];
    VARIANT v;
    DWORD t0;

    fake_objects_reset();
    CHECK(SUCCEEDED(CoInitializeEx(NULL, COINIT_MULTITHREADED)));
    CHECK(fake_locator_register(hosts, 3, &l) == S_OK);
    CHECK(CoCreateInstance(&CLSID_WbemLocator, NULL, CLSCTX_INPROC_SERVER, &IID_IWbemLocator,
                           (void **)&loc) == S_OK && loc);
    if (!loc) return;
    CHECK(fake_locator_refs(l) == 1);

    ns = SysAllocString(L"\\\\ALPHA\\root\\cimv2");    /* names match in any case */
    user = SysAllocString(L"DOM\\u");
    CHECK(loc->lpVtbl->ConnectServer(loc, ns, user, NULL, NULL, 0, NULL, NULL, &svc) == S_OK && svc);
    CHECK(fake_locator_in_flight(l) == 1);
    CHECK(fake_locator_last_connect(l, L"alpha", seen_user, seen_path, 128) == S_OK);
    CHECK(!wcscmp(seen_user, L"DOM\\u") && !wcscmp(seen_path, ns));
    CHECK(fake_locator_last_connect(l, L"beta", seen_user, seen_path, 128) == (HRESULT)WBEM_E_NOT_FOUND);
    test_sink_init(&sink);
    wql = SysAllocString(L"WQL");
    query = SysAllocString(L"SELECT * FROM Win32_Process");
    CHECK(svc->lpVtbl->ExecQueryAsync(svc, wql, query, 0, NULL, &sink.IWbemObjectSink_iface) == S_OK);
    for (int i = 0; i < 500 && !sink.completes; i++) Sleep(10);
    CHECK(sink.objects == 3 && sink.completes == 1);
    CHECK(sink.nkept == 3 && SUCCEEDED(sink.kept[0]->lpVtbl->Get(sink.kept[0], L"Name", 0, &v, NULL, NULL)) &&
          V_VT(&v) == VT_BSTR && !wcscmp(V_BSTR(&v), L"alpha"));
    VariantClear(&v);
    CHECK(fake_locator_async_calls(l) == 1);
    svc->lpVtbl->Release(svc);          /* the connection closes: out of flight */
    CHECK(fake_locator_in_flight(l) == 0 && fake_locator_services_alive(l) == 0);
    CHECK(fake_locator_peak_in_flight(l) == 1);
    test_sink_drop_objects(&sink);
    SysFreeString(ns);

    svc = (IWbemServices *)1;
    ns = SysAllocString(L"\\\\beta\\root");
    CHECK(loc->lpVtbl->ConnectServer(loc, ns, NULL, NULL, NULL, 0, NULL, NULL, &svc) == E_ACCESSDENIED && !svc);
    SysFreeString(ns);
    ns = SysAllocString(L"\\\\nobody\\root");
    CHECK(loc->lpVtbl->ConnectServer(loc, ns, NULL, NULL, NULL, 0, NULL, NULL, &svc) ==
          (HRESULT)WBEM_E_TRANSPORT_FAILURE);
    SysFreeString(ns);
    ns = SysAllocString(L"\\\\gamma\\root");              /* dead: gives up after hang_ms */
    t0 = GetTickCount();
    CHECK(loc->lpVtbl->ConnectServer(loc, ns, NULL, NULL, NULL, 0, NULL, NULL, &svc) ==
          (HRESULT)WBEM_E_TRANSPORT_FAILURE);
    CHECK(GetTickCount() - t0 >= 40);
    SysFreeString(ns);
    CHECK(fake_locator_in_flight(l) == 0 && fake_locator_connect_calls(l) == 4);

    loc->lpVtbl->Release(loc);
    CHECK(fake_locator_refs(l) == 0);
    fake_locator_destroy(l);
    SysFreeString(user);
    SysFreeString(wql);
    SysFreeString(query);
    CHECK(fake_objects_live() == 0 && fake_objects_over_released() == 0);
    fake_objects_reset();
    CoUninitialize();
}

int main(void)
{
    test_objects();
    test_batches();
    test_cancel();
    test_many_objects();
    test_enum();
    test_locator();
    printf("fake selftest: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
