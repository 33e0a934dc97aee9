/* A manual-reset event: a Win32 event (so users can WaitForMultipleObjects
   on it) or, on the host build, a flag under a mutex.

   Two waits: ws_event_wait is a plain one (library threads), and
   ws_event_wait_apartment is the one every wait of a caller's thread goes
   through: on Windows it keeps a single-threaded apartment's message queue
   moving while it waits (WMI's calls to a sink reach an STA through that
   queue, so a plain wait there would never see them); on the host build it
   is the plain wait. */
#ifndef WBEMSINK_EVENT_H
#define WBEMSINK_EVENT_H

#include "platform.h"

#ifdef _WIN32
typedef struct ws_event { HANDLE h; } ws_event;
static inline int ws_event_init(ws_event *e)
{
    e->h = CreateEventW(NULL, TRUE, FALSE, NULL);
    return e->h != NULL;
}
static inline void ws_event_destroy(ws_event *e) { if (e->h) CloseHandle(e->h); }
static inline void ws_event_set(ws_event *e) { SetEvent(e->h); }
static inline void ws_event_reset(ws_event *e) { ResetEvent(e->h); }
/* Returns 1 when set, 0 on timeout. */
static inline int ws_event_wait(ws_event *e, uint32_t ms)
{
    return WaitForSingleObject(e->h, ms) == WAIT_OBJECT_0;
}
/* As ws_event_wait, with CoWaitForMultipleHandles (platform.c). Call it
   holding no lock: the calls it dispatches may come back into the sink. */
int ws_event_wait_apartment(ws_event *e, uint32_t ms);
#else
typedef struct ws_event { ws_mutex m; ws_cond c; int set; } ws_event;
/* Host build only: called before every reset and wait, with no lock of the
   event held, so that a test can hold a thread at either point and force an
   interleaving (tests/host/host_port.c; does nothing unless a test asks). */
#define WS_EVENT_AT_RESET 1
#define WS_EVENT_AT_WAIT 2
void ws_host_event_hook(ws_event *e, int point);
static inline int ws_event_init(ws_event *e)
{
    ws_mutex_init(&e->m);
    ws_cond_init(&e->c);
    e->set = 0;
    return 1;
}
static inline void ws_event_destroy(ws_event *e)
{
    ws_cond_destroy(&e->c);
    ws_mutex_destroy(&e->m);
}
static inline void ws_event_set(ws_event *e)
{
    ws_lock(&e->m);
    e->set = 1;
    ws_broadcast(&e->c);
    ws_unlock(&e->m);
}
static inline int ws_event_wait(ws_event *e, uint32_t ms)
{
    ws_host_event_hook(e, WS_EVENT_AT_WAIT);
    uint64_t deadline = ws_deadline(ms);
    ws_lock(&e->m);
    while (!e->set) {
        uint32_t left = ws_ms_left(deadline);
        if (left == 0) break;
        ws_cond_wait_ms(&e->c, &e->m, left);
    }
    int set = e->set;
    ws_unlock(&e->m);
    return set;
}
static inline void ws_event_reset(ws_event *e)
{
    ws_host_event_hook(e, WS_EVENT_AT_RESET);
    ws_lock(&e->m);
    e->set = 0;
    ws_unlock(&e->m);
}
/* No apartments here. */
static inline int ws_event_wait_apartment(ws_event *e, uint32_t ms) { return ws_event_wait(e, ms); }
#endif
#endif
