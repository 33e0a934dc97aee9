#include "platform.h"
#include "event.h"
#include <stdlib.h>
#ifdef _WIN32
#include <objbase.h>
#endif

typedef struct start_args {
    ws_thread_fn fn;
    void *arg;
#ifdef _WIN32
    HMODULE module;   /* the module holding this code, pinned while the thread runs */
#endif
} start_args;

#ifdef _WIN32
/* Any address inside this module names it to GetModuleHandleEx. */
static const char module_anchor;

static DWORD WINAPI trampoline(void *p)
{
    start_args a = *(start_args *)p;
    free(p);
    a.fn(a.arg);
    /* Drops the module reference taken in ws_thread_start; this call does
       not return into the (maybe unmapped) module. */
    FreeLibraryAndExitThread(a.module, 0);
    return 0;
}

int ws_thread_start(ws_thread *t, ws_thread_fn fn, void *arg)
{
    start_args *a = malloc(sizeof(*a));
    if (!a) return -1;
    a->fn = fn;
    a->arg = arg;
    if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS, (LPCWSTR)&module_anchor, &a->module)) {
        free(a);
        return -1;
    }
    *t = CreateThread(NULL, 0, trampoline, a, 0, NULL);
    if (!*t) {
        FreeLibrary(a->module);
        free(a);
        return -1;
    }
    return 0;
}

void ws_thread_join(ws_thread t)
{
    WaitForSingleObject(t, INFINITE);
    CloseHandle(t);
}

void ws_thread_detach(ws_thread t) { CloseHandle(t); }

/* In an STA, CoWaitForMultipleHandles dispatches the messages sent to the
   thread (COM's calls into its objects among them) while it waits; in an
   MTA it is a plain wait. */
int ws_event_wait_apartment(ws_event *e, uint32_t ms)
{
    uint64_t deadline = ws_deadline(ms);
    DWORD index = 0;
    HRESULT hr = CoWaitForMultipleHandles(COWAIT_DEFAULT, ms, 1, &e->h, &index);
    if (hr == S_OK) return 1;
    if (hr == RPC_S_CALLPENDING) return 0;   /* the time ran out */
    /* CO_E_NOTINITIALIZED (no apartment on this thread: nothing to keep
       moving), or any other failure: the handle is still good, so a plain
       wait for the time left. */
    return ws_event_wait(e, ws_ms_left(deadline));
}
#else
static void *trampoline(void *p)
{
    start_args a = *(start_args *)p;
    free(p);
    a.fn(a.arg);
    return NULL;
}

int ws_thread_start(ws_thread *t, ws_thread_fn fn, void *arg)
{
    start_args *a = malloc(sizeof(*a));
    if (!a) return -1;
    a->fn = fn;
    a->arg = arg;
    if (pthread_create(t, NULL, trampoline, a) != 0) { free(a); return -1; }
    return 0;
}

void ws_thread_join(ws_thread t) { pthread_join(t, NULL); }
void ws_thread_detach(ws_thread t) { pthread_detach(t); }
#endif
