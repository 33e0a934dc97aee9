/* Method calls and instance writes (src/call) against the fake
   IWbemServices: the asynchronous calls Windows runs, the semisynchronous
   path (the synchronous call on a library thread), the explicit fallback,
   cancel, release, deadlines, references and bad input. Wine's real WMI:
   tests/test_e2e_call.c. */
#include "test_support.h"
#include <string.h>

/* ---- helpers ---------------------------------------------------------- */

static VARIANT v_i4(LONG x)
{
    VARIANT v;
    VariantInit(&v);
    V_VT(&v) = VT_I4;
    V_I4(&v) = x;
    return v;
}

/* An out-parameters object as WMI sends it: ReturnValue (uint32 in a
   VT_I4) and one string output. */
static IWbemClassObject *make_out_params(LONG return_value)
{
    IWbemClassObject *o = fake_object_create(L"__PARAMETERS");
    assert_non_null(o);
    VARIANT v = v_i4(return_value);
    assert_hr(fake_object_put(o, L"ReturnValue", CIM_UINT32, &v), S_OK);
    VARIANT s;
    V_VT(&s) = VT_BSTR;
    V_BSTR(&s) = SysAllocString(L"out value");
    assert_hr(fake_object_put(o, L"sValue", CIM_STRING, &s), S_OK);
    VariantClear(&s);
    return o;
}

/* A fake services whose *Async calls play `steps` and whose result object
   (FAKE_INDICATE_RESULT, the synchronous ExecMethod's out) is `result`. */
static IWbemServices *services_with(const fake_step *steps, IWbemClassObject *result)
{
    IWbemServices *svc = fake_services_create();
    assert_non_null(svc);
    if (steps) fake_services_script(svc, steps, 1);
    fake_services_result(svc, result);
    return svc;
}

/* The semisynchronous thread holds a services reference until it is done:
   wait (bounded) for it to let go before the fake is destroyed. */
static void await_services_refs(IWbemServices *svc, LONG refs)
{
    for (int i = 0; i < 1000 && fake_services_refs(svc) != refs; i++) Sleep(5);
    assert_int_equal(fake_services_refs(svc), refs);
}

static HRESULT final_of(wbemsink *s)
{
    HRESULT hr = E_UNEXPECTED;
    assert_hr(wbemsink_wait(s, 10000, &hr), S_OK);
    return hr;
}

static const fake_step out_params_script[] = {
    FAKE_STEP_INDICATE_RESULT, FAKE_STEP_COMPLETE(S_OK), FAKE_STEP_END,
};
static const fake_step hang_script[] = {
    FAKE_STEP_WAIT_CANCEL, FAKE_STEP_INDICATE_RESULT, FAKE_STEP_COMPLETE(S_OK), FAKE_STEP_END,
};

/* Takes the one object of a pull sink, checks ReturnValue and the output,
   then the end. */
static void expect_out_params(wbemsink *s, ULONG return_value)
{
    IWbemClassObject *o = NULL;
    assert_hr(wbemsink_next(s, 10000, &o), S_OK);
    ULONG rv = 99;
    assert_hr(wbemsink_get_uint32(o, L"ReturnValue", &rv), S_OK);
    assert_int_equal(rv, return_value);
    char *text = NULL;
    assert_hr(wbemsink_get_utf8_alloc(o, L"sValue", &text), S_OK);
    assert_string_equal(text, "out value");
    wbemsink_free(text);
    IWbemClassObject_Release(o);
    assert_hr(wbemsink_next(s, 10000, &o), WBEM_S_NO_MORE_DATA);
    assert_null(o);
}

static wbemsink *pull_sink(const wbemsink_options *extra)
{
    wbemsink_options o = extra ? *extra : opts(WBEMSINK_MODE_PULL, 0, WBEMSINK_FULL_WAIT, 0);
    o.mode = WBEMSINK_MODE_PULL;
    wbemsink *s = NULL;
    assert_hr(wbemsink_create(NULL, &o, &s), S_OK);
    return s;
}

/* ---- in-parameters ---------------------------------------------------- */

/* GetObject on the class, GetMethod, SpawnInstance: a new instance of the
   in-signature with its properties; NULL in-signature: S_FALSE and NULL;
   unknown method or class: WMI's code; every reference given back. */
static void method_params_from_class(void **state)
{
    (void)state;
    IWbemServices *svc = services_with(NULL, NULL);
    IWbemClassObject *cls = fake_object_create(L"StdRegProv");
    IWbemClassObject *in_sig = fake_object_create(L"__PARAMETERS");
    VARIANT key = v_i4((LONG)0x80000002);
    assert_hr(fake_object_put(in_sig, L"hDefKey", CIM_UINT32, &key), S_OK);
    assert_hr(fake_object_put(in_sig, L"sSubKeyName", CIM_STRING, NULL), S_OK);
    assert_hr(fake_object_put_method(cls, L"GetStringValue", in_sig, NULL), S_OK);
    assert_hr(fake_object_put_method(cls, L"NoInput", NULL, NULL), S_OK);
    assert_hr(fake_services_put_class(svc, L"StdRegProv", cls), S_OK);
    LONG cls_refs = fake_object_refs(cls), sig_refs = fake_object_refs(in_sig);

    IWbemClassObject *in = NULL;
    assert_hr(wbemsink_method_params(svc, L"StdRegProv", L"GetStringValue", &in), S_OK);
    assert_non_null(in);
    assert_ptr_not_equal(in, in_sig);            /* an instance, not the signature */
    assert_int_equal(fake_object_refs(in), 1);   /* the caller's one reference */
    ULONG hkey = 0;
    assert_hr(wbemsink_get_uint32(in, L"hDefKey", &hkey), S_OK);
    assert_int_equal(hkey, 0x80000002u);
    BSTR sub = NULL;
    assert_hr(wbemsink_get_string(in, L"sSubKeyName", &sub), WBEMSINK_S_NULL);
    IWbemClassObject_Release(in);

    in = (IWbemClassObject *)(uintptr_t)1;
    assert_hr(wbemsink_method_params(svc, L"stdregprov", L"NoInput", &in), S_FALSE);
    assert_null(in);
    in = (IWbemClassObject *)(uintptr_t)1;
    assert_hr(wbemsink_method_params(svc, L"StdRegProv", L"NoSuchMethod", &in), WBEM_E_NOT_FOUND);
    assert_null(in);
    in = (IWbemClassObject *)(uintptr_t)1;
    assert_hr(wbemsink_method_params(svc, L"NoSuchClass", L"GetStringValue", &in), WBEM_E_NOT_FOUND);
    assert_null(in);
    /* Nothing kept: the class and the signature hold what they held. */
    assert_int_equal(fake_object_refs(cls), cls_refs);
    assert_int_equal(fake_object_refs(in_sig), sig_refs);

    in = (IWbemClassObject *)(uintptr_t)1;
    assert_hr(wbemsink_method_params(NULL, L"StdRegProv", L"GetStringValue", &in), E_POINTER);
    assert_null(in);
    assert_hr(wbemsink_method_params(svc, NULL, L"GetStringValue", &in), E_POINTER);
    assert_hr(wbemsink_method_params(svc, L"StdRegProv", NULL, &in), E_POINTER);
    assert_hr(wbemsink_method_params(svc, L"StdRegProv", L"GetStringValue", NULL), E_POINTER);

    IWbemClassObject_Release(in_sig);
    IWbemClassObject_Release(cls);
    await_services_refs(svc, 1);
    fake_services_destroy(svc);
}

/* ---- asynchronous (what Windows runs) ---------------------------------- */

/* A static method on a class path: ExecMethodAsync gets the path, the
   method, the in-parameters and the flags; the out-parameters arrive as
   the one object; on_complete's hr is WMI's. */
static void async_static_method_out_params(void **state)
{
    (void)state;
    IWbemClassObject *out = make_out_params(0);
    IWbemServices *svc = services_with(out_params_script, out);
    IWbemClassObject *in = fake_object_create(L"__PARAMETERS");
    wbemsink *s = pull_sink(NULL);
    assert_hr(wbemsink_exec_method(s, svc, L"StdRegProv", L"GetStringValue", in,
                                   WBEM_FLAG_SEND_STATUS, NULL, WBEMSINK_CALL_ASYNC), S_OK);
    expect_out_params(s, 0);
    assert_hr(final_of(s), S_OK);
    fake_call_record rec;
    fake_services_last_call(svc, &rec);
    assert_string_equal(rec.api, "ExecMethodAsync");
    assert_true(!wcscmp(rec.path, L"StdRegProv"));
    assert_true(!wcscmp(rec.method, L"GetStringValue"));
    assert_ptr_equal(rec.object, in);
    assert_int_equal(rec.flags, WBEM_FLAG_SEND_STATUS);
    assert_int_equal(fake_services_async_calls(svc), 1);
    assert_int_equal(fake_services_sync_calls(svc), 0);
    assert_int_equal(fake_object_refs(in), 1);   /* the library kept nothing */
    assert_int_equal(settled_sink_refs(s), 1);
    wbemsink_release(s);
    IWbemClassObject_Release(in);
    IWbemClassObject_Release(out);
    fake_services_wait_idle(svc);
    await_services_refs(svc, 1);   /* the binding given back */
    fake_services_destroy(svc);
}

/* An instance method on an object path, without in-parameters (NULL), in
   THREAD mode: the recorder sees one object, then S_OK, and a non-zero
   ReturnValue is the method's own result, not the call's. */
static void async_instance_method(void **state)
{
    (void)state;
    IWbemClassObject *out = make_out_params(2);
    IWbemServices *svc = services_with(out_params_script, out);
    recorder r;
    wbemsink *s = recorded_sink(&r, NULL);
    assert_hr(wbemsink_exec_method(s, svc, L"Win32_Process.Handle=\"42\"", L"GetOwner", NULL, 0,
                                   NULL, WBEMSINK_CALL_ASYNC), S_OK);
    assert_hr(final_of(s), S_OK);
    assert_int_equal(r.objects, 1);
    assert_int_equal(r.completes, 1);
    fake_call_record rec;
    fake_services_last_call(svc, &rec);
    assert_true(!wcscmp(rec.path, L"Win32_Process.Handle=\"42\""));
    assert_true(!wcscmp(rec.method, L"GetOwner"));
    assert_null(rec.object);
    wbemsink_release(s);
    recorder_free(&r);
    IWbemClassObject_Release(out);
    fake_services_destroy(svc);
}

/* WMI's failure reaches on_complete (with its error object); a call that
   fails to start completes the sink the same way, and the explicit
   fallback does not fall back for such a failure. */
static void async_failures(void **state)
{
    (void)state;
    static const fake_step failing[] = {
        FAKE_STEP_STATUS(WBEM_STATUS_COMPLETE, WBEM_E_INVALID_METHOD_PARAMETERS, NULL, 1),
        FAKE_STEP_END,
    };
    IWbemServices *svc = services_with(failing, NULL);
    recorder r;
    wbemsink *s = recorded_sink(&r, NULL);
    assert_hr(wbemsink_exec_method(s, svc, L"StdRegProv", L"CreateKey", NULL, 0, NULL,
                                   WBEMSINK_CALL_ASYNC), S_OK);
    assert_hr(final_of(s), WBEM_E_INVALID_METHOD_PARAMETERS);
    assert_int_equal(r.objects, 0);
    int at = recorder_find(&r, EV_COMPLETE);
    assert_true(at >= 0);
    assert_int_equal(r.events[at].has_object, 1);
    wbemsink_release(s);
    recorder_free(&r);

    fake_services_fail_next(svc, WBEM_E_ACCESS_DENIED);
    fake_services_sync(svc, S_OK, 0);
    s = recorded_sink(&r, NULL);
    assert_hr(wbemsink_exec_method(s, svc, L"StdRegProv", L"CreateKey", NULL, 0, NULL,
                                   WBEMSINK_CALL_ASYNC_OR_SEMISYNC), S_OK);
    assert_hr(final_of(s), WBEM_E_ACCESS_DENIED);
    assert_int_equal(r.completes, 1);
    assert_int_equal(fake_services_sync_calls(svc), 0);   /* no fallback for that */
    wbemsink_release(s);
    recorder_free(&r);
    fake_services_wait_idle(svc);
    await_services_refs(svc, 1);
    fake_services_destroy(svc);
}

/* Cancel while WMI runs the method: CancelAsyncCall on the bound services,
   one completion with WBEM_E_CALL_CANCELLED, the late result never
   delivered, every reference back. */
static void async_cancel_mid_call(void **state)
{
    (void)state;
    IWbemClassObject *out = make_out_params(0);
    IWbemServices *svc = services_with(hang_script, out);
    recorder r;
    wbemsink *s = recorded_sink(&r, NULL);
    assert_hr(wbemsink_exec_method(s, svc, L"Win32_Process", L"Create", NULL, 0, NULL,
                                   WBEMSINK_CALL_ASYNC), S_OK);
    Sleep(20);
    assert_hr(wbemsink_cancel(s, NULL), S_OK);
    assert_hr(final_of(s), WBEM_E_CALL_CANCELLED);
    assert_int_equal(fake_services_cancel_calls(svc), 1);
    fake_services_wait_idle(svc);
    assert_int_equal(fake_services_pending(svc), 0);
    assert_int_equal(r.objects, 0);
    assert_int_equal(r.completes, 1);
    assert_int_equal(settled_sink_refs(s), 1);
    wbemsink_release(s);
    recorder_free(&r);
    IWbemClassObject_Release(out);
    await_services_refs(svc, 1);
    fake_services_destroy(svc);
}

/* A deadline ends a method call like a query: WBEM_E_TIMED_OUT, and
   CancelAsyncCall at WMI. */
static void async_deadline(void **state)
{
    (void)state;
    IWbemServices *svc = services_with(hang_script, NULL);
    recorder r;
    wbemsink_options o = opts(WBEMSINK_MODE_THREAD, 0, WBEMSINK_FULL_WAIT, 0);
    o.timeout_ms = 100;
    wbemsink *s = recorded_sink(&r, &o);
    IWbemClassObject *inst = fake_object_create(L"Win32_Environment");
    assert_hr(wbemsink_put_instance(s, svc, inst, 0, NULL, WBEMSINK_CALL_ASYNC), S_OK);
    assert_hr(final_of(s), WBEM_E_TIMED_OUT);
    for (int i = 0; i < 500 && fake_services_cancel_calls(svc) < 1; i++) Sleep(10);
    assert_int_equal(fake_services_cancel_calls(svc), 1);
    fake_call_record rec;
    fake_services_last_call(svc, &rec);
    assert_string_equal(rec.api, "PutInstanceAsync");
    assert_ptr_equal(rec.object, inst);
    assert_int_equal(fake_object_refs(inst), 1);   /* the library kept none */
    IWbemClassObject_Release(inst);
    wbemsink_release(s);
    recorder_free(&r);
    fake_services_destroy(svc);
}

/* wbemsink_release mid-call, from the caller and from inside on_objects:
   no callback after it, WMI's later calls refused, references balanced. */
static void async_release_mid_call_and_from_callback(void **state)
{
    (void)state;
    IWbemClassObject *out = make_out_params(0);
    IWbemServices *svc = services_with(hang_script, out);
    recorder r;
    wbemsink *s = recorded_sink(&r, NULL);
    assert_hr(wbemsink_exec_method(s, svc, L"Win32_Process", L"Create", NULL, 0, NULL,
                                   WBEMSINK_CALL_ASYNC), S_OK);
    wbemsink_release(s);
    fake_services_destroy(svc);   /* cancels the call: its sink reference goes */
    assert_int_equal(r.completes, 0);
    recorder_free(&r);

    svc = services_with(out_params_script, out);
    wbemsink *held = recorded_sink(&r, NULL);
    r.release_in_objects = &held;
    assert_hr(wbemsink_exec_method(held, svc, L"Win32_Process", L"Create", NULL, 0, NULL,
                                   WBEMSINK_CALL_ASYNC), S_OK);
    fake_services_wait_idle(svc);
    for (int i = 0; i < 500 && held; i++) Sleep(10);
    assert_null(held);   /* released inside on_objects */
    assert_int_equal(r.objects, 1);
    assert_int_equal(r.completes, 0);   /* nothing after the release */
    recorder_free(&r);
    IWbemClassObject_Release(out);
    await_services_refs(svc, 1);
    fake_services_destroy(svc);
}

/* PutInstanceAsync: the new path is on_complete's param; DeleteInstanceAsync
   gets the path and completes with WMI's result. */
static void async_put_and_delete(void **state)
{
    (void)state;
    static const fake_step put_done[] = {
        FAKE_STEP_STATUS(WBEM_STATUS_COMPLETE, S_OK, L"Win32_Environment.Name=\"X\"", 0),
        FAKE_STEP_END,
    };
    IWbemServices *svc = services_with(put_done, NULL);
    IWbemClassObject *inst = fake_object_create(L"Win32_Environment");
    recorder r;
    wbemsink *s = recorded_sink(&r, NULL);
    assert_hr(wbemsink_put_instance(s, svc, inst, WBEM_FLAG_CREATE_ONLY, NULL, WBEMSINK_CALL_ASYNC),
              S_OK);
    assert_hr(final_of(s), S_OK);
    int at = recorder_find(&r, EV_COMPLETE);
    assert_true(at >= 0);
    assert_true(!wcscmp(r.events[at].param, L"Win32_Environment.Name=\"X\""));
    fake_call_record rec;
    fake_services_last_call(svc, &rec);
    assert_string_equal(rec.api, "PutInstanceAsync");
    assert_ptr_equal(rec.object, inst);
    assert_int_equal(rec.flags, WBEM_FLAG_CREATE_ONLY);
    wbemsink_release(s);
    recorder_free(&r);

    static const fake_step not_found[] = { FAKE_STEP_COMPLETE(WBEM_E_NOT_FOUND), FAKE_STEP_END };
    fake_services_script(svc, not_found, 1);
    s = recorded_sink(&r, NULL);
    assert_hr(wbemsink_delete_instance(s, svc, L"Win32_Environment.Name=\"X\"", 0, NULL,
                                       WBEMSINK_CALL_ASYNC), S_OK);
    assert_hr(final_of(s), WBEM_E_NOT_FOUND);
    fake_services_last_call(svc, &rec);
    assert_string_equal(rec.api, "DeleteInstanceAsync");
    assert_true(!wcscmp(rec.path, L"Win32_Environment.Name=\"X\""));
    wbemsink_release(s);
    recorder_free(&r);
    assert_int_equal(fake_object_refs(inst), 1);
    IWbemClassObject_Release(inst);
    fake_services_wait_idle(svc);
    await_services_refs(svc, 1);
    fake_services_destroy(svc);
}

/* ---- semisynchronous ---------------------------------------------------- */

/* The synchronous ExecMethod on a library thread: the out-parameters as
   the one object, its HRESULT as the result, no *Async call, nothing
   bound (the services come back to one reference when the thread ends). */
static void semisync_method(void **state)
{
    (void)state;
    IWbemClassObject *out = make_out_params(0);
    IWbemServices *svc = services_with(NULL, out);
    fake_services_sync(svc, S_OK, 0);
    IWbemClassObject *in = fake_object_create(L"__PARAMETERS");
    wbemsink *s = pull_sink(NULL);
    assert_hr(wbemsink_exec_method(s, svc, L"StdRegProv", L"GetStringValue", in, WBEM_FLAG_SEND_STATUS,
                                   NULL, WBEMSINK_CALL_SEMISYNC), S_OK);
    expect_out_params(s, 0);
    assert_hr(final_of(s), S_OK);
    fake_call_record rec;
    fake_services_last_call(svc, &rec);
    assert_string_equal(rec.api, "ExecMethod");
    assert_true(!wcscmp(rec.path, L"StdRegProv"));
    assert_ptr_equal(rec.object, in);
    assert_int_equal(rec.flags, 0);   /* WBEM_FLAG_SEND_STATUS is the async call's */
    assert_int_equal(fake_services_async_calls(svc), 0);
    assert_int_equal(fake_services_sync_calls(svc), 1);
    await_services_refs(svc, 1);
    assert_int_equal(fake_object_refs(in), 1);
    assert_int_equal(settled_sink_refs(s), 1);
    wbemsink_release(s);
    IWbemClassObject_Release(in);
    IWbemClassObject_Release(out);
    fake_services_destroy(svc);
}

/* A failing synchronous call: its HRESULT, no object. */
static void semisync_failure(void **state)
{
    (void)state;
    IWbemClassObject *out = make_out_params(0);
    IWbemServices *svc = services_with(NULL, out);
    fake_services_sync(svc, WBEM_E_INVALID_METHOD, 0);
    recorder r;
    wbemsink *s = recorded_sink(&r, NULL);
    assert_hr(wbemsink_exec_method(s, svc, L"StdRegProv", L"Nope", NULL, 0, NULL,
                                   WBEMSINK_CALL_SEMISYNC), S_OK);
    assert_hr(final_of(s), WBEM_E_INVALID_METHOD);
    assert_int_equal(r.objects, 0);
    assert_int_equal(r.completes, 1);
    await_services_refs(svc, 1);
    wbemsink_release(s);
    recorder_free(&r);
    IWbemClassObject_Release(out);
    fake_services_destroy(svc);
}

/* The limits: a hung synchronous call. A cancel (and likewise a deadline)
   completes the sink at once without calling WMI; when the call returns
   later its result is refused and Released; the services reference goes
   with the thread. */
static void semisync_cancel_and_deadline_while_hung(void **state)
{
    (void)state;
    IWbemClassObject *out = make_out_params(0);
    IWbemServices *svc = services_with(NULL, out);
    fake_services_sync(svc, S_OK, INFINITE);
    recorder r;
    wbemsink *s = recorded_sink(&r, NULL);
    assert_hr(wbemsink_exec_method(s, svc, L"Win32_Process", L"Create", NULL, 0, NULL,
                                   WBEMSINK_CALL_SEMISYNC), S_OK);
    for (int i = 0; i < 500 && fake_services_sync_calls(svc) < 1; i++) Sleep(5);
    assert_hr(wbemsink_cancel(s, NULL), S_OK);
    assert_hr(final_of(s), WBEM_E_CALL_CANCELLED);
    assert_int_equal(fake_services_cancel_calls(svc), 0);   /* nothing to cancel at WMI */
    assert_int_equal(fake_services_refs(svc), 2);           /* the thread still runs */
    fake_services_sync_open(svc);
    await_services_refs(svc, 1);
    assert_int_equal(r.objects, 0);                         /* the late result refused */
    wbemsink_stats st;
    assert_hr(wbemsink_get_stats(s, &st), S_OK);
    assert_true(st.ignored_calls >= 1);
    assert_int_equal(fake_object_refs(out), 2);   /* ours and the fake's: the thread Released its own */
    assert_int_equal(settled_sink_refs(s), 1);
    wbemsink_release(s);
    recorder_free(&r);

    fake_services_sync(svc, S_OK, INFINITE);
    wbemsink_options o = opts(WBEMSINK_MODE_THREAD, 0, WBEMSINK_FULL_WAIT, 0);
    o.timeout_ms = 100;
    s = recorded_sink(&r, &o);
    assert_hr(wbemsink_delete_instance(s, svc, L"Win32_Environment.Name=\"X\"", 0, NULL,
                                       WBEMSINK_CALL_SEMISYNC), S_OK);
    assert_hr(final_of(s), WBEM_E_TIMED_OUT);
    assert_int_equal(fake_services_cancel_calls(svc), 0);
    fake_services_sync_open(svc);
    await_services_refs(svc, 1);
    assert_int_equal(r.completes, 1);
    wbemsink_release(s);
    recorder_free(&r);
    IWbemClassObject_Release(out);
    fake_services_destroy(svc);
}

/* wbemsink_release while the synchronous call runs: no callback, the late
   result Released, the sink freed when the thread lets go. */
static void semisync_release_mid_call(void **state)
{
    (void)state;
    IWbemClassObject *out = make_out_params(0);
    IWbemServices *svc = services_with(NULL, out);
    fake_services_sync(svc, S_OK, INFINITE);
    recorder r;
    wbemsink *s = recorded_sink(&r, NULL);
    assert_hr(wbemsink_exec_method(s, svc, L"Win32_Process", L"Create", NULL, 0, NULL,
                                   WBEMSINK_CALL_SEMISYNC), S_OK);
    for (int i = 0; i < 500 && fake_services_sync_calls(svc) < 1; i++) Sleep(5);
    wbemsink_release(s);
    fake_services_sync_open(svc);
    await_services_refs(svc, 1);
    assert_int_equal(r.objects, 0);
    assert_int_equal(r.completes, 0);
    assert_int_equal(fake_object_refs(out), 2);   /* ours and the fake's */
    recorder_free(&r);
    IWbemClassObject_Release(out);
    fake_services_destroy(svc);
}

/* wbemsink_release from inside on_objects while the library thread
   delivers the out-parameters: nothing after it, the thread lets go. */
static void semisync_release_from_callback(void **state)
{
    (void)state;
    IWbemClassObject *out = make_out_params(0);
    IWbemServices *svc = services_with(NULL, out);
    fake_services_sync(svc, S_OK, 0);
    for (int m = 0; m < 2; m++) {
        recorder r;
        wbemsink_options o = opts(m ? WBEMSINK_MODE_INLINE : WBEMSINK_MODE_THREAD, 0, WBEMSINK_FULL_WAIT, 0);
        wbemsink *held = recorded_sink(&r, &o);
        r.release_in_objects = &held;
        assert_hr(wbemsink_exec_method(held, svc, L"StdRegProv", L"GetStringValue", NULL, 0, NULL,
                                       WBEMSINK_CALL_SEMISYNC), S_OK);
        await_services_refs(svc, 1);   /* the thread ended */
        for (int i = 0; i < 500 && held; i++) Sleep(10);
        assert_null(held);
        assert_int_equal(r.objects, 1);
        assert_int_equal(r.completes, 0);
        assert_int_equal(fake_object_refs(out), 2);   /* ours and the fake's */
        recorder_free(&r);
    }
    IWbemClassObject_Release(out);
    fake_services_destroy(svc);
}

/* The explicit fallback: an immediate WBEM_E_FAILED (Wine) or E_NOTIMPL
   runs the synchronous call and says so with S_FALSE. */
static void fallback_to_semisync(void **state)
{
    (void)state;
    static const HRESULT refusals[] = { WBEM_E_FAILED, E_NOTIMPL, WBEM_E_NOT_SUPPORTED };
    IWbemClassObject *out = make_out_params(0);
    IWbemServices *svc = services_with(NULL, out);
    fake_services_sync(svc, S_OK, 0);
    for (size_t i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++) {
        fake_services_fail_next(svc, refusals[i]);
        wbemsink *s = pull_sink(NULL);
        assert_hr(wbemsink_exec_method(s, svc, L"StdRegProv", L"GetStringValue", NULL, 0, NULL,
                                       WBEMSINK_CALL_ASYNC_OR_SEMISYNC), S_FALSE);
        expect_out_params(s, 0);
        assert_hr(final_of(s), S_OK);
        assert_int_equal(fake_services_sync_calls(svc), (LONG)i + 1);
        await_services_refs(svc, 1);
        wbemsink_release(s);
    }
    /* Without a refusal it stays asynchronous. */
    fake_services_script(svc, out_params_script, 1);
    wbemsink *s = pull_sink(NULL);
    assert_hr(wbemsink_exec_method(s, svc, L"StdRegProv", L"GetStringValue", NULL, 0, NULL,
                                   WBEMSINK_CALL_ASYNC_OR_SEMISYNC), S_OK);
    expect_out_params(s, 0);
    assert_hr(final_of(s), S_OK);
    assert_int_equal(fake_services_async_calls(svc), 1);
    assert_int_equal(fake_services_sync_calls(svc), 3);
    wbemsink_release(s);
    IWbemClassObject_Release(out);
    fake_services_wait_idle(svc);
    await_services_refs(svc, 1);
    fake_services_destroy(svc);
}

/* Semisynchronous writes: PutInstance and DeleteInstance with their
   arguments (the creation flags kept, the async-only one dropped). */
static void semisync_put_and_delete(void **state)
{
    (void)state;
    IWbemServices *svc = services_with(NULL, NULL);
    fake_services_sync(svc, S_OK, 0);
    IWbemClassObject *inst = fake_object_create(L"Win32_Environment");
    recorder r;
    wbemsink *s = recorded_sink(&r, NULL);
    assert_hr(wbemsink_put_instance(s, svc, inst, WBEM_FLAG_UPDATE_ONLY | WBEM_FLAG_SEND_STATUS, NULL,
                                    WBEMSINK_CALL_SEMISYNC), S_OK);
    assert_hr(final_of(s), S_OK);
    fake_call_record rec;
    fake_services_last_call(svc, &rec);
    assert_string_equal(rec.api, "PutInstance");
    assert_ptr_equal(rec.object, inst);
    assert_int_equal(rec.flags, WBEM_FLAG_UPDATE_ONLY);
    int at = recorder_find(&r, EV_COMPLETE);
    assert_int_equal(r.events[at].has_param, 0);   /* no call result: no path */
    await_services_refs(svc, 1);
    assert_int_equal(fake_object_refs(inst), 1);
    wbemsink_release(s);
    recorder_free(&r);

    /* The new path from PutInstance's IWbemCallResult, which is Released. */
    fake_services_sync_path(svc, L"Win32_Environment.Name=\"Z\",UserName=\"u\"");
    s = recorded_sink(&r, NULL);
    assert_hr(wbemsink_put_instance(s, svc, inst, 0, NULL, WBEMSINK_CALL_SEMISYNC), S_OK);
    assert_hr(final_of(s), S_OK);
    at = recorder_find(&r, EV_COMPLETE);
    assert_true(at >= 0);
    assert_true(!wcscmp(r.events[at].param, L"Win32_Environment.Name=\"Z\",UserName=\"u\""));
    await_services_refs(svc, 1);
    assert_int_equal(fake_services_call_results_live(), 0);
    wbemsink_release(s);
    recorder_free(&r);

    fake_services_sync(svc, WBEM_E_NOT_FOUND, 0);
    s = recorded_sink(&r, NULL);
    assert_hr(wbemsink_delete_instance(s, svc, L"Win32_Environment.Name=\"Y\"", 0, NULL,
                                       WBEMSINK_CALL_SEMISYNC), S_OK);
    assert_hr(final_of(s), WBEM_E_NOT_FOUND);
    fake_services_last_call(svc, &rec);
    assert_string_equal(rec.api, "DeleteInstance");
    assert_true(!wcscmp(rec.path, L"Win32_Environment.Name=\"Y\""));
    await_services_refs(svc, 1);
    wbemsink_release(s);
    recorder_free(&r);
    IWbemClassObject_Release(inst);
    fake_services_destroy(svc);
}

/* GetObjectAsync's object as the one object; semisynchronously the
   synchronous GetObject's (the fake answers the classes put in it), and
   its WBEM_E_NOT_FOUND. */
static void get_object_both_ways(void **state)
{
    (void)state;
    IWbemClassObject *out = make_out_params(0);
    IWbemServices *svc = services_with(out_params_script, out);
    IWbemClassObject *cls = fake_object_create(L"Win32_Environment");
    assert_hr(fake_services_put_class(svc, L"Win32_Environment", cls), S_OK);
    wbemsink *s = pull_sink(NULL);
    assert_hr(wbemsink_get_object_async(s, svc, L"Win32_Environment.Name=\"X\"", 0, NULL,
                                        WBEMSINK_CALL_ASYNC), S_OK);
    expect_out_params(s, 0);   /* what the script sends */
    assert_hr(final_of(s), S_OK);
    assert_int_equal(fake_services_async_calls(svc), 1);
    wbemsink_release(s);

    s = pull_sink(NULL);
    assert_hr(wbemsink_get_object_async(s, svc, L"win32_environment", WBEM_FLAG_SEND_STATUS, NULL,
                                        WBEMSINK_CALL_SEMISYNC), S_OK);
    IWbemClassObject *got = NULL;
    assert_hr(wbemsink_next(s, 10000, &got), S_OK);
    assert_ptr_equal(got, cls);
    IWbemClassObject_Release(got);
    assert_hr(wbemsink_next(s, 10000, &got), WBEM_S_NO_MORE_DATA);
    assert_hr(final_of(s), S_OK);
    wbemsink_release(s);

    s = pull_sink(NULL);
    assert_hr(wbemsink_get_object_async(s, svc, L"NoSuchClass", 0, NULL, WBEMSINK_CALL_SEMISYNC), S_OK);
    assert_hr(wbemsink_next(s, 10000, &got), WBEM_E_NOT_FOUND);   /* the end of a failure is its result */
    assert_hr(final_of(s), WBEM_E_NOT_FOUND);
    wbemsink_release(s);
    assert_hr(wbemsink_get_object_async(NULL, svc, L"X", 0, NULL, WBEMSINK_CALL_ASYNC), E_POINTER);
    await_services_refs(svc, 1);
    assert_int_equal(fake_object_refs(cls), 2);   /* ours and the fake's */
    IWbemClassObject_Release(cls);
    IWbemClassObject_Release(out);
    fake_services_destroy(svc);
}

/* ---- wbemsink_start_sync itself ----------------------------------------- */

typedef struct sync_probe {
    DWORD caller, thread;
    APTTYPE apartment;
    int outs_null;   /* *object and *param were NULL on entry */
    LONG freed;
} sync_probe;

static HRESULT probe_call(void *arg, IWbemServices *services, IWbemClassObject **object, BSTR *param)
{
    sync_probe *p = arg;
    APTTYPEQUALIFIER q;
    (void)services;
    p->thread = GetCurrentThreadId();
    if (FAILED(CoGetApartmentType(&p->apartment, &q))) p->apartment = APTTYPE_CURRENT;
    p->outs_null = !*object && !*param;   /* no cmocka assert off the test's thread */
    *param = SysAllocString(L"path from the call");
    return S_OK;
}

static void probe_free(void *arg) { InterlockedIncrement(&((sync_probe *)arg)->freed); }

/* The call runs on another thread in the MTA; its param reaches
   on_complete; free_arg runs once, also when the arguments are refused. */
static void start_sync_thread_and_arg(void **state)
{
    (void)state;
    IWbemServices *svc = fake_services_create();
    sync_probe p = { GetCurrentThreadId(), 0, APTTYPE_CURRENT, 0, 0 };
    recorder r;
    wbemsink *s = recorded_sink(&r, NULL);
    assert_hr(wbemsink_start_sync(s, svc, probe_call, &p, probe_free), S_OK);
    assert_hr(final_of(s), S_OK);
    await_services_refs(svc, 1);
    assert_int_equal(p.freed, 1);
    assert_int_not_equal(p.thread, 0);
    assert_int_not_equal(p.thread, p.caller);
    assert_int_equal(p.apartment, APTTYPE_MTA);
    assert_int_equal(p.outs_null, 1);
    int at = recorder_find(&r, EV_COMPLETE);
    assert_true(!wcscmp(r.events[at].param, L"path from the call"));
    wbemsink_release(s);
    recorder_free(&r);

    p.freed = 0;
    s = recorded_sink(&r, NULL);
    assert_hr(wbemsink_start_sync(NULL, svc, probe_call, &p, probe_free), E_POINTER);
    assert_hr(wbemsink_start_sync(s, NULL, probe_call, &p, probe_free), E_POINTER);
    assert_hr(wbemsink_start_sync(s, svc, NULL, &p, probe_free), E_POINTER);
    assert_int_equal(p.freed, 3);
    assert_hr(wbemsink_start_sync(s, svc, NULL, &p, NULL), E_POINTER);
    assert_int_equal(r.completes, 0);
    wbemsink_release(s);
    recorder_free(&r);
    await_services_refs(svc, 1);
    fake_services_destroy(svc);
}

/* ---- bad input ------------------------------------------------------------ */

static void bad_input(void **state)
{
    (void)state;
    IWbemServices *svc = fake_services_create();
    IWbemClassObject *in = fake_object_create(L"__PARAMETERS");
    wbemsink *s;
    assert_hr(wbemsink_create(NULL, NULL, &s), S_OK);
    const wbemsink_call_mode a = WBEMSINK_CALL_ASYNC;
    assert_hr(wbemsink_exec_method(NULL, svc, L"C", L"M", in, 0, NULL, a), E_POINTER);
    assert_hr(wbemsink_exec_method(s, NULL, L"C", L"M", in, 0, NULL, a), E_POINTER);
    assert_hr(wbemsink_exec_method(s, svc, NULL, L"M", in, 0, NULL, a), E_POINTER);
    assert_hr(wbemsink_exec_method(s, svc, L"C", NULL, in, 0, NULL, a), E_POINTER);
    assert_hr(wbemsink_exec_method(s, svc, L"C", L"M", in, 0, NULL, (wbemsink_call_mode)7),
              E_INVALIDARG);
    assert_hr(wbemsink_put_instance(NULL, svc, in, 0, NULL, a), E_POINTER);
    assert_hr(wbemsink_put_instance(s, NULL, in, 0, NULL, a), E_POINTER);
    assert_hr(wbemsink_put_instance(s, svc, NULL, 0, NULL, a), E_POINTER);
    assert_hr(wbemsink_put_instance(s, svc, in, 0, NULL, (wbemsink_call_mode)-1), E_INVALIDARG);
    assert_hr(wbemsink_delete_instance(NULL, svc, L"P", 0, NULL, a), E_POINTER);
    assert_hr(wbemsink_delete_instance(s, NULL, L"P", 0, NULL, a), E_POINTER);
    assert_hr(wbemsink_delete_instance(s, svc, NULL, 0, NULL, a), E_POINTER);
    assert_hr(wbemsink_delete_instance(s, svc, L"P", 0, NULL, (wbemsink_call_mode)3), E_INVALIDARG);
    /* Nothing started, nothing kept, the sink still open. */
    assert_int_equal(fake_services_async_calls(svc), 0);
    await_services_refs(svc, 1);
    assert_int_equal(fake_object_refs(in), 1);
    assert_hr(wbemsink_wait(s, 0, NULL), WBEM_S_TIMEDOUT);
    wbemsink_release(s);
    IWbemClassObject_Release(in);
    fake_services_destroy(svc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(method_params_from_class, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(async_static_method_out_params, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(async_instance_method, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(async_failures, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(async_cancel_mid_call, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(async_deadline, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(async_release_mid_call_and_from_callback, fakes_setup,
                                        fakes_teardown),
        cmocka_unit_test_setup_teardown(async_put_and_delete, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(semisync_method, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(semisync_failure, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(semisync_cancel_and_deadline_while_hung, fakes_setup,
                                        fakes_teardown),
        cmocka_unit_test_setup_teardown(semisync_release_mid_call, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(semisync_release_from_callback, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(fallback_to_semisync, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(semisync_put_and_delete, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(get_object_both_ways, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(start_sync_thread_and_arg, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(bad_input, fakes_setup, fakes_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
