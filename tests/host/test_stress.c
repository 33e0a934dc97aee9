/* Stress: 8 producer threads call Indicate with batches of varying size
   (2,000,000 objects in all by default) while another thread cancels, a
   slow consumer runs, and the last references (8 producers' "WMI"
   references, the caller's, the dispatcher's, deferred cancels') are
   dropped in random order. Checked after every round: every object
   Released exactly once by the sink (its count back to the producer's 1,
   never below, never used at 0), delivered at most once and in each
   producer's order, on_complete exactly once (at most once in the rounds
   where the caller releases before completion), no callback after
   wbemsink_release returned, callbacks never concurrent, the library's
   memory back to where it was.

   WS_STRESS_OBJECTS (default 2000000) and WS_STRESS_ROUNDS (default 16)
   change the size; WS_STRESS_SEED the random seed. */
#include "host_test.h"
#include <stdio.h>
#include <stdlib.h>

#define PRODUCERS 8
#define MAX_BATCH 200

typedef struct round_ctx {
    wbemsink *s;
    host_rec *rec;
    IWbemClassObject *pool;
    size_t per_producer;
    long produced;          /* atomic: objects offered so far */
    long finished;          /* atomic: producers done */
    long offered_total;     /* atomic */
    long cancel_at;         /* cancel once produced reaches this (or never) */
    long release_at;        /* early-release rounds: caller releases then */
    long long indicate_calls;
    long bad;               /* atomic: unexpected results seen on other threads */
    uint64_t seed;
} round_ctx;

typedef struct producer_arg {
    round_ctx *rc;
    unsigned index;
} producer_arg;

static void *producer(void *arg)
{
    producer_arg *pa = arg;
    round_ctx *rc = pa->rc;
    uint64_t rnd = rc->seed ^ (0x1234567ull * (pa->index + 1));
    IWbemClassObject *batch[MAX_BATCH];
    IWbemClassObject *mine = rc->pool + pa->index * rc->per_producer;
    size_t done = 0;
    long calls = 0;
    while (done < rc->per_producer) {
        uint64_t x = host_rand(&rnd);
        size_t n;
        switch (x % 8) {
        case 0: n = 1; break;
        case 1: n = 0; break;
        case 2: n = (size_t)(x >> 8) % MAX_BATCH + 1; break;
        default: n = (size_t)(x >> 8) % 32 + 1; break;
        }
        if (n > rc->per_producer - done) n = rc->per_producer - done;
        ws_ptrs(mine, done, n, batch);
        HRESULT hr = host_indicate(rc->s, (LONG)n, batch);
        if (hr != WBEM_S_NO_ERROR && hr != WBEM_E_CALL_CANCELLED && hr != WBEM_E_OUT_OF_MEMORY)
            __atomic_add_fetch(&rc->bad, 1, __ATOMIC_ACQ_REL);
        done += n;
        calls++;
        __atomic_add_fetch(&rc->produced, (long)n, __ATOMIC_ACQ_REL);
        if ((x >> 40) % 64 == 0)
            host_set_status(rc->s, WBEM_STATUS_PROGRESS, (HRESULT)(done & 0xffff), NULL, NULL);
        if ((x >> 40) % 512 == 1) host_set_status(rc->s, 0x40000100, S_OK, L"log", NULL);
    }
    __atomic_add_fetch(&rc->indicate_calls, calls, __ATOMIC_ACQ_REL);
    if (__atomic_add_fetch(&rc->finished, 1, __ATOMIC_ACQ_REL) == PRODUCERS)
        host_set_status(rc->s, WBEM_STATUS_COMPLETE, S_OK, L"done", NULL);
    /* Let go of WMI's reference after a random short delay: the order in
       which the last references go is random. */
    if (host_rand(&rnd) % 2) host_sleep_us((unsigned)(host_rand(&rnd) % 300));
    ws_unref(rc->s);
    return NULL;
}

static void *canceller(void *arg)
{
    round_ctx *rc = arg;
    while (__atomic_load_n(&rc->produced, __ATOMIC_ACQUIRE) < rc->cancel_at &&
           __atomic_load_n(&rc->finished, __ATOMIC_ACQUIRE) < PRODUCERS)
        host_sleep_us(100);
    if (rc->cancel_at <= (long)(rc->per_producer * PRODUCERS)) {
        HRESULT hr = wbemsink_cancel(rc->s, NULL);
        if (hr != S_OK && hr != S_FALSE) __atomic_add_fetch(&rc->bad, 1, __ATOMIC_ACQ_REL);
    }
    ws_unref(rc->s);    /* the canceller held a reference of its own */
    return NULL;
}

static long env_long(const char *name, long def)
{
    const char *v = getenv(name);
    return v && *v ? strtol(v, NULL, 10) : def;
}

static void test_stress(void **state)
{
    (void)state;
    long total = env_long("WS_STRESS_OBJECTS", 2000000);
    long rounds = env_long("WS_STRESS_ROUNDS", 16);
    uint64_t seed = (uint64_t)env_long("WS_STRESS_SEED", 20240601);
    if (rounds < 4) rounds = 4;
    size_t per_producer = (size_t)(total / rounds / PRODUCERS);
    if (per_producer < 1) per_producer = 1;

    wbemsink_dispatcher *shared = NULL;
    long before = host_alloc_live();
    assert_int_equal(wbemsink_dispatcher_create(&shared), S_OK);
    /* Its thread frees its start block once running: let it settle. */
    assert_int_equal(host_alloc_settle(before + 1, 5000), before + 1);

    long long offered = 0, delivered = 0, cancels = 0, early = 0, completes = 0;
    long long indicate_calls = 0, deferred0 = host_deferred_cancels();
    uint64_t rnd = seed, t0 = ws_now_ms();
    for (long round = 0; round < rounds; round++) {
        uint64_t round_t0 = ws_now_ms();
        long base = host_alloc_live();
        long long obj_err = host_object_errors();
        size_t n = per_producer * PRODUCERS;
        IWbemClassObject *pool = host_objects_new(n);
        for (unsigned p = 0; p < PRODUCERS; p++)
            for (size_t i = 0; i < per_producer; i++) {
                pool[p * per_producer + i].producer = p;
                pool[p * per_producer + i].seq = i;
            }
        host_rec rec;
        host_rec_init(&rec);
        rec.check_order = 1;
        rec.slow_every = 7;       /* the slow consumer */
        rec.slow_us = 200;
        if (host_rand(&rnd) % 5 == 0)   /* a callback asks to stop: deferred cancel */
            rec.fail_at_call = (long)(20 + host_rand(&rnd) % 300);

        wbemsink_mode mode = (wbemsink_mode)(round % 4 == 3 ? WBEMSINK_MODE_PULL
                                             : round % 4 == 2 ? WBEMSINK_MODE_INLINE
                                                              : WBEMSINK_MODE_THREAD);
        static const unsigned caps[] = { 64, 1024, 8192 };
        wbemsink_options o;
        memset(&o, 0, sizeof(o));
        o.mode = mode;
        o.capacity = caps[host_rand(&rnd) % 3];
        uint64_t pol = host_rand(&rnd) % 6;
        o.full_policy = pol < 4 ? WBEMSINK_FULL_WAIT : pol == 4 ? WBEMSINK_FULL_DROP_NEWEST
                                                                : WBEMSINK_FULL_FAIL;
        o.full_wait_ms = 2000;
        if (mode == WBEMSINK_MODE_THREAD && round % 2) o.dispatcher = shared;
        wbemsink_callbacks cb = host_rec_callbacks(&rec);
        wbemsink *s = NULL;
        assert_int_equal(wbemsink_create(&cb, &o, &s), S_OK);
        /* no rec.sink: the recorder must not act on the sink here */
        IWbemServices *svc = host_services_new(S_OK);
        wbemsink_bind_services(s, svc);

        round_ctx rc;
        memset(&rc, 0, sizeof(rc));
        rc.s = s;
        rc.rec = &rec;
        rc.pool = pool;
        rc.per_producer = per_producer;
        rc.seed = host_rand(&rnd);
        /* cancel somewhere between 3/4 of the way and never (> n) */
        rc.cancel_at = (long)(n * 3 / 4 + host_rand(&rnd) % (n * 3 / 4 + 1));
        int early_release = host_rand(&rnd) % 4 == 0;
        rc.release_at = early_release ? (long)(n / 2 + host_rand(&rnd) % (n / 2 + 1)) : -1;

        pthread_t th[PRODUCERS], ct;
        producer_arg pa[PRODUCERS];
        for (unsigned p = 0; p < PRODUCERS; p++) {
            ws_addref(s);   /* WMI's reference for this producer */
            pa[p].rc = &rc;
            pa[p].index = p;
            assert_int_equal(pthread_create(&th[p], NULL, producer, &pa[p]), 0);
        }
        ws_addref(s);
        assert_int_equal(pthread_create(&ct, NULL, canceller, &rc), 0);

        long consumed = 0;
        if (early_release) {
            /* Release at a random point; a pull caller consumes meanwhile
               (else WAIT-policy producers would only time out). */
            IWbemClassObject *x;
            while (__atomic_load_n(&rc.produced, __ATOMIC_ACQUIRE) < rc.release_at &&
                   __atomic_load_n(&rc.finished, __ATOMIC_ACQUIRE) < PRODUCERS) {
                if (mode == WBEMSINK_MODE_PULL && wbemsink_next(s, 1, &x) == S_OK) {
                    consumed++;
                    __atomic_add_fetch(&x->delivered, 1, __ATOMIC_ACQ_REL);
                    host_object_release(x);
                } else if (mode != WBEMSINK_MODE_PULL) {
                    host_sleep_us(100);
                }
            }
            host_release(&rec, s);
            early++;
        } else if (mode == WBEMSINK_MODE_PULL) {
            /* The slow consumer is the caller itself. */
            IWbemClassObject *x;
            HRESULT hr;
            uint64_t last_seq[PRODUCERS] = { 0 };
            while ((hr = wbemsink_next(s, 100, &x)) == S_OK || hr == WBEM_S_TIMEDOUT) {
                if (hr != S_OK) continue;
                consumed++;
                assert_true(x->seq >= last_seq[x->producer]);
                last_seq[x->producer] = x->seq + 1;
                __atomic_add_fetch(&x->delivered, 1, __ATOMIC_ACQ_REL);
                host_object_release(x);
                if (consumed % 499 == 0) host_sleep_us(200);
            }
            /* The end: its result, or WBEM_S_NO_MORE_DATA when clean. */
            HRESULT final = 0;
            assert_int_equal(wbemsink_wait(s, 0, &final), S_OK);
            assert_int_equal(hr, FAILED(final) || final == WBEMSINK_S_OBJECTS_DROPPED ? final : WBEM_S_NO_MORE_DATA);
            assert_int_equal(rec.completes, 1);
            host_release(&rec, s);
        } else {
            HRESULT final = 0;
            assert_int_equal(wbemsink_wait(s, INFINITE, &final), S_OK);
            /* Objects dropped for a full queue show in the result. */
            assert_true(final == S_OK || final == WBEM_E_CALL_CANCELLED ||
                        final == WBEMSINK_E_OBJECTS_DROPPED || final == WBEMSINK_S_OBJECTS_DROPPED);
            wbemsink_stats st;
            assert_int_equal(wbemsink_get_stats(s, &st), S_OK);
            if (final == S_OK) assert_int_equal(st.dropped, 0);
            assert_int_equal(rec.completes, 1);
            if (host_rand(&rnd) % 2) host_sleep_us((unsigned)(host_rand(&rnd) % 500));
            host_release(&rec, s);
        }
        for (unsigned p = 0; p < PRODUCERS; p++) pthread_join(th[p], NULL);
        pthread_join(ct, NULL);
        assert_true(host_quiesce(10000));
        long live = host_alloc_settle(base, 10000);
        if (live != base || getenv("WS_STRESS_VERBOSE"))
            printf("stress round %ld: mode %d capacity %u policy %d shared %d early %d cancel_at %ld/%zu "
                   "completes %ld objects %ld live %+ld, %lu ms\n", round, (int)mode, o.capacity,
                   (int)o.full_policy, o.dispatcher != NULL, early_release, rc.cancel_at, n,
                   rec.completes, rec.objects, live - base,
                   (unsigned long)(ws_now_ms() - round_t0));
        assert_int_equal(live, base);

        /* Invariants of the round. */
        assert_int_equal(rc.bad, 0);
        assert_true(rec.completes <= 1);
        if (!early_release) assert_int_equal(rec.completes, 1);
        assert_int_equal(rec.after_release, 0);
        assert_int_equal(rec.concurrent, 0);
        assert_int_equal(rec.out_of_order, 0);
        assert_int_equal(svc->cancels_in_wmi, 0);
        assert_true(svc->cancels <= 1);
        long got = 0;
        for (size_t i = 0; i < n; i++) {
            assert_int_equal(pool[i].ref, 1);        /* every sink reference given back */
            assert_true(pool[i].delivered <= 1);
            got += pool[i].delivered;
        }
        assert_int_equal(got, rec.objects + consumed);
        assert_int_equal(host_object_errors(), obj_err);
        offered += (long long)n;
        delivered += got;
        cancels += svc->cancels;
        completes += rec.completes;
        indicate_calls += rc.indicate_calls;
        assert_int_equal(host_services_release(svc), 0);
        ws_pool_done(pool, n);
    }
    wbemsink_dispatcher_release(shared);
    printf("stress: %ld rounds, %d producers, %lld objects offered in %lld Indicate calls, "
           "%lld delivered, %lld dropped or refused, %lld CancelAsyncCall (%ld deferred), "
           "%lld early releases, %lld on_complete, %.1f s\n",
           rounds, PRODUCERS, offered, indicate_calls, delivered, offered - delivered, cancels,
           host_deferred_cancels() - (long)deferred0, early, completes,
           (double)(ws_now_ms() - t0) / 1000.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        WS_TEST(test_stress),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
