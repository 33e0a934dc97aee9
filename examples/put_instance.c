/* put_instance: create an instance with wbemsink_put_instance
   (PutInstanceAsync) and print the new object's path, which WMI reports in
   the completion's strParam (the sink copies it: on_complete's `param`).
   The example creates the user environment variable WBEMSINK_EXAMPLE
   through Win32_Environment, prints its path, then deletes it again with
   wbemsink_delete_instance.

   Wine's WMI has no Win32_Environment and no PutInstanceAsync: there it
   fails with a clear message and status 1. */
#define COBJMACROS
#include <stdio.h>
#include <wchar.h>
#include <wbemsink.h>

typedef struct result {
    wchar_t path[512];     /* the new object's path, "" if none came */
} result;

/* Runs once, last: copy what we need, `param` dies with the sink. */
static void on_complete(void *context, HRESULT hr, const wchar_t *param, IWbemClassObject *error)
{
    result *r = context;
    (void)hr;
    (void)error;
    if (param) {
        wcsncpy(r->path, param, 511);
        r->path[511] = 0;
    }
}

static int fail(const char *what, HRESULT hr)
{
    const char *name = wbemsink_hresult_name(hr);
    fprintf(stderr, "put_instance: %s failed: %s (0x%08lX)\n", what, name ? name : "unknown",
            (unsigned long)hr);
    return 1;
}

/* Waits for a sink's operation (30 s at most, then cancels it), releases
   the sink and returns the operation's result. */
static HRESULT finish(wbemsink *sink)
{
    HRESULT final_hr = E_UNEXPECTED;
    if (wbemsink_wait(sink, 30000, &final_hr) == WBEM_S_TIMEDOUT) {
        wbemsink_cancel(sink, NULL);
        final_hr = WBEM_S_TIMEDOUT;
    }
    wbemsink_release(sink);
    return final_hr;
}

static HRESULT put_string(IWbemClassObject *obj, const wchar_t *prop, const wchar_t *value)
{
    VARIANT v;
    V_VT(&v) = VT_BSTR;
    V_BSTR(&v) = SysAllocString(value);
    HRESULT hr = IWbemClassObject_Put(obj, prop, 0, &v, 0);
    VariantClear(&v);
    return hr;
}

int wmain(void)
{
    wbemsink_connection *conn = NULL;
    IWbemClassObject *cls = NULL, *inst = NULL;
    HRESULT hr = CoInitializeEx(NULL, COINIT_MULTITHREADED);
    if (FAILED(hr)) return fail("CoInitializeEx", hr);
    wbemsink_init_security();
    hr = wbemsink_connect(L"root\\cimv2", NULL, &conn);
    if (FAILED(hr)) return fail("connecting", hr);
    IWbemServices *services = wbemsink_connection_services(conn);   /* borrowed */

    /* The new instance: Name, UserName ("DOMAIN\user") and value. */
    int rc = 1;
    BSTR class_name = SysAllocString(L"Win32_Environment");
    hr = IWbemServices_GetObject(services, class_name, 0, NULL, &cls, NULL);
    SysFreeString(class_name);
    if (FAILED(hr)) {
        fail("GetObject(Win32_Environment)", hr);
        goto done;
    }
    if (FAILED(hr = IWbemClassObject_SpawnInstance(cls, 0, &inst))) {
        fail("SpawnInstance", hr);
        goto done;
    }
    wchar_t user[256] = L"", domain[128] = L"";
    GetEnvironmentVariableW(L"USERDOMAIN", domain, 128);
    GetEnvironmentVariableW(L"USERNAME", user + 0, 128);
    wchar_t account[300];
    swprintf(account, 300, L"%ls\\%ls", domain, user);
    put_string(inst, L"Name", L"WBEMSINK_EXAMPLE");
    put_string(inst, L"UserName", account);
    put_string(inst, L"VariableValue", L"created by wbemsink's put_instance example");

    result r = {{0}};
    wbemsink_callbacks cb = {0};
    cb.context = &r;
    cb.on_complete = on_complete;
    wbemsink *sink;
    if (FAILED(hr = wbemsink_create(&cb, NULL, &sink))) {
        fail("wbemsink_create", hr);
        goto done;
    }
    /* One error path: a call WMI refuses completes the sink with its code. */
    wbemsink_put_instance(sink, services, inst, WBEM_FLAG_CREATE_OR_UPDATE, NULL,
                          WBEMSINK_CALL_ASYNC);
    HRESULT final_hr = finish(sink);
    if (final_hr != S_OK) {
        fail("creating the instance", final_hr);
    } else {
        wprintf(L"created: %ls\n", r.path[0] ? r.path : L"(WMI reported no path)");
        rc = 0;
        if (r.path[0]) {          /* clean up: delete what we made */
            if (FAILED(hr = wbemsink_create(NULL, NULL, &sink))) {
                rc = fail("wbemsink_create", hr);
            } else {
                wbemsink_delete_instance(sink, services, r.path, 0, NULL, WBEMSINK_CALL_ASYNC);
                if (FAILED(hr = finish(sink))) rc = fail("deleting it", hr);
                else wprintf(L"deleted it again\n");
            }
        }
    }
done:
    if (inst) IWbemClassObject_Release(inst);
    if (cls) IWbemClassObject_Release(cls);
    wbemsink_connection_release(conn);
    CoUninitialize();
    if (rc) fprintf(stderr, "put_instance: (Wine's WMI supports neither Win32_Environment nor "
                            "PutInstanceAsync; run this on Windows)\n");
    return rc;
}
