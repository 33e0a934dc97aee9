/* wbemq's command line. */
#include "wbemq.h"
#include <stdlib.h>
#include <wchar.h>

static const char usage[] =
    "usage: wbemq [--host HOST|A,B,C|@FILE] [--throttle K] [--user USER]\n"
    "             [--namespace NS]\n"
    "             [--format table|csv|jsonl|json] [--mode inline|thread|pull|paced]\n"
    "             [--timeout SECONDS] [--capacity N] [--full-wait MS|infinite]\n"
    "             [--summary] \"WQL query\"\n"
    "       wbemq [options] [--call-mode auto|async|semisync]\n"
    "             call CLASS_OR_PATH METHOD [NAME=VALUE ...]\n"
    "       wbemq -h | --help | --version\n"
    "\n"
    "Runs the query with IWbemServices::ExecQueryAsync through a wbemsink and\n"
    "prints each object as a row (see the manual, wbemq.md).\n"
    "  --host HOST        the computer to query (default: this one); connects\n"
    "                     to \\\\HOST\\NS with packet privacy; A,B,C or @FILE (one\n"
    "                     name a line, # comments) query many hosts at once:\n"
    "                     a Host column first, a line on stderr per failed\n"
    "                     host, a summary; exit 0 only if every host answered\n"
    "  --throttle K       hosts connecting or querying at once (default 32)\n"
    "  --user USER        connect as DOMAIN\\user or user@domain; the password\n"
    "                     comes from the environment variable WBEMQ_PASSWORD\n"
    "                     or, on a console, is asked for without echo (never\n"
    "                     from the command line)\n"
    "  --namespace NS     WMI namespace (default root\\cimv2)\n"
    "  --format F         table (default), csv (RFC 4180), jsonl (one JSON\n"
    "                     object a line) or json (one JSON array)\n"
    "  --mode M           how the sink delivers: thread (default: callbacks on\n"
    "                     the sink's thread), inline (on WMI's thread) or pull\n"
    "                     (wbemsink_next on the main thread), or paced (thread\n"
    "                     delivery of a semisynchronous query, asked for in\n"
    "                     batches only as the queue has room: memory stays\n"
    "                     within --capacity and WMI never waits for the output)\n"
    "  --timeout SECONDS  give up connecting, and cancel the query, after this\n"
    "                     long (each; default 60; 0: never)\n"
    "  --capacity N       objects queued at most while printing is behind\n"
    "                     (default 65536)\n"
    "  --full-wait MS     how long WMI may wait for room in a full queue before\n"
    "                     objects are dropped (default infinite: none ever is)\n"
    "  --summary          the count of objects and the time on stderr at the end\n"
    "                     (always when stderr is a terminal)\n"
    "  --call-mode M      call: auto (default: ExecMethodAsync, and ExecMethod on a\n"
    "                     library thread where WMI refuses it at once, as Wine\n"
    "                     does), async or semisync\n"
    "  -h, --help         this text\n"
    "  --version          wbemq's version and the wbemsink library's\n"
    "call runs a method (static on a class, or on an object path) with the\n"
    "NAME=VALUE in-parameters converted by their CIM type and prints the\n"
    "out-parameters; a non-zero ReturnValue is exit status 1 (see the manual).\n"
    "Table columns follow the SELECT list; rows are measured (up to 1000 rows or\n"
    "1 s held back) and longer values cut; control characters are escaped.\n"
    "Exit status: 0 done (also when the reader of stdout went away early, as\n"
    "with | head), 1 the query, the connection or WMI failed, or objects were\n"
    "dropped (the output is incomplete), 2 bad usage (or no password).\n";

static int bad(const char *what, const wchar_t *arg)
{
    fprintf(stderr, "wbemq: %s: %ls\n%s", what, arg ? arg : L"", usage);
    return -1;
}

/* "--name=value" or "--name value": the value, or NULL when missing. */
static const wchar_t *value_of(const wchar_t *opt, const wchar_t *name, int argc,
                               wchar_t **argv, int *i, int *matched)
{
    size_t n = wcslen(name);
    *matched = 0;
    if (wcsncmp(opt, name, n) != 0) return NULL;
    if (opt[n] == L'=') {
        *matched = 1;
        return opt + n + 1;
    }
    if (opt[n] != L'\0') return NULL;
    *matched = 1;
    if (*i + 1 >= argc) return NULL;
    return argv[++*i];
}

int wbemq_parse_args(int argc, wchar_t **argv, wbemq_args *out)
{
    out->host = NULL;
    out->user = NULL;
    out->ns = L"root\\cimv2";
    out->format = WBEMQ_TABLE;
    out->mode = WBEMSINK_MODE_THREAD;
    out->paced = 0;
    out->timeout_s = 60;
    out->capacity = 0;
    /* Never drop a row: WMI's thread waits for room as long as printing
       needs (Ctrl+C, --timeout and a failed write still end the wait). */
    out->full_wait_ms = INFINITE;
    out->query = NULL;
    out->summary = 0;
    out->hosts = NULL;
    out->throttle = WBEMSINK_FANOUT_DEFAULT_THROTTLE;
    out->call = 0;
    out->operands = NULL;
    out->noperands = 0;
    out->call_mode = WBEMSINK_CALL_ASYNC_OR_SEMISYNC;

    int options_done = 0;
    for (int i = 1; i < argc; i++) {
        const wchar_t *a = argv[i], *v;
        int m;
        if (options_done || a[0] != L'-' || a[1] == L'\0') {
            if (!out->query && !out->call && !wcscmp(a, L"call")) {
                out->call = 1;        /* the operands follow (call.c) */
                out->operands = calloc((size_t)argc, sizeof(*out->operands));
                if (!out->operands) return bad("out of memory", L"");
            } else if (out->call) {
                out->operands[out->noperands++] = a;
            } else {
                if (out->query) return bad("more than one query (quote the query)", a);
                out->query = a;
            }
        } else if (!wcscmp(a, L"--")) {
            options_done = 1;
        } else if (!wcscmp(a, L"-h") || !wcscmp(a, L"--help")) {
            fputs(usage, stdout);
            fflush(stdout);
            return 1;
        } else if (!wcscmp(a, L"--version")) {
            /* The header wbemq was built with, and the library it runs on
               (a DLL beside it may be another build). */
            printf("wbemq %s (wbemsink %s)\n", WBEMSINK_VERSION_STRING, wbemsink_version());
            fflush(stdout);
            return 1;
        } else if (!wcscmp(a, L"--summary")) {
            out->summary = 1;
        } else if ((v = value_of(a, L"--host", argc, argv, &i, &m)) || m) {
            if (v && (v[0] == L'@' || wcschr(v, L','))) out->hosts = v;   /* hosts.c */
            else if (!v || !*v || wcspbrk(v, L"\\/")) return bad("--host needs a computer name", v);
            else out->host = v;
        } else if ((v = value_of(a, L"--throttle", argc, argv, &i, &m)) || m) {
            wchar_t *end = NULL;
            unsigned long k = v ? wcstoul(v, &end, 10) : 0;
            if (!v || !*v || *end || k < 1 || k > 4096) return bad("--throttle needs 1 to 4096", v);
            out->throttle = (unsigned)k;
        } else if ((v = value_of(a, L"--user", argc, argv, &i, &m)) || m) {
            if (!v || !*v) return bad("--user needs a value", a);
            out->user = v;
        } else if ((v = value_of(a, L"--namespace", argc, argv, &i, &m)) || m) {
            if (!v || !*v) return bad("--namespace needs a value", a);
            out->ns = v;
        } else if ((v = value_of(a, L"--format", argc, argv, &i, &m)) || m) {
            if (v && !wcscmp(v, L"table")) out->format = WBEMQ_TABLE;
            else if (v && !wcscmp(v, L"csv")) out->format = WBEMQ_CSV;
            else if (v && !wcscmp(v, L"jsonl")) out->format = WBEMQ_JSONL;
            else if (v && !wcscmp(v, L"json")) out->format = WBEMQ_JSON_ARRAY;
            else return bad("--format must be table, csv, jsonl or json", v);
        } else if ((v = value_of(a, L"--mode", argc, argv, &i, &m)) || m) {
            if (v && !wcscmp(v, L"thread")) out->mode = WBEMSINK_MODE_THREAD;
            else if (v && !wcscmp(v, L"inline")) out->mode = WBEMSINK_MODE_INLINE;
            else if (v && !wcscmp(v, L"pull")) out->mode = WBEMSINK_MODE_PULL;
            else if (v && !wcscmp(v, L"paced")) {
                out->mode = WBEMSINK_MODE_THREAD;
                out->paced = 1;
            } else return bad("--mode must be inline, thread, pull or paced", v);
        } else if ((v = value_of(a, L"--timeout", argc, argv, &i, &m)) || m) {
            wchar_t *end = NULL;
            unsigned long t = v ? wcstoul(v, &end, 10) : 0;
            if (!v || !*v || *end || t > 86400ul * 365) return bad("--timeout needs whole seconds", v);
            out->timeout_s = (unsigned)t;
        } else if ((v = value_of(a, L"--capacity", argc, argv, &i, &m)) || m) {
            wchar_t *end = NULL;
            unsigned long n = v ? wcstoul(v, &end, 10) : 0;
            if (!v || !*v || *end || n < 1 || n > WBEMSINK_MAX_CAPACITY)
                return bad("--capacity needs a whole number from 1 to 67108864", v);
            out->capacity = (unsigned)n;
        } else if ((v = value_of(a, L"--full-wait", argc, argv, &i, &m)) || m) {
            wchar_t *end = NULL;
            unsigned long ms = v ? wcstoul(v, &end, 10) : 0;
            if (v && !wcscmp(v, L"infinite")) out->full_wait_ms = INFINITE;
            else if (!v || !*v || *end || ms < 1 || ms > 86400000ul)
                return bad("--full-wait needs milliseconds (1 to 86400000) or infinite", v);
            else out->full_wait_ms = (unsigned)ms;
        } else if ((v = value_of(a, L"--call-mode", argc, argv, &i, &m)) || m) {
            if (v && !wcscmp(v, L"auto")) out->call_mode = WBEMSINK_CALL_ASYNC_OR_SEMISYNC;
            else if (v && !wcscmp(v, L"async")) out->call_mode = WBEMSINK_CALL_ASYNC;
            else if (v && !wcscmp(v, L"semisync")) out->call_mode = WBEMSINK_CALL_SEMISYNC;
            else return bad("--call-mode must be auto, async or semisync", v);
        } else {
            return bad("unknown option", a);
        }
    }
    if (out->call) {
        if (out->hosts) return bad("call runs on one host: --host takes one name with call", out->hosts);
        if (out->noperands < 2) return bad("call needs a class or object path and a method", L"");
        for (int k = 2; k < out->noperands; k++)
            if (!wcschr(out->operands[k], L'=') || out->operands[k][0] == L'=')
                return bad("call's parameters are NAME=VALUE", out->operands[k]);
    } else if (!out->query || !*out->query) return bad("no query given", L"");
    /* A namespace \\HOST\NS names its own host: --host would contradict it. */
    if ((out->host || out->hosts) && (out->ns[0] == L'\\' || out->ns[0] == L'/'))
        return bad("--host with a namespace that names a host", out->ns);
    return 0;
}
