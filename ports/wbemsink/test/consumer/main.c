/* test_package for the vcpkg port: a query against the installed fake
   IWbemServices, through the installed wbemsink. Exit 0 when all is well. */
#include <stdio.h>
#include <string.h>
#include <wbemsink.h>
#include <wbemsink_fake.h>

static HRESULT count(void *ctx, IWbemClassObject *const *objs, LONG n)
{
    (void)objs;
    *(long *)ctx += n;
    return S_OK;
}

int main(void)
{
    static const fake_step script[] = { FAKE_STEP_INDICATE(2), FAKE_STEP_INDICATE(3),
                                        FAKE_STEP_COMPLETE(S_OK), FAKE_STEP_END };
    wbemsink_callbacks cb;
    wbemsink *s = NULL;
    long seen = 0;
    HRESULT hr = E_FAIL;
    int ok;
    memset(&cb, 0, sizeof(cb));
    cb.context = &seen;
    cb.on_objects = count;
    IWbemServices *svc = fake_services_create();
    fake_services_script(svc, script, 1);
    ok = strcmp(wbemsink_version(), WBEMSINK_VERSION_STRING) == 0
         && wbemsink_create(&cb, NULL, &s) == S_OK
         && wbemsink_exec_query(s, svc, L"SELECT * FROM Win32_Process", 0, NULL) == S_OK
         && wbemsink_wait(s, 10000, &hr) == S_OK && hr == S_OK && seen == 5;
    fake_services_wait_idle(svc);
    if (s)
        wbemsink_release(s);
    fake_services_destroy(svc);
    ok = ok && fake_objects_live() == 0;
#ifdef WBEMSINK_STATIC
    const char *linkage = "static";
#else
    const char *linkage = "DLL";
#endif
    printf("wbemsink %s (%s): %s, %ld objects\n", wbemsink_version(), linkage, ok ? "ok" : "FAILED", seen);
    return ok ? 0 : 1;
}
