/* Figure 6: paced delivery (issue 13).
   (i) A producer that makes an object every P us (default 1) and a
       THREAD-mode consumer that spends 10 P us on each, capacity 4,096, N
       objects (default 1,000,000):
         paced         wbemsink_start_paced over a light enumerator whose
                       NextAsync produces the batch on its own thread, one
                       Indicate per object (as WMI sends them);
         FULL_WAIT     today's uncontrolled path (ExecQueryAsync's shape: a
                       producer thread Indicates one object at a time) into
                       a sink with WBEMSINK_FULL_WAIT, full_wait_ms INFINITE;
         DROP_NEWEST   the same with WBEMSINK_FULL_DROP_NEWEST.
       Each: peak heap growth (HeapWalk every ms), objects dropped, the
       longest single Indicate on the producer's thread.
   (ii) Throughput with a consumer that does nothing and a producer that
       does nothing but Indicate: paced (batch 64, the default, and 1,024)
       (the default batch, 256 here, and 64) vs the uncontrolled path
       (FULL_WAIT), capacity 4,096.
   (iii) What paced delivery holds, in every mode: capacity 64, batch 16,
       min(N, 20,000) objects, the consumer 10x slower than the producer:
       the peak of objects held at once, handed out by the enumerator (or
       Indicated by the uncontrolled producer) and not yet given back to the
       caller for good (on_objects has not returned; PULL: wbemsink_next
       has not returned them), sampled as each on_objects call starts and
       ends, and after each pull. Paced THREAD, INLINE and PULL against the
       uncontrolled THREAD path with FULL_WAIT (the queue plus the batch
       on_objects works on).

   The enumerator and the objects are the benchmark's own light fakes (the
   tests' fake keeps a registry under a lock, which would dominate).

   The heap is sampled every 10 ms (HeapWalk takes the heap's lock: more
   often, it shows up in the longest Indicate of every path).

   usage: bench_paced [N [repetitions [P_us]]] */
#include "bench.h"
#include <wbemsink.h>
#include <stdio.h>
#include <stdlib.h>

#define CAPACITY 4096u
#define SLOWER 10.0

/* ---- a light enumerator: NextAsync on a provider thread ---------------- */

typedef struct lite_enum {
    IEnumWbemClassObject IEnumWbemClassObject_iface;
    volatile LONG ref;
    IWbemClassObject **objs;
    size_t n, pos;
    double produce_us;
    HANDLE thread;
    SRWLOCK lock;
    CONDITION_VARIABLE wake;  /* a request or quit (no kernel object: a
                                 provider's own cost is not what is measured) */
    int quit;
    IWbemObjectSink *req;
    ULONG req_n;
    int64_t longest;          /* ticks of the longest Indicate */
} lite_enum;

static lite_enum *impl_from_IEnumWbemClassObject(IEnumWbemClassObject *iface)
{
    return (lite_enum *)((char *)iface - offsetof(lite_enum, IEnumWbemClassObject_iface));
}

static HRESULT STDMETHODCALLTYPE le_QueryInterface(IEnumWbemClassObject *iface, REFIID riid, void **out)
{
    if (!out) return E_POINTER;
    *out = NULL;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IEnumWbemClassObject)) {
        *out = iface;
        InterlockedIncrement(&impl_from_IEnumWbemClassObject(iface)->ref);
        return S_OK;
    }
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE le_AddRef(IEnumWbemClassObject *iface)
{
    return (ULONG)InterlockedIncrement(&impl_from_IEnumWbemClassObject(iface)->ref);
}

/* Freed by the benchmark (le_destroy), not by the count. */
static ULONG STDMETHODCALLTYPE le_Release(IEnumWbemClassObject *iface)
{
    return (ULONG)InterlockedDecrement(&impl_from_IEnumWbemClassObject(iface)->ref);
}

static HRESULT STDMETHODCALLTYPE le_Reset(IEnumWbemClassObject *iface)
{
    (void)iface;
    return (HRESULT)WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE le_Next(IEnumWbemClassObject *iface, LONG t, ULONG n, IWbemClassObject **o,
                                         ULONG *got)
{
    (void)iface; (void)t; (void)n; (void)o;
    if (got) *got = 0;
    return (HRESULT)WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE le_NextAsync(IEnumWbemClassObject *iface, ULONG n, IWbemObjectSink *sink)
{
    lite_enum *e = impl_from_IEnumWbemClassObject(iface);
    AcquireSRWLockExclusive(&e->lock);
    if (e->pos >= e->n) {
        ReleaseSRWLockExclusive(&e->lock);
        return (HRESULT)WBEM_S_FALSE;
    }
    IWbemObjectSink_AddRef(sink);
    e->req = sink;
    e->req_n = n;
    ReleaseSRWLockExclusive(&e->lock);
    WakeConditionVariable(&e->wake);
    return (HRESULT)WBEM_S_NO_ERROR;
}

static HRESULT STDMETHODCALLTYPE le_Clone(IEnumWbemClassObject *iface, IEnumWbemClassObject **out)
{
    (void)iface;
    if (out) *out = NULL;
    return (HRESULT)WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE le_Skip(IEnumWbemClassObject *iface, LONG t, ULONG n)
{
    (void)iface; (void)t; (void)n;
    return (HRESULT)WBEM_E_NOT_SUPPORTED;
}

static const IEnumWbemClassObjectVtbl le_vtbl = {
    le_QueryInterface, le_AddRef, le_Release, le_Reset, le_Next, le_NextAsync, le_Clone, le_Skip,
};

static void timed_indicate(IWbemObjectSink *sink, IWbemClassObject **o, int64_t *longest)
{
    int64_t t0 = bench_ticks();
    IWbemObjectSink_Indicate(sink, 1, o);
    int64_t d = bench_ticks() - t0;
    if (d > *longest) *longest = d;
}

static DWORD WINAPI le_provider(void *arg)
{
    lite_enum *e = arg;
    for (;;) {
        AcquireSRWLockExclusive(&e->lock);
        while (!e->req && !e->quit) SleepConditionVariableSRW(&e->wake, &e->lock, INFINITE, 0);
        if (e->quit) {
            ReleaseSRWLockExclusive(&e->lock);
            break;
        }
        IWbemObjectSink *sink = e->req;
        ULONG n = e->req_n;
        size_t first = e->pos, k = e->n - e->pos < n ? e->n - e->pos : n;
        e->pos += k;
        e->req = NULL;
        ReleaseSRWLockExclusive(&e->lock);
        for (size_t i = 0; i < k; i++) {
            if (e->produce_us > 0) bench_spin_us(e->produce_us);
            timed_indicate(sink, e->objs + first + i, &e->longest);
        }
        IWbemObjectSink_SetStatus(sink, WBEM_STATUS_COMPLETE, k < n ? WBEM_S_FALSE : WBEM_S_NO_ERROR, NULL, NULL);
        IWbemObjectSink_Release(sink);
    }
    return 0;
}

static lite_enum *le_create(IWbemClassObject **objs, size_t n, double produce_us)
{
    lite_enum *e = calloc(1, sizeof(*e));
    if (!e) exit(2);
    e->IEnumWbemClassObject_iface.lpVtbl = (IEnumWbemClassObjectVtbl *)&le_vtbl;
    e->ref = 1;
    e->objs = objs;
    e->n = n;
    e->produce_us = produce_us;
    InitializeSRWLock(&e->lock);
    InitializeConditionVariable(&e->wake);
    e->thread = bench_thread(le_provider, e);
    return e;
}

static void le_destroy(lite_enum *e)
{
    while (InterlockedCompareExchange(&e->ref, 0, 0) > 1) Sleep(1);   /* the sink's worker lets go */
    AcquireSRWLockExclusive(&e->lock);
    e->quit = 1;
    ReleaseSRWLockExclusive(&e->lock);
    WakeConditionVariable(&e->wake);
    bench_join(&e->thread, 1);
    free(e);
}

/* ---- one run ------------------------------------------------------------ */

enum path { PACED, FULL_WAIT, DROP_NEWEST };

typedef struct run {
    double consume_us;
    volatile LONG64 consumed;
    volatile LONG sampling;
    long long base, peak;
    IWbemObjectSink *sink;
    IWbemClassObject **objs;
    size_t n;
    double produce_us;
    int64_t longest;
} run;

static HRESULT on_objects(void *ctx, IWbemClassObject *const *objects, LONG count)
{
    run *r = ctx;
    (void)objects;
    if (r->consume_us > 0) bench_spin_us(r->consume_us * count);
    r->consumed += count;
    return S_OK;
}

static DWORD WINAPI sampler(void *arg)
{
    run *r = arg;
    while (r->sampling) {
        long long d = bench_heap_bytes() - r->base;
        if (d > r->peak) r->peak = d;
        Sleep(10);
    }
    return 0;
}

static DWORD WINAPI producer(void *arg)
{
    run *r = arg;
    for (size_t i = 0; i < r->n; i++) {
        if (r->produce_us > 0) bench_spin_us(r->produce_us);
        timed_indicate(r->sink, r->objs + i, &r->longest);
    }
    IWbemObjectSink_SetStatus(r->sink, WBEM_STATUS_COMPLETE, S_OK, NULL, NULL);
    return 0;
}

typedef struct result {
    double seconds, peak_kib, longest_us, dropped, high_water;
} result;

static result one(enum path p, bench_objects *objects, size_t n, double produce_us, double consume_us,
                  ULONG batch, int sample)
{
    run r = { 0 };
    r.consume_us = consume_us;
    r.objs = bench_objects_array(objects);
    r.n = n;
    r.produce_us = produce_us;
    wbemsink_callbacks cb = { 0 };
    cb.context = &r;
    cb.on_objects = on_objects;
    wbemsink_options opt = { 0 };
    opt.mode = WBEMSINK_MODE_THREAD;
    opt.capacity = CAPACITY;
    opt.full_policy = p == DROP_NEWEST ? WBEMSINK_FULL_DROP_NEWEST : WBEMSINK_FULL_WAIT;
    opt.full_wait_ms = INFINITE;
    wbemsink *s;
    if (FAILED(wbemsink_create(&cb, &opt, &s))) exit(2);
    lite_enum *e = NULL;
    HANDLE threads[2];
    int nthreads = 0;
    if (p == PACED) e = le_create(r.objs, n, produce_us);
    Sleep(10);
    r.base = bench_heap_bytes();
    r.sampling = sample;
    if (sample) threads[nthreads++] = bench_thread(sampler, &r);
    int64_t t0 = bench_ticks();
    if (p == PACED) {
        wbemsink_start_paced(s, &e->IEnumWbemClassObject_iface, batch);
    } else {
        r.sink = wbemsink_interface(s);
        threads[nthreads++] = bench_thread(producer, &r);
    }
    HRESULT final = E_FAIL;
    wbemsink_wait(s, INFINITE, &final);
    int64_t t1 = bench_ticks();
    r.sampling = 0;
    bench_join(threads, nthreads);
    wbemsink_stats st;
    wbemsink_get_stats(s, &st);
    result out;
    out.seconds = bench_seconds(t1 - t0);
    out.peak_kib = (double)r.peak / 1024.0;
    out.longest_us = bench_ticks_to_us(p == PACED ? e->longest : r.longest);
    out.dropped = (double)st.dropped;
    out.high_water = st.high_water;
    if (p != DROP_NEWEST && (final != S_OK || st.dropped || (size_t)r.consumed != n)) {
        fprintf(stderr, "bench_paced: path %d: 0x%08lx, %llu dropped, %lld consumed\n", (int)p,
                (unsigned long)final, st.dropped, (long long)r.consumed);
        exit(3);
    }
    wbemsink_release(s);
    if (e) le_destroy(e);
    if (bench_objects_unbalanced(objects)) {
        fprintf(stderr, "bench_paced: references unbalanced\n");
        exit(3);
    }
    return out;
}

/* ---- (iii) what paced delivery holds ------------------------------------ */

#define SMALL_CAPACITY 64u
#define SMALL_BATCH 16u

typedef struct holding {
    lite_enum *e;                 /* paced: the enumerator's position counts */
    IWbemObjectSink *sink;        /* uncontrolled: the producer's Indicates count */
    IWbemClassObject **objs;
    size_t n;
    double produce_us, consume_us;
    volatile LONG64 indicated, given, peak;
} holding;

static LONG64 handed_out(holding *h)
{
    if (!h->e) return InterlockedCompareExchange64(&h->indicated, 0, 0);
    AcquireSRWLockShared(&h->e->lock);
    LONG64 n = (LONG64)h->e->pos;
    ReleaseSRWLockShared(&h->e->lock);
    return n;
}

static void sample_held(holding *h)
{
    LONG64 held = handed_out(h) - InterlockedCompareExchange64(&h->given, 0, 0);
    if (held > h->peak) h->peak = held;   /* one sampler at a time: the consumer */
}

static HRESULT held_on_objects(void *ctx, IWbemClassObject *const *objects, LONG count)
{
    holding *h = ctx;
    (void)objects;
    sample_held(h);
    bench_spin_us(h->consume_us * count);
    sample_held(h);
    InterlockedExchangeAdd64(&h->given, count);
    return S_OK;
}

static DWORD WINAPI held_producer(void *arg)
{
    holding *h = arg;
    for (size_t i = 0; i < h->n; i++) {
        bench_spin_us(h->produce_us);
        InterlockedIncrement64(&h->indicated);
        IWbemObjectSink_Indicate(h->sink, 1, h->objs + i);
    }
    IWbemObjectSink_SetStatus(h->sink, WBEM_STATUS_COMPLETE, S_OK, NULL, NULL);
    return 0;
}

/* The peak held by one run: paced in `mode`, or (paced 0) uncontrolled
   THREAD with FULL_WAIT. */
static double held_peak(int paced, wbemsink_mode mode, bench_objects *objects, size_t n, double produce_us)
{
    holding h = { 0 };
    h.objs = bench_objects_array(objects);
    h.n = n;
    h.produce_us = produce_us;
    h.consume_us = produce_us * SLOWER;
    wbemsink_callbacks cb = { 0 };
    cb.context = &h;
    cb.on_objects = held_on_objects;
    wbemsink_options opt = { 0 };
    opt.mode = mode;
    opt.capacity = SMALL_CAPACITY;
    opt.full_policy = WBEMSINK_FULL_WAIT;
    opt.full_wait_ms = INFINITE;
    wbemsink *s;
    if (FAILED(wbemsink_create(&cb, &opt, &s))) exit(2);
    HANDLE thread = NULL;
    if (paced) {
        h.e = le_create(h.objs, n, produce_us);
        wbemsink_start_paced(s, &h.e->IEnumWbemClassObject_iface, SMALL_BATCH);
    } else {
        h.sink = wbemsink_interface(s);
        thread = bench_thread(held_producer, &h);
    }
    HRESULT final = E_FAIL;
    if (mode == WBEMSINK_MODE_PULL) {
        IWbemClassObject *got[SMALL_BATCH];
        ULONG k;
        HRESULT hr;
        while ((hr = wbemsink_next_batch(s, INFINITE, got, SMALL_BATCH, &k)) == S_OK) {
            for (ULONG i = 0; i < k; i++) IWbemClassObject_Release(got[i]);
            InterlockedExchangeAdd64(&h.given, k);
            bench_spin_us(h.consume_us * k);
            sample_held(&h);
        }
    }
    wbemsink_wait(s, INFINITE, &final);
    if (thread) bench_join(&thread, 1);
    wbemsink_stats st;
    wbemsink_get_stats(s, &st);
    if (final != S_OK || st.dropped || h.given != (LONG64)n) {
        fprintf(stderr, "bench_paced: held, mode %d: 0x%08lx, %llu dropped, %lld given\n", (int)mode,
                (unsigned long)final, st.dropped, (long long)h.given);
        exit(3);
    }
    wbemsink_release(s);
    if (h.e) le_destroy(h.e);
    if (bench_objects_unbalanced(objects)) {
        fprintf(stderr, "bench_paced: references unbalanced\n");
        exit(3);
    }
    return (double)h.peak;
}

int main(int argc, char **argv)
{
    bench_init();
    size_t n = argc > 1 ? (size_t)atol(argv[1]) : 1000000;
    int reps = argc > 2 ? atoi(argv[2]) : 3;
    double produce_us = argc > 3 ? atof(argv[3]) : 1.0;
    if (reps < 1 || reps > 64) reps = 3;
    bench_objects *objects = bench_objects_create(n);

    /* (i) a consumer 10x slower than the producer */
    double peak[3][64], drop[3][64], longest[3][64], hw[3][64];
    for (int rep = 0; rep < reps; rep++)
        for (int p = 0; p < 3; p++) {
            result x = one((enum path)p, objects, n, produce_us, produce_us * SLOWER, 0, 1);
            peak[p][rep] = x.peak_kib;
            drop[p][rep] = x.dropped;
            longest[p][rep] = x.longest_us / 1000.0;
            hw[p][rep] = x.high_water;
        }
    char cell[3][160], cfg[200], ratio[160];
    for (int p = 0; p < 3; p++) {
        char a[64], b[64], c[64];
        bench_fmt(a, sizeof a, bench_summary(peak[p], reps), 0, "KiB peak");
        bench_fmt(b, sizeof b, bench_summary(drop[p], reps), 0, "dropped");
        bench_fmt(c, sizeof c, bench_summary(longest[p], reps), 3, "ms longest Indicate");
        snprintf(cell[p], sizeof cell[p], "%s%s; %s; %s", p == PACED ? "" : p == FULL_WAIT ? "FULL_WAIT: " : "DROP_NEWEST: ",
                 a, b, c);
    }
    bench_mmm lp = bench_summary(longest[PACED], reps), dp = bench_summary(drop[PACED], reps);
    bench_mmm hp = bench_summary(hw[PACED], reps);
    snprintf(cfg, sizeof cfg,
             "paced vs uncontrolled: %zu objects, producer %.1f us/object, consumer %.0fx slower, capacity %u "
             "((a), (b): uncontrolled)", n, produce_us, SLOWER, CAPACITY);
    snprintf(ratio, sizeof ratio, "paced high water %.0f of %u", hp.max, CAPACITY);
    /* DROP_NEWEST's Indicate never waits either: its longest is what the
       scheduler alone costs (a producer preempted inside Indicate). */
    bench_mmm ld = bench_summary(longest[DROP_NEWEST], reps);
    char verdict[200];
    if (dp.max != 0 || hp.max > CAPACITY)
        snprintf(verdict, sizeof verdict, "MISSED: dropped or above the capacity");
    else if (lp.max < 1.0)
        snprintf(verdict, sizeof verdict, "met (0 dropped, bounded, every Indicate < 1 ms)");
    else
        snprintf(verdict, sizeof verdict,
                 "MISSED < 1 ms in %s of the runs (0 dropped, bounded; DROP_NEWEST, which never waits, %.2f ms)",
                 lp.med < 1.0 ? "some" : "most", ld.max);
    bench_row("6 paced", cfg, cell[PACED], cell[FULL_WAIT], cell[DROP_NEWEST], "-", ratio, verdict);

    /* (ii) throughput, fast consumer, fast producer */
    static const ULONG batches[] = { 0, 64 };
    double tp[3][64];
    for (int rep = 0; rep < reps; rep++) {
        for (int b = 0; b < 2; b++)
            tp[b][rep] = (double)n / one(PACED, objects, n, 0, 0, batches[b], 0).seconds / 1e6;
        tp[2][rep] = (double)n / one(FULL_WAIT, objects, n, 0, 0, 0, 0).seconds / 1e6;
    }
    bench_mmm t64 = bench_summary(tp[0], reps), t1k = bench_summary(tp[1], reps), tu = bench_summary(tp[2], reps);
    char c64[64], c1k[64], cu[80], both[160];
    bench_fmt(c64, sizeof c64, t64, 2, "M/s");
    bench_fmt(c1k, sizeof c1k, t1k, 2, "M/s");
    bench_fmt(cu, sizeof cu, tu, 2, "M/s");
    snprintf(both, sizeof both, "default batch (256): %s; batch 64: %s", c64, c1k);
    char uncontrolled[100];
    snprintf(uncontrolled, sizeof uncontrolled, "uncontrolled: %s", cu);
    snprintf(cfg, sizeof cfg, "paced throughput, fast consumer, %zu objects, capacity %u ((a): uncontrolled, FULL_WAIT)",
             n, CAPACITY);
    /* Time of the paced run over the uncontrolled one's (above 1: slower). */
    double r64 = tu.med / t64.med, r1k = tu.med / t1k.med, worst = r64;   /* the default's */
    snprintf(ratio, sizeof ratio, "paced time / uncontrolled: default batch %.2fx, batch 64 %.2fx", r64, r1k);
    bench_row("6 paced", cfg, both, uncontrolled, "-", "-", ratio,
              worst <= 1.5 ? "met (within 1.5x)" : "MISSED: > 1.5x");

    /* (iii) what is held at once, capacity 64, batch 16 */
    size_t small = n < 20000 ? n : 20000;
    static const wbemsink_mode hmodes[] = { WBEMSINK_MODE_THREAD, WBEMSINK_MODE_INLINE, WBEMSINK_MODE_PULL };
    double held[4][64];
    for (int rep = 0; rep < reps; rep++) {
        for (int m = 0; m < 3; m++) held[m][rep] = held_peak(1, hmodes[m], objects, small, produce_us);
        held[3][rep] = held_peak(0, WBEMSINK_MODE_THREAD, objects, small, produce_us);
    }
    char hc[4][64], pacedcell[220], uncell[100];
    double worst_held = 0;
    for (int m = 0; m < 4; m++) {
        bench_mmm x = bench_summary(held[m], reps);
        bench_fmt(hc[m], sizeof hc[m], x, 0, "held");
        if (m < 3 && x.max > worst_held) worst_held = x.max;
    }
    snprintf(pacedcell, sizeof pacedcell, "THREAD %s; INLINE %s; PULL %s", hc[0], hc[1], hc[2]);
    snprintf(uncell, sizeof uncell, "FULL_WAIT (THREAD): %s", hc[3]);
    snprintf(cfg, sizeof cfg,
             "objects held at once (handed out, not given back), %zu objects, capacity %u, batch %u, "
             "consumer %.0fx slower ((a): uncontrolled)", small, SMALL_CAPACITY, SMALL_BATCH, SLOWER);
    snprintf(ratio, sizeof ratio, "paced peak / capacity: %.2f", worst_held / SMALL_CAPACITY);
    bench_row("6 paced", cfg, pacedcell, uncell, "-", "-", ratio,
              worst_held <= SMALL_CAPACITY ? "met (within the capacity in every mode)"
                                           : "MISSED: above the capacity");
    bench_objects_free(objects);
    return 0;
}
