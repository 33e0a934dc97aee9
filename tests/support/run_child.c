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
} sink_buf;

static DWORD WINAPI drain(void *p)
{
    sink_buf *b = p;
    char chunk[4096];
    DWORD got;
    while (ReadFile(b->pipe, chunk, sizeof chunk, &got, NULL) && got > 0) {
        char *grown = realloc(b->data, b->len + got + 1);
        if (!grown) break;
        b->data = grown;
        memcpy(b->data + b->len, chunk, got);
        b->len += got;
        b->data[b->len] = 0;
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

DWORD run_child(const wchar_t *exe, const wchar_t *args, char **out, char **err)
{
    size_t size = wcslen(exe) + wcslen(args) + 4;
    wchar_t *cmd = malloc(size * sizeof(wchar_t));
    assert_non_null(cmd);
    swprintf(cmd, size, L"\"%ls\" %ls", exe, args);
    SECURITY_ATTRIBUTES sa = { sizeof(sa), NULL, TRUE };
    HANDLE out_r, out_w, err_r, err_w;
    assert_true(CreatePipe(&out_r, &out_w, &sa, 0));
    assert_true(CreatePipe(&err_r, &err_w, &sa, 0));
    SetHandleInformation(out_r, HANDLE_FLAG_INHERIT, 0);
    SetHandleInformation(err_r, HANDLE_FLAG_INHERIT, 0);
    STARTUPINFOW si;
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    si.hStdOutput = out_w;
    si.hStdError = err_w;
    PROCESS_INFORMATION pi;
    if (!CreateProcessW(exe, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi)) {
        print_error("cannot start %ls: error %lu\n", exe, (unsigned long)GetLastError());
        fail();
    }
    free(cmd);
    CloseHandle(out_w);
    CloseHandle(err_w);
    sink_buf o = { out_r, NULL, 0 }, e = { err_r, NULL, 0 };
    HANDLE t[2] = { CreateThread(NULL, 0, drain, &o, 0, NULL), CreateThread(NULL, 0, drain, &e, 0, NULL) };
    assert_int_equal(WaitForSingleObject(pi.hProcess, 60000), WAIT_OBJECT_0);
    WaitForMultipleObjects(2, t, TRUE, 10000);
    DWORD code = 0;
    GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(t[0]);
    CloseHandle(t[1]);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    CloseHandle(out_r);
    CloseHandle(err_r);
    *out = o.data ? o.data : calloc(1, 1);
    *err = e.data ? e.data : calloc(1, 1);
    return code;
}
