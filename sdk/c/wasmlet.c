/* Canonical-ABI glue for wasmlet:function@0.1.0 (see sdk/wit/README.md): cabi_realloc, the
 * host imports and the HTTP handler. Queues, schedules and publishing are in wasmlet-*.c. */
#include "wasmlet.h"

#include <stdlib.h>
#include <string.h>

#include "wasmlet-memory.h"

#define EXPORT(name) __attribute__((export_name(name)))
#define IMPORT(name) __attribute__((import_module("wasmlet:function/host@0.1.0"), import_name(name)))

IMPORT("log") extern void wasmlet_host_log(int32_t level, const char *ptr, size_t len);
IMPORT("get-config") extern void wasmlet_host_get_config(const char *ptr, size_t len, uint8_t *ret);

struct wasmlet_response {
  uint16_t status;
  wasmlet_header *headers;
  size_t headers_len, headers_cap;
  uint8_t *body;
  size_t body_len, body_cap;
  char *error;
};

EXPORT("cabi_realloc") void *cabi_realloc(void *old, size_t old_size, size_t align, size_t new_size) {
  (void)old_size;
  if (new_size == 0) return (void *)align;
  return wasmlet_checked_realloc(old, new_size);
}

static char *copy_cstr(const char *s, size_t len) {
  char *out = wasmlet_checked_realloc(NULL, len ? len : 1);
  memcpy(out, s, len);
  return out;
}

void wasmlet_response_status(wasmlet_response *res, uint16_t status) { res->status = status; }

void wasmlet_response_header(wasmlet_response *res, const char *name, const char *value) {
  if (res->headers_len == res->headers_cap) {
    res->headers_cap = res->headers_cap ? res->headers_cap * 2 : 4;
    res->headers = wasmlet_checked_realloc(res->headers, res->headers_cap * sizeof(wasmlet_header));
  }
  size_t nl = strlen(name), vl = strlen(value);
  res->headers[res->headers_len].name = (wasmlet_str){copy_cstr(name, nl), nl};
  res->headers[res->headers_len].value = (wasmlet_str){copy_cstr(value, vl), vl};
  res->headers_len++;
}

void wasmlet_response_write(wasmlet_response *res, const void *data, size_t len) {
  if (len == 0) return; /* the body may still be NULL: no pointer arithmetic on it */
  if (res->body_len + len > res->body_cap) {
    size_t cap = res->body_cap ? res->body_cap : 256;
    while (cap < res->body_len + len) cap *= 2;
    res->body = wasmlet_checked_realloc(res->body, cap);
    res->body_cap = cap;
  }
  memcpy(res->body + res->body_len, data, len);
  res->body_len += len;
}

void wasmlet_response_write_str(wasmlet_response *res, const char *text) {
  wasmlet_response_write(res, text, strlen(text));
}

void wasmlet_response_error(wasmlet_response *res, const char *message) {
  free(res->error);
  res->error = copy_cstr(message, strlen(message) + 1);
}

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int wasmlet_query_param(const wasmlet_request *req, const char *key, char *out, size_t out_size) {
  const char *q = req->query.ptr, *end = q + req->query.len;
  size_t key_len = strlen(key);
  while (q < end) {
    const char *amp = memchr(q, '&', (size_t)(end - q));
    const char *pair_end = amp ? amp : end;
    const char *eq = memchr(q, '=', (size_t)(pair_end - q));
    const char *name_end = eq ? eq : pair_end;
    if ((size_t)(name_end - q) == key_len && memcmp(q, key, key_len) == 0) {
      size_t n = 0;
      for (const char *v = eq ? eq + 1 : pair_end; v < pair_end && n + 1 < out_size; v++) {
        if (*v == '+') {
          out[n++] = ' ';
        } else if (*v == '%' && v + 2 < pair_end && hex_value(v[1]) >= 0 && hex_value(v[2]) >= 0) {
          out[n++] = (char)(hex_value(v[1]) * 16 + hex_value(v[2]));
          v += 2;
        } else {
          out[n++] = *v;
        }
      }
      if (out_size) out[n] = '\0';
      return 1;
    }
    q = pair_end + 1;
  }
  return 0;
}

int wasmlet_header_get(const wasmlet_request *req, const char *name, wasmlet_str *value) {
  size_t len = strlen(name);
  for (size_t i = 0; i < req->headers_len; i++) {
    if (req->headers[i].name.len == len && memcmp(req->headers[i].name.ptr, name, len) == 0) {
      *value = req->headers[i].value;
      return 1;
    }
  }
  return 0;
}

void wasmlet_log(wasmlet_log_level level, const char *message) {
  wasmlet_host_log((int32_t)level, message, strlen(message));
}

int wasmlet_config(const char *key, char *out, size_t out_size) {
  /* option<string>: tag u8 at 0, string ptr at 4, len at 8; the host
   * allocated the string with our cabi_realloc, so we free it. */
  _Alignas(4) uint8_t ret[12];
  wasmlet_host_get_config(key, strlen(key), ret);
  if (ret[0] == 0) return 0;
  char *ptr = *(char **)(ret + 4);
  size_t len = *(size_t *)(ret + 8);
  size_t n = len < out_size - 1 ? len : out_size - 1;
  if (out_size) {
    memcpy(out, ptr, n);
    out[n] = '\0';
  }
  if (len) free(ptr); /* an empty string is not allocated: its pointer is 1 */
  return 1;
}

#ifndef WASMLET_NO_HTTP_HANDLER /* a queue- or schedule-only function defines it (build.flags) */
/* result<http-response, string>: tag u8 @0; ok: status u16 @4, headers @8/@12,
 * body @16/@20; err: message @4/@8. */
static _Alignas(4) uint8_t ret_area[24];

EXPORT("wasmlet:function/http-handler@0.1.0#handle")
uint8_t *wasmlet_export_handle(char *method, size_t method_len, char *path, size_t path_len, char *query,
                               size_t query_len, wasmlet_header *headers, size_t headers_len, uint8_t *body,
                               size_t body_len) {
  wasmlet_request req = {
      .method = {method, method_len},
      .path = {path, path_len},
      .query = {query, query_len},
      .headers = headers,
      .headers_len = headers_len,
      .body = body,
      .body_len = body_len,
  };
  wasmlet_response res = {.status = 200};
  int failed = wasmlet_handle(&req, &res);

  /* The callee owns its arguments: release them now that the handler is done. The host
   * allocates nothing for an empty string or list (its pointer is the alignment, e.g. 1), so
   * only non-empty ones are freed: an empty header value must not reach free(). */
  for (size_t i = 0; i < headers_len; i++) {
    if (headers[i].name.len) free((void *)headers[i].name.ptr);
    if (headers[i].value.len) free((void *)headers[i].value.ptr);
  }
  if (headers_len) free(headers);
  if (method_len) free(method);
  if (path_len) free(path);
  if (query_len) free(query);
  if (body_len) free(body);

  memset(ret_area, 0, sizeof ret_area);
  if (failed || res.error) {
    const char *msg = res.error ? res.error : "handler failed";
    size_t len = strlen(msg);
    char *copy = copy_cstr(msg, len);
    ret_area[0] = 1;
    *(char **)(ret_area + 4) = copy;
    *(size_t *)(ret_area + 8) = len;
    for (size_t i = 0; i < res.headers_len; i++) {
      free((void *)res.headers[i].name.ptr);
      free((void *)res.headers[i].value.ptr);
    }
    free(res.headers);
    free(res.body);
    free(res.error);
    return ret_area;
  }
  ret_area[0] = 0;
  *(uint16_t *)(ret_area + 4) = res.status;
  *(wasmlet_header **)(ret_area + 8) = res.headers;
  *(size_t *)(ret_area + 12) = res.headers_len;
  *(uint8_t **)(ret_area + 16) = res.body;
  *(size_t *)(ret_area + 20) = res.body_len;
  return ret_area;
}

EXPORT("cabi_post_wasmlet:function/http-handler@0.1.0#handle")
void wasmlet_post_handle(uint8_t *ret) {
  if (ret[0] == 1) {
    free(*(char **)(ret + 4));
    return;
  }
  wasmlet_header *headers = *(wasmlet_header **)(ret + 8);
  size_t headers_len = *(size_t *)(ret + 12);
  for (size_t i = 0; i < headers_len; i++) {
    free((void *)headers[i].name.ptr);
    free((void *)headers[i].value.ptr);
  }
  free(headers);
  free(*(uint8_t **)(ret + 16));
}
#endif /* WASMLET_NO_HTTP_HANDLER */
