/* A counting allocator for the host tests. The core's sources and the
   host shell are compiled with -include host_alloc_redirect.h, which sends
   their malloc/calloc/realloc/free here; nothing else is counted (test code,
   CMocka, libc's internal allocations, libFuzzer). The sanitizers still see
   every block: these call the real (interposed) allocator. Counting blocks,
   not bytes, is enough to prove that the library's memory returns to zero,
   and needs no header that would hide overflows from ASan.

   Failure injection: host_alloc_fail_nth(n) makes the nth next counted
   allocation return NULL, to drive the E_OUTOFMEMORY paths. */
#include "host_port.h"
#include <stdlib.h>
#include <time.h>

void *host_counted_malloc(size_t n);
void *host_counted_calloc(size_t n, size_t size);
void *host_counted_realloc(void *p, size_t n);
void host_counted_free(void *p);

static long g_live;
static long long g_total, g_failures;
static long g_fail_countdown;   /* 0: off */

static int should_fail(void)
{
    long c = __atomic_load_n(&g_fail_countdown, __ATOMIC_ACQUIRE);
    while (c > 0) {
        if (__atomic_compare_exchange_n(&g_fail_countdown, &c, c - 1, 0, __ATOMIC_ACQ_REL,
                                        __ATOMIC_ACQUIRE)) {
            if (c == 1) {
                __atomic_add_fetch(&g_failures, 1, __ATOMIC_RELAXED);
                return 1;
            }
            return 0;
        }
    }
    return 0;
}

void *host_counted_malloc(size_t n)
{
    if (should_fail()) return NULL;
    void *p = malloc(n);
    if (p) {
        __atomic_add_fetch(&g_live, 1, __ATOMIC_ACQ_REL);
        __atomic_add_fetch(&g_total, 1, __ATOMIC_RELAXED);
    }
    return p;
}

void *host_counted_calloc(size_t n, size_t size)
{
    if (should_fail()) return NULL;
    void *p = calloc(n, size);
    if (p) {
        __atomic_add_fetch(&g_live, 1, __ATOMIC_ACQ_REL);
        __atomic_add_fetch(&g_total, 1, __ATOMIC_RELAXED);
    }
    return p;
}

void *host_counted_realloc(void *old, size_t n)
{
    if (!old) return host_counted_malloc(n);
    if (n == 0) {
        host_counted_free(old);
        return NULL;
    }
    if (should_fail()) return NULL;
    return realloc(old, n);
}

void host_counted_free(void *p)
{
    if (!p) return;
    __atomic_sub_fetch(&g_live, 1, __ATOMIC_ACQ_REL);
    free(p);
}

long host_alloc_live(void) { return __atomic_load_n(&g_live, __ATOMIC_ACQUIRE); }
long long host_alloc_total(void) { return __atomic_load_n(&g_total, __ATOMIC_ACQUIRE); }
long long host_alloc_failures(void) { return __atomic_load_n(&g_failures, __ATOMIC_ACQUIRE); }
void host_alloc_fail_nth(long n) { __atomic_store_n(&g_fail_countdown, n < 0 ? 0 : n, __ATOMIC_RELEASE); }

long host_alloc_settle(long base, unsigned timeout_ms)
{
    uint64_t deadline = ws_now_ms() + timeout_ms;
    long live;
    while ((live = host_alloc_live()) != base && ws_now_ms() < deadline) host_sleep_us(500);
    return live;
}

void *host_raw_calloc(size_t n, size_t size) { return calloc(n, size); }
void host_raw_free(void *p) { free(p); }

void host_sleep_us(unsigned us)
{
    struct timespec t = { (time_t)(us / 1000000u), (long)(us % 1000000u) * 1000L };
    nanosleep(&t, NULL);
}

uint64_t host_rand(uint64_t *state)
{
    uint64_t x = *state ? *state : 0x9e3779b97f4a7c15ull;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 0x2545f4914f6cdd1dull;
}
