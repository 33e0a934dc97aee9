/* wbemq call TARGET METHOD [NAME=VALUE ...]: the in-parameters from
   wbemsink_method_params, filled by their CIM types (call_value.c), the
   method run with wbemsink_exec_method through a pull sink, the
   out-parameters printed as one row in the chosen format, a non-zero
   ReturnValue explained (call_result.c) and turned into exit status 1. */
#include "wbemq.h"
#include <string.h>
#include <wchar.h>

/* The class of a class or object path: "Win32_Process" of
   "\\HOST\root\cimv2:Win32_Process.Handle=\"42\"". */
static void class_of(const wchar_t *target, wchar_t *cls, size_t size)
{
    size_t end = wcscspn(target, L".=");          /* the keys start here */
    size_t start = 0;
    for (size_t i = 0; i < end; i++)
        if (target[i] == L':') start = i + 1;     /* after the namespace */
    size_t n = end - start < size - 1 ? end - start : size - 1;
    wmemcpy(cls, target + start, n);
    cls[n] = 0;
}

/* The in-parameters' names, for the message about an unknown one. */
static void list_params(FILE *f, IWbemClassObject *in)
{
    SAFEARRAY *names = NULL;
    if (FAILED(IWbemClassObject_GetNames(in, NULL, WBEM_FLAG_NONSYSTEM_ONLY, NULL, &names)) || !names) return;
    LONG lo = 0, hi = -1;
    SafeArrayGetLBound(names, 1, &lo);
    SafeArrayGetUBound(names, 1, &hi);
    for (LONG i = lo; i <= hi; i++) {
        BSTR n = NULL;
        if (SUCCEEDED(SafeArrayGetElement(names, &i, &n)) && n) {
            fprintf(f, "%s%ls", i == lo ? "" : ", ", n);
            SysFreeString(n);
        }
    }
    SafeArrayDestroy(names);
}

/* The CIM type's name as MOF writes it. */
static const char *cim_name(CIMTYPE t)
{
    switch (t & ~CIM_FLAG_ARRAY) {
    case CIM_SINT8: return "sint8";
    case CIM_UINT8: return "uint8";
    case CIM_SINT16: return "sint16";
    case CIM_UINT16: return "uint16";
    case CIM_SINT32: return "sint32";
    case CIM_UINT32: return "uint32";
    case CIM_SINT64: return "sint64";
    case CIM_UINT64: return "uint64";
    case CIM_REAL32: return "real32";
    case CIM_REAL64: return "real64";
    case CIM_BOOLEAN: return "boolean";
    case CIM_STRING: return "string";
    case CIM_DATETIME: return "datetime";
    case CIM_REFERENCE: return "reference";
    case CIM_CHAR16: return "char16";
    case CIM_OBJECT: return "object";
    default: return "unknown type";
    }
}

typedef struct call_run {
    IWbemClassObject *error_object;   /* from on_complete, AddRef'd */
} call_run;

static void on_complete(void *context, HRESULT hr, const wchar_t *param, IWbemClassObject *error)
{
    call_run *r = context;
    (void)hr;
    (void)param;
    if (error) {
        IWbemClassObject_AddRef(error);
        r->error_object = error;
    }
}

/* Fills `in` from the NAME=VALUE operands. 0, or the exit status after
   saying what is wrong. */
static int fill(IWbemClassObject *in, const wbemq_args *a, const wchar_t *cls, const wchar_t *method)
{
    for (int k = 2; k < a->noperands; k++) {
        const wchar_t *op = a->operands[k], *eq = wcschr(op, L'=');
        wchar_t name[256], why[256];
        size_t n = (size_t)(eq - op) < 255 ? (size_t)(eq - op) : 255;
        wmemcpy(name, op, n);
        name[n] = 0;
        HRESULT hr = wbemq_call_set(in, name, eq + 1, why, 256);
        if (SUCCEEDED(hr)) continue;
        if (hr == (HRESULT)WBEM_E_NOT_FOUND) {
            fprintf(stderr, "wbemq: %ls.%ls has no parameter %ls; its parameters: ", cls, method, name);
            list_params(stderr, in);
            fputc('\n', stderr);
            return 2;
        }
        if (hr == (HRESULT)WBEM_E_TYPE_MISMATCH || hr == (HRESULT)WBEM_E_VALUE_OUT_OF_RANGE) {
            CIMTYPE type = 0;
            IWbemClassObject_Get(in, name, 0, NULL, &type, NULL);
            fprintf(stderr, "wbemq: bad value for %ls (%s%s): \"%ls\": %ls\n", name, cim_name(type),
                    (type & CIM_FLAG_ARRAY) ? "[]" : "", eq + 1,
                    why[0] ? why : L"does not fit the type");
            return 2;
        }
        const char *hn = wbemsink_hresult_name(hr);
        fprintf(stderr, "wbemq: setting %ls failed: %s (0x%08lX)\n", name, hn ? hn : "unknown HRESULT",
                (unsigned long)hr);
        return 1;
    }
    return 0;
}

/* Seconds to milliseconds (0 stays "none"). */
static unsigned ms_of(unsigned seconds)
{
    unsigned long long ms = seconds * 1000ull;
    return ms > 0xFFFFFFFEull ? 0xFFFFFFFEu : (unsigned)ms;
}

int wbemq_call(IWbemServices *services, const wbemq_args *a, wbemq_out *out, HANDLE stop)
{
    const wchar_t *target = a->operands[0], *method = a->operands[1];
    wchar_t cls[256];
    class_of(target, cls, 256);
    char what[600];
    snprintf(what, sizeof what, "getting the parameters of %ls.%ls", cls, method);
    wbemq_failure failure = {a->host, a->ns, NULL, what, S_OK, NULL, 0, 0};

    IWbemClassObject *in = NULL;
    HRESULT hr = wbemsink_method_params(services, cls, method, &in);
    if (FAILED(hr)) {
        if (hr == (HRESULT)WBEM_E_NOT_FOUND || hr == (HRESULT)WBEM_E_INVALID_CLASS) {
            fprintf(stderr, "wbemq: no method %ls.%ls in %ls (%s, 0x%08lX)\n", cls, method, a->ns,
                    wbemsink_hresult_name(hr), (unsigned long)hr);
            return 1;
        }
        failure.hr = hr;
        return wbemq_report_failure(stderr, NULL, &failure);
    }
    if (!in && a->noperands > 2) {
        fprintf(stderr, "wbemq: %ls.%ls takes no parameters\n", cls, method);
        return 2;
    }
    int rc = in ? fill(in, a, cls, method) : 0;
    if (rc) {
        IWbemClassObject_Release(in);
        return rc;
    }

    call_run r = {0};
    wbemsink_callbacks cb = {0};
    cb.context = &r;
    cb.on_complete = on_complete;
    wbemsink_options opt = {0};
    opt.mode = WBEMSINK_MODE_PULL;
    opt.timeout_ms = ms_of(a->timeout_s);
    wbemsink *sink = NULL;
    snprintf(what, sizeof what, "calling %ls.%ls", cls, method);
    if (FAILED(hr = wbemsink_create(&cb, &opt, &sink))) {
        if (in) IWbemClassObject_Release(in);
        failure.hr = hr;
        return wbemq_report_failure(stderr, NULL, &failure);
    }
    ULONGLONG started = GetTickCount64();
    /* auto: ExecMethodAsync, and where WMI refuses it at once (Wine) the
       synchronous ExecMethod on a library thread: S_FALSE says so. */
    HRESULT how = wbemsink_exec_method(sink, services, target, method, in, 0, NULL, a->call_mode);
    if (in) IWbemClassObject_Release(in);
    IWbemClassObject *result = NULL;
    int interrupted = 0;
    for (;;) {
        IWbemClassObject *o = NULL;
        HRESULT n = wbemsink_next(sink, 200, &o);
        if (n == S_OK) {
            if (!result) result = o;        /* the out-parameters: one object */
            else IWbemClassObject_Release(o);
        } else if (n == (HRESULT)WBEM_S_TIMEDOUT) {
            if (stop && WaitForSingleObject(stop, 0) == WAIT_OBJECT_0) {
                wbemsink_cancel(sink, NULL);
                interrupted = 1;
            }
        } else {
            break;
        }
    }
    HRESULT final_hr = E_UNEXPECTED;
    wbemsink_wait(sink, INFINITE, &final_hr);
    wbemsink_release(sink);

    if (interrupted || (final_hr == (HRESULT)WBEM_E_TIMED_OUT && a->timeout_s)) {
        fprintf(stderr, "wbemq: %s; the call was cancelled (a synchronous call may still finish at WMI)\n",
                interrupted ? "interrupted" : "timed out");
        rc = 1;
    } else if (FAILED(final_hr)) {
        failure.hr = final_hr;
        failure.error_object = r.error_object;
        rc = wbemq_report_failure(stderr, NULL, &failure);
    } else {
        if (result && FAILED(wbemq_print_object(out, result, NULL, NULL, 0))) rc = 1;
        if (FAILED(wbemq_out_end(out))) rc = 1;
        ULONG rv = 0;
        if (result && wbemsink_get_uint32(result, L"ReturnValue", &rv) == S_OK && rv != 0) {
            wchar_t buf[512];
            const wchar_t *meaning = wbemq_return_meaning(cls, method, rv, buf, 512);
            fprintf(stderr, "wbemq: %ls.%ls returned %lu%s%ls\n", cls, method, rv, meaning ? ": " : "",
                    meaning ? meaning : L"");
            rc = 1;
        }
        if (a->summary) {
            ULONGLONG ms = GetTickCount64() - started;
            fprintf(stderr, "%ls.%ls in %llu.%02llu s (%s)\n", cls, method, ms / 1000, ms % 1000 / 10,
                    how == S_FALSE ? "ExecMethod on a library thread: WMI refused ExecMethodAsync"
                    : a->call_mode == WBEMSINK_CALL_SEMISYNC ? "ExecMethod on a library thread"
                                                             : "ExecMethodAsync");
        }
    }
    if (result) IWbemClassObject_Release(result);
    if (r.error_object) IWbemClassObject_Release(r.error_object);
    return rc;
}
