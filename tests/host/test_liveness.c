/* Liveness on the host, under ASan/UBSan and TSan: an object Indicate
   accepts is delivered on its own, without a later Indicate, SetStatus or
   cancel to kick the sink. The twin of tests/test_liveness.c (read its
   comments for the why): a producer thread, standing for WMI, sends ONE
   object and waits (bounded) until the consumer has it before sending the
   next, many thousands of times, in every mode; the COMPLETE comes only
   after the last object arrived, so it cannot hide a stranded one.

   Only the public API and host_port.h's WMI side (host_indicate,
   host_set_status, the counting objects). WBEMSINK_LIVENESS_ROUNDS changes
   the number of rounds per mode; WBEMSINK_LIVENESS_TEST=name runs only that
   test. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "host_port.h"
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* More rounds than under Wine: a round trip costs about a microsecond here
   when the two threads run side by side, and the window a scheduling bug
   leaves is reached less often per round (with the dispatcher clearing its
   mark after the drain, 400,000 rounds caught it in every run on two busy
   cores, 100,000 in three runs of four). 5 to 15 s under the sanitizers. */
#define DEFAULT_ROUNDS 300000
/* How long one object may take to arrive: only a stranded one gets there. */
#define ARRIVAL_MS 5000
/* Spin-waits before the producer sleeps. */
#define POLL_ROUNDS 20000
/* Longest pause before an Indicate, in spin-waits. */
#define SWEEP 64

typedef struct live {
    wbemsink *sink;
    IWbemClassObject *obj;        /* the one object sent over and over */
    long rounds;
    atomic_long arrived;          /* objects the consumer got */
    atomic_int producer_asleep;   /* the producer waits on `cond` */
    pthread_mutex_t mutex;
    pthread_cond_t cond;          /* CLOCK_MONOTONIC */
    /* verdicts, read by the test's thread after joining */
    long stuck_at;                /* index that did not arrive in time, or -1 */
    HRESULT bad_hr;               /* a failed Indicate, or what wbemsink_next said */
    long bad_at;
    long pull_stuck_at;
    HRESULT pull_end_hr;          /* the wbemsink_next after COMPLETE */
    atomic_int completes;
    HRESULT complete_hr;
    /* PULL with several consumers: `per_round` objects sent (one Indicate
       each) before the producer waits for them, so that wake-ups meant for
       one puller can be taken by another. */
    int pullers, per_round;
    atomic_int stop;              /* the producer gave up: pullers leave */
    HRESULT puller_end_hr[4];
} live;

static void spin_once(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#else
    atomic_signal_fence(memory_order_seq_cst);
#endif
}

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* The consumer's side: counts, and wakes the producer only if it sleeps, so
   the usual round trip has no system call on the producer's side. */
static void arrived(live *l, long n)
{
    atomic_fetch_add(&l->arrived, n);
    if (atomic_load(&l->producer_asleep)) {
        pthread_mutex_lock(&l->mutex);
        pthread_cond_signal(&l->cond);
        pthread_mutex_unlock(&l->mutex);
    }
}

static HRESULT on_objects(void *ctx, IWbemClassObject *const *objects, LONG count)
{
    (void)objects;
    arrived(ctx, count);
    return S_OK;
}

static void on_complete(void *ctx, HRESULT hr, const wchar_t *param, IWbemClassObject *err)
{
    live *l = ctx;
    (void)param;
    (void)err;
    l->complete_hr = hr;
    atomic_fetch_add(&l->completes, 1);
}

/* Polls first (the next Indicate must be able to follow an arrival within
   a fraction of a microsecond, where scheduling races live), then sleeps;
   ARRIVAL_MS in all. */
static int wait_arrived(live *l, long want)
{
    for (int i = 0; i < POLL_ROUNDS; i++) {
        if (atomic_load(&l->arrived) >= want) return 1;
        spin_once();
    }
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += ARRIVAL_MS / 1000;
    atomic_store(&l->producer_asleep, 1);
    pthread_mutex_lock(&l->mutex);
    int ok = 1;
    /* Checked after announcing the sleep: an arrival before it is seen
       here, one after it signals under the mutex. */
    while (atomic_load(&l->arrived) < want) {
        if (pthread_cond_timedwait(&l->cond, &l->mutex, &deadline) != 0 &&
            atomic_load(&l->arrived) < want) {
            ok = 0;
            break;
        }
    }
    pthread_mutex_unlock(&l->mutex);
    atomic_store(&l->producer_asleep, 0);
    return ok;
}

/* Every other round sends at once; the others sweep a pause of 0..SWEEP-1
   spin-waits, so the next Indicate lands at every point of the consumer's
   way back to idle (see tests/test_liveness.c). */
static void pause_before_next(long round)
{
    for (long i = round & 1 ? (round / 2) % SWEEP : 0; i > 0; i--) spin_once();
}

static void *producer(void *arg)
{
    live *l = arg;
    for (long i = 0; i < l->rounds; i += l->per_round) {
        pause_before_next(i);
        for (int k = 0; k < l->per_round; k++) {
            HRESULT hr = host_indicate(l->sink, 1, &l->obj);
            if (FAILED(hr)) {
                l->bad_hr = hr;
                l->bad_at = i + k;
                atomic_store(&l->stop, 1);
                return NULL;
            }
        }
        if (!wait_arrived(l, i + l->per_round)) {
            l->stuck_at = i;
            atomic_store(&l->stop, 1);
            return NULL;
        }
    }
    return NULL;
}

/* PULL's consumer: takes each object as soon as it is there. */
static void *puller(void *arg)
{
    live *l = arg;
    for (long i = 0; i < l->rounds; i++) {
        IWbemClassObject *o = NULL;
        HRESULT hr = wbemsink_next(l->sink, ARRIVAL_MS, &o);
        if (hr != S_OK || !o) {
            l->pull_stuck_at = i;
            if (hr != WBEM_S_TIMEDOUT) l->bad_hr = hr;
            return NULL;
        }
        IWbemClassObject_Release(o);
        arrived(l, 1);
    }
    IWbemClassObject *o = NULL;
    l->pull_end_hr = wbemsink_next(l->sink, 10000, &o);   /* on_complete runs in here */
    if (o) IWbemClassObject_Release(o);
    return NULL;
}

/* One of several PULL consumers. Each takes one object of a round and then
   stays away until the round is complete, so the round's other object can
   only reach a puller asleep in wbemsink_next: if that one's wake-up was
   swallowed, the object is stranded and the producer says so (its waits in
   next are long for that reason: a timeout must not rescue it). */
static void wait_round_complete(live *l, long mine)
{
    long target = (mine + l->per_round - 1) / l->per_round * l->per_round;
    uint64_t deadline = now_ms() + 2 * ARRIVAL_MS;
    while (atomic_load(&l->arrived) < target && !atomic_load(&l->stop) && now_ms() < deadline) {
        for (int i = 0; i < 64; i++) spin_once();
        sched_yield();
    }
}

typedef struct puller_arg {
    live *l;
    int id;
} puller_arg;

static void *one_of_pullers(void *arg)
{
    puller_arg *a = arg;
    live *l = a->l;
    while (atomic_load(&l->arrived) < l->rounds && !atomic_load(&l->stop)) {
        IWbemClassObject *o = NULL;
        HRESULT hr = wbemsink_next(l->sink, 2 * ARRIVAL_MS, &o);
        if (hr == WBEM_S_TIMEDOUT) continue;
        if (hr == WBEM_S_NO_MORE_DATA && atomic_load(&l->arrived) == l->rounds) {
            l->puller_end_hr[a->id] = hr;   /* the last object went to another puller, then the end */
            return NULL;
        }
        if (hr != S_OK || !o) {
            l->bad_hr = hr;
            atomic_store(&l->stop, 1);
            return NULL;
        }
        IWbemClassObject_Release(o);
        long mine = atomic_fetch_add(&l->arrived, 1) + 1;
        arrived(l, 0);   /* wakes the producer if it sleeps */
        wait_round_complete(l, mine);
    }
    IWbemClassObject *o = NULL;
    /* All of them asleep in here when COMPLETE comes: it must wake each. */
    l->puller_end_hr[a->id] = atomic_load(&l->stop) ? S_OK : wbemsink_next(l->sink, 10000, &o);
    if (o) IWbemClassObject_Release(o);
    return NULL;
}

static long rounds_wanted(void)
{
    const char *env = getenv("WBEMSINK_LIVENESS_ROUNDS");
    long n = env ? strtol(env, NULL, 10) : 0;
    return n > 0 ? n : DEFAULT_ROUNDS;
}

static void run_mode_with(const char *mode_name, wbemsink_mode mode, int private_dispatcher,
                          int pullers)
{
    live l;
    memset(&l, 0, sizeof(l));
    l.rounds = rounds_wanted();
    l.pullers = pullers;
    l.per_round = pullers;
    if (pullers > 1) l.rounds = (l.rounds / 4) & ~1L;   /* several threads on one lock: slower */
    atomic_init(&l.stop, 0);
    l.stuck_at = l.pull_stuck_at = l.bad_at = -1;
    atomic_init(&l.arrived, 0);
    atomic_init(&l.producer_asleep, 0);
    atomic_init(&l.completes, 0);
    pthread_mutex_init(&l.mutex, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&l.cond, &ca);
    pthread_condattr_destroy(&ca);
    IWbemClassObject *pool = host_objects_new(1);
    l.obj = &pool[0];
    host_object_counts before;
    host_object_counts_get(&before);

    wbemsink_options o;
    memset(&o, 0, sizeof(o));
    o.mode = mode;
    wbemsink_dispatcher *d = NULL;
    if (private_dispatcher) {
        assert_int_equal(wbemsink_dispatcher_create(&d), S_OK);
        o.dispatcher = d;
    }
    wbemsink_callbacks cb;
    memset(&cb, 0, sizeof(cb));
    cb.context = &l;
    cb.on_objects = on_objects;
    cb.on_complete = on_complete;
    assert_int_equal(wbemsink_create(&cb, &o, &l.sink), S_OK);
    if (d) wbemsink_dispatcher_release(d);   /* the sink holds its own */

    uint64_t t0 = now_ms();
    pthread_t prod, pull, many[4];
    puller_arg args[4];
    int pulling = mode == WBEMSINK_MODE_PULL && pullers == 1;
    if (pulling) assert_int_equal(pthread_create(&pull, NULL, puller, &l), 0);
    for (int i = 0; i < pullers && pullers > 1; i++) {
        args[i].l = &l;
        args[i].id = i;
        assert_int_equal(pthread_create(&many[i], NULL, one_of_pullers, &args[i]), 0);
    }
    assert_int_equal(pthread_create(&prod, NULL, producer, &l), 0);
    /* The producer's waits are bounded, so this join is too. */
    pthread_join(prod, NULL);

    if (l.stuck_at >= 0 || l.bad_at >= 0) {
        char msg[320];
        wbemsink_stats st;
        if (pulling) pthread_join(pull, NULL);   /* its wait is bounded too */
        for (int i = 0; i < pullers && pullers > 1; i++) pthread_join(many[i], NULL);   /* told to stop */
        wbemsink_get_stats(l.sink, &st);
        if (l.bad_at >= 0)
            snprintf(msg, sizeof msg, "%s: Indicate of object %ld failed: 0x%08lX", mode_name,
                     l.bad_at, (unsigned long)(uint32_t)l.bad_hr);
        else
            snprintf(msg, sizeof msg,
                     "%s: object %ld of %ld did not arrive within %d ms with nothing sent "
                     "after it (received %llu, delivered %llu, queued %u)",
                     mode_name, l.stuck_at, l.rounds, ARRIVAL_MS,
                     (unsigned long long)st.received, (unsigned long long)st.delivered, st.queued);
        wbemsink_release(l.sink);   /* no callback, so nothing touches `l` after this */
        fail_msg("%s", msg);
    }
    assert_int_equal(atomic_load(&l.arrived), l.rounds);

    assert_int_equal(host_set_status(l.sink, WBEM_STATUS_COMPLETE, S_OK, NULL, NULL), WBEM_S_NO_ERROR);
    if (pulling) {
        pthread_join(pull, NULL);
        assert_int_equal(l.pull_stuck_at, -1);
        assert_int_equal(l.pull_end_hr, WBEM_S_NO_MORE_DATA);
    }
    for (int i = 0; i < pullers && pullers > 1; i++) {
        pthread_join(many[i], NULL);
        assert_int_equal(l.puller_end_hr[i], WBEM_S_NO_MORE_DATA);
    }
    assert_int_equal(l.bad_hr, S_OK);
    HRESULT final = E_FAIL;
    assert_int_equal(wbemsink_wait(l.sink, 10000, &final), S_OK);
    assert_int_equal(final, S_OK);
    uint64_t ms = now_ms() - t0;
    assert_int_equal(atomic_load(&l.completes), 1);
    assert_int_equal(l.complete_hr, S_OK);
    wbemsink_stats st;
    assert_int_equal(wbemsink_get_stats(l.sink, &st), S_OK);
    assert_int_equal(st.received, (unsigned long long)l.rounds);
    assert_int_equal(st.delivered, (unsigned long long)l.rounds);
    assert_int_equal(st.dropped, 0);
    assert_int_equal(st.queued, 0);
    wbemsink_release(l.sink);

    /* Every AddRef the sink made was given back, none twice; the object is
       back to the producer's single reference. The dispatcher may let go of
       it a moment after on_complete: poll, bounded. */
    host_object_counts after;
    uint64_t deadline = now_ms() + 5000;
    for (;;) {
        host_object_counts_get(&after);
        if (after.addrefs - before.addrefs == after.releases - before.releases || now_ms() > deadline)
            break;
        nanosleep(&(struct timespec){ 0, 500000 }, NULL);
    }
    /* INLINE hands WMI's array over borrowed, without an AddRef; the
       queueing modes take one per object. */
    assert_int_equal(after.addrefs - before.addrefs, after.releases - before.releases);
    if (mode != WBEMSINK_MODE_INLINE) assert_int_equal(after.addrefs - before.addrefs, l.rounds);
    assert_int_equal(after.over_release, before.over_release);
    assert_int_equal(after.use_after_zero, before.use_after_zero);
    assert_int_equal(after.bad_object, before.bad_object);
    assert_int_equal(__atomic_load_n(&pool[0].ref, __ATOMIC_ACQUIRE), 1);
    IWbemClassObject_Release(l.obj);   /* the producer's */
    host_objects_free(pool);
    pthread_cond_destroy(&l.cond);
    pthread_mutex_destroy(&l.mutex);
    print_message("    %s: %ld objects %s at a time in %llu ms\n", mode_name, l.rounds,
                  l.per_round > 1 ? "two" : "one",
                  (unsigned long long)ms);
}

static void run_mode(const char *mode_name, wbemsink_mode mode, int private_dispatcher)
{
    run_mode_with(mode_name, mode, private_dispatcher, 1);
}

static void liveness_thread_shared(void **state)
{
    (void)state;
    run_mode("THREAD (shared dispatcher)", WBEMSINK_MODE_THREAD, 0);
}

static void liveness_thread_private(void **state)
{
    (void)state;
    run_mode("THREAD (private dispatcher)", WBEMSINK_MODE_THREAD, 1);
}

static void liveness_inline(void **state)
{
    (void)state;
    run_mode("INLINE", WBEMSINK_MODE_INLINE, 0);
}

static void liveness_pull(void **state)
{
    (void)state;
    run_mode("PULL", WBEMSINK_MODE_PULL, 0);
}

/* Two consumers in wbemsink_next at once, two objects sent per round, one
   for each: a puller resets the shared wake-up event before it looks at the
   queue, so one that takes a single object must pass on a wake-up it may
   have swallowed for the other (src/core/deliver.c, next_many). */
static void liveness_pull_two_pullers(void **state)
{
    (void)state;
    run_mode_with("PULL (two pullers)", WBEMSINK_MODE_PULL, 0, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(liveness_thread_shared),
        cmocka_unit_test(liveness_thread_private),
        cmocka_unit_test(liveness_inline),
        cmocka_unit_test(liveness_pull),
        cmocka_unit_test(liveness_pull_two_pullers),
    };
    /* One test by name, e.g. to run the two-puller one many times. */
    if (getenv("WBEMSINK_LIVENESS_TEST")) cmocka_set_test_filter(getenv("WBEMSINK_LIVENESS_TEST"));
    return cmocka_run_group_tests_name("host_liveness", tests, NULL, NULL);
}
