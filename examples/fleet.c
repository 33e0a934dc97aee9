/* fleet: the operating system of many computers, listed one per line in a
   file ("fleet hosts.txt"; '#' comments and blank lines skipped), queried
   32 at a time; every row printed with its host, failures on stderr. */
#define COBJMACROS
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wbemsink.h>

static HRESULT on_objects(void *context, size_t target, const wchar_t *host,
                          IWbemClassObject *const *objects, LONG count)
{
    (void)context;
    (void)target;
    for (LONG i = 0; i < count; i++) {
        char caption[256] = "?", version[64] = "?";
        wbemsink_get_utf8(objects[i], L"Caption", caption, sizeof caption, NULL);
        wbemsink_get_utf8(objects[i], L"Version", version, sizeof version, NULL);
        printf("%-20ls %s %s\n", host, caption, version);
    }
    return S_OK;
}

static void on_target_done(void *context, size_t target, const wchar_t *host, HRESULT hr,
                           const wchar_t *text)
{
    (void)context;
    (void)target;
    if (FAILED(hr)) fprintf(stderr, "%ls: %ls (0x%08lX)\n", host, text, (unsigned long)hr);
}

/* The file's names (at most 4096 hosts of 255 characters, for brevity). */
static size_t read_hosts(const wchar_t *path, wchar_t names[][256], size_t max)
{
    FILE *f = _wfopen(path, L"r");
    char line[512];
    size_t n = 0;
    if (!f) return 0;
    while (n < max && fgets(line, sizeof line, f)) {
        line[strcspn(line, "#\r\n")] = 0;
        char *p = line, *end;
        while (*p == ' ' || *p == '\t') p++;
        for (end = p + strlen(p); end > p && (end[-1] == ' ' || end[-1] == '\t');) *--end = 0;
        if (*p && MultiByteToWideChar(CP_UTF8, 0, p, -1, names[n], 256)) n++;
    }
    fclose(f);
    return n;
}

int wmain(int argc, wchar_t **argv)
{
    static wchar_t names[4096][256];
    static wbemsink_target targets[4096];
    size_t n = argc > 1 ? read_hosts(argv[1], names, 4096) : 0;
    if (!n) {
        fprintf(stderr, "usage: fleet HOSTS-FILE (one computer name a line)\n");
        return 2;
    }
    for (size_t i = 0; i < n; i++) targets[i].host = names[i];

    wbemsink_fanout_options o = {
        .throttle = 32,
        .connect_timeout_ms = 10000,   /* a dead host gives its slot up after 10 s */
        .timeout_ms = 30000,           /* a host that stops answering, after 30 s */
        .query = L"SELECT Caption, Version FROM Win32_OperatingSystem",
    };
    wbemsink_fanout_callbacks cb = {.on_objects = on_objects, .on_target_done = on_target_done};
    wbemsink_fanout *f = NULL;
    wbemsink_fanout_counts c = {0};
    /* The fan-out's own threads are in the MTA; the security is the
       process's, so it is set here once. */
    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    wbemsink_init_security();
    HRESULT hr = wbemsink_fanout_start(targets, n, &o, &cb, &f);
    if (SUCCEEDED(hr)) hr = wbemsink_fanout_wait(f, INFINITE, &c);
    wbemsink_fanout_release(f);
    CoUninitialize();
    fprintf(stderr, "%zu hosts: %zu ok, %zu failed, %zu timed out\n", c.targets, c.succeeded,
            c.failed + c.cancelled, c.timed_out);
    return FAILED(hr) || c.succeeded != n;
}
