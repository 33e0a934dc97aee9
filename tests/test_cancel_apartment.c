/* Issue 22 section 4: the CancelAsyncCall that wbemsink_release defers
   (released from inside a callback) runs on a library thread, which must
   enter the multithreaded apartment itself (CoInitializeEx) before it
   calls the services: on Windows a proxy refuses a thread without an
   apartment; Wine does not mind, so only a look at the apartment from
   inside the call tells. The recording services (support/rec_services.h)
   asks CoGetApartmentType inside its CancelAsyncCall.

   This program never enters COM on its own threads, so the process has no
   multithreaded apartment that a thread could be in implicitly: a thread
   without CoInitializeEx gets CO_E_NOTINITIALIZED (or the implicit MTA
   qualifier where one exists). */
#include "test_support.h"
#include "rec_services.h"
#include <string.h>

typedef struct ctx {
    wbemsink *release_in_objects;
    volatile LONG objects;
} ctx;

static HRESULT on_objects(void *p, IWbemClassObject *const *objs, LONG n)
{
    (void)objs;
    ctx *c = p;
    InterlockedExchangeAdd(&c->objects, n);
    wbemsink *s = c->release_in_objects;
    c->release_in_objects = NULL;
    if (s) wbemsink_release(s);   /* the cancel is deferred to a library thread */
    return S_OK;
}

static void deferred_cancel_in_mta(void **state)
{
    (void)state;
    static const wbemsink_mode modes[] = { WBEMSINK_MODE_THREAD, WBEMSINK_MODE_INLINE };
    for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
        rec_services svc;
        rec_services_init(&svc);
        svc.cancel_entered = CreateEventW(NULL, TRUE, FALSE, NULL);
        assert_non_null(svc.cancel_entered);
        ctx c;
        memset(&c, 0, sizeof(c));
        wbemsink_callbacks cb;
        memset(&cb, 0, sizeof(cb));
        cb.context = &c;
        cb.on_objects = on_objects;
        wbemsink_options o;
        memset(&o, 0, sizeof(o));
        o.mode = modes[m];
        wbemsink *s = NULL;
        assert_hr(wbemsink_create(&cb, &o, &s), S_OK);
        c.release_in_objects = s;
        assert_hr(wbemsink_exec_notification_query(s, &svc.iface, L"SELECT * FROM __InstanceCreationEvent", 0,
                                                   NULL), S_OK);
        /* The test plays WMI: one event. */
        IWbemClassObject *obj = fake_object_create(L"event");
        assert_hr(IWbemObjectSink_Indicate(wbemsink_interface(s), 1, &obj), WBEM_S_NO_ERROR);
        IWbemClassObject_Release(obj);
        assert_int_equal(WaitForSingleObject(svc.cancel_entered, 10000), WAIT_OBJECT_0);
        for (int i = 0; i < 1000 && svc.refs != 1; i++) Sleep(10);   /* the thread let go */
        assert_int_equal(svc.refs, 1);
        assert_int_equal(svc.cancel_calls, 1);
        assert_int_equal(c.objects, 1);
        assert_true(svc.cancel_thread != GetCurrentThreadId());   /* deferred, not ours */
        assert_hr(svc.cancel_apartment_hr, S_OK);
        assert_int_equal(svc.cancel_apartment, APTTYPE_MTA);
        assert_int_equal(svc.cancel_apartment_qualifier, APTTYPEQUALIFIER_NONE);   /* entered, not implicit */
        CloseHandle(svc.cancel_entered);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(deferred_cancel_in_mta, fakes_setup, fakes_teardown),
    };
    return cmocka_run_group_tests_name("cancel_apartment", tests, NULL, NULL);
}
