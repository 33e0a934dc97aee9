/* Figure 4: 1,000 sinks in flight at once (a tool querying many namespaces
   or machines). Two threads play WMI: each owns half the sinks and, round
   after round, Indicates one object to each of its sinks (10 rounds), then
   completes them all; every sink is in flight until the end.

   Measured per kind, from just before the sinks are created:
     threads  threads of the process after creating the sinks, minus before
              (Toolhelp snapshot; the 2 "WMI" threads are not counted)
     memory   commit charge after creating the sinks, minus before
              (thread stacks included), and the heap's share (HeapWalk)
     time     from creating the first sink until every sink completed
   wbemsink runs twice: default options (THREAD-mode sinks share the
   process-wide dispatcher) and all sinks on one wbemsink_dispatcher that
   the caller created. (a) needs no thread, (b) has one
   consumer thread per sink, (c) is one consumer thread for all.

   usage: bench_fanout [sinks [repetitions]] */
#include "bench.h"
#include <wbemsink.h>
#include <stdio.h>
#include <stdlib.h>

enum kind { K_OWN, K_SHARED, K_A, K_B, K_C, K_COUNT };
#define ROUNDS 10
#define PRODUCERS 2

typedef struct fan {
    enum kind kind;
    int sinks;
    IWbemClassObject **objs;          /* producer p uses objs[p * per ...] in order */
    size_t per;
    IWbemObjectSink **iface;
    wbemsink **ws;
    ms_sink **ms;
    list_sink **ls;
    floor_sink *floor;
    HANDLE go, all_done;
    volatile LONG completed;
    int64_t t_end;
    volatile LONG64 consumed;
} fan;

typedef struct producer_arg { fan *f; int p; } producer_arg;

static void work(void *ctx, IWbemClassObject *const *objects, LONG count)
{
    (void)objects;
    InterlockedExchangeAdd64(&((fan *)ctx)->consumed, count);
}

static HRESULT on_objects(void *ctx, IWbemClassObject *const *objects, LONG count)
{
    work(ctx, objects, count);
    return S_OK;
}

static void on_complete(void *ctx, HRESULT hr, const wchar_t *param, IWbemClassObject *err)
{
    fan *f = ctx;
    (void)hr; (void)param; (void)err;
    if (InterlockedIncrement(&f->completed) == f->sinks) {
        f->t_end = bench_ticks();
        SetEvent(f->all_done);
    }
}

static DWORD WINAPI producer(void *arg)
{
    producer_arg *pa = arg;
    fan *f = pa->f;
    IWbemClassObject **mine = f->objs + (size_t)pa->p * f->per;
    size_t used = 0;
    WaitForSingleObject(f->go, INFINITE);
    for (int r = 0; r < ROUNDS; r++) {
        for (int s = pa->p; s < f->sinks; s += PRODUCERS) {
            if (f->kind == K_C) floor_produce(f->floor, pa->p, &mine[used], 1);
            else IWbemObjectSink_Indicate(f->iface[s], 1, &mine[used]);
            used++;
        }
    }
    if (f->kind != K_C)
        for (int s = pa->p; s < f->sinks; s += PRODUCERS)
            IWbemObjectSink_SetStatus(f->iface[s], WBEM_STATUS_COMPLETE, S_OK, NULL, NULL);
    return 0;
}

typedef struct result { double threads, commit_mib, heap_kib, ms; } result;

static result one_run(enum kind kind, int sinks, bench_objects *objects)
{
    fan f = {0};
    f.kind = kind;
    f.sinks = sinks;
    f.objs = bench_objects_array(objects);
    f.per = (size_t)ROUNDS * (size_t)sinks / PRODUCERS;
    f.iface = calloc((size_t)sinks, sizeof(*f.iface));
    f.ws = calloc((size_t)sinks, sizeof(*f.ws));
    f.ms = calloc((size_t)sinks, sizeof(*f.ms));
    f.ls = calloc((size_t)sinks, sizeof(*f.ls));
    f.go = CreateEventW(NULL, TRUE, FALSE, NULL);
    f.all_done = CreateEventW(NULL, TRUE, FALSE, NULL);

    HANDLE threads[PRODUCERS];
    producer_arg args[PRODUCERS];
    for (int p = 0; p < PRODUCERS; p++) {
        args[p].f = &f;
        args[p].p = p;
        threads[p] = bench_thread(producer, &args[p]);
    }
    Sleep(20);

    result res;
    int threads_before = bench_thread_count();
    long long commit_before = bench_private_bytes(), heap_before = bench_heap_bytes();
    int64_t t0 = bench_ticks();
    wbemsink_dispatcher *disp = NULL;
    if (kind == K_SHARED && FAILED(wbemsink_dispatcher_create(&disp))) exit(2);
    if (kind == K_C) {
        IWbemClassObject **bases[PRODUCERS];
        for (int p = 0; p < PRODUCERS; p++) bases[p] = f.objs + (size_t)p * f.per;
        f.floor = floor_create(work, &f, PRODUCERS, (IWbemClassObject **const *)bases);
    }
    for (int s = 0; s < sinks; s++) {
        if (kind == K_OWN || kind == K_SHARED) {
            wbemsink_callbacks cb = {0};
            cb.context = &f;
            cb.on_objects = on_objects;
            cb.on_complete = on_complete;
            wbemsink_options opt = {0};
            opt.mode = WBEMSINK_MODE_THREAD;
            opt.dispatcher = disp;
            if (FAILED(wbemsink_create(&cb, &opt, &f.ws[s]))) {
                fprintf(stderr, "bench_fanout: wbemsink_create failed at sink %d\n", s);
                exit(2);
            }
            f.iface[s] = wbemsink_interface(f.ws[s]);
        } else if (kind == K_A) {
            f.ms[s] = ms_sink_create(work, &f);
            f.iface[s] = ms_sink_iface(f.ms[s]);
        } else if (kind == K_B) {
            f.ls[s] = list_sink_create(work, &f, 1);
            f.iface[s] = list_sink_iface(f.ls[s]);
        }
    }
    int64_t t_created = bench_ticks();
    res.threads = bench_thread_count() - threads_before;
    res.commit_mib = (double)(bench_private_bytes() - commit_before) / 1048576.0;
    res.heap_kib = (double)(bench_heap_bytes() - heap_before) / 1024.0;
    int64_t t_counted = bench_ticks();   /* counting is not part of the fan-out */

    SetEvent(f.go);
    bench_join(threads, PRODUCERS);
    if (kind == K_OWN || kind == K_SHARED) {
        WaitForSingleObject(f.all_done, INFINITE);
    } else if (kind == K_A) {
        f.t_end = bench_ticks();
    } else if (kind == K_B) {
        f.t_end = 0;
        for (int s = 0; s < sinks; s++) {
            int64_t t = list_sink_wait(f.ls[s]);
            if (t > f.t_end) f.t_end = t;
        }
    } else {
        f.t_end = floor_finish(f.floor);
    }
    res.ms = bench_seconds((t_created - t0) + (f.t_end - t_counted)) * 1000.0;

    for (int s = 0; s < sinks; s++) {
        if (f.ws[s]) wbemsink_release(f.ws[s]);
        if (f.ms[s]) ms_sink_release(f.ms[s]);
        if (f.ls[s]) list_sink_release(f.ls[s]);
    }
    if (disp) wbemsink_dispatcher_release(disp);
    if (f.floor) floor_free(f.floor);
    if ((size_t)f.consumed != (size_t)ROUNDS * (size_t)sinks || bench_objects_unbalanced(objects)) {
        fprintf(stderr, "bench_fanout: kind %d consumed %lld or unbalanced\n", (int)kind, (long long)f.consumed);
        exit(3);
    }
    CloseHandle(f.go);
    CloseHandle(f.all_done);
    free(f.iface);
    free(f.ws);
    free(f.ms);
    free(f.ls);
    Sleep(50);   /* let ended threads leave the snapshot */
    return res;
}

int main(int argc, char **argv)
{
    bench_init();
    int sinks = argc > 1 ? atoi(argv[1]) : 1000;
    int reps = argc > 2 ? atoi(argv[2]) : 3;
    if (sinks < 2) sinks = 2;
    sinks -= sinks % PRODUCERS;
    if (reps < 1 || reps > 64) reps = 3;
    bench_objects *objects = bench_objects_create((size_t)sinks * ROUNDS);
    double thr[K_COUNT][64], mib[K_COUNT][64], kib[K_COUNT][64], ms[K_COUNT][64];
    for (int rep = 0; rep < reps; rep++) {
        for (int k = 0; k < K_COUNT; k++) {
            result r = one_run((enum kind)k, sinks, objects);
            thr[k][rep] = r.threads;
            mib[k][rep] = r.commit_mib;
            kib[k][rep] = r.heap_kib;
            ms[k][rep] = r.ms;
        }
    }
    char thr_s[K_COUNT][64], mem_s[K_COUNT][96], ms_s[K_COUNT][64];
    bench_mmm mt[K_COUNT], mm[K_COUNT], mh[K_COUNT], mms[K_COUNT];
    for (int k = 0; k < K_COUNT; k++) {
        mt[k] = bench_summary(thr[k], reps);
        mm[k] = bench_summary(mib[k], reps);
        mh[k] = bench_summary(kib[k], reps);
        mms[k] = bench_summary(ms[k], reps);
        char a[64];
        bench_fmt(thr_s[k], sizeof thr_s[k], mt[k], 0, "");
        snprintf(mem_s[k], sizeof mem_s[k], "%s (heap %.0f KiB)", bench_fmt(a, sizeof a, mm[k], 1, "MiB"),
                 mh[k].med);
        bench_fmt(ms_s[k], sizeof ms_s[k], mms[k], 0, "ms");
    }
    for (int k = K_OWN; k <= K_SHARED; k++) {
        char cfg[128], ratio[96];
        const char *how = k == K_OWN ? "default options (the process-wide dispatcher)" : "one wbemsink_dispatcher of the caller's";
        snprintf(cfg, sizeof cfg, "%d sinks in flight, %s: threads created", sinks, how);
        snprintf(ratio, sizeof ratio, "%.0f beyond the caller's", mt[k].med);
        bench_row("4 fan-out", cfg, thr_s[k], thr_s[K_A], thr_s[K_B], thr_s[K_C], ratio,
                  mt[k].max <= 2 ? "met (<= 2)" : "MISSED: > 2 threads");
        snprintf(cfg, sizeof cfg, "%d sinks in flight, %s: memory (commit)", sinks, how);
        snprintf(ratio, sizeof ratio, "%.0f KiB per sink", mm[k].med * 1024.0 / sinks);
        bench_row("4 fan-out", cfg, mem_s[k], mem_s[K_A], mem_s[K_B], mem_s[K_C], ratio, "-");
        snprintf(cfg, sizeof cfg, "%d sinks in flight, %s: time until all complete", sinks, how);
        snprintf(ratio, sizeof ratio, "%.2fx the time of (a), (b) %.2fx slower", mms[k].med / mms[K_A].med, mms[K_B].med / mms[k].med);
        bench_row("4 fan-out", cfg, ms_s[k], ms_s[K_A], ms_s[K_B], ms_s[K_C], ratio, "-");
    }
    bench_objects_free(objects);
    return 0;
}
