#include "ring.h"
#include <stdlib.h>

#define CLOSED ((int64_t)1 << 62)
#define MIN_SHIFT 6    /* 64 entries */
#define MAX_SHIFT 12   /* 4096 entries */

int ws_ring_init(ws_ring *r, size_t capacity)
{
    unsigned shift = MIN_SHIFT;
    while (shift < MAX_SHIFT && ((size_t)1 << shift) < capacity / 64) shift++;
    /* Positions in use at once: the capacity's worth, plus one partly
       taken at the head and one partly reserved at the tail. */
    size_t need = (capacity >> shift) + 3, size = 4;
    while (size < need) size *= 2;
    r->table = calloc(size, sizeof(*r->table));
    if (!r->table) return 0;
    r->table_mask = size - 1;
    r->shift = shift;
    r->capacity = (int64_t)capacity;
    r->tail = r->head = r->ready = 0;
    r->retired = 0;
    r->spare = NULL;
    return 1;
}

void ws_ring_free(ws_ring *r)
{
    if (!r->table) return;
    for (size_t i = 0; i <= r->table_mask; i++) free((void *)r->table[i]);
    free((void *)r->spare);
    free((void *)r->table);
    r->table = NULL;
    r->spare = NULL;
}

static void *volatile *slot(ws_ring *r, int64_t seq)
{
    void *volatile *seg = r->table[(size_t)(seq >> r->shift) & r->table_mask];
    return seg ? seg + (seq & (((int64_t)1 << r->shift) - 1)) : NULL;
}

ws_ring_result ws_ring_reserve(ws_ring *r, size_t n, int64_t *seq)
{
    int64_t t = ws_atomic_load64(&r->tail);
    for (;;) {
        if (t & CLOSED) return WS_RING_CLOSED;
        if (t + (int64_t)n - ws_atomic_load64(&r->head) > r->capacity) return WS_RING_FULL;
        if (t + (int64_t)n > ws_atomic_load64(&r->ready)) return WS_RING_GROW;
        int64_t seen = ws_atomic_cas64(&r->tail, t, t + (int64_t)n);
        if (seen == t) break;
        t = seen;
    }
    *seq = t;
    return WS_RING_OK;
}

void ws_ring_store(ws_ring *r, int64_t seq, void *const *items, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++)
        ws_atomic_store_ptr(slot(r, seq + (int64_t)i), items ? items[i] : WS_RING_MARK);
    if (n) ws_atomic_publish_ptr(slot(r, seq + (int64_t)n - 1), items ? items[n - 1] : WS_RING_MARK);
}

int ws_ring_maybe_ready(ws_ring *r)
{
    return (ws_atomic_load64(&r->tail) & ~CLOSED) != ws_atomic_load64(&r->head);
}

size_t ws_ring_room(ws_ring *r)
{
    int64_t t = ws_atomic_load64(&r->tail);
    if (t & CLOSED) return 0;
    int64_t room = r->capacity - (t - ws_atomic_load64(&r->head));
    return room > 0 ? (size_t)room : 0;
}

int ws_ring_grow(ws_ring *r, size_t n)
{
    int64_t want = (ws_atomic_load64(&r->tail) & ~CLOSED) + (int64_t)n;
    int64_t ready = ws_atomic_load64(&r->ready);
    size_t seg_size = (size_t)1 << r->shift;
    while (ready < want) {
        void *volatile *seg = r->spare;
        if (seg) r->spare = NULL;
        else if (!(seg = calloc(seg_size, sizeof(*seg)))) return 0;
        r->table[(size_t)(ready >> r->shift) & r->table_mask] = seg;
        ready += (int64_t)seg_size;
        /* Publishes the table entry to producers, who read `ready` first. */
        ws_atomic_store64(&r->ready, ready);
    }
    return 1;
}

int64_t ws_ring_close(ws_ring *r)
{
    int64_t t = ws_atomic_load64(&r->tail), seen;
    while (!(t & CLOSED) && (seen = ws_atomic_cas64(&r->tail, t, t | CLOSED)) != t) t = seen;
    return t & ~CLOSED;
}

int ws_ring_is_closed(ws_ring *r)
{
    return (ws_atomic_load64(&r->tail) & CLOSED) != 0;
}

int64_t ws_ring_tail(ws_ring *r)
{
    return ws_atomic_load64(&r->tail) & ~CLOSED;
}

size_t ws_ring_count(ws_ring *r)
{
    return (size_t)((ws_atomic_load64(&r->tail) & ~CLOSED) - r->head);
}

/* Gives back the segments the consumer has left behind: one is kept as the
   spare, the others freed. */
static void retire(ws_ring *r, int64_t head)
{
    int64_t pos = head >> r->shift;
    while (r->retired < pos) {
        size_t i = (size_t)r->retired & r->table_mask;
        void *volatile *seg = r->table[i];
        r->table[i] = NULL;
        if (!r->spare) r->spare = seg;
        else free((void *)seg);
        r->retired++;
    }
}

void *ws_ring_peek(ws_ring *r)
{
    void *volatile *s = slot(r, r->head);
    return s ? ws_atomic_load_ptr(s) : NULL;
}

size_t ws_ring_take(ws_ring *r, void **out, size_t max)
{
    int64_t h = r->head;
    size_t k = 0;
    while (k < max) {
        void *volatile *s = slot(r, h);
        void *item = s ? ws_atomic_load_ptr(s) : NULL;
        if (!item || (item == WS_RING_MARK && k)) break;
        out[k++] = item;
        *s = NULL;          /* empty again for the segment's next use */
        h++;
        if (item == WS_RING_MARK) break;
    }
    if (k) {
        ws_atomic_store64(&r->head, h);   /* release: producers may reuse the room */
        retire(r, h);
    }
    return k;
}
