/* call: a WMI method through a sink, like `wmic process call create`.
   Win32_Process.Create starts a command; its out-parameters object (the
   operation's one object) holds ReturnValue and the new ProcessId.
   Asynchronous where WMI has ExecMethodAsync, the synchronous call on a
   library thread where it does not (Wine): an explicit choice of mode. */
#define COBJMACROS
#include <stdio.h>
#include <wbemsink.h>

int wmain(int argc, wchar_t **argv)
{
    const wchar_t *command = argc > 1 ? argv[1] : L"cmd.exe /c exit 0";
    wbemsink_connection *conn = NULL;
    IWbemClassObject *in = NULL, *out = NULL;
    wbemsink *s = NULL;
    wbemsink_options o = { 0 };
    ULONG rv = 0, pid = 0;
    o.mode = WBEMSINK_MODE_PULL;   /* take the result with wbemsink_next */
    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    wbemsink_init_security();
    HRESULT hr = wbemsink_connect(L"root\\cimv2", NULL, &conn);
    IWbemServices *svc = wbemsink_connection_services(conn);   /* borrowed; NULL if it failed */
    if (SUCCEEDED(hr)) hr = wbemsink_method_params(svc, L"Win32_Process", L"Create", &in);
    if (SUCCEEDED(hr)) hr = wbemsink_set_string(in, L"CommandLine", command);
    if (SUCCEEDED(hr)) hr = wbemsink_create(NULL, &o, &s);
    if (SUCCEEDED(hr)) {   /* one error path: a refused call completes the sink */
        wbemsink_exec_method(s, svc, L"Win32_Process", L"Create", in, 0, NULL, WBEMSINK_CALL_ASYNC_OR_SEMISYNC);
        if (wbemsink_next(s, 30000, &out) != S_OK) out = NULL;
        if (wbemsink_wait(s, 30000, &hr) != S_OK) hr = WBEM_E_TIMED_OUT;
        wbemsink_release(s);
    }
    if (SUCCEEDED(hr) && out) hr = wbemsink_get_uint32(out, L"ReturnValue", &rv);   /* 0: started */
    if (SUCCEEDED(hr) && out && rv == 0) hr = wbemsink_get_uint32(out, L"ProcessId", &pid);
    if (SUCCEEDED(hr) && pid) printf("started %ls: ProcessId %lu\n", command, pid);
    else fprintf(stderr, "call: %s (0x%08lX), ReturnValue %lu\n", wbemsink_hresult_name(hr) ? wbemsink_hresult_name(hr) : "no result", (unsigned long)hr, rv);
    if (out) IWbemClassObject_Release(out);
    if (in) IWbemClassObject_Release(in);
    wbemsink_connection_release(conn);
    CoUninitialize();
    return SUCCEEDED(hr) && pid ? 0 : 1;
}
