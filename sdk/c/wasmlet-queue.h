/* Queue triggers (`[[queue]]` in wasmlet.toml): messages delivered in batches, at least once.
 * Included by wasmlet.h. A function handles queues only when it says so with ONE of:
 *
 *   // Per message: the common case. Each message's result is what the callback returns.
 *   static wasmlet_message_result on_message(wasmlet_str queue, const wasmlet_message *msg) {
 *     if (msg->body_len == 0) return wasmlet_message_fail("empty body");  // dead-letter it now
 *     if (!store(msg->body, msg->body_len)) return wasmlet_message_retry(); // the trigger's backoff
 *     return wasmlet_message_ok();
 *   }
 *   WASMLET_QUEUE_HANDLER(on_message);
 *
 *   // The whole batch: results[i] starts as ok; return NULL, or an error message to retry
 *   // the whole batch (the SDK copies it, so a static buffer will do).
 *   static const char *on_batch(wasmlet_str queue, const wasmlet_message *messages, size_t count,
 *                               wasmlet_message_result *results) { ... return NULL; }
 *   WASMLET_QUEUE_BATCH_HANDLER(on_batch);
 *
 * The macro defines the component's `wasmlet:function/queue-handler@0.1.0#handle` export; without
 * it the component has none, and the host refuses a manifest with `[[queue]]` triggers. */
#ifndef WASMLET_QUEUE_H
#define WASMLET_QUEUE_H

#include "wasmlet.h"

/* A message as the host passes it: the layout is the canonical ABI's `message` on wasm32
 * (40 bytes, 8-aligned), so the SDK hands the host's array over without a copy. Valid only
 * during the call: copy what must outlive it. */
typedef struct {
  wasmlet_str id;                      /* unique within its queue; the same on every redelivery */
  const uint8_t *body;
  size_t body_len;
  uint32_t attempt;                    /* 1 on the first delivery, 2 on the first redelivery, ... */
  _Alignas(8) uint64_t enqueued_at;    /* first sent, ms since the Unix epoch (8-aligned on every target) */
  const wasmlet_attribute *attributes; /* e.g. ("content-type", "application/json") */
  size_t attributes_len;
} wasmlet_message;

/* Finds an attribute by exact name; returns 1 and sets *value (a view) when found. */
int wasmlet_message_attribute(const wasmlet_message *message, const char *name, wasmlet_str *value);

typedef enum {
  WASMLET_MESSAGE_OK = 0,    /* done: the message is deleted */
  WASMLET_MESSAGE_RETRY = 1, /* deliver again later; after max_attempts it is dead-lettered */
  WASMLET_MESSAGE_FAIL = 2,  /* permanent failure: dead-lettered now, with the reason */
} wasmlet_message_outcome;

/* One message's result. Make it with the constructors below: a fail result owns its reason. */
typedef struct {
  wasmlet_message_outcome outcome;
  int has_delay;     /* retry: 1 to wait delay_ms, 0 for the trigger's backoff */
  uint32_t delay_ms;
  char *reason;      /* fail: a malloc'ed copy, freed by the SDK */
} wasmlet_message_result;

wasmlet_message_result wasmlet_message_ok(void);
/* Retry after the trigger's backoff. */
wasmlet_message_result wasmlet_message_retry(void);
/* Retry after `delay_ms` (0: as soon as possible). */
wasmlet_message_result wasmlet_message_retry_after(uint32_t delay_ms);
/* Dead-letter the message now; `reason` is copied. */
wasmlet_message_result wasmlet_message_fail(const char *reason);

typedef wasmlet_message_result (*wasmlet_message_handler)(wasmlet_str queue, const wasmlet_message *message);
typedef const char *(*wasmlet_batch_handler)(wasmlet_str queue, const wasmlet_message *messages, size_t count,
                                             wasmlet_message_result *results);

#define WASMLET_QUEUE_HANDLER(on_message) WASMLET_QUEUE_EXPORT(wasmlet_queue_export_each, on_message)
#define WASMLET_QUEUE_BATCH_HANDLER(on_batch) WASMLET_QUEUE_EXPORT(wasmlet_queue_export_batch, on_batch)

/* ---- glue the macros expand to (sdk/c/wasmlet-queue.c); not for direct use ---------------------- */

/* Both macros define the same two symbols, so using both is a link error ("duplicate symbol"). The
 * trailing redeclaration only makes the user's `;` after the macro valid C. */
#define WASMLET_QUEUE_EXPORT(glue, handler)                                                                \
  WASMLET_EXPORT_AS("wasmlet:function/queue-handler@0.1.0#handle")                                         \
  uint8_t *wasmlet_export_queue_handle(char *queue, size_t queue_len, wasmlet_message *messages,            \
                                       size_t messages_len) {                                               \
    return glue(queue, queue_len, messages, messages_len, handler);                                         \
  }                                                                                                         \
  WASMLET_EXPORT_AS("cabi_post_wasmlet:function/queue-handler@0.1.0#handle")                               \
  void wasmlet_post_queue_handle(uint8_t *ret) { wasmlet_queue_post_return(ret); }                          \
  uint8_t *wasmlet_export_queue_handle(char *queue, size_t queue_len, wasmlet_message *messages, size_t messages_len)

uint8_t *wasmlet_queue_export_each(char *queue, size_t queue_len, wasmlet_message *messages, size_t messages_len,
                                   wasmlet_message_handler on_message);
uint8_t *wasmlet_queue_export_batch(char *queue, size_t queue_len, wasmlet_message *messages, size_t messages_len,
                                    wasmlet_batch_handler on_batch);
void wasmlet_queue_post_return(uint8_t *ret);

#endif
