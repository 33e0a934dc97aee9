/* The core's protocol, pinned: wake-ups, ends, the order of status calls,
   the Ex gate and the shared dispatcher's life. Each test here forces the
   interleaving or the ordering it is about (hooks of host_port.h, blocked
   callbacks), so that it fails on the one change to the core it names,
   every run, rather than now and then under load (issue 22, §3 and §4). */
#include "host_test.h"
#include <pthread.h>
#include <wchar.h>

/* ---- a gate: a thread waits at it until the test opens it ---- */

typedef struct gate {
    pthread_mutex_t m;
    pthread_cond_t c;
    int arrived, open;
} gate;

static void gate_init(gate *g)
{
    pthread_mutex_init(&g->m, NULL);
    pthread_cond_init(&g->c, NULL);
    g->arrived = g->open = 0;
}

static void gate_destroy(gate *g)
{
    pthread_cond_destroy(&g->c);
    pthread_mutex_destroy(&g->m);
}

/* The thread's side: says it is there, waits until opened. */
static void gate_pass(gate *g)
{
    pthread_mutex_lock(&g->m);
    g->arrived = 1;
    pthread_cond_broadcast(&g->c);
    while (!g->open) pthread_cond_wait(&g->c, &g->m);
    pthread_mutex_unlock(&g->m);
}

/* The test's side: waits (bounded) until a thread is at the gate. */
static int gate_wait_arrived(gate *g, unsigned ms)
{
    uint64_t deadline = ws_now_ms() + ms;
    pthread_mutex_lock(&g->m);
    while (!g->arrived && ws_now_ms() < deadline) {
        pthread_mutex_unlock(&g->m);
        host_sleep_us(200);
        pthread_mutex_lock(&g->m);
    }
    int arrived = g->arrived;
    pthread_mutex_unlock(&g->m);
    return arrived;
}

static void gate_open(gate *g)
{
    pthread_mutex_lock(&g->m);
    g->open = 1;
    pthread_cond_broadcast(&g->c);
    pthread_mutex_unlock(&g->m);
}

/* ---- §3: the lost wake-up with two pullers ---- */

/* Puller B is held just before it sleeps (armed, the event reset); puller A
   is held in its turn between arming and its own reset. X1 arrives then:
   its kick disarms and sets the event, which A's reset swallows; A finds
   X1, takes it and leaves. X2 arrives, and B, let go, must get it at once:
   a protocol that left the pullers disarmed has nobody set the event, and
   B sleeps until its own timeout. */
static struct {
    ws_event *event;
    gate b_at_wait, a_at_reset;
    int b_held, a_held;
} g_pull;
static _Thread_local char t_role;

static void pull_hook(ws_event *e, int point)
{
    if (e != g_pull.event) return;
    if (t_role == 'B' && point == WS_EVENT_AT_WAIT && !g_pull.b_held) {
        g_pull.b_held = 1;
        gate_pass(&g_pull.b_at_wait);
    } else if (t_role == 'A' && point == WS_EVENT_AT_RESET && !g_pull.a_held) {
        g_pull.a_held = 1;
        gate_pass(&g_pull.a_at_reset);
    }
}

typedef struct puller {
    wbemsink *sink;
    char role;
    DWORD timeout_ms;
    HRESULT hr;
    IWbemClassObject *got;
    uint64_t returned_ms;
} puller;

static void *puller_run(void *arg)
{
    puller *p = arg;
    t_role = p->role;
    p->hr = wbemsink_next(p->sink, p->timeout_ms, &p->got);
    p->returned_ms = ws_now_ms();
    return NULL;
}

static void test_two_pullers_swallowed_wakeup(void **state)
{
    (void)state;
    host_rec r;
    host_rec_init(&r);
    wbemsink *s = ws_make(&r, WBEMSINK_MODE_PULL, 0, WBEMSINK_FULL_WAIT, 0);
    IWbemClassObject *pool = host_objects_new(3), *p[3];
    ws_ptrs(pool, 0, 3, p);
    /* The first Indicate takes the lock and gives the ring its segment;
       the later ones take the fast path, without the sink's lock (which A
       holds while it is held at its reset). */
    IWbemClassObject *o = NULL;
    assert_int_equal(host_indicate(s, 1, &p[0]), WBEM_S_NO_ERROR);
    assert_int_equal(wbemsink_next(s, 1000, &o), S_OK);
    assert_ptr_equal(o, p[0]);
    host_object_release(o);

    memset(&g_pull, 0, sizeof(g_pull));
    g_pull.event = &s->pull_ready;
    gate_init(&g_pull.b_at_wait);
    gate_init(&g_pull.a_at_reset);
    host_set_event_hook(pull_hook);

    puller a = { s, 'A', 4000, E_FAIL, NULL, 0 }, b = { s, 'B', 4000, E_FAIL, NULL, 0 };
    pthread_t ta, tb;
    assert_int_equal(pthread_create(&tb, NULL, puller_run, &b), 0);
    assert_true(gate_wait_arrived(&g_pull.b_at_wait, 5000));
    assert_int_equal(pthread_create(&ta, NULL, puller_run, &a), 0);
    assert_true(gate_wait_arrived(&g_pull.a_at_reset, 5000));

    assert_int_equal(host_indicate(s, 1, &p[1]), WBEM_S_NO_ERROR);   /* X1 */
    gate_open(&g_pull.a_at_reset);
    pthread_join(ta, NULL);
    assert_int_equal(a.hr, S_OK);
    assert_ptr_equal(a.got, p[1]);

    assert_int_equal(host_indicate(s, 1, &p[2]), WBEM_S_NO_ERROR);   /* X2 */
    uint64_t let_go = ws_now_ms();
    gate_open(&g_pull.b_at_wait);
    pthread_join(tb, NULL);
    host_set_event_hook(NULL);
    assert_int_equal(b.hr, S_OK);
    assert_ptr_equal(b.got, p[2]);
    /* At once, not at its 4 s timeout (which also ends in S_OK). */
    if (b.returned_ms - let_go >= 2000)
        fail_msg("puller B slept %llu ms after X2 arrived", (unsigned long long)(b.returned_ms - let_go));

    host_object_release(a.got);
    host_object_release(b.got);
    host_set_status(s, WBEM_STATUS_COMPLETE, S_OK, NULL, NULL);
    assert_int_equal(wbemsink_next(s, 1000, &o), WBEM_S_NO_MORE_DATA);
    host_release(&r, s);
    gate_destroy(&g_pull.b_at_wait);
    gate_destroy(&g_pull.a_at_reset);
    ws_pool_done(pool, 3);
}

/* ---- §3: the shared dispatcher signalled after it freed itself ---- */

/* The last THREAD sink goes, and with it the shared dispatcher's count;
   with a linger of 0 its thread ends as soon as it sees the count at 0,
   and frees the dispatcher. The releaser still signals it after that. The
   hook holds the releaser between the count reaching 0 and its signal,
   wakes the thread there with a task that does nothing, and gives it time
   to end: it must not have freed itself before the releaser is done with
   it (the allocator's live count says; ASan and TSan also see the use). */
static long g_idle_hooks, g_noop_ran, g_freed_under_releaser;

static void noop_task(ws_task *t)
{
    (void)t;
    __atomic_store_n(&g_noop_ran, 1, __ATOMIC_RELEASE);
}

static void idle_hook(wbemsink_dispatcher *d)
{
    static ws_task noop;
    g_idle_hooks++;
    long live = host_alloc_live();
    memset(&noop, 0, sizeof(noop));
    noop.run = noop_task;
    noop.scheduled = 1;
    ws_dispatcher_post(d, &noop);
    uint64_t deadline = ws_now_ms() + 5000;
    while (!__atomic_load_n(&g_noop_ran, __ATOMIC_ACQUIRE) && ws_now_ms() < deadline) host_sleep_us(200);
    host_sleep_us(100000);   /* time enough for the thread to end, if it may */
    if (host_alloc_live() < live) g_freed_under_releaser = 1;
}

static void test_shared_dispatcher_freed_under_releaser(void **state)
{
    (void)state;
    host_rec r;
    host_rec_init(&r);
    wbemsink *s = ws_make(&r, WBEMSINK_MODE_THREAD, 0, WBEMSINK_FULL_WAIT, 0);
    /* The dispatcher's thread has started (and freed its start block)
       once it ran on_complete: nothing else is freed inside the hook. */
    host_set_status(s, WBEM_STATUS_COMPLETE, S_OK, NULL, NULL);
    assert_int_equal(wbemsink_wait(s, 5000, NULL), S_OK);
    /* The dispatcher gives back its reference after on_complete: then ours
       is the last, and the release below is the dispatcher's last too. */
    uint64_t deadline = ws_now_ms() + 5000;
    while (ws_atomic_load(&s->ref) != 1 && ws_now_ms() < deadline) host_sleep_us(200);
    assert_int_equal(ws_atomic_load(&s->ref), 1);
    g_idle_hooks = g_noop_ran = g_freed_under_releaser = 0;
    host_set_dispatcher_idle_hook(idle_hook);
    host_release(&r, s);   /* the last sink: the shared dispatcher's count goes to 0 */
    host_set_dispatcher_idle_hook(NULL);
    assert_int_equal(g_idle_hooks, 1);
    assert_int_equal(g_noop_ran, 1);
    assert_int_equal(g_freed_under_releaser, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        WS_TEST(test_two_pullers_swallowed_wakeup),
        WS_TEST(test_shared_dispatcher_freed_under_releaser),
    };
    return cmocka_run_group_tests_name("host_protocol", tests, NULL, NULL);
}
