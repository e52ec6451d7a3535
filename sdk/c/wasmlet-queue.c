/* Canonical-ABI glue for wasmlet:function/queue-handler@0.1.0 (layout in sdk/wit/README.md).
 * The export itself is defined by WASMLET_QUEUE_HANDLER / WASMLET_QUEUE_BATCH_HANDLER in the
 * user's code, so a function without them has no queue export; the linker drops this file's code. */
#include "wasmlet.h"

#include "wasmlet-memory.h"

#if UINTPTR_MAX == 0xffffffffu
/* wasm32 (and the SDK's 32-bit native tests): the host's array is used in place. */
_Static_assert(sizeof(wasmlet_message) == 40 && _Alignof(wasmlet_message) == 8, "message is 40 bytes, 8-aligned");
_Static_assert(offsetof(wasmlet_message, attempt) == 16 && offsetof(wasmlet_message, enqueued_at) == 24 &&
                   offsetof(wasmlet_message, attributes) == 32,
               "message fields at their canonical offsets");
#endif

/* One `message-result` as the host reads it: 12 bytes, 4-aligned on wasm32. */
typedef struct {
  uint8_t tag; /* wasmlet_message_outcome */
  union {
    struct {
      uint8_t has_delay; /* option<u32> tag, @4 */
      uint32_t delay_ms; /* @8 */
    } retry;
    struct {
      char *ptr; /* @4 */
      size_t len; /* @8 */
    } reason;
  };
} wire_message_result;

#if UINTPTR_MAX == 0xffffffffu
_Static_assert(sizeof(wire_message_result) == 12, "message-result is 12 bytes");
#endif

/* result<list<message-result>, string>: tag u8 @0; ok: results ptr @4, len @8; err: message @4/@8.
 * One area is enough: a wasm instance is single-threaded and the host calls post-return before
 * the next call. */
static _Alignas(4) uint8_t ret_area[12];

wasmlet_message_result wasmlet_message_ok(void) { return (wasmlet_message_result){.outcome = WASMLET_MESSAGE_OK}; }

wasmlet_message_result wasmlet_message_retry(void) {
  return (wasmlet_message_result){.outcome = WASMLET_MESSAGE_RETRY};
}

wasmlet_message_result wasmlet_message_retry_after(uint32_t delay_ms) {
  return (wasmlet_message_result){.outcome = WASMLET_MESSAGE_RETRY, .has_delay = 1, .delay_ms = delay_ms};
}

wasmlet_message_result wasmlet_message_fail(const char *reason) {
  return (wasmlet_message_result){.outcome = WASMLET_MESSAGE_FAIL, .reason = wasmlet_copy_text(reason, strlen(reason))};
}

int wasmlet_message_attribute(const wasmlet_message *message, const char *name, wasmlet_str *value) {
  size_t len = strlen(name);
  for (size_t i = 0; i < message->attributes_len; i++) {
    const wasmlet_attribute *a = &message->attributes[i];
    if (a->name.len == len && memcmp(a->name.ptr, name, len) == 0) {
      *value = a->value;
      return 1;
    }
  }
  return 0;
}

/* The callee owns its arguments: releases the queue name and every message. */
static void free_batch(char *queue, size_t queue_len, wasmlet_message *messages, size_t messages_len) {
  for (size_t i = 0; i < messages_len; i++) {
    wasmlet_free_arg(messages[i].id.ptr, messages[i].id.len);
    wasmlet_free_arg(messages[i].body, messages[i].body_len);
    wasmlet_free_pairs(messages[i].attributes, messages[i].attributes_len);
  }
  wasmlet_free_arg(messages, messages_len);
  wasmlet_free_arg(queue, queue_len);
}

static uint8_t *return_error(const char *message) {
  size_t len = strlen(message);
  memset(ret_area, 0, sizeof ret_area);
  ret_area[0] = 1;
  *(char **)(ret_area + 4) = wasmlet_copy_text(message, len);
  *(size_t *)(ret_area + 8) = len;
  return ret_area;
}

/* Lowers the results into the wire list (fail reasons change hands: post-return frees them). */
static uint8_t *return_results(const wasmlet_message_result *results, size_t count) {
  /* An empty list is never read: any aligned pointer will do, and post-return frees nothing. */
  wire_message_result *wire = count ? wasmlet_checked_realloc(NULL, count * sizeof *wire) : (wire_message_result *)4;
  for (size_t i = 0; i < count; i++) {
    memset(&wire[i], 0, sizeof wire[i]);
    wire[i].tag = (uint8_t)results[i].outcome;
    if (results[i].outcome == WASMLET_MESSAGE_RETRY) {
      wire[i].retry.has_delay = results[i].has_delay ? 1 : 0;
      wire[i].retry.delay_ms = results[i].has_delay ? results[i].delay_ms : 0;
    } else if (results[i].outcome == WASMLET_MESSAGE_FAIL) {
      /* A result built by hand may have no reason; the host still needs a string. */
      char *reason = results[i].reason ? results[i].reason : wasmlet_copy_text("", 0);
      wire[i].reason.ptr = reason;
      wire[i].reason.len = strlen(reason);
    } else {
      free(results[i].reason); /* an ok that carried a reason: nobody reads it */
    }
  }
  memset(ret_area, 0, sizeof ret_area);
  ret_area[0] = 0;
  *(wire_message_result **)(ret_area + 4) = wire;
  *(size_t *)(ret_area + 8) = count;
  return ret_area;
}

static void free_results(wasmlet_message_result *results, size_t count) {
  for (size_t i = 0; i < count; i++) free(results[i].reason);
  free(results);
}

/* Every result starts as ok. One spare element keeps calloc from being asked for 0 bytes. */
static wasmlet_message_result *new_results(size_t count) {
  wasmlet_message_result *results = calloc(count + 1, sizeof *results);
  if (!results) abort();
  return results;
}

uint8_t *wasmlet_queue_export_each(char *queue, size_t queue_len, wasmlet_message *messages, size_t messages_len,
                                   wasmlet_message_handler on_message) {
  wasmlet_message_result *results = new_results(messages_len);
  wasmlet_str name = {queue, queue_len};
  for (size_t i = 0; i < messages_len; i++) results[i] = on_message(name, &messages[i]);
  free_batch(queue, queue_len, messages, messages_len);
  uint8_t *ret = return_results(results, messages_len);
  free(results); /* not free_results: the reasons now belong to the wire list */
  return ret;
}

uint8_t *wasmlet_queue_export_batch(char *queue, size_t queue_len, wasmlet_message *messages, size_t messages_len,
                                    wasmlet_batch_handler on_batch) {
  wasmlet_message_result *results = new_results(messages_len);
  const char *error = on_batch((wasmlet_str){queue, queue_len}, messages, messages_len, results);
  /* Copied before the arguments are freed: the message may point into one of them. */
  uint8_t *ret = error ? return_error(error) : return_results(results, messages_len);
  free_batch(queue, queue_len, messages, messages_len);
  if (error) free_results(results, messages_len);
  else free(results);
  return ret;
}

void wasmlet_queue_post_return(uint8_t *ret) {
  if (ret[0] == 1) {
    free(*(char **)(ret + 4));
    return;
  }
  wire_message_result *wire = *(wire_message_result **)(ret + 4);
  size_t count = *(size_t *)(ret + 8);
  for (size_t i = 0; i < count; i++) {
    if (wire[i].tag == WASMLET_MESSAGE_FAIL) free(wire[i].reason.ptr);
  }
  if (count) free(wire);
}
