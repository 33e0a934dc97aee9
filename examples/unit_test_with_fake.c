/* unit_test_with_fake: how to unit test your own WMI code without Windows'
   WMI, with wbemsink_fake and CMocka. Built and run by the test suite.

   The code under test, count_named(), runs a query through a wbemsink and
   counts the objects whose "Name" property matches. The tests give it a
   scripted fake IWbemServices instead of a real connection. */
#define COBJMACROS
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include <wbemsink.h>
#include <wbemsink_fake.h>

/* ---- the code under test (yours would live in its own file) ---- */

typedef struct counter {
    const wchar_t *name;
    long matches;
} counter;

static HRESULT on_objects(void *context, IWbemClassObject *const *objects, LONG count)
{
    counter *c = context;
    for (LONG i = 0; i < count; i++) {
        BSTR name = NULL;
        if (wbemsink_get_string(objects[i], L"Name", &name) == S_OK && wcscmp(name, c->name) == 0)
            c->matches++;
        SysFreeString(name);
    }
    return S_OK;
}

/* Counts objects of `query` named `name`; returns the operation's HRESULT. */
static HRESULT count_named(IWbemServices *svc, const wchar_t *query, const wchar_t *name, long *out)
{
    counter c = { name, 0 };
    wbemsink_callbacks cb;
    memset(&cb, 0, sizeof(cb));
    cb.context = &c;
    cb.on_objects = on_objects;
    wbemsink *sink;
    HRESULT hr = wbemsink_create(&cb, NULL, &sink);
    if (FAILED(hr)) return hr;
    HRESULT final_hr = E_FAIL;
    wbemsink_exec_query(sink, svc, query, WBEM_FLAG_SEND_STATUS, NULL);   /* one error path */
    hr = wbemsink_wait(sink, 30000, &final_hr);
    if (hr == WBEM_S_TIMEDOUT) {
        wbemsink_cancel(sink, NULL);
        final_hr = WBEM_E_TIMED_OUT;
    }
    wbemsink_release(sink);
    *out = c.matches;
    return final_hr;
}

/* ---- the tests ---- */

static int reset(void **state)
{
    (void)state;
    fake_objects_reset();
    return 0;
}

static void counts_every_batch(void **state)
{
    (void)state;
    static const fake_step script[] = {
        FAKE_STEP_INDICATE(3), FAKE_STEP_PROGRESS(1, 2, NULL), FAKE_STEP_INDICATE(4),
        FAKE_STEP_COMPLETE(S_OK), FAKE_STEP_END,
    };
    IWbemServices *svc = fake_services_create();
    fake_services_script(svc, script, 1);
    long n = -1;
    assert_int_equal(count_named(svc, L"SELECT Name FROM Win32_Service", L"fake", &n), S_OK);
    assert_int_equal(n, 7);                      /* the fake names its objects "fake" */
    fake_services_wait_idle(svc);
    assert_int_equal(fake_services_pending(svc), 0);   /* WMI's sink reference given back */
    assert_int_equal(fake_objects_live(), 0);          /* nothing leaked */
    fake_services_destroy(svc);
}

static void reports_failure(void **state)
{
    (void)state;
    static const fake_step script[] = {
        FAKE_STEP_INDICATE(1), FAKE_STEP_COMPLETE(WBEM_E_ACCESS_DENIED), FAKE_STEP_END,
    };
    IWbemServices *svc = fake_services_create();
    fake_services_script(svc, script, 1);
    long n = -1;
    assert_int_equal(count_named(svc, L"SELECT Name FROM Win32_Service", L"nope", &n),
                     (HRESULT)WBEM_E_ACCESS_DENIED);
    assert_int_equal(n, 0);
    fake_services_wait_idle(svc);
    assert_int_equal(fake_objects_live(), 0);
    fake_services_destroy(svc);
}

static void reports_synchronous_failure(void **state)
{
    (void)state;
    IWbemServices *svc = fake_services_create();
    fake_services_fail_next(svc, WBEM_E_INVALID_NAMESPACE);
    long n = -1;
    assert_int_equal(count_named(svc, L"SELECT Name FROM Win32_Service", L"x", &n),
                     (HRESULT)WBEM_E_INVALID_NAMESPACE);
    fake_services_destroy(svc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(counts_every_batch, reset),
        cmocka_unit_test_setup(reports_failure, reset),
        cmocka_unit_test_setup(reports_synchronous_failure, reset),
    };
    return cmocka_run_group_tests_name("unit_test_with_fake", tests, NULL, NULL);
}
