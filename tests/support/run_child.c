/* See run_child.h. */
#include "test_support.h"
#include "run_child.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

typedef struct sink_buf {
    HANDLE pipe;
    char *data;
    size_t len;
    DWORD delay_ms;          /* before the first read */
    size_t close_after;      /* nonzero: close the pipe after this many bytes */
} sink_buf;

static DWORD WINAPI drain(void *p)
{
    sink_buf *b = p;
    char chunk[4096];
    DWORD got;
    DWORD want = b->close_after ? 1 : sizeof chunk;   /* byte by byte up to the close */
    if (b->delay_ms) Sleep(b->delay_ms);
    while (ReadFile(b->pipe, chunk, want, &got, NULL) && got > 0) {
        char *grown = realloc(b->data, b->len + got + 1);
        if (!grown) break;
        b->data = grown;
        memcpy(b->data + b->len, chunk, got);
        b->len += got;
        b->data[b->len] = 0;
        if (b->close_after && b->len >= b->close_after) {
            CloseHandle(b->pipe);          /* the reader goes away */
            b->pipe = NULL;
            break;
        }
    }
    return 0;
}

void child_exe_path(const char *built, wchar_t *out, size_t size)
{
    size_t n = 0;
    if (built[0] == '/' && size > 3) {
        out[n++] = L'Z';
        out[n++] = L':';
    }
    for (; *built && n + 1 < size; built++) out[n++] = *built == '/' ? L'\\' : (wchar_t)(unsigned char)*built;
    out[n] = 0;
}

DWORD run_child_ex(const wchar_t *exe, const wchar_t *args, const run_child_options *options,
                   char **out, char **err)
{
    run_child_options none = { 0 };
    const run_child_options *o = options ? options : &none;
    size_t size = wcslen(exe) + wcslen(args) + 4;
    wchar_t *cmd = malloc(size * sizeof(wchar_t));
    assert_non_null(cmd);
    swprintf(cmd, size, L"\"%ls\" %ls", exe, args);
    SECURITY_ATTRIBUTES sa = { sizeof(sa), NULL, TRUE };
    HANDLE out_r, out_w, err_r, err_w;
    assert_true(CreatePipe(&out_r, &out_w, &sa, o->out_size));
    assert_true(CreatePipe(&err_r, &err_w, &sa, 0));
    SetHandleInformation(out_r, HANDLE_FLAG_INHERIT, 0);
    SetHandleInformation(err_r, HANDLE_FLAG_INHERIT, 0);
    STARTUPINFOW si;
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = o->in ? o->in : GetStdHandle(STD_INPUT_HANDLE);
    si.hStdOutput = out_w;
    si.hStdError = err_w;
    PROCESS_INFORMATION pi;
    /* Wine's process creation now and then fails with ERROR_INTERNAL_ERROR
       on a loaded machine (seen in CI, once in a run): that is not the
       tool's behaviour under test, so it is tried again a few times. */
    BOOL started = FALSE;
    for (int attempt = 0; attempt < 5 && !started; attempt++) {
        started = CreateProcessW(exe, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi);
        if (!started && GetLastError() != ERROR_INTERNAL_ERROR) break;
        if (!started) Sleep(200);
    }
    if (!started) {
        print_error("cannot start %ls: error %lu\n", exe, (unsigned long)GetLastError());
        fail();
    }
    free(cmd);
    CloseHandle(out_w);
    CloseHandle(err_w);
    sink_buf ob = { out_r, NULL, 0, o->out_delay_ms, o->close_after }, eb = { err_r, NULL, 0, 0, 0 };
    HANDLE t[2] = { CreateThread(NULL, 0, drain, &ob, 0, NULL), CreateThread(NULL, 0, drain, &eb, 0, NULL) };
    assert_int_equal(WaitForSingleObject(pi.hProcess, 60000), WAIT_OBJECT_0);
    WaitForMultipleObjects(2, t, TRUE, 10000);
    DWORD code = 0;
    GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(t[0]);
    CloseHandle(t[1]);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    if (ob.pipe) CloseHandle(ob.pipe);
    CloseHandle(err_r);
    *out = ob.data ? ob.data : calloc(1, 1);
    *err = eb.data ? eb.data : calloc(1, 1);
    return code;
}

DWORD run_child(const wchar_t *exe, const wchar_t *args, char **out, char **err)
{
    return run_child_ex(exe, args, NULL, out, err);
}
