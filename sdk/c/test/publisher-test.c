/* Native tests of wasmlet_send (sdk/c/wasmlet-publisher.c), run by run.sh, against a stub of the
 * host's `send` import. The stub writes the result at its wasm32 offsets, so the cases run only
 * in the 32-bit build. */
#define _POSIX_C_SOURCE 200809L /* fork and waitpid, for the harness */
#include <stdint.h>
#include <stdlib.h>

/* The import attributes mean nothing to a native compiler. */
#pragma GCC diagnostic ignored "-Wattributes"
#ifdef __clang__
#pragma clang diagnostic ignored "-Wunknown-attributes"
#endif
#include "../wasmlet-publisher.c"

#include "harness.h"
#include "host-args.h"

/* What the stub host saw, copied out, and what it answers. */
static struct {
  char queue[32], body[32], attributes[128];
  size_t body_len;
  uint32_t delay_ms;
  int calls;
} sent;
static struct {
  int err;
  const char *text;
} answer = {0, "msg-1"};

/* Lowers result<string, string> the way jco's host does: tag u8 @0, string ptr @4, len @8; a
 * non-empty string allocated with the guest's cabi_realloc (malloc here), an empty one not. */
void wasmlet_publisher_send(const char *queue, size_t queue_len, const void *body, size_t body_len,
                            const wasmlet_attribute *attributes, size_t attributes_len, uint32_t delay_ms,
                            uint8_t *ret) {
  sent.calls++;
  snprintf(sent.queue, sizeof sent.queue, "%.*s", (int)queue_len, queue);
  sent.body_len = body_len;
  if (body_len) memcpy(sent.body, body, body_len < sizeof sent.body ? body_len : sizeof sent.body);
  sent.attributes[0] = '\0';
  for (size_t i = 0; i < attributes_len; i++) {
    size_t used = strlen(sent.attributes);
    snprintf(sent.attributes + used, sizeof sent.attributes - used, "%.*s=%.*s;", (int)attributes[i].name.len,
             attributes[i].name.ptr, (int)attributes[i].value.len, attributes[i].value.ptr);
  }
  sent.delay_ms = delay_ms;
#if ABI32
  ret[0] = (uint8_t)answer.err;
  *(char **)(ret + 4) = host_string(answer.text);
  *(size_t *)(ret + 8) = strlen(answer.text);
#else
  (void)ret, (void)answer;
#endif
}

#if ABI32
TEST(abi_send_passes_the_message_and_returns_the_id) {
  answer.err = 0, answer.text = "msg-42";
  wasmlet_attribute attributes[] = {{WASMLET_STR("from"), WASMLET_STR("http")}, {WASMLET_STR("k"), WASMLET_STR("")}};
  const uint8_t body[] = {'a', 0, 'b'};
  wasmlet_outgoing_message message = {body, sizeof body, attributes, 2, 1500};
  char id[32] = "x";
  CHECK(wasmlet_send("orders", &message, id, sizeof id) == 0);
  CHECK(strcmp(id, "msg-42") == 0);
  CHECK(sent.calls == 1 && strcmp(sent.queue, "orders") == 0);
  CHECK(sent.body_len == 3 && memcmp(sent.body, body, 3) == 0); /* binary safe */
  CHECK(strcmp(sent.attributes, "from=http;k=;") == 0);
  CHECK(sent.delay_ms == 1500);
}

TEST(abi_send_err_returns_1_and_the_reason) {
  answer.err = 1, answer.text = "queue \"nope\" is not in publish";
  wasmlet_outgoing_message message = {0};
  char reason[64];
  CHECK(wasmlet_send("nope", &message, reason, sizeof reason) == 1);
  CHECK(strcmp(reason, "queue \"nope\" is not in publish") == 0);
  CHECK(sent.body_len == 0 && sent.attributes[0] == '\0' && sent.delay_ms == 0);
}

TEST(abi_send_truncates_to_out_size) {
  answer.err = 0, answer.text = "0123456789";
  wasmlet_outgoing_message message = {0};
  char out[5];
  CHECK(wasmlet_send("q", &message, out, sizeof out) == 0);
  CHECK(strcmp(out, "0123") == 0);
  char untouched[2] = "Z";
  CHECK(wasmlet_send("q", &message, untouched, 0) == 0); /* out_size 0 writes nothing */
  CHECK(untouched[0] == 'Z');
}

TEST(abi_send_empty_result_is_not_freed) {
  /* An empty string comes back as pointer 1: freeing it would crash. */
  answer.err = 1, answer.text = "";
  wasmlet_outgoing_message message = {0};
  char out[8] = "x";
  CHECK(wasmlet_send("q", &message, out, sizeof out) == 1);
  CHECK(out[0] == '\0');
}
#endif

int main(void) { return run_tests(ABI32 ? "32-bit publisher" : "native publisher"); }
