/* A program built against an installed wbemsink, as a user would: through
   find_package or pkg-config (the test_package of package managers). Runs
   an operation against the installed fake and checks what came back; with
   an argument, "dll" or "static", also that the package gave it that
   linkage: wbemsink.dll loaded or not, WBEMSINK_STATIC defined or not. */
#define COBJMACROS
#include <stdio.h>
#include <string.h>
#include <wbemsink.h>
#include <wbemsink_fake.h>

static int passed, failed;
#define CHECK(c) ((c) ? (void)passed++ : (void)(failed++, fprintf(stderr, "FAILED: %s\n", #c)))

static HRESULT count(void *ctx, IWbemClassObject *const *objs, LONG n)
{
    (void)objs;
    *(long *)ctx += n;
    return S_OK;
}

int main(int argc, char **argv)
{
    CHECK(strcmp(wbemsink_version(), WBEMSINK_VERSION_STRING) == 0);
    if (argc > 1) {
#ifdef WBEMSINK_STATIC
        int static_define = 1;
#else
        int static_define = 0;
#endif
        int want_dll = strcmp(argv[1], "dll") == 0;
        CHECK(want_dll || strcmp(argv[1], "static") == 0);
        CHECK((GetModuleHandleW(L"wbemsink.dll") != NULL) == want_dll);
        CHECK(static_define == !want_dll);
    }
    long seen = 0;
    wbemsink_callbacks cb;
    memset(&cb, 0, sizeof(cb));
    cb.context = &seen;
    cb.on_objects = count;
    wbemsink *s = NULL;
    CHECK(wbemsink_create(&cb, NULL, &s) == S_OK);
    static const fake_step script[] = { FAKE_STEP_INDICATE(4), FAKE_STEP_INDICATE(3),
                                        FAKE_STEP_COMPLETE(S_OK), FAKE_STEP_END };
    IWbemServices *svc = fake_services_create();
    fake_services_script(svc, script, 1);
    CHECK(wbemsink_exec_query(s, svc, L"SELECT * FROM Win32_Process", 0, NULL) == S_OK);
    HRESULT hr = E_FAIL;
    CHECK(wbemsink_wait(s, 10000, &hr) == S_OK);
    CHECK(hr == S_OK);
    CHECK(seen == 7);
    fake_services_wait_idle(svc);
    wbemsink_release(s);
    fake_services_destroy(svc);
    CHECK(fake_objects_live() == 0);
    printf("consumer %s: %d passed, %d failed\n", wbemsink_version(), passed, failed);
    return failed != 0;
}
