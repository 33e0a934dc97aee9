/* wbemq's error line: what failed and where, WMI's text, and a hint.
   One function, so a failure reads the same wherever it comes from (the
   connection, the query, a host of many). */
#include "wbemq.h"
#include <string.h>
#include <wchar.h>

/* wbemq's own short words for common WMI codes, used when WMI itself has no
   description to give (wbemsink_hresult_text then falls back to the code's
   name; Wine's WMI never has one). */
static const struct {
    HRESULT hr;
    const wchar_t *text;
} known[] = {
    {(HRESULT)0x80041001L, L"WMI reported a general failure."},
    {(HRESULT)0x80041002L, L"No such object."},
    {(HRESULT)0x80041003L, L"Access denied to this user."},
    {(HRESULT)0x80041006L, L"WMI ran out of memory."},
    {(HRESULT)0x80041008L, L"A parameter of the call was wrong."},
    {(HRESULT)0x8004100AL, L"WMI hit an internal error."},
    {(HRESULT)0x8004100CL, L"WMI does not support this."},
    {(HRESULT)0x8004100EL, L"No such namespace."},
    {(HRESULT)0x80041010L, L"No such class."},
    {(HRESULT)0x80041011L, L"The class's provider is not registered."},
    {(HRESULT)0x80041013L, L"The class's provider could not be loaded."},
    {(HRESULT)0x80041015L, L"Transport failure: no connection to the host."},
    {(HRESULT)0x80041017L, L"The query is not valid WQL."},
    {(HRESULT)0x80041018L, L"Only WQL queries are supported."},
    {(HRESULT)0x80041032L, L"The query was cancelled."},
    {(HRESULT)0x80041045L, L"The object path is malformed."},
    {(HRESULT)0x80041058L, L"The query's result was too large."},
    {(HRESULT)0x80041059L, L"The query's result was too large."},
    {(HRESULT)0x80041064L, L"Credentials cannot be used for this computer."},
    {(HRESULT)0x80041069L, L"Timed out."},
    {(HRESULT)0x80070005L, L"Access denied."},
    {(HRESULT)0x800706BAL, L"The RPC server is unavailable."},
};

static const wchar_t *describe(HRESULT hr)
{
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (known[i].hr == hr) return known[i].text;
    return NULL;
}

/* What to try, for the failures people meet most. */
static const struct {
    HRESULT hr;
    const char *hint;
} hints[] = {
    {(HRESULT)0x80041015L, "check the host's name (DNS), that it is on, and that its firewall lets "
                           "WMI in (DCOM: TCP 135 and dynamic ports)"},
    {(HRESULT)0x800706BAL, "check the host's name (DNS), that it is on, and that its firewall lets "
                           "WMI in (DCOM: TCP 135 and dynamic ports)"},
    {(HRESULT)0x80070005L, "run as an administrator of the host, or give --user (password in "
                           "WBEMQ_PASSWORD); remote WMI also needs DCOM remote access and the "
                           "namespace's Remote Enable right"},
    {(HRESULT)0x80041003L, "run as an administrator of the host, or give --user (password in "
                           "WBEMQ_PASSWORD); remote WMI also needs DCOM remote access and the "
                           "namespace's Remote Enable right"},
    {(HRESULT)0x8004100EL, "check --namespace; Win32_ classes are in root\\cimv2, the default"},
    {(HRESULT)0x80041010L, "check the class name after FROM, and --namespace"},
    {(HRESULT)0x80041017L, "WQL reads SELECT Prop1, Prop2 FROM Class [WHERE Prop = 'text']; quote "
                           "the whole query for the shell"},
    {(HRESULT)0x80041018L, "wbemq runs WQL: SELECT, ASSOCIATORS OF or REFERENCES OF"},
    {(HRESULT)0x80041064L, "this computer takes no --user: leave it out"},
    {(HRESULT)0x80041069L, "it took longer than --timeout: raise it (seconds; 0: no limit)"},
};

const char *wbemq_hint(HRESULT hr)
{
    for (size_t i = 0; i < sizeof hints / sizeof hints[0]; i++)
        if (hints[i].hr == hr) return hints[i].hint;
    return NULL;
}

/* s on one line: line breaks and tabs become spaces, trailing spaces and
   a final period go (the line adds its own punctuation). */
static void one_line(wchar_t *s)
{
    for (wchar_t *p = s; *p; p++)
        if (*p == L'\r' || *p == L'\n' || *p == L'\t') *p = L' ';
    size_t n = wcslen(s);
    while (n && (s[n - 1] == L' ' || s[n - 1] == L'.')) s[--n] = 0;
}

int wbemq_report_failure(FILE *f, const wchar_t *tag, const wbemq_failure *x)
{
    const char *name = wbemsink_hresult_name(x->hr);
    wchar_t text[512];
    /* S_FALSE: only the name or number (WMI had no description; Wine's
       never has), so wbemq's own words instead. */
    HRESULT described = wbemsink_hresult_text(x->hr, text, sizeof text / sizeof text[0]);
    if (described != S_OK) {
        const wchar_t *own = describe(x->hr);
        text[0] = 0;
        if (own) wcsncat(text, own, sizeof text / sizeof text[0] - 1);
    }
    one_line(text);

    fprintf(f, "wbemq: ");
    if (tag) fprintf(f, "%ls: ", tag);
    fprintf(f, "%s failed", x->what ? x->what : "wbemq");
    if (x->say_objects)
        fprintf(f, " after %llu %s", x->objects, wbemq_plural(x->objects, "object", "objects"));
    fprintf(f, " (host %ls, namespace %ls", x->host ? x->host : L"this computer", x->ns ? x->ns : L"-");
    if (x->query) {
        /* The query on one line too. */
        fputs(", query \"", f);
        for (const wchar_t *p = x->query; *p; p++)
            fprintf(f, "%lc", (*p == L'\r' || *p == L'\n' || *p == L'\t') ? L' ' : *p);
        fputc('"', f);
    }
    fprintf(f, "): %s (0x%08lX)", name ? name : "unknown HRESULT", (unsigned long)x->hr);
    if (text[0]) fprintf(f, ": %ls", text);
    BSTR error_text = NULL;
    if (x->error_object && wbemsink_get_string(x->error_object, L"Description", &error_text) == S_OK &&
        error_text && error_text[0]) {
        one_line(error_text);
        fprintf(f, "; WMI says: %ls", error_text);
    }
    SysFreeString(error_text);
    const char *hint = wbemq_hint(x->hr);
    fprintf(f, hint ? ". Hint: %s\n" : "\n", hint);
    fflush(f);
    return 1;
}
