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

/* ---- §4: the order of status calls (produce.c, queue_status_locked) ---- */

#define PROGRESS(cur, total) ((HRESULT)(((uint32_t)(total) << 16) | (uint32_t)(cur)))

/* Only a progress call takes the place of a queued progress call: a
   REQUIREMENTS call behind PROGRESS(1/10) is queued after it, and both
   run, once each. */
static void test_status_does_not_replace_progress(void **state)
{
    (void)state;
    host_rec r;
    host_rec_init(&r);
    wbemsink *s = ws_make(&r, WBEMSINK_MODE_PULL, 0, WBEMSINK_FULL_WAIT, 0);
    assert_int_equal(host_set_status(s, WBEM_STATUS_PROGRESS, PROGRESS(1, 10), NULL, NULL), WBEM_S_NO_ERROR);
    assert_int_equal(host_set_status(s, WBEM_STATUS_REQUIREMENTS, S_OK, L"req", NULL), WBEM_S_NO_ERROR);
    assert_int_equal(host_set_status(s, WBEM_STATUS_COMPLETE, S_OK, NULL, NULL), WBEM_S_NO_ERROR);
    IWbemClassObject *o = NULL;
    assert_int_equal(wbemsink_next(s, 1000, &o), WBEM_S_NO_MORE_DATA);
    assert_int_equal(r.progress, 1);
    assert_int_equal(r.last_current, 1);
    assert_int_equal(r.last_total, 10);
    assert_int_equal(r.requirements, 1);
    assert_int_equal(r.completes, 1);
    wbemsink_stats st;
    assert_int_equal(wbemsink_get_stats(s, &st), S_OK);
    assert_int_equal(st.status_coalesced, 0);
    assert_int_equal(st.status_calls, 3);
    host_release(&r, s);
}

/* Progress coalesces only with the progress right before it: PROGRESS(1/3),
   an object, PROGRESS(2/3) is three entries, and 2/3 comes after the
   object it reports on. */
static void test_progress_does_not_coalesce_across_objects(void **state)
{
    (void)state;
    host_rec r;
    host_rec_init(&r);
    wbemsink *s = ws_make(&r, WBEMSINK_MODE_PULL, 0, WBEMSINK_FULL_WAIT, 0);
    IWbemClassObject *pool = host_objects_new(1), *p[1];
    ws_ptrs(pool, 0, 1, p);
    assert_int_equal(host_set_status(s, WBEM_STATUS_PROGRESS, PROGRESS(1, 3), NULL, NULL), WBEM_S_NO_ERROR);
    assert_int_equal(host_indicate(s, 1, p), WBEM_S_NO_ERROR);
    assert_int_equal(host_set_status(s, WBEM_STATUS_PROGRESS, PROGRESS(2, 3), NULL, NULL), WBEM_S_NO_ERROR);
    IWbemClassObject *o = NULL;
    assert_int_equal(wbemsink_next(s, 1000, &o), S_OK);   /* 1/3 runs on the way */
    assert_ptr_equal(o, p[0]);
    host_object_release(o);
    assert_int_equal(r.progress, 1);
    assert_int_equal(r.last_current, 1);
    assert_int_equal(wbemsink_next(s, 0, &o), WBEM_S_TIMEDOUT);   /* 2/3 runs */
    assert_int_equal(r.progress, 2);
    assert_int_equal(r.last_current, 2);
    wbemsink_stats st;
    assert_int_equal(wbemsink_get_stats(s, &st), S_OK);
    assert_int_equal(st.status_coalesced, 0);
    host_set_status(s, WBEM_STATUS_COMPLETE, S_OK, NULL, NULL);
    host_release(&r, s);
    ws_pool_done(pool, 1);
}

/* ---- §4: the Ex gate (op.c, ws_cb_enter_locked) ---- */

/* Callbacks that block where a test wants them. */
typedef struct blocker {
    gate objects;            /* on_objects waits here */
    long completes;
    HRESULT complete_hr;
    long ex_inside;          /* an Ex "callback" runs (ws_ex_enter .. leave) */
    long complete_saw_ex;    /* on_complete ran while one did */
} blocker;

static HRESULT blocker_objects(void *ctx, IWbemClassObject *const *objs, LONG n)
{
    (void)objs;
    (void)n;
    gate_pass(&((blocker *)ctx)->objects);
    return S_OK;
}

static void blocker_complete(void *ctx, HRESULT hr, const wchar_t *param, IWbemClassObject *obj)
{
    blocker *b = ctx;
    (void)param;
    (void)obj;
    b->complete_hr = hr;
    if (__atomic_load_n(&b->ex_inside, __ATOMIC_ACQUIRE)) b->complete_saw_ex = 1;
    __atomic_add_fetch(&b->completes, 1, __ATOMIC_ACQ_REL);
}

static wbemsink *blocker_sink(blocker *b, wbemsink_mode mode)
{
    memset(b, 0, sizeof(*b));
    gate_init(&b->objects);
    wbemsink_callbacks cb;
    memset(&cb, 0, sizeof(cb));
    cb.context = b;
    cb.on_objects = blocker_objects;
    cb.on_complete = blocker_complete;
    wbemsink_options o;
    memset(&o, 0, sizeof(o));
    o.mode = mode;
    wbemsink *s = NULL;
    assert_int_equal(wbemsink_create(&cb, &o, &s), S_OK);
    return s;
}

/* The end is known (a cancel) while on_objects still runs: on_complete is
   due, and an IWbemObjectSinkEx call from WMI (WriteMessage...) that comes
   now is refused with WBEM_E_CALL_CANCELLED, its callback not run. */
static void test_ex_refused_between_end_and_complete(void **state)
{
    (void)state;
    blocker b;
    wbemsink *s = blocker_sink(&b, WBEMSINK_MODE_THREAD);
    IWbemClassObject *pool = host_objects_new(1), *p[1];
    ws_ptrs(pool, 0, 1, p);
    assert_int_equal(host_indicate(s, 1, p), WBEM_S_NO_ERROR);
    assert_true(gate_wait_arrived(&b.objects, 5000));
    assert_int_equal(wbemsink_cancel(s, NULL), S_OK);
    ws_cb_frame f;
    HRESULT refused = E_FAIL;
    int ran = ws_ex_enter(s, &f, &refused);   /* what src/win/sink.c does first */
    if (ran) ws_ex_leave(s, &f);
    assert_int_equal(ran, 0);
    assert_int_equal(refused, WBEM_E_CALL_CANCELLED);
    gate_open(&b.objects);
    assert_int_equal(wbemsink_wait(s, 5000, NULL), S_OK);
    assert_int_equal(b.completes, 1);
    assert_int_equal(b.complete_hr, WBEM_E_CALL_CANCELLED);
    wbemsink_stats st;
    assert_int_equal(wbemsink_get_stats(s, &st), S_OK);
    assert_int_equal(st.ignored_calls, 1);
    wbemsink_release(s);
    gate_destroy(&b.objects);
    ws_pool_done(pool, 1);
}

/* An Ex callback (on_write_message, say) runs on WMI's thread when the
   COMPLETE comes: on_complete waits until it has returned. */
typedef struct ex_caller {
    wbemsink *sink;
    blocker *b;
    gate inside;
    int ran;
} ex_caller;

static void *ex_caller_run(void *arg)
{
    ex_caller *c = arg;
    ws_cb_frame f;
    HRESULT refused;
    c->ran = ws_ex_enter(c->sink, &f, &refused);
    if (!c->ran) return NULL;
    __atomic_store_n(&c->b->ex_inside, 1, __ATOMIC_RELEASE);
    gate_pass(&c->inside);   /* the callback, blocked */
    __atomic_store_n(&c->b->ex_inside, 0, __ATOMIC_RELEASE);
    ws_ex_leave(c->sink, &f);
    return NULL;
}

static void test_complete_waits_for_ex_callback(void **state)
{
    (void)state;
    blocker b;
    wbemsink *s = blocker_sink(&b, WBEMSINK_MODE_THREAD);
    ex_caller c;
    memset(&c, 0, sizeof(c));
    c.sink = s;
    c.b = &b;
    gate_init(&c.inside);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, ex_caller_run, &c), 0);
    assert_true(gate_wait_arrived(&c.inside, 5000));
    assert_int_equal(host_set_status(s, WBEM_STATUS_COMPLETE, S_OK, NULL, NULL), WBEM_S_NO_ERROR);
    host_sleep_us(200000);   /* time enough for an on_complete that does not wait */
    assert_int_equal(__atomic_load_n(&b.completes, __ATOMIC_ACQUIRE), 0);
    gate_open(&c.inside);
    pthread_join(t, NULL);
    assert_int_equal(c.ran, 1);
    assert_int_equal(wbemsink_wait(s, 5000, NULL), S_OK);
    assert_int_equal(b.completes, 1);
    assert_int_equal(b.complete_saw_ex, 0);
    wbemsink_release(s);
    gate_destroy(&c.inside);
    gate_destroy(&b.objects);
}

/* ---- §4: wake-ups and ends ---- */

/* A puller asleep in wbemsink_next when the caller cancels wakes with the
   end itself, not only with the kick that follows it: the kick comes after
   CancelAsyncCall returns, which may take long (here it waits for the
   puller, up to 3 s). */
static struct {
    ws_event *event;
    long puller_waiting, puller_back, back_during_cancel;
} g_end;

static void end_wait_hook(ws_event *e, int point)
{
    if (e == g_end.event && point == WS_EVENT_AT_WAIT) __atomic_store_n(&g_end.puller_waiting, 1, __ATOMIC_RELEASE);
}

static void cancel_waits_for_puller(IWbemServices *svc)
{
    (void)svc;
    uint64_t deadline = ws_now_ms() + 3000;
    while (!__atomic_load_n(&g_end.puller_back, __ATOMIC_ACQUIRE) && ws_now_ms() < deadline) host_sleep_us(200);
    g_end.back_during_cancel = __atomic_load_n(&g_end.puller_back, __ATOMIC_ACQUIRE);
}

static void *end_puller(void *arg)
{
    puller *p = arg;
    p->hr = wbemsink_next(p->sink, p->timeout_ms, &p->got);
    __atomic_store_n(&g_end.puller_back, 1, __ATOMIC_RELEASE);
    return NULL;
}

static void test_pull_end_wakes_puller(void **state)
{
    (void)state;
    host_rec r;
    host_rec_init(&r);
    wbemsink *s = ws_make(&r, WBEMSINK_MODE_PULL, 0, WBEMSINK_FULL_WAIT, 0);
    IWbemServices *svc = host_services_new(S_OK);
    svc->cancel_hook = cancel_waits_for_puller;
    memset(&g_end, 0, sizeof(g_end));
    g_end.event = &s->pull_ready;
    host_set_event_hook(end_wait_hook);
    puller p = { s, 'P', 10000, E_FAIL, NULL, 0 };
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, end_puller, &p), 0);
    uint64_t deadline = ws_now_ms() + 5000;
    while (!__atomic_load_n(&g_end.puller_waiting, __ATOMIC_ACQUIRE) && ws_now_ms() < deadline) host_sleep_us(200);
    assert_int_equal(wbemsink_cancel(s, svc), S_OK);
    pthread_join(t, NULL);
    host_set_event_hook(NULL);
    assert_int_equal(svc->cancels, 1);
    assert_int_equal(g_end.back_during_cancel, 1);
    assert_int_equal(p.hr, WBEM_E_CALL_CANCELLED);
    assert_null(p.got);
    host_release(&r, s);
    assert_int_equal(host_services_release(svc), 0);
}

/* The deadline's watch thread sleeps until the deadline on `changed`: the
   end must wake it, so that it gives back its reference on the sink at
   once, not 60 s later. */
static void test_end_wakes_deadline_watch(void **state)
{
    (void)state;
    host_rec r;
    host_rec_init(&r);
    wbemsink_options o;
    memset(&o, 0, sizeof(o));
    o.mode = WBEMSINK_MODE_THREAD;
    o.timeout_ms = 60000;
    wbemsink_callbacks cb = host_rec_callbacks(&r);
    wbemsink *s = NULL;
    assert_int_equal(wbemsink_create(&cb, &o, &s), S_OK);
    r.sink = s;
    /* The watch thread asleep first (one that starts after the end never
       sleeps, and would let go anyway). */
    host_sleep_us(200000);
    assert_int_equal(host_set_status(s, WBEM_STATUS_COMPLETE, S_OK, NULL, NULL), WBEM_S_NO_ERROR);
    assert_int_equal(wbemsink_wait(s, 5000, NULL), S_OK);
    uint64_t t0 = ws_now_ms();
    while (ws_atomic_load(&s->ref) != 1 && ws_now_ms() - t0 < 1000) host_sleep_us(200);
    /* Only the caller's reference left within 1 s of the COMPLETE. */
    assert_int_equal(ws_atomic_load(&s->ref), 1);
    host_release(&r, s);
}

/* ---- issue 19 §6: objects in on_objects count against the room ---- */

/* The drainer takes the whole queue for one on_objects call; while it runs,
   the room paced delivery waits for (ws_wait_room) does not include those
   objects' places: they are still held. When on_objects returns, a waiting
   producer gets the room at once. */
typedef struct room_waiter {
    wbemsink *sink;
    HRESULT hr;
    size_t room;
    uint64_t returned_ms;
} room_waiter;

static void *room_waiter_run(void *arg)
{
    room_waiter *w = arg;
    w->hr = ws_wait_room(w->sink, 8, 5000, &w->room);
    w->returned_ms = ws_now_ms();
    return NULL;
}

static void test_objects_in_callback_hold_their_room(void **state)
{
    (void)state;
    blocker b;
    memset(&b, 0, sizeof(b));
    gate_init(&b.objects);
    wbemsink_callbacks cb;
    memset(&cb, 0, sizeof(cb));
    cb.context = &b;
    cb.on_objects = blocker_objects;
    cb.on_complete = blocker_complete;
    wbemsink_options o;
    memset(&o, 0, sizeof(o));
    o.mode = WBEMSINK_MODE_THREAD;
    o.capacity = 8;
    wbemsink *s = NULL;
    assert_int_equal(wbemsink_create(&cb, &o, &s), S_OK);
    IWbemClassObject *pool = host_objects_new(8), *p[8];
    ws_ptrs(pool, 0, 8, p);
    size_t room = 99;
    assert_int_equal(ws_wait_room(s, 8, 0, &room), S_OK);
    assert_int_equal(room, 8);
    assert_int_equal(host_indicate(s, 8, p), WBEM_S_NO_ERROR);
    assert_true(gate_wait_arrived(&b.objects, 5000));   /* all 8 in on_objects */
    assert_int_equal(ws_wait_room(s, 1, 0, &room), WBEM_S_TIMEDOUT);
    assert_int_equal(room, 0);
    room_waiter w = { s, E_FAIL, 99, 0 };
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, room_waiter_run, &w), 0);
    host_sleep_us(50000);
    uint64_t let_go = ws_now_ms();
    gate_open(&b.objects);
    pthread_join(t, NULL);
    assert_int_equal(w.hr, S_OK);
    assert_int_equal(w.room, 8);
    /* Woken when on_objects returned, not at the end of its 5 s wait. */
    if (w.returned_ms - let_go >= 2000)
        fail_msg("the room waiter slept %llu ms after on_objects returned",
                 (unsigned long long)(w.returned_ms - let_go));
    host_set_status(s, WBEM_STATUS_COMPLETE, S_OK, NULL, NULL);
    assert_int_equal(wbemsink_wait(s, 5000, NULL), S_OK);
    wbemsink_release(s);
    gate_destroy(&b.objects);
    ws_pool_done(pool, 8);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        WS_TEST(test_two_pullers_swallowed_wakeup),
        WS_TEST(test_shared_dispatcher_freed_under_releaser),
        WS_TEST(test_status_does_not_replace_progress),
        WS_TEST(test_progress_does_not_coalesce_across_objects),
        WS_TEST(test_ex_refused_between_end_and_complete),
        WS_TEST(test_complete_waits_for_ex_callback),
        WS_TEST(test_pull_end_wakes_puller),
        WS_TEST(test_end_wakes_deadline_watch),
        WS_TEST(test_objects_in_callback_hold_their_room),
    };
    return cmocka_run_group_tests_name("host_protocol", tests, NULL, NULL);
}
