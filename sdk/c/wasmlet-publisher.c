/* Canonical-ABI glue for the wasmlet:function/publisher@0.1.0 import (layout in sdk/wit/README.md).
 * A function that never calls wasmlet_send does not import it: the linker drops this file's code. */
#include "wasmlet.h"

#include "wasmlet-memory.h"

/* The arguments stay ours (the host copies them); `ret` receives result<string, string>. */
__attribute__((import_module("wasmlet:function/publisher@0.1.0"), import_name("send"))) extern void
wasmlet_publisher_send(const char *queue, size_t queue_len, const void *body, size_t body_len,
                       const wasmlet_attribute *attributes, size_t attributes_len, uint32_t delay_ms, uint8_t *ret);

int wasmlet_send(const char *queue, const wasmlet_outgoing_message *message, char *out, size_t out_size) {
  /* result<string, string>: tag u8 @0 (0 ok: the id, 1 err: the reason), string ptr @4, len @8,
   * allocated by the host with our cabi_realloc, so we free it. */
  _Alignas(4) uint8_t ret[12] = {0};
  wasmlet_publisher_send(queue, strlen(queue), message->body, message->body_len, message->attributes,
                         message->attributes_len, message->delay_ms, ret);
  char *text = *(char **)(ret + 4);
  size_t len = *(size_t *)(ret + 8);
  if (out_size) {
    size_t n = len < out_size - 1 ? len : out_size - 1;
    if (n) memcpy(out, text, n);
    out[n] = '\0';
  }
  wasmlet_free_arg(text, len);
  return ret[0] == 0 ? 0 : 1;
}
