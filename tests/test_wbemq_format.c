/* wbemq's parts without WMI (tools/wbemq, linked as wbemq_parts): the
   output layer (table measuring, cutting and escaping, CSV and JSON
   escaping, the header of an empty result, a reader that went away), the
   SELECT list, the error line and its hints, plurals. */
#include "test_support.h"
#include "wbemq.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct sink_pipe {
    HANDLE r, w;
} sink_pipe;

static void open_pipe(sink_pipe *p)
{
    assert_true(CreatePipe(&p->r, &p->w, NULL, 1 << 20));
}

/* Everything written, after the write end is closed (malloc'd). */
static char *read_all(sink_pipe *p)
{
    CloseHandle(p->w);
    size_t len = 0;
    char *data = calloc(1, 1), buf[4096];
    DWORD got;
    while (ReadFile(p->r, buf, sizeof buf, &got, NULL) && got > 0) {
        data = realloc(data, len + got + 1);
        memcpy(data + len, buf, got);
        len += got;
        data[len] = 0;
    }
    CloseHandle(p->r);
    return data;
}

static void assert_wcs(const wchar_t *got, const wchar_t *want)
{
    assert_non_null(got);
    if (wcscmp(got, want)) {
        print_error("got \"%ls\", want \"%ls\"\n", got, want);
        fail();
    }
}

static wbemq_cell cell(const wchar_t *name, const wchar_t *text)
{
    wbemq_cell c = {name, text ? text : L"", text ? wcslen(text) : 0, text == NULL};
    return c;
}

static const wchar_t *const two[] = {L"Name", L"Path"};

static HRESULT row2(wbemq_out *o, const wchar_t *a, const wchar_t *b)
{
    wbemq_cell cells[2] = {cell(L"Name", a), cell(L"Path", b)};
    return wbemq_out_row(o, cells, 2);
}

/* Widths come from every held row, not the first: a later, longer value
   widens its column. */
static void table_measures_held_rows(void **state)
{
    (void)state;
    sink_pipe p;
    open_pipe(&p);
    wbemq_out *o = wbemq_out_create(WBEMQ_TABLE, p.w, NULL);
    assert_int_equal(wbemq_out_columns(o, two, 2), S_OK);
    assert_int_equal(row2(o, L"a", L"x"), S_OK);
    assert_int_equal(row2(o, L"a much longer name", L"y"), S_OK);
    assert_int_equal(row2(o, NULL, L"z"), S_OK);
    assert_int_equal(wbemq_out_end(o), S_OK);
    wbemq_out_destroy(o);
    char *out = read_all(&p);
    assert_string_equal(out, "Name                Path\n"
                             "------------------  ----\n"
                             "a                   x\n"
                             "a much longer name  y\n"
                             "NULL                z\n");
    free(out);
}

/* Past the bound (2 rows here) the widths are fixed: a longer value is cut
   to its column with "...", a value over max_width too; the last column is
   never cut (its rule stops at max_width). */
static void table_cuts_after_the_bound(void **state)
{
    (void)state;
    sink_pipe p;
    open_pipe(&p);
    wbemq_table_bounds b = {2, 1 << 20, 60000, 8};
    wbemq_out *o = wbemq_out_create(WBEMQ_TABLE, p.w, &b);
    assert_int_equal(wbemq_out_columns(o, two, 2), S_OK);
    assert_int_equal(row2(o, L"abcdef", L"x"), S_OK);
    assert_int_equal(row2(o, L"abcdefghijkl", L"a last column as long as it likes"), S_OK);
    assert_int_equal(row2(o, L"abcdefghi", L"y"), S_OK);
    assert_int_equal(row2(o, L"ab", L"z"), S_OK);
    assert_int_equal(wbemq_out_end(o), S_OK);
    wbemq_out_destroy(o);
    char *out = read_all(&p);
    assert_string_equal(out, "Name      Path\n"
                             "--------  --------\n"
                             "abcdef    x\n"
                             "abcde...  a last column as long as it likes\n"
                             "abcde...  y\n"
                             "ab        z\n");
    free(out);
}

/* Held rows go out when the first has waited wait_ms (wbemq_out_tick),
   not before. */
static void table_tick_releases_after_the_wait(void **state)
{
    (void)state;
    sink_pipe p;
    open_pipe(&p);
    wbemq_table_bounds b = {1000, 1 << 20, 200, 60};
    wbemq_out *o = wbemq_out_create(WBEMQ_TABLE, p.w, &b);
    assert_int_equal(wbemq_out_columns(o, two, 2), S_OK);
    assert_int_equal(row2(o, L"a", L"x"), S_OK);
    assert_false(wbemq_out_tick_due(o));
    assert_int_equal(wbemq_out_tick(o), S_OK);
    DWORD avail = 1;
    assert_true(PeekNamedPipe(p.r, NULL, 0, NULL, &avail, NULL));
    assert_int_equal(avail, 0);                      /* held */
    Sleep(300);
    assert_true(wbemq_out_tick_due(o));
    assert_int_equal(wbemq_out_tick(o), S_OK);
    assert_false(wbemq_out_tick_due(o));
    assert_true(PeekNamedPipe(p.r, NULL, 0, NULL, &avail, NULL));
    assert_true(avail > 0);                          /* released */
    assert_int_equal(row2(o, L"bbbbbbbbbbbb", L"y"), S_OK);   /* cut to the fixed width */
    assert_int_equal(wbemq_out_end(o), S_OK);
    wbemq_out_destroy(o);
    char *out = read_all(&p);
    assert_string_equal(out, "Name  Path\n----  ----\na     x\nb...  y\n");
    free(out);
}

/* Without a tick, the next row after the wait releases the held ones. */
static void table_next_row_releases_after_the_wait(void **state)
{
    (void)state;
    sink_pipe p;
    open_pipe(&p);
    wbemq_table_bounds b = {1000, 1 << 20, 100, 60};
    wbemq_out *o = wbemq_out_create(WBEMQ_TABLE, p.w, &b);
    assert_int_equal(wbemq_out_columns(o, two, 2), S_OK);
    assert_int_equal(row2(o, L"a", L"x"), S_OK);
    Sleep(200);
    assert_int_equal(row2(o, L"bbbbbb", L"y"), S_OK);
    DWORD avail = 0;
    assert_true(PeekNamedPipe(p.r, NULL, 0, NULL, &avail, NULL));
    assert_true(avail > 0);
    assert_int_equal(wbemq_out_end(o), S_OK);
    wbemq_out_destroy(o);
    char *out = read_all(&p);
    assert_string_equal(out, "Name    Path\n------  ----\na       x\nbbbbbb  y\n");   /* both measured */
    free(out);
}

/* Control characters: escaped in the table (one row, one line), as they
   are inside quotes in CSV, escaped in JSON. */
static void control_characters(void **state)
{
    (void)state;
    const wchar_t *v = L"a\nb\tc\rd\x01" L"e\x7f" L"f\\g";
    sink_pipe p;
    open_pipe(&p);
    wbemq_out *o = wbemq_out_create(WBEMQ_TABLE, p.w, NULL);
    assert_int_equal(wbemq_out_columns(o, two, 2), S_OK);
    assert_int_equal(row2(o, v, L"end"), S_OK);
    assert_int_equal(wbemq_out_end(o), S_OK);
    wbemq_out_destroy(o);
    char *out = read_all(&p);
    assert_string_equal(out, "Name                    Path\n"
                             "----------------------  ----\n"
                             "a\\nb\\tc\\rd\\x01e\\x7ff\\g  end\n");
    free(out);

    open_pipe(&p);
    o = wbemq_out_create(WBEMQ_CSV, p.w, NULL);
    assert_int_equal(wbemq_out_columns(o, two, 2), S_OK);
    assert_int_equal(row2(o, v, L"say \"hi\", twice"), S_OK);
    assert_int_equal(row2(o, NULL, L"tab\tonly"), S_OK);
    assert_int_equal(wbemq_out_end(o), S_OK);
    wbemq_out_destroy(o);
    out = read_all(&p);
    assert_string_equal(out, "Name,Path\n"
                             "\"a\nb\tc\rd\x01" "e\x7f" "f\\g\",\"say \"\"hi\"\", twice\"\n"
                             ",tab\tonly\n");
    free(out);

    /* JSON: the producer writes JSON text (wbemq_text); the key is escaped too */
    wbuf json = {0};
    wbemq_text(&json, v, wcslen(v), WBEMQ_JSON);
    open_pipe(&p);
    o = wbemq_out_create(WBEMQ_JSONL, p.w, NULL);
    assert_int_equal(wbemq_out_style(o), WBEMQ_JSON);
    wbemq_cell cells[2] = {{L"Na\"me", json.p, json.len, 0}, {L"Path", L"null", 4, 1}};
    assert_int_equal(wbemq_out_row(o, cells, 2), S_OK);
    assert_int_equal(wbemq_out_end(o), S_OK);
    wbemq_out_destroy(o);
    wb_free(&json);
    out = read_all(&p);
    assert_string_equal(out, "{\"Na\\\"me\":\"a\\nb\\tc\\rd\\u0001e\x7f" "f\\\\g\",\"Path\":null}\n");
    free(out);
}

/* No row: the header (table, CSV) or [] (json); jsonl nothing. */
static void empty_result(void **state)
{
    (void)state;
    static const struct {
        wbemq_format f;
        const char *want;
    } cases[] = {
        {WBEMQ_TABLE, "Name  Path\n----  ----\n"},
        {WBEMQ_CSV, "Name,Path\n"},
        {WBEMQ_JSON_ARRAY, "[]\n"},
        {WBEMQ_JSONL, ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sink_pipe p;
        open_pipe(&p);
        wbemq_out *o = wbemq_out_create(cases[i].f, p.w, NULL);
        assert_int_equal(wbemq_out_columns(o, two, 2), S_OK);
        assert_int_equal(wbemq_out_columns(o, two, 1), S_FALSE);   /* once */
        assert_int_equal(wbemq_out_end(o), S_OK);
        wbemq_out_destroy(o);
        char *out = read_all(&p);
        assert_string_equal(out, cases[i].want);
        free(out);
    }
}

/* The reader went away: the row fails with the pipe's error, and every
   later call too; nothing crashes. */
static void reader_gone(void **state)
{
    (void)state;
    const wbemq_format formats[] = {WBEMQ_TABLE, WBEMQ_CSV, WBEMQ_JSONL, WBEMQ_JSON_ARRAY};
    for (size_t i = 0; i < 4; i++) {
        sink_pipe p;
        open_pipe(&p);
        CloseHandle(p.r);
        wbemq_table_bounds b = {1, 1 << 20, 1000, 60};   /* the table writes at once */
        wbemq_out *o = wbemq_out_create(formats[i], p.w, &b);
        assert_int_equal(wbemq_out_columns(o, two, 2), S_OK);
        HRESULT hr = row2(o, L"a", L"b");
        DWORD e = wbemq_out_write_error(o);
        assert_true(e == ERROR_NO_DATA || e == ERROR_BROKEN_PIPE);
        assert_int_equal(hr, HRESULT_FROM_WIN32(e));
        assert_int_equal(row2(o, L"a", L"b"), HRESULT_FROM_WIN32(e));
        assert_int_equal(wbemq_out_end(o), HRESULT_FROM_WIN32(e));
        wbemq_out_destroy(o);
        CloseHandle(p.w);
    }
}

static void select_list(void **state)
{
    (void)state;
    wbemq_select s;
    assert_int_equal(wbemq_select_parse(L"  select Name ,\tProcessId\nFROM Win32_Process WHERE x = 1", &s), S_OK);
    assert_int_equal(s.count, 2);
    assert_wcs(s.names[0], L"Name");
    assert_wcs(s.names[1], L"ProcessId");
    assert_wcs(s.class_name, L"Win32_Process");
    wbemq_select_free(&s);

    assert_int_equal(wbemq_select_parse(L"SELECT * FROM Win32_Service", &s), S_OK);
    assert_null(s.names);
    assert_wcs(s.class_name, L"Win32_Service");
    wbemq_select_free(&s);

    assert_int_equal(wbemq_select_parse(L"SELECT __PATH, Name FROM Win32_Service", &s), S_OK);
    assert_int_equal(s.count, 2);
    assert_wcs(s.names[0], L"__PATH");
    wbemq_select_free(&s);

    /* not a plain list: the objects' own properties */
    const wchar_t *others[] = {L"ASSOCIATORS OF {Win32_Service.Name='x'}", L"SELECT FROM X",
                               L"SELECT a b FROM X", L"SELECTName FROM X", L"SELECT a,", L""};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        assert_int_equal(wbemq_select_parse(others[i], &s), S_OK);
        assert_null(s.names);
        assert_int_equal(s.count, 0);
        wbemq_select_free(&s);
    }
}

/* The error line: one line, what and where, name, code, text, hint. */
static void failure_line(void **state)
{
    (void)state;
    static const struct {
        HRESULT hr;
        const char *hint;
    } cases[] = {
        {(HRESULT)0x80041015L, "Hint: check the host's name"},
        {(HRESULT)0x800706BAL, "Hint: check the host's name"},
        {E_ACCESSDENIED, "Hint: run as an administrator"},
        {(HRESULT)0x80041003L, "Hint: run as an administrator"},
        {(HRESULT)0x8004100EL, "Hint: check --namespace"},
        {(HRESULT)0x80041010L, "Hint: check the class name"},
        {(HRESULT)0x80041017L, "Hint: WQL reads"},
        {(HRESULT)0x80041069L, "Hint: it took longer than --timeout"},
        {E_FAIL, NULL},
    };
    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        FILE *f = tmpfile();
        assert_non_null(f);
        wbemq_failure x = {L"srv1", L"root\\cimv2", L"SELECT a\nFROM b", "the query", cases[i].hr, NULL,
                           i > 0, (unsigned long long)i - 1};
        assert_int_equal(wbemq_report_failure(f, L"srv1", &x), 1);
        char line[2048] = "";
        rewind(f);
        size_t n = fread(line, 1, sizeof line - 1, f);
        fclose(f);
        line[n] = 0;
        print_message("    %s", line);
        char *nl = strchr(line, '\n');
        assert_non_null(nl);
        assert_string_equal(nl + 1, "");                  /* one line */
        char code[32];
        snprintf(code, sizeof code, "(0x%08lX)", (unsigned long)cases[i].hr);
        assert_non_null(strstr(line, code));
        /* i - 1 objects before: none said, "0 objects", "1 object", "2 objects"... */
        char what[64];
        if (i == 0) snprintf(what, sizeof what, "wbemq: srv1: the query failed (host");
        else snprintf(what, sizeof what, "wbemq: srv1: the query failed after %u %s (host", (unsigned)i - 1,
                      i == 2 ? "object" : "objects");
        assert_non_null(strstr(line, what));
        assert_non_null(strstr(line, " (host srv1, namespace root\\cimv2, query \"SELECT a FROM b\"): "));
        if (cases[i].hint) assert_non_null(strstr(line, cases[i].hint));
        else assert_null(strstr(line, "Hint"));
        assert_true((wbemq_hint(cases[i].hr) != NULL) == (cases[i].hint != NULL));
    }
    CoUninitialize();
}

static void plurals(void **state)
{
    (void)state;
    assert_string_equal(wbemq_plural(0, "object", "objects"), "objects");
    assert_string_equal(wbemq_plural(1, "object", "objects"), "object");
    assert_string_equal(wbemq_plural(2, "object", "objects"), "objects");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table_measures_held_rows),
        cmocka_unit_test(table_cuts_after_the_bound),
        cmocka_unit_test(table_tick_releases_after_the_wait),
        cmocka_unit_test(table_next_row_releases_after_the_wait),
        cmocka_unit_test(control_characters),
        cmocka_unit_test(empty_result),
        cmocka_unit_test(reader_gone),
        cmocka_unit_test(select_list),
        cmocka_unit_test(failure_line),
        cmocka_unit_test(plurals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
