/* Canonical-ABI glue for the wasmlet:function/outbound-http@0.1.0 import (layout in
 * sdk/wit/README.md). A function that never calls wasmlet_http_send does not import it: the
 * linker drops this file's code. */
#include "wasmlet.h"

#include "wasmlet-memory.h"

/* The arguments stay ours (the host copies them); `ret` receives result<response, http-error>. */
__attribute__((import_module("wasmlet:function/outbound-http@0.1.0"), import_name("send"))) extern void
wasmlet_outbound_http_send(const char *method, size_t method_len, const char *url, size_t url_len,
                           const wasmlet_header *headers, size_t headers_len, const void *body, size_t body_len,
                           uint8_t *ret);

/* In the order of the WIT enum, which is the order of wasmlet_http_error_code. */
static const char *const error_names[] = {
    "denied",  "invalid-request", "dns-error",          "connection-refused", "connection-timeout",
    "timeout", "tls-error",       "response-too-large", "too-many-requests",  "protocol-error",
};
#define ERROR_CODE_COUNT (sizeof error_names / sizeof error_names[0])

const char *wasmlet_http_error_name(wasmlet_http_error_code code) {
  return (unsigned)code < ERROR_CODE_COUNT ? error_names[code] : "unknown";
}

/* Takes a host-written string or list<u8> and grows it by one byte for a NUL. The host allocated a
 * non-empty one with our cabi_realloc (realloc), so it can grow in place; an empty one was never
 * allocated (its pointer is the alignment) and becomes a fresh "". */
static uint8_t *take_text(uint8_t *ptr, size_t len) {
  uint8_t *out = wasmlet_checked_realloc(len ? ptr : NULL, len + 1);
  out[len] = '\0';
  return out;
}

/* Takes a host-written list<tuple<string, string>> as it is (its elements are wasmlet_headers on
 * wasm32), pointing empty strings at "" and an empty list at NULL, so no caller ever sees the
 * alignment-valued pointers of unallocated buffers. */
static wasmlet_header *take_headers(wasmlet_header *headers, size_t len) {
  if (len == 0) return NULL;
  for (size_t i = 0; i < len; i++) {
    if (headers[i].name.len == 0) headers[i].name.ptr = "";
    if (headers[i].value.len == 0) headers[i].value.ptr = "";
  }
  return headers;
}

int wasmlet_http_send(const wasmlet_http_request *req, wasmlet_http_response *res, wasmlet_http_error *err) {
  /* result<response, http-error>: tag u8 @0; ok: status u16 @4, headers ptr/len @8/@12, body
   * ptr/len @16/@20; err: code u8 @4, message ptr/len @8/@12. */
  _Alignas(4) uint8_t ret[24] = {0};
  const char *method = req->method ? req->method : "GET";
  wasmlet_outbound_http_send(method, strlen(method), req->url, strlen(req->url), req->headers, req->headers_len,
                             req->body, req->body_len, ret);
  memset(res, 0, sizeof *res);
  if (err) memset(err, 0, sizeof *err);
  if (ret[0] == 0) {
    res->status = *(uint16_t *)(ret + 4);
    res->headers_len = *(size_t *)(ret + 12);
    res->headers = take_headers(*(wasmlet_header **)(ret + 8), res->headers_len);
    res->body_len = *(size_t *)(ret + 20);
    res->body = take_text(*(uint8_t **)(ret + 16), res->body_len);
    return 0;
  }
  char *message = (char *)take_text(*(uint8_t **)(ret + 8), *(size_t *)(ret + 12));
  if (!err) {
    free(message);
    return 1;
  }
  /* A code this SDK does not know is "anything else that broke": protocol-error. */
  err->code = ret[4] < ERROR_CODE_COUNT ? (wasmlet_http_error_code)ret[4] : WASMLET_HTTP_PROTOCOL_ERROR;
  err->message = message;
  return 1;
}

int wasmlet_http_get(const char *url, wasmlet_http_response *res, wasmlet_http_error *err) {
  wasmlet_http_request req = {.method = "GET", .url = url};
  return wasmlet_http_send(&req, res, err);
}

int wasmlet_http_response_header(const wasmlet_http_response *res, const char *name, wasmlet_str *value) {
  size_t len = strlen(name);
  for (size_t i = 0; i < res->headers_len; i++) {
    if (res->headers[i].name.len == len && memcmp(res->headers[i].name.ptr, name, len) == 0) {
      *value = res->headers[i].value;
      return 1;
    }
  }
  return 0;
}

void wasmlet_http_response_free(wasmlet_http_response *res) {
  wasmlet_free_pairs(res->headers, res->headers_len); /* frees only non-empty strings and lists */
  free(res->body);
  memset(res, 0, sizeof *res);
}

void wasmlet_http_error_free(wasmlet_http_error *err) {
  free(err->message);
  memset(err, 0, sizeof *err);
}
