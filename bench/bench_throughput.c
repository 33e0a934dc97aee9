/* Figure 2: throughput, objects per second end to end (from the first
   Indicate to the consumer having seen the last object), with 1, 2 and 4
   producer threads and batches of 1, 16 and 256 objects per Indicate, for
   each delivery mode, against (a), (b) and (c) on the same objects in the
   same run (interleaved, so drift hits all alike).

   usage: bench_throughput [objects-per-run [repetitions [producers [batch [kind]]]]]
   (producers and batch restrict the run to one configuration, kind to one
   of thread, inline, pull, a, b, c, e.g. for a profile; 0 or absent: all) */
#include "bench.h"
#include <wbemsink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum kind { K_THREAD, K_INLINE, K_PULL, K_A, K_B, K_C, K_COUNT };
static const char *const mode_names[] = {"thread", "inline", "pull"};

typedef struct run {
    enum kind kind;
    int producers, batch;
    size_t per;                   /* objects per producer */
    IWbemClassObject **objs;
    IWbemObjectSink *sink;        /* wbemsink, (a), (b) */
    wbemsink *ws;
    floor_sink *floor;
    HANDLE go;
    LONG64 consumed;              /* by the consumer's work */
    int64_t t_end;
    volatile LONG failures;
} run;

typedef struct producer_arg { run *r; int p; } producer_arg;

static void work(void *ctx, IWbemClassObject *const *objects, LONG count)
{
    (void)objects;
    ((run *)ctx)->consumed += count;
}

static HRESULT on_objects(void *ctx, IWbemClassObject *const *objects, LONG count)
{
    work(ctx, objects, count);
    return S_OK;
}

static void on_complete(void *ctx, HRESULT hr, const wchar_t *param, IWbemClassObject *err)
{
    (void)hr; (void)param; (void)err;
    ((run *)ctx)->t_end = bench_ticks();
}

static DWORD WINAPI producer(void *arg)
{
    producer_arg *pa = arg;
    run *r = pa->r;
    IWbemClassObject **mine = r->objs + (size_t)pa->p * r->per;
    WaitForSingleObject(r->go, INFINITE);
    for (size_t i = 0; i < r->per; i += (size_t)r->batch) {
        LONG k = (LONG)(r->per - i < (size_t)r->batch ? r->per - i : (size_t)r->batch);
        if (r->kind == K_C) {
            floor_produce(r->floor, pa->p, mine + i, k);
        } else if (IWbemObjectSink_Indicate(r->sink, k, mine + i) != WBEM_S_NO_ERROR) {
            InterlockedIncrement(&r->failures);
        }
    }
    return 0;
}

static DWORD WINAPI pull_consumer(void *arg)
{
    run *r = arg;
    IWbemClassObject *o[256];
    ULONG n;
    HRESULT hr;
    while ((hr = wbemsink_next_batch(r->ws, INFINITE, o, 256, &n)) == S_OK) {
        work(r, o, (LONG)n);
        for (ULONG i = 0; i < n; i++) IWbemClassObject_Release(o[i]);
    }
    r->t_end = bench_ticks();
    if (hr != WBEM_S_NO_MORE_DATA) InterlockedIncrement(&r->failures);
    return 0;
}

/* One run; returns objects per second. */
static double one_run(enum kind kind, int producers, int batch, size_t per, bench_objects *objects)
{
    run r = {0};
    r.kind = kind;
    r.producers = producers;
    r.batch = batch;
    r.per = per;
    r.objs = bench_objects_array(objects);
    r.go = CreateEventW(NULL, TRUE, FALSE, NULL);

    ms_sink *ms = NULL;
    list_sink *ls = NULL;
    HANDLE consumer = NULL;
    switch (kind) {
    case K_THREAD: case K_INLINE: case K_PULL: {
        wbemsink_callbacks cb = {0};
        cb.context = &r;
        cb.on_objects = on_objects;
        cb.on_complete = on_complete;
        wbemsink_options opt = {0};
        opt.mode = kind == K_THREAD ? WBEMSINK_MODE_THREAD
                 : kind == K_INLINE ? WBEMSINK_MODE_INLINE : WBEMSINK_MODE_PULL;
        opt.full_policy = WBEMSINK_FULL_WAIT;
        opt.full_wait_ms = INFINITE;     /* never drop: producers wait for room */
        if (FAILED(wbemsink_create(&cb, &opt, &r.ws))) exit(2);
        r.sink = wbemsink_interface(r.ws);
        if (kind == K_PULL) consumer = bench_thread(pull_consumer, &r);
        break;
    }
    case K_A:
        ms = ms_sink_create(work, &r);
        r.sink = ms_sink_iface(ms);
        break;
    case K_B:
        ls = list_sink_create(work, &r, 1);
        r.sink = list_sink_iface(ls);
        break;
    case K_C: {
        IWbemClassObject **bases[4];
        for (int p = 0; p < producers; p++) bases[p] = r.objs + (size_t)p * per;
        r.floor = floor_create(work, &r, producers, (IWbemClassObject **const *)bases);
        break;
    }
    default:
        break;
    }

    HANDLE threads[4];
    producer_arg args[4];
    for (int p = 0; p < producers; p++) {
        args[p].r = &r;
        args[p].p = p;
        threads[p] = bench_thread(producer, &args[p]);
    }
    Sleep(1);                          /* let them reach the starting line */
    int64_t t0 = bench_ticks();
    SetEvent(r.go);
    bench_join(threads, producers);

    switch (kind) {
    case K_THREAD: case K_INLINE: case K_PULL:
        IWbemObjectSink_SetStatus(r.sink, WBEM_STATUS_COMPLETE, S_OK, NULL, NULL);
        if (kind == K_PULL) bench_join(&consumer, 1);
        else wbemsink_wait(r.ws, INFINITE, NULL);
        wbemsink_release(r.ws);
        break;
    case K_A:
        IWbemObjectSink_SetStatus(r.sink, WBEM_STATUS_COMPLETE, S_OK, NULL, NULL);
        r.t_end = bench_ticks();
        ms_sink_release(ms);
        break;
    case K_B:
        IWbemObjectSink_SetStatus(r.sink, WBEM_STATUS_COMPLETE, S_OK, NULL, NULL);
        r.t_end = list_sink_wait(ls);
        list_sink_release(ls);
        break;
    case K_C:
        r.t_end = floor_finish(r.floor);
        floor_free(r.floor);
        break;
    default:
        break;
    }
    CloseHandle(r.go);

    size_t total = per * (size_t)producers;
    size_t bad = bench_objects_unbalanced(objects);
    if ((size_t)r.consumed != total || bad || r.failures) {
        fprintf(stderr, "bench_throughput: kind %d P=%d B=%d: consumed %lld of %zu, %zu unbalanced, %ld failures\n",
                (int)kind, producers, batch, (long long)r.consumed, total, bad, (long)r.failures);
        exit(3);
    }
    return (double)total / bench_seconds(r.t_end - t0);
}

int main(int argc, char **argv)
{
    bench_init();
    size_t total = argc > 1 ? (size_t)atol(argv[1]) : 96000;   /* divisible by 1, 2, 4 */
    int reps = argc > 2 ? atoi(argv[2]) : 5;
    if (reps < 1 || reps > 64) reps = 5;
    int only_p = argc > 3 ? atoi(argv[3]) : 0, only_b = argc > 4 ? atoi(argv[4]) : 0;
    static const char *const kind_names[] = {"thread", "inline", "pull", "a", "b", "c"};
    int only_k = -1;
    for (int k = 0; argc > 5 && k < K_COUNT; k++)
        if (!strcmp(argv[5], kind_names[k])) only_k = k;
    bench_objects *objects = bench_objects_create(total);
    static const int producer_counts[] = {1, 2, 4};
    static const int batches[] = {1, 16, 256};

    for (int pi = 0; pi < 3; pi++) {
        for (int bi = 0; bi < 3; bi++) {
            int P = producer_counts[pi], B = batches[bi];
            if ((only_p && P != only_p) || (only_b && B != only_b)) continue;
            size_t per = total / (size_t)P;
            double v[K_COUNT][64];
            if (only_k >= 0) {
                for (int rep = 0; rep < reps; rep++) v[0][rep] = one_run((enum kind)only_k, P, B, per, objects) / 1e6;
                bench_mmm m = bench_summary(v[0], reps);
                printf("%s, %d producers, batch %d: %.2f [%.2f-%.2f] M/s\n", kind_names[only_k], P, B, m.med, m.min, m.max);
                continue;
            }
            for (int rep = 0; rep < reps; rep++)
                for (int k = 0; k < K_COUNT; k++)
                    v[k][rep] = one_run((enum kind)k, P, B, per, objects) / 1e6;
            bench_mmm m[K_COUNT];
            for (int k = 0; k < K_COUNT; k++) m[k] = bench_summary(v[k], reps);
            char sa[64], sb[64], sc[64];
            bench_fmt(sa, sizeof sa, m[K_A], 2, "M/s");
            bench_fmt(sb, sizeof sb, m[K_B], 2, "M/s");
            bench_fmt(sc, sizeof sc, m[K_C], 2, "M/s");
            for (int k = K_THREAD; k <= K_PULL; k++) {
                char cfg[96], sw[64], ratio[160], verdict[160];
                snprintf(cfg, sizeof cfg, "%s, %d producer%s, batch %d", mode_names[k], P,
                         P > 1 ? "s" : "", B);
                bench_fmt(sw, sizeof sw, m[k], 2, "M/s");
                double vs_b = m[k].med / m[K_B].med, vs_a = m[k].med / m[K_A].med;
                double floor_x = m[K_C].med / m[k].med;
                snprintf(ratio, sizeof ratio, "%.1fx (b), %.2fx (a), (c) %.2fx faster", vs_b, vs_a, floor_x);
                int ok_b = P < 2 || vs_b >= 10.0, ok_a = vs_a >= 1.0, ok_c = floor_x <= 1.5;
                snprintf(verdict, sizeof verdict, "%s%s%s%s", ok_b && ok_a && ok_c ? "met" : "MISSED:",
                         ok_b ? "" : " <10x (b)", ok_a ? "" : " below (a)", ok_c ? "" : " >1.5x from (c)");
                bench_row("2 throughput", cfg, sw, sa, sb, sc, ratio, verdict);
            }
        }
    }
    bench_objects_free(objects);
    return 0;
}
