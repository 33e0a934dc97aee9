#include "queue.h"
#include <stdlib.h>
#include <string.h>

void ws_queue_init(ws_queue *q, size_t capacity)
{
    memset(q, 0, sizeof(*q));
    q->capacity = capacity;
}

void ws_queue_free(ws_queue *q)
{
    free(q->slots);
    q->slots = NULL;
    q->size = q->head = q->count = 0;
}

/* Makes room for `need` entries in all, unwrapping the ring into the new
   block so head is 0 afterwards. */
static int grow(ws_queue *q, size_t need)
{
    size_t size = q->size ? q->size : 16;
    while (size < need) size *= 2;
    if (size > q->capacity) size = q->capacity;
    void **slots = malloc(size * sizeof(*slots));
    if (!slots) return 0;
    size_t first = q->size - q->head;
    if (first > q->count) first = q->count;
    if (q->count) {
        memcpy(slots, q->slots + q->head, first * sizeof(*slots));
        memcpy(slots + first, q->slots, (q->count - first) * sizeof(*slots));
    }
    free(q->slots);
    q->slots = slots;
    q->size = size;
    q->head = 0;
    return 1;
}

size_t ws_queue_push(ws_queue *q, void *const *items, size_t n)
{
    if (q->count + n > q->size && !grow(q, q->count + n)) return 0;
    if (n == 0) return 0;
    size_t tail = q->head + q->count;
    if (tail >= q->size) tail -= q->size;
    size_t first = q->size - tail;
    if (first > n) first = n;
    memcpy(q->slots + tail, items, first * sizeof(*items));
    memcpy(q->slots, items + first, (n - first) * sizeof(*items));
    q->count += n;
    return n;
}

size_t ws_queue_pop(ws_queue *q, void **out, size_t n)
{
    if (n > q->count) n = q->count;
    if (n == 0) return 0;
    size_t first = q->size - q->head;
    if (first > n) first = n;
    memcpy(out, q->slots + q->head, first * sizeof(*out));
    memcpy(out + first, q->slots, (n - first) * sizeof(*out));
    q->head += n;
    if (q->head >= q->size) q->head -= q->size;
    q->count -= n;
    return n;
}
