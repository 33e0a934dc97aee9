/* The bounded FIFO behind Indicate: a ring of object pointers that grows by
   doubling up to its capacity, so an idle sink costs little and a full one
   costs 8 bytes per queued object. Not thread-safe: the sink's lock guards it. */
#ifndef WBEMSINK_QUEUE_H
#define WBEMSINK_QUEUE_H

#include <stddef.h>

typedef struct ws_queue {
    void **slots;
    size_t size;      /* slots allocated, at most capacity */
    size_t capacity;  /* most entries allowed */
    size_t head;      /* index of the oldest entry */
    size_t count;
} ws_queue;

void ws_queue_init(ws_queue *q, size_t capacity);
void ws_queue_free(ws_queue *q);
/* Room left before the capacity. */
static inline size_t ws_queue_room(const ws_queue *q) { return q->capacity - q->count; }
/* Appends n entries; n must not exceed the room. Returns how many were
   appended: fewer only when memory ran out. */
size_t ws_queue_push(ws_queue *q, void *const *items, size_t n);
/* Takes up to n of the oldest entries into out; returns how many. */
size_t ws_queue_pop(ws_queue *q, void **out, size_t n);

#endif
