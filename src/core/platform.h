/* Threads, locks, events, atomics and clocks: Win32 on Windows, POSIX on the
   host build (so the core's tests also run under the sanitizers). */
#ifndef WBEMSINK_PLATFORM_H
#define WBEMSINK_PLATFORM_H

#include <stdint.h>

#ifdef _WIN32
#include <windows.h>

typedef SRWLOCK ws_mutex;
typedef CONDITION_VARIABLE ws_cond;
typedef HANDLE ws_thread;
typedef uintptr_t ws_thread_id;

static inline void ws_mutex_init(ws_mutex *m) { InitializeSRWLock(m); }
static inline void ws_mutex_destroy(ws_mutex *m) { (void)m; }
static inline void ws_lock(ws_mutex *m) { AcquireSRWLockExclusive(m); }
static inline void ws_unlock(ws_mutex *m) { ReleaseSRWLockExclusive(m); }
static inline void ws_cond_init(ws_cond *c) { InitializeConditionVariable(c); }
static inline void ws_cond_destroy(ws_cond *c) { (void)c; }
static inline void ws_signal(ws_cond *c) { WakeConditionVariable(c); }
static inline void ws_broadcast(ws_cond *c) { WakeAllConditionVariable(c); }
/* Returns 0 when woken (or spuriously), non-zero on timeout. */
static inline int ws_cond_wait_ms(ws_cond *c, ws_mutex *m, uint32_t ms)
{
    return !SleepConditionVariableSRW(c, m, ms, 0);
}
static inline ws_thread_id ws_thread_self(void) { return (ws_thread_id)GetCurrentThreadId(); }
static inline uint64_t ws_now_ms(void) { return GetTickCount64(); }
static inline void ws_cpu_relax(void) { YieldProcessor(); }
#define WS_INFINITE INFINITE
#define WS_MUTEX_INIT SRWLOCK_INIT

#else /* POSIX host build */
#include <pthread.h>
#include <time.h>

typedef pthread_mutex_t ws_mutex;
typedef pthread_cond_t ws_cond;
typedef pthread_t ws_thread;
typedef uintptr_t ws_thread_id;

static inline void ws_mutex_init(ws_mutex *m) { pthread_mutex_init(m, NULL); }
static inline void ws_mutex_destroy(ws_mutex *m) { pthread_mutex_destroy(m); }
static inline void ws_lock(ws_mutex *m) { pthread_mutex_lock(m); }
static inline void ws_unlock(ws_mutex *m) { pthread_mutex_unlock(m); }
static inline void ws_cond_init(ws_cond *c)
{
    pthread_condattr_t a;
    pthread_condattr_init(&a);
    pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
    pthread_cond_init(c, &a);
    pthread_condattr_destroy(&a);
}
static inline void ws_cond_destroy(ws_cond *c) { pthread_cond_destroy(c); }
static inline void ws_signal(ws_cond *c) { pthread_cond_signal(c); }
static inline void ws_broadcast(ws_cond *c) { pthread_cond_broadcast(c); }
static inline int ws_cond_wait_ms(ws_cond *c, ws_mutex *m, uint32_t ms)
{
    if (ms == 0xFFFFFFFFu) return pthread_cond_wait(c, m);
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    t.tv_sec += ms / 1000;
    t.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (t.tv_nsec >= 1000000000L) { t.tv_sec++; t.tv_nsec -= 1000000000L; }
    return pthread_cond_timedwait(c, m, &t);
}
static inline ws_thread_id ws_thread_self(void) { return (ws_thread_id)pthread_self(); }
static inline uint64_t ws_now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000u + (uint64_t)t.tv_nsec / 1000000u;
}
static inline void ws_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}
#define WS_INFINITE 0xFFFFFFFFu
#define WS_MUTEX_INIT PTHREAD_MUTEX_INITIALIZER
#endif

/* Atomics. GCC and clang (MinGW-w64 included) use their builtins; MSVC its
   Interlocked functions, which are full barriers. Loads acquire, stores
   release, read-modify-writes are sequentially consistent (on x86 every
   one of them is a locked instruction, which is also a full barrier). */
typedef volatile long ws_atomic;          /* flags and small counts */
typedef volatile int64_t ws_atomic64;     /* sequence numbers, counters */
#if defined(__GNUC__) || defined(__clang__)
static inline long ws_atomic_load(ws_atomic *v) { return __atomic_load_n(v, __ATOMIC_ACQUIRE); }
static inline void ws_atomic_store(ws_atomic *v, long x) { __atomic_store_n(v, x, __ATOMIC_SEQ_CST); }
static inline long ws_atomic_inc(ws_atomic *v) { return __atomic_add_fetch(v, 1, __ATOMIC_SEQ_CST); }
static inline long ws_atomic_dec(ws_atomic *v) { return __atomic_sub_fetch(v, 1, __ATOMIC_SEQ_CST); }
/* Sets *v to `to` if it was `from`; returns the old value. */
static inline long ws_atomic_cas(ws_atomic *v, long from, long to)
{
    __atomic_compare_exchange_n(v, &from, to, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    return from;
}
static inline int64_t ws_atomic_load64(ws_atomic64 *v) { return __atomic_load_n(v, __ATOMIC_ACQUIRE); }
static inline void ws_atomic_store64(ws_atomic64 *v, int64_t x) { __atomic_store_n(v, x, __ATOMIC_RELEASE); }
static inline int64_t ws_atomic_add64(ws_atomic64 *v, int64_t x) { return __atomic_add_fetch(v, x, __ATOMIC_SEQ_CST); }
static inline int64_t ws_atomic_cas64(ws_atomic64 *v, int64_t from, int64_t to)
{
    __atomic_compare_exchange_n(v, &from, to, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    return from;
}
static inline void *ws_atomic_load_ptr(void *volatile *p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }
static inline void ws_atomic_store_ptr(void *volatile *p, void *v) { __atomic_store_n(p, v, __ATOMIC_RELEASE); }
/* A store that is also a full barrier (an exchange). */
static inline void ws_atomic_publish_ptr(void *volatile *p, void *v) { (void)__atomic_exchange_n(p, v, __ATOMIC_SEQ_CST); }
#define WS_THREAD_LOCAL __thread
#elif defined(_MSC_VER)
static inline long ws_atomic_load(ws_atomic *v) { return InterlockedCompareExchange(v, 0, 0); }
static inline void ws_atomic_store(ws_atomic *v, long x) { InterlockedExchange(v, x); }
static inline long ws_atomic_inc(ws_atomic *v) { return InterlockedIncrement(v); }
static inline long ws_atomic_dec(ws_atomic *v) { return InterlockedDecrement(v); }
static inline long ws_atomic_cas(ws_atomic *v, long from, long to) { return InterlockedCompareExchange(v, to, from); }
static inline int64_t ws_atomic_load64(ws_atomic64 *v) { return InterlockedCompareExchange64(v, 0, 0); }
static inline void ws_atomic_store64(ws_atomic64 *v, int64_t x) { InterlockedExchange64(v, x); }
static inline int64_t ws_atomic_add64(ws_atomic64 *v, int64_t x) { return InterlockedExchangeAdd64(v, x) + x; }
static inline int64_t ws_atomic_cas64(ws_atomic64 *v, int64_t from, int64_t to)
{
    return InterlockedCompareExchange64(v, to, from);
}
static inline void *ws_atomic_load_ptr(void *volatile *p) { return InterlockedCompareExchangePointer(p, NULL, NULL); }
static inline void ws_atomic_store_ptr(void *volatile *p, void *v) { InterlockedExchangePointer(p, v); }
static inline void ws_atomic_publish_ptr(void *volatile *p, void *v) { InterlockedExchangePointer(p, v); }
#define WS_THREAD_LOCAL __declspec(thread)
#else
#error "wbemsink needs GCC, clang or MSVC atomics"
#endif

/* Milliseconds left until `deadline` (WS_INFINITE stays infinite). */
static inline uint32_t ws_ms_left(uint64_t deadline)
{
    if (deadline == UINT64_MAX) return WS_INFINITE;
    uint64_t now = ws_now_ms();
    return now >= deadline ? 0 : (uint32_t)(deadline - now);
}
static inline uint64_t ws_deadline(uint32_t ms)
{
    return ms == WS_INFINITE ? UINT64_MAX : ws_now_ms() + ms;
}

/* Threads: start returns 0 on success. On Windows a thread keeps the
   library's module loaded until it has returned (FreeLibrary by the program
   while a library thread still runs must not unmap the code it runs). */
typedef void (*ws_thread_fn)(void *arg);
int ws_thread_start(ws_thread *t, ws_thread_fn fn, void *arg);
void ws_thread_join(ws_thread t);
void ws_thread_detach(ws_thread t);

#endif
