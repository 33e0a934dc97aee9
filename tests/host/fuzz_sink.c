/* libFuzzer target: random sequences of Indicate / SetStatus (any flags,
   any HRESULT) / cancel / next / wait / stats / release from three threads
   against one sink, checked against the contract:
   - every object the sink AddRef'd is Released exactly once (counts back
     to the test's 1, never below, never AddRef'd at 0);
   - on_complete at most once, last; callbacks never concurrent;
   - no callback after wbemsink_release returned;
   - received == delivered + dropped + queued once WMI's calls returned;
   - the library's memory back to where it was.
   A violation abort()s, which libFuzzer records as a crash.

   Input: 6 header bytes (mode, capacity, policy, options, cancel result,
   callback behaviour), then records of 6 bytes: [thread][op][a][b][c][d].
   Thread 0 is the caller (owns the sink's first reference and releases
   it); threads 1 and 2 are "WMI" and hold references of their own. */
#include "host_port.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NTHREADS 3
#define POOL 32
#define REC 6

#define CHECK(c)                                                                   \
    do {                                                                           \
        if (!(c)) {                                                                \
            fprintf(stderr, "fuzz_sink: invariant failed: %s (line %d)\n", #c, __LINE__); \
            abort();                                                               \
        }                                                                          \
    } while (0)

typedef struct fz {
    wbemsink *s;
    const uint8_t *ops;
    size_t nops;
    IWbemClassObject *pool;
    IWbemServices *svc;
    uint8_t behaviour;
    wbemsink_mode mode;
    /* atomics */
    long inside, concurrent, completes, after_release, released, owner_ref;
    long callbacks_after_complete;
    long object_calls, cancel_in_cb_left;
} fz;

static void enter(fz *f)
{
    if (__atomic_add_fetch(&f->inside, 1, __ATOMIC_ACQ_REL) > 1)
        __atomic_add_fetch(&f->concurrent, 1, __ATOMIC_ACQ_REL);
    if (__atomic_load_n(&f->released, __ATOMIC_ACQUIRE))
        __atomic_add_fetch(&f->after_release, 1, __ATOMIC_ACQ_REL);
    if (__atomic_load_n(&f->completes, __ATOMIC_ACQUIRE))
        __atomic_add_fetch(&f->callbacks_after_complete, 1, __ATOMIC_ACQ_REL);
}

static void leave(fz *f) { __atomic_sub_fetch(&f->inside, 1, __ATOMIC_ACQ_REL); }

/* Gives back the caller's reference, once, whoever asks first. */
static void owner_release(fz *f)
{
    if (__atomic_exchange_n(&f->owner_ref, 0, __ATOMIC_ACQ_REL)) {
        wbemsink_release(f->s);
        __atomic_store_n(&f->released, 1, __ATOMIC_RELEASE);
    }
}

static HRESULT cb_objects(void *ctx, IWbemClassObject *const *objs, LONG n)
{
    fz *f = ctx;
    enter(f);
    CHECK(n > 0 && n <= 256);
    /* borrowed for the call: alive (the sink's reference, or WMI's own in
       INLINE mode's direct hand-off, where the sink keeps none) */
    for (LONG i = 0; i < n; i++) CHECK(__atomic_load_n(&objs[i]->ref, __ATOMIC_ACQUIRE) >= 1);
    long calls = __atomic_add_fetch(&f->object_calls, 1, __ATOMIC_ACQ_REL);
    HRESULT hr = S_OK;
    if ((f->behaviour & 1) && calls % 3 == 0) hr = E_FAIL;          /* asks to stop */
    if ((f->behaviour & 2) && __atomic_exchange_n(&f->cancel_in_cb_left, 0, __ATOMIC_ACQ_REL)) {
        CHECK(wbemsink_wait(f->s, 0, NULL) == WBEMSINK_E_IN_CALLBACK);
        HRESULT c = wbemsink_cancel(f->s, (f->behaviour & 4) ? f->svc : NULL);
        CHECK(c == S_OK || c == S_FALSE || c == E_OUTOFMEMORY);
    }
    leave(f);
    return hr;
}

static void cb_progress(void *ctx, unsigned cur, unsigned total, const wchar_t *msg)
{
    fz *f = ctx;
    (void)msg;
    enter(f);
    CHECK(cur <= 0xffff && total <= 0xffff);
    leave(f);
}

static void cb_requirements(void *ctx, HRESULT hr, const wchar_t *param, IWbemClassObject *o)
{
    fz *f = ctx;
    (void)hr;
    (void)param;
    enter(f);
    if (o) CHECK(__atomic_load_n(&o->ref, __ATOMIC_ACQUIRE) >= 2);
    leave(f);
}

static void cb_other(void *ctx, LONG flags, HRESULT hr, const wchar_t *param, IWbemClassObject *o)
{
    fz *f = ctx;
    (void)hr;
    (void)param;
    enter(f);
    CHECK(flags != WBEM_STATUS_COMPLETE && flags != WBEM_STATUS_PROGRESS &&
          flags != WBEM_STATUS_REQUIREMENTS);
    if (o) CHECK(__atomic_load_n(&o->ref, __ATOMIC_ACQUIRE) >= 2);
    leave(f);
}

static void cb_complete(void *ctx, HRESULT hr, const wchar_t *param, IWbemClassObject *err)
{
    fz *f = ctx;
    (void)hr;
    enter(f);
    if (param) CHECK(wcslen(param) < 64);
    if (err) CHECK(__atomic_load_n(&err->ref, __ATOMIC_ACQUIRE) >= 2);
    CHECK(__atomic_add_fetch(&f->completes, 1, __ATOMIC_ACQ_REL) == 1);
    if (f->mode == WBEMSINK_MODE_PULL) {
        IWbemClassObject *o = NULL;
        CHECK(wbemsink_next(f->s, 0, &o) == WBEMSINK_E_IN_CALLBACK);
    }
    leave(f);
    if (f->behaviour & 8) owner_release(f);   /* release from inside on_complete */
}

static HRESULT pick_hr(uint8_t b, uint8_t c, uint8_t d)
{
    static const HRESULT common[] = { S_OK, S_FALSE, WBEM_E_FAILED, WBEM_E_CALL_CANCELLED,
                                      E_OUTOFMEMORY, (HRESULT)0x80000000L, -1, 0x7fffffff };
    if (b & 0x80) return (HRESULT)((uint32_t)b << 24 | (uint32_t)c << 16 | (uint32_t)d << 8 | b);
    return common[b % 8];
}

static void run_op(fz *f, int thread, const uint8_t *r)
{
    uint8_t op = r[1] % 12, a = r[2], b = r[3], c = r[4], d = r[5];
    wbemsink *s = f->s;
    IWbemClassObject *objs[9];
    switch (op) {
    case 0: case 1: case 2: {          /* Indicate */
        LONG n = a % 9;
        for (LONG i = 0; i < n; i++) objs[i] = &f->pool[(b + i * (c | 1)) % POOL];
        HRESULT hr;
        switch (d % 16) {
        case 0: if (n) objs[c % n] = NULL; hr = host_indicate(s, n, objs); break;
        case 1: hr = host_indicate(s, -(LONG)(a + 1), objs); break;
        case 2: hr = host_indicate(s, n ? n : 1, NULL); break;
        case 3: hr = host_indicate(s, (LONG)0x80000000u, NULL); break;
        default: hr = host_indicate(s, n, objs); break;
        }
        CHECK(hr == WBEM_S_NO_ERROR || hr == WBEM_E_CALL_CANCELLED || hr == WBEM_E_OUT_OF_MEMORY ||
              hr == WBEM_E_INVALID_PARAMETER);
        break;
    }
    case 3: case 4: {                  /* SetStatus, known or any flags */
        LONG flags;
        if (op == 3) flags = a % 3;
        else flags = (LONG)((uint32_t)a << 24 | (uint32_t)(b ^ c) << 8 | (uint32_t)(a % 5));
        const wchar_t *param = (c & 1) ? L"Win32_Thing.Name=\"x\"" : NULL;
        IWbemClassObject *o = (c & 2) ? &f->pool[d % POOL] : NULL;
        HRESULT hr = host_set_status(s, flags, pick_hr(b, c, d), param, o);
        CHECK(hr == WBEM_S_NO_ERROR || hr == WBEM_E_CALL_CANCELLED || hr == WBEM_E_OUT_OF_MEMORY);
        break;
    }
    case 5: {                          /* cancel */
        HRESULT hr = wbemsink_cancel(s, (a & 1) ? f->svc : NULL);
        CHECK(hr == S_OK || hr == S_FALSE || hr == f->svc->cancel_hr || hr == E_OUTOFMEMORY);
        break;
    }
    case 6: {                          /* next */
        IWbemClassObject *o = (IWbemClassObject *)1;
        HRESULT hr = wbemsink_next(s, a % 3 == 0 ? 1 : 0, &o);
        if (f->mode != WBEMSINK_MODE_PULL) {
            CHECK(hr == WBEMSINK_E_WRONG_MODE && o == NULL);
        } else if (hr == S_OK) {
            CHECK(o && __atomic_load_n(&o->ref, __ATOMIC_ACQUIRE) >= 2);
            host_object_release(o);
        } else {
            CHECK(o == NULL);
            /* Else the end: WBEM_S_NO_MORE_DATA for a clean one, or the
               operation's result (a failure, or dropped objects). */
            CHECK(hr == WBEM_S_TIMEDOUT || hr == WBEM_S_NO_MORE_DATA || FAILED(hr) ||
                  hr == WBEMSINK_S_OBJECTS_DROPPED);
            if (hr != WBEM_S_TIMEDOUT) CHECK(wbemsink_wait(s, 0, NULL) == S_OK);
        }
        break;
    }
    case 7: {                          /* wait */
        HRESULT final = 0;
        HRESULT hr = wbemsink_wait(s, a % 3 == 0 ? 1 : 0, &final);
        CHECK(hr == S_OK || hr == WBEM_S_TIMEDOUT);
        break;
    }
    case 8: {                          /* stats */
        wbemsink_stats st;
        CHECK(wbemsink_get_stats(s, &st) == S_OK);
        CHECK(st.delivered + st.dropped + st.queued <= st.received);
        CHECK(st.queued <= s->opt.capacity && st.high_water <= s->opt.capacity);
        break;
    }
    case 9:                            /* release: the caller's, once */
        if (thread == 0) owner_release(f);
        break;
    case 10: {                         /* allocation failure, a few calls ahead */
        if (a % 4 == 0) host_alloc_fail_nth(1 + b % 4);
        break;
    }
    default:
        if (a % 4 == 0) host_sleep_us(a % 50);
        break;
    }
}

typedef struct thread_arg { fz *f; int index; } thread_arg;

static void *thread_main(void *p)
{
    thread_arg *ta = p;
    fz *f = ta->f;
    /* When on_complete may give back the caller's reference, the caller's
       thread must not use the sink meanwhile (the reference is no longer
       its own): its records are skipped, the WMI threads (which hold
       references) still call everything. */
    if (ta->index == 0 && (f->behaviour & 8)) return NULL;
    for (size_t i = 0; i < f->nops; i++) {
        const uint8_t *r = f->ops + i * REC;
        if (r[0] % NTHREADS != ta->index) continue;
        /* The caller does nothing more once its reference is gone. */
        if (ta->index == 0 && !__atomic_load_n(&f->owner_ref, __ATOMIC_ACQUIRE)) break;
        run_op(f, ta->index, r);
    }
    if (ta->index != 0) ws_unref(f->s);   /* WMI lets go */
    return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 6) return 0;
    static const unsigned caps[] = { 0, 1, 2, 3, 4, 8, 16, 256 };
    long base = host_alloc_live();
    long long obj_err = host_object_errors();

    fz f;
    memset(&f, 0, sizeof(f));
    f.mode = (wbemsink_mode)(data[0] % 3);
    f.behaviour = data[5];
    f.ops = data + 6;
    f.nops = (size - 6) / REC;
    if (f.nops > 256) f.nops = 256;
    f.pool = host_objects_new(POOL);
    f.svc = host_services_new((data[4] & 1) ? WBEM_E_FAILED : S_OK);
    f.cancel_in_cb_left = 1;

    wbemsink_options o;
    memset(&o, 0, sizeof(o));
    o.mode = f.mode;
    o.capacity = caps[data[1] % 8];
    o.full_policy = (wbemsink_full_policy)(data[2] % 3);
    o.full_wait_ms = 1 + data[2] % 3;
    wbemsink_dispatcher *shared = NULL;
    if (f.mode == WBEMSINK_MODE_THREAD && (data[3] & 1)) {
        CHECK(wbemsink_dispatcher_create(&shared) == S_OK);
        o.dispatcher = shared;
    }
    wbemsink_callbacks cb;
    memset(&cb, 0, sizeof(cb));
    cb.context = &f;
    cb.on_objects = cb_objects;
    cb.on_progress = cb_progress;
    cb.on_requirements = cb_requirements;
    cb.on_other_status = cb_other;
    cb.on_complete = cb_complete;
    CHECK(wbemsink_create(&cb, &o, &f.s) == S_OK);
    if (shared && (data[3] & 2)) {
        wbemsink_dispatcher_release(shared);   /* the sink keeps it */
        shared = NULL;
    }
    f.owner_ref = 1;
    if (data[3] & 4) CHECK(wbemsink_bind_services(f.s, f.svc) == S_OK);

    pthread_t th[NTHREADS];
    thread_arg ta[NTHREADS];
    for (int i = 1; i < NTHREADS; i++) ws_addref(f.s);   /* WMI's references, before
                                                           the caller may release */
    /* The harness's own reference: in THREAD mode on_complete (and with it
       a release of the caller's reference) may run on the dispatcher while
       this thread checks the books below. In the other modes callbacks run
       only on threads that call into the sink, so once the threads are
       joined this thread is the caller alone and gives it back first (that
       way wbemsink_next below may meet a release from on_complete with the
       caller's reference the last one). */
    ws_addref(f.s);
    for (int i = 0; i < NTHREADS; i++) {
        ta[i].f = &f;
        ta[i].index = i;
        CHECK(pthread_create(&th[i], NULL, thread_main, &ta[i]) == 0);
    }
    /* The caller's thread ends first or last: random release order. */
    for (int i = 0; i < NTHREADS; i++) pthread_join(th[i], NULL);
    host_alloc_fail_nth(0);
    if (f.mode != WBEMSINK_MODE_THREAD) ws_unref(f.s);

    if (__atomic_load_n(&f.owner_ref, __ATOMIC_ACQUIRE)) {
        /* WMI's calls have all returned: the books must balance. */
        wbemsink_stats st;
        CHECK(wbemsink_get_stats(f.s, &st) == S_OK);
        CHECK(st.delivered + st.dropped + st.queued == st.received);
        if (f.mode == WBEMSINK_MODE_PULL) {
            IWbemClassObject *x;
            while (wbemsink_next(f.s, 0, &x) == S_OK) host_object_release(x);
        }
        owner_release(&f);
    }
    if (f.mode == WBEMSINK_MODE_THREAD) ws_unref(f.s);
    if (shared) wbemsink_dispatcher_release(shared);
    CHECK(host_quiesce(10000));
    CHECK(host_alloc_settle(base, 10000) == base);
    CHECK(f.after_release == 0);
    CHECK(f.concurrent == 0);
    CHECK(f.completes <= 1);
    CHECK(f.callbacks_after_complete == 0);
    CHECK(f.svc->cancels_in_wmi == 0);
    CHECK(host_object_errors() == obj_err);
    for (int i = 0; i < POOL; i++) CHECK(f.pool[i].ref == 1);
    for (int i = 0; i < POOL; i++) host_object_release(&f.pool[i]);
    host_objects_free(f.pool);
    CHECK(host_services_release(f.svc) == 0);
    return 0;
}
