/* A started target's own copies of the caller's strings: its name, its
   path and its credentials (the password wiped when freed). */
#include "fanout_internal.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

static wchar_t *dup(const wchar_t *s, int *oom)
{
    size_t n;
    wchar_t *d;
    if (!s) return NULL;
    n = (wcslen(s) + 1) * sizeof(wchar_t);
    d = malloc(n);
    if (d) memcpy(d, s, n);
    else *oom = 1;
    return d;
}

/* \\host\ns, or the path as given without a host. */
static wchar_t *make_path(const wbemsink_target *t, const wchar_t *default_ns, int *oom)
{
    const wchar_t *ns = t->namespace_path ? t->namespace_path : default_ns;
    size_t n;
    wchar_t *p;
    if (!t->host) return dup(t->namespace_path, oom);
    n = 2 + wcslen(t->host) + 1 + wcslen(ns) + 1;
    p = malloc(n * sizeof(wchar_t));
    if (!p) {
        *oom = 1;
        return NULL;
    }
    wcscpy(p, L"\\\\");
    wcscat(p, t->host);
    wcscat(p, L"\\");
    wcscat(p, ns);
    return p;
}

HRESULT fanout_target_take(struct wbemsink_fanout *f, size_t index, fanout_target *t)
{
    const wbemsink_target *src = &f->targets[index];
    const wbemsink_connect_options *c = src->connect ? src->connect : f->opt.connect;
    int oom = 0;

    memset(t, 0, sizeof(*t));
    t->index = index;
    t->name = dup(src->host ? src->host : src->namespace_path, &oom);
    t->path = make_path(src, f->opt.namespace_path, &oom);
    if (c) {
        t->connect = *c;
        t->user = dup(c->user, &oom);
        t->password = dup(c->password, &oom);
        t->authority = dup(c->authority, &oom);
        t->locale = dup(c->locale, &oom);
        t->connect.user = t->user;
        t->connect.password = t->password;
        t->connect.authority = t->authority;
        t->connect.locale = t->locale;
    }
    /* The monitor keeps the deadline: the worker itself connects without
       one, so no thread of wbemsink_connect's is left behind besides it. */
    t->connect.timeout_ms = 0;
    return oom ? E_OUTOFMEMORY : S_OK;
}

void fanout_target_free(fanout_target *t)
{
    free(t->name);
    free(t->path);
    free(t->user);
    if (t->password) {
        SecureZeroMemory(t->password, wcslen(t->password) * sizeof(wchar_t));
        free(t->password);
    }
    free(t->authority);
    free(t->locale);
    memset(t, 0, sizeof(*t));
}
