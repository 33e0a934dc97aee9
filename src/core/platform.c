#include "platform.h"
#include <stdlib.h>

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
