/* Sending messages to durable queues. Included by wasmlet.h. The manifest must list the queue in
 * `publish = ["orders"]`. Nothing is sent until the invocation returns: then every buffered
 * message is published at once (for a queue batch, together with the batch's results); an
 * invocation that traps or times out publishes nothing.
 *
 *   wasmlet_attribute attributes[] = {{WASMLET_STR("content-type"), WASMLET_STR("application/json")}};
 *   wasmlet_outgoing_message msg = {.body = json, .body_len = strlen(json),
 *                                   .attributes = attributes, .attributes_len = 1};
 *   char id[128];
 *   if (wasmlet_send("orders", &msg, id, sizeof id) != 0) wasmlet_log(WASMLET_ERROR, id);  // the reason
 */
#ifndef WASMLET_PUBLISHER_H
#define WASMLET_PUBLISHER_H

#include "wasmlet.h"

typedef struct {
  const void *body;
  size_t body_len;
  const wasmlet_attribute *attributes; /* routing metadata; at most 32 pairs */
  size_t attributes_len;
  uint32_t delay_ms;                   /* hidden from consumers this long after publishing; 0 for none */
} wasmlet_outgoing_message;

/* Buffers `message` for `queue` (copied: the caller keeps its buffers). Returns 0 and writes the
 * new message's id into `out`, or returns 1 and writes the reason (the queue is not in `publish`,
 * the message is too large or malformed). `out` is NUL-terminated, truncated to out_size - 1. */
int wasmlet_send(const char *queue, const wasmlet_outgoing_message *message, char *out, size_t out_size);

#endif
