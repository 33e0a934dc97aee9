/* Paced delivery's bound, in every mode (issue 19 §6), against the fake
   enumerator: the objects the enumerator has handed out that the library
   still holds stay within the sink's capacity. Held: not yet given back to
   the caller's code for good, that is on_objects has not returned (THREAD,
   INLINE: the library Releases them after it) or wbemsink_next has not
   returned them (PULL). Measured with capacity 64, batch 16 and a slow
   consumer, so that the enumerator is always ready before the consumer:
   the peak of (rows handed out - rows given back), sampled as each
   on_objects call starts and as it ends (when the queue had all the call's
   time to fill again), and after each slow pull. Through NextAsync and the
   Next fallback. */
#include "test_support.h"
#include "fake_enum.h"
#include <string.h>

#define CAPACITY 64
#define BATCH 16
#define ROWS 960
#define BOUND_MS 20000

typedef struct meter {
    IEnumWbemClassObject *e;
    volatile LONG given;     /* rows given back for good */
    volatile LONG peak;      /* most rows held at once */
    volatile LONG completes;
} meter;

static void sample(meter *m)
{
    LONG held = fake_enum_rows_out(m->e) - InterlockedCompareExchange(&m->given, 0, 0);
    LONG peak;
    while (held > (peak = InterlockedCompareExchange(&m->peak, 0, 0)) &&
           InterlockedCompareExchange(&m->peak, held, peak) != peak) {
    }
}

static HRESULT on_objects(void *ctx, IWbemClassObject *const *objs, LONG count)
{
    meter *m = ctx;
    (void)objs;
    sample(m);
    Sleep(15);   /* slow: the enumerator and the worker are ready long before */
    sample(m);
    InterlockedExchangeAdd(&m->given, count);
    return S_OK;
}

static void on_complete(void *ctx, HRESULT hr, const wchar_t *param, IWbemClassObject *err)
{
    (void)hr;
    (void)param;
    (void)err;
    InterlockedIncrement(&((meter *)ctx)->completes);
}

/* One paced run; returns the peak held. */
static LONG peak_held(wbemsink_mode mode, int next_async)
{
    fake_enum_options eo;
    memset(&eo, 0, sizeof(eo));
    eo.total = ROWS;
    eo.next_async = next_async;
    meter m;
    memset(&m, 0, sizeof(m));
    m.e = fake_enum_create(&eo);
    assert_non_null(m.e);
    wbemsink_callbacks cb;
    memset(&cb, 0, sizeof(cb));
    cb.context = &m;
    cb.on_objects = on_objects;
    cb.on_complete = on_complete;
    wbemsink_options o = opts(mode, CAPACITY, WBEMSINK_FULL_WAIT, 0);
    wbemsink *s;
    assert_hr(wbemsink_create(&cb, &o, &s), S_OK);
    assert_hr(wbemsink_start_paced(s, m.e, BATCH), S_OK);
    if (mode == WBEMSINK_MODE_PULL) {
        IWbemClassObject *got[BATCH];
        ULONG n;
        HRESULT hr;
        while ((hr = wbemsink_next_batch(s, BOUND_MS, got, BATCH, &n)) == S_OK) {
            for (ULONG i = 0; i < n; i++) IWbemClassObject_Release(got[i]);
            InterlockedExchangeAdd(&m.given, (LONG)n);
            Sleep(15);
            sample(&m);
        }
        assert_hr(hr, WBEM_S_NO_MORE_DATA);
    }
    HRESULT final = E_FAIL;
    assert_hr(wbemsink_wait(s, BOUND_MS, &final), S_OK);
    assert_hr(final, S_OK);
    assert_int_equal(m.completes, 1);
    assert_int_equal(m.given, ROWS);
    assert_int_equal(fake_enum_rows_out(m.e), ROWS);
    wbemsink_release(s);
    for (int i = 0; i < BOUND_MS / 5 && fake_enum_refs(m.e) > 1; i++) Sleep(5);
    assert_int_equal(fake_enum_refs(m.e), 1);
    IEnumWbemClassObject_Release(m.e);
    return m.peak;
}

static void bound_held_in_every_mode(void **state)
{
    (void)state;
    static const wbemsink_mode modes[] = { WBEMSINK_MODE_THREAD, WBEMSINK_MODE_INLINE, WBEMSINK_MODE_PULL };
    static const char *names[] = { "THREAD", "INLINE", "PULL" };
    static const int paths[] = { FAKE_ENUM_ASYNC, FAKE_ENUM_NOTIMPL };
    for (int p = 0; p < 2; p++) {
        for (int m = 0; m < 3; m++) {
            LONG peak = peak_held(modes[m], paths[p]);
            print_message("    %s, %s: at most %ld rows held (capacity %d, batch %d)\n", names[m],
                          p ? "Next" : "NextAsync", (long)peak, CAPACITY, BATCH);
            assert_true(peak >= BATCH);      /* the meter saw the queue in use */
            assert_true(peak <= CAPACITY);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(bound_held_in_every_mode, fakes_setup, fakes_teardown),
    };
    return cmocka_run_group_tests_name("paced_bound", tests, NULL, NULL);
}
