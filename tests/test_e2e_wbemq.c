/* End to end: the wbemq tool itself, run as a child process on the real
   WMI (under Wine: Wine's wbemprox), its stdout and stderr captured. */
#include "test_e2e_common.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#ifndef WBEMQ_EXE
#error "WBEMQ_EXE (the path of wbemq.exe) must be defined by the build"
#endif

typedef struct output {
    HANDLE pipe;
    char *data;
    size_t len;
    DWORD delay_ms;          /* before the first read */
} output;


/* The child's stdin when set (else this process's). */
static HANDLE child_stdin;

static DWORD WINAPI drain(void *p)
{
    output *o = p;
    char buf[4096];
    if (o->delay_ms) Sleep(o->delay_ms);
    DWORD got;
    while (ReadFile(o->pipe, buf, sizeof buf, &got, NULL) && got > 0) {
        o->data = realloc(o->data, o->len + got + 1);
        memcpy(o->data + o->len, buf, got);
        o->len += got;
        o->data[o->len] = 0;
    }
    return 0;
}

/* The tool's path as Windows sees it: the build gives a Linux path under
   Wine, reached through drive Z:. */
static void exe_path(wchar_t *out, size_t size)
{
    const char *p = WBEMQ_EXE;
    size_t n = 0;
    if (p[0] == '/') {
        out[n++] = L'Z';
        out[n++] = L':';
    }
    for (; *p && n + 1 < size; p++) out[n++] = *p == '/' ? L'\\' : (wchar_t)(unsigned char)*p;
    out[n] = 0;
}

/* Runs wbemq with `args`; returns its exit code, output in out/err
   (malloc'd, NUL-terminated, "" when empty). stdout is a pipe of
   `out_size` bytes (0: the system's default) that is not read for the
   first `out_delay_ms`, to stand for a slow reader. */
static DWORD run_wbemq_slow(const wchar_t *args, DWORD out_size, DWORD out_delay_ms, char **out,
                            char **err)
{
    wchar_t exe[MAX_PATH], cmd[2048];
    exe_path(exe, MAX_PATH);
    swprintf(cmd, sizeof cmd / sizeof cmd[0], L"\"%ls\" %ls", exe, args);

    SECURITY_ATTRIBUTES sa = {sizeof(sa), NULL, TRUE};
    HANDLE out_r, out_w, err_r, err_w;
    assert_true(CreatePipe(&out_r, &out_w, &sa, out_size));
    assert_true(CreatePipe(&err_r, &err_w, &sa, 0));
    SetHandleInformation(out_r, HANDLE_FLAG_INHERIT, 0);
    SetHandleInformation(err_r, HANDLE_FLAG_INHERIT, 0);
    STARTUPINFOW si;
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = child_stdin ? child_stdin : GetStdHandle(STD_INPUT_HANDLE);
    si.hStdOutput = out_w;
    si.hStdError = err_w;
    PROCESS_INFORMATION pi;
    if (!CreateProcessW(exe, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi)) {
        print_error("cannot start %ls: error %lu\n", exe, (unsigned long)GetLastError());
        fail();
    }
    CloseHandle(out_w);
    CloseHandle(err_w);
    output o = {out_r, NULL, 0, out_delay_ms}, e = {err_r, NULL, 0, 0};
    HANDLE t[2] = {CreateThread(NULL, 0, drain, &o, 0, NULL), CreateThread(NULL, 0, drain, &e, 0, NULL)};
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

static DWORD run_wbemq(const wchar_t *args, char **out, char **err)
{
    return run_wbemq_slow(args, 0, 0, out, err);
}

/* The line of `text` that contains `needle` (case-insensitive), cut at
   its end into `line`; nonzero if found. */
static int find_line(const char *text, const char *needle, char *line, size_t size)
{
    size_t n = strlen(needle);
    for (const char *p = text; *p;) {
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        for (size_t i = 0; i + n <= len; i++)
            if (!_strnicmp(p + i, needle, n)) {
                if (len >= size) len = size - 1;
                memcpy(line, p, len);
                line[len] = 0;
                return 1;
            }
        p += len + (end != NULL);
    }
    return 0;
}

static void own_name(char *name, size_t size)
{
    char path[MAX_PATH];
    GetModuleFileNameA(NULL, path, MAX_PATH);
    const char *base = strrchr(path, '\\');
    snprintf(name, size, "%s", base ? base + 1 : path);
}

static const wchar_t *const modes[] = {L"thread", L"inline", L"pull", L"paced"};

/* CSV: the header line, then our own process as "name,pid", in each mode;
   nothing on stderr (it is a pipe: no progress). */
static void csv_lists_own_process(void **state)
{
    (void)state;
    char name[MAX_PATH], row[MAX_PATH + 32], line[1024];
    own_name(name, sizeof name);
    snprintf(row, sizeof row, "%s,%lu", name, (unsigned long)GetCurrentProcessId());
    for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
        wchar_t args[256];
        char *out, *err;
        swprintf(args, 256, L"--format csv --mode %ls \"SELECT Name, ProcessId FROM Win32_Process\"",
                 modes[m]);
        assert_int_equal(run_wbemq(args, &out, &err), 0);
        assert_string_equal(err, "");
        assert_int_equal(_strnicmp(out, "Name,ProcessId\n", 15), 0);   /* Wine says ProcessID */
        if (!find_line(out, row, line, sizeof line)) {
            print_error("%s not in:\n%s\n", row, out);
            fail();
        }
        assert_int_equal(_stricmp(line, row), 0);
        assert_null(strchr(out, '\r'));                                /* "\n" line ends */
        free(out);
        free(err);
    }
}

/* JSON Lines: one object a line, ours with its name and id. */
static void jsonl_lists_own_process(void **state)
{
    (void)state;
    char name[MAX_PATH], want_name[MAX_PATH + 16], want_pid[64], line[1024];
    char *out, *err;
    own_name(name, sizeof name);
    snprintf(want_name, sizeof want_name, "\"Name\":\"%s\"", name);
    snprintf(want_pid, sizeof want_pid, "\"ProcessId\":%lu", (unsigned long)GetCurrentProcessId());
    assert_int_equal(run_wbemq(L"--format jsonl \"SELECT Name, ProcessId FROM Win32_Process\"", &out, &err), 0);
    assert_string_equal(err, "");
    assert_true(find_line(out, want_pid, line, sizeof line));
    assert_true(find_line(line, want_name, line, sizeof line));
    for (const char *p = out; *p;) {                               /* every line an object */
        const char *end = strchr(p, '\n');
        assert_non_null(end);
        assert_int_equal(p[0], '{');
        assert_int_equal(end[-1], '}');
        p = end + 1;
    }
    free(out);
    free(err);
}

/* JSON: one array, "[" alone on the first line, one object a line (each
   but the last followed by a comma), "]" alone on the last; ours in it. No
   rows: "[]". In every mode. */
static void json_is_one_array(void **state)
{
    (void)state;
    char name[MAX_PATH], want_name[MAX_PATH + 16], want_pid[64], want_pid2[64], line[1024];
    own_name(name, sizeof name);
    snprintf(want_name, sizeof want_name, "\"Name\":\"%s\"", name);
    /* the id whole, wherever WMI puts the property (Wine: last, "ProcessID") */
    snprintf(want_pid, sizeof want_pid, "\"ProcessId\":%lu,", (unsigned long)GetCurrentProcessId());
    snprintf(want_pid2, sizeof want_pid2, "\"ProcessId\":%lu}", (unsigned long)GetCurrentProcessId());
    for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
        wchar_t args[256];
        char *out, *err;
        swprintf(args, 256, L"--format=json --mode %ls \"SELECT ProcessId, Name FROM Win32_Process\"",
                 modes[m]);
        assert_int_equal(run_wbemq(args, &out, &err), 0);
        assert_string_equal(err, "");
        size_t len = strlen(out);
        assert_true(len > 6);
        assert_int_equal(strncmp(out, "[\n{", 3), 0);
        assert_string_equal(out + len - 3, "\n]\n");
        assert_true(find_line(out, want_pid, line, sizeof line) ||
                    find_line(out, want_pid2, line, sizeof line));
        assert_true(find_line(line, want_name, line, sizeof line));
        unsigned objects = 0;
        const char *p = out + 2;                                   /* after "[\n" */
        while (*p != ']') {
            const char *end = strchr(p, '\n');
            assert_non_null(end);
            assert_int_equal(p[0], '{');
            int last = end[1] == ']';
            assert_int_equal(end[-1], last ? '}' : ',');
            if (!last) assert_int_equal(end[-2], '}');
            objects++;
            p = end + 1;
        }
        assert_true(objects > 1);
        free(out);
        free(err);
    }
    char *out, *err;
    assert_int_equal(run_wbemq(L"--format json \"SELECT Name FROM Win32_Process WHERE Name = 'no such'\"",
                               &out, &err), 0);
    assert_string_equal(out, "[]\n");
    free(out);
    free(err);
}

/* The table: a header, a rule, our row. */
static void table_lists_own_process(void **state)
{
    (void)state;
    char name[MAX_PATH], line[1024], pid[32];
    char *out, *err;
    own_name(name, sizeof name);
    snprintf(pid, sizeof pid, " %lu", (unsigned long)GetCurrentProcessId());
    assert_int_equal(run_wbemq(L"\"SELECT Name, ProcessId FROM Win32_Process\"", &out, &err), 0);
    assert_int_equal(_strnicmp(out, "Name ", 5), 0);
    assert_non_null(strstr(out, "\n----"));
    assert_true(find_line(out, name, line, sizeof line));
    assert_non_null(strstr(line, pid));
    free(out);
    free(err);
}

/* Values of several kinds from a one-row class: strings, integers,
   booleans, dates as ISO 8601, NULL. */
static void jsonl_value_kinds(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(run_wbemq(L"--format jsonl \"SELECT Caption, OSLanguage, Primary, InstallDate, "
                               L"Organization FROM Win32_OperatingSystem\"",
                               &out, &err),
                     0);
    assert_non_null(strstr(out, "\"Caption\":\""));
    assert_non_null(strstr(out, "\"OSLanguage\":"));
    assert_null(strstr(out, "\"OSLanguage\":\""));              /* a number, not a string */
    assert_true(strstr(out, "\"Primary\":true") || strstr(out, "\"Primary\":false"));
    const char *date = strstr(out, "\"InstallDate\":\"");
    assert_non_null(date);
    date += strlen("\"InstallDate\":\"");
    /* yyyy-mm-ddTHH:MM:SS */
    assert_true(date[4] == '-' && date[7] == '-' && date[10] == 'T' && date[13] == ':');
    free(out);
    free(err);
}

/* A malformed query: exit 1, the WBEM_E_* name on stderr, no rows. */
static void malformed_query_fails(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(run_wbemq(L"--format csv \"SELECT * FROM Win32_Process WHERE\"", &out, &err), 1);
    assert_non_null(strstr(err, "WBEM_E_INVALID_QUERY"));
    assert_non_null(strstr(err, "0x80041017"));
    assert_string_equal(out, "");
    free(out);
    free(err);

    /* A namespace that does not exist: the same, for ConnectServer. */
    assert_int_equal(run_wbemq(L"--namespace ROOT\\NoSuchNamespace \"SELECT * FROM Win32_Process\"", &out, &err), 1);
    assert_non_null(strstr(err, "WBEM_E_INVALID_NAMESPACE"));
    free(out);
    free(err);
}

static unsigned count_lines(const char *text)
{
    unsigned n = 0;
    for (; *text; text++) n += *text == '\n';
    return n;
}

/* Every row reaches a slow reader with the defaults (WMI waits for room
   however long printing takes), even through a queue of one object. */
static void slow_reader_loses_nothing_by_default(void **state)
{
    (void)state;
    char *out, *err, *ref_out, *ref_err;
    const wchar_t *q = L"\"SELECT Name FROM Win32_Service\"";
    wchar_t args[256];
    swprintf(args, 256, L"--format csv %ls", q);
    assert_int_equal(run_wbemq(args, &ref_out, &ref_err), 0);
    swprintf(args, 256, L"--format csv --capacity 1 %ls", q);
    assert_int_equal(run_wbemq_slow(args, 1, 1500, &out, &err), 0);   /* > the library's 1 s */
    assert_string_equal(err, "");
    assert_true(count_lines(out) > 2);
    /* Wine adds its WinedeviceN services while its driver hosts start */
    if (!strstr(out, "Winedevice") && !strstr(ref_out, "Winedevice"))
        assert_int_equal(count_lines(out), count_lines(ref_out));
    free(out);
    free(err);
    free(ref_out);
    free(ref_err);
}

/* With a bounded --full-wait and a reader that is late, rows are dropped:
   exit 1 and, on stderr, the code and the count, which is exactly the
   number of rows missing from the output. */
static void dropped_rows_are_reported(void **state)
{
    (void)state;
    char *out, *err;
    DWORD rc = run_wbemq_slow(L"--format csv --capacity 1 --full-wait 1 "
                              L"\"SELECT Name FROM Win32_Service\"",
                              1, 1000, &out, &err);
    print_message("    exit %lu, stderr:\n%s", (unsigned long)rc, err);
    assert_int_equal(rc, 1);
    assert_non_null(strstr(err, "WBEMSINK_E_OBJECTS_DROPPED"));
    assert_non_null(strstr(err, "0x80040204"));
    const char *counts = strstr(err, "incomplete: ");
    assert_non_null(counts);
    unsigned long long dropped = 0, received = 0;
    assert_int_equal(sscanf(counts, "incomplete: %llu of %llu objects were dropped", &dropped, &received), 2);
    assert_true(dropped > 0);
    unsigned rows = count_lines(out) - 1;              /* the header line */
    assert_int_equal(rows + dropped, received);
    free(out);
    free(err);
}

/* --mode paced with the settings that drop rows above (a queue of one, a
   1 ms bound, a reader late by a second): nothing is dropped, since WMI is
   asked for rows only as the queue has room; exit 0, every row. */
static void paced_loses_nothing(void **state)
{
    (void)state;
    char *out, *err, *ref_out, *ref_err;
    assert_int_equal(run_wbemq(L"--format csv \"SELECT Name FROM Win32_Service\"", &ref_out, &ref_err), 0);
    DWORD rc = run_wbemq_slow(L"--format csv --mode paced --capacity 1 --full-wait 1 "
                              L"\"SELECT Name FROM Win32_Service\"",
                              1, 1000, &out, &err);
    assert_int_equal(rc, 0);
    assert_string_equal(err, "");
    assert_true(count_lines(out) > 2);
    if (!strstr(out, "Winedevice") && !strstr(ref_out, "Winedevice"))
        assert_int_equal(count_lines(out), count_lines(ref_out));
    free(out);
    free(err);
    free(ref_out);
    free(ref_err);
}

/* --host . is this computer: \\.\root\cimv2, the same rows. */
static void host_dot_works(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(run_wbemq(L"--host . --format csv \"SELECT Caption FROM Win32_OperatingSystem\"",
                               &out, &err), 0);
    assert_string_equal(err, "");
    assert_int_equal(count_lines(out), 2);           /* the header and one row */
    assert_non_null(strstr(out, "Caption"));
    free(out);
    free(err);
}

/* A namespace that does not exist: exit 1, the code's name and the
   namespace it tried on stderr. */
static void namespace_bogus_fails(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(run_wbemq(L"--namespace bogus \"SELECT * FROM Win32_Process\"", &out, &err), 1);
    print_message("    stderr: %s", err);
    assert_non_null(strstr(err, "WBEM_E_INVALID_NAMESPACE"));
    assert_non_null(strstr(err, "connecting to bogus"));
    assert_string_equal(out, "");
    free(out);
    free(err);
    assert_int_equal(run_wbemq(L"--host . --namespace bogus \"SELECT * FROM Win32_Process\"", &out,
                               &err), 1);
    assert_non_null(strstr(err, "connecting to \\\\.\\bogus"));
    free(out);
    free(err);
}

/* --user with the password in WBEMQ_PASSWORD. Wine 8 accepts credentials
   for the local computer and the query runs (exit 0). Windows: the
   IWbemLocator::ConnectServer page says not to give a user, password or
   authority for a local namespace, and WMI's error constants name the
   refusal WBEM_E_LOCAL_CREDENTIALS: exit 1 with that name. The password
   never shows in the output. */
static void user_with_env_password(void **state)
{
    (void)state;
    char *out, *err;
    SetEnvironmentVariableW(L"WBEMQ_PASSWORD", L"pw-wbemq-test-secret");
    DWORD rc = run_wbemq(L"--user WBEMSINKDOM\\someone --format csv "
                         L"\"SELECT Caption FROM Win32_OperatingSystem\"",
                         &out, &err);
    SetEnvironmentVariableW(L"WBEMQ_PASSWORD", NULL);
    print_message("    exit %lu, stderr: %s\n", (unsigned long)rc, err);
    if (test_is_wine()) {
        assert_int_equal(rc, 0);
        assert_int_equal(count_lines(out), 2);
    } else {
        assert_int_equal(rc, 1);
        assert_non_null(strstr(err, "WBEM_E_LOCAL_CREDENTIALS"));
    }
    assert_null(strstr(out, "pw-wbemq-test-secret"));
    assert_null(strstr(err, "pw-wbemq-test-secret"));
    free(out);
    free(err);
}

/* --user without WBEMQ_PASSWORD and no console to ask on: exit 2, and it
   says where the password comes from. */
static void user_without_password(void **state)
{
    (void)state;
    char *out, *err;
    SECURITY_ATTRIBUTES sa = {sizeof(sa), NULL, TRUE};
    SetEnvironmentVariableW(L"WBEMQ_PASSWORD", NULL);
    child_stdin = CreateFileW(L"NUL", GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, &sa,
                              OPEN_EXISTING, 0, NULL);
    assert_true(child_stdin != INVALID_HANDLE_VALUE);
    DWORD rc = run_wbemq(L"--user someone \"SELECT Caption FROM Win32_OperatingSystem\"", &out, &err);
    CloseHandle(child_stdin);
    child_stdin = NULL;
    assert_int_equal(rc, 2);
    assert_non_null(strstr(err, "WBEMQ_PASSWORD"));
    assert_string_equal(out, "");
    free(out);
    free(err);
}

/* Bad usage: exit 2 and the usage text. */
static void bad_usage(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(run_wbemq(L"--format xml \"SELECT * FROM Win32_Process\"", &out, &err), 2);
    assert_non_null(strstr(err, "usage: wbemq"));
    free(out);
    free(err);
    assert_int_equal(run_wbemq(L"", &out, &err), 2);
    assert_non_null(strstr(err, "no query"));
    free(out);
    free(err);
    /* --host with a namespace that names its own host */
    assert_int_equal(run_wbemq(L"--host . --namespace \\\\other\\root \"SELECT * FROM Win32_Process\"",
                               &out, &err), 2);
    assert_non_null(strstr(err, "--host with a namespace that names a host"));
    free(out);
    free(err);
    assert_int_equal(run_wbemq(L"--user \"SELECT * FROM Win32_Process\"", &out, &err), 2);
    free(out);
    free(err);
}

/* --host a,b,c (issue 21): the library's fan-out, a Host column first, the
   failed host on stderr with its error and hint, the summary, exit 1
   because one host failed. */
static void hosts_list(void **state)
{
    (void)state;
    char *out, *err, line[1024];
    assert_int_equal(run_wbemq(L"--host .,localhost,nosuchhost --format csv "
                               L"\"SELECT Caption FROM Win32_OperatingSystem\"", &out, &err), 1);
    assert_int_equal(count_lines(out), 3);           /* the header and two hosts */
    assert_true(strncmp(out, "Host,Caption\n", 13) == 0);
    assert_non_null(strstr(out, "\n.,"));
    assert_non_null(strstr(out, "\nlocalhost,"));
    assert_true(find_line(err, "nosuchhost: the host failed", line, sizeof line));
    assert_non_null(strstr(line, "WBEM_E_TRANSPORT_FAILURE"));
    assert_non_null(strstr(line, "Hint"));
    assert_true(find_line(err, "3 hosts: 2 ok, 1 failed, 0 timed out; 2 rows", line, sizeof line));
    free(out);
    free(err);
}

/* --host @FILE: comments and blank lines skipped, one host a line; every
   host answers, exit 0; JSON rows carry "Host" first. */
static void hosts_file(void **state)
{
    (void)state;
    char *out, *err, line[1024];
    wchar_t dir[MAX_PATH], path[MAX_PATH], args[1024], computer[MAX_COMPUTERNAME_LENGTH + 1];
    DWORD size = MAX_COMPUTERNAME_LENGTH + 1;
    assert_true(GetComputerNameW(computer, &size));
    GetTempPathW(MAX_PATH, dir);
    assert_true(GetTempFileNameW(dir, L"wbq", 0, path));
    FILE *f = _wfopen(path, L"wb");
    assert_non_null(f);
    fprintf(f, "# the fleet\r\n.\r\n\r\n   localhost   # this one too\n%ls\n", computer);
    fclose(f);
    swprintf(args, 1024, L"--host @%ls --throttle 1 --format jsonl "
             L"\"SELECT Caption FROM Win32_OperatingSystem\"", path);
    assert_int_equal(run_wbemq(args, &out, &err), 0);
    DeleteFileW(path);
    assert_int_equal(count_lines(out), 3);
    assert_true(find_line(out, "{\"Host\":\".\",\"Caption\":", line, sizeof line));
    assert_true(find_line(out, "{\"Host\":\"localhost\",\"Caption\":", line, sizeof line));
    assert_true(find_line(err, "3 hosts: 3 ok, 0 failed, 0 timed out; 3 rows", line, sizeof line));
    free(out);
    free(err);

    /* A list that names no host, a bad throttle: usage errors. */
    assert_int_equal(run_wbemq(L"--host , \"SELECT * FROM Win32_Process\"", &out, &err), 2);
    free(out);
    free(err);
    assert_int_equal(run_wbemq(L"--host .,localhost --throttle 0 \"SELECT * FROM Win32_Process\"",
                               &out, &err), 2);
    assert_non_null(strstr(err, "--throttle"));
    free(out);
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(csv_lists_own_process),
        cmocka_unit_test(jsonl_lists_own_process),
        cmocka_unit_test(json_is_one_array),
        cmocka_unit_test(table_lists_own_process),
        cmocka_unit_test(jsonl_value_kinds),
        cmocka_unit_test(malformed_query_fails),
        cmocka_unit_test(slow_reader_loses_nothing_by_default),
        cmocka_unit_test(dropped_rows_are_reported),
        cmocka_unit_test(paced_loses_nothing),
        cmocka_unit_test(bad_usage),
        cmocka_unit_test(host_dot_works),
        cmocka_unit_test(namespace_bogus_fails),
        cmocka_unit_test(user_with_env_password),
        cmocka_unit_test(user_without_password),
        cmocka_unit_test(hosts_list),
        cmocka_unit_test(hosts_file),
    };
    test_print_platform();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
