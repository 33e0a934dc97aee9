/* The COM object through the DLL: QueryInterface, AddRef/Release, creation
   and release through the public API. */
#include "test_support.h"

/* CLSID_InProcFreeMarshaler, {0000033A-0000-0000-C000-000000000046}: here
   because MinGW-w64's libuuid gives it another value. */
static const CLSID clsid_inproc_free_marshaler = {0x0000033a, 0, 0, {0xc0, 0, 0, 0, 0, 0, 0, 0x46}};

static void query_interface_answers_sink_and_unknown(void **state)
{
    (void)state;
    wbemsink *s;
    assert_hr(wbemsink_create(NULL, NULL, &s), S_OK);
    IWbemObjectSink *sink = wbemsink_interface(s);
    assert_non_null(sink);

    void *p = NULL;
    assert_hr(IWbemObjectSink_QueryInterface(sink, &IID_IUnknown, &p), S_OK);
    assert_ptr_equal(p, sink);
    IUnknown_Release((IUnknown *)p);
    p = NULL;
    assert_hr(IWbemObjectSink_QueryInterface(sink, &IID_IWbemObjectSink, &p), S_OK);
    assert_ptr_equal(p, sink);
    IWbemObjectSink_Release((IWbemObjectSink *)p);

    /* Free-threaded: IAgileObject is the sink itself... */
    static const IID iid_agile = {0x94ea2b94, 0xe9cc, 0x49e0, {0xc0, 0xff, 0xee, 0x64, 0xca, 0x8f, 0x5b, 0x90}};
    p = NULL;
    assert_hr(IWbemObjectSink_QueryInterface(sink, &iid_agile, &p), S_OK);
    assert_ptr_equal(p, sink);
    IUnknown_Release((IUnknown *)p);
    /* ...and IMarshal is the aggregated free-threaded marshaler's: another
       pointer, whose IUnknown is the sink's (COM's identity rule). */
    IMarshal *m = NULL;
    assert_hr(IWbemObjectSink_QueryInterface(sink, &IID_IMarshal, (void **)&m), S_OK);
    assert_non_null(m);
    assert_ptr_not_equal(m, sink);
    p = NULL;
    assert_hr(IMarshal_QueryInterface(m, &IID_IUnknown, &p), S_OK);
    assert_ptr_equal(p, sink);
    IUnknown_Release((IUnknown *)p);
    p = NULL;
    assert_hr(IMarshal_QueryInterface(m, &IID_IWbemObjectSink, &p), S_OK);
    assert_ptr_equal(p, sink);
    IUnknown_Release((IUnknown *)p);
    /* It marshals in-process as the free-threaded marshaler does. */
    CLSID clsid;
    assert_hr(IMarshal_GetUnmarshalClass(m, &IID_IWbemObjectSink, sink, MSHCTX_INPROC, NULL,
                                         MSHLFLAGS_NORMAL, &clsid), S_OK);
    assert_true(IsEqualCLSID(&clsid, &clsid_inproc_free_marshaler));
    IMarshal_Release(m);
    /* Asked again: the same marshaler, created once. */
    IMarshal *again = NULL;
    assert_hr(IWbemObjectSink_QueryInterface(sink, &IID_IMarshal, (void **)&again), S_OK);
    assert_ptr_equal(again, m);
    IMarshal_Release(again);

    p = (void *)0x1;
    assert_hr(IWbemObjectSink_QueryInterface(sink, &IID_INoMarshal, &p), E_NOINTERFACE);
    assert_null(p);
    p = (void *)0x1;
    assert_hr(IWbemObjectSink_QueryInterface(sink, &IID_IWbemServices, &p), E_NOINTERFACE);
    assert_null(p);
    p = (void *)0x1;
    assert_hr(IWbemObjectSink_QueryInterface(sink, &IID_IDispatch, &p), E_NOINTERFACE);
    assert_null(p);
    assert_hr(IWbemObjectSink_QueryInterface(sink, &IID_IUnknown, NULL), E_POINTER);
    assert_int_equal(sink_refs(s), 1);
    wbemsink_release(s);
}

static void addref_release_count(void **state)
{
    (void)state;
    wbemsink *s;
    assert_hr(wbemsink_create(NULL, NULL, &s), S_OK);
    IWbemObjectSink *sink = wbemsink_interface(s);
    assert_int_equal(IWbemObjectSink_AddRef(sink), 2);
    assert_int_equal(IWbemObjectSink_AddRef(sink), 3);
    assert_int_equal(IWbemObjectSink_Release(sink), 2);
    assert_int_equal(IWbemObjectSink_Release(sink), 1);
    wbemsink_release(s);
}

/* WMI may hold the last reference: the sink lives on after
   wbemsink_release, refuses further calls, and dies on WMI's Release. */
static void last_release_by_wmi(void **state)
{
    (void)state;
    fake_objects_reset();
    wbemsink *s;
    recorder r;
    recorder_init(&r);
    wbemsink_callbacks cb = recorder_callbacks(&r);
    wbemsink_options o = opts(WBEMSINK_MODE_INLINE, 0, WBEMSINK_FULL_WAIT, 0);
    assert_hr(wbemsink_create(&cb, &o, &s), S_OK);
    IWbemObjectSink *sink = wbemsink_interface(s);
    IWbemObjectSink_AddRef(sink);       /* WMI's reference */
    wbemsink_release(s);
    IWbemClassObject *obj = fake_object_create(L"late");
    assert_hr(IWbemObjectSink_Indicate(sink, 1, &obj), WBEM_E_CALL_CANCELLED);
    assert_hr(IWbemObjectSink_SetStatus(sink, WBEM_STATUS_COMPLETE, S_OK, NULL, NULL),
              WBEM_E_CALL_CANCELLED);
    assert_int_equal(r.n, 0);            /* no callback after release */
    assert_int_equal(fake_object_refs(obj), 1);
    IWbemClassObject_Release(obj);
    assert_int_equal(IWbemObjectSink_Release(sink), 0);
    assert_fakes_balanced();
    recorder_free(&r);
}

/* AddRef/Release from many threads at once end where they began. */
#define THREADS 8
#define ROUNDS 20000
static DWORD WINAPI hammer(void *p)
{
    IWbemObjectSink *sink = p;
    for (int i = 0; i < ROUNDS; i++) IWbemObjectSink_AddRef(sink);
    for (int i = 0; i < ROUNDS; i++) IWbemObjectSink_Release(sink);
    return 0;
}

static void refcount_is_thread_safe(void **state)
{
    (void)state;
    wbemsink *s;
    assert_hr(wbemsink_create(NULL, NULL, &s), S_OK);
    HANDLE t[THREADS];
    for (int i = 0; i < THREADS; i++)
        t[i] = CreateThread(NULL, 0, hammer, wbemsink_interface(s), 0, NULL);
    WaitForMultipleObjects(THREADS, t, TRUE, INFINITE);
    for (int i = 0; i < THREADS; i++) CloseHandle(t[i]);
    assert_int_equal(sink_refs(s), 1);
    wbemsink_release(s);
}

static void create_rejects_bad_input(void **state)
{
    (void)state;
    wbemsink *s = (wbemsink *)0x1;
    assert_hr(wbemsink_create(NULL, NULL, NULL), E_POINTER);
    wbemsink_options o = opts((wbemsink_mode)7, 0, WBEMSINK_FULL_WAIT, 0);
    assert_hr(wbemsink_create(NULL, &o, &s), E_INVALIDARG);
    assert_null(s);
    o = opts(WBEMSINK_MODE_THREAD, 0, (wbemsink_full_policy)9, 0);
    assert_hr(wbemsink_create(NULL, &o, &s), E_INVALIDARG);
    o = opts(WBEMSINK_MODE_THREAD, WBEMSINK_MAX_CAPACITY + 1u, WBEMSINK_FULL_WAIT, 0);
    assert_hr(wbemsink_create(NULL, &o, &s), E_INVALIDARG);
    assert_null(wbemsink_interface(NULL));
    assert_null(wbemsink_completion_event(NULL));
    wbemsink_release(NULL);   /* ignored */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(query_interface_answers_sink_and_unknown),
        cmocka_unit_test(addref_release_count),
        cmocka_unit_test(last_release_by_wmi),
        cmocka_unit_test(refcount_is_thread_safe),
        cmocka_unit_test(create_rejects_bad_input),
    };
    return cmocka_run_group_tests_name("com", tests, NULL, NULL);
}
