#include "test_support.h"
#include <string.h>

void recorder_init(recorder *r)
{
    memset(r, 0, sizeof(*r));
    InitializeCriticalSection(&r->lock);
    r->last_index = -1;
    r->objects_result = WBEM_E_FAILED;
}

void recorder_free(recorder *r)
{
    if (r->kept_error) IWbemClassObject_Release(r->kept_error);
    r->kept_error = NULL;
    DeleteCriticalSection(&r->lock);
}

static ev *add(recorder *r, ev_kind kind, HRESULT hr, const wchar_t *param, IWbemClassObject *obj)
{
    ev *e = r->n < REC_MAX_EVENTS ? &r->events[r->n] : NULL;
    r->n += r->n < REC_MAX_EVENTS;
    if (!e) return NULL;
    memset(e, 0, sizeof(*e));
    e->kind = kind;
    e->hr = hr;
    e->thread = GetCurrentThreadId();
    e->has_param = param != NULL;
    e->has_object = obj != NULL;
    if (param) {
        wcsncpy(e->param, param, 63);
        e->param[63] = 0;
    }
    return e;
}

static void enter(recorder *r)
{
    EnterCriticalSection(&r->lock);
    if (++r->concurrent > r->max_concurrent) r->max_concurrent = r->concurrent;
}

static void leave(recorder *r)
{
    r->concurrent--;
    LeaveCriticalSection(&r->lock);
}

static HRESULT on_objects(void *ctx, IWbemClassObject *const *objs, LONG count)
{
    recorder *r = ctx;
    enter(r);
    ev *e = add(r, EV_OBJECTS, S_OK, NULL, NULL);
    if (e) e->count = count;
    r->objects += count;
    for (LONG i = 0; i < count; i++) {
        LONG idx = fake_object_index(objs[i]);
        if (fake_object_refs(objs[i]) < 1) r->unheld++;   /* the sink must hold it */
        if (idx <= r->last_index) r->out_of_order++;
        r->last_index = idx;
    }
    int calls = 0;
    for (int i = 0; i < r->n && i < REC_MAX_EVENTS; i++) calls += r->events[i].kind == EV_OBJECTS;
    HRESULT hr = r->fail_after && calls >= r->fail_after ? r->objects_result : S_OK;
    leave(r);
    if (r->sleep_ms) Sleep(r->sleep_ms);
    if (r->hold && !r->held++) WaitForSingleObject(r->hold, 10000);
    if (r->cancel_in_objects && *r->cancel_in_objects)
        r->inner_cancel_hr = wbemsink_cancel(*r->cancel_in_objects, r->cancel_services);
    if (r->release_in_objects && *r->release_in_objects) {
        wbemsink_release(*r->release_in_objects);
        *r->release_in_objects = NULL;
        r->objects_at_release = r->objects;
    }
    return hr;
}

static void on_progress(void *ctx, unsigned current, unsigned total, const wchar_t *msg)
{
    recorder *r = ctx;
    enter(r);
    ev *e = add(r, EV_PROGRESS, S_OK, msg, NULL);
    if (e) {
        e->current = current;
        e->total = total;
    }
    leave(r);
}

static void on_requirements(void *ctx, HRESULT hr, const wchar_t *param, IWbemClassObject *obj)
{
    recorder *r = ctx;
    enter(r);
    add(r, EV_REQUIREMENTS, hr, param, obj);
    leave(r);
}

static void on_other(void *ctx, LONG flags, HRESULT hr, const wchar_t *param, IWbemClassObject *obj)
{
    recorder *r = ctx;
    enter(r);
    ev *e = add(r, EV_OTHER, hr, param, obj);
    if (e) e->flags = flags;
    leave(r);
}

static void on_complete(void *ctx, HRESULT hr, const wchar_t *param, IWbemClassObject *err)
{
    recorder *r = ctx;
    enter(r);
    add(r, EV_COMPLETE, hr, param, err);
    r->completes++;
    if (err && !r->kept_error) {
        IWbemClassObject_AddRef(err);
        r->kept_error = err;
    }
    leave(r);
    if (r->release_on_complete && *r->release_on_complete) {
        r->inner_wait_hr = wbemsink_wait(*r->release_on_complete, 0, NULL);
        wbemsink_release(*r->release_on_complete);
        *r->release_on_complete = NULL;
    }
}

wbemsink_callbacks recorder_callbacks(recorder *r)
{
    wbemsink_callbacks cb;
    memset(&cb, 0, sizeof(cb));
    cb.context = r;
    cb.on_objects = on_objects;
    cb.on_progress = on_progress;
    cb.on_requirements = on_requirements;
    cb.on_other_status = on_other;
    cb.on_complete = on_complete;
    return cb;
}

wbemsink *recorded_sink(recorder *r, const wbemsink_options *o)
{
    recorder_init(r);
    wbemsink_callbacks cb = recorder_callbacks(r);
    wbemsink *s = NULL;
    assert_hr(wbemsink_create(&cb, o, &s), S_OK);
    return s;
}

int recorder_find(recorder *r, ev_kind kind)
{
    for (int i = 0; i < r->n && i < REC_MAX_EVENTS; i++)
        if (r->events[i].kind == kind) return i;
    return -1;
}

void assert_fakes_balanced(void)
{
    assert_int_equal(fake_objects_live(), 0);
    assert_int_equal(fake_objects_over_released(), 0);
    assert_int_equal(fake_objects_resurrected(), 0);
}

int fakes_setup(void **state)
{
    (void)state;
    fake_objects_reset();
    return 0;
}

int fakes_teardown(void **state)
{
    (void)state;
    assert_fakes_balanced();
    fake_objects_reset();
    return 0;
}

ULONG sink_refs(wbemsink *s)
{
    IWbemObjectSink *i = wbemsink_interface(s);
    IWbemObjectSink_AddRef(i);
    return IWbemObjectSink_Release(i);
}

ULONG settled_sink_refs(wbemsink *s)
{
    ULONG refs = sink_refs(s);
    for (int i = 0; i < 1000 && refs > 1; i++) {
        Sleep(5);
        refs = sink_refs(s);
    }
    return refs;
}

wbemsink_options opts(wbemsink_mode mode, unsigned capacity, wbemsink_full_policy policy,
                      unsigned wait_ms)
{
    wbemsink_options o;
    memset(&o, 0, sizeof(o));
    o.mode = mode;
    o.capacity = capacity;
    o.full_policy = policy;
    o.full_wait_ms = wait_ms;
    return o;
}

static const char *name_of(HRESULT hr)
{
    const char *n = wbemsink_hresult_name(hr);
    return n ? n : "?";
}

void assert_hr_impl(HRESULT actual, HRESULT expected, const char *expr, const char *file, int line)
{
    if (actual == expected) return;
    print_error("%s is %s (0x%08lX), expected %s (0x%08lX)\n", expr, name_of(actual),
                (unsigned long)actual, name_of(expected), (unsigned long)expected);
    _fail(file, line);
}

IWbemServices *play(wbemsink *s, const fake_step *steps, int threads)
{
    IWbemServices *svc = fake_services_create();
    assert_non_null(svc);
    fake_services_script(svc, steps, threads);
    BSTR lang = SysAllocString(L"WQL"), q = SysAllocString(L"SELECT * FROM Fake");
    HRESULT hr = IWbemServices_ExecQueryAsync(svc, lang, q, 0, NULL, wbemsink_interface(s));
    SysFreeString(lang);
    SysFreeString(q);
    assert_hr(hr, WBEM_S_NO_ERROR);
    return svc;
}

void make_objects(IWbemClassObject **objs, int n)
{
    for (int i = 0; i < n; i++) assert_non_null(objs[i] = fake_object_create(L"t"));
}

void release_objects(IWbemClassObject **objs, int n)
{
    for (int i = 0; i < n; i++) IWbemClassObject_Release(objs[i]);
}

/* ---- the platform ---- */

typedef const char *(CDECL *wine_get_version_fn)(void);

static wine_get_version_fn wine_version_fn(void)
{
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    return ntdll ? (wine_get_version_fn)(void (*)(void))GetProcAddress(ntdll, "wine_get_version") : NULL;
}

int test_is_wine(void)
{
    return wine_version_fn() != NULL;
}

void test_print_platform(void)
{
    static volatile LONG printed;
    if (InterlockedExchange(&printed, 1)) return;
    wine_get_version_fn f = wine_version_fn();
    if (f)
        print_message("platform: Wine %s (wine_get_version): Wine's assertions\n", f());
    else
        print_message("platform: Windows (no wine_get_version): the documented assertions\n");
}
