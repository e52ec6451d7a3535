/* Native tests of the queue glue (sdk/c/wasmlet-queue.c), run by run.sh. The canonical-ABI cases
 * read the result at its wasm32 offsets, so they run only in the 32-bit build. */
#define _POSIX_C_SOURCE 200809L /* fork and waitpid, for the harness */
#include "../wasmlet-queue.c"

#include "harness.h"
#include "host-args.h"

/* ---- results and attributes (every build) ------------------------------------------------------ */

TEST(result_constructors) {
  wasmlet_message_result r = wasmlet_message_ok();
  CHECK(r.outcome == WASMLET_MESSAGE_OK && r.reason == NULL);
  r = wasmlet_message_retry();
  CHECK(r.outcome == WASMLET_MESSAGE_RETRY && r.has_delay == 0);
  r = wasmlet_message_retry_after(1500);
  CHECK(r.outcome == WASMLET_MESSAGE_RETRY && r.has_delay == 1 && r.delay_ms == 1500);
  r = wasmlet_message_retry_after(0); /* "as soon as possible" is some(0), not the backoff */
  CHECK(r.has_delay == 1 && r.delay_ms == 0);
}

TEST(result_fail_copies_its_reason) {
  char reason[16] = "bad json";
  wasmlet_message_result r = wasmlet_message_fail(reason);
  strcpy(reason, "changed");
  CHECK(r.outcome == WASMLET_MESSAGE_FAIL && strcmp(r.reason, "bad json") == 0);
  free(r.reason);
}

TEST(attribute_found_by_exact_name) {
  wasmlet_attribute attributes[] = {
      {WASMLET_STR("content-type"), WASMLET_STR("text/plain")},
      {WASMLET_STR("from"), WASMLET_STR("first")},
      {WASMLET_STR("from"), WASMLET_STR("second")},
      {WASMLET_STR("empty"), WASMLET_STR("")},
  };
  wasmlet_message message = {.attributes = attributes, .attributes_len = 4};
  wasmlet_str value = {"keep", 4};
  CHECK(wasmlet_message_attribute(&message, "from", &value) == 1);
  CHECK(bytes_eq(value.ptr, value.len, "first")); /* a repeated name: the first wins */
  CHECK(wasmlet_message_attribute(&message, "empty", &value) == 1 && value.len == 0);
  value = (wasmlet_str){"keep", 4};
  CHECK(wasmlet_message_attribute(&message, "From", &value) == 0);
  CHECK(wasmlet_message_attribute(&message, "fro", &value) == 0);
  CHECK(wasmlet_message_attribute(&message, "content-type-x", &value) == 0);
  CHECK(bytes_eq(value.ptr, value.len, "keep"));
  wasmlet_message bare = {0};
  CHECK(wasmlet_message_attribute(&bare, "from", &value) == 0);
}

#if ABI32
/* ---- canonical-ABI glue (32-bit builds only) ---------------------------------------------------- */

typedef struct {
  const char *id, *body;
  uint32_t attempt;
  uint64_t enqueued_at;
  const char *attributes[4][2];
  size_t attributes_len;
} message_spec;

/* A message list as the host lowers it: 40-byte elements written at their canonical offsets
 * (not through wasmlet_message), every string its own allocation. */
static wasmlet_message *host_messages(const message_spec *specs, size_t count) {
  uint8_t *list = host_list(count, 40, 8);
  for (size_t i = 0; i < count; i++) {
    uint8_t *m = list + 40 * i;
    *(char **)(m + 0) = host_string(specs[i].id);
    *(uint32_t *)(m + 4) = (uint32_t)strlen(specs[i].id);
    *(char **)(m + 8) = host_string(specs[i].body);
    *(uint32_t *)(m + 12) = (uint32_t)strlen(specs[i].body);
    *(uint32_t *)(m + 16) = specs[i].attempt;
    memcpy(m + 24, &specs[i].enqueued_at, 8);
    uint8_t *pairs = host_list(specs[i].attributes_len, 16, 4);
    for (size_t j = 0; j < specs[i].attributes_len; j++) {
      for (int k = 0; k < 2; k++) {
        *(char **)(pairs + 16 * j + 8 * k) = host_string(specs[i].attributes[j][k]);
        *(uint32_t *)(pairs + 16 * j + 8 * k + 4) = (uint32_t)strlen(specs[i].attributes[j][k]);
      }
    }
    *(uint8_t **)(m + 32) = pairs;
    *(uint32_t *)(m + 36) = (uint32_t)specs[i].attributes_len;
  }
  return (wasmlet_message *)list;
}

/* What the handlers saw, copied out (the messages are freed when the export returns). */
static struct {
  char queue[32], id[32], body[32], attribute[32];
  uint32_t attempt;
  uint64_t enqueued_at;
  size_t calls;
} seen;

/* Per message: the body says what to return ("ok", "retry", "retry:<ms>", "fail:<reason>"). */
static wasmlet_message_result by_body(wasmlet_str queue, const wasmlet_message *message) {
  wasmlet_str from = {"", 0};
  wasmlet_message_attribute(message, "from", &from);
  snprintf(seen.queue, sizeof seen.queue, "%.*s", (int)queue.len, queue.ptr);
  snprintf(seen.id, sizeof seen.id, "%.*s", (int)message->id.len, message->id.ptr);
  snprintf(seen.body, sizeof seen.body, "%.*s", (int)message->body_len, (const char *)message->body);
  snprintf(seen.attribute, sizeof seen.attribute, "%.*s", (int)from.len, from.ptr);
  seen.attempt = message->attempt;
  seen.enqueued_at = message->enqueued_at;
  seen.calls++;
  if (strcmp(seen.body, "retry") == 0) return wasmlet_message_retry();
  if (strncmp(seen.body, "retry:", 6) == 0) return wasmlet_message_retry_after((uint32_t)atoi(seen.body + 6));
  if (strncmp(seen.body, "fail:", 5) == 0) return wasmlet_message_fail(seen.body + 5);
  return wasmlet_message_ok();
}

static uint8_t *call_each(const message_spec *specs, size_t count, const char *queue) {
  return wasmlet_queue_export_each(host_string(queue), strlen(queue), host_messages(specs, count), count, by_body);
}

/* The i-th message-result of an ok return, read at its canonical offsets. */
static const uint8_t *result_at(const uint8_t *ret, size_t i) { return *(uint8_t **)(ret + 4) + 12 * i; }

TEST(abi_message_fields_are_read_at_canonical_offsets) {
  message_spec spec = {"m-1", "hello", 3, 1700000000123ull, {{"from", "http"}}, 1};
  uint8_t *ret = call_each(&spec, 1, "orders");
  CHECK(seen.calls == 1);
  CHECK(strcmp(seen.queue, "orders") == 0 && strcmp(seen.id, "m-1") == 0 && strcmp(seen.body, "hello") == 0);
  CHECK(seen.attempt == 3 && seen.enqueued_at == 1700000000123ull);
  CHECK(strcmp(seen.attribute, "http") == 0);
  wasmlet_queue_post_return(ret);
}

TEST(abi_each_returns_one_result_per_message_in_order) {
  message_spec specs[] = {{"a", "ok", 1, 0, {{0}}, 0},
                          {"b", "retry", 1, 0, {{0}}, 0},
                          {"c", "retry:250", 2, 0, {{0}}, 0},
                          {"d", "fail:bad input", 1, 0, {{0}}, 0},
                          {"e", "retry:0", 1, 0, {{0}}, 0}};
  uint8_t *ret = call_each(specs, 5, "q");
  CHECK(ret[0] == 0);                  /* ok(list) */
  CHECK(*(uint32_t *)(ret + 8) == 5);  /* one result per message */
  CHECK(result_at(ret, 0)[0] == 0);    /* ok */
  CHECK(result_at(ret, 1)[0] == 1 && result_at(ret, 1)[4] == 0); /* retry(none) */
  CHECK(result_at(ret, 2)[0] == 1 && result_at(ret, 2)[4] == 1 && *(uint32_t *)(result_at(ret, 2) + 8) == 250);
  CHECK(result_at(ret, 3)[0] == 2);    /* fail(reason) */
  CHECK(bytes_eq(*(char **)(result_at(ret, 3) + 4), *(uint32_t *)(result_at(ret, 3) + 8), "bad input"));
  CHECK(result_at(ret, 4)[0] == 1 && result_at(ret, 4)[4] == 1 && *(uint32_t *)(result_at(ret, 4) + 8) == 0);
  wasmlet_queue_post_return(ret); /* frees the list and the reason (LeakSanitizer checks) */
}

TEST(abi_empty_strings_and_lists_are_not_freed) {
  /* An empty id, body, attribute value and attribute list arrive as pointer 1 or 4. */
  message_spec specs[] = {{"", "", 1, 0, {{"from", ""}}, 1}, {"x", "", 1, 0, {{0}}, 0}};
  uint8_t *ret = call_each(specs, 2, "");
  CHECK(ret[0] == 0 && *(uint32_t *)(ret + 8) == 2);
  CHECK(seen.queue[0] == '\0' && seen.calls >= 2);
  wasmlet_queue_post_return(ret);
}

TEST(abi_an_empty_batch_returns_an_empty_list) {
  uint8_t *ret = call_each(NULL, 0, "q");
  CHECK(ret[0] == 0 && *(uint32_t *)(ret + 8) == 0);
  wasmlet_queue_post_return(ret);
}

/* The batch handler's behaviour, set by each test. */
static enum { BATCH_DEFAULTS, BATCH_FAIL_BY_HAND, BATCH_ERROR } batch_mode;

static const char *batch_handler(wasmlet_str queue, const wasmlet_message *messages, size_t count,
                                 wasmlet_message_result *results) {
  (void)queue, (void)messages;
  static char error[32];
  seen.calls = count;
  switch (batch_mode) {
  case BATCH_DEFAULTS:
    return NULL; /* every result stays ok */
  case BATCH_FAIL_BY_HAND:
    results[0] = (wasmlet_message_result){.outcome = WASMLET_MESSAGE_FAIL}; /* no reason */
    return NULL;
  case BATCH_ERROR:
    results[0] = wasmlet_message_fail("dropped with the batch");
    results[1] = wasmlet_message_retry_after(5);
    snprintf(error, sizeof error, "database %s", "down"); /* a static buffer: the SDK copies it */
    return error;
  }
  return NULL;
}

/* The macro's export, as the host calls it (natively the export attribute is nothing). */
WASMLET_QUEUE_BATCH_HANDLER(batch_handler);

static uint8_t *call_batch(const message_spec *specs, size_t count) {
  return wasmlet_export_queue_handle(host_string("q"), 1, host_messages(specs, count), count);
}

TEST(abi_batch_results_start_as_ok) {
  batch_mode = BATCH_DEFAULTS;
  message_spec specs[] = {{"a", "x", 1, 0, {{0}}, 0}, {"b", "y", 1, 0, {{0}}, 0}};
  uint8_t *ret = call_batch(specs, 2);
  CHECK(seen.calls == 2);
  CHECK(ret[0] == 0 && *(uint32_t *)(ret + 8) == 2);
  CHECK(result_at(ret, 0)[0] == 0 && result_at(ret, 1)[0] == 0);
  wasmlet_post_queue_handle(ret);
}

TEST(abi_batch_error_is_err_and_drops_the_results) {
  batch_mode = BATCH_ERROR;
  message_spec specs[] = {{"a", "x", 1, 0, {{0}}, 0}, {"b", "y", 1, 0, {{0}}, 0}};
  uint8_t *ret = call_batch(specs, 2);
  CHECK(ret[0] == 1); /* err(string) */
  CHECK(bytes_eq(*(char **)(ret + 4), *(uint32_t *)(ret + 8), "database down"));
  wasmlet_post_queue_handle(ret); /* the fail reason set before the error was freed too (LeakSanitizer) */
}

TEST(abi_fail_without_a_reason_sends_an_empty_one) {
  batch_mode = BATCH_FAIL_BY_HAND;
  message_spec spec = {"a", "x", 1, 0, {{0}}, 0};
  uint8_t *ret = call_batch(&spec, 1);
  CHECK(ret[0] == 0 && result_at(ret, 0)[0] == 2 && *(uint32_t *)(result_at(ret, 0) + 8) == 0);
  wasmlet_post_queue_handle(ret);
}
#endif

int main(void) { return run_tests(ABI32 ? "32-bit queue" : "native queue"); }
