/*
 * bench_fleet.c - figure 7: one query on many hosts (issue 21).
 *
 *   bench_fleet [hosts] [reps] [dead_ms]   (default 1000 hosts, 1 repetition,
 *                                           a dead host's ConnectServer 5000 ms)
 *
 * Simulated hosts (the fake locator of tests/fake, registered in this
 * process): connect + answer latency drawn uniformly from 50-500 ms (a
 * third of it connecting), 5 rows each; 5% dead: ConnectServer hangs and
 * gives up only after dead_ms (default 5 s; a real DCOM transport takes
 * about 20 s; see bench/README.md for what that changes). Throttle K = 32, connect
 * deadline 1 s.
 *
 *   wbemsink       wbemsink_fanout_start, wall time to on_complete;
 *   (a) serial     one host after another: the sum of the hosts' times
 *                  (computed from the latencies, not run: ~2 min);
 *   (b) thread/host a thread per host, each wbemsink_connect with the
 *                  same deadline, a sink, wbemsink_wait: run;
 *   (c) ideal      max(sum of the hosts' times / K, the longest), a dead
 *                  host's time being its connect deadline; also the
 *                  in-order schedule (K slots taking the hosts in order as
 *                  soon as one is free), the best any throttle that starts
 *                  hosts in the given order can do.
 *
 * Peak threads are sampled every 10 ms: the process's, and the library's
 * (threads whose start address lies in wbemsink.dll: NtQueryInformation-
 * Thread's Win32 start address). Peak commit is the process's private
 * bytes; memory per host in flight = (peak - before) / K.
 * Goals (issue 21): wall time within 1.2x of the ideal; at most K + 2
 * threads of the library's.
 */
#include "bench.h"
#include "wbemsink.h"
#include "fake_locator.h"

#include <psapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <tlhelp32.h>
#include <winternl.h>

#define K 32
#define CONNECT_DEADLINE_MS 1000
static unsigned dead_hang_ms = 5000;   /* argument 3 */

/* ---- counting the library's threads ------------------------------------ */

typedef LONG(NTAPI *query_thread_fn)(HANDLE, int, void *, ULONG, ULONG *);
static query_thread_fn query_thread;
static uintptr_t lib_lo, lib_hi;

static void lib_range(void)
{
    HMODULE m = GetModuleHandleW(L"wbemsink.dll");
    MODULEINFO mi;
    if (!m) m = GetModuleHandleW(NULL);   /* a static build: the program itself */
    if (GetModuleInformation(GetCurrentProcess(), m, &mi, sizeof mi)) {
        lib_lo = (uintptr_t)mi.lpBaseOfDll;
        lib_hi = lib_lo + mi.SizeOfImage;
    }
    query_thread = (query_thread_fn)(void (*)(void))GetProcAddress(GetModuleHandleW(L"ntdll.dll"),
                                                                     "NtQueryInformationThread");
}

/* Threads of this process, and those that started in the library (a
   Toolhelp snapshot and a query per thread: a few ms, so sampled). */
static void count_threads(int *all, int *lib)
{
    DWORD pid = GetCurrentProcessId();
    HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0);
    THREADENTRY32 te;
    *all = *lib = 0;
    if (snap == INVALID_HANDLE_VALUE) return;
    te.dwSize = sizeof te;
    for (BOOL ok = Thread32First(snap, &te); ok; ok = Thread32Next(snap, &te)) {
        if (te.th32OwnerProcessID != pid) continue;
        (*all)++;
        HANDLE t = OpenThread(THREAD_QUERY_INFORMATION, FALSE, te.th32ThreadID);
        void *start = NULL;
        /* 9: ThreadQuerySetWin32StartAddress */
        if (t && query_thread && query_thread(t, 9, &start, sizeof start, NULL) == 0 &&
            (uintptr_t)start >= lib_lo && (uintptr_t)start < lib_hi)
            (*lib)++;
        if (t) CloseHandle(t);
    }
    CloseHandle(snap);
}

typedef struct sampler {
    volatile LONG stop;
    int peak_all, peak_lib;
    long long peak_commit;
    HANDLE thread;
} sampler;

static DWORD WINAPI sample(void *p)
{
    sampler *s = p;
    while (!s->stop) {
        int all, lib;
        count_threads(&all, &lib);
        /* Not the heap here: HeapWalk holds each heap's lock while it walks,
           and walking every few ms stalls every allocation of the run
           (the in-flight snapshot measures the heap instead). */
        long long commit = bench_private_bytes();
        if (all > s->peak_all) s->peak_all = all;
        if (lib > s->peak_lib) s->peak_lib = lib;
        if (commit > s->peak_commit) s->peak_commit = commit;
        Sleep(10);
    }
    return 0;
}

static void sampler_start(sampler *s)
{
    memset(s, 0, sizeof *s);
    s->thread = bench_thread(sample, s);
}

static void sampler_stop(sampler *s)
{
    s->stop = 1;
    bench_join(&s->thread, 1);
}

/* ---- the fleet ------------------------------------------------------- */

static unsigned seed = 7;
static unsigned rnd(void)
{
    seed = seed * 1103515245u + 12345u;
    return (seed >> 16) & 0x7fff;
}

typedef struct fleet {
    size_t n;
    wchar_t (*names)[16];
    fake_host *hosts;
    wbemsink_target *targets;
    ULONGLONG *cost;          /* ms each host takes (a dead one: the deadline) */
} fleet;

static void make_fleet(fleet *f, size_t n)
{
    f->n = n;
    f->names = calloc(n, sizeof *f->names);
    f->hosts = calloc(n, sizeof *f->hosts);
    f->targets = calloc(n, sizeof *f->targets);
    f->cost = calloc(n, sizeof *f->cost);
    for (size_t i = 0; i < n; i++) {
        unsigned t = 50 + rnd() % 451;
        swprintf(f->names[i], 16, L"h%05u", (unsigned)i);
        f->hosts[i].name = f->names[i];
        f->hosts[i].connect_ms = t / 3;
        f->hosts[i].answer_ms = t - t / 3;
        f->hosts[i].rows = 5;
        f->targets[i].host = f->names[i];
        f->cost[i] = t;
        if (rnd() % 100 < 5) {
            f->hosts[i].hang = FAKE_HOST_HANG_CONNECT;
            f->hosts[i].hang_ms = dead_hang_ms;
            f->cost[i] = CONNECT_DEADLINE_MS;
        }
    }
}

static ULONGLONG in_order_schedule(const fleet *f)
{
    ULONGLONG slot[K] = {0}, end = 0;
    for (size_t i = 0; i < f->n; i++) {
        int best = 0;
        for (int j = 1; j < K; j++)
            if (slot[j] < slot[best]) best = j;
        slot[best] += f->cost[i];
        if (slot[best] > end) end = slot[best];
    }
    return end;
}

/* Waits until no simulated ConnectServer runs (the dead ones give up). */
static void settle(fake_locator *l)
{
    while (fake_locator_connecting(l) > 0 || fake_locator_in_flight(l) > 0) Sleep(20);
    Sleep(50);
}

static double run_fanout(fleet *f, fake_locator *l, sampler *s, wbemsink_fanout_counts *c)
{
    wbemsink_fanout_options o = {0};
    wbemsink_fanout *fo = NULL;
    o.throttle = K;
    o.connect_timeout_ms = CONNECT_DEADLINE_MS;
    o.query = L"SELECT * FROM Win32_Process";
    sampler_start(s);
    int64_t t0 = bench_ticks();
    if (FAILED(wbemsink_fanout_start(f->targets, f->n, &o, NULL, &fo))) return -1;
    wbemsink_fanout_wait(fo, INFINITE, c);
    double ms = bench_seconds(bench_ticks() - t0) * 1000;
    sampler_stop(s);
    wbemsink_fanout_release(fo);
    settle(l);
    return ms;
}

/* (b): a thread per host, each connecting with the deadline and waiting. */
typedef struct per_host {
    const wchar_t *host;
    volatile LONG *ok;
} per_host;

static DWORD WINAPI host_thread(void *p)
{
    per_host *h = p;
    wchar_t path[64];
    wbemsink_connect_options co = {0};
    wbemsink_connection *c = NULL;
    wbemsink *s = NULL;
    HRESULT final_hr = E_FAIL;
    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    swprintf(path, 64, L"\\\\%ls\\root\\cimv2", h->host);
    co.timeout_ms = CONNECT_DEADLINE_MS;
    if (SUCCEEDED(wbemsink_connect(path, &co, &c)) && SUCCEEDED(wbemsink_create(NULL, NULL, &s)) &&
        SUCCEEDED(wbemsink_exec_query(s, wbemsink_connection_services(c), L"SELECT * FROM Win32_Process",
                                      0, NULL)) &&
        SUCCEEDED(wbemsink_wait(s, INFINITE, &final_hr)) && SUCCEEDED(final_hr))
        InterlockedIncrement(h->ok);
    wbemsink_release(s);
    wbemsink_connection_release(c);
    CoUninitialize();
    return 0;
}

static double run_thread_per_host(fleet *f, fake_locator *l, sampler *s, LONG *ok)
{
    per_host *h = calloc(f->n, sizeof *h);
    HANDLE *t = calloc(f->n, sizeof *t);
    volatile LONG good = 0;
    sampler_start(s);
    int64_t t0 = bench_ticks();
    for (size_t i = 0; i < f->n; i++) {
        h[i].host = f->names[i];
        h[i].ok = &good;
        t[i] = CreateThread(NULL, 64 * 1024, host_thread, &h[i], STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
    }
    for (size_t i = 0; i < f->n; i++) {
        if (t[i]) WaitForSingleObject(t[i], INFINITE);
    }
    double ms = bench_seconds(bench_ticks() - t0) * 1000;
    sampler_stop(s);
    for (size_t i = 0; i < f->n; i++)
        if (t[i]) CloseHandle(t[i]);
    free(t);
    free(h);
    *ok = good;
    settle(l);
    return ms;
}

/* Memory per host in flight: K hosts that connect and then never answer,
   so that all K are in flight at once; heap and commit with them in
   flight, minus before. Includes the fake's share (a fake services, its
   call and its player thread per host). */
static void in_flight_snapshot(double *heap_kb, double *commit_kb, int *lib_threads)
{
    static wchar_t names[K][16];
    fake_host hosts[K];
    wbemsink_target targets[K];
    fake_locator *l = NULL;
    wbemsink_fanout *fo = NULL;
    wbemsink_fanout_options o = {0};
    int all;
    memset(hosts, 0, sizeof hosts);
    memset(targets, 0, sizeof targets);
    for (int i = 0; i < K; i++) {
        swprintf(names[i], 16, L"s%02d", i);
        hosts[i].name = targets[i].host = names[i];
        hosts[i].hang = FAKE_HOST_HANG_ANSWER;
    }
    *heap_kb = *commit_kb = -1;
    *lib_threads = -1;
    if (FAILED(fake_locator_register(hosts, K, &l))) return;
    o.throttle = K;
    o.query = L"SELECT * FROM Win32_Process";
    long long heap0 = bench_heap_bytes(), commit0 = bench_private_bytes();
    if (SUCCEEDED(wbemsink_fanout_start(targets, K, &o, NULL, &fo))) {
        while (fake_locator_async_calls(l) < K) Sleep(5);
        Sleep(50);
        *heap_kb = (double)(bench_heap_bytes() - heap0) / 1024.0 / K;
        *commit_kb = (double)(bench_private_bytes() - commit0) / 1024.0 / K;
        count_threads(&all, lib_threads);
        wbemsink_fanout_cancel(fo);
        wbemsink_fanout_wait(fo, INFINITE, NULL);
        wbemsink_fanout_release(fo);
    }
    settle(l);
    fake_locator_destroy(l);
}

/* The fan-out's own cost per host: M hosts of zero latency, one at a time
   (K = 1) through the fan-out, against a plain loop making the same
   library calls (wbemsink_connect, wbemsink_create, wbemsink_exec_query,
   wbemsink_wait, releases) on one thread. Both pay the fake's and COM's
   costs; the difference is the fan-out's (its thread hops: worker,
   dispatcher, monitor). Returns ms per host for each. */
static void per_host_cost(double *fanout_ms, double *loop_ms)
{
    enum { M = 200 };
    static wchar_t names[M][16];
    static fake_host hosts[M];
    static wbemsink_target targets[M];
    fake_locator *l = NULL;
    for (int i = 0; i < M; i++) {
        swprintf(names[i], 16, L"z%03d", i);
        hosts[i].name = targets[i].host = names[i];
        hosts[i].rows = 5;
    }
    *fanout_ms = *loop_ms = -1;
    if (FAILED(fake_locator_register(hosts, M, &l))) return;
    wbemsink_fanout_options o = {0};
    wbemsink_fanout *fo = NULL;
    o.throttle = 1;
    o.query = L"SELECT * FROM Win32_Process";
    int64_t t0 = bench_ticks();
    if (SUCCEEDED(wbemsink_fanout_start(targets, M, &o, NULL, &fo))) {
        wbemsink_fanout_wait(fo, INFINITE, NULL);
        *fanout_ms = bench_seconds(bench_ticks() - t0) * 1000 / M;
        wbemsink_fanout_release(fo);
    }
    settle(l);
    t0 = bench_ticks();
    for (int i = 0; i < M; i++) {
        wchar_t path[64];
        wbemsink_connection *c = NULL;
        wbemsink *s = NULL;
        HRESULT final_hr;
        swprintf(path, 64, L"\\\\%ls\\root\\cimv2", names[i]);
        if (SUCCEEDED(wbemsink_connect(path, NULL, &c)) && SUCCEEDED(wbemsink_create(NULL, NULL, &s)) &&
            SUCCEEDED(wbemsink_exec_query(s, wbemsink_connection_services(c),
                                          L"SELECT * FROM Win32_Process", 0, NULL)))
            wbemsink_wait(s, INFINITE, &final_hr);
        wbemsink_release(s);
        wbemsink_connection_release(c);
    }
    *loop_ms = bench_seconds(bench_ticks() - t0) * 1000 / M;
    settle(l);
    fake_locator_destroy(l);
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 1000;
    int reps = argc > 2 ? atoi(argv[2]) : 1;
    fleet f;
    fake_locator *l = NULL;
    char config[200], ws[320], a[64], b[128], c[200], ratio[96], verdict[128];

    if (argc > 3) dead_hang_ms = (unsigned)strtoul(argv[3], NULL, 10);
    if (reps < 1) reps = 1;
    bench_init();
    lib_range();
    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    wbemsink_init_security();
    make_fleet(&f, n);
    if (FAILED(fake_locator_register(f.hosts, n, &l))) return 1;

    ULONGLONG sum = 0, longest = 0;
    size_t dead = 0;
    for (size_t i = 0; i < n; i++) {
        sum += f.cost[i];
        if (f.cost[i] > longest) longest = f.cost[i];
        dead += f.hosts[i].hang != 0;
    }
    double ideal = (double)(sum / K > longest ? sum / K : longest);
    double in_order = (double)in_order_schedule(&f);

    /* Warm up COM, the locator and the library once (not measured). */
    {
        wbemsink_target t = {f.names[0], NULL, NULL};
        wbemsink_fanout_options o = {0};
        wbemsink_fanout *fo = NULL;
        o.query = L"SELECT * FROM Win32_Process";
        if (SUCCEEDED(wbemsink_fanout_start(&t, 1, &o, NULL, &fo))) {
            wbemsink_fanout_wait(fo, INFINITE, NULL);
            wbemsink_fanout_release(fo);
        }
        settle(l);
    }

    double *wall = calloc((size_t)reps, sizeof *wall);
    int peak_all = 0, peak_lib = 0;
    long long commit = 0, before = bench_private_bytes();
    wbemsink_fanout_counts counts = {0};
    for (int r = 0; r < reps; r++) {
        sampler s;
        wall[r] = run_fanout(&f, l, &s, &counts);
        if (s.peak_lib > peak_lib) peak_lib = s.peak_lib;
        if (s.peak_all > peak_all) peak_all = s.peak_all;
        if (s.peak_commit - before > commit) commit = s.peak_commit - before;
    }
    bench_mmm m = bench_summary(wall, reps);

    sampler s2;
    LONG ok2 = 0;
    long long before2 = bench_private_bytes();
    double tph = run_thread_per_host(&f, l, &s2, &ok2);

    fake_locator_destroy(l);
    l = NULL;
    double heap_kb, commit_kb;
    int snap_threads;
    in_flight_snapshot(&heap_kb, &commit_kb, &snap_threads);
    double cost_fanout, cost_loop;
    per_host_cost(&cost_fanout, &cost_loop);

    snprintf(config, sizeof config,
             "fleet: %zu simulated hosts, 50-500 ms, %zu dead (%.0f%%, ConnectServer ends after %u ms), "
             "K = %d, connect deadline %d ms",
             n, dead, 100.0 * (double)dead / (double)n, dead_hang_ms, K, CONNECT_DEADLINE_MS);
    snprintf(ws, sizeof ws, "%.0f ms [%.0f-%.0f]; peak %d lib threads (%d in all); peak commit "
             "+%.1f MB; %d hosts in flight: %d lib threads, %.1f KB heap and %.0f KB commit per host",
             m.med, m.min, m.max, peak_lib, peak_all, (double)commit / 1048576.0, K, snap_threads,
             heap_kb, commit_kb);
    snprintf(a, sizeof a, "serial: %.0f ms (computed)", (double)sum);
    snprintf(b, sizeof b, "thread/host: %.0f ms, %d threads (%d lib), %.1f MB, %ld ok", tph,
             s2.peak_all, s2.peak_lib, (double)(s2.peak_commit - before2) / 1048576.0, (long)ok2);
    snprintf(c, sizeof c, "ideal %.0f ms; in-order %.0f ms; per host at 0 ms latency: fan-out %.2f ms, "
             "plain loop %.2f ms", ideal, in_order, cost_fanout, cost_loop);
    snprintf(ratio, sizeof ratio, "%.2fx ideal, %.2fx in-order, %.1fx faster than serial",
             m.med / ideal, m.med / in_order, (double)sum / m.med);
    snprintf(verdict, sizeof verdict, "<= 1.2x ideal: %s; <= K+2 = %d lib threads: %s (%zu ok, %zu timed out)",
             m.med <= 1.2 * ideal ? "met" : "MISSED", K + 2, peak_lib <= K + 2 ? "met" : "MISSED",
             counts.succeeded, counts.timed_out);
    bench_row("7", config, ws, a, b, c, ratio, verdict);

    free(wall);
    CoUninitialize();
    return 0;
}
