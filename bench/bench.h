/*
 * bench.h - what the wbemsink benchmarks share: a clock, light fake
 * objects, statistics, memory and thread counters, the table's row format,
 * and the three comparison points every benchmark measures beside wbemsink:
 *
 *   (a) ms_sink     the shape of Microsoft's sample sink: Indicate does the
 *                   consumer's work inline, one object at a time, inside a
 *                   critical section; nothing is kept.
 *   (b) list_sink   a typical hand-written queue: a CRITICAL_SECTION and a
 *                   CONDITION_VARIABLE guarding a linked list with one
 *                   malloc'd node per object, and a consumer thread.
 *   (c) floor       what every correct buffering sink pays at least: one
 *                   AddRef on the producer's thread and one Release on the
 *                   consumer's, per object, with the same threads and no
 *                   queue: each producer publishes how far it got in its own
 *                   array of objects, the consumer reads that count.
 *
 * Benchmarks are not tests: nothing here asserts a timing.
 */
#ifndef WBEMSINK_BENCH_H
#define WBEMSINK_BENCH_H

#define COBJMACROS
#include <windows.h>
#include <wbemcli.h>
#include <stddef.h>
#include <stdint.h>

/* ---- clock (QueryPerformanceCounter) -------------------------------- */

void bench_init(void);              /* call first: reads the QPC frequency */
int64_t bench_ticks(void);
double bench_ticks_to_us(int64_t ticks);
double bench_seconds(int64_t ticks);
void bench_spin_us(double us);      /* busy-waits, for simulated work and pacing */

/* ---- fake objects ---------------------------------------------------- */

/* An array of n IWbemClassObject fakes that only count references (AddRef,
   Release and QueryInterface are real, every other method is absent: the
   sinks under test never call them). Each starts with one reference, owned
   by the array. They live in one VirtualAlloc block, one cache line each,
   outside every heap, so they neither contend on a lock (the tests' fake
   keeps a registry under a lock) nor show up in the heap measurements. */
typedef struct bench_objects bench_objects;
bench_objects *bench_objects_create(size_t n);
IWbemClassObject **bench_objects_array(bench_objects *o);  /* n pointers */
/* Number of objects whose count is not back to 1 (0 when nothing leaked). */
size_t bench_objects_unbalanced(bench_objects *o);
void bench_objects_free(bench_objects *o);

/* ---- statistics ------------------------------------------------------ */

typedef struct bench_mmm { double med, min, max; } bench_mmm;
bench_mmm bench_summary(const double *v, int n);
/* p in [0, 100]; sorts v in place. Nearest-rank percentile. */
double bench_percentile(double *v, size_t n, double p);

/* ---- process counters ------------------------------------------------ */

/* Threads of this process now (Toolhelp snapshot); -1 on failure. */
int bench_thread_count(void);
/* Bytes in busy blocks of every heap of the process (HeapWalk), with the
   heap's own overhead per block. */
long long bench_heap_bytes(void);
/* Committed private memory of the process (heaps, thread stacks...):
   PROCESS_MEMORY_COUNTERS.PagefileUsage. */
long long bench_private_bytes(void);

/* ---- table output ---------------------------------------------------- */

/* Formats "med [min-max]" with `decimals` and a unit into buf. */
const char *bench_fmt(char *buf, size_t size, bench_mmm m, int decimals, const char *unit);
/* Prints one markdown row: | fig | config | ws | a | b | c | ratios | verdict | */
void bench_row(const char *fig, const char *config, const char *ws, const char *a,
               const char *b, const char *c, const char *ratio, const char *verdict);

/* ---- the consumer's work -------------------------------------------- */

/* Called with objects that are borrowed for the call. */
typedef void (*bench_work_fn)(void *ctx, IWbemClassObject *const *objects, LONG count);

/* ---- (a) Microsoft's sample shape ------------------------------------ */

typedef struct ms_sink ms_sink;
/* The sink holds one reference for the caller (ms_sink_iface gives the
   interface, ms_sink_release gives it back). */
ms_sink *ms_sink_create(bench_work_fn work, void *ctx);
IWbemObjectSink *ms_sink_iface(ms_sink *s);
/* Signalled by SetStatus(COMPLETE). Owned by the sink. */
HANDLE ms_sink_done(ms_sink *s);
void ms_sink_release(ms_sink *s);

/* ---- (b) mutex + condition variable + linked list ------------------- */

typedef struct list_sink list_sink;
/* start_consumer = 0 leaves the queue unread (memory measurements). */
list_sink *list_sink_create(bench_work_fn work, void *ctx, int start_consumer);
IWbemObjectSink *list_sink_iface(list_sink *s);
/* Waits until the consumer saw the completion and the list is empty;
   returns the QPC time at which it finished. */
int64_t list_sink_wait(list_sink *s);
/* Stops the consumer after its current object (the rest stays queued). */
void list_sink_stop(list_sink *s);
/* Stops the consumer, Releases what is queued, frees the sink once WMI's
   side (the interface) is released too. */
void list_sink_release(list_sink *s);

/* ---- (c) the floor --------------------------------------------------- */

typedef struct floor_sink floor_sink;
/* lanes = number of producers; lane i's producer hands out objects of
   `base[i]` in order, from index 0. */
floor_sink *floor_create(bench_work_fn work, void *ctx, int lanes, IWbemClassObject **const *base);
/* On producer `lane`'s thread: AddRefs `count` objects (the next ones of
   the lane) and publishes them. */
void floor_produce(floor_sink *f, int lane, IWbemClassObject *const *objects, LONG count);
/* All producers are done: the consumer ends once it Released everything.
   Returns the QPC time at which it finished. */
int64_t floor_finish(floor_sink *f);
/* Stops the consumer now and Releases what it left. */
void floor_abort(floor_sink *f);
void floor_free(floor_sink *f);

/* ---- helpers ---------------------------------------------------------- */

HANDLE bench_thread(LPTHREAD_START_ROUTINE fn, void *arg);
void bench_join(HANDLE *threads, int n);

#endif
