/* End to end: `wbemq call`, run as a child process on the real WMI (under
   Wine: wbemprox, where wbemq's default --call-mode auto falls back to the
   synchronous ExecMethod). Every format, a registry round trip, a process
   started, and the failures with their exit status. */
#include "test_support.h"
#include "run_child.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#ifndef WBEMQ_EXE
#error "WBEMQ_EXE (the path of wbemq.exe) must be defined by the build"
#endif

static wchar_t exe[MAX_PATH];

static DWORD wbemq(const wchar_t *args, char **out, char **err)
{
    if (!exe[0]) child_exe_path(WBEMQ_EXE, exe, MAX_PATH);
    return run_child(exe, args, out, err);
}

#define REG L"--namespace root\\default call StdRegProv "
#define HKCU_ARG L"hDefKey=0x80000001 "

/* Runs wbemq; its exit status must be `code`, and stdout and stderr
   contain in_out and in_err (NULL: anything; "": stderr empty is not
   required, only contained). */
static void expect(const wchar_t *args, DWORD code, const char *in_out, const char *in_err)
{
    char *out, *err;
    DWORD got = wbemq(args, &out, &err);
    if (got != code || (in_out && !strstr(out, in_out)) || (in_err && !strstr(err, in_err))) {
        print_error("wbemq %ls\nexit %lu (expected %lu)\nstdout:\n%s\nstderr:\n%s\n", args,
                    (unsigned long)got, (unsigned long)code, out, err);
        free(out);
        free(err);
        fail();
    }
    free(out);
    free(err);
}

/* The out-parameters of EnumKey (ReturnValue, an array of names) in every
   format: one row, the values where the format puts them. */
static void every_format(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(wbemq(L"--format table " REG L"EnumKey " HKCU_ARG L"sSubKeyName=Software", &out, &err), 0);
    /* header, rule, one row */
    unsigned lines = 0;
    for (const char *p = out; *p; p++) lines += *p == '\n';
    assert_int_equal(lines, 3);
    assert_non_null(strstr(out, "sNames"));
    assert_non_null(strstr(out, "-----------"));
    free(out);
    free(err);
    expect(L"--format csv " REG L"EnumKey " HKCU_ARG L"sSubKeyName=Software", 0, "ReturnValue,sNames\n0,", "");
    expect(L"--format jsonl " REG L"EnumKey " HKCU_ARG L"sSubKeyName=Software", 0, "{\"ReturnValue\":0,\"sNames\":[", "");
    assert_int_equal(wbemq(L"--format json " REG L"EnumKey " HKCU_ARG L"sSubKeyName=Software", &out, &err), 0);
    assert_true(!strncmp(out, "[\n{\"ReturnValue\":0,\"sNames\":[", 28));
    assert_non_null(strstr(out, "}\n]\n"));
    free(out);
    free(err);
}

/* CreateKey, SetStringValue (UTF-8 out), SetDWORDValue, GetStringValue,
   DeleteKey, each through wbemq. */
static void registry_round_trip(void **state)
{
    (void)state;
    wchar_t args[512], key[64];
    swprintf(key, 64, L"Software\\wbemq-call-%lu", (unsigned long)GetCurrentProcessId());
    swprintf(args, 512, REG L"CreateKey " HKCU_ARG L"\"sSubKeyName=%ls\"", key);
    expect(args, 0, NULL, "");
    swprintf(args, 512, REG L"SetStringValue " HKCU_ARG L"\"sSubKeyName=%ls\" sValueName=text "
                        L"\"sValue=h\u00e9llo, world\"", key);
    expect(args, 0, NULL, "");
    swprintf(args, 512, REG L"SetDWORDValue " HKCU_ARG L"\"sSubKeyName=%ls\" sValueName=n uValue=4000000000", key);
    expect(args, 0, NULL, "");
    DWORD value = 0, size = sizeof value;
    assert_int_equal(RegGetValueW(HKEY_CURRENT_USER, key, L"n", RRF_RT_REG_DWORD, NULL, &value, &size),
                     ERROR_SUCCESS);
    assert_int_equal(value, 4000000000u);
    swprintf(args, 512, L"--format jsonl " REG L"GetStringValue " HKCU_ARG L"\"sSubKeyName=%ls\" sValueName=text", key);
    expect(args, 0, "\"sValue\":\"h\xC3\xA9llo, world\"", "");
    swprintf(args, 512, REG L"DeleteKey " HKCU_ARG L"\"sSubKeyName=%ls\"", key);
    expect(args, 0, NULL, "");
    /* Gone: ReturnValue 2, explained with the system's text, exit 1. */
    swprintf(args, 512, REG L"GetStringValue " HKCU_ARG L"\"sSubKeyName=%ls\" sValueName=text", key);
    expect(args, 1, NULL, "StdRegProv.GetStringValue returned 2: ");
}

/* A process through Win32_Process.Create: its ProcessId in the output;
   a program that does not exist: ReturnValue 9, "path not found", exit 1. */
static void process_create(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(wbemq(L"--format csv call Win32_Process Create \"CommandLine=cmd.exe /c exit 0\"", &out, &err), 0);
    unsigned long pid = 0;
    const char *row = strchr(out, '\n');
    assert_non_null(row);
    assert_non_null(strstr(out, "ProcessId"));
    assert_int_equal(sscanf(row + 1, "%lu,0", &pid), 1);
    assert_true(pid > 0);
    free(out);
    free(err);
    expect(L"call Win32_Process Create CommandLine=C:\\no\\such\\program.exe", 1, NULL,
           "Win32_Process.Create returned 9: path not found");
}

/* The failures: an unknown method (1), an unknown parameter (2, the
   parameters listed), a value that is not of the type (2), out of range
   (2), bad usage (2), and under Wine the asynchronous call refused when
   asked for explicitly (1) while semisync works. */
static void failures(void **state)
{
    (void)state;
    expect(L"call Win32_Process NoSuchMethod", 1, NULL, "no method Win32_Process.NoSuchMethod");
    expect(L"call Win32_Process Create NoSuchParameter=1", 2, NULL, "has no parameter NoSuchParameter; its parameters: ");
    expect(L"call Win32_Process Create NoSuchParameter=1", 2, NULL, "CommandLine");
    expect(REG L"SetDWORDValue " HKCU_ARG L"sSubKeyName=x sValueName=n uValue=abc", 2, NULL,
           "bad value for uValue (uint32): \"abc\": not an unsigned integer");
    expect(REG L"SetDWORDValue " HKCU_ARG L"sSubKeyName=x sValueName=n uValue=4294967296", 2, NULL,
           "bad value for uValue (uint32): \"4294967296\": out of range");
    expect(REG L"SetDWORDValue " HKCU_ARG L"sSubKeyName=x sValueName=n uValue=-1", 2, NULL, "bad value for uValue");
    expect(L"call Win32_Process", 2, NULL, "call needs a class or object path and a method");
    expect(L"--host .,localhost call Win32_Process GetOwner", 2, NULL, "call runs on one host");
    expect(L"call Win32_Process Create novalue", 2, NULL, "NAME=VALUE");
    expect(L"--call-mode sometimes call Win32_Process Create", 2, NULL, "--call-mode must be");
    if (test_is_wine()) {
        expect(L"--call-mode async " REG L"EnumKey " HKCU_ARG L"sSubKeyName=Software", 1, NULL, "WBEM_E_FAILED");
        expect(L"--summary " REG L"EnumKey " HKCU_ARG L"sSubKeyName=Software", 0, NULL,
               "ExecMethod on a library thread: WMI refused ExecMethodAsync");
    }
    expect(L"--call-mode semisync " REG L"EnumKey " HKCU_ARG L"sSubKeyName=Software", 0, "ReturnValue", "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_format),
        cmocka_unit_test(registry_round_trip),
        cmocka_unit_test(process_create),
        cmocka_unit_test(failures),
    };
    test_print_platform();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
