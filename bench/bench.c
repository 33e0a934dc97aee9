/* bench.c - the benchmarks' shared parts (see bench.h). */
#include "bench.h"

#include <psapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tlhelp32.h>

/* ---- clock ----------------------------------------------------------- */

static double ticks_per_us = 1.0;
static double ticks_per_s = 1.0;

void bench_init(void)
{
    LARGE_INTEGER f;
    QueryPerformanceFrequency(&f);
    ticks_per_s = (double)f.QuadPart;
    ticks_per_us = ticks_per_s / 1e6;
}

int64_t bench_ticks(void)
{
    LARGE_INTEGER t;
    QueryPerformanceCounter(&t);
    return t.QuadPart;
}

double bench_ticks_to_us(int64_t ticks) { return (double)ticks / ticks_per_us; }
double bench_seconds(int64_t ticks) { return (double)ticks / ticks_per_s; }

void bench_spin_us(double us)
{
    int64_t end = bench_ticks() + (int64_t)(us * ticks_per_us);
    while (bench_ticks() < end) YieldProcessor();
}

/* ---- fake objects ---------------------------------------------------- */

typedef struct fake {
    IWbemClassObject iface;
    volatile LONG refs;
    char pad[64 - sizeof(IWbemClassObject) - sizeof(LONG)];
} fake;

struct bench_objects {
    size_t n;
    fake *objs;
    IWbemClassObject **ptrs;
};

static inline fake *fake_from(IWbemClassObject *iface) { return (fake *)iface; }

static ULONG STDMETHODCALLTYPE fake_AddRef(IWbemClassObject *iface)
{
    return (ULONG)InterlockedIncrement(&fake_from(iface)->refs);
}

static ULONG STDMETHODCALLTYPE fake_Release(IWbemClassObject *iface)
{
    return (ULONG)InterlockedDecrement(&fake_from(iface)->refs);
}

static HRESULT STDMETHODCALLTYPE fake_QueryInterface(IWbemClassObject *iface, REFIID riid, void **ppv)
{
    if (!ppv) return E_POINTER;
    *ppv = NULL;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IWbemClassObject)) {
        fake_AddRef(iface);
        *ppv = iface;
        return S_OK;
    }
    return E_NOINTERFACE;
}

/* Only IUnknown: nothing under test calls the rest. */
static IWbemClassObjectVtbl fake_vtbl = {
    .QueryInterface = fake_QueryInterface,
    .AddRef = fake_AddRef,
    .Release = fake_Release,
};

bench_objects *bench_objects_create(size_t n)
{
    bench_objects *o = VirtualAlloc(NULL, sizeof(*o), MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    if (!o) return NULL;
    o->n = n;
    o->objs = VirtualAlloc(NULL, n * sizeof(fake) + 1, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    o->ptrs = VirtualAlloc(NULL, n * sizeof(void *) + 1, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    if (!o->objs || !o->ptrs) {
        fprintf(stderr, "bench: out of memory for %zu objects\n", n);
        exit(2);
    }
    for (size_t i = 0; i < n; i++) {
        o->objs[i].iface.lpVtbl = &fake_vtbl;
        o->objs[i].refs = 1;
        o->ptrs[i] = &o->objs[i].iface;
    }
    return o;
}

IWbemClassObject **bench_objects_array(bench_objects *o) { return o->ptrs; }

size_t bench_objects_unbalanced(bench_objects *o)
{
    size_t bad = 0;
    for (size_t i = 0; i < o->n; i++) bad += o->objs[i].refs != 1;
    return bad;
}

void bench_objects_free(bench_objects *o)
{
    if (!o) return;
    VirtualFree(o->objs, 0, MEM_RELEASE);
    VirtualFree(o->ptrs, 0, MEM_RELEASE);
    VirtualFree(o, 0, MEM_RELEASE);
}

/* ---- statistics ------------------------------------------------------ */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

double bench_percentile(double *v, size_t n, double p)
{
    if (!n) return 0;
    qsort(v, n, sizeof(*v), cmp_double);
    size_t rank = (size_t)(p / 100.0 * (double)n + 0.999999);   /* nearest rank */
    if (rank < 1) rank = 1;
    if (rank > n) rank = n;
    return v[rank - 1];
}

bench_mmm bench_summary(const double *v, int n)
{
    bench_mmm m = {0, 0, 0};
    if (n <= 0) return m;
    double *c = malloc((size_t)n * sizeof(*c));
    if (!c) return m;
    memcpy(c, v, (size_t)n * sizeof(*c));
    qsort(c, (size_t)n, sizeof(*c), cmp_double);
    m.min = c[0];
    m.max = c[n - 1];
    m.med = n % 2 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
    free(c);
    return m;
}

/* ---- process counters ------------------------------------------------ */

int bench_thread_count(void)
{
    HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0);
    if (snap == INVALID_HANDLE_VALUE) return -1;
    THREADENTRY32 te;
    te.dwSize = sizeof(te);
    DWORD pid = GetCurrentProcessId();
    int n = 0;
    if (Thread32First(snap, &te)) {
        do {
            if (te.th32OwnerProcessID == pid) n++;
            te.dwSize = sizeof(te);
        } while (Thread32Next(snap, &te));
    }
    CloseHandle(snap);
    return n;
}

long long bench_heap_bytes(void)
{
    HANDLE heaps[256];
    DWORD n = GetProcessHeaps(256, heaps);
    if (n > 256) n = 256;
    long long sum = 0;
    for (DWORD i = 0; i < n; i++) {
        if (!HeapLock(heaps[i])) continue;
        PROCESS_HEAP_ENTRY e;
        memset(&e, 0, sizeof(e));
        while (HeapWalk(heaps[i], &e))
            if (e.wFlags & PROCESS_HEAP_ENTRY_BUSY) sum += (long long)e.cbData + e.cbOverhead;
        HeapUnlock(heaps[i]);
    }
    return sum;
}

long long bench_private_bytes(void)
{
    PROCESS_MEMORY_COUNTERS_EX pmc;
    memset(&pmc, 0, sizeof(pmc));
    pmc.cb = sizeof(pmc);
    if (!GetProcessMemoryInfo(GetCurrentProcess(), (PROCESS_MEMORY_COUNTERS *)&pmc, sizeof(pmc)))
        return -1;
    /* PagefileUsage is the commit charge, the same figure as PrivateUsage
       on Windows; Wine 8 fills PrivateUsage with the virtual size. */
    return (long long)pmc.PagefileUsage;
}

/* ---- table output ---------------------------------------------------- */

const char *bench_fmt(char *buf, size_t size, bench_mmm m, int decimals, const char *unit)
{
    snprintf(buf, size, "%.*f [%.*f-%.*f]%s%s", decimals, m.med, decimals, m.min, decimals, m.max,
             unit && *unit ? " " : "", unit ? unit : "");
    return buf;
}

void bench_row(const char *fig, const char *config, const char *ws, const char *a,
               const char *b, const char *c, const char *ratio, const char *verdict)
{
    printf("| %s | %s | %s | %s | %s | %s | %s | %s |\n", fig, config, ws, a, b, c, ratio, verdict);
    fflush(stdout);
}

/* ---- helpers ---------------------------------------------------------- */

HANDLE bench_thread(LPTHREAD_START_ROUTINE fn, void *arg)
{
    HANDLE h = CreateThread(NULL, 0, fn, arg, 0, NULL);
    if (!h) {
        fprintf(stderr, "bench: CreateThread failed (%lu)\n", GetLastError());
        exit(2);
    }
    return h;
}

void bench_join(HANDLE *threads, int n)
{
    for (int i = 0; i < n; i++) {
        WaitForSingleObject(threads[i], INFINITE);
        CloseHandle(threads[i]);
    }
}

/* ---- (a) Microsoft's sample shape ------------------------------------ */

struct ms_sink {
    IWbemObjectSink iface;
    volatile LONG refs;
    CRITICAL_SECTION lock;
    int done;
    HANDLE done_event;
    bench_work_fn work;
    void *ctx;
};

static inline ms_sink *ms_from(IWbemObjectSink *iface) { return (ms_sink *)iface; }

static ULONG STDMETHODCALLTYPE ms_AddRef(IWbemObjectSink *iface)
{
    return (ULONG)InterlockedIncrement(&ms_from(iface)->refs);
}

static ULONG STDMETHODCALLTYPE ms_Release(IWbemObjectSink *iface)
{
    ms_sink *s = ms_from(iface);
    LONG r = InterlockedDecrement(&s->refs);
    if (r == 0) {
        DeleteCriticalSection(&s->lock);
        CloseHandle(s->done_event);
        free(s);
    }
    return (ULONG)r;
}

static HRESULT STDMETHODCALLTYPE ms_QueryInterface(IWbemObjectSink *iface, REFIID riid, void **ppv)
{
    if (!ppv) return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IWbemObjectSink)) {
        *ppv = iface;
        ms_AddRef(iface);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static HRESULT STDMETHODCALLTYPE ms_Indicate(IWbemObjectSink *iface, LONG count, IWbemClassObject **objs)
{
    ms_sink *s = ms_from(iface);
    EnterCriticalSection(&s->lock);
    for (LONG i = 0; i < count; i++) s->work(s->ctx, &objs[i], 1);   /* "use the object" */
    LeaveCriticalSection(&s->lock);
    return WBEM_S_NO_ERROR;
}

static HRESULT STDMETHODCALLTYPE ms_SetStatus(IWbemObjectSink *iface, LONG flags, HRESULT hr,
                                              BSTR param, IWbemClassObject *obj)
{
    ms_sink *s = ms_from(iface);
    (void)hr; (void)param; (void)obj;
    if (flags == WBEM_STATUS_COMPLETE) {
        EnterCriticalSection(&s->lock);
        s->done = 1;
        SetEvent(s->done_event);
        LeaveCriticalSection(&s->lock);
    }
    return WBEM_S_NO_ERROR;
}

static IWbemObjectSinkVtbl ms_vtbl = {
    ms_QueryInterface, ms_AddRef, ms_Release, ms_Indicate, ms_SetStatus,
};

ms_sink *ms_sink_create(bench_work_fn work, void *ctx)
{
    ms_sink *s = calloc(1, sizeof(*s));
    if (!s) exit(2);
    s->iface.lpVtbl = &ms_vtbl;
    s->refs = 1;
    InitializeCriticalSection(&s->lock);
    s->done_event = CreateEventW(NULL, TRUE, FALSE, NULL);
    s->work = work;
    s->ctx = ctx;
    return s;
}

IWbemObjectSink *ms_sink_iface(ms_sink *s) { return &s->iface; }
HANDLE ms_sink_done(ms_sink *s) { return s->done_event; }
void ms_sink_release(ms_sink *s) { ms_Release(&s->iface); }

/* ---- (b) mutex + condition variable + linked list ------------------- */

typedef struct list_node {
    struct list_node *next;
    IWbemClassObject *obj;
} list_node;

struct list_sink {
    IWbemObjectSink iface;
    volatile LONG refs;
    CRITICAL_SECTION lock;
    CONDITION_VARIABLE nonempty;
    list_node *head, *tail;
    int done, stop;
    HANDLE thread;
    HANDLE finished;        /* consumer saw completion with an empty list */
    int64_t t_end;
    bench_work_fn work;
    void *ctx;
};

static inline list_sink *list_from(IWbemObjectSink *iface) { return (list_sink *)iface; }

static ULONG STDMETHODCALLTYPE list_AddRef(IWbemObjectSink *iface)
{
    return (ULONG)InterlockedIncrement(&list_from(iface)->refs);
}

static void list_destroy(list_sink *s)
{
    for (list_node *n = s->head, *next; n; n = next) {
        next = n->next;
        IWbemClassObject_Release(n->obj);
        free(n);
    }
    DeleteCriticalSection(&s->lock);
    CloseHandle(s->finished);
    free(s);
}

static ULONG STDMETHODCALLTYPE list_Release(IWbemObjectSink *iface)
{
    list_sink *s = list_from(iface);
    LONG r = InterlockedDecrement(&s->refs);
    if (r == 0) list_destroy(s);
    return (ULONG)r;
}

static HRESULT STDMETHODCALLTYPE list_QueryInterface(IWbemObjectSink *iface, REFIID riid, void **ppv)
{
    if (!ppv) return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IWbemObjectSink)) {
        *ppv = iface;
        list_AddRef(iface);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static HRESULT STDMETHODCALLTYPE list_Indicate(IWbemObjectSink *iface, LONG count, IWbemClassObject **objs)
{
    list_sink *s = list_from(iface);
    for (LONG i = 0; i < count; i++) {
        list_node *n = malloc(sizeof(*n));
        if (!n) return WBEM_E_OUT_OF_MEMORY;
        IWbemClassObject_AddRef(objs[i]);
        n->obj = objs[i];
        n->next = NULL;
        EnterCriticalSection(&s->lock);
        if (s->tail) s->tail->next = n;
        else s->head = n;
        s->tail = n;
        LeaveCriticalSection(&s->lock);
        WakeConditionVariable(&s->nonempty);
    }
    return WBEM_S_NO_ERROR;
}

static HRESULT STDMETHODCALLTYPE list_SetStatus(IWbemObjectSink *iface, LONG flags, HRESULT hr,
                                                BSTR param, IWbemClassObject *obj)
{
    list_sink *s = list_from(iface);
    (void)hr; (void)param; (void)obj;
    if (flags == WBEM_STATUS_COMPLETE) {
        EnterCriticalSection(&s->lock);
        s->done = 1;
        LeaveCriticalSection(&s->lock);
        WakeConditionVariable(&s->nonempty);
    }
    return WBEM_S_NO_ERROR;
}

static IWbemObjectSinkVtbl list_vtbl = {
    list_QueryInterface, list_AddRef, list_Release, list_Indicate, list_SetStatus,
};

static DWORD WINAPI list_consumer(void *arg)
{
    list_sink *s = arg;
    EnterCriticalSection(&s->lock);
    for (;;) {
        while (!s->head && !s->done && !s->stop) SleepConditionVariableCS(&s->nonempty, &s->lock, INFINITE);
        if (s->stop || !s->head) break;
        list_node *n = s->head;
        s->head = n->next;
        if (!s->head) s->tail = NULL;
        LeaveCriticalSection(&s->lock);
        s->work(s->ctx, &n->obj, 1);
        IWbemClassObject_Release(n->obj);
        free(n);
        EnterCriticalSection(&s->lock);
    }
    LeaveCriticalSection(&s->lock);
    s->t_end = bench_ticks();
    SetEvent(s->finished);
    return 0;
}

list_sink *list_sink_create(bench_work_fn work, void *ctx, int start_consumer)
{
    list_sink *s = calloc(1, sizeof(*s));
    if (!s) exit(2);
    s->iface.lpVtbl = &list_vtbl;
    s->refs = 1;
    InitializeCriticalSection(&s->lock);
    InitializeConditionVariable(&s->nonempty);
    s->finished = CreateEventW(NULL, TRUE, FALSE, NULL);
    s->work = work;
    s->ctx = ctx;
    if (start_consumer) s->thread = bench_thread(list_consumer, s);
    return s;
}

IWbemObjectSink *list_sink_iface(list_sink *s) { return &s->iface; }

int64_t list_sink_wait(list_sink *s)
{
    WaitForSingleObject(s->finished, INFINITE);
    return s->t_end;
}

void list_sink_stop(list_sink *s)
{
    EnterCriticalSection(&s->lock);
    s->stop = 1;
    LeaveCriticalSection(&s->lock);
    WakeConditionVariable(&s->nonempty);
}

void list_sink_release(list_sink *s)
{
    if (s->thread) {
        list_sink_stop(s);
        bench_join(&s->thread, 1);
        s->thread = NULL;
    }
    list_Release(&s->iface);
}

/* ---- (c) the floor --------------------------------------------------- */

typedef struct floor_lane {
    volatile LONG64 published;          /* written by the lane's producer */
    char pad1[64 - sizeof(LONG64)];
    LONG64 released;                    /* the consumer's */
    IWbemClassObject *const *base;
    char pad2[64 - sizeof(LONG64) - sizeof(void *)];
} floor_lane;

struct floor_sink {
    floor_lane *lanes;
    int nlanes;
    volatile LONG finishing, abort;
    HANDLE thread;
    int64_t t_end;
    bench_work_fn work;
    void *ctx;
};

#define FLOOR_CHUNK 256   /* objects per work call, as wbemsink's batches */

static DWORD WINAPI floor_consumer(void *arg)
{
    floor_sink *f = arg;
    unsigned idle = 0;
    for (;;) {
        LONG finishing = f->finishing;
        MemoryBarrier();
        if (f->abort) break;
        LONG64 moved = 0;
        for (int i = 0; i < f->nlanes; i++) {
            floor_lane *l = &f->lanes[i];
            LONG64 pub = l->published;
            MemoryBarrier();
            while (l->released < pub && !f->abort) {
                LONG64 n = pub - l->released;
                if (n > FLOOR_CHUNK) n = FLOOR_CHUNK;
                IWbemClassObject *const *o = l->base + l->released;
                f->work(f->ctx, o, (LONG)n);
                for (LONG64 k = 0; k < n; k++) IWbemClassObject_Release(o[k]);
                l->released += n;
                moved += n;
            }
        }
        if (moved) {
            idle = 0;
            continue;
        }
        if (finishing) break;
        if (++idle < 64) YieldProcessor();
        else SwitchToThread();
    }
    f->t_end = bench_ticks();
    return 0;
}

floor_sink *floor_create(bench_work_fn work, void *ctx, int lanes, IWbemClassObject **const *base)
{
    floor_sink *f = calloc(1, sizeof(*f));
    if (!f) exit(2);
    f->lanes = _aligned_malloc((size_t)lanes * sizeof(floor_lane), 64);
    if (!f->lanes) exit(2);
    memset(f->lanes, 0, (size_t)lanes * sizeof(floor_lane));
    for (int i = 0; i < lanes; i++) f->lanes[i].base = base[i];
    f->nlanes = lanes;
    f->work = work;
    f->ctx = ctx;
    f->thread = bench_thread(floor_consumer, f);
    return f;
}

void floor_produce(floor_sink *f, int lane, IWbemClassObject *const *objects, LONG count)
{
    for (LONG i = 0; i < count; i++) IWbemClassObject_AddRef(objects[i]);
    InterlockedExchangeAdd64(&f->lanes[lane].published, count);
}

int64_t floor_finish(floor_sink *f)
{
    InterlockedExchange(&f->finishing, 1);
    bench_join(&f->thread, 1);
    f->thread = NULL;
    return f->t_end;
}

void floor_abort(floor_sink *f)
{
    if (f->thread) {
        InterlockedExchange(&f->abort, 1);
        bench_join(&f->thread, 1);
        f->thread = NULL;
    }
    for (int i = 0; i < f->nlanes; i++) {
        floor_lane *l = &f->lanes[i];
        for (; l->released < l->published; l->released++)
            IWbemClassObject_Release(l->base[l->released]);
    }
}

void floor_free(floor_sink *f)
{
    if (!f) return;
    floor_abort(f);
    _aligned_free(f->lanes);
    free(f);
}
