/* Figure 3: memory.
   (i) Per queued object: a PULL sink nobody pulls from is given N objects;
       the heap grows by (HeapWalk, busy blocks with their overhead, before
       and after) / N. (b) the same with its consumer not started. (a) and
       (c) keep no queue.
   (ii) Peak when producers outrun the consumer: 2 producers Indicate
       `peak_objects` objects in batches of 16 into a THREAD sink of capacity
       4,096 (full policy WAIT) whose consumer spends 2 us per object; a
       sampler thread walks the heap every millisecond and keeps the largest
       growth over the start. Same producers and consumer for (a), (b), (c).

   usage: bench_memory [N [peak_objects [repetitions]]] */
#include "bench.h"
#include <wbemsink.h>
#include <stdio.h>
#include <stdlib.h>

enum kind { K_WS, K_A, K_B, K_C, K_COUNT };
#define PEAK_CAPACITY 4096u
#define PEAK_BATCH 16
#define PRODUCERS 2

/* ---- (i) per queued object ------------------------------------------ */

static double per_object(enum kind kind, bench_objects *objects, size_t n)
{
    IWbemClassObject **objs = bench_objects_array(objects);
    wbemsink *ws = NULL;
    list_sink *ls = NULL;
    IWbemObjectSink *sink;
    if (kind == K_WS) {
        wbemsink_options opt = {0};
        opt.mode = WBEMSINK_MODE_PULL;
        opt.capacity = WBEMSINK_MAX_CAPACITY;
        if (FAILED(wbemsink_create(NULL, &opt, &ws))) exit(2);
        sink = wbemsink_interface(ws);
    } else {
        ls = list_sink_create(NULL, NULL, 0);
        sink = list_sink_iface(ls);
    }
    long long before = bench_heap_bytes();
    for (size_t i = 0; i < n; i += 16) {
        LONG k = (LONG)(n - i < 16 ? n - i : 16);
        IWbemObjectSink_Indicate(sink, k, objs + i);
    }
    long long after = bench_heap_bytes();
    if (kind == K_WS) {
        wbemsink_stats st;
        wbemsink_get_stats(ws, &st);
        if (st.queued != n) fprintf(stderr, "bench_memory: %u queued of %zu\n", st.queued, n);
        wbemsink_release(ws);
    } else {
        list_sink_release(ls);
    }
    if (bench_objects_unbalanced(objects)) {
        fprintf(stderr, "bench_memory: references unbalanced\n");
        exit(3);
    }
    return (double)(after - before) / (double)n;
}

/* ---- (ii) peak -------------------------------------------------------- */

typedef struct peak_run {
    enum kind kind;
    IWbemClassObject **objs;
    size_t per;
    IWbemObjectSink *sink;
    floor_sink *floor;
    HANDLE go;
    volatile LONG sampling;
    long long base, peak;
    LONG64 consumed;
} peak_run;

typedef struct producer_arg { peak_run *r; int p; } producer_arg;

static void slow_work(void *ctx, IWbemClassObject *const *objects, LONG count)
{
    (void)objects;
    bench_spin_us(2.0 * count);
    ((peak_run *)ctx)->consumed += count;
}

static HRESULT on_objects(void *ctx, IWbemClassObject *const *objects, LONG count)
{
    slow_work(ctx, objects, count);
    return S_OK;
}

static DWORD WINAPI producer(void *arg)
{
    producer_arg *pa = arg;
    peak_run *r = pa->r;
    IWbemClassObject **mine = r->objs + (size_t)pa->p * r->per;
    WaitForSingleObject(r->go, INFINITE);
    for (size_t i = 0; i < r->per; i += PEAK_BATCH) {
        LONG k = (LONG)(r->per - i < PEAK_BATCH ? r->per - i : PEAK_BATCH);
        if (r->kind == K_C) floor_produce(r->floor, pa->p, mine + i, k);
        else IWbemObjectSink_Indicate(r->sink, k, mine + i);
    }
    return 0;
}

static DWORD WINAPI sampler(void *arg)
{
    peak_run *r = arg;
    while (r->sampling) {
        long long d = bench_heap_bytes() - r->base;
        if (d > r->peak) r->peak = d;
        Sleep(1);
    }
    return 0;
}

/* Returns the peak heap growth in bytes; *high_water gets wbemsink's. */
static long long peak_memory(enum kind kind, bench_objects *objects, size_t total, unsigned *high_water)
{
    peak_run r = {0};
    r.kind = kind;
    r.objs = bench_objects_array(objects);
    r.per = total / PRODUCERS;
    r.go = CreateEventW(NULL, TRUE, FALSE, NULL);
    wbemsink *ws = NULL;
    ms_sink *ms = NULL;
    list_sink *ls = NULL;
    if (kind == K_WS) {
        wbemsink_callbacks cb = {0};
        cb.context = &r;
        cb.on_objects = on_objects;
        wbemsink_options opt = {0};
        opt.mode = WBEMSINK_MODE_THREAD;
        opt.capacity = PEAK_CAPACITY;
        opt.full_policy = WBEMSINK_FULL_WAIT;
        opt.full_wait_ms = INFINITE;
        if (FAILED(wbemsink_create(&cb, &opt, &ws))) exit(2);
        r.sink = wbemsink_interface(ws);
    } else if (kind == K_A) {
        ms = ms_sink_create(slow_work, &r);
        r.sink = ms_sink_iface(ms);
    } else if (kind == K_B) {
        ls = list_sink_create(slow_work, &r, 1);
        r.sink = list_sink_iface(ls);
    } else {
        IWbemClassObject **bases[PRODUCERS];
        for (int p = 0; p < PRODUCERS; p++) bases[p] = r.objs + (size_t)p * r.per;
        r.floor = floor_create(slow_work, &r, PRODUCERS, (IWbemClassObject **const *)bases);
    }
    HANDLE threads[PRODUCERS + 1];
    producer_arg args[PRODUCERS];
    for (int p = 0; p < PRODUCERS; p++) {
        args[p].r = &r;
        args[p].p = p;
        threads[p] = bench_thread(producer, &args[p]);
    }
    Sleep(10);
    r.base = bench_heap_bytes();
    r.sampling = 1;
    HANDLE samp = bench_thread(sampler, &r);
    SetEvent(r.go);
    bench_join(threads, PRODUCERS);
    if (kind == K_WS) {
        IWbemObjectSink_SetStatus(r.sink, WBEM_STATUS_COMPLETE, S_OK, NULL, NULL);
        wbemsink_wait(ws, INFINITE, NULL);
    } else if (kind == K_B) {
        IWbemObjectSink_SetStatus(r.sink, WBEM_STATUS_COMPLETE, S_OK, NULL, NULL);
        list_sink_wait(ls);
    } else if (kind == K_C) {
        floor_finish(r.floor);
    }
    r.sampling = 0;
    bench_join(&samp, 1);
    *high_water = 0;
    if (kind == K_WS) {
        wbemsink_stats st;
        wbemsink_get_stats(ws, &st);
        *high_water = st.high_water;
        if (st.dropped) fprintf(stderr, "bench_memory: %llu dropped\n", st.dropped);
        wbemsink_release(ws);
    } else if (kind == K_A) {
        ms_sink_release(ms);
    } else if (kind == K_B) {
        list_sink_release(ls);
    } else {
        floor_free(r.floor);
    }
    CloseHandle(r.go);
    if ((size_t)r.consumed != r.per * PRODUCERS || bench_objects_unbalanced(objects)) {
        fprintf(stderr, "bench_memory: kind %d consumed %lld of %zu or unbalanced\n", (int)kind,
                (long long)r.consumed, r.per * PRODUCERS);
        exit(3);
    }
    return r.peak;
}

int main(int argc, char **argv)
{
    bench_init();
    size_t n = argc > 1 ? (size_t)atol(argv[1]) : 100000;
    size_t peak_objects = argc > 2 ? (size_t)atol(argv[2]) : 100000;
    int reps = argc > 3 ? atoi(argv[3]) : 3;
    if (reps < 1 || reps > 64) reps = 3;
    bench_objects *objects = bench_objects_create(n > peak_objects ? n : peak_objects);

    /* N as given, and the worst case of a queue that doubles: one object
       past a power of two. */
    size_t sizes[2] = {n, 65537};
    char cw[64], cb[64], cfg[160], ratio[96];
    for (int si = 0; si < 2; si++) {
        if (sizes[si] > n) break;
        double per[2][64];
        for (int rep = 0; rep < reps; rep++) {
            per[0][rep] = per_object(K_WS, objects, sizes[si]);
            per[1][rep] = per_object(K_B, objects, sizes[si]);
        }
        bench_mmm mw = bench_summary(per[0], reps), mb = bench_summary(per[1], reps);
        bench_fmt(cw, sizeof cw, mw, 2, "B");
        bench_fmt(cb, sizeof cb, mb, 2, "B");
        snprintf(cfg, sizeof cfg, "heap per queued object, %zu queued%s (pull, nobody pulls)", sizes[si],
                 si ? " = worst case, 2^16 + 1" : "");
        snprintf(ratio, sizeof ratio, "%.2fx less than (b)", mb.med / mw.med);
        bench_row("3 memory", cfg, cw, "0 (keeps nothing)", cb, "0 (no queue)", ratio,
                  mw.max <= 16.01 ? "met (<= 16 B; the heap block header adds < 0.01 B)" : "MISSED: > 16 B");
    }

    double pk[K_COUNT][64], hw[64];
    for (int rep = 0; rep < reps; rep++) {
        for (int k = 0; k < K_COUNT; k++) {
            unsigned h;
            pk[k][rep] = (double)peak_memory((enum kind)k, objects, peak_objects, &h) / 1024.0;
            if (k == K_WS) hw[rep] = h;
        }
    }
    char cell[K_COUNT][64];
    bench_mmm m[K_COUNT];
    for (int k = 0; k < K_COUNT; k++) {
        m[k] = bench_summary(pk[k], reps);
        bench_fmt(cell[k], sizeof cell[k], m[k], 1, "KiB");
    }
    bench_mmm mh = bench_summary(hw, reps);
    snprintf(cfg, sizeof cfg, "peak heap growth, %d producers outrun a 2 us/object consumer, %zu objects, capacity %u",
             PRODUCERS, peak_objects, PEAK_CAPACITY);
    snprintf(ratio, sizeof ratio, "high water %.0f objects; %.1fx less than (b)", mh.med, m[K_B].med / m[K_WS].med);
    bench_row("3 memory", cfg, cell[K_WS], cell[K_A], cell[K_B], cell[K_C], ratio,
              m[K_WS].max <= 16.0 * PEAK_CAPACITY / 1024.0 + 4.0 ? "bounded by the capacity"
                                                                : "MISSED: above 16 B x capacity");
    bench_objects_free(objects);
    return 0;
}
