/* End to end: the wbemq tool itself, run as a child process on the real
   WMI (under Wine: Wine's wbemprox), its stdout and stderr captured. */
#include "test_e2e_common.h"
#include "run_child.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#ifndef WBEMQ_EXE
#error "WBEMQ_EXE (the path of wbemq.exe) must be defined by the build"
#endif

/* The child's stdin when set (else this process's). */
static HANDLE child_stdin;

/* Runs wbemq with `args`; returns its exit code, output in out/err
   (malloc'd, NUL-terminated, "" when empty). stdout is a pipe of
   `out_size` bytes (0: the system's default) that is not read for the
   first `out_delay_ms`, to stand for a slow reader, and is closed after
   `close_after` bytes when that is nonzero. */
static DWORD run_wbemq_ex(const wchar_t *args, DWORD out_size, DWORD out_delay_ms,
                          size_t close_after, char **out, char **err)
{
    wchar_t exe[MAX_PATH];
    child_exe_path(WBEMQ_EXE, exe, MAX_PATH);
    run_child_options o = { out_size, out_delay_ms, close_after, child_stdin };
    return run_child_ex(exe, args, &o, out, err);
}

static DWORD run_wbemq_slow(const wchar_t *args, DWORD out_size, DWORD out_delay_ms, char **out,
                            char **err)
{
    return run_wbemq_ex(args, out_size, out_delay_ms, 0, out, err);
}

static DWORD run_wbemq(const wchar_t *args, char **out, char **err)
{
    return run_wbemq_ex(args, 0, 0, 0, out, err);
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
    assert_int_equal(sscanf(counts, "incomplete: %llu of %llu ", &dropped, &received), 2);
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
    assert_non_null(strstr(err, "connecting failed (host this computer, namespace bogus)"));
    assert_string_equal(out, "");
    free(out);
    free(err);
    assert_int_equal(run_wbemq(L"--host . --namespace bogus \"SELECT * FROM Win32_Process\"", &out,
                               &err), 1);
    assert_non_null(strstr(err, "(host ., namespace bogus)"));
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

/* ---- issue 19 §5: output, command line, errors ---- */

/* The lines of text, each NUL-terminated in place (text is modified);
   returns their number (at most max). */
static size_t split_lines(char *text, char **lines, size_t max)
{
    size_t n = 0;
    for (char *p = text; *p && n < max;) {
        char *end = strchr(p, '\n');
        lines[n++] = p;
        if (!end) break;
        *end = 0;
        p = end + 1;
    }
    return n;
}

/* Values of different lengths (Wine's service names are 4 to 16
   characters, their display names up to 50): every row's columns start
   where the header's do, two spaces after the widest value above or
   below, so no row is pushed right by a long value. */
static void table_rows_align(void **state)
{
    (void)state;
    char *out, *err, *csv, *csv_err;
    const wchar_t *q = L"\"SELECT Name, DisplayName, State FROM Win32_Service WHERE NOT Name LIKE 'Winedevice%'\"";
    wchar_t args[512];
    swprintf(args, 512, L"--format csv %ls", q);
    assert_int_equal(run_wbemq(args, &csv, &csv_err), 0);
    assert_int_equal(run_wbemq(q, &out, &err), 0);
    assert_string_equal(err, "");
    char *lines[512];
    size_t n = split_lines(out, lines, 512);
    assert_true(n > 3);
    assert_int_equal(n, count_lines(csv) + 1);          /* + the rule */
    /* The rule: dashes in groups two spaces apart; its groups are the columns. */
    const char *rule = lines[1];
    size_t starts[3], ncol = 0;
    for (size_t i = 0; rule[i]; i++)
        if (rule[i] == '-' && (i == 0 || rule[i - 1] == ' ')) {
            assert_true(ncol < 3);
            starts[ncol++] = i;
        }
    assert_int_equal(ncol, 3);
    size_t widest_name = 0;
    for (size_t l = 0; l < n; l++) {
        if (l == 1) continue;
        const char *line = lines[l];
        size_t len = strlen(line);
        /* column 1's value ends before column 2 starts, and so on */
        for (size_t c = 1; c < ncol; c++) {
            if (len <= starts[c] || line[starts[c] - 1] != ' ' || line[starts[c] - 2] != ' ' ||
                line[starts[c]] == ' ') {
                print_error("row %u misaligned at column %u:\n%s\n%s\n", (unsigned)l, (unsigned)c,
                            lines[0], line);
                fail();
            }
        }
        size_t name_len = strcspn(line, " ");
        if (l && name_len > widest_name) widest_name = name_len;
    }
    /* Measured, not guessed: the first column is as wide as its widest value. */
    assert_int_equal(starts[1], (widest_name > 4 ? widest_name : 4) + 2);
    free(out);
    free(err);
    free(csv);
    free(csv_err);
}

/* A value with a tab and a newline: wbemq's own command line (Wine's
   Win32_Process has the command line of the process that asks only), with
   the query's white space written as a tab and a newline. The table keeps
   it on one line as \t and \n; CSV quotes it with the characters as they
   are; JSON escapes them. */
static void control_characters_escaped(void **state)
{
    (void)state;
    const wchar_t *q = L"\"SELECT ProcessId,\tCommandLine\nFROM Win32_Process WHERE Name = 'wbemq.exe'\"";
    wchar_t args[512];
    char *out, *err, line[2048];

    assert_int_equal(run_wbemq(q, &out, &err), 0);
    print_message("    table:\n%s", out);
    assert_true(find_line(out, "ProcessId,\\tCommandLine\\nFROM Win32_Process", line, sizeof line));
    assert_null(strstr(out, "\t"));
    assert_int_equal(count_lines(out), 3);               /* header, rule, one row */
    free(out);
    free(err);

    swprintf(args, 512, L"--format csv %ls", q);
    assert_int_equal(run_wbemq(args, &out, &err), 0);
    assert_non_null(strstr(out, "ProcessId,\tCommandLine\nFROM Win32_Process"));
    /* the cell is quoted, its quotes doubled: "\"Z:\...\wbemq.exe\" ..." */
    assert_non_null(strstr(out, ",\"\"\""));
    free(out);
    free(err);

    swprintf(args, 512, L"--format jsonl %ls", q);
    assert_int_equal(run_wbemq(args, &out, &err), 0);
    assert_non_null(strstr(out, "ProcessId,\\tCommandLine\\nFROM Win32_Process"));
    assert_int_equal(count_lines(out), 1);
    free(out);
    free(err);
}

/* The columns are the SELECT list's, in its order and as written, in
   table and CSV; "*" gives the class's order, the order of JSON's keys. */
static void columns_follow_select(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(run_wbemq(L"--format csv \"SELECT ProcessId, Name FROM Win32_Process\"", &out, &err), 0);
    assert_int_equal(strncmp(out, "ProcessId,Name\n", 15), 0);
    free(out);
    free(err);
    assert_int_equal(run_wbemq(L"--format csv \"select threadcount,NAME , processid from win32_process\"",
                               &out, &err), 0);
    assert_int_equal(strncmp(out, "threadcount,NAME,processid\n", 27), 0);
    free(out);
    free(err);
    assert_int_equal(run_wbemq(L"\"SELECT ProcessId, Name FROM Win32_Process\"", &out, &err), 0);
    assert_int_equal(strncmp(out, "ProcessId  ", 11), 0);
    free(out);
    free(err);

    /* "*": the header is the first object's own keys, in their order */
    char *json, *json_err;
    assert_int_equal(run_wbemq(L"--format csv \"SELECT * FROM Win32_OperatingSystem\"", &out, &err), 0);
    assert_int_equal(run_wbemq(L"--format jsonl \"SELECT * FROM Win32_OperatingSystem\"", &json, &json_err), 0);
    char keys[4096] = "";
    size_t k = 0;
    for (const char *p = json; *p && *p != '\n'; p++) {   /* "Key": at depth 1 */
        if (p[0] == '"' && (p[-1] == '{' || p[-1] == ',')) {
            const char *end = strchr(p + 1, '"');
            if (end[1] != ':') continue;
            k += (size_t)snprintf(keys + k, sizeof keys - k, "%s%.*s", k ? "," : "", (int)(end - p - 1), p + 1);
            p = end;
        }
    }
    assert_true(k > 10);
    char *nl = strchr(out, '\n');
    assert_non_null(nl);
    *nl = 0;
    assert_string_equal(out, keys);
    free(out);
    free(err);
    free(json);
    free(json_err);
}

/* No rows: the header still, in table and CSV (JSON: "[]", above). For
   "*" the class's properties (a synchronous GetObject of the class). */
static void empty_result_prints_header(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(run_wbemq(L"\"SELECT Name FROM Win32_Process WHERE Name = 'nonexistent'\"", &out, &err), 0);
    assert_string_equal(out, "Name\n----\n");
    free(out);
    free(err);
    assert_int_equal(run_wbemq(L"--format csv \"SELECT Name, ProcessId FROM Win32_Process WHERE Name = 'nonexistent'\"",
                               &out, &err), 0);
    assert_string_equal(out, "Name,ProcessId\n");
    free(out);
    free(err);
    char *full, *full_err;
    assert_int_equal(run_wbemq(L"--format csv \"SELECT * FROM Win32_Process\"", &full, &full_err), 0);
    assert_int_equal(run_wbemq(L"--format csv \"SELECT * FROM Win32_Process WHERE Name = 'nonexistent'\"",
                               &out, &err), 0);
    char *nl = strchr(full, '\n');
    assert_non_null(nl);
    nl[1] = 0;
    assert_string_equal(out, full);                     /* the same header, no row */
    free(out);
    free(err);
    free(full);
    free(full_err);
}

/* --version: wbemq's version and the library's, on stdout, exit 0;
   -h and --help: the usage on stdout, exit 0. */
static void version_and_help(void **state)
{
    (void)state;
    char *out, *err, want[128];
    snprintf(want, sizeof want, "wbemq %s (wbemsink %s)\n", WBEMSINK_VERSION_STRING, wbemsink_version());
    assert_int_equal(run_wbemq(L"--version", &out, &err), 0);
    assert_string_equal(out, want);
    assert_string_equal(err, "");
    free(out);
    free(err);
    const wchar_t *help[] = {L"-h", L"--help", L"--format csv -h"};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(run_wbemq(help[i], &out, &err), 0);
        assert_int_equal(strncmp(out, "usage: wbemq", 12), 0);
        assert_non_null(strstr(out, "--version"));
        assert_non_null(strstr(out, "Exit status"));
        assert_string_equal(err, "");
        free(out);
        free(err);
    }
}

/* The reader of stdout goes away after a few bytes (`| head`): wbemq
   cancels the query and exits 0, saying nothing, in every format and
   delivery mode. stdout is a 1-byte pipe, so wbemq is still writing. */
static void closed_stdout_is_quiet(void **state)
{
    (void)state;
    const wchar_t *formats[] = {L"csv", L"table", L"jsonl"};
    for (size_t f = 0; f < 3; f++)
        for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
            wchar_t args[256];
            char *out, *err;
            swprintf(args, 256, L"--format %ls --mode %ls \"SELECT Name, DisplayName FROM Win32_Service\"",
                     formats[f], modes[m]);
            DWORD start = GetTickCount();
            DWORD rc = run_wbemq_ex(args, 1, 0, 12, &out, &err);
            print_message("    %ls %ls: exit %lu in %lu ms, %u bytes read, stderr \"%s\"\n", formats[f],
                          modes[m], (unsigned long)rc, (unsigned long)(GetTickCount() - start),
                          (unsigned)strlen(out), err);
            assert_int_equal(rc, 0);
            assert_string_equal(err, "");
            assert_int_equal(strlen(out), 12);
            free(out);
            free(err);
        }
}

static size_t count_of(const char *text, char c)
{
    size_t n = 0;
    for (; *text; text++) n += *text == c;
    return n;
}

/* Each failure is one line on stderr: what failed and where (host,
   namespace, query), the code, a text and a hint. */
static void error_lines_with_hints(void **state)
{
    (void)state;
    char *out, *err;
    /* an unknown host */
    assert_int_equal(run_wbemq(L"--host nosuchhost \"SELECT Name FROM Win32_Process\"", &out, &err), 1);
    print_message("    %s", err);
    assert_int_equal(count_of(err, '\n'), 1);
    assert_non_null(strstr(err, "wbemq: connecting failed (host nosuchhost, namespace root\\cimv2): "
                                "WBEM_E_TRANSPORT_FAILURE (0x80041015): "));
    assert_non_null(strstr(err, ". Hint: check the host's name (DNS)"));
    assert_string_equal(out, "");
    free(out);
    free(err);
    /* a namespace that does not exist: named, and not "No such class" */
    assert_int_equal(run_wbemq(L"--namespace root\\nosuchns \"SELECT Name FROM Win32_Process\"", &out, &err), 1);
    print_message("    %s", err);
    assert_int_equal(count_of(err, '\n'), 1);
    assert_non_null(strstr(err, "(host this computer, namespace root\\nosuchns): WBEM_E_INVALID_NAMESPACE (0x8004100E): "));
    assert_null(strstr(err, "No such class"));
    assert_non_null(strstr(err, "Hint: check --namespace"));
    free(out);
    free(err);
    /* a malformed query: the query is in the line */
    assert_int_equal(run_wbemq(L"\"SELECT Name FROM Win32_Process WHERE\"", &out, &err), 1);
    print_message("    %s", err);
    assert_int_equal(count_of(err, '\n'), 1);
    assert_non_null(strstr(err, "wbemq: the query failed (host this computer, namespace root\\cimv2, query "
                                "\"SELECT Name FROM Win32_Process WHERE\"): WBEM_E_INVALID_QUERY (0x80041017): "));
    assert_non_null(strstr(err, "Hint: WQL reads SELECT"));
    assert_string_equal(out, "");
    free(out);
    free(err);
    /* an unknown class: Wine reports it in ROOT only */
    assert_int_equal(run_wbemq(L"--namespace ROOT \"SELECT * FROM NoSuchClass\"", &out, &err), 1);
    print_message("    %s", err);
    assert_int_equal(count_of(err, '\n'), 1);
    assert_non_null(strstr(err, "namespace ROOT, query \"SELECT * FROM NoSuchClass\"): WBEM_E_INVALID_CLASS (0x80041010)"));
    assert_non_null(strstr(err, "Hint: check the class name after FROM"));
    free(out);
    free(err);
    /* in root\cimv2, Wine says nothing: exit 0, no rows, no header (the
       manual says so); Windows: WBEM_E_INVALID_CLASS */
    DWORD rc = run_wbemq(L"\"SELECT * FROM NoSuchClass\"", &out, &err);
    if (test_is_wine()) {
        assert_int_equal(rc, 0);
        assert_string_equal(out, "");
        assert_string_equal(err, "");
    } else {
        assert_int_equal(rc, 1);
        assert_non_null(strstr(err, "WBEM_E_INVALID_CLASS"));
    }
    free(out);
    free(err);
}

/* --summary: "1 object", "N objects". */
static void summary_plurals(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(run_wbemq(L"--summary \"SELECT Caption FROM Win32_OperatingSystem\"", &out, &err), 0);
    assert_int_equal(strncmp(err, "1 object in ", 12), 0);
    free(out);
    free(err);
    assert_int_equal(run_wbemq(L"--summary --format csv \"SELECT Name FROM Win32_Service\"", &out, &err), 0);
    unsigned long n = 0;
    char word[16] = "";
    assert_int_equal(sscanf(err, "%lu %15s in ", &n, word), 2);
    assert_int_equal(n, count_lines(out) - 1);
    assert_true(n > 1);
    assert_string_equal(word, "objects");
    free(out);
    free(err);
    assert_int_equal(run_wbemq(L"--summary \"SELECT Name FROM Win32_Process WHERE Name = 'nonexistent'\"", &out, &err), 0);
    assert_int_equal(strncmp(err, "0 objects in ", 13), 0);
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

    /* Host first in the table and in the JSON array too. */
    assert_int_equal(run_wbemq(L"--host .,localhost --format table "
                               L"\"SELECT Caption FROM Win32_OperatingSystem\"", &out, &err), 0);
    assert_true(strncmp(out, "Host", 4) == 0);
    assert_true(find_line(out, "localhost  ", line, sizeof line));
    free(out);
    free(err);
    assert_int_equal(run_wbemq(L"--host .,localhost --format json "
                               L"\"SELECT Caption FROM Win32_OperatingSystem\"", &out, &err), 0);
    assert_true(out[0] == '[');
    assert_non_null(strstr(out, "{\"Host\":\".\",\"Caption\":"));
    assert_non_null(strstr(out, "{\"Host\":\"localhost\",\"Caption\":"));
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
        cmocka_unit_test(table_rows_align),
        cmocka_unit_test(control_characters_escaped),
        cmocka_unit_test(columns_follow_select),
        cmocka_unit_test(empty_result_prints_header),
        cmocka_unit_test(version_and_help),
        cmocka_unit_test(closed_stdout_is_quiet),
        cmocka_unit_test(error_lines_with_hints),
        cmocka_unit_test(summary_plurals),
        cmocka_unit_test(hosts_list),
        cmocka_unit_test(hosts_file),
    };
    test_print_platform();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
